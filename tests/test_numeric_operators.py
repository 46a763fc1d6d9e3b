"""The numeric comparisons gt/ge/lt/le, on their own and through a rule, on both rule engines.

No shipped rule set compares numbers, so a small rule set in a temporary folder does: one rule per
comparison and one per negated comparison on the hours a week, and outcome rules that read the
conclusion of ``gt``. Each is checked at, just below and just above its bound, with whole and
fractional numbers and with the number unknown. The same folder, reached through
``$REGIOTOETS_RULES`` and given a rule that contradicts another, must give exit code 3.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import textwrap
from pathlib import Path

import pytest

from conftest import run_cli
from engine.deciding import compiler
from engine.rulebase import conditions as C
from engine.deciding.backend import DURABLE, PYTHON, durable_available
from engine.deciding.evaluate import Evaluator
from engine.reading.facts import FactSpec, flatten
from engine.deciding.validate import load_proposal

BOUND = 20
DAY = "2025-06-01"
ENGINES = [PYTHON, pytest.param(DURABLE, marks=pytest.mark.skipif(
    not durable_available(), reason="durable_rules does not import on this Python (3.13+)"))]

# What each operator means, written out here rather than taken from the engine. An unknown number
# satisfies no comparison, so it satisfies every negated one.
MEANS = {"gt": lambda x: x > BOUND, "ge": lambda x: x >= BOUND, "lt": lambda x: x < BOUND, "le": lambda x: x <= BOUND}
VALUES = [None, 0, 19, 19.5, 20, 20.0, 20.5, 21, 168]

SOURCE = ("Uren en grenzen\n\nWie meer dan twintig uur per week vraagt, doet niet mee.\n"
          "Wie twintig uur of minder vraagt, doet mee.\nZonder opgave van de uren is er geen advies.\n")

RULESET = """\
id: getallen-nota
region: getallen
name: Regio Getallen
version: "1.0"
valid_from: 2024-01-01
valid_until: 2026-12-31
source: {file: nota.txt, title: Nota uren en grenzen, path: bron/nota.txt}
decision_body: {nl: het college, en: the executive}
steps:
  - {id: uren, nl: "Uren", en: "Hours"}
