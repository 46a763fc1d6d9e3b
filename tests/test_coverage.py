"""Source coverage, the not-encoded file, decision chapters and `rules new`, on small rule sets made here."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_cli
from engine.common.errors import RuleError
from engine.rulebase.ruleset import load_ruleset
from engine.rulebase.source import SourceDoc
from pdfmaker import make_pdf

SOURCE = """Visie Proefregio

Regiovisie Proefregio

Afweging

Wij doen mee als de samenwerking wettelijk verplicht is. Dat staat
vast.

Over geld besluit de raad.

De regio werkt samen met:

= gemeenten;

= aanbieders.

Regiovisie Proefregio

Uitvoering

De uitvoering ligt bij de gemeenten. <script>alert(1)</script>
https://example.org/voetnoot

Regiovisie Proefregio
"""

HEAD = """id: proef-2026
region: proef
name: Proefregio
version: "2026.1"
valid_from: 2026-01-01
source: {file: visie.txt, title: Visie Proefregio, path: bron/visie.txt}
decision_body: {nl: de bestuurders, en: the board}
steps:
  - {id: wettelijk, nl: Wettelijk, en: Legal}
decision_chapters: [DECISION]
"""

RULE = """rules:
  - id: PR-WET-01
    title: {nl: Verplicht, en: Required}
    step: wettelijk
    when: {fact: legal.required, is: "yes"}
    then: {outcome: participate}
    explain: {nl: Verplicht., en: Required.}
    cite: {file: visie.txt, section: Afweging, quote: "Wij doen mee als de samenwerking wettelijk verplicht is."}
    examples:
      - {facts: {legal.required: "yes"}, fires: true}
"""


def make(tmp_path: Path, *, decision: str = '"Afweging"', not_encoded: str | None = None,
         source: str = SOURCE) -> Path:
    folder = tmp_path / "rules" / "proef"
    (folder / "bron").mkdir(parents=True)
    (folder / "bron" / "visie.txt").write_text(source, encoding="utf-8")
    (folder / "ruleset.yaml").write_text(HEAD.replace("DECISION", decision), encoding="utf-8")
    (folder / "10-regels.yaml").write_text(RULE, encoding="utf-8")
    if not_encoded is not None:
        (folder / "niet-gecodeerd.yaml").write_text(textwrap.dedent(not_encoded), encoding="utf-8")
    return folder


NOT_ENCODED = """\
    passages:
      - section: "Afweging"
        quote: "Over geld besluit de raad."
        reason: {nl: "Geen afweging.", en: "Not a weighing."}
