"""The board report as data: every section a renderer needs, already in one language.

Built from an :class:`~engine.advising.advice.Advice` plus the rule set and the
validated proposal, so the HTML, Markdown and Word renderers only lay out
what is here and never reason themselves. Nothing in this module knows a
region: steps, outcome sentences and the deciding body come from the rule
set; procurement principles are recognised by the shape of their rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from pydantic import BaseModel

from engine.rulebase import conditions as C
from engine.advising.advice import Advice, RuleUse, origin_for_board, supporting_rules
from engine.reading.facts import question_for
from engine.common.i18n import euro, long_date, number, organisations, value_label
from engine.reading.proposal import UNKNOWN
from engine.rulebase.ruleset import RuleSet
from engine.report.i18n import REPORT_TEXT, rt

# The sections of a board report, in order: (anchor, label key). "inkoopprincipes" only for procurement.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("beslispunten", "sec_decision_points"),
    ("aanleiding", "sec_occasion"),
    ("beoogd-effect", "sec_effect"),
    ("argumenten", "sec_reasons"),
    ("kanttekeningen", "sec_caveats"),
    ("financien", "sec_finances"),
    ("inkoopprincipes", "sec_procurement"),
    ("ontbrekende-informatie", "sec_missing"),
    ("communicatie", "sec_next_steps"),
    ("bijlagen", "sec_appendix"),
)
PROCUREMENT_ONLY = ("inkoopprincipes",)


@dataclass(frozen=True)
class RuleLine:
    """One applied rule as the weighing shows it."""

    rule: str
    title: str
    role_label: str
    text: str
    decisive: bool


@dataclass(frozen=True)
class StepResult:
    """One step of the decision route: what was found there and whether it decided the outcome."""

    id: str
    number: int
    title: str
    status: str  # decisive | considered | none
    status_label: str
    rules: tuple[RuleLine, ...]
    holds_outcome: bool


@dataclass(frozen=True)
class FinanceRow:
    key: str
    label: str
    effect_label: str
    amount: Optional[str]
    note: Optional[str]


@dataclass(frozen=True)
class PrincipleRow:
    """One procurement principle: the source's words, the verdict and why."""

    rule: str
    title: str
    principle: str
    section: str
    status: str  # deviating | conform | not_assessed
    status_label: str
    explanation: str


@dataclass(frozen=True)
class FactRow:
    path: str
    question: str
    value: str
    rules: tuple[str, ...]


@dataclass(frozen=True)
class MetaRow:
    label: str
    value: str


@dataclass(frozen=True)
class CaveatItem:
    """One caveat or risk for the board: a short lead, the text, and the rule behind it when there is one."""

    title: str
    text: str
    rule: Optional[str] = None


@dataclass
class Report:
    """Everything one board report shows, in one language."""

    lang: str
    advice: Advice
    region_name: str
    source_title: str
    meta: list[MetaRow]
    decision_points: list[str]
    steps: list[StepResult]
    finances: list[FinanceRow]
    finance_total: Optional[str]
    is_procurement: bool
    principles: list[PrincipleRow]
    principles_summary: Optional[str]
    facts_used: list[FactRow]
    file_hashes: list[tuple[str, str]]
    sections: list[tuple[str, str]] = field(default_factory=list)
    occasion: list[str] = field(default_factory=list)
    caveats: list[CaveatItem] = field(default_factory=list)
    communication: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    footer: str = ""
    validity: Optional[str] = None  # the validity warning with written-out dates
    origin: Optional[str] = None  # the board's note on a rule set that differs from the shipped ones
    logo: Optional[tuple[str, bytes]] = None  # (media type, bytes) for the HTML report's house style
    stylesheet: Optional[str] = None

    def number(self, anchor: str) -> str:
        """The heading number of a section ("3"), empty for the appendices."""
        anchors = [a for a, _ in self.sections]
        index = anchors.index(anchor)
        return "" if anchor == "bijlagen" else str(index + 1)

    def heading(self, anchor: str) -> str:
        """A section's heading with its number, as Markdown and Word show it."""
        label = dict(self.sections)[anchor]
        n = self.number(anchor)
        return f"{n}. {label}" if n else label

    def t(self, key: str, **kwargs: Any) -> str:
        return rt(key, self.lang, **kwargs)

    @property
    def main_reason(self) -> str:
        """The reason an overview table shows: the title of the rule that decided the outcome."""
        deciding = self.advice.deciding
        return deciding.title if deciding else ""

    @property
    def deciding_rule(self) -> str:
        deciding = self.advice.deciding
        return deciding.rule if deciding else ""


