"""Many proposals into one output are written as each advice is ready: memory stays flat, the bytes stay the same."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SCENARIOS, run_cli

DAY = "2025-06-01"
SEPARATOR = "\n" + "=" * 88 + "\n\n"


def _copies(folder: Path, count: int) -> list[str]:
    """``count`` proposal files: the shipped scenarios, copied round and round under new names."""
    scenarios = sorted(SCENARIOS.glob("*/*.yaml"))
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        target = folder / f"v{i:05d}-{scenarios[i % len(scenarios)].name}"
        shutil.copyfile(scenarios[i % len(scenarios)], target)
        out.append(str(target))
    return out


_PEAK = """
import resource, subprocess, sys
with open(sys.argv[1], "rb") as args:
    cmd = [sys.executable, "-m", "cli"] + args.read().decode().split("\\n")
proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=sys.argv[2])
print(proc.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _peak_mb(tmp_path: Path, args: list[str]) -> float:
    """Peak resident memory of one whole ``regiotoets`` process, in MB (measured by a fresh parent)."""
    argfile = tmp_path / f"args-{len(args)}.txt"
    argfile.write_text("\n".join(args), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", _PEAK, str(argfile), str(ROOT)], capture_output=True, text=True,
                          timeout=600)
    code, peak = proc.stdout.split()
    assert code == "0", proc.stderr
    return int(peak) / 1024


@pytest.mark.parametrize("output", ["stdout", "file"])
def test_memory_does_not_grow_with_the_batch(tmp_path, output):
    files = _copies(tmp_path / "voorstellen", 1500)

    def args(n: int) -> list[str]:
        target = [] if output == "stdout" else ["--output", str(tmp_path / f"adviezen-{n}.json")]
        return ["evaluate", *files[:n], "--format", "json", "--date", DAY, "--jobs", "1", *target]

    small, large = _peak_mb(tmp_path, args(200)), _peak_mb(tmp_path, args(1500))
    # Kept in memory, 1,300 more advices of some 25 kB of JSON each would add over 30 MB (6,000 to stdout: the
    # benchmark's streaming figure).
    assert large - small < 15, (small, large)
    if output == "file":
        data = json.loads((tmp_path / "adviezen-1500.json").read_text(encoding="utf-8"))
        assert len(data) == 1500


def _one(path: Path, fmt: str) -> str:
    proc = run_cli("evaluate", str(path), "--format", fmt, "--date", DAY)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("fmt", ["json", "text", "markdown"])
def test_several_advices_are_the_single_advices_joined(tmp_path, fmt):
    scenarios = sorted(SCENARIOS.glob("*/*.yaml"))[:4]
    bad = tmp_path / "kapot.yaml"
    bad.write_text("title: [\n", encoding="utf-8")
    proc = run_cli("evaluate", str(scenarios[0]), str(bad), *map(str, scenarios[1:]), "--format", fmt, "--date", DAY)
    assert proc.returncode == 2
    singles = [_one(p, fmt) for p in scenarios]
    if fmt == "json":
        expected = json.dumps([json.loads(s) for s in singles], ensure_ascii=False, indent=2) + "\n"
    elif fmt == "markdown":
        expected = "\n---\n\n".join(singles)
    else:
        expected = SEPARATOR.join(singles)
    assert proc.stdout == expected


def test_one_success_is_still_a_list_and_no_success_writes_nothing(tmp_path):
    scenario = sorted(SCENARIOS.glob("*/*.yaml"))[0]
    bad = tmp_path / "kapot.yaml"
    bad.write_text("title: [\n", encoding="utf-8")
    proc = run_cli("evaluate", str(scenario), str(bad), "--format", "json", "--date", DAY)
    assert proc.returncode == 2
    assert json.loads(proc.stdout) == [json.loads(_one(scenario, "json"))]
    target = tmp_path / "adviezen.json"
    proc = run_cli("evaluate", str(bad), str(bad.with_name("ontbreekt.yaml")), "--format", "json", "--date", DAY,
                   "--output", str(target))
    assert proc.returncode == 2 and proc.stdout == ""
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_folder_writer_puts_complete_files_in_place_in_groups(tmp_path, monkeypatch):
    from engine.commands.batch import FolderWriter

    monkeypatch.setattr(FolderWriter, "GROUP", 2)
    folder = tmp_path / "uit"
    for round_ in ("eerste", "tweede"):  # the second round replaces every file of the first
        writer = FolderWriter(folder)
        for i in range(5):
            writer.add(folder / f"a{i}.txt", f"{round_} {i}\n".encode())
        writer.close()
        assert sorted(p.name for p in folder.iterdir()) == [f"a{i}.txt" for i in range(5)]
        assert all((folder / f"a{i}.txt").read_text() == f"{round_} {i}\n" for i in range(5))
        assert [w.name for w in writer.written] == [f"a{i}.txt" for i in range(5)]


def test_folder_writer_refuses_a_target_that_became_a_link(tmp_path):
    from engine.commands.batch import FolderWriter

    folder = tmp_path / "uit"
    writer = FolderWriter(folder)
    writer.add(folder / "a.txt", b"advies\n")
    (folder / "a.txt").symlink_to(tmp_path / "elders.txt")
    with pytest.raises(SystemExit) as exc:
        writer.close()
    assert exc.value.code == 2
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"] and (folder / "a.txt").is_symlink()
    assert not (tmp_path / "elders.txt").exists()
