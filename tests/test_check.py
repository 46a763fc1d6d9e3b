"""``regiotoets check``: static findings, the exhaustive run, seeded defects and the soundness of the reduction."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from engine.verifying.check import check_folder
from engine.verifying.enumeration import analyse
from engine.rulebase.invariants import load_invariants

ROOT = Path(__file__).resolve().parent.parent
FOODVALLEY = ROOT / "rules" / "foodvalley"
BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken"
DAY = dt.date(2025, 6, 1)


def broken_copy(name: str, target: Path) -> Path:
    """A copy of the FoodValley rule set with the defect of ``tests/fixtures/broken/<name>.yaml`` applied."""
    yaml = YAML(typ="safe")
    patch = yaml.load((BROKEN / f"{name}.yaml").read_text(encoding="utf-8"))
    folder = target / name / "foodvalley"
    shutil.copytree(FOODVALLEY, folder)
    for path in sorted(folder.glob("*.yaml")):
        if path.name in ("ruleset.yaml", "invariants.yaml", "niet-gecodeerd.yaml"):
            continue
        data = yaml.load(path.read_text(encoding="utf-8"))
        for rule in data["rules"]:
            rule.update(patch.get("replace", {}).get(rule["id"], {}))
        out = YAML()
        with path.open("w", encoding="utf-8") as fh:
            out.dump(data, fh)
    if patch.get("add"):
        with (folder / "85-defect.yaml").open("w", encoding="utf-8") as fh:
            YAML().dump({"rules": patch["add"]}, fh)
    return folder


def broken_names() -> list[str]:
    return sorted(p.stem for p in BROKEN.glob("*.yaml"))


def violated(report) -> set[tuple[str, str | None]]:
    return {(v.invariant, v.changed[0] if v.changed else None) for v in report.violations}


@pytest.fixture(scope="module")
def foodvalley_report(foodvalley_check):
    assert foodvalley_check.ruleset.folder == FOODVALLEY and DAY == dt.date(2025, 6, 1)
    return foodvalley_check


def test_foodvalley_static_check_is_clean(foodvalley_report):
    assert [f.render() for f in foodvalley_report.findings if f.severity == "error"] == []


def test_foodvalley_exhaustive_covers_everything_in_time(foodvalley_report):
    r = foodvalley_report
    assert r.raw > 10**20 and 0 < r.reduced < 100_000
    # every combination and every class got exactly one outcome, and each was counted once
    assert sum(r.raw_outcome_counts.values()) == r.raw
    assert sum(r.outcome_counts.values()) == r.reduced
    assert r.checked["precies_een_uitkomst"] == r.reduced
    assert set(r.raw_outcome_counts) == set(r.outcome_counts)
    assert r.never_fired == []
    assert r.seconds < 60
    assert set(r.outcome_counts) >= {"participate", "decline", "insufficient_information"}


def test_foodvalley_has_no_violations(foodvalley_report):
    assert [v.message for v in foodvalley_report.violations] == []
    assert not foodvalley_report.failed


def only_invariant(folder: Path, invariant: str, varies: str | None = None) -> None:
    """Keep one invariant in the copy's invariants.yaml, and for a defect in how one fact varies only that fact's
    order of favourability: check then looks for the seeded defect alone (that the shipped rule set meets every
    invariant is checked above)."""
    yaml = YAML()
    path = folder / "invariants.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"))
    data["invariants"] = [i for i in data["invariants"] if i["id"] == invariant]
    assert len(data["invariants"]) == 1, invariant
    if varies is not None:
        data["favourability"] = {varies: data["favourability"][varies]}
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)


@pytest.mark.parametrize("name", broken_names())
def test_check_finds_each_seeded_defect(name, tmp_path):
    folder = broken_copy(name, tmp_path)
    case = YAML(typ="safe").load((BROKEN / f"{name}.yaml").read_text(encoding="utf-8"))
    expected = case["violates"]
    only_invariant(folder, expected, case.get("varies"))
    report = check_folder(folder, DAY)
    assert report.failed
    found = {v.invariant for v in report.violations}
    assert expected in found
    if "varies" in case:
        assert (expected, case["varies"]) in violated(report)
    # every counterexample is a proposal the engine really gets wrong
    from engine.rulebase.invariants import proposal_data
    from engine.advising.pipeline import advise_data
    v = next(v for v in report.violations if v.invariant == expected)
    rs = report.ruleset
    if expected != "precies_een_uitkomst":
        data = proposal_data(rs, v.facts)
        assert advise_data(rs, data, day=DAY).outcome == v.outcomes[0]


def test_unloadable_rules_become_findings_per_rule(tmp_path):
    folder = tmp_path / "foodvalley"
    shutil.copytree(FOODVALLEY, folder)
    (folder / "85-typo.yaml").write_text(
        "rules:\n"
        "  - id: FV-TYPO-01\n    title: {nl: T, en: T}\n    step: uitkomst\n"
        "    when: {fact: legal.requird, is: 'yes'}\n    then: {}\n    explain: {nl: x, en: x}\n"
        "    cite: {file: a, section: b, quote: 'nergens te vinden'}\n"
        "  - id: FV-WET-01\n    title: {nl: T, en: T}\n    step: uitkomst\n"
        "    when: {fact: legal.required, is: 'misschien'}\n    then: {}\n    explain: {nl: x, en: x}\n"
        "    cite: {file: a, section: b, quote: 'nergens te vinden'}\n", encoding="utf-8")
    report = check_folder(folder, DAY)
    texts = [f.render() for f in report.findings]
    assert report.failed and report.ruleset is None
    assert any("FV-TYPO-01" in t and "legal.requird" in t for t in texts)
    assert any("FV-WET-01" in t for t in texts)


def test_bad_citation_and_validity_are_reported(tmp_path):
    folder = tmp_path / "foodvalley"
    shutil.copytree(FOODVALLEY, folder)
    path = folder / "40-capaciteit.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "als er voldoende capaciteit is voor bemensing van de betreffende samenwerking",
        "als er ruim voldoende capaciteit is", 1), encoding="utf-8")
    report = check_folder(folder, dt.date(2030, 1, 1), exhaustive_run=False)
    texts = [f.render() for f in report.findings]
    assert any("FV-CAP-01" in t and "citaat" in t for t in texts)
    assert any("WAARSCHUWING" in t and "2030-01-01" in t for t in texts)


SMALL_RULESET = """
id: klein
region: klein
name: Kleine regio
version: "1"
valid_from: 2020-01-01
source: {file: 004_af38ee388a5c8a6b.txt, title: Bron, path: bron.txt}
decision_body: {nl: bestuur, en: board}
vocabulary:
  values: [{id: a, nl: A, en: A}, {id: b, nl: B, en: B}]
  enrichment: [{id: g, nl: G, en: G}]