def lead(title: str) -> str:
    """A rule title used as the lead-in of a paragraph: ends with a full stop unless it has punctuation."""
    return title if title[-1:] in ".?!:" else title + "."


def _role_label(ruleset: RuleSet, use: RuleUse, lang: str) -> str:
    if ruleset.by_id[use.rule].then.outcome:
        return rt("role_outcome", lang)
    return rt(f"role_{use.role}", lang)


def decisive_rules(advice: Advice, ruleset: RuleSet) -> set[str]:
    """The fired rules the outcome rests on: the outcome rule and, recursively, the producers it reads."""
    fired = {u.rule for u in advice.trace}
    roots = [rid for rid in fired if ruleset.by_id[rid].then.outcome]
    return set(supporting_rules(ruleset, fired, roots, C.conclusion_names))


def route(advice: Advice, ruleset: RuleSet) -> list[StepResult]:
    """The rule set's steps in order, each with the rules that fired there."""
    lang = advice.lang
    decisive = decisive_rules(advice, ruleset)
    out = []
    for number_, step in enumerate(ruleset.meta.steps, start=1):
        uses = [u for u in advice.trace if u.step == step.id]
        lines = tuple(RuleLine(rule=u.rule, title=u.title, role_label=_role_label(ruleset, u, lang), text=u.text,
                               decisive=u.rule in decisive) for u in uses)
        if any(line.decisive for line in lines):
            status = "decisive"
        elif lines:
            status = "considered"
        else:
            status = "none"
        out.append(StepResult(id=step.id, number=number_, title=getattr(step, lang), status=status,
                              status_label=rt(f"status_{status}", lang), rules=lines,
                              holds_outcome=any(ruleset.by_id[u.rule].then.outcome for u in uses)))
    return out


def _requires(cond: C.Condition, path: str, value: str) -> bool:
    """Whether a condition can only hold when fact ``path`` is ``value`` (a top-level conjunct)."""
    items = cond.items if isinstance(cond, C.All) else (cond,)
    return any(isinstance(c, C.FactTest) and c.path == path and c.op == "is" and c.value == value for c in items)


def principles(advice: Advice, ruleset: RuleSet) -> list[PrincipleRow]:
    """One row per procurement principle.

    A principle is a rule with the role ``condition`` that only applies to
    procurement proposals and does not merely ask for missing facts. Fired
    means the proposal deviates; not fired with every fact it reads known
    means it conforms; otherwise it is "not assessed", with the open questions.
    """
    lang = advice.lang
    fired = {u.rule: u for u in advice.trace}
    rows = []
    for rule in ruleset.rules:
        if rule.then.role != "condition" or rule.then.missing or not _requires(rule.condition, "kind", "procurement"):
            continue
        cite = rule.data.cite
        unknown = [p for p in C.fact_paths(rule.condition) if advice.facts.get(p) in (None, UNKNOWN)]
        if rule.id in fired:
            status, explanation = "deviating", fired[rule.id].text
        elif unknown:
            status = "not_assessed"
            explanation = rt("proc_unknown_facts", lang,
                             questions=" ".join(question_for(ruleset.facts, p, lang) for p in unknown))
        else:
            status = "conform"
            known = [p for p in C.fact_paths(rule.condition)
                     if p != "kind" and advice.facts.get(p) not in (None, UNKNOWN)]
            given = ", ".join(show_value(advice.facts[p], p, lang) for p in known
                              if advice.facts[p] not in ("yes", True))  # "ja" says nothing the verdict does not
            explanation = rt("proc_conform_text", lang) + (rt("proc_given", lang, given=given) if given else "") + "."
        rows.append(PrincipleRow(rule=rule.id, title=rule.data.title.get(lang), principle=cite.quote, section=cite.section, status=status,
                                 status_label=rt(f"proc_{status}", lang), explanation=explanation))
    return rows


def show_value(value: Any, path: str, lang: str) -> str:
    """A fact value as a reader says it: ja/nee, labels, Dutch numbers and amounts."""
    if value is None:
        return value_label(UNKNOWN, lang)
    if isinstance(value, bool):
        return value_label("yes" if value else "no", lang)
    if isinstance(value, (int, float)):
        return euro(value, lang) if path.endswith("amount_eur") else number(value)
    return value_label(value, lang)


