"""A .json proposal read by json.loads (engine/reading/jsonfast.py) gives what the full way (YAML scan + strict-JSON check) gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from engine.reading import jsonfast
from engine.common.errors import InputError
from engine.reading.yamlio import parse_document
from test_invariants import SETTINGS

ROOT = Path(__file__).resolve().parent.parent


def _typed(value):
    """The data with every value's type spelled out (1, 1.0 and True compare equal in Python)."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    for kind in (bool, int, float, str):  # the YAML way gives float subclasses (ScalarFloat): the same number
        if isinstance(value, kind):
            return (kind.__name__, repr(kind(value)))
    return (type(value).__name__, repr(value))


def _both(raw: bytes, monkeypatch) -> tuple:
    """(fast, full): each the typed data or the error message; ``fast`` says whether the quick path answered."""
    path = Path("voorstel.json")

    def read():
        try:
            return _typed(parse_document(path, raw, what="voorstel").data)
        except InputError as exc:
            return exc.render()

    fast = read()
    with monkeypatch.context() as m:
        m.setattr(jsonfast, "fast_json", lambda text: jsonfast.NOT_FAST)
        full = read()
    return fast, full


@pytest.mark.parametrize("path", sorted(ROOT.glob("scenarios/*/*.yaml")) + sorted(ROOT.glob("tests/bad_proposals/*.json")),
                         ids=lambda p: p.name)
def test_scenarios_as_json_and_bad_json_files_read_alike(path, monkeypatch):
    if path.suffix == ".yaml":
        raw = json.dumps(YAML(typ="safe").load(path.read_text(encoding="utf-8")), default=str,
                         ensure_ascii=False, indent=1).encode()
        assert jsonfast.fast_json(raw.decode()) is not jsonfast.NOT_FAST  # an everyday proposal takes the quick way
    else:
        raw = path.read_bytes()
    fast, full = _both(raw, monkeypatch)
    assert fast == full


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.text(max_size=30),
                     st.floats(allow_nan=False, allow_infinity=False))
_values = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                       max_leaves=20)


@SETTINGS
@given(_values, st.sampled_from([None, 1]), st.booleans())
def test_any_json_value_reads_alike(value, indent, duplicate):
    import pytest as _pytest

    text = json.dumps({"title": "x", "data": value}, indent=indent, ensure_ascii=False)
    if duplicate:  # a duplicate key, which only the full way names
        text = text[:-1] + ', "title": "y"}'
    with _pytest.MonkeyPatch.context() as monkeypatch:
        fast, full = _both(text.encode("utf-8", "surrogatepass"), monkeypatch)
    assert fast == full
