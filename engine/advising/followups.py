"""What the interview asks around a decision fact: the details a rule shows, and the source behind a question.

A rule's explanation names details of the proposal (``{{finances.content.amount_eur}}``) or lists entries
with their reasons (``{{where:content.values.*.fit=conflicts}}``). When the officer answers a decision
fact, the interview asks for exactly those details of the same entry, so the advice can show them. ``?``
at a question shows the rules that read the fact, each with the passage of the source behind it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from engine.rulebase import conditions as C
from engine.rulebase import memo
from engine.rulebase.ruleset import RuleSet

_PLACEHOLDER = re.compile(r"\{\{([^}]+)\}\}")
_DETAIL_LEAVES = ("reason", "amount_eur", "note", "fte", "hours_per_week", "basis", "name")


def _matches(pattern: str, path: str) -> bool:
    """Whether a dotted ``pattern`` with ``*`` for one part names ``path``."""
    a, b = pattern.split("."), path.split(".")
    return len(a) == len(b) and all(x == "*" or x == y for x, y in zip(a, b))


@dataclass(frozen=True)
class Detail:
    """A detail to ask after a decision fact: its path in the file, and whether it is a number."""

    path: str
    number: bool


_NUMBERS = ("amount_eur", "fte", "hours_per_week")


def _templates(ruleset: RuleSet, path: str, value: Any) -> list[tuple[str, bool]]:
    """Every explanation, and whether its rule tests ``path`` with a test that ``value`` passes."""
    out = []
    for rule in ruleset.rules:
        reads = any(isinstance(leaf, C.FactTest) and _matches(leaf.path, path) and leaf.holds({leaf.path: value})
                    for leaf in C.leaves(rule.condition))
        out.extend((v, reads) for v in (rule.data.explain.nl, rule.data.explain.en) if v)
    return out


def details_for(ruleset: RuleSet, path: str, value: Any) -> list[Detail]:
    """The details of ``path``'s entry that a rule shows when ``path`` has ``value`` (a reason, an amount)."""
    parent = path.rsplit(".", 1)[0] if "." in path else ""
    found: dict[str, Detail] = {}
    for template, reads in _templates(ruleset, path, value):
        for expr in _PLACEHOLDER.findall(template):
            if expr.startswith("where:"):
                pattern, _, wanted = expr[len("where:"):].partition("=")
                if _matches(pattern, path) and str(value) == wanted and parent:
                    found.setdefault(f"{parent}.reason", Detail(f"{parent}.reason", False))
                continue
            spec = ruleset.facts.get(expr)
            if not reads or "." not in expr or (spec is not None and spec.kind != "number"):
                continue
            head, leaf = expr.rsplit(".", 1)
            if leaf in _DETAIL_LEAVES and parent and _matches(head, parent):
                detail_path = f"{parent}.{leaf}"
                found.setdefault(detail_path, Detail(detail_path, leaf in _NUMBERS))
    return sorted(found.values(), key=lambda d: _DETAIL_LEAVES.index(d.path.rsplit(".", 1)[1]))


def sources_for(ruleset: RuleSet, path: str, lang: str, limit: int = 3) -> list[str]:
    """The rules that read ``path``: id, title and the quoted passage of the source with its section."""
    out = []
    for rule in ruleset.rules:
        if not any(_matches(p, path) for p in memo.fact_paths(rule.condition)):
            continue
        cite = rule.data.cite
        title = rule.data.title.get(lang) or rule.data.title.get("nl", "")
        out.append(f"[{rule.id}] {title}\n      “{cite.quote}” ({cite.section})")
        if len(out) >= limit:
            break
    return out
