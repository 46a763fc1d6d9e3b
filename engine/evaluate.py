"""Evaluate facts against a rule set through the rule engine; return a trace.

The trace says which rules fired in which stratum and which conclusions
they drew. It is the raw material of every explanation: the advice, the
report and ``explain`` are all built from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .backend import CompiledRuleset
from .compiler import conclusion_attr, rule_definition
from .errors import EngineError
from .facts import attr_name
from .ruleset import RuleSet


@dataclass(frozen=True)
class Trace:
    """What happened in one evaluation."""

    facts: dict[str, Any]
    fired: tuple[str, ...]  # rule ids in firing order (stratum, then rule-file order)
    conclusions: frozenset[str]


class Evaluator:
    """A rule set compiled for the rule engine; reusable for many evaluations.

    Everything that does not depend on the proposal (attribute names, the
    strata that have rules, which rule draws which conclusion) is worked out
    here once, so an evaluation only encodes the facts and reads what fired.
    """

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset
        self.order = {r.id: i for i, r in enumerate(ruleset.rules)}
        definitions = {}
        self.never = []
        for rule in ruleset.rules:
            definition = rule_definition(rule.condition, rule.stratum, ruleset.facts)
            if definition is None:
                self.never.append(rule.id)
            else:
                definitions[rule.id] = definition
        self._finding = {r.id: r.then.finding for r in ruleset.rules if r.then.finding}
        self._conclusion_attrs = [conclusion_attr(n) for n in ruleset.producers]
        self._attr = {p: attr_name(p) for p in ruleset.facts}
        # Strata without a rule cannot fire anything: they are not asserted.
        self._stages = sorted({r.stratum for r in ruleset.rules if r.id in definitions})
        self._engine = CompiledRuleset(f"{ruleset.region}-{ruleset.content_hash[:12]}", definitions)

    def engine_fact(self, facts: dict[str, Any]) -> dict[str, Any]:
        """The stratum-1 fact: every decision fact; unknown numbers are left out."""
        out = self._base_fact(facts)
        for a in self._conclusion_attrs:
            out[a] = "no"
        return out

    def _base_fact(self, facts: dict[str, Any]) -> dict[str, Any]:
        attr = self._attr
        return {attr.get(p) or attr_name(p): v for p, v in facts.items() if v is not None}

    def evaluate(self, facts: dict[str, Any]) -> Trace:
        drawn: set[str] = set()
        finding = self._finding
        conclusion = {a: "no" for a in self._conclusion_attrs}

        def extra(fired: list[str]) -> dict[str, Any]:
            for rid in fired:
                name = finding.get(rid)
                if name:
                    drawn.add(name)
                    conclusion[conclusion_attr(name)] = "yes"
            return conclusion

        per_stratum = self._engine.run(self._base_fact(facts), self._stages, extra)
        fired: list[str] = []
        for ids in per_stratum:
            fired.extend(sorted(ids, key=self.order.__getitem__))
        for rid in per_stratum[-1] if per_stratum else []:
            if rid in finding:
                drawn.add(finding[rid])
        return Trace(facts=facts, fired=tuple(fired), conclusions=frozenset(drawn))

    def outcome_rules(self, trace: Trace) -> list[str]:
        ids = [rid for rid in trace.fired if self.ruleset.by_id[rid].then.outcome]
        return ids


def single_outcome(evaluator: Evaluator, trace: Trace) -> str:
    """The one outcome of a trace; a rule base that gives none or two is a defect."""
    ids = evaluator.outcome_rules(trace)
    outcomes = {evaluator.ruleset.by_id[i].then.outcome for i in ids}
    if len(outcomes) != 1:
        which = ", ".join(ids) if ids else "geen / none"
        raise EngineError(f"regelset {evaluator.ruleset.meta.id}: {len(outcomes)} uitkomsten ({which}); "
                          f"elke toets moet precies één uitkomst geven / every evaluation needs exactly one outcome. "
                          f"Draai 'regiotoets check' / run 'regiotoets check'.")
    return outcomes.pop()
