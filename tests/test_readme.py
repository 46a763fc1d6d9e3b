"""Every example in the README runs as shown.

The commands are taken from the README itself: each ``bash`` block line, and each ``$ regiotoets …``
line of a ``text`` block together with the output shown under it (up to a ``...`` line). They run in a
copy of the repository's files, so a command that writes (``--output``, a virtual environment) leaves
the checkout alone. Two commands are not run here, each for a stated reason; any other new command is.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
NOT_RUN = {
    ".venv/bin/pytest -q": "the test suite itself (this test is part of it)",
    "python -m bench": "the benchmark takes minutes; tests/test_bench.py runs its smoke mode",
    "python -m bench --quick": "the benchmark takes minutes; tests/test_bench.py runs its smoke mode",
}


def blocks(language: str) -> list[str]:
    return re.findall(r"```" + language + r"\n(.*?)```", README, flags=re.S)


def bash_commands() -> list[str]:
    out = []
    for block in blocks("bash"):
        for line in block.splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command:
                out.append(command)
    return out


def shown_examples() -> list[tuple[str, list[str], str]]:
    """(command, the output lines the README shows for it up to '...', the last line shown)."""
    out = []
    for block in blocks("text"):
        lines = block.splitlines()
        if lines and lines[0].startswith("$ regiotoets "):
            shown = []
            for line in lines[1:]:
                if line.strip() == "...":
                    break
                shown.append(line)
            out.append((lines[0][2:], shown, lines[-1]))
    return out


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """The repository's files without its virtual environment, in a fresh folder."""
    folder = tmp_path_factory.mktemp("readme") / "regiotoets"
    folder.mkdir()
    for name in ("pyproject.toml", "README.md", "cli.py", "engine", "rules", "scenarios", "bench", "docs"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.exists():
            shutil.copy2(source, folder / name)
    return folder


def run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    """A README command as a user types it; 'regiotoets' is the command line of this checkout."""
    program = f"{sys.executable} -m cli"
    text = re.sub(r"(^|&& )regiotoets ", lambda m: f"{m.group(1)}{program} ", command)
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(cwd),
           "PYTHONPATH": str(cwd)}
    return subprocess.run(["bash", "-c", text], cwd=cwd, capture_output=True, text=True, timeout=600, env=env)


def test_readme_has_the_commands_it_promises():
    commands = bash_commands()
    assert commands[0].startswith("python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/regiotoets evaluate")
    assert any(c.startswith("regiotoets schema") for c in commands)
    assert shown_examples(), "the README shows output of at least one command"


@pytest.mark.parametrize("command", [c for c in bash_commands() if c not in NOT_RUN and "pip install" not in c])
def test_readme_command_runs(command, copy):
    result = run(command, copy)
    assert result.returncode == 0, (command, result.stderr)


def test_readme_first_command_installs_and_evaluates(copy):
    """The very first command, exactly as written: a virtual environment, an install, an advice."""
    (first,) = [c for c in bash_commands() if "pip install -e . &&" in c]
    result = run(first, copy)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "UITKOMST:" in result.stdout


@pytest.mark.parametrize("command,shown,last", shown_examples())
def test_readme_output_is_what_the_command_prints(command, shown, last, copy, request):
    if command == "regiotoets check --region foodvalley --date 2025-06-01":
        printed = _check_as_printed(command, request.getfixturevalue("foodvalley_check"))
    else:
        result = run(command, copy)
        assert result.returncode == 0, result.stderr
        printed = result.stdout.splitlines()
    assert printed[:len(shown)] == shown
    if command.startswith("regiotoets check"):
        assert printed[-1] == last  # the verdict; counts and time are shown as measured


def _check_as_printed(command: str, report) -> list[str]:
    """What the command line prints for ``command``, given the report of the shared FoodValley check.

    The exhaustive check of FoodValley takes seconds and other tests already run it (the shared
    ``foodvalley_check``): here the command line runs in this process, and its call of the check on that
    same folder and date gets that report.
    """
    from click.testing import CliRunner

    import cli
    from engine.verifying import check as check_module

    def shared(folder, day, **kwargs):
        assert Path(folder).resolve() == (ROOT / "rules" / "foodvalley").resolve() and day.isoformat() == "2025-06-01"
        assert kwargs.get("exhaustive_run", True)
        return report

    original = check_module.check_folder
    check_module.check_folder = shared
    try:
        result = CliRunner().invoke(cli.main, command.split()[1:])
    finally:
        check_module.check_folder = original
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_skipped_commands_are_only_the_stated_ones():
    for command in bash_commands():
        if command in NOT_RUN:
            assert NOT_RUN[command]
