"""Build the reasoned advice from a trace: outcome, conditions, reasons, caveats, next steps.

Every sentence in the advice is a rule's explanation (with facts filled in)
or a fixed label; each carries the rule id and the citation behind it. The
advice is a pydantic model so it serialises to stable JSON.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable, Iterable, Optional

from pydantic import BaseModel, model_serializer

from . import __version__
from . import conditions as C
from . import memo
from .evaluate import Evaluator, Trace, single_outcome
from .i18n import OUTCOME_LABELS, euro, number, t, value_label
from .ruleset import Rule, RuleSet

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z0-9_.:*=]+)\s*\}\}")
_OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.S)


class CitationOut(BaseModel):
    file: str
    section: str
    quote: str
    page: Optional[int] = None  # when the source came from a PDF; left out of the JSON when there is none

    @model_serializer(mode="wrap")
    def _without_empty_page(self, handler):
        data = handler(self)
        if isinstance(data, dict) and data.get("page") is None:
            data.pop("page", None)
        return data

    @property
    def place(self) -> str:
        """The section, and the page when known: what a reader needs to find the quote back."""
        return self.section if self.page is None else f"{self.section}, p. {self.page}"


class RuleUse(BaseModel):
    """One fired rule as it appears in an advice."""

    rule: str
    title: str
    step: str
    step_title: str
    role: str
    text: str
    citation: CitationOut
    facts: dict[str, Any]
    conclusions: list[str]


class MissingFact(BaseModel):
    fact: str
    question: str
    blocking: bool
    rule: str


class ProposalInfo(BaseModel):
    title: str
    submitter: str
    date: dt.date
    topic: str
    kind: str
    partner_regions: list[str]
    file: str
    sha256: str


class RuleSetInfo(BaseModel):
    id: str
    region: str
    name: str
    version: str
    valid_from: dt.date
    valid_until: Optional[dt.date]
    source_file: str
    source_title: str
    sha256: str
    files: dict[str, str]


class Advice(BaseModel):
    """The reasoned advice on one proposal."""

    lang: str
    evaluation_date: dt.date
    engine_version: str
    proposal: ProposalInfo
    ruleset: RuleSetInfo
    validity_warning: Optional[str]
    outcome: str
    outcome_label: str
    summary: str
    conditions: list[RuleUse]
    reasons: list[RuleUse]
    considered: list[RuleUse]
    caveats: list[RuleUse]
    next_steps: list[RuleUse]
    missing: list[MissingFact]
    trace: list[RuleUse]
    facts: dict[str, Any]


_new_use = RuleUse.__pydantic_validator__.validate_python
_new_missing = MissingFact.__pydantic_validator__.validate_python
_new_advice = Advice.__pydantic_validator__.validate_python


def _lookup(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _show(value: Any, path: str, lang: str) -> str | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return value_label("yes" if value else "no", lang)
    if isinstance(value, (int, float)):
        return euro(value, lang) if path.endswith("amount_eur") else number(value)
    if isinstance(value, list):
        return ", ".join(str(_show(v, path, lang)) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value == "unknown":
        return None
    return value_label(value, lang)


def fill(template: str, data: dict[str, Any], lang: str, entries: Any = None) -> str:
    """Fill placeholders in an explanation text.

    ``{{path}}`` is a value from the proposal; ``{{where:PATTERN=VALUE}}`` lists the
    vocabulary entries whose fact has that value, with the proposal's reason
    ("Een kind hoort thuis (reden); …"), via ``entries(pattern, value)``.
    ``[[…]]`` segments vanish when a placeholder in them is empty.
    """
    seen: dict[str, str | None] = {}  # an optional segment asks twice; the answer does not change

    def resolve(expr: str) -> str | None:
        if expr in seen:
            return seen[expr]
        if expr.startswith("where:"):
            pattern, _, value = expr[len("where:"):].partition("=")
            out = entries(pattern, value) if entries else None
        else:
            out = _show(_lookup(data, expr), expr, lang)
        seen[expr] = out
        return out

    if not _to_fill(template):  # most explanations are fixed text
        return template
    # The template is split once into fixed parts and [[…]] segments; each placeholder is filled once.
    # Values are never scanned again: text from a proposal that looks like a placeholder stays text.
    out: list[str] = []
    for i, part in enumerate(_split(template)):
        if not i % 2:
            out.append(_PLACEHOLDER.sub(lambda m: resolve(m.group(1)) or t("not_stated", lang), part)
                       if "{{" in part else part)
            continue
        values = [x if not j % 2 else resolve(x) for j, x in enumerate(part)]
        if None not in values:
            out.append("".join(values))
    return "".join(out)


def _to_fill(template: str) -> bool:
    """Whether a template has placeholders or ``[[…]]`` segments (whose brackets must go even without any)."""
    return "{{" in template or "[[" in template


_SPLIT: dict[str, list] = {}


def _split(template: str) -> list:
    """A template as [text, segment, text, segment, …, text], each [[…]] segment as [text, placeholder, text,
    …, text]: how the two patterns cut it, worked out once per template."""
    parts = _SPLIT.get(template)
    if parts is None:
        parts = _OPTIONAL.split(template)
        for i in range(1, len(parts), 2):
            parts[i] = _PLACEHOLDER.split(parts[i])
        if len(_SPLIT) >= 20_000:
            _SPLIT.clear()
        _SPLIT[template] = parts
    return parts


def entry_lister(ruleset: RuleSet, facts: dict[str, Any], data: dict[str, Any], lang: str):
    """``entries(pattern, value)`` for :func:`fill`: matching vocabulary entries with their reasons."""
    def entries(pattern: str, value: str) -> str | None:
        labels = _labels(ruleset, lang)  # only texts that list entries need the labels
        parts = []
        for path in memo.expand(pattern, ruleset.facts):
            if facts.get(path) != value:
                continue
            key = path.split(".")[-2]
            entry = _lookup(data, path.rsplit(".", 1)[0]) or {}
            reason = entry.get("reason") or entry.get("note") if isinstance(entry, dict) else None
            label = labels.get(key, key)
            parts.append(f"‘{label}’" + (f" — {reason.rstrip('.')}" if reason else ""))
        return "; ".join(parts) if parts else None
    return entries


_LABELS: dict[tuple[int, str], tuple[RuleSet, dict[str, str]]] = {}


def _labels(ruleset: RuleSet, lang: str) -> dict[str, str]:
    """Vocabulary id -> label in one language, once per rule set."""
    hit = _LABELS.get((id(ruleset), lang))
    if hit is None or hit[0] is not ruleset:
        if len(_LABELS) >= 256:
            _LABELS.clear()
        voc = ruleset.meta.vocabulary
        hit = _LABELS[(id(ruleset), lang)] = (ruleset, {e.id: (e.en if lang == "en" else e.nl) for section in
                                                        (voc.values, voc.care_landscape, voc.enrichment)
                                                        for e in section})
    return hit[1]


_CITATIONS: dict[int, tuple[Rule, CitationOut]] = {}
_STEP_TITLES: dict[tuple[int, str], tuple[RuleSet, dict[str, str]]] = {}


def _citation(rule: Rule) -> CitationOut:
    """A rule's citation, built once per rule object: it is the same in every advice (and never changed)."""
    hit = _CITATIONS.get(id(rule))
    if hit is not None and hit[0] is rule:
        return hit[1]
    cite = rule.data.cite
    out = CitationOut(file=cite.file, section=cite.section, quote=cite.quote, page=rule.page)
    if len(_CITATIONS) >= 20_000:
        _CITATIONS.clear()
    _CITATIONS[id(rule)] = (rule, out)  # keeping the rule alive keeps its id unique
    return out