steps: [{id: s, nl: S, en: S}]
"""

SMALL_RULES = """
rules:
  - {id: K-R-01, title: {nl: t, en: t}, step: s, when: {fact: legal.required, is: "yes"}, then: {finding: wet},
     explain: {nl: x, en: x}, cite: {file: 004_af38ee388a5c8a6b.txt, section: "Ad 2. Verrijken", quote: "de veiligheid van de jeugdigen"}}
  - {id: K-R-02, title: {nl: t, en: t}, step: s, when: {fact: content.values.*.fit, is: conflicts}, then: {finding: botst},
     explain: {nl: x, en: x}, cite: {file: 004_af38ee388a5c8a6b.txt, section: "Ad 2. Verrijken", quote: "de veiligheid van de jeugdigen"}}
  - {id: K-R-03, title: {nl: t, en: t}, step: s, when: {fact: enrichment.g.holds, is: "yes"}, then: {finding: rijk},
     explain: {nl: x, en: x}, cite: {file: 004_af38ee388a5c8a6b.txt, section: "Ad 2. Verrijken", quote: "de veiligheid van de jeugdigen"}}
  - {id: K-U-01, title: {nl: t, en: t}, step: s, when: {conclusion: wet}, then: {outcome: participate},
     explain: {nl: x, en: x}, cite: {file: 004_af38ee388a5c8a6b.txt, section: "Ad 2. Verrijken", quote: "de veiligheid van de jeugdigen"}}
  # defect: financial advantage or enrichment beats a conflict
  - {id: K-U-02, title: {nl: t, en: t}, step: s, when: {all: [{not: {conclusion: wet}}, {any: [{conclusion: rijk}, {fact: finances.execution.effect, is: better}]}]},
     then: {outcome: participate}, explain: {nl: x, en: x}, cite: {file: 004_af38ee388a5c8a6b.txt, section: "Ad 2. Verrijken", quote: "de veiligheid van de jeugdigen"}}
  - {id: K-U-03, title: {nl: t, en: t}, step: s, when: {all: [{not: {conclusion: wet}}, {not: {conclusion: rijk}}, {not: {fact: finances.execution.effect, is: better}}, {fact: capacity.sufficient, is_not: unknown}]},
     then: {outcome: decline}, explain: {nl: x, en: x}, cite: {file: 004_af38ee388a5c8a6b.txt, section: "Ad 2. Verrijken", quote: "de veiligheid van de jeugdigen"}}
  - {id: K-U-04, title: {nl: t, en: t}, step: s, when: {all: [{not: {conclusion: wet}}, {not: {conclusion: rijk}}, {not: {fact: finances.execution.effect, is: better}}, {fact: capacity.sufficient, is: unknown}]},
     then: {outcome: participate_provided}, explain: {nl: x, en: x}, cite: {file: 004_af38ee388a5c8a6b.txt, section: "Ad 2. Verrijken", quote: "de veiligheid van de jeugdigen"}}
