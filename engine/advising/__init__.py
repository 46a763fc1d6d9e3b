"""Advising and exploring: the reasoned advice built from a trace, the decision route (explain), what-if
searches, the interview, and :mod:`engine.advising.pipeline` that runs load → validate → evaluate → advise.
"""
