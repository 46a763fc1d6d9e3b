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

from engine import __version__
from engine.rulebase import memo
from engine.common.errors import EngineError
from engine.deciding.evaluate import Evaluator, Trace, single_outcome
from engine.common.i18n import OUTCOME_LABELS, SECTION_LABELS, euro, long_date, number, t, value_label
from engine.rulebase.ruleset import Rule, RuleSet

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


class AnswerOutcome(BaseModel):
    """What the advice would be if a missing fact got this answer (everything else as it is)."""

    value: Any
    label: str
    outcome: str
    outcome_label: str


class MissingFact(BaseModel):
    fact: str
    question: str
    blocking: bool
    rule: str
    answers: list[AnswerOutcome] = []


class Unsubstantiated(BaseModel):
    """A judgement the advice rests on that gives neither a reason nor evidence."""

    fact: str
    label: str
    value: str


class OrganisationOut(BaseModel):
    name: str
    kind: str


class ProposalInfo(BaseModel):
    title: str
    submitter: str
    date: dt.date
    topic: str
    kind: str
    partner_regions: list[str]
    file: str
    sha256: str
    partner_organisations: list[OrganisationOut] = []
    administrative_burden: Optional[str] = None

    @model_serializer(mode="wrap")
    def _leave_out_empty_extras(self, handler: Any) -> dict[str, Any]:
        """An advice without partner organisations or overall burden serialises as before (stable JSON)."""
        out = handler(self)
        if not out.get("partner_organisations"):
            out.pop("partner_organisations", None)
        if out.get("administrative_burden") is None:
            out.pop("administrative_burden", None)
        return out


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
    folder: Optional[str] = None  # only for a rule set that is not shipped with regiotoets
    same_as_shipped: Optional[bool] = None  # its folder equals the shipped rule set of the same id and version
    shipped_version: Optional[str] = None  # otherwise: the version of a shipped rule set with the same id

    @model_serializer(mode="wrap")
    def _leave_out_shipped(self, handler: Any) -> dict[str, Any]:
        """The advice of a shipped rule set serialises as before (stable JSON): the origin only when it is not."""
        out = handler(self)
        for key in ("folder", "same_as_shipped", "shipped_version"):
            if out.get(key) is None or out.get("folder") is None:
                out.pop(key, None)
        return out


class Advice(BaseModel):
    """The reasoned advice on one proposal."""

    lang: str
    evaluation_date: dt.date
    engine_version: str
    engine: str  # the rule engine that evaluated the rules: durable_rules or python
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
    unsubstantiated: list[Unsubstantiated] = []
    trace: list[RuleUse]
    facts: dict[str, Any]

    @property
    def deciding(self) -> Optional[RuleUse]:
        """The rule that decided the outcome: the first reason (see :func:`deciding_rule`)."""
        return self.reasons[0] if self.reasons else None


