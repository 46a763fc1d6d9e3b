"""Which compiled evaluator answers: one per loaded rule set and rule engine per process.

durable_rules registers a rule set's name once per process, so evaluators are kept rather than rebuilt;
searches that run many evaluations take the plain-Python engine, proven to give the same traces.
"""

from __future__ import annotations

from pydantic import BaseModel

from engine.deciding.backend import PYTHON, engine_name
from engine.deciding.evaluate import Evaluator, Trace
from engine.reading.facts import flatten
from engine.rulebase.ruleset import RuleSet

_EVALUATORS: dict[tuple[int, str], Evaluator] = {}


def evaluator_for(ruleset: RuleSet, engine: str | None = None) -> Evaluator:
    """One compiled evaluator per loaded rule set and rule engine per process (rule engine names register
    once). Without ``engine``: the one chosen with ``--engine``, else durable_rules where it imports."""
    name = engine_name() if engine is None else engine
    key = (id(ruleset), name)
    ev = _EVALUATORS.get(key)
    if ev is None or ev.ruleset is not ruleset:
        ev = Evaluator(ruleset, name)
        _EVALUATORS[key] = ev
    return ev


def search_evaluator(ruleset: RuleSet) -> Evaluator:
    """The evaluator for searches that run many evaluations (check, what-if, the interview): plain Python
    unless ``--engine`` says otherwise; both engines are proven to give the same traces."""
    return evaluator_for(ruleset, engine_name(PYTHON))


def trace_of(ruleset: RuleSet, proposal: BaseModel) -> Trace:
    return evaluator_for(ruleset).evaluate(flatten(proposal, ruleset.facts))
