"""What a check of a rule set reports: static findings, invariant violations and the counts of the run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from engine.rulebase.invariants import InvariantSet
from engine.rulebase.ruleset import RuleSet


@dataclass
class Finding:
    """One static finding: an error makes ``check`` fail, a warning does not."""

    severity: str  # "error" | "warning"
    message: str
    where: str = ""

    def render(self) -> str:
        label = {"error": "FOUT / ERROR", "warning": "WAARSCHUWING / WARNING"}[self.severity]
        return f"{label}: {self.where + ': ' if self.where else ''}{self.message}"


@dataclass
class Violation:
    """An invariant that does not hold, with a minimal counterexample."""

    invariant: str
    message: str
    facts: dict[str, Any]
    changed: tuple[str, Any, Any] | None = None  # (fact, from, to) for fact-variation invariants
    outcomes: tuple[str, ...] = ()


@dataclass
class Report:
    ruleset: RuleSet | None
    invariants: InvariantSet | None
    findings: list[Finding] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    raw: int = 0
    reduced: int = 0
    seconds: float = 0.0
    outcome_counts: Counter = field(default_factory=Counter)
    raw_outcome_counts: Counter = field(default_factory=Counter)
    never_fired: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)  # invariant id -> number of cases checked
    evaluations: int = 0  # engine evaluations in all
    engines: tuple[str, ...] = ()  # the rule engines compared on every class
    agreed: int = 0  # classes on which both engines gave the same trace
    disagreed: list[dict[str, Any]] = field(default_factory=list)  # facts of the classes on which they did not

    @property
    def failed(self) -> bool:
        return bool(self.violations) or bool(self.disagreed) or any(f.severity == "error" for f in self.findings)
