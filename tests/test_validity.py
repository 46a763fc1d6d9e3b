"""Validity periods: the rule set valid on the evaluation date is chosen, and a date outside gives a warning."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import SCENARIOS, run_cli
from engine.advising.pipeline import advise_file

SCENARIO = SCENARIOS / "midden-limburg" / "jeugdzorgplus-limburg.yaml"


@pytest.mark.parametrize("day, rule_set, version", [
    (dt.date(2014, 6, 1), "midden-limburg-visienota", "2013.2"),
    (dt.date(2015, 12, 31), "midden-limburg-visienota", "2013.2"),
    (dt.date(2016, 1, 1), "midden-limburg-beleidsplan", "2016.1"),
    (dt.date(2018, 3, 1), "midden-limburg-beleidsplan", "2016.1"),
])
def test_the_version_valid_on_the_date_is_chosen(two_versions, day, rule_set, version):
    advice = advise_file(SCENARIO, day=day, rules_root=two_versions)
    assert (advice.ruleset.id, advice.ruleset.version) == (rule_set, version)
    assert advice.validity_warning is None


def test_the_report_states_which_version(two_versions):
    result = run_cli("evaluate", str(SCENARIO), "--rules", str(two_versions), "--date", "2017-05-01")
    assert result.returncode == 0, result.stderr
    assert "midden-limburg-beleidsplan (versie 2016.1, geldig 2016-01-01 t/m 2019-12-31)" in result.stdout
    assert "valt daarbuiten" not in result.stdout  # no validity warning (the rule set is not shipped: that is said)
    assert "niet met regiotoets meegeleverd" in " ".join(result.stdout.split())
    result = run_cli("evaluate", str(SCENARIO), "--rules", str(two_versions), "--date", "2014-05-01", "--format", "json")
    advice = json.loads(result.stdout)
    advice = advice[0] if isinstance(advice, list) else advice
    assert advice["ruleset"]["version"] == "2013.2"


def test_past_every_version_the_nearest_is_used_with_a_warning(two_versions):
    advice = advise_file(SCENARIO, day=dt.date(2024, 1, 1), rules_root=two_versions)
    assert advice.ruleset.version == "2016.1"
    assert "2019-12-31" in advice.validity_warning


def test_date_past_validity_gives_a_prominent_warning_in_text_output():
    result = run_cli("evaluate", str(SCENARIOS / "foodvalley" / "expertisecentrum.yaml"), "--date", "2026-02-01")
    assert result.returncode == 0, result.stderr
    warning = [line for line in result.stdout.splitlines() if line.startswith("! ")]
    assert warning and "Let op" in warning[0]
    assert "2025-12-31" in result.stdout and "2026-02-01" in result.stdout
    # the warning comes before the outcome
    assert result.stdout.index("Let op") < result.stdout.index("UITKOMST")


def test_foodvalley_after_2025_warns():
    advice = advise_file(SCENARIOS / "foodvalley" / "expertisecentrum.yaml", day=dt.date(2026, 2, 1))
    assert advice.validity_warning and "2025-12-31" in advice.validity_warning


def test_date_before_validity_warns_in_english():
    result = run_cli("evaluate", str(SCENARIO), "--date", "2013-01-15", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "only applies from 2013-09-01" in result.stdout


def test_a_bad_date_is_a_clean_error():
    result = run_cli("evaluate", str(SCENARIO), "--date", "15-01-2014")
    assert result.returncode == 2 and "JJJJ-MM-DD" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["evaluate", "validate", "rules", "schema", "regions", "report", "explain",
                                     "whatif", "new", "check"])
def test_every_region_command_has_region_rules_and_date(command):
    import cli

    cmd = cli.main.get_command(None, command)
    names = {p.name for p in cmd.params}
    assert {"region", "rules_dir", "date_"} <= names, command
