"""The fidelity tables in docs/ are the output of `regiotoets rules coverage --format markdown`, for every shipped
region: a missing or stale table fails, every rule id is in it and every quoted passage is in the source."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, RULES, run_cli
from engine.rulebase.registry import installed
from engine.rulebase.ruleset import load_ruleset, quote_in_source

SHIPPED = sorted({i.meta.region for i in installed(RULES)})


def test_every_shipped_region_is_covered():
    assert SHIPPED, "no shipped rule sets found"
    docs = sorted(p.name for p in (ROOT / "docs").glob("fidelity-*.md"))
    assert docs == [f"fidelity-{r}.md" for r in SHIPPED]


@pytest.mark.parametrize("region", SHIPPED)
def test_fidelity_table_matches_the_command(region):
    doc = ROOT / "docs" / f"fidelity-{region}.md"
    assert doc.is_file(), (f"docs/fidelity-{region}.md ontbreekt / is missing: regiotoets rules coverage --region "
                           f"{region} --format markdown -o {doc.relative_to(ROOT)}")
    fresh = run_cli("rules", "coverage", "--region", region, "--format", "markdown")
    assert fresh.returncode == 0, fresh.stderr
    assert doc.read_text(encoding="utf-8") == fresh.stdout, (
        f"docs/fidelity-{region}.md is verouderd / stale: regiotoets rules coverage --region {region} "
        f"--format markdown -o docs/fidelity-{region}.md")


@pytest.mark.parametrize("region", SHIPPED)
def test_fidelity_table_names_every_rule_and_every_quote_is_in_the_source(region):
    from engine.rulebase.registry import choose
    import datetime as dt

    ruleset = choose(region, dt.date.today(), RULES)
    ruleset = load_ruleset(ruleset.folder)
    text = (ROOT / "docs" / f"fidelity-{region}.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| ([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+) \|", text, re.M))
    assert rows == {r.id for r in ruleset.rules}
    source = ruleset.source_text
    for r in ruleset.rules:
        assert quote_in_source(r.data.cite.quote, source), r.id
        assert r.id in text.split("## Regels en hun passage")[0], f"{r.id}: no paragraph marked with it"
    for passage in ruleset.not_encoded:
        assert quote_in_source(passage.quote, source), passage.quote
