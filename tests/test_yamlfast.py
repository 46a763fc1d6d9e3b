"""The fast YAML path must give exactly what the round-trip loader gives: data, types, lines and columns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.reading import yamlfast
from engine.reading.yamlio import LoadedDocument, _plain, _yaml

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(p for d in ("rules", "scenarios") for p in (ROOT / d).glob("**/*.yaml"))

pytestmark = pytest.mark.skipif(yamlfast.load("a: 1") is None, reason="ruamel.yaml.clib is not installed")


def _locs(data, prefix=()):
    """Every location in a document, plus a few that do not exist."""
    yield prefix
    yield prefix + ("no_such_field",)
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _locs(v, prefix + (k,))
    elif isinstance(data, list):
        yield prefix + (len(data),)
        yield prefix + (-1,)
        for i, v in enumerate(data):
            yield from _locs(v, prefix + (i,))


def _same_types(a, b) -> bool:
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(_same_types(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(_same_types(x, y) for x, y in zip(a, b))
    if isinstance(a, str):
        return isinstance(b, str)  # the round-trip loader may use str subclasses for block scalars
    return type(a) is type(b)


def assert_same(text: str) -> None:
    fast = yamlfast.load(text)
    assert fast is not None, "the fast path gave up on a plain document"
    tree = _yaml().load(text)
    expected = _plain(tree)
    data, lines = fast
    assert data == expected
    assert _same_types(expected, data)
    quick = yamlfast.fast_data(text)
    assert quick is not yamlfast.NOT_FAST, "the quickest path gave up on a plain document"
    assert quick == expected and _same_types(expected, quick)
    slow_doc = LoadedDocument(Path("x.yaml"), text.encode(), expected, tree)
    fast_doc = LoadedDocument(Path("x.yaml"), text.encode(), data, None, lines)
    lazy_doc = LoadedDocument(Path("x.yaml"), text.encode(), quick, None, _text=text)
    for loc in _locs(expected):
        assert fast_doc.position_of(loc) == slow_doc.position_of(loc) == lazy_doc.position_of(loc), loc


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_project_files_load_identically(path: Path) -> None:
    assert_same(path.read_text(encoding="utf-8"))


def test_scalar_types_follow_yaml_1_2() -> None:
    text = ("a: yes\nb: no\nc: true\nd: ~\ne:\nf: 12\ng: -3\nh: 1.50\ni: 2025-06-01\nj: '7'\nk: on\n"
            "l: 1e3\nm: .inf\nn: [1, two, {x: 3}]\no: 0\np: 0x1F\nq: 1_000\nr: 007\n")
    assert_same(text)
    data, _ = yamlfast.load(text)
    assert data["a"] == "yes" and data["c"] is True and data["d"] is None and data["i"] == dt.date(2025, 6, 1)


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",             # duplicate key: the round-trip loader reports it
    "a: &x 1\nb: *x\n",         # anchors
    "base: {x: 1}\nc:\n  <<: {y: 2}\n",  # merge key
    "a: !!map {b: 1}\n",        # an explicit tag on a block
    "%YAML 1.1\n---\na: yes\n",
    "a: 2025-06-01 12:00:00\n",
    "a: [1, 2\n",               # syntax error
    "a: 1\n---\nb: 2\n",        # two documents
])
def test_gives_up_on_what_it_does_not_reproduce(text: str) -> None:
    assert yamlfast.load(text) is None
    assert yamlfast.fast_data(text) is yamlfast.NOT_FAST


def test_a_str_tag_is_read_as_the_text_written() -> None:
    """'!!str' is allowed: the scan gives the text itself (the round-trip loader would give a tagged object)."""
    scanned = yamlfast.scan("a: !!str 1\nb: !!str yes\n!!str 3: x\n")
    assert scanned.plain and scanned.data == {"a": "1", "b": "yes", "3": "x"}
    assert all(type(v) is str for v in scanned.data.values())


def test_a_str_tag_beside_anchors_is_read_as_the_text_written(tmp_path: Path) -> None:
    """With an anchor the document goes through the round-trip loader, which wraps '!!str yes'; the text comes out."""
    from engine.reading.yamlio import load_document

    path = tmp_path / "voorstel.yaml"
    path.write_text("title: &t !!str yes\nsubmitter: *t\n", encoding="utf-8")
    doc = load_document(path)
    assert doc.data == {"title": "yes", "submitter": "yes"}
    assert all(type(v) is str for v in doc.data.values())


@pytest.mark.parametrize("text, kind", [("1: y\n", "een getal"), ("true: y\n", "een ja/nee-waarde"),
                                        ("null: y\n", "leeg (null)"), ("2025-06-01: y\n", "een datum")])
def test_a_key_that_is_not_text_is_refused_where_it_stands(text: str, kind: str) -> None:
    with pytest.raises(yamlfast.YamlProblem) as caught:
        yamlfast.scan("a: x\nb:\n  " + text)
    assert kind in caught.value.message and (caught.value.line, caught.value.column) == (2, 2)
    assert caught.value.path == ("b",)


@pytest.mark.parametrize("text", [
    "a: 1\nb: {c: 2}\n'1': x\n",  # keys: text only
    "a: x\n1: y\n",                 # a number as a key
    "? [1]\n: x\n",                 # a list as a key
    "a: !foo x\n",                   # an unknown tag: scan refuses it
    "a: 2025-06-01T12:00:00\n",     # a date-time
    "a: <<\n",                       # '<<' as a value
    "a: " + "x" * 20_001 + "\n",     # a text over the limit
    "a: " + "1" * 101 + "\n",        # an integer over the limit
    "a: \"\\ud800\"\n",            # a lone surrogate
    "a:" + " [" * 60 + "]" * 60 + "\n",  # nested too deeply
    "[" + "1," * 100_001 + "1]\n",   # too many values
])
def test_quickest_path_and_scan_agree(text: str) -> None:
    """What the quickest path gives is what the scan gives; where it gives up, the scan decides."""
    _quick_agrees_with_scan(text)


def _quick_agrees_with_scan(text: str) -> None:
    quick = yamlfast.fast_data(text)
    try:
        scanned = yamlfast.scan(text)
    except Exception:
        assert quick is yamlfast.NOT_FAST
        return
    if quick is not yamlfast.NOT_FAST:
        assert scanned.plain and quick == scanned.data and _same_types(scanned.data, quick)


_key = st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True)
_scalar = st.one_of(
    st.sampled_from(["yes", "no", "unknown", "ja", "nee", "true", "false", "null", "~", "supports", "0", "12",
                     "-85000", "0.5", "1.25", "2025-03-10", "'quoted: text'", '"dq"', "Een zin met, komma", "1e3"]),
    st.integers(-10**6, 10**6).map(str),
)


def _node(depth: int):
    if depth == 0:
        return _scalar
    return st.one_of(_scalar, st.dictionaries(_key, _node(depth - 1), min_size=1, max_size=4),
                     st.lists(_node(depth - 1), min_size=1, max_size=3))


def _render(value, indent: int = 0, flow: bool = False) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        if flow:
            return "{" + ", ".join(f"{k}: {_render(v, flow=True)}" for k, v in value.items()) + "}"
        out = []
        for k, v in value.items():
            if isinstance(v, (dict, list)) and v:
                inline = len(k) % 2 == 0
                out.append(f"{pad}{k}: {_render(v, flow=True)}" if inline else f"{pad}{k}:\n{_render(v, indent + 2)}")
            else:
                out.append(f"{pad}{k}: {_render(v, flow=True)}")
        return "\n".join(out)
    if isinstance(value, list):
        if flow:
            return "[" + ", ".join(_render(v, flow=True) for v in value) + "]"
        return "\n".join(f"{pad}- {_render(v, flow=True)}" for v in value)
    if flow and ("," in value or ":" in value) and not value.startswith(("'", '"')):
        return f"'{value}'"
    return value


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(_key, _node(2), min_size=1, max_size=6))
def test_generated_documents_load_identically(doc) -> None:
    text = "# kop\n" + _render(doc) + "\n"
    assert_same(text)


def test_impossible_dates_and_digitless_numbers_stay_text() -> None:
    """YAML's patterns take '2025-13-01' for a date and '+_' for a number; both loaders keep them as text."""
    text = "a: 2025-13-01\nb: 2025-02-30\nc: +_\nd: 0x_\ne: ._\nf: -__\ng: 2025-06-01\nh: 0x1F\n"
    assert_same(text)
    data, _ = yamlfast.load(text)
    assert data["a"] == "2025-13-01" and data["c"] == "+_" and data["e"] == "._"
    assert data["g"] == dt.date(2025, 6, 1) and data["h"] == 31


