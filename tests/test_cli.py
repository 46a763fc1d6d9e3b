"""The command line as a policy officer uses it."""

from __future__ import annotations

import json

from conftest import ROOT, run_cli

SCENARIO = "scenarios/foodvalley/inkoop-met-afwijkingen.yaml"


def test_evaluate_text_is_dutch_by_default():
    result = run_cli("evaluate", SCENARIO, "--date", "2025-06-01")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "UITKOMST: MEEDOEN, MITS AAN DE VOORWAARDEN IS VOLDAAN" in out
    assert "Voorwaarden" in out and "[FV-INK-01]" in out and "Bron:" in out
    assert "Vervolg" in out


def test_evaluate_english_and_markdown():
    result = run_cli("evaluate", SCENARIO, "--date", "2025-06-01", "--lang", "en", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    assert "## Outcome: Participate, provided the conditions are met" in result.stdout
    assert "## Conditions" in result.stdout and "> \u201c" in result.stdout


def test_evaluate_several_files_to_json_file(tmp_path):
    out = tmp_path / "advies.json"
    result = run_cli("evaluate", SCENARIO, "scenarios/foodvalley/expertisecentrum.yaml", "--format", "json",
                     "--date", "2025-06-01", "--output", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["outcome"] for d in data] == ["participate_provided", "participate"]
    assert all(len(d["ruleset"]["sha256"]) == 64 and len(d["proposal"]["sha256"]) == 64 for d in data)


def test_validity_warning_after_the_vision_expired():
    result = run_cli("evaluate", SCENARIO, "--date", "2026-11-23")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "Let op: de regelset 'Jeugdhulpregio FoodValley' (versie 2021.2) is geldig tot en met 2025-12-31" in text
    assert "de toetsdatum 2026-11-23 valt daarbuiten" in text
    inside = run_cli("evaluate", SCENARIO, "--date", "2025-06-01")
    assert "Let op" not in inside.stdout


def test_validate_accepts_all_scenarios():
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "scenarios" / "foodvalley").glob("*.yaml"))
    result = run_cli("validate", *files)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("geldig voorstel") == len(files)


def test_rules_lists_ids_titles_and_citations():
    result = run_cli("rules", "--region", "foodvalley")
    assert result.returncode == 0, result.stderr
    assert "FV-WET-01" in result.stdout and "Hoe werken we bovenregionaal samen?" in result.stdout


def test_schema_is_json_schema_with_region_vocabulary(tmp_path):
    out = tmp_path / "schema.json"
    result = run_cli("schema", "--region", "foodvalley", "--output", str(out))
    assert result.returncode == 0, result.stderr
    schema = json.loads(out.read_text(encoding="utf-8"))
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"title", "submitter", "date", "topic"} <= set(schema["required"])
    text = json.dumps(schema)
    assert "kind_hoort_thuis" in text and "administrative_tendering" in text


def test_help_lists_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("evaluate", "validate", "rules", "schema"):
        assert command in result.stdout


def test_validate_help_states_the_input_limits():
    """The limits in 'validate --help' are the ones the loader enforces."""
    from click.testing import CliRunner

    import cli
    from engine.reading import yamlfast, yamlio

    text = " ".join(CliRunner().invoke(cli.main, ["validate", "--help"]).output.split())
    assert f"{yamlio.MAX_BYTES // 1024} kB" in text
    assert f"{yamlfast.MAX_DEPTH} niveaus" in text
    assert f"{yamlfast.MAX_NODES:,}".replace(",", ".") + " waarden" in text
    assert f"{yamlfast.MAX_STRING:,}".replace(",", ".") + " tekens" in text
    assert f"{yamlfast.MAX_DIGITS} cijfers" in text
