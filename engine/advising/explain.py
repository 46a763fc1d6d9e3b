"""The decision route as a tree: why this outcome, and why not a better one.

Per decision step of the rule set: the rules that fired, with the facts they
read and the conclusions they drew; and the rules that did not fire, with the
tests that failed and the fact values involved. A failed test on a
conclusion opens the rules that could have drawn it, so "why not
participate?" can be followed down to the facts. Everything is worded with
the questions of the fact catalogue and the labels of :mod:`engine.common.i18n`.
"""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel

from engine.rulebase import conditions as C
from engine.advising.advice import Advice, build_advice
from engine.deciding.evaluate import Evaluator, Trace
from engine.reading.facts import question_for
from engine.common.i18n import OUTCOME_LABELS, OUTCOME_RANK, value_label
from engine.common.escape import md_inline as _md  # proposal text stays literal text
from engine.rulebase.ruleset import RuleSet
from engine.advising.whatif import RankedFact, rank_missing, show_value

WORDS = {
    "nl": {"is": "is", "is_not": "is niet", "in": "is een van", "not_in": "is geen van", "gt": "is groter dan",
           "ge": "is ten minste", "lt": "is kleiner dan", "le": "is ten hoogste", "known": "is bekend",
           "unknown": "is onbekend", "conclusion": "conclusie", "drawn": "getrokken", "not_drawn": "niet getrokken",
           "needs": "vereist", "given": "gegeven", "by": "door", "route": "Beslisroute", "why_not": "Waarom niet",
           "fired": "van toepassing", "not_fired": "niet van toepassing", "facts": "gebruikte feiten",
           "draws": "trekt", "no_rule": "geen regel kan deze conclusie trekken", "or": "of",
           "missing": "Ontbrekende informatie, belangrijkste eerst", "decides": "verandert de uitkomst bij",
           "values": "waarde(n)", "leads_to": "leidt tot", "outcome": "Uitkomst", "step": "Stap",
           "none_better": "Er is geen gunstiger uitkomst dan deze.", "no_finding": "geen bevinding",
           "absent": "geen", "wanted": "nodig", "blocking": "in de weg",
           "detail": "De volledige boom met regel-ids: regiotoets explain --detail"},
    "en": {"is": "is", "is_not": "is not", "in": "is one of", "not_in": "is none of", "gt": "is greater than",
           "ge": "is at least", "lt": "is less than", "le": "is at most", "known": "is known",
           "unknown": "is unknown", "conclusion": "conclusion", "drawn": "drawn", "not_drawn": "not drawn",
           "needs": "needs", "given": "given", "by": "by", "route": "Decision route", "why_not": "Why not",
           "fired": "applies", "not_fired": "does not apply", "facts": "facts used",
           "draws": "draws", "no_rule": "no rule can draw this conclusion", "or": "or",
           "missing": "Missing information, most decisive first", "decides": "changes the outcome for",
           "values": "value(s)", "leads_to": "leads to", "outcome": "Outcome", "step": "Step",
           "none_better": "There is no more favourable outcome than this one.", "no_finding": "no finding",
           "absent": "no", "wanted": "needs", "blocking": "in the way",
           "detail": "The full tree with rule ids: regiotoets explain --detail"},
}


def w(key: str, lang: str) -> str:
    return WORDS[lang][key]


class FactLabels:
    """Words for conditions (the :class:`engine.rulebase.conditions.Labeler` protocol)."""

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset

    def test(self, test: C.FactTest, lang: str) -> str:
        q = f"\u00ab{question_for(self.ruleset.facts, test.path, lang)}\u00bb"
        if test.op == "known":
            return f"{q} {w('known' if test.value else 'unknown', lang)}"
        if test.op in ("in", "not_in"):
            joined = f" {w('or', lang)} ".join(value_label(v, lang) for v in test.value)
            return f"{q} {w(test.op, lang)} {joined}"
        return f"{q} {w(test.op, lang)} {value_label(test.value, lang)}"

    def conclusion(self, name: str, lang: str) -> str:
        return f"{w('conclusion', lang)} \u2018{name}\u2019"


