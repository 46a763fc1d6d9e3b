"""Shared fixtures: the installed rule sets, a proposal builder and a CLI runner."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

# Messages are Dutch by default and English for an English locale: the tests run in a neutral locale, so
# they see the default wherever they run (tests that want English say so).
for _name in ("LC_ALL", "LC_MESSAGES", "REGIOTOETS_LANG"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
RULES = ROOT / "rules"
SEEDS = ROOT.parent / "shared" / "seeds"
IN_VALIDITY = dt.date(2025, 6, 1)


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted path in nested proposal data, creating sections on the way."""
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def proposal(**facts: Any) -> dict[str, Any]:
    """Minimal valid proposal data; keyword names use '__' for '.' (legal__required='yes')."""
    data: dict[str, Any] = {"title": "Testvoorstel", "submitter": "Beleidsmedewerker", "date": "2025-05-01",
                            "topic": "Een onderwerp om te toetsen", "region": "foodvalley"}
    for key, value in facts.items():
        set_path(data, key.replace("__", "."), value)
    return data


@pytest.fixture(scope="session")
def foodvalley():
    from engine.rulebase.registry import choose

    return choose("foodvalley", IN_VALIDITY)


@pytest.fixture(scope="session")
def foodvalley_check():
    """``regiotoets check`` of the shipped FoodValley rule set, static and exhaustive (about 20 s): done once and
    shared by the tests that read its report (tests/test_check.py, tests/test_engines_equal.py)."""
    from engine.verifying.check import check_folder

    return check_folder(RULES / "foodvalley", IN_VALIDITY)


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    """An empty user cache of its own (tests/test_verified.py, tests/test_snapshot.py)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("REGIOTOETS_CACHE", str(folder))
    return folder


@pytest.fixture()
def foodvalley_copy(tmp_path):
    """A copy of the shipped FoodValley rule set, free to edit."""
    target = tmp_path / "rules" / "foodvalley"
    shutil.copytree(RULES / "foodvalley", target)
    return target


@pytest.fixture()
def two_versions(tmp_path):
    """Midden-Limburg 2013.1 and a successor 2016.1 side by side in one rules folder."""
    root = tmp_path / "rules"
    shutil.copytree(RULES / "midden-limburg", root / "ml-2013")
    shutil.copytree(RULES / "midden-limburg", root / "ml-2016")
    # The shipped visienota names no end date; in this folder a successor replaces it from 2016 on.
    old = root / "ml-2013" / "ruleset.yaml"
    old.write_text(old.read_text(encoding="utf-8").replace("valid_from: 2013-09-01",
                                                           "valid_from: 2013-09-01\nvalid_until: 2015-12-31"),
                   encoding="utf-8")
    head = root / "ml-2016" / "ruleset.yaml"
    text = head.read_text(encoding="utf-8")
    text = (text.replace("id: midden-limburg-visienota", "id: midden-limburg-beleidsplan")
                .replace('version: "2013.2"', 'version: "2016.1"')
                .replace("valid_from: 2013-09-01", "valid_from: 2016-01-01\nvalid_until: 2019-12-31"))
    head.write_text(text, encoding="utf-8")
    return root


IN_CI = os.environ.get("CI", "").lower() == "true"


def needs(available: bool, reason: str) -> None:
    """Skip a test whose tool or privilege is missing here; in CI (``CI=true``) that is a failure instead, since
    ``.ci/run`` installs what the tests need and runs them as root."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this must not be skipped)", pytrace=False)
    pytest.skip(reason)


def run_cli(*args: str, cwd: Path = ROOT, timeout: float | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run the installed command line as a user would, in a subprocess (a hang fails after ``timeout`` s)."""
    if "stdout" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=cwd, text=True, timeout=timeout, **kwargs)


def pytest_terminal_summary(terminalreporter) -> None:
    """How many generated examples each invariant and each fuzz target was tried on, and what the bad-file
    corpus cost (tests/test_invariants.py, tests/test_fuzz.py, tests/test_bad_corpus.py)."""
    module = sys.modules.get("test_invariants")
    counts = getattr(module, "EXAMPLES", None)
    if counts:
        terminalreporter.write_sep("-", "hypothesis: voorbeelden per invariant / examples per invariant")
        for name, n in sorted(counts.items()):
            terminalreporter.write_line(f"{name:<30} {n}")
    tried = getattr(sys.modules.get("test_fuzz"), "TRIED", None)
    if tried:
        advised = getattr(sys.modules.get("test_fuzz"), "ADVISED", {})
        terminalreporter.write_sep("-", "fuzz: invoer geprobeerd per doel / inputs tried per target")
        for name, n in sorted(tried.items()):
            extra = f" (advies / advice: {advised[name]})" if advised.get(name) else ""
            terminalreporter.write_line(f"{name:<30} {n}{extra}")
        terminalreporter.write_line(f"{'totaal / total':<30} {sum(tried.values())}")
    stats = getattr(sys.modules.get("test_bad_corpus"), "STATS", None)
    if stats:
        terminalreporter.write_sep("-", "slechte bestanden / bad-file corpus")
        terminalreporter.write_line(
            f"{stats['files']} bestanden / files, {stats['runs']} runs; max wall {stats['max_wall']:.2f} s "
            f"({stats['slowest']}), max CPU {stats['max_cpu']:.2f} s, max RSS {stats['max_rss_mb']:.0f} MB "
            f"({stats['largest']})")
