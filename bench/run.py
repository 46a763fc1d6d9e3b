"""Performance benchmark of regiotoets: prints a table with targets and writes it as JSON.

    python -m bench              # full run (about three minutes on two cores), writes bench/results.json
    python -m bench --quick      # smaller counts, writes bench/results-quick.json
    python -m bench --smoke      # tiny counts: only checks that every section still runs

Each section runs in its own process (see ``bench/sections.py``); the cold
start and the batch reports time the real ``regiotoets`` command. Nothing is
measured in this process itself, so its own imports do not count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as 'python bench/run.py'
    sys.path.insert(0, str(ROOT))

from bench.measure import spread  # noqa: E402

DAY = "2025-06-01"
SCENARIO = "scenarios/foodvalley/crisisdienst-spoedhulp.yaml"  # the cold start: the README's first command

# Counts per mode. 'sizes' is (rules, proposals evaluated) per synthetic rule set.
MODES: dict[str, dict[str, Any]] = {
    "full": {"cold_runs": 15, "throughput": 20_000, "engine": 5_000, "breakdown": 2_000, "overhead": 3_000, "host": 1_000,
             "repeat": 3, "sizes": [[50, 2_000], [500, 1_000], [5_000, 100]], "pool": 2_000,
             "checkpoints": [1_000, 10_000, 100_000], "reports": 1_000},
    "quick": {"cold_runs": 10, "throughput": 3_000, "engine": 3_000, "breakdown": 1_000, "overhead": 1_000, "host": 300,
              "repeat": 2, "sizes": [[50, 1_000], [500, 300], [5_000, 20]], "pool": 1_000,
              "checkpoints": [1_000, 10_000], "reports": 100},
    "smoke": {"cold_runs": 2, "throughput": 40, "engine": 40, "breakdown": 20, "overhead": 30, "host": 20,
              "repeat": 1, "sizes": [[20, 20], [60, 10]], "pool": 40,
              "checkpoints": [20, 60], "reports": 4},
}

TARGETS = {
    "cold_evaluate_s": ("<=", 0.200), "cold_help_s": ("<=", 0.150), "pipeline_per_s": (">=", 3_000),
    "engine_vs_raw": ("<=", 1.5), "rss_growth_mb": ("<=", 20.0), "jobs_processes": ("==", 2),
    "jobs_identical": ("==", True), "check_s": ("<=", 1.0), "check_rss_mb": ("<=", 150.0),
    "whatif_worst_s": ("<=", 0.30), "next_question_ms": ("<=", 50.0), "batch_json_per_s": (">=", 3_000),
    "batch_text_per_s": (">=", 3_000), "engines_same": ("==", True), "stream_rss_mb": ("<=", 100.0),
}
# Whole commands timed as processes: runs each (after one untimed run), proposals in the batch run.
# 'check': the regions checked as a whole command (all, or only the one with the fewest rules: the check of every
# shipped rule set is run by the tests themselves). 'scenarios': scenarios per region in the interactive section.
# 'warm': an untimed run before the timed ones.
COMMANDS = {"full": {"runs": 7, "batch": 3_000, "stream": 6_000, "check": "all", "scenarios": None},
            "quick": {"runs": 5, "batch": 3_000, "stream": 6_000, "check": "all", "scenarios": None},
            "smoke": {"runs": 1, "batch": 10, "stream": 40, "check": "smallest", "scenarios": 1, "warm": False}}


# --------------------------------------------------------------------------- helpers


def regiotoets() -> list[str]:
    """The installed ``regiotoets`` command next to this Python, else ``python -m cli``."""
    found = shutil.which("regiotoets", path=str(Path(sys.executable).parent)) or shutil.which("regiotoets")
    return [found] if found else [sys.executable, "-m", "cli"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return env


def section(name: str, params: dict[str, Any], work: Path) -> dict[str, Any]:
    """Run one section of ``bench/sections.py`` in a fresh process; its figures, or the error it gave."""
    params_file, result_file = work / f"{name}.params.json", work / f"{name}.result.json"
    params_file.write_text(json.dumps(params), encoding="utf-8")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "bench.sections", name, str(params_file), str(result_file)],
                          cwd=ROOT, env=_env(), capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode != 0 or not result_file.exists():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-12:]
        return {"error": f"exit {proc.returncode}: " + "\n".join(tail), "section_s": took}
    result = json.loads(result_file.read_text(encoding="utf-8"))
    result["section_s"] = took
    return result


def machine() -> dict[str, Any]:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from importlib.metadata import version
        durable = version("durable-rules")
    except Exception:
        durable = "?"
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    # the benchmark's own results files do not make the measured code uncommitted
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                            ":(exclude)bench/results.json", ":(exclude)bench/results-quick.json"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "platform": platform.platform(), "durable_rules": durable, "commit": git,
            "uncommitted_changes": bool(dirty), "loadavg_start": list(os.getloadavg())}


# --------------------------------------------------------------------------- cold start


def _installed_env(cache: str) -> dict[str, str]:
    """The environment of an installed tool: Python keeps its compiled modules and regiotoets what it remembers of
    the rule sets (here in ``cache``, not in the repository or the user's cache folder), even when this shell sets
    PYTHONDONTWRITEBYTECODE, which would recompile every module each run."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = cache
    env["REGIOTOETS_CACHE"] = os.path.join(cache, "regiotoets")
    return env


def cold_start(runs: int) -> dict[str, Any]:
    """Wall time of whole ``regiotoets`` processes (after one untimed run each, so files are in the OS cache)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="regiotoets-pyc-") as cache:
        return _cold_start(runs, _installed_env(cache)) | {
            "bytecode_cache": True, "shell_sets_dontwritebytecode": bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))}


def _cold_start(runs: int, env: dict[str, str]) -> dict[str, Any]:
    exe = regiotoets()
    commands = {"evaluate": exe + ["evaluate", SCENARIO, "--date", DAY], "help": exe + ["--help"],
                "python": [sys.executable, "-c", "pass"]}
    for name, cmd in commands.items():  # untimed: warm the file cache and the bytecode cache, check the command works
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, env=env)
        if proc.returncode != 0:
            return {"error": f"{' '.join(cmd)}: exit {proc.returncode}: {proc.stderr.decode()[-400:]}"}
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():  # alternate, so a disturbance hits both alike
            start = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
            samples[name].append(time.perf_counter() - start)
    return {"command": " ".join(Path(exe[0]).name if i == 0 else a for i, a in enumerate(exe)),
            **{name: spread(s) for name, s in samples.items()}, "samples": samples}


# --------------------------------------------------------------------------- whole commands


def _process(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, bytes]:
    """Wall time, peak resident memory (MB) and exit code of one whole process, and what it wrote on stderr."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode, err


def _median_runs(cmd: list[str], runs: int, env: dict[str, str], before: Any = None, warm: bool = True) -> dict[str, Any]:
    """Median wall time and peak memory of ``runs`` whole processes, after one untimed run (file cache, bytecode
    cache) unless ``warm`` is False; ``before`` is called (untimed) before each run."""
    wall, rss = [], []
    for n in range(runs + 1 if warm else runs):
        if before:
            before()
        w, r, code, err = _process(cmd, env)
        if code not in (0,):
            return {"error": f"{' '.join(cmd[1:])}: exit {code}: {err.decode(errors='replace')[-400:]}"}
        if warm and n == 0:
            continue
        wall.append(w)
        rss.append(r)
    return {"command": " ".join(["regiotoets"] + cmd[1:]), "wall": spread(wall), "peak_rss_mb": max(rss)}


def commands(runs: int, batch: int, folder: Path, worst_whatif: str | None, work: Path,
             stream: int = 6_000, check: str = "all", warm: bool = True) -> dict[str, Any]:
    """check per installed region (or only the smallest), the slowest what-if, and evaluate of many files to a
    folder (JSON, text)."""
    exe = regiotoets()
    out: dict[str, Any] = {"check": {}, "batch": {}}
    with tempfile.TemporaryDirectory(prefix="regiotoets-pyc-") as cache:
        env = _installed_env(cache)
        from engine.rulebase.registry import choose, regions

        names = regions()
        if check == "smallest":
            day = dt.date.fromisoformat(DAY)
            names = [min(names, key=lambda n: len(choose(n, day).rules))]
        for name in names:
            out["check"][name] = _median_runs(exe + ["check", "--region", name, "--date", DAY], runs, env, warm=warm)
        if worst_whatif:
            out["whatif"] = _median_runs(exe + ["whatif", worst_whatif, "--date", DAY], runs, env, warm=warm)
            out["whatif"]["scenario"] = worst_whatif
        from bench.sections import proposal_files
        every = [str(f) for f in proposal_files(folder)]
        files = every[:batch]
        for fmt in ("json", "text"):
            target = work / f"batch-{fmt}"

            def fresh(target: Path = target) -> None:  # a new folder for every run (untimed)
                shutil.rmtree(target, ignore_errors=True)

            # One process (--jobs 1): the target is the throughput of one process, rendering and writing included.
            row = _median_runs(exe + ["evaluate", *files, "--format", fmt, "--output", f"{target}/", "--date", DAY,
                                      "--jobs", "1"], max(1, runs // 2), env, before=fresh, warm=warm)
            if "wall" in row:
                row["command"] = (f"regiotoets evaluate <{len(files)} bestanden / files> --format {fmt} --output DIR/ "
                                  f"--jobs 1")
                row["proposals"] = len(files)
                row["per_s"] = len(files) / row["wall"]["median"]
                row["files_written"] = len(list(target.iterdir()))
            out["batch"][fmt] = row
        # For comparison: the same into a folder that holds the previous run's files (each one replaced), and with
        # the default --jobs (every processor).
        target = work / "batch-json"
        row = _median_runs(exe + ["evaluate", *files, "--format", "json", "--output", f"{target}/", "--date", DAY,
                                  "--jobs", "1"], 1, env)
        if "wall" in row:
            row.update(proposals=len(files), per_s=len(files) / row["wall"]["median"])
        out["batch"]["json_rerun"] = row
        target = work / "batch-text-jobs"
        row = _median_runs(exe + ["evaluate", *files, "--format", "text", "--output", f"{target}/", "--date", DAY],
                           1, env, before=lambda: shutil.rmtree(target, ignore_errors=True))
        if "wall" in row:
            row.update(proposals=len(files), per_s=len(files) / row["wall"]["median"])
        out["batch"]["text_jobs_default"] = row
        # Many proposals to standard output: each advice is written as it is ready, so memory stays flat.
        many = (every * (stream // max(len(every), 1) + 1))[:stream]
        row = _median_runs(exe + ["evaluate", *many, "--format", "json", "--date", DAY, "--jobs", "1"], 1, env)
        if "wall" in row:
            row["command"] = f"regiotoets evaluate <{len(many)} bestanden / files> --format json > /dev/null"
            row.update(proposals=len(many), per_s=len(many) / row["wall"]["median"])
        out["batch"]["json_stdout"] = row
    return out


# --------------------------------------------------------------------------- batch reports


def _children(pid: int) -> list[tuple[int, str]]:
    """Descendants of ``pid`` with their command lines (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        for child, parent in parents.items():
            if parent == current:
                try:
                    cmd = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                except OSError:
                    cmd = ""
                out.append((child, cmd))
                todo.append(child)
    return out


def _report_run(files: list[str], out: Path, jobs: int) -> dict[str, Any]:
    cmd = regiotoets() + ["report", *files, "--format", "html", "--output", f"{out}/", "--jobs", str(jobs),
                          "--date", DAY]
    workers: set[int] = set()
    most = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr: list[bytes] = []
    reader = threading.Thread(target=lambda: stderr.append(proc.stderr.read()), daemon=True)
    reader.start()
    while proc.poll() is None:
        now = {pid for pid, c in _children(proc.pid) if "spawn_main" in c or "forkserver" in c}
        workers |= now
        most = max(most, len(now))
        time.sleep(0.05)
    wall = time.perf_counter() - start
    reader.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result = {"jobs": jobs, "wall_s": wall, "cpu_s": cpu, "cpu_per_wall": cpu / wall if wall else 0.0,
              "worker_processes_seen": len(workers), "worker_processes_at_once": most, "exit": proc.returncode,
              "files_written": len(list(out.glob("*")))}
    if proc.returncode != 0:
        result["stderr"] = b"".join(stderr).decode(errors="replace")[-800:]
    return result


def batch_reports(files: list[str], work: Path) -> dict[str, Any]:
    """``regiotoets report FILES --format html --output DIR/`` with --jobs 1 and --jobs 2; outputs compared byte for byte."""
    runs = {}
    for jobs in (1, 2):
        out = work / f"reports-jobs{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        runs[jobs] = _report_run(files, out, jobs)
    one, two = work / "reports-jobs1", work / "reports-jobs2"
    names1 = sorted(p.name for p in one.glob("*")) if one.exists() else []
    names2 = sorted(p.name for p in two.glob("*")) if two.exists() else []
    differ = [n for n in names1 if n in names2 and (one / n).read_bytes() != (two / n).read_bytes()]
    identical = bool(names1) and names1 == names2 and not differ
    return {"proposals": len(files), "jobs1": runs[1], "jobs2": runs[2], "identical": identical,
            "files_compared": len(names1), "differing": differ[:5],
            "only_in_one": sorted(set(names1) ^ set(names2))[:5], "speedup": runs[1]["wall_s"] / runs[2]["wall_s"]}


# --------------------------------------------------------------------------- table


def _check(key: str, value: Any) -> str:
    op, target = TARGETS[key]
    if value is None:
        return "ERROR"
    ok = {"<=": value <= target, ">=": value >= target, "==": value == target}[op]
    return "PASS" if ok else "MISS"


def _get(data: dict[str, Any], *path: Any) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def table(r: dict[str, Any], mode: str) -> list[dict[str, Any]]:
    """One row per figure: label, value, unit, target and PASS/MISS (or '' for figures without a target)."""
    rows: list[dict[str, Any]] = []

    def add(label: str, value: Any, unit: str, key: str | None = None, fmt: str = "{:.0f}") -> None:
        if value is None:
            shown = "—"
        elif isinstance(value, bool):
            shown = str(value).lower()
        elif isinstance(value, (int, float)):
            shown = fmt.format(value)
        else:
            shown = str(value)
        target = status = ""
        if key:
            op, goal = TARGETS[key]
            target = f"{op} {str(goal).lower() if isinstance(goal, bool) else goal:}{(' ' + unit) if unit and not isinstance(goal, bool) else ''}"
            status = _check(key, value)
        rows.append({"figure": label, "value": shown, "unit": unit, "target": target, "status": status,
                     "raw": value})

    cold = r.get("cold", {})
    add(f"koude start / cold start `regiotoets evaluate {SCENARIO} --date {DAY}` (mediaan / median)",
        _get(cold, "evaluate", "median"), "s",
        "cold_evaluate_s", "{:.3f}")
    add("  spreiding p10–p90 / spread p10–p90",
        None if "evaluate" not in cold else f"{cold['evaluate']['p10']:.3f}–{cold['evaluate']['p90']:.3f}", "s")
    add("koude start --help (mediaan, bytecode bewaard) / cold start --help (median, bytecode cached)",
        _get(cold, "help", "median"), "s",
        "cold_help_s", "{:.3f}")
    add("  spreiding p10–p90 / spread p10–p90",
        None if "help" not in cold else f"{cold['help']['p10']:.3f}–{cold['help']['p90']:.3f}", "s")
    add("  ter vergelijking / for comparison: python -c pass", _get(cold, "python", "median"), "s", None, "{:.3f}")
    cmds = r.get("commands", {})
    checks = cmds.get("check") or {}
    slowest = max(checks, key=lambda n: _get(checks, n, "wall", "median") or 0, default=None)
    for name, row in checks.items():
        add(f"regiotoets check --region {name} (mediaan / median)", _get(row, "wall", "median"), "s",
            "check_s" if name == slowest else None, "{:.2f}")
        add("  piekgeheugen / peak RSS", row.get("peak_rss_mb"), "MB", "check_rss_mb" if name == slowest else None,
            "{:.0f}")
    inter = r.get("interactive", {})
    add(f"whatif, traagste scenario / slowest scenario ({_get(cmds, 'whatif', 'scenario') or '?'}), hele commando / "
        f"whole command", _get(cmds, "whatif", "wall", "median"), "s", "whatif_worst_s", "{:.2f}")
    add("  alleen de zoektocht / the search alone", inter.get("whatif_worst_search_s"), "s", None, "{:.3f}")
    add(f"new: volgende vraag, slechtste van {_get(inter, 'next_question_ms', 'count') or '?'} / next question, worst",
        _get(inter, "next_question_ms", "max"), "ms", "next_question_ms", "{:.1f}")
    add("  mediaan / median", _get(inter, "next_question_ms", "median"), "ms", None, "{:.1f}")
    for fmt in ("json", "text"):
        row = _get(cmds, "batch", fmt) or {}
        add(f"evaluate {row.get('proposals', '?')} bestanden naar een nieuwe map, {fmt}, --jobs 1, hele proces / files "
            f"to a new folder, one process", row.get("per_s"), "voorstellen/s", f"batch_{fmt}_per_s")
    row = _get(cmds, "batch", "json_rerun") or {}
    add("  ter vergelijking: json naar een map met de vorige uitvoer (elk bestand vervangen) / into a folder holding "
        "the previous run's files", row.get("per_s"), "voorstellen/s")
    row = _get(cmds, "batch", "text_jobs_default") or {}
    add("  ter vergelijking: tekst, --jobs standaard (elke processor) / text, default --jobs", row.get("per_s"),
        "voorstellen/s")
    row = _get(cmds, "batch", "json_stdout") or {}
    add(f"evaluate {row.get('proposals', '?')} bestanden naar stdout, json (gestreamd): piekgeheugen / files to "
        f"stdout, streamed: peak RSS", row.get("peak_rss_mb"), "MB", "stream_rss_mb", "{:.0f}")
    add("  doorvoer / throughput", row.get("per_s"), "voorstellen/s")
    tp = r.get("throughput", {})
    add(f"hele pijplijn, {tp.get('proposals', '?')} bestanden / full pipeline, files", tp.get("full_per_s"),
        "voorstellen/s", "pipeline_per_s")
    add("alleen de engine (gevalideerd) / engine alone (validated)", tp.get("engine_per_s"), "voorstellen/s")
    bd = tp.get("breakdown_us") or {}
    if bd:
        add("  per voorstel: lezen+parsen / read+parse", bd.get("read_parse"), "µs")
        add("  per voorstel: valideren / validate", bd.get("validate"), "µs")
        add("  per voorstel: feiten + toetsen / facts + evaluate", (bd.get("flatten") or 0) + (bd.get("evaluate") or 0), "µs")
        add("  per voorstel: advies opbouwen / build advice", bd.get("advice"), "µs")
    ov = r.get("overhead", {})
    for region, row in (ov.get("regions") or {}).items():
        add(f"engine / durable_rules direct, {region}", row.get("ratio"), "×", None, "{:.2f}")
        add(f"  engine {row['engine_us']:.0f} µs; direct {row.get('raw_us', 0):.0f} µs (retract), "
            f"{row.get('raw_new_session_us', 0):.0f} µs (delete_state); zelfde regels / same rules",
            row.get("same_rules_fired"), "")
    add("engine / durable_rules direct (alle regio's / all regions)", ov.get("ratio"), "×",
        "engine_vs_raw" if ov.get("ratio") is not None or "regions" not in ov else None,  # no durable_rules: no target
        "{:.2f}")
    for region, row in (ov.get("regions") or {}).items():
        add(f"toetsen per voorstel, {region}: durable_rules-engine | python-engine | durable_rules direct / "
            f"evaluate per proposal", f"{row.get('engine_us', 0):.0f} | {row.get('python_us', 0):.0f} | "
            + (f"{min(row['raw_us'], row['raw_new_session_us']):.0f}" if "raw_us" in row else "—"), "µs")
    add("python-engine: dezelfde sporen als durable_rules / same traces as durable_rules",
        all(row.get("python_same_traces") for row in (ov.get("regions") or {}).values()) if ov.get("regions") else None,
        "", "engines_same")
    for region, row in (_get(r, "overhead_host", "regions") or {}).items():
        add(f"  ter vergelijking / for comparison: durable.engine.Host, {region}", row["host_us"], "µs")
    for size, row in (_get(r, "rules_scaling", "sizes") or {}).items():
        add(f"synthetische regelset {size} regels: toetsen / synthetic {size} rules: evaluate", row["engine_us"], "µs")
        if "raw_new_session_us" in row:
            add("  direct, nieuwe sessie per voorstel / new session per proposal", row["raw_new_session_us"], "µs")
        add(f"  laden + compileren / load + compile ({row['fired_mean']:.1f} regels vuren / rules fire)",
            row["load_s"] + row["compile_s"], "s", None, "{:.2f}")
        if "raw_error" in row:
            props = row.get("raw_fact_properties")
            add("  durable_rules direct" + (f": volledig feit / complete fact ({props} eigenschappen / properties)"
                                            if props else ""), row["raw_error"], "")
        else:
            add("  engine / durable_rules direct", row["ratio"], "×", None, "{:.2f}")
    bt = r.get("batches", {})
    for mark in bt.get("checkpoints") or []:
        add(f"batch {mark['evaluations']}: per voorstel / per proposal (hele pijplijn / full pipeline)",
            mark["per_proposal_us"], "µs")
    marks = bt.get("checkpoints") or []
    if marks:
        add(f"RSS-groei {marks[0]['evaluations']}→{marks[-1]['evaluations']} toetsingen / RSS growth evaluations",
            bt.get("rss_growth_mb"), "MB", "rss_growth_mb", "{:.1f}")
    add(f"piek-RSS, {marks[-1]['evaluations'] if marks else '?'} toetsingen in één proces / peak RSS, evaluations in "
        f"one process", bt.get("peak_rss_mb"), "MB", None, "{:.0f}")
    add("  piek-RSS doorvoerproces (houdt gevalideerde voorstellen vast) / peak RSS throughput process",
        tp.get("peak_rss_mb"), "MB", None, "{:.0f}")
    rep = r.get("reports", {})
    for jobs in (1, 2):
        run = rep.get(f"jobs{jobs}") or {}
        add(f"{rep.get('proposals', '?')} HTML-rapporten, --jobs {jobs} / HTML reports", run.get("wall_s"), "s",
            None, "{:.1f}")
    add("  --jobs 2: werkprocessen / worker processes", _get(rep, "jobs2", "worker_processes_at_once"), "",
        "jobs_processes")
    for jobs in (1, 2):
        add(f"  --jobs {jobs}: CPU-tijd / wandtijd / CPU time / wall time", _get(rep, f"jobs{jobs}", "cpu_per_wall"), "",
            None, "{:.2f}")
    add("  --jobs 2 byte-gelijk aan --jobs 1 / byte-identical to --jobs 1", rep.get("identical"), "", "jobs_identical")
    if mode != "full":
        for row in rows:
            if row["status"] in ("PASS", "MISS"):
                row["status"] += "*"
    return rows


def print_table(rows: list[dict[str, Any]], mode: str) -> None:
    width = max(len(r["figure"]) for r in rows)
    vwidth = max(len(f"{r['value']} {r['unit']}".strip()) for r in rows)
    print(f"\n{'meting / figure':<{width}}  {'waarde / value':>{vwidth}}  {'doel / target':<22} status")
    print("-" * (width + vwidth + 34))
    for r in rows:
        value = f"{r['value']} {r['unit']}".strip()
        print(f"{r['figure']:<{width}}  {value:>{vwidth}}  {r['target']:<22} {r['status']}")
    if mode != "full":
        print(f"\n* {mode}: kleinere aantallen, alleen indicatief / smaller counts, indicative only")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="kleinere aantallen / smaller counts (about half a minute)")
    parser.add_argument("--smoke", action="store_true", help="heel kleine aantallen: werkt alles nog? / tiny counts")
    parser.add_argument("--output", default=None, help="JSON-bestand / JSON file (default bench/results.json, "
                                                       "bench/results-quick.json with --quick, none with --smoke)")
    parser.add_argument("--skip", action="append", default=[],
                        choices=["cold", "throughput", "overhead", "host", "scaling", "batches", "interactive",
                                 "commands", "reports"],
                        help="sla een onderdeel over / skip a section (repeatable)")
    args = parser.parse_args(argv)
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    p = MODES[mode]
    output = args.output or {"full": str(ROOT / "bench" / "results.json"),
                             "quick": str(ROOT / "bench" / "results-quick.json"), "smoke": None}[mode]
    started = time.perf_counter()
    info = machine()
    print(f"regiotoets bench ({mode}) — {info['nproc']} × {info['cpu']}, Python {info['python']}, "
          f"durable_rules {info['durable_rules']}, load {info['loadavg_start'][0]:.2f}, commit {info['commit']}"
          + (" MET NIET-VASTGELEGDE WIJZIGINGEN / WITH UNCOMMITTED CHANGES" if info["uncommitted_changes"] else ""),
          flush=True)
    results: dict[str, Any] = {}
    timings: dict[str, float] = {}

    def step(name: str, func: Any) -> None:
        t = time.perf_counter()
        print(f"  {name} …", end="", flush=True)
        results[name] = func()
        timings[name] = time.perf_counter() - t
        error = results[name].get("error") if isinstance(results[name], dict) else None
        print(f" {timings[name]:.1f} s" + (f"  FOUT / ERROR: {error.splitlines()[-1]}" if error else ""), flush=True)

    with tempfile.TemporaryDirectory(prefix="regiotoets-bench-") as tmp:
        work = Path(tmp)
        folder = work / "voorstellen"
        count = max(p["throughput"], p["pool"], p["reports"], COMMANDS[mode]["batch"])
        step("proposals", lambda: section("write_proposals", {"folder": str(folder), "count": count}, work))
        if "cold" not in args.skip:
            step("cold", lambda: cold_start(p["cold_runs"]))
        if "throughput" not in args.skip:
            step("throughput", lambda: section("throughput", {"folder": str(folder), "count": p["throughput"],
                                                               "engine": p["engine"], "breakdown": p["breakdown"]}, work))
        if "overhead" not in args.skip:
            step("overhead", lambda: section("overhead", {"count": p["overhead"], "repeat": p["repeat"]}, work))
        if "host" not in args.skip:
            step("overhead_host", lambda: section("overhead_host", {"count": p["host"], "repeat": 1}, work))
        if "scaling" not in args.skip:
            step("rules_scaling", lambda: section("rules_scaling", {"sizes": p["sizes"], "repeat": p["repeat"]}, work))
        if "batches" not in args.skip:
            step("batches", lambda: section("batches", {"folder": str(folder), "pool": p["pool"],
                                                         "checkpoints": p["checkpoints"]}, work))
        if "interactive" not in args.skip:
            step("interactive", lambda: section("interactive", {"repeat": 3 if mode != "smoke" else 1,
                                                                 "scenarios": COMMANDS[mode]["scenarios"]}, work))
        if "commands" not in args.skip:
            c = COMMANDS[mode]
            step("commands", lambda: commands(c["runs"], c["batch"], folder,
                                              _get(results, "interactive", "whatif_worst"), work, c["stream"],
                                              c["check"], c.get("warm", True)))
        if "reports" not in args.skip:
            from bench.sections import proposal_files
            files = [str(f) for f in proposal_files(folder)[: p["reports"]]]
            step("reports", lambda: batch_reports(files, work))

    info["loadavg_end"] = list(os.getloadavg())
    total = time.perf_counter() - started
    rows = table(results, mode)
    print_table(rows, mode)
    print(f"\ntotale duur / total time: {total:.0f} s; belasting / load average {info['loadavg_start'][0]:.2f} → "
          f"{info['loadavg_end'][0]:.2f}")
    if output:
        data = {"mode": mode, "date": dt.datetime.now().isoformat(timespec="seconds"), "machine": info,
                "total_s": total, "section_s": timings, "params": p, "targets": {k: list(v) for k, v in TARGETS.items()},
                "table": [{k: v for k, v in row.items()} for row in rows], "results": results}
        Path(output).write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        print(f"geschreven / written: {os.path.relpath(output, Path.cwd())}")
    errors = [name for name, res in results.items() if isinstance(res, dict) and "error" in res]
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
