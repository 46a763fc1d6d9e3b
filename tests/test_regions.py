"""``regiotoets regions`` and choosing a region: by option, by the proposal, or with a suggestion."""

from __future__ import annotations

from conftest import SCENARIOS, run_cli


def test_regions_lists_both_rule_sets_with_source_version_and_validity():
    result = run_cli("regions")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "foodvalley-regiovisie" in out and "004_af38ee388a5c8a6b.txt" in out and "2025-12-31" in out
    assert "midden-limburg-visienota" in out and "2013.2" in out and "2013-09-01 – …" in out
    assert "002_3e7312ca97d5d6ed.txt" in out


def test_regions_filters_on_region():
    result = run_cli("regions", "--region", "midden-limburg", "--date", "2014-01-01")
    assert result.returncode == 0, result.stderr
    assert "midden-limburg-visienota" in result.stdout and "foodvalley" not in result.stdout
    assert "2014-01-01" in result.stdout


def test_regions_unknown_region_suggests_the_right_one():
    result = run_cli("regions", "--region", "midden_limburg")
    assert result.returncode == 2
    assert "midden-limburg" in result.stderr


def test_region_from_the_proposal_file_and_from_the_option():
    path = SCENARIOS / "midden-limburg" / "kennisnetwerk-autisme.yaml"
    result = run_cli("evaluate", str(path), "--date", "2014-12-01")
    assert result.returncode == 0, result.stderr
    assert "midden-limburg-visienota" in result.stdout
    # --region overrides the file: the Midden-Limburg vocabulary is unknown to FoodValley
    result = run_cli("validate", str(path), "--region", "foodvalley")
    assert result.returncode == 2
    assert "passend_snel_vroeg" in result.stderr and "Traceback" not in result.stderr


def test_both_regions_evaluate_in_one_run():
    fv = SCENARIOS / "foodvalley" / "expertisecentrum.yaml"
    ml = SCENARIOS / "midden-limburg" / "jeugdzorgplus-limburg.yaml"
    result = run_cli("evaluate", str(fv), str(ml), "--date", "2025-06-01")
    assert result.returncode == 0, result.stderr
    assert "foodvalley-regiovisie" in result.stdout and "midden-limburg-visienota" in result.stdout
