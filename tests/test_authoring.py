"""docs/authoring.md runs: its example regiovisie becomes a PDF, its files are written and its commands run in order.

This is the issue's end-to-end test as well: a region scaffolded from a PDF made here (text written for the guide),
rules with citations and examples, then check, rules coverage, evaluate and report on it, with the PDF's page
numbers in the citations.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from pdfmaker import make_pdf

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "authoring.md"
_BLOCK = re.compile(r"(?:<!-- (?P<mark>[^>]+?) -->\n)?```(?P<lang>\w+)\n(?P<body>.*?)```", re.S)


def _steps(text: str) -> list[tuple[str, str, str]]:
    """(marker, language, body) of every fenced block, in document order."""
    return [(m.group("mark") or "", m.group("lang"), m.group("body")) for m in _BLOCK.finditer(text)]


def _merge(base: dict, extra: dict) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    args = shlex.split(command)
    assert args[0] == "regiotoets", command
    env_path = str(ROOT)
    return subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {env_path!r}); import cli; cli.main()",
                           *args[1:]], cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="module")
def worked_example(tmp_path_factory):
    """Run the guide in a fresh folder; the outputs of its commands, by command."""
    cwd = tmp_path_factory.mktemp("gids")
    steps = _steps(GUIDE.read_text(encoding="utf-8"))
    pages = [body.rstrip("\n").split("\n") for mark, _, body in steps if mark.startswith("pagina ")]
    assert len(pages) == 3
    pdf_name = re.search(r"--source (\S+\.pdf)", GUIDE.read_text(encoding="utf-8")).group(1)
    (cwd / pdf_name).write_bytes(make_pdf(pages))
    outputs: dict[str, subprocess.CompletedProcess] = {}
    yaml = YAML()
    for mark, lang, body in steps:
        if mark.startswith("bestand: "):
            target = cwd / mark.removeprefix("bestand: ")
            target.write_text(body, encoding="utf-8")
        elif mark.startswith("aanvullen: "):
            target = cwd / mark.removeprefix("aanvullen: ")
            data = yaml.load(target.read_text(encoding="utf-8"))
            _merge(data, yaml.load(body))
            with target.open("w", encoding="utf-8") as fh:
                yaml.dump(data, fh)
        elif lang == "console":
            for line in body.splitlines():
                if line.startswith("$ "):
                    result = _run(line[2:], cwd)
                    assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
                    outputs[line[2:]] = result
    return cwd, outputs


def _output(outputs, start: str) -> str:
    return next(r.stdout for c, r in outputs.items() if c.startswith(start))


def test_the_guide_runs_from_pdf_to_report(worked_example):
    cwd, outputs = worked_example
    assert len(outputs) == 7  # rules new, check, coverage twice, evaluate, report, catalogue
    folder = cwd / "regels" / "voorbeeldland"
    head = YAML(typ="safe").load((folder / "ruleset.yaml").read_text(encoding="utf-8"))
    assert head["extraction"]["tool"] == "pypdf" and head["extraction"]["pages"] == 3
    assert (folder / "bron" / "regiovisie-voorbeeldland.pdf").is_file()
    assert (folder / "bron" / "regiovisie-voorbeeldland.txt").read_text(encoding="utf-8").count("\f") == 2


def test_check_passes_and_counts_nothing_unreviewed(worked_example):
    _, outputs = worked_example
    out = _output(outputs, "regiotoets check")
    assert "Resultaat / result: in orde / OK" in out
    assert "nog niet beoordeeld" not in out


def test_citations_name_the_pdf_page(worked_example):
    cwd, outputs = worked_example
    advice = _output(outputs, "regiotoets evaluate")
    assert "MEEDOEN" in advice and "VL-CAP-01" in advice
    assert "(Bovenregionaal samenwerken, p. 2)" in " ".join(advice.split())
    report = (cwd / "advies.html").read_text(encoding="utf-8")
    assert "Bovenregionaal samenwerken, p. 2" in report
    assert "Bovenregionaal samenwerken, p. 2" in _output(outputs, "regiotoets rules --rules")


def test_coverage_marks_every_paragraph(worked_example):
    cwd, outputs = worked_example
    text = _output(outputs, "regiotoets rules coverage --rules regels --region voorbeeldland")
    marks = [line.split("]")[0] for line in text.splitlines() if line.startswith(" ") and "[r." in line]
    assert len(marks) == 7
    assert "nog niet beoordeeld / not yet reviewed: 0" in text
    assert "VL-WET-01" in text and "begrotingsbesluit" in text
    assert "p. 3" in text  # Communicatie: not a decision chapter, not yet reviewed
    page = (cwd / "brontrouw.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "http" not in page
    assert page.count('class="mark cited"') == 4 and page.count('class="mark not_encoded"') == 1


def test_a_quote_not_in_the_pdf_names_the_closest_passage(worked_example, tmp_path):
    import shutil

    cwd, _ = worked_example
    root = tmp_path / "regels"
    shutil.copytree(cwd / "regels", root)
    rules = root / "voorbeeldland" / "10-afweging.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("Zonder voldoende capaciteit doen wij niet mee.",
                                                               "Zonder genoeg capaciteit doen wij niet mee."),
                     encoding="utf-8")
    result = _run(f"regiotoets rules --rules {root} --region voorbeeldland --date 2026-06-01", cwd)
    assert result.returncode == 2
    line = result.stderr.strip()
    assert line.startswith(f"{root}/voorbeeldland/10-afweging.yaml:") or "10-afweging.yaml:" in line
    assert "dichtstbijzijnde passage" in line and "p. 2" in line and "Zonder voldoende capaciteit doen wij niet mee." in line
    assert "Traceback" not in result.stderr
