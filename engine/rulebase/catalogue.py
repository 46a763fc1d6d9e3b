"""The rule catalogue: every rule of a rule set as a reader sees it.

Per rule its id, title, decision step, condition in readable language,
conclusion, citation with the quoted passage, and its examples. The
condition is rendered by :func:`engine.rulebase.conditions.describe` with a labeler
that speaks in the proposal's own questions and the rule set's vocabulary,
so a policy officer can check a rule against the source without reading YAML.
Output is deterministic (no dates), so a committed catalogue can be checked
for being up to date.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from engine.rulebase import conditions as C
from engine.reading.facts import question_for
from engine.common.i18n import OUTCOME_LABELS, value_label
from engine.rulebase.ruleset import Rule, RuleSet

ROLE_LABELS: dict[str, dict[str, str]] = {
    "reason": {"nl": "argument", "en": "reason"},
    "condition": {"nl": "voorwaarde", "en": "condition"},
    "caveat": {"nl": "kanttekening", "en": "caveat"},
    "next_step": {"nl": "vervolgstap", "en": "next step"},
    "missing": {"nl": "ontbrekende informatie", "en": "missing information"},
    "route": {"nl": "tussenstap", "en": "intermediate step"},
}

# Sections of the proposal a '*' can range over, named for readers.
SECTION_LABELS: dict[str, dict[str, str]] = {
    "content.values": {"nl": "een van de waarden", "en": "one of the values"},
    "content.care_landscape": {"nl": "een van de uitgangspunten voor het zorglandschap",
                               "en": "one of the care-landscape principles"},
    "enrichment": {"nl": "een van de gronden", "en": "one of the grounds"},
    "finances": {"nl": "een van de financiële effecten", "en": "one of the financial effects"},
    "legal.criteria": {"nl": "een van de criteria", "en": "one of the criteria"},
    "procurement.cost_components": {"nl": "een van de kostencomponenten", "en": "one of the cost components"},
}

WORDS: dict[str, dict[str, str]] = {
    "nl": {"not": "niet", "or": "of", "known": "bekend", "unknown": "onbekend", "gt": "meer dan", "ge": "ten minste",
           "lt": "minder dan", "le": "ten hoogste", "conclusion": "vastgesteld", "step": "Stap", "when": "Als",
           "then": "Dan", "source": "Bron", "examples": "Voorbeelden", "fires": "vuurt", "no_fire": "vuurt niet",
           "no_facts": "(niets ingevuld: alles onbekend)", "outcome": "uitkomst", "finding": "conclusie",
           "asks": "vraagt om", "role": "rol", "catalogue": "Regelcatalogus", "version": "versie", "valid": "geldig",
           "until": "t/m", "decision_body": "Besluit door", "rules": "regels", "steps": "Afwegingsstappen",
           "hash": "Hash van de regelset", "must_draw": "moet trekken", "unlimited": "…",
           "intro": "Elke regel met zijn voorwaarde, conclusie, bron en voorbeelden. De voorbeelden worden als test "
                    "door de regelmachine gehaald; niet-genoemde feiten zijn onbekend."},
    "en": {"not": "not", "or": "or", "known": "known", "unknown": "unknown", "gt": "more than", "ge": "at least",
           "lt": "less than", "le": "at most", "conclusion": "established", "step": "Step", "when": "When",
           "then": "Then", "source": "Source", "examples": "Examples", "fires": "fires", "no_fire": "does not fire",
           "no_facts": "(nothing filled in: everything unknown)", "outcome": "outcome", "finding": "conclusion",
           "asks": "asks for", "role": "role", "catalogue": "Rule catalogue", "version": "version", "valid": "valid",
           "until": "to", "decision_body": "Decided by", "rules": "rules", "steps": "Decision steps",
           "hash": "Rule set hash", "must_draw": "must draw", "unlimited": "…",
           "intro": "Every rule with its condition, conclusion, source and examples. The examples run as tests "
                    "through the rule engine; facts not mentioned are unknown."},
}


def _value(value: Any, lang: str) -> str:
    return value_label(value, lang)


class CatalogueLabeler:
    """Speaks a condition's leaves in the proposal's questions and vocabulary labels."""

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset

    def subject(self, path: str, lang: str) -> str:
        if "*" in path:
            prefix = path.split(".*", 1)[0]
            label = SECTION_LABELS.get(prefix, {}).get(lang)
            return f"{label} ({prefix})" if label else f"{path}"
        return question_for(self.ruleset.facts, path, lang)

    def test(self, test: C.FactTest, lang: str) -> str:
        w = WORDS[lang]
        subject = self.subject(test.path, lang)
        op, value = test.op, test.value
        if op == "known":
            answer = w["known"] if value else w["unknown"]
        elif op in ("is", "is_not"):
            answer = _value(value, lang)
        elif op in ("in", "not_in"):
            answer = f" {w['or']} ".join(_value(v, lang) for v in value)
        else:
            from engine.common.i18n import number
            answer = f"{w[op]} {number(value)}"
        if op in ("is_not", "not_in"):
            answer = f"{w['not']} {answer}"
        return f"«{subject}» — {answer}"

    def conclusion(self, name: str, lang: str) -> str:
        ids = self.ruleset.producers.get(name, [])
        if len(ids) == 1:
            rule = self.ruleset.by_id[ids[0]]
            return f"«{rule.data.title.get(lang)}» ({ids[0]})"
        return f"«{name}» {WORDS[lang]['conclusion']} ({', '.join(ids)})"


def group_wildcards(cond: C.Condition, specs: dict) -> C.Condition:
    """Fold the expansion of a ``*`` pattern back into one test, so it reads as one phrase.

    Only a complete expansion is folded: an ``any`` that names exactly the
    facts a pattern stands for, with one comparison.
    """
    if isinstance(cond, C.Not):
        return C.Not(group_wildcards(cond.item, specs))
    if isinstance(cond, C.All):
        return C.All(tuple(group_wildcards(c, specs) for c in cond.items))
    if isinstance(cond, C.Any_):
        items = cond.items
        if len(items) > 1 and all(isinstance(c, C.FactTest) for c in items):
            first = items[0]
            same = all(c.op == first.op and c.value == first.value for c in items)
            parts = [c.path.split(".") for c in items]
            if same and len({len(p) for p in parts}) == 1:
                differing = [i for i in range(len(parts[0])) if len({p[i] for p in parts}) > 1]
                if len(differing) == 1:
                    pattern = list(parts[0])
                    pattern[differing[0]] = "*"
                    joined = ".".join(pattern)
                    if C.expand(joined, specs) == [c.path for c in items]:
                        return C.FactTest(joined, first.op, first.value)
        return C.Any_(tuple(group_wildcards(c, specs) for c in items))
    return cond


def describe_condition(ruleset: RuleSet, rule: Rule, lang: str) -> str:
    text = C.describe(group_wildcards(rule.condition, ruleset.facts), CatalogueLabeler(ruleset), lang)
    if text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1]
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def describe_conclusion(ruleset: RuleSet, rule: Rule, lang: str) -> str:
    w, then = WORDS[lang], rule.then
    parts = []
    if then.outcome:
        parts.append(f"{w['outcome']}: {OUTCOME_LABELS[then.outcome][lang]}")
    if then.finding:
        parts.append(f"{w['finding']}: {then.finding}")
    if not then.outcome and (then.role != "reason" or not then.finding):
        parts.append(f"{w['role']}: {ROLE_LABELS[then.role][lang]}")
    if then.missing:
        parts.append(f"{w['asks']}: " + "; ".join(f"«{CatalogueLabeler(ruleset).subject(m, lang)}»" for m in then.missing))
    return "; ".join(parts)


def readable_template(text: str) -> str:
    """An explanation template for readers: ``{{path}}`` becomes ‹path›, optional ``[[…]]`` brackets go."""
    import re

    text = re.sub(r"\{\{\s*(.*?)\s*\}\}", lambda m: f"‹{m.group(1)}›", text)
    return re.sub(r"\[\[(.*?)\]\]", lambda m: m.group(1), text, flags=re.S)


def describe_example(ruleset: RuleSet, example: Any, lang: str) -> str:
    w = WORDS[lang]
    facts = ", ".join(f"{k} = {_value(v, lang) if not isinstance(v, list) else v}" for k, v in example.facts.items())
    text = f"{facts or w['no_facts']} → {w['fires'] if example.fires else w['no_fire']}"
    if example.conclusions:
        text += f" ({w['must_draw']}: {', '.join(example.conclusions)})"
    if example.note:
        text += f" — {example.note}"
    return text


@dataclass(frozen=True)
class Entry:
    """One rule, ready to print."""

    id: str
    title: str
    step: str
    condition: str
    conclusion: str
    explanation: str
    file: str
    section: str
    quote: str
    examples: tuple[str, ...]


def entries(ruleset: RuleSet, lang: str = "nl") -> list[Entry]:
    """The catalogue entries in the order of the decision steps, then rule-file order."""
    order = {s.id: i for i, s in enumerate(ruleset.meta.steps)}
    rules = sorted(ruleset.rules, key=lambda r: order[r.data.step])
    return [Entry(id=r.id, title=r.data.title.get(lang), step=getattr(ruleset.step(r.data.step), lang),
                  condition=describe_condition(ruleset, r, lang), conclusion=describe_conclusion(ruleset, r, lang),
                  explanation=readable_template(r.data.explain.get(lang)), file=r.data.cite.file,
                  section=r.data.cite.section + (f", p. {r.page}" if r.page else ""),
                  quote=r.data.cite.quote,
                  examples=tuple(describe_example(ruleset, ex, lang) for ex in r.data.examples))
            for r in rules]


def _header(ruleset: RuleSet, lang: str) -> dict[str, str]:
    m, w = ruleset.meta, WORDS[lang]
    return {"title": f"{w['catalogue']}: {m.name}",
            "ruleset": f"{m.id} — {w['version']} {m.version}, {w['valid']} {m.valid_from} {w['until']} "
                       f"{m.valid_until or w['unlimited']}",
            "source": f"{w['source']}: {m.source.title} ({m.source.file})",
            "body": f"{w['decision_body']}: {m.decision_body.get(lang)}",
            "count": f"{len(ruleset.rules)} {w['rules']}"}


def render_text(ruleset: RuleSet, lang: str = "nl") -> str:
    w, h = WORDS[lang], _header(ruleset, lang)
    out = [h["title"], h["ruleset"], h["source"], h["body"], h["count"], ""]
    step = None
    for e in entries(ruleset, lang):
        if e.step != step:
            step = e.step
            out += [f"== {w['step']}: {step}", ""]
        out.append(f"{e.id}  {e.title}")
        out.append(f"  {w['when']}: {e.condition}")
        out.append(f"  {w['then']}: {e.conclusion}")
        out.append(f"  {w['source']}: {e.section} — \u201c{e.quote}\u201d")
        for ex in e.examples:
            out.append(f"  - {ex}")
        out.append("")
    return "\n".join(out)


def _md(text: str) -> str:
    """Rule text as Markdown that shows as exactly that text (no raw HTML, links or emphasis), as in the reports."""
    from engine.common.escape import md_inline

    return md_inline(text)


def render_markdown(ruleset: RuleSet, lang: str = "nl") -> str:
    w, h = WORDS[lang], _header(ruleset, lang)
    out = [f"# {h['title']}", "", f"- {h['ruleset']}", f"- {h['source']}", f"- {h['body']}", f"- {h['count']}",
           f"- {w['hash']}: `{ruleset.content_hash[:16]}`", "", w["intro"], ""]
    step = None
    for e in entries(ruleset, lang):
        if e.step != step:
            step = e.step
            out += [f"## {w['step']}: {_md(step)}", ""]
        out += [f"### {e.id} — {_md(e.title)}", "",
                f"**{w['when']}:** {_md(e.condition)}", "",
                f"**{w['then']}:** {_md(e.conclusion)}", "",
                f"{_md(e.explanation)}", "",
                f"> \u201c{_md(e.quote)}\u201d", f"> — {_md(e.section)} ({e.file})", ""]
        if e.examples:
            out += [f"**{w['examples']}:**", ""]
            out += [f"- {_md(ex)}" for ex in e.examples]
            out.append("")
    return "\n".join(out)


_CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:2px solid #ccd}h3{font-size:1.05rem;margin-bottom:.3rem}
.rule{border-left:4px solid #88a;padding:.2rem 1rem;margin:1.2rem 0;background:#f7f7fb}
.id{font-family:monospace;color:#446}blockquote{margin:.5rem 0;padding-left:1rem;border-left:3px solid #bbb;color:#444}
.ex li{font-family:monospace;font-size:.88rem}.meta{color:#555}"""


