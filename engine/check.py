"""Static and exhaustive analysis of a rule set, for the people who maintain the rules.

Static: problems that make a rule set unloadable (duplicate ids, unknown
facts, values outside a fact's domain) become findings, one per rule; then
citations, unused conclusions, rules that can never fire and the validity
period are checked.

Exhaustive: every combination of the decision-relevant facts (unknown
included) is covered. The raw product is far too large to enumerate, so it
is reduced soundly, derived from the parsed conditions, never written by hand:

1. value classes: per fact, values that no condition tells apart form one class;
2. facts no rule reads drop out;
3. only the *reachable combinations of intermediate results* are evaluated.
   The outcome depends on the facts only through the conclusions drawn by
   rules that read facts alone, the fact tests inside rules that read
   conclusions, and the invariant premises (together: the *signature*).
   The reachable signatures are enumerated by splitting the conditions into
   independent fact groups and, within a group, branching on one fact's
   classes and simplifying; each raw combination is counted exactly once.

One witness proposal per signature is evaluated through the command line's
pipeline (:func:`engine.pipeline.search_evaluator`, ``single_outcome``; the
plain-Python engine unless ``--engine`` says otherwise, proven equal to
durable_rules by ``tests/test_engines_equal.py``)
and the engine's conclusions are compared with the predicted signature. For
the fact-variation invariants (monotonicity, unknown) the same enumeration
runs on k copies of the conditions, one per class of the varied fact, so
every (proposal, variation) pair is covered.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from . import conditions as C
from .errors import EngineError, RuleError
from .facts import FactSpec
from .i18n import OUTCOME_RANK
from .invariants import (VARIATION_KINDS, InvariantSet, builtin_invariants, citation_problems, load_invariants, outcome_bound,
                         proposal_data, reasons_cited)
from .proposal import UNKNOWN
from .ruleset import RuleSet, load_ruleset, quote_in_source

REDUCTION = ("waardeklassen per feit, ongelezen feiten weggelaten, alleen bereikbare combinaties van "
             "tussenconclusies (onafhankelijke feitgroepen, vertakken per klasse) / value classes per fact, "
             "unread facts dropped, only reachable combinations of intermediate conclusions (independent fact "
             "groups, branching per class)")


@dataclass
class Finding:
    """One static finding: an error makes ``check`` fail, a warning does not."""

    severity: str  # "error" | "warning"
    message: str
    where: str = ""

    def render(self) -> str:
        label = {"error": "FOUT / ERROR", "warning": "WAARSCHUWING / WARNING"}[self.severity]
        return f"{label}: {self.where + ': ' if self.where else ''}{self.message}"


@dataclass
class Violation:
    """An invariant that does not hold, with a minimal counterexample."""

    invariant: str
    message: str
    facts: dict[str, Any]
    changed: tuple[str, Any, Any] | None = None  # (fact, from, to) for fact-variation invariants
    outcomes: tuple[str, ...] = ()


@dataclass
class Report:
    ruleset: RuleSet | None
    invariants: InvariantSet | None
    findings: list[Finding] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    raw: int = 0
    reduced: int = 0
    seconds: float = 0.0
    outcome_counts: Counter = field(default_factory=Counter)
    raw_outcome_counts: Counter = field(default_factory=Counter)
    never_fired: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)  # invariant id -> number of cases checked
    evaluations: int = 0  # engine evaluations in all
    engines: tuple[str, ...] = ()  # the rule engines compared on every class
    agreed: int = 0  # classes on which both engines gave the same trace
    disagreed: list[dict[str, Any]] = field(default_factory=list)  # facts of the classes on which they did not

    @property
    def failed(self) -> bool:
        return bool(self.violations) or bool(self.disagreed) or any(f.severity == "error" for f in self.findings)


# --- value classes and condition simplification -------------------------------------------------

Label = tuple
System = tuple  # tuple[(label, condition), ...]


def _tests(conds: Iterable[C.Condition]) -> dict[str, set[C.FactTest]]:
    out: dict[str, set[C.FactTest]] = {}
    for cond in conds:
        for leaf in C.leaves(cond):
            if isinstance(leaf, C.FactTest):
                out.setdefault(leaf.path, set()).add(leaf)
    return out


def _candidates(spec: FactSpec, tests: set[C.FactTest]) -> list[Any]:
    if spec.kind == "enum":
        return list(spec.domain)
    bounds = sorted({t.value for t in tests if t.op in C.NUMERIC})
    points: list[Any] = [None]
    for i, b in enumerate(bounds):
        points += [b - 1 if i == 0 else (bounds[i - 1] + b) / 2, b]
    return points + ([bounds[-1] + 1] if bounds else [0])


def value_classes(specs: dict[str, FactSpec], conds: Iterable[C.Condition]) -> dict[str, list[tuple[Any, ...]]]:
    """Per fact read by a condition: its values grouped by the answers every test gives (unknown first)."""
    out = {}
    for path, tests in _tests(conds).items():
        ordered = sorted(tests, key=repr)
        groups: dict[tuple, list[Any]] = {}
        for v in _candidates(specs[path], tests):
            groups.setdefault(tuple(t.holds({path: v}) for t in ordered), []).append(v)
        out[path] = sorted((tuple(g) for g in groups.values()), key=lambda g: (UNKNOWN not in g and None not in g))
    return out


def representative(cls: tuple[Any, ...]) -> Any:
    """The value that stands for a class: unknown when it is in the class (a minimal proposal leaves it out)."""
    for v in (UNKNOWN, None):
        if v in cls:
            return v
    return cls[0]


def substitute(cond: C.Condition, path: str, value: Any) -> C.Condition:
    """``cond`` with fact ``path`` fixed to ``value``, constants folded."""
    if isinstance(cond, C.FactTest):
        return C.Always(cond.holds({path: value})) if cond.path == path else cond
    if isinstance(cond, C.Not):
        inner = substitute(cond.item, path, value)
        return C.Always(not inner.value) if isinstance(inner, C.Always) else C.Not(inner)
    if isinstance(cond, (C.All, C.Any_)):
        conj = isinstance(cond, C.All)
        items = []
        for c in cond.items:
            s = substitute(c, path, value)
            if isinstance(s, C.Always):
                if s.value != conj:
                    return C.Always(not conj)
                continue
            items.append(s)
        if not items:
            return C.Always(conj)
        return items[0] if len(items) == 1 else (C.All(tuple(items)) if conj else C.Any_(tuple(items)))
    return cond


@lru_cache(maxsize=200_000)
def _paths(cond: C.Condition) -> frozenset[str]:
    return frozenset(leaf.path for leaf in C.leaves(cond) if isinstance(leaf, C.FactTest))


# --- reachable signatures ------------------------------------------------------------------------

class Reached:
    """One reachable signature: a witness assignment and how many raw combinations it stands for.

    ``known`` counts the facts the witness knows (fewer: a smaller counterexample). A plain class with
    slots: the enumeration makes hundreds of thousands of these.
    """

    __slots__ = ("witness", "count", "known")

    def __init__(self, witness: dict[str, Any], count: int, known: int = -1):
        self.witness = witness
        self.count = count
        self.known = _known(witness) if known < 0 else known

    def __repr__(self) -> str:
        return f"Reached({self.witness!r}, {self.count})"


class Nodes:
    """Conditions hash-consed into integers, so the enumeration hashes and compares small ints.

    A frozen condition dataclass hashes its whole tree on every lookup; the enumeration looks conditions
    up millions of times. Here every condition is built once, in a canonical form (nested ``all``/``any``
    flattened, items as a set, constants folded, double negation removed), and gets an id; substituting a
    value for a fact is remembered per (id, fact, value). Equal conditions get equal ids, so the memo of
    reachable signatures is shared across every system built from the same rule set.
    """

    def __init__(self) -> None:
        self._ids: dict[tuple, int] = {}
        self.kind: list[str] = []
        self.arg: list[Any] = []
        self.paths: list[frozenset[str]] = []
        self._of: dict[int, tuple[C.Condition, int]] = {}
        self._subst: dict[tuple[int, str, Any], int] = {}
        self.TRUE = self._make("k", True, frozenset())
        self.FALSE = self._make("k", False, frozenset())

    def _make(self, kind: str, arg: Any, paths: frozenset[str] | None = None) -> int:
        key = (kind, arg)
        nid = self._ids.get(key)
        if nid is None:
            nid = self._ids[key] = len(self.kind)
            self.kind.append(kind)
            self.arg.append(arg)
            if paths is None:
                paths = frozenset().union(*(self.paths[c] for c in arg)) if kind in ("all", "any") else frozenset()
            self.paths.append(paths)
        return nid

    def of(self, cond: C.Condition) -> int:
        """The id of a parsed condition (remembered per condition object)."""
        hit = self._of.get(id(cond))
        if hit is not None and hit[0] is cond:
            return hit[1]
        if isinstance(cond, C.FactTest):
            nid = self._make("f", cond, frozenset((cond.path,)))
        elif isinstance(cond, C.ConclusionTest):
            nid = self._make("c", cond.name)
        elif isinstance(cond, C.Always):
            nid = self.TRUE if cond.value else self.FALSE
        elif isinstance(cond, C.Not):
            nid = self.negate(self.of(cond.item))
        else:
            nid = self.junction("all" if isinstance(cond, C.All) else "any", [self.of(c) for c in cond.items])
        self._of[id(cond)] = (cond, nid)  # keeping the condition alive keeps its id unique
        return nid

    def negate(self, nid: int) -> int:
        if nid == self.TRUE or nid == self.FALSE:
            return self.FALSE if nid == self.TRUE else self.TRUE
        if self.kind[nid] == "not":
            return self.arg[nid]
        return self._make("not", nid, self.paths[nid])

    def junction(self, kind: str, items: Iterable[int]) -> int:
        absorbing, identity = (self.FALSE, self.TRUE) if kind == "all" else (self.TRUE, self.FALSE)
        out: set[int] = set()
        for c in items:
            if c == absorbing:
                return absorbing
            if c == identity:
                continue
            if self.kind[c] == kind:
                out.update(self.arg[c])
            else:
                out.add(c)
        if not out:
            return identity
        if len(out) == 1:
            return next(iter(out))
        return self._make(kind, frozenset(out))

    def substitute(self, nid: int, path: str, value: Any) -> int:
        """``nid`` with fact ``path`` fixed to ``value``, constants folded."""
        if path not in self.paths[nid]:
            return nid
        key = (nid, path, value)
        hit = self._subst.get(key)
        if hit is not None:
            return hit
        kind, arg = self.kind[nid], self.arg[nid]
        if kind == "f":
            out = self.TRUE if arg.holds({path: value}) else self.FALSE
        elif kind == "not":
            out = self.negate(self.substitute(arg, path, value))
        else:
            out = self.junction(kind, [self.substitute(c, path, value) for c in arg])
        self._subst[key] = out
        return out


class Enumerator:
    """Enumerates the reachable signatures of a system of (label, condition) pairs, counting raw combinations.

    One enumerator (its interned conditions and its memo) serves every system built from one rule set:
    the main run, each varied fact and each satisfiability question share what they have in common.
    """

    def __init__(self, classes: dict[str, list[tuple[Any, ...]]], sizes: dict[str, int]):
        self.classes = classes
        self.sizes = sizes
        self.nodes = Nodes()
        self.memo: dict[frozenset, dict[frozenset, Reached]] = {}
        self.groups: dict[frozenset, list[tuple]] = {}  # a system's independent parts, for the unremembered products

    def run(self, system: System, scope: Iterable[str]) -> dict[frozenset, Reached]:
        """Signatures over ``scope`` (facts not in the system count with their full domain)."""
        return self.run_interned(tuple((label, self.nodes.of(c)) for label, c in system), scope)

    def run_interned(self, system: tuple[tuple[Label, int], ...], scope: Iterable[str]) -> dict[frozenset, Reached]:
        """:meth:`run` for a system whose conditions are ids of :attr:`nodes`."""
        paths = self.nodes.paths
        result = self._reach(system)
        free = set(scope) - set().union(*(paths[n] for _, n in system)) if system else set(scope)
        factor = math.prod(self.sizes[p] for p in free)
        return {s: Reached(r.witness, r.count * factor, r.known) for s, r in result.items()}

    def _reach(self, system: tuple[tuple[Label, int], ...]) -> dict[frozenset, Reached]:
        true, false, paths = self.nodes.TRUE, self.nodes.FALSE, self.nodes.paths
        forced = frozenset(l for l, n in system if n == true)
        rest = tuple((l, n) for l, n in system if n != true and n != false and l not in forced)
        # Facts read only by entries whose label is already forced no longer matter: count them in full.
        dropped = set().union(*(paths[n] for _, n in system)) - set().union(*(paths[n] for _, n in rest))
        factor = math.prod(self.sizes[p] for p in dropped)
        if not rest:
            return {forced: Reached({}, factor, 0)}
        key = frozenset(rest)
        res = self.memo.get(key)
        if res is None:
            groups = self.groups.get(key)
            if groups is None:
                groups = self.groups[key] = _components(rest, self.nodes.paths)
            if len(groups) > 1:
                # A product of independent parts is not remembered: its parts are, and the product itself
                # (large: every combination) is rarely asked for again. This keeps check's memory small.
                return self._product(groups, forced, factor)
            res = self._branch(rest)
            self.memo[key] = res
        if not forced and factor == 1:
            return res
        out: dict[frozenset, Reached] = {}
        for s, r in res.items():
            _add(out, s | forced, r.witness, r.count * factor, r.known)
        return out

    def _product(self, groups: list[tuple], forced: frozenset, factor: int) -> dict[frozenset, Reached]:
        """The signatures of independent parts combined (every combination), with ``forced`` labels added."""
        acc: dict[frozenset, Reached] = {forced: Reached({}, factor, 0)}
        for group in groups:
            sub = self._reach(group)
            nxt: dict[frozenset, Reached] = {}
            get = nxt.get
            for s1, r1 in acc.items():
                w1, c1, k1 = r1.witness, r1.count, r1.known
                for s2, r2 in sub.items():
                    sig, known = s1 | s2, k1 + r2.known
                    old = get(sig)
                    if old is None:
                        nxt[sig] = Reached({**w1, **r2.witness}, c1 * r2.count, known)
                    else:  # _add, inlined: this is the innermost loop of the check
                        if known < old.known:
                            old.witness, old.known = {**w1, **r2.witness}, known
                        old.count += c1 * r2.count
            acc = nxt
        return acc

    def _branch(self, rest: tuple[tuple[Label, int], ...]) -> dict[frozenset, Reached]:
        """Signatures of one connected part: branch on its most used fact, one branch per value class."""
        nodes = self.nodes
        usage = Counter(p for _, n in rest for p in nodes.paths[n])
        path = max(usage, key=lambda p: (usage[p], p))
        before = set(usage)
        out: dict[frozenset, Reached] = {}
        for cls in self.classes[path]:
            value = representative(cls)
            known = 0 if value in (UNKNOWN, None) else 1
            sub_system = tuple((l, nodes.substitute(n, path, value)) for l, n in rest)
            after = set().union(*(nodes.paths[n] for _, n in sub_system))
            factor = len(cls) * math.prod(self.sizes[p] for p in before - after - {path})
            for s, r in self._reach(sub_system).items():
                _add(out, s, {**r.witness, path: value}, r.count * factor, r.known + known)
        return out


def _known(witness: dict[str, Any]) -> int:
    return sum(1 for v in witness.values() if v not in (UNKNOWN, None))


def _add(out: dict[frozenset, Reached], sig: frozenset, witness: dict[str, Any], count: int, known: int) -> None:
    old = out.get(sig)
    if old is None:
        out[sig] = Reached(witness, count, known)
    else:
        if known < old.known:
            old.witness = witness
            old.known = known
        old.count += count


def _components(system: tuple[tuple[Label, int], ...], node_paths: list[frozenset[str]]) -> list[tuple]:
    """The entries of a system grouped into independent parts (no fact shared between parts).

    Parts come in the order of their first entry, entries in system order (the order decides which of
    equally small witnesses is kept). Set operations on the facts each part reads: no per-fact lookups.
    """
    groups: list[list] = []  # [facts read, indices of the entries]
    for i, (_, n) in enumerate(system):
        ps = node_paths[n]
        into = None
        rest = []
        for g in groups:
            if g[0].isdisjoint(ps):
                rest.append(g)
            elif into is None:
                into = g
                g[0] = g[0] | ps
                g[1].append(i)
            else:  # the entry joins two parts
                into[0] = into[0] | g[0]
                into[1].extend(g[1])
        if into is None:
            rest.append([ps, [i]])
        else:
            rest = [g for g in groups if g is into or g in rest]
        groups = rest
    ordered = sorted((sorted(g[1]) for g in groups), key=lambda idx: idx[0])
    return [tuple(system[i] for i in idx) for idx in ordered]


# --- the signature system of a rule set ----------------------------------------------------------

@dataclass
class Analysis:
    """What the outcome of a rule set depends on, derived from its parsed conditions."""

    system: System
    classes: dict[str, list[tuple[Any, ...]]]
    sizes: dict[str, int]
    relevant: list[str]  # facts any rule or premise reads
    base_only: set[str]  # findings drawn only by rules that read facts alone
    advice_only: list[str]  # rules that read facts alone and draw neither finding nor outcome
    enum: "Enumerator | None" = None  # one enumerator (interned conditions, memo) for every question asked

    def __post_init__(self) -> None:
        if self.enum is None:
            self.enum = Enumerator(self.classes, self.sizes)

    def full_facts(self, specs: dict[str, FactSpec], witness: dict[str, Any]) -> dict[str, Any]:
        return {p: witness.get(p, None if s.kind == "number" else UNKNOWN) for p, s in specs.items()}

    def class_of(self, path: str, value: Any) -> int | None:
        for i, cls in enumerate(self.classes.get(path, [])):
            if value in cls:
                return i
        return None


def fact_parts(cond: C.Condition) -> list[C.Condition]:
    """The largest parts of a condition that read facts only.

    A rule that also reads conclusions depends on the facts only through
    these parts being true or false, so each part is one entry of the
    signature system (not each fact test in it: a test over nine values of a
    section would split the space nine times for nothing).
    """
    if isinstance(cond, C.Always):
        return []
    if not C.conclusion_names(cond):
        return [cond]
    if isinstance(cond, (C.All, C.Any_)):
        return [p for item in cond.items for p in fact_parts(item)]
    if isinstance(cond, C.Not):
        return fact_parts(cond.item)
    return []


def analyse(ruleset: RuleSet, invariants: InvariantSet) -> Analysis:
    entries: list[tuple[Label, C.Condition]] = []
    base, derived_findings, advice_only = set(), set(), []
    read = {name for r in ruleset.rules for name in C.conclusion_names(r.condition)}
    for rule in ruleset.rules:
        cond, then = rule.condition, rule.then
        if then.finding and then.finding not in read and not then.outcome:
            # A conclusion no rule reads cannot change the outcome: the rule only adds to the advice.
            if not C.conclusion_names(cond):
                advice_only.append(rule.id)
            continue
        if not C.conclusion_names(cond):
            if then.finding:
                entries.append((("finding", then.finding), cond))
                base.add(then.finding)
            if then.outcome:
                entries.append((("rule", rule.id), cond))
            if not then.finding and not then.outcome:
                advice_only.append(rule.id)
        else:
            if then.finding:
                derived_findings.add(then.finding)
            if not then.finding and not then.outcome:
                continue  # it draws nothing another rule reads and gives no outcome: it cannot change the outcome
            for part in fact_parts(cond):
                entries.append((("part", part), part))
    for inv in invariants.of_kind("outcome_bound"):
        entries.append((("premise", inv.id), inv.premise))
    every = [r.condition for r in ruleset.rules] + [c for _, c in entries]
    classes = value_classes(ruleset.facts, every)
    specs = ruleset.facts
    sizes = {p: (len(specs[p].domain) if specs[p].kind == "enum" else len(classes[p])) for p in classes}
    relevant = [p for p in specs if p in classes]
    unique = tuple(dict.fromkeys(entries))
    return Analysis(unique, classes, sizes, relevant, base - derived_findings, advice_only)


# --- static checks -------------------------------------------------------------------------------

def static_findings(ruleset: RuleSet, day: dt.date) -> list[Finding]:
    out: list[Finding] = []
    meta = ruleset.meta
    source = ruleset.source_text
    if source is None:
        out.append(Finding("error", f"brondocument ontbreekt / source document missing: {meta.source.path}", "ruleset.yaml"))
    for rule in ruleset.rules:
        where = f"{rule.file}:{rule.line} {rule.id}" if rule.line else f"{rule.file} {rule.id}"
        cite = rule.data.cite
        if cite.file != meta.source.file:
            out.append(Finding("error", f"citeert '{cite.file}', de bron is '{meta.source.file}' / cites another file", where))
        if source is not None and not quote_in_source(cite.quote, source):
            out.append(Finding("error", f"citaat staat niet in de bron / quote not in the source: \u201c{cite.quote}\u201d", where))
        if source is not None and not quote_in_source(cite.section, source):
            out.append(Finding("error", f"sectie staat niet in de bron / section heading not in the source: '{cite.section}'", where))
    read = {n for r in ruleset.rules for n in C.conclusion_names(r.condition)}
    for name, ids in ruleset.producers.items():
        if name not in read:
            out.append(Finding("warning", f"conclusie '{name}' wordt door geen regel gebruikt / conclusion nothing uses "
                                          f"(getrokken door / drawn by {', '.join(ids)})", ruleset.by_id[ids[0]].file))
    return out + validity_findings(meta, day)


def validity_findings(meta: Any, day: dt.date) -> list[Finding]:
    """A warning when ``day`` lies outside the rule set's validity period."""
    if meta.valid_until is not None and day > meta.valid_until:
        return [Finding("warning", f"regelset geldig tot en met {meta.valid_until}, toetsdatum {day} / rule set past "
                                   f"its validity date", "ruleset.yaml")]
    if day < meta.valid_from:
        return [Finding("warning", f"regelset geldt pas vanaf {meta.valid_from}, toetsdatum {day} / rule set not yet "
                                   f"valid", "ruleset.yaml")]
    return []


