"""``regiotoets new``: an interview that writes a proposal file, asking only what still matters.

The questions come from the fact catalogue (the proposal schema) and their
order from the rule set's decision steps; which of them are asked is decided
by :mod:`engine.advising.interview` from the rules. Every decision question accepts
"weet ik niet" (unknown) and ``?`` (why it is asked, with the source). After an
answer, the details a rule shows for it (a reason, an amount) are asked, from
:mod:`engine.advising.followups`.

Nothing is lost: every answer is written at once, atomically, so Ctrl-C (130)
or the end of the input (5, a clean stop) leave a file that ``--resume``
continues. A resumed file keeps the officer's comments (ruamel round trip); an
existing file is only overwritten after confirmation, else the proposal goes to
a new file beside it. Resuming asks every open fact that can still change the
outcome ("weet ik niet" included), then offers the ones still to be established.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import sys
from typing import Any

import click

from engine.advising.followups import details_for, sources_for
from engine.common.i18n import parse_number

from engine.commands.common import LANGS, date_option, guarded, parse_day, region_options, rules_root, write_output

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
        from engine.common.i18n import VALUE_LABELS
        from engine.reading.proposal import UNKNOWN

        self.lang = lang
        self.options = [v for v in domain if v != UNKNOWN] + [UNKNOWN]
        self.labels = {v: (T[lang]["dont_know"] if v == UNKNOWN else VALUE_LABELS.get(v, {}).get(lang, str(v)))
                       for v in self.options}

    def menu(self) -> str:
        return "  ".join(f"{i}) {self.labels[v]}" for i, v in enumerate(self.options, 1))

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        from engine.common.i18n import VALUE_LABELS
        from engine.reading.proposal import _normalise

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
        from engine.reading.problems import closest_value

        hint = ""
        close = closest_value(text, [str(v) for v in self.options]) if text else None
        if close is not None and close in self.labels:
            hint = (f" \u2014 bedoelde u '{self.labels[close]}'?" if self.lang == "nl"
                    else f" \u2014 did you mean '{self.labels[close]}'?")
        self.fail(f"{T[self.lang]['invalid']}: {', '.join(self.labels.values())}{hint}", param, ctx)


EXIT_END_OF_INPUT = 5  # the input ended mid-interview: a clean stop, the answers so far are saved

MORE = {
    "nl": {"confirm_overwrite": "{path} bestaat al. Overschrijven?",
           "confirm_resume": "Antwoorden bewaren in {path}? Uw eigen opmerkingen blijven staan.",
           "beside": "Het voorstel wordt bewaard in {path}.",
           "saved": "Antwoorden bewaard in {path}.", "continue": "Ga verder met: regiotoets new --resume {path}",
           "end": "Einde van de invoer; het vraaggesprek is gestopt.",
           "offer": "Nog vast te stellen: {n} vraag/vragen die de uitkomst nu niet veranderen, maar wel in het advies "
                    "staan. Nu beantwoorden?",
           "help": "Typ een nummer of een antwoord; '?' geeft uitleg met de bron.", "why": "Waarom deze vraag?",
           "detail": "  {question} (leeg = overslaan)", "not_number": "Geen getal; bijvoorbeeld 2,5 of € 120.000",
           "reason": "Reden of toelichting", "amount_eur": "Bedrag in euro's per jaar", "note": "Toelichting",
           "fte": "Benodigde formatie in fte", "hours_per_week": "Benodigde uren per week",
           "basis": "Wettelijke grondslag", "name": "Naam"},
    "en": {"confirm_overwrite": "{path} already exists. Overwrite it?",
           "confirm_resume": "Save the answers in {path}? Your own comments are kept.",
           "beside": "The proposal is saved in {path}.",
           "saved": "Answers saved in {path}.", "continue": "Continue with: regiotoets new --resume {path}",
           "end": "End of input; the interview has stopped.",
           "offer": "Still to be established: {n} question(s) that do not change the outcome now but appear in the "
                    "advice. Answer them now?",
           "help": "Type a number or an answer; '?' explains the question with its source.", "why": "Why this question?",
           "detail": "  {question} (empty = skip)", "not_number": "Not a number; for example 2.5 or € 120,000",
           "reason": "Reason or explanation", "amount_eur": "Amount in euros a year", "note": "Note",
           "fte": "Staff needed in FTE", "hours_per_week": "Hours needed a week",
           "basis": "Legal basis", "name": "Name"},
}


class EndOfInput(Exception):
    """The input ended while a question was open."""


_LANG = ["nl"]  # the language of the interview, for the prompts' own messages


def _prompt(text: str, **kwargs: Any) -> str:
    """``click.prompt`` of a line of text, with end of input as :class:`EndOfInput` (SIGINT: ``Interrupted``)."""
    try:
        return click.prompt(text, **kwargs)
    except click.Abort:
        raise EndOfInput() from None


def ask(text: str, *, type: click.ParamType | None = None, value_proc: Any = None, **kwargs: Any) -> Any:
    """Ask until the answer converts. A wrong answer is said in the interview's language ("Fout: …"), not in
    click's English ("Error: …")."""
    while True:
        raw = _prompt(text, **kwargs)
        try:
            if value_proc is not None:
                return value_proc(raw)
            return type.convert(raw, None, None) if type is not None else raw
        except click.UsageError as exc:  # BadParameter is one
            click.echo(f"{'Fout' if _LANG[0] == 'nl' else 'Error'}: {exc.message}", err=True)


