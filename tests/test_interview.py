"""The interview: only questions that still matter, scripted end to end, and once in a real terminal."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest
from click.testing import CliRunner

from conftest import IN_VALIDITY, ROOT

KIND_NUMBER = {"procurement": "1", "expertise_function": "2", "programme": "3"}


def _engine():
    from engine.advising.interview import QuestionEngine
    from engine.deciding.engines import evaluator_for
    from engine.rulebase.registry import choose

    return QuestionEngine(evaluator_for(choose("foodvalley", IN_VALIDITY)))


def default_answer(path: str, spec) -> Any:
    """A plausible answer: supra-regional scale, everything fits and holds."""
    if path.startswith("scale."):
        return "no"
    for value in ("supports", "yes", "better", "administrative_tendering", "indefinite", "output", "reduced"):
        if value in spec.domain:
            return value
    return spec.domain[0]


def simulate(policy: dict[str, Any], kind: str = "programme",
             default: Callable[[str, Any], Any] = default_answer) -> list[tuple[str, Any, dict, Any]]:
    """Run the question engine as the command does: (question, answer, answers before, witness)."""
    qe = _engine()
    answers: dict[str, Any] = {"kind": kind}
    asked = []
    while (found := qe.next_question(answers)) is not None:
        path, witness = found
        value = policy.get(path, default(path, qe.ruleset.facts[path]))
        asked.append((path, value, dict(answers), witness))
        answers[path] = value
    return asked


def typed(value: Any) -> str:
    """How a person types the answer: Dutch words, 'weet ik niet' for unknown."""
    return {"yes": "ja", "no": "nee", "unknown": "weet ik niet", "supports": "ondersteunt", "conflicts": "botst",
            "neutral": "neutraal", "better": "beter"}.get(value, str(value))


def run_new(tmp_path: Path, asked, kind: str = "programme", *extra: str, meta: bool = True) -> tuple[Any, Path]:
    from cli import main

    out = tmp_path / "voorstel.yaml"
    lines = ["Deelname kennisnetwerk", "Beleidsadviseur jeugd", "Een bovenregionaal kennisnetwerk", "",
             KIND_NUMBER[kind], "Rivierenland, Achterhoek"] if meta else []
    lines += answer_lines(asked) + [""]  # the last: no to the 'nog vast te stellen' questions
    args = ["new", "--region", "foodvalley", *extra] if extra else ["new", "--region", "foodvalley", "--output", str(out)]
    result = CliRunner().invoke(main, args, input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    return result, out


def answer_lines(asked) -> list[str]:
    """What a person types for these answers: each answer, then Enter to skip the details the rules show."""
    from engine.advising.followups import details_for

    ruleset = _engine().ruleset
    lines = []
    for path, value, _, _ in asked:
        lines.append(typed(value))
        if value != "unknown":
            lines += [""] * len(details_for(ruleset, path, value))
    return lines


def asked_in(output: str) -> list[str]:
    import re
    return re.findall(r"\?  \[([a-z_.0-9]+)\]", output)


def evaluate(path: Path) -> str:
    from engine.advising.pipeline import advise_file

    return advise_file(path, day=IN_VALIDITY).outcome


def test_legally_required_asks_nothing_else(tmp_path):
    asked = simulate({"legal.required": "yes"})
    assert [a[0] for a in asked] == ["legal.required"]
    result, out = run_new(tmp_path, asked)
    assert asked_in(result.output) == ["kind", "legal.required"]
    assert "finances" not in result.output and "financi" not in result.output.lower()
    assert "Voorlopige uitkomst: Meedoen" in result.output
    assert evaluate(out) == "participate"
    text = out.read_text(encoding="utf-8")
    assert "# Is de samenwerking wettelijk voorgeschreven" in text


def test_conflict_brings_up_the_alignment_question(tmp_path):
    asked = simulate({"legal.required": "no", "content.values.kind_hoort_thuis.fit": "conflicts",
                      "content.can_be_aligned": "yes", "capacity.sufficient": "yes"})
    paths = [a[0] for a in asked]
    assert "content.can_be_aligned" in paths
    assert paths.index("content.can_be_aligned") > paths.index("content.values.kind_hoort_thuis.fit")
    result, out = run_new(tmp_path, asked)
    assert asked_in(result.output)[1:] == paths
    assert evaluate(out) == "participate_provided"


def test_no_conflict_never_asks_about_alignment(tmp_path):
    asked = simulate({"legal.required": "no", "capacity.sufficient": "yes"})
    paths = [a[0] for a in asked]
    assert "content.can_be_aligned" not in paths
    assert not any(p.startswith("procurement.") for p in paths), "no procurement questions for a programme"
    result, out = run_new(tmp_path, asked)
    assert "content.can_be_aligned" not in result.output
    assert evaluate(out) == "participate"


def test_dont_know_leads_to_insufficient_information(tmp_path):
    asked = simulate({"legal.required": "no"}, default=lambda path, spec: "unknown")
    assert len(asked) >= 2
    result, out = run_new(tmp_path, asked)
    assert "weet ik niet" in result.output
    assert evaluate(out) == "insufficient_information"


def test_procurement_asks_procurement_questions(tmp_path):
    asked = simulate({"legal.required": "no"}, kind="procurement")
    assert any(a[0].startswith("procurement.") for a in asked)


@pytest.mark.parametrize("policy,kind", [
    ({"legal.required": "yes"}, "programme"),
    ({"legal.required": "no", "content.values.kind_hoort_thuis.fit": "conflicts", "content.can_be_aligned": "yes"},
     "programme"),
    ({"legal.required": "no"}, "procurement"),
    ({"legal.required": "unknown", "content.values.blijven_leren.fit": "conflicts"}, "programme"),
])
def test_every_question_asked_can_change_the_outcome(policy, kind):
    """Re-evaluate each asked question's answers through the whole pipeline: they must not all agree."""
    from engine.advising.pipeline import advise_data
    from engine.advising.whatif import apply_to_data, value_classes

    qe = _engine()
    ruleset = qe.ruleset
    base = {"title": "Testvoorstel", "submitter": "Beleid", "date": "2025-05-01", "topic": "Een onderwerp",
            "region": "foodvalley"}
    for path, _value, before, witness in simulate(policy, kind):
        outcomes = set()
        for group in value_classes(ruleset, path):
            data = apply_to_data(base, [*before.items(), *witness.completion.items(), (path, group[0])], ruleset.facts)
            outcomes.add(advise_data(ruleset, data, day=IN_VALIDITY).outcome)
        assert len(outcomes) >= 2, path


