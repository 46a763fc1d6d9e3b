"""Board reports: sections in order, escaping, Word and Markdown output, languages, determinism."""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import IN_VALIDITY, ROOT, SCENARIOS, proposal

from engine.report import build_report, render, report_for
from engine.report.i18n import LANGS, REPORT_TEXT, missing_keys
from engine.report.model import SECTIONS

EXPERTISE = SCENARIOS / "foodvalley" / "expertisecentrum.yaml"
HOSTILE_TITLE = '<script>alert("x")</script> & Co'
HOSTILE_SUBMITTER = "<img src=x onerror=alert(1)>"

DUTCH_HEADINGS = ["Beslispunten", "Aanleiding", "Beoogd effect", "Argumenten", "Kanttekeningen en risico's",
                  "Financiën", "Inkoopprincipes", "Ontbrekende informatie", "Communicatie en vervolg", "Bijlagen"]
ENGLISH_HEADINGS = ["Decision points", "Background", "Intended effect", "Arguments", "Caveats and risks", "Finances",
                    "Procurement principles", "Missing information", "Communication and next steps", "Appendices"]
PROCUREMENT_HEADINGS = ("Inkoopprincipes", "Procurement principles")


def headings_for(report, headings: list[str]) -> list[str]:
    """The headings a report must have: the procurement principles only for procurement."""
    return [h for h in headings if report.is_procurement or h not in PROCUREMENT_HEADINGS]


def scenario_report(path: Path, lang: str = "nl"):
    from engine.deciding.validate import load_proposal

    loaded = load_proposal(path, day=IN_VALIDITY)
    return report_for(loaded, day=IN_VALIDITY, lang=lang)


def data_report(ruleset, data: dict, lang: str = "nl"):
    from engine.advising.pipeline import advise_data

    advice = advise_data(ruleset, data, day=IN_VALIDITY, lang=lang, name="voorstel.yaml")
    return build_report(advice, ruleset, ruleset.model.model_validate(data))


class Outline(HTMLParser):
    """Collects section ids, h2 texts, tags and attributes of an HTML page."""

    def __init__(self):
        super().__init__()
        self.sections: list[str] = []
        self.headings: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self._in_h2 = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if tag == "section":
            self.sections.append(dict(attrs).get("id", ""))
        if tag == "h2":
            self._in_h2 = True
            self.headings.append("")

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data):
        if self._in_h2:
            self.headings[-1] += data


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    parser.close()
    return parser


def headings_in_order(headings: list[str], expected: list[str]) -> bool:
    labels = [re.sub(r"^\d+", "", h).strip() for h in headings]
    return labels == expected


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def expertise_nl():
    return scenario_report(EXPERTISE)


def test_html_has_every_section_in_order(expertise_nl):
    html = render(expertise_nl, "html").decode()
    page = outline(html)
    assert page.sections == [anchor for anchor, _ in SECTIONS if anchor != "inkoopprincipes"]
    assert headings_in_order(page.headings, headings_for(expertise_nl, DUTCH_HEADINGS))
    assert expertise_nl.advice.outcome_label in html
    for reason in expertise_nl.advice.reasons:
        assert reason.citation.section.replace("'", "&#39;") in html


def test_html_is_self_contained(expertise_nl):
    html = render(expertise_nl, "html").decode()
    page = outline(html)
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert "<svg" in html and "@page" in html and "@media print" in html
    refs = [v for k, v in page.attributes if k in ("src", "href") and v]
    assert all(v.startswith("#") for v in refs), refs
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html


def test_svg_highlights_the_decisive_steps(expertise_nl):
    html = render(expertise_nl, "html").decode()
    decisive = [s for s in expertise_nl.steps if s.status == "decisive"]
    assert decisive, "the outcome rule's step is always decisive"
    assert html.count('class="step s-decisive"') == len(decisive)
    assert 'class="outcome-node"' in html
    assert any(s.holds_outcome for s in decisive)


def test_hostile_text_is_escaped_everywhere(foodvalley):
    data = proposal(title=HOSTILE_TITLE, submitter=HOSTILE_SUBMITTER, partner_regions=["</td><b>x"],
                    topic="Onderwerp met **nadruk** en [link](javascript:alert(1))", legal__required="yes")
    report = data_report(foodvalley, data)
    html = render(report, "html").decode()
    page = outline(html)
    assert "script" not in page.tags and "img" not in page.tags and "b" not in page.tags
    assert not any(k.startswith("on") for k, _ in page.attributes)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in html
    markdown = render(report, "markdown").decode()
    assert not re.search(r"(?<!\\)<(script|img|/td)", markdown)
    assert r"\<script\>" in markdown and r"\*\*nadruk\*\*" in markdown and r"\[link\]" in markdown
    assert HOSTILE_TITLE in docx_text(render(report, "docx"))


