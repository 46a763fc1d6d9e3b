"""Messages in one language: Dutch by default, English with --lang en or an English locale."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

CORPUS = Path(__file__).resolve().parent / "bad_proposals"


@pytest.mark.parametrize("text,nl,en", [
    ("geen getal / not a number (gegeven / given: 'veel')", "geen getal (gegeven: 'veel')", "not a number (given: 'veel')"),
    ("bedoelde u 'x'? / did you mean 'x'?", "bedoelde u 'x'?", "did you mean 'x'?"),
    ("YAML-syntaxfout / YAML syntax error: lijst niet gesloten met ']' / list not closed with ']' "
     "(begonnen op regel / started at line 6)",
     "YAML-syntaxfout: lijst niet gesloten met ']' (begonnen op regel 6)",
     "YAML syntax error: list not closed with ']' (started at line 6)"),
    ("regel R-1: kring / cycle: R-1 → R-2", "regel R-1: kring: R-1 → R-2", "regel R-1: cycle: R-1 → R-2"),
    ("binair bestand (Word, Excel of/or ZIP)", "binair bestand (Word, Excel of ZIP)", "binair bestand (Word, Excel or ZIP)"),
    ("onbekende regio 'Midden-IJssel / Oost-Veluwe' / unknown region", "onbekende regio 'Midden-IJssel / Oost-Veluwe'",
     "unknown region"),
])
def test_one_language(text, nl, en):
    from engine.common.errors import one_language

    assert one_language(text, "nl") == nl
    assert one_language(text, "en") == en


def _outside_quotes(text: str) -> str:
    return re.sub(r"'[^'\n]*'|\"[^\"\n]*\"", "''", text)


def test_every_corpus_message_is_in_one_language():
    """No message of the bad-file corpus keeps both languages, in Dutch or in English."""
    from engine.common.errors import InputError
    from engine.deciding.validate import load_proposal

    checked = 0
    for path in sorted(CORPUS.iterdir()):
        if path.name == "index.yaml" or path.is_dir():
            continue
        try:
            load_proposal(path)
        except InputError as exc:
            for problem in exc.problems:
                for lang in ("nl", "en"):
                    line = problem.render(lang)
                    assert " / " not in _outside_quotes(line.split(": ", 1)[1]), line
                checked += 1
    assert checked >= 60


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "REGIOTOETS_LANG")}
    full.update(env)
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, capture_output=True, text=True, env=full)


def test_dutch_by_default_english_on_request(tmp_path):
    bad = tmp_path / "voorstel.yaml"
    bad.write_text("title: Testvoorstel\nsubmitter: Beleid\ndate: 2025-05-01\ntopic: Iets\nregion: foodvalley\n"
                   "capacity:\n  fte: 0,8\n", encoding="utf-8")
    dutch = _run("evaluate", str(bad), LANG="C.UTF-8")
    by_option = _run("evaluate", str(bad), "--lang", "en", LANG="nl_NL.UTF-8")
    by_locale = _run("validate", str(bad), LANG="en_GB.UTF-8")
    assert dutch.returncode == by_option.returncode == by_locale.returncode == 2
    assert "geen getal (gegeven: '0,8')" in dutch.stderr and "decimaalteken: 0.8" in dutch.stderr
    assert "not a number" not in dutch.stderr
    for english in (by_option, by_locale):
        assert "not a number (given: '0,8')" in english.stderr and "use a decimal point: 0.8" in english.stderr
        assert "geen getal" not in english.stderr


def test_the_command_lines_own_errors_follow_the_language(tmp_path):
    missing = str(tmp_path / "bestaat-niet.yaml")
    assert "bestand bestaat niet" in _run("validate", missing, LANG="C.UTF-8").stderr
    english = _run("validate", missing, LANG="en_US.UTF-8").stderr
    assert "does not exist" in english and "bestaat niet" not in english


def test_a_misspelt_answer_is_proposed_as_the_expected_list_shows_it(tmp_path):
    """The suggestion for a wrong answer is the Dutch answer of the expected list ('expertisefunctie'), also when
    the typo resembles the English value or a Dutch word; the English message proposes the value itself."""
    from conftest import run_cli

    for typo in ("expertise_centre", "expertisecentrum"):
        path = tmp_path / f"{typo}.yaml"
        path.write_text("title: Een expertisecentrum\nsubmitter: Beleidsadviseur\ndate: 2025-05-01\n"
                        f"topic: Een gezamenlijk expertisecentrum\nregion: foodvalley\nkind: {typo}\n", encoding="utf-8")
        dutch = run_cli("validate", str(path))
        assert dutch.returncode == 2 and "bedoelde u 'expertisefunctie'?" in dutch.stderr, dutch.stderr
        english = run_cli("validate", str(path), env={**os.environ, "REGIOTOETS_LANG": "en"})
        assert "did you mean 'expertise_function'?" in english.stderr, english.stderr


def test_no_suggestion_turns_an_answer_around():
    """'botst_niet' is no typo of 'botst', 'niet_ondersteunt' none of 'ondersteunt': a suggestion that drops the
    'not' would reverse the answer, so there is none; a plain typo still gets one."""
    from engine.reading.problems import closest_value

    options = ["supports", "neutral", "conflicts", "unknown"]
    for given in ("botst_niet", "niet_ondersteunt", "not_supports", "geen_botsing", "ondersteunt niet"):
        assert closest_value(given, options) is None, given
    assert closest_value("suports", options) == "supports"
    assert closest_value("botts", options) == "conflicts"