_YES = {"nl": ("j", "ja", "y", "yes"), "en": ("y", "yes", "j", "ja")}
_NO = ("n", "nee", "no")


def confirm(text: str, default: bool) -> bool:
    """A yes/no question that takes the answer in Dutch (j/ja, n/nee) as well as in English."""
    lang = _LANG[0]
    yes = "j" if lang == "nl" else "y"
    suffix = f"[{yes.upper()}/n]" if default else f"[{yes}/N]"
    while True:
        answer = _prompt(f"{text} {suffix}", default="", show_default=False).strip().lower()
        if not answer:
            return default
        if answer in _YES[lang]:
            return True
        if answer in _NO:
            return False
        click.echo("Fout: antwoord j (ja) of n (nee)" if lang == "nl" else "Error: answer y (yes) or n (no)", err=True)


class _RegionChoice(click.ParamType):
    """One of the installed regions, in any case; a wrong name is said in the interview's language."""

    name = "regio"

    def __init__(self, names: list[str], lang: str):
        self.names, self.lang = names, lang

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        text = str(value).strip().lower()
        for name in self.names:
            if name.lower() == text:
                return name
        listed = ", ".join(self.names)
        self.fail(f"onbekende regio; kies een van: {listed}" if self.lang == "nl"
                  else f"unknown region; choose one of: {listed}", param, ctx)


@click.command("new")
@click.option("--output", "-o", default=None, help="Schrijf het voorstel naar dit bestand (een bestaand bestand "
                                                    "alleen na bevestiging).")
@click.option("--resume", default=None, help="Ga verder met een onvolledig voorstelbestand; vraag alleen wat nog open "
                                             "is. Opmerkingen in het bestand blijven staan.")
@region_options
@date_option
@click.option("--lang", type=LANGS, default="nl", show_default=True, help="Taal van de vragen / language.")
@guarded
def new(output, resume, region, rules_dir, date_, lang):
    """Stel een voorstel op via een vraaggesprek: alleen de vragen die de uitkomst nog kunnen veranderen.

    Elk antwoord wordt meteen (atomisch) bewaard. Na Ctrl-C (exitcode 130) of het einde van de invoer
    (exitcode 5) gaat `regiotoets new --resume BESTAND` verder waar het gesprek stopte.
    """
    from engine.commands.common import Interrupted

    day = parse_day(date_)  # a bad date is reported before any question is asked
    _LANG[0] = lang
    session = _Session(lang)
    try:
        _interview(session, output, resume, region, rules_dir, day, lang)
    except EndOfInput:
        words = MORE[lang]
        click.echo("", err=True)
        click.echo(words["end"], err=True)
        if session.saved:
            click.echo(f"{words['saved'].format(path=session.target)} "
                       f"{words['continue'].format(path=session.target)}", err=True)
        sys.exit(EXIT_END_OF_INPUT)
    except Interrupted as exc:
        if session.saved:
            words = MORE[lang]
            exc.done = f"{words['saved'].format(path=session.target)} {words['continue'].format(path=session.target)}"
        raise


