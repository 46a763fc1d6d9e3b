"""The rule engine layer: compiled conditions agree with their meaning; many evaluations in one process."""

from __future__ import annotations

import random

from hypothesis import given, settings, strategies as st

from conftest import IN_VALIDITY, proposal
from engine.rulebase import conditions as C
from engine.advising.pipeline import advise_data
from engine.deciding.engines import evaluator_for
from engine.reading.facts import flatten


def random_facts(ruleset, rnd: random.Random) -> dict:
    facts = {}
    for path, spec in ruleset.facts.items():
        if spec.kind == "number":
            facts[path] = rnd.choice([None, -5.0, 0.0, 12.5, 1000.0])
        else:
            facts[path] = rnd.choice(spec.domain)
    return facts


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_compiled_rules_fire_exactly_when_their_condition_holds(foodvalley, seed):
    """Invariant: durable_rules (compiled) and the readable condition tree agree on every rule."""
    evaluator = evaluator_for(foodvalley)
    facts = random_facts(foodvalley, random.Random(seed))
    trace = evaluator.evaluate(facts)
    for rule in foodvalley.rules:
        expected = C.evaluate(rule.condition, facts, trace.conclusions)
        assert (rule.id in trace.fired) == expected, rule.id
    drawn = {foodvalley.by_id[r].then.finding for r in trace.fired if foodvalley.by_id[r].then.finding}
    assert trace.conclusions == drawn


def test_five_thousand_evaluations_in_one_process(foodvalley):
    """durable_rules keeps at most ~1,024 live sessions; every session must be deleted after reading."""
    rnd = random.Random(7)
    evaluator = evaluator_for(foodvalley)
    outcomes = set()
    for _ in range(5000):
        trace = evaluator.evaluate(random_facts(foodvalley, rnd))
        outcomes.update(foodvalley.by_id[r].then.outcome for r in trace.fired if foodvalley.by_id[r].then.outcome)
    assert outcomes >= {"participate", "decline", "insufficient_information"}


def test_same_proposal_gives_the_same_advice_twice(foodvalley):
    data = proposal(legal__required="no", capacity__sufficient="no")
    first = advise_data(foodvalley, data, day=IN_VALIDITY).model_dump_json()
    assert advise_data(foodvalley, data, day=IN_VALIDITY).model_dump_json() == first


def test_flatten_knows_every_fact_and_defaults_to_unknown(foodvalley):
    model = foodvalley.model.model_validate(proposal())
    facts = flatten(model, foodvalley.facts)
    assert set(facts) == set(foodvalley.facts)
    assert facts["legal.required"] == "unknown"
    assert facts["capacity.fte"] is None
    assert facts["procurement.segments.1"] == "unknown"


def test_dutch_answers_are_understood(foodvalley):
    data = proposal(legal__required="ja", capacity__sufficient="weet ik niet", content__values__kind_hoort_thuis="botst",
                    finances__execution="voordeliger", procurement={"tendering": "bestuurlijk aanbesteden",
                                                                     "segments": [1, 3]})
    facts = flatten(foodvalley.model.model_validate(data), foodvalley.facts)
    assert facts["legal.required"] == "yes"
    assert facts["capacity.sufficient"] == "unknown"
    assert facts["content.values.kind_hoort_thuis.fit"] == "conflicts"
    assert facts["finances.execution.effect"] == "better"
    assert facts["procurement.tendering"] == "administrative_tendering"
    assert (facts["procurement.segments.1"], facts["procurement.segments.2"]) == ("yes", "no")
