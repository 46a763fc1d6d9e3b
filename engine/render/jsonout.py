"""The advice as JSON: stable key order, so the same input gives the same bytes.

The bytes are those of ``json.dumps(..., ensure_ascii=False, indent=2)``. For one advice the same bytes
come from pydantic's serialiser (written in Rust, about six times quicker than the standard library's
indenting encoder, which has no C version), as long as every number is written alike by both: floats
are checked one by one, and an advice holding a float the two write differently (an exponent, say)
takes the standard library's way. ``tests/test_render_json.py`` holds both ways to the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import to_json

from engine.advising.advice import Advice


def render_json(advices: list[Advice]) -> str:
    if len(advices) == 1 and _floats_agree(advices[0]):
        return advices[0].model_dump_json(indent=2) + "\n"
    return render_json_stdlib(advices)


def render_json_stdlib(advices: list[Advice]) -> str:
    """The reference rendering (and the one for several advices and for floats written differently)."""
    data = [a.model_dump(mode="json") for a in advices]
    payload = data[0] if len(data) == 1 else data
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _floats_agree(advice: Advice) -> bool:
    """Whether every float in the advice is written alike by both serialisers. Only facts hold numbers, and
    the facts of each rule use are values of ``advice.facts`` (see ``engine.advising.advice._use``)."""
    simple = _SIMPLE
    for value in advice.facts.values():
        if type(value) not in simple and not _plain(value):  # most facts are texts, booleans or None
            return False
    return True


_SIMPLE = frozenset((str, bool, int, type(None)))  # written alike by both: no float inside


def _plain(value: Any) -> bool:
    if isinstance(value, float):
        return to_json(value).decode() == json.dumps(value)
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(v) for v in value.values())
    return True
