"""Decision facts: the flat view of a proposal that rules reason about.

The catalogue is derived from the proposal model (never written by hand), so
the condition compiler, the consistency check and the interview all agree on
which facts exist, what values each can take and which question asks for it.
A fact's path is its dotted location in the proposal file
(``content.values.kind_hoort_thuis.fit``); missing facts are ``unknown``.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from engine.reading.proposal import UNKNOWN


@dataclass(frozen=True)
class FactSpec:
    """One decision fact: its path, its kind, its values and the question behind it."""

    path: str
    kind: Literal["enum", "number"]
    domain: tuple[Any, ...]  # enum values, unknown included; empty for numbers
    question_nl: str
    question_en: str
    decision: bool = True
    fixed: bool = False  # a proposal cannot honestly change it (e.g. what the law says)

    @property
    def attr(self) -> str:
        """The attribute name used inside the rule engine."""
        return attr_name(self.path)

    def question(self, lang: str) -> str:
        return self.question_en if lang == "en" else self.question_nl


def question_for(specs: dict[str, FactSpec], path: str, lang: str) -> str:
    """The question behind a fact in ``lang``; the path itself when the rule set has no such fact."""
    spec = specs.get(path)
    return path if spec is None else spec.question(lang)


def attr_name(path: str) -> str:
    return path.replace(".", "__")


def _strip_optional(tp: Any) -> Any:
    if typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _unannotate(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _question(info: Any, default: str) -> tuple[str, str, bool, bool]:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    question = extra.get("question") or {}
    nl = question.get("nl") or info.title or default
    en = question.get("en") or info.description or default
    return nl, en, bool(extra.get("decision_fact", True)), bool(extra.get("fixed", False))


def catalogue(model: type[BaseModel]) -> dict[str, FactSpec]:
    """Every decision fact of a proposal model, keyed by path, in file order."""
    out: dict[str, FactSpec] = {}
    _walk(model, "", out, None)
    return out


def _walk(model: type[BaseModel], prefix: str, out: dict[str, FactSpec], parent_q: tuple | None) -> None:
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        tp = _unannotate(_strip_optional(_unannotate(info.annotation)))
        nl, en, decision, fixed = _question(info, path)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            # A sub-section; its single enum field inherits the section's question (keyed entries).
            _walk(tp, path + ".", out, (nl, en, decision) if info.json_schema_extra else None)
            continue
        origin = typing.get_origin(tp)
        if origin is Literal:
            if parent_q and name in ("fit", "holds", "effect"):
                nl, en, decision = parent_q
            out[path] = FactSpec(path, "enum", tuple(typing.get_args(tp)), nl, en, decision, fixed)
        elif origin is list:
            item = _unannotate(typing.get_args(tp)[0])
            if typing.get_origin(item) is Literal:
                for value in typing.get_args(item):
                    out[f"{path}.{value}"] = FactSpec(f"{path}.{value}", "enum", ("yes", "no", UNKNOWN),
                                                      f"{nl} ({value})", f"{en} ({value})", decision, fixed)
        elif tp in (int, float):
            out[path] = FactSpec(path, "number", (), nl, en, decision=False, fixed=fixed)


def flatten(proposal: BaseModel, specs: dict[str, FactSpec]) -> dict[str, Any]:
    """The facts of one validated proposal: every catalogued path, unknown where left out."""
    out: dict[str, Any] = {}
    for parents, leaves, getters in _groups(specs):
        node: Any = proposal
        for part in parents:
            node = getattr(node, part, None)
            if node is None or isinstance(node, list):
                break
        if node is None or isinstance(node, list):  # left out, or a list of values: the general way
            for path, get in getters:
                out[path] = get(proposal)
            continue
        for path, name, missing in leaves:
            value = getattr(node, name, None)
            out[path] = missing if value is None else value
    return out


_GROUPS: dict[int, tuple[dict[str, FactSpec], Any]] = {}


def _groups(specs: dict[str, FactSpec]) -> list[tuple[tuple[str, ...], list[tuple[str, str, Any]], list]]:
    """The catalogue as runs of facts in one section (``content.values.kind_hoort_thuis``: ``fit``), in
    catalogue order, so a section is looked up once per run rather than once per fact."""
    cached = _GROUPS.get(id(specs))
    if cached is not None and cached[0] is specs and cached[2] == len(specs):
        return cached[1]
    getters = dict(_getters(specs))
    groups: list[tuple[tuple[str, ...], list[tuple[str, str, Any]], list]] = []
    for path, spec in specs.items():
        *parents, name = path.split(".")
        key = tuple(parents)
        missing = None if spec.kind == "number" else UNKNOWN
        if not groups or groups[-1][0] != key:
            groups.append((key, [], []))
        groups[-1][1].append((path, name, missing))
        groups[-1][2].append((path, getters[path]))
    if len(_GROUPS) > 64:
        _GROUPS.clear()
    _GROUPS[id(specs)] = (specs, groups, len(specs))
    return groups


_GETTERS: dict[int, tuple[dict[str, FactSpec], list[tuple[str, Any]]]] = {}


def _getters(specs: dict[str, FactSpec]) -> list[tuple[str, Any]]:
    """One compiled lookup per fact path, made once per catalogue (a catalogue is built once per rule set)."""
    cached = _GETTERS.get(id(specs))
    if cached is not None and cached[0] is specs and len(cached[1]) == len(specs):
        return cached[1]
    getters = [(path, _getter(tuple(path.split(".")), None if spec.kind == "number" else UNKNOWN))
               for path, spec in specs.items()]
    if len(_GETTERS) > 64:
        _GETTERS.clear()
    _GETTERS[id(specs)] = (specs, getters)
    return getters


def _getter(parts: tuple[str, ...], missing: Any):
    """A function doing what :func:`_lookup` does for one path, without re-reading the path."""
    def get(proposal: Any) -> Any:
        node: Any = proposal
        for part in parts:
            if node is None:
                return missing
            if isinstance(node, list):
                # list-of-values fact: membership as yes/no
                return "yes" if _coerce(part, node) in node else "no"
            node = getattr(node, part, None)
        return missing if node is None else node
    return get


def _lookup(proposal: BaseModel, path: str, spec: FactSpec) -> Any:
    node: Any = proposal
    parts = path.split(".")
    for i, part in enumerate(parts):
        if node is None:
            return None if spec.kind == "number" else UNKNOWN
        if isinstance(node, list):
            # list-of-values fact: membership as yes/no
            return "yes" if _coerce(part, node) in node else "no"
        node = getattr(node, part, None)
    if node is None:
        return None if spec.kind == "number" else UNKNOWN
    return node


def _coerce(text: str, items: list) -> Any:
    if items and isinstance(items[0], int):
        try:
            return int(text)
        except ValueError:
            return text
    return text