_new_use = RuleUse.__pydantic_validator__.validate_python
_new_missing = MissingFact.__pydantic_validator__.validate_python
_new_advice = Advice.__pydantic_validator__.validate_python
_new_answer = AnswerOutcome.__pydantic_validator__.validate_python


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
    vocabulary entries whose fact has that value, with the proposal's reason and
    who judged it ("‘Een kind hoort thuis’ — reden (oordeel: …)"), via
    ``entries(pattern, value, False)``; ``{{reason:PATTERN=VALUE}}`` gives only
    the reasons of those entries (``entries(pattern, value, True)``).
    ``[[…]]`` segments vanish when a placeholder in them is empty.
    """
    seen: dict[str, str | None] = {}  # an optional segment asks twice; the answer does not change

    def resolve(expr: str) -> str | None:
        if expr in seen:
            return seen[expr]
        if expr.startswith(("where:", "reason:")):
            kind, _, rest = expr.partition(":")
            pattern, _, value = rest.partition("=")
            out = entries(pattern, value, kind == "reason") if entries else None
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
    def entries(pattern: str, value: str, reasons_only: bool = False) -> str | None:
        labels = _labels(ruleset, lang)  # only texts that list entries need the labels
        parts = []
        for path in memo.expand(pattern, ruleset.facts):
            if facts.get(path) != value:
                continue
            key = path.split(".")[-2]
            entry = _lookup(data, path.rsplit(".", 1)[0]) or {}
            reason = entry.get("reason") or entry.get("note") if isinstance(entry, dict) else None
            origin = provenance(entry, lang) if isinstance(entry, dict) else None
            if reasons_only:
                text = "; ".join(x for x in (reason.rstrip(".") if reason else None, origin) if x)
                if text:
                    parts.append(text)
                continue
            label = f"‘{labels[key]}’" if key in labels else SECTION_LABELS.get(key, {}).get(lang, f"‘{key}’")
            amount = entry.get("amount_eur") if isinstance(entry, dict) else None
            estimate = t("estimate", lang, amount=euro(amount, lang)) if isinstance(amount, (int, float)) else None
            parts.append(label + "".join(f" — {x}" for x in (estimate, reason.rstrip(".") if reason else None)
                                                if x)
                         + (f" ({origin})" if origin else ""))
        return "; ".join(parts) if parts else None
    return entries


def provenance(entry: dict[str, Any], lang: str) -> str | None:
    """Who gave a judgement, when and on what evidence, as one short phrase; None when nothing is said."""
    by, on, evidence = entry.get("judged_by"), entry.get("judged_on"), entry.get("evidence")
    parts = []
    if by:
        parts.append(t("judged_by", lang, who=by) + (" " + t("judged_on", lang, day=long_date(on, lang)) if on else ""))
    elif on:
        parts.append(t("judged_when", lang, day=long_date(on, lang)))
    if evidence:
        parts.append(t("evidence", lang, what=str(evidence).rstrip(".")))
    return "; ".join(parts) if parts else None


_LABELS: dict[tuple[int, str], tuple[RuleSet, dict[str, str]]] = {}


def _labels(ruleset: RuleSet, lang: str) -> dict[str, str]:
    """Vocabulary id -> label in one language, once per rule set."""
    hit = _LABELS.get((id(ruleset), lang))
    if hit is None or hit[0] is not ruleset:
        if len(_LABELS) >= 256:
            _LABELS.clear()
        voc = ruleset.meta.vocabulary
        hit = _LABELS[(id(ruleset), lang)] = (ruleset, {e.id: (e.en if lang == "en" else e.nl) for section in
                                                        (voc.values, voc.care_landscape, voc.enrichment,
                                                         voc.procurement_grounds)
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


def _origin(ruleset: RuleSet) -> dict[str, Any]:
    """The folder of a rule set that is not shipped with regiotoets (``--rules``, ``$REGIOTOETS_RULES``)."""
    from engine.rulebase.registry import provenance

    found = provenance(ruleset)
    return {} if found is None else {"folder": found.folder, "same_as_shipped": found.same_as_shipped,
                                     "shipped_version": found.shipped_version}


def origin_warning(ruleset: RuleSetInfo, lang: str) -> str | None:
    """For the policy officer: where a rule set that is not shipped with regiotoets comes from, and what to check
    (None for a shipped one). A copy equal to the shipped one is said plainly, not as a warning."""
    if ruleset.folder is None:
        return None
    if ruleset.same_as_shipped is None and ruleset.shipped_version:
        return t("origin_other_version", lang, folder=ruleset.folder, version=ruleset.version,
                 shipped=ruleset.shipped_version)
    key = {None: "origin_foreign", True: "origin_same", False: "origin_differs"}[ruleset.same_as_shipped]
    return t(key, lang, folder=ruleset.folder, version=ruleset.version)


def origin_for_board(ruleset: RuleSetInfo, lang: str) -> tuple[str, str] | None:
    """For the board (report, overview): (short label, sentence) when the advice rests on a rule set that differs
    from the shipped ones; no file paths and no instructions, which are for the policy officer."""
    if ruleset.folder is None or ruleset.same_as_shipped is True:
        return None
    if ruleset.same_as_shipped is False:
        key = "board_origin_changed"
    elif ruleset.shipped_version:
        key = "board_origin_version"
    else:
        key = "board_origin_foreign"
    text = t(key, lang, name=ruleset.name, id=ruleset.id, version=ruleset.version, shipped=ruleset.shipped_version)
    label = t("board_origin_changed_label" if key == "board_origin_changed" else "board_origin_foreign_label", lang)
    return label, text


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


def _extras(proposal: Any) -> dict[str, Any]:
    """Partner organisations and the overall administrative burden, when the proposal states them."""
    out: dict[str, Any] = {}
    organisations = getattr(proposal, "partner_organisations", None)
    if organisations:
        out["partner_organisations"] = [dict(name=o.name, kind=o.kind) for o in organisations]
    burden = getattr(proposal, "administrative_burden", None)
    if burden is not None:
        out["administrative_burden"] = burden
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


_OUTCOMES_OF: dict[int, tuple[RuleSet, dict[str, frozenset[str]]]] = {}


def outcomes_of(ruleset: RuleSet) -> dict[str, frozenset[str]]:
    """Conclusion -> the outcomes whose rules need it drawn, directly or through route rules.

    A conclusion that leads to one outcome only (say, "the content conflicts")
    explains that outcome; one that several outcomes need (say, "not required
    by law") is a precondition and decides nothing by itself.
    """
    hit = _OUTCOMES_OF.get(id(ruleset))
    if hit is not None and hit[0] is ruleset:
        return hit[1]
    found: dict[str, set[str]] = {}
    for rule in ruleset.rules:
        if not rule.then.outcome:
            continue
        todo, seen = list(memo.positive_conclusions(rule.condition)), set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            found.setdefault(name, set()).add(rule.then.outcome)
            for pid in ruleset.producers.get(name, []):
                producer = ruleset.by_id[pid]
                if producer.then.role == "route" and not producer.then.outcome:
                    todo.extend(memo.positive_conclusions(producer.condition))
    out = {name: frozenset(v) for name, v in found.items()}
    if len(_OUTCOMES_OF) >= 256:
        _OUTCOMES_OF.clear()
    _OUTCOMES_OF[id(ruleset)] = (ruleset, out)
    return out


def deciding_rule(ruleset: RuleSet, trace: Trace, outcome_rule: str) -> str:
    """The rule that decided the outcome: the first argument, in step order, whose conclusion leads to this
    outcome only; the outcome rule itself when no argument does (the outcome then follows from the route)."""
    leads = outcomes_of(ruleset)
    order = _step_order(ruleset)
    position = {rid: i for i, rid in enumerate(trace.fired)}
    best: tuple | None = None
    for rid in support(ruleset, trace, outcome_rule):
        rule = ruleset.by_id[rid]
        if rid == outcome_rule or rule.then.outcome or rule.then.role != "reason" or not rule.then.finding:
            continue
        if len(leads.get(rule.then.finding, ())) != 1:
            continue
        key = (order.get(rule.data.step, len(order)), position.get(rid, 0), rid)
        if best is None or key < best:
            best = key
    return best[2] if best else outcome_rule


def build_advice(evaluator: Evaluator, trace: Trace, proposal: Any, *, file: str, sha256: str,
                 day: dt.date, lang: str = "nl", answers: bool = True) -> Advice:
    """Turn a trace into an advice in one language (``answers``: see :func:`with_answers`)."""
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
    # The deciding rule leads the reasons, then the outcome rule; the others follow in the order of the steps.
    step_order = _step_order(ruleset)
    by_id = ruleset.by_id
    first = deciding_rule(ruleset, trace, outcome_rules[0]) if outcome_rules else None
    for uses_list in (reasons, considered):
        if len(uses_list) > 1:
            uses_list.sort(key=lambda u: (0 if u.rule == first else 1 if by_id[u.rule].then.outcome else 2,
                                          step_order[u.step]))
    missing = _missing(evaluator, trace, fired, lang, plans)
    if answers and outcome == "insufficient_information" and missing:
        missing = with_answers(evaluator, trace, missing, outcome, lang)
    meta = ruleset.meta
    return _new_advice(dict(
        lang=lang, evaluation_date=day, engine_version=__version__, engine=evaluator.engine,
        proposal=dict(title=proposal.title, submitter=proposal.submitter, date=proposal.date, topic=proposal.topic,
                      kind=proposal.kind, partner_regions=list(proposal.partner_regions), file=file, sha256=sha256,
                      **_extras(proposal)),
        ruleset=dict(id=meta.id, region=meta.region, name=meta.name, version=meta.version,
                     valid_from=meta.valid_from, valid_until=meta.valid_until, source_file=meta.source.file,
                     source_title=meta.source.title, sha256=ruleset.content_hash, files=ruleset.file_hashes,
                     **_origin(ruleset)),
        validity_warning=validity_warning(ruleset, day, lang),
        outcome=outcome, outcome_label=OUTCOME_LABELS[outcome][lang],
        summary=(meta.outcome_texts[outcome].get(lang) if outcome in meta.outcome_texts
                 else OUTCOME_LABELS[outcome][lang]),
        conditions=conditions, reasons=reasons, considered=considered, caveats=caveats, next_steps=next_steps,
        missing=missing,
        unsubstantiated=unsubstantiated(ruleset, proposal, trace.facts, conditions + reasons + caveats, lang),
        trace=[uses[i] for i in trace.fired],
        facts=dict(trace.facts),
    ))


def with_answers(evaluator: Evaluator, trace: Trace, missing: list[MissingFact], outcome: str,
                 lang: str) -> list[MissingFact]:
    """Per missing fact, the outcome each answer would give (everything else as it is), worked out by the engine.

    A missing fact blocks the advice only when one of its answers changes the
    outcome; the advice then says which answer leads where. A fact whose answer
    changes the outcome only once another open question is answered (and that
    answer leaves the outcome as it is) blocks it too, without outcomes per
    answer: they depend on the other answer. When no single fact changes it
    (several facts together do), the rules' own marking stands.
    """
    from engine.advising.whatif import outcome_evaluator, value_classes

    ruleset = evaluator.ruleset
    specs = ruleset.facts
    facts = trace.facts
    evaluator = outcome_evaluator(ruleset)  # a search for outcomes: the search engine, on the rules that
    #                                         can change the outcome (proven to give the same outcomes)
    change = evaluator.changer(facts)
    vary = lambda path, value: change(((path, value),))  # noqa: E731
    found: list[list[tuple[Any, str]]] = []  # per missing fact: (answer, the outcome it gives)
    for m in missing:
        spec = specs.get(m.fact)
        answers: list[tuple[Any, str]] = []
        if spec is not None and spec.kind == "enum":
            # Values the outcome rules cannot tell apart give the same outcome: one evaluation per class.
            got_for: dict[Any, str] = {}
            for group in value_classes(ruleset, m.fact):
                first = next((v for v in group if v != "unknown"), None)
                if first is None:
                    continue
                try:
                    got = single_outcome(evaluator, vary(m.fact, first))
                except EngineError:  # a rule set without exactly one outcome there: check reports it
                    return missing
                for v in group:
                    got_for[v] = got
            answers = [(value, got_for[value]) for value in spec.domain if value != "unknown"]
        found.append(answers)
    changes = [any(got != outcome for _, got in answers) for answers in found]
    together = _decisive_together(ruleset, evaluator, change, missing, found, changes, outcome) if any(changes) else []
    labels = OUTCOME_LABELS
    out = []
    for i, (m, answers, changed) in enumerate(zip(missing, found, changes)):
        shown = [_new_answer(dict(value=value, label=value_label(value, lang), outcome=got,
                                  outcome_label=labels[got][lang])) for value, got in answers] if changed else []
        out.append(_new_missing(dict(fact=m.fact, question=m.question,
                                     blocking=(changed or i in together) if any(changes) else m.blocking, rule=m.rule,
                                     answers=shown)))
    order = memo.positions(specs)
    return sorted(out, key=lambda m: (not m.blocking, order.get(m.fact, 0)))


def _decisive_together(ruleset: RuleSet, evaluator: Evaluator, change: Callable, missing: list[MissingFact],
                       found: list[list[tuple[Any, str]]], changes: list[bool], outcome: str) -> set[int]:
    """The missing facts (by index) that change no outcome alone, but do once a fact that decides alone is given an
    answer that leaves the outcome as it is (e.g. 'nee' to one question, and then this one decides)."""
    from engine.advising.whatif import value_classes

    specs = ruleset.facts
    keeping = [(missing[j].fact, value) for j, answers in enumerate(found) if changes[j]
               for value, got in answers if got == outcome]
    keeping = list({(p, v): None for p, v in keeping})
    out: set[int] = set()
    for i, m in enumerate(missing):
        spec = specs.get(m.fact)
        if changes[i] or spec is None or spec.kind != "enum":
            continue
        firsts = [next((v for v in group if v != "unknown"), None) for group in value_classes(ruleset, m.fact)]
        for path, value in keeping:
            if path == m.fact:
                continue
            try:
                if any(single_outcome(evaluator, change(((path, value), (m.fact, v)))) != outcome
                       for v in firsts if v is not None):
                    out.add(i)
                    break
            except EngineError:  # a rule set without exactly one outcome there: check reports it
                return out
    return out


_DECISIVE = {"fit": ("conflicts", "in_line"), "holds": ("yes",), "effect": ("better", "worse")}


def unsubstantiated(ruleset: RuleSet, proposal: Any, facts: dict[str, Any], uses: list[RuleUse],
                    lang: str) -> list[Unsubstantiated]:
    """Judgements the advice's reasons, conditions and caveats rest on that give neither a reason nor evidence."""
    seen: list[str] = []
    for use in uses:
        for path, value in use.facts.items():
            field = path.rsplit(".", 1)[-1]
            if value in _DECISIVE.get(field, ()) and path not in seen:
                seen.append(path)
    if not seen:
        return []
    labels = _labels(ruleset, lang)
    specs = ruleset.facts
    out = []
    order = memo.positions(specs)
    for path in sorted(seen, key=lambda p: order.get(p, 0)):
        entry: Any = proposal
        for part in path.split(".")[:-1]:
            entry = getattr(entry, part, None)
            if entry is None:
                break
        if entry is None:
            continue
        if any(getattr(entry, name, None) for name in ("reason", "note", "evidence")):
            continue
        key = path.split(".")[-2]
        label = f"‘{labels[key]}’" if key in labels else specs[path].question(lang) if path in specs else path
        out.append(Unsubstantiated(fact=path, label=label, value=value_label(facts.get(path), lang)))
    return out
