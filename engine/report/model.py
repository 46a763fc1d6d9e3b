"""The board report as data: every section a renderer needs, already in one language.

Built from an :class:`~engine.advice.Advice` plus the rule set and the
validated proposal, so the HTML, Markdown and Word renderers only lay out
what is here and never reason themselves. Nothing in this module knows a
region: steps, outcome sentences and the deciding body come from the rule
set; procurement principles are recognised by the shape of their rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from pydantic import BaseModel

from .. import conditions as C
from ..advice import Advice, RuleUse, supporting_rules
from ..facts import question_for
from ..i18n import euro, number, organisations, value_label
from ..proposal import UNKNOWN
from ..ruleset import RuleSet
from .i18n import REPORT_TEXT, rt

# The sections of a report, in order: (anchor, label key).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("beslispunten", "sec_decision_points"),
    ("advies", "sec_advice"),
    ("afweging", "sec_weighing"),
    ("argumenten", "sec_reasons"),
    ("kanttekeningen", "sec_caveats"),
    ("financien", "sec_finances"),
    ("inkoopprincipes", "sec_procurement"),
    ("ontbrekende-informatie", "sec_missing"),
    ("vervolg", "sec_next_steps"),
    ("bijlage", "sec_appendix"),
)


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

    def t(self, key: str, **kwargs: Any) -> str:
        return rt(key, self.lang, **kwargs)

    @property
    def main_reason(self) -> str:
        """The reason an overview table shows: the first argument behind the outcome, else the outcome rule.

        The advice lists the outcome rule first; its title mostly repeats the outcome itself.
        """
        reasons = self.advice.reasons
        return reasons[min(1, len(reasons) - 1)].title if reasons else ""


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
                             questions="; ".join(question_for(ruleset.facts, p, lang) for p in unknown))
        else:
            status = "conform"
            known = [p for p in C.fact_paths(rule.condition)
                     if p != "kind" and advice.facts.get(p) not in (None, UNKNOWN)]
            explanation = "; ".join(f"{question_for(ruleset.facts, p, lang)} \u2014 {show_value(advice.facts[p], p, lang)}"
                                    for p in known)
        rows.append(PrincipleRow(rule=rule.id, principle=cite.quote, section=cite.section, status=status,
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
    lang = advice.lang
    first = rt(f"dp_{advice.outcome}", lang, region=ruleset.meta.name, title=advice.proposal.title)
    return [first, rt("dp_approval", lang, body=ruleset.meta.decision_body.get(lang))]


def _meta(advice: Advice, lang: str) -> list[MetaRow]:
    p, rs = advice.proposal, advice.ruleset
    end = rs.valid_until.isoformat() if rs.valid_until else rt("open_end", lang)
    return [
        MetaRow(rt("meta_region", lang), rs.name),
        MetaRow(rt("meta_kind", lang), value_label(p.kind, lang)),
        MetaRow(rt("meta_partners", lang), ", ".join(p.partner_regions) or rt("none", lang)),
        *([MetaRow(rt("meta_partner_organisations", lang), organisations(p.partner_organisations, lang))]
          if p.partner_organisations else []),
        *([MetaRow(rt("meta_administrative_burden", lang), value_label(p.administrative_burden, lang))]
          if p.administrative_burden is not None else []),
        MetaRow(rt("meta_submitter", lang), p.submitter),
        MetaRow(rt("meta_date", lang), p.date.isoformat()),
        MetaRow(rt("meta_evaluated", lang), advice.evaluation_date.isoformat()),
        MetaRow(rt("meta_ruleset", lang), rt("meta_ruleset_value", lang, id=rs.id, version=rs.version,
                                             start=rs.valid_from.isoformat(), end=end)),
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
    return Report(
        lang=lang, advice=advice, region_name=ruleset.meta.name, source_title=ruleset.meta.source.title,
        meta=_meta(advice, lang), decision_points=decision_points(advice, ruleset), steps=route(advice, ruleset),
        finances=rows, finance_total=total, is_procurement=is_procurement, principles=principle_rows,
        principles_summary=summary, facts_used=facts_used(advice, ruleset), file_hashes=files,
        sections=[(anchor, rt(key, lang)) for anchor, key in SECTIONS],
    )
