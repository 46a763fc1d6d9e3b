"""Output that cannot be written is a clean error (exit 2, no traceback), for one file and for a batch."""

from __future__ import annotations

import pytest

from conftest import SCENARIOS, run_cli

ONE = str(SCENARIOS / "foodvalley" / "modulaire-training.yaml")
TWO = [ONE, str(SCENARIOS / "foodvalley" / "expertisecentrum.yaml")]


@pytest.mark.parametrize("args", [
    ("evaluate", ONE, "-o", "{file}/advies.txt"),
    ("report", ONE, "-o", "{file}/advies.html"),
    ("evaluate", *TWO, "-o", "{file}/adviezen/"),
    ("report", *TWO, "-o", "{file}/rapporten/"),
])
def test_output_below_a_file_is_refused_without_a_traceback(tmp_path, args):
    blocker = tmp_path / "geen-map"
    blocker.write_text("x", encoding="utf-8")
    result = run_cli(*(a.replace("{file}", str(blocker)) for a in args), "--date", "2025-06-01", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert str(blocker) in result.stderr
    assert blocker.read_text(encoding="utf-8") == "x"
