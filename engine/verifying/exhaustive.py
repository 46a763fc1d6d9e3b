"""The exhaustive run: one witness per reachable signature, judged against every invariant.

One witness proposal per signature is evaluated through the command line's
pipeline (:func:`engine.deciding.engines.search_evaluator`, ``single_outcome``; the
plain-Python engine unless ``--engine`` says otherwise, proven equal to
durable_rules by ``tests/test_engines_equal.py``, and compared with the other
engine on every class here) and the engine's conclusions are compared with
the predicted signature. For the fact-variation invariants (monotonicity,
unknown) the same enumeration runs on k copies of the conditions, one per
class of the varied fact, so every (proposal, variation) pair is covered.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable

from engine.rulebase import conditions as C
from engine.common.errors import EngineError
from engine.rulebase.invariants import VARIATION_KINDS, InvariantSet, outcome_bound, proposal_data, reasons_cited
from engine.reading.proposal import UNKNOWN
from engine.rulebase.ruleset import RuleSet, load_ruleset
from engine.verifying.findings import Report, Violation
from engine.verifying.enumeration import (Analysis, Enumerator, Reached, analyse, paths_of, representative,
                                          satisfying)
from engine.verifying.judge import Judge, describe_facts, minimise


def exhaustive(ruleset: RuleSet, invariants: InvariantSet, report: Report,
               progress: Callable[[str], None] | None = None) -> None:
    """Cover the whole decision space; fill ``report`` with counts and violations."""
    started = time.perf_counter()
    with _collector_paused():
        _exhaustive(ruleset, invariants, report, progress)
    report.seconds = time.perf_counter() - started


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off for the run, as it was before afterwards.

    The run makes millions of containers (signatures, witnesses, combinations) that hold no cycles, and keeps
    large tables of them alive; the collector, started by the count of new containers, walked those tables again
    and again for nothing: a fifth of the run. Freeing by reference counting goes on as before; the few cycles the
    rule engines leave (about a thousand objects a run) wait for the first collection after the run.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _exhaustive(ruleset: RuleSet, invariants: InvariantSet, report: Report,
                progress: Callable[[str], None] | None) -> None:
    specs = ruleset.facts
    analysis = analyse(ruleset, invariants)
    judge = Judge(ruleset)
    enum = analysis.enum
    reached = enum.run_interned(enum.intern(analysis.system), analysis.relevant)  # signatures as bit masks
    report.raw = math.prod(analysis.sizes[p] for p in analysis.relevant)
    assert sum(r.count for r in reached.values()) == report.raw, "telling klopt niet / count mismatch"
    ids = {inv.kind: inv.id for inv in invariants.invariants}
    one_id = ids.get("one_outcome", "one_outcome")
    bounds = invariants.of_kind("outcome_bound")
    premise_bits = [(inv, enum.bit(("premise", inv.id))) for inv in bounds]
    outcome_of: dict[int, str | None] = {}
    traces: dict[int, Any] = {}  # the trace of each class, for the checks on the advice
    checked: Counter = Counter()
    other = judge.other_engine()
    report.engines = (judge.evaluator.engine,) + ((other.engine,) if other is not None else ())
    for sig, r in reached.items():
        facts = analysis.full_facts(specs, r.witness)
        trace = traces[sig] = judge.trace(facts)
        if other is not None:  # both rule engines on every class: the same rules fire in the same order
            if other.evaluate(facts) == trace:
                report.agreed += 1
            else:
                report.disagreed.append(facts)
        outcomes = [ruleset.by_id[i].then.outcome for i in judge.evaluator.outcome_rules(trace)]
        _verify_signature(ruleset, analysis, enum.labels_of(sig), trace, facts)
        outcome = outcomes[0] if len(set(outcomes)) == 1 else None
        outcome_of[sig] = outcome
        checked[one_id] += 1
        if outcome is None:
            _report_no_single(report, ruleset, judge, one_id, facts, outcomes)
            continue
        report.outcome_counts[outcome] += 1
        report.raw_outcome_counts[outcome] += r.count
        for inv, bit in premise_bits:
            if sig & bit:
                checked[inv.id] += 1
                if not outcome_bound(outcome, inv.data.at_least, inv.data.at_most):
                    _report_bound(report, ruleset, judge, inv, facts, outcome)
    report.reduced = len(reached)
    if progress:
        progress(f"{len(reached)} signaturen geëvalueerd / signatures evaluated")
    _variations(ruleset, invariants, analysis, enum, judge, outcome_of, report, checked)
    _advice_checks(ruleset, invariants, analysis, reached, traces, judge, report, checked)
    report.never_fired = [r.id for r in ruleset.rules if r.id not in judge.fired]
    report.checked = dict(checked)
    report.evaluations = judge.evaluations


def _verify_signature(ruleset: RuleSet, analysis: Analysis, sig: frozenset, trace, facts: dict[str, Any]) -> None:
    """The engine must draw exactly the conclusions the analysis predicted; otherwise the reduction is unsound."""
    for name in analysis.base_only:
        if (name in trace.conclusions) != (("finding", name) in sig):
            raise EngineError(f"analyse en regelmachine verschillen over conclusie '{name}' / analysis and engine "
                              f"disagree ({describe_facts(ruleset, facts)})")
    for label in sig:
        if label[0] == "rule" and label[1] not in trace.fired:
            raise EngineError(f"analyse en regelmachine verschillen over regel {label[1]} / analysis and engine disagree")


def _report_no_single(report: Report, ruleset: RuleSet, judge: Judge, inv_id: str, facts: dict[str, Any],
                      outcomes: list[str]) -> None:
    small = minimise(facts, set(), lambda f: len(set(judge.outcomes(f))) != 1)
    found = judge.outcomes(small)
    fired = [i for i in judge.evaluator.outcome_rules(judge.trace(small))]
    what = (f"{len(set(found))} uitkomsten / outcomes ({', '.join(fired)})" if fired
            else "geen uitkomst / no outcome")
    report.violations.append(Violation(inv_id, what, small, outcomes=tuple(found)))


def _report_bound(report: Report, ruleset: RuleSet, judge: Judge, inv, facts: dict[str, Any], outcome: str) -> None:
    def still(f: dict[str, Any]) -> bool:
        o = judge.outcome(f)
        return o is not None and C.evaluate(inv.premise, f, frozenset()) and \
            not outcome_bound(o, inv.data.at_least, inv.data.at_most)
    small = minimise(facts, set(), still)
    got = judge.outcome(small) or outcome
    bound = " en ".join(x for x in (f"ten minste / at least {inv.data.at_least}" if inv.data.at_least else "",
                                    f"hooguit / at most {inv.data.at_most}" if inv.data.at_most else "") if x)
    report.violations.append(Violation(inv.id, f"uitkomst / outcome {got}, verwacht / expected {bound}", small,
                                       outcomes=(got,)))


def _variations(ruleset: RuleSet, invariants: InvariantSet, analysis: Analysis, enum: Enumerator, judge: Judge,
                outcome_of: dict[int, str | None], report: Report, checked: Counter) -> None:
    """Monotonicity and unknown: vary one fact over all its classes, for every reachable rest."""
    kinds = {inv.id for inv in invariants.invariants if inv.kind in VARIATION_KINDS}
    if not kinds:
        return
    reported: set[tuple] = set()
    read = set().union(*(paths_of(c) for _, c in analysis.system))
    base = enum.intern(analysis.system)
    varied = [p for p in invariants.varied_paths(ruleset.facts)
              # a fact no rule that draws a conclusion or an outcome reads cannot change the outcome
              if len(analysis.classes.get(p) or ()) >= 2 and p in read]
    # Copy i of the label at bit j gets bit start + i * width + j: a class's signature is then shifts and ands.
    width = len(enum.labels)
    start = enum.reserve(width * max((len(analysis.classes[p]) for p in varied), default=0))
    outcome_by_mask = dict(outcome_of)
    # What the main run remembered serves every varied fact; what one varied fact adds is rarely asked again by
    # the next, and keeping it all would hold hundreds of megabytes.
    kept_memo, kept_groups = dict(enum.memo), dict(enum.groups)
    for path in varied:
        values = [representative(c) for c in analysis.classes[path]]
        near, far = _split_by_fact(enum, base, path, values, [start + i * width for i in range(len(values))])
        combos = _combinations(enum, near, far, [start + i * width for i in range(len(values))], width)
        judged = _judge_combinations(ruleset, invariants, analysis, judge, report, path, values, combos,
                                     outcome_by_mask, reported)
        for inv_id in invariants.applicable(path, kinds):
            checked[inv_id] += judged
        enum.memo, enum.groups = dict(kept_memo), dict(kept_groups)


def _split_by_fact(enum: Enumerator, base: tuple[tuple[int, int], ...], path: str, values: list[Any],
                   shifts: list[int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The system with one copy per class of ``path`` of each entry that reads it, split into the near side (those
    copies and every entry sharing a fact with them) and the far side (the rest, independent of the near side).

    Copy i of an entry has its label's bit shifted by ``shifts[i]``. An entry that does not read the fact is the
    same in every copy and stays one entry (its plain bit), so the copies share the enumerator's memo.
    """
    nodes = enum.nodes
    paths = nodes.paths
    near: list[tuple[int, int]] = []
    far: list[tuple[int, int]] = []
    for b, nid in base:
        if path in paths[nid]:
            near.extend((b << shift, nodes.substitute(nid, path, v)) for shift, v in zip(shifts, values))
        else:
            far.append((b, nid))
    read = {path}
    for _, n in near:
        read |= paths[n]
    grown = True
    while grown:
        grown = False
        keep = []
        for e in far:
            if paths[e[1]] & read:
                read |= paths[e[1]]
                near.append(e)
                grown = True
            else:
                keep.append(e)
        far = keep
    return near, far


