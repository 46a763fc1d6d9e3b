"""The JSON Schema of a region's proposal file: exactly what the loader accepts, in Dutch.

pydantic's own schema describes the canonical form only (``fit: supports``), so an editor would mark the
files officers really write red: shorthand entries (``kind_is_gezin: supports``), Dutch answers (``ja``,
``botst``, ``weet ik niet``) in any case, numbers written as text. This schema is derived from the same
models and normalisers as the loader, field by field, so that a file validates exactly when the loader
accepts it (tests/test_schema.py checks that on generated proposals and every scenario). Titles and
descriptions are the Dutch questions and labels; the canonical values and their Dutch labels are offered as
``examples`` for autocompletion.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from typing import Any, Literal

from pydantic import BaseModel

from engine.reading import proposal as P
from engine.common.i18n import VALUE_LABELS
from engine.rulebase.ruleset import RuleSet

DRAFT = "https://json-schema.org/draft/2020-12/schema"
MAX_TEXT = 20_000  # the loader's limit on a text (engine/reading/yamlfast.py)
_NUMBER_TEXT = r"^\s*[+-]?([0-9]+(_[0-9]+)*(\.([0-9]+(_[0-9]+)*)?)?|\.[0-9]+(_[0-9]+)*)([eE][+-]?[0-9]+)?\s*$"
_MIDNIGHT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]00:00(:00(\.0+)?)?(Z|[+-]00:?00)?$"

# Dutch titles for fields that carry no question of their own.
_TITLES = {
    "title": "Titel", "submitter": "Indiener", "date": "Datum", "region": "Regio (regelset)",
    "partner_regions": "Partnerregio's", "topic": "Onderwerp", "description": "Beschrijving",
    "scale": "Schaal", "legal": "Wettelijke status", "finances": "Financiën", "capacity": "Capaciteit",
    "procurement": "Inkoop", "provider": "Aanbieder", "governance": "Besluitvorming", "sources": "Bronnen",
    "content": "Inhoud", "values": "Waarden van de regio", "care_landscape": "Zorglandschap",
    "enrichment": "Verrijking (gronden)", "criteria": "Criteria", "cost_components": "Kostprijsonderdelen",
    "reason": "Reden", "note": "Toelichting", "amount_eur": "Bedrag in euro's per jaar", "fte": "Formatie (fte)",
    "hours_per_week": "Uren per week", "basis": "Wettelijke grondslag", "name": "Naam",
    "alignment_note": "Toelichting bij het in lijn brengen", "fit": "Past het?", "holds": "Geldt het?",
    "effect": "Financieel effect", "kind": "Soort",
}


def _letters(key: str) -> str:
    """A regular expression for every spelling that normalises to ``key`` (case, spaces, hyphens)."""
    out = []
    for ch in key:
        if ch == "_":
            out.append("[ _-]")
        elif ch.isalpha() and ch.lower() != ch.upper():
            out.append(f"[{re.escape(ch.lower())}{re.escape(ch.upper())}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _spellings(domain: tuple[str, ...], aliases: dict[str, str]) -> list[str]:
    keys = set(domain) | set(aliases)
    return sorted(k for k in keys if aliases.get(k, k) in domain)


def _answer_schema(domain: tuple[str, ...], aliases: dict[str, str], *, none_to: str | None,
                   booleans: bool) -> dict[str, Any]:
    """Strings that normalise into ``domain``; null and true/false where the normaliser maps them in."""
    keys = _spellings(domain, aliases)
    pattern = r"^\s*(" + "|".join(_letters(k) for k in keys if k) + r")?\s*$" if "" in keys else \
        r"^\s*(" + "|".join(_letters(k) for k in keys) + r")\s*$"
    branches: list[dict[str, Any]] = [{"type": "string", "pattern": pattern}]
    if none_to is not None and none_to in domain:
        branches.append({"type": "null"})
    if booleans:
        for value, canonical in ((True, "yes"), (False, "no")):
            if canonical in domain:
                branches.append({"const": value})
    examples = list(domain)
    for value in domain:
        label = VALUE_LABELS.get(value, {}).get("nl")
        if label and label not in examples:
            examples.append(label)
    if "unknown" in domain:
        examples.append("weet ik niet")
    labels = [VALUE_LABELS.get(v, {}).get("nl", "weet ik niet" if v == "unknown" else v) for v in domain]
    return {"anyOf": branches, "examples": examples, "description": "Antwoord: " + " | ".join(labels)}


def _validators(meta: typing.Iterable[Any]) -> list[Any]:
    return [getattr(m, "func", None) for m in meta if getattr(m, "func", None) is not None]


def _text_pattern(min_length: int) -> str:
    """At least ``min_length`` characters once the spaces around it are stripped (the loader strips)."""
    if min_length <= 0:
        return ""
    if min_length == 1:
        return r"\S"
    return r"^\s*\S[\s\S]{%d,}\S\s*$" % (min_length - 2)


def _node(tp: Any, meta: list[Any], min_length: int = 0, ge: Any = None) -> dict[str, Any]:
    """The schema of one annotated type, following the validators the loader runs on it."""
    while typing.get_origin(tp) is typing.Annotated:
        args = typing.get_args(tp)
        tp, meta = args[0], [*meta, *args[1:]]
    funcs = _validators(meta)
    origin = typing.get_origin(tp)
    if origin is typing.Union:
        members = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = _node(members[0], meta, min_length, ge) if len(members) == 1 else {}
        if P._burden in funcs:
            return inner
        return {"anyOf": [inner, {"type": "null"}]} if "anyOf" not in inner else \
            {**inner, "anyOf": [*inner["anyOf"], {"type": "null"}]}
    if P._burden in funcs:  # the overall burden: a plain text field normalised like an answer
        return _answer_schema(("reduced", "unchanged", "increased", "unknown"), P._ALIASES, none_to="unknown",
                              booleans=False)
    if origin is Literal:
        values = typing.get_args(tp)
        if all(isinstance(v, str) for v in values):
            if P._overall_fit in funcs:  # an overall judgement: 'supports' and 'neutral' both mean in line
                aliases = {k: ("in_line" if v in ("supports", "neutral") else v) for k, v in P._ALIASES.items()}
                aliases.update({"supports": "in_line", "neutral": "in_line"})
                return _answer_schema(values, aliases, none_to=P.UNKNOWN, booleans=True)
            if P._organisation_kind in funcs:
                return _answer_schema(values, P._ORGANISATION_ALIASES, none_to="other", booleans=False)
            if P._normalise in funcs:
                return _answer_schema(values, P._ALIASES, none_to=P.UNKNOWN, booleans=True)
            return {"enum": list(values)}
        branches: list[dict[str, Any]] = [{"enum": list(values)}]
        if 1 in values:
            branches.append({"const": True})  # the loader compares True == 1
        if 0 in values:
            branches.append({"const": False})
        return {"anyOf": branches} if len(branches) > 1 else branches[0]
    if origin is list:
        (item,) = typing.get_args(tp)
        return {"type": "array", "items": _node(item, [])}
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        obj = model_schema(tp)
        shorthand = [f for f in funcs if f.__qualname__.startswith("_shorthand")]
        if shorthand:
            leaf = next(n for n in ("fit", "holds", "effect") if n in tp.model_fields)
            short = _field_schema(tp, leaf)
            short.pop("title", None)
            return {"anyOf": [obj, short]}
        if P._organisation in funcs:
            return {"anyOf": [obj, _field_schema(tp, "name")]}
        return obj
    if tp is str:
        out: dict[str, Any] = {"type": "string", "maxLength": MAX_TEXT}
        if min_length:
            out["pattern"] = _text_pattern(min_length)
        return out
    if tp in (float, int):
        number: dict[str, Any] = {"type": "number"}
        text: dict[str, Any] = {"type": "string", "pattern": _NUMBER_TEXT}
        if ge is not None:
            number["minimum"] = ge
            if ge >= 0:
                text["pattern"] = _NUMBER_TEXT.replace("[+-]?", r"\+?", 1)
        return {"anyOf": [number, text, {"type": "boolean"}]}  # the loader reads true as 1 (pydantic's lax mode)
    if tp is dt.date:
        return {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "pattern": _MIDNIGHT}],
                "description": "Een datum JJJJ-MM-DD"}
    return {}


def _constraints(info: Any) -> tuple[int, Any]:
    min_length, ge = 0, None
    for m in info.metadata:
        min_length = getattr(m, "min_length", None) or min_length
        ge = getattr(m, "ge", None) if getattr(m, "ge", None) is not None else ge
    return min_length, ge


def _field_schema(model: type[BaseModel], name: str) -> dict[str, Any]:
    info = model.model_fields[name]
    min_length, ge = _constraints(info)
    out = dict(_node(info.annotation, list(info.metadata), min_length, ge))
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    question = (extra.get("question") or {}).get("nl")
    title = question or info.title or _TITLES.get(name) or name.replace("_", " ")
    out["title"] = title
    description = info.description if info.description and not question else None
    if description and "/" in description and " / " in description:
        description = description.split(" / ")[0]
    if description and info.title != description:
        out["description"] = description if "description" not in out else f"{description}. {out['description']}"
    return out


def model_schema(model: type[BaseModel]) -> dict[str, Any]:
    """An object schema: the model's fields, none other (the loader refuses unknown fields)."""
    properties = {name: _field_schema(model, name) for name in model.model_fields}
    out: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    required = [name for name, info in model.model_fields.items() if info.is_required()]
    if required:
        out["required"] = required
    return out


def proposal_schema(ruleset: RuleSet, *, region_required: bool = True) -> dict[str, Any]:
    """The schema of a proposal file for one region's rule set, as the loader reads it without --region.

    With several regions installed a file must name its region; with one, ``region`` may be left out.
    """
    out = model_schema(ruleset.model)
    region = ruleset.region
    out["properties"]["region"] = {
        "title": "Regio (regelset)", "type": "string", "pattern": "^" + _letters(region) + "$",
        "examples": [region], "description": f"De regio waartegen getoetst wordt: {region}"}
    if region_required:
        out["required"] = [*out.get("required", []), "region"]
    else:
        out["properties"]["region"] = {"anyOf": [out["properties"]["region"], {"type": "null"}],
                                       "title": "Regio (regelset)"}
    return {"$schema": DRAFT, "title": f"Voorstel voor bovenregionale samenwerking — {ruleset.meta.name}",
            "description": "Een voorstelbestand voor regiotoets: alle beslisfeiten mogen ontbreken of 'weet ik niet' "
                           "zijn; Nederlandse antwoorden worden begrepen.", **out}
