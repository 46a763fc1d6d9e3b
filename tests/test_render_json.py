"""The quick JSON rendering of an advice gives exactly the bytes of the standard library's."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from engine.common.errors import InputError
from engine.advising.pipeline import advise_data, advise_file
from engine.rulebase.registry import installed
from engine.rulebase.ruleset import load_ruleset
from engine.render.jsonout import render_json, render_json_stdlib
from test_invariants import SETTINGS

DAY = dt.date(2025, 6, 1)
ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*/*.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_scenario_renders_the_same_bytes_both_ways(path):
    advice = advise_file(path, day=DAY)
    assert render_json([advice]) == render_json_stdlib([advice])


@functools.lru_cache(maxsize=1)
def first_ruleset():
    """The first installed rule set, loaded once for every generated example (loading is not what is tested)."""
    return load_ruleset(installed()[0].folder)


def test_an_exponent_takes_the_standard_way():
    """Floats the two serialisers write differently (2.5e-07 / 2.5e-7) still give the standard bytes."""
    ruleset = first_ruleset()
    numbers = [p for p, s in ruleset.facts.items() if s.kind == "number"]
    assert numbers
    advice = advise_data(ruleset, _data(ruleset, "Een voorstel", {numbers[0]: 2.5e-7}), day=DAY)
    assert "2.5e-07" in render_json([advice]) == render_json_stdlib([advice])


def _data(ruleset, title: str, numbers: dict) -> dict:
    data = {"title": title, "submitter": "Beleidsadviseur", "date": "2025-01-01", "region": ruleset.region,
            "topic": "Een onderwerp"}
    for path, value in numbers.items():
        node = data
        *parents, last = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return data


@SETTINGS
@given(title=st.text(min_size=3, max_size=60), amount=st.one_of(
    st.floats(min_value=0, max_value=1e20, allow_nan=False), st.integers(0, 10**12)))
def test_any_text_and_number_renders_the_same_bytes_both_ways(title, amount):
    ruleset = first_ruleset()
    numbers = [p for p, s in ruleset.facts.items() if s.kind == "number"]
    try:
        advice = advise_data(ruleset, _data(ruleset, title, {numbers[0]: amount}), day=DAY)
    except (ValidationError, InputError):
        assume(False)  # a value the proposal model refuses: nothing to render
        return
    assert render_json([advice]) == render_json_stdlib([advice])