class _Session:
    """Where the answers go, and how: a fresh file with the questions as comments, or the officer's own file
    edited in place of its values (comments and order kept, through ruamel's round trip)."""

    def __init__(self, lang: str):
        self.lang = lang
        self.target: str | None = None
        self.saved = False
        self.original: Any = None  # the resumed file as a round-trip document

    def choose_target(self, output: str | None, resume: str | None) -> None:
        from pathlib import Path

        words = MORE[self.lang]
        if resume and output is None:
            self.original = _round_trip(resume)
            if confirm(words["confirm_resume"].format(path=resume), default=True):
                self.target = resume
                return
            output = _beside(resume)
            click.echo(words["beside"].format(path=output))
        elif resume:
            self.original = _round_trip(resume)
        if output is None:
            output = ask(T[self.lang]["output"], default="voorstel.yaml")
        if Path(output).exists() and not (resume and Path(output).resolve() == Path(resume).resolve()):
            if not confirm(words["confirm_overwrite"].format(path=output), default=False):
                output = _beside(output)
                click.echo(words["beside"].format(path=output))
        self.target = output

    def save(self, ruleset: Any, data: dict[str, Any]) -> None:
        text = _merged(self.original, data) if self.original is not None else render_proposal(ruleset, data, self.lang)
        write_output(text, self.target)
        self.saved = True


def _beside(path: str) -> str:
    """A new file name next to ``path`` that does not exist yet (voorstel-2.yaml, voorstel-3.yaml, …)."""
    from pathlib import Path

    p = Path(path)
    n = 2
    while (candidate := p.with_name(f"{p.stem}-{n}{p.suffix or '.yaml'}")).exists():
        n += 1
    return str(candidate)


def _round_trip(path: str) -> Any:
    from ruamel.yaml import YAML

    from engine.reading.yamlio import load_document

    load_document(path, what="voorstel")  # the safe reader checks the file first (limits, regular file)
    yaml = YAML(typ="rt")
    with open(path, encoding="utf-8-sig") as handle:
        return yaml.load(handle)


def _merged(original: Any, data: dict[str, Any]) -> str:
    """The resumed document with the interview's values written into it; everything else as it was."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            out = CommentedMap()
            for k, v in value.items():
                out[k] = plain(v)
            return out
        return value

    def merge(node: Any, new: dict[str, Any]) -> None:
        for key, value in new.items():
            old = node.get(key) if hasattr(node, "get") else None
            if isinstance(value, dict):
                if isinstance(old, dict):
                    merge(old, value)
                elif len(value) == 1 and next(iter(value)) in ("fit", "holds", "effect") and old is not None:
                    node[key] = next(iter(value.values()))  # keep the shorthand the file used
                else:
                    node[key] = plain(value)
            elif key not in node or old != value:
                node[key] = plain(value)

    merge(original, data)
    yaml = YAML(typ="rt")
    yaml.width = 120
    out = io.StringIO()
    yaml.dump(original, out)
    return out.getvalue()


def _interview(session: _Session, output: str | None, resume: str | None, region: str | None, rules_dir: Any,
               day: dt.date, lang: str) -> None:
    """Choose the rule set, ask the head of the proposal, then only the questions that can still change the outcome."""
    from engine.advising.pipeline import advise_data

    words, more = T[lang], MORE[lang]
    ruleset, data = _start(session, output, resume, region, rules_dir, day, lang)
    click.echo(more["help"])
    asker = _Asker(session, ruleset, data, lang)
    asker.until_decided()
    click.echo(f"\n{words['done']}")
    advice = advise_data(ruleset, asker.data, day=day, lang=lang)
    specs = ruleset.facts
    still = [m.fact for m in advice.missing
             if m.fact not in asker.asked and m.fact in specs and specs[m.fact].kind == "enum"]
    if still and confirm(more["offer"].format(n=len(still)), default=False):
        for path in still:
            asker.question(path)
    click.echo(f"{words['final']}: {_outcome_label(asker.qe, ruleset, asker.data, lang)}")
    _validate(ruleset, asker.data, session.target)
    session.save(ruleset, asker.data)
    click.echo(f"{words['written']} {session.target}. {words['evaluate']} {session.target}")


def _start(session: _Session, output: str | None, resume: str | None, region: str | None, rules_dir: Any,
           day: dt.date, lang: str) -> tuple[Any, dict[str, Any]]:
    """The rule set (from the resumed file, the option or a question) and the proposal's head, saved once."""
    from engine.advising.advice import validity_warning
    from engine.rulebase.registry import choose

    words = T[lang]
    data: dict[str, Any] = _load_resume(resume) if resume else {}
    region = region or (str(data["region"]) if data.get("region") else None)
    if region is None:
        from engine.rulebase.registry import regions

        names = regions(rules_root(rules_dir))
        if len(names) > 1:
            region = ask(f"{words['region']} ({', '.join(names)})", type=_RegionChoice(names, lang))
    ruleset = choose(region, day, rules_root(rules_dir))
    warning = validity_warning(ruleset, day, lang)
    if warning:
        click.echo(f"! {warning}")
    click.echo(f"{words['resume'] if resume else words['start']}: {ruleset.meta.name} ({ruleset.meta.id})")
    session.choose_target(output, resume)
    if data.get("region") != ruleset.region:
        data["region"] = ruleset.region
    _ask_meta(data, ruleset, lang, lambda: session.save(ruleset, data), day)
    session.save(ruleset, data)
    return ruleset, data


