"""Shared by every stage: errors meant for people, the labels of both languages, escaping of text.

Nothing here knows about proposals, rule sets or outcomes; every other package may import it.
"""
