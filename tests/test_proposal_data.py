"""The proposals that ``check`` writes from facts say exactly those facts.

``check`` judges the advice of one proposal per class of the decision space; that proposal is written from the
class's facts (:func:`engine.rulebase.invariants.proposal_data`). A field the model fills in by itself (the scale
asked for, say) must be written out when the class has it unknown, or the advice judged is that of another class.
"""

from __future__ import annotations

import pytest

from engine.reading.facts import flatten
from engine.reading.proposal import UNKNOWN
from engine.rulebase.invariants import load_invariants, proposal_data
from engine.rulebase.registry import installed
from engine.rulebase.ruleset import load_ruleset
from engine.verifying.enumeration import analyse

FOLDERS = [i.folder for i in installed()]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_every_class_survives_the_round_trip(folder):
    ruleset = load_ruleset(folder)
    analysis = analyse(ruleset, load_invariants(ruleset))
    reached = analysis.enum.run(analysis.system, analysis.relevant)
    assert len(reached) > 100
    for r in reached.values():
        facts = analysis.full_facts(ruleset.facts, r.witness)
        again = flatten(ruleset.model.model_validate(proposal_data(ruleset, facts)), ruleset.facts)
        assert again == facts, {p: (facts.get(p), again.get(p)) for p in set(facts) | set(again)
                                if facts.get(p) != again.get(p)}


def test_a_field_with_a_default_is_written_when_unknown():
    """The case that went wrong: a field whose default is not unknown, asked to be unknown."""
    for folder in FOLDERS:
        ruleset = load_ruleset(folder)
        empty = {p: (None if s.kind == "number" else UNKNOWN) for p, s in ruleset.facts.items()}
        defaults = flatten(ruleset.model.model_validate(proposal_data(ruleset, empty)), ruleset.facts)
        assert defaults == empty, folder.name