# --------------------------------------------------------------------------- tree model


class Check(BaseModel):
    """One test that failed (or, for a conclusion, the rules behind it)."""

    text: str
    needs: bool  # True: the test should hold; False: it should not
    fact: Optional[str] = None
    value: Any = None
    value_label: Optional[str] = None
    facts: dict[str, Any] = {}  # when several alike tests are shown as one: every fact and its value
    conclusion: Optional[str] = None
    because: list["RuleNode"] = []


class RuleNode(BaseModel):
    rule: str
    title: str
    step: str
    fired: bool
    role: str
    outcome: Optional[str] = None
    finding: Optional[str] = None
    text: Optional[str] = None  # the rule's explanation with facts filled in (fired rules)
    condition: str
    facts: dict[str, Any] = {}
    conclusions_read: list[str] = []
    supports: list[str] = []  # fired: the conclusions it needed, as drawn
    absent: list[str] = []  # fired: the conclusions it needed not to be drawn, as not drawn
    failing: list[Check] = []
    wanted: list[str] = []  # not fired, for 'why not': what it needs, each met by one of its alternatives
    in_the_way: list[str] = []  # not fired, for 'why not': what holds but must not


class StepNode(BaseModel):
    step: str
    title: str
    rules: list[RuleNode]


class WhyNot(BaseModel):
    outcome: str
    outcome_label: str
    rules: list[RuleNode]


class MissingOut(BaseModel):
    fact: str
    changes: int
    leads_to: list[str]
    question_nl: str
    question_en: str


class Explanation(BaseModel):
    lang: str
    title: str
    outcome: str
    outcome_label: str
    steps: list[StepNode]
    why_not: list[WhyNot]
    missing: list[MissingOut]


Check.model_rebuild()


# --------------------------------------------------------------------------- building


