"""``regiotoets rules``: the rule catalogue of a rule set, and ``rules diff`` between two versions."""

from __future__ import annotations

import click

from engine.commands.common import LANGS, date_option, guarded, parse_day, region_options, rules_root, write_output


@click.group("rules", invoke_without_command=True)
@region_options
@date_option
@click.option("--lang", type=LANGS, default="nl", show_default=True, help="Taal van de catalogus.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html"]), default="text", show_default=True)
@click.option("--output", "-o", default=None, help="Schrijf naar dit bestand in plaats van naar het scherm.")
@click.pass_context
@guarded
def rules(ctx, region, rules_dir, date_, lang, fmt, output):
    """Toon de regelcatalogus van een regelset: per regel titel, voorwaarde, conclusie, bron en voorbeelden.

    \b
    Voorbeelden / examples:
      regiotoets rules --region REGIO
      regiotoets rules --region REGIO --format markdown --output docs/rules-REGIO.md
      regiotoets rules diff rules/REGIO nieuwe-versie/REGIO
    """
    if ctx.invoked_subcommand is not None:
        return
    from engine.rulebase.catalogue import render
    from engine.rulebase.registry import choose

    ruleset = choose(region, parse_day(date_), rules_root(rules_dir))
    write_output(render(ruleset, fmt, lang), output)


@rules.command("diff")
@click.argument("old_dir", type=click.Path(file_okay=False))
@click.argument("new_dir", type=click.Path(file_okay=False))
@click.option("--scenarios", "pattern", default=None,
              help="Voorstellen om onder beide versies te toetsen (glob, bijv. 'scenarios/REGIO/*.yaml'); "
                   "standaard de scenario's van de regio.")
@click.option("--lang", type=LANGS, default="nl", show_default=True)
@click.option("--output", "-o", default=None, help="Schrijf naar dit bestand in plaats van naar het scherm.")
@guarded
def diff(old_dir, new_dir, pattern, lang, output):
    """Vergelijk twee versies van een regelset: toegevoegde, verwijderde en gewijzigde regels, en welke adviezen veranderen."""
    from engine.verifying.rulediff import compare, evaluate_scenarios, render_text
    from engine.rulebase.ruleset import load_ruleset

    old, new = load_ruleset(old_dir), load_ruleset(new_dir)
    result = compare(old, new)
    evaluate_scenarios(result, _scenario_files(pattern, new.region))
    write_output(render_text(result, lang), output)


@rules.command("coverage")
@region_options
@date_option
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html"]), default="text", show_default=True)
@click.option("--output", "-o", default=None, help="Schrijf naar dit bestand in plaats van naar het scherm.")
@guarded
def coverage(region, rules_dir, date_, fmt, output):
    """Brontrouw: elke alinea van de bron als geciteerd, bewust niet gecodeerd of nog niet beoordeeld.

    \b
    Voorbeelden / examples:
      regiotoets rules coverage --region REGIO
      regiotoets rules coverage --region REGIO --format html -o brontrouw.html
      regiotoets rules coverage --region REGIO --format markdown -o docs/fidelity-REGIO.md
    """
    from engine.verifying.coverage import render
    from engine.rulebase.registry import choose

    ruleset = choose(region, parse_day(date_), rules_root(rules_dir))
    write_output(render(ruleset, fmt), output)


@rules.command("new")
@click.argument("region")
@click.option("--source", "source", required=True, type=click.Path(dir_okay=False),
              help="De regiovisie: een PDF (wordt tekst, met paginanummers) of een tekstbestand.")
@click.option("--valid-from", "valid_from", default=None, help="Geldig vanaf JJJJ-MM-DD (standaard: vandaag).")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None,
              help="Map met regelsets (standaard: rules/ of $REGIOTOETS_RULES).")
@guarded
def new(region, source, valid_from, rules_dir):
    """Maak een nieuwe regelset-map aan: ruleset.yaml om in te vullen en de bron in bron/, zonder regels.

    \b
    Voorbeelden / examples:
      regiotoets rules new mijn-regio --source regiovisie.pdf --valid-from 2026-01-01
      regiotoets rules new REGIO --source regiovisie-2026.pdf --valid-from 2026-01-01   (nieuwe versie)
    """
    from engine.rulebase.scaffold import scaffold

    import datetime as dt

    from engine.commands.common import fail

    day = None
    if valid_from:
        try:
            day = dt.date.fromisoformat(valid_from)
        except ValueError:
            fail(f"--valid-from: '{valid_from}' is geen datum / is not a date (verwacht / expected: JJJJ-MM-DD)")
    folder, notes = scaffold(region, source, day, rules_root(rules_dir))
    click.echo(f"Regelset aangemaakt / rule set created: {folder}")
    for line in notes:
        click.echo(f"  {line}")


def _scenario_files(pattern: str | None, region: str):
    """The proposals named by ``pattern``, or the shipped scenarios of the region."""
    import glob
    from pathlib import Path

    from engine.rulebase.registry import default_rules_root

    if pattern is None:
        folder = default_rules_root().parent / "scenarios" / region
        paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    else:
        paths = sorted(Path(p) for p in glob.glob(pattern, recursive=True))
    return [p for p in paths if p.is_file() and p.name != "expected.yaml"]
