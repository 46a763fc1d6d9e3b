"""The whole pipeline in one place: load → validate → evaluate → advise.

The command line, the reports, the consistency checks and the benchmarks all
go through these functions, so they all judge a proposal the same way.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from engine.advising.advice import Advice, build_advice
from engine.deciding.engines import evaluator_for
from engine.reading.facts import flatten
from engine.rulebase.ruleset import RuleSet
from engine.deciding.validate import LoadedProposal, load_proposal

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
