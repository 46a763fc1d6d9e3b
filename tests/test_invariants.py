"""Property-based tests: every invariant of ``invariants.yaml`` on generated proposals, through the CLI's pipeline.

Proposals are generated from the fact catalogue (``ruleset.facts``), so a new
fact is covered without touching this file. Facts that share a wildcard
pattern (``content.values.*.fit``) get a common value with a few exceptions,
so "everything fits except one conflict" is a common shape. The number of
examples tried per invariant is printed at the end of the run (conftest).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from engine.rulebase import conditions as C
from engine.rulebase.invariants import VARIATION_KINDS, load_invariants, outcome_bound, proposal_data, reasons_cited
from engine.advising.pipeline import advise_data
from engine.rulebase.ruleset import RuleSet, load_ruleset, quote_in_source

ROOT = Path(__file__).resolve().parent.parent
FOODVALLEY = ROOT / "rules" / "foodvalley"
DAY = dt.date(2025, 6, 1)
if sys.version_info >= (3, 11):
    FOUND = (AssertionError, BaseExceptionGroup)  # several distinct failures come as a group
else:  # hypothesis depends on the backport there
    from exceptiongroup import BaseExceptionGroup as _Group
    FOUND = (AssertionError, _Group)
EXAMPLES: Counter = Counter()  # invariant id -> examples tried (printed by conftest)
SETTINGS = settings(max_examples=200, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _group(path: str, domain: tuple) -> tuple:
    """Facts of one section with the same answers move together (all values of Ons Verhaal, both scale questions)."""
    return (path.split(".")[0], domain)


def facts_strategy(ruleset: RuleSet) -> st.SearchStrategy[dict[str, Any]]:
    """Facts of every shape: each wildcard group a common value with exceptions; unknown everywhere possible."""
    groups: dict[str, list[str]] = {}
    for path, spec in ruleset.facts.items():
        if spec.kind == "enum":
            groups.setdefault(_group(path, spec.domain), []).append(path)

    @st.composite
    def build(draw) -> dict[str, Any]:
        facts: dict[str, Any] = {}
        for members in groups.values():
            domain = ruleset.facts[members[0]].domain
            common = draw(st.sampled_from(domain))
            for p in members:
                facts[p] = common
            if len(members) > 1:
                for p in draw(st.lists(st.sampled_from(members), max_size=2, unique=True)):
                    facts[p] = draw(st.sampled_from(domain))
        return facts
    return build()


def advise(ruleset: RuleSet, facts: dict[str, Any], answers: bool = True):
    """The advice on a proposal with these facts. ``answers=False`` leaves out what each answer to a missing fact
    would give: those are evaluations of their own, and neither the outcome nor the reasons depend on them."""
    return advise_data(ruleset, proposal_data(ruleset, facts), day=DAY, answers=answers)


def _outcome_or_none(ruleset: RuleSet, facts: dict[str, Any]) -> str | None:
    from engine.common.errors import EngineError
    try:
        return advise(ruleset, facts, answers=False).outcome
    except EngineError:
        return None


def property_for(ruleset: RuleSet, inv_id: str, max_examples: int = 200, count_as: str | None = None,
                 shrink: bool = True):
    """A hypothesis test of one invariant on ``ruleset``; calling it runs the search (AssertionError on a violation).

    ``count_as`` is the line of the printed summary the examples are counted on; ``shrink=False`` stops at the
    first violation found instead of looking for the smallest (a seeded defect only has to be found).
    """
    invariants = load_invariants(ruleset)
    inv = next(i for i in invariants.invariants if i.id == inv_id)
    ordered = (sorted(invariants.no_effect[inv_id]) if inv.kind == "no_effect"
               else invariants.varied_paths(ruleset.facts) if inv.kind == "unknown_decisive" else sorted(invariants.orders))
    phases = SETTINGS.phases if shrink else tuple(p for p in SETTINGS.phases if p != Phase.shrink)

    @settings(SETTINGS, max_examples=max_examples, phases=phases, report_multiple_bugs=shrink)
    @given(facts=facts_strategy(ruleset), which=st.integers(min_value=0, max_value=max(0, len(ordered) - 1)))
    def run(facts: dict[str, Any], which: int) -> None:
        EXAMPLES[count_as or inv_id] += 1
        if inv.kind == "one_outcome":
            assert _outcome_or_none(ruleset, facts) is not None, f"geen of meer uitkomsten / not one outcome: {facts}"
        elif inv.kind == "outcome_bound":
            advice = advise(ruleset, facts, answers=False)
            if C.evaluate(inv.premise, advice.facts, frozenset()):
                assert outcome_bound(advice.outcome, inv.data.at_least, inv.data.at_most), (advice.outcome, facts)
        elif inv.kind in VARIATION_KINDS:
            path = ordered[which % len(ordered)]
            outcomes = {v: _outcome_or_none(ruleset, {**facts, path: v}) for v in ruleset.facts[path].domain}
            if None not in outcomes.values():
                bad = [p for p in invariants.variation_problems(path, outcomes, facts) if p[0] == inv_id]
                assert not bad, (path, outcomes, bad)
        elif inv.kind == "reasons_cited":
            assert reasons_cited(advise(ruleset, facts, answers=False), ruleset) == []
        elif inv.kind == "deterministic":
            data = proposal_data(ruleset, facts)
            first = advise_data(ruleset, data, day=DAY).model_dump_json()
            advise(ruleset, {p: "unknown" for p in facts})  # something else in between
            assert advise_data(ruleset, data, day=DAY).model_dump_json() == first
    return run


@pytest.fixture(scope="module")
def foodvalley() -> RuleSet:
    return load_ruleset(FOODVALLEY)


def _ids() -> list[str]:
    text = (FOODVALLEY / "invariants.yaml").read_text(encoding="utf-8")
    return re.findall(r"^  - id: ([a-z_]+)", text, flags=re.M)


@pytest.mark.parametrize("inv_id", _ids())
def test_invariant_holds_for_foodvalley(foodvalley, inv_id):
    property_for(foodvalley, inv_id)()


def test_every_invariant_cites_the_source(foodvalley):
    invariants = load_invariants(foodvalley)
    assert {i.kind for i in invariants.invariants} == {"one_outcome", "outcome_bound", "monotone", "no_effect",
                                                       "unknown_not_rewarded", "unknown_not_penalised",
                                                       "unknown_decisive", "reasons_cited", "deterministic"}
    for inv in invariants.invariants:
        assert quote_in_source(inv.data.cite.quote, foodvalley.source_text), inv.id
        assert quote_in_source(inv.data.cite.section, foodvalley.source_text), inv.id


def test_determinism_in_another_process(foodvalley):
    """The same advice, byte for byte, from a fresh process that builds its own evaluator."""
    from engine.verifying.exhaustive import _in_fresh_process

    items = [proposal_data(foodvalley, {"legal.required": v, "capacity.sufficient": "no"}) for v in ("yes", "no", "unknown")]
    here = [advise_data(foodvalley, d, day=DAY).model_dump_json() for d in reversed(items)][::-1]
    EXAMPLES["advies_reproduceerbaar"] += len(items)
    assert _in_fresh_process(foodvalley.folder, items, DAY) == here


@pytest.mark.parametrize("name", ["financieel_wint", "onbekend_capaciteit", "twee_uitkomsten"])
def test_properties_detect_seeded_defects(name, tmp_path):
    from ruamel.yaml import YAML

    from test_check import BROKEN, broken_copy

    expected = YAML(typ="safe").load((BROKEN / f"{name}.yaml").read_text(encoding="utf-8"))["violates"]
    ruleset = load_ruleset(broken_copy(name, tmp_path))
    with pytest.raises(FOUND):
        property_for(ruleset, expected, max_examples=1000, count_as=f"defect {name}", shrink=False)()