class _Builder:
    def __init__(self, evaluator: Evaluator, trace: Trace, advice: Advice, lang: str):
        self.ruleset = evaluator.ruleset
        self.trace = trace
        self.lang = lang
        self.labels = FactLabels(self.ruleset)
        self.texts = {u.rule: u.text for u in advice.trace}
        self.fired = set(trace.fired)

    def node(self, rule_id: str, depth: int = 0, seen: frozenset[str] = frozenset()) -> RuleNode:
        rule = self.ruleset.by_id[rule_id]
        fired = rule_id in self.fired
        node = RuleNode(rule=rule_id, title=rule.data.title.get(self.lang), step=rule.data.step, fired=fired,
                        role=rule.then.role, outcome=rule.then.outcome, finding=rule.then.finding,
                        text=self.texts.get(rule_id), condition=C.describe(rule.condition, self.labels, self.lang),
                        conclusions_read=C.conclusion_names(rule.condition))
        if fired:
            node.facts = {p: self.trace.facts.get(p) for p in C.fact_paths(rule.condition)}
            drawn = self.trace.conclusions
            positive = C.positive_conclusions(rule.condition)
            # only what held: a conclusion in an 'any' that was not drawn is no support, a negated one is "geen …"
            node.supports = [n for n in positive if n in drawn]
            node.absent = [n for n in C.conclusion_names(rule.condition) if n not in positive and n not in drawn]
        else:
            node.failing = self.failing(rule.condition, depth, seen | {rule_id})
        return node

    def why_not(self, rule_id: str) -> RuleNode:
        """A rule that did not fire, with what it needs and what stands in its way (see engine.advising.requirements)."""
        from engine.advising.requirements import Requirements, quoted, render

        node = self.node(rule_id)
        lang = self.lang

        def test_text(leaf: C.FactTest, want: bool) -> str:
            value = show_value(self.trace.facts.get(leaf.path), lang)
            return f"{C.describe(leaf, self.labels, lang)} ({w('given', lang)}: {value})"

        needs = Requirements(self.ruleset, self.trace.facts, self.trace.conclusions, self.fired,
                             title=lambda rid: self.ruleset.by_id[rid].data.title.get(lang), test_text=test_text,
                             conclusion_text=lambda name: self.labels.conclusion(name, lang))
        wanted, in_the_way = needs.of_rule(rule_id)
        node.in_the_way = [quoted(t) for t in in_the_way]
        more = (lambda n: f"{n} andere") if lang == "nl" else (lambda n: f"{n} others")
        node.wanted = [render(e, w("or", lang), "en" if lang == "nl" else "and", more) for e in wanted]
        return node

    def failing(self, cond: C.Condition, depth: int, seen: frozenset[str]) -> list[Check]:
        out: list[Check] = []
        alike: dict[tuple, Check] = {}  # tests from one '*' pattern are shown as one line
        for leaf, want in C.failing_leaves(cond, self.trace.facts, self.trace.conclusions):
            text = C.describe(leaf, self.labels, self.lang)
            if isinstance(leaf, C.FactTest):
                value = self.trace.facts.get(leaf.path)
                key = (leaf.op, repr(leaf.value), want, leaf.path.rsplit(".", 1)[-1], leaf.path.count("."))
                group = alike.get(key)
                if group is not None and leaf.path.count(".") >= 2:
                    group.facts[leaf.path] = value
                    counts: dict[str, int] = {}
                    for v in group.facts.values():
                        counts[show_value(v, self.lang)] = counts.get(show_value(v, self.lang), 0) + 1
                    group.value_label = ", ".join(f"{k} \u00d7{n}" for k, n in counts.items())
                    first = C.describe(C.FactTest(group.fact, leaf.op, leaf.value), self.labels, self.lang)
                    more = "vergelijkbare vragen" if self.lang == "nl" else "similar questions"
                    group.text = f"{first} (+{len(group.facts) - 1} {more})"
                    continue
                check = Check(text=text, needs=want, fact=leaf.path, value=value,
                              value_label=show_value(value, self.lang), facts={leaf.path: value})
                alike[key] = check
                out.append(check)
                continue
            because: list[RuleNode] = []
            producers = self.ruleset.producers.get(leaf.name, [])
            if depth < 3:
                for pid in producers:
                    if pid in seen:
                        continue
                    # wanted but not drawn: why each producer did not fire; drawn but unwanted: who drew it
                    if want and pid not in self.fired:
                        because.append(self.node(pid, depth + 1, seen))
                    elif not want and pid in self.fired:
                        because.append(self.node(pid, depth + 1, seen))
            out.append(Check(text=text, needs=want, conclusion=leaf.name, because=because))
        return out


def explain_trace(evaluator: Evaluator, trace: Trace, advice: Advice, lang: str = "nl") -> Explanation:
    """The route, the why-not for every more favourable outcome, and the ranked missing facts."""
    ruleset = evaluator.ruleset
    b = _Builder(evaluator, trace, advice, lang)
    steps = []
    for step in ruleset.meta.steps:
        rules = [b.node(r.id) for r in ruleset.rules if r.data.step == step.id]
        rules.sort(key=lambda n: not n.fired)
        if rules:
            steps.append(StepNode(step=step.id, title=getattr(step, lang), rules=rules))
    current = OUTCOME_RANK[advice.outcome]
    why_not = []
    better = sorted({r.then.outcome for r in ruleset.rules if r.then.outcome and OUTCOME_RANK[r.then.outcome] > current},
                    key=lambda o: -OUTCOME_RANK[o])
    for outcome in better:
        rules = [b.why_not(r.id) for r in ruleset.rules if r.then.outcome == outcome and r.id not in b.fired]
        why_not.append(WhyNot(outcome=outcome, outcome_label=OUTCOME_LABELS[outcome][lang], rules=rules))
    missing = missing_ranked(evaluator, trace, advice)
    return Explanation(lang=lang, title=advice.proposal.title, outcome=advice.outcome,
                       outcome_label=advice.outcome_label, steps=steps, why_not=why_not,
                       missing=[MissingOut(fact=m.path, changes=m.changes, leads_to=list(m.outcomes),
                                           question_nl=m.question_nl, question_en=m.question_en) for m in missing])


