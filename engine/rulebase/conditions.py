"""The condition language of rule files: parse, type-check, evaluate, explain.

A condition is YAML data, never code::

    all:
      - {fact: legal.required, is: "no"}
      - {fact: content.values.*.fit, is: conflicts}   # '*': some entry of the section
      - not: {conclusion: grond_aanwezig}

Leaves compare one fact (``is``, ``is_not``, ``in``, ``not_in``, ``gt``, ``ge``,
``lt``, ``le``, ``known``) or test a conclusion another rule draws. ``all``,
``any`` and ``not`` combine them. Parsing checks every fact path and value
against the fact catalogue, so a typo fails when the rule set loads, with a
did-you-mean suggestion. The same tree is compiled for the rule engine
(:mod:`engine.deciding.compiler`) and evaluated here for explanations ("why not?").
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any, Iterator, Union

from engine.reading.facts import FactSpec
from engine.reading.proposal import UNKNOWN

COMPARISONS = ("is", "is_not", "in", "not_in", "gt", "ge", "lt", "le", "known")
NUMERIC = ("gt", "ge", "lt", "le")


class ConditionError(ValueError):
    """A condition that does not parse or does not fit the fact catalogue."""

    def __init__(self, message: str, suggestion: str | None = None):
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion


@dataclass(frozen=True)
class FactTest:
    path: str
    op: str
    value: Any

    def holds(self, facts: dict[str, Any]) -> bool:
        actual = facts.get(self.path)
        op, value = self.op, self.value
        if op == "is":
            return actual == value
        if op == "is_not":
            return actual != value
        if op == "in":
            return actual in value
        if op == "not_in":
            return actual not in value
        if op == "known":
            return (actual is not None and actual != UNKNOWN) == value
        if actual is None or isinstance(actual, str):
            return False
        return {"gt": actual > value, "ge": actual >= value, "lt": actual < value, "le": actual <= value}[op]


@dataclass(frozen=True)
class ConclusionTest:
    name: str


@dataclass(frozen=True)
class All:
    items: tuple["Condition", ...]


@dataclass(frozen=True)
class Any_:
    items: tuple["Condition", ...]


@dataclass(frozen=True)
class Not:
    item: "Condition"


@dataclass(frozen=True)
class Always:
    value: bool


Condition = Union[FactTest, ConclusionTest, All, Any_, Not, Always]


def parse(raw: Any, specs: dict[str, FactSpec]) -> Condition:
    """Parse and type-check a condition against the fact catalogue."""
    if isinstance(raw, bool):
        return Always(raw)
    if not isinstance(raw, dict) or not raw:
        raise ConditionError(f"een voorwaarde moet een mapping zijn, niet {raw!r} / a condition must be a mapping")
    keys = set(raw)
    if keys & {"all", "any"}:
        (key,) = keys if len(keys) == 1 else _too_many(keys)
        items = raw[key]
        if not isinstance(items, list) or not items:
            raise ConditionError(f"'{key}' verwacht een niet-lege lijst / expects a non-empty list")
        parsed = tuple(parse(item, specs) for item in items)
        return All(parsed) if key == "all" else Any_(parsed)
    if "not" in keys:
        if len(keys) != 1:
            _too_many(keys)
        return Not(parse(raw["not"], specs))
    if "always" in keys:
        return Always(bool(raw["always"]))
    if "conclusion" in keys:
        if len(keys) != 1:
            _too_many(keys)
        return ConclusionTest(str(raw["conclusion"]))
    if "fact" in keys:
        return _parse_fact(raw, specs)
    known = ["all", "any", "not", "fact", "conclusion", "always"]
    from engine.common.errors import did_you_mean
    first = sorted(keys)[0]
    raise ConditionError(f"onbekend sleutelwoord '{first}' / unknown keyword", did_you_mean(first, known))


def _too_many(keys: set) -> tuple:
    raise ConditionError(f"één sleutelwoord per voorwaarde verwacht, gevonden: {sorted(keys)} / one keyword per condition")


def _parse_fact(raw: dict, specs: dict[str, FactSpec]) -> Condition:
    from engine.common.errors import did_you_mean

    path = str(raw["fact"])
    ops = [k for k in raw if k != "fact"]
    if len(ops) != 1 or ops[0] not in COMPARISONS:
        bad = ops[0] if ops else ""
        raise ConditionError(f"feit '{path}' verwacht precies één vergelijking uit {', '.join(COMPARISONS)} "
                             f"/ expects exactly one comparison", did_you_mean(bad, COMPARISONS) if bad else None)
    op = ops[0]
    value = raw[op]
    paths = expand(path, specs)
    if not paths:
        raise ConditionError(f"onbekend feit '{path}' / unknown fact", did_you_mean(path, specs))
    tests = tuple(FactTest(p, op, _check_value(specs[p], op, value)) for p in paths)
    return tests[0] if len(tests) == 1 and "*" not in path else Any_(tests)


def expand(pattern: str, specs: dict[str, FactSpec]) -> list[str]:
    """Fact paths a pattern names; ``*`` stands for exactly one path segment."""
    if "*" not in pattern:
        return [pattern] if pattern in specs else []
    n = pattern.count(".")
    return [p for p in specs if p.count(".") == n and fnmatch.fnmatchcase(p, pattern)]


def _check_value(spec: FactSpec, op: str, value: Any) -> Any:
    if op == "known":
        if not isinstance(value, bool):
            raise ConditionError(f"'known' bij '{spec.path}' verwacht true of false / expects true or false")
        return value
    if op in NUMERIC:
        if spec.kind != "number":
            raise ConditionError(f"'{op}' kan alleen op getallen; '{spec.path}' is een keuzefeit / "
                                 f"'{op}' needs a number fact")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConditionError(f"'{op}' bij '{spec.path}' verwacht een getal, niet {value!r} / expects a number")
        if value != value or value in (float("inf"), float("-inf")):  # NaN compares false with everything
            raise ConditionError(f"'{op}' bij '{spec.path}' verwacht een eindig getal, niet {value!r} / expects a "
                                 f"finite number", "gebruik een gewoon getal, bijv. 1000 / use a plain number")
        return value
    if spec.kind == "number":
        raise ConditionError(f"'{spec.path}' is een getal: gebruik gt/ge/lt/le of known / is a number fact")
    values = value if op in ("in", "not_in") else [value]
    if op in ("in", "not_in") and (not isinstance(value, list) or not value):
        raise ConditionError(f"'{op}' bij '{spec.path}' verwacht een niet-lege lijst / expects a non-empty list")
    for v in values:
        if v not in spec.domain:
            from engine.common.errors import did_you_mean
            raise ConditionError(f"waarde {v!r} hoort niet bij '{spec.path}' (mogelijk: "
                                 f"{', '.join(map(str, spec.domain))}) / value outside the fact's domain",
                                 did_you_mean(str(v), [str(d) for d in spec.domain]))
    return tuple(value) if op in ("in", "not_in") else value


def evaluate(cond: Condition, facts: dict[str, Any], conclusions: set[str] | frozenset[str]) -> bool:
    """Evaluate a condition in Python (used to explain; the decision runs in the rule engine)."""
    if isinstance(cond, FactTest):
        return cond.holds(facts)
    if isinstance(cond, ConclusionTest):
        return cond.name in conclusions
    if isinstance(cond, All):
        return all(evaluate(c, facts, conclusions) for c in cond.items)
    if isinstance(cond, Any_):
        return any(evaluate(c, facts, conclusions) for c in cond.items)
    if isinstance(cond, Not):
        return not evaluate(cond.item, facts, conclusions)
    return cond.value


def leaves(cond: Condition) -> Iterator[Union[FactTest, ConclusionTest]]:
    """Every fact or conclusion test in a condition."""
    if isinstance(cond, (FactTest, ConclusionTest)):
        yield cond
    elif isinstance(cond, (All, Any_)):
        for c in cond.items:
            yield from leaves(c)
    elif isinstance(cond, Not):
        yield from leaves(cond.item)


def fact_paths(cond: Condition) -> list[str]:
    """The fact paths a condition reads, in order, without repeats."""
    return list(dict.fromkeys(l.path for l in leaves(cond) if isinstance(l, FactTest)))


def conclusion_names(cond: Condition) -> list[str]:
    return list(dict.fromkeys(l.name for l in leaves(cond) if isinstance(l, ConclusionTest)))


def positive_conclusions(cond: Condition, positive: bool = True) -> list[str]:
    """Conclusions a condition needs to be drawn (not under an odd number of 'not's).

    These are the conclusions that *support* a rule when it fires; a negated
    conclusion only says something did not happen.
    """
    if isinstance(cond, ConclusionTest):
        return [cond.name] if positive else []
    if isinstance(cond, Not):
        return positive_conclusions(cond.item, not positive)
    if isinstance(cond, (All, Any_)):
        out: list[str] = []
        for c in cond.items:
            out.extend(n for n in positive_conclusions(c, positive) if n not in out)
        return out
    return []


def failing_leaves(cond: Condition, facts: dict[str, Any], conclusions: frozenset[str] | set[str],
                   want: bool = True) -> list[tuple[Union[FactTest, ConclusionTest], bool]]:
    """The tests that make ``cond`` differ from ``want``: the answer to "why not?".

    For an ``all`` that should hold, the failing items; for an ``any``, all of
    them (none held); under ``not`` the wish flips.
    """
    if isinstance(cond, (FactTest, ConclusionTest)):
        ok = evaluate(cond, facts, conclusions)
        return [] if ok == want else [(cond, want)]
    if isinstance(cond, Not):
        return failing_leaves(cond.item, facts, conclusions, not want)
    if isinstance(cond, Always):
        return []
    items = cond.items
    is_and = isinstance(cond, All) == want  # all-should-hold, or any-should-fail
    out: list = []
    if is_and:
        for c in items:
            if evaluate(c, facts, conclusions) != want:
                out.extend(failing_leaves(c, facts, conclusions, want))
    elif evaluate(cond, facts, conclusions) != want:
        for c in items:
            out.extend(failing_leaves(c, facts, conclusions, want))
    return out


def describe(cond: Condition, labels: "Labeler", lang: str) -> str:
    """A readable rendering of a condition ("wettelijk verplicht is ja en …")."""
    words = {"nl": {"and": " en ", "or": " of ", "not": "niet ", "always": "altijd", "never": "nooit"},
             "en": {"and": " and ", "or": " or ", "not": "not ", "always": "always", "never": "never"}}[lang]
    if isinstance(cond, FactTest):
        return labels.test(cond, lang)
    if isinstance(cond, ConclusionTest):
        return labels.conclusion(cond.name, lang)
    if isinstance(cond, Always):
        return words["always"] if cond.value else words["never"]
    if isinstance(cond, Not):
        return words["not"] + "(" + describe(cond.item, labels, lang) + ")"
    joiner = words["and"] if isinstance(cond, All) else words["or"]
    parts = [describe(c, labels, lang) for c in cond.items]
    text = joiner.join(parts)
    return f"({text})" if len(parts) > 1 else text


class Labeler:  # pragma: no cover - protocol
    def test(self, test: FactTest, lang: str) -> str: ...
    def conclusion(self, name: str, lang: str) -> str: ...
