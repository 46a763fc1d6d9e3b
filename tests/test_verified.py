"""The checks against the source are remembered per version of a rule set's files, and never change an answer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.rulebase import ruleset as R
from engine.rulebase import verified
from engine.common.errors import RuleError

RULES = Path(__file__).resolve().parent.parent / "rules"


def _summary(rs: R.RuleSet):
    return ([(r.id, r.stratum, r.page, r.file) for r in rs.rules], rs.not_encoded, rs.content_hash)


def test_second_load_skips_the_checks_and_gives_the_same_rule_set(cache, foodvalley_copy, monkeypatch):
    first = R.load_ruleset(foodvalley_copy, remember=True)
    assert len(list((cache / "verified").glob("*.json"))) == 1

    def boom(*args, **kwargs):
        raise AssertionError("checked again")

    monkeypatch.setattr(R, "_citation_problems", boom)
    monkeypatch.setattr("engine.rulebase.notencoded._chapter_problems", boom)
    second = R.load_ruleset(foodvalley_copy, remember=True)
    assert _summary(second) == _summary(first)
    with pytest.raises(AssertionError, match="checked again"):
        R.load_ruleset(foodvalley_copy)  # without remember (check, tests): always checked


def _replace_first_quote(path):
    """Put a sentence that is nowhere in the source in place of the file's first quote."""
    text = path.read_text(encoding="utf-8")
    start = text.index("quote:") + len("quote:")
    path.write_text(text[:start] + ' "Deze zin staat nergens in de regiovisie van de regio."\n'
                    + text[text.index("\n", start) + 1:], encoding="utf-8")


def test_a_changed_quote_is_checked_again(cache, foodvalley_copy):
    R.load_ruleset(foodvalley_copy, remember=True)
    _replace_first_quote(foodvalley_copy / "20-inhoud.yaml")
    with pytest.raises(RuleError, match="staat niet in de bron"):
        R.load_ruleset(foodvalley_copy, remember=True)


def test_a_changed_source_is_checked_again(cache, foodvalley_copy):
    R.load_ruleset(foodvalley_copy, remember=True)
    source = next((foodvalley_copy / "bron").glob("*.txt"))
    source.write_text("Een andere tekst.\n", encoding="utf-8")
    with pytest.raises(RuleError):
        R.load_ruleset(foodvalley_copy, remember=True)


def test_a_changed_not_encoded_passage_is_checked_again(cache, foodvalley_copy):
    R.load_ruleset(foodvalley_copy, remember=True)
    _replace_first_quote(foodvalley_copy / "niet-gecodeerd.yaml")
    with pytest.raises(RuleError, match="niet in de bron"):
        R.load_ruleset(foodvalley_copy, remember=True)


@pytest.mark.parametrize("damage", [b"", b"{", b'{"key": "other", "pages": {}}', b'{"pages": []}'])
def test_a_damaged_entry_means_checking(cache, foodvalley_copy, monkeypatch, damage):
    R.load_ruleset(foodvalley_copy, remember=True)
    (entry,) = (cache / "verified").glob("*.json")
    entry.write_bytes(damage)
    shutil.rmtree(cache / "rulesets")  # the whole rule set is kept too (test_snapshot.py): here the checks alone
    called = []
    real = R._citation_problems
    monkeypatch.setattr(R, "_citation_problems", lambda *a: called.append(1) or real(*a))
    R.load_ruleset(foodvalley_copy, remember=True)
    assert called


def test_no_cache_or_an_unwritable_one_still_loads(tmp_path, foodvalley_copy, monkeypatch):
    monkeypatch.setenv(verified.ENV_CACHE, "off")
    assert verified.cache_folder() is None
    R.load_ruleset(foodvalley_copy, remember=True)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(verified.ENV_CACHE, str(blocker / "cache"))  # a folder below a file cannot exist
    rs = R.load_ruleset(foodvalley_copy, remember=True)
    assert rs.rules


def test_only_the_most_recent_answers_are_kept(cache, monkeypatch):
    monkeypatch.setattr(verified, "KEEP", 3)
    for n in range(6):
        verified.remember(f"{n:064x}", {"pages": {}})
    kept = sorted(p.stem for p in (cache / "verified").glob("*.json"))
    assert len(kept) == 3
