"""Verifying a rule set for the people who maintain it: static checks, the enumeration of the decision
space, the judge that evaluates each class, source coverage, rule examples and the diff of two versions.
"""
