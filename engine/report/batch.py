"""Many proposals: one job per file, safe file names, and the overview.

A worker gets only plain data (paths, options), loads and evaluates the
proposal itself and returns bytes, so every process builds its own rule
engine and the output does not depend on how many processes ran. A file
that fails comes back as :class:`Failed` instead of stopping the batch.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Optional, Union

if TYPE_CHECKING:
    from engine.report.house import HouseStyle
    from engine.report.model import Report

OVERVIEW_NAMES = {"html": "index.html", "markdown": "overview.md", "docx": "index.html"}
# Formats of the advice itself (``evaluate``); the report formats are in EXTENSIONS.
ADVICE_EXTENSIONS = {"text": ".txt", "markdown": ".md", "json": ".json"}

EXIT_INPUT, EXIT_RULES, EXIT_INTERNAL = 2, 3, 4  # as in engine.commands.common
NAME_LIMIT = 80  # bytes of a file name's stem, well under every file system's limit of 255
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to produce one output; picklable.

    ``kind`` is ``report`` (board report: html, markdown, docx) or
    ``advice`` (``evaluate``: text, markdown, json).
    """

    path: str
    fmt: str
    lang: str
    day: dt.date
    region: Optional[str] = None
    rules_root: Optional[str] = None
    kind: str = "report"
    colour: bool = False
    house: Optional["HouseStyle"] = None  # the municipality's template, logo and stylesheet


@dataclass(frozen=True)
class OverviewRow:
    title: str
    file: str
    outcome: str
    outcome_label: str
    main_reason: str
    link: str = ""
    rule: str = ""  # the deciding rule's id
    region: str = ""
    ruleset: str = ""  # the rule set's id and version
    validity_warning: Optional[str] = None
    origin_warning: Optional[str] = None  # 'gewijzigde regelset' / 'niet meegeleverde regelset', else None


@dataclass(frozen=True)
class Rendered:
    data: bytes
    row: OverviewRow


@dataclass(frozen=True)
class Failed:
    """A proposal that could not be evaluated: the message for people and the exit code it stands for."""

    path: str
    message: str
    code: int


Result = Union[Rendered, Failed]


def overview_row(advice) -> OverviewRow:
    """What the overview shows of one advice: outcome, the deciding rule, region and rule set, validity."""
    from engine.report.i18n import rt

    warning = None
    if advice.validity_warning:  # the board's wording, with the dates written out
        from engine.report.model import validity_text

        warning = validity_text(advice)
    deciding = advice.deciding
    rs = advice.ruleset
    from engine.advising.advice import origin_for_board

    board = origin_for_board(rs, advice.lang)  # a rule set that differs from the shipped ones, in a few words
    origin = board[0] if board else None
    return OverviewRow(title=advice.proposal.title, file=advice.proposal.file, outcome=advice.outcome,
                       outcome_label=advice.outcome_label, main_reason=deciding.title if deciding else "",
                       rule=deciding.rule if deciding else "", region=rs.name,
                       ruleset=f"{rs.id}, {rt('ov_ruleset', advice.lang, version=rs.version)}",
                       validity_warning=warning, origin_warning=origin)


def rendered(report: Report, fmt: str, template: Optional[bytes] = None) -> Rendered:
    from engine.report import render

    return Rendered(render(report, fmt, template=template), overview_row(report.advice))


def render_advice(advice, fmt: str, colour: bool = False) -> bytes:
    """The advice of ``evaluate`` in text, Markdown or JSON."""
    if fmt == "json":
        from engine.render.jsonout import render_json
        return render_json([advice]).encode("utf-8")
    if fmt == "markdown":
        from engine.render.markdown import render_markdown
        return render_markdown(advice).encode("utf-8")
    from engine.render.text import render_text
    if colour:
        import click
        return render_text(advice, style=click.style).encode("utf-8")
    return render_text(advice).encode("utf-8")


def run_job(job: Job) -> Result:
    """Load, evaluate and render one proposal (in whatever process runs it); failures come back as data."""
    from engine.common.errors import EngineError, InputError

    try:
        return _run(job)
    except InputError as exc:
        return Failed(job.path, exc.render(), EXIT_INPUT)
    except EngineError as exc:
        return Failed(job.path, f"{job.path}: fout in de regelset / rule set defect: {exc}", EXIT_RULES)
    except Exception as exc:  # a defect must not cost the other files of the batch their output
        return Failed(job.path, f"{job.path}: interne fout / internal error: {type(exc).__name__}: {exc}",
                      EXIT_INTERNAL)


