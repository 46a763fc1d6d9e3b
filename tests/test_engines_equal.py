"""The plain-Python rule engine gives the same traces and advices as durable_rules.

Both engines run over the whole reduced decision space of every installed rule
set (every class ``regiotoets check`` enumerates, which together cover every
combination of decision facts) and over generated proposals; traces (rules
fired, in order, and conclusions drawn) and the JSON advices must be identical
apart from the name of the engine in the receipt. (The answers to missing facts
come from the search engine whichever engine evaluated: on the classes the
advices are compared without them, on the generated proposals with them.)
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("durable_rules_engine", reason="durable_rules does not import on this Python (3.13+): "
                                                   "there is only one engine to compare")

from engine.advising.advice import build_advice  # noqa: E402
from engine.deciding.backend import DURABLE, PYTHON  # noqa: E402
from engine.verifying.enumeration import Enumerator, analyse  # noqa: E402
from engine.reading.facts import flatten  # noqa: E402
from engine.rulebase.invariants import load_invariants, proposal_data  # noqa: E402
from engine.advising.pipeline import advise_data  # noqa: E402
from engine.deciding.engines import evaluator_for  # noqa: E402
from engine.rulebase.registry import installed  # noqa: E402
from engine.rulebase.ruleset import load_ruleset  # noqa: E402
from test_invariants import SETTINGS, facts_strategy  # noqa: E402

DAY = dt.date(2025, 6, 1)
FOLDERS = [i.folder for i in installed() if i.meta is not None]


def _label(folder: Path) -> str:
    return folder.name


def _advice_json(ruleset, facts: dict, engine: str) -> dict:
    advice = advise_data(ruleset, proposal_data(ruleset, facts), day=DAY, engine=engine)
    assert advice.engine == engine
    data = json.loads(advice.model_dump_json())
    del data["engine"]
    return data


def test_there_are_rule_sets_to_compare():
    assert FOLDERS


@pytest.mark.parametrize("folder", FOLDERS, ids=_label)
def test_engines_agree_on_every_class_of_the_decision_space(folder):
    ruleset = load_ruleset(folder)
    analysis = analyse(ruleset, load_invariants(ruleset))
    reached = Enumerator(analysis.classes, analysis.sizes).run(analysis.system, analysis.relevant)
    assert reached
    durable, python = evaluator_for(ruleset, DURABLE), evaluator_for(ruleset, PYTHON)
    assert (durable.engine, python.engine) == (DURABLE, PYTHON)
    fired_somewhere: set[str] = set()
    for r in reached.values():
        facts = analysis.full_facts(ruleset.facts, r.witness)
        expected, got = durable.evaluate(facts), python.evaluate(facts)
        assert got == expected, facts
        fired_somewhere.update(expected.fired)
        # The advice on the proposal with these facts, built by each engine from its own trace, must be the same
        # JSON text. The answers to missing facts are worked out by the search engine whichever engine gave the
        # trace (advice.with_answers, as whatif): they are left out here, and compared, answers included, on the
        # generated proposals below.
        proposal = ruleset.model.model_validate(proposal_data(ruleset, facts))
        seen = flatten(proposal, ruleset.facts)
        if seen != facts:  # the proposal reads back other facts (a default for an unknown): evaluate those
            expected, got = durable.evaluate(seen), python.evaluate(seen)
        assert _advice_text(python, got, proposal, answers=False) == \
            _advice_text(durable, expected, proposal, answers=False), facts
    assert fired_somewhere  # the comparison saw rules fire, not only empty traces


def _advice_text(evaluator, trace, proposal, answers: bool = True) -> str:
    """The JSON advice of one engine, without the engine's name (the only field that may differ)."""
    advice = build_advice(evaluator, trace, proposal, file="<data>", sha256="", day=DAY, answers=answers)
    assert advice.engine == evaluator.engine
    return advice.model_copy(update={"engine": ""}).model_dump_json()


@pytest.mark.parametrize("folder", FOLDERS, ids=_label)
def test_engines_agree_on_generated_proposals(folder):
    ruleset = load_ruleset(folder)
    durable, python = evaluator_for(ruleset, DURABLE), evaluator_for(ruleset, PYTHON)

    numbers = [p for p, spec in ruleset.facts.items() if spec.kind == "number"]
    number = st.one_of(st.none(), st.integers(0, 100), st.floats(0, 100, allow_nan=False))  # within every limit

    @SETTINGS
    @given(facts_strategy(ruleset), st.fixed_dictionaries({p: number for p in numbers}))
    def prop(facts, amounts):
        for path, amount in amounts.items():  # an amount has the sign of its effect, as the proposal model requires
            effect = facts.get(path.rsplit(".", 1)[0] + ".effect")
            if amount and effect == "worse":
                amounts[path] = -amount
        facts = {**facts, **amounts}
        assert python.evaluate(facts) == durable.evaluate(facts)
        assert _advice_json(ruleset, facts, PYTHON) == _advice_json(ruleset, facts, DURABLE)

    prop()


def test_check_reports_how_many_classes_both_engines_agreed_on(foodvalley_check):
    report = foodvalley_check  # check of the shipped FoodValley rule set, shared with tests/test_check.py
    assert report.engines == (PYTHON, DURABLE)
    assert report.agreed == report.reduced > 0 and not report.disagreed


