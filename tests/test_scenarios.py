"""Every shipped scenario gets its expected outcome, with reasons that cite the source document.

Golden files (tests/golden/<region>/<scenario>.json) hold the full JSON advice; a change
in any sentence, rule or hash shows up as a diff. After an intended change, run
``python tests/update_golden.py`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import IN_VALIDITY, SCENARIOS, run_cli
from engine.advising.pipeline import advise_file
from engine.render.jsonout import render_json
from engine.rulebase.ruleset import quote_in_source

GOLDEN = Path(__file__).resolve().parent / "golden"
EXPECTED: dict[str, str] = dict(YAML(typ="safe").load((GOLDEN / "expected.yaml").read_text(encoding="utf-8")))


def scenario_files() -> list[Path]:
    return sorted(SCENARIOS.glob("*/*.yaml"))


def key(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def proposal_day(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))["date"]


def golden_text(path: Path) -> str:
    """The JSON advice on a scenario, evaluated on the scenario's own date."""
    import os
    cwd = os.getcwd()
    os.chdir(SCENARIOS.parent)  # file names in the advice are relative to the project root
    try:
        text = render_json([advise_file(path, day=proposal_day(path))])
    finally:
        os.chdir(cwd)
    return as_recorded(text)


def as_recorded(text: str) -> str:
    """JSON advice as the goldens record it: they name durable_rules, the engine of record. Where it does not
    import (Python 3.13+) the plain-Python engine gives the same advice (tests/test_engines_equal.py) and only
    the engine's name differs."""
    from engine.deciding.backend import DURABLE, PYTHON, durable_available
    if durable_available():
        return text
    return text.replace(f'"engine": "{PYTHON}"', f'"engine": "{DURABLE}"')


def test_there_are_at_least_eight_foodvalley_scenarios():
    assert len([p for p in scenario_files() if p.parent.name == "foodvalley"]) >= 8


def test_every_scenario_has_an_expected_outcome():
    assert {key(p) for p in scenario_files()} == set(EXPECTED)


@pytest.mark.parametrize("path", [p for p in scenario_files() if key(p) in EXPECTED], ids=key)
def test_scenario_outcome_and_citations(path):
    advice = advise_file(path, day=IN_VALIDITY)
    assert advice.outcome == EXPECTED[key(path)]
    assert advice.reasons, "every advice has at least one reason"
    from engine.rulebase.registry import choose
    ruleset = choose(advice.ruleset.region, IN_VALIDITY)
    for use in advice.reasons + advice.conditions + advice.caveats + advice.next_steps:
        assert use.rule in ruleset.by_id
        assert quote_in_source(use.citation.quote, ruleset.source_text), use.rule
    if advice.outcome == "insufficient_information":
        assert any(m.blocking for m in advice.missing)


def golden_file(path: Path) -> Path:
    return GOLDEN / path.parent.name / (path.stem + ".json")


@pytest.mark.parametrize("path", scenario_files(), ids=key)
def test_scenario_matches_golden_advice(path):
    """Every scenario has a golden advice: a missing one fails (write it with tests/update_golden.py and review it)."""
    target = golden_file(path)
    assert target.is_file(), f"no golden advice for {key(path)}: run python tests/update_golden.py and review it"
    assert golden_text(path) == target.read_text(encoding="utf-8")


def test_every_golden_advice_belongs_to_a_scenario():
    scenarios = {golden_file(p) for p in scenario_files()}
    assert sorted(p for p in GOLDEN.glob("*/*.json") if p not in scenarios) == []


def test_cli_json_is_identical_to_golden():
    path = SCENARIOS / "foodvalley" / "crisisdienst-spoedhulp.yaml"
    result = run_cli("evaluate", str(path.relative_to(SCENARIOS.parent)), "--format", "json", "--date", "2025-04-07")
    assert result.returncode == 0, result.stderr
    assert as_recorded(result.stdout) == (GOLDEN / "foodvalley" / "crisisdienst-spoedhulp.json").read_text(encoding="utf-8")
