"""Each step of FoodValley's weighing ("Hoe werken we bovenregionaal samen?") through the real engine."""

from __future__ import annotations

import pytest

from conftest import IN_VALIDITY, proposal
from engine.advising.pipeline import advise_data

ALL_FIT = {"content__values__" + k: "supports" for k in (
    "alle_kinderen_normaal", "kind_is_gezin", "doen_wat_echt_nodig_is", "kind_hoort_thuis",
    "voorkomen_beter_dan_genezen", "jeugdhulpwerkers_helden", "aanbieders_voeren_visie_uit", "blijven_leren",
    "cijfers_zeggen_niet_alles")}
ALL_FIT.update({"content__care_landscape__" + k: "neutral" for k in (
    "zo_thuis_mogelijk", "crisis_ambulant_en_tijdelijk", "lichte_hulp_begrensd", "tijdig_afschalen",
    "naast_elkaar_bij_veiligheid", "altijd_effectief")})
GOOD = dict(ALL_FIT, legal__required="no", enrichment__jeugdigen="yes", finances__content="neutral",
            finances__execution="neutral", finances__negotiating_position="neutral", capacity__sufficient="yes",
            scale__local_possible="no", scale__regional_possible="no", kind="programme")


def advise(foodvalley, **facts):
    return advise_data(foodvalley, proposal(**facts), day=IN_VALIDITY)


def rule_ids(uses):
    return [u.rule for u in uses]


def test_a_well_founded_proposal_is_joined(foodvalley):
    advice = advise(foodvalley, **GOOD)
    assert advice.outcome == "participate"
    assert "FV-UIT-07" in rule_ids(advice.reasons)
    assert advice.conditions == [] and advice.missing == []


def test_legally_required_joins_whatever_the_rest_says(foodvalley):
    facts = dict(GOOD, legal__required="yes", content__values__kind_hoort_thuis="conflicts",
                 content__can_be_aligned="no", capacity__sufficient="no", enrichment__jeugdigen="no")
    advice = advise(foodvalley, **facts)
    assert advice.outcome == "participate"
    assert "FV-UIT-01" in rule_ids(advice.reasons)
    # Missing staff is an action in a prescribed collaboration, not a condition; the conflict is a caveat.
    assert "FV-CAP-04" in rule_ids(advice.next_steps)
    assert "FV-INH-07" in rule_ids(advice.caveats)
    assert advice.conditions == []


def test_content_conflict_that_cannot_be_aligned_declines_even_when_cheaper(foodvalley):
    facts = dict(GOOD, content__values__kind_hoort_thuis="conflicts", content__can_be_aligned="no",
                 finances__execution="better", finances__negotiating_position="better")
    advice = advise(foodvalley, **facts)
    assert advice.outcome == "decline"
    assert {"FV-UIT-02", "FV-INH-02"} <= set(rule_ids(advice.reasons))
    assert "FV-INH-06" in rule_ids(advice.reasons + advice.considered)


def test_content_conflict_that_can_be_aligned_is_a_condition(foodvalley):
    advice = advise(foodvalley, **dict(GOOD, content__care_landscape__tijdig_afschalen="conflicts",
                                       content__can_be_aligned="yes"))
    assert advice.outcome == "participate_provided"
    assert rule_ids(advice.conditions) == ["FV-INH-03"]


def test_neither_enrichment_nor_financial_advantage_declines(foodvalley):
    facts = dict(GOOD, enrichment__jeugdigen="no", enrichment__kwaliteit="no", enrichment__veiligheid="no")
    advice = advise(foodvalley, **facts)
    assert advice.outcome == "decline"
    assert "FV-GRO-03" in rule_ids(advice.reasons)


def test_financial_advantage_alone_is_a_ground(foodvalley):
    facts = dict(GOOD, enrichment__jeugdigen="no", enrichment__kwaliteit="no", enrichment__veiligheid="no",
                 finances__execution="better")
    assert advise(foodvalley, **facts).outcome == "participate"


def test_financial_disadvantage_does_not_block_an_enriching_proposal_but_is_a_caveat(foodvalley):
    advice = advise(foodvalley, **dict(GOOD, finances__execution={"effect": "worse", "amount_eur": -1250000}))
    assert advice.outcome == "participate"
    assert "FV-FIN-04" in rule_ids(advice.caveats)


def test_insufficient_staffing_makes_participation_conditional(foodvalley):
    advice = advise(foodvalley, **dict(GOOD, capacity__sufficient="no", capacity__fte=1.5))
    assert advice.outcome == "participate_provided"
    assert rule_ids(advice.conditions) == ["FV-CAP-02"]
    assert "1,5 fte" in advice.conditions[0].text


@pytest.mark.parametrize("fact", ["scale__local_possible", "scale__regional_possible"])
def test_local_or_regional_scale_is_a_consideration_not_a_step(foodvalley, fact):
    """The regiovisie never asks whether a topic can be handled locally: it may inform, never decide."""
    advice = advise(foodvalley, **dict(GOOD, **{fact: "yes"}))
    assert advice.outcome == "participate"
    assert "FV-SCH-01" in rule_ids(advice.caveats)