def _combinations(enum: Enumerator, near: list, far: list, shifts: list[int],
                  width: int) -> dict[tuple[int, ...], tuple[Reached, Reached]]:
    """Every reachable combination as its signature per class of the varied fact (a mask each), with the
    witnesses of its far and near side. Several signatures can stand for one combination (a label drawn both by
    an entry that reads the fact and by one that does not): each combination is kept once, with the smallest
    witness."""
    low = (1 << width) - 1
    near_sigs = [(tuple((sig & low) | ((sig >> shift) & low) for shift in shifts), r)
                 for sig, r in enum.run_interned(tuple(near), ()).items()]
    far_sigs = list(enum.run_interned(tuple(far), ()).items())
    combos: dict[tuple[int, ...], tuple[Reached, Reached]] = {}
    get = combos.get
    for far_mask, rf in far_sigs:
        far_known, add_far = rf.known, far_mask.__or__
        for near_parts, rn in near_sigs:
            parts = tuple(map(add_far, near_parts)) if far_mask else near_parts
            old = get(parts)
            if old is None or far_known + rn.known < old[0].known + old[1].known:
                combos[parts] = (rf, rn)
    return combos


def _judge_combinations(ruleset: RuleSet, invariants: InvariantSet, analysis: Analysis, judge: Judge, report: Report,
                        path: str, values: list[Any], combos: dict, outcome_by_mask: dict[int, str | None],
                        reported: set[tuple]) -> int:
    """The outcome per class of every combination, judged by the fact-variation invariants; returns how many
    combinations were judged (those with one outcome in every class).

    What the invariants say depends only on the outcomes per class and on whether other judgements cover an
    unknown of the fact (then the invariants on unknowns are left out: a part of what they say otherwise). So a
    vector of outcomes is looked at once uncovered, or once covered and once uncovered; each problem is reported
    once, with the witness of the first combination that shows it.
    """
    specs = ruleset.facts
    class_of = [(v, analysis.class_of(path, v)) for v in specs[path].domain]
    covered_by = invariants.covering_facts(path)
    uncovered_done: dict[tuple, bool] = {}  # per vector of outcomes looked at: whether it was looked at uncovered
    get = outcome_by_mask.get
    judged = 0
    for parts, (rf, rn) in combos.items():
        per_class = tuple(map(get, parts))
        if None in per_class:  # a class not evaluated yet, or one without a single outcome
            per_class = _outcomes_of(ruleset, analysis, judge, path, values, parts, rf, rn, outcome_by_mask)
            if per_class is None:
                continue  # already reported as a one-outcome violation
        judged += 1
        done = uncovered_done.get(per_class)
        if done:
            continue
        # other judgements may cover an unknown of this fact
        covered = any(rn.witness.get(p, rf.witness.get(p)) not in (UNKNOWN, None) for p in covered_by)
        if done is not None and covered:
            continue
        uncovered_done[per_class] = not covered
        witness = {**rf.witness, **rn.witness}
        outcomes = {v: per_class[c] for v, c in class_of if c is not None}
        for inv_id, a, b in invariants.variation_problems(path, outcomes, witness):
            key = (inv_id, path, analysis.class_of(path, a), analysis.class_of(path, b))
            if key in reported:
                continue
            reported.add(key)
            _report_variation(report, ruleset, invariants, judge, inv_id, path, a, b,
                              analysis.full_facts(specs, witness))
    return judged


