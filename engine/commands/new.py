"""``regiotoets new``: an interview that writes a proposal file, asking only what still matters.

The questions come from the fact catalogue (the proposal schema) and their
order from the rule set's decision steps; which of them are asked is decided
by :mod:`engine.interview` from the rules. Every decision question accepts
"weet ik niet" (unknown). The file is written atomically, with each answer
preceded by its question as a comment, and ``regiotoets evaluate`` accepts it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click

from .common import LANGS, date_option, guarded, parse_day, region_options, rules_root, warn_validity, write_output

T = {
    "nl": {"title": "Titel van het voorstel", "submitter": "Indiener (naam, functie, organisatie)",
           "date": "Datum van het voorstel (JJJJ-MM-DD)", "topic": "Onderwerp in één zin",
           "kind": "Wat voor samenwerking is het?", "partner_regions": "Partnerregio's (gescheiden door komma's, leeg = geen)",
           "dont_know": "weet ik niet", "answer": "Antwoord", "provisional": "Voorlopige uitkomst",
           "final": "Uitkomst", "done": "Er zijn geen vragen meer die de uitkomst kunnen veranderen.",
           "written": "Voorstel geschreven naar", "output": "Bestandsnaam voor het voorstel",
           "invalid": "Ongeldig antwoord; kies een nummer of een van", "step": "Stap", "start": "Nieuw voorstel voor",
           "resume": "Verder met", "header": "Voorstel, opgesteld met 'regiotoets new'", "too_short": "Te kort",
           "bad_date": "Geen datum; gebruik JJJJ-MM-DD", "region": "Regio (regelset)", "evaluate": "Toets het met: regiotoets evaluate"},
    "en": {"title": "Title of the proposal", "submitter": "Submitter (name, role, organisation)",
           "date": "Date of the proposal (YYYY-MM-DD)", "topic": "Topic in one sentence",
           "kind": "What kind of collaboration is it?", "partner_regions": "Partner regions (comma-separated, empty = none)",
           "dont_know": "don't know", "answer": "Answer", "provisional": "Provisional outcome",
           "final": "Outcome", "done": "No questions are left that could change the outcome.",
           "written": "Proposal written to", "output": "File name for the proposal",
           "invalid": "Invalid answer; choose a number or one of", "step": "Step", "start": "New proposal for",
           "resume": "Continuing with", "header": "Proposal, drawn up with 'regiotoets new'", "too_short": "Too short",
           "bad_date": "Not a date; use YYYY-MM-DD", "region": "Region (rule set)", "evaluate": "Evaluate it with: regiotoets evaluate"},
}


class AnswerType(click.ParamType):
    """An answer to an enumerated fact: a number, a Dutch or English label, or 'weet ik niet'."""

    name = "answer"

    def __init__(self, domain: tuple[Any, ...], lang: str):
        from engine.i18n import VALUE_LABELS
        from engine.proposal import UNKNOWN

        self.lang = lang
        self.options = [v for v in domain if v != UNKNOWN] + [UNKNOWN]
        self.labels = {v: (T[lang]["dont_know"] if v == UNKNOWN else VALUE_LABELS.get(v, {}).get(lang, str(v)))
                       for v in self.options}

    def menu(self) -> str:
        return "  ".join(f"{i}) {self.labels[v]}" for i, v in enumerate(self.options, 1))

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        from engine.i18n import VALUE_LABELS
        from engine.proposal import _normalise

        text = str(value).strip()
        if text.isdigit() and 1 <= int(text) <= len(self.options):
            return self.options[int(text) - 1]
        lowered = text.lower()
        for v in self.options:
            names = {str(v), self.labels[v].lower(), *(l.lower() for l in VALUE_LABELS.get(v, {}).values())}
            if lowered in names:
                return v
        normal = _normalise(text)
        if normal in self.options:
            return normal
        self.fail(f"{T[self.lang]['invalid']}: {', '.join(self.labels.values())}", param, ctx)


@click.command("new")
@click.option("--output", "-o", default=None, help="Schrijf het voorstel naar dit bestand.")
@click.option("--resume", default=None, help="Ga verder met een onvolledig voorstelbestand; vraag alleen wat ontbreekt.")
@region_options
@date_option
@click.option("--lang", type=LANGS, default="nl", show_default=True, help="Taal van de vragen / language.")
@guarded
def new(output, resume, region, rules_dir, date_, lang):
    """Stel een voorstel op via een vraaggesprek: alleen de vragen die de uitkomst nog kunnen veranderen."""
    from engine.interview import QuestionEngine
    from engine.pipeline import evaluator_for
    from engine.advice import validity_warning
    from engine.registry import choose

    day = parse_day(date_)  # a bad date is reported before any question is asked
    words = T[lang]
    data: dict[str, Any] = {}
    if resume:
        data = _load_resume(resume)
        output = output or resume
    region = region or (str(data["region"]) if data.get("region") else None)
    if region is None:
        from engine.registry import regions

        names = regions(rules_root(rules_dir))
        if len(names) > 1:
            region = click.prompt(words["region"], type=click.Choice(names))
    ruleset = choose(region, day, rules_root(rules_dir))
    data["region"] = ruleset.region
    click.echo(f"{words['resume'] if resume else words['start']}: {ruleset.meta.name} ({ruleset.meta.id})")
    warn_validity([validity_warning(ruleset, day, lang)])
    _ask_meta(data, ruleset, lang)
    qe = QuestionEngine(evaluator_for(ruleset))
    specs = ruleset.facts
    steps = {s.id: getattr(s, lang) for s in ruleset.meta.steps}
    from engine.whatif import apply_to_data, step_rank

    first_step = step_rank(ruleset)
    step_ids = [s.id for s in ruleset.meta.steps]
    shown_step = None
    while True:
        answers = _answers(ruleset, data)
        found = qe.next_question(answers)
        if found is None:
            break
        path, _witness = found
        step = step_ids[first_step[path]] if first_step.get(path, 99) < len(step_ids) else None
        if step and step != shown_step:
            click.echo(f"\n== {words['step']}: {steps[step]} ==")
            shown_step = step
        spec = specs[path]
        answer_type = AnswerType(spec.domain, lang)
        click.echo(f"\n{spec.question(lang)}  [{path}]")
        click.echo(f"  {answer_type.menu()}")
        value = click.prompt(words["answer"], type=answer_type)
        data = apply_to_data(data, [(path, value)], specs)
        click.echo(f"  \u2192 {words['provisional']}: {_outcome_label(qe, ruleset, data, lang)}")
    click.echo(f"\n{words['done']}")
    click.echo(f"{words['final']}: {_outcome_label(qe, ruleset, data, lang)}")
    if not output:
        output = click.prompt(words["output"], default="voorstel.yaml")
    _validate(ruleset, data, output)
    write_output(render_proposal(ruleset, data, lang), output)
    click.echo(f"{words['written']} {output}. {words['evaluate']} {output}")


def _load_resume(path: str) -> dict[str, Any]:
    from engine.errors import InputError, Problem
    from engine.yamlio import load_document

    doc = load_document(path, what="voorstel")
    if not isinstance(doc.data, dict):
        raise InputError([Problem(doc.name, "een voorstel is een mapping met velden / a proposal is a mapping",
                                  line=1, expected="title: …")])
    return doc.data


def _ask_meta(data: dict[str, Any], ruleset: Any, lang: str) -> None:
    words = T[lang]
    for key in ("title", "submitter", "topic"):
        if not str(data.get(key) or "").strip():
            data[key] = click.prompt(words[key], value_proc=_min_length(3 if key != "submitter" else 2, lang))
    if not data.get("date"):
        data["date"] = click.prompt(words["date"], default=dt.date.today().isoformat(), value_proc=_date(lang))
    if not data.get("kind") and "kind" in ruleset.facts:
        kind_type = AnswerType(ruleset.facts["kind"].domain, lang)
        click.echo(f"{words['kind']}  [kind]\n  {kind_type.menu()}")
        data["kind"] = click.prompt(words["answer"], type=kind_type)
    if "partner_regions" not in data:
        text = click.prompt(words["partner_regions"], default="", show_default=False)
        data["partner_regions"] = [p.strip() for p in text.split(",") if p.strip()]


def _min_length(n: int, lang: str):
    def check(value: str) -> str:
        if len(value.strip()) < n:
            raise click.UsageError(T[lang]["too_short"])
        return value.strip()
    return check


def _date(lang: str):
    def check(value: str) -> str:
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise click.UsageError(T[lang]["bad_date"])
    return check


def _answers(ruleset: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The decision facts the file already answers (unknown counts as an answer)."""
    from engine.facts import flatten

    proposal = ruleset.model.model_validate(data)
    facts = flatten(proposal, ruleset.facts)
    return {p: facts[p] for p in ruleset.facts if _present(data, p, ruleset.facts)}


