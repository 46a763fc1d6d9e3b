"""Proposals of mixed shapes, generated from a rule set's fact catalogue with a seeded random.

Nothing here knows a region: the fact paths, their values and which of them
are lists or keyed entries come from the rule set's proposal model. Shapes
vary the way real files do: facts left out or ``unknown``, Dutch answers,
shorthand (``key: supports``) or full entries with a reason, optional
sections present or absent, numbers or none.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import typing
from typing import Any

from pydantic import BaseModel

WORDS = ("regionale", "samenwerking", "jeugdhulp", "expertise", "inkoop", "gezin", "verblijf", "crisis",
         "kennis", "netwerk", "continuïteit", "kwaliteit", "financiën", "aanbieder", "cliënt", "gemeenten")
DUTCH = {"yes": "ja", "no": "nee", "unknown": "weet ik niet"}
ENTRY_FIELDS = ("fit", "holds", "effect")


def _unwrap(tp: Any) -> Any:
    """Strip Optional[...] and Annotated[...] from a field annotation."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin is typing.Union:
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _model_at(model: type[BaseModel], parts: list[str]) -> Any:
    """The pydantic model at a dotted location of the proposal model, or None."""
    node: Any = model
    for part in parts:
        fields = getattr(node, "model_fields", None)
        if not fields or part not in fields:
            return None
        node = _unwrap(fields[part].annotation)
    return node if isinstance(node, type) and issubclass(node, BaseModel) else None


def _list_item(model: type[BaseModel], parts: list[str]) -> Any:
    """For a list-of-values fact (``procurement.segments.3``): the list's item values; else None."""
    node: Any = model
    for part in parts[:-1]:
        fields = getattr(node, "model_fields", None)
        if not fields or part not in fields:
            return None
        node = _unwrap(fields[part].annotation)
        if typing.get_origin(node) is list:
            item = _unwrap(typing.get_args(node)[0])
            return typing.get_args(item) if typing.get_origin(item) is typing.Literal else None
    return None


class ProposalGenerator:
    """Random valid proposal data for one rule set; the same seed gives the same proposals."""

    def __init__(self, ruleset: Any, seed: int = 7):
        self.ruleset = ruleset
        self.random = random.Random(seed)
        self.region = ruleset.meta.region
        self.facts = list(ruleset.facts.values())
        self.lists = {spec.path: _list_item(ruleset.model, spec.path.split(".")) for spec in self.facts}
        # The free-text field of a keyed entry (reason, note), found in the model: no field names assumed.
        self.notes = {}
        for spec in self.facts:
            parts = spec.path.split(".")
            entry = _model_at(ruleset.model, parts[:-1]) if parts[-1] in ENTRY_FIELDS else None
            if entry is not None:
                self.notes[spec.path] = next((f for f in ("reason", "note") if f in entry.model_fields), None)

    def text(self) -> str:
        return self.sentence(4, 9)

    def sentence(self, low: int, high: int) -> str:
        words = self.random.choices(WORDS, k=self.random.randint(low, high))
        return " ".join(words).capitalize()

    def data(self) -> dict[str, Any]:
        """One proposal as data (what a YAML file would hold)."""
        rnd = self.random
        out: dict[str, Any] = {
            "title": self.sentence(3, 7), "submitter": "Beleidsadviseur jeugd, " + self.sentence(1, 2),
            "date": dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randrange(500)),
            "region": self.region, "topic": self.sentence(5, 10),
        }
        if rnd.random() < 0.5:
            out["partner_regions"] = [self.sentence(1, 2) for _ in range(rnd.randint(1, 3))]
        leave_out = rnd.choice((0.1, 0.3, 0.6))  # some proposals are nearly complete, some sketchy
        skip_sections = {s for s in ("procurement", "provider") if rnd.random() < 0.4}
        shorthand: list[tuple[list[str], Any]] = []
        for spec in self.facts:
            parts = spec.path.split(".")
            if parts[0] in skip_sections or rnd.random() < leave_out:
                continue
            items = self.lists.get(spec.path)
            if items is not None:
                if rnd.random() < 0.5:
                    value = next(v for v in items if str(v) == parts[-1])
                    self._node(out, parts[:-2]).setdefault(parts[-2], []).append(value)
                continue
            if spec.kind == "number":
                if "amount" in spec.path:
                    value = rnd.randint(-200, 200) * 500
                else:
                    value = rnd.choice((rnd.randint(1, 40), round(rnd.uniform(0.1, 4.0), 1)))
                self._node(out, parts[:-1])[parts[-1]] = value
                continue
            value = rnd.choice(spec.domain)
            if value in DUTCH and rnd.random() < 0.2:
                value = DUTCH[value]
            entry = self._node(out, parts[:-1])
            entry[parts[-1]] = value
            note = self.notes.get(spec.path)
            if note and rnd.random() < 0.5:
                entry[note] = self.sentence(4, 12)
            elif spec.path in self.notes and rnd.random() < 0.7:
                shorthand.append((parts, value))
        for parts, value in shorthand:  # key: value instead of key: {fit: value}, when nothing else is in it
            parent = self._node(out, parts[:-2])
            if parent.get(parts[-2]) == {parts[-1]: value}:
                parent[parts[-2]] = value
        for entry in (out.get("finances") or {}).values():  # a valid proposal: a saving positive, a cost negative
            if isinstance(entry, dict) and isinstance(entry.get("amount_eur"), int):
                sign = {"better": 1, "worse": -1}.get(entry.get("effect"))
                if sign is not None:
                    entry["amount_eur"] = sign * abs(entry["amount_eur"])
        return out

    @staticmethod
    def _node(root: dict[str, Any], parts: list[str]) -> dict[str, Any]:
        node = root
        for part in parts:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        return node


def to_yaml(data: Any, indent: int = 0) -> str:
    """Block-style YAML for generated data: mappings nested, short mappings and lists in flow style."""
    pad = " " * indent
    lines = []
    for key, value in data.items():
        if isinstance(value, dict) and value and (len(value) > 2 or any(isinstance(v, dict) for v in value.values())):
            lines.append(f"{pad}{key}:")
            lines.append(to_yaml(value, indent + 2))
        else:
            lines.append(f"{pad}{key}: {_flow(value)}")
    return "\n".join(lines)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value.replace("_", "").isalnum() and value.isascii():
        return value  # identifiers such as supports / yes / nee stay plain
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def proposal_texts(ruleset: Any, count: int, seed: int = 7) -> list[bytes]:
    """``count`` proposal files (UTF-8 YAML) for ``ruleset``."""
    gen = ProposalGenerator(ruleset, seed)
    return [(f"# voorstel {i}\n" + to_yaml(gen.data()) + "\n").encode("utf-8") for i in range(count)]
