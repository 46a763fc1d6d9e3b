"""Synthetic rule sets of any size, written as real rule-set folders (same YAML format as rules/).

The rules are random but well-formed: conditions over the proposal's own
fact catalogue (``is``, ``in``, ``is_not``, numeric comparisons, ``any``,
``not``), about a fifth of them draw a conclusion, and rules in the second
stratum read those conclusions. Nothing region-specific: the vocabulary is
generated too.

The conditions are layered the way large rule sets are written: a rule first
names its case with an ``is`` test on one of a few *gate* facts, then narrows
it with a second gate, and only then tests details (``in``, ``is_not``,
numbers, ``any``, ``not``); second-stratum rules start from the conclusion
they build on. durable_rules walks its alpha network with a fixed stack of
64 entries: a fact that matches more than that many tests at once fails with
error 303 (``Could not assert fact``). Conditions that may test any fact
first hit that limit from about 300 rules on; the layered shape keeps the
number of tests one fact can match at once small, so 5,000 rules can be
evaluated (in two durable_rules rulesets: one holds at most 4,096 rules).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from engine.reading.facts import FactSpec

RULES_PER_FILE = 250


def _header(region: str, values: int) -> dict[str, Any]:
    def entries(prefix: str, n: int) -> list[dict[str, str]]:
        return [{"id": f"{prefix}_{i}", "nl": f"{prefix} {i}", "en": f"{prefix} {i}"} for i in range(n)]

    return {
        "id": f"{region}-bench", "region": region, "name": f"Synthetische regio {region}", "version": "1",
        "valid_from": "2020-01-01", "source": {"file": "bron.txt", "title": "Synthetische bron", "path": "bron.txt"},
        "decision_body": {"nl": "het bestuur", "en": "the board"},
        "vocabulary": {"values": entries("waarde", values), "care_landscape": entries("principe", values // 2 or 1),
                       "enrichment": entries("grond", 3)},
        "steps": [{"id": "stap", "nl": "Stap", "en": "Step"}],
    }


def _test(rnd: random.Random, spec: FactSpec) -> dict[str, Any]:
    if spec.kind == "number":
        return {"fact": spec.path, rnd.choice(("gt", "ge", "lt", "le")): rnd.randint(1, 40)}
    op = rnd.choice(("is", "is", "is", "in", "is_not"))
    if op == "in":
        return {"fact": spec.path, "in": rnd.sample(list(spec.domain), k=min(2, len(spec.domain)))}
    return {"fact": spec.path, op: rnd.choice(spec.domain)}


GATES_1, GATES_2 = 6, 8  # enumerated facts a rule names first and second


def _gate(rnd: random.Random, specs: list[FactSpec]) -> dict[str, Any]:
    spec = rnd.choice(specs)
    return {"fact": spec.path, "is": rnd.choice([v for v in spec.domain if v != "unknown"] or list(spec.domain))}


def _condition(rnd: random.Random, gates: tuple[list[FactSpec], list[FactSpec]], details: list[FactSpec],
               conclusions: list[str]) -> dict[str, Any]:
    """gate, gate, one or two details, sometimes an ``any`` or a ``not`` (last: they branch)."""
    if conclusions:
        parts: list[dict[str, Any]] = [{"conclusion": rnd.choice(conclusions)}, _gate(rnd, gates[0])]
    else:
        parts = [_gate(rnd, gates[0]), _gate(rnd, gates[1])]
    parts += [_test(rnd, rnd.choice(details)) for _ in range(rnd.randint(1, 2))]
    if rnd.random() < 0.3:
        parts.append({"any": [_test(rnd, rnd.choice(details)) for _ in range(rnd.randint(2, 3))]})
    elif rnd.random() < 0.1:
        parts.append({"not": _test(rnd, rnd.choice(details))})
    return {"all": parts}


def _rule(i: int, when: dict[str, Any], finding: str | None) -> dict[str, Any]:
    then: dict[str, Any] = {"role": "reason"}
    if finding:
        then["finding"] = finding
    return {
        "id": f"SYN-R{i:05d}", "title": {"nl": f"Regel {i}", "en": f"Rule {i}"}, "step": "stap",
        "when": when, "then": then,
        "explain": {"nl": f"Regel {i} is van toepassing.", "en": f"Rule {i} applies."},
        "cite": {"file": "bron.txt", "section": "Synthetisch", "quote": "Een synthetische regel voor de meting."},
    }


def write_ruleset(folder: Path, rules: int, *, seed: int = 11, region: str = "synthetisch") -> Path:
    """Write a rule-set folder with ``rules`` rules; returns the folder."""
    from engine.rulebase.ruleset import RuleSet, RuleSetMeta

    rnd = random.Random(seed + rules)
    folder.mkdir(parents=True, exist_ok=True)
    header = _header(region, values=8)
    (folder / "ruleset.yaml").write_text(json.dumps(header, ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "bron.txt").write_text("Een synthetische regel voor de meting.\n", encoding="utf-8")
    meta = RuleSetMeta.model_validate(header)
    specs = [s for s in RuleSet(folder=folder, meta=meta, rules=[], files={}).facts.values() if s.decision]
    enums = [s for s in specs if s.kind != "number"]
    rnd.shuffle(enums)
    gates = (enums[:GATES_1], enums[GATES_1:GATES_1 + GATES_2])
    details = [s for s in specs if s not in enums[:GATES_1 + GATES_2]]
    findings = [f"conclusie_{i}" for i in range(max(1, rules // 25))]
    first = int(rules * 0.8)
    made: list[dict[str, Any]] = []
    for i in range(rules):
        if i < first:
            finding = findings[(i // 5) % len(findings)] if i % 5 == 0 else None
            made.append(_rule(i, _condition(rnd, gates, details, []), finding))
        else:
            made.append(_rule(i, _condition(rnd, gates, details, findings), None))
    for start in range(0, rules, RULES_PER_FILE):
        chunk = made[start:start + RULES_PER_FILE]
        # JSON is YAML 1.2: the same loader reads it, and it is quick to write.
        (folder / f"{start // RULES_PER_FILE + 10:03d}-regels.yaml").write_text(
            json.dumps({"rules": chunk}, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder
