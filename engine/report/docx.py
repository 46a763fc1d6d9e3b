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
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from engine.advising.advice import RuleUse
from engine.report.html import OUTCOME_COLOURS
from engine.report.model import Report, answers_text, lead

ACCENT = RGBColor(0x15, 0x42, 0x73)
MUTED = RGBColor(0x5A, 0x63, 0x70)
HEADER_FILL = "EEF1F4"
MONO = "Courier New"
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """Text Word can store: characters that XML forbids are dropped."""
    return _XML_UNSAFE.sub("", str(text))


PROPERTY_LIMIT = 255  # characters of a Word core property (python-docx refuses more)


def _property(text: object) -> str:
    """A core property (title, subject): cleaned, and shortened with an ellipsis when over Word's limit."""
    value = clean(text)
    return value if len(value) <= PROPERTY_LIMIT else value[:PROPERTY_LIMIT - 1].rstrip() + "…"


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


def _table(document, head: list[str] | None, rows: list[list[object]], widths: list[float] | None = None,
           style: str | None = "Table Grid"):
    """A grid table with a shaded header row; a cell is text or (text, run options)."""
    table = document.add_table(rows=1 if head else 0, cols=len(head) if head else len(rows[0]))
    if style:
        table.style = style
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


class Lists:
    """Word's own list numbering: one decimal list definition, and a new list (restarting at 1) per call."""

    def __init__(self, document):
        numbering = document.part.numbering_part.element
        self.numbering = numbering
        ids = [int(x) for x in numbering.xpath("./w:abstractNum/@w:abstractNumId")] or [0]
        self.abstract_id = max(ids) + 1
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(self.abstract_id))
        multi = OxmlElement("w:multiLevelType")
        multi.set(qn("w:val"), "singleLevel")
        abstract.append(multi)
        level = OxmlElement("w:lvl")
        level.set(qn("w:ilvl"), "0")
        for tag, value in (("w:start", "1"), ("w:numFmt", "decimal"), ("w:lvlText", "%1."), ("w:lvlJc", "left")):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            level.append(child)
        ppr = OxmlElement("w:pPr")
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), "397")
        ind.set(qn("w:hanging"), "397")
        ppr.append(ind)
        level.append(ppr)
        abstract.append(level)
        nums = numbering.xpath("./w:num")
        if nums:  # every abstractNum comes before the first num
            nums[0].addprevious(abstract)
        else:
            numbering.append(abstract)

    def new(self) -> int:
        """A fresh list that starts at 1; returns its numId."""
        ids = [int(x) for x in self.numbering.xpath("./w:num/@w:numId")] or [0]
        num_id = max(ids) + 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        abstract = OxmlElement("w:abstractNumId")
        abstract.set(qn("w:val"), str(self.abstract_id))
        num.append(abstract)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        override.append(start)
        num.append(override)
        self.numbering.append(num)
        return num_id


def _outline_level(level: int):
    element = OxmlElement("w:outlineLvl")
    element.set(qn("w:val"), str(level))
    return element


def _number(paragraph, num_id: int) -> None:
    numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = num_id


