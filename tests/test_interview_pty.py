"""The interview never loses work: driven through a pseudo-terminal, interrupted, resumed.

A real ``regiotoets new`` runs on a pseudo-terminal; after the opening questions and three decision
answers it gets SIGINT. The file it leaves must be a valid proposal with exactly those answers, and
``new --resume`` on it must ask only what is still open. End of input is a clean stop with exit code 5.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from conftest import IN_VALIDITY, ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a POSIX pseudo-terminal is needed")
DAY = "2025-06-01"


class Terminal:
    """A process on a pseudo-terminal: read what it shows, type answers."""

    def __init__(self, *args: str):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen([sys.executable, "-m", "cli", *args], cwd=ROOT, stdin=slave, stdout=slave,
                                     stderr=slave, close_fds=True)
        os.close(slave)
        self.shown = ""

    def wait_for(self, pattern: str, timeout: float = 30, count: int = 1) -> str:
        end = time.time() + timeout
        while time.time() < end:
            if len(re.findall(pattern, self.shown)) >= count:
                return self.shown
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.shown += os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:
                    break
        raise AssertionError(f"{pattern!r} did not appear:\n{self.shown}")

    def type(self, text: str) -> None:
        os.write(self.master, (text + "\n").encode("utf-8"))

    def close(self) -> int:
        try:
            code = self.proc.wait(timeout=30)
            while select.select([self.master], [], [], 0.2)[0]:  # what it showed while stopping
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.shown += chunk.decode("utf-8", "replace")
            return code
        finally:
            os.close(self.master)


def ruleset():
    from engine.rulebase.registry import choose

    return choose("foodvalley", IN_VALIDITY)


def plain_answer(path: str) -> tuple[str, str]:
    """A known answer that asks no details afterwards, as the menu number, and the value it stands for."""
    from engine.advising.followups import details_for

    spec = ruleset().facts[path]
    options = [v for v in spec.domain if v != "unknown"]
    for i, value in enumerate(options, 1):
        if not details_for(ruleset(), path, value):
            return str(i), value
    raise AssertionError(f"every answer to {path} asks details")


def open_meta(term: Terminal) -> None:
    for prompt, answer in [("Titel van het voorstel", "Gedeelde expertisefunctie"), ("Indiener", "Beleidsadviseur"),
                           ("Onderwerp", "Een expertisefunctie voor twee regio's"), ("Datum", "2025-05-01"),
                           (r"\[kind\]", "3"), ("Partnerregio", "Rivierenland")]:
        term.wait_for(prompt)
        term.type(answer)


def test_sigint_after_three_answers_leaves_a_file_that_resume_continues(tmp_path):
    from cli import main
    from engine.reading.facts import flatten
    from engine.advising.interview import QuestionEngine
    from engine.advising.pipeline import advise_file
    from engine.deciding.engines import evaluator_for

    out = tmp_path / "voorstel.yaml"
    term = Terminal("new", "--region", "foodvalley", "--date", DAY, "--output", str(out))
    given: dict[str, str] = {}
    try:
        open_meta(term)
        for n in range(1, 4):
            shown = term.wait_for(r"\?  \[([a-z_.0-9]+)\]", count=n + 1)  # the kind question counts too
            path = re.findall(r"\?  \[([a-z_.0-9]+)\]", shown)[n]
            number, value = plain_answer(path)
            given[path] = value
            term.wait_for("Antwoord", count=n + 1)
            term.type(number)
            term.wait_for("Voorlopige uitkomst", count=n)
        term.proc.send_signal(signal.SIGINT)
        code = term.close()
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
    assert code == 130, term.shown
    assert "new --resume" in term.shown
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file is left behind"
    advice = advise_file(out, day=IN_VALIDITY)  # a valid proposal
    rs = ruleset()
    facts = flatten(rs.model.model_validate(__import__("engine.reading.yamlio", fromlist=["x"]).load_document(out).data),
                    rs.facts)
    assert {p: facts[p] for p in given} == given
    assert advice.proposal.title == "Gedeelde expertisefunctie"

    qe = QuestionEngine(evaluator_for(rs))
    answers = {"kind": "programme", **given}
    expected_first = qe.next_question(answers)[0]
    result = CliRunner().invoke(main, ["new", "--resume", str(out), "--date", DAY], input="\n")  # ends after one prompt
    asked = re.findall(r"\?  \[([a-z_.0-9]+)\]", result.output)
    assert result.exit_code == 5, result.output
    assert asked == [expected_first]
    assert not set(asked) & set(given)
    assert "Titel" not in result.output


def test_end_of_input_is_a_clean_stop_that_keeps_the_answers(tmp_path):
    from cli import main

    out = tmp_path / "voorstel.yaml"
    result = CliRunner().invoke(main, ["new", "--region", "foodvalley", "--date", DAY, "--output", str(out)],
                                input="Gedeelde expertisefunctie\nBeleidsadviseur\n")
    assert result.exit_code == 5, result.output
    assert "Aborted" not in result.output
    assert "Einde van de invoer" in result.output
    text = out.read_text(encoding="utf-8")
    assert "Gedeelde expertisefunctie" in text and "Beleidsadviseur" in text


def test_existing_file_is_not_overwritten_without_confirmation(tmp_path):
    from cli import main

    out = tmp_path / "bestaand.yaml"
    out.write_text("# van de beleidsmedewerker\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", "--region", "foodvalley", "--date", DAY, "--output", str(out)],
                                input="\nEen titel\n")  # Enter: no, do not overwrite
    assert result.exit_code == 5, result.output
    assert out.read_text(encoding="utf-8") == "# van de beleidsmedewerker\n"
    assert "Een titel" in (tmp_path / "bestaand-2.yaml").read_text(encoding="utf-8")


def test_resume_keeps_comments_and_asks_unknown_facts_again(tmp_path):
    from cli import main

    path = tmp_path / "half.yaml"
    path.write_text("# Opgesteld door de beleidsmedewerker jeugd\nregion: foodvalley\ntitle: Kennisnetwerk\n"
                    "submitter: Beleidsadviseur\ndate: 2025-05-01\ntopic: Een bovenregionaal kennisnetwerk\n"
                    "kind: programme\npartner_regions: []\nlegal:\n  required: weet ik niet  # nog navragen bij juridische zaken\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["new", "--resume", str(path), "--date", DAY], input="\nnee\n")
    assert result.exit_code == 5, result.output
    assert re.findall(r"\?  \[([a-z_.0-9]+)\]", result.output)[0] == "legal.required"
    text = path.read_text(encoding="utf-8")
    assert "# Opgesteld door de beleidsmedewerker jeugd" in text
    assert "# nog navragen bij juridische zaken" in text
    assert "required: no" in text or "required: 'no'" in text or 'required: "no"' in text


def test_question_mark_explains_with_the_source(tmp_path):
    from cli import main

    out = tmp_path / "v.yaml"
    lines = ["Titel voorstel", "Indiener", "Een onderwerp", "", "3", "", "?"]
    result = CliRunner().invoke(main, ["new", "--region", "foodvalley", "--date", DAY, "--output", str(out)],
                                input="\n".join(lines) + "\n")
    assert "Waarom deze vraag?" in result.output
    assert "[FV-WET-" in result.output or "“" in result.output
    assert "weet ik niet" not in out.read_text(encoding="utf-8")


def test_numbers_as_officers_type_them():
    from engine.common.i18n import parse_number

    assert parse_number("2,5") == 2.5
    assert parse_number("€ 120.000") == 120000
    assert parse_number("120.000,50") == 120000.5
    assert parse_number("1.5") == 1.5
    assert parse_number("veel") is None


def test_the_interview_speaks_dutch_when_an_answer_is_wrong(tmp_path):
    """Yes/no questions take j/ja and n/nee and show [j/N]; a wrong region, date or kind is said in Dutch
    ("Fout: …"), never with click's English "Error:" or "is not one of"."""
    from cli import main

    out = tmp_path / "bestaand.yaml"
    out.write_text("# van de beleidsmedewerker\n", encoding="utf-8")
    answers = ["food", "foodvalley", "misschien", "ja", "Gezamenlijke inkoop van pleegzorg", "Beleidsadviseur",
               "Inkoop van ondersteuning voor pleeggezinnen", "morgen", "2025-05-01", "zwemmen", "inkop", "1"]
    result = CliRunner().invoke(main, ["new", "--date", DAY, "--output", str(out)], input="\n".join(answers) + "\n")
    assert result.exit_code == 5, result.output
    assert "Overschrijven? [j/N]" in result.output
    assert "Fout: antwoord j (ja) of n (nee)" in result.output
    assert "Fout: onbekende regio; kies een van: foodvalley, midden-limburg" in result.output
    assert "Fout: Geen datum; gebruik JJJJ-MM-DD" in result.output
    assert "Fout: Ongeldig antwoord; kies een nummer" in result.output
    assert "Datum van het voorstel (JJJJ-MM-DD) [2025-06-01]" in result.output  # not after the evaluation date
    assert "Error" not in result.output and "is not one of" not in result.output
    assert "weet ik niet — bedoelde u 'inkoop'?" in result.output  # a typo gets a hint
    text = out.read_text(encoding="utf-8")  # 'ja': overwritten, with the answers given
    assert "Gezamenlijke inkoop van pleegzorg" in text and 'kind: "procurement"' in text


def test_the_english_interview_takes_yes_and_no(tmp_path):
    from cli import main

    out = tmp_path / "existing.yaml"
    out.write_text("# kept\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", "--region", "foodvalley", "--date", DAY, "--output", str(out),
                                       "--lang", "en"], input="no\nA title\n")
    assert result.exit_code == 5, result.output
    assert "Overwrite it? [y/N]" in result.output
    assert out.read_text(encoding="utf-8") == "# kept\n"
