"""``regiotoets report`` and ``evaluate --format html|docx`` on the command line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conftest import SCENARIOS, run_cli

FOODVALLEY = sorted(str(p) for p in (SCENARIOS / "foodvalley").glob("*.yaml") if p.name != "expected.yaml")
EXPERTISE = str(SCENARIOS / "foodvalley" / "expertisecentrum.yaml")
DAY = ("--date", "2025-06-01")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_single_report_to_file_and_stdout(tmp_path):
    target = tmp_path / "advies.html"
    result = run_cli("report", EXPERTISE, *DAY, "--output", str(target))
    assert result.returncode == 0, result.stderr
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Beslispunten" in html
    shown = run_cli("report", EXPERTISE, *DAY, "--format", "markdown", "--lang", "en")
    assert shown.returncode == 0 and "## 1. Decision points" in shown.stdout


def test_docx_needs_an_output_file(tmp_path):
    result = run_cli("report", EXPERTISE, *DAY, "--format", "docx")
    assert result.returncode == 2 and "--output" in result.stderr
    target = tmp_path / "advies.docx"
    assert run_cli("report", EXPERTISE, *DAY, "--format", "docx", "-o", str(target)).returncode == 0
    import docx

    assert docx.Document(io.BytesIO(target.read_bytes())).paragraphs


def test_several_proposals_give_reports_and_an_overview(tmp_path):
    chosen = FOODVALLEY[:4]
    out = tmp_path / "rapporten"
    result = run_cli("report", *chosen, *DAY, "--output", f"{out}/")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([Path(p).stem + ".html" for p in chosen] + ["index.html"])
    index = (out / "index.html").read_text(encoding="utf-8")
    for p in chosen:
        assert f'href="{Path(p).stem}.html"' in index
    assert index.count("<tr>") == len(chosen) + 1
    assert "rapporten / reports" in result.stderr  # the progress bar's label, on stderr

    md_out = tmp_path / "md"
    assert run_cli("report", *chosen[:2], *DAY, "--format", "markdown", "--output", f"{md_out}/").returncode == 0
    overview = (md_out / "overview.md").read_text(encoding="utf-8")
    assert "| Voorstel | Uitkomst | Bepalende regel | Regio en regelset | Rapport |" in overview
    assert f"({Path(chosen[0]).stem}.md)" in overview.replace("<", "").replace(">", "")


def test_jobs_give_byte_identical_output(tmp_path):
    chosen = FOODVALLEY[:3]
    for fmt in ("html", "docx"):
        one, two = tmp_path / f"{fmt}-1", tmp_path / f"{fmt}-2"
        assert run_cli("report", *chosen, *DAY, "--format", fmt, "--jobs", "1", "-o", f"{one}/").returncode == 0
        result = run_cli("report", *chosen, *DAY, "--format", fmt, "--jobs", "2", "-o", f"{two}/")
        assert result.returncode == 0, result.stderr
        assert tree(one) == tree(two)
        assert len(tree(one)) == len(chosen) + 1


def test_bad_input_exits_2_and_writes_nothing(tmp_path):
    bad = tmp_path / "kapot.yaml"
    bad.write_text("title: Kapot voorstel\nsubmitter: Iemand\ndate: 2025-01-01\ntopic: Een onderwerp\n"
                   "region: foodvalley\nkindd: procurement\n", encoding="utf-8")
    target = tmp_path / "advies.html"
    result = run_cli("report", str(bad), *DAY, "--output", str(target))
    assert result.returncode == 2
    assert "kapot.yaml" in result.stderr and "kindd" in result.stderr and "Traceback" not in result.stderr
    assert not target.exists()
    assert run_cli("report", EXPERTISE, *DAY, "--format", "pdf").returncode == 2
    folder = tmp_path / "uit"
    result = run_cli("report", str(bad), str(bad), *DAY, "--output", f"{folder}/")
    assert result.returncode == 2 and not folder.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_several_proposals_need_an_output_folder():
    result = run_cli("report", *FOODVALLEY[:2], *DAY)
    assert result.returncode == 2 and "--output" in result.stderr


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_evaluate_writes_reports_too(tmp_path, fmt):
    target = tmp_path / f"advies.{fmt}"
    result = run_cli("evaluate", EXPERTISE, *DAY, "--format", fmt, "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert target.stat().st_size > 1000
    if fmt == "docx":
        assert run_cli("evaluate", EXPERTISE, *DAY, "--format", fmt).returncode == 2
