"""The board report as a Word document (.docx), because board documents live in Word.

Built with python-docx: real headings (so Word's navigation pane and table of
contents work), tables for the weighing, finances, principles and facts, and
the citations in Word's Quote style. The file is byte-for-byte reproducible:
document properties carry the evaluation date and the zip entries a fixed
timestamp, so the same input always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..advice import RuleUse
from .html import OUTCOME_COLOURS
from .model import Report, lead

ACCENT = RGBColor(0x15, 0x42, 0x73)
MUTED = RGBColor(0x5A, 0x63, 0x70)
HEADER_FILL = "EEF1F4"
MONO = "Courier New"
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """Text Word can store: characters that XML forbids are dropped."""
    return _XML_UNSAFE.sub("", str(text))


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _shade(cell, fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def _run(paragraph, text: object, *, bold: bool = False, italic: bool = False, size: float | None = None,
         colour: RGBColor | None = None, mono: bool = False):
    run = paragraph.add_run(clean(text))
    run.bold, run.italic = bold or None, italic or None
    if size:
        run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour
    if mono:
        run.font.name = MONO
    return run


def _table(document, head: list[str] | None, rows: list[list[object]], widths: list[float] | None = None):
    """A grid table with a shaded header row; a cell is text or (text, run options)."""
    table = document.add_table(rows=1 if head else 0, cols=len(head) if head else len(rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text in zip(table.rows[0].cells if head else [], head or []):
        cell.text = ""
        _run(cell.paragraphs[0], text, bold=True, size=9)
        _shade(cell, HEADER_FILL)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = ""
            if isinstance(value, tuple):  # (text, options)
                _run(cell.paragraphs[0], value[0], **{"size": 9, **value[1]})
            else:
                _run(cell.paragraphs[0], value, size=9)
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = Mm(width)
    document.add_paragraph()
    return table


def _numbered(document, number: int, uses_lead: str, text: str, rule: str):
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.left_indent = Mm(7)
    paragraph.paragraph_format.first_line_indent = Mm(-7)
    paragraph.paragraph_format.space_after = Pt(2)
    _run(paragraph, f"{number}.\t", bold=True, colour=ACCENT)
    _run(paragraph, uses_lead + " ", bold=True)
    _run(paragraph, text + " ")
    _run(paragraph, rule, size=8, colour=MUTED, mono=True)
    return paragraph


def _uses(document, report: Report, uses: list[RuleUse], cite: bool = True) -> None:
    for i, use in enumerate(uses, start=1):
        _numbered(document, i, lead(use.title), use.text, use.rule)
        if cite:
            quote = document.add_paragraph(style="Quote")
            quote.paragraph_format.left_indent = Mm(7)
            _run(quote, f"\u201c{use.citation.quote}\u201d", size=9.5)
            source = document.add_paragraph()
            source.paragraph_format.left_indent = Mm(7)
            source.paragraph_format.space_after = Pt(8)
            _run(source, f"{report.t('cite_label')}: {report.source_title}, "
                         f"{report.t('cite_section', section=use.citation.place)}", size=8.5, colour=MUTED)


def _note(document, text: str) -> None:
    paragraph = document.add_paragraph()
    _run(paragraph, text, italic=True, colour=MUTED)


def _heading(document, report: Report, index: int) -> None:
    label = report.sections[index][1]
    number = f"{index + 1}. " if index < len(report.sections) - 1 else ""
    heading = document.add_heading(level=1)
    _run(heading, number + label, colour=ACCENT)


def _setup(document, report: Report) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(18), Mm(20)
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    for name in ("Title", "Heading 1", "Heading 2"):
        document.styles[name].font.name = "Arial"
    day = dt.datetime.combine(report.advice.evaluation_date, dt.time(0, 0))
    props = document.core_properties
    props.title = clean(report.advice.proposal.title)
    props.subject = clean(report.t("doc_subtitle"))
    props.author = props.last_modified_by = "regiotoets"
    props.language = "nl-NL" if report.lang == "nl" else "en-GB"
    props.keywords = clean(f"{report.advice.ruleset.id} {report.advice.ruleset.version}")
    props.created = props.modified = day
    props.last_printed = day
    props.revision = 1
    props.comments = ""


def _build(report: Report):
    a, t = report.advice, report.t
    document = Document()
    _setup(document, report)

    kicker = document.add_paragraph()
    _run(kicker, f"{t('doc_kind').upper()} \u00b7 {t('doc_subtitle')} \u00b7 {report.region_name}", size=8.5,
         bold=True, colour=ACCENT)
    title = document.add_heading(level=0)
    _run(title, a.proposal.title)
    topic = document.add_paragraph()
    _run(topic, a.proposal.topic, italic=True, colour=MUTED)
    _table(document, None,
           [[(row.label, {"colour": MUTED}), row.value] for row in report.meta], widths=[40, 130])
    if a.validity_warning:
        warning = document.add_paragraph()
        _run(warning, f"{t('validity_title')}: ", bold=True, colour=_rgb("#7a4d0b"))
        _run(warning, a.validity_warning)

    _heading(document, report, 0)
    document.add_paragraph(clean(t("dp_intro")))
    for i, point in enumerate(report.decision_points, start=1):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Mm(7)
        paragraph.paragraph_format.first_line_indent = Mm(-7)
        _run(paragraph, f"{i}.\t", bold=True, colour=ACCENT)
        _run(paragraph, point)

    _heading(document, report, 1)
    box = document.add_table(rows=1, cols=1)
    cell = box.rows[0].cells[0]
    _shade(cell, "F3F5F2")
    cell.text = ""
    _run(cell.paragraphs[0], t("advice_outcome").upper(), size=8, colour=MUTED)
    value = cell.add_paragraph()
    _run(value, a.outcome_label, bold=True, size=15, colour=_rgb(OUTCOME_COLOURS[a.outcome]))
    _run(cell.add_paragraph(), a.summary)
    document.add_paragraph()
    if a.conditions:
        sub = document.add_heading(level=2)
        _run(sub, t("advice_conditions"))
        document.add_paragraph(clean(t("advice_conditions_intro")))
        _uses(document, report, a.conditions)

    _heading(document, report, 2)
    document.add_paragraph(clean(t("weighing_intro")))
    rows = []
    for step in report.steps:
        rules = "\n".join(f"{line.rule} {line.title} ({line.role_label})" for line in step.rules) or "\u2014"
        status_style = {"bold": True, "colour": ACCENT} if step.status == "decisive" else {"colour": MUTED}
        rows.append([f"{step.number}. {step.title}", (step.status_label, status_style), rules])
    _table(document, [t("col_step"), t("col_result"), t("col_rules")], rows, widths=[55, 35, 80])

    _heading(document, report, 3)
    if a.reasons:
        _uses(document, report, a.reasons)
    else:
        _note(document, t("no_reasons"))
    if a.considered:
        sub = document.add_heading(level=2)
        _run(sub, t("reasons_considered"))
        document.add_paragraph(clean(t("reasons_considered_intro")))
        _uses(document, report, a.considered)

    _heading(document, report, 4)
    if a.caveats:
        _uses(document, report, a.caveats)
    else:
        _note(document, t("no_caveats"))

    _heading(document, report, 5)
    if report.finances:
        document.add_paragraph(clean(t("fin_intro")))
        rows = [[r.label, r.effect_label, r.amount or t("fin_no_amount"), r.note or ""] for r in report.finances]
        if report.finance_total:
            rows.append([(t("fin_total"), {"bold": True}), "", (report.finance_total, {"bold": True}), ""])
        table = _table(document, [t("fin_col_item"), t("fin_col_effect"), t("fin_col_amount"), t("fin_col_note")],
                       rows, widths=[45, 25, 30, 70])
        for row in table.rows:
            row.cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        _note(document, t("fin_none"))

    _heading(document, report, 6)
    if report.is_procurement and report.principles:
        document.add_paragraph(clean(f"{t('proc_intro')} {report.principles_summary or ''}"))
        colours = {"deviating": _rgb("#8c2119"), "conform": _rgb("#215e2a"), "not_assessed": _rgb("#7a4d0b")}
        rows = [[f"\u201c{p.principle}\u201d ({p.rule})", (p.status_label, {"bold": True, "colour": colours[p.status]}),
                 p.explanation] for p in report.principles]
        _table(document, [t("proc_col_principle"), t("proc_col_status"), t("proc_col_reason")], rows,
               widths=[70, 25, 75])
    else:
        _note(document, t("proc_no_principles" if report.is_procurement else "proc_not_applicable"))

    _heading(document, report, 7)
    if a.missing:
        document.add_paragraph(clean(t("missing_intro")))
        rows = [[m.question, t("missing_blocking") if m.blocking else t("missing_open"), (m.fact, {"mono": True})]
                for m in a.missing]
        _table(document, [t("col_question"), t("col_weight"), t("col_fact")], rows, widths=[95, 30, 45])
    else:
        _note(document, t("missing_none"))

    _heading(document, report, 8)
    if a.next_steps:
        _uses(document, report, a.next_steps, cite=False)
    else:
        _note(document, t("next_none"))

    document.add_page_break()
    _heading(document, report, 9)
    sub = document.add_heading(level=2)
    _run(sub, t("app_facts"))
    document.add_paragraph(clean(t("app_facts_intro")))
    rows = [[f"{f.question} ({f.path})", f.value, (", ".join(f.rules), {"mono": True, "size": 8})]
            for f in report.facts_used]
    _table(document, [t("col_question"), t("app_col_value"), t("col_rules")], rows, widths=[95, 30, 45])
    sub = document.add_heading(level=2)
    _run(sub, t("app_hashes"))
    document.add_paragraph(clean(t("app_hashes_intro")))
    rows = [[name, (digest, {"mono": True, "size": 7.5})] for name, digest in report.file_hashes]
    rows.append([t("app_engine"), (a.engine_version, {"mono": True})])
    _table(document, [t("app_file"), t("app_hash")], rows, widths=[60, 110])
    footer = document.sections[0].footer.paragraphs[0]
    _run(footer, t("footer", version=a.engine_version, day=a.evaluation_date.isoformat(), ruleset=a.ruleset.id,
                   rs_version=a.ruleset.version), size=7.5, colour=MUTED)
    return document


def _reproducible(data: bytes, day: dt.date) -> bytes:
    """Rewrite the zip with one fixed timestamp per entry (python-docx stamps the current time)."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def render_docx(report: Report) -> bytes:
    buffer = io.BytesIO()
    _build(report).save(buffer)
    return _reproducible(buffer.getvalue(), report.advice.evaluation_date)
