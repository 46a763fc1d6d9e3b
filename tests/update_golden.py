"""Rewrite the golden advices in tests/golden/ after an intended change: python tests/update_golden.py"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from test_scenarios import GOLDEN, golden_text, scenario_files  # noqa: E402

if __name__ == "__main__":
    for path in scenario_files():
        target = GOLDEN / path.parent.name / (path.stem + ".json")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(golden_text(path), encoding="utf-8")
        print(f"wrote {target}")