def missing_ranked(evaluator: Evaluator, trace: Trace, advice: Advice) -> list[RankedFact]:
    """For an 'insufficient information' advice: the unknown facts, the most decisive first."""
    if advice.outcome != "insufficient_information":
        return []
    return rank_missing(evaluator, trace.facts, extra=[m.fact for m in advice.missing])


def explain_loaded(loaded: Any, *, day: Any, lang: str = "nl") -> Explanation:
    """Explain one validated proposal (``engine.deciding.validate.LoadedProposal``)."""
    from engine.reading.facts import flatten
    from engine.deciding.engines import evaluator_for

    evaluator = evaluator_for(loaded.ruleset)
    trace = evaluator.evaluate(flatten(loaded.proposal, loaded.ruleset.facts))
    advice = build_advice(evaluator, trace, loaded.proposal, file=loaded.document.name, sha256=loaded.sha256,
                          day=day, lang=lang)
    return explain_trace(evaluator, trace, advice, lang)


# --------------------------------------------------------------------------- rendering


def _fact_line(ruleset: RuleSet, path: str, value: Any, lang: str) -> str:
    return f"{question_for(ruleset.facts, path, lang)} = {show_value(value, lang)}"


def _compact_facts(ruleset: RuleSet, facts: dict[str, Any], lang: str) -> list[str]:
    """One line per fact; facts from one keyed section (the values, …) summarised when there are many."""
    groups: dict[tuple, list[str]] = {}
    for p in facts:
        key = (p.rsplit(".", 2)[0], p.rsplit(".", 1)[-1]) if p.count(".") >= 2 else (p, "")
        groups.setdefault(key, []).append(p)
    lines = []
    for paths in groups.values():
        if len(paths) <= 3:
            lines.extend(_fact_line(ruleset, p, facts[p], lang) for p in paths)
            continue
        counts: dict[str, int] = {}
        for p in paths:
            shown = show_value(facts[p], lang)
            counts[shown] = counts.get(shown, 0) + 1
        word = "vragen" if lang == "nl" else "questions"
        summary = ", ".join(f"{k} \u00d7{n}" for k, n in counts.items())
        lines.append(f"{question_for(ruleset.facts, paths[0], lang)} (+{len(paths) - 1} {word}): {summary}")
    return lines


def _check_lines(check: Check, lang: str, indent: str, ruleset: RuleSet) -> list[str]:
    mark = w("needs", lang) + ": " + (check.text if check.needs else f"{'niet' if lang == 'nl' else 'not'} ({check.text})")
    if check.fact is not None:
        return [f"{indent}\u2717 {mark} \u2014 {w('given', lang)}: {check.value_label}"]
    state = w("not_drawn", lang) if check.needs else w("drawn", lang)
    lines = [f"{indent}\u2717 {mark} \u2014 {state}"]
    for sub in check.because:
        lines.extend(_rule_lines(sub, lang, indent + "    ", ruleset))
    return lines


def _rule_lines(node: RuleNode, lang: str, indent: str, ruleset: RuleSet, facts: bool = True) -> list[str]:
    status = w("fired", lang) if node.fired else w("not_fired", lang)
    mark = "\u2713" if node.fired else "\u00b7"
    head = f"{indent}{mark} [{node.rule}] {node.title} \u2014 {status}"
    lines = [head]
    if node.fired:
        drawn = [x for x in (node.finding, node.outcome and OUTCOME_LABELS[node.outcome][lang]) if x]
        if drawn:
            lines.append(f"{indent}    \u2192 {w('draws', lang)}: {', '.join(drawn)}")
        if facts and node.facts:
            for label in _compact_facts(ruleset, node.facts, lang):
                lines.append(f"{indent}    \u2022 {label}")
        for name in node.supports:
            lines.append(f"{indent}    \u2022 {w('conclusion', lang)} \u2018{name}\u2019")
        for name in node.absent:
            lines.append(f"{indent}    \u2022 {w('absent', lang)} {w('conclusion', lang)} \u2018{name}\u2019")
    else:
        for check in node.failing:
            lines.extend(_check_lines(check, lang, indent + "    ", ruleset))
    return lines


