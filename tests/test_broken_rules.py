"""A broken rule file stops the run before any proposal is evaluated, naming the file, line and rule id.

Each case in ``tests/broken_rules/`` breaks a copy of the FoodValley rule set
in one way (a text replaced, or a rule file added) and says what the error
must contain. A proposal is evaluated with the copy through the command
line: exit 2, one line per problem, no advice on stdout, no traceback.
(``tests/test_bad_input.py`` covers a misspelt fact, value or step, a
duplicate id in one file, an unknown field and a YAML syntax error.)
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import RULES, SCENARIOS, run_cli

CASES = Path(__file__).resolve().parent / "broken_rules"
PROPOSAL = str(SCENARIOS / "foodvalley" / "expertisecentrum.yaml")


def broken_rules(case: dict, target: Path) -> Path:
    """A copy of the FoodValley rule set with the case's defect; returns the rules root."""
    root = target / "rules"
    folder = root / "foodvalley"
    shutil.copytree(RULES / "foodvalley", folder)
    path = folder / case["file"]
    if "add" in case:
        with path.open("w", encoding="utf-8") as fh:
            YAML().dump(case["add"], fh)
    elif "replace" in case:
        old, new = case["replace"]
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{case['file']} no longer contains {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if "write" in case:  # a file of the rule set with exact bytes (hex) or a repeated text
        spec = case["write"]
        data = (bytes.fromhex(spec["hex"]) if "hex" in spec
                else (spec["repeat"] * spec["times"]).encode("utf-8"))
        (folder / spec["path"]).write_bytes(data)
    if "fifo" in case:  # opening it for reading would block for ever
        os.mkfifo(folder / case["fifo"])
    return root


@pytest.mark.parametrize("name", sorted(p.stem for p in CASES.glob("*.yaml")))
def test_broken_rule_file_is_reported_before_evaluation(tmp_path, name):
    case = YAML(typ="safe").load((CASES / f"{name}.yaml").read_text(encoding="utf-8"))
    root = broken_rules(case, tmp_path)
    result = run_cli("evaluate", PROPOSAL, "--rules", str(root), "--date", "2025-06-01", cwd=tmp_path, timeout=60)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == "", "no advice may be given with a broken rule set"
    assert "Traceback" not in result.stderr and "interne fout" not in result.stderr, result.stderr
    lines = sorted({line for line in result.stderr.splitlines() if ".yaml:" in line})  # one per problem
    assert len(lines) == case.get("problems", 1), result.stderr
    assert any(f"foodvalley/{case['where']}: " in line for line in lines), result.stderr
    for fragment in case["expect"]:
        assert fragment in result.stderr, (fragment, result.stderr)


@pytest.mark.parametrize("name", ["valid_until_before_valid_from", "condition_nan_bound", "source_outside_folder"])
def test_check_fails_on_the_broken_rule_set_too(tmp_path, name):
    """'regiotoets check' refuses what evaluation refuses: a rule set that ends before it starts, a bound that
    compares false with everything, a source outside the rule set folder."""
    case = YAML(typ="safe").load((CASES / f"{name}.yaml").read_text(encoding="utf-8"))
    root = broken_rules(case, tmp_path)
    result = run_cli("check", "--static-only", "--rules", str(root), "--region", "foodvalley", "--date", "2025-06-01",
                     cwd=tmp_path, timeout=60)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stdout.splitlines() if "FOUT / ERROR" in line]
    assert errors and any(f"foodvalley/{case['where']}: " in line for line in errors), result.stdout
    for fragment in case["expect"]:
        assert fragment in result.stdout, (fragment, result.stdout)
    assert "NIET IN ORDE / FAILED" in result.stdout
