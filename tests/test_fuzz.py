"""Fuzzing: whatever the input, the loader raises only InputError and the command line exits 0, 1 or 2.

Hypothesis feeds arbitrary bytes, text and file names, arbitrary well-formed
YAML documents, and mutations of the real scenario and rule files (keys
deleted, renamed or given values of another type, texts with placeholders and
markup) to the loader, to validation and evaluation, to the rule-set loader
and to the command line in process. Runs are derandomised, so a failure
reproduces. How many inputs each target tried is printed at the end of the
test run (``TRIED``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from cli import main
from conftest import ROOT
from engine.common.errors import InputError
from engine.reading.yamlio import parse_document

TRIED: Counter = Counter()  # target -> inputs tried (printed by conftest)
ADVISED: Counter = Counter()  # target -> inputs that were valid proposals and got an advice
# FUZZ_SCALE=10 tries ten times as many inputs; FUZZ_RANDOM=1 draws new ones on every run (to explore locally).
SCALE = float(os.environ.get("FUZZ_SCALE", 1))
SETTINGS = settings(deadline=None, derandomize=not os.environ.get("FUZZ_RANDOM"), database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


def examples(n: int) -> settings:
    """Settings for a target that tries ``n`` inputs (times FUZZ_SCALE)."""
    return settings(SETTINGS, max_examples=max(1, int(n * SCALE)))


DAY = dt.date(2025, 6, 1)
HEAD = ("title: Testvoorstel voor fuzzing\nsubmitter: Beleidsmedewerker jeugd\ndate: 2025-05-01\n"
        "topic: Een samenwerking om te toetsen\nregion: foodvalley\n")
SCENARIOS = sorted((ROOT / "scenarios").glob("*/*.yaml"))

_yamlish = st.lists(st.sampled_from(list("abcz019 :-[]{},#&*!|>'\"%@`?.~\n\t\r\\") + ["- ", ": ", "\n  ", "&a ", "*a",
                                                                                   "<<: ", "!!str ", "---\n"]),
                    max_size=60).map("".join)
_texts = st.one_of(st.text(max_size=120), _yamlish, _yamlish.map(lambda t: HEAD + t))


def _load(name: str, raw: bytes) -> None:
    """Parse and validate as the command line does; only InputError may come out."""
    from engine.deciding.validate import validate_document

    try:
        doc = parse_document(Path(name), raw, what="voorstel")
        validate_document(doc, day=DAY)
    except InputError as exc:
        text = exc.render()
        assert text and all(line.startswith(name) or line.startswith("--region") for line in text.splitlines()), text


@examples(500)
@given(st.binary(max_size=200), st.sampled_from(["x.yaml", "x.json"]))
def test_arbitrary_bytes(raw, name):
    TRIED["bytes"] += 1
    _load(name, raw)


@examples(500)
@given(_texts, st.sampled_from(["x.yaml", "x.json"]))
def test_arbitrary_text(text, name):
    TRIED["text"] += 1
    _load(name, text.encode("utf-8", "surrogatepass"))


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30),
                     st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20), st.dates())
_documents = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=25)


def _dump(data: Any, pure: bool = True) -> str:
    """YAML text of ``data``; ``pure=False`` uses the C emitter where installed (a rule file is large, and how it is
    written is not what the rule-file target tests)."""
    out = io.StringIO()
    YAML(typ="safe", pure=pure).dump(data, out)
    return out.getvalue()


@examples(300)
@given(st.dictionaries(st.text(max_size=10), _documents, min_size=1, max_size=6))
def test_structured_yaml_reads_as_the_round_trip_loader_reads_it(data):
    """A document of mappings, lists and scalars is read exactly as the round-trip loader reads it.

    (Not always as written: ruamel.yaml's emitter writes '?0' and '{:0: x}' unquoted, and NEL unescaped.)
    """
    from ruamel.yaml.error import YAMLError

    from engine.reading.yamlio import _plain, _yaml

    TRIED["yaml"] += 1
    text = _dump(data)
    try:
        expected = _plain(_yaml().load(text))
    except YAMLError:  # the emitter wrote what no YAML parser reads ('{:0: null}'): refused with a message
        with pytest.raises(InputError):
            parse_document(Path("x.yaml"), text.encode("utf-8"))
        return
    try:
        doc = parse_document(Path("x.yaml"), text.encode("utf-8"))
    except InputError as exc:
        pytest.fail(f"a plain document was refused: {exc.render()}\n{text}")
    assert doc.data == expected
    _load("x.yaml", text.encode("utf-8"))


def _scenario_data() -> list[dict]:
    yaml = YAML(typ="safe", pure=True)
    return [yaml.load(p.read_text(encoding="utf-8")) for p in SCENARIOS]


SCENARIO_DATA = _scenario_data()


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, prefix + (i,))
    return out


# Texts that reach the advice and its explanations: placeholders, markup, control and bidi characters.
_NASTY = st.sampled_from(["{{content.alignment_note}}", "{{where:content.values.*.fit=conflicts}}", "[[ {{x}} ]]",
                          "{{", "}}", "[[", "]]", "<script>alert(1)</script>", "*nadruk* _schuin_ `code` | tabel |",
                          "%s %d {0} {}", "\\", "\u202egnirts", "💥 ĳ ﬁ", "a\tb", "regel\nregel", "x" * 5000, "—"])
_ANSWERS = st.sampled_from(["yes", "no", "unknown", "ja", "nee", "weet ik niet", None, "supports", "neutral",
                            "conflicts", "botst", "better", "worse", "beter", "slechter", "onbekend"])
_values = st.one_of(_scalars, _NASTY, st.sampled_from(["yes", "no", "unknown", "ja", "nee", "weet ik niet", "botst",
                                                       "supports", "conflicts", "better", "worse", "", " ", "null",
                                                       "2025-13-01", "1e999", ".nan", "-0", "9" * 60]),
                    st.lists(_scalars, max_size=3), st.dictionaries(st.text(max_size=8), _scalars, max_size=3))


@st.composite
def _mutated(draw) -> dict:
    """A real scenario with one to four keys deleted, renamed or given another value."""
    data = json.loads(json.dumps(draw(st.sampled_from(SCENARIO_DATA)), default=str))
    gentle = draw(st.booleans())  # only other texts and answers: the proposal mostly stays valid and is evaluated
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        op = draw(st.sampled_from(["text", "answer"] if gentle else ["delete", "replace", "rename", "wrap", "text",
                                                                     "answer"]))
        if op == "text":  # keeps the proposal valid where a text was: the advice shows it
            if isinstance(parent[last], str):
                parent[last] = draw(_NASTY)
        elif op == "answer":  # another answer: often still valid, so the proposal is evaluated
            if isinstance(parent[last], str) or parent[last] is None:
                parent[last] = draw(_ANSWERS)
        elif op == "delete":
            del parent[last]
        elif op == "replace":
            parent[last] = draw(_values)
        elif op == "wrap":
            parent[last] = [parent[last]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=12))] = parent.pop(last)
    return data


def _write(tmp: Path, data: Any, as_json: bool) -> Path:
    path = tmp / ("voorstel.json" if as_json else "voorstel.yaml")
    if as_json:
        text = json.dumps(data, ensure_ascii=False, default=str, allow_nan=True)
    else:
        text = _dump(data)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


def _cli(args: list[str]) -> int:
    """Run the command line in process: exit 0, 1 or 2, never a traceback or an internal error."""
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"{args}: {result.exception!r}\n{result.output}"
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output and "interne fout" not in result.output, result.output
    if result.exit_code == 2:
        assert result.stderr.strip(), "exit 2 without a message"
    return result.exit_code


@examples(300)
@given(_mutated(), st.booleans(), st.sampled_from(["text", "json", "markdown"]), st.sampled_from(["nl", "en"]))
def test_mutated_scenarios_through_the_command_line(tmp_path, data, as_json, fmt, lang):
    TRIED["scenario mutations"] += 1
    path = _write(tmp_path, data, as_json)
    _cli(["validate", str(path), "--date", DAY.isoformat()])
    if _cli(["evaluate", str(path), "--date", DAY.isoformat(), "--format", fmt, "--lang", lang]) == 0:
        ADVISED["scenario mutations"] += 1


def _rule_files() -> dict[str, Any]:
    yaml = YAML(typ="safe", pure=True)
    folder = ROOT / "rules" / "foodvalley"
    return {p.name: yaml.load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yaml"))}


RULE_FILES = _rule_files()


@st.composite
def _mutated_rules(draw) -> tuple[str, Any]:
    """One rule file of a real rule set with one to three keys deleted, renamed or given another value."""
    name = draw(st.sampled_from(sorted(RULE_FILES)))
    data = json.loads(json.dumps(RULE_FILES[name], default=str))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        op = draw(st.sampled_from(["delete", "replace", "rename", "wrap"]))
        if op == "delete":
            del parent[last]
        elif op == "replace":
            parent[last] = draw(st.one_of(_values, st.sampled_from(["FV-INH-01", "inhoud_past", "content.values.*.fit",
                                                                    "legal.required", "reason", "participate"])))
        elif op == "wrap":
            parent[last] = [parent[last]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["al", "any", "not", "fact", "conclusion", "is", "in", "gt", "id",
                                         "finding", "outcome"]))] = parent.pop(last)
        if not isinstance(data, (dict, list)) or not _paths(data):
            break
    return name, data


@pytest.fixture(scope="module")
def rules_copy(tmp_path_factory) -> Path:
    import shutil

    folder = tmp_path_factory.mktemp("rules") / "foodvalley"
    shutil.copytree(ROOT / "rules" / "foodvalley", folder)
    return folder


@examples(150)
@given(_mutated_rules())
def test_mutated_rule_files_load_or_name_file_and_line(rules_copy, mutation):
    """A broken rule file gives a RuleError (or InputError) naming the file and a line, never anything else."""
    from engine.rulebase.ruleset import load_ruleset

    TRIED["rule file mutations"] += 1
    name, data = mutation
    path = rules_copy / name
    original = path.read_bytes()
    path.write_text(_dump(data, pure=False), encoding="utf-8")
    try:
        load_ruleset(rules_copy)
    except InputError as exc:
        lines = exc.render().splitlines()
        assert lines and all(line.startswith(str(rules_copy / "")) for line in lines), lines
    finally:
        path.write_bytes(original)


@examples(200)
@given(st.one_of(_texts.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=100)),
       st.sampled_from(["voorstel.yaml", "voorstel.json"]))
def test_arbitrary_files_through_the_command_line(tmp_path, raw, name):
    TRIED["cli files"] += 1
    path = tmp_path / name
    path.write_bytes(raw)
    _cli(["evaluate", str(path), "--date", DAY.isoformat()])


@examples(100)
@given(st.text(max_size=40))
def test_arbitrary_file_names(tmp_path, name):
    """Whatever is passed as a file name (NUL bytes, a folder, a link loop, nothing): a message and exit 2."""
    TRIED["file names"] += 1
    loop = tmp_path / "kring"
    if not loop.is_symlink():
        loop.symlink_to(tmp_path / "kring")
    for arg in (name, str(tmp_path / name), str(loop)):
        _cli(["validate", arg])
