"""The bestuursvoorstel a board accepts as is: sections, caveats, dates, Word features, the deciding rule,
the output format, the validity warning, explanations that never overstate, what-if, house style and money.

Everything is checked on the shipped scenarios and derived from the advice itself (roles, the deciding rule,
the conditions), never from a rule id or a region name.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import IN_VALIDITY, SCENARIOS, proposal, run_cli

ALL = sorted(p for p in SCENARIOS.glob("*/*.yaml") if p.name != "expected.yaml")
DAY = ("--date", IN_VALIDITY.isoformat())
EXPIRED = ("--date", "2031-06-01")  # after every shipped rule set
CRISIS = SCENARIOS / "foodvalley" / "crisisdienst-spoedhulp.yaml"
DEVIATIONS = SCENARIOS / "foodvalley" / "inkoop-met-afwijkingen.yaml"
EXPERTISE = SCENARIOS / "foodvalley" / "expertisecentrum.yaml"
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
CORE = ("beslispunten", "aanleiding", "beoogd-effect", "argumenten", "kanttekeningen", "financien",
        "ontbrekende-informatie", "communicatie", "bijlagen")


def loaded_of(path: Path, day=IN_VALIDITY):
    from engine.deciding.validate import load_proposal

    return load_proposal(path, day=day)


def report_of(path: Path, lang: str = "nl", day=IN_VALIDITY):
    from engine.report import report_for

    return report_for(loaded_of(path, day), day=day, lang=lang)


def docx_document(data: bytes):
    import docx

    return docx.Document(io.BytesIO(data))


def docx_text(data: bytes) -> str:
    document = docx_document(data)
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def section_text(markdown: str, report, anchor: str) -> str:
    """The Markdown of one section, from its heading to the next."""
    heading = report.heading(anchor)
    start = markdown.index(f"## {heading}")
    end = markdown.find("\n## ", start + 3)
    return markdown[start:end if end != -1 else None]


# --- 1. the bestuursvoorstel form -----------------------------------------------------------------------------

@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_section_is_in_all_three_formats(path):
    from engine.report import render

    report = report_of(path)
    anchors = [a for a, _ in report.sections]
    assert set(CORE) <= set(anchors)
    assert ("inkoopprincipes" in anchors) == report.is_procurement
    html = render(report, "html").decode()
    markdown = render(report, "markdown").decode()
    document = docx_document(render(report, "docx"))
    word_headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    md_headings = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    expected = [report.heading(a) for a in anchors]
    assert [h.replace("\\", "") for h in md_headings] == expected
    assert word_headings == expected
    assert re.findall(r'<section class="part[^"]*" id="([^"]+)"', html) == anchors


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_decision_points_are_decisions_and_approval_is_under_communication(path):
    report = report_of(path)
    body = report.advice.ruleset.name
    decision_body = loaded_of(path).ruleset.meta.decision_body.get("nl")
    assert report.decision_points and all(not p.startswith("Voor dit besluit") for p in report.decision_points)
    assert all(decision_body not in p for p in report.decision_points)
    assert any(decision_body in line for line in report.communication)
    assert body


def test_background_shows_the_description_and_the_appendices_the_sources():
    from engine.report import render

    for path in ALL:
        loaded = loaded_of(path)
        report = report_of(path)
        description = loaded.proposal.description
        if description:
            assert " ".join(description.split())[:60] in " ".join(" ".join(report.occasion).split())
        for source in loaded.proposal.sources:
            from engine.common.escape import md_inline
            assert source in render(report, "html").decode().split('id="bijlagen"')[-1]
            assert md_inline(source) in render(report, "markdown").decode().split(report.heading("bijlagen"))[-1]
            assert source in docx_text(render(report, "docx"))
    assert any(loaded_of(p).proposal.sources for p in ALL), "a shipped scenario lists its sources"


# --- kanttekeningen -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [CRISIS, DEVIATIONS], ids=lambda p: p.stem)
def test_caveats_are_never_empty_for_the_crisis_and_the_deviating_procurement(path):
    from engine.report import render
    from engine.report.i18n import rt

    report = report_of(path)
    assert report.caveats
    for fmt in ("html", "markdown"):
        assert rt("no_caveats", "nl") not in render(report, fmt).decode()
    assert rt("no_caveats", "nl") not in docx_text(render(report, "docx"))


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_caveats_come_from_everything_a_board_must_weigh(path):
    """'No caveats' only when there are no conditions, caveats, deviations, gaps, disadvantages or open facts."""
    loaded = loaded_of(path)
    report = report_of(path)
    a, p = report.advice, loaded.proposal
    worse = [k for k in type(p.finances).model_fields if getattr(p.finances, k).effect == "worse"]
    something = (a.conditions or a.caveats or a.missing or a.validity_warning or p.capacity.sufficient == "no"
                 or worse or any(r.status != "conform" for r in report.principles))
    assert bool(report.caveats) == bool(something)
    text = " ".join(f"{c.title} {c.text}" for c in report.caveats)
    for key in worse:  # a disadvantage appears with its amount and note
        entry = getattr(p.finances, key)
        if entry.note:
            assert entry.note.rstrip(".") in text
        if entry.amount_eur is not None:
            from engine.common.i18n import euro
            assert euro(abs(entry.amount_eur)) in text
    if p.capacity.sufficient == "no" and p.capacity.note:
        assert p.capacity.note.rstrip(".") in text
    deviating = [r for r in report.principles if r.status == "deviating"]
    assert all(r.title in text for r in deviating)


def test_a_disadvantage_without_a_caveat_rule_still_becomes_a_caveat(foodvalley):
    from engine.advising.pipeline import advise_data
    from engine.report import build_report

    data = proposal(legal__required="yes", finances={"negotiating_position": {"effect": "worse", "amount_eur": -1234,
                                                                              "note": "een kleinere inkoopmacht"}})
    advice = advise_data(foodvalley, data, day=IN_VALIDITY, name="voorstel.yaml")
    report = build_report(advice, foodvalley, foodvalley.model.model_validate(data))
    text = " ".join(f"{c.title} {c.text}" for c in report.caveats)
    assert "€ 1.234" in text and "een kleinere inkoopmacht" in text


# --- dates, doubled warnings, procurement wording -------------------------------------------------------------

@pytest.mark.parametrize("day", [IN_VALIDITY, IN_VALIDITY.replace(year=2031)], ids=["valid", "expired"])
def test_dates_are_written_out_and_the_warning_is_said_once(day):
    from engine.report import render

    report = report_of(CRISIS, day=day)
    outputs = [render(report, "markdown").decode(), docx_text(render(report, "docx")),
               re.sub(r"<[^>]+>", " ", render(report, "html").decode())]
    for text in outputs:
        assert "7 april 2025" in text
        assert not ISO_DATE.search(text), ISO_DATE.search(text)
        assert "Let op: Let op" not in text and "Let op:  Let op" not in text
    english = render(report_of(CRISIS, "en", day=day), "markdown").decode()
    assert "7 April 2025" in english and "Note: Note" not in english and not ISO_DATE.search(english)
    if day.year == 2031:
        assert all("31 december 2025" in text for text in outputs)


def test_procurement_principles_read_as_verdicts_not_as_questions_and_answers():
    report = report_of(DEVIATIONS)
    assert report.principles
    for row in report.principles:
        assert "? \u2014" not in row.explanation and "?) \u2014" not in row.explanation
        if row.status == "conform":
            assert row.explanation.startswith("Het voorstel volgt dit uitgangspunt")


# --- Word -----------------------------------------------------------------------------------------------------

def test_word_has_page_numbers_list_numbering_and_a_table_of_contents():
    from engine.report import render

    report = report_of(DEVIATIONS)
    data = render(report, "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode()
        footers = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("word/footer"))
        settings_xml = archive.read("word/settings.xml").decode()
    assert re.search(r"<w:instrText[^>]*> TOC ", body)
    assert re.search(r"<w:instrText[^>]*> PAGE ", footers) and re.search(r"<w:instrText[^>]*> NUMPAGES ", footers)
    assert "w:updateFields" in settings_xml
    document = docx_document(data)
    numbered = [p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    points = [p.text for p in numbered]
    assert all(any(point in text for text in points) for point in report.decision_points)
    assert not any(re.match(r"^\d+\.\t", p.text) for p in document.paragraphs)  # no typed-in numbers
    ids = {p._p.pPr.numPr.numId.val for p in numbered}
    assert len(ids) >= 3  # every list restarts at 1


# --- 2. format from the extension -----------------------------------------------------------------------------

def test_the_output_extension_chooses_the_format_and_a_mismatch_is_refused(tmp_path):
    target = tmp_path / "x.docx"
    result = run_cli("report", str(EXPERTISE), *DAY, "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert docx_document(target.read_bytes()).paragraphs
    md = tmp_path / "x.md"
    assert run_cli("report", str(EXPERTISE), *DAY, "-o", str(md)).returncode == 0
    assert md.read_text(encoding="utf-8").startswith("*Bestuursvoorstel")
    for args in (("-o", str(tmp_path / "x.pdf")), ("--format", "html", "-o", str(tmp_path / "y.docx"))):
        result = run_cli("report", str(EXPERTISE), *DAY, *args)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert "extensie" in result.stderr and "extension" in result.stderr
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "y.docx").exists()
    as_json = tmp_path / "advies.json"
    assert run_cli("evaluate", str(EXPERTISE), *DAY, "-o", str(as_json)).returncode == 0
    assert json.loads(as_json.read_text(encoding="utf-8"))["outcome"]


# --- 3. the deciding rule -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_deciding_rule_leads_the_arguments_and_supports_the_outcome(path):
    from engine.advising.advice import outcomes_of, support
    from engine.reading.facts import flatten
    from engine.deciding.engines import evaluator_for

    loaded = loaded_of(path)
    ruleset = loaded.ruleset
    trace = evaluator_for(ruleset).evaluate(flatten(loaded.proposal, ruleset.facts))
    advice = report_of(path).advice
    deciding = advice.deciding
    outcome_rule = next(u.rule for u in advice.reasons if ruleset.by_id[u.rule].then.outcome)
    assert deciding.rule in support(ruleset, trace, outcome_rule)
    rule = ruleset.by_id[deciding.rule]
    if deciding.rule != outcome_rule:  # an argument whose conclusion leads to this outcome only
        assert outcomes_of(ruleset)[rule.then.finding] == {advice.outcome}
        assert advice.reasons[1].rule == outcome_rule
    else:  # no argument singles the outcome out: every supporting argument also leads elsewhere
        for rid in support(ruleset, trace, outcome_rule):
            finding = ruleset.by_id[rid].then.finding
            if rid != outcome_rule and ruleset.by_id[rid].then.role == "reason" and finding:
                assert len(outcomes_of(ruleset).get(finding, ())) != 1


def test_overview_main_reason_is_the_deciding_rule_for_every_scenario(tmp_path):
    out = tmp_path / "map"
    result = run_cli("report", *map(str, ALL), *DAY, "--format", "markdown", "-o", f"{out}/")
    assert result.returncode == 0, result.stderr
    overview = (out / "overview.md").read_text(encoding="utf-8")
    rows = [line for line in overview.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert len(rows) == len(ALL)
    for path, row in zip(ALL, rows):
        report = report_of(path)
        deciding = report.advice.deciding
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[2].startswith(f"`{deciding.rule}`"), (path.name, cells[2])
        assert report.advice.ruleset.version in cells[3]
    counts = re.search(r"\*\*Aantal per uitkomst:\*\* (.+)", overview).group(1)
    assert sum(int(n) for n in re.findall(r": (\d+)", counts)) == len(ALL)
    expired = any(report_of(p).advice.validity_warning for p in ALL)
    assert ("buiten haar geldigheid" in overview) == expired


def test_overview_warns_when_a_vision_has_expired(tmp_path):
    out = tmp_path / "map"
    result = run_cli("report", *map(str, ALL[:2]), "--date", "2026-06-01", "--format", "markdown", "-o", f"{out}/")
    assert result.returncode == 0, result.stderr
    assert "buiten haar geldigheid" in (out / "overview.md").read_text(encoding="utf-8")


def test_evaluate_names_the_deciding_rule_first():
    for path in (CRISIS, DEVIATIONS, SCENARIOS / "foodvalley" / "grootschalige-residentiele-capaciteit.yaml"):
        result = run_cli("evaluate", str(path), *DAY, "--format", "json")
        data = json.loads(result.stdout)
        assert data["reasons"][0]["rule"] == report_of(path).advice.deciding.rule


# --- 4. the validity warning on every path --------------------------------------------------------------------

def test_the_expired_vision_is_on_stderr_whenever_output_goes_to_a_file(tmp_path):
    for args in (("report", str(CRISIS), "-o", str(tmp_path / "a.html")),
                 ("report", str(CRISIS), "-o", str(tmp_path / "a.docx")),
                 ("evaluate", str(CRISIS), "-o", str(tmp_path / "a.txt")),
                 ("report", str(CRISIS), str(DEVIATIONS), "-o", f"{tmp_path / 'map'}/"),
                 ("explain", str(CRISIS), "-o", str(tmp_path / "route.txt"))):
        result = run_cli(*args, *EXPIRED)
        assert result.returncode == 0, result.stderr
        assert "Let op" in result.stderr and "2025" in result.stderr, args
    index = (tmp_path / "map" / "index.html").read_text(encoding="utf-8")
    assert "buiten haar geldigheid" in index
    quiet = run_cli("report", str(CRISIS), *DAY, "-o", str(tmp_path / "b.html"))
    assert "Let op" not in quiet.stderr


def test_new_warns_about_an_expired_vision_before_asking_anything():
    from cli import main

    result = CliRunner().invoke(main, ["new", "--region", "foodvalley", *EXPIRED], input="")
    assert "Let op" in result.output and "2025" in result.output


# --- 5. explain -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_explain_lists_no_absent_conclusion_as_support(path):
    from engine.advising.explain import explain_loaded, render_compact, render_text
    from engine.reading.facts import flatten
    from engine.deciding.engines import evaluator_for

    loaded = loaded_of(path)
    trace = evaluator_for(loaded.ruleset).evaluate(flatten(loaded.proposal, loaded.ruleset.facts))
    expl = explain_loaded(loaded, day=IN_VALIDITY)
    for step in expl.steps:
        for node in step.rules:
            if node.fired:
                assert set(node.supports) <= set(trace.conclusions)
                assert not set(node.absent) & set(trace.conclusions)
    detail = render_text(expl, loaded.ruleset)
    for name in re.findall(r"• conclusie \u2018([^\u2019]+)\u2019", detail):
        assert name in trace.conclusions, name
    compact = render_compact(expl)
    route = compact.split("\n\n")[1].splitlines()
    assert len(route) == len(expl.steps)
    assert not re.search(r"\[[A-Z]+-[A-Z]+-\d+\]", compact)  # no internal rule ids by default
    assert len(compact.splitlines()) < len(detail.splitlines())


def test_explain_detail_gives_the_full_tree():
    from cli import main

    compact = CliRunner().invoke(main, ["explain", str(CRISIS), *DAY])
    detail = CliRunner().invoke(main, ["explain", str(CRISIS), *DAY, "--detail"])
    assert compact.exit_code == detail.exit_code == 0
    assert re.search(r"\[[A-Z]+-[A-Z]+-\d+\]", detail.output) and "--detail" in compact.output


# --- 6. what-if -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [CRISIS, DEVIATIONS], ids=lambda p: p.stem)
def test_whatif_lists_the_changes_to_an_unconditional_participate(path):
    from engine.deciding.evaluate import single_outcome
    from engine.reading.facts import flatten
    from engine.deciding.engines import evaluator_for

    result = run_cli("whatif", str(path), *DAY, "--format", "json")
    data = json.loads(result.stdout)
    assert data["outcome"] == "participate_provided" and data["to_participate"]
    loaded = loaded_of(path)
    evaluator = evaluator_for(loaded.ruleset)
    facts = flatten(loaded.proposal, loaded.ruleset.facts)
    for change in data["to_participate"]:
        assert change["honestly_changeable"]
        facts[change["fact"]] = change["to"]
    assert single_outcome(evaluator, evaluator.evaluate(facts)) == "participate"
    text = run_cli("whatif", str(path), *DAY).stdout
    assert "\u2018Meedoen\u2019 zonder voorwaarden" in text


def test_whatif_speaks_one_language():
    path = SCENARIOS / "foodvalley" / "kennisnetwerk-onvolledig.yaml"
    data = json.loads(run_cli("whatif", str(path), *DAY, "--format", "json").stdout)
    dutch = run_cli("whatif", str(path), *DAY).stdout
    english = run_cli("whatif", str(path), *DAY, "--lang", "en").stdout
    for m in data.get("missing", []):
        assert m["question_en"] not in dutch and m["question_nl"] not in english
    assert "niet eerlijk" not in dutch


# --- 7. house style -------------------------------------------------------------------------------------------

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201"
                    "a5f6d0c60000000049454e44ae426082")


def test_a_word_template_gives_the_report_its_styles_and_footer(tmp_path):
    import docx
    from docx.shared import RGBColor

    template = docx.Document()
    template.styles["Heading 1"].font.name = "Georgia"
    template.styles["Heading 1"].font.color.rgb = RGBColor(0x80, 0x00, 0x20)
    template.sections[0].footer.paragraphs[0].text = "Gemeente Proefdorp · Postbus 1"
    template.sections[0].header.paragraphs[0].text = "Huisstijlkop"
    template.add_paragraph("Tekst van het sjabloon die niet in het rapport hoort")
    path = tmp_path / "huisstijl.docx"
    template.save(path)

    target = tmp_path / "advies.docx"
    result = run_cli("report", str(CRISIS), *DAY, "-o", str(target), "--template", str(path))
    assert result.returncode == 0, result.stderr
    document = docx_document(target.read_bytes())
    assert document.styles["Heading 1"].font.name == "Georgia"
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0x80, 0x00, 0x20)
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings and all(r.font.color.rgb is None for p in headings for r in p.runs)  # the style decides
    footer = [p.text for p in document.sections[0].footer.paragraphs]
    assert "Gemeente Proefdorp · Postbus 1" in footer
    assert [p.text for p in document.sections[0].header.paragraphs] == ["Huisstijlkop"]
    assert not any("sjabloon" in p.text for p in document.paragraphs)

    bad = run_cli("report", str(CRISIS), *DAY, "-o", str(tmp_path / "b.docx"), "--template", str(tmp_path))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and not (tmp_path / "b.docx").exists()


def test_html_takes_a_logo_and_a_stylesheet(tmp_path):
    logo, css = tmp_path / "logo.png", tmp_path / "huisstijl.css"
    logo.write_bytes(PNG)
    css.write_text("h1 { color: #800020; }\n</style><script>alert(1)</script>", encoding="utf-8")
    target = tmp_path / "advies.html"
    result = run_cli("report", str(CRISIS), *DAY, "-o", str(target), "--logo", str(logo), "--stylesheet", str(css))
    assert result.returncode == 0, result.stderr
    html = target.read_text(encoding="utf-8")
    assert '<img class="logo" src="data:image/png;base64,' in html
    assert "h1 { color: #800020; }" in html and "</style><script" not in html  # it cannot close <style>
    text = tmp_path / "logo.png.txt"
    text.write_text("geen plaatje", encoding="utf-8")
    bad = run_cli("report", str(CRISIS), *DAY, "-o", str(tmp_path / "c.html"), "--logo", str(text))
    assert bad.returncode == 2 and "--logo" in bad.stderr


# --- 8. money -------------------------------------------------------------------------------------------------

def test_an_amount_against_its_effect_is_refused_with_a_suggestion(tmp_path):
    path = tmp_path / "voorstel.yaml"
    path.write_text("title: Geld\nsubmitter: Iemand\ndate: 2025-04-07\nregion: foodvalley\ntopic: Een onderwerp\n"
                    "finances:\n  content: {effect: worse, amount_eur: 50000}\n"
                    "  execution: {effect: better, amount_eur: -20000}\n", encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "voorstel.yaml:7" in result.stderr and "amount_eur: -50000" in result.stderr
    assert "voorstel.yaml:8" in result.stderr and "amount_eur: 20000" in result.stderr


@settings(max_examples=60, deadline=None)
@given(effect=st.sampled_from(["better", "worse", "neutral", "unknown"]),
       amount=st.one_of(st.none(), st.integers(-10**7, 10**7)))
def test_amount_and_effect_agree_or_the_proposal_is_refused(effect, amount):
    from pydantic import ValidationError

    from engine.reading.proposal import FinancialEffect

    agrees = amount is None or amount == 0 or effect not in ("better", "worse") or (amount < 0) == (effect == "worse")
    try:
        FinancialEffect(effect=effect, amount_eur=amount)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == agrees


def test_counts_in_running_text_are_written_in_words():
    """'Deelname hangt af van twee voorwaarden', 'Op één vraag ...', 'Twaalf voorstellen ...': numbers up to twenty
    in words as a municipal text writes them, the singular where there is one."""
    from engine.report.i18n import number_words, rt

    assert rt("cav_conditions", "nl", n=2) == "Deelname hangt af van twee voorwaarden."
    assert rt("cav_conditions", "nl", n=1) == "Deelname hangt af van één voorwaarde."
    assert rt("cav_missing_blocking", "nl", n=7, blocking=2).startswith("Op zeven vragen is nog geen antwoord; van twee")
    assert rt("cav_missing_open", "nl", n=1).startswith("Op één vraag is nog geen antwoord; die verandert")
    assert rt("ov_intro", "nl", n=12, day="1 juni 2026") == "Twaalf voorstellen getoetst op 1 juni 2026."
    assert rt("ov_intro", "en", n=1, day="1 June 2026") == "One proposal evaluated on 1 June 2026."
    assert number_words(1250, "nl") == "1.250" and number_words(20, "nl") == "twintig"