def test_board_approval_is_a_next_step_whenever_foodvalley_joins(foodvalley):
    for facts in (GOOD, dict(GOOD, legal__required="yes")):
        assert "FV-BES-01" in rule_ids(advise(foodvalley, **facts).next_steps)
    declined = advise(foodvalley, **dict(GOOD, enrichment__jeugdigen="no", enrichment__kwaliteit="no",
                                         enrichment__veiligheid="no"))
    assert declined.outcome == "decline"
    assert "FV-BES-01" not in rule_ids(declined.next_steps)


def test_decision_level_is_named(foodvalley):
    assert "FV-BES-03" in rule_ids(advise(foodvalley, **dict(GOOD, governance__decision_level="local")).next_steps)
    assert "FV-BES-04" in rule_ids(advise(foodvalley, **GOOD).next_steps)
    assert "FV-BES-02" in rule_ids(advise(foodvalley, **dict(GOOD, kind="procurement")).next_steps)


def test_procurement_deviations_are_each_named(foodvalley):
    facts = dict(GOOD, kind="procurement", procurement={
        "tendering": "public_tender", "contract_term": "fixed", "execution_variant": "none",
        "cost_price_research": "no", "cost_price_with_providers": "no", "continuity_on_termination": "no",
        "administrative_burden": "increased", "fraud_measures": "no", "segments": [1]})
    advice = advise(foodvalley, **facts)
    assert advice.outcome == "participate_provided"
    assert set(rule_ids(advice.conditions)) == {"FV-INK-01", "FV-INK-02", "FV-INK-03", "FV-INK-04", "FV-INK-08",
                                                "FV-INK-09", "FV-INK-10", "FV-INK-11"}


def test_missing_cost_components_are_named_per_segment(foodvalley):
    procurement = {"tendering": "administrative_tendering", "contract_term": "indefinite", "execution_variant": "task",
                   "cost_price_research": "yes", "cost_price_with_providers": "yes",
                   "continuity_on_termination": "yes", "administrative_burden": "reduced", "fraud_measures": "yes",
                   "cost_components": {"direct_staff": "yes", "risk_surcharge": "yes", "accommodation": "no",
                                       "capital": "no"}}
    with_stay = advise(foodvalley, **dict(GOOD, kind="procurement", procurement=dict(procurement, segments=[2])))
    assert {"FV-INK-06", "FV-INK-07"} <= set(rule_ids(with_stay.conditions))
    ambulant = advise(foodvalley, **dict(GOOD, kind="procurement", procurement=dict(procurement, segments=[4])))
    assert ambulant.outcome == "participate"


def test_unknown_is_not_false_unknown_legal_status_blocks_a_decline(foodvalley):
    facts = dict(GOOD, legal__required="unknown", enrichment__jeugdigen="no", enrichment__kwaliteit="no",
                 enrichment__veiligheid="no")
    advice = advise(foodvalley, **facts)
    assert advice.outcome == "insufficient_information"
    assert [m.fact for m in advice.missing if m.blocking] == ["legal.required"]


def test_unknown_legal_status_does_not_block_a_participation(foodvalley):
    advice = advise(foodvalley, **dict(GOOD, legal__required="unknown"))
    assert advice.outcome == "participate"
    assert "FV-WET-03" in rule_ids(advice.caveats)


def test_insufficient_information_lists_exactly_the_blocking_facts(foodvalley):
    facts = dict(GOOD)
    del facts["enrichment__jeugdigen"]
    facts["finances__execution"] = "unknown"
    advice = advise(foodvalley, **facts)
    assert advice.outcome == "insufficient_information"
    blocking = sorted(m.fact for m in advice.missing if m.blocking)
    assert blocking == ["enrichment.jeugdigen.holds", "enrichment.kwaliteit.holds", "enrichment.veiligheid.holds",
                        "finances.execution.effect", "finances.overall.effect"]
    for m in advice.missing:
        if m.blocking:  # each blocking fact says which answer leads where, worked out by the engine
            assert {a.value: a.outcome for a in m.answers}["yes" if m.fact.startswith("enrichment") else "better"] \
                == "participate"


def test_an_empty_proposal_is_insufficient_information_not_a_decline(foodvalley):
    advice = advise(foodvalley)
    assert advice.outcome == "insufficient_information"
    assert "legal.required" in [m.fact for m in advice.missing]


def test_every_reason_carries_rule_citation_and_facts(foodvalley):
    advice = advise(foodvalley, **GOOD)
    for use in advice.reasons + advice.caveats + advice.next_steps:
        assert use.rule in foodvalley.by_id
        assert use.citation.quote and use.citation.section
    used = {u.rule: u.facts for u in advice.trace}
    assert used["FV-WET-02"] == {"legal.required": "no"}


def test_english_advice_is_english(foodvalley):
    advice = advise_data(foodvalley, proposal(**GOOD), day=IN_VALIDITY, lang="en")
    assert advice.outcome_label == "Participate"
    assert advice.reasons[0].text.startswith("The collaboration is in line with Ons Verhaal")