class _Asker:
    """Asks decision questions one at a time, saving after every answer, in the order of the decision steps."""

    def __init__(self, session: _Session, ruleset: Any, data: dict[str, Any], lang: str) -> None:
        from engine.advising.interview import QuestionEngine
        from engine.advising.whatif import step_rank
        from engine.deciding.engines import evaluator_for

        self.session, self.ruleset, self.data, self.lang = session, ruleset, data, lang
        self.qe = QuestionEngine(evaluator_for(ruleset))
        self.asked: set[str] = set()
        self.first_step = step_rank(ruleset)
        self.step_ids = [s.id for s in ruleset.meta.steps]
        self.step_titles = {s.id: getattr(s, lang) for s in ruleset.meta.steps}
        self.shown_step: str | None = None

    def until_decided(self) -> None:
        """Ask the next question that can still change the outcome until none is left."""
        while True:
            found = self.qe.next_question(_answers(self.ruleset, self.data, self.asked))
            if found is None:
                return
            path, _witness = found
            rank = self.first_step.get(path, 99)
            step = self.step_ids[rank] if rank < len(self.step_ids) else None
            if step and step != self.shown_step:
                click.echo(f"\n== {T[self.lang]['step']}: {self.step_titles[step]} ==")
                self.shown_step = step
            self.question(path)

    def question(self, path: str) -> None:
        """One question with its answers; '?' shows the rules and the source behind it; then its details."""
        from engine.advising.whatif import apply_to_data

        ruleset, lang, words = self.ruleset, self.lang, T[self.lang]
        spec = ruleset.facts[path]
        answer_type = AnswerType(spec.domain, lang)
        click.echo(f"\n{spec.question(lang)}  [{path}]")
        click.echo(f"  {answer_type.menu()}")
        while True:
            text = ask(words["answer"])
            if text.strip() == "?":
                _explain(ruleset, path, lang)
                continue
            try:
                value = answer_type.convert(text, None, None)
                break
            except click.BadParameter as exc:
                click.echo(f"Error: {exc.message}" if lang == "en" else f"Fout: {exc.message}", err=True)
        self.asked.add(path)
        self.data = apply_to_data(self.data, [(path, value)], ruleset.facts)
        self.session.save(ruleset, self.data)
        if value not in (UNKNOWN_VALUE, None):
            for detail in details_for(ruleset, path, value):
                if _lookup(self.data, detail.path) in (None, ""):
                    self.data = _ask_detail(ruleset, self.data, detail, lang)
                    self.session.save(ruleset, self.data)
        click.echo(f"  \u2192 {words['provisional']}: {_outcome_label(self.qe, ruleset, self.data, lang)}")


UNKNOWN_VALUE = "unknown"


