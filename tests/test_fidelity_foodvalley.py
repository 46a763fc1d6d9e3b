"""The FoodValley decision procedure exactly as the regiovisie states it.

Each probe is a proposal written from a passage of the source ("Hoe werken we
bovenregionaal samen?", "Wanneer werken we bovenregionaal samen?"); all other
facts are neutral or "no", capacity is there. The expected outcome is what the
passage says, not what the rules happen to do.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from conftest import IN_VALIDITY, proposal, set_path
from engine.advising.pipeline import advise_data

VALUES = ["alle_kinderen_normaal", "kind_is_gezin", "doen_wat_echt_nodig_is", "kind_hoort_thuis",
          "voorkomen_beter_dan_genezen", "jeugdhulpwerkers_helden", "aanbieders_voeren_visie_uit", "blijven_leren",
          "cijfers_zeggen_niet_alles"]
LANDSCAPE = ["zo_thuis_mogelijk", "crisis_ambulant_en_tijdelijk", "lichte_hulp_begrensd", "tijdig_afschalen",
             "naast_elkaar_bij_veiligheid", "altijd_effectief"]


def base(**changes: Any) -> dict[str, Any]:
    """Everything neutral or 'no', capacity there; ``changes`` as dotted paths with '__'."""
    data = proposal(kind="programme", legal__required="no")
    data["content"] = {"values": {v: "neutral" for v in VALUES},
                       "care_landscape": {c: "neutral" for c in LANDSCAPE}}
    data["enrichment"] = {"jeugdigen": "no", "kwaliteit": "no", "veiligheid": "no"}
    data["finances"] = {"content": "neutral", "execution": "neutral", "negotiating_position": "neutral"}
    data["capacity"] = {"sufficient": "yes"}
    for key, value in changes.items():
        if value is DROP:
            parts = key.split("__")
            node = data
            for part in parts[:-1]:
                node = node[part]
            node.pop(parts[-1], None)
        else:
            set_path(data, key.replace("__", "."), value)
    return data


DROP = object()
CONFLICT = dict(content__values__kind_hoort_thuis={"fit": "conflicts", "reason": "Plaatsing buiten de regio."})


def advise(foodvalley, data: dict[str, Any], lang: str = "nl"):
    return advise_data(foodvalley, copy.deepcopy(data), day=IN_VALIDITY, lang=lang)


def all_text(advice) -> str:
    uses = advice.conditions + advice.reasons + advice.considered + advice.caveats + advice.next_steps
    return " ".join([advice.summary] + [u.text for u in uses])


def test_legally_required_participates_whatever_else(foodvalley):
    """'Als dit zo is dan zal de Jeugdhulpregio FoodValley meedoen': conflict, worse finances, no capacity."""
    data = base(legal__required="yes", content__can_be_aligned="no", capacity__sufficient="no",
                finances__execution={"effect": "worse", "amount_eur": -40000}, **CONFLICT)
    advice = advise(foodvalley, data)
    assert advice.outcome == "participate"
    assert "niet mee" not in all_text(advice).replace("geen reden om niet mee te doen", "")
    assert not advice.conditions, "a capacity gap in a mandatory collaboration is an action, not a condition"
    rules = {u.rule for u in advice.caveats + advice.next_steps}
    assert {"FV-INH-07", "FV-FIN-04", "FV-CAP-04"} <= rules


def test_unalignable_conflict_declines_even_when_cheaper(foodvalley):
    data = base(content__can_be_aligned="no", finances={"content": "better", "execution": "better",
                                                         "negotiating_position": "better"}, **CONFLICT)
    advice = advise(foodvalley, data)
    assert advice.outcome == "decline"
    assert advice.reasons[0].rule == "FV-UIT-02"


def test_enriching_with_worse_finances_participates_with_a_caveat(foodvalley):
    data = base(enrichment__kwaliteit="yes", finances__execution={"effect": "worse", "amount_eur": -25000,
                                                                  "note": "extra coördinatie"})
    advice = advise(foodvalley, data)
    assert advice.outcome == "participate"
    caveat = next(u for u in advice.caveats if u.rule == "FV-FIN-04")
    assert "25.000" in caveat.text and "extra coördinatie" in caveat.text


def test_cheaper_execution_alone_is_a_ground(foodvalley):
    advice = advise(foodvalley, base(finances__execution="better"))
    assert advice.outcome == "participate"


def test_nothing_positive_declines(foodvalley):
    advice = advise(foodvalley, base())
    assert advice.outcome == "decline"
    assert advice.reasons[0].rule == "FV-UIT-08"


def test_alignable_conflict_with_better_negotiating_position_participates_provided(foodvalley):
    data = base(content__can_be_aligned="yes", finances__negotiating_position="better", **CONFLICT)
    advice = advise(foodvalley, data)
    assert advice.outcome == "participate_provided"
    assert any(u.rule == "FV-INH-03" for u in advice.conditions)


@pytest.mark.parametrize("scale", [{"regional_possible": "yes"}, {"local_possible": "yes"}, DROP,
                                   {"local_possible": "unknown", "regional_possible": "unknown"}])
def test_scale_never_decides(foodvalley, scale):
    """The source never asks whether a topic can be handled locally: the scale only adds a consideration."""
    data = base(enrichment__jeugdigen="yes")
    if scale is not DROP:
        data["scale"] = scale
    advice = advise(foodvalley, data)
    assert advice.outcome == "participate"
    assert not any(m.blocking for m in advice.missing)


def test_enriching_with_finances_unknown_lists_finances_as_still_open(foodvalley):
    data = base(enrichment__jeugdigen="yes", finances=DROP)
    advice = advise(foodvalley, data)
    assert advice.outcome in ("participate", "participate_provided")
    open_facts = {m.fact for m in advice.missing if not m.blocking}
    assert "finances.overall.effect" in open_facts
    assert any(u.rule == "FV-FIN-06" for u in advice.caveats)


def test_enriching_without_capacity_participates_provided(foodvalley):
    advice = advise(foodvalley, base(enrichment__jeugdigen="yes", capacity__sufficient="no"))
    assert advice.outcome == "participate_provided"
    assert [u.rule for u in advice.conditions] == ["FV-CAP-02"]


def test_legal_status_unknown_but_enriching_participates(foodvalley):
    advice = advise(foodvalley, base(legal__required="unknown", enrichment__jeugdigen="yes"))
    assert advice.outcome in ("participate", "participate_provided")
    assert not any(m.blocking for m in advice.missing)


def test_legal_status_unknown_and_nothing_positive_names_each_answer(foodvalley):
    advice = advise(foodvalley, base(legal__required="unknown"))
    assert advice.outcome == "insufficient_information"
    blocking = [m for m in advice.missing if m.blocking]
    assert [m.fact for m in blocking] == ["legal.required"]
    assert {a.value: a.outcome for a in blocking[0].answers} == {"yes": "participate", "no": "decline"}


def test_overall_content_judgement_is_enough(foodvalley):
    """'in lijn met de uitgangspunten van Ons Verhaal': one overall judgement, no value-by-value rating needed."""
    data = base(content={"overall": {"fit": "in lijn", "reason": "Sluit aan bij Een kind hoort thuis."}},
                enrichment__veiligheid="yes")
    advice = advise(foodvalley, data)
    assert advice.outcome == "participate"
    assert not advice.missing or not any(m.blocking for m in advice.missing)


def test_a_named_conflict_decides_over_an_overall_judgement(foodvalley):
    data = base(content={"overall": "in_line", "values": {"kind_hoort_thuis": "conflicts"}, "can_be_aligned": "no"},
                enrichment__veiligheid="yes")
    assert advise(foodvalley, data).outcome == "decline"


def test_no_content_judgement_blocks_and_says_where_each_answer_leads(foodvalley):
    data = base(content=DROP, enrichment__veiligheid="yes")
    advice = advise(foodvalley, data)
    assert advice.outcome == "insufficient_information"
    blocking = {m.fact: {a.value: a.outcome for a in m.answers} for m in advice.missing if m.blocking}
    assert blocking["content.overall.fit"]["in_line"] == "participate"


def test_procurement_ground_alone_is_a_ground(foodvalley):
    """'We werken bovenregionaal samen als: … dat noodzakelijk is voor de continuïteit en kwaliteit van aanbod'."""
    data = base(kind="procurement", procurement={"grounds": {"continuiteit_en_kwaliteit": "yes", "doelen": "no",
                                                             "onderhandelingspositie": "no",
                                                             "stuur_en_slagkracht": "no", "efficientie": "no"}})
    advice = advise(foodvalley, data)
    assert advice.outcome in ("participate", "participate_provided")
    assert any(u.rule == "FV-GRO-05" for u in advice.reasons)


def test_unsubstantiated_decisive_judgement_is_named(foodvalley):
    advice = advise(foodvalley, base(enrichment__kwaliteit="yes"))
    assert [n.fact for n in advice.unsubstantiated] == ["enrichment.kwaliteit.holds"]
    with_reason = base(enrichment__kwaliteit={"holds": "yes", "judged_by": "Werkgroep jeugd",
                                              "judged_on": "2025-03-04", "evidence": "Verslag werkgroep"})
    advice = advise(foodvalley, with_reason)
    assert advice.unsubstantiated == []
    grounds = next(u for u in advice.reasons if u.rule == "FV-GRO-01")
    assert "oordeel van Werkgroep jeugd op 4 maart 2025" in grounds.text and "Verslag werkgroep" in grounds.text


def test_continuing_arrangement_is_not_called_new(foodvalley):
    advice = advise(foodvalley, base(legal__required="yes", new_collaboration="no"))
    texts = " ".join(u.text for u in advice.next_steps)
    assert "iedere nieuwe bovenregionale samenwerking is hun goedkeuring vereist" not in texts
    assert any(u.rule == "FV-BES-05" for u in advice.next_steps)