def test_resume_asks_only_what_is_missing(tmp_path):
    from cli import main

    partial = tmp_path / "half.yaml"
    partial.write_text("region: foodvalley\ntitle: Deelname kennisnetwerk\nsubmitter: Beleidsadviseur\ndate: 2025-05-01\n"
                       "topic: Een bovenregionaal kennisnetwerk\nkind: programme\npartner_regions: []\n"
                       "legal:\n  required: nee\ncontent:\n  values:\n    alle_kinderen_normaal: ondersteunt\n"
                       "    kind_is_gezin: {fit: neutral, reason: Gezinsgericht}\n", encoding="utf-8")
    given = {"legal.required": "no", "content.values.alle_kinderen_normaal.fit": "supports",
             "content.values.kind_is_gezin.fit": "neutral"}
    full = simulate({**given, "capacity.sufficient": "yes"})
    rest = [a for a in full if a[0] not in given]
    result = CliRunner().invoke(main, ["new", "--resume", str(partial)],
                                input="\n".join(["", *answer_lines(rest), ""]) + "\n")
    assert result.exit_code == 0, result.output
    asked = asked_in(result.output)
    assert asked == [a[0] for a in rest]
    assert not set(asked) & set(given)
    assert "Titel" not in result.output  # meta fields were there already
    text = partial.read_text(encoding="utf-8")
    assert "Gezinsgericht" in text  # what the file said is kept
    assert evaluate(partial) == "participate"


def test_written_file_validates_and_evaluates_from_the_command_line(tmp_path):
    from conftest import run_cli

    asked = simulate({"legal.required": "no", "capacity.sufficient": "no"})
    _, out = run_new(tmp_path, asked)
    assert run_cli("validate", str(out)).returncode == 0
    evaluated = run_cli("evaluate", str(out), "--date", "2025-06-01", "--format", "json")
    assert evaluated.returncode == 0 and '"participate_provided"' in evaluated.stdout


def test_invalid_answer_is_asked_again(tmp_path):
    from cli import main

    out = tmp_path / "v.yaml"
    lines = ["Titel voorstel", "Indiener", "Een onderwerp", "", "3", "", "misschien", "1", "", ""]
    result = CliRunner().invoke(main, ["new", "--region", "foodvalley", "--output", str(out)],
                                input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert "Ongeldig antwoord" in result.output
    assert evaluate(out) == "participate"


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_interview_in_a_real_terminal(tmp_path):
    session = f"regiotoets-{int(time.time() * 1000)}"
    out = tmp_path / "terminal.yaml"
    command = f"cd {ROOT} && {sys.executable} -m cli new --region foodvalley --output {out}; sleep 30"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "50", command], check=True)

    def screen() -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout

    def wait_for(text: str, timeout: float = 20) -> str:
        end = time.time() + timeout
        while time.time() < end:
            shown = screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear:\n{screen()}")

    try:
        for prompt, answer in [("Titel van het voorstel", "Terminaltest"), ("Indiener", "Beleidsadviseur"),
                               ("Onderwerp", "Een onderwerp in de terminal"), ("Datum", ""),
                               ("[kind]", "3"), ("Partnerregio", ""), ("[legal.required]", "ja"),
                               ("Wettelijke grondslag", ""), ("Nu beantwoorden?", "")]:
            wait_for(prompt)
            subprocess.run(["tmux", "send-keys", "-t", session, answer, "Enter"], check=True)
        shown = wait_for("Voorstel geschreven naar")
        assert "Voorlopige uitkomst: Meedoen" in shown
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    assert evaluate(out) == "participate"