_STEP_ORDER: dict[int, tuple[RuleSet, dict[str, int]]] = {}


def _step_order(ruleset: RuleSet) -> dict[str, int]:
    hit = _STEP_ORDER.get(id(ruleset))
    if hit is None or hit[0] is not ruleset:
        if len(_STEP_ORDER) >= 256:
            _STEP_ORDER.clear()
        hit = _STEP_ORDER[id(ruleset)] = (ruleset, {s.id: i for i, s in enumerate(ruleset.meta.steps)})
    return hit[1]


def _step_titles(ruleset: RuleSet, lang: str) -> dict[str, str]:
    hit = _STEP_TITLES.get((id(ruleset), lang))
    if hit is None or hit[0] is not ruleset:
        if len(_STEP_TITLES) >= 256:
            _STEP_TITLES.clear()
        hit = _STEP_TITLES[(id(ruleset), lang)] = (ruleset, {s.id: getattr(s, lang) for s in ruleset.meta.steps})
    return hit[1]


class _Plan:
    """Everything in a rule's use that is the same in every advice in one language, worked out once."""

    __slots__ = ("rule", "id", "title", "step", "role", "citation", "paths", "conclusions", "template", "outcome",
                 "missing", "blocking")

    def __init__(self, rule: Rule, lang: str):
        then = rule.then
        self.rule = rule  # keeping the rule alive keeps its id unique
        self.id = rule.id
        self.title = rule.data.title.get(lang)
        self.step = rule.data.step
        self.role = then.role
        self.citation = _citation(rule)
        self.paths = memo.fact_paths(rule.condition)
        self.conclusions = memo.conclusion_names(rule.condition)
        self.template = rule.data.explain.get(lang)
        self.outcome = then.outcome
        self.missing = tuple(then.missing)
        self.blocking = then.role == "missing" or then.outcome is not None


