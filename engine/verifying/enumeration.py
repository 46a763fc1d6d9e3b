"""The decision space of a rule set, reduced soundly so that every combination is covered.

Every combination of the decision-relevant facts (unknown included) is
covered. The raw product is far too large to enumerate, so it is reduced
soundly, derived from the parsed conditions, never written by hand:

1. value classes: per fact, values that no condition tells apart form one class;
2. facts no rule reads drop out;
3. only the *reachable combinations of intermediate results* are evaluated.
   The outcome depends on the facts only through the conclusions drawn by
   rules that read facts alone, the fact tests inside rules that read
   conclusions, and the invariant premises (together: the *signature*).
   The reachable signatures are enumerated by splitting the conditions into
   independent fact groups and, within a group, branching on one fact's
   classes and simplifying; each raw combination is counted exactly once.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Any, Iterable

from engine.rulebase import conditions as C
from engine.reading.facts import FactSpec
from engine.rulebase.invariants import InvariantSet
from engine.reading.proposal import UNKNOWN
from engine.rulebase.ruleset import RuleSet


REDUCTION = ("waardeklassen per feit, ongelezen feiten weggelaten, alleen bereikbare combinaties van "
             "tussenconclusies (onafhankelijke feitgroepen, vertakken per klasse) / value classes per fact, "
             "unread facts dropped, only reachable combinations of intermediate conclusions (independent fact "
             "groups, branching per class)")


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
def paths_of(cond: C.Condition) -> frozenset[str]:
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
    Inside, a label is one bit and a signature the or of its labels' bits: the products of independent parts
    or and hash integers, not sets of label tuples. :meth:`run` gives the signatures as sets of labels.
    """

    def __init__(self, classes: dict[str, list[tuple[Any, ...]]], sizes: dict[str, int]):
        self.classes = classes
        self.sizes = sizes
        self.nodes = Nodes()
        self.bits: dict[Label, int] = {}  # label -> its bit (a power of two)
        self.labels: list[Label | None] = []  # bit position -> label (None: a position reserved for copies)
        self.memo: dict[frozenset, dict[int, list]] = {}
        self.groups: dict[frozenset, list[tuple]] = {}  # a system's independent parts, for the unremembered products

    def bit(self, label: Label) -> int:
        """The bit of a label (a new label gets the next free position)."""
        b = self.bits.get(label)
        if b is None:
            b = self.bits[label] = 1 << len(self.labels)
            self.labels.append(label)
        return b

    def reserve(self, n: int) -> int:
        """The first of ``n`` fresh bit positions that no label gets: for copies of labels laid out by the caller."""
        start = len(self.labels)
        self.labels.extend([None] * n)
        return start

    def intern(self, system: System) -> tuple[tuple[int, int], ...]:
        """A system as (bit of its label, id of its condition) pairs."""
        of = self.nodes.of
        return tuple((self.bit(label), of(c)) for label, c in system)

    def labels_of(self, mask: int) -> frozenset:
        """The labels whose bits are set in ``mask``."""
        out = []
        while mask:
            low = mask & -mask
            out.append(self.labels[low.bit_length() - 1])
            mask ^= low
        return frozenset(out)

    def run(self, system: System, scope: Iterable[str]) -> dict[frozenset, Reached]:
        """Signatures over ``scope`` (facts not in the system count with their full domain)."""
        return {self.labels_of(m): r for m, r in self.run_interned(self.intern(system), scope).items()}

    def run_interned(self, system: tuple[tuple[int, int], ...], scope: Iterable[str]) -> dict[int, Reached]:
        """:meth:`run` for an interned system (:meth:`intern`), signatures as masks."""
        paths = self.nodes.paths
        result = self._reach(system)
        free = set(scope) - set().union(*(paths[n] for _, n in system)) if system else set(scope)
        factor = math.prod(self.sizes[p] for p in free)
        return {s: Reached(w, c * factor, k) for s, (w, c, k) in result.items()}

    # Inside, a reached signature is a list [witness, count, known] (see Reached): hundreds of thousands are made,
    # and a list is built and updated without a call. Witness dicts are never changed once made, so they are shared.

    def _reach(self, system: tuple[tuple[int, int], ...]) -> dict[int, list]:
        true, false, paths = self.nodes.TRUE, self.nodes.FALSE, self.nodes.paths
        forced = 0
        for b, n in system:
            if n == true:
                forced |= b
        rest = tuple((b, n) for b, n in system if n != true and n != false and not b & forced)
        # Facts read only by entries whose label is already forced no longer matter: count them in full.
        dropped = set().union(*(paths[n] for _, n in system)) - set().union(*(paths[n] for _, n in rest))
        factor = math.prod(self.sizes[p] for p in dropped)
        if not rest:
            return {forced: [{}, factor, 0]}
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
        out: dict[int, list] = {}
        for s, (w, c, k) in res.items():
            _add(out, s | forced, w, c * factor, k)
        return out

    def _product(self, groups: list[tuple], forced: int, factor: int) -> dict[int, list]:
        """The signatures of independent parts combined (every combination), with ``forced`` labels added."""
        acc: dict[int, list] = {forced: [{}, factor, 0]}
        for group in groups:
            sub = self._reach(group)
            nxt: dict[int, list] = {}
            get = nxt.get
            for s1, (w1, c1, k1) in acc.items():
                for s2, (w2, c2, k2) in sub.items():
                    sig, known = s1 | s2, k1 + k2
                    old = get(sig)
                    if old is None:
                        nxt[sig] = [{**w1, **w2} if w1 else w2, c1 * c2, known]
                    else:  # _add, inlined: this is the innermost loop of the check
                        if known < old[2]:
                            old[0], old[2] = {**w1, **w2} if w1 else w2, known
                        old[1] += c1 * c2
            acc = nxt
        return acc

    def _branch(self, rest: tuple[tuple[int, int], ...]) -> dict[int, list]:
        """Signatures of one connected part: branch on its most used fact, one branch per value class."""
        nodes = self.nodes
        usage = Counter(p for _, n in rest for p in nodes.paths[n])
        path = max(usage, key=lambda p: (usage[p], p))
        before = set(usage)
        out: dict[int, list] = {}
        get = out.get
        for cls in self.classes[path]:
            value = representative(cls)
            known = 0 if value in (UNKNOWN, None) else 1
            sub_system = tuple((b, nodes.substitute(n, path, value)) for b, n in rest)
            after = set().union(*(nodes.paths[n] for _, n in sub_system))
            factor = len(cls) * math.prod(self.sizes[p] for p in before - after - {path})
            for s, (w, c, k) in self._reach(sub_system).items():
                old = get(s)  # _add, inlined; the witness is only built when it is kept
                if old is None:
                    out[s] = [{**w, path: value}, c * factor, k + known]
                else:
                    if k + known < old[2]:
                        old[0], old[2] = {**w, path: value}, k + known
                    old[1] += c * factor
        return out


