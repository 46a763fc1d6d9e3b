"""Render a board report in headless Chromium: the page draws, has no console errors and keeps its DOM."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import IN_VALIDITY, SCENARIOS, needs

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(autouse=True)
def chromium_installed():
    """Skipped without Chromium; in CI (CI=true) that fails, since .ci/run installs it (.ci/install-chromium.sh)."""
    needs(CHROMIUM is not None, "chromium is not installed (.ci/install-chromium.sh installs it)")


FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
WINDOW = (1240, 1754)


def chromium(*args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                              text=True, timeout=120)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    from engine.report import render, report_for
    from engine.deciding.validate import load_proposal

    loaded = load_proposal(SCENARIOS / "foodvalley" / "expertisecentrum.yaml", day=IN_VALIDITY)
    target = tmp_path_factory.mktemp("report") / "expertisecentrum.html"
    target.write_bytes(render(report_for(loaded, day=IN_VALIDITY), "html"))
    return target


def test_screenshot_is_not_blank_and_console_is_clean(report_file, tmp_path):
    from PIL import Image as image  # Pillow (test extra) counts the pixels of the screenshot
    shot = tmp_path / "report.png"
    result = chromium("--enable-logging=stderr", "--v=0", f"--screenshot={shot}",
                      f"--window-size={WINDOW[0]},{WINDOW[1]}", report_file.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    with image.open(shot) as picture:
        assert picture.size == WINDOW
        histogram = picture.convert("L").histogram()
        dark = sum(histogram[:128])  # text, rules and the filled boxes
        coloured = sum(histogram[:250])
    total = WINDOW[0] * WINDOW[1]
    assert dark > total * 0.01, f"only {dark} dark pixels: the page looks blank"
    assert coloured > total * 0.05


def test_dom_in_the_browser_has_the_sections(report_file):
    result = chromium("--dump-dom", report_file.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    for anchor in ("beslispunten", "aanleiding", "beoogd-effect", "argumenten", "kanttekeningen", "financien",
                   "ontbrekende-informatie", "communicatie", "bijlagen"):
        assert f'id="{anchor}"' in dom
    assert "<svg" in dom and "Meedoen" in dom
