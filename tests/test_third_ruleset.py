"""A third, tiny rule set in a temporary folder works without any code change.

It has its own region name, vocabulary, steps and source text; it is found
with ``--rules DIR``, evaluated, listed, catalogued, and its examples run.
"""

from __future__ import annotations

import textwrap

import pytest

from conftest import run_cli

SOURCE = ("Samenwerking Testregio\n\nDe gemeenten werken alleen samen als de samenwerking de wachttijden verkort.\n"
          "Zonder kortere wachttijden doen wij niet mee.\n")

RULESET = """\
id: testregio-nota
region: testregio
name: Testregio Waddeneilanden
version: "1.0"
valid_from: 2024-01-01
valid_until: 2026-12-31
source: {file: nota.txt, title: Nota samenwerking Testregio, path: bron/nota.txt}
decision_body: {nl: de colleges van de eilanden, en: the island executives}
vocabulary:
  enrichment:
    - {id: wachttijden, nl: "Kortere wachttijden", en: "Shorter waiting times"}
steps:
  - {id: grond, nl: "Grond", en: "Ground"}
"""

RULES = """\
rules:
  - id: TR-GRO-01
    title: {nl: "Verkort de wachttijden", en: "Shortens waiting times"}
    step: grond
    when: {fact: enrichment.wachttijden.holds, is: "yes"}
    then: {outcome: participate}
    explain: {nl: "De samenwerking verkort de wachttijden.", en: "The collaboration shortens waiting times."}
    cite: {file: nota.txt, section: Samenwerking Testregio, quote: "werken alleen samen als de samenwerking de wachttijden verkort"}
    examples:
      - {facts: {enrichment.wachttijden.holds: "yes"}, fires: true}
      - {facts: {}, fires: false}
  - id: TR-GRO-02
    title: {nl: "Verkort de wachttijden niet", en: "Does not shorten waiting times"}
    step: grond
    when: {fact: enrichment.wachttijden.holds, is: "no"}
    then: {outcome: decline}
    explain: {nl: "Zonder kortere wachttijden doen de eilanden niet mee.", en: "Without shorter waiting times the islands do not participate."}
    cite: {file: nota.txt, section: Samenwerking Testregio, quote: "Zonder kortere wachttijden doen wij niet mee."}
    examples:
      - {facts: {enrichment.wachttijden.holds: "no"}, fires: true}
  - id: TR-GRO-03
    title: {nl: "Onbekend", en: "Unknown"}
    step: grond
    when: {fact: enrichment.wachttijden.holds, is: unknown}
    then: {outcome: insufficient_information, missing: [enrichment.wachttijden.holds]}
    explain: {nl: "Het voorstel zegt niet of de wachttijden korter worden.", en: "The proposal does not say whether waiting times shorten."}
    cite: {file: nota.txt, section: Samenwerking Testregio, quote: "werken alleen samen als de samenwerking de wachttijden verkort"}
    examples:
      - {facts: {}, fires: true}
"""


@pytest.fixture()
def rules_root(tmp_path):
    folder = tmp_path / "regelsets" / "testregio"
    (folder / "bron").mkdir(parents=True)
    (folder / "bron" / "nota.txt").write_text(SOURCE, encoding="utf-8")
    (folder / "ruleset.yaml").write_text(RULESET, encoding="utf-8")
    (folder / "10-grond.yaml").write_text(RULES, encoding="utf-8")
    return tmp_path / "regelsets"


def write_proposal(tmp_path, holds: str):
    path = tmp_path / f"voorstel-{holds}.yaml"
    path.write_text(textwrap.dedent(f"""\
        title: Gezamenlijke wachtlijstaanpak
        submitter: Beleidsmedewerker Testregio
        date: 2025-04-01
        region: testregio
        topic: Eén wachtlijst voor jeugdhulp op alle eilanden
        enrichment:
          wachttijden: {holds}
        """), encoding="utf-8")
    return path


@pytest.mark.parametrize("holds, label", [("ja", "MEEDOEN"), ("nee", "NIET MEEDOEN"), ("onbekend", "ONVOLDOENDE INFORMATIE")])
def test_third_rule_set_evaluates_from_a_temporary_folder(tmp_path, rules_root, holds, label):
    result = run_cli("evaluate", str(write_proposal(tmp_path, holds)), "--rules", str(rules_root), "--date", "2025-06-01")
    assert result.returncode == 0, result.stderr
    assert f"UITKOMST: {label}\n" in result.stdout
    assert "testregio-nota" in result.stdout and "TR-GRO-0" in result.stdout


def test_third_rule_set_is_listed_catalogued_and_its_examples_pass(tmp_path, rules_root):
    result = run_cli("regions", "--rules", str(rules_root))
    assert result.returncode == 0 and "testregio-nota" in result.stdout and "foodvalley" not in result.stdout
    result = run_cli("rules", "--rules", str(rules_root), "--format", "markdown")
    assert result.returncode == 0, result.stderr
    assert "### TR-GRO-02" in result.stdout and "Kortere wachttijden?» — nee" in result.stdout

    from engine.verifying.examples import run_all
    from engine.rulebase.ruleset import load_ruleset, quote_in_source

    ruleset = load_ruleset(rules_root / "testregio")
    assert all(r.passed for r in run_all(ruleset))
    assert all(quote_in_source(r.data.cite.quote, ruleset.source_text) for r in ruleset.rules)


def test_engine_code_names_no_region():
    """The engine's logic names no region (command help may show an example invocation)."""
    from conftest import ROOT

    for path in (ROOT / "engine").rglob("*.py"):
        if "commands" in path.parts:
            continue
        text = path.read_text(encoding="utf-8").lower()
        for name in ("foodvalley", "midden-limburg", "midden_limburg"):
            assert name not in text, f"{path.relative_to(ROOT)} noemt '{name}'"