def _run(job: Job) -> Rendered:
    from engine.advising.pipeline import advise_loaded
    from engine.deciding.validate import load_proposal

    loaded = load_proposal(job.path, region=job.region, day=job.day,
                           rules_root=Path(job.rules_root) if job.rules_root else None)
    advice = advise_loaded(loaded, day=job.day, lang=job.lang)
    if job.kind == "advice":
        return Rendered(render_advice(advice, job.fmt, job.colour), overview_row(advice))
    from engine.report.house import apply_house_style
    from engine.report.model import build_report

    report = build_report(advice, loaded.ruleset, loaded.proposal)
    apply_house_style(report, job.house)
    return rendered(report, job.fmt, template=job.house.template if job.house else None)


def safe_stem(raw: str, fallback: str = "voorstel") -> str:
    """A file name stem that cannot leave its folder or trip a file system.

    Only letters, digits, ``-``, ``_`` and ``.`` are kept (anything else,
    path separators and NUL included, becomes ``-``); no leading dot (no
    ``..``, no hidden files), at most :data:`NAME_LIMIT` bytes, and no
    Windows device names such as ``CON`` or ``lpt1``.
    """
    text = unicodedata.normalize("NFKC", str(raw))
    text = re.sub(r"[^\w.\-]+", "-", text)
    text = re.sub(r"-{2,}", "-", text).strip(".-_")
    while len(text.encode("utf-8")) > NAME_LIMIT:
        text = text[:-1]
    text = text.rstrip(".-_") or fallback
    if text.split(".")[0].lower() in _WINDOWS_RESERVED:
        text = f"{text}_"
    return text


def file_names(paths: list[str], extension: str, reserved: tuple[str, ...] = ()) -> list[str]:
    """One safe output name per proposal, unique in input order (also on case-insensitive file systems)."""
    taken = {name.casefold() for name in reserved}
    names = []
    for path in paths:
        stem = safe_stem(PurePath(str(path).replace("\\", "/")).stem)
        name, n = f"{stem}{extension}", 1
        while name.casefold() in taken:
            n += 1
            name = f"{stem}-{n}{extension}"
        taken.add(name.casefold())
        names.append(name)
    return names


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing any name that would end up elsewhere."""
    if name in ("", ".", "..") or "\x00" in name or PurePath(name).name != name or "/" in name or "\\" in name:
        raise ValueError(f"unsafe file name {name!r}")
    target = folder / name
    if Path(os.path.normpath(target)).parent != Path(os.path.normpath(folder)):
        raise ValueError(f"{name!r} would be written outside {folder}")
    return target


def outcome_counts(rows: list[OverviewRow]) -> list[tuple[str, str, int]]:
    """(outcome, label, count) in order of first appearance."""
    counts: dict[str, list] = {}
    for r in rows:
        counts.setdefault(r.outcome, [r.outcome_label, 0])[1] += 1
    return [(outcome, label, n) for outcome, (label, n) in counts.items()]


def render_overview(rows: list[OverviewRow], fmt: str, lang: str, day: dt.date,
                    failed: list[Failed] | tuple = ()) -> bytes:
    """index.html (HTML and Word reports) or overview.md (Markdown reports); failed files are listed too."""
    from engine.common.i18n import long_date
    from engine.report.i18n import rt

    failed_names = [PurePath(f.path).name for f in failed]
    counts = outcome_counts(rows)
    expired = sum(1 for r in rows if r.validity_warning)
    if fmt == "markdown":
        from engine.report.markdown import md
        lines = [f"# {md(rt('ov_title', lang))}", "", md(rt("ov_intro", lang, n=len(rows), day=long_date(day, lang))), ""]
        if expired:
            lines += [f"> **{md(rt('ov_expired', lang, n=expired))}**", ""]
        lines += [f"**{md(rt('ov_counts', lang))}:** " + "; ".join(f"{md(label)}: {n}" for _, label, n in counts), ""]
        lines += ["| " + " | ".join(md(rt(k, lang)) for k in ("ov_col_proposal", "ov_col_outcome", "ov_col_reason",
                                                              "ov_col_region", "ov_col_report")) + " |",
                  "| --- | --- | --- | --- | --- |"]
        for r in rows:
            region = f"{md(r.region)} ({md(r.ruleset)})" + "".join(
                f" **{md(w)}**" for w in (r.validity_warning, r.origin_warning) if w)
            lines.append(f"| {md(r.title)} | **{md(r.outcome_label)}** | `{r.rule}` {md(r.main_reason)} | {region} | "
                         f"[{md(r.link)}](<{r.link}>) |")
        if failed_names:
            lines += ["", f"**{md(rt('ov_failed', lang, n=len(failed_names)))}**", ""]
            lines += [f"- {md(name)}" for name in failed_names]
        return ("\n".join(lines) + "\n").encode("utf-8")
    from engine.report.html import OUTCOME_COLOURS, environment
    template = environment().get_template("overview.html.j2")
    html = template.render(rows=rows, lang=lang, t=lambda key, **kw: rt(key, lang, **kw), n=len(rows),
                           day=long_date(day, lang), colours=OUTCOME_COLOURS, failed=failed_names, counts=counts,
                           expired=expired)
    return html.encode("utf-8")
