"""The second rule engine: the same compiled rule definitions, matched in plain Python.

durable_rules is the engine of record, but it does not import on Python 3.13
or later and each evaluation pays for its C calls and a JSON encoding of the
fact. This backend takes the very definitions :mod:`engine.compiler` makes for
durable_rules and turns each into a small tree of Python functions once (no
``eval``, no generated source), so both engines read one compiled form and
cannot drift apart in what a condition means. Its interface is
:class:`engine.backend.CompiledRuleset`'s: ``run(stages, fact_for)`` gives
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


def _equal(attr: str, want: Any) -> Test:
    if isinstance(want, str):  # the common case (enum values, 'yes'/'no'): a plain comparison
        numeric = _number(want)
        if numeric is _MISSING:  # no number equals this text: only the same text does
            return lambda fact: fact.get(attr, _MISSING) == want

        def test(fact: dict[str, Any]) -> bool:
            got = fact.get(attr, _MISSING)
            if got.__class__ is str or got is _MISSING:
                return got == want
            return numeric is not _MISSING and _number(got) == numeric
        return test

    def test_any(fact: dict[str, Any]) -> bool:
        got = fact.get(attr, _MISSING)
        if got is _MISSING:
            return False
        if got.__class__ is want.__class__ or isinstance(got, str) == isinstance(want, str):
            return got == want
        a, b = _number(got), _number(want)
        return a is not _MISSING and b is not _MISSING and a == b
    return test_any


def _not_equal(attr: str, want: Any) -> Test:
    equal = _equal(attr, want)
    return lambda fact: attr in fact and not equal(fact)


def _compare(attr: str, op: str, bound: Any) -> Test:
    limit = _number(bound)
    if limit is _MISSING:
        raise PatternError(f"{op} met een waarde die geen getal is / with a value that is not a number: {bound!r}")
    check = {"$gt": operator.gt, "$gte": operator.ge, "$lt": operator.lt, "$lte": operator.le}[op]

    def test(fact: dict[str, Any]) -> bool:
        got = fact.get(attr, _MISSING)
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


def compile_pattern(node: Any) -> Test:
    """One durable_rules pattern (the value of ``m``) as a test on a fact."""
    if not isinstance(node, dict) or len(node) != 1:
        raise PatternError(f"onbekend patroon / unknown pattern: {node!r}")
    key, value = next(iter(node.items()))
    if key == "$and":
        return _all(tuple(compile_pattern(p) for p in value))
    if key == "$or":
        return _any(tuple(compile_pattern(p) for p in value))
    if key == "$neq":
        return _not_equal(*_one(value))
    if key in ("$gt", "$gte", "$lt", "$lte"):
        attr, bound = _one(value)
        return _compare(attr, key, bound)
    if key == "$ex":
        attr, _ = _one(value)
        return lambda fact: attr in fact
    if key == "$nex":
        attr, _ = _one(value)
        return lambda fact: attr not in fact
    if key.startswith("$"):
        raise PatternError(f"onbekende operator / unknown operator: {key}")
    return _equal(key, value)


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


class PythonRuleset:
    """Rule definitions matched in Python; the same use as :class:`engine.backend.CompiledRuleset`."""

    engine = NAME

    def __init__(self, label: str, definitions: dict[str, dict[str, Any]]):
        self.name = label
        self.rule_ids = list(definitions)
        self._by_stage: dict[int, list[tuple[str, Test | None]]] = {}
        self._any_stage: list[tuple[str, Test]] = []
        for rid, definition in definitions.items():
            patterns = definition.get("all") if isinstance(definition, dict) else None
            if not isinstance(patterns, list) or len(patterns) != 1 or list(patterns[0]) != ["m"]:
                raise PatternError(f"regel {rid}: één patroon 'm' verwacht / one pattern 'm' expected")
            stage, rest = _split_stage(patterns[0]["m"])
            test = None if rest is None else compile_pattern(rest)
            if stage is None:
                self._any_stage.append((rid, compile_pattern(patterns[0]["m"])))
            else:
                self._by_stage.setdefault(stage, []).append((rid, test))

    def run(self, stages: Iterable[int], fact_for: Callable[[int, list[str]], dict[str, Any]]) -> list[list[str]]:
        """Per stage: the rules whose pattern matches ``fact_for(stage, fired in the previous stage)``."""
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
