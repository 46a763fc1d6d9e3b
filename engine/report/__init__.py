"""Board reports (bestuursvoorstel) of an advice: HTML, Markdown and Word.

:func:`build_report` turns an advice into a :class:`Report`; the renderers
lay that out. :func:`report_for` is the short way from a loaded proposal.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.report.model import Report, build_report

FORMATS = ("html", "markdown", "docx")
EXTENSIONS = {"html": ".html", "markdown": ".md", "docx": ".docx"}


def __getattr__(name: str) -> Any:
    """``Report`` and ``build_report`` are imported when first asked for: the advice of ``evaluate`` (in
    engine.report.batch) needs none of the report's model."""
    if name in ("Report", "build_report"):
        from engine.report import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def report_for(loaded, *, day: dt.date, lang: str = "nl") -> Report:
    """Evaluate a loaded proposal and build its report."""
    from engine.advising.pipeline import advise_loaded
    from engine.report.model import build_report

    advice = advise_loaded(loaded, day=day, lang=lang)
    return build_report(advice, loaded.ruleset, loaded.proposal)


def render(report: Report, fmt: str, template: bytes | None = None) -> bytes:
    """The report in one format, as the bytes of the file; ``template`` is a Word house-style document."""
    if fmt == "html":
        from engine.report.html import render_html
        return render_html(report).encode("utf-8")
    if fmt == "markdown":
        from engine.report.markdown import render_markdown_report
        return render_markdown_report(report).encode("utf-8")
    if fmt == "docx":
        from engine.report.docx import render_docx
        return render_docx(report, template)
    raise ValueError(f"unknown report format {fmt!r}")


__all__ = ["FORMATS", "EXTENSIONS", "Report", "build_report", "report_for", "render"]
