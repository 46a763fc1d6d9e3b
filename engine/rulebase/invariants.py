"""The invariants of a rule base: what must hold for every possible proposal.

The kinds of invariant are generic and live here, each with a docstring that
says what it protects. Which facts a region's invariants talk about — what
counts as "legally required", which direction of a fact is favourable for
participation, which value is the least favourable — is region knowledge and
lives in data: ``invariants.yaml`` next to the rule set's ``ruleset.yaml``.
Every invariant there cites the passage of the regional vision it protects
(file, section, quote; the quote must occur in the source document).

Outcomes are compared by :data:`engine.common.i18n.OUTCOME_RANK` only, so the
invariants hold for any rule set that uses the common outcomes.

Both ``regiotoets check`` (exhaustive) and the property-based tests
(``tests/test_invariants.py``) judge a proposal with these functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from engine.rulebase import conditions as C
from engine.common.errors import Problem, RuleError, did_you_mean
from engine.common.i18n import OUTCOME_RANK
from engine.reading.proposal import UNKNOWN
from engine.rulebase.ruleset import Citation, RuleSet, Text, quote_in_source
from engine.reading.yamlio import load_document

FILE_NAME = "invariants.yaml"


def one_outcome(outcomes: list[str]) -> bool:
    """Completeness and freedom of conflict: every valid proposal gets exactly one outcome.

    A rule base that gives no outcome leaves the policy officer without
    advice; one that gives two contradicts itself. Both are defects of the
    rules, never of the proposal.
    """
    return len(set(outcomes)) == 1


def outcome_bound(outcome: str, at_least: str | None, at_most: str | None) -> bool:
    """An outcome bound: when a premise holds, the outcome stays within a range of ranks.

    Used for principles such as "a legally required collaboration is never
    declined" (``at_least``) or "content is decisive: a conflict that cannot
    be resolved never leads to participation" (``at_most``). The premise is a
    condition in the rule language, written in the region's invariants file.
    """
    rank = OUTCOME_RANK[outcome]
    if at_least is not None and rank < OUTCOME_RANK[at_least]:
        return False
    if at_most is not None and rank > OUTCOME_RANK[at_most]:
        return False
    return True


def monotone(order: "Order", outcomes: dict[Any, str]) -> list[tuple[Any, Any]]:
    """Monotonicity: improving one fact never makes the outcome worse.

    ``outcomes`` gives, for one proposal, the outcome for each value of one
    fact (the other facts unchanged). "Improving" follows the region's
    favourability order of that fact (e.g. financial effect worse → neutral
    → better) and includes replacing unknown by a most favourable known
    value. Returns the violating pairs (worse value, better value): a
    proposal that gets better on one point and a worse advice would be
    impossible to explain.
    """
    rank = OUTCOME_RANK
    return [(a, b) for a, b in order.improvements()
            if a in outcomes and b in outcomes and rank[outcomes[b]] < rank[outcomes[a]]]


def unknown_not_rewarded(order: "Order", outcomes: dict[Any, str], yes_from: str | None = None) -> list[tuple[Any, Any]]:
    """Unknown is never treated as yes: replacing an unknown by its least favourable value never improves the outcome.

    ``outcomes`` maps each value of one fact to the outcome of one proposal
    (everything else unchanged). When the fact is unknown and the advice is a
    "yes" (rank at least ``yes_from``, named per region; every outcome when
    not given), the least favourable value must give that same advice or a
    better one: otherwise the unknown was silently read as a favourable
    answer. Asking for the fact (insufficient information) or keeping the
    topic at a lower scale is not a yes. Returns pairs (unknown, least
    favourable value) that break this.
    """
    rank = OUTCOME_RANK
    if UNKNOWN not in outcomes:
        return []
    got = rank[outcomes[UNKNOWN]]
    if yes_from is not None and got < rank[yes_from]:
        return []
    return [(UNKNOWN, v) for v in order.least if v in outcomes and rank[outcomes[v]] < got]


def unknown_not_penalised(order: "Order", outcomes: dict[Any, str]) -> list[tuple[Any, Any]]:
    """Unknown is never treated as no: a proposal declined while a fact is unknown stays declined when that fact
    gets its most favourable answer.

    Otherwise the unknown was silently read as an unfavourable answer: the
    advice should have asked for the fact (insufficient information) instead
    of declining. Returns pairs (unknown, most favourable value) that break this.
    """
    rank = OUTCOME_RANK
    if outcomes.get(UNKNOWN) != "decline":
        return []
    return [(UNKNOWN, v) for v in order.most if v in outcomes and rank[outcomes[v]] > rank["decline"]]


def unknown_decisive(outcomes: dict[Any, str]) -> list[tuple[Any, Any]]:
    """An unknown blocks the advice only when its answer would change it.

    When the advice with the fact unknown is *insufficient information*, but
    every known value of the fact gives one and the same other outcome, the
    fact did not need asking: whatever the answer, the advice is that outcome,
    and the advice should have said so. A conditional participation is the
    exception: its conditions may depend on the answer (a line that conflicts
    but can be brought in line is a condition; one that is in line is not), so
    the answer still changes the advice. Returns (unknown, a known value) when
    this is broken.
    """
    if outcomes.get(UNKNOWN) != "insufficient_information":
        return []
    known = {o for v, o in outcomes.items() if v != UNKNOWN}
    if len(known) != 1 or known & {"insufficient_information", "participate_provided"}:
        return []
    return [(UNKNOWN, next(v for v in outcomes if v != UNKNOWN))]


def no_effect(outcomes: dict[Any, str]) -> list[tuple[Any, Any]]:
    """A fact the source does not ask about never changes the outcome, whatever its value.

    Used for facts a proposal may state (to inform the board) that the
    region's vision does not weigh: a rule that let them decide would decide
    on a question the source does not ask. Returns pairs of values whose
    outcomes differ.
    """
    values = list(outcomes)
    return [(a, b) for i, a in enumerate(values) for b in values[i + 1:] if outcomes[a] != outcomes[b]]


def reasons_cited(advice: Any, ruleset: RuleSet) -> list[str]:
    """Every advice has a reason; every reason cites an existing rule whose quote is in the source.

    Returns the problems found (empty when the advice is sound). An advice
    the board cannot trace back to the regional vision is worthless.
    """
    problems: list[str] = []
    if not advice.reasons:
        problems.append("advies zonder argument / advice without a reason")
    source = _normalised_source(ruleset)
    for use in advice.reasons:
        rule = ruleset.by_id.get(use.rule)
        if rule is None:
            problems.append(f"argument noemt onbekende regel {use.rule} / reason cites an unknown rule")
            continue
        if use.citation.quote != rule.data.cite.quote:
            problems.append(f"{use.rule}: citaat wijkt af van de regel / citation differs from the rule")
        if source is None or _normalised(use.citation.quote) not in source:
            problems.append(f"{use.rule}: citaat staat niet in de bron / quote not in the source")
    return problems


@lru_cache(maxsize=4096)
def _normalised(text: str) -> str:
    from engine.rulebase.ruleset import normalise_text
    return normalise_text(text)


def _normalised_source(ruleset: RuleSet) -> str | None:
    text = ruleset.source_text
    return None if text is None else _normalised(text)


def deterministic(renderings: list[bytes | str]) -> bool:
    """Determinism: the same proposal and rule files give the same advice, byte for byte.

    Whatever was evaluated before, in whichever order, in one process or in
    many: an advice must be reproducible to be accountable.
    """
    return len(set(renderings)) <= 1


# Kinds checked by varying one fact over its values, everything else fixed.
VARIATION_KINDS = ("monotone", "unknown_not_rewarded", "unknown_not_penalised", "no_effect", "unknown_decisive")

KINDS = {
    "one_outcome": one_outcome,
    "outcome_bound": outcome_bound,
    "monotone": monotone,
    "unknown_not_rewarded": unknown_not_rewarded,
    "unknown_not_penalised": unknown_not_penalised,
    "no_effect": no_effect,
    "unknown_decisive": unknown_decisive,
    "reasons_cited": reasons_cited,
    "deterministic": deterministic,
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InvariantData(_Strict):
    """One invariant as written in ``invariants.yaml``."""

    id: str = Field(..., pattern=r"^[a-z][a-z0-9_]*$")
    kind: str
    title: Text
    cite: Optional[Citation] = None  # required in a region's file; built-in defaults have none
    when: Any = None  # premise for outcome_bound (rule condition language, facts only)
    at_least: Optional[str] = None
    at_most: Optional[str] = None
    yes_from: Optional[str] = None  # lowest outcome that says yes to participation (unknown_not_rewarded)
    facts: list[str] = Field(default_factory=list)  # the facts that may not change the outcome (no_effect)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        if v not in KINDS:
            raise ValueError(f"onbekende soort '{v}' / unknown kind (mogelijk / possible: {', '.join(KINDS)})")
        return v

    @field_validator("at_least", "at_most", "yes_from")
    @classmethod
    def _known_outcome(cls, v: Any) -> Any:
        for item in (v if isinstance(v, list) else [v]):
            if item is not None and item not in OUTCOME_RANK:
                raise ValueError(f"onbekende uitkomst '{item}' / unknown outcome (mogelijk / possible: "
                                 f"{', '.join(OUTCOME_RANK)})")
        return v


class InvariantFile(_Strict):
    invariants: list[InvariantData]
    favourability: dict[str, list[list[Any]]] = Field(default_factory=dict)
    descriptive: list[str] = Field(default_factory=list)
    # Detail facts whose unknown is covered by a summary judgement (e.g. each value by the overall judgement).
    summaries: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class Invariant:
    """A loaded invariant: its data and, for outcome bounds, the parsed premise."""

    data: InvariantData
    premise: C.Condition | None
    line: int | None

    @property
    def id(self) -> str:
        return self.data.id

    @property
    def kind(self) -> str:
        return self.data.kind


@dataclass(frozen=True)
class Order:
    """A favourability order of one fact: levels from least to most favourable for participation."""

    path: str
    levels: tuple[tuple[Any, ...], ...]

    @property
    def least(self) -> tuple[Any, ...]:
        return self.levels[0]

    @property
    def most(self) -> tuple[Any, ...]:
        return self.levels[-1]

    def improvements(self) -> list[tuple[Any, Any]]:
        """Pairs (worse, better): each value against every value of a higher level, and unknown → most favourable."""
        pairs = [(a, b) for i, lo in enumerate(self.levels) for hi in self.levels[i + 1:] for a in lo for b in hi]
        return pairs + [(UNKNOWN, b) for b in self.most]



@dataclass
class InvariantSet:
    """The invariants of one rule set, with the favourability orders of its facts."""

    file: str | None
    invariants: list[Invariant]
    orders: dict[str, Order] = field(default_factory=dict)
    descriptive: frozenset[str] = frozenset()
    no_effect: dict[str, frozenset[str]] = field(default_factory=dict)  # invariant id -> the facts it covers
    summaries: dict[str, str] = field(default_factory=dict)  # detail fact -> the summary judgement that covers it

    def of_kind(self, kind: str) -> list[Invariant]:
        return [i for i in self.invariants if i.kind == kind]

    def covered(self, path: str, facts: dict[str, Any]) -> bool:
        """Whether an unknown ``path`` is covered by other judgements, and so is no real unknown.

        A detail left unknown under a given summary judgement is covered by it
        (a value not rated apart under an overall judgement); a summary left
        unknown is covered by the details that are given (the judgement given
        value by value instead of as a whole).
        """
        return any(facts.get(p) not in (UNKNOWN, None) for p in self.covering_facts(path))

    def covering_facts(self, path: str) -> tuple[str, ...]:
        """The facts whose being known covers an unknown ``path``: its summary, or else its details."""
        summary = self.summaries.get(path)
        if summary is not None:
            return (summary,)
        return tuple(d for d, s in self.summaries.items() if s == path)

    def varied_paths(self, specs: dict[str, Any]) -> list[str]:
        """The facts to vary one at a time: those with a favourability order, then (for ``unknown_decisive``) every
        other fact, since any fact left unknown may block an advice."""
        paths = list(self.orders)
        if self.of_kind("unknown_decisive"):
            paths += [p for p in specs if p not in self.orders]
        return paths

    def applicable(self, path: str, ids: Iterable[str]) -> list[str]:
        """Which of the fact-variation invariants ``ids`` are judged when ``path`` is varied."""
        kinds = {i.id: i.kind for i in self.invariants}
        return [i for i in ids if kinds.get(i) == "unknown_decisive" or path in self.orders]

    def variation_problems(self, path: str, outcomes: dict[Any, str],
                           facts: dict[str, Any] | None = None) -> list[tuple[str, Any, Any]]:
        """(invariant id, from value, to value) for every fact-variation invariant the outcomes violate.

        ``outcomes`` maps each value of fact ``path`` to the outcome of one
        proposal with that value (everything else unchanged).
        """
        order = self.orders.get(path)
        out = []
        for inv in self.invariants:
            if inv.kind == "unknown_decisive":
                out.extend((inv.id, a, b) for a, b in unknown_decisive(outcomes))
        if order is None:
            return out
        covered = facts is not None and self.covered(path, facts)
        for inv in self.invariants:
            if inv.kind == "monotone":
                out.extend((inv.id, a, b) for a, b in monotone(order, outcomes))
            elif inv.kind == "unknown_not_rewarded" and not covered:
                out.extend((inv.id, a, b) for a, b in unknown_not_rewarded(order, outcomes, inv.data.yes_from))
            elif inv.kind == "unknown_not_penalised" and not covered:
                out.extend((inv.id, a, b) for a, b in unknown_not_penalised(order, outcomes))
            elif inv.kind == "no_effect" and path in self.no_effect.get(inv.id, ()):
                out.extend((inv.id, a, b) for a, b in no_effect(outcomes))
        return out


def load_invariants(ruleset: RuleSet) -> InvariantSet:
    """Read ``invariants.yaml`` of a rule set; every problem names file, line and field."""
    path = Path(ruleset.folder) / FILE_NAME
    if not path.exists():
        return InvariantSet(file=None, invariants=[])
    doc = load_document(path, what="invariantenbestand")
    try:
        data = InvariantFile.model_validate(doc.data)
    except ValidationError as exc:
        from engine.common.errors import join_loc
        raise RuleError([Problem(doc.name, e["msg"], line=doc.line_of(tuple(e["loc"])), field=join_loc(e["loc"]))
                         for e in exc.errors()])
    specs = ruleset.facts
    problems: list[Problem] = []
    invariants = _invariants(doc, data, specs, problems)
    orders = _orders(doc, data, specs, problems)
    descriptive = _descriptive(doc, data, specs, problems)
    summaries = _summaries(doc, data, specs, problems)
    no_effect_facts = _no_effect(doc, invariants, orders, specs, problems)
    if problems:
        raise RuleError(problems)
    return InvariantSet(file=doc.name, invariants=invariants, orders=orders, descriptive=frozenset(descriptive),
                        no_effect=no_effect_facts, summaries=summaries)


def _invariants(doc: Any, data: InvariantFile, specs: dict, problems: list[Problem]) -> list[Invariant]:
    """The invariants with their premises parsed: ids unique, a citation each, bounds complete."""
    invariants: list[Invariant] = []
    seen: set[str] = set()
    for i, item in enumerate(data.invariants):
        loc = ("invariants", i)
        if item.id in seen:
            problems.append(Problem(doc.name, f"invariant {item.id}: id komt dubbel voor / duplicate id",
                                    line=doc.line_of(loc + ("id",)), field="id"))
        seen.add(item.id)
        premise = None
        if item.cite is None:
            problems.append(Problem(doc.name, f"invariant {item.id}: 'cite' ontbreekt: noem de passage die de invariant "
                                    f"beschermt / missing the passage it protects", line=doc.line_of(loc), field="cite"))
        if item.kind == "outcome_bound":
            if item.when is None or (item.at_least is None and item.at_most is None):
                problems.append(Problem(doc.name, f"invariant {item.id}: outcome_bound verwacht 'when' en 'at_least' "
                                        f"of 'at_most' / needs 'when' and a bound", line=doc.line_of(loc)))
                continue
            try:
                premise = C.parse(item.when, specs)
            except C.ConditionError as exc:
                problems.append(Problem(doc.name, f"invariant {item.id}: {exc.message}", line=doc.line_of(loc + ("when",)),
                                        field="when", suggestion=exc.suggestion))
                continue
            if C.conclusion_names(premise):
                problems.append(Problem(doc.name, f"invariant {item.id}: een premisse noemt alleen feiten, geen "
                                        f"conclusies / a premise reads facts only", line=doc.line_of(loc + ("when",))))
                continue
        invariants.append(Invariant(item, premise, doc.line_of(loc)))
    return invariants


def _orders(doc: Any, data: InvariantFile, specs: dict, problems: list[Problem]) -> dict[str, Order]:
    """The favourability order of each fact: at least two levels, each known value at most once."""
    orders: dict[str, Order] = {}
    for pattern, levels in data.favourability.items():
        loc = ("favourability", pattern)
        paths = C.expand(pattern, specs)
        if not paths:
            problems.append(Problem(doc.name, f"onbekend feit '{pattern}' / unknown fact", line=doc.line_of(loc),
                                    field=f"favourability.{pattern}", suggestion=did_you_mean(pattern, specs)))
            continue
        flat = [v for level in levels for v in level]
        for p in paths:
            domain = specs[p].domain
            bad = [v for v in flat if v not in domain or v == UNKNOWN]
            if bad or len(set(flat)) != len(flat) or len(levels) < 2:
                problems.append(Problem(doc.name, f"volgorde van '{pattern}' klopt niet: ten minste twee niveaus, elke "
                                        f"bekende waarde hooguit één keer / at least two levels, each known value at most "
                                        f"once", line=doc.line_of(loc), field=f"favourability.{pattern}",
                                        expected=", ".join(str(d) for d in domain if d != UNKNOWN)))
                break
            orders[p] = Order(p, tuple(tuple(level) for level in levels))
    return orders


def _descriptive(doc: Any, data: InvariantFile, specs: dict, problems: list[Problem]) -> set[str]:
    """Facts that describe and are not weighed, so they need no favourability order."""
    descriptive: set[str] = set()
    for pattern in data.descriptive:
        paths = C.expand(pattern, specs)
        if not paths:
            problems.append(Problem(doc.name, f"onbekend feit '{pattern}' / unknown fact", line=doc.line_of(("descriptive",)),
                                    field="descriptive", suggestion=did_you_mean(pattern, specs)))
        descriptive.update(paths)
    return descriptive


def _summaries(doc: Any, data: InvariantFile, specs: dict, problems: list[Problem]) -> dict[str, str]:
    """Detail fact -> the summary judgement that covers it."""
    summaries: dict[str, str] = {}
    for pattern, summary in data.summaries.items():
        paths = C.expand(pattern, specs)
        for name, found in ((pattern, paths), (summary, [summary] if summary in specs else [])):
            if not found:
                problems.append(Problem(doc.name, f"onbekend feit '{name}' / unknown fact",
                                        line=doc.line_of(("summaries", pattern)), field=f"summaries.{pattern}",
                                        suggestion=did_you_mean(name, specs)))
        summaries.update({p: summary for p in paths})
    return summaries


def _no_effect(doc: Any, invariants: list[Invariant], orders: dict[str, Order], specs: dict,
               problems: list[Problem]) -> dict[str, frozenset[str]]:
    """Per no_effect invariant its facts; each is varied over all its values (one level of favourability)."""
    no_effect_facts: dict[str, frozenset[str]] = {}
    for i, inv in enumerate(invariants):
        if inv.kind != "no_effect":
            continue
        covered: set[str] = set()
        for pattern in inv.data.facts:
            paths = C.expand(pattern, specs)
            if not paths:
                problems.append(Problem(doc.name, f"invariant {inv.id}: onbekend feit '{pattern}' / unknown fact",
                                        line=inv.line, field="facts", suggestion=did_you_mean(pattern, specs)))
            covered.update(paths)
        if not inv.data.facts:
            problems.append(Problem(doc.name, f"invariant {inv.id}: no_effect verwacht 'facts' / needs 'facts'",
                                    line=inv.line))
        for p in covered:
            if p in orders:
                problems.append(Problem(doc.name, f"invariant {inv.id}: '{p}' heeft ook een gunstige richting "
                                        f"(favourability) / also has a favourability order", line=inv.line))
            else:  # one level: every value equally favourable, so the fact is varied like the others
                orders[p] = Order(p, (tuple(v for v in specs[p].domain if v != UNKNOWN),))
        no_effect_facts[inv.id] = frozenset(covered)
    return no_effect_facts


def builtin_invariants() -> list[Invariant]:
    """The invariants every rule set must satisfy, also without an invariants file."""
    def make(kind: str, nl: str, en: str) -> Invariant:
        return Invariant(InvariantData(id=kind, kind=kind, title=Text(nl=nl, en=en)), None, None)
    return [make("one_outcome", "Precies één uitkomst", "Exactly one outcome"),
            make("reasons_cited", "Elk advies heeft een geciteerd argument", "Every advice has a cited reason"),
            make("deterministic", "Hetzelfde voorstel, hetzelfde advies", "Same proposal, same advice")]


def citation_problems(invariants: InvariantSet, ruleset: RuleSet) -> list[str]:
    """Invariants whose cited quote or section heading is not in the rule set's source document."""
    source = ruleset.source_text or ""
    out = []
    for inv in invariants.invariants:
        cite = inv.data.cite
        if cite is None:
            continue
        if not quote_in_source(cite.quote, source):
            from engine.rulebase.ruleset import closest_passage

            out.append(f"invariant {inv.id}: citaat staat niet in de bron / quote not in the source — "
                       f"{closest_passage(ruleset, cite.quote)}")
        if not quote_in_source(cite.section, source):
            out.append(f"invariant {inv.id}: sectie '{cite.section}' staat niet in de bron / section not in the source")
    return out