"""

CITE = '{file: nota.txt, section: "Uren en grenzen", quote: "Wie meer dan twintig uur per week vraagt, doet niet mee."}'


def _rule(rid: str, when: str, then: str) -> str:
    return (f"  - id: {rid}\n    title: {{nl: \"{rid}\", en: \"{rid}\"}}\n    step: uren\n    when: {when}\n"
            f"    then: {then}\n    explain: {{nl: \"Regel {rid}.\", en: \"Rule {rid}.\"}}\n    cite: {CITE}\n")


def _comparison_rules() -> str:
    out = ["rules:\n"]
    for op in MEANS:
        test = f"{{fact: capacity.hours_per_week, {op}: {BOUND}}}"
        then = "{finding: veel_uren}" if op == "gt" else "{role: caveat}"
        out.append(_rule(f"G-{op.upper()}-01", test, then))
        out.append(_rule(f"G-NOT{op.upper()}-01", f"{{not: {test}}}", "{role: caveat}"))
    return "".join(out)


OUTCOME_RULES = "".join([
    "rules:\n",
    _rule("G-UIT-01", "{conclusion: veel_uren}", "{outcome: decline}"),
    _rule("G-UIT-02", "{all: [{not: {conclusion: veel_uren}}, {fact: capacity.hours_per_week, known: true}]}",
          "{outcome: participate}"),
    _rule("G-UIT-03", "{fact: capacity.hours_per_week, known: false}",
          "{outcome: insufficient_information, missing: [capacity.hours_per_week]}"),
])

# A defect: from 21 hours on, a second outcome besides 'decline'.
DEFECT = "rules:\n" + _rule("G-FOUT-01", f"{{fact: capacity.hours_per_week, ge: {BOUND + 1}}}", "{outcome: participate}")


def expected_fired(hours) -> set[str]:
    fired = set()
    for op, means in MEANS.items():
        holds = hours is not None and means(hours)
        fired.add(f"G-{op.upper()}-01" if holds else f"G-NOT{op.upper()}-01")
    fired.add("G-UIT-03" if hours is None else "G-UIT-01" if hours > BOUND else "G-UIT-02")
    return fired


def write_rules(root: Path, defect: bool = False) -> Path:
    folder = root / "getallen"
    (folder / "bron").mkdir(parents=True)
    (folder / "bron" / "nota.txt").write_text(SOURCE, encoding="utf-8")
    (folder / "ruleset.yaml").write_text(RULESET, encoding="utf-8")
    (folder / "10-uren.yaml").write_text(_comparison_rules(), encoding="utf-8")
    (folder / "80-uitkomst.yaml").write_text(OUTCOME_RULES, encoding="utf-8")
    if defect:
        (folder / "85-fout.yaml").write_text(DEFECT, encoding="utf-8")
    return root


def write_proposal(folder: Path, hours) -> Path:
    path = folder / f"uren-{hours}.yaml"
    capacity = "" if hours is None else f"capacity:\n  hours_per_week: {hours}\n"
    path.write_text(textwrap.dedent("""\
        title: Gezamenlijke uren
        submitter: Beleidsmedewerker
        date: 2025-04-01
        region: getallen
        topic: Uren per week voor een samenwerking
        """) + capacity, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rules_root(tmp_path_factory) -> Path:
    return write_rules(tmp_path_factory.mktemp("regels"))


# --- the comparison itself --------------------------------------------------------------------------------

@pytest.mark.parametrize("op", list(MEANS))
@pytest.mark.parametrize("value", VALUES)
def test_a_comparison_holds_exactly_when_it_should(op, value):
    test = C.FactTest("capacity.hours_per_week", op, BOUND)
    want = value is not None and MEANS[op](value)
    assert test.holds({"capacity.hours_per_week": value}) is want
    assert C.evaluate(C.Not(test), {"capacity.hours_per_week": value}, frozenset()) is (not want)


def test_the_compiled_patterns_and_their_negations():
    spec = FactSpec(path="capacity.hours_per_week", kind="number", domain=(), question_nl="", question_en="")
    specs = {spec.path: spec}
    attr = "capacity__hours_per_week"
    for op, dop, neg in (("gt", "$gt", "$lte"), ("ge", "$gte", "$lt"), ("lt", "$lt", "$gte"), ("le", "$lte", "$gt")):
        test = C.FactTest(spec.path, op, BOUND)
        assert compiler.pattern(test, specs) == {dop: {attr: BOUND}}
        # not (x > 20): x <= 20, or the number is unknown (left out of the engine fact)
        assert compiler.pattern(C.Not(test), specs) == {"$or": [{neg: {attr: BOUND}}, {"$nex": {attr: 1}}]}


# --- through rules, on both engines ------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ENGINES)
def test_each_comparison_rule_fires_exactly_when_it_should(rules_root, tmp_path, engine):
    evaluator = None
    for hours in VALUES:
        loaded = load_proposal(write_proposal(tmp_path, hours), day=dt.date(2025, 6, 1), rules_root=rules_root)
        if evaluator is None:
            evaluator = Evaluator(loaded.ruleset, engine)
            assert evaluator.engine == engine and evaluator.never == []
        facts = flatten(loaded.proposal, loaded.ruleset.facts)
        assert facts["capacity.hours_per_week"] == hours
        trace = evaluator.evaluate(facts)
        assert set(trace.fired) == expected_fired(hours), hours
        assert ("veel_uren" in trace.conclusions) is (hours is not None and hours > BOUND), hours
        for rule in loaded.ruleset.rules:  # the explanation's reading of each condition agrees with the engine
            assert C.evaluate(rule.condition, facts, trace.conclusions) is (rule.id in trace.fired), (rule.id, hours)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_advice_follows_the_bound_on_the_command_line(rules_root, tmp_path, engine):
    paths = [str(write_proposal(tmp_path, h)) for h in (20, 20.5, None)]
    result = run_cli("evaluate", *paths, "--rules", str(rules_root), "--engine", engine, "--format", "json",
                     "--date", DAY, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    advices = json.loads(result.stdout)
    assert [a["outcome"] for a in advices] == ["participate", "decline", "insufficient_information"]
    assert [a["engine"] for a in advices] == [engine] * 3
    assert [r["rule"] for r in advices[1]["reasons"]] == ["G-GT-01", "G-UIT-01"]  # the deciding rule first
    assert [m["fact"] for m in advices[2]["missing"]] == ["capacity.hours_per_week"]


# --- exit code 3 and $REGIOTOETS_RULES ---------------------------------------------------------------------

def test_a_rule_set_that_gives_two_outcomes_exits_with_code_3(tmp_path):
    """Found through $REGIOTOETS_RULES alone (the region is not shipped); 21 hours gives two outcomes."""
    root = write_rules(tmp_path / "regels", defect=True)
    env = {k: v for k, v in os.environ.items() if k != "REGIOTOETS_RULES"}
    env["REGIOTOETS_RULES"] = str(root)
    good = run_cli("evaluate", str(write_proposal(tmp_path, 20)), "--date", DAY, cwd=tmp_path, env=env, timeout=60)
    assert good.returncode == 0, good.stderr
    assert "getallen-nota" in good.stdout
    bad = run_cli("evaluate", str(write_proposal(tmp_path, 21)), "--date", DAY, cwd=tmp_path, env=env, timeout=60)
    assert bad.returncode == 3, (bad.stdout, bad.stderr)
    assert bad.stdout == "" and "Traceback" not in bad.stderr
    lines = bad.stderr.splitlines()
    assert len(lines) == 1, bad.stderr
    assert "regelset getallen-nota: 2 uitkomsten (G-FOUT-01, G-UIT-01)" in lines[0], bad.stderr
    assert "regiotoets check" in lines[0]
    for command in ("explain", "whatif", "report"):  # the other commands that evaluate stop the same way
        other = run_cli(command, str(write_proposal(tmp_path, 21)), "--date", DAY, cwd=tmp_path, env=env, timeout=60)
        assert other.returncode == 3 and other.stdout == "", (command, other.stderr)
        assert len(other.stderr.splitlines()) == 1 and "2 uitkomsten (G-FOUT-01, G-UIT-01)" in other.stderr, command
    without = {k: v for k, v in env.items() if k != "REGIOTOETS_RULES"}
    unknown = run_cli("evaluate", str(write_proposal(tmp_path, 20)), "--date", DAY, cwd=tmp_path, env=without,
                      timeout=60)
    assert unknown.returncode == 2 and "getallen" in unknown.stderr, unknown.stderr