def _field(paragraph, instruction: str, shown: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC): Word fills it in when it lays out or updates the document."""
    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        return run

    char("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    char("separate")
    paragraph.add_run(clean(shown))
    char("end")


class Writer:
    """The document being written; ``house`` means a municipality's template gives the look."""

    def __init__(self, document, report: Report, house: bool):
        self.document, self.report, self.house = document, report, house
        self.lists = Lists(document)
        names = {style.name for style in document.styles}
        for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12)):
            if name not in names:  # a template without them still gets real headings (and a table of contents)
                style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                style.base_style = document.styles["Normal"] if "Normal" in names else None
                style.font.bold, style.font.size = True, Pt(size)
                if name != "Title":
                    style.paragraph_format.keep_with_next = True
                    style.element.get_or_add_pPr().append(_outline_level(int(name[-1]) - 1))
        self.quote_style = "Quote" if "Quote" in names else None
        self.table_style = "Table Grid" if "Table Grid" in names else None

    def accent(self) -> RGBColor | None:
        return None if self.house else ACCENT

    def heading(self, anchor: str) -> None:
        heading = self.document.add_heading(level=1)
        _run(heading, self.report.heading(anchor), colour=self.accent())

    def sub(self, text: str) -> None:
        _run(self.document.add_heading(level=2), text)

    def para(self, text: str) -> None:
        self.document.add_paragraph(clean(text))

    def note(self, text: str) -> None:
        _run(self.document.add_paragraph(), text, italic=True, colour=MUTED)

    def numbered(self, items: list[tuple[str, str, str | None]]) -> list:
        """A numbered list of (lead, text, rule id) with Word numbering."""
        num_id = self.lists.new()
        out = []
        for lead_text, text, rule in items:
            paragraph = self.document.add_paragraph()
            _number(paragraph, num_id)
            paragraph.paragraph_format.space_after = Pt(2)
            if lead_text:
                _run(paragraph, lead_text + " ", bold=True)
            _run(paragraph, text)
            if rule:
                _run(paragraph, " " + rule, size=8, colour=MUTED, mono=True)
            out.append(paragraph)
        return out

    def uses(self, uses: list[RuleUse], cite: bool = True) -> None:
        num_id = self.lists.new()
        for use in uses:
            paragraph = self.document.add_paragraph()
            _number(paragraph, num_id)
            paragraph.paragraph_format.space_after = Pt(2)
            _run(paragraph, lead(use.title) + " ", bold=True)
            _run(paragraph, use.text + " ")
            _run(paragraph, use.rule, size=8, colour=MUTED, mono=True)
            if cite:
                quote = self.document.add_paragraph(style=self.quote_style)
                quote.paragraph_format.left_indent = Mm(7)
                _run(quote, f"\u201c{use.citation.quote}\u201d", size=9.5)
                source = self.document.add_paragraph()
                source.paragraph_format.left_indent = Mm(7)
                source.paragraph_format.space_after = Pt(8)
                _run(source, f"{self.report.t('cite_label')}: {self.report.source_title}, "
                             f"{self.report.t('cite_section', section=use.citation.place)}", size=8.5, colour=MUTED)

    def table(self, head, rows, widths=None):
        return _table(self.document, head, rows, widths, style=self.table_style)


def _page_numbers(section, report: Report) -> None:
    """Page X of Y in the footer, unless the footer already numbers its pages."""
    footer = section.footer
    if any("PAGE" in (t.text or "") for t in footer._element.iter(qn("w:instrText"))):
        return
    paragraphs = footer.paragraphs
    paragraph = paragraphs[0] if len(paragraphs) == 1 and not paragraphs[0].text else footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(paragraph, report.t("page").capitalize() + " ", size=7.5, colour=MUTED)
    _field(paragraph, "PAGE", "1")
    _run(paragraph, " / ", size=7.5, colour=MUTED)
    _field(paragraph, "NUMPAGES", "1")


def _body(document, report: Report, house: bool) -> None:
    """The sections of the bestuursvoorstel in their fixed order, then the appendices and the footer."""
    w = Writer(document, report, house)
    for part in (_front, _decision, _arguments, _finances, _procurement, _missing_and_communication, _appendices):
        part(document, report, w)
    _footer(document, report, house)


