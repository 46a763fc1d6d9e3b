"""Partner organisations (with their kind) and the overall administrative burden: read, and shown everywhere."""

from __future__ import annotations

import json

import pytest

from conftest import IN_VALIDITY, SCENARIOS, proposal, run_cli


@pytest.fixture(scope="module")
def ruleset():
    from engine.rulebase.registry import choose

    return choose("foodvalley", IN_VALIDITY)


def test_dutch_kinds_and_shorthand(ruleset):
    data = proposal(partner_organisations=["Lindenhout", {"name": "Jeugdbescherming Gelderland",
                                                          "kind": "gecertificeerde instelling"},
                                           {"name": "VT Gelderland-Midden", "kind": "Veilig Thuis"},
                                           {"name": "De Raad", "kind": "Raad voor de Kinderbescherming"},
                                           {"name": "Pluryn", "kind": "aanbieder"}],
                    administrative_burden="minder")
    model = ruleset.model.model_validate(data)
    assert [o.kind for o in model.partner_organisations] == [
        "other", "certified_institution", "veilig_thuis", "child_protection_board", "provider"]
    assert model.administrative_burden == "reduced"


@pytest.mark.parametrize("extra", [{"partner_organisations": [{"name": "X GI", "kind": "gemeente"}]},
                                   {"partner_organisations": [{"kind": "aanbieder"}]},
                                   {"administrative_burden": "veel"}])
def test_wrong_values_are_refused(ruleset, extra):
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        ruleset.model.model_validate({**proposal(), **extra})


def test_not_a_decision_fact(ruleset):
    assert not any("partner_organisations" in p or p == "administrative_burden" for p in ruleset.facts)


def test_advice_without_them_serialises_as_before(ruleset):
    from engine.advising.pipeline import advise_data
    from engine.render.jsonout import render_json

    out = json.loads(render_json([advise_data(ruleset, proposal(), day=IN_VALIDITY)]))
    assert "partner_organisations" not in out["proposal"] and "administrative_burden" not in out["proposal"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_shown_in_the_advice(fmt):
    path = SCENARIOS / "foodvalley" / "verbeteragenda-jeugdbescherming.yaml"
    result = run_cli("evaluate", str(path), "--date", "2025-06-01", "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert "Veilig Thuis Gelderland-Midden" in result.stdout
    if fmt != "json":
        assert "Partnerorganisaties" in result.stdout and "gecertificeerde instelling" in result.stdout
        assert "Administratieve lasten" in result.stdout


def test_shown_in_the_report(tmp_path):
    path = SCENARIOS / "foodvalley" / "verbeteragenda-jeugdbescherming.yaml"
    out = tmp_path / "rapport.html"
    result = run_cli("report", str(path), "--date", "2025-06-01", "--output", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Partnerorganisaties" in html and "Jeugdbescherming Gelderland" in html
    assert "Administratieve lasten" in html