def test_docx_opens_and_holds_outcome_headings_and_citations(expertise_nl):
    import docx

    data = render(expertise_nl, "docx")
    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings_in_order([re.sub(r"^\d+\.", "", h) for h in headings], headings_for(expertise_nl, DUTCH_HEADINGS))
    text = docx_text(data)
    assert expertise_nl.advice.outcome_label in text
    for use in expertise_nl.advice.reasons:
        assert use.citation.quote in text
    for item in expertise_nl.caveats:
        assert item.text in text
    assert expertise_nl.advice.ruleset.sha256 in text
    assert document.core_properties.title == expertise_nl.advice.proposal.title


def test_docx_is_reproducible(expertise_nl):
    first, second = render(expertise_nl, "docx"), render(expertise_nl, "docx")
    assert first == second
    day = expertise_nl.advice.evaluation_date
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(day.year, day.month, day.day, 0, 0, 0)}


def test_html_and_markdown_are_reproducible(expertise_nl):
    again = scenario_report(EXPERTISE)
    for fmt in ("html", "markdown"):
        assert render(expertise_nl, fmt) == render(again, fmt)


def test_markdown_has_the_headings_in_order(expertise_nl):
    markdown = render(expertise_nl, "markdown").decode()
    headings = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    assert headings_in_order([re.sub(r"^\d+\.", "", h) for h in headings], headings_for(expertise_nl, DUTCH_HEADINGS))
    assert markdown.startswith("*Bestuursvoorstel")
    assert f"**Uitkomst: {expertise_nl.advice.outcome_label}**" in markdown


def test_english_report_has_english_headings():
    report = scenario_report(EXPERTISE, lang="en")
    page = outline(render(report, "html").decode())
    assert headings_in_order(page.headings, headings_for(report, ENGLISH_HEADINGS))
    markdown = render(report, "markdown").decode()
    assert "## 1. Decision points" in markdown and "Beslispunten" not in markdown
    text = docx_text(render(report, "docx"))
    assert "1. Decision points" in text and "Beslispunten" not in text


def test_every_report_label_exists_in_both_languages():
    assert missing_keys() == []
    assert all(set(texts) == set(LANGS) for texts in REPORT_TEXT.values())


def test_every_label_the_renderers_ask_for_exists():
    from engine.rulebase.ruleset import OUTCOMES, ROLES

    used = set()
    for path in (ROOT / "engine" / "report").rglob("*"):
        if path.suffix in (".py", ".j2"):
            used |= set(re.findall(r"""\bt\(\s*['"]([a-z_]+)['"]""", path.read_text(encoding="utf-8")))
            used |= set(re.findall(r"""\brt\(\s*['"]([a-z_]+)['"]""", path.read_text(encoding="utf-8")))
    used |= {f"dp_{o}" for o in OUTCOMES} | {f"role_{r}" for r in ROLES} | {"role_outcome"}
    used |= {f"status_{s}" for s in ("decisive", "considered", "none")}
    used |= {f"status_short_{s}" for s in ("decisive", "considered", "none")}
    used |= {f"proc_{s}" for s in ("deviating", "conform", "not_assessed")}
    used |= {key for _, key in SECTIONS}
    assert sorted(used - set(REPORT_TEXT)) == []


def test_finances_use_dutch_amounts(foodvalley):
    data = proposal(legal__required="yes", finances={
        "execution": {"effect": "better", "amount_eur": 1250000, "note": "lagere tarieven"},
        "content": {"effect": "worse", "amount_eur": -250000.5}})
    report = data_report(foodvalley, data)
    amounts = [row.amount for row in report.finances]
    assert "€ 1.250.000" in amounts and "-€ 250.000,50" in amounts
    assert report.finance_total == "€ 999.999,50"
    html = render(report, "html").decode()
    assert "€ 1.250.000" in html and "€ 999.999,50" in html
    assert "€ 1.250.000" in render(report, "markdown").decode()


