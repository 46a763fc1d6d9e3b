"""What changes between two versions of a rule set: rules, and the advice they give.

Comparing rule files alone says little about consequences; re-evaluating the
same proposals under both versions shows which advices a change actually
moves. Both versions are evaluated through the normal compiled evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.common.errors import InputError
from engine.reading.facts import flatten
from engine.rulebase.ruleset import RuleSet

RULE_FIELDS = ("title", "step", "when", "then", "explain", "cite", "examples")
META_FIELDS = ("id", "region", "version", "valid_from", "valid_until", "source", "vocabulary", "steps")


@dataclass(frozen=True)
class RuleChange:
    id: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class ScenarioResult:
    """One proposal under both versions; an outcome of None means the proposal is invalid there."""

    file: str
    old_outcome: str | None
    new_outcome: str | None
    old_fired: tuple[str, ...]
    new_fired: tuple[str, ...]
    problem: str | None = None

    @property
    def outcome_changed(self) -> bool:
        return self.old_outcome != self.new_outcome

    @property
    def rules_changed(self) -> bool:
        return self.old_fired != self.new_fired


@dataclass
class RuleSetDiff:
    old: RuleSet
    new: RuleSet
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[RuleChange] = field(default_factory=list)
    meta_changed: list[str] = field(default_factory=list)
    scenarios: list[ScenarioResult] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.meta_changed)


def compare(old: RuleSet, new: RuleSet) -> RuleSetDiff:
    """Added, removed and changed rules (by id) and changed header fields."""
    diff = RuleSetDiff(old, new)
    old_ids, new_ids = list(old.by_id), list(new.by_id)
    diff.added = [i for i in new_ids if i not in old.by_id]
    diff.removed = [i for i in old_ids if i not in new.by_id]
    for rid in new_ids:
        if rid in old.by_id:
            a, b = old.by_id[rid].data.model_dump(mode="json"), new.by_id[rid].data.model_dump(mode="json")
            fields = tuple(f for f in RULE_FIELDS if a.get(f) != b.get(f))
            if fields:
                diff.changed.append(RuleChange(rid, fields))
    a, b = old.meta.model_dump(mode="json"), new.meta.model_dump(mode="json")
    diff.meta_changed = [f for f in META_FIELDS if a.get(f) != b.get(f)]
    return diff


def _evaluate(ruleset: RuleSet, data: Any) -> tuple[str, tuple[str, ...]]:
    from engine.deciding.evaluate import single_outcome
    from engine.deciding.engines import evaluator_for

    proposal = ruleset.model.model_validate(data)
    evaluator = evaluator_for(ruleset)
    trace = evaluator.evaluate(flatten(proposal, ruleset.facts))
    return single_outcome(evaluator, trace), trace.fired


def evaluate_scenarios(diff: RuleSetDiff, paths: list[Path]) -> None:
    """Evaluate every proposal under both versions; invalid proposals are reported, not fatal."""
    from pydantic import ValidationError

    from engine.deciding.validate import problems_from
    from engine.reading.yamlio import load_document

    for path in paths:
        doc = load_document(path, what="voorstel")
        results: list[tuple[str | None, tuple[str, ...]]] = []
        problems = []
        for ruleset in (diff.old, diff.new):
            try:
                results.append(_evaluate(ruleset, doc.data))
            except ValidationError as exc:
                results.append((None, ()))
                problems.append(InputError(problems_from(doc, ruleset.model, exc)).render())
        diff.scenarios.append(ScenarioResult(doc.name, results[0][0], results[1][0], results[0][1], results[1][1],
                                             problem="; ".join(problems) or None))


LABELS = {
    "nl": {"title": "Verschil tussen regelsets", "old": "oud", "new": "nieuw", "added": "Toegevoegd",
           "removed": "Verwijderd", "changed": "Gewijzigd", "meta": "Gewijzigde kopgegevens", "none": "geen",
           "scenarios": "Scenario's", "outcome": "uitkomst", "same": "gelijk", "rules": "andere regels van toepassing",
           "invalid": "ongeldig", "summary": "{n} van {total} adviezen veranderen van uitkomst"},
    "en": {"title": "Difference between rule sets", "old": "old", "new": "new", "added": "Added",
           "removed": "Removed", "changed": "Changed", "meta": "Changed header fields", "none": "none",
           "scenarios": "Scenarios", "outcome": "outcome", "same": "unchanged", "rules": "other rules apply",
           "invalid": "invalid", "summary": "{n} of {total} advices change outcome"},
}


def render_text(diff: RuleSetDiff, lang: str = "nl") -> str:
    from engine.common.i18n import OUTCOME_LABELS

    w = LABELS[lang]

    def label(outcome: str | None) -> str:
        return OUTCOME_LABELS[outcome][lang] if outcome else w["invalid"]

    def title(rs: RuleSet, rid: str) -> str:
        return rs.by_id[rid].data.title.get(lang)

    o, n = diff.old.meta, diff.new.meta
    out = [w["title"],
           f"  {w['old']}:   {o.id} {o.version} ({o.valid_from} – {o.valid_until or '…'}) {diff.old.folder}",
           f"  {w['new']}: {n.id} {n.version} ({n.valid_from} – {n.valid_until or '…'}) {diff.new.folder}", ""]
    if diff.meta_changed:
        out.append(f"{w['meta']}: {', '.join(diff.meta_changed)}")
    out.append(f"{w['added']} ({len(diff.added)}):" + ("" if diff.added else f" {w['none']}"))
    out += [f"  + {rid}  {title(diff.new, rid)}" for rid in diff.added]
    out.append(f"{w['removed']} ({len(diff.removed)}):" + ("" if diff.removed else f" {w['none']}"))
    out += [f"  - {rid}  {title(diff.old, rid)}" for rid in diff.removed]
    out.append(f"{w['changed']} ({len(diff.changed)}):" + ("" if diff.changed else f" {w['none']}"))
    out += [f"  ~ {c.id}  {title(diff.new, c.id)} [{', '.join(c.fields)}]" for c in diff.changed]
    if diff.scenarios:
        moved = [s for s in diff.scenarios if s.outcome_changed]
        out += ["", f"{w['scenarios']}: " + w["summary"].format(n=len(moved), total=len(diff.scenarios))]
        for s in diff.scenarios:
            if s.outcome_changed:
                out.append(f"  ! {s.file}: {label(s.old_outcome)} → {label(s.new_outcome)}")
            elif s.rules_changed:
                gone = [r for r in s.old_fired if r not in s.new_fired]
                came = [r for r in s.new_fired if r not in s.old_fired]
                detail = " ".join([f"-{r}" for r in gone] + [f"+{r}" for r in came])
                out.append(f"  ~ {s.file}: {w['outcome']} {w['same']} ({label(s.new_outcome)}); {w['rules']}: {detail}")
            else:
                out.append(f"  = {s.file}: {label(s.new_outcome)}")
            if s.problem:
                out.append(f"      {s.problem}")
    return "\n".join(out) + "\n"
