"""What-if: variants with --set, and the smallest changes that really change the outcome."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import IN_VALIDITY, ROOT, proposal

SCENARIOS = sorted(p for p in (ROOT / "scenarios").glob("**/*.yaml") if p.name != "expected.yaml")


def _load(path: Path):
    from engine.deciding.validate import load_proposal

    return load_proposal(path, day=IN_VALIDITY)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_minimal_changes_really_flip_the_outcome(path: Path):
    from engine.reading.facts import flatten
    from engine.advising.pipeline import advise_data
    from engine.deciding.engines import evaluator_for
    from engine.advising.whatif import apply_to_data, minimal_changes

    loaded = _load(path)
    ruleset = loaded.ruleset
    data = loaded.document.data
    before = advise_data(ruleset, data, day=IN_VALIDITY).outcome
    start = time.perf_counter()
    flips = minimal_changes(evaluator_for(ruleset), flatten(loaded.proposal, ruleset.facts))
    assert time.perf_counter() - start < 15
    sizes = {len(f.changes) for f in flips}
    assert len(sizes) <= 1 or all(not f.honest for f in flips if len(f.changes) == 1)
    for flip in flips:
        for change in flip.changes:
            assert change.fixed == ruleset.facts[change.path].fixed
        for value_set in _each_alike(flip):
            variant = apply_to_data(data, value_set, ruleset.facts)
            after = advise_data(ruleset, variant, day=IN_VALIDITY).outcome
            assert after == flip.outcome != before, (flip, value_set)


def _each_alike(flip):
    """Every combination of the values listed as having the same effect."""
    import itertools
    options = [[(c.path, v) for v in (c.alike or (c.new,))] for c in flip.changes]
    return [list(combo) for combo in itertools.product(*options)]


def test_single_changes_come_before_pairs(foodvalley):
    """A proposal that only fails on capacity needs one change, not two."""
    from engine.reading.facts import flatten
    from engine.deciding.engines import evaluator_for
    from engine.advising.whatif import minimal_changes

    data = proposal(legal__required="no", scale__local_possible="no", scale__regional_possible="no",
                    capacity__sufficient="no", enrichment__jeugdigen="yes", content__can_be_aligned="yes",
                    **{f"content__values__{e.id}": "supports" for e in foodvalley.meta.vocabulary.values},
                    **{f"content__care_landscape__{e.id}": "neutral" for e in foodvalley.meta.vocabulary.care_landscape})
    flips = minimal_changes(evaluator_for(foodvalley), flatten(foodvalley.model.model_validate(data), foodvalley.facts))
    wanted = [f for f in flips if f.outcome == "participate"]
    assert any(len(f.changes) == 1 and f.changes[0].path == "capacity.sufficient" and f.changes[0].new == "yes"
               for f in wanted)
    legal = [f for f in flips if f.changes[0].path == "legal.required"]
    assert legal and all(not f.honest for f in legal)


def test_parse_assignment_checks_path_and_value(foodvalley):
    from engine.common.errors import InputError
    from engine.advising.whatif import parse_assignment

    assert parse_assignment("capacity.sufficient=ja", foodvalley.facts) == ("capacity.sufficient", "yes")
    assert parse_assignment("content.values.kind_hoort_thuis=botst", foodvalley.facts) == (
        "content.values.kind_hoort_thuis.fit", "conflicts")
    assert parse_assignment("finances.execution.amount_eur=1250,5", foodvalley.facts)[1] == 1250.5
    with pytest.raises(InputError) as typo:
        parse_assignment("capacity.sufficent=ja", foodvalley.facts)
    assert "capacity.sufficient" in typo.value.render()
    with pytest.raises(InputError) as bad:
        parse_assignment("capacity.sufficient=misschien", foodvalley.facts)
    assert "yes | no | unknown" in bad.value.render()


def test_whatif_set_shows_the_difference():
    from cli import main

    path = str(ROOT / "scenarios/foodvalley/expertisecentrum.yaml")
    result = CliRunner().invoke(main, ["whatif", path, "--date", "2025-06-01", "--format", "json",
                                       "--set", "legal.required=nee", "--set", "capacity.sufficient=ja"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["outcome"] == "participate"
    assert out["changes"] == [{"fact": "legal.required", "value": "no"}, {"fact": "capacity.sufficient", "value": "yes"}]
    removed = {u["rule"] for u in out["removed"]}
    assert "FV-UIT-01" in removed
    text = CliRunner().invoke(main, ["whatif", path, "--date", "2025-06-01", "--set", "legal.required=nee"]).output
    assert "Huidig advies: Meedoen" in text and "Vervalt uit de afweging" in text


def test_whatif_bad_set_exits_2_without_traceback():
    from cli import main

    path = str(ROOT / "scenarios/foodvalley/expertisecentrum.yaml")
    result = CliRunner().invoke(main, ["whatif", path, "--set", "capacity.sufficent=ja"])
    assert result.exit_code == 2
    assert "bedoelde u 'capacity.sufficient'?" in result.output and "Traceback" not in result.output


def test_missing_facts_ranked_most_decisive_first(foodvalley):
    from engine.reading.facts import flatten
    from engine.deciding.engines import evaluator_for
    from engine.advising.whatif import rank_missing

    data = proposal(legal__required="no", scale__local_possible="no", scale__regional_possible="no",
                    capacity__sufficient="yes", content__can_be_aligned="yes",
                    **{f"content__values__{e.id}": "supports" for e in foodvalley.meta.vocabulary.values},
                    **{f"content__care_landscape__{e.id}": "neutral" for e in foodvalley.meta.vocabulary.care_landscape})
    ranked = rank_missing(evaluator_for(foodvalley), flatten(foodvalley.model.model_validate(data), foodvalley.facts))
    assert ranked, "enrichment and finances are unknown and decide"
    counts = [r.changes for r in ranked]
    assert counts == sorted(counts, reverse=True)
    assert ranked[0].changes > 0 and ranked[0].question_nl and ranked[0].question_en
    assert {r.path for r in ranked} >= {"enrichment.jeugdigen.holds", "finances.execution.effect"}


@pytest.mark.parametrize("lang,word", [("nl", "Kleinste wijzigingen"), ("en", "Smallest changes")])
def test_whatif_search_speaks_the_language(lang, word):
    from cli import main

    path = str(ROOT / "scenarios/foodvalley/expertisecentrum.yaml")
    result = CliRunner().invoke(main, ["whatif", path, "--date", "2025-06-01", "--lang", lang])
    assert result.exit_code == 0 and word in result.output
