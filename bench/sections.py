"""The measurements, one function per section; each runs in a fresh process.

``python -m bench.sections NAME PARAMS.json RESULT.json`` runs one section
and writes its figures as JSON. A fresh process per section keeps the
figures apart: rule sets load and compile inside the measured section, peak
memory belongs to that section alone, and durable_rules (one registry of
ruleset names per process, not thread-safe) starts clean every time.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from bench.measure import peak_rss_mb, rate, rss_mb

DAY = dt.date(2025, 6, 1)  # the evaluation date of every measurement, so runs are comparable


def _regions() -> list[Any]:
    from engine.rulebase.registry import choose, regions

    return [choose(name, DAY) for name in regions()]


# --------------------------------------------------------------------------- proposal files


def write_proposals(params: dict[str, Any]) -> dict[str, Any]:
    """Generated proposal files of every installed region in ``folder``: mostly YAML, some JSON."""
    from bench.generate import ProposalGenerator, to_yaml

    folder = Path(params["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    count, json_share = params["count"], params.get("json_share", 0.1)
    rulesets = _regions()
    gens = [ProposalGenerator(rs, seed=7 + i) for i, rs in enumerate(rulesets)]
    pick = random.Random(3)
    kinds: dict[str, int] = {}
    size = 0
    for i in range(count):
        n = pick.randrange(len(gens))
        data = gens[n].data()
        if pick.random() < json_share:
            text, ext = json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n", "json"
        else:
            text, ext = f"# voorstel {i}\n" + to_yaml(data) + "\n", "yaml"
        raw = text.encode("utf-8")
        size += len(raw)
        (folder / f"v{i:06d}-{rulesets[n].region}.{ext}").write_bytes(raw)
        kinds[f"{rulesets[n].region}.{ext}"] = kinds.get(f"{rulesets[n].region}.{ext}", 0) + 1
    return {"count": count, "kinds": kinds, "mean_bytes": round(size / max(count, 1))}


def proposal_files(folder: str | Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir() if p.suffix in (".yaml", ".json"))


# --------------------------------------------------------------------------- throughput


def throughput(params: dict[str, Any]) -> dict[str, Any]:
    """Proposals per second through the CLI's pipeline (load, validate, evaluate, advice), then the engine alone."""
    from engine.reading.facts import flatten
    from engine.advising.pipeline import advise_loaded
    from engine.deciding.engines import evaluator_for
    from engine.deciding.validate import load_proposal

    files = proposal_files(params["folder"])[: params["count"]]
    outcomes: dict[str, int] = {}
    start = time.perf_counter()
    first = None
    for path in files:
        loaded = load_proposal(path, day=DAY)  # what 'regiotoets evaluate' does per file (load_all)
        advice = advise_loaded(loaded, day=DAY, lang="nl")
        outcomes[advice.outcome] = outcomes.get(advice.outcome, 0) + 1
        if first is None:
            first = time.perf_counter() - start
    full = time.perf_counter() - start
    rss_after_full = rss_mb()

    # The engine alone: validated proposals -> engine facts -> evaluation trace. Validated first, untimed.
    kept = [(lp.ruleset, lp.proposal) for lp in (load_proposal(p, day=DAY) for p in files[: params["engine"]])]
    gc.collect()
    start = time.perf_counter()
    for ruleset, proposal in kept:
        evaluator_for(ruleset).evaluate(flatten(proposal, ruleset.facts))
    engine = time.perf_counter() - start
    validated = len(kept)
    del kept

    return {
        "proposals": len(files), "outcomes": outcomes,
        "full_s": full, "full_per_s": rate(len(files), full), "first_proposal_s": first,
        "engine_s": engine, "engine_per_s": rate(validated, engine),
        "breakdown_us": _breakdown(files[: params.get("breakdown", 2000)]),
        "rss_mb": rss_after_full, "peak_rss_mb": peak_rss_mb(),
    }