def finances(proposal: BaseModel, lang: str) -> tuple[list[FinanceRow], Optional[str]]:
    """The financial effects the proposal states, with Dutch-formatted amounts and their balance."""
    section = getattr(proposal, "finances", None)
    if section is None:
        return [], None
    rows, amounts = [], []
    for key in type(section).model_fields:
        entry = getattr(section, key)
        effect = getattr(entry, "effect", UNKNOWN)
        amount = getattr(entry, "amount_eur", None)
        note = getattr(entry, "note", None)
        if effect == UNKNOWN and amount is None and not note:
            continue
        if amount is not None:
            amounts.append(amount)
        label_key = f"fin_{key}"
        label = rt(label_key, lang) if label_key in REPORT_TEXT else key
        rows.append(FinanceRow(key=key, label=label, effect_label=value_label(effect, lang),
                               amount=euro(amount, lang) if amount is not None else None, note=note))
    total = euro(sum(amounts), lang) if len(amounts) > 1 else None
    return rows, total


def facts_used(advice: Advice, ruleset: RuleSet) -> list[FactRow]:
    """The facts the applied rules read, in catalogue order, with the rules that read them."""
    readers: dict[str, list[str]] = {}
    for use in advice.trace:
        for path in use.facts:
            readers.setdefault(path, []).append(use.rule)
    order = {p: i for i, p in enumerate(ruleset.facts)}
    rows = []
    for path in sorted(readers, key=lambda p: (order.get(p, len(order)), p)):
        rows.append(FactRow(path=path, question=question_for(ruleset.facts, path, advice.lang),
                            value=show_value(advice.facts.get(path), path, advice.lang),
                            rules=tuple(dict.fromkeys(readers[path]))))
    return rows


def decision_points(advice: Advice, ruleset: RuleSet) -> list[str]:
    """Only decisions, each completing "Voorgesteld wordt:"; who must approve belongs under Communicatie."""
    lang = advice.lang
    key = f"dp_{advice.outcome}" if f"dp_{advice.outcome}" in REPORT_TEXT else "dp_other"
    points = [rt(key, lang, region=ruleset.meta.name, title=advice.proposal.title, outcome=advice.outcome_label)]
    if advice.conditions:
        points.append(rt("dp_conditions", lang))
    if advice.missing:
        points.append(rt("dp_missing", lang))
    return points


def enumerate_(items: list[str], lang: str) -> str:
    """"A, B en C" ("A, B and C")."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + (" en " if lang == "nl" else " and ") + items[-1]


def occasion(advice: Advice, proposal: BaseModel) -> list[str]:
    """Aanleiding: who asks what and why, in the proposal's own words (``description``)."""
    lang, p = advice.lang, advice.proposal
    partners = enumerate_(p.partner_regions, lang)
    topic = p.topic.rstrip(".")
    first = rt("occ_partners" if partners else "occ_no_partners", lang, submitter=p.submitter,
               date=long_date(p.date, lang), topic=topic, partners=partners)
    paragraphs = [first]
    description = getattr(proposal, "description", None)
    if description and description.strip():
        paragraphs += [part.strip() for part in description.strip().split("\n\n") if part.strip()]
    return paragraphs


def _join(text: str, details: list[str]) -> str:
    """``text`` with the details it does not mention yet, as one sentence."""
    extra = [d for d in details if d and d not in text]
    if not extra:
        return text
    return text.rstrip(".") + " (" + "; ".join(extra) + ")."


def _capacity_details(capacity: Any, lang: str) -> list[str]:
    need = []
    if getattr(capacity, "fte", None) is not None:
        need.append(rt("cav_fte", lang, fte=number(capacity.fte)))
    if getattr(capacity, "hours_per_week", None) is not None:
        need.append(rt("cav_hours", lang, hours=number(capacity.hours_per_week)))
    note = (getattr(capacity, "note", None) or "").strip().rstrip(".")
    return need + ([note] if note else [])


def _finance_details(entry: Any, lang: str) -> list[str]:
    details = []
    if entry.amount_eur is not None:
        details.append(rt("cav_amount", lang, amount=euro(abs(entry.amount_eur), lang)))
    if entry.note:
        details.append(entry.note.strip().rstrip("."))
    return details


def _reads(use: RuleUse, path: str, value: str) -> bool:
    return use.facts.get(path) == value


