"""Rewrite the golden advices in tests/golden/ after an intended change.

    python tests/update_golden.py              # every scenario
    python tests/update_golden.py foodvalley   # one region's scenarios
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from test_scenarios import GOLDEN, golden_text, scenario_files  # noqa: E402

if __name__ == "__main__":
    regions = set(sys.argv[1:])
    for path in scenario_files():
        if regions and path.parent.name not in regions:
            continue
        target = GOLDEN / path.parent.name / (path.stem + ".json")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(golden_text(path), encoding="utf-8")
        print(f"wrote {target}")
