"""Text from a proposal is data in every output: Markdown, HTML, Word, text and JSON, through the real CLI.

Markdown is rendered with a real parser (markdown-it-py, CommonMark plus
tables and strikethrough as on code hosts): the proposal's text must come
out as exactly that text, with no link, image, raw HTML or extra table cell.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import SCENARIOS, run_cli

from engine.common.escape import md_inline, terminal_text

DAY = ("--date", "2025-06-01")
PAYLOAD = ('<script>alert(1)</script> [klik](https://evil.example) ![img](x.png) | cel | '
           '=HYPERLINK("http://x.example","y") *vet* _schuin_ `code` ~~weg~~ &lt; &#60; '
           '<img src=x onerror=alert(2)> " onmouseover="alert(3) www.evil.example 1. \\ einde')
TITLE = "# " + PAYLOAD
SUBMITTER = "- " + PAYLOAD
TOPIC = "1. " + PAYLOAD + "\n---\n= laatste regel"
FORMULA = "=cmd|' /C calc'!A0 @SUM(1+1) +1 -1"
FREE_TEXT = ("reason", "note", "basis", "alignment_note")


def one_line(text: str) -> str:
    return " ".join(text.split())


def _fill(node) -> None:
    for key, value in list(node.items()):
        if isinstance(value, dict):
            _fill(value)
        elif key in FREE_TEXT:
            node[key] = f"{FORMULA} {PAYLOAD}"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """A procurement proposal (many sections) with markup in every free-text field, as JSON."""
    data = YAML(typ="safe").load((SCENARIOS / "foodvalley" / "inkoop-met-afwijkingen.yaml").read_text("utf-8"))
    _fill(data)
    data.update(title=TITLE, submitter=SUBMITTER, topic=TOPIC, description=PAYLOAD, sources=[PAYLOAD])
    folder = tmp_path_factory.mktemp("vijandig")
    path = folder / "vijandig [x](y) <b>.json"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def cli(*args: str) -> str:
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


# --- Markdown -------------------------------------------------------------------------------------------------

def parser():
    markdown_it = pytest.importorskip("markdown_it")  # a test dependency (pyproject: test extra)
    return markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _flat(tokens):
    for token in tokens:
        yield token
        yield from _flat(token.children or [])


def _plain(inline) -> str:
    return "".join(c.content for c in inline.children or [] if c.type in ("text", "text_special", "code_inline"))


def check_markdown(text: str, *, links_allowed: tuple[str, ...] = ()) -> list[str]:
    """Parse; fail on links, images, HTML or strikethrough from proposal text; return the inline texts."""
    tokens = list(_flat(parser().parse(text)))
    kinds = {t.type for t in tokens}
    assert not kinds & {"image", "html_inline", "html_block", "s_open"}, kinds
    for token in tokens:
        if token.type == "link_open":
            assert token.attrGet("href") in links_allowed, token.attrGet("href")
    return [_plain(t) for t in tokens if t.type == "inline"]


def assert_literal(inlines: list[str], *texts: str) -> None:
    for text in texts:
        assert any(one_line(text) in s for s in inlines), f"not shown literally: {text!r}"


def test_evaluate_markdown_shows_proposal_text_literally(hostile):
    inlines = check_markdown(cli("evaluate", str(hostile), *DAY, "--format", "markdown"))
    assert_literal(inlines, TITLE, SUBMITTER, TOPIC)
    assert not any(s.startswith(("<script", "[klik]")) for s in inlines)


def test_report_markdown_and_overview_show_proposal_text_literally(hostile, tmp_path):
    out = tmp_path / "md"
    cli("report", str(hostile), str(hostile), *DAY, "--format", "markdown", "--output", f"{out}/")
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 3 and "overview.md" in names
    report = next(p for p in out.iterdir() if p.name != "overview.md")
    text = report.read_text(encoding="utf-8")
    assert_literal(check_markdown(text), TITLE, SUBMITTER, TOPIC, f"{FORMULA} {PAYLOAD}")
    assert text.count("\n# ") == 1  # one level-1 heading: the title; the '# ' in it is text
    overview = (out / "overview.md").read_text(encoding="utf-8")
    local = tuple(n.replace(" ", "%20") for n in names)
    assert_literal(check_markdown(overview, links_allowed=local), TITLE)
    rows = [t for t in parser().parse(overview) if t.type == "tr_open"]
    assert len(rows) == 3  # header and two proposals: no row or cell from a '|' in a title


def test_explain_markdown_shows_the_title_literally(hostile):
    assert_literal(check_markdown(cli("explain", str(hostile), *DAY, "--format", "markdown")), TITLE)


PIECES = list("\\`*_[]()<>#|~!&;:/.=+-0123456789 \t\naw") + [
    "www.", "http://", "&amp;", "&#60;", "1.", "2)", "---", "***", "<b>", "](x)", "[a]", "<!--", "\\\n"]
LINE_STARTS = ["", "-", "+", "*", "=", "#", ">", "1.", "12)", "    ", "```", "~~~", "|", "<div>", "[a]: /x"]


@settings(max_examples=300, deadline=None)
@given(st.tuples(st.sampled_from(LINE_STARTS), st.sampled_from(["", " "]),
                 st.lists(st.sampled_from(PIECES), max_size=10).map("".join)).map("".join))
def test_md_inline_renders_as_the_literal_text(text):
    """Whatever the text, in a paragraph and in a table cell it renders as itself and nothing else."""
    escaped = md_inline(text)
    expected = one_line(text)
    paragraph = list(_flat(parser().parse(escaped)))
    assert {t.type for t in paragraph} <= {"paragraph_open", "paragraph_close", "inline", "text", "text_special"}
    assert "".join(_plain(t) for t in paragraph if t.type == "inline") == expected
    table = list(_flat(parser().parse(f"| a | b |\n| --- | --- |\n| {escaped or ' '} | z |\n")))
    cells = [_plain(t) for t in table if t.type == "inline"]
    assert cells == ["a", "b", expected, "z"]


# --- HTML -----------------------------------------------------------------------------------------------------

class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def check_html(html: str) -> Page:
    page = Page()
    page.feed(html)
    assert not {"script", "img", "iframe", "object", "embed"} & set(page.tags)
    assert not [k for k, _ in page.attributes if k.startswith("on")]
    hrefs = [v for k, v in page.attributes if k in ("href", "src", "xlink:href")]
    assert all(v.startswith("#") or re.fullmatch(r"[\w%.\-]+\.(html|docx)", v) for v in hrefs), hrefs
    return page


def test_html_report_and_overview_show_proposal_text_literally(hostile, tmp_path):
    out = tmp_path / "html"
    cli("report", str(hostile), str(hostile), *DAY, "--output", f"{out}/")
    report = next(p for p in out.iterdir() if p.name != "index.html")
    page = check_html(report.read_text(encoding="utf-8"))
    assert any(TITLE in chunk for chunk in page.text) and any(SUBMITTER in chunk for chunk in page.text)
    assert any(PAYLOAD in chunk for chunk in page.text)
    overview = check_html((out / "index.html").read_text(encoding="utf-8"))
    assert any(TITLE in chunk for chunk in overview.text)


# --- Word -----------------------------------------------------------------------------------------------------

def test_word_report_has_text_runs_only(hostile, tmp_path):
    import docx

    target = tmp_path / "advies.docx"
    cli("report", str(hostile), *DAY, "--format", "docx", "--output", str(target))
    with zipfile.ZipFile(target) as archive:
        parts = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith((".xml", ".rels"))}
    for name, xml in parts.items():
        for element in ("w:hyperlink", "w:fldSimple", "w:object", "w:altChunk"):
            assert f"<{element}" not in xml, (name, element)
        # the only fields are the report's own: page numbers and the table of contents, never proposal text
        for instruction in re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml):
            assert instruction.split()[0] in ("PAGE", "NUMPAGES", "TOC"), (name, instruction)
        assert 'TargetMode="External"' not in xml, name
    document = docx.Document(io.BytesIO(target.read_bytes()))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert TITLE in texts and any(f"{FORMULA} {PAYLOAD}" in t for t in texts)
    assert document.core_properties.title == TITLE


# --- Terminal text and JSON -----------------------------------------------------------------------------------

def test_text_output_drops_terminal_escapes_and_json_keeps_the_exact_text(tmp_path):
    data = YAML(typ="safe").load((SCENARIOS / "foodvalley" / "expertisecentrum.yaml").read_text("utf-8"))
    title = "Titel \x1b[2J\x1b]0;gekaapt\x07 met \x9b31m escapes"
    data["title"] = title
    path = tmp_path / "escapes.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")  # \u001b: YAML allows it only escaped
    text = cli("evaluate", str(path), *DAY)
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert terminal_text(title) in text
    assert json.loads(cli("evaluate", str(path), *DAY, "--format", "json"))["proposal"]["title"] == title


def test_rule_catalogue_in_markdown_escapes_rule_titles(tmp_path):
    """A rule title is text in ``rules --format markdown`` too: no raw HTML, no links."""
    import shutil

    from conftest import RULES

    shutil.copytree(RULES / "foodvalley", tmp_path / "foodvalley")
    path = tmp_path / "foodvalley" / "10-wettelijk.yaml"
    text = path.read_text(encoding="utf-8")
    hostile = '<script>alert(1)</script> [klik](javascript:alert(2)) *vet*'
    path.write_text(text.replace('nl: "Wettelijk voorgeschreven samenwerking"', f"nl: '{hostile}'", 1), encoding="utf-8")
    result = run_cli("rules", "--rules", str(tmp_path), "--region", "foodvalley", "--format", "markdown",
                     "--date", "2025-06-01")
    assert result.returncode == 0, result.stderr
    assert not re.search(r"(?<!\\)<script", result.stdout) and not re.search(r"(?<!\\)\]\(javascript:", result.stdout)
    assert r"\<script\>alert(1)\</script\> \[klik\](javascript:alert(2)) \*vet\*" in result.stdout


def test_messages_show_control_characters_and_bidi_overrides_escaped(tmp_path):
    name = "x\x1b]0;titel\x07\u202eyaml.txt"
    result = run_cli("evaluate", name, "--date", "2025\x1b[2J", cwd=tmp_path)
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr and "\x07" not in result.stderr
    assert r"2025\x1b[2J" in result.stderr
    result = run_cli("evaluate", name, "--date", "2025-06-01", cwd=tmp_path)
    assert r"x\x1b]0;titel\x07\u202eyaml.txt: bestand bestaat niet" in result.stderr, result.stderr


def test_terminal_text_drops_bidi_overrides():
    assert terminal_text("abc\u202edef\u2066g") == "abcdefg"


def test_html_report_drops_nul_and_esc_from_json_text(tmp_path):
    data = {"title": "Titel met \u0000NUL en \u001b[2J ESC", "submitter": "Beleidsmedewerker", "date": "2025-05-01",
            "topic": "Een onderwerp om te toetsen", "region": "foodvalley"}
    (tmp_path / "p.json").write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("report", "p.json", "-o", "p.html", "--date", "2025-06-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "p.html").read_bytes()
    assert b"\x00" not in html and b"\x1b" not in html and b"Titel met NUL en [2J ESC" in html


@pytest.mark.parametrize("value", ["20250601", "2025-W22-7", "2025-6-1"])
def test_date_option_is_only_yyyy_mm_dd(value):
    result = run_cli("regions", "--date", value)
    assert result.returncode == 2 and "is geen datum" in result.stderr, result.stderr
