"""An advice from a rule set that is not shipped with regiotoets says where that rule set comes from.

``--rules`` and ``$REGIOTOETS_RULES`` may point at somebody else's rule set. Its advice then names the folder,
and says whether every file (rules, invariants, source) equals the shipped rule set with the same id and
version, differs from it, or has no shipped counterpart; the board report and the batch overview say it in
the board's words, without paths or instructions. An advice of a shipped rule set stays exactly as it was.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from conftest import RULES, SCENARIOS

SCENARIO = str(SCENARIOS / "foodvalley" / "crisisdienst-spoedhulp.yaml")
DAY = "2025-06-01"


def _run(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(cli.main, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _copy(tmp_path: Path, *, change: bool | str = False, version: str | None = None) -> Path:
    root = tmp_path / "elders"
    shutil.copytree(RULES / "foodvalley", root / "foodvalley")
    if change:  # a comment: the rules decide the same, but the files are not the shipped ones
        changed = root / "foodvalley" / (change if isinstance(change, str) else "80-uitkomst.yaml")
        with open(changed, "a", encoding="utf-8") as f:
            f.write("# lokale aanpassing\n")
    if version:
        head = root / "foodvalley" / "ruleset.yaml"
        text = head.read_text(encoding="utf-8")
        assert "\nversion: " in text
        head.write_text("\n".join(f'version: "{version}"' if line.startswith("version: ") else line
                                  for line in text.split("\n")), encoding="utf-8")
    return root


def test_a_shipped_rule_set_names_no_folder():
    advice = json.loads(_run("evaluate", SCENARIO, "--date", DAY, "--format", "json"))
    assert "folder" not in advice["ruleset"] and "same_as_shipped" not in advice["ruleset"]
    assert "meegeleverd" not in _run("evaluate", SCENARIO, "--date", DAY)


def test_an_exact_copy_elsewhere_is_named_and_said_to_be_equal(tmp_path):
    root = _copy(tmp_path)
    advice = json.loads(_run("evaluate", SCENARIO, "--date", DAY, "--rules", str(root), "--format", "json"))
    assert advice["ruleset"]["folder"] == str((root / "foodvalley").resolve())
    assert advice["ruleset"]["same_as_shipped"] is True
    text = " ".join(_run("evaluate", SCENARIO, "--date", DAY, "--rules", str(root)).split())
    assert f"Regelset uit de map {(root / 'foodvalley').resolve()}: de inhoud is gelijk aan die van de " \
           "meegeleverde regelset (versie 2021.2)." in text


def test_a_changed_rule_set_with_the_shipped_name_and_version_is_flagged(tmp_path):
    root = _copy(tmp_path, change=True)
    advice = json.loads(_run("evaluate", SCENARIO, "--date", DAY, "--rules", str(root), "--format", "json"))
    assert advice["ruleset"]["same_as_shipped"] is False
    text = " ".join(_run("evaluate", SCENARIO, "--date", DAY, "--rules", str(root)).split())
    assert "dezelfde naam en versie (2021.2) als de meegeleverde regelset, maar een andere inhoud" in text
    markdown = _run("evaluate", SCENARIO, "--date", DAY, "--rules", str(root), "--format", "markdown")
    assert "maar een andere inhoud" in markdown
    out = tmp_path / "rapport.md"
    _run("report", SCENARIO, "--date", DAY, "--rules", str(root), "--format", "markdown", "-o", str(out))
    report = out.read_text(encoding="utf-8")
    board = ("Dit advies is opgesteld met een gewijzigde versie van de regelset 'Jeugdhulpregio FoodValley' "
             "(versie 2021.2): de inhoud wijkt af van de regelset die met regiotoets is meegeleverd.")
    assert board in report.split("## ")[0] and f"**Gewijzigde regelset.** {board}" in report
    assert str(root) not in report and "Controleer" not in report  # no paths, no instructions for the board


@pytest.mark.parametrize("changed", ["invariants.yaml", "bron/004_af38ee388a5c8a6b.txt"])
def test_a_copy_with_another_source_or_invariants_is_not_called_equal(tmp_path, changed):
    root = _copy(tmp_path, change=changed)
    advice = json.loads(_run("evaluate", SCENARIO, "--date", DAY, "--rules", str(root), "--format", "json"))
    assert advice["ruleset"]["same_as_shipped"] is False


def test_an_equal_copy_is_no_warning_and_nothing_for_the_board(tmp_path):
    root = _copy(tmp_path)
    text = _run("evaluate", SCENARIO, "--date", DAY, "--rules", str(root))
    assert not [line for line in text.splitlines() if line.startswith("! ")]
    out = tmp_path / "rapport.md"
    _run("report", SCENARIO, "--date", DAY, "--rules", str(root), "--format", "markdown", "-o", str(out))
    assert "meegeleverd" not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("how", ["--rules", "REGIOTOETS_RULES"])
def test_a_rule_set_without_a_shipped_counterpart_is_named_in_every_output(tmp_path, how):
    root = _copy(tmp_path, version="9.9")
    where = ["--rules", str(root)] if how == "--rules" else []
    env = {"REGIOTOETS_RULES": str(root)} if how == "REGIOTOETS_RULES" else None
    folder = str((root / "foodvalley").resolve())
    advice = json.loads(_run("evaluate", SCENARIO, "--date", DAY, *where, "--format", "json", env=env))
    assert advice["ruleset"]["folder"] == folder and "same_as_shipped" not in advice["ruleset"]
    assert advice["ruleset"]["shipped_version"] == "2021.2"
    english = " ".join(_run("evaluate", SCENARIO, "--date", DAY, *where, "--lang", "en", env=env).split())
    assert (f"this rule set comes from the folder {folder} and was not shipped with regiotoets: version 2021.2 was "
            "shipped, this is version 9.9") in english
    out = tmp_path / "rapport.md"
    _run("report", SCENARIO, "--date", DAY, *where, "--format", "markdown", "-o", str(out), env=env)
    report = out.read_text(encoding="utf-8")
    board = ("Dit advies is opgesteld met versie 9.9 van de regelset 'Jeugdhulpregio FoodValley'; die versie is "
             "niet met regiotoets meegeleverd (meegeleverd is versie 2021.2).")
    assert board in report.split("## ")[0]  # on the front, with the details
    assert f"**Niet meegeleverde regelset.** {board}" in report  # and among the caveats and risks
    html = tmp_path / "rapport.html"
    _run("report", SCENARIO, "--date", DAY, *where, "-o", str(html), env=env)
    assert "die versie is niet met regiotoets meegeleverd" in html.read_text(encoding="utf-8")


def test_the_batch_overview_shows_a_foreign_rule_set(tmp_path):
    root = _copy(tmp_path, change=True)
    folder = tmp_path / "rapporten"
    second = str(SCENARIOS / "foodvalley" / "accounthouder-pluryn.yaml")
    _run("report", SCENARIO, second, "--date", DAY, "--rules", str(root), "--format", "markdown", "-o", f"{folder}/")
    overview = next(p for p in folder.iterdir() if p.name.startswith("overview")).read_text(encoding="utf-8")
    assert overview.count("**gewijzigde regelset**") == 2  # one row per proposal, in a few words
    assert "buiten haar geldigheid" not in overview  # not counted as a rule set outside its validity
    _run("report", SCENARIO, second, "--date", DAY, "--rules", str(root), "-o", f"{tmp_path / 'html'}/")
    assert (tmp_path / "html" / "index.html").read_text(encoding="utf-8").count("gewijzigde regelset") == 2
