"""Load a proposal file and validate it against the rule set's proposal model.

Every pydantic error becomes one :class:`Problem` (see :mod:`engine.reading.problems`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from engine.common.errors import InputError, Problem
from engine.reading.problems import problems_from, shown
from engine.rulebase.registry import choose
from engine.rulebase.ruleset import RuleSet
from engine.reading.yamlio import LoadedDocument, load_document


@dataclass
class LoadedProposal:
    """A validated proposal, the file it came from and the rule set it is judged by."""

    document: LoadedDocument
    proposal: BaseModel
    ruleset: RuleSet

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.document.raw).hexdigest()


def load_proposal(path: str | Path, *, region: str | None = None, day: dt.date | None = None,
                  rules_root: Path | None = None) -> LoadedProposal:
    """Load → pick the rule set → validate. Raises InputError with every problem found."""
    doc = load_document(path, what="voorstel")
    return validate_document(doc, region=region, day=day, rules_root=rules_root)


def validate_document(doc: LoadedDocument, *, region: str | None = None, day: dt.date | None = None,
                      rules_root: Path | None = None) -> LoadedProposal:
    """Pick the rule set for a parsed proposal and validate it (the part of :func:`load_proposal` after parsing)."""
    if not isinstance(doc.data, dict):
        raise InputError([Problem(doc.name, "een voorstel is een mapping met velden als title, submitter, date "
                                  "/ a proposal is a mapping of fields", line=1, column=1, expected="title: …")])
    named = doc.data.get("region")
    if named is not None and not isinstance(named, str) and region is None:
        pos = doc.position_of(("region",)) or (None, None)
        raise InputError([Problem(doc.name, f"geen tekst / not text (gegeven / given: {shown(named)})", line=pos[0],
                                  column=pos[1], field="region", expected="de naam van een regelset, een map onder rules/ "
                                  "/ the name of a rule set, a folder under rules/")])
    region = region or (named or None)
    day = day or dt.date.today()
    try:
        ruleset = choose(region, day, rules_root, origin="--region")
    except InputError:
        if region is None:  # no region anywhere: name the file, so a batch shows which proposal lacks one
            ruleset = choose(region, day, rules_root, origin=f"{doc.name}: --region")
        elif not (named and region == named):
            raise
        else:
            # Only a problem names where the region came from: find that line only then.
            ruleset = choose(region, day, rules_root, origin=doc.where(("region",)))
    model = ruleset.model
    try:
        proposal = model.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(problems_from(doc, model, exc))
    return LoadedProposal(document=doc, proposal=proposal, ruleset=ruleset)