_PLANS: dict[tuple[int, str], _Plan] = {}


def _plan(rule: Rule, lang: str) -> _Plan:
    plan = _PLANS.get((id(rule), lang))
    if plan is None or plan.rule is not rule:
        if len(_PLANS) >= 20_000:
            _PLANS.clear()
        plan = _PLANS[(id(rule), lang)] = _Plan(rule, lang)
    return plan


def rule_use(rule: Rule, ruleset: RuleSet, trace: Trace, data: dict[str, Any], lang: str,
             entries: Any = None) -> RuleUse:
    return _use(_plan(rule, lang), ruleset, trace.facts, data, lang, entries, _step_titles(ruleset, lang))


def _use(plan: _Plan, ruleset: RuleSet, facts: dict[str, Any], data: dict[str, Any], lang: str, entries: Any,
         step_titles: dict[str, str]) -> RuleUse:
    template = plan.template
    text = (fill(template, data, lang, entries or entry_lister(ruleset, facts, data, lang)) if _to_fill(template)
            else template)
    # pydantic's compiled validation, called directly: quicker than model_construct (which is Python) and than
    # the model's own __init__ (a Python frame around the same call); the result is the same.
    return _new_use(dict(
        rule=plan.id, title=plan.title, step=plan.step, step_title=step_titles[plan.step], role=plan.role,
        text=text, citation=plan.citation, facts={p: facts.get(p) for p in plan.paths},
        conclusions=plan.conclusions))


def validity_warning(ruleset: RuleSet, day: dt.date, lang: str) -> str | None:
    meta = ruleset.meta
    if meta.valid_until is not None and day > meta.valid_until:
        return t("validity_after", lang, name=meta.name, version=meta.version, until=meta.valid_until.isoformat(),
                 day=day.isoformat())
    if day < meta.valid_from:
        return t("validity_before", lang, name=meta.name, version=meta.version, start=meta.valid_from.isoformat(),
                 day=day.isoformat())
    return None


def _missing(evaluator: Evaluator, trace: Trace, fired: list[Rule], lang: str,
             plans: list[_Plan] | None = None) -> list[MissingFact]:
    specs = evaluator.ruleset.facts
    facts = trace.facts
    found: dict[str, tuple[bool, str]] = {}  # path -> (blocking, rule id)
    for plan in plans if plans is not None else [_plan(rule, lang) for rule in fired]:
        blocking = plan.blocking
        for pattern in plan.missing:
            for path in memo.expand(pattern, specs):
                if facts.get(path) not in ("unknown", None):
                    continue
                old = found.get(path)
                if old is None or (blocking and not old[0]):
                    found[path] = (blocking, plan.id)
    order = memo.positions(specs)
    out = []
    for path in sorted(found, key=lambda p: (not found[p][0], order[p])):
        spec = specs[path]
        blocking, rid = found[path]
        out.append(_new_missing(dict(fact=path, question=spec.question(lang),
                                     blocking=blocking, rule=rid)))
    return out


