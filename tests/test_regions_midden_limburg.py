"""The second region: Midden-Limburg scenarios get their expected outcome, with cited reasons.

Each scenario is evaluated on its own proposal date (inside the rule set's validity),
so no validity warning muddies the check; the outcomes are in
tests/golden/expected.yaml.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import SCENARIOS
from engine.advising.pipeline import advise_file
from engine.rulebase.registry import choose
from engine.rulebase.ruleset import quote_in_source

FOLDER = SCENARIOS / "midden-limburg"
EXPECTED: dict[str, str] = {
    key.split("/", 1)[1]: outcome
    for key, outcome in YAML(typ="safe").load((Path(__file__).parent / "golden" / "expected.yaml").read_text(
        encoding="utf-8")).items()
    if key.startswith("midden-limburg/")}
FILES = sorted(FOLDER.glob("*.yaml"))


def proposal_day(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))["date"]


def test_at_least_four_scenarios_each_with_an_expected_outcome():
    assert len(FILES) >= 4
    assert {p.name for p in FILES} == set(EXPECTED)


def test_the_scenarios_cover_every_outcome():
    assert set(EXPECTED.values()) == {"participate", "participate_provided", "handle_at_lower_scale",
                                      "insufficient_information", "decline"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_scenario_outcome_with_cited_reasons(path):
    day = proposal_day(path)
    advice = advise_file(path, day=day)
    assert advice.ruleset.region == "midden-limburg"
    assert advice.validity_warning is None
    assert advice.outcome == EXPECTED[path.name]
    ruleset = choose("midden-limburg", day)
    outcome_rule = next(u for u in advice.reasons if ruleset.by_id[u.rule].then.outcome)  # after the deciding rule
    assert ruleset.by_id[outcome_rule.rule].then.outcome == advice.outcome
    for use in advice.trace:
        assert use.rule.startswith("ML-")
        assert use.citation.file == "002_3e7312ca97d5d6ed.txt"
        assert quote_in_source(use.citation.quote, ruleset.source_text), use.rule


def test_every_midden_limburg_rule_cites_its_section():
    ruleset = choose("midden-limburg", proposal_day(FILES[0]))
    from engine.rulebase.ruleset import normalise_text
    source = normalise_text(ruleset.source_text)
    for rule in ruleset.rules:
        assert normalise_text(rule.data.cite.section) in source, rule.id
        assert rule.data.title.nl and rule.data.title.en and rule.data.explain.en


def test_a_partner_failing_a_factor_is_weighed_not_declined():
    """5.4: municipalities weigh the three factors; a failed factor is a condition to weigh, never a decline."""
    path = FOLDER / "dagbehandeling-nieuwe-aanbieder.yaml"
    advice = advise_file(path, day=proposal_day(path))
    partner = next(u for u in advice.trace if u.rule == "ML-PAR-02")
    assert partner.role == "condition"
    assert advice.reasons[0].rule != "ML-PAR-02"
    assert "bereid mee te bewegen in de transformatie: nee" in partner.text
