"""Small measuring tools: wall-clock timing, medians and spreads, resident memory."""

from __future__ import annotations

import resource
import statistics
import sys
import time
from typing import Any, Callable


def timed(func: Callable[[], Any]) -> float:
    """Seconds one call takes (wall clock)."""
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def spread(samples: list[float]) -> dict[str, float]:
    """Median and spread of a list of samples (same unit as the samples)."""
    ordered = sorted(samples)
    n = len(ordered)
    return {
        "median": statistics.median(ordered),
        "min": ordered[0],
        "max": ordered[-1],
        "p10": ordered[int(0.1 * (n - 1))],
        "p90": ordered[int(round(0.9 * (n - 1)))],
        "runs": n,
    }


def rss_mb() -> float:
    """Current resident set size of this process, in MB (from /proc/self/status)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")
