"""Static checks of a rule set: citations against the source, conclusions nothing reads, rules that can
never fire and the validity period.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from engine.rulebase import conditions as C
from engine.common.errors import RuleError
from engine.rulebase.ruleset import RuleSet, quote_in_source
from engine.verifying.findings import Finding
from engine.verifying.enumeration import Analysis, satisfying


def static_findings(ruleset: RuleSet, day: dt.date) -> list[Finding]:
    out: list[Finding] = []
    meta = ruleset.meta
    source = ruleset.source_text
    if source is None:
        out.append(Finding("error", f"brondocument ontbreekt / source document missing: {meta.source.path}", "ruleset.yaml"))
    for rule in ruleset.rules:
        where = f"{rule.file}:{rule.line} {rule.id}" if rule.line else f"{rule.file} {rule.id}"
        cite = rule.data.cite
        if cite.file != meta.source.file:
            out.append(Finding("error", f"citeert '{cite.file}', de bron is '{meta.source.file}' / cites another file", where))
        if source is not None and not quote_in_source(cite.quote, source):
            out.append(Finding("error", f"citaat staat niet in de bron / quote not in the source: \u201c{cite.quote}\u201d", where))
        if source is not None and not quote_in_source(cite.section, source):
            out.append(Finding("error", f"sectie staat niet in de bron / section heading not in the source: '{cite.section}'", where))
    read = {n for r in ruleset.rules for n in C.conclusion_names(r.condition)}
    for name, ids in ruleset.producers.items():
        if name not in read:
            out.append(Finding("warning", f"conclusie '{name}' wordt door geen regel gebruikt / conclusion nothing uses "
                                          f"(getrokken door / drawn by {', '.join(ids)})", ruleset.by_id[ids[0]].file))
    return out + validity_findings(meta, day)


def validity_findings(meta: Any, day: dt.date) -> list[Finding]:
    """A warning when ``day`` lies outside the rule set's validity period."""
    if meta.valid_until is not None and day > meta.valid_until:
        return [Finding("warning", f"regelset geldig tot en met {meta.valid_until}, toetsdatum {day} / rule set past "
                                   f"its validity date", "ruleset.yaml")]
    if day < meta.valid_from:
        return [Finding("warning", f"regelset geldt pas vanaf {meta.valid_from}, toetsdatum {day} / rule set not yet "
                                   f"valid", "ruleset.yaml")]
    return []


def never_satisfiable(ruleset: RuleSet, analysis: Analysis) -> list[str]:
    """Rules reading facts alone whose condition no combination of values satisfies."""
    out = []
    for rule in ruleset.rules:
        if C.conclusion_names(rule.condition):
            continue
        if satisfying(rule.condition, analysis) is None:
            out.append(rule.id)
    return out


def head_findings(folder: Path, day: dt.date) -> list[Finding]:
    """The validity warning of a rule set whose rules do not load, if its ``ruleset.yaml`` does."""
    from pydantic import ValidationError

    from engine.common.errors import InputError
    from engine.rulebase.ruleset import RuleSetMeta
    from engine.reading.yamlio import load_document

    try:
        meta = RuleSetMeta.model_validate(load_document(folder / "ruleset.yaml", what="regelset-bestand").data)
    except (InputError, RuleError, ValidationError):  # its problems are already among the findings
        return []
    return validity_findings(meta, day)
