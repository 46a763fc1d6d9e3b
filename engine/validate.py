"""Load a proposal file and validate it against the rule set's proposal model.

Every pydantic error becomes one :class:`Problem` with the file, the line of
the offending field, the field path, what was expected and, for misspelt
field names, a did-you-mean suggestion.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem, did_you_mean, join_loc
from .registry import choose
from .ruleset import RuleSet
from .yamlio import LoadedDocument, load_document


@dataclass
class LoadedProposal:
    """A validated proposal, the file it came from and the rule set it is judged by."""

    document: LoadedDocument
    proposal: BaseModel
    ruleset: RuleSet

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.document.raw).hexdigest()


def _expected(err: dict[str, Any]) -> str | None:
    ctx = err.get("ctx") or {}
    if "expected" in ctx:
        return str(ctx["expected"]).replace("'", "")
    kind = err["type"]
    return {
        "missing": "een waarde / a value",
        "date_from_datetime_parsing": "een datum JJJJ-MM-DD / a date YYYY-MM-DD",
        "date_parsing": "een datum JJJJ-MM-DD / a date YYYY-MM-DD",
        "date_type": "een datum JJJJ-MM-DD / a date YYYY-MM-DD",
        "string_type": "tekst / text",
        "float_parsing": "een getal / a number",
        "float_type": "een getal / a number",
        "list_type": "een lijst / a list",
        "model_type": "een mapping (sleutel: waarde) / a mapping",
        "model_attributes_type": "een mapping (sleutel: waarde) / a mapping",
        "dict_type": "een mapping (sleutel: waarde) / a mapping",
    }.get(kind)


_MESSAGES = {
    "missing": "verplicht veld ontbreekt / required field is missing",
    "extra_forbidden": "onbekend veld / unknown field",
    "literal_error": "ongeldige waarde / invalid value",
    "float_parsing": "geen getal / not a number",
    "float_type": "geen getal / not a number",
    "int_parsing": "geen geheel getal / not a whole number",
    "date_from_datetime_parsing": "geen geldige datum / not a valid date",
    "date_parsing": "geen geldige datum / not a valid date",
    "date_type": "geen geldige datum / not a valid date",
    "string_type": "geen tekst / not text",
    "string_too_short": "tekst is te kort / text is too short",
    "list_type": "geen lijst / not a list",
    "model_type": "verwacht een blok met velden / expected a block of fields",
    "model_attributes_type": "verwacht een blok met velden / expected a block of fields",
    "dict_type": "verwacht een blok met velden / expected a block of fields",
    "greater_than_equal": "waarde is te klein / value is too small",
}


def _allowed_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names allowed at the parent of ``loc`` (for did-you-mean)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        current = _model_of(fields[part].annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _model_of(annotation: Any) -> Any:
    import typing
    stack = [annotation]
    while stack:
        tp = stack.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return tp
        stack.extend(typing.get_args(tp))
    return None


def problems_from(doc: LoadedDocument, model: type[BaseModel], exc: ValidationError) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        # Shorthand validators add a tag to the location; drop function-name parts.
        loc = tuple(p for p in loc if not (isinstance(p, str) and ("function-" in p or "[" in p)))
        message = _MESSAGES.get(err["type"], err["msg"])
        suggestion = None
        if err["type"] == "extra_forbidden" and loc:
            suggestion = did_you_mean(str(loc[-1]), _allowed_fields(model, loc))
            if suggestion is None:
                allowed = _allowed_fields(model, loc)
                if allowed:
                    suggestion = "toegestaan / allowed: " + ", ".join(allowed)
        elif err["type"] == "literal_error" and isinstance(err.get("input"), str):
            options = str((err.get("ctx") or {}).get("expected", "")).replace("'", "").replace(" or ", ", ").split(", ")
            suggestion = did_you_mean(err["input"], options)
        if err["type"] not in ("missing", "extra_forbidden") and err.get("input") is not None \
                and not isinstance(err["input"], (dict, list)):
            message = f"{message} (gegeven / given: {err['input']!r})"
        out.append(Problem(doc.name, message, line=doc.line_of(loc), field=join_loc(loc) or None,
                           expected=_expected(err), suggestion=suggestion))
    return sorted(out, key=lambda p: (p.line or 0, p.field or ""))


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
                                  "/ a proposal is a mapping of fields", line=1, expected="title: …")])
    named = doc.data.get("region")
    region = region or (str(named) if named else None)
    day = day or dt.date.today()
    try:
        ruleset = choose(region, day, rules_root, origin="--region")
    except InputError:
        if not (named and region == named):
            raise
        # Only a problem names where the region came from: find that line only then.
        ruleset = choose(region, day, rules_root, origin=f"{doc.name}:{doc.line_of(('region',))}")
    model = ruleset.model
    try:
        proposal = model.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(problems_from(doc, model, exc))
    return LoadedProposal(document=doc, proposal=proposal, ruleset=ruleset)