def support(ruleset: RuleSet, trace: Trace, rule_id: str) -> list[str]:
    """The fired rules an outcome rests on: the producers of the conclusions it needs, transitively."""
    return supporting_rules(ruleset, set(trace.fired), [rule_id], memo.positive_conclusions)


def supporting_rules(ruleset: RuleSet, fired: set[str], roots: Iterable[str],
                     reads: Callable[[Any], Iterable[str]]) -> list[str]:
    """``roots`` and, transitively, the fired producers of the conclusions that ``reads`` finds in a condition."""
    seen: list[str] = []
    todo = list(roots)
    while todo:
        rid = todo.pop()
        if rid in seen:
            continue
        seen.append(rid)
        for name in reads(ruleset.by_id[rid].condition):
            todo.extend(p for p in ruleset.producers.get(name, []) if p in fired)
    return seen


def build_advice(evaluator: Evaluator, trace: Trace, proposal: Any, *, file: str, sha256: str,
                 day: dt.date, lang: str = "nl") -> Advice:
    """Turn a trace into an advice in one language."""
    ruleset = evaluator.ruleset
    outcome = single_outcome(evaluator, trace)
    fired = [ruleset.by_id[i] for i in trace.fired]
    plans = [_plan(r, lang) for r in fired]
    data: dict[str, Any] = {}
    entries = None
    if any("{{" in p.template for p in plans):  # only explanations with placeholders read the proposal
        data = proposal.model_dump(mode="python")
        entries = entry_lister(ruleset, trace.facts, data, lang)
    titles = _step_titles(ruleset, lang)
    uses = {p.id: _use(p, ruleset, trace.facts, data, lang, entries, titles) for p in plans}
    outcome_rules = [p.id for p in plans if p.outcome]
    supporting = {rid for o in outcome_rules for rid in support(ruleset, trace, o)}
    conditions, reasons, considered, caveats, next_steps = [], [], [], [], []
    for plan in plans:
        use, role = uses[plan.id], plan.role
        if plan.outcome or (role == "reason" and plan.id in supporting):
            reasons.append(use)
        elif role == "reason":
            considered.append(use)
        elif role == "condition":
            if outcome == "participate_provided":
                conditions.append(use)
            elif outcome in ("participate", "insufficient_information"):
                caveats.append(use)
        elif role == "caveat":
            caveats.append(use)
        elif role == "next_step":
            next_steps.append(use)
    # The outcome rule leads the reasons; the others follow in the order of the decision steps.
    step_order = _step_order(ruleset)
    by_id = ruleset.by_id
    for uses_list in (reasons, considered):
        if len(uses_list) > 1:
            uses_list.sort(key=lambda u: (0 if by_id[u.rule].then.outcome else 1, step_order[u.step]))
    meta = ruleset.meta
    return _new_advice(dict(
        lang=lang, evaluation_date=day, engine_version=__version__,
        proposal=dict(title=proposal.title, submitter=proposal.submitter, date=proposal.date, topic=proposal.topic,
                      kind=proposal.kind, partner_regions=list(proposal.partner_regions), file=file, sha256=sha256),
        ruleset=dict(id=meta.id, region=meta.region, name=meta.name, version=meta.version,
                     valid_from=meta.valid_from, valid_until=meta.valid_until, source_file=meta.source.file,
                     source_title=meta.source.title, sha256=ruleset.content_hash, files=ruleset.file_hashes),
        validity_warning=validity_warning(ruleset, day, lang),
        outcome=outcome, outcome_label=OUTCOME_LABELS[outcome][lang],
        summary=(meta.outcome_texts[outcome].get(lang) if outcome in meta.outcome_texts
                 else OUTCOME_LABELS[outcome][lang]),
        conditions=conditions, reasons=reasons, considered=considered, caveats=caveats, next_steps=next_steps,
        missing=_missing(evaluator, trace, fired, lang, plans),
        trace=[uses[i] for i in trace.fired],
        facts=dict(trace.facts),
    ))
