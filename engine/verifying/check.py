"""Check a rule set for the people who maintain the rules: static findings, then the exhaustive run.

Static (:mod:`engine.verifying.static`): problems that make a rule set
unloadable become findings, one per rule; then citations, unused conclusions,
rules that can never fire and the validity period. Exhaustive
(:mod:`engine.verifying.exhaustive`): every class of the reduced decision
space (:mod:`engine.verifying.enumeration`) is evaluated and every invariant
judged.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

from engine.common.errors import RuleError
from engine.rulebase.invariants import builtin_invariants, citation_problems, load_invariants
from engine.rulebase.ruleset import RuleSet, load_ruleset
from engine.verifying.findings import Finding, Report
from engine.verifying.enumeration import analyse
from engine.verifying.static import static_findings, never_satisfiable, head_findings
from engine.verifying.exhaustive import exhaustive


def check_folder(folder: str | Path, day: dt.date, *, exhaustive_run: bool = True,
                 progress: Callable[[str], None] | None = None) -> Report:
    """Static and exhaustive analysis of one rule set folder."""
    try:
        ruleset = load_ruleset(folder)
    except RuleError as exc:
        report = Report(None, None)
        report.findings = [Finding("error", p.render()) for p in exc.problems] + head_findings(Path(folder), day)
        return report
    return check_ruleset(ruleset, day, exhaustive_run=exhaustive_run, progress=progress)


def check_ruleset(ruleset: RuleSet, day: dt.date, *, exhaustive_run: bool = True,
                  progress: Callable[[str], None] | None = None) -> Report:
    report = Report(ruleset, None)
    report.findings = static_findings(ruleset, day)
    from engine.verifying.coverage import review_findings  # paragraphs of the decision chapters not yet reviewed

    report.findings += review_findings(ruleset)
    try:
        invariants = load_invariants(ruleset)
    except RuleError as exc:
        report.findings += [Finding("error", p.render()) for p in exc.problems]
        return report
    report.invariants = invariants
    if invariants.file is None:
        report.findings.append(Finding("warning", "geen invariants.yaml: alleen de vaste invarianten / no invariants.yaml: "
                                                  "built-in invariants only", str(ruleset.folder)))
        invariants.invariants = builtin_invariants()
    report.findings += [Finding("error", m, invariants.file or "") for m in citation_problems(invariants, ruleset)]
    analysis = analyse(ruleset, invariants)
    for rid in never_satisfiable(ruleset, analysis):
        r = ruleset.by_id[rid]
        report.findings.append(Finding("error", "voorwaarde kan nooit gelden: de regel vuurt nooit / condition can never "
                                                "hold: the rule never fires", f"{r.file}:{r.line} {rid}"))
    uncovered = [p for p in analysis.relevant if p not in invariants.orders and p not in invariants.descriptive
                 and ruleset.facts[p].decision]
    if uncovered and invariants.file:
        report.findings.append(Finding("warning", "feiten zonder gunstige richting (favourability) en niet 'descriptive' / "
                                                  "facts without favourability order: " + ", ".join(uncovered),
                                       invariants.file))
    if exhaustive_run:
        exhaustive(ruleset, invariants, report, progress)
    return report
