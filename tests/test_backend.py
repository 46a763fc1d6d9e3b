"""The durable_rules interface survives durable_rules' own limits instead of aborting the process.

Each case runs in a child process: a failure here is an abort (free(): invalid
pointer, a segmentation fault), which would take the test run down with it.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("durable_rules_engine", reason="durable_rules does not import on this Python (3.13+); "
                                                   "the plain-Python engine is used there")

ROOT = Path(__file__).resolve().parent.parent


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_evaluations_where_nothing_matched_do_not_abort():
    # Deleting a session none of whose facts matched frees memory durable_rules never set; whether that
    # aborts depends on what the heap held before, so the heap is filled and emptied first. The same fact
    # again and again also shows each fact is retracted after its evaluation (else: 'asserted twice').
    proc = _run("""
        from engine.deciding.backend import CompiledRuleset
        junk = [{"k": i, "v": str(i) * 3} for i in range(300_000)]
        del junk
        rules = CompiledRuleset("heap", {"R1": {"all": [{"m": {"$and": [{"stage": 1}, {"x": 1}]}}]}})
        for _ in range(2_000):  # more than the 1,024 live sessions durable_rules allows
            assert rules.run([1], lambda stage, fired: {"x": 2}) == [[]]
        assert rules.run([1], lambda stage, fired: {"x": 1}) == [["R1"]]
        print("ok")
    """)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.strip() == "ok"


def test_too_many_matching_tests_is_an_engine_error_not_an_abort():
    # 80 tests that one fact matches at once overflow durable_rules' alpha stack (64): error 303.
    proc = _run("""
        from engine.deciding.backend import BackendError, CompiledRuleset
        from engine.common.errors import EngineError
        rules = CompiledRuleset("wide", {f"R{i}": {"all": [{"m": {"$and": [{"stage": 1}, {f"a{i}": 1}]}}]}
                                         for i in range(80)})
        try:
            rules.run([1], lambda stage, fired: {f"a{i}": 1 for i in range(80)})
        except EngineError as exc:
            assert isinstance(exc, BackendError) and "303" in str(exc), exc
        else:
            raise AssertionError("no error")
        assert rules.run([1], lambda stage, fired: {"a3": 1}) == [["R3"]]  # still usable
        print("ok")
    """)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.strip() == "ok"


def test_more_rules_than_one_durable_rules_ruleset_holds():
    # durable_rules refuses a ruleset of more than 4,096 rules (error 106); the backend registers parts.
    proc = _run("""
        from engine.deciding.backend import CompiledRuleset
        rules = CompiledRuleset("big", {f"R{i}": {"all": [{"m": {"$and": [{"stage": 1 + i % 2}, {"a": i % 50}]}}]}
                                        for i in range(9_000)})
        assert len(rules._handles) == 3
        fired = rules.run([1, 2], lambda stage, fired: {"a": 8})
        assert fired[0] == [f"R{i}" for i in range(9_000) if i % 2 == 0 and i % 50 == 8], fired[0][:5]
        assert fired[1] == []
        print("ok")
    """)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.strip() == "ok"


def test_thousands_of_failures_keep_memory_flat_and_the_engine_usable():
    # Each error 303 used to leave a session alive (about 1 MB each): after 1,024 failures every later
    # evaluation failed with MemoryError. 3,000 failures in one process now cost no memory, and a valid
    # fact afterwards is evaluated correctly; the heap is filled and emptied first, as above.
    proc = _run("""
        from engine.deciding.backend import BackendError, CompiledRuleset
        junk = [{"k": i, "v": str(i) * 3} for i in range(300_000)]
        del junk
        def rss():
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * 4096
        rules = CompiledRuleset("soak", {f"R{i}": {"all": [{"m": {"$and": [{"stage": 1}, {f"a{i}": 1}]}}]}
                                         for i in range(80)})
        wide = {f"a{i}": 1 for i in range(80)}
        failures = 0
        for n in range(3_000):
            if n == 100:
                start = rss()
            try:
                rules.run([1], lambda stage, fired: wide)
            except BackendError:
                failures += 1
        growth = rss() - start
        assert failures == 3_000, failures
        assert growth < 20 * 2**20, growth
        assert rules.run([1], lambda stage, fired: {"a3": 1, "a5": 2}) == [["R3"]]
        print("ok", growth)
    """)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.startswith("ok")
