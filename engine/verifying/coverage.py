"""Source coverage: which paragraphs of the source a rule set accounts for.

Every paragraph of the source is *cited* (a rule's quote lies in it), *not
encoded* (a passage of ``niet-gecodeerd.yaml`` lies in it, with a reason) or
*not yet reviewed*. In the decision chapters every paragraph should be one of
the first two; ``check`` counts the rest. Rendered as text, Markdown (the
fidelity tables in ``docs/``) and one self-contained HTML page that puts the
source and its marks side by side.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from engine.rulebase.notencoded import chapter_paragraphs
from engine.rulebase.ruleset import RuleSet
from engine.rulebase.source import Block

CITED, NOT_ENCODED, UNREVIEWED = "cited", "not_encoded", "unreviewed"
LABELS = {CITED: ("geciteerd", "cited"), NOT_ENCODED: ("bewust niet gecodeerd", "deliberately not encoded"),
          UNREVIEWED: ("nog niet beoordeeld", "not yet reviewed")}


@dataclass
class Paragraph:
    """One paragraph of the source and what accounts for it."""

    block: Block
    section: str
    rules: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # "nl / en" of each not-encoded passage in it
    chapter: str | None = None  # the decision chapter it is in, if any

    @property
    def status(self) -> str:
        return CITED if self.rules else NOT_ENCODED if self.reasons else UNREVIEWED


@dataclass
class Coverage:
    ruleset: RuleSet
    paragraphs: list[Paragraph]
    rule_places: dict[str, tuple[str, int | None, int]]  # rule id -> (section, page, line in source)

    def count(self, status: str, decision_only: bool = False) -> int:
        return sum(1 for p in self.paragraphs if p.status == status and (p.chapter or not decision_only))

    @property
    def unreviewed_in_decision_chapters(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.chapter and p.status == UNREVIEWED]


def coverage(ruleset: RuleSet) -> Coverage:
    """Mark every paragraph of the rule set's source."""
    doc = ruleset.document
    chapters = chapter_paragraphs(ruleset)
    paragraphs: dict[int, Paragraph] = {}
    for b in doc.blocks:
        if b.kind == "paragraph":
            head = doc.section_of(b)
            paragraphs[b.index] = Paragraph(b, head.title if head else "", chapter=chapters.get(b.index))
    places: dict[str, tuple[str, int | None, int]] = {}
    for r in ruleset.rules:
        blocks = doc.locate(r.data.cite.quote, r.data.cite.section)
        if blocks:
            places[r.id] = (r.data.cite.section, blocks[0].page, blocks[0].line)
        for b in blocks:
            if b.index in paragraphs and r.id not in paragraphs[b.index].rules:
                paragraphs[b.index].rules.append(r.id)
    for n in ruleset.not_encoded:
        for b in doc.locate(n.quote, n.section):
            if b.index in paragraphs:
                paragraphs[b.index].reasons.append(f"{n.reason_nl} / {n.reason_en}")
    return Coverage(ruleset, list(paragraphs.values()), places)


# --- rendering ------------------------------------------------------------------------------------

def _excerpt(text: str, limit: int = 110) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def _where(block: Block) -> str:
    return f"r. {block.line}" + (f", p. {block.page}" if block.page else "")


def _summary(cov: Coverage) -> list[str]:
    meta = cov.ruleset.meta
    total = len(cov.paragraphs)
    decision = [p for p in cov.paragraphs if p.chapter]
    out = [f"Regelset / rule set: {meta.id} (versie / version {meta.version}) — bron / source: {meta.source.title} "
           f"({meta.source.file})",
           f"Alinea's / paragraphs: {total}; geciteerd / cited {cov.count(CITED)}, bewust niet gecodeerd / not "
           f"encoded {cov.count(NOT_ENCODED)}, nog niet beoordeeld / not yet reviewed {cov.count(UNREVIEWED)}"]
    out.append("Plaats / place: r. = regel in het bronbestand / line in the source file"
               + ("; p. = pagina van de PDF / page of the PDF" if cov.ruleset.document.paged else ""))
    if meta.decision_chapters:
        out.append(f"In de beslishoofdstukken / in the decision chapters: {len(decision)} alinea's / paragraphs, "
                   f"nog niet beoordeeld / not yet reviewed: {len(cov.unreviewed_in_decision_chapters)}")
    else:
        out.append("Geen beslishoofdstukken aangewezen / no decision chapters named (decision_chapters in ruleset.yaml)")
    return out


def _sections(cov: Coverage) -> list[tuple[str, list[Paragraph]]]:
    out: list[tuple[str, list[Paragraph]]] = []
    for p in cov.paragraphs:
        if not out or out[-1][0] != p.section or (out[-1][1] and out[-1][1][-1].block.index > p.block.index):
            out.append((p.section, []))
        out[-1][1].append(p)
    return out


def render_text(cov: Coverage) -> str:
    marks = {CITED: "✔", NOT_ENCODED: "–", UNREVIEWED: "?"}
    out = _summary(cov) + ["", "✔ geciteerd / cited   – bewust niet gecodeerd / not encoded   ? nog niet beoordeeld / "
                                "not yet reviewed   * in een beslishoofdstuk / in a decision chapter", ""]
    for title, paras in _sections(cov):
        out.append(f"== {title or '(begin / start)'}")
        for p in paras:
            why = ", ".join(p.rules) if p.rules else ("; ".join(p.reasons) if p.reasons else "")
            star = "*" if p.chapter else " "
            out.append(f" {marks[p.status]}{star} [{_where(p.block)}] {_excerpt(p.block.text, 70)}"
                       + (f"  ← {why}" if why else ""))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _md(text: str) -> str:
    """Text safe in a Markdown table cell."""
    for ch in "\\`*_[]<>|#":
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


