"""Every rule's examples, run through the real engine: a rule's documentation is its test.

Parametrised over every installed rule set, every rule and every example, so a
failing example names the rule set, the rule and the example number.
"""

from __future__ import annotations

import pytest

from engine.verifying.examples import ExampleError, collect, proposal_data, rules_without_examples, run
from engine.rulebase.registry import installed
from engine.rulebase.ruleset import load_ruleset

RULESETS = {i.folder.name + "/" + i.meta.version: load_ruleset(i.folder) for i in installed() if i.meta is not None}
CASES = [case for rs in RULESETS.values() for case in collect(rs)]


def test_there_are_rule_sets_with_examples():
    assert len(RULESETS) >= 2
    assert len(CASES) >= 2 * len(RULESETS)


@pytest.mark.parametrize("key", sorted(RULESETS))
def test_every_rule_has_an_example(key):
    assert rules_without_examples(RULESETS[key]) == []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule_example(case):
    result = run(case)
    assert result.passed, result.message()


def test_wildcards_and_lists_become_proposal_data():
    ruleset = next(rs for rs in RULESETS.values() if rs.meta.vocabulary.enrichment)
    first = ruleset.meta.vocabulary.enrichment[0].id
    data = proposal_data(ruleset, {"enrichment.*.holds": "no", f"enrichment.{first}.holds": "yes",
                                   "procurement.segments": [1]})
    holds = {k: v["holds"] for k, v in data["enrichment"].items()}
    assert holds[first] == "yes"
    assert set(holds.values()) == {"yes", "no"} or len(holds) == 1
    assert data["procurement"]["segments"] == [1]
    assert {"title", "submitter", "date", "topic"} <= set(data)


def test_an_example_that_contradicts_its_rule_fails():
    ruleset = next(iter(RULESETS.values()))
    case = next(c for c in collect(ruleset) if c.example.fires)
    wrong = type(case)(case.ruleset, case.rule, case.index, case.example.model_copy(update={"fires": False}))
    assert not run(wrong).passed


def test_an_unknown_fact_in_an_example_is_reported():
    ruleset = next(iter(RULESETS.values()))
    with pytest.raises(ExampleError, match="onbekend feit"):
        proposal_data(ruleset, {"legal.requird": "yes"})
