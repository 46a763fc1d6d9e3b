"""A quick way through a strict-JSON proposal that is well inside every limit.

A ``.json`` file used to be parsed twice: as strict JSON (to refuse what JSON
does not allow) and as YAML (for the limits and the data), about ten times
the cost of ``json.loads`` alone. Here ``json.loads`` builds the data and a
walk checks it stays well inside the limits of :mod:`engine.reading.yamlfast`. Anything
near a limit or out of the ordinary — a duplicate key, NaN or Infinity, a
number with an exponent, a lone surrogate, an error — gives :data:`NOT_FAST`,
and the file takes the full way (YAML scan and strict-JSON check), which then
gives its message or its data. So this path only ever returns data the full
way would have returned too (``tests/test_jsonfast.py``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from engine.reading.yamlfast import MAX_DEPTH, MAX_DIGITS, MAX_NODES, MAX_STRING

NOT_FAST = object()
_DEPTH, _NODES, _STRING, _DIGITS = MAX_DEPTH - 10, MAX_NODES // 2, MAX_STRING // 2, MAX_DIGITS // 2
_SURROGATE = re.compile("[\ud800-\udfff]")


class _NotFast(Exception):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _NotFast  # a duplicate key: the full way names it
    return out


def _float(text: str) -> float:
    if len(text) > _DIGITS or "e" in text or "E" in text:
        raise _NotFast  # YAML and JSON may read an exponent differently
    return float(text)


def _int(text: str) -> int:
    if len(text) > _DIGITS:
        raise _NotFast
    return int(text)


def _constant(_text: str) -> Any:
    raise _NotFast  # NaN, Infinity: not JSON


_DECODE = json.JSONDecoder(object_pairs_hook=_pairs, parse_float=_float, parse_int=_int,
                           parse_constant=_constant).decode


def fast_json(text: str) -> Any:
    """The data of a strict-JSON text well inside the limits, or :data:`NOT_FAST`."""
    try:
        data = _DECODE(text)
        _walk(data)
    except (_NotFast, ValueError, RecursionError):
        return NOT_FAST
    return data


def _walk(data: Any) -> None:
    """Depth, number of values and length of texts (keys too), without recursion."""
    nodes = 0
    todo: list[tuple[Any, int]] = [(data, 1)]
    while todo:
        value, depth = todo.pop()
        nodes += 1
        if nodes > _NODES or depth > _DEPTH:
            raise _NotFast
        if isinstance(value, str):
            _text(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                _text(key)
                nodes += 1
                todo.append((item, depth + 1))
        elif isinstance(value, list):
            todo.extend((item, depth + 1) for item in value)


def _text(value: str) -> None:
    if len(value) > _STRING or (not value.isascii() and _SURROGATE.search(value)):
        raise _NotFast
