"""The question engine: which facts still matter, given the answers so far.

A fact *matters* when some answer to it can still change the outcome: there
is a way to fill in the remaining questions (including "weet ik niet") under
which two of its answers lead to different outcomes. The engine proves this
with a witness — a completion of the other questions — found by a search
that reasons over the rules in three-valued logic (true / false / not yet
decided) and prunes every branch where the fact can no longer reach an
outcome rule. Every witness is confirmed by the rule engine before the
question is asked, so the interview never asks a question whose answer
cannot change the outcome.

Questions, help text and order come from the fact catalogue (proposal
schema) and the rule set: a new rule reading a new fact makes the
interview ask it, in the step of that rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional

from engine.rulebase import conditions as C
from engine.deciding.evaluate import Evaluator, single_outcome
from engine.reading.proposal import UNKNOWN
from engine.rulebase.ruleset import RuleSet
from engine.advising.whatif import decisive_facts, outcome_rules, per_ruleset, step_rank, value_classes

Truth = Optional[bool]  # None: not decided yet
_UNSEEN = object()
META_FIELDS = ("title", "submitter", "date", "topic", "kind", "partner_regions")


# --------------------------------------------------------------------------- three-valued evaluation


@dataclass
class _Compiled:
    rules: list[Any]  # outcome-influencing rules in stratum order
    producers: dict[str, list[str]]
    outcome_of: dict[str, str]
    reps: dict[str, tuple[Any, ...]]  # per fact: one value per class
    rep_of: dict[str, dict[Any, Any]]  # per fact: value -> its class representative
    readers: dict[str, list[str]]  # fact -> rules reading it directly


@per_ruleset
def _compiled(ruleset: RuleSet) -> _Compiled:
    relevant = outcome_rules(ruleset)
    rules = sorted((r for r in ruleset.rules if r.id in relevant), key=lambda r: r.stratum)
    producers: dict[str, list[str]] = {}
    readers: dict[str, list[str]] = {}
    for r in rules:
        if r.then.finding:
            producers.setdefault(r.then.finding, []).append(r.id)
        for p in C.fact_paths(r.condition):
            readers.setdefault(p, []).append(r.id)
    reps: dict[str, tuple[Any, ...]] = {}
    rep_of: dict[str, dict[Any, Any]] = {}
    for path in decisive_facts(ruleset):
        groups = value_classes(ruleset, path)
        if not groups:
            continue
        # a known value represents its class where possible: witnesses read naturally
        chosen = [next((v for v in g if v != UNKNOWN), g[0]) for g in groups]
        reps[path] = tuple(chosen)
        rep_of[path] = {v: c for g, c in zip(groups, chosen) for v in g}
    return _Compiled(rules, producers, {r.id: r.then.outcome for r in rules if r.then.outcome}, reps, rep_of, readers)


class Abstract:
    """Evaluate the outcome rules when some facts are still open (any value possible)."""

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset
        self.c = _compiled(ruleset)
        self._leaf: dict[tuple[int, tuple[Any, ...]], Truth] = {}  # (fact test, possible values) -> truth

    def leaf(self, cond: C.FactTest, values: tuple[Any, ...]) -> Truth:
        """A fact test over the values still possible: True or False when all agree, else None (once each)."""
        key = (id(cond), values)
        hit = self._leaf.get(key, _UNSEEN)
        if hit is not _UNSEEN:
            return hit
        results = {cond.holds({cond.path: v}) for v in values}
        out = results.pop() if len(results) == 1 else None
        self._leaf[key] = out  # the rule set keeps its conditions alive, so their ids stay unique
        return out

    def run(self, possible: dict[str, tuple[Any, ...]]) -> dict[str, Truth]:
        """Truth of every outcome-influencing rule; ``possible`` maps each fact to its possible values."""
        truth: dict[str, Truth] = {}
        concl: dict[str, Truth] = {}

        def conclusion(name: str) -> Truth:
            if name not in concl:
                values = [truth.get(pid, False) for pid in self.c.producers.get(name, [])]
                concl[name] = True if any(v is True for v in values) else (False if all(v is False for v in values) else None)
            return concl[name]

        for rid, test in self._tests():
            truth[rid] = test(possible, conclusion)
        return truth

    def _tests(self) -> list[tuple[str, Any]]:
        """Every outcome-influencing rule's condition as a three-valued function, built once."""
        tests = self.__dict__.get("_compiled_tests")
        if tests is None:
            tests = self.__dict__["_compiled_tests"] = [(r.id, self._compile(r.condition)) for r in self.c.rules]
        return tests

    def _fn(self, cond: C.Condition) -> Any:
        """:meth:`_compile` of a condition, once per condition object (the rule set keeps them alive)."""
        table = self.__dict__.setdefault("_fns", {})
        hit = table.get(id(cond))
        if hit is None or hit[0] is not cond:
            hit = table[id(cond)] = (cond, self._compile(cond))
        return hit[1]

    def _compile(self, cond: C.Condition) -> Any:
        """``cond`` as ``f(possible, conclusion) -> True/False/None`` (None: not decided by what is possible)."""
        if isinstance(cond, C.FactTest):
            path, holds, cache = cond.path, cond.holds, {}
            unknown_only = (UNKNOWN,)

            def fact_test(possible: Any, conclusion: Any) -> Truth:
                values = possible.get(path, unknown_only)
                hit = cache.get(values, _UNSEEN)
                if hit is _UNSEEN:  # what leaf() gives, remembered per tuple of possible values
                    results = {holds({path: v}) for v in values}
                    hit = cache[values] = results.pop() if len(results) == 1 else None
                return hit
            return fact_test
        if isinstance(cond, C.ConclusionTest):
            name = cond.name
            return lambda possible, conclusion: conclusion(name)
        if isinstance(cond, C.Not):
            inner = self._compile(cond.item)

            def negated(possible: Any, conclusion: Any) -> Truth:
                v = inner(possible, conclusion)
                return None if v is None else not v
            return negated
        if isinstance(cond, (C.All, C.Any_)):
            parts = [self._compile(i) for i in cond.items]
            stop = False if isinstance(cond, C.All) else True  # one of these decides the whole

            def junction(possible: Any, conclusion: Any) -> Truth:
                undecided = False
                for part in parts:
                    v = part(possible, conclusion)
                    if v is stop:
                        return stop
                    if v is None:
                        undecided = True
                return None if undecided else not stop
            return junction
        value = cond.value
        return lambda possible, conclusion: value

    def outcomes(self, truth: dict[str, Truth]) -> frozenset[str]:
        sure = {o for rid, o in self.c.outcome_of.items() if truth[rid] is True}
        if sure:
            return frozenset(sure)
        return frozenset(o for rid, o in self.c.outcome_of.items() if truth[rid] is None)

    def live(self, truth: dict[str, Truth], possible: dict[str, tuple[Any, ...]], path: str) -> bool:
        """Whether an open fact can still reach an outcome rule through undecided conditions."""
        return path in self.live_facts(truth, possible)

    def live_facts(self, truth: dict[str, Truth], possible: dict[str, tuple[Any, ...]]) -> frozenset[str]:
        """Every open fact that can still reach an outcome rule through undecided conditions (:meth:`live` for
        all facts in one walk over the rules)."""
        by_id = self.ruleset.by_id
        producers = self.c.producers
        fn = self._fn
        rule_memo: dict[str, frozenset[str]] = {}
        cond_memo: dict[int, frozenset[str]] = {}
        none: frozenset[str] = frozenset()

        def concl_value(name: str) -> Truth:
            values = [truth.get(pid, False) for pid in producers.get(name, [])]
            return True if any(v is True for v in values) else (False if all(v is False for v in values) else None)

        def rule_reach(rid: str) -> frozenset[str]:
            hit = rule_memo.get(rid)
            if hit is None:
                rule_memo[rid] = none  # strata make this acyclic; the guard only stops repeats
                hit = rule_memo[rid] = reach(by_id[rid].condition) if truth[rid] is None else none
            return hit

        def reach(cond: C.Condition) -> frozenset[str]:
            key = id(cond)
            hit = cond_memo.get(key)
            if hit is not None:
                return hit
            if isinstance(cond, C.FactTest):
                out = frozenset((cond.path,)) if len(possible.get(cond.path, ())) > 1 else none
            elif isinstance(cond, C.ConclusionTest):
                out = none
                if concl_value(cond.name) is None:
                    for pid in producers.get(cond.name, []):
                        out = out | rule_reach(pid)
            elif isinstance(cond, C.Not):
                out = reach(cond.item)
            elif isinstance(cond, (C.All, C.Any_)):
                stop = False if isinstance(cond, C.All) else True
                vals = [fn(i)(possible, concl_value) for i in cond.items]
                out = none
                if stop not in vals:
                    for v, i in zip(vals, cond.items):
                        if v is None:
                            out = out | reach(i)
            else:
                out = none
            cond_memo[key] = out
            return out

        found: frozenset[str] = none
        for rid in self.c.outcome_of:
            if truth[rid] is None:
                found = found | rule_reach(rid)
        return found

    def _ev_with(self, cond: C.Condition, truth: dict[str, Truth], possible: dict[str, tuple[Any, ...]]) -> Truth:
        if isinstance(cond, C.FactTest):
            return self.leaf(cond, possible.get(cond.path, (UNKNOWN,)))
        if isinstance(cond, C.ConclusionTest):
            values = [truth.get(pid, False) for pid in self.c.producers.get(cond.name, [])]
            return True if any(v is True for v in values) else (False if all(v is False for v in values) else None)
        if isinstance(cond, C.Not):
            v = self._ev_with(cond.item, truth, possible)
            return None if v is None else not v
        if isinstance(cond, (C.All, C.Any_)):
            vals = [self._ev_with(i, truth, possible) for i in cond.items]
            if isinstance(cond, C.All):
                return False if False in vals else (True if all(v is True for v in vals) else None)
            return True if True in vals else (False if all(v is False for v in vals) else None)
        return cond.value


