"""The board report as Markdown: renders on a code host and pastes cleanly into a document.

Same sections and order as the HTML report. Text from proposals and rule
sets is escaped, so it cannot turn into markup (or raw HTML) on a code host.
"""

from __future__ import annotations

from engine.advising.advice import RuleUse
from engine.common.escape import md_inline as md  # literal text on one line: tables stay intact
from engine.report.model import Report, answers_text, lead


def _table(head: list[str], rows: list[list[str]], right: tuple[int, ...] = ()) -> list[str]:
    align = ["---:" if i in right else "---" for i in range(len(head))]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines + [""]


def _uses(report: Report, uses: list[RuleUse], cite: bool = True) -> list[str]:
    out = []
    for i, use in enumerate(uses, start=1):
        out.append(f"{i}. **{md(lead(use.title))}** {md(use.text)} `{use.rule}`")
        if cite:
            source = report.t("cite_section", section=use.citation.place)
            out.append(f"   > \u201c{md(use.citation.quote)}\u201d  ")
            out.append(f"   > \u2014 *{md(report.source_title)}, {md(source)}*")
        out.append("")
    return out


def _heading(report: Report, anchor: str) -> str:
    n = report.number(anchor)
    label = md(dict(report.sections)[anchor])
    return f"## {n}. {label}" if n else f"## {label}"


def _sections(report: Report) -> list[str]:
    """The anchors of the sections this report has, in order."""
    return [anchor for anchor, _ in report.sections]


def render_markdown_report(report: Report) -> str:
    """The bestuursvoorstel as Markdown: the sections in their fixed order, then the appendices."""
    out: list[str] = []
    for part in (_front, _decision, _arguments, _finances, _procurement, _missing_and_communication, _appendices):
        out += part(report)
    return "\n".join(out)


def _front(report: Report) -> list[str]:
    """Kicker, title, topic, the details of the proposal and a validity warning."""
    a, t = report.advice, report.t
    out: list[str] = [f"*{md(t('doc_kind'))} \u00b7 {md(t('doc_subtitle'))} \u00b7 {md(report.region_name)}*", "",
           f"# {md(a.proposal.title)}", "", md(a.proposal.topic), ""]
    out += _table(["", ""], [[f"**{md(row.label)}**", md(row.value)] for row in report.meta])
    for text in (report.validity, report.origin):
        if text:
            out += [f"> **{md(text)}**", ""]
    return out


def _decision(report: Report) -> list[str]:
    """Beslispunten, aanleiding and beoogd effect, with the conditions of a conditional advice."""
    a, t = report.advice, report.t
    out: list[str] = []
    out += [_heading(report, "beslispunten"), "", md(t("dp_intro")), ""]
    out += [f"{i}. {md(point)}" for i, point in enumerate(report.decision_points, start=1)] + [""]

    out += [_heading(report, "aanleiding"), ""]
    for paragraph in report.occasion:
        out += [md(paragraph), ""]

    out += [_heading(report, "beoogd-effect"), "", md(t("effect_intro")), "",
            f"> **{md(t('advice_outcome'))}: {md(a.outcome_label)}**  ", f"> {md(a.summary)}", ""]
    if a.conditions:
        out += [f"### {md(t('advice_conditions'))}", "", md(t("advice_conditions_intro")), ""]
        out += _uses(report, a.conditions)
    return out


def _arguments(report: Report) -> list[str]:
    """Argumenten and kanttekeningen."""
    a, t = report.advice, report.t
    out: list[str] = []
    out += [_heading(report, "argumenten"), ""]
    out += _uses(report, a.reasons) if a.reasons else [f"*{md(t('no_reasons'))}*", ""]
    if a.considered:
        out += [f"### {md(t('reasons_considered'))}", "", md(t("reasons_considered_intro")), ""]
        out += _uses(report, a.considered)

    out += [_heading(report, "kanttekeningen"), ""]
    if report.caveats:
        for i, c in enumerate(report.caveats, start=1):
            out.append(f"{i}. **{md(c.title)}** {md(c.text)}" + (f" `{c.rule}`" if c.rule else ""))
        out.append("")
    else:
        out += [f"*{md(t('no_caveats'))}*", ""]
    return out


