"""Pydantic validation errors as problems for people: one line each, in Dutch and English.

Every error becomes one :class:`Problem` with the file, the line and column
of the offending field, the field path, what was expected and, for misspelt
field names or values, a did-you-mean suggestion. Used for proposals and for
rule files alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem, did_you_mean, join_loc


def _expected(err: dict[str, Any]) -> str | None:
    ctx = err.get("ctx") or {}
    if "expected" in ctx:
        return str(ctx["expected"]).replace("'", "")
    if "ge" in ctx:
        low = ctx["ge"]
        low = int(low) if isinstance(low, float) and low.is_integer() else low
        return f"een getal ≥ {low} / a number ≥ {low}"
    kind = err["type"]
    return {
        "missing": "een waarde / a value",
        "string_pattern_mismatch": ctx.get("pattern"),
        "string_too_long": f"hoogstens {ctx.get('max_length')} tekens / at most {ctx.get('max_length')} characters",
        "date_from_datetime_parsing": "een datum JJJJ-MM-DD / a date YYYY-MM-DD",
        "date_parsing": "een datum JJJJ-MM-DD / a date YYYY-MM-DD",
        "date_type": "een datum JJJJ-MM-DD / a date YYYY-MM-DD",
        "date_from_datetime_inexact": "een datum JJJJ-MM-DD / a date YYYY-MM-DD",
        "string_type": "tekst / text",
        "finite_number": "een eindig getal / a finite number",
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
    "date_from_datetime_inexact": "geen geldige datum / not a valid date",
    "finite_number": "geen eindig getal / not a finite number",
    "string_type": "geen tekst / not text",
    "string_unicode": "geen tekst / not text",
    "string_too_short": "tekst is te kort / text is too short",
    "list_type": "geen lijst / not a list",
    "model_type": "verwacht een blok met velden / expected a block of fields",
    "model_attributes_type": "verwacht een blok met velden / expected a block of fields",
    "dict_type": "verwacht een blok met velden / expected a block of fields",
    "greater_than_equal": "waarde is te klein / value is too small",
    "string_pattern_mismatch": "voldoet niet aan het patroon / does not match the pattern",
    "string_too_long": "tekst is te lang / text is too long",
    "bool_type": "verwacht true of false / expected true or false",
    "bool_parsing": "verwacht true of false / expected true or false",
    "int_type": "geen geheel getal / not a whole number",
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


def shown(value: Any) -> str:
    """A given value as it appears in a message: dates as written, long texts shortened."""
    if isinstance(value, dt.date):
        text = repr(value.isoformat())
    else:
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…"


def problems_from(doc: Any, model: type[BaseModel], exc: ValidationError, prefix: tuple = ()) -> list[Problem]:
    """One problem per error of ``exc``; ``prefix`` is where the validated data sits in the document."""
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        # Shorthand validators add a tag to the location; drop function-name parts.
        loc = tuple(p for p in loc if not (isinstance(p, str) and ("function-" in p or "[" in p)))
        message = _MESSAGES.get(err["type"], err["msg"])
        if err["type"] == "value_error":
            message = str(err["msg"]).removeprefix("Value error, ")
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
            message = f"{message} (gegeven / given: {shown(err['input'])})"
        pos = doc.position_of(prefix + loc) or (None, None)
        out.append(Problem(doc.name, message, line=pos[0], column=pos[1], field=join_loc(prefix + loc) or None,
                           expected=_expected(err), suggestion=suggestion))
    return sorted(out, key=lambda p: (p.line or 0, p.field or ""))