def caveats(advice: Advice, proposal: BaseModel, principle_rows: list[PrincipleRow]) -> list[CaveatItem]:
    """Kanttekeningen en risico's, built from everything in the advice a board must weigh.

    The rules with the role ``caveat`` (and conditions the outcome does not
    depend on), the conditions attached to participation, the deviations from
    procurement principles, a capacity gap, a financial disadvantage with its
    amount and note, the facts still open and a rule set outside its validity.
    A capacity gap or a financial disadvantage that a caveat rule already
    names gets its figures and note in that caveat instead of a second one.
    """
    lang = advice.lang
    out: list[CaveatItem] = []
    warning = validity_text(advice)
    if warning:
        text = warning.split(": ", 1)[-1]  # without its own "Let op:"
        out.append(CaveatItem(rt("cav_validity", lang), text[:1].upper() + text[1:]))
    origin = origin_for_board(advice.ruleset, lang)
    if origin:  # a rule set that differs from the shipped ones: the board must know
        label, text = origin
        out.append(CaveatItem(label[:1].upper() + label[1:] + ".", text))
    deviating = [r for r in principle_rows if r.status == "deviating"]
    deviating_rules = {r.rule for r in deviating}
    others = [c for c in advice.conditions if c.rule not in deviating_rules]
    if others:
        out.append(CaveatItem(rt("cav_conditions", lang, n=len(others)),
                              rt("cav_conditions_text", lang, items="; ".join(f"\u2018{c.title}\u2019" for c in others))))
    if deviating:
        out.append(CaveatItem(rt("cav_deviations", lang, n=len(deviating)),
                              rt("cav_deviations_text", lang, items="; ".join(f"\u2018{r.title}\u2019" for r in deviating))))
    rule_uses = [u for u in advice.caveats if u.rule not in deviating_rules]
    texts = {u.rule: u.text for u in rule_uses}
    extra: list[CaveatItem] = []

    capacity = getattr(proposal, "capacity", None)
    if capacity is not None and getattr(capacity, "sufficient", None) == "no":
        details = _capacity_details(capacity, lang)
        use = next((u for u in rule_uses if _reads(u, "capacity.sufficient", "no")), None)
        if use is not None:
            texts[use.rule] = _join(texts[use.rule], details)
        else:
            extra.append(CaveatItem(rt("cav_capacity", lang), _join(rt("cav_capacity_text", lang) + ".", details)))
    section = getattr(proposal, "finances", None)
    for key in type(section).model_fields if section is not None else ():
        entry = getattr(section, key)
        if getattr(entry, "effect", None) != "worse":
            continue
        label_key = f"fin_{key}"
        label = rt(label_key, lang) if label_key in REPORT_TEXT else key
        details = _finance_details(entry, lang)
        use = next((u for u in rule_uses if _reads(u, f"finances.{key}.effect", "worse")), None)
        if use is not None:
            texts[use.rule] = _join(texts[use.rule], [f"{label.lower()}: {', '.join(details)}" if details else ""])
        else:
            extra.append(CaveatItem(rt("cav_worse", lang, item=label.lower()),
                                    _join(rt("cav_worse_text", lang) + ".", [f"{label.lower()}: {', '.join(details)}"
                                                                            if details else label.lower()])))
    out += [CaveatItem(lead(u.title), texts[u.rule], u.rule) for u in rule_uses]
    out += extra
    if advice.missing:
        blocking = sum(1 for m in advice.missing if m.blocking)
        key = "cav_missing_blocking" if blocking else "cav_missing_open"
        out.append(CaveatItem(rt("cav_missing", lang), rt(key, lang, n=len(advice.missing), blocking=blocking)))
    not_assessed = [r for r in principle_rows if r.status == "not_assessed"]
    if not_assessed:
        out.append(CaveatItem(rt("cav_not_assessed", lang, n=len(not_assessed)), rt("cav_not_assessed_text", lang)))
    return out


def communication(advice: Advice, ruleset: RuleSet) -> list[str]:
    """Who decides, at which level, and who hears of the decision."""
    lang, p = advice.lang, advice.proposal
    body = ruleset.meta.decision_body.get(lang)
    out = [rt("com_approval", lang, body=body)]
    partners = enumerate_(p.partner_regions, lang)
    out.append(rt("com_inform_partners" if partners else "com_inform", lang, submitter=p.submitter,
                  partners=partners))
    return out