def _front(document, report: Report, w: Writer) -> None:
    """Logo, title, the details of the proposal, a validity warning and the table of contents."""
    a, t = report.advice, report.t
    if report.logo is not None and report.logo[0] != "image/svg+xml":  # Word shows PNG, JPEG and GIF
        document.add_picture(io.BytesIO(report.logo[1]), height=Mm(15))
    kicker = document.add_paragraph()
    _run(kicker, f"{t('doc_kind').upper()} \u00b7 {t('doc_subtitle')} \u00b7 {report.region_name}", size=8.5,
         bold=True, colour=w.accent())
    title = document.add_heading(level=0)
    _run(title, a.proposal.title)
    topic = document.add_paragraph()
    _run(topic, a.proposal.topic, italic=True, colour=MUTED)
    w.table(None, [[(row.label, {"colour": MUTED}), row.value] for row in report.meta], widths=[40, 130])
    for text in (report.validity, report.origin):
        if text:
            warning = document.add_paragraph()
            _run(warning, text, bold=True, colour=_rgb("#7a4d0b"))

    contents = document.add_paragraph()
    _run(contents, t("contents"), bold=True)
    _field(document.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', t("toc_hint"))


def _decision(document, report: Report, w: Writer) -> None:
    """Beslispunten, aanleiding and beoogd effect: what the board decides and the advice in one box."""
    a, t = report.advice, report.t
    w.heading("beslispunten")
    w.para(t("dp_intro"))
    w.numbered([("", point, None) for point in report.decision_points])

    w.heading("aanleiding")
    for paragraph in report.occasion:
        w.para(paragraph)

    w.heading("beoogd-effect")
    w.para(t("effect_intro"))
    box = document.add_table(rows=1, cols=1)
    cell = box.rows[0].cells[0]
    _shade(cell, "F3F5F2")
    cell.text = ""
    _run(cell.paragraphs[0], t("advice_outcome").upper(), size=8, colour=MUTED)
    _run(cell.add_paragraph(), a.outcome_label, bold=True, size=15, colour=_rgb(OUTCOME_COLOURS.get(a.outcome, "#154273")))
    _run(cell.add_paragraph(), a.summary)
    document.add_paragraph()
    if a.conditions:
        w.sub(t("advice_conditions"))
        w.para(t("advice_conditions_intro"))
        w.uses(a.conditions)


def _arguments(document, report: Report, w: Writer) -> None:
    """Argumenten and kanttekeningen: the reasons the outcome rests on, the reasons weighed, the caveats."""
    a, t = report.advice, report.t
    w.heading("argumenten")
    if a.reasons:
        w.uses(a.reasons)
    else:
        w.note(t("no_reasons"))
    if a.considered:
        w.sub(t("reasons_considered"))
        w.para(t("reasons_considered_intro"))
        w.uses(a.considered)

    w.heading("kanttekeningen")
    if report.caveats:
        w.numbered([(c.title, c.text, c.rule) for c in report.caveats])
    else:
        w.note(t("no_caveats"))


def _finances(document, report: Report, w: Writer) -> None:
    """Financiën: every cost component with its effect, amount and note, and the total."""
    t = report.t
    w.heading("financien")
    if report.finances:
        w.para(t("fin_intro"))
        rows = [[r.label, r.effect_label, r.amount or t("fin_no_amount"), r.note or ""] for r in report.finances]
        if report.finance_total:
            rows.append([(t("fin_total"), {"bold": True}), "", (report.finance_total, {"bold": True}), ""])
        table = w.table([t("fin_col_item"), t("fin_col_effect"), t("fin_col_amount"), t("fin_col_note")],
                        rows, widths=[45, 25, 30, 70])
        for row in table.rows:
            row.cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        w.note(t("fin_none"))


def _procurement(document, report: Report, w: Writer) -> None:
    """Inkoopprincipes, only for a procurement: per principle conform, deviating or not assessed."""
    t = report.t
    if "inkoopprincipes" in dict(report.sections):
        w.heading("inkoopprincipes")
        if report.principles:
            w.para(f"{t('proc_intro')} {report.principles_summary or ''}")
            colours = {"deviating": _rgb("#8c2119"), "conform": _rgb("#215e2a"), "not_assessed": _rgb("#7a4d0b")}
            rows = [[f"\u201c{p.principle}\u201d ({p.rule})",
                     (p.status_label, {"bold": True, "colour": colours[p.status]}), p.explanation]
                    for p in report.principles]
            w.table([t("proc_col_principle"), t("proc_col_status"), t("proc_col_reason")], rows, widths=[70, 25, 75])
        else:
            w.note(t("proc_no_principles"))


def _missing_and_communication(document, report: Report, w: Writer) -> None:
    """Ontbrekende informatie and communicatie: open questions and what follows."""
    a, t = report.advice, report.t
    w.heading("ontbrekende-informatie")
    if a.missing:
        w.para(t("missing_intro"))
        rows = [[m.question, t("missing_blocking") if m.blocking else t("missing_open")] for m in a.missing]
        table = w.table([t("col_question"), t("col_weight")], rows, widths=[130, 40])
        for row, m in zip(table.rows[1:], a.missing):
            if m.answers:
                _run(row.cells[0].add_paragraph(), answers_text(m, report.lang))
            _run(row.cells[0].add_paragraph(), m.fact, size=7.5, colour=MUTED, mono=True)
    else:
        w.note(t("missing_none"))

    w.heading("communicatie")
    for line in report.communication:
        w.para(line)
    if a.next_steps:
        w.uses(a.next_steps, cite=False)
    else:
        w.note(t("next_none"))


def _appendices(document, report: Report, w: Writer) -> None:
    """Bijlagen: the sources, the decision route, the facts used and the receipt of hashes."""
    a, t = report.advice, report.t
    document.add_page_break()
    w.heading("bijlagen")
    w.sub(t("app_sources"))
    if report.sources:
        w.numbered([("", source, None) for source in report.sources])
    else:
        w.note(t("app_sources_none"))
    w.sub(t("app_route"))
    w.para(t("weighing_intro"))
    rows = []
    for step in report.steps:
        rules = "\n".join(f"{line.rule} {line.title} ({line.role_label})" for line in step.rules) or "\u2014"
        status_style = {"bold": True, "colour": ACCENT} if step.status == "decisive" else {"colour": MUTED}
        rows.append([f"{step.number}. {step.title}", (step.status_label, status_style), rules])
    w.table([t("col_step"), t("col_result"), t("col_rules")], rows, widths=[55, 35, 80])
    w.sub(t("app_facts"))
    w.para(t("app_facts_intro"))
    rows = [[f"{f.question} ({f.path})", f.value, (", ".join(f.rules), {"mono": True, "size": 8})]
            for f in report.facts_used]
    w.table([t("col_question"), t("app_col_value"), t("col_rules")], rows, widths=[95, 30, 45])
    w.sub(t("app_hashes"))
    w.para(t("app_hashes_intro"))
    rows = [[name, (digest, {"mono": True, "size": 7.5})] for name, digest in report.file_hashes]
    rows.append([t("app_engine"), (a.engine_version, {"mono": True})])
    w.table([t("app_file"), t("app_hash")], rows, widths=[60, 110])


def _footer(document, report: Report, house: bool) -> None:
    """The receipt line (in the footer, or at the end when a house style keeps its own footer) and page numbers."""
    if house:  # the template's footer stays as it is; the receipt line goes at the end
        _run(document.add_paragraph(), report.footer, size=7.5, colour=MUTED)
    else:
        _run(document.sections[0].footer.paragraphs[0], report.footer, size=7.5, colour=MUTED)
    for index, section in enumerate(document.sections):
        if index == 0 or not section.footer.is_linked_to_previous:
            _page_numbers(section, report)
    _update_fields_on_open(document)


def _update_fields_on_open(document) -> None:
    """Ask Word to fill in the table of contents when the document is opened."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        element = OxmlElement("w:updateFields")
        element.set(qn("w:val"), "true")
        settings.append(element)


def _from_template(template: bytes):
    """A document with the template's styles, headers, footers and page setup, and an empty body.

    A Word template (.dotx) differs from a document only in its content type; it is read as a document.
    """
    source = io.BytesIO(template)
    with zipfile.ZipFile(source) as archive:
        types = archive.read("[Content_Types].xml")
        if b"template.main+xml" in types:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                for item in archive.infolist():
                    data = archive.read(item.filename)
                    if item.filename == "[Content_Types].xml":
                        data = data.replace(b"template.main+xml", b"document.main+xml")
                    target.writestr(item, data)
            source = out
    source.seek(0)
    document = Document(source)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


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
    _properties(document, report)


def _properties(document, report: Report) -> None:
    """Document properties from the advice (not the clock), so the same input gives the same bytes."""
    day = dt.datetime.combine(report.advice.evaluation_date, dt.time(0, 0))
    props = document.core_properties
    props.title = _property(report.advice.proposal.title)  # the full title is in the document itself
    props.subject = _property(report.t("doc_subtitle"))
    props.author = props.last_modified_by = "regiotoets"
    props.language = "nl-NL" if report.lang == "nl" else "en-GB"
    props.keywords = clean(f"{report.advice.ruleset.id} {report.advice.ruleset.version}")
    props.created = props.modified = day
    props.last_printed = day
    props.revision = 1
    props.comments = ""


def _build(report: Report, template: bytes | None = None):
    if template is None:
        document = Document()
        _setup(document, report)
    else:
        document = _from_template(template)
        _properties(document, report)
    _body(document, report, house=template is not None)
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


def render_docx(report: Report, template: bytes | None = None) -> bytes:
    """The Word file; with ``template`` (a .docx or .dotx) in the municipality's house style."""
    buffer = io.BytesIO()
    _build(report, template).save(buffer)
    return _reproducible(buffer.getvalue(), report.advice.evaluation_date)
