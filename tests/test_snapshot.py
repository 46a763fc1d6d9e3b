"""A rule set kept between runs (engine/rulebase/snapshot.py) never changes an answer.

A stale entry (a rule file or the source edited), a damaged entry, a cache folder that cannot be written and
``REGIOTOETS_CACHE=off`` each behave exactly as no cache: the files are loaded again.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from engine.advising.pipeline import advise_file
from engine.common.errors import RuleError
from engine.render.jsonout import render_json
from engine.render.text import render_text
from engine.rulebase import ruleset as R
from engine.rulebase import registry, snapshot, verified

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
DAYS = {"foodvalley": dt.date(2025, 6, 1), "midden-limburg": dt.date(2014, 6, 1)}


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "rulesets").glob("*.pickle"))


def _same(a: R.RuleSet, b: R.RuleSet) -> None:
    assert [(r.id, r.stratum, r.page, r.file, r.loc, r.line, r.condition, r.data) for r in a.rules] == \
           [(r.id, r.stratum, r.page, r.file, r.loc, r.line, r.condition, r.data) for r in b.rules]
    assert a.meta == b.meta and a.not_encoded == b.not_encoded and a.files == b.files
    assert a.content_hash == b.content_hash and a.source_text == b.source_text and a.facts == b.facts


def _forget() -> None:
    """Forget what this process loaded, so the next choice loads (from the cache or the files)."""
    registry._scan.cache_clear()
    registry._load.cache_clear()
    registry._CHOSEN.clear()


def _recalled(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = snapshot.recall
    monkeypatch.setattr(snapshot, "recall", lambda *a: calls.append(1) or real(*a))
    return calls


def test_a_kept_rule_set_is_the_loaded_one(cache, foodvalley_copy, monkeypatch):
    first = R.load_ruleset(foodvalley_copy, remember=True)
    assert len(_entries(cache)) == 1
    monkeypatch.setattr(R, "_load", lambda *a, **k: pytest.fail("loaded from the files again"))
    second = R.load_ruleset(foodvalley_copy, remember=True)
    _same(first, second)
    assert second is not first


@pytest.mark.parametrize("region", sorted(DAYS))
def test_every_scenario_gives_the_same_advice_with_and_without_the_cache(cache, monkeypatch, region):
    files = sorted((ROOT / "scenarios" / region).glob("*.yaml"))
    outputs = []
    for setting in ("off", str(cache), str(cache)):  # no cache, then writing it, then reading it
        monkeypatch.setenv(verified.ENV_CACHE, setting)
        _forget()
        advices = [advise_file(f, day=DAYS[region], lang=lang) for f in files for lang in ("nl", "en")]
        outputs.append([render_json([a]) + render_text(a) for a in advices])
    _forget()
    assert outputs[0] == outputs[1] == outputs[2]
    assert _entries(cache)


def test_an_edited_rule_file_is_loaded_again(cache, foodvalley_copy):
    R.load_ruleset(foodvalley_copy, remember=True)
    rule_file = foodvalley_copy / "20-inhoud.yaml"
    text = rule_file.read_text(encoding="utf-8")
    old = "Inhoud is in lijn met Ons Verhaal en het zorglandschap"
    assert old in text
    rule_file.write_text(text.replace(old, "Een nieuwe titel", 1), encoding="utf-8")
    again = R.load_ruleset(foodvalley_copy, remember=True)
    assert "Een nieuwe titel" in [r.data.title.nl for r in again.rules]
    _same(again, R.load_ruleset(foodvalley_copy))
    assert len(_entries(cache)) == 2


def test_a_broken_rule_file_is_reported_after_a_good_load(cache, foodvalley_copy):
    R.load_ruleset(foodvalley_copy, remember=True)
    rule_file = foodvalley_copy / "20-inhoud.yaml"
    rule_file.write_text(rule_file.read_text(encoding="utf-8").replace("step:", "stap:", 1), encoding="utf-8")
    with pytest.raises(RuleError) as kept:
        R.load_ruleset(foodvalley_copy, remember=True)
    with pytest.raises(RuleError) as plain:
        R.load_ruleset(foodvalley_copy)
    assert kept.value.render() == plain.value.render()


def test_an_edited_source_is_loaded_again(cache, foodvalley_copy):
    R.load_ruleset(foodvalley_copy, remember=True)
    source = next((foodvalley_copy / "bron").glob("*.txt"))
    source.write_text("Een andere tekst.\n", encoding="utf-8")
    with pytest.raises(RuleError):
        R.load_ruleset(foodvalley_copy, remember=True)


@pytest.mark.parametrize("damage", ["empty", "truncated", "flipped", "garbage", "other-key", "group-writable"])
def test_a_damaged_entry_means_loading_the_files(cache, foodvalley_copy, monkeypatch, damage):
    first = R.load_ruleset(foodvalley_copy, remember=True)
    (entry,) = _entries(cache)
    data = entry.read_bytes()
    if damage == "empty":
        entry.write_bytes(b"")
    elif damage == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":
        entry.write_bytes(data[:-100] + bytes([data[-100] ^ 0xFF]) + data[-99:])
    elif damage == "garbage":
        entry.write_bytes(snapshot._MAGIC + os.urandom(500))
    elif damage == "other-key":  # an intact entry of another rule set in this entry's place
        other = R.load_ruleset(RULES / "midden-limburg", remember=True)
        (other_entry,) = [e for e in _entries(cache) if e != entry]
        shutil.copyfile(other_entry, entry)
        assert other.region != first.region
    else:
        entry.chmod(0o666)
    loads = []
    real = R._load
    monkeypatch.setattr(R, "_load", lambda *a, **k: loads.append(1) or real(*a, **k))
    second = R.load_ruleset(foodvalley_copy, remember=True)
    assert loads == [1]
    _same(first, second)


def test_an_unwritable_cache_or_none_loads_the_same(tmp_path, foodvalley_copy, monkeypatch):
    plain = R.load_ruleset(foodvalley_copy)
    monkeypatch.setenv(verified.ENV_CACHE, "off")
    assert snapshot.key_for(foodvalley_copy) is None
    _same(plain, R.load_ruleset(foodvalley_copy, remember=True))
    _same(plain, R.load_ruleset(foodvalley_copy, remember=True))
    assert not list(tmp_path.rglob("*.pickle"))
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(verified.ENV_CACHE, str(blocker / "cache"))  # a folder below a file cannot exist
    _same(plain, R.load_ruleset(foodvalley_copy, remember=True))
    _same(plain, R.load_ruleset(foodvalley_copy, remember=True))
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    monkeypatch.setenv(verified.ENV_CACHE, str(readonly))
    readonly.chmod(0o500)
    try:
        _same(plain, R.load_ruleset(foodvalley_copy, remember=True))
        _same(plain, R.load_ruleset(foodvalley_copy, remember=True))
    finally:
        readonly.chmod(0o700)


def test_the_headers_are_kept_and_an_edited_header_is_read_again(cache, tmp_path, monkeypatch):
    root = tmp_path / "rules"
    shutil.copytree(RULES, root)
    first = registry._scan.__wrapped__(root)
    with monkeypatch.context() as m:
        m.setattr(registry, "load_document", lambda *a, **k: pytest.fail("header read again"))
        assert registry._scan.__wrapped__(root) == first  # from the cache
    head = root / "foodvalley" / "ruleset.yaml"
    head.write_text(head.read_text(encoding="utf-8").replace("\nname: ", "\nname: X", 1), encoding="utf-8")
    changed = registry._scan.__wrapped__(root)
    assert changed != first
    monkeypatch.setenv(verified.ENV_CACHE, "off")
    assert changed == registry._scan.__wrapped__(root)


def test_a_rule_set_folder_seen_from_elsewhere_names_its_files_from_there(cache, foodvalley_copy, monkeypatch, tmp_path):
    monkeypatch.chdir(foodvalley_copy.parent)
    first = R.load_ruleset(foodvalley_copy, remember=True)
    monkeypatch.chdir(tmp_path)
    second = R.load_ruleset(foodvalley_copy, remember=True)
    plain = R.load_ruleset(foodvalley_copy)
    assert [r.file for r in second.rules] == [r.file for r in plain.rules] != [r.file for r in first.rules]
