"""Run the examples written in rule files through the real rule engine.

A rule's examples are its documentation and its test at once: a minimal set
of facts (dotted paths, ``*`` wildcards allowed) and whether the rule must
fire on them. Each example becomes a proposal (placeholders for the required
title/submitter/date/topic, every unmentioned fact unknown), is validated by
the rule set's own proposal model and evaluated by the compiled evaluator, so
an example can only pass if the whole pipeline agrees with it.
"""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass
from typing import Any, Iterator

from pydantic import BaseModel, ValidationError

from engine.rulebase import conditions as C
from engine.reading.facts import flatten
from engine.rulebase.ruleset import Example, Rule, RuleSet

PLACEHOLDERS: dict[str, Any] = {
    "title": "Voorbeeld bij een regel",
    "submitter": "Beheerder van de regelset",
    "date": dt.date(2000, 1, 1),
    "topic": "Minimale feiten uit een regelvoorbeeld",
}


class ExampleError(ValueError):
    """An example whose facts do not make a valid proposal."""


@dataclass(frozen=True)
class ExampleCase:
    """One example of one rule of one rule set."""

    ruleset: RuleSet
    rule: Rule
    index: int  # 0-based position in the rule's examples
    example: Example

    @property
    def name(self) -> str:
        return f"{self.ruleset.meta.id}:{self.rule.id}#{self.index + 1}"


@dataclass(frozen=True)
class ExampleResult:
    case: ExampleCase
    fired: bool
    fired_rules: tuple[str, ...]
    missing_conclusions: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return self.fired == self.case.example.fires and not self.missing_conclusions

    def message(self) -> str:
        ex = self.case.example
        want = "vuren / fire" if ex.fires else "niet vuren / not fire"
        got = "vuurde / fired" if self.fired else "vuurde niet / did not fire"
        text = (f"{self.case.rule.file}: regel {self.case.rule.id}, voorbeeld {self.case.index + 1}: "
                f"moet {want}, maar {got}; feiten / facts {ex.facts}; gevuurd / fired: {', '.join(self.fired_rules) or '-'}")
        if self.missing_conclusions:
            text += f"; conclusies niet getrokken / conclusions not drawn: {', '.join(self.missing_conclusions)}"
        return text


def collect(ruleset: RuleSet) -> list[ExampleCase]:
    """Every example of every rule, in rule-file order."""
    return [ExampleCase(ruleset, rule, i, ex) for rule in ruleset.rules for i, ex in enumerate(rule.data.examples)]


def rules_without_examples(ruleset: RuleSet) -> list[str]:
    return [r.id for r in ruleset.rules if not r.data.examples]


def _list_fields(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Dotted paths of list-valued fields (e.g. segments), whose facts are memberships."""
    out: set[str] = set()
    for name, info in model.model_fields.items():
        stack, seen_list, sub = [info.annotation], False, None
        while stack:
            tp = stack.pop()
            if typing.get_origin(tp) is list:
                seen_list = True
            elif isinstance(tp, type) and issubclass(tp, BaseModel):
                sub = tp
            else:
                stack.extend(typing.get_args(tp))
        if seen_list:
            out.add(prefix + name)
        elif sub is not None:
            out |= _list_fields(sub, f"{prefix}{name}.")
    return out


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[parts[-1]] = value


def proposal_data(ruleset: RuleSet, facts: dict[str, Any]) -> dict[str, Any]:
    """Proposal data for an example's dotted facts; later keys override earlier wildcards."""
    specs = ruleset.facts
    lists = _list_fields(ruleset.model)
    data: dict[str, Any] = {k: v for k, v in PLACEHOLDERS.items()}
    members: dict[str, set] = {}
    for key, value in facts.items():
        if key in lists:
            if not isinstance(value, list):
                raise ExampleError(f"'{key}' verwacht een lijst / expects a list, niet {value!r}")
            members[key] = set(value)
            continue
        paths = C.expand(key, specs)
        if not paths:
            from engine.common.errors import did_you_mean
            hint = did_you_mean(key, list(specs) + sorted(lists))
            raise ExampleError(f"onbekend feit '{key}' / unknown fact" + (f" — {hint}" if hint else ""))
        for path in paths:
            parent, _, last = path.rpartition(".")
            if parent in lists:
                chosen = members.setdefault(parent, set())
                item = int(last) if last.isdigit() else last
                if str(value).lower() in ("yes", "ja", "true"):
                    chosen.add(item)
                else:
                    chosen.discard(item)
            else:
                _set(data, path, value)
    for path, chosen in members.items():
        _set(data, path, sorted(chosen, key=str))
    return data


def run(case: ExampleCase) -> ExampleResult:
    """Evaluate one example with the rule set's compiled evaluator."""
    from engine.deciding.engines import evaluator_for

    ruleset = case.ruleset
    data = proposal_data(ruleset, case.example.facts)
    try:
        proposal = ruleset.model.model_validate(data)
    except ValidationError as exc:
        raise ExampleError(f"{case.rule.file}: regel {case.rule.id}, voorbeeld {case.index + 1}: "
                           f"geen geldig voorstel / not a valid proposal: {exc}") from exc
    trace = evaluator_for(ruleset).evaluate(flatten(proposal, ruleset.facts))
    missing = tuple(c for c in case.example.conclusions if c not in trace.conclusions)
    return ExampleResult(case, case.rule.id in trace.fired, trace.fired, missing)


def run_all(ruleset: RuleSet) -> Iterator[ExampleResult]:
    for case in collect(ruleset):
        yield run(case)
