"""The benchmark still runs: every section, with tiny counts (nothing here is timed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_smoke_runs_every_section(tmp_path):
    out = tmp_path / "results.json"
    proc = subprocess.run([sys.executable, "-m", "bench", "--smoke", "--output", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    results = data["results"]
    for name in ("proposals", "cold", "throughput", "overhead", "overhead_host", "rules_scaling", "batches",
                 "interactive", "commands", "reports"):
        assert name in results and "error" not in results[name], (name, results.get(name))
    assert results["throughput"]["proposals"] == data["params"]["throughput"]
    from engine.deciding.backend import durable_available
    regions = results["overhead"]["regions"].values()
    assert regions and all(r["python_same_traces"] for r in regions)
    if durable_available():  # raw durable_rules only where it imports
        assert all(r["same_rules_fired"] for r in regions)
    commands = results["commands"]
    assert commands["check"] and all("wall" in row for row in commands["check"].values()), commands["check"]
    assert "wall" in commands["whatif"], commands.get("whatif")
    for fmt in ("json", "text"):  # every proposal of the batch written to the folder
        assert commands["batch"][fmt]["files_written"] == commands["batch"][fmt]["proposals"] > 0
    assert results["reports"]["identical"] is True
    statuses = {row["status"].rstrip("*") for row in data["table"] if row["status"]}
    assert statuses <= {"PASS", "MISS"}, statuses  # every target got a figure
    assert "PASS" in proc.stdout or "MISS" in proc.stdout
