"""The advice as Markdown: renders on a code host and pastes cleanly into a document."""

from __future__ import annotations

from engine.advising.advice import Advice, RuleUse, origin_warning
from engine.common.i18n import organisations, t, value_label
from engine.common.escape import md_inline as _escape


def _use(use: RuleUse, lang: str, cite: bool = True) -> list[str]:
    lines = [f"- **{_escape(use.title)}** ({use.rule}): {_escape(use.text)}"]
    if cite:
        lines.append(f"  > \u201c{_escape(use.citation.quote)}\u201d — *{_escape(use.citation.place)}*, "
                     f"{use.citation.file}")
    return lines


def render_markdown(advice: Advice) -> str:
    lang = advice.lang
    p, rs = advice.proposal, advice.ruleset
    out = [f"# {t('advice', lang)}: {_escape(p.title)}", ""]
    meta = [(t("region", lang), rs.name), (t("topic", lang), p.topic), (t("kind", lang), value_label(p.kind, lang)),
            (t("submitter", lang), p.submitter), (t("date", lang), str(p.date)),
            (t("partners", lang), ", ".join(p.partner_regions) or t("none", lang)),
            *([(t("partner_organisations", lang), organisations(p.partner_organisations, lang))]
              if p.partner_organisations else []),
            *([(t("administrative_burden", lang), value_label(p.administrative_burden, lang))]
              if p.administrative_burden is not None else []),
            (t("ruleset", lang), f"{rs.id} ({t('version', lang)} {rs.version}, {t('valid', lang)} {rs.valid_from} "
                                 f"{t('until', lang)} {rs.valid_until or '…'})"),
            (t("evaluated_on", lang), str(advice.evaluation_date))]
    out += ["| | |", "|---|---|"] + [f"| {k} | {_escape(v)} |" for k, v in meta] + [""]
    origin = origin_warning(advice.ruleset, lang)
    for warning in (advice.validity_warning, origin if advice.ruleset.same_as_shipped is not True else None):
        if warning:
            out += [f"> **{_escape(warning)}**", ""]
    if origin and advice.ruleset.same_as_shipped is True:  # a copy of the shipped rule set: said, not a warning
        out += [_escape(origin), ""]
    out += [f"## {t('outcome', lang)}: {advice.outcome_label}", "", _escape(advice.summary), ""]
    for key, uses, cite in [("conditions", advice.conditions, True), ("reasons", advice.reasons, True), ("considered", advice.considered, True),
                            ("caveats", advice.caveats, True), ("next_steps", advice.next_steps, False)]:
        extra = advice.unsubstantiated if key == "caveats" else []
        if uses or extra:
            out += [f"## {t(key, lang)}", ""]
            for use in uses:
                out += _use(use, lang, cite)
            for note in extra:
                out.append(f"- **{t('unsubstantiated', lang)}**: "
                           f"{_escape(t('unsubstantiated_text', lang, label=note.label, value=note.value))}")
            out.append("")
    if advice.missing:
        out += [f"## {t('missing', lang)}", ""]
        for m in advice.missing:
            tag = t("missing_blocking", lang) if m.blocking else t("missing_open", lang)
            out.append(f"- {_escape(m.question)} (`{m.fact}`) — {tag}"
                       + (": " + "; ".join(f"{_escape(a.label)} → {a.outcome_label}" for a in m.answers)
                          if m.answers else ""))
        out.append("")
    out += [f"## {t('receipt', lang)}", "", f"- {t('ruleset_hash', lang)}: `{rs.sha256}`",
            f"- {t('proposal_hash', lang)}: `{p.sha256}` ({_escape(p.file)})",
            f"- {t('rule_engine', lang)}: {advice.engine}", ""]
    return "\n".join(out)
