"""Batches: a bad file is reported and skipped, the rest is written, the exit code tells; safe output names."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import SCENARIOS, run_cli

from engine.report.batch import NAME_LIMIT, file_names, inside, safe_stem

DAY = ("--date", "2025-06-01")
GOOD = [SCENARIOS / "foodvalley" / name for name in ("expertisecentrum.yaml", "modulaire-training.yaml")]
BAD_TEXT = ("title: Kapot voorstel\nsubmitter: Iemand\ndate: 2025-01-01\ntopic: Een onderwerp\n"
            "region: foodvalley\nlegal:\n  required: misschien\n")


@pytest.fixture
def inputs(tmp_path) -> list[str]:
    """Two good proposals with a bad one between them."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD[0], folder / "a-expertise.yaml")
    (folder / "b-kapot.yaml").write_text(BAD_TEXT, encoding="utf-8")
    shutil.copy(GOOD[1], folder / "c-training.yaml")
    return [str(folder / n) for n in ("a-expertise.yaml", "b-kapot.yaml", "c-training.yaml")]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def assert_failure_reported(result) -> None:
    assert result.returncode == 2, result.stderr
    assert re.search(r"b-kapot\.yaml:7(:\d+)?: legal\.required", result.stderr)  # the problem, with its line
    assert "2 van 3 voorstellen verwerkt" in result.stderr and "1 mislukt:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_report_batch_skips_the_bad_file_and_jobs_give_the_same_bytes(inputs, tmp_path, fmt):
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        result = run_cli("report", *inputs, *DAY, "--format", fmt, "--jobs", jobs, "--output", f"{out}/")
        assert_failure_reported(result)
        outputs[jobs] = tree(out)
    assert outputs["1"] == outputs["2"]
    ext, overview = (".html", "index.html") if fmt == "html" else (".md", "overview.md")
    assert sorted(outputs["1"]) == sorted([f"a-expertise{ext}", f"c-training{ext}", overview])
    index = outputs["1"][overview].decode("utf-8")
    assert "b-kapot.yaml" in index and ("Niet getoetst" in index)


def test_evaluate_batch_to_a_folder_and_to_one_file(inputs, tmp_path):
    for jobs in ("1", "2"):
        result = run_cli("evaluate", *inputs, *DAY, "--format", "json", "--jobs", jobs, "-o", f"{tmp_path}/j{jobs}/")
        assert_failure_reported(result)
    assert tree(tmp_path / "j1") == tree(tmp_path / "j2")
    assert sorted(tree(tmp_path / "j1")) == ["a-expertise.json", "c-training.json"]
    assert json.loads((tmp_path / "j1" / "a-expertise.json").read_text("utf-8"))["outcome"] == "participate"

    combined = tmp_path / "alles.json"
    result = run_cli("evaluate", *inputs, *DAY, "--format", "json", "-o", str(combined))
    assert_failure_reported(result)
    files = [Path(a["proposal"]["file"]).name for a in json.loads(combined.read_text("utf-8"))]
    assert files == ["a-expertise.yaml", "c-training.yaml"]
    shown = run_cli("evaluate", *inputs, *DAY)
    assert_failure_reported(shown)
    assert shown.stdout.count("Advies: ") == 2


def test_all_good_exits_0_and_all_bad_writes_nothing(tmp_path):
    result = run_cli("evaluate", *map(str, GOOD), *DAY, "--format", "markdown", "-o", f"{tmp_path}/md/")
    assert result.returncode == 0, result.stderr
    assert sorted(tree(tmp_path / "md")) == ["expertisecentrum.md", "modulaire-training.md"]
    bad = tmp_path / "kapot.yaml"
    bad.write_text(BAD_TEXT, encoding="utf-8")
    result = run_cli("report", str(bad), str(bad), *DAY, "-o", f"{tmp_path}/leeg/")
    assert result.returncode == 2 and not (tmp_path / "leeg").exists()


def test_help_documents_the_exit_codes():
    for args in ((), ("evaluate",), ("report",)):
        text = run_cli(*args, "--help").stdout
        assert "Exitcodes / exit codes:" in text and "130/143" in text and "bad input" in text


def test_output_names_stay_in_the_folder_and_do_not_collide(tmp_path):
    """Names from odd file names: separators, dots, device names, case and overlong names."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    odd = ["CON.yaml", "con.yml", "A.yaml", "sub/a.yaml", "..yaml", "x" * 200 + ".yaml", "spatie en $teken.yaml"]
    for name in odd:
        shutil.copy(GOOD[0], folder / name)
    out = tmp_path / "uit"
    result = run_cli("report", *(str(folder / n) for n in odd), *DAY, "-o", f"{out}/")
    assert result.returncode == 0, result.stderr
    names = sorted(tree(out))
    assert len(names) == len(odd) + 1
    assert {"CON_.html", "con_-2.html", "A.html", "a-2.html", "voorstel.html", "spatie-en-teken.html"} <= set(names)
    assert all(len(n.encode()) <= NAME_LIMIT + len("-2.html") for n in names)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "uit"]  # nothing written beside the folder


@pytest.mark.parametrize("raw,expected", [
    ("../../etc/passwd", "etc-passwd"), ("/abs/path", "abs-path"), ("a\x00b", "a-b"), ("..", "voorstel"),
    ("..\\..\\win", "win"), ("NUL", "NUL_"), ("lpt9.txt", "lpt9.txt_"), ("  ", "voorstel"), ("Financiën", "Financiën"),
    ("ｆｕｌｌ", "full"), (".verborgen", "verborgen"), ("x" * 300, "x" * NAME_LIMIT),
])
def test_safe_stem(raw, expected):
    assert safe_stem(raw) == expected


def test_file_names_and_inside(tmp_path):
    assert file_names(["a/x.yaml", "b/x.yaml", "c/X.json", "index.yaml"], ".html", reserved=("index.html",)) == \
        ["x.html", "x-2.html", "X-3.html", "index-2.html"]
    assert inside(tmp_path, "x.html") == tmp_path / "x.html"
    for name in ("../x.html", "/etc/x", "a/b", "..", ".", "", "a\x00b", "a\\b"):
        with pytest.raises(ValueError):
            inside(tmp_path, name)
