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
      regiotoets rules --region midden-limburg
      regiotoets rules --region foodvalley --format markdown --output docs/rules-foodvalley.md
      regiotoets rules diff rules/foodvalley nieuwe-versie/foodvalley
    """
    if ctx.invoked_subcommand is not None:
        return
    from engine.catalogue import render
    from engine.registry import choose

    ruleset = choose(region, parse_day(date_), rules_root(rules_dir))
    write_output(render(ruleset, fmt, lang), output)


@rules.command("diff")
@click.argument("old_dir", type=click.Path(file_okay=False))
@click.argument("new_dir", type=click.Path(file_okay=False))
@click.option("--scenarios", "pattern", default=None,
              help="Voorstellen om onder beide versies te toetsen (glob, bijv. 'scenarios/foodvalley/*.yaml'); "
                   "standaard de scenario's van de regio.")
@click.option("--lang", type=LANGS, default="nl", show_default=True)
@click.option("--output", "-o", default=None, help="Schrijf naar dit bestand in plaats van naar het scherm.")
@guarded
def diff(old_dir, new_dir, pattern, lang, output):
    """Vergelijk twee versies van een regelset: toegevoegde, verwijderde en gewijzigde regels, en welke adviezen veranderen."""
    from engine.rulediff import compare, evaluate_scenarios, render_text
    from engine.ruleset import load_ruleset

    old, new = load_ruleset(old_dir), load_ruleset(new_dir)
    result = compare(old, new)
    evaluate_scenarios(result, _scenario_files(pattern, new.region))
    write_output(render_text(result, lang), output)


def _scenario_files(pattern: str | None, region: str):
    """The proposals named by ``pattern``, or the shipped scenarios of the region."""
    import glob
    from pathlib import Path

    from engine.registry import default_rules_root

    if pattern is None:
        folder = default_rules_root().parent / "scenarios" / region
        paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    else:
        paths = sorted(Path(p) for p in glob.glob(pattern, recursive=True))
    return [p for p in paths if p.is_file() and p.name != "expected.yaml"]