def _breakdown(files: list[Path]) -> dict[str, float]:
    """Microseconds per proposal for each step of the pipeline (rule sets already loaded)."""
    from engine.advising.advice import build_advice
    from engine.reading.facts import flatten
    from engine.deciding.engines import evaluator_for
    from engine.deciding.validate import validate_document
    from engine.reading.yamlio import load_document

    if not files:
        return {}
    t = {"read_parse": 0.0, "validate": 0.0, "flatten": 0.0, "evaluate": 0.0, "advice": 0.0}
    clock = time.perf_counter
    for path in files:
        a = clock()
        doc = load_document(path, what="voorstel")
        b = clock()
        loaded = validate_document(doc, day=DAY)
        c = clock()
        evaluator = evaluator_for(loaded.ruleset)
        facts = flatten(loaded.proposal, loaded.ruleset.facts)
        d = clock()
        trace = evaluator.evaluate(facts)
        e = clock()
        build_advice(evaluator, trace, loaded.proposal, file=doc.name, sha256=loaded.sha256, day=DAY, lang="nl")
        f = clock()
        for key, span in zip(t, (b - a, c - b, d - c, e - d, f - e)):
            t[key] += span
    out = {k: round(v / len(files) * 1e6, 1) for k, v in t.items()}
    out["total"] = round(sum(out.values()), 1)
    out["sample"] = len(files)
    return out


# --------------------------------------------------------------------------- engine vs raw durable_rules


class RawRules:
    """The same compiled rules straight in durable_rules' C engine, with the least code around them.

    Per proposal and per stratum: one complete fact (every decision fact,
    every conclusion as yes/no), assert_fact, read the fired actions; then
    either delete_state (a new session per proposal, the usual way) or, with
    ``reuse``, retract the facts and keep the session (what the backend
    does). No fact building, per-stratum trimming or trace. Like the backend
    it needs a rule that matches every fact: deleting a session none of
    whose facts matched can abort the process (see ``engine/deciding/backend.py``).
    """

    _names = iter(range(1, 1 << 30))

    @staticmethod
    def conclusion_attrs(ruleset: Any) -> set[str]:
        from engine.deciding.compiler import conclusion_attr

        return {conclusion_attr(r.then.finding) for r in ruleset.rules if r.then.finding}

    def __init__(self, ruleset: Any, reuse: bool = False):
        import durable_rules_engine

        from engine.deciding.compiler import conclusion_attr, rule_definition

        self.e = durable_rules_engine
        defs, self.finding, stages = {}, {}, set()
        self.names: list[str] = []  # internal name r<i> -> rule id
        for rule in ruleset.rules:
            definition = rule_definition(rule.condition, rule.stratum, ruleset.facts)
            if definition is None:
                continue
            name = f"r{len(defs)}"
            defs[name] = definition
            self.names.append(rule.id)
            stages.add(rule.stratum)
            if rule.then.finding:
                self.finding[name] = conclusion_attr(rule.then.finding)
        self.stages = sorted(stages)
        self.conclusions = sorted(set(self.finding.values()))
        items = list(defs.items())
        catch_all = {"any": {"all": [{"m": {"$ex": {"stage": 1}}}]}}
        self.handles = [self.e.create_ruleset(f"raw-{next(self._names)}", json.dumps({**dict(items[i:i + 4095]),
                                                                                      **catch_all}))
                        for i in range(0, max(len(items), 1), 4095)]
        self.sid = 0
        self.reuse = reuse

    def run(self, fact: dict[str, Any]) -> list[str]:
        """Evaluate one proposal's facts (attribute names as keys); the internal names of the fired rules."""
        e = self.e
        if not self.reuse:
            self.sid += 1
        sid = str(self.sid)
        drawn: set[str] = set()
        fired: list[str] = []
        texts: list[str] = []
        for stage in self.stages:
            full = dict(fact)
            for c in self.conclusions:
                full[c] = "yes" if c in drawn else "no"
            full["sid"] = sid
            full["stage"] = stage
            text = json.dumps(full)
            texts.append(text)
            for handle in self.handles:
                code, state_handle = e.assert_fact(handle, text)
                if code == 1:
                    continue
                started = e.start_action_for_state(handle, state_handle if code != 3 else 0)
                if not started:
                    continue
                state, message = started
                while message:
                    name = message[2:message.index('"', 2)]
                    if name != "any":
                        fired.append(name)
                    if name in self.finding:
                        drawn.add(self.finding[name])
                    e.update_state(handle, state)
                    message = e.complete_and_start_action(handle, state_handle)
        for handle in self.handles:
            if self.reuse:
                for text in texts:
                    e.retract_fact(handle, text)
            else:
                e.delete_state(handle, sid)
        return fired


