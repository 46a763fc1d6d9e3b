"""A command that ran as a process ends without tearing down the interpreter only when nothing is left to do."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import cli

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "foodvalley" / "crisisdienst-spoedhulp.yaml"


def test_a_message_or_a_running_thread_leaves_the_exit_to_python(monkeypatch):
    import atexit

    ended = []
    monkeypatch.setattr(cli.os, "_exit", lambda code: ended.append(code))
    monkeypatch.setattr(atexit, "_ncallbacks", lambda: 0)  # pytest has exit handlers of its own
    cli.quick_exit(SystemExit("a message is printed by Python"))
    assert ended == []
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        cli.quick_exit(SystemExit(0))
        assert ended == []
    finally:
        stop.set()
        worker.join()
    cli.quick_exit(SystemExit(None))
    cli.quick_exit(SystemExit(3))
    assert ended == [0, 3]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, capture_output=True)


def test_output_and_exit_codes_of_a_process_are_complete():
    good = _run("evaluate", str(SCENARIO), "--date", "2025-06-01", "--format", "json")
    assert good.returncode == 0 and json.loads(good.stdout)
    missing = _run("evaluate", "no-such-file.yaml")
    assert missing.returncode == 2 and b"no-such-file.yaml" in missing.stderr and not missing.stdout
    several = _run("evaluate", str(SCENARIO), "no-such-file.yaml", "--date", "2025-06-01", "--format", "json")
    assert several.returncode == 2 and len(json.loads(several.stdout)) == 1
