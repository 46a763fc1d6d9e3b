"""``regiotoets whatif``: evaluate a variant of a proposal, or find what would change the advice."""

from __future__ import annotations

import json

import click

from engine.commands.common import LANGS, date_option, guarded, load_all, parse_day, region_options, rules_root, write_output

TEXT = {
    "nl": {"original": "Huidig advies", "variant": "Advies met de wijzigingen", "changes": "Wijzigingen",
           "same": "De uitkomst verandert niet.", "added": "Nieuw in de afweging", "removed": "Vervalt uit de afweging",
           "search": "Kleinste wijzigingen die de uitkomst veranderen", "none": "Geen wijziging van één of twee "
           "feiten verandert de uitkomst.", "outcome": "Uitkomst", "missing": "Ontbrekende informatie, belangrijkste eerst",
           "target": "Wat er moet veranderen voor \u2018{label}\u2019 zonder voorwaarden",
           "unreachable": "Niet te bereiken met wijzigingen die de indiener zelf kan maken.",
           "reached": "De uitkomst is al \u2018{label}\u2019.",
           "first_missing": "Eerst moet de ontbrekende informatie hieronder worden aangevuld."},
    "en": {"original": "Current advice", "variant": "Advice with the changes", "changes": "Changes",
           "same": "The outcome does not change.", "added": "New in the weighing", "removed": "No longer in the weighing",
           "search": "Smallest changes that change the outcome", "none": "No change of one or two facts changes "
           "the outcome.", "outcome": "Outcome", "missing": "Missing information, most decisive first",
           "target": "What has to change for \u2018{label}\u2019 without conditions",
           "unreachable": "Not reachable with changes the submitter can make.",
           "reached": "The outcome already is \u2018{label}\u2019.",
           "first_missing": "First the missing information below has to be supplied."},
}


TARGET = "participate"  # the outcome without conditions


@click.command("whatif")
@click.argument("proposal")
@click.option("--set", "assignments", multiple=True, metavar="PAD=WAARDE",
              help="Zet een feit op een andere waarde, bijv. capacity.sufficient=ja (meerdere keren mogelijk).")
@region_options
@date_option
@click.option("--lang", type=LANGS, default="nl", show_default=True, help="Taal / language.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@guarded
def whatif(proposal, assignments, region, rules_dir, date_, lang, fmt):
    """Wat als? Toets een variant (--set) of zoek de kleinste wijzigingen die het advies veranderen."""
    from engine.reading.facts import flatten
    from engine.advising.pipeline import advise_data
    from engine.deciding.engines import search_evaluator
    from engine.common.escape import terminal_text
    from engine.advising.whatif import (apply_to_data, change_text, flip_text, minimal_changes, parse_assignment,
                                rank_missing, route_to, show_value)

    day = parse_day(date_)
    (loaded,) = load_all([proposal], region, day, rules_root(rules_dir))
    ruleset = loaded.ruleset
    words = TEXT[lang]
    data = loaded.document.data
    # What-if is a search (thousands of evaluations): everything here uses the search engine, so a what-if
    # never has to register the rules with durable_rules as well (both engines give the same advice).
    evaluator = search_evaluator(ruleset)
    original = advise_data(ruleset, data, day=day, lang=lang, name=loaded.document.name, engine=evaluator.engine)
    out: dict = {"proposal": loaded.document.name, "outcome": original.outcome, "outcome_label": original.outcome_label}
    lines = [f"{words['original']}: {original.outcome_label}"]
    if assignments:
        changes = [parse_assignment(a, ruleset.facts) for a in assignments]
        variant_data = apply_to_data(data, changes, ruleset.facts)
        variant = _advise_variant(ruleset, variant_data, day, lang, loaded.document.name, evaluator.engine)
        before = _uses(original)
        after = _uses(variant)
        added = [after[r] for r in after if r not in before]
        removed = [before[r] for r in before if r not in after]
        out.update(changes=[{"fact": p, "value": v} for p, v in changes], variant_outcome=variant.outcome,
                   variant_outcome_label=variant.outcome_label, changed=variant.outcome != original.outcome,
                   added=[u.model_dump(mode="json") for u in added], removed=[u.model_dump(mode="json") for u in removed])
        lines.append(f"{words['changes']}: " + ", ".join(f"{p} = {show_value(v, lang)}" for p, v in changes))
        lines.append(f"{words['variant']}: {variant.outcome_label}")
        if variant.outcome == original.outcome:
            lines.append(words["same"])
        for key, uses in (("added", added), ("removed", removed)):
            if uses:
                lines.append("")
                lines.append(words[key] + ":")
                lines.extend(f"  {'+' if key == 'added' else '-'} [{u.rule}] {u.title}: {u.text}" for u in uses)
        focus, focus_advice = flatten(ruleset.model.model_validate(variant_data), ruleset.facts), variant
    else:
        flips = minimal_changes(evaluator, flatten(loaded.proposal, ruleset.facts))
        out["minimal_changes"] = [{"changes": [c.as_dict() for c in f.changes], "outcome": f.outcome,
                                   "outcome_label": _label(f.outcome, lang), "honest": f.honest,
                                   "text": flip_text(ruleset, f, lang)} for f in flips]
        lines.append("")
        lines.append(words["search"] + ":")
        lines.extend(f"  - {flip_text(ruleset, f, lang)}" for f in flips)
        if not flips:
            lines.append("  " + words["none"])
        focus, focus_advice = flatten(loaded.proposal, ruleset.facts), original
        label = _label(TARGET, lang)
        route = route_to(evaluator, focus, TARGET)
        out["to_participate"] = None if route is None else [c.as_dict() for c in route]
        lines.append("")
        lines.append(words["target"].format(label=label) + ":")
        if route is None:
            lines.append("  " + words["first_missing" if original.outcome == "insufficient_information"
                                      else "unreachable"])
        elif not route:
            lines.append("  " + words["reached"].format(label=label))
        else:
            lines.extend(f"  {i}. {change_text(ruleset, c, lang)}" for i, c in enumerate(route, 1))
    if focus_advice.outcome == "insufficient_information":
        ranked = rank_missing(evaluator, focus, extra=[m.fact for m in focus_advice.missing])
        out["missing"] = [{"fact": r.path, "changes": r.changes, "leads_to": list(r.outcomes),
                           "question_nl": r.question_nl, "question_en": r.question_en} for r in ranked]
        lines.append("")
        lines.append(words["missing"] + ":")
        for i, r in enumerate(ranked, 1):
            lines.append(f"  {i}. {r.question(lang)} [{r.path}]")
    if fmt == "json":
        write_output(json.dumps(out, ensure_ascii=False, indent=2) + "\n", None)
    else:
        write_output(terminal_text("\n".join(lines)) + "\n", None)


def _label(outcome: str, lang: str) -> str:
    from engine.common.i18n import OUTCOME_LABELS
    return OUTCOME_LABELS[outcome][lang]


def _uses(advice) -> dict:
    """Every argument of an advice by rule id (reasons, conditions, caveats)."""
    return {u.rule: u for u in [*advice.reasons, *advice.conditions, *advice.caveats]}


def _advise_variant(ruleset, data, day, lang, name, engine=None):
    from pydantic import ValidationError

    from engine.common.errors import InputError, Problem, join_loc
    from engine.advising.pipeline import advise_data

    try:
        return advise_data(ruleset, data, day=day, lang=lang, name=name, engine=engine)
    except ValidationError as exc:
        raise InputError([Problem(name, f"--set: {e['msg']}", field=join_loc(e["loc"])) for e in exc.errors()])
