"""``regiotoets rules diff``: added, removed and changed rules, and which advices change."""

from __future__ import annotations

import shutil

from conftest import RULES, SCENARIOS, run_cli
from engine.verifying.rulediff import compare, evaluate_scenarios
from engine.rulebase.ruleset import load_ruleset


def copy_ml(tmp_path, name):
    target = tmp_path / name
    shutil.copytree(RULES / "midden-limburg", target)
    return target


def test_identical_rule_sets_have_no_differences(tmp_path):
    old = load_ruleset(copy_ml(tmp_path, "old"))
    new = load_ruleset(copy_ml(tmp_path, "new"))
    diff = compare(old, new)
    assert diff.empty
    evaluate_scenarios(diff, sorted((SCENARIOS / "midden-limburg").glob("[!e]*.yaml")))
    assert diff.scenarios and not any(s.outcome_changed or s.rules_changed for s in diff.scenarios)


def test_diff_lists_changes_and_the_advices_that_move(tmp_path):
    old_dir, new_dir = copy_ml(tmp_path, "old"), copy_ml(tmp_path, "new")
    # New version: a partner that is not a current partner is no longer acceptable (ML-PAR-05 becomes a decline
    # reason), one rule is removed and a title changes.
    partners = (new_dir / "40-partners.yaml").read_text(encoding="utf-8")
    partners = partners.replace("    then: {role: caveat}\n", "    then: {finding: geen_doel}\n")
    (new_dir / "40-partners.yaml").write_text(partners, encoding="utf-8")
    steering = (new_dir / "50-aansturing.yaml").read_text(encoding="utf-8")
    start = steering.index("  - id: ML-STU-02")
    end = steering.index("  - id: ML-STU-03")
    (new_dir / "50-aansturing.yaml").write_text(steering[:start] + steering[end:], encoding="utf-8")
    head = (new_dir / "ruleset.yaml").read_text(encoding="utf-8").replace('version: "2013.2"', 'version: "2014.1"')
    (new_dir / "ruleset.yaml").write_text(head, encoding="utf-8")

    scenario = tmp_path / "nieuwe-partner.yaml"
    text = (SCENARIOS / "midden-limburg" / "jeugdzorgplus-limburg.yaml").read_text(encoding="utf-8")
    scenario.write_text(text.replace("current_partner: yes", "current_partner: no"), encoding="utf-8")

    result = run_cli("rules", "diff", str(old_dir), str(new_dir), "--scenarios", str(tmp_path / "*.yaml"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Verwijderd (1):" in out and "- ML-STU-02" in out
    assert "~ ML-PAR-05" in out and "[then]" in out
    assert "Gewijzigde kopgegevens: version" in out
    assert "1 van 1 adviezen veranderen van uitkomst" in out
    assert "nieuwe-partner.yaml: Meedoen → Niet meedoen" in out


def test_added_rule_is_listed(tmp_path):
    old_dir, new_dir = copy_ml(tmp_path, "old"), copy_ml(tmp_path, "new")
    extra = (new_dir / "90-besluitvorming.yaml").read_text(encoding="utf-8")
    extra += """
  - id: ML-BES-04
    title: {nl: "Meld het besluit aan de partnerregio's", en: "Report the decision to the partner regions"}
    step: besluitvorming
    when: {conclusion: route_deelname}
    then: {role: next_step}
    explain: {nl: "Meld het besluit.", en: "Report the decision."}
    cite:
      file: 002_3e7312ca97d5d6ed.txt
      section: "5.6 Participatie"
      quote: "De gemeenten vinden het van groot belang om jeugdigen en ouders te betrekken"
    examples:
      - {facts: {}, fires: false}
"""
    (new_dir / "90-besluitvorming.yaml").write_text(extra, encoding="utf-8")
    diff = compare(load_ruleset(old_dir), load_ruleset(new_dir))
    assert diff.added == ["ML-BES-04"] and not diff.removed and not diff.changed


def test_diff_of_a_missing_folder_is_a_clean_error(tmp_path):
    result = run_cli("rules", "diff", str(tmp_path / "nergens"), str(RULES / "midden-limburg"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
