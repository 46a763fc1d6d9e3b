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
