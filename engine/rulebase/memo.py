"""Remembered answers about rule conditions and fact patterns.

A rule's condition and the fact catalogue never change after a rule set is
loaded, but explaining every evaluation asks the same questions about them
again (which facts does this rule read, which paths does ``values.*.fit``
name). Walking the condition tree or matching the whole catalogue each time
was the largest cost of building an advice; here each answer is worked out
once per object and handed out as a tuple (callers cannot change it).
"""

from __future__ import annotations

from typing import Any

from engine.rulebase import conditions as C

_LIMIT = 20_000
_PATHS: dict[int, tuple[Any, tuple[str, ...]]] = {}
_NAMES: dict[int, tuple[Any, tuple[str, ...]]] = {}
_EXPAND: dict[tuple[str, int], tuple[Any, tuple[str, ...]]] = {}
_POSITIVE: dict[int, tuple[Any, tuple[str, ...]]] = {}
_POSITIONS: dict[int, tuple[Any, dict[str, int]]] = {}


def _remember(table: dict, key: Any, owner: Any, compute: Any) -> tuple[str, ...]:
    hit = table.get(key)
    if hit is not None and hit[0] is owner:
        return hit[1]
    value = tuple(compute())
    if len(table) >= _LIMIT:
        table.clear()
    table[key] = (owner, value)  # keeping the owner alive keeps its id unique
    return value


def fact_paths(cond: C.Condition) -> tuple[str, ...]:
    """:func:`conditions.fact_paths`, once per condition object."""
    return _remember(_PATHS, id(cond), cond, lambda: C.fact_paths(cond))


def conclusion_names(cond: C.Condition) -> tuple[str, ...]:
    """:func:`conditions.conclusion_names`, once per condition object."""
    return _remember(_NAMES, id(cond), cond, lambda: C.conclusion_names(cond))


def expand(pattern: str, specs: dict) -> tuple[str, ...]:
    """:func:`conditions.expand`, once per pattern and catalogue object."""
    return _remember(_EXPAND, (pattern, id(specs)), specs, lambda: C.expand(pattern, specs))


def positive_conclusions(cond: C.Condition) -> tuple[str, ...]:
    """:func:`conditions.positive_conclusions`, once per condition object."""
    return _remember(_POSITIVE, id(cond), cond, lambda: C.positive_conclusions(cond))


def positions(specs: dict) -> dict[str, int]:
    """Fact path -> its place in the catalogue, once per catalogue object."""
    hit = _POSITIONS.get(id(specs))
    if hit is not None and hit[0] is specs and len(hit[1]) == len(specs):
        return hit[1]
    if len(_POSITIONS) >= 64:
        _POSITIONS.clear()
    out = {path: i for i, path in enumerate(specs)}
    _POSITIONS[id(specs)] = (specs, out)
    return out
