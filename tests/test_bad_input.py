"""Bad input gives one clear message per problem (file:line, field, expectation, suggestion), exit 2, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import RULES, ROOT, run_cli

HEAD = "title: Testvoorstel\nsubmitter: Beleidsmedewerker\ndate: 2025-01-01\ntopic: Iets om te toetsen\nregion: foodvalley\n"

CASES = {
    "syntax": ('title: "niet afgesloten\n  submitter: x\n', ["syntax.yaml:3", "YAML", "begonnen op regel 1"]),
    "unknown_field": (HEAD + "legal:\n  requird: yes\n", ["unknown_field.yaml:7", "legal.requird", "bedoelde u 'required'?"]),
    "unknown_top": (HEAD + "finance:\n  content: better\n", ["unknown_top.yaml:6", "finance", "'finances'"]),
    "wrong_type": (HEAD + "capacity:\n  fte: veel\n", ["wrong_type.yaml:7", "capacity.fte", "verwacht: een getal"]),
    "wrong_value": (HEAD + "legal:\n  required: misschien\n", ["wrong_value.yaml:7", "legal.required", "ja, nee of weet ik niet"]),
    "wrong_fit": (HEAD + "content:\n  values:\n    kind_hoort_thuis: botst-niet\n",
                  ["wrong_fit.yaml:8", "content.values.kind_hoort_thuis.fit"]),
    "unknown_value_key": (HEAD + "content:\n  values:\n    kind_hoort_thui: supports\n",
                          ["unknown_value_key.yaml:8", "bedoelde u 'kind_hoort_thuis'?"]),
    "missing_required": ("title: Testvoorstel\ndate: 2025-01-01\nregion: foodvalley\n",
                         ["missing_required.yaml:1:1: submitter", "missing_required.yaml:1:1: topic"]),
    "bad_date": (HEAD.replace("2025-01-01", "1 januari") + "", ["bad_date.yaml:3", "date", "JJJJ-MM-DD"]),
    "empty": ("", ["empty.yaml:1", "leeg"]),
    "only_comments": ("# nog niets\n", ["only_comments.yaml:1", "leeg"]),
    "not_a_mapping": ("- een\n- lijst\n", ["not_a_mapping.yaml:1", "mapping"]),
    "unknown_region": (HEAD.replace("foodvalley", "foodvaley"), ["unknown_region.yaml:5", "bedoelde u 'foodvalley'?"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_proposal_gives_clear_error_and_exit_2(tmp_path, name):
    text, expected = CASES[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "advies.txt"
    result = run_cli("evaluate", str(path), "--output", str(out), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "Error" not in result.stderr.split(":")[0]
    for fragment in expected:
        assert fragment in result.stderr, result.stderr
    assert not out.exists(), "bad input must not write an output file"
    assert list(tmp_path.glob(".advies*")) == [], "no temporary file left behind"


def test_missing_file(tmp_path):
    result = run_cli("evaluate", "bestaat-niet.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "bestaat-niet.yaml: bestand bestaat niet" in result.stderr


def test_one_bad_file_among_good_ones_is_reported_and_skipped(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(HEAD + "legal:\n  required: misschien\n", encoding="utf-8")
    out = tmp_path / "advies.md"
    good = ROOT / "scenarios" / "foodvalley" / "expertisecentrum.yaml"
    result = run_cli("evaluate", str(good), str(bad), "--format", "markdown", "--output", str(out), cwd=tmp_path)
    assert result.returncode == 2
    assert "bad.yaml:7" in result.stderr and "legal.required" in result.stderr and "1 mislukt:" in result.stderr
    assert out.read_text(encoding="utf-8").startswith("# Advies: Deelname bovenregionaal expertisecentrum")


def test_json_proposals_are_accepted_and_errors_have_lines(tmp_path):
    good = tmp_path / "voorstel.json"
    good.write_text('{"title": "JSON-voorstel", "submitter": "Ik", "date": "2025-01-01", "topic": "Iets in JSON",\n'
                    ' "region": "foodvalley", "legal": {"required": "ja"}}\n', encoding="utf-8")
    result = run_cli("evaluate", str(good), "--date", "2025-06-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "MEEDOEN" in result.stdout
    bad = tmp_path / "fout.json"
    bad.write_text('{"title": "JSON-voorstel", "submitter": "Ik", "date": "2025-01-01", "topic": "Iets",\n'
                   ' "region": "foodvalley",\n "legal": {"requird": "ja"}}\n', encoding="utf-8")
    result = run_cli("evaluate", str(bad), cwd=tmp_path)
    assert result.returncode == 2
    assert "fout.json:3:12: legal.requird" in result.stderr


def test_bad_date_option(tmp_path):
    good = ROOT / "scenarios" / "foodvalley" / "expertisecentrum.yaml"
    result = run_cli("evaluate", str(good), "--date", "morgen", cwd=tmp_path)
    assert result.returncode == 2
    assert "--date" in result.stderr and "JJJJ-MM-DD" in result.stderr


def _broken_rules(tmp_path: Path, old: str, new: str, file: str = "20-inhoud.yaml") -> Path:
    root = tmp_path / "rules"
    shutil.copytree(RULES / "foodvalley", root / "foodvalley")
    path = root / "foodvalley" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


@pytest.mark.parametrize("old,new,expected", [
    ("content.can_be_aligned, is: \"no\"}", "content.can_be_algned, is: \"no\"}",
     ["20-inhoud.yaml:", "FV-INH-02", "content.can_be_algned", "bedoelde u 'content.can_be_aligned'?"]),
    ("{fact: content.can_be_aligned, is: \"no\"}", "{fact: content.can_be_aligned, is: misschien}",
     ["FV-INH-02", "misschien"]),
    ("step: inhoud\n", "step: inhout\n", ["FV-INH-01", "onbekende stap", "bedoelde u 'inhoud'?"]),
    ("- id: FV-INH-02", "- id: FV-INH-01", ["FV-INH-01", "id komt al voor"]),
    ("  - id: FV-INH-01\n", "  - id: FV-INH-01\n    colour: blue\n", ["FV-INH-01", "colour"]),
])
def test_broken_rule_file_names_file_and_rule(tmp_path, old, new, expected):
    root = _broken_rules(tmp_path, old, new)
    good = ROOT / "scenarios" / "foodvalley" / "expertisecentrum.yaml"
    result = run_cli("evaluate", str(good), "--rules", str(root), cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr
    for fragment in expected:
        assert fragment in result.stderr, result.stderr


def test_rule_file_with_yaml_error(tmp_path):
    root = _broken_rules(tmp_path, "rules:\n", "rules:\n  - [\n")
    good = ROOT / "scenarios" / "foodvalley" / "expertisecentrum.yaml"
    result = run_cli("evaluate", str(good), "--rules", str(root), cwd=tmp_path)
    assert result.returncode == 2
    assert "20-inhoud.yaml:" in result.stderr and "YAML" in result.stderr
