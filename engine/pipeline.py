"""The whole pipeline in one place: load → validate → evaluate → explain.

The command line, the reports, the consistency checks and the benchmarks all
go through these functions, so they all judge a proposal the same way.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .advice import Advice, build_advice
from .backend import PYTHON, engine_name
from .evaluate import Evaluator, Trace
from .facts import flatten
from .ruleset import RuleSet
from .validate import LoadedProposal, load_proposal

_EVALUATORS: dict[tuple[int, str], Evaluator] = {}


def evaluator_for(ruleset: RuleSet, engine: str | None = None) -> Evaluator:
    """One compiled evaluator per loaded rule set and rule engine per process (rule engine names register
    once). Without ``engine``: the one chosen with ``--engine``, else durable_rules where it imports."""
    name = engine_name() if engine is None else engine
    key = (id(ruleset), name)
    ev = _EVALUATORS.get(key)
    if ev is None or ev.ruleset is not ruleset:
        ev = Evaluator(ruleset, name)
        _EVALUATORS[key] = ev
    return ev


def search_evaluator(ruleset: RuleSet) -> Evaluator:
    """The evaluator for searches that run many evaluations (check, what-if, the interview): plain Python
    unless ``--engine`` says otherwise; both engines are proven to give the same traces."""
    return evaluator_for(ruleset, engine_name(PYTHON))


def trace_of(ruleset: RuleSet, proposal: BaseModel) -> Trace:
    return evaluator_for(ruleset).evaluate(flatten(proposal, ruleset.facts))


def advise_loaded(loaded: LoadedProposal, *, day: dt.date, lang: str = "nl", engine: str | None = None) -> Advice:
    evaluator = evaluator_for(loaded.ruleset, engine)
    trace = evaluator.evaluate(flatten(loaded.proposal, loaded.ruleset.facts))
    return build_advice(evaluator, trace, loaded.proposal, file=loaded.document.name, sha256=loaded.sha256,
                        day=day, lang=lang)


def advise_file(path: str | Path, *, day: dt.date | None = None, lang: str = "nl", region: str | None = None,
                rules_root: Path | None = None, engine: str | None = None) -> Advice:
    """Load, validate, evaluate and explain one proposal file."""
    day = day or dt.date.today()
    loaded = load_proposal(path, region=region, day=day, rules_root=rules_root)
    return advise_loaded(loaded, day=day, lang=lang, engine=engine)


def advise_data(ruleset: RuleSet, data: dict[str, Any], *, day: dt.date, lang: str = "nl",
                name: str = "<data>", engine: str | None = None, answers: bool = True) -> Advice:
    """Evaluate proposal data that is already in memory (tests, what-if, generated proposals).

    ``answers=False`` leaves out what each answer to a blocking fact would give (each costs evaluations);
    only a bulk check of reasons does without it."""
    import hashlib
    import json

    proposal = ruleset.model.model_validate(data)
    evaluator = evaluator_for(ruleset, engine)
    trace = evaluator.evaluate(flatten(proposal, ruleset.facts))
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    return build_advice(evaluator, trace, proposal, file=name, sha256=digest, day=day, lang=lang, answers=answers)
