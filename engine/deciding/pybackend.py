"""The second rule engine: the same compiled rule definitions, matched in plain Python.

durable_rules is the engine of record, but it does not import on Python 3.13
or later and each evaluation pays for its C calls and a JSON encoding of the
fact. This backend takes the very definitions :mod:`engine.deciding.compiler` makes for
durable_rules and turns each into a small tree of Python functions once (no
``eval``, no generated source), so both engines read one compiled form and
cannot drift apart in what a condition means. Its interface is
:class:`engine.deciding.backend.CompiledRuleset`'s: ``run(stages, fact_for)`` gives
the fired rule ids per stage.

Matching follows durable_rules where facts can differ from the ideal: a test
on an attribute the fact does not have never matches (also ``$neq``), except
``$nex``; a string that reads as a number compares with a number as that
number. The equality of both engines is proven by ``tests/test_engines_equal.py``
over the whole reduced decision space of every installed rule set.
"""

from __future__ import annotations

import operator
from typing import Any, Callable, Iterable

Test = Callable[[dict[str, Any]], bool]

NAME = "python"
_MISSING = object()
_STAGE = "stage"


class PatternError(ValueError):
    """A rule definition this backend does not know how to match (a compiler change not followed here)."""


def _number(value: Any) -> Any:
    """A value as durable_rules compares it with a number: numbers as they are, numeric strings as numbers."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return _MISSING
    return _MISSING


Source = Callable[[str], Any]  # attribute -> ("fact", path) or ("conclusion", name) or None


def _getter(attr: str, source: Source | None) -> Callable[[Any], Any]:
    """How a test reads an attribute: from an engine fact (a dict), or, with ``source``, straight from the
    decision facts and the conclusions drawn so far (``(facts, drawn)``), without building an engine fact."""
    where = source(attr) if source is not None else None
    if where is None:
        if source is not None:
            return lambda ctx: _MISSING  # an attribute no engine fact would carry
        return lambda fact: fact.get(attr, _MISSING)
    kind, key = where
    if kind == "conclusion":
        return lambda ctx: "yes" if key in ctx[1] else "no"

    def get(ctx: Any) -> Any:
        value = ctx[0].get(key)
        return _MISSING if value is None else value  # unknown numbers are left out of an engine fact
    return get


def _equal(attr: str, want: Any, source: Source | None = None) -> Test:
    where = source(attr) if source is not None else None
    if where is not None and where[0] == "conclusion" and want in ("yes", "no"):
        name = where[1]
        return (lambda ctx: name in ctx[1]) if want == "yes" else (lambda ctx: name not in ctx[1])
    if where is not None and isinstance(want, str) and _number(want) is _MISSING:
        path = where[1]
        return lambda ctx: ctx[0].get(path) == want  # None (left out) never equals a text
    read = _getter(attr, source)
    if isinstance(want, str):  # the common case (enum values, 'yes'/'no'): a plain comparison
        numeric = _number(want)
        if numeric is _MISSING and source is None:  # no number equals this text: only the same text does
            return lambda fact: fact.get(attr, _MISSING) == want

        def test(fact: dict[str, Any]) -> bool:
            got = read(fact)
            if got.__class__ is str or got is _MISSING:
                return got == want
            return numeric is not _MISSING and _number(got) == numeric
        return test

    def test_any(fact: dict[str, Any]) -> bool:
        got = read(fact)
        if got is _MISSING:
            return False
        if got.__class__ is want.__class__ or isinstance(got, str) == isinstance(want, str):
            return got == want
        a, b = _number(got), _number(want)
        return a is not _MISSING and b is not _MISSING and a == b
    return test_any


def _not_equal(attr: str, want: Any, source: Source | None = None) -> Test:
    equal = _equal(attr, want, source)
    if source is None:
        return lambda fact: attr in fact and not equal(fact)
    read = _getter(attr, source)
    return lambda ctx: read(ctx) is not _MISSING and not equal(ctx)


def _compare(attr: str, op: str, bound: Any, source: Source | None = None) -> Test:
    limit = _number(bound)
    if limit is _MISSING:
        raise PatternError(f"{op} met een waarde die geen getal is / with a value that is not a number: {bound!r}")
    check = {"$gt": operator.gt, "$gte": operator.ge, "$lt": operator.lt, "$lte": operator.le}[op]

    read = _getter(attr, source)

    def test(fact: dict[str, Any]) -> bool:
        got = read(fact)
        if got is _MISSING:
            return False
        value = _number(got)
        return value is not _MISSING and check(value, limit)
    return test


def _all(parts: tuple[Test, ...]) -> Test:
    if len(parts) == 1:
        return parts[0]

    def test(fact: dict[str, Any]) -> bool:
        for part in parts:
            if not part(fact):
                return False
        return True
    return test


def _any(parts: tuple[Test, ...]) -> Test:
    if len(parts) == 1:
        return parts[0]

    def test(fact: dict[str, Any]) -> bool:
        for part in parts:
            if part(fact):
                return True
        return False
    return test


def _one(mapping: Any) -> tuple[str, Any]:
    if not isinstance(mapping, dict) or len(mapping) != 1:
        raise PatternError(f"één eigenschap verwacht / one attribute expected: {mapping!r}")
    return next(iter(mapping.items()))


def compile_pattern(node: Any, source: Source | None = None) -> Test:
    """One durable_rules pattern (the value of ``m``) as a test on a fact (with ``source``: on
    ``(facts, drawn)``, see :func:`_getter`)."""
    if not isinstance(node, dict) or len(node) != 1:
        raise PatternError(f"onbekend patroon / unknown pattern: {node!r}")
    key, value = next(iter(node.items()))
    if key == "$and":
        return _all(tuple(compile_pattern(p, source) for p in value))
    if key == "$or":
        return _any(tuple(compile_pattern(p, source) for p in value))
    if key == "$neq":
        attr, want = _one(value)
        return _not_equal(attr, want, source)
    if key in ("$gt", "$gte", "$lt", "$lte"):
        attr, bound = _one(value)
        return _compare(attr, key, bound, source)
    if key in ("$ex", "$nex"):
        attr, _ = _one(value)
        if source is None:
            return (lambda fact: attr in fact) if key == "$ex" else (lambda fact: attr not in fact)
        read = _getter(attr, source)
        return ((lambda ctx: read(ctx) is not _MISSING) if key == "$ex"
                else (lambda ctx: read(ctx) is _MISSING))
    if key.startswith("$"):
        raise PatternError(f"onbekende operator / unknown operator: {key}")
    return _equal(key, value, source)


def _split_stage(body: Any) -> tuple[int | None, Any]:
    """The stage a rule belongs to (``{"stage": n}`` at the top of its pattern) and the rest of the pattern."""
    if isinstance(body, dict) and list(body) == [_STAGE] and isinstance(body[_STAGE], int):
        return body[_STAGE], None
    if isinstance(body, dict) and list(body) == ["$and"]:
        items = list(body["$and"])
        for i, item in enumerate(items):
            if isinstance(item, dict) and list(item) == [_STAGE] and isinstance(item[_STAGE], int):
                rest = items[:i] + items[i + 1:]
                return item[_STAGE], (None if not rest else rest[0] if len(rest) == 1 else {"$and": rest})
    return None, body


def _attributes(node: Any) -> set[str]:
    """The attributes a pattern tests (operators left out)."""
    out: set[str] = set()
    todo = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, list):
            todo.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key in ("$and", "$or"):
                    todo.append(value)
                elif key.startswith("$"):
                    out.update(value if isinstance(value, dict) else ())
                else:
                    out.add(key)
    return out


class PythonRuleset:
    """Rule definitions matched in Python; the same use as :class:`engine.deciding.backend.CompiledRuleset`."""

    engine = NAME

    def __init__(self, label: str, definitions: dict[str, dict[str, Any]], source: Source | None = None):
        self.name = label
        self.rule_ids = list(definitions)
        self._by_stage: dict[int, list[tuple[str, Any]]] = {}  # per stage: (rule id, pattern, later its test)
        self._compiled = False
        self._direct: dict[int, list[tuple[str, Test | None]]] | None = {} if source is not None else None
        self._any_stage: list[tuple[str, Test]] = []
        self._source = source
        self._direct_rest: dict[int, list[tuple[str, Any]]] = {}
        self._reader_maps: tuple[dict[str, list[str]], dict[str, list[str]]] | None = None
        for rid, definition in definitions.items():
            patterns = definition.get("all") if isinstance(definition, dict) else None
            if not isinstance(patterns, list) or len(patterns) != 1 or list(patterns[0]) != ["m"]:
                raise PatternError(f"regel {rid}: één patroon 'm' verwacht / one pattern 'm' expected")
            stage, rest = _split_stage(patterns[0]["m"])
            if stage is None:
                self._any_stage.append((rid, compile_pattern(patterns[0]["m"])))
                self._direct = None  # a rule for every stage reads the stage itself: no direct way
            else:
                self._by_stage.setdefault(stage, []).append((rid, rest))  # compiled when run() is first used
                if self._direct is not None:
                    self._direct.setdefault(stage, []).append((rid, None if rest is None else
                                                               compile_pattern(rest, source)))
                    self._direct_rest.setdefault(stage, []).append((rid, rest))

    @property
    def direct(self) -> bool:
        """Whether :meth:`run_direct` can be used (the rules were compiled with a ``source``)."""
        return self._direct is not None

    def run_direct(self, stages: Iterable[int], facts: dict[str, Any], finding: dict[str, str]
                   ) -> tuple[list[list[str]], set[str]]:
        """:meth:`run` without engine facts: each stage's tests read the decision facts and the conclusions
        drawn in the stages before (``finding``: rule id -> the conclusion it draws). Returns the fired rule
        ids per stage and every conclusion drawn."""
        assert self._direct is not None
        drawn: set[str] = set()
        ctx = (facts, drawn)
        out: list[list[str]] = []
        for stage in stages:
            fired = [rid for rid, test in self._direct.get(stage, ()) if test is None or test(ctx)]
            out.append(fired)
            for rid in fired:
                name = finding.get(rid)
                if name:
                    drawn.add(name)
        return out, drawn

    def _readers(self) -> tuple[dict[str, list[tuple[int, str]]], dict[str, list[tuple[int, str]]]]:
        """Per fact path and per conclusion: the direct rules whose tests read it, as (stage, rule id) (worked
        out when first asked)."""
        if self._reader_maps is None:
            facts: dict[str, list[tuple[int, str]]] = {}
            conclusions: dict[str, list[tuple[int, str]]] = {}
            for stage, rules in self._direct_rest.items():
                for rid, rest in rules:
                    for attr in _attributes(rest):
                        where = self._source(attr) if self._source is not None else None
                        if where is not None:
                            (facts if where[0] == "fact" else conclusions).setdefault(where[1], []).append(
                                (stage, rid))
            self._reader_maps = (facts, conclusions)
        return self._reader_maps

    def rerun_direct(self, stages: list[int], facts: dict[str, Any], finding: dict[str, str],
                     base: list[list[str]], changed: Iterable[str]) -> list[list[str]]:
        """:meth:`run_direct` for ``facts`` that differ from those of an earlier run (``base``: its fired rule
        ids per stage) only in the fact paths ``changed``. Only the rules that read a changed fact, or a
        conclusion whose drawing changed, are tried again; every other rule fires as it did in ``base``."""
        assert self._direct is not None
        by_fact, by_conclusion = self._readers()
        dirty: dict[int, set[str]] = {}  # per stage: the rules to try again
        for path in changed:
            for stage, rid in by_fact.get(path, ()):
                dirty.setdefault(stage, set()).add(rid)
        drawn: set[str] = set()
        before: set[str] = set()  # what the base run had drawn at the same point
        ctx = (facts, drawn)
        out: list[list[str]] = []
        for i, stage in enumerate(stages):
            old = base[i]
            again = dirty.get(stage)
            if again:
                was = set(old)
                fired = [rid for rid, test in self._direct.get(stage, ())
                         if ((test is None or test(ctx)) if rid in again else rid in was)]
            else:
                fired = old
            out.append(fired)
            for rid in fired:
                name = finding.get(rid)
                if name:
                    drawn.add(name)
            for rid in old:
                name = finding.get(rid)
                if name:
                    before.add(name)
            if drawn != before:
                for name in drawn.symmetric_difference(before):
                    for later, rid in by_conclusion.get(name, ()):
                        dirty.setdefault(later, set()).add(rid)
        return out

    def run(self, stages: Iterable[int], fact_for: Callable[[int, list[str]], dict[str, Any]]) -> list[list[str]]:
        """Per stage: the rules whose pattern matches ``fact_for(stage, fired in the previous stage)``."""
        if not self._compiled:  # compile the tests on engine facts only when they are used
            self._by_stage = {stage: [(rid, None if rest is None else compile_pattern(rest)) for rid, rest in rules]
                              for stage, rules in self._by_stage.items()}
            self._compiled = True
        out: list[list[str]] = []
        fired: list[str] = []
        for stage in stages:
            fact = fact_for(stage, fired)
            fired = [rid for rid, test in self._by_stage.get(stage, ()) if test is None or test(fact)]
            if self._any_stage:
                staged = {**fact, _STAGE: int(stage)}
                fired += [rid for rid, test in self._any_stage if test(staged)]
            out.append(fired)
        return out
