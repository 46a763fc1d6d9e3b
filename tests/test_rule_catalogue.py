"""The rule catalogue: readable conditions, citations, examples; committed copies are up to date."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import ROOT, run_cli
from engine.rulebase.catalogue import render
from engine.rulebase.registry import choose

DOCS = ROOT / "docs"
FORMATS = {"md": "markdown", "html": "html"}


@pytest.mark.parametrize("region", ["foodvalley", "midden-limburg"])
@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_committed_catalogue_is_up_to_date(region, ext):
    committed = (DOCS / f"rules-{region}.{ext}").read_text(encoding="utf-8")
    fresh = render(choose(region, dt.date.today()), FORMATS[ext], "nl")
    assert committed == fresh, (f"docs/rules-{region}.{ext} is verouderd; draai: regiotoets rules --region {region} "
                                f"--format {FORMATS[ext]} --output docs/rules-{region}.{ext}")


@pytest.mark.parametrize("region", ["foodvalley", "midden-limburg"])
def test_catalogue_lists_every_rule_with_citation_and_examples(region):
    ruleset = choose(region, dt.date.today())
    text = render(ruleset, "markdown", "nl")
    for rule in ruleset.rules:
        assert f"### {rule.id} — " in text
    assert text.count("**Voorbeelden:**") == len(ruleset.rules)
    assert "{{" not in text and "[[" not in text


def test_conditions_read_as_questions_and_vocabulary_labels():
    text = render(choose("midden-limburg", dt.date(2014, 1, 1)), "text", "nl")
    assert "«Kan het onderwerp binnen de eigen jeugdhulpregio worden opgepakt?» — nee" in text
    assert "«een van de gronden (enrichment)» — ja" in text  # a '*' pattern reads as one phrase
    assert "uitkomst: Niet meedoen" in text
    assert "«De afweging valt negatief uit» (ML-ROU-01)" in text  # a conclusion is named by its rule


def test_english_catalogue():
    text = render(choose("midden-limburg", dt.date(2014, 1, 1)), "text", "en")
    assert "Rule catalogue" in text and "When:" in text and "outcome: Do not participate" in text


def test_rules_command_writes_html(tmp_path):
    out = tmp_path / "catalogus.html"
    result = run_cli("rules", "--region", "midden-limburg", "--format", "html", "--output", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'id="ML-PAR-02"' in page
    assert "Gemeenten wegen op basis van drie factoren" in page


def test_rules_command_unknown_region_is_a_clean_error():
    result = run_cli("rules", "--region", "midden-limbrug")
    assert result.returncode == 2
    assert "midden-limburg" in result.stderr and "Traceback" not in result.stderr
