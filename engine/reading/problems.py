"""Pydantic validation errors as problems for people: one line each, in Dutch and English.

Every error becomes one :class:`Problem` with the file, the line and column
of the offending field, the field path, what was expected and, for misspelt
field names or values, a did-you-mean suggestion. Used for proposals and for
rule files alike.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from engine.common.errors import Problem, did_you_mean, join_loc


def _expected(err: dict[str, Any]) -> str | None:
    ctx = err.get("ctx") or {}
    if "expected" in ctx:
        plain = str(ctx["expected"]).replace("'", "")
        dutch = _dutch_answers(plain) or plain.replace(" or ", " of ")
        return f"{dutch} / {plain}" if dutch != plain else plain
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


def _dutch_answers(expected: str) -> str | None:
    """'yes, no or unknown' as a Dutch officer answers: 'ja, nee of weet ik niet' (None: no Dutch labels)."""
    from engine.common.i18n import VALUE_LABELS

    values = [v.strip() for v in expected.replace(" or ", ", ").split(",") if v.strip()]
    if not values or not any(v in VALUE_LABELS or v == "unknown" for v in values):
        return None
    labels = ["weet ik niet" if v == "unknown" else VALUE_LABELS.get(v, {}).get("nl", v) for v in values]
    return ", ".join(labels[:-1]) + " of " + labels[-1] if len(labels) > 1 else labels[0]


_NEGATIONS = frozenset({"niet", "geen", "nooit", "not", "non", "none", "never"})


def closest_value(given: str, options: list[str]) -> str | None:
    """The answer a misspelt one most likely meant, matched against the values and their Dutch and English
    labels; None when nothing is close, or when the answer says 'not' and the match would drop it
    ('botst_niet' is no typo of 'botst': proposing it would turn the answer around)."""
    from engine.common.i18n import VALUE_LABELS

    names: dict[str, str] = {}
    for v in options:
        for name in (v, *VALUE_LABELS.get(v, {}).values()):
            names.setdefault(name, v)
    close = difflib.get_close_matches(given, list(names), n=1, cutoff=0.6)
    if not close:
        return None
    words = set(re.split(r"[^a-z]+", given.lower())) - {""}
    negated = words & _NEGATIONS
    if negated and len(words) > 1 and not negated & set(re.split(r"[^a-z]+", close[0].lower())):
        return None
    return names[close[0]]


def dutch_answer(value: str) -> str:
    """How the list of expected answers shows a value in Dutch ('expertisefunctie', 'weet ik niet')."""
    from engine.common.i18n import VALUE_LABELS

    return "weet ik niet" if value == "unknown" else VALUE_LABELS.get(value, {}).get("nl", value)


def _closest_answer(given: str, options: list[str]) -> str | None:
    """'Did you mean …?' for an answer, in Dutch as the list of expected answers shows it, in English as its value."""
    value = closest_value(given, options)
    return None if value is None else f"bedoelde u '{dutch_answer(value)}'? / did you mean '{value}'?"


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


def _homes(model: type[BaseModel], name: str, prefix: str = "", depth: int = 0) -> list[str]:
    """The sections where a field called ``name`` belongs (for a known field written at the wrong level)."""
    out = []
    for field, info in getattr(model, "model_fields", {}).items():
        sub = _model_of(info.annotation)
        if field == name and prefix:
            out.append(prefix)
        if sub is not None and depth < 4:
            out.extend(_homes(sub, name, f"{prefix}.{field}" if prefix else field, depth + 1))
    return out


def _hint(err: dict[str, Any], loc: tuple, model: type[BaseModel]) -> str | None:
    """A suggestion for the mistakes officers make: a decimal comma, a euro sign, a list without brackets,
    a field under the wrong heading, an answer that is no answer ('deels')."""
    from engine.common.i18n import parse_number

    kind, given = err["type"], err.get("input")
    if kind in ("float_parsing", "float_type") and isinstance(given, str):
        value = parse_number(given)
        if value is not None:
            if "," in given and not any(c in given for c in "€.") and given.count(",") == 1:
                return f"gebruik een punt als decimaalteken: {value} / use a decimal point: {value}"
            return f"schrijf alleen het getal: {value} / write the number only: {value}"
    if kind == "list_type" and isinstance(given, str):
        items = [part.strip() for part in given.split(",") if part.strip()] or [given]
        shown_list = "[" + ", ".join(items) + "]"
        return (f"een lijst staat tussen blokhaken: {shown_list}, of elk item op een eigen regel met '- ' "
                f"/ a list needs brackets: {shown_list}, or each item on its own line after '- '")
    if kind == "extra_forbidden" and loc:
        name = str(loc[-1])
        parent = ".".join(str(p) for p in loc[:-1] if not isinstance(p, int))
        homes = [h for h in _homes(model, name) if h != parent]
        if homes:
            where = " of / or ".join(f"{h}:" for h in homes[:2])
            return f"hoort onder {where.split(' of / or ')[0]} / belongs under {where.replace(' of / or ', ' or ')}"
    if kind == "literal_error" and isinstance(given, str) and given.strip().lower() in _PARTLY:
        return ("kies ja of nee en licht het toe in 'reason' of 'note', of antwoord 'weet ik niet' "
                "/ choose yes or no and explain in 'reason' or 'note', or answer 'unknown'")
    return None


_PARTLY = {"deels", "gedeeltelijk", "soms", "een beetje", "enigszins", "partly", "partially", "sometimes"}


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
            suggestion = _closest_answer(err["input"], options)
        suggestion = _hint(err, loc, model) or suggestion
        if err["type"] not in ("missing", "extra_forbidden") and err.get("input") is not None \
                and not isinstance(err["input"], (dict, list)):
            message = f"{message} (gegeven / given: {shown(err['input'])})"
        pos = doc.position_of(prefix + loc) or (None, None)
        out.append(Problem(doc.name, message, line=pos[0], column=pos[1], field=join_loc(prefix + loc) or None,
                           expected=_expected(err), suggestion=suggestion))
    return sorted(out, key=lambda p: (p.line or 0, p.field or ""))
