"""What if: change facts, re-evaluate, and find the smallest changes that alter the outcome.

Everything here is computed from the rules: which facts can influence the
outcome (the facts read by rules that lead to an outcome), which values of a
fact behave the same (every test in the rules gives the same answer for
them), and what the rule engine concludes for a variant. The same pieces
rank the missing facts of an "insufficient information" advice and feed
the interview.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass
from typing import Callable, Optional, TypeVar
from typing import Any, Iterable

from engine.rulebase import conditions as C
from engine.common.errors import InputError, Problem, did_you_mean
from engine.deciding.evaluate import Evaluator, single_outcome
from engine.reading.facts import FactSpec, question_for
from engine.common.i18n import OUTCOME_LABELS, OUTCOME_RANK, value_label
from engine.reading.proposal import UNKNOWN, _normalise
from engine.rulebase.ruleset import RuleSet

# --------------------------------------------------------------------------- influence

_T = TypeVar("_T")


def per_ruleset(func: Callable[[RuleSet], _T]) -> Callable[[RuleSet], _T]:
    """Cache a derived table per loaded rule set (rule sets are mutable dataclasses, not hashable)."""
    memo: dict[int, tuple[RuleSet, _T]] = {}

    def wrapper(ruleset: RuleSet) -> _T:
        hit = memo.get(id(ruleset))
        if hit is None or hit[0] is not ruleset:
            hit = (ruleset, func(ruleset))
            memo[id(ruleset)] = hit
        return hit[1]
    wrapper.__doc__ = func.__doc__
    return wrapper


@per_ruleset
def _influence(ruleset: RuleSet) -> tuple[frozenset[str], tuple[str, ...]]:
    """Rules that can change the outcome, and the facts they read (catalogue order).

    A rule counts when it draws an outcome, or draws a conclusion that such a
    rule reads (transitively). Caveats and next steps never change the outcome.
    """
    readers: dict[str, list[str]] = {}
    for r in ruleset.rules:
        for name in C.conclusion_names(r.condition):
            readers.setdefault(name, []).append(r.id)
    relevant = {r.id for r in ruleset.rules if r.then.outcome}
    changed = True
    while changed:
        changed = False
        for r in ruleset.rules:
            if r.id in relevant or not r.then.finding:
                continue
            if any(rid in relevant for rid in readers.get(r.then.finding, [])):
                relevant.add(r.id)
                changed = True
    read: set[str] = set()
    for r in ruleset.rules:
        if r.id in relevant:
            read.update(C.fact_paths(r.condition))
    ordered = tuple(p for p in ruleset.facts if p in read)
    return frozenset(relevant), ordered


def outcome_rules(ruleset: RuleSet) -> frozenset[str]:
    """Ids of the rules that can influence the outcome."""
    return _influence(ruleset)[0]


_OUTCOME_EVALUATORS: dict[int, tuple[RuleSet, Evaluator]] = {}


def outcome_evaluator(ruleset: RuleSet, engine: str | None = None) -> Evaluator:
    """An evaluator for searches that only ask for the outcome: the search engine (or ``engine``) over the rules
    that can influence the outcome (:func:`outcome_rules`), so it gives the outcome the whole rule set gives, with
    fewer rules to try. With durable_rules the whole rule set is used (one registration per rule set)."""
    import dataclasses

    from engine.deciding.backend import PYTHON, engine_name
    from engine.deciding.engines import evaluator_for

    engine = engine or engine_name(PYTHON)
    if engine != PYTHON:
        return evaluator_for(ruleset, engine)
    hit = _OUTCOME_EVALUATORS.get(id(ruleset))
    if hit is None or hit[0] is not ruleset:
        relevant = outcome_rules(ruleset)
        reduced = dataclasses.replace(ruleset, rules=[r for r in ruleset.rules if r.id in relevant])
        reduced.__dict__["model"] = ruleset.model  # the same proposal and facts
        reduced.__dict__["facts"] = ruleset.facts
        if len(_OUTCOME_EVALUATORS) > 16:
            _OUTCOME_EVALUATORS.clear()
        hit = _OUTCOME_EVALUATORS[id(ruleset)] = (ruleset, Evaluator(reduced, PYTHON))
    return hit[1]


def decisive_facts(ruleset: RuleSet) -> tuple[str, ...]:
    """Facts that some outcome-influencing rule reads, in catalogue order."""
    return _influence(ruleset)[1]


@per_ruleset
def _classes(ruleset: RuleSet) -> dict[str, tuple[tuple[Any, ...], ...]]:
    tests: dict[str, list[C.FactTest]] = {}
    relevant = outcome_rules(ruleset)
    for r in ruleset.rules:
        if r.id in relevant:
            for leaf in C.leaves(r.condition):
                if isinstance(leaf, C.FactTest):
                    tests.setdefault(leaf.path, []).append(leaf)
    out: dict[str, tuple[tuple[Any, ...], ...]] = {}
    for path, spec in ruleset.facts.items():
        if spec.kind != "enum":
            continue
        groups: dict[tuple, list[Any]] = {}
        for value in spec.domain:
            signature = tuple(t.holds({path: value}) for t in tests.get(path, []))
            groups.setdefault(signature, []).append(value)
        out[path] = tuple(tuple(g) for g in groups.values())
    return out


def value_classes(ruleset: RuleSet, path: str) -> tuple[tuple[Any, ...], ...]:
    """The values of a fact grouped by how the outcome rules treat them (domain order)."""
    return _classes(ruleset).get(path, ())


def equivalents(ruleset: RuleSet, path: str, value: Any) -> tuple[Any, ...]:
    """The values that the outcome rules cannot tell apart from ``value``."""
    for group in value_classes(ruleset, path):
        if value in group:
            return group
    return (value,)


# --------------------------------------------------------------------------- changes


@dataclass(frozen=True)
class Change:
    """One fact set to another value; ``alike`` are values with the same effect."""

    path: str
    old: Any
    new: Any
    alike: tuple[Any, ...] = ()
    fixed: bool = False  # the proposal cannot honestly change this fact

    def as_dict(self) -> dict[str, Any]:
        return {"fact": self.path, "from": self.old, "to": self.new, "same_effect": list(self.alike),
                "honestly_changeable": not self.fixed}


@dataclass(frozen=True)
class Flip:
    """A set of changes and the outcome it leads to."""

    changes: tuple[Change, ...]
    outcome: str

    @property
    def honest(self) -> bool:
        return not any(c.fixed for c in self.changes)


class OutcomeCache:
    """Outcomes of fact variants through the rule engine, each variant evaluated once (by the Python engine on the
    rules that can change the outcome, when the search runs on the Python engine: see :func:`outcome_evaluator`)."""

    def __init__(self, evaluator: Evaluator, facts: dict[str, Any]):
        from engine.deciding.backend import PYTHON

        if evaluator.engine == PYTHON:
            evaluator = outcome_evaluator(evaluator.ruleset, PYTHON)
        self.evaluator = evaluator
        self.facts = facts
        self.calls = 0
        self._memo: dict[tuple, str] = {}
        self._change = evaluator.changer(facts)  # a variant re-tries only the rules that read what it changes

    def outcome(self, changes: Iterable[tuple[str, Any]] = ()) -> str:
        key = tuple(sorted(changes))
        if key not in self._memo:
            self.calls += 1
            self._memo[key] = single_outcome(self.evaluator, self._change(key))
        return self._memo[key]


def _alternatives(ruleset: RuleSet, path: str, current: Any) -> list[tuple[Any, tuple[Any, ...]]]:
    """One representative per value class other than the current one; unknown is never a goal."""
    out = []
    for group in value_classes(ruleset, path):
        if current in group:
            continue
        known = tuple(v for v in group if v != UNKNOWN)
        if known:
            out.append((known[0], known))
    return out


def minimal_changes(evaluator: Evaluator, facts: dict[str, Any], max_size: int = 2) -> list[Flip]:
    """The smallest sets of fact changes that change the outcome.

    Size one first, over every fact an outcome rule reads; facts a proposal
    cannot honestly change (``fixed``) are included but marked. Only when no
    honest single change exists are pairs of honest changes searched, and only
    pairs whose parts change nothing alone (so every set listed is minimal).
    """
    ruleset = evaluator.ruleset
    cache = OutcomeCache(evaluator, facts)
    base = cache.outcome()
    options: dict[str, list[Change]] = {}
    for path in decisive_facts(ruleset):
        spec = ruleset.facts[path]
        if spec.kind != "enum":
            continue
        options[path] = [Change(path, facts.get(path), new, alike, spec.fixed)
                         for new, alike in _alternatives(ruleset, path, facts.get(path))]
    flips: list[Flip] = []
    flipping_alone: set[str] = set()
    for path, changes in options.items():
        for ch in changes:
            outcome = cache.outcome([(path, ch.new)])
            if outcome != base:
                flips.append(Flip((ch,), outcome))
                flipping_alone.add(path)
    if any(f.honest for f in flips) or max_size < 2:
        return _sorted(flips, ruleset)
    honest = [p for p, chs in options.items() if chs and not chs[0].fixed and p not in flipping_alone]
    for a, b in itertools.combinations(honest, 2):
        for ca in options[a]:
            for cb in options[b]:
                outcome = cache.outcome([(a, ca.new), (b, cb.new)])
                if outcome != base:
                    flips.append(Flip((ca, cb), outcome))
    return _sorted(flips, ruleset)


def route_to(evaluator: Evaluator, facts: dict[str, Any], target: str = "participate",
             max_steps: int = 24) -> Optional[tuple[Change, ...]]:
    """Honest changes, one fact at a time, that bring the outcome to ``target`` (an unconditional "Meedoen").

    Each step takes the single change (of a fact a proposal can honestly change) that does most: reaching the
    target first, then a more favourable outcome, then fewer conditions attached. ``None`` when the target is
    out of reach this way; an empty tuple when the outcome already is the target.
    """
    ruleset = evaluator.ruleset
    conditions = {r.id for r in ruleset.rules if r.then.role == "condition"}
    order = {p: i for i, p in enumerate(ruleset.facts)}

    def score(current: dict[str, Any]) -> tuple[bool, int, int]:
        trace = evaluator.evaluate(current)
        outcome = single_outcome(evaluator, trace)
        return outcome == target, OUTCOME_RANK[outcome], -sum(1 for rid in trace.fired if rid in conditions)

    current = dict(facts)
    best = score(current)
    if best[0]:
        return ()
    changed: list[Change] = []
    readers = {p for r in ruleset.rules if r.then.role == "condition" for p in C.fact_paths(r.condition)}
    wanted = set(decisive_facts(ruleset)) | readers
    candidates = [p for p in ruleset.facts
                  if p in wanted and ruleset.facts[p].kind == "enum" and not ruleset.facts[p].fixed]
    for _ in range(max_steps):
        step: Optional[tuple[tuple, Change]] = None
        for path in candidates:
            if any(c.path == path for c in changed):
                continue
            for new in ruleset.facts[path].domain:  # every known value: one class may hide a condition
                if new == current.get(path) or new == UNKNOWN:
                    continue
                trial = dict(current)
                trial[path] = new
                got = score(trial)
                if got > best and (step is None or got > step[0]):
                    step = (got, Change(path, current.get(path), new))
        moves = [step[1]] if step is not None else []
        if not moves:  # a condition that needs two facts at once (both cost components, say)
            pair = _pair_step(evaluator, current, best, score, changed, conditions)
            if pair is not None:
                best, moves = pair
        else:
            best = step[0]
        if not moves:  # resolving one condition may bring others into play (research done: now its contents)
            side = _resolving_step(evaluator, current, best, score, changed, conditions, candidates)
            if side is None:
                return None
            best, moves = side
        for change in moves:
            current[change.path] = change.new
            changed.append(change)
        if best[0]:
            return tuple(sorted(changed, key=lambda c: order.get(c.path, len(order))))
    return None


def _resolving_step(evaluator: Evaluator, current: dict[str, Any], best: tuple, score: Callable,
                    changed: list[Change], conditions: set[str], candidates: list[str]
                    ) -> Optional[tuple[tuple, list[Change]]]:
    """A change that ends a condition that applies, without a less favourable outcome, even if it brings others."""
    ruleset = evaluator.ruleset
    before = {rid for rid in evaluator.evaluate(current).fired if rid in conditions}
    done = {c.path for c in changed}
    found: Optional[tuple[tuple, list[Change]]] = None
    for path in candidates:
        if path in done:
            continue
        for new in ruleset.facts[path].domain:
            if new == current.get(path) or new == UNKNOWN:
                continue
            trial = dict(current)
            trial[path] = new
            after = {rid for rid in evaluator.evaluate(trial).fired if rid in conditions}
            got = score(trial)
            if before - after and got[1] >= best[1] and (found is None or got > found[0]):
                found = (got, [Change(path, current.get(path), new)])
    return found


def _pair_step(evaluator: Evaluator, current: dict[str, Any], best: tuple, score: Callable, changed: list[Change],
               conditions: set[str]) -> Optional[tuple[tuple, list[Change]]]:
    """The best pair of changes among the facts the conditions that still apply read, if any pair helps."""
    ruleset = evaluator.ruleset
    fired = [rid for rid in evaluator.evaluate(current).fired if rid in conditions]
    done = {c.path for c in changed}
    paths = list(dict.fromkeys(p for rid in fired for p in C.fact_paths(ruleset.by_id[rid].condition)
                               if p in ruleset.facts and ruleset.facts[p].kind == "enum"
                               and not ruleset.facts[p].fixed and p not in done))
    found: Optional[tuple[tuple, list[Change]]] = None
    for a, b in itertools.combinations(paths, 2):
        for va in ruleset.facts[a].domain:
            for vb in ruleset.facts[b].domain:
                if UNKNOWN in (va, vb) or va == current.get(a) or vb == current.get(b):
                    continue
                trial = dict(current)
                trial[a], trial[b] = va, vb
                got = score(trial)
                if got > best and (found is None or got > found[0]):
                    found = (got, [Change(a, current.get(a), va), Change(b, current.get(b), vb)])
    return found


def _sorted(flips: list[Flip], ruleset: RuleSet) -> list[Flip]:
    order = {p: i for i, p in enumerate(ruleset.facts)}
    return sorted(flips, key=lambda f: (not f.honest, -OUTCOME_RANK[f.outcome],
                                        [order[c.path] for c in f.changes]))


# --------------------------------------------------------------------------- missing facts


@dataclass(frozen=True)
class RankedFact:
    """An unknown fact and how much it decides: the outcomes its values lead to."""

    path: str
    changes: int  # how many of its known values change the outcome on their own
    outcomes: tuple[str, ...]  # the outcomes those values lead to
    question_nl: str
    question_en: str

    def question(self, lang: str) -> str:
        return self.question_en if lang == "en" else self.question_nl


def rank_missing(evaluator: Evaluator, facts: dict[str, Any], extra: Iterable[str] = ()) -> list[RankedFact]:
    """Unknown facts ordered by how much they decide, the most decisive first.

    For each unknown fact an outcome rule reads (and each fact in ``extra``,
    e.g. the advice's missing list), count the values of its domain that
    change the outcome on their own; ties keep the order of the decision
    steps and the catalogue.
    """
    ruleset = evaluator.ruleset
    cache = OutcomeCache(evaluator, facts)
    base = cache.outcome()
    candidates = list(dict.fromkeys([*decisive_facts(ruleset), *extra]))
    ranked = []
    for path in candidates:
        spec = ruleset.facts.get(path)
        if spec is None or spec.kind != "enum" or facts.get(path) not in (UNKNOWN, None):
            continue
        reached = []
        count = 0
        for group in value_classes(ruleset, path):
            known = [v for v in group if v != UNKNOWN]
            if not known:
                continue
            outcome = cache.outcome([(path, known[0])])
            if outcome != base:
                count += len(known)
                reached.append(outcome)
        ranked.append(RankedFact(path, count, tuple(dict.fromkeys(reached)), spec.question_nl, spec.question_en))
    if not any(r.changes for r in ranked) and not extra:
        return []
    step_rank = _step_rank(ruleset)
    order = {p: i for i, p in enumerate(ruleset.facts)}
    keep = set(extra)
    ranked = [r for r in ranked if r.changes or r.path in keep]
    return sorted(ranked, key=lambda r: (-r.changes, step_rank.get(r.path, 99), order[r.path]))


@per_ruleset
def _step_rank(ruleset: RuleSet) -> dict[str, int]:
    """For each fact: the decision step it belongs to, judged by the outcome-influencing rules that read it."""
    steps = {s.id: i for i, s in enumerate(ruleset.meta.steps)}
    relevant = outcome_rules(ruleset)
    votes: dict[str, dict[int, int]] = {}
    for r in ruleset.rules:
        if r.id not in relevant:
            continue
        for p in C.fact_paths(r.condition):
            counts = votes.setdefault(p, {})
            counts[steps[r.data.step]] = counts.get(steps[r.data.step], 0) + 1
    # the step whose rules read the fact most often (earliest on a tie): a rule that only
    # looks ahead at a fact does not pull its question forward
    return {p: min(c, key=lambda s: (-c[s], s)) for p, c in votes.items()}


def step_rank(ruleset: RuleSet) -> dict[str, int]:
    return _step_rank(ruleset)


# --------------------------------------------------------------------------- --set


def parse_assignment(text: str, specs: dict[str, FactSpec]) -> tuple[str, Any]:
    """Read ``path=value`` against the fact catalogue; Dutch answers are accepted."""
    origin = f"--set {text}"
    if "=" not in text:
        raise InputError([Problem(origin, "verwacht pad=waarde / expected path=value",
                                  expected="bijv. / e.g. capacity.sufficient=ja")])
    path, raw = (s.strip() for s in text.split("=", 1))
    if path not in specs:
        for leaf in ("fit", "holds", "effect"):  # the section shorthand: content.values.x=conflicts
            if f"{path}.{leaf}" in specs:
                path = f"{path}.{leaf}"
                break
    spec = specs.get(path)
    if spec is None:
        raise InputError([Problem(origin, f"onbekend feit '{path}' / unknown fact",
                                  suggestion=did_you_mean(path, specs))])
    if spec.kind == "number":
        try:
            return path, (None if _normalise(raw) == UNKNOWN else float(raw.replace(",", ".")))
        except ValueError:
            raise InputError([Problem(origin, f"'{raw}' is geen getal / is not a number", field=path,
                                      expected="een getal / a number")])
    value = _normalise(raw)
    if value not in spec.domain:
        shown = [str(v) for v in spec.domain]
        raise InputError([Problem(origin, f"waarde '{raw}' hoort niet bij dit feit / value outside the fact's domain",
                                  field=path, expected=" | ".join(shown), suggestion=did_you_mean(str(value), shown))])
    return path, value


def apply_to_data(data: dict[str, Any], changes: Iterable[tuple[str, Any]], specs: dict[str, FactSpec]) -> dict[str, Any]:
    """A deep copy of proposal data with facts set (shorthand entries and list facts handled)."""
    out = copy.deepcopy(data)
    for path, value in changes:
        parts = path.split(".")
        parent = _list_parent(parts, specs)
        if parent is not None:
            _set_member(out, parts[:parent], parts[parent], value)
            continue
        node = out
        for i, part in enumerate(parts[:-1]):
            child = node.get(part)
            if not isinstance(child, dict):
                leaf = parts[i + 1] if i + 1 == len(parts) - 1 else None
                # a shorthand entry ('kind_hoort_thuis: supports') becomes a mapping
                child = {leaf: child} if leaf in ("fit", "holds", "effect") and child is not None else {}
                node[part] = child
            node = child
        node[parts[-1]] = value
        amount = node.get("amount_eur") if parts[-1] == "effect" else None
        if isinstance(amount, (int, float)) and amount and (value == "worse") != (amount < 0) \
                and value in ("better", "worse"):
            del node["amount_eur"]  # the stated amount was for the other effect; it says nothing about this one
    return out


def _list_parent(parts: list[str], specs: dict[str, FactSpec]) -> int | None:
    """Index of the member part when the fact is 'is this value in the list' (procurement.segments.1)."""
    if len(parts) < 2:
        return None
    path = ".".join(parts)
    spec = specs.get(path)
    if spec is None or spec.domain != ("yes", "no", UNKNOWN):
        return None
    parent = ".".join(parts[:-1])
    if any(p.startswith(parent + ".") and p.count(".") == path.count(".") for p in specs) and parent not in specs:
        siblings = [p for p in specs if p.startswith(parent + ".") and p.count(".") == path.count(".")]
        if all(s.rsplit(".", 1)[1].isdigit() for s in siblings):
            return len(parts) - 1
    return None


def _set_member(data: dict[str, Any], parents: list[str], member: str, value: Any) -> None:
    node = data
    for part in parents[:-1]:
        node = node.setdefault(part, {}) if isinstance(node.get(part), dict) else node.setdefault(part, {})
        if not isinstance(node, dict):
            return
    key = parents[-1]
    items = node.get(key)
    item: Any = int(member) if member.isdigit() else member
    if value == UNKNOWN:
        node[key] = None
        return
    items = list(items or [])
    if value == "yes" and item not in items:
        items.append(item)
    if value == "no" and item in items:
        items.remove(item)
    node[key] = sorted(items)


# --------------------------------------------------------------------------- wording


def show_value(value: Any, lang: str) -> str:
    if value is None:
        return value_label(UNKNOWN, lang)
    return value_label(value, lang)


def change_text(ruleset: RuleSet, ch: Change, lang: str) -> str:
    """'«question» nee → ja' (with the values that have the same effect)."""
    alike = [v for v in ch.alike if v != ch.new]
    new = show_value(ch.new, lang)
    if alike:
        joiner = " of " if lang == "nl" else " or "
        new = joiner.join([new, *(show_value(v, lang) for v in alike)])
    return f"\u00ab{question_for(ruleset.facts, ch.path, lang)}\u00bb {show_value(ch.old, lang)} \u2192 {new}"


def flip_text(ruleset: RuleSet, flip: Flip, lang: str) -> str:
    """'als «…» nee → ja, dan: Meedoen' in one line per flip."""
    joiner = " en " if lang == "nl" else " and "
    head = "als" if lang == "nl" else "if"
    then = OUTCOME_LABELS[flip.outcome][lang]
    text = f"{head} " + joiner.join(change_text(ruleset, c, lang) for c in flip.changes) + f" \u21d2 {then}"
    if not flip.honest:
        text += " (" + ("ligt vast, bijvoorbeeld in de wet; geen keuze van de indiener" if lang == "nl"
                        else "fixed, for example by law; not the submitter's choice") + ")"
    return text