def _present(data: dict[str, Any], path: str, specs: dict[str, Any]) -> bool:
    node: Any = data
    parts = path.split(".")
    for i, part in enumerate(parts):
        if isinstance(node, list):
            return True  # membership in a list that is given
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
        if i < len(parts) - 1 and not isinstance(node, (dict, list)):
            # shorthand entry ('kind_hoort_thuis: supports') answers its single fact
            return i == len(parts) - 2 and parts[-1] in ("fit", "holds", "effect")
    return True


def _outcome_label(qe: Any, ruleset: Any, data: dict[str, Any], lang: str) -> str:
    from engine.facts import flatten
    from engine.i18n import OUTCOME_LABELS

    facts = flatten(ruleset.model.model_validate(data), ruleset.facts)
    return OUTCOME_LABELS[qe.outcome({}, facts)][lang]


def _validate(ruleset: Any, data: dict[str, Any], output: str) -> None:
    from pydantic import ValidationError

    from engine.errors import InputError, Problem, join_loc

    try:
        ruleset.model.model_validate(data)
    except ValidationError as exc:
        raise InputError([Problem(output, e["msg"], field=join_loc(e["loc"])) for e in exc.errors()])


# --------------------------------------------------------------------------- writing


def render_proposal(ruleset: Any, data: dict[str, Any], lang: str) -> str:
    """The proposal as YAML, each answer preceded by its question as a comment."""
    words = T[lang]
    specs = ruleset.facts
    order = {name: i for i, name in enumerate(ruleset.model.model_fields)}
    catalogue = list(specs)
    lines = [f"# {words['header']} ({dt.date.today().isoformat()}).",
             f"# {ruleset.meta.name} — {ruleset.meta.id} {ruleset.meta.version}.", ""]

    def key_order(prefix: str, key: str) -> tuple:
        if not prefix:
            return (order.get(key, 999), key)
        full = f"{prefix}.{key}"
        pos = next((i for i, p in enumerate(catalogue) if p == full or p.startswith(full + ".")), 999)
        return (pos, key)

    def question(path: str) -> str | None:
        for candidate in (path, *(f"{path}.{leaf}" for leaf in ("fit", "holds", "effect"))):
            spec = specs.get(candidate)
            if spec is not None:
                return spec.question(lang)
        return None

    def emit(node: dict[str, Any], prefix: str, indent: str) -> None:
        for key in sorted(node, key=lambda k: key_order(prefix, k)):
            value = node[key]
            path = f"{prefix}.{key}" if prefix else key
            q = question(path)
            if isinstance(value, dict) and set(value) <= {"fit", "holds", "effect"} and len(value) == 1:
                value = next(iter(value.values()))  # shorthand for a single answer
            if q and not isinstance(value, dict):
                lines.append(f"{indent}# {q}")
            if isinstance(value, dict):
                if not value:
                    continue
                lines.append(f"{indent}{key}:")
                emit(value, path, indent + "  ")
            else:
                lines.append(f"{indent}{key}: {_scalar(value)}")

    emit(data, "", "")
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, (dt.date,)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    text = str(value)
    try:
        dt.date.fromisoformat(text)
        return text
    except ValueError:
        pass
    return json.dumps(text, ensure_ascii=False)