def _outcomes_of(ruleset: RuleSet, analysis: Analysis, judge: Judge, path: str, values: list[Any],
                 parts: tuple[int, ...], rf: Reached, rn: Reached,
                 outcome_by_mask: dict[int, str | None]) -> tuple[str, ...] | None:
    """The outcome per class of one combination, evaluating the classes not seen before in class order; None at
    the first class without a single outcome (the classes after it are not evaluated)."""
    per_class = []
    for i, part in enumerate(parts):
        got = outcome_by_mask.get(part, _UNSEEN)
        if got is _UNSEEN:
            witness = {**rf.witness, **rn.witness, path: values[i]}
            got = outcome_by_mask[part] = judge.outcome(analysis.full_facts(ruleset.facts, witness))
        if got is None:
            return None
        per_class.append(got)
    return tuple(per_class)


_UNSEEN = object()


def _report_variation(report: Report, ruleset: RuleSet, invariants: InvariantSet, judge: Judge, inv_id: str,
                      path: str, a: Any, b: Any, facts: dict[str, Any]) -> None:
    def outcomes_for(f: dict[str, Any]) -> dict[Any, str] | None:
        got = {}
        for v in ruleset.facts[path].domain:
            o = judge.outcome({**f, path: v})
            if o is None:
                return None
            got[v] = o
        return got

    def still(f: dict[str, Any]) -> bool:
        got = outcomes_for(f)
        return got is not None and (inv_id, a, b) in invariants.variation_problems(path, got, f)

    small = minimise({**facts, path: a}, {path}, still)
    oa, ob = judge.outcome({**small, path: a}), judge.outcome({**small, path: b})
    report.violations.append(Violation(
        inv_id, f"{path}: {a} → {b} geeft / gives {oa} → {ob}", {**small, path: a}, changed=(path, a, b),
        outcomes=(oa or "?", ob or "?")))


