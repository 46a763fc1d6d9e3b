"""The Word report opens in a real word processor: LibreOffice converts it to PDF and to text.

Skipped where LibreOffice is not installed (``.ci/install-libreoffice.sh`` installs Debian's
``libreoffice-writer-nogui``); in CI (``CI=true``) a missing LibreOffice fails instead.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import SCENARIOS, needs, run_cli

SOFFICE = shutil.which("soffice")


@pytest.fixture(autouse=True)
def libreoffice_installed():
    needs(SOFFICE is not None, "LibreOffice (soffice) is not installed (.ci/install-libreoffice.sh installs it)")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_word_report_opens_in_libreoffice(tmp_path, lang):
    target = tmp_path / "advies.docx"
    result = run_cli("report", str(SCENARIOS / "foodvalley" / "crisisdienst-spoedhulp.yaml"), "--format", "docx",
                     "--lang", lang, "--date", "2025-06-01", "--output", str(target))
    assert result.returncode == 0, result.stderr
    for fmt, name in (("pdf", "advies.pdf"), ("txt:Text", "advies.txt")):
        subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", fmt,
                        "--outdir", str(tmp_path), str(target)], capture_output=True, timeout=120, check=True)
        assert (tmp_path / name).stat().st_size > 1000, name
    assert (tmp_path / "advies.pdf").read_bytes().startswith(b"%PDF")
    text = (tmp_path / "advies.txt").read_text(encoding="utf-8-sig")
    heads = ["1. Beslispunten", "Meedoen, mits aan de voorwaarden is voldaan", "FV-CAP-02"] if lang == "nl" else \
        ["1. Decision points", "FV-CAP-02"]
    for head in heads:
        assert head in text, (head, text[:2000])