def render_html(ruleset: RuleSet, lang: str = "nl") -> str:
    w, h = WORDS[lang], _header(ruleset, lang)
    e_ = html.escape
    out = [f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{e_(h["title"])}</title>',
           f"<style>\n{_CSS}\n</style>\n</head>\n<body>", f"<h1>{e_(h['title'])}</h1>", '<ul class="meta">']
    for key in ("ruleset", "source", "body", "count"):
        out.append(f"<li>{e_(h[key])}</li>")
    out.append(f"<li>{e_(w['hash'])}: <code>{ruleset.content_hash[:16]}</code></li></ul>")
    out.append(f"<p>{e_(w['intro'])}</p>")
    step = None
    for e in entries(ruleset, lang):
        if e.step != step:
            step = e.step
            out.append(f"<h2>{e_(w['step'])}: {e_(step)}</h2>")
        out.append(f'<section class="rule" id="{e_(e.id)}">')
        out.append(f'<h3><span class="id">{e_(e.id)}</span> — {e_(e.title)}</h3>')
        out.append(f"<p><strong>{e_(w['when'])}:</strong> {e_(e.condition)}</p>")
        out.append(f"<p><strong>{e_(w['then'])}:</strong> {e_(e.conclusion)}</p>")
        out.append(f"<p>{e_(e.explanation)}</p>")
        out.append(f"<blockquote>\u201c{e_(e.quote)}\u201d<br>— {e_(e.section)} ({e_(e.file)})</blockquote>")
        if e.examples:
            out.append(f"<p><strong>{e_(w['examples'])}:</strong></p>\n<ul class=\"ex\">")
            out += [f"<li>{e_(ex)}</li>" for ex in e.examples]
            out.append("</ul>")
        out.append("</section>")
    out.append("</body>\n</html>\n")
    return "\n".join(out)


RENDERERS = {"text": render_text, "markdown": render_markdown, "html": render_html}


def render(ruleset: RuleSet, fmt: str = "text", lang: str = "nl") -> str:
    return RENDERERS[fmt](ruleset, lang)
