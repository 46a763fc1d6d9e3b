"""Passages the rule-set author deliberately did not encode, and the decision chapters that must be reviewed.

``rules/<region>/niet-gecodeerd.yaml`` lists passages of the source that are
not a rule, each with a reason; ``decision_chapters`` in ``ruleset.yaml`` names
the chapters whose every paragraph must be either cited by a rule or listed
here. Both are checked when the rule set loads, so a passage that is not in the
source, or a heading that does not exist, is an error with file and line.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.common.errors import Problem, did_you_mean, join_loc
from engine.reading.problems import problems_from
from engine.reading.yamlio import load_document

if TYPE_CHECKING:
    from engine.rulebase.ruleset import RuleSet

FILE = "niet-gecodeerd.yaml"


class _Text(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built when first used (not after the cache)
    nl: str = Field(..., min_length=1)
    en: str = Field(..., min_length=1)


class _Passage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    section: str = Field(..., min_length=1)
    quote: str = Field(..., min_length=8, max_length=400)
    reason: _Text


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    passages: list[_Passage] = Field(default_factory=list)


@dataclass(frozen=True)
class NotEncoded:
    """One passage deliberately not encoded as a rule, and why."""

    section: str
    quote: str
    reason_nl: str
    reason_en: str
    line: int | None

    def reason(self, lang: str) -> str:
        return self.reason_en if lang == "en" else self.reason_nl


def load_not_encoded(ruleset: RuleSet, check: bool = True) -> list[Problem]:
    """Read ``niet-gecodeerd.yaml`` (when there is one) into ``ruleset.not_encoded`` and check it and the decision
    chapters against the source; the problems found, each with file and line. ``check=False``: only read it (these
    files passed the checks before, see :mod:`engine.rulebase.verified`)."""
    from engine.rulebase.ruleset import _normal_source, normalise_text

    problems: list[Problem] = []
    path = ruleset.folder / FILE
    if path.exists():
        doc = load_document(path, what="regelset-bestand")
        try:
            data = _File.model_validate(doc.data if doc.data is not None else {})
        except ValidationError as exc:
            return problems_from(doc, _File, exc)
        for i, p in enumerate(data.passages):
            loc = ("passages", i)
            line, column = doc.position_of(loc) or (None, None)
            ruleset.not_encoded.append(NotEncoded(p.section, p.quote, p.reason.nl, p.reason.en, line))
            if not check or ruleset.source_text is None:
                continue
            if normalise_text(p.quote) not in _normal_source(ruleset):
                from engine.rulebase.ruleset import closest_passage

                qline, qcol = doc.position_of(loc + ("quote",)) or (line, column)
                problems.append(Problem(doc.name, "het citaat staat niet in de bron / the quote is not in the source "
                                        f"({ruleset.meta.source.file})", line=qline, column=qcol,
                                        field=join_loc(loc + ("quote",)),
                                        suggestion=closest_passage(ruleset, p.quote)))
        ruleset.__dict__.pop("document", None)  # the not-encoded sections are headings too
        if check and ruleset.source_text is not None:
            document = ruleset.document
            headings = sorted({h.title for h in document.headings})
            for i, p in enumerate(data.passages):
                if document.heading(p.section) is None:
                    loc = ("passages", i, "section")
                    sline, scol = doc.position_of(loc) or (None, None)
                    problems.append(Problem(doc.name, f"onbekende sectie '{p.section}': geen kop in de bron / unknown "
                                            "section: not a heading of the source", line=sline, column=scol,
                                            field=join_loc(loc), suggestion=did_you_mean(p.section, headings)))
    if check:
        problems.extend(_chapter_problems(ruleset))
    return problems


def _chapter_problems(ruleset: RuleSet) -> list[Problem]:
    """Every heading named in ``decision_chapters`` is a heading of the source, and a range runs forwards."""
    if not ruleset.meta.decision_chapters or ruleset.source_text is None:
        return []
    head = load_document(ruleset.folder / "ruleset.yaml", what="regelset-bestand")
    document = ruleset.document
    headings = sorted({h.title for h in document.headings})
    out = []
    for i, chapter in enumerate(ruleset.meta.decision_chapters):
        names = [((), chapter)] if isinstance(chapter, str) else [(("from",), chapter.start), (("until",), chapter.until)]
        found = []
        for sub, name in names:
            if name is None:
                continue
            loc = ("decision_chapters", i) + sub
            block = document.heading(name)
            found.append(block)
            if block is None:
                line, column = head.position_of(loc) or (None, None)
                out.append(Problem(head.name, f"onbekend hoofdstuk '{name}': geen kop in de bron / unknown chapter: "
                                   "not a heading of the source", line=line, column=column, field=join_loc(loc),
                                   suggestion=did_you_mean(name, headings)))
        if len(found) == 2 and None not in found and found[1].index <= found[0].index:
            line, column = head.position_of(("decision_chapters", i)) or (None, None)
            out.append(Problem(head.name, "'until' staat in de bron vóór 'from' / 'until' comes before 'from' in the "
                               "source", line=line, column=column, field=join_loc(("decision_chapters", i))))
    return [dataclasses.replace(p) for p in out]


def chapter_paragraphs(ruleset: RuleSet) -> dict[int, str]:
    """Block index -> the decision chapter it belongs to, for every paragraph in a decision chapter."""
    document = ruleset.document
    out: dict[int, str] = {}
    for chapter in ruleset.meta.decision_chapters:
        if isinstance(chapter, str):
            name, blocks = chapter, document.chapter(chapter)
        else:
            name = chapter.start
            start = document.heading(chapter.start)
            end = document.heading(chapter.until) if chapter.until else None
            if start is None:
                continue
            stop = end.index if end is not None else len(document.blocks)
            blocks = [b for b in document.blocks[start.index + 1:stop] if b.kind == "paragraph"]
        for b in blocks:
            out.setdefault(b.index, name)
    return out