"""


def test_paragraphs_headings_lists_and_running_headers():
    doc = SourceDoc(SOURCE)
    kinds = [(b.kind, b.title[:30]) for b in doc.blocks]
    assert ("heading", "Afweging") in kinds and ("heading", "Uitvoering") in kinds
    assert [k for k, t in kinds if t == "Regiovisie Proefregio"] == ["furniture"] * 3
    assert ("furniture", "https://example.org/voetnoot") in kinds
    listing = next(b for b in doc.blocks if b.title.startswith("De regio werkt samen met:"))
    assert "aanbieders" in listing.text  # a lead-in and its items are one paragraph
    assert [p.title[:20] for p in doc.chapter("Afweging")] == ["Wij doen mee als de ", "Over geld besluit de",
                                                               "De regio werkt samen"]
    assert doc.page_of("Wij doen mee") is None  # no page breaks: no page numbers


def test_page_numbers_follow_form_feeds():
    doc = SourceDoc("Kop\n\nEen zin op pagina een.\n\f\nTweede\n\nEen zin die\n\f\nover de grens loopt.\n")
    assert doc.page_of("Een zin op pagina een") == 1
    assert doc.page_of("Een zin die over de grens loopt") == 2


words = st.text(alphabet="abcdefghij", min_size=3, max_size=8)
paragraphs = st.lists(st.lists(words, min_size=3, max_size=12).map(lambda w: "Zin " + " ".join(w) + "."),
                      min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(paragraphs, st.data())
def test_every_paragraph_is_found_on_its_page(paras, data):
    breaks = data.draw(st.lists(st.booleans(), min_size=len(paras), max_size=len(paras)))
    parts, pages, page = [], [], 1
    for para, brk in zip(paras, breaks):
        if brk and parts:
            parts.append("\f")
            page += 1
        parts.append(para)
        pages.append(page)
    doc = SourceDoc("\n\n".join(parts) + "\n")
    for para, expected in zip(paras, pages):
        blocks = doc.locate(para)
        assert blocks, para
        if "\f" in "".join(parts):
            assert doc.page_of(para) == min(p for t, p in zip(paras, pages) if para in t)


def test_coverage_marks_and_check_counts_unreviewed(tmp_path):
    make(tmp_path)
    root = tmp_path / "rules"
    out = run_cli("rules", "coverage", "--rules", str(root), "--region", "proef")
    assert out.returncode == 0, out.stderr
    assert "nog niet beoordeeld / not yet reviewed: 2" in out.stdout
    check = run_cli("check", "--rules", str(root), "--region", "proef", "--date", "2026-06-01", "--static-only")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "2 alinea('s) in de beslishoofdstukken nog niet beoordeeld" in check.stdout


def test_a_not_encoded_passage_counts_as_reviewed(tmp_path):
    make(tmp_path, not_encoded=NOT_ENCODED)
    ruleset = load_ruleset(tmp_path / "rules" / "proef")
    from engine.verifying.coverage import coverage

    cov = coverage(ruleset)
    status = {p.block.title[:12]: p.status for p in cov.paragraphs}
    assert status["Wij doen mee"] == "cited" and status["Over geld be"] == "not_encoded"
    assert status["De uitvoerin"] == "unreviewed"
    assert [p.block.title[:12] for p in cov.unreviewed_in_decision_chapters] == ["De regio wer"]


def test_html_is_one_page_and_escapes_the_source(tmp_path):
    make(tmp_path)
    out = tmp_path / "brontrouw.html"
    result = run_cli("rules", "coverage", "--rules", str(tmp_path / "rules"), "--region", "proef", "--format", "html",
                     "-o", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<link" not in page and "src=" not in page


@pytest.mark.parametrize("entry, message, line", [
    ('    passages:\n      - section: "Afweging"\n        quote: "Over geld besluit het college."\n'
     '        reason: {nl: a, en: b}\n', "het citaat staat niet in de bron", 3),
    ('    passages:\n      - section: "Afweeging"\n        quote: "Over geld besluit de raad."\n'
     '        reason: {nl: a, en: b}\n', "onbekende sectie", 2),
    ('    passages:\n      - section: "Afweging"\n        quote: "Over geld besluit de raad."\n', "reason", 2),
])
def test_not_encoded_file_errors_are_located(tmp_path, entry, message, line):
    make(tmp_path, not_encoded=entry)
    with pytest.raises(RuleError) as err:
        load_ruleset(tmp_path / "rules" / "proef")
    text = err.value.render()
    assert f"niet-gecodeerd.yaml:{line}:" in text and message in text, text
    if "quote" in message:
        assert "closest passage" in text and "Over geld besluit de raad." in text
    if "section" in message:
        assert "did you mean 'Afweging'" in text


def test_an_unknown_decision_chapter_is_located(tmp_path):
    make(tmp_path, decision='"Afwegingen en zo"')
    with pytest.raises(RuleError) as err:
        load_ruleset(tmp_path / "rules" / "proef")
    assert "ruleset.yaml:10:" in err.value.render() and "onbekend hoofdstuk" in err.value.render()


def test_a_chapter_range(tmp_path):
    make(tmp_path, decision='{from: "Afweging", until: "Uitvoering"}')
    from engine.verifying.coverage import coverage

    cov = coverage(load_ruleset(tmp_path / "rules" / "proef"))
    assert sum(1 for p in cov.paragraphs if p.chapter) == 3


def test_rules_new_from_text_and_never_over_an_existing_folder(tmp_path):
    root = tmp_path / "rules"
    root.mkdir()
    src = tmp_path / "visie.txt"
    src.write_text(SOURCE, encoding="utf-8")
    first = run_cli("rules", "new", "proef", "--source", str(src), "--valid-from", "2026-01-01", "--rules", str(root))
    assert first.returncode == 0, first.stderr
    assert (root / "proef" / "bron" / "visie.txt").read_text(encoding="utf-8") == SOURCE
    assert not list((root / "proef").glob("[0-9]*.yaml"))  # no rules decided on the region's behalf
    head = (root / "proef" / "ruleset.yaml").read_text(encoding="utf-8")
    assert "valid_from: 2026-01-01" in head and "extraction:" not in head
    second = run_cli("rules", "new", "proef", "--source", str(src), "--valid-from", "2030-01-01", "--rules", str(root))
    assert second.returncode == 0 and (root / "proef-2030-01-01" / "ruleset.yaml").is_file()
    before = (root / "proef-2030-01-01" / "ruleset.yaml").read_bytes()
    again = run_cli("rules", "new", "proef", "--source", str(src), "--valid-from", "2030-01-01", "--rules", str(root))
    assert again.returncode == 2 and "er wordt niets overschreven" in again.stderr
    assert (root / "proef-2030-01-01" / "ruleset.yaml").read_bytes() == before
    assert sorted(p.name for p in root.iterdir()) == ["proef", "proef-2030-01-01"]  # no temporary folder left


@pytest.mark.parametrize("args, message", [
    (["Proef!", "--source", "{src}"], "geen geldige regionaam"),
    (["proef", "--source", "{missing}"], "bron is geen bestand"),
    (["proef", "--source", "{binary}"], "geen PDF en geen UTF-8-tekst"),
    (["proef", "--source", "{broken_pdf}"], "geen leesbare PDF"),
    (["proef", "--source", "{src}", "--valid-from", "1 januari"], "is geen datum"),
])
def test_rules_new_refuses_bad_input(tmp_path, args, message):
    (tmp_path / "rules").mkdir()
    names = {"src": tmp_path / "visie.txt", "missing": tmp_path / "nee.pdf", "binary": tmp_path / "plaatje.png",
             "broken_pdf": tmp_path / "kapot.pdf"}
    names["src"].write_text(SOURCE, encoding="utf-8")
    names["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    names["broken_pdf"].write_bytes(make_pdf([["Kop"]])[:60])
    result = run_cli("rules", "new", *[a.format(**names) for a in args], "--rules", str(tmp_path / "rules"))
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert list((tmp_path / "rules").iterdir()) == []


def test_a_pdf_keeps_its_pages(tmp_path):
    from engine.rulebase.scaffold import pdf_to_text

    pdf = tmp_path / "v.pdf"
    pdf.write_bytes(make_pdf([["Kop", "", "Eerste alinea."], ["Tweede kop", "", "Tweede alinea,", "op twee regels."]]))
    text, pages, version = pdf_to_text(pdf)
    assert pages == 2 and version
    doc = SourceDoc(text)
    assert doc.page_of("Tweede alinea, op twee regels.") == 2
    assert [b.kind for b in doc.blocks] == ["heading", "paragraph", "heading", "paragraph"]
    assert dt.date.today()  # extraction date is recorded by rules new, see test_authoring


def test_an_invariant_quote_not_in_the_source_names_the_closest_passage(tmp_path):
    import shutil

    from conftest import RULES
    from engine.rulebase.invariants import citation_problems, load_invariants

    folder = tmp_path / "foodvalley"
    shutil.copytree(RULES / "foodvalley", folder)
    inv = folder / "invariants.yaml"
    text = inv.read_text(encoding="utf-8")
    quote = "Als dit zo is dan zal de Jeugdhulpregio FoodValley meedoen in de samenwerking."
    assert quote in text
    inv.write_text(text.replace(quote, "Als dit zo is dan doet de Jeugdhulpregio FoodValley mee in de samenwerking.", 1),
                   encoding="utf-8")
    ruleset = load_ruleset(folder)
    problems = citation_problems(load_invariants(ruleset), ruleset)
    assert len(problems) == 1 and "closest passage" in problems[0] and quote in problems[0]


def test_check_names_what_rules_new_left_to_fill_in(tmp_path):
    src = tmp_path / "visie.txt"
    src.write_text(SOURCE, encoding="utf-8")
    assert run_cli("rules", "new", "proef", "--source", str(src), "--rules", str(tmp_path / "rules")).returncode == 0
    check = run_cli("check", "--rules", str(tmp_path / "rules"), "--region", "proef", "--static-only")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "ruleset.yaml: nog in te vullen / still to fill in: regel / line 5, 14" in check.stdout
