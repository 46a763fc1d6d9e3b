"""Evaluate facts against a rule set through the rule engine; return a trace.

The trace says which rules fired in which stratum and which conclusions
they drew. It is the raw material of every explanation: the advice, the
report and ``explain`` are all built from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from engine.deciding.backend import compile_rules, engine_name
from engine.deciding.compiler import attributes, conclusion_attr, rule_definition
from engine.common.errors import EngineError
from engine.reading.facts import attr_name
from engine.rulebase.ruleset import RuleSet



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

    def __init__(self, ruleset: RuleSet, engine: str | None = None):
        self.ruleset = ruleset
        self.engine = engine_name(engine) if engine is None else engine
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
        # Per stratum that has rules (the others cannot fire anything and are not asserted): the
        # facts and conclusions its rules test. A stratum's fact carries only those; a rule never
        # sees the attributes it does not test, so what fires is the same.
        self._stages = sorted({r.stratum for r in ruleset.rules if r.id in definitions})
        tested: dict[int, set[str]] = {s: set() for s in self._stages}
        for rule in ruleset.rules:
            if rule.id in definitions:
                tested[rule.stratum] |= attributes(definitions[rule.id])
        self._stage_facts = {s: [(p, a) for p, a in self._attr.items() if a in tested[s]] for s in self._stages}
        self._stage_conclusions = {s: [(n, conclusion_attr(n)) for n in ruleset.producers
                                       if conclusion_attr(n) in tested[s]] for s in self._stages}
        # Where each engine-fact attribute comes from, exactly as stage_fact builds it: the plain-Python
        # engine reads the facts and the conclusions drawn directly instead of building engine facts.
        where = {a: ("fact", p) for p, a in self._attr.items()}
        where.update({conclusion_attr(n): ("conclusion", n) for n in ruleset.producers})
        self._engine = compile_rules(self.engine, f"{ruleset.region}-{ruleset.content_hash[:12]}", definitions,
                                     where.get)
        self._direct = getattr(self._engine, "direct", False)

    def engine_fact(self, facts: dict[str, Any]) -> dict[str, Any]:
        """The complete stratum-1 fact: every decision fact; unknown numbers are left out."""
        attr = self._attr
        out = {attr.get(p) or attr_name(p): v for p, v in facts.items() if v is not None}
        for a in self._conclusion_attrs:
            out[a] = "no"
        return out

    def stage_fact(self, stage: int, facts: dict[str, Any], drawn: set[str] | frozenset[str]) -> dict[str, Any]:
        """What the rule engine is given in one stratum: the facts its rules test (unknown numbers
        left out) and whether each conclusion they test has been drawn."""
        out = {a: v for p, a in self._stage_facts[stage] if (v := facts.get(p)) is not None}
        for name, a in self._stage_conclusions[stage]:
            out[a] = "yes" if name in drawn else "no"
        return out

    @property
    def stages(self) -> list[int]:
        """The strata that have rules, in order: one engine fact each."""
        return list(self._stages)

    def evaluate(self, facts: dict[str, Any]) -> Trace:
        finding = self._finding
        if self._direct:
            per_stage, drawn_direct = self._engine.run_direct(self._stages, facts, finding)
            order = self.order.__getitem__
            fired_direct: list[str] = []
            for ids in per_stage:
                fired_direct.extend(sorted(ids, key=order))
            return Trace(facts=facts, fired=tuple(fired_direct), conclusions=frozenset(drawn_direct))
        drawn: set[str] = set()

        def fact_for(stage: int, fired: list[str]) -> dict[str, Any]:
            for rid in fired:
                name = finding.get(rid)
                if name:
                    drawn.add(name)
            return self.stage_fact(stage, facts, drawn)

        per_stratum = self._engine.run(self._stages, fact_for)
        fired: list[str] = []
        for ids in per_stratum:
            fired.extend(sorted(ids, key=self.order.__getitem__))
        for rid in per_stratum[-1] if per_stratum else []:
            if rid in finding:
                drawn.add(finding[rid])
        return Trace(facts=facts, fired=tuple(fired), conclusions=frozenset(drawn))

    def varier(self, facts: dict[str, Any]) -> Callable[[str, Any], Trace]:
        """``vary(path, value)``: the trace of ``facts`` with one fact set to ``value`` (see :meth:`changer`)."""
        change = self.changer(facts)
        return lambda path, value: change(((path, value),))

    def changer(self, facts: dict[str, Any]) -> Callable[[Iterable[tuple[str, Any]]], Trace]:
        """``change(pairs)``: the trace of ``facts`` with each (path, value) of ``pairs`` set. With the plain-Python
        engine the rules are tried once on ``facts``; a variant tries again only the rules whose inputs it
        changes (the others fire as before). Otherwise each variant is a whole evaluation."""
        if not self._direct:
            def evaluate_changed(pairs: Iterable[tuple[str, Any]]) -> Trace:
                varied = dict(facts)
                varied.update(pairs)
                return self.evaluate(varied)
            return evaluate_changed
        finding, stages, engine = self._finding, self._stages, self._engine
        base, _ = engine.run_direct(stages, facts, finding)
        order = self.order.__getitem__

        def change(pairs: Iterable[tuple[str, Any]]) -> Trace:
            pairs = tuple(pairs)
            varied = dict(facts)
            varied.update(pairs)
            per_stage = engine.rerun_direct(stages, varied, finding, base, tuple(p for p, _ in pairs))
            fired: list[str] = []
            drawn: set[str] = set()
            for ids in per_stage:
                fired.extend(sorted(ids, key=order))
                for rid in ids:
                    name = finding.get(rid)
                    if name:
                        drawn.add(name)
            return Trace(facts=varied, fired=tuple(fired), conclusions=frozenset(drawn))
        return change

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