"""

SMALL_INVARIANTS = """
invariants:
  - {id: een, kind: one_outcome, title: {nl: t, en: t}, cite: {file: f, section: "Ad 2. Verrijken", quote: "de veiligheid van de jeugdigen"}}
  - id: inhoud
    kind: outcome_bound
    title: {nl: t, en: t}
    when: {all: [{fact: legal.required, is_not: "yes"}, {fact: content.values.*.fit, is: conflicts}]}
    at_most: insufficient_information
    cite: {file: f, section: "Ad 2. Verrijken", quote: "de veiligheid van de jeugdigen"}
  - {id: monotoon, kind: monotone, title: {nl: t, en: t}, cite: {file: f, section: "Ad 2. Verrijken", quote: "de veiligheid van de jeugdigen"}}
  - {id: onbekend, kind: unknown_not_rewarded, yes_from: participate_provided, title: {nl: t, en: t}, cite: {file: f, section: "Ad 2. Verrijken", quote: "de veiligheid van de jeugdigen"}}
favourability:
  legal.required: [["no"], ["yes"]]
  content.values.*.fit: [[conflicts], [neutral], [supports]]
  enrichment.*.holds: [["no"], ["yes"]]
  finances.*.effect: [[worse], [neutral], [better]]
  capacity.sufficient: [["no"], ["yes"]]