@pytest.mark.parametrize("path", FILES[:6], ids=lambda p: str(p.relative_to(ROOT)))
def test_without_the_c_parser_the_scan_gives_the_same(path: Path) -> None:
    """ruamel.yaml's own parser (used when ruamel.yaml.clib is missing) gives the same data and lines."""
    text = path.read_text(encoding="utf-8")
    c, pure = yamlfast.scan(text), yamlfast.scan(text, pure=True)
    assert pure.plain and pure.data == c.data
    for loc in _locs(c.data):
        assert yamlfast.position_of(pure.lines, loc) == yamlfast.position_of(c.lines, loc), loc


@pytest.mark.parametrize("text", [
    "a: b #c\nd: e#f\ng: 'it''s' # x\nh: \"q: #1\"\n",
    "a: -85000\nb: -0.5\nc: [-1, 2.5, -1x]\nd: {e: -3}\n",
    "items:\n  - id: A\n    when: {fact: x.*.y, is: \"yes\"}\n  -   id: B\n      n: 2\n  - plain\n",
    "a:\n  b:\n    c: 1\n  d: [ ]\ne: { }\nf:\ng: ~\n",
    "a: http://x.nl/a:b\nb: Een zin, met [haken] en {accolades}\nc: 2025-06-01\nd: 1e3\ne: 0x1F\n",
    "a: x\n# comment\n    # indented comment\nb:   # after the colon\n  c: d\n",
])
def test_the_block_reader_gives_what_the_round_trip_loader_gives(text: str) -> None:
    assert yamlfast._Block(text, yamlfast._parts()).document() is not None
    assert_same(text)


@pytest.mark.parametrize("text", [
    "a: b\n  c\n",            # a text over two lines
    "a: |\n  x\n",            # a block scalar
    "a: \"x\\ty\"\n",         # an escape
    "a:\n- x\n",              # a list at the key's own indentation
    "a: [1,\n  2]\n",         # a flow list over two lines
    "a: {b: 1,}\n",           # a trailing comma
    "a: b: c\n",              # a mapping where a value stands
    "'a': 1\n",               # a quoted key
    "true: 1\n",              # a key that is no text
    "a:\n    b: 1\n  c: 2\n",  # an indentation that matches nothing
    "a: 1\r\nb: 2\r\n",       # carriage returns
    "a:\tb\n",                # a tab
])
def test_the_block_reader_leaves_the_rest_to_the_event_pass(text: str) -> None:
    with pytest.raises(Exception):
        yamlfast._Block(text, yamlfast._parts()).document()
    _quick_agrees_with_scan(text)
