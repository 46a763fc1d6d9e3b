"""Explanation templates: ``[[…]]`` brackets never reach an advice, with or without placeholders."""

from __future__ import annotations

from engine.advising.advice import fill


def test_optional_segment_without_placeholders_loses_its_brackets():
    assert fill("Vooraf: [[let op]] klaar.", {}, "nl") == "Vooraf: let op klaar."
    assert fill("Vooraf: [[let op]] {{title}}.", {"title": "X"}, "nl") == "Vooraf: let op X."


def test_segment_with_an_empty_placeholder_vanishes():
    assert fill("Klaar[[ met {{title}}]].", {}, "nl") == "Klaar."


def test_advice_text_of_a_rule_with_only_a_fixed_optional_segment(tmp_path):
    # The whole path of an advice: a template without any placeholder is not filled, but must lose its brackets.
    import json
    import shutil

    from conftest import RULES, SCENARIOS, run_cli

    folder = tmp_path / "rules" / "foodvalley"
    shutil.copytree(RULES / "foodvalley", folder)
    path = folder / "60-inkoop.yaml"
    text = path.read_text(encoding="utf-8")
    old = 'nl: "De inkoop gebruikt niet de systematiek van bestuurlijk aanbesteden,'
    assert old in text
    path.write_text(text.replace(old, 'nl: "[[Let op:]] De inkoop gebruikt niet de systematiek van bestuurlijk '
                                      'aanbesteden,', 1), encoding="utf-8")
    result = run_cli("evaluate", str(SCENARIOS / "foodvalley" / "inkoop-met-afwijkingen.yaml"), "--rules",
                     str(tmp_path / "rules"), "--date", "2025-06-01", "--format", "json")
    assert result.returncode == 0, result.stderr
    use = next(u for u in json.loads(result.stdout)["trace"] if u["rule"] == "FV-INK-01")
    assert use["text"].startswith("Let op: De inkoop"), use["text"]


def test_text_from_the_proposal_that_looks_like_a_placeholder_stays_text():
    data = {"title": "Plan {{submitter}}", "submitter": "geheim"}
    assert fill("Over {{title}}.", data, "nl") == "Over Plan {{submitter}}."
    assert fill("Over[[ {{title}}]].", data, "nl") == "Over Plan {{submitter}}."