# --------------------------------------------------------------------------- relevance


@dataclass(frozen=True)
class Witness:
    """Answers to other questions under which two answers to ``path`` give different outcomes."""

    path: str
    completion: dict[str, Any]  # other open facts; facts not named stay unknown
    outcomes: dict[Any, str]  # answer -> outcome (through the rule engine)


class QuestionEngine:
    """Decide which open facts still matter and in which order to ask them."""

    def __init__(self, evaluator: Evaluator, budget: int = 400):
        from engine.deciding.engines import search_evaluator

        # The search evaluates many completions: it uses the search engine (plain Python unless --engine
        # says otherwise), which is proven to give the same traces as durable_rules.
        self.evaluator = search_evaluator(evaluator.ruleset)
        self.ruleset = evaluator.ruleset
        self.abstract = Abstract(self.ruleset)
        self.budget = budget
        specs = self.ruleset.facts
        steps = step_rank(self.ruleset)
        order = {p: i for i, p in enumerate(specs)}
        self.askable = sorted((p for p in self.abstract.c.reps if specs[p].decision),
                              key=lambda p: (steps.get(p, 99), order[p]))

    # -- evaluation
    def facts_for(self, answers: dict[str, Any], completion: dict[str, Any] | None = None) -> dict[str, Any]:
        facts: dict[str, Any] = {p: (None if s.kind == "number" else UNKNOWN) for p, s in self.ruleset.facts.items()}
        facts.update(answers)
        facts.update(completion or {})
        return facts

    def outcome(self, answers: dict[str, Any], completion: dict[str, Any] | None = None) -> str:
        """The outcome through the rule engine, open facts unknown."""
        ev = self.evaluator
        return single_outcome(ev, ev.evaluate(self.facts_for(answers, completion)))

    def _possible(self, answers: dict[str, Any], open_facts: Iterable[str]) -> dict[str, tuple[Any, ...]]:
        reps, rep_of = self.abstract.c.reps, self.abstract.c.rep_of
        possible = {p: (rep_of.get(p, {}).get(v, v),) for p, v in answers.items()}
        for p in open_facts:
            possible[p] = reps[p]
        return possible

    # -- relevance
    def witness(self, path: str, answers: dict[str, Any]) -> Witness | None:
        """A completion under which answers to ``path`` lead to different outcomes, or None."""
        if path not in self.abstract.c.reps:
            return None
        open_facts = [p for p in self.abstract.c.reps if p not in answers]
        others = [p for p in open_facts if p != path]
        possible = self._possible(answers, open_facts)
        truth = self.abstract.run(possible)
        if not self.abstract.live(truth, possible, path):
            return None
        found = self._search(path, dict(answers), others, [self.budget])
        if found is None:
            return None
        # Confirm through the rule engine: the proof must hold where the decision is made.
        outcomes = {v: self.outcome({**answers, **found}, {path: v}) for v in self.abstract.c.reps[path]}
        if len(set(outcomes.values())) < 2:
            return None
        return Witness(path, found, outcomes)

    def _concrete(self, assigned: dict[str, Any], path: str) -> set[str]:
        outcomes = set()
        for v in self.abstract.c.reps[path]:
            possible = {p: (self.abstract.c.rep_of.get(p, {}).get(x, x),) for p, x in assigned.items()}
            possible[path] = (v,)
            outcomes |= self.abstract.outcomes(self.abstract.run(possible))
        return outcomes

    def _search(self, path: str, assigned: dict[str, Any], others: list[str], budget: list[int]) -> dict[str, Any] | None:
        """Depth-first over the other open facts, pruned where ``path`` cannot reach an outcome rule."""
        budget[0] -= 1
        if budget[0] < 0:
            return None
        if len(self._concrete(assigned, path)) > 1:
            return {p: v for p, v in assigned.items() if p in others}
        possible = self._possible(assigned, [path, *others])
        truth = self.abstract.run(possible)
        live = self.abstract.live_facts(truth, possible)
        if path not in live:
            return None
        per_answer = []
        for v in self.abstract.c.reps[path]:
            per_answer.append(self.abstract.outcomes(self.abstract.run({**possible, path: (v,)})))
        if all(len(o) == 1 for o in per_answer) and len(set(per_answer)) == 1:
            return None
        # branch on the first open fact that can still reach an outcome rule
        for i, g in enumerate(others):
            if g not in live:
                continue
            rest = others[:i] + others[i + 1:]
            values = sorted(self.abstract.c.reps[g], key=lambda v: v == UNKNOWN)
            for v in values:
                found = self._search(path, {**assigned, g: v}, rest, budget)
                if found is not None:
                    return {**found, g: v} if g not in found else found
                if budget[0] < 0:
                    return None
            return None
        return None

    def next_question(self, answers: dict[str, Any]) -> tuple[str, Witness] | None:
        """The first open question (in rule-set step and catalogue order) whose answer still matters."""
        for path in self.askable:
            if path in answers:
                continue
            w = self.witness(path, answers)
            if w is not None:
                return path, w
        return None

    def still_open(self, answers: dict[str, Any]) -> list[str]:
        """Every open question that still matters (for reports and tests)."""
        return [p for p in self.askable if p not in answers and self.witness(p, answers) is not None]
