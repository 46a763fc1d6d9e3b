"""Explain: the decision route per step, why and why not, on every scenario."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import IN_VALIDITY, ROOT, proposal

SCENARIOS = sorted(p for p in (ROOT / "scenarios").glob("**/*.yaml") if p.name != "expected.yaml")


def _explain(path: Path, lang: str = "nl"):
    from engine.advising.explain import explain_loaded
    from engine.deciding.validate import load_proposal

    loaded = load_proposal(path, day=IN_VALIDITY)
    return loaded, explain_loaded(loaded, day=IN_VALIDITY, lang=lang)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_route_matches_the_trace(path: Path):
    from engine.rulebase import conditions as C
    from engine.reading.facts import flatten
    from engine.common.i18n import OUTCOME_RANK
    from engine.deciding.engines import evaluator_for

    loaded, expl = _explain(path)
    ruleset = loaded.ruleset
    trace = evaluator_for(ruleset).evaluate(flatten(loaded.proposal, ruleset.facts))
    nodes = [n for s in expl.steps for n in s.rules]
    assert sorted(n.rule for n in nodes) == sorted(r.id for r in ruleset.rules)
    for node in nodes:
        assert node.fired == (node.rule in trace.fired)
        rule = ruleset.by_id[node.rule]
        if node.fired:
            assert set(node.facts) == set(C.fact_paths(rule.condition))
            assert all(trace.facts[p] == v for p, v in node.facts.items())
        elif not isinstance(rule.condition, C.Always):
            assert node.failing, node.rule  # a rule that did not fire says which test failed
            for check in node.failing:
                if check.fact is not None:
                    assert all(trace.facts[p] == v for p, v in check.facts.items())
    assert all(OUTCOME_RANK[w.outcome] > OUTCOME_RANK[expl.outcome] for w in expl.why_not)
    assert all(not n.fired and n.outcome == w.outcome for w in expl.why_not for n in w.rules)
    if expl.outcome == "insufficient_information":
        assert expl.missing and [m.changes for m in expl.missing] == sorted((m.changes for m in expl.missing),
                                                                            reverse=True)


@pytest.mark.parametrize("path", SCENARIOS[:3] + SCENARIOS[-2:], ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_explain_command_every_format(path: Path, fmt: str):
    from cli import main

    for lang, word in (("nl", "Beslisroute"), ("en", "Decision route")):
        result = CliRunner().invoke(main, ["explain", str(path), "--date", "2025-06-01", "--format", fmt, "--lang", lang])
        assert result.exit_code == 0, result.output
        if fmt == "json":
            data = json.loads(result.output)
            assert data["lang"] == lang and data["steps"]
        else:
            assert word in result.output


def test_why_not_participate_names_the_failing_fact(foodvalley):
    """Only the capacity is missing: 'why not participate?' leads to capacity = no."""
    from engine.advising.explain import explain_trace, render_text
    from engine.reading.facts import flatten
    from engine.advising.pipeline import advise_data
    from engine.deciding.engines import evaluator_for

    data = proposal(legal__required="no", scale__local_possible="no", scale__regional_possible="no",
                    capacity__sufficient="no", enrichment__jeugdigen="yes",
                    **{f"content__values__{e.id}": "supports" for e in foodvalley.meta.vocabulary.values},
                    **{f"content__care_landscape__{e.id}": "neutral" for e in foodvalley.meta.vocabulary.care_landscape})
    evaluator = evaluator_for(foodvalley)
    model = foodvalley.model.model_validate(data)
    trace = evaluator.evaluate(flatten(model, foodvalley.facts))
    advice = advise_data(foodvalley, data, day=IN_VALIDITY)
    assert advice.outcome == "participate_provided"
    expl = explain_trace(evaluator, trace, advice, "nl")
    (why,) = [w for w in expl.why_not if w.outcome == "participate"]

    def facts_below(nodes):
        for n in nodes:
            yield from n.facts.items()  # a rule that fired but should not have: the facts it used
            for c in n.failing:
                if c.fact:
                    yield c.fact, c.value
                yield from facts_below(c.because)

    assert ("capacity.sufficient", "no") in set(facts_below(why.rules))
    text = render_text(expl, foodvalley)
    assert "Waarom niet: Meedoen?" in text and "voldoende capaciteit" in text


def test_missing_information_is_ranked_with_questions_in_both_languages():
    from cli import main

    path = ROOT / "scenarios/foodvalley/kennisnetwerk-onvolledig.yaml"
    result = CliRunner().invoke(main, ["explain", str(path), "--date", "2025-06-01", "--format", "json"])
    data = json.loads(result.output)
    assert data["outcome"] == "insufficient_information", "the scenario must lack information for this test"
    assert len(data["missing"]) > 1
    assert data["missing"][0]["changes"] >= data["missing"][-1]["changes"]
    assert all(m["question_nl"] and m["question_en"] for m in data["missing"])


def _why_not(path: str, day: str) -> dict[str, list[tuple[str, list[str], list[str]]]]:
    from engine.advising.explain import explain_loaded, why_not_lines
    from engine.deciding.validate import load_proposal

    loaded = load_proposal(path, day=dt.date.fromisoformat(day))
    expl = explain_loaded(loaded, day=dt.date.fromisoformat(day))
    return dict(why_not_lines(expl))


def test_why_not_keeps_and_apart_from_or():
    """ML-ROU-02 needs both 'opschaling nodig' and 'grond doel' (an 'all'): two requirements, not one choice."""
    routes = _why_not(str(ROOT / "scenarios" / "midden-limburg" / "kennisnetwerk-autisme.yaml"), "2014-06-01")
    (_, wanted, blocking), = [r for r in routes["Meedoen"] if r[0] == "Meedoen: de afweging valt positief uit"]
    assert wanted == ["‘Opschalen naar een grotere regio is nodig’", "‘De samenwerking dient een doel van 5.1’"]
    assert blocking == ["‘Niet elk basisprincipe is beoordeeld’"]


def test_why_not_never_offers_what_the_rule_itself_rules_out():
    """FV-UIT-07 (meedoen) needs 'in lijn te brengen' to stay absent: it is no alternative for 'inhoud past'."""
    routes = _why_not(str(ROOT / "scenarios" / "foodvalley" / "grootschalige-residentiele-capaciteit.yaml"),
                      "2025-06-01")
    (_, wanted, _), = [r for r in routes["Meedoen"] if r[0] == "Meedoen: de afweging valt positief uit"]
    assert wanted == ["‘Inhoud is in lijn met Ons Verhaal en het zorglandschap’"]
    (_, provided, _), = routes["Meedoen, mits aan de voorwaarden is voldaan"]
    # an 'any' of content findings, then an 'any' of conditions: each one requirement with alternatives
    assert provided[0] == ("‘Inhoud is in lijn met Ons Verhaal en het zorglandschap’ of "
                           "‘Inhoud botst maar is in lijn te brengen’")
    assert provided[1].startswith("‘Inhoud botst maar is in lijn te brengen’ of ") and provided[1].endswith(" andere")


def test_requirements_absorb_and_bracket():
    """'A of B' beside 'A' is left out; a requirement inside an alternative is bracketed; long lists are cut."""
    from engine.advising.requirements import _and, _or, render

    expr = _and(["A", _or(["A", "B"]), _or(["C", _and(["D", "E"])]), _or(["F", "G", "H", "I"])])
    more = lambda n: f"{n} andere"  # noqa: E731
    assert [render(e, "of", "en", more) for e in expr[1]] == ["‘A’", "‘C’ of (‘D’ en ‘E’)", "‘F’ of ‘G’ of 2 andere"]