def _advice_checks(ruleset: RuleSet, invariants: InvariantSet, analysis: Analysis, reached: dict[frozenset, Reached],
                   traces: dict[frozenset, Any], judge: Judge, report: Report, checked: Counter) -> None:
    """Reasons and determinism on the advice: one witness per signature, plus one per advice-only rule."""
    from engine.advising.advice import support
    from engine.advising.pipeline import advise_data
    from engine.deciding.evaluate import single_outcome

    reasons_id = next((i.id for i in invariants.invariants if i.kind == "reasons_cited"), None)
    det_id = next((i.id for i in invariants.invariants if i.kind == "deterministic"), None)
    witnesses = [(r.witness, traces.get(sig)) for sig, r in reached.items()]
    for rule in ruleset.rules:  # rules that share a finding with another need a witness of their own
        rid = rule.id
        if rid not in judge.fired and not C.conclusion_names(rule.condition):
            w = satisfying(ruleset.by_id[rid].condition, analysis)
            if w is not None:
                witnesses.append((w, None))
    day = dt.date(2000, 1, 1)
    evaluator = judge.evaluator
    renderings: dict[int, str] = {}
    # The reasons of an advice are its outcome rule and the fired rules that rule rests on (advice.support), each
    # with its own citation: one advice per distinct set of them answers for every witness with that set.
    reason_problems: dict[tuple, list[str]] = {}
    for n, (w, trace) in enumerate(witnesses):
        if trace is None:
            facts = analysis.full_facts(ruleset.facts, w)
            trace = judge.trace(facts)
        else:  # the main run evaluated these very facts
            facts = trace.facts
        try:
            outcome = single_outcome(evaluator, trace)
        except EngineError:
            continue  # reported as a one-outcome violation
        outcome_rules = tuple(evaluator.outcome_rules(trace))
        key = (outcome_rules, frozenset(i for o in outcome_rules for i in support(ruleset, trace, o)))
        sampled = bool(det_id) and n % max(1, len(witnesses) // 200) == 0
        problems = reason_problems.get(key)
        if problems is None or sampled:
            advice = advise_data(ruleset, proposal_data(ruleset, facts), day=day, engine=evaluator.engine,
                                 answers=sampled)
            judge.fired.update(u.rule for u in advice.trace)
            problems = reasons_cited(advice, ruleset) if reasons_id else []
            if [u.rule for u in advice.trace] != list(trace.fired):  # the proposal written from the facts differs
                problems.append("het advies volgt een ander spoor dan de feiten / the advice follows another trace "
                                "than the facts")
            reason_problems[key] = problems
            if sampled:
                renderings[n] = advice.model_dump_json()
        if reasons_id:
            checked[reasons_id] += 1
            if problems:
                report.violations.append(Violation(reasons_id, "; ".join(problems), facts, outcomes=(outcome,)))
    if det_id and renderings:
        # Same proposals again, in reverse order. (In another process: tests/test_invariants.py; a process
        # started here would cost more than the whole rest of the check.)
        order = sorted(renderings, reverse=True)
        again = {n: advise_data(ruleset, proposal_data(ruleset, analysis.full_facts(ruleset.facts, witnesses[n][0])),
                                day=day, engine=evaluator.engine).model_dump_json() for n in order}
        for n in order:
            checked[det_id] += 1
            same = {renderings[n], again[n]}
            if len(same) != 1:
                report.violations.append(Violation(det_id, "ander advies bij herhaling / different advice on repetition",
                                                   analysis.full_facts(ruleset.facts, witnesses[n][0])))


def _fresh_worker(folder: str, items: list[dict[str, Any]], day_iso: str) -> list[str]:
    from engine.advising.pipeline import advise_data

    ruleset = load_ruleset(folder)
    day = dt.date.fromisoformat(day_iso)
    return [advise_data(ruleset, d, day=day).model_dump_json() for d in items]


def _in_fresh_process(folder: Path, items: list[dict[str, Any]], day: dt.date) -> list[str] | None:
    """The advice on ``items`` computed by a new process (which builds its own evaluator)."""
    import multiprocessing

    try:
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(1) as pool:
            return pool.apply(_fresh_worker, (str(folder), items, day.isoformat()))
    except (OSError, RuntimeError):  # no processes available: the in-process repetition still runs
        return None