"""


def _small(tmp_path: Path) -> Path:
    folder = tmp_path / "klein"
    folder.mkdir()
    (folder / "ruleset.yaml").write_text(SMALL_RULESET, encoding="utf-8")
    (folder / "10-regels.yaml").write_text(SMALL_RULES, encoding="utf-8")
    (folder / "invariants.yaml").write_text(SMALL_INVARIANTS, encoding="utf-8")
    shutil.copy(next((FOODVALLEY / "bron").glob("*.txt")), folder / "bron.txt")
    return folder


def test_reduction_is_sound_against_brute_force(tmp_path):
    """On a small rule set, the reduced check and full enumeration find the same violations."""
    from engine.verifying.judge import Judge

    folder = _small(tmp_path)
    report = check_folder(folder, DAY)
    rs = report.ruleset
    inv = load_invariants(rs)
    analysis = analyse(rs, inv)
    judge = Judge(rs)
    paths = analysis.relevant
    domains = [rs.facts[p].domain for p in paths]
    base = analysis.full_facts(rs.facts, {})
    table = {}
    brute: set[tuple[str, str | None]] = set()
    for combo in itertools.product(*domains):
        facts = {**base, **dict(zip(paths, combo))}
        outcome = judge.outcome(facts)
        table[combo] = outcome
        if outcome is None:
            brute.add(("een", None))
            continue
        for i in inv.of_kind("outcome_bound"):
            from engine.rulebase import conditions as C
            from engine.rulebase.invariants import outcome_bound
            if C.evaluate(i.premise, facts, frozenset()) and not outcome_bound(outcome, i.data.at_least, i.data.at_most):
                brute.add((i.id, None))
    for combo in table:
        for k, path in enumerate(paths):
            outcomes = {}
            for v in domains[k]:
                other = combo[:k] + (v,) + combo[k + 1:]
                outcomes[v] = table[other]
            if None in outcomes.values():
                continue
            for inv_id, _a, _b in inv.variation_problems(path, outcomes):
                brute.add((inv_id, path))
    assert report.raw == len(table)
    assert violated(report) == brute
    assert ("inhoud", None) in brute and ("onbekend", "capacity.sufficient") in brute


def test_check_without_region_checks_every_installed_region():
    from conftest import run_cli

    result = run_cli("check", "--static-only", "--date", "2025-06-01")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rules/foodvalley" in result.stdout and "rules/midden-limburg" in result.stdout
    assert "Regelsets getoetst / rule sets checked: 2" in result.stdout


_CITE = '{file: 004_af38ee388a5c8a6b.txt, section: "Ad 2. Verrijken", quote: "de veiligheid van de jeugdigen"}'


def _asks_needlessly(tmp_path: Path, *, fixed: bool, conditional: bool = False) -> Path:
    """A rule set that asks for legal.required although every answer gives the same outcome (unless ``fixed``)."""
    folder = tmp_path / ("vast" if fixed else "vraagt")
    folder.mkdir()
    (folder / "ruleset.yaml").write_text(SMALL_RULESET, encoding="utf-8")
    outcome = "participate_provided" if conditional else "participate"
    answered = '{fact: legal.required, in: ["yes", "no", unknown]}' if fixed else '{fact: legal.required, is: "yes"}'
    rules = [f'  - {{id: K-U-01, title: {{nl: t, en: t}}, step: s, when: {answered}, then: {{outcome: {outcome}}}, '
             f'explain: {{nl: x, en: x}}, cite: {_CITE}}}']
    if not fixed:
        rules += [f'  - {{id: K-U-02, title: {{nl: t, en: t}}, step: s, when: {{fact: legal.required, is: "no"}}, '
                  f'then: {{outcome: {outcome}}}, explain: {{nl: x, en: x}}, cite: {_CITE}}}',
                  f'  - {{id: K-U-03, title: {{nl: t, en: t}}, step: s, when: {{fact: legal.required, is: unknown}}, '
                  f'then: {{outcome: insufficient_information}}, explain: {{nl: x, en: x}}, cite: {_CITE}}}']
    (folder / "10-regels.yaml").write_text("rules:\n" + "\n".join(rules) + "\n", encoding="utf-8")
    (folder / "invariants.yaml").write_text(
        "invariants:\n"
        f"  - {{id: blokkeert, kind: unknown_decisive, title: {{nl: t, en: t}}, cite: {_CITE}}}\n", encoding="utf-8")
    shutil.copy(next((FOODVALLEY / "bron").glob("*.txt")), folder / "bron.txt")
    return folder


def test_an_unknown_that_changes_nothing_may_not_hold_up_the_advice(tmp_path):
    """unknown_decisive: 'insufficient information' for a fact whose every answer gives one outcome is reported,
    on the fact that was asked needlessly; it is judged for a fact with no favourability order too."""
    report = check_folder(_asks_needlessly(tmp_path, fixed=False), DAY)
    assert violated(report) == {("blokkeert", "legal.required")}
    (violation,) = report.violations
    assert violation.outcomes == ("insufficient_information", "participate")
    assert report.checked["blokkeert"] > 0
    fixed = check_folder(_asks_needlessly(tmp_path, fixed=True), DAY)
    assert fixed.violations == []


def test_a_conditional_advice_may_still_ask(tmp_path):
    """The conditions of a conditional participation may depend on the answer: asking is then no violation."""
    report = check_folder(_asks_needlessly(tmp_path, fixed=False, conditional=True), DAY)
    assert report.violations == []