def _lookup(data: dict[str, Any], path: str) -> Any:
    """A value at a dotted path of nested proposal data (None when a section is missing)."""
    from engine.advising.advice import _lookup as lookup

    return lookup(data, path)


def _explain(ruleset: Any, path: str, lang: str) -> None:
    """'?' at a question: why it is asked, with the rules behind it and their passages from the source."""
    click.echo(f"  {MORE[lang]['why']}")
    for line in sources_for(ruleset, path, lang):
        click.echo(f"    {line}")


def _ask_detail(ruleset: Any, data: dict[str, Any], detail: Any, lang: str) -> dict[str, Any]:
    """Ask one detail a rule shows (a reason, an amount); empty skips it."""

    leaf = detail.path.rsplit(".", 1)[1]
    label = MORE[lang].get(leaf, leaf)
    while True:
        text = str(ask(MORE[lang]["detail"].format(question=label), default="", show_default=False)).strip()
        if not text:
            return data
        if not detail.number:
            value: Any = text
            break
        value = parse_number(text)
        if value is not None:
            break
        click.echo(MORE[lang]["not_number"], err=True)
    out = copy.deepcopy(data)
    node = out
    parts = detail.path.split(".")
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            # a shorthand entry ('kind_hoort_thuis: supports') becomes a mapping with its answer kept
            child = {"fit" if parts[0] == "content" else "holds" if parts[0] == "enrichment" else "effect": child} \
                if child is not None else {}
            node[part] = child
        node = child
    node[parts[-1]] = value
    return out


def _load_resume(path: str) -> dict[str, Any]:
    from engine.common.errors import InputError, Problem
    from engine.reading.yamlio import load_document

    doc = load_document(path, what="voorstel")
    if not isinstance(doc.data, dict):
        raise InputError([Problem(doc.name, "een voorstel is een mapping met velden / a proposal is a mapping",
                                  line=1, expected="title: …")])
    return doc.data


def _ask_meta(data: dict[str, Any], ruleset: Any, lang: str, save: Any, day: dt.date) -> None:
    """Title, submitter, topic, date, kind and partners, each saved as soon as it is given. The proposal's date
    defaults to today, or to the evaluation date when that lies before today (a proposal is not dated after the
    day it is evaluated on)."""
    words = T[lang]
    for key in ("title", "submitter", "topic"):
        if not str(data.get(key) or "").strip():
            data[key] = ask(words[key], value_proc=_min_length(3 if key != "submitter" else 2, lang))
            save()
    if not data.get("date"):
        data["date"] = ask(words["date"], default=min(dt.date.today(), day).isoformat(), value_proc=_date(lang))
        save()
    if not data.get("kind") and "kind" in ruleset.facts:
        kind_type = AnswerType(ruleset.facts["kind"].domain, lang)
        click.echo(f"{words['kind']}  [kind]\n  {kind_type.menu()}")
        data["kind"] = ask(words["answer"], type=kind_type)
        save()
    if "partner_regions" not in data:
        text = ask(words["partner_regions"], default="", show_default=False)
        data["partner_regions"] = [p.strip() for p in text.split(",") if p.strip()]
        save()


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


def _answers(ruleset: Any, data: dict[str, Any], asked: set[str] = frozenset()) -> dict[str, Any]:
    """The decision facts that are answered: known in the file, or asked in this interview.

    'Weet ik niet' in a file from an earlier session is still open: resuming asks it again.
    """
    from engine.reading.facts import flatten

    proposal = ruleset.model.model_validate(data)
    facts = flatten(proposal, ruleset.facts)
    return {p: facts[p] for p in ruleset.facts
            if p in asked or (_present(data, p, ruleset.facts) and facts[p] not in (UNKNOWN_VALUE, None))}


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
    from engine.reading.facts import flatten
    from engine.common.i18n import OUTCOME_LABELS

    facts = flatten(ruleset.model.model_validate(data), ruleset.facts)
    return OUTCOME_LABELS[qe.outcome({}, facts)][lang]


def _validate(ruleset: Any, data: dict[str, Any], output: str) -> None:
    from pydantic import ValidationError

    from engine.common.errors import InputError, Problem, join_loc

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