def render_text(expl: Explanation, ruleset: RuleSet) -> str:
    lang = expl.lang
    out = [f"{w('route', lang)}: {expl.title}", f"{w('outcome', lang)}: {expl.outcome_label}", ""]
    for i, step in enumerate(expl.steps, 1):
        out.append(f"{w('step', lang)} {i}. {step.title}")
        for node in step.rules:
            out.extend(_rule_lines(node, lang, "  ", ruleset))
        out.append("")
    out.append(f"{w('why_not', lang)}?")
    if not expl.why_not:
        out.append("  " + w("none_better", lang))
    for wn in expl.why_not:
        out.append(f"  {w('why_not', lang)}: {wn.outcome_label}?")
        for node in wn.rules:
            out.extend(_rule_lines(node, lang, "    ", ruleset))
    out.extend(_missing_lines(expl, lang))
    return "\n".join(out) + "\n"


def _missing_lines(expl: Explanation, lang: str) -> list[str]:
    if not expl.missing:
        return []
    out = ["", w("missing", lang) + ":"]
    for i, m in enumerate(expl.missing, 1):
        q = m.question_en if lang == "en" else m.question_nl
        leads = ", ".join(OUTCOME_LABELS[o][lang] for o in m.leads_to)
        tail = f" ({w('decides', lang)} {m.changes} {w('values', lang)}: {w('leads_to', lang)} {leads})" if m.changes else ""
        out.append(f"  {i}. {q} [{m.fact}]{tail}")
    return out


def route_lines(expl: Explanation) -> list[str]:
    """The route in plain words: one line per step with what was found there, then per better outcome what it
    needs and what stands in the way (rule titles, no ids or conclusion names)."""
    lang = expl.lang
    out = []
    for i, step in enumerate(expl.steps, 1):
        found = [n.title for n in step.rules if n.fired and n.role != "route"]
        out.append(f"{i}. {step.title} \u2014 {'; '.join(found) if found else w('no_finding', lang)}")
    return out


def why_not_lines(expl: Explanation) -> list[tuple[str, list[tuple[str, list[str], list[str]]]]]:
    """Per more favourable outcome, per rule that could give it: (title, what it needs, what stands in the way)."""
    out = []
    for wn in expl.why_not:
        routes = []
        for node in wn.rules:
            routes.append((node.title, node.wanted, node.in_the_way))
        out.append((wn.outcome_label, routes))
    return out


def _why_not_text(expl: Explanation) -> list[tuple[str, list[str]]]:
    lang = expl.lang
    out = []
    for label, routes in why_not_lines(expl):
        lines = []
        for title, wanted, blocking in routes:
            parts = []
            if blocking:
                parts.append(f"{w('blocking', lang)}: {'; '.join(blocking)}")
            if wanted:
                parts.append(f"{w('wanted', lang)}: {'; '.join(wanted)}")
            lines.append(f"\u2018{title}\u2019 \u2014 " + (". ".join(parts) if parts else w("no_finding", lang)))
        out.append((label, lines))
    return out


def render_compact(expl: Explanation) -> str:
    """The default of ``explain``: the route in plain words, one line per step, and why not a better outcome."""
    lang = expl.lang
    out = [f"{w('route', lang)}: {expl.title}", f"{w('outcome', lang)}: {expl.outcome_label}", ""]
    out += route_lines(expl)
    out.append("")
    if not expl.why_not:
        out.append(w("none_better", lang))
    for label, lines in _why_not_text(expl):
        out.append(f"{w('why_not', lang)}: {label}?")
        out += [f"  - {line}" for line in lines]
    out.extend(_missing_lines(expl, lang))
    out += ["", w("detail", lang)]
    return "\n".join(out) + "\n"


