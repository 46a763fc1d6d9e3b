"""The advice as JSON: stable key order, so the same input gives the same bytes."""

from __future__ import annotations

import json

from ..advice import Advice


def render_json(advices: list[Advice]) -> str:
    data = [a.model_dump(mode="json") for a in advices]
    payload = data[0] if len(data) == 1 else data
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