# --- proposals from facts -------------------------------------------------------------------------

_DEFAULTS: dict[int, tuple[RuleSet, dict[str, Any]]] = {}


def _default_facts(ruleset: RuleSet, head: dict[str, Any]) -> dict[str, Any]:
    """The facts of a proposal that states nothing beyond its head: mostly unknown, but a field with a default
    (the scale asked for, say) has that value, so an unknown there must be written out."""
    from engine.reading.facts import flatten

    hit = _DEFAULTS.get(id(ruleset))
    if hit is None or hit[0] is not ruleset:
        hit = _DEFAULTS[id(ruleset)] = (ruleset, flatten(ruleset.model.model_validate(head), ruleset.facts))
    return hit[1]


def proposal_data(ruleset: RuleSet, facts: dict[str, Any], *, title: str = "Tegenvoorbeeld / counterexample",
                  day: str = "2025-01-01") -> dict[str, Any]:
    """A proposal (as YAML-ready data) whose flattened facts are ``facts``; facts at their default are left out.

    List-membership facts (``procurement.segments.1``) become list entries;
    a list is written as soon as one member is known (the others are then "no").
    """
    model = ruleset.model
    data: dict[str, Any] = {"title": title, "submitter": "regiotoets check", "date": day, "region": ruleset.region,
                            "topic": "Automatisch opgebouwd voorstel / generated from facts"}
    defaults = _default_facts(ruleset, data)
    for path, value in facts.items():
        if path not in ruleset.facts or value == defaults.get(path) or value is None:
            continue  # what the model assumes when the field is left out needs no writing
        parts = path.split(".")
        list_at = _list_field_index(model, parts)
        if value == UNKNOWN and list_at is not None:
            continue
        node = data
        if list_at is not None:
            for part in parts[:list_at]:
                node = node.setdefault(part, {})
            items = node.setdefault(parts[list_at], [])
            member = _member(parts[list_at + 1])
            if value == "yes" and member not in items:
                items.append(member)
                items.sort()
            continue
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return data


def _member(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        return text


_LIST_AT: dict[tuple[int, str], tuple[Any, int | None]] = {}


def _list_field_index(model: Any, parts: list[str]) -> int | None:
    """Index of the path part that names a list field (``segments``), or None; once per model and path."""
    key = (id(model), ".".join(parts))
    hit = _LIST_AT.get(key)
    if hit is not None and hit[0] is model:
        return hit[1]
    if len(_LIST_AT) > 20_000:
        _LIST_AT.clear()
    found = _list_field_index_uncached(model, parts)
    _LIST_AT[key] = (model, found)  # keeping the model alive keeps its id unique
    return found


def _list_field_index_uncached(model: Any, parts: list[str]) -> int | None:
    import typing

    current = model
    for i, part in enumerate(parts):
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return None
        stack = [fields[part].annotation]
        nxt = None
        while stack:
            tp = stack.pop()
            if typing.get_origin(tp) is list:
                return i
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                nxt = tp
                break
            stack.extend(typing.get_args(tp))
        if nxt is None:
            return None
        current = nxt
    return None
