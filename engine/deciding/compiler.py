"""Compile parsed conditions into durable_rules ruleset definitions.

Conditions are turned into durable_rules' JSON pattern language in negation
normal form (durable_rules has no 'not' operator). Every fact is always
present in an engine fact — unknown enums as ``"unknown"``, unknown numbers
left out — so a negated test is the plain opposite test, and numbers are
never compared with strings (the compiler refuses numeric tests on
enumerated facts).
"""

from __future__ import annotations

from typing import Any

from engine.rulebase import conditions as C
from engine.reading.facts import FactSpec, attr_name

STAGE = "stage"
_NEGATE = {"$gt": "$lte", "$gte": "$lt", "$lt": "$gte", "$lte": "$gt"}
_NUMERIC = {"gt": "$gt", "ge": "$gte", "lt": "$lt", "le": "$lte"}
TRUE_PATTERN: dict = {}


def conclusion_attr(name: str) -> str:
    return f"c__{name}"


def pattern(cond: C.Condition, specs: dict[str, FactSpec], negate: bool = False) -> dict | bool:
    """A durable_rules pattern for ``cond`` (or its negation); True/False for constants."""
    if isinstance(cond, C.Always):
        return cond.value != negate
    if isinstance(cond, C.Not):
        return pattern(cond.item, specs, not negate)
    if isinstance(cond, C.ConclusionTest):
        attr = conclusion_attr(cond.name)
        return {"$neq": {attr: "yes"}} if negate else {attr: "yes"}
    if isinstance(cond, C.FactTest):
        return _fact(cond, specs[cond.path], negate)
    conj = isinstance(cond, C.All) != negate  # De Morgan
    parts = _flatten([pattern(c, specs, negate) for c in cond.items], "$and" if conj else "$or")
    if conj:
        if any(p is False for p in parts):
            return False
        parts = [p for p in parts if p is not True]
        return True if not parts else (parts[0] if len(parts) == 1 else {"$and": parts})
    if any(p is True for p in parts):
        return True
    parts = [p for p in parts if p is not False]
    return False if not parts else (parts[0] if len(parts) == 1 else {"$or": parts})


def _flatten(parts: list, op: str) -> list:
    """Merge nested ``$and``/``$or`` into their parent: durable_rules limits nesting, not width."""
    out: list = []
    for p in parts:
        if isinstance(p, dict) and list(p) == [op]:
            out.extend(p[op])
        else:
            out.append(p)
    return out


def _fact(test: C.FactTest, spec: FactSpec, negate: bool) -> dict:
    attr = attr_name(test.path)
    op, value = test.op, test.value
    if op == "known":
        want_known = value != negate
        if spec.kind == "number":
            return {"$ex": {attr: 1}} if want_known else {"$nex": {attr: 1}}
        return {"$neq": {attr: "unknown"}} if want_known else {attr: "unknown"}
    if op in _NUMERIC:
        dop = _NUMERIC[op]
        if negate:  # not (x > v) for a number fact: x <= v, or x unknown
            return {"$or": [{_NEGATE[dop]: {attr: value}}, {"$nex": {attr: 1}}]}
        return {dop: {attr: value}}
    if op in ("is_not", "not_in"):
        op, negate = ("is" if op == "is_not" else "in"), not negate
    values = [value] if op == "is" else list(value)
    if negate:
        parts = [{"$neq": {attr: v}} for v in values]
        return parts[0] if len(parts) == 1 else {"$and": parts}
    parts = [{attr: v} for v in values]
    return parts[0] if len(parts) == 1 else {"$or": parts}


def rule_definition(cond: C.Condition, stratum: int, specs: dict[str, FactSpec]) -> dict[str, Any] | None:
    """The durable_rules definition of one rule (without its action); None if it can never fire."""
    pat = pattern(cond, specs)
    if pat is False:
        return None
    stage = {STAGE: stratum}
    body = stage if pat is True else {"$and": _flatten([stage, pat], "$and")}
    return {"all": [{"m": body}]}


def attributes(definition: Any) -> set[str]:
    """The fact attributes a compiled pattern or rule definition tests (operators and the stage left out)."""
    out: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key.startswith("$") or key in ("all", "m"):
                    walk(value)
                else:
                    out.add(key)
    walk(definition)
    out.discard(STAGE)
    return out