def _engine_facts(ruleset: Any, proposals: list[Any]) -> tuple[list[dict], list[dict]]:
    """Per proposal: the engine's facts (paths) and the raw facts (attribute names, unknown numbers left out)."""
    from engine.reading.facts import attr_name, flatten

    facts = [flatten(p, ruleset.facts) for p in proposals]
    raw = [{attr_name(k): v for k, v in f.items() if v is not None} for f in facts]
    return facts, raw


def _time(func: Callable[[Any], Any], items: list[Any], repeat: int = 3) -> float:
    """Best of ``repeat`` passes over ``items``, seconds per item (the least disturbed pass)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for item in items:
            func(item)
        best = min(best, time.perf_counter() - start)
    return best / max(len(items), 1)


def _validated(ruleset: Any, count: int, seed: int) -> list[Any]:
    from bench.generate import ProposalGenerator

    gen = ProposalGenerator(ruleset, seed=seed)
    return [ruleset.model.model_validate(gen.data()) for _ in range(count)]


def _compare(ruleset: Any, proposals: list[Any], repeat: int) -> dict[str, Any]:
    """Both backends (flatten + evaluate, and evaluate alone) against raw durable_rules on the same proposals.

    ``engine_us`` is the default engine (durable_rules where it imports), ``python_us`` the plain-Python
    engine; both must fire the same rules on every proposal."""
    from engine.deciding.backend import PYTHON, durable_available
    from engine.reading.facts import flatten
    from engine.deciding.engines import evaluator_for

    evaluator = evaluator_for(ruleset)
    python = evaluator_for(ruleset, PYTHON)
    facts, raw_facts = _engine_facts(ruleset, proposals)
    specs = ruleset.facts
    row: dict[str, Any] = {"proposals": len(proposals), "rules": len(ruleset.rules), "strata": len(evaluator.stages),
                           "engine": evaluator.engine,
                           "fired_mean": round(sum(len(evaluator.evaluate(f).fired) for f in facts) / max(len(facts), 1), 2),
                           "largest_engine_fact": max(len(evaluator.stage_fact(s, facts[0], set())) for s in evaluator.stages),
                           "engine_us": _time(lambda p: evaluator.evaluate(flatten(p, specs)), proposals, repeat) * 1e6,
                           "engine_evaluate_only_us": _time(evaluator.evaluate, facts, repeat) * 1e6,
                           "python_us": _time(lambda p: python.evaluate(flatten(p, specs)), proposals, repeat) * 1e6,
                           "python_evaluate_only_us": _time(python.evaluate, facts, repeat) * 1e6,
                           "python_same_traces": all(python.evaluate(f) == evaluator.evaluate(f) for f in facts)}
    if not durable_available():
        row["raw_error"] = "durable_rules is hier niet beschikbaar / not available here"
        return row
    try:
        for key, reuse in (("raw_us", True), ("raw_new_session_us", False)):
            raw = RawRules(ruleset, reuse=reuse)
            # Both must fire the same rules, or the comparison means nothing.
            row[f"same_rules_fired_{key}"] = all(
                set(evaluator.evaluate(f).fired) == {raw.names[int(n[1:])] for n in raw.run(r)}
                for f, r in zip(facts[:100], raw_facts[:100]))
            row[key] = _time(raw.run, raw_facts, repeat) * 1e6
        row["same_rules_fired"] = row.pop("same_rules_fired_raw_us") and row.pop("same_rules_fired_raw_new_session_us")
    except Exception as exc:  # durable_rules refuses the complete fact (error 302: more than ~250 properties)
        row["raw_error"] = "; ".join(str(a) for a in exc.args) or type(exc).__name__
        row["raw_fact_properties"] = len(raw_facts[0]) + len(RawRules.conclusion_attrs(ruleset)) + 2
        return row
    # The engine against the quicker of the two ways of using durable_rules directly.
    fastest = min(row["raw_us"], row["raw_new_session_us"])
    row["ratio"] = row["engine_us"] / fastest
    row["ratio_evaluate_only"] = row["engine_evaluate_only_us"] / fastest
    row["python_ratio"] = row["python_us"] / fastest
    return row


def overhead(params: dict[str, Any]) -> dict[str, Any]:
    """Engine time against raw durable_rules time, per installed region."""
    out = {}
    for n, ruleset in enumerate(_regions()):
        out[ruleset.region] = _compare(ruleset, _validated(ruleset, params["count"], seed=100 + n), params["repeat"])
    if any("raw_us" not in r for r in out.values()):
        return {"regions": out, "ratio": None, "python_ratio": None}
    total_engine = sum(r["engine_us"] for r in out.values())
    total_raw = sum(min(r["raw_us"], r["raw_new_session_us"]) for r in out.values())
    total_python = sum(r["python_us"] for r in out.values())
    return {"regions": out, "ratio": total_engine / total_raw, "python_ratio": total_python / total_raw}


def overhead_host(params: dict[str, Any]) -> dict[str, Any]:
    """The same rules through durable_rules' own Python API (``durable.engine.Host``), for comparison.

    One Host per process, Python actions that note the rule, assert_fact,
    delete_state. The Host's timer threads run beside the measurement, as
    they do for any Host user.
    """
    from engine.deciding.backend import durable_available

    if not durable_available():
        return {"skipped": "durable_rules is hier niet beschikbaar / not available here", "regions": {}}
    from durable.engine import Host

    from engine.deciding.compiler import conclusion_attr, rule_definition

    host = Host()
    out = {}
    for n, ruleset in enumerate(_regions()):
        name = f"host-{ruleset.region}"
        fired: list[str] = []
        defs, finding, stages = {}, {}, set()
        for rule in ruleset.rules:
            definition = rule_definition(rule.condition, rule.stratum, ruleset.facts)
            if definition is None:
                continue
            key = f"r{len(defs)}"
            defs[key] = {**definition, "run": (lambda c, key=key: fired.append(key))}
            stages.add(rule.stratum)
            if rule.then.finding:
                finding[key] = conclusion_attr(rule.then.finding)
        defs["any"] = {"all": [{"m": {"$ex": {"stage": 1}}}], "run": lambda c: None}  # see RawRules
        host.register_rulesets({name: defs})
        conclusions = sorted(set(finding.values()))
        _, raw_facts = _engine_facts(ruleset, _validated(ruleset, params["count"], seed=100 + n))
        sids = iter(range(1, 1 << 30))

        def run(fact: dict[str, Any]) -> None:
            sid = str(next(sids))
            fired.clear()
            for stage in sorted(stages):
                drawn = {finding[k] for k in fired if k in finding}
                full = {**fact, **{c: ("yes" if c in drawn else "no") for c in conclusions}, "sid": sid, "stage": stage}
                host.assert_fact(name, full)
            host.delete_state(name, sid)

        out[ruleset.region] = {"host_us": _time(run, raw_facts, params["repeat"]) * 1e6, "proposals": len(raw_facts)}
    return {"regions": out}


# --------------------------------------------------------------------------- scaling with rule-set size


def rules_scaling(params: dict[str, Any]) -> dict[str, Any]:
    """Load, compile and evaluate synthetic rule sets of several sizes."""
    from bench.synthetic import write_ruleset
    from engine.deciding.engines import evaluator_for
    from engine.rulebase.ruleset import load_ruleset

    out = {}
    with tempfile.TemporaryDirectory(prefix="regiotoets-bench-") as tmp:
        for size, count in params["sizes"]:
            start = time.perf_counter()
            folder = write_ruleset(Path(tmp) / f"regels-{size}", size)
            written = time.perf_counter()
            ruleset = load_ruleset(folder)
            loaded = time.perf_counter()
            evaluator = evaluator_for(ruleset)
            compiled = time.perf_counter()
            row = _compare(ruleset, _validated(ruleset, count, seed=size), params["repeat"])
            row.update(write_s=written - start, load_s=loaded - written, compile_s=compiled - loaded,
                       engine_parts=len(getattr(evaluator._engine, "_handles", [None])))
            out[str(size)] = row
    return {"sizes": out}


# --------------------------------------------------------------------------- batches and memory


def batches(params: dict[str, Any]) -> dict[str, Any]:
    """The full pipeline over growing batches in one process: time and resident memory at each checkpoint.

    Proposal texts come from a pool of distinct generated files (cycled, each
    pass under new file names), parsed by the loader the CLI uses; every
    evaluation validates, evaluates and builds the advice.
    """
    from engine.advising.pipeline import advise_loaded
    from engine.deciding.validate import validate_document
    from engine.reading.yamlio import parse_document

    files = proposal_files(params["folder"])[: params["pool"]]
    texts = [(p.suffix, p.read_bytes()) for p in files]
    checkpoints = sorted(params["checkpoints"])
    marks = []
    gc.collect()
    rss_start = rss_mb()
    start = time.perf_counter()
    done = 0
    for target in checkpoints:
        while done < target:
            suffix, raw = texts[done % len(texts)]
            doc = parse_document(Path(f"voorstel-{done:06d}{suffix}"), raw, what="voorstel")
            advise_loaded(validate_document(doc, day=DAY), day=DAY, lang="nl")
            done += 1
        elapsed = time.perf_counter() - start
        marks.append({"evaluations": done, "elapsed_s": elapsed, "per_proposal_us": elapsed / done * 1e6,
                      "rss_mb": rss_mb()})
    for before, mark in zip([None] + marks[:-1], marks):  # cost of each stretch between checkpoints
        if before is None:
            mark["stretch_us"] = mark["per_proposal_us"]
        else:
            mark["stretch_us"] = (mark["elapsed_s"] - before["elapsed_s"]) / (mark["evaluations"] - before["evaluations"]) * 1e6
    return {"pool": len(texts), "rss_start_mb": rss_start, "checkpoints": marks,
            "rss_growth_mb": marks[-1]["rss_mb"] - marks[0]["rss_mb"], "peak_rss_mb": peak_rss_mb()}


# --------------------------------------------------------------------------- where people wait


def interactive(params: dict[str, Any]) -> dict[str, Any]:
    """The searches behind ``whatif`` and ``new`` on every shipped scenario, in one warm process.

    What-if: the search for the smallest changes (``minimal_changes``) per scenario; the slowest scenario is
    then timed as a whole command by the runner. Interview: a whole interview replayed per scenario (each
    next question answered with the scenario's own value), the time of every next question.
    """
    from engine.reading.facts import flatten
    from engine.advising.interview import QuestionEngine
    from engine.deciding.engines import search_evaluator
    from engine.deciding.validate import load_proposal
    from engine.advising.whatif import minimal_changes

    root = Path(__file__).resolve().parent.parent
    whatif: dict[str, float] = {}
    questions: list[float] = []
    asked = 0
    per_region = params.get("scenarios")  # None: every scenario
    paths = sorted((root / "scenarios").glob("*/*.yaml"))
    if per_region:  # the first scenarios of each region
        paths = [p for p in paths if sorted(q for q in paths if q.parent == p.parent).index(p) < per_region]
    for path in paths:
        loaded = load_proposal(path, day=DAY)
        evaluator = search_evaluator(loaded.ruleset)
        facts = flatten(loaded.proposal, loaded.ruleset.facts)
        minimal_changes(evaluator, facts)  # warm: the rule set's analyses are made once per process
        whatif[str(path.relative_to(root))] = min(_timed(lambda: minimal_changes(evaluator, facts))
                                                  for _ in range(params.get("repeat", 3)))
        engine = QuestionEngine(evaluator)
        answers: dict[str, Any] = {}
        for _ in range(200):
            nxt = engine.next_question(answers)
            # Each question timed on fresh question engines (nothing remembered from earlier questions, as
            # when 'new --resume' starts), the best of three against the noise of a shared machine.
            questions.append(min(_timed(lambda: QuestionEngine(evaluator).next_question(dict(answers)))
                                 for _ in range(params.get("repeat", 3))))
            if nxt is None:
                break
            answers[nxt[0]] = facts.get(nxt[0])
            asked += 1
    worst = max(whatif, key=whatif.get)
    ordered = sorted(questions)
    return {"whatif_search_s": whatif, "whatif_worst": worst, "whatif_worst_search_s": whatif[worst],
            "engine": evaluator.engine, "questions_asked": asked, "next_question_ms": {
                "median": ordered[len(ordered) // 2] * 1e3, "max": ordered[-1] * 1e3,
                "p90": ordered[int(0.9 * (len(ordered) - 1))] * 1e3, "count": len(ordered)}}


def _timed(func: Callable[[], Any]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


SECTIONS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "interactive": interactive,
    "write_proposals": write_proposals, "throughput": throughput, "overhead": overhead,
    "overhead_host": overhead_host, "rules_scaling": rules_scaling, "batches": batches,
}


def main(argv: list[str]) -> None:
    name, params_file, result_file = argv
    params = json.loads(Path(params_file).read_text(encoding="utf-8"))
    result = SECTIONS[name](params)
    Path(result_file).write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
