"""A batch killed half-way leaves only complete reports, no temporary files and no worker processes.

Each test starts the real command line on 200 copies of a scenario, waits
until some reports are written, sends SIGINT or SIGTERM (or SIGKILL), and
then checks every file that is left behind.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SCENARIOS

pytestmark = pytest.mark.skipif(sys.platform == "win32" or not Path("/proc/self/stat").exists(),
                                reason="POSIX signals and /proc are needed")

COPIES = 200
DAY = ("--date", "2025-06-01")


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("kopieen")
    data = (SCENARIOS / "foodvalley" / "expertisecentrum.yaml").read_bytes()
    paths = []
    for i in range(COPIES):
        path = folder / f"s{i:03d}.yaml"
        path.write_bytes(data)
        paths.append(str(path))
    return paths


def descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        children = {p for p, pp in parents.items() if pp == parent} - found
        found |= children
        todo.extend(children)
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def run_until(args: list[str], out: Path, ext: str, at_least: int) -> subprocess.Popen:
    """Start the command line and return once ``at_least`` reports exist in ``out``."""
    proc = subprocess.Popen([sys.executable, "-m", "cli", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if out.is_dir() and sum(1 for p in out.iterdir() if p.suffix == ext and not p.name.startswith(".")) >= at_least:
            return proc
        if proc.poll() is not None:
            pytest.fail(f"finished before it could be interrupted: {proc.returncode} {proc.stderr.read()}")
        time.sleep(0.005)
    proc.kill()
    pytest.fail("no reports appeared")


def assert_complete(out: Path) -> int:
    """Every file left is complete, none is temporary; returns the number of reports. (A batch folder puts its
    reports in place in groups, so an interrupt may find every report already written: the exit code shows that the
    signal was handled.)"""
    import docx

    files = sorted(out.iterdir())
    assert not [p.name for p in files if p.name.startswith(".") or p.suffix == ".tmp"], "temporary files left"
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".html":
            assert data.rstrip().endswith(b"</html>"), path.name
        elif path.suffix == ".md":
            assert b"Getoetst met regiotoets" in data.rsplit(b"\n---\n", 1)[-1], path.name
        elif path.suffix == ".docx":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                assert archive.testzip() is None, path.name
            assert docx.Document(io.BytesIO(data)).paragraphs, path.name
        else:
            pytest.fail(f"unexpected file {path.name}")
    reports = [p for p in files if p.name not in ("index.html", "overview.md")]
    assert reports, "no report was written before the interrupt"
    return len(reports)


@pytest.mark.parametrize("fmt,ext,jobs,sig,at_least", [
    ("html", ".html", "1", signal.SIGTERM, 20),
    ("html", ".html", "2", signal.SIGINT, 20),
    ("markdown", ".md", "1", signal.SIGINT, 20),
    ("docx", ".docx", "2", signal.SIGTERM, 3),
])
def test_interrupted_batch_leaves_only_complete_reports(copies, tmp_path, fmt, ext, jobs, sig, at_least):
    out = tmp_path / "uit"
    proc = run_until(["report", *copies, *DAY, "--format", fmt, "--jobs", jobs, "--output", f"{out}/"],
                     out, ext, at_least)
    workers = descendants(proc.pid)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # Ctrl-C in a terminal reaches the whole process group
    else:
        proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 128 + sig, stderr
    name = signal.Signals(sig).name
    assert f"afgebroken door {name}." in stderr and "interrupted" not in stderr and "Traceback" not in stderr
    written = assert_complete(out)
    assert f"{written} van {COPIES} bestanden geschreven" in stderr
    if jobs != "1":
        assert workers, "no worker processes seen"
    deadline = time.monotonic() + 5
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in workers if alive(p)], "worker processes outlived the run"


def test_workers_die_when_the_main_process_is_killed(copies, tmp_path):
    """SIGKILL cannot be handled: the workers still die with their parent, and no report is half-written."""
    out = tmp_path / "uit"
    proc = run_until(["report", *copies, *DAY, "--jobs", "2", "--output", f"{out}/"], out, ".html", 10)
    workers = descendants(proc.pid)
    assert workers
    proc.kill()
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 5
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in workers if alive(p)], "worker processes outlived their parent"
    for path in out.iterdir():
        if not path.name.startswith("."):  # a temporary file may stay after SIGKILL, a half report may not
            assert path.read_bytes().rstrip().endswith(b"</html>"), path.name


def test_a_pooled_batch_interrupted_again_and_again_always_stops(copies, tmp_path):
    """Ctrl-C at a random moment of a pooled batch ends it every time (it once deadlocked in pool.terminate)."""
    for attempt in range(6):
        out = tmp_path / f"uit{attempt}"
        proc = run_until(["report", *copies, *DAY, "--jobs", "2", "--output", f"{out}/"], out, ".html",
                         1 + attempt % 3)
        time.sleep(0.02 * attempt)
        os.killpg(proc.pid, signal.SIGINT)
        try:
            _, stderr = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"attempt {attempt}: the interrupted batch hung")
        assert proc.returncode == 130, stderr
        assert "Traceback" not in stderr
        assert_complete(out)


def test_jobs_are_capped_at_the_processors_and_small_batches_run_in_one_process():
    from engine.commands.batch import POOL_FROM, available_cpus, worker_count

    assert worker_count(64, 2000) == available_cpus()
    assert worker_count(None, 2000) == available_cpus()
    assert worker_count(4, POOL_FROM - 1) == 1
    assert worker_count(1, 2000) == 1
    assert worker_count(64, POOL_FROM) == min(available_cpus(), POOL_FROM)
