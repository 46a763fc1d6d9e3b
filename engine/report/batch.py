"""Reports for many proposals: file names, the overview, and rendering in worker processes.

A worker gets only plain data (paths, options), loads and evaluates the
proposal itself and returns bytes, so every process builds its own rule
engine (rule engine names register once per process) and the output does
not depend on how many processes ran.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Optional

from . import EXTENSIONS, build_report, render
from .model import Report

OVERVIEW_NAMES = {"html": "index.html", "markdown": "overview.md", "docx": "index.html"}


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to produce one report; picklable."""

    path: str
    fmt: str
    lang: str
    day: dt.date
    region: Optional[str] = None
    rules_root: Optional[str] = None


@dataclass(frozen=True)
class OverviewRow:
    title: str
    file: str
    outcome: str
    outcome_label: str
    main_reason: str
    link: str = ""


@dataclass(frozen=True)
class Rendered:
    data: bytes
    row: OverviewRow


def rendered(report: Report, fmt: str) -> Rendered:
    a = report.advice
    row = OverviewRow(title=a.proposal.title, file=a.proposal.file, outcome=a.outcome,
                      outcome_label=a.outcome_label, main_reason=report.main_reason)
    return Rendered(render(report, fmt), row)


def run_job(job: Job) -> Rendered:
    """Load, evaluate and render one proposal (in whatever process runs it)."""
    from ..pipeline import advise_loaded
    from ..validate import load_proposal

    loaded = load_proposal(job.path, region=job.region, day=job.day,
                           rules_root=Path(job.rules_root) if job.rules_root else None)
    advice = advise_loaded(loaded, day=job.day, lang=job.lang)
    return rendered(build_report(advice, loaded.ruleset, loaded.proposal), job.fmt)


def file_names(paths: list[str], fmt: str) -> list[str]:
    """One report name per proposal: its stem plus the format's extension, made unique in input order."""
    taken = {OVERVIEW_NAMES[fmt]}
    names = []
    for path in paths:
        stem = PurePath(path).stem or "voorstel"
        name, n = f"{stem}{EXTENSIONS[fmt]}", 1
        while name in taken:
            n += 1
            name = f"{stem}-{n}{EXTENSIONS[fmt]}"
        taken.add(name)
        names.append(name)
    return names


def render_overview(rows: list[OverviewRow], fmt: str, lang: str, day: dt.date) -> bytes:
    """index.html (HTML and Word reports) or overview.md (Markdown reports)."""
    from .i18n import rt

    if fmt == "markdown":
        from .markdown import md
        lines = [f"# {md(rt('ov_title', lang))}", "", md(rt("ov_intro", lang, n=len(rows), day=day.isoformat())), "",
                 "| " + " | ".join(md(rt(k, lang)) for k in ("ov_col_proposal", "ov_col_outcome", "ov_col_reason",
                                                             "ov_col_report")) + " |",
                 "| --- | --- | --- | --- |"]
        for r in rows:
            lines.append(f"| {md(r.title)} | **{md(r.outcome_label)}** | {md(r.main_reason)} | "
                         f"[{md(r.link)}](<{r.link}>) |")
        return ("\n".join(lines) + "\n").encode("utf-8")
    from .html import OUTCOME_COLOURS, environment
    template = environment().get_template("overview.html.j2")
    html = template.render(rows=rows, lang=lang, t=lambda key, **kw: rt(key, lang, **kw), n=len(rows),
                           day=day.isoformat(), colours=OUTCOME_COLOURS)
    return html.encode("utf-8")