def answers_text(missing: Any, lang: str) -> str:
    """The outcome each answer to a deciding question leads to ("Per antwoord: ja → Meedoen; nee → …"), or ""."""
    if not missing.answers:
        return ""
    return rt("missing_answers", lang) + ": " + "; ".join(f"{a.label} \u2192 {a.outcome_label}" for a in missing.answers)


def validity_text(advice: Advice) -> Optional[str]:
    """The advice's validity warning with the dates written out ("31 december 2025"), as a board reads them."""
    from engine.common.i18n import t as advice_text

    if not advice.validity_warning:
        return None
    rs, lang, day = advice.ruleset, advice.lang, advice.evaluation_date
    if rs.valid_until is not None and day > rs.valid_until:
        return advice_text("validity_after", lang, name=rs.name, version=rs.version, until=long_date(rs.valid_until, lang),
                 day=long_date(day, lang))
    if day < rs.valid_from:
        return advice_text("validity_before", lang, name=rs.name, version=rs.version, start=long_date(rs.valid_from, lang),
                 day=long_date(day, lang))
    return advice.validity_warning


def _meta(advice: Advice, lang: str) -> list[MetaRow]:
    p, rs = advice.proposal, advice.ruleset
    end = long_date(rs.valid_until, lang) if rs.valid_until else rt("open_end", lang)
    return [
        MetaRow(rt("meta_region", lang), rs.name),
        MetaRow(rt("meta_kind", lang), value_label(p.kind, lang)),
        MetaRow(rt("meta_partners", lang), ", ".join(p.partner_regions) or rt("none", lang)),
        *([MetaRow(rt("meta_partner_organisations", lang), organisations(p.partner_organisations, lang))]
          if p.partner_organisations else []),
        *([MetaRow(rt("meta_administrative_burden", lang), value_label(p.administrative_burden, lang))]
          if p.administrative_burden is not None else []),
        MetaRow(rt("meta_submitter", lang), p.submitter),
        MetaRow(rt("meta_date", lang), long_date(p.date, lang)),
        MetaRow(rt("meta_evaluated", lang), long_date(advice.evaluation_date, lang)),
        MetaRow(rt("meta_ruleset", lang), rt("meta_ruleset_value", lang, id=rs.id, version=rs.version,
                                             start=long_date(rs.valid_from, lang), end=end)),
        MetaRow(rt("meta_source", lang), rs.source_title),
    ]


def build_report(advice: Advice, ruleset: RuleSet, proposal: BaseModel) -> Report:
    """Assemble the report of one advice; the rule set and proposal supply what the advice leaves out."""
    lang = advice.lang
    rows, total = finances(proposal, lang)
    is_procurement = advice.proposal.kind == "procurement"
    principle_rows = principles(advice, ruleset) if is_procurement else []
    summary = None
    if principle_rows:
        count = {s: sum(1 for r in principle_rows if r.status == s) for s in ("deviating", "conform", "not_assessed")}
        summary = rt("proc_summary", lang, deviating=count["deviating"], conform=count["conform"],
                     unknown=count["not_assessed"])
    files = [(rt("app_proposal_file", lang) + ": " + advice.proposal.file, advice.proposal.sha256)]
    files += [(name, digest) for name, digest in advice.ruleset.files.items()]
    files.append((rt("app_ruleset_total", lang) + f" ({advice.ruleset.id})", advice.ruleset.sha256))
    sections = [(anchor, rt(key, lang)) for anchor, key in SECTIONS
                if is_procurement or anchor not in PROCUREMENT_ONLY]
    a = advice
    return Report(
        lang=lang, advice=advice, region_name=ruleset.meta.name, source_title=ruleset.meta.source.title,
        meta=_meta(advice, lang), decision_points=decision_points(advice, ruleset), steps=route(advice, ruleset),
        finances=rows, finance_total=total, is_procurement=is_procurement, principles=principle_rows,
        principles_summary=summary, facts_used=facts_used(advice, ruleset), file_hashes=files,
        sections=sections, occasion=occasion(advice, proposal), caveats=caveats(advice, proposal, principle_rows),
        communication=communication(advice, ruleset), sources=list(getattr(proposal, "sources", []) or []),
        validity=validity_text(advice), origin=(origin_for_board(advice.ruleset, lang) or (None, None))[1],
        footer=rt("footer", lang, version=a.engine_version, day=long_date(a.evaluation_date, lang),
                  ruleset=a.ruleset.id, rs_version=a.ruleset.version),
    )
