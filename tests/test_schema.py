"""The exported JSON Schema accepts exactly what the loader accepts.

Every scenario validates; and over generated proposals — scenarios with fields changed into Dutch
answers in any case, shorthand, wrong words, numbers as text, booleans, nulls, lists, unknown fields,
short titles, odd dates, region names in capitals — the loader (on a JSON file, through the real
``load_proposal``) accepts a proposal if and only if ``jsonschema`` validates it against the schema.
Only the region itself is kept to the schema's region or clearly wrong names: a file naming another
installed region is read against that region's schema, which is a different file.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import IN_VALIDITY, SCENARIOS, run_cli

EXAMPLES = 600
TRIED: dict[str, int] = {"schema": 0}


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _scenarios(region: str) -> list[dict[str, Any]]:
    from engine.reading.yamlio import load_document

    return [_plain(load_document(p).data) for p in sorted((SCENARIOS / region).glob("*.yaml"))
            if p.name != "expected.yaml"]


@pytest.fixture(scope="module", params=["foodvalley", "midden-limburg"])
def setup(request):
    from engine.rulebase.registry import choose
    from engine.rulebase.schema import proposal_schema

    ruleset = choose(request.param, IN_VALIDITY)
    validator = jsonschema.Draft202012Validator(proposal_schema(ruleset), format_checker=jsonschema.FormatChecker())
    return request.param, ruleset, validator


def test_schema_is_a_valid_draft_2020_12_schema(setup):
    _, _, validator = setup
    jsonschema.Draft202012Validator.check_schema(validator.schema)


def test_every_scenario_validates(setup):
    region, _, validator = setup
    for data in _scenarios(region):
        errors = list(validator.iter_errors(data))
        assert not errors, (data["title"], [e.message for e in errors])


def test_titles_are_dutch(setup):
    _, _, validator = setup
    props = validator.schema["properties"]
    assert props["capacity"]["properties"]["hours_per_week"]["title"] == "Uren per week"
    assert props["legal"]["properties"]["required"]["title"].startswith("Is de samenwerking wettelijk")
    assert "Hours Per Week" not in json.dumps(validator.schema)


def _loader_accepts(data: dict[str, Any], folder: Path) -> bool:
    from engine.common.errors import InputError
    from engine.deciding.validate import load_proposal

    path = folder / "voorstel.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    try:
        load_proposal(path, day=IN_VALIDITY)
    except InputError:
        return False
    return True


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = []
    if isinstance(node, dict):
        for key, value in node.items():
            out.append(prefix + (key,))
            out.extend(_paths(value, prefix + (key,)))
    return out


WORDS = ["ja", "Nee", "JA", " nee ", "weet ik niet", "Weet-ik-niet", "onbekend", "?", "", "deels", "misschien",
         "botst", "Ondersteunt", "neutraal", "beter", "slechter", "supports", "conflicts", "yes", "no", "unknown",
         "better", "worse", "neutral", "bestuurlijk aanbesteden", "onbepaalde tijd", "outputgericht", "minder",
         "gelijk", "regionaal", "lokaal", "programma", "inkoop", "kennisnetwerk", "aanbieder", "Veilig Thuis",
         "gecertificeerde instelling", "2,5", "2.5", " 3 ", "1e3", "-1", "€ 120.000", "2025-05-01", "2025-02-30",
         "2025-05-01T00:00:00", "1-5-2025", "ab", "  a  ", "Een titel", "x" * 5]
VALUES = st.one_of(st.sampled_from(WORDS), st.none(), st.booleans(), st.integers(-3, 7),
                   st.sampled_from([0.5, 2.5, -1.5, 1.0, 120000.0]),
                   st.lists(st.sampled_from(["Centraal Gelderland", 1, 2, "ja"]), max_size=2),
                   st.fixed_dictionaries({}, optional={"fit": st.sampled_from(["botst", "ja", "supports"]),
                                                       "holds": st.sampled_from(["ja", "neutral"]),
                                                       "effect": st.sampled_from(["beter", "ja"]),
                                                       "reason": st.sampled_from(["Omdat", "", 3]),
                                                       "name": st.sampled_from(["GI Gelderland", "x"]),
                                                       "kind": st.sampled_from(["GI", "aanbieder", "gemeente"])}))
KEYS = ["fit", "reason", "holds", "effect", "amount_eur", "note", "fte", "hours_per_week", "local_possible",
        "requird", "partner_organisations", "administrative_burden", "segments", "onbekend_veld"]
REGIONS = ["foodvalley", "FoodValley", "FOODVALLEY", "midden-limburg", "Midden-Limburg", "foodvaley", None, "",
           " foodvalley"]


@st.composite
def mutated(draw, region: str, scenarios: list[dict[str, Any]]) -> dict[str, Any]:
    data = json.loads(json.dumps(draw(st.sampled_from(scenarios))))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)
        choice = draw(st.integers(0, 9))
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        if choice <= 5:
            parent[path[-1]] = draw(VALUES)
        elif choice == 6:
            del parent[path[-1]]
        elif choice == 7 and isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = draw(VALUES)
        elif choice == 8:
            same = [r for r in REGIONS if r is None or r.casefold().strip() != ("midden-limburg" if region == "foodvalley"
                                                                                 else "foodvalley")]
            data["region"] = draw(st.sampled_from([r.replace("foodvalley", region).replace("FoodValley", region.title())
                                                   .replace("FOODVALLEY", region.upper()) if isinstance(r, str) else r
                                                   for r in same]))
        else:
            data[draw(st.sampled_from(["partner_organisations", "administrative_burden", "procurement", "provider"]))] = \
                draw(st.one_of(VALUES, st.lists(VALUES, max_size=2)))
    return data


def test_loader_accepts_exactly_what_the_schema_validates(setup):
    region, _ruleset, validator = setup
    scenarios = _scenarios(region)
    folder = Path(tempfile.mkdtemp(prefix="schema-"))
    outcomes = {True: 0, False: 0}

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(mutated(region, scenarios))
    def check(data):
        TRIED["schema"] += 1
        loader = _loader_accepts(data, folder)
        schema = validator.is_valid(data)
        outcomes[loader] += 1
        assert loader == schema, (loader, [e.message for e in validator.iter_errors(data)][:3],
                                  json.dumps(data, ensure_ascii=False)[:2000])

    check()
    assert outcomes[True] >= 25 and outcomes[False] >= 25, outcomes  # both sides are really tried


def test_schema_command_without_region_writes_one_per_region(tmp_path):
    result = run_cli("schema")
    assert result.returncode == 2 and "--region foodvalley" in result.stderr
    folder = tmp_path / "schemas"
    folder.mkdir()
    result = run_cli("schema", "--output", str(folder))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["voorstel-foodvalley.schema.json", "voorstel-midden-limburg.schema.json"]
    for path in folder.iterdir():
        jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))