def test_a_difference_between_the_engines_fails_check(monkeypatch):
    """A Python engine that drops one rule's firing is caught by check's comparison (on the smallest installed
    rule set: the comparison is the same for every rule set)."""
    from engine.deciding import pybackend
    from engine.verifying.check import check_ruleset

    ruleset = min((load_ruleset(f) for f in FOLDERS), key=lambda r: len(r.rules))
    real_run, real_direct = pybackend.PythonRuleset.run, pybackend.PythonRuleset.run_direct

    def lossy(self, stages, fact_for):
        out = real_run(self, stages, fact_for)
        return [ids[1:] if ids else ids for ids in out]

    def lossy_direct(self, stages, facts, finding):
        out, drawn = real_direct(self, stages, facts, finding)
        return [ids[1:] if ids else ids for ids in out], drawn

    monkeypatch.setattr(pybackend.PythonRuleset, "run", lossy)
    monkeypatch.setattr(pybackend.PythonRuleset, "run_direct", lossy_direct)
    from engine.deciding import engines
    monkeypatch.setattr(engines, "_EVALUATORS", {})
    report = check_ruleset(ruleset, DAY)
    assert report.disagreed and report.failed


_PATTERNS = {
    "GT": {"$gt": {"n": 2}}, "GE": {"$gte": {"n": 2}}, "LT": {"$lt": {"n": 2.5}}, "LE": {"$lte": {"n": 2}},
    "EX": {"$ex": {"n": 1}}, "NEX": {"$nex": {"n": 1}}, "EQ": {"e": "a"}, "NEQ": {"$neq": {"e": "a"}},
    "OR": {"$or": [{"$gt": {"n": 5}}, {"e": "b"}]},
    "AND": {"$and": [{"$lte": {"n": 5}}, {"$neq": {"e": "b"}}, {"c__x": "yes"}]},
    "NOT_GT": {"$or": [{"$lte": {"n": 2}}, {"$nex": {"n": 1}}]},
}


@SETTINGS
@given(st.lists(st.fixed_dictionaries({}, optional={
    "n": st.one_of(st.integers(-5, 10), st.floats(-5, 10, allow_nan=False), st.sampled_from([2, 2.0, 2.5])),
    "e": st.sampled_from(["a", "b", "unknown"]), "c__x": st.sampled_from(["yes", "no"])}), min_size=1, max_size=3))
def test_both_engines_match_every_operator_alike(facts):
    """The operators the compiler emits (numeric ones included, which no shipped rule uses yet), per stage."""
    from engine.deciding.backend import CompiledRuleset
    from engine.deciding.pybackend import PythonRuleset

    definitions = {f"{name}{stage}": {"all": [{"m": {"$and": [{"stage": stage}, pattern]}}]}
                   for stage in (1, 2, 3) for name, pattern in _PATTERNS.items()}
    global _DURABLE_RULES
    if _DURABLE_RULES is None:  # durable_rules registers a ruleset name once per process: register once
        _DURABLE_RULES = CompiledRuleset("operators", definitions)
    python = PythonRuleset("operators", definitions)
    stages = list(range(1, len(facts) + 1))
    got = python.run(stages, lambda stage, fired: facts[stage - 1])
    want = _DURABLE_RULES.run(stages, lambda stage, fired: facts[stage - 1])
    assert [sorted(x) for x in got] == [sorted(x) for x in want], facts
    # The direct way (decision facts and drawn conclusions, no engine fact): rule EQ1 draws conclusion x in
    # stage 1, which stage 2 reads.
    where = {"n": ("fact", "n"), "e": ("fact", "e"), "c__x": ("conclusion", "x")}.get
    direct = PythonRuleset("operators", definitions, where)
    plain = {k: v for k, v in facts[0].items() if k != "c__x"}
    got_direct, drawn = direct.run_direct([1, 2], plain, {"EQ1": "x"})
    want_direct = _DURABLE_RULES.run([1, 2], lambda stage, fired: {
        **plain, "c__x": "yes" if stage == 2 and "EQ1" in fired else "no"})
    assert [sorted(x) for x in got_direct] == [sorted(x) for x in want_direct], plain
    assert drawn == ({"x"} if "EQ1" in got_direct[0] else set())


_DURABLE_RULES = None


@pytest.mark.parametrize("folder", FOLDERS, ids=_label)
def test_a_variant_tried_again_in_part_gives_the_whole_evaluation(folder):
    """``Evaluator.varier``: a variant of one fact, with only the rules it can affect tried again, gives the trace
    a whole evaluation of the varied facts gives, on the full rule set and on the outcome rules alone."""
    from engine.advising.whatif import outcome_evaluator

    ruleset = load_ruleset(folder)
    enums = [p for p, spec in ruleset.facts.items() if spec.kind == "enum"]

    @SETTINGS
    @given(facts_strategy(ruleset), st.sampled_from(enums), st.data())
    def prop(facts, path, data):
        value = data.draw(st.sampled_from(ruleset.facts[path].domain))
        for evaluator in (evaluator_for(ruleset, PYTHON), outcome_evaluator(ruleset)):
            varied = dict(facts)
            varied[path] = value
            assert evaluator.varier(facts)(path, value) == evaluator.evaluate(varied)

    prop()
