"""``check`` without --region also checks a rule set whose header does not load, instead of passing over it."""

from __future__ import annotations

import shutil

from conftest import RULES, run_cli


def test_check_without_region_reports_a_rule_set_whose_header_is_broken(tmp_path):
    root = tmp_path / "rules"
    for name in ("foodvalley", "midden-limburg"):
        shutil.copytree(RULES / name, root / name)
    head = root / "midden-limburg" / "ruleset.yaml"
    text = head.read_text(encoding="utf-8")
    assert "\nvalid_from:" in text
    head.write_text(text.replace("\nvalid_from:", "\nvalid_form:", 1), encoding="utf-8")
    result = run_cli("check", "--static-only", "--rules", str(root), "--date", "2025-06-01", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "valid_form" in result.stdout
    assert "Regelsets getoetst / rule sets checked: 2" in result.stdout
    assert "midden-limburg" in result.stdout.split("niet in orde / failed:")[-1]


def test_check_without_region_checks_every_version_of_a_region(two_versions, tmp_path):
    """Not only the version in force on the date: a broken older version is found as well."""
    root = two_versions
    rule_file = sorted((root / "ml-2013").glob("[0-9]*.yaml"))[0]
    rules = rule_file.read_text(encoding="utf-8")
    first_quote = rules.index("quote: ")
    rule_file.write_text(rules[:first_quote] + 'quote: "een zin die niet in de visienota staat"\n'
                         + rules[rules.index("\n", first_quote) + 1:], encoding="utf-8")
    result = run_cli("check", "--static-only", "--rules", str(root), "--date", "2017-06-01", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Regelsets getoetst / rule sets checked: 2" in result.stdout
    assert "ml-2013" in result.stdout.split("niet in orde / failed:")[-1]
    assert "ml-2016" not in result.stdout.split("niet in orde / failed:")[-1]
