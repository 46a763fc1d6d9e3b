"""Deciding: a proposal validated against its rule set, the rule set compiled for a rule engine
(durable_rules or the plain-Python engine behind one interface), and the trace of what fired.
"""
