"""The judge of the exhaustive run: evaluates facts through the command line's engine and remembers what
fired, and the helpers that make a counterexample small and readable.
"""

from __future__ import annotations

from typing import Any, Callable

from engine.common.errors import EngineError
from engine.reading.proposal import UNKNOWN
from engine.rulebase.ruleset import RuleSet


class Judge:
    """Evaluates facts through the command line's engine and remembers what fired."""

    def __init__(self, ruleset: RuleSet):
        from engine.deciding.engines import search_evaluator

        self.ruleset = ruleset
        self.evaluator = search_evaluator(ruleset)
        self.fired: set[str] = set()
        self.evaluations = 0

    def trace(self, facts: dict[str, Any]):
        self.evaluations += 1
        trace = self.evaluator.evaluate(facts)
        self.fired.update(trace.fired)
        return trace

    def other_engine(self):
        """The evaluator of the other rule engine, when it is available here (None otherwise)."""
        from engine.deciding.backend import DURABLE, PYTHON, durable_available
        from engine.deciding.engines import evaluator_for

        other = DURABLE if self.evaluator.engine == PYTHON else PYTHON
        if other == DURABLE and not durable_available():
            return None
        return evaluator_for(self.ruleset, other)

    def outcome(self, facts: dict[str, Any]) -> str | None:
        """The one outcome, or None when the rule base gives none or several."""
        from engine.deciding.evaluate import single_outcome

        try:
            return single_outcome(self.evaluator, self.trace(facts))
        except EngineError:
            return None

    def outcomes(self, facts: dict[str, Any]) -> list[str]:
        trace = self.trace(facts)
        return [self.ruleset.by_id[i].then.outcome for i in self.evaluator.outcome_rules(trace)]


def describe_facts(ruleset: RuleSet, facts: dict[str, Any]) -> str:
    known = {p: v for p, v in facts.items() if v not in (UNKNOWN, None)}
    return ", ".join(f"{p}={v}" for p, v in known.items()) or "alles onbekend / everything unknown"


def minimise(facts: dict[str, Any], keep: set[str], still: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """Leave out (set to unknown) every known fact the violation does not need."""
    current = dict(facts)
    for path, value in facts.items():
        if path in keep or value in (UNKNOWN, None):
            continue
        trial = dict(current)
        trial[path] = None if value is not None and not isinstance(value, str) else UNKNOWN
        if still(trial):
            current = trial
    return current