def _known(witness: dict[str, Any]) -> int:
    return sum(1 for v in witness.values() if v not in (UNKNOWN, None))


def _add(out: dict[int, list], sig: int, witness: dict[str, Any], count: int, known: int) -> None:
    old = out.get(sig)
    if old is None:
        out[sig] = [witness, count, known]
    else:
        if known < old[2]:
            old[0] = witness
            old[2] = known
        old[1] += count


def _components(system: tuple[tuple[int, int], ...], node_paths: list[frozenset[str]]) -> list[tuple]:
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
    _unknowns: "tuple[dict, dict[str, Any]] | None" = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.enum is None:
            self.enum = Enumerator(self.classes, self.sizes)

    def full_facts(self, specs: dict[str, FactSpec], witness: dict[str, Any]) -> dict[str, Any]:
        """Every fact of ``specs`` (in their order): the witness's value, else unknown (None for a number).

        Asked once per class and more: the all-unknown facts are built once and copied, the witness written over.
        """
        if self._unknowns is None or self._unknowns[0] is not specs:
            self._unknowns = (specs, {p: None if s.kind == "number" else UNKNOWN for p, s in specs.items()})
        facts = dict(self._unknowns[1])
        facts.update(witness)
        if len(facts) != len(specs):  # a witness fact outside specs: leave it out
            return {p: witness.get(p, None if s.kind == "number" else UNKNOWN) for p, s in specs.items()}
        return facts

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
    part_numbers: dict[C.Condition, int] = {}
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
                # labelled by number: a label is hashed at every step of the enumeration, a condition tree is not
                entries.append((("part", part_numbers.setdefault(part, len(part_numbers))), part))
    for inv in invariants.of_kind("outcome_bound"):
        entries.append((("premise", inv.id), inv.premise))
    every = [r.condition for r in ruleset.rules] + [c for _, c in entries]
    classes = value_classes(ruleset.facts, every)
    specs = ruleset.facts
    sizes = {p: (len(specs[p].domain) if specs[p].kind == "enum" else len(classes[p])) for p in classes}
    relevant = [p for p in specs if p in classes]
    unique = tuple(dict.fromkeys(entries))
    return Analysis(unique, classes, sizes, relevant, base - derived_findings, advice_only)


def satisfying(cond: C.Condition, analysis: Analysis) -> dict[str, Any] | None:
    enum = analysis.enum
    bit = enum.bit(("sat",))
    reached = enum.run_interned(((bit, enum.nodes.of(cond)),), paths_of(cond))
    for sig, r in reached.items():
        if sig & bit:
            return r.witness
    return None