def never_satisfiable(ruleset: RuleSet, analysis: Analysis) -> list[str]:
    """Rules reading facts alone whose condition no combination of values satisfies."""
    out = []
    for rule in ruleset.rules:
        if C.conclusion_names(rule.condition):
            continue
        if _satisfying(rule.condition, analysis) is None:
            out.append(rule.id)
    return out


def _satisfying(cond: C.Condition, analysis: Analysis) -> dict[str, Any] | None:
    label = ("sat",)
    reached = analysis.enum.run(((label, cond),), _paths(cond))
    for sig, r in reached.items():
        if label in sig:
            return r.witness
    return None


# --- the exhaustive run --------------------------------------------------------------------------

class Judge:
    """Evaluates facts through the command line's engine and remembers what fired."""

    def __init__(self, ruleset: RuleSet):
        from .pipeline import search_evaluator

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
        from .backend import DURABLE, PYTHON, durable_available
        from .pipeline import evaluator_for

        other = DURABLE if self.evaluator.engine == PYTHON else PYTHON
        if other == DURABLE and not durable_available():
            return None
        return evaluator_for(self.ruleset, other)

    def outcome(self, facts: dict[str, Any]) -> str | None:
        """The one outcome, or None when the rule base gives none or several."""
        from .evaluate import single_outcome

        try:
            return single_outcome(self.evaluator, self.trace(facts))
        except EngineError:
            return None

    def outcomes(self, facts: dict[str, Any]) -> list[str]:
        trace = self.trace(facts)
        return [self.ruleset.by_id[i].then.outcome for i in self.evaluator.outcome_rules(trace)]