def test_procurement_principles_follow_the_rules(foodvalley):
    from engine.rulebase import conditions as C

    data = proposal(kind="procurement", legal__required="no", procurement={
        "tendering": "public_tender", "contract_term": "indefinite", "execution_variant": "output",
        "cost_price_research": "yes"})
    report = data_report(foodvalley, data)
    fired = {u.rule for u in report.advice.trace}
    rows = {row.rule: row for row in report.principles}
    expected = [r.id for r in foodvalley.rules if r.then.role == "condition" and not r.then.missing
                and any(isinstance(c, C.FactTest) and c.path == "kind" and c.value == "procurement"
                        for c in getattr(r.condition, "items", ()))]
    assert list(rows) == expected and len(rows) >= 5
    for rid, row in rows.items():
        assert (row.status == "deviating") == (rid in fired)
        assert row.principle == foodvalley.by_id[rid].data.cite.quote
    statuses = {row.status for row in rows.values()}
    assert statuses == {"deviating", "conform", "not_assessed"}
    for row in rows.values():
        if row.status == "not_assessed":
            assert row.explanation.startswith("Nog niet te beoordelen")
        assert " \u2014 " not in row.explanation  # no raw question-and-answer text
    html = render(report, "html").decode()
    assert "Wijkt af" in html and "Conform" in html and "Niet beoordeeld" in html


def test_non_procurement_has_no_principles(expertise_nl):
    assert expertise_nl.principles == []
    assert "inkoopprincipes" not in dict(expertise_nl.sections)
    assert 'id="inkoopprincipes"' not in render(expertise_nl, "html").decode()


def test_procurement_without_principles_in_the_rule_set_says_so(tmp_path):
    """A procurement judged by a rule set that has no procurement principles (the small rule set of
    tests/test_third_ruleset.py, so the case does not depend on what a shipped rule set contains)."""
    from engine.deciding.validate import load_proposal
    from test_third_ruleset import RULES, RULESET, SOURCE

    folder = tmp_path / "regelsets" / "testregio"
    (folder / "bron").mkdir(parents=True)
    (folder / "bron" / "nota.txt").write_text(SOURCE, encoding="utf-8")
    (folder / "ruleset.yaml").write_text(RULESET, encoding="utf-8")
    (folder / "10-grond.yaml").write_text(RULES, encoding="utf-8")
    path = tmp_path / "inkoop.yaml"
    path.write_text("title: Gezamenlijke inkoop van jeugdhulp\nsubmitter: Inkoper Testregio\ndate: 2025-04-01\n"
                    "region: testregio\ntopic: Eén inkoop voor alle eilanden\nkind: procurement\n"
                    "enrichment: {wachttijden: ja}\n", encoding="utf-8")
    loaded = load_proposal(path, day=IN_VALIDITY, rules_root=tmp_path / "regelsets")
    report = report_for(loaded, day=IN_VALIDITY)
    assert report.is_procurement and report.principles == []
    html = render(report, "html").decode()
    assert "geen inkoopprincipes" in html and "betreft geen inkoop" not in html


def test_validity_warning_and_missing_information_are_shown(foodvalley):
    from engine.advising.pipeline import advise_data

    data = proposal()
    late = advise_data(foodvalley, data, day=IN_VALIDITY.replace(year=2030), name="voorstel.yaml")
    report = build_report(late, foodvalley, foodvalley.model.model_validate(data))
    html = render(report, "html").decode()
    assert late.validity_warning and 'class="warning"' in html
    assert report.advice.missing
    for m in report.advice.missing:
        assert m.fact in html


@pytest.mark.parametrize("path", sorted(p for p in (SCENARIOS / "foodvalley").glob("*.yaml") if p.name != "expected.yaml"),
                         ids=lambda p: p.stem)
def test_every_scenario_renders_in_every_format(path):
    for lang, headings in (("nl", DUTCH_HEADINGS), ("en", ENGLISH_HEADINGS)):
        report = scenario_report(path, lang)
        assert headings_in_order(outline(render(report, "html").decode()).headings, headings_for(report, headings))
        assert render(report, "markdown").decode().count("\n## ") == len(report.sections)
        assert report.advice.outcome_label in docx_text(render(report, "docx"))


def test_the_report_shows_what_each_answer_to_a_deciding_question_leads_to(tmp_path):
    """The reason FV-UIT-04 points the board to Ontbrekende informatie: there, per deciding question, the outcome
    each answer gives, in every format."""
    from conftest import run_cli

    scenario = str(ROOT / "scenarios" / "foodvalley" / "kennisnetwerk-onvolledig.yaml")
    expected = "Per antwoord: ja → Meedoen; nee → Onvoldoende informatie"
    for name in ("r.md", "r.html", "r.docx"):
        out = tmp_path / name
        result = run_cli("report", scenario, "--date", "2025-06-01", "-o", str(out))
        assert result.returncode == 0, result.stderr
        if name.endswith(".docx"):
            from docx import Document

            text = "\n".join(c.text for t in Document(str(out)).tables for row in t.rows for c in row.cells)
        else:
            text = out.read_text(encoding="utf-8")
        assert expected in text, name