def render_markdown_compact(expl: Explanation) -> str:
    lang = expl.lang
    out = [f"# {w('route', lang)}: {_md(expl.title)}", "", f"**{w('outcome', lang)}: {_md(expl.outcome_label)}**", ""]
    out += [_md(line) for line in route_lines(expl)] + [""]
    if not expl.why_not:
        out += [_md(w("none_better", lang)), ""]
    for label, lines in _why_not_text(expl):
        out += [f"## {w('why_not', lang)}: {_md(label)}?", ""]
        out += [f"- {_md(line)}" for line in lines] + [""]
    if expl.missing:
        out += [f"## {w('missing', lang)}", ""]
        for i, m in enumerate(expl.missing, 1):
            q = m.question_en if lang == "en" else m.question_nl
            out.append(f"{i}. {_md(q)} (`{m.fact}`)")
    return "\n".join(out).rstrip() + "\n"


def render_markdown(expl: Explanation, ruleset: RuleSet) -> str:
    lang = expl.lang
    out = [f"# {w('route', lang)}: {_md(expl.title)}", "", f"**{w('outcome', lang)}: {expl.outcome_label}**", ""]
    for i, step in enumerate(expl.steps, 1):
        out.append(f"## {w('step', lang)} {i}. {_md(step.title)}")
        out.append("")
        for node in step.rules:
            out.extend(_md_rule(node, lang, "", ruleset))
        out.append("")
    out.append(f"## {w('why_not', lang)}?")
    out.append("")
    if not expl.why_not:
        out.append(w("none_better", lang))
    for wn in expl.why_not:
        out.append(f"### {w('why_not', lang)}: {wn.outcome_label}?")
        out.append("")
        for node in wn.rules:
            out.extend(_md_rule(node, lang, "", ruleset))
        out.append("")
    if expl.missing:
        out.append(f"## {w('missing', lang)}")
        out.append("")
        for i, m in enumerate(expl.missing, 1):
            q = m.question_en if lang == "en" else m.question_nl
            out.append(f"{i}. {_md(q)} (`{m.fact}`)")
    return "\n".join(out).rstrip() + "\n"


def _md_rule(node: RuleNode, lang: str, indent: str, ruleset: RuleSet) -> list[str]:
    status = w("fired", lang) if node.fired else w("not_fired", lang)
    lines = [f"{indent}- {'✓' if node.fired else '✗'} **{node.rule}** {_md(node.title)} — {status}"]
    sub = indent + "  "
    if node.fired:
        if node.finding or node.outcome:
            drawn = [x for x in (node.finding, node.outcome and OUTCOME_LABELS[node.outcome][lang]) if x]
            lines.append(f"{sub}- {w('draws', lang)}: {_md(', '.join(drawn))}")
        for p, v in node.facts.items():
            lines.append(f"{sub}- {_md(_fact_line(ruleset, p, v, lang))}")
        for name in node.supports:
            lines.append(f"{sub}- {w('conclusion', lang)} \u2018{_md(name)}\u2019")
        for name in node.absent:
            lines.append(f"{sub}- {w('absent', lang)} {w('conclusion', lang)} \u2018{_md(name)}\u2019")
    else:
        for check in node.failing:
            text = check.text if check.needs else f"{'niet' if lang == 'nl' else 'not'} ({check.text})"
            if check.fact is not None:
                lines.append(f"{sub}- {w('needs', lang)}: {_md(text)} — {w('given', lang)}: {_md(str(check.value_label))}")
            else:
                state = w("not_drawn", lang) if check.needs else w("drawn", lang)
                lines.append(f"{sub}- {w('needs', lang)}: {_md(text)} — {state}")
                for child in check.because:
                    lines.extend(_md_rule(child, lang, sub + "  ", ruleset))
    return lines


def render_json(expl: Explanation) -> str:
    return expl.model_dump_json(indent=2) + "\n"