def render_markdown(cov: Coverage) -> str:
    meta = cov.ruleset.meta
    label = {k: f"{v[0]} / {v[1]}" for k, v in LABELS.items()}
    out = [f"# Brontrouw / source fidelity: {_md(meta.name)}", "",
           f"*Gemaakt met / made with `regiotoets rules coverage --region {meta.region} --format markdown`; niet met de "
           f"hand bewerken / do not edit by hand.*", ""]
    out += [f"- {_md(line)}" for line in _summary(cov)] + [""]
    for title, paras in _sections(cov):
        out += [f"## {_md(title) or '(begin / start)'}", "", "| Plaats / place | Passage | Status | Regels of reden / "
                "rules or reason |", "|---|---|---|---|"]
        for p in paras:
            why = ", ".join(p.rules) if p.rules else "; ".join(p.reasons)
            status = label[p.status] + (" (beslishoofdstuk / decision chapter)" if p.chapter else "")
            out.append(f"| {_where(p.block)} | {_md(_excerpt(p.block.text))} | {status} | {_md(why)} |")
        out.append("")
    out += ["## Regels en hun passage / rules and their passage", "", "| Regel / rule | Sectie / section | Plaats / place |",
            "|---|---|---|"]
    for r in cov.ruleset.rules:
        section, page, line = cov.rule_places.get(r.id, (r.data.cite.section, None, 0))
        where = f"r. {line}" + (f", p. {page}" if page else "") if line else "?"
        out.append(f"| {r.id} | {_md(section)} | {where} |")
    return "\n".join(out).rstrip() + "\n"


_CSS = """
body{font-family:Georgia,serif;margin:2rem auto;max-width:70rem;color:#222;line-height:1.45}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #ccc}
.row{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.2rem;padding:.4rem 0;border-bottom:1px dotted #ddd}
.src{white-space:pre-wrap;font-size:.95rem}.where{color:#777;font-size:.8rem;display:block}
.mark{font-family:Helvetica,Arial,sans-serif;font-size:.85rem;padding:.3rem .6rem;border-left:4px solid}
.cited{border-color:#2e7d32;background:#eef7ee}.not_encoded{border-color:#777;background:#f3f3f3}
.unreviewed{border-color:#c62828;background:#fdecea}.decision{font-weight:bold}
ul.summary{font-family:Helvetica,Arial,sans-serif;font-size:.9rem}
@media print{.row{break-inside:avoid}}
"""


def render_html(cov: Coverage) -> str:
    e = html.escape
    meta = cov.ruleset.meta
    out = ["<!DOCTYPE html>", '<html lang="nl"><head><meta charset="utf-8">',
           f"<title>Brontrouw / source fidelity: {e(meta.name)}</title><style>{_CSS}</style></head><body>",
           f"<h1>Brontrouw / source fidelity: {e(meta.name)}</h1>", '<ul class="summary">']
    out += [f"<li>{e(line)}</li>" for line in _summary(cov)] + ["</ul>"]
    for title, paras in _sections(cov):
        out.append(f"<h2>{e(title) or '(begin / start)'}</h2>")
        for p in paras:
            nl, en = LABELS[p.status]
            by_id = cov.ruleset.by_id
            detail = ("<br>".join(f"{e(r)}: {e(by_id[r].data.title.nl)} / {e(by_id[r].data.title.en)}" for r in p.rules)
                      if p.rules else e("; ".join(p.reasons)))
            chapter = (f'<br><span class="decision">beslishoofdstuk / decision chapter: {e(p.chapter)}</span>'
                       if p.chapter else "")
            out.append(f'<div class="row"><div class="src"><span class="where">{e(_where(p.block))}</span>'
                       f'{e(p.block.text)}</div><div class="mark {p.status}"><strong>{nl} / {en}</strong>'
                       f'{"<br>" + detail if detail else ""}{chapter}</div></div>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render(ruleset: RuleSet, fmt: str = "text") -> str:
    cov = coverage(ruleset)
    return {"text": render_text, "markdown": render_markdown, "html": render_html}[fmt](cov)


def review_findings(ruleset: RuleSet) -> list:
    """For ``check``: what the author still has to do. A warning for fields ``rules new`` left to fill in, and one with
    the number of paragraphs in the decision chapters that no rule cites and no
    not-encoded entry accounts for (a rule set is written step by step, so this does not fail the check)."""
    from engine.verifying.findings import Finding

    out = []
    head = ruleset.files.get("ruleset.yaml", b"").decode("utf-8", "replace")
    todo = [str(n) for n, line in enumerate(head.splitlines(), 1)
            if "IN TE VULLEN" in line and not line.lstrip().startswith("#")]
    if todo:  # left by 'rules new'
        out.append(Finding("warning", "nog in te vullen / still to fill in: regel / line " + ", ".join(todo),
                           str(ruleset.folder / "ruleset.yaml")))
    if not ruleset.meta.decision_chapters or ruleset.source_text is None:
        return out
    open_ = coverage(ruleset).unreviewed_in_decision_chapters
    if not open_:
        return out
    lines = ", ".join(str(p.block.line) for p in open_[:10]) + (" …" if len(open_) > 10 else "")
    return out + [Finding("warning", f"{len(open_)} alinea('s) in de beslishoofdstukken nog niet beoordeeld "
                                     f"(bronregels / source lines {lines}) / paragraph(s) in the decision chapters not "
                                     f"yet reviewed — zie / see 'regiotoets rules coverage --region {ruleset.region}'",
                          ruleset.meta.source.path)]