def _describe(ruleset: RuleSet, facts: dict[str, Any]) -> str:
    known = {p: v for p, v in facts.items() if v not in (UNKNOWN, None)}
    return ", ".join(f"{p}={v}" for p, v in known.items()) or "alles onbekend / everything unknown"


def _minimise(facts: dict[str, Any], keep: set[str], still: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
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


def exhaustive(ruleset: RuleSet, invariants: InvariantSet, report: Report,
               progress: Callable[[str], None] | None = None) -> None:
    """Cover the whole decision space; fill ``report`` with counts and violations."""
    started = time.perf_counter()
    specs = ruleset.facts
    analysis = analyse(ruleset, invariants)
    judge = Judge(ruleset)
    enum = analysis.enum
    reached = enum.run(analysis.system, analysis.relevant)
    report.raw = math.prod(analysis.sizes[p] for p in analysis.relevant)
    assert sum(r.count for r in reached.values()) == report.raw, "telling klopt niet / count mismatch"
    ids = {inv.kind: inv.id for inv in invariants.invariants}
    one_id = ids.get("one_outcome", "one_outcome")
    bounds = invariants.of_kind("outcome_bound")
    outcome_of: dict[frozenset, str | None] = {}
    checked: Counter = Counter()
    other = judge.other_engine()
    report.engines = (judge.evaluator.engine,) + ((other.engine,) if other is not None else ())
    for sig, r in reached.items():
        facts = analysis.full_facts(specs, r.witness)
        trace = judge.trace(facts)
        if other is not None:  # both rule engines on every class: the same rules fire in the same order
            if other.evaluate(facts) == trace:
                report.agreed += 1
            else:
                report.disagreed.append(facts)
        outcomes = [ruleset.by_id[i].then.outcome for i in judge.evaluator.outcome_rules(trace)]
        _verify_signature(ruleset, analysis, sig, trace, facts)
        outcome = outcomes[0] if len(set(outcomes)) == 1 else None
        outcome_of[sig] = outcome
        checked[one_id] += 1
        if outcome is None:
            _report_no_single(report, ruleset, judge, one_id, facts, outcomes)
            continue
        report.outcome_counts[outcome] += 1
        report.raw_outcome_counts[outcome] += r.count
        for inv in bounds:
            if ("premise", inv.id) in sig:
                checked[inv.id] += 1
                if not outcome_bound(outcome, inv.data.at_least, inv.data.at_most):
                    _report_bound(report, ruleset, judge, inv, facts, outcome)
    report.reduced = len(reached)
    if progress:
        progress(f"{len(reached)} signaturen geëvalueerd / signatures evaluated")
    _variations(ruleset, invariants, analysis, enum, judge, outcome_of, report, checked)
    _advice_checks(ruleset, invariants, analysis, reached, judge, report, checked)
    report.never_fired = [r.id for r in ruleset.rules if r.id not in judge.fired]
    report.checked = dict(checked)
    report.evaluations = judge.evaluations
    report.seconds = time.perf_counter() - started


def _verify_signature(ruleset: RuleSet, analysis: Analysis, sig: frozenset, trace, facts: dict[str, Any]) -> None:
    """The engine must draw exactly the conclusions the analysis predicted; otherwise the reduction is unsound."""
    for name in analysis.base_only:
        if (name in trace.conclusions) != (("finding", name) in sig):
            raise EngineError(f"analyse en regelmachine verschillen over conclusie '{name}' / analysis and engine "
                              f"disagree ({_describe(ruleset, facts)})")
    for label in sig:
        if label[0] == "rule" and label[1] not in trace.fired:
            raise EngineError(f"analyse en regelmachine verschillen over regel {label[1]} / analysis and engine disagree")


def _report_no_single(report: Report, ruleset: RuleSet, judge: Judge, inv_id: str, facts: dict[str, Any],
                      outcomes: list[str]) -> None:
    small = _minimise(facts, set(), lambda f: len(set(judge.outcomes(f))) != 1)
    found = judge.outcomes(small)
    fired = [i for i in judge.evaluator.outcome_rules(judge.trace(small))]
    what = (f"{len(set(found))} uitkomsten / outcomes ({', '.join(fired)})" if fired
            else "geen uitkomst / no outcome")
    report.violations.append(Violation(inv_id, what, small, outcomes=tuple(found)))


def _report_bound(report: Report, ruleset: RuleSet, judge: Judge, inv, facts: dict[str, Any], outcome: str) -> None:
    def still(f: dict[str, Any]) -> bool:
        o = judge.outcome(f)
        return o is not None and C.evaluate(inv.premise, f, frozenset()) and \
            not outcome_bound(o, inv.data.at_least, inv.data.at_most)
    small = _minimise(facts, set(), still)
    got = judge.outcome(small) or outcome
    bound = " en ".join(x for x in (f"ten minste / at least {inv.data.at_least}" if inv.data.at_least else "",
                                    f"hooguit / at most {inv.data.at_most}" if inv.data.at_most else "") if x)
    report.violations.append(Violation(inv.id, f"uitkomst / outcome {got}, verwacht / expected {bound}", small,
                                       outcomes=(got,)))


def _variations(ruleset: RuleSet, invariants: InvariantSet, analysis: Analysis, enum: Enumerator, judge: Judge,
                outcome_of: dict[frozenset, str | None], report: Report, checked: Counter) -> None:
    """Monotonicity and unknown: vary one fact over all its classes, for every reachable rest."""
    specs = ruleset.facts
    kinds = {inv.id for inv in invariants.invariants if inv.kind in VARIATION_KINDS}
    if not kinds:
        return
    reported: set[tuple] = set()
    read = set().union(*(_paths(c) for _, c in analysis.system))
    for path, order in invariants.orders.items():
        classes = analysis.classes.get(path)
        if not classes or len(classes) < 2:
            continue
        if path not in read:  # no rule that draws a conclusion or an outcome reads it: it cannot change the outcome
            continue
        values = [representative(c) for c in classes]
        # One copy of the system per class of the varied fact; an entry that does not read the fact is the
        # same in every copy and stays one entry (its plain label), so the copies share the enumerator's memo.
        nodes = enum.nodes
        system: list[tuple[Label, int]] = []
        for label, cond in analysis.system:
            nid = nodes.of(cond)
            if path in nodes.paths[nid]:
                system.extend((("var", i, label), nodes.substitute(nid, path, v)) for i, v in enumerate(values))
            else:
                system.append((label, nid))
        # The entries that read the fact (its copies) and every entry sharing a fact with them, apart from the
        # rest: the two sides are independent, so every reachable combination is one signature of each side.
        paths = nodes.paths
        near = {path}
        near_entries = [e for e in system if e[0][0] == "var"]
        for _, n in near_entries:
            near |= paths[n]
        grown = True
        others = [e for e in system if e[0][0] != "var"]
        while grown:
            grown = False
            keep = []
            for e in others:
                if paths[e[1]] & near:
                    near |= paths[e[1]]
                    near_entries.append(e)
                    grown = True
                else:
                    keep.append(e)
            others = keep
        k = len(values)
        near_sigs = []  # per signature of the near side: its labels per class, and its witness
        for sig, r in enum.run_interned(tuple(near_entries), ()).items():
            common: list = []
            varied: list[list] = [[] for _ in range(k)]
            for label in sig:
                if label[0] == "var":
                    varied[label[1]].append(label[2])
                else:
                    common.append(label)
            near_sigs.append((tuple(frozenset(common + v) for v in varied), r))
        far_sigs = list(enum.run_interned(tuple(others), ()).items())
        # Several signatures can stand for one combination of per-class signatures (a label drawn both by an
        # entry that reads the fact and by one that does not): each combination is checked once.
        combos: dict[tuple[frozenset, ...], tuple[Reached, Reached]] = {}
        for far, rf in far_sigs:
            for near_parts, rn in near_sigs:
                parts = tuple(far | part for part in near_parts)
                old = combos.get(parts)
                if old is None or rf.known + rn.known < old[0].known + old[1].known:
                    combos[parts] = (rf, rn)
        class_of = [(v, analysis.class_of(path, v)) for v in specs[path].domain]
        problems_of: dict[tuple, list] = {}  # per vector of outcomes (one per class): what the invariants say
        for parts, (rf, rn) in combos.items():
            per_class = []
            for i, part in enumerate(parts):
                if part not in outcome_of:
                    witness = {**rf.witness, **rn.witness, path: values[i]}
                    outcome_of[part] = judge.outcome(analysis.full_facts(specs, witness))
                per_class.append(outcome_of[part])
            if any(o is None for o in per_class):
                continue  # already reported as a one-outcome violation
            for inv_id in kinds:
                checked[inv_id] += 1
            witness = {**rf.witness, **rn.witness}
            covered = invariants.covered(path, witness)  # other judgements may cover an unknown of this fact
            vector = (tuple(per_class), covered)
            problems = problems_of.get(vector)
            if problems is None:
                outcomes = {v: per_class[c] for v, c in class_of if c is not None}
                problems = problems_of[vector] = invariants.variation_problems(path, outcomes, witness)
            for inv_id, a, b in problems:
                key = (inv_id, path, analysis.class_of(path, a), analysis.class_of(path, b))
                if key in reported:
                    continue
                reported.add(key)
                _report_variation(report, ruleset, invariants, judge, inv_id, path, a, b,
                                  analysis.full_facts(specs, witness))


def _report_variation(report: Report, ruleset: RuleSet, invariants: InvariantSet, judge: Judge, inv_id: str,
                      path: str, a: Any, b: Any, facts: dict[str, Any]) -> None:
    def outcomes_for(f: dict[str, Any]) -> dict[Any, str] | None:
        got = {}
        for v in ruleset.facts[path].domain:
            o = judge.outcome({**f, path: v})
            if o is None:
                return None
            got[v] = o
        return got

    def still(f: dict[str, Any]) -> bool:
        got = outcomes_for(f)
        return got is not None and (inv_id, a, b) in invariants.variation_problems(path, got, f)

    small = _minimise({**facts, path: a}, {path}, still)
    oa, ob = judge.outcome({**small, path: a}), judge.outcome({**small, path: b})
    report.violations.append(Violation(
        inv_id, f"{path}: {a} → {b} geeft / gives {oa} → {ob}", {**small, path: a}, changed=(path, a, b),
        outcomes=(oa or "?", ob or "?")))


def _advice_checks(ruleset: RuleSet, invariants: InvariantSet, analysis: Analysis, reached: dict[frozenset, Reached],
                   judge: Judge, report: Report, checked: Counter) -> None:
    """Reasons and determinism on the advice: one witness per signature, plus one per advice-only rule."""
    from .pipeline import advise_data

    reasons_id = next((i.id for i in invariants.invariants if i.kind == "reasons_cited"), None)
    det_id = next((i.id for i in invariants.invariants if i.kind == "deterministic"), None)
    witnesses = [r.witness for r in reached.values()]
    for rule in ruleset.rules:  # rules that share a finding with another need a witness of their own
        rid = rule.id
        if rid not in judge.fired and not C.conclusion_names(rule.condition):
            w = _satisfying(ruleset.by_id[rid].condition, analysis)
            if w is not None:
                witnesses.append(w)
    day = dt.date(2000, 1, 1)
    engine = judge.evaluator.engine
    renderings: dict[int, str] = {}
    for n, w in enumerate(witnesses):
        facts = analysis.full_facts(ruleset.facts, w)
        if judge.outcome(facts) is None:
            continue
        data = proposal_data(ruleset, facts)
        sampled = bool(det_id) and n % max(1, len(witnesses) // 200) == 0
        advice = advise_data(ruleset, data, day=day, engine=engine, answers=sampled)
        judge.fired.update(u.rule for u in advice.trace)
        if reasons_id:
            checked[reasons_id] += 1
            problems = reasons_cited(advice, ruleset)
            if problems:
                report.violations.append(Violation(reasons_id, "; ".join(problems), facts, outcomes=(advice.outcome,)))
        if sampled:
            renderings[n] = advice.model_dump_json()
    if det_id and renderings:
        # Same proposals again, in reverse order. (In another process: tests/test_invariants.py; a process
        # started here would cost more than the whole rest of the check.)
        order = sorted(renderings, reverse=True)
        again = {n: advise_data(ruleset, proposal_data(ruleset, analysis.full_facts(ruleset.facts, witnesses[n])),
                                day=day, engine=engine).model_dump_json() for n in order}
        for n in order:
            checked[det_id] += 1
            same = {renderings[n], again[n]}
            if len(same) != 1:
                report.violations.append(Violation(det_id, "ander advies bij herhaling / different advice on repetition",
                                                   analysis.full_facts(ruleset.facts, witnesses[n])))


def _fresh_worker(folder: str, items: list[dict[str, Any]], day_iso: str) -> list[str]:
    from .pipeline import advise_data

    ruleset = load_ruleset(folder)
    day = dt.date.fromisoformat(day_iso)
    return [advise_data(ruleset, d, day=day).model_dump_json() for d in items]


def _in_fresh_process(folder: Path, items: list[dict[str, Any]], day: dt.date) -> list[str] | None:
    """The advice on ``items`` computed by a new process (which builds its own evaluator)."""
    import multiprocessing

    try:
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(1) as pool:
            return pool.apply(_fresh_worker, (str(folder), items, day.isoformat()))
    except (OSError, RuntimeError):  # no processes available: the in-process repetition still runs
        return None


# --- the whole check -----------------------------------------------------------------------------

def check_folder(folder: str | Path, day: dt.date, *, exhaustive_run: bool = True,
                 progress: Callable[[str], None] | None = None) -> Report:
    """Static and exhaustive analysis of one rule set folder."""
    try:
        ruleset = load_ruleset(folder)
    except RuleError as exc:
        report = Report(None, None)
        report.findings = [Finding("error", p.render()) for p in exc.problems] + _head_findings(Path(folder), day)
        return report
    return check_ruleset(ruleset, day, exhaustive_run=exhaustive_run, progress=progress)


def _head_findings(folder: Path, day: dt.date) -> list[Finding]:
    """The validity warning of a rule set whose rules do not load, if its ``ruleset.yaml`` does."""
    from pydantic import ValidationError

    from .errors import InputError
    from .ruleset import RuleSetMeta
    from .yamlio import load_document

    try:
        meta = RuleSetMeta.model_validate(load_document(folder / "ruleset.yaml", what="regelset-bestand").data)
    except (InputError, RuleError, ValidationError):  # its problems are already among the findings
        return []
    return validity_findings(meta, day)


def check_ruleset(ruleset: RuleSet, day: dt.date, *, exhaustive_run: bool = True,
                  progress: Callable[[str], None] | None = None) -> Report:
    report = Report(ruleset, None)
    report.findings = static_findings(ruleset, day)
    from .coverage import review_findings  # paragraphs of the decision chapters not yet reviewed

    report.findings += review_findings(ruleset)
    try:
        invariants = load_invariants(ruleset)
    except RuleError as exc:
        report.findings += [Finding("error", p.render()) for p in exc.problems]
        return report
    report.invariants = invariants
    if invariants.file is None:
        report.findings.append(Finding("warning", "geen invariants.yaml: alleen de vaste invarianten / no invariants.yaml: "
                                                  "built-in invariants only", str(ruleset.folder)))
        invariants.invariants = builtin_invariants()
    report.findings += [Finding("error", m, invariants.file or "") for m in citation_problems(invariants, ruleset)]
    analysis = analyse(ruleset, invariants)
    for rid in never_satisfiable(ruleset, analysis):
        r = ruleset.by_id[rid]
        report.findings.append(Finding("error", "voorwaarde kan nooit gelden: de regel vuurt nooit / condition can never "
                                                "hold: the rule never fires", f"{r.file}:{r.line} {rid}"))
    uncovered = [p for p in analysis.relevant if p not in invariants.orders and p not in invariants.descriptive
                 and ruleset.facts[p].decision]
    if uncovered and invariants.file:
        report.findings.append(Finding("warning", "feiten zonder gunstige richting (favourability) en niet 'descriptive' / "
                                                  "facts without favourability order: " + ", ".join(uncovered),
                                       invariants.file))
    if exhaustive_run:
        exhaustive(ruleset, invariants, report, progress)
    return report
