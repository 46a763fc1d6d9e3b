"""The advice as plain text for the terminal: outcome first, then why."""

from __future__ import annotations

import functools
import textwrap

from engine.advising.advice import Advice, RuleUse, origin_warning
from engine.common.i18n import organisations, t, value_label
from engine.common.escape import terminal_text

WIDTH = 88


@functools.lru_cache(maxsize=4096)
def _wrap(text: str, indent: str = "  ", first: str | None = None) -> str:
    """Wrapped text; remembered, since most wrapped lines (citations, fixed explanations) recur in every advice
    of a batch, and wrapping is the dearest step of the text rendering."""
    return textwrap.fill(text, WIDTH, initial_indent=first if first is not None else indent,
                         subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


def _item(use: RuleUse, lang: str, cite: bool = True) -> list[str]:
    lines = [_wrap(use.text, "    ", f"  - [{use.rule}] ")]
    if cite:
        lines.append(_wrap(f"{t('source', lang)}: \u201c{use.citation.quote}\u201d ({use.citation.place})", "      ",
                           "      "))
    return lines


def render_text(advice: Advice, *, style=lambda s, **kw: s) -> str:
    """Readable advice; ``style`` is click.style when the terminal supports colour.

    Control characters are removed from every line before styling, so text
    from a proposal cannot carry its own terminal escape sequences.
    """
    lang = advice.lang
    p, rs = advice.proposal, advice.ruleset
    out: list[str] = []
    styles: dict[int, dict] = {}

    def styled(text: str, **kw) -> str:
        styles[len(out)] = kw
        return text

    out.append(styled(f"{t('advice', lang)}: {p.title}", bold=True))
    out.append(f"{t('region', lang)}: {rs.name} — {t('ruleset', lang)} {rs.id} ({t('version', lang)} {rs.version}, "
               f"{t('valid', lang)} {rs.valid_from} {t('until', lang)} {rs.valid_until or '…'})")
    out.append(f"{t('submitter', lang)}: {p.submitter} — {t('date', lang)}: {p.date} — "
               f"{t('evaluated_on', lang)}: {advice.evaluation_date}")
    if p.partner_regions:
        out.append(f"{t('partners', lang)}: {', '.join(p.partner_regions)}")
    if p.partner_organisations:
        out.append(f"{t('partner_organisations', lang)}: {organisations(p.partner_organisations, lang)}")
    if p.administrative_burden is not None:
        out.append(f"{t('administrative_burden', lang)}: {value_label(p.administrative_burden, lang)}")
    origin = origin_warning(advice.ruleset, lang)
    for warning in (advice.validity_warning, origin if advice.ruleset.same_as_shipped is not True else None):
        if warning:
            out.append("")
            out.append(styled(_wrap(warning, "  ", "! "), fg="yellow", bold=True))
    if origin and advice.ruleset.same_as_shipped is True:  # a copy of the shipped rule set: said, not a warning
        out.append("")
        out.append(_wrap(origin, "  ", ""))
    out.append("")
    colour = {"participate": "green", "participate_provided": "green", "decline": "red",
              "insufficient_information": "yellow", "handle_at_lower_scale": "cyan"}[advice.outcome]
    out.append(styled(f"{t('outcome', lang).upper()}: {advice.outcome_label.upper()}", fg=colour, bold=True))
    out.append(_wrap(advice.summary, "  "))
    sections = [("conditions", advice.conditions, True), ("reasons", advice.reasons, True), ("considered", advice.considered, True),
                ("caveats", advice.caveats, True), ("next_steps", advice.next_steps, False)]
    for key, uses, cite in sections:
        extra = advice.unsubstantiated if key == "caveats" else []
        if not uses and not extra:
            continue
        out.append("")
        out.append(styled(t(key, lang), bold=True))
        for use in uses:
            out.extend(_item(use, lang, cite))
        for note in extra:
            out.append(_wrap(t("unsubstantiated_text", lang, label=note.label, value=note.value), "    ",
                             f"  - [{t('unsubstantiated', lang)}] "))
    if advice.missing:
        out.append("")
        out.append(styled(t("missing", lang), bold=True))
        for m in advice.missing:
            tag = t("missing_blocking", lang) if m.blocking else t("missing_open", lang)
            out.append(_wrap(f"{m.question} [{m.fact}] — {tag}", "    ", "  - "))
            if m.answers:
                out.append(_wrap("; ".join(f"{a.label} → {a.outcome_label}" for a in m.answers), "      ", "      "))
    out.append("")
    out.append(f"{t('ruleset_hash', lang)}: {rs.sha256[:16]}…  {t('proposal_hash', lang)}: {p.sha256[:16]}…  "
               f"{t('rule_engine', lang)}: {advice.engine}")
    lines = [terminal_text(line) for line in out]
    return "\n".join(style(line, **styles[i]) if i in styles else line for i, line in enumerate(lines)) + "\n"