def _finances(report: Report) -> list[str]:
    """Financiën: a table of the cost components and the total."""
    t = report.t
    out: list[str] = []
    out += [_heading(report, "financien"), ""]
    if report.finances:
        out += [md(t("fin_intro")), ""]
        rows = [[md(r.label), md(r.effect_label), md(r.amount or t("fin_no_amount")), md(r.note or "")]
                for r in report.finances]
        if report.finance_total:
            rows.append([f"**{md(t('fin_total'))}**", "", f"**{md(report.finance_total)}**", ""])
        out += _table([md(t("fin_col_item")), md(t("fin_col_effect")), md(t("fin_col_amount")), md(t("fin_col_note"))],
                      rows, right=(2,))
    else:
        out += [f"*{md(t('fin_none'))}*", ""]
    return out


def _procurement(report: Report) -> list[str]:
    """Inkoopprincipes, only for a procurement."""
    t = report.t
    out: list[str] = []
    if "inkoopprincipes" in _sections(report):
        out += [_heading(report, "inkoopprincipes"), ""]
        if report.principles:
            out += [f"{md(t('proc_intro'))} {md(report.principles_summary or '')}", ""]
            rows = [[f"\u201c{md(p.principle)}\u201d `{p.rule}`",
                     f"**{md(p.status_label)}**" if p.status == "deviating" else md(p.status_label), md(p.explanation)]
                    for p in report.principles]
            out += _table([md(t("proc_col_principle")), md(t("proc_col_status")), md(t("proc_col_reason"))], rows)
        else:
            out += [f"*{md(t('proc_no_principles'))}*", ""]
    return out


def _missing_and_communication(report: Report) -> list[str]:
    """Ontbrekende informatie and communicatie."""
    a, t = report.advice, report.t
    out: list[str] = []
    out += [_heading(report, "ontbrekende-informatie"), ""]
    if a.missing:
        out += [md(t("missing_intro")), ""]
        rows = [[f"{md(m.question)} `{m.fact}`" + (f" \u2014 {md(answers_text(m, report.lang))}" if m.answers else ""),
                 md(t("missing_blocking") if m.blocking else t("missing_open"))] for m in a.missing]
        out += _table([md(t("col_question")), md(t("col_weight"))], rows)
    else:
        out += [f"*{md(t('missing_none'))}*", ""]

    out += [_heading(report, "communicatie"), ""]
    for line in report.communication:
        out += [md(line), ""]
    out += _uses(report, a.next_steps, cite=False) if a.next_steps else [f"*{md(t('next_none'))}*", ""]
    return out


def _appendices(report: Report) -> list[str]:
    """Bijlagen: sources, decision route, facts used, hashes; then the footer line."""
    a, t = report.advice, report.t
    out: list[str] = []
    out += [_heading(report, "bijlagen"), "", f"### {md(t('app_sources'))}", ""]
    out += ([f"- {md(source)}" for source in report.sources] + [""] if report.sources
            else [f"*{md(t('app_sources_none'))}*", ""])
    out += [f"### {md(t('app_route'))}", "", md(t("weighing_intro")), ""]
    rows = []
    for step in report.steps:
        status = f"**{md(step.status_label)}**" if step.status == "decisive" else md(step.status_label)
        rules = "; ".join(f"`{line.rule}` {md(line.title)} ({md(line.role_label)})" for line in step.rules)
        rows.append([f"{step.number}. {md(step.title)}", status, rules or "\u2014"])
    out += _table([md(t("col_step")), md(t("col_result")), md(t("col_rules"))], rows)
    out += [f"### {md(t('app_facts'))}", "", md(t("app_facts_intro")), ""]
    rows = [[f"{md(f.question)} (`{f.path}`)", md(f.value), ", ".join(f"`{r}`" for r in f.rules)]
            for f in report.facts_used]
    out += _table([md(t("col_question")), md(t("app_col_value")), md(t("col_rules"))], rows)
    out += [f"### {md(t('app_hashes'))}", "", md(t("app_hashes_intro")), ""]
    rows = [[md(name), f"`{digest}`"] for name, digest in report.file_hashes]
    rows.append([md(t("app_engine")), f"`{a.engine_version}`"])
    out += _table([md(t("app_file")), md(t("app_hash"))], rows)
    out += ["---", "", f"*{md(report.footer)}*", ""]
    return out
