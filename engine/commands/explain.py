"""``regiotoets explain``: the decision route as a tree, with why and why not."""

from __future__ import annotations

import click

from .common import LANGS, date_option, guarded, load_all, parse_day, region_options, rules_root, write_output


@click.command("explain")
@click.argument("proposal")
@region_options
@date_option
@click.option("--lang", type=LANGS, default="nl", show_default=True, help="Taal / language.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@click.option("--output", "-o", default=None, help="Schrijf naar dit bestand in plaats van naar het scherm.")
@guarded
def explain(proposal, region, rules_dir, date_, lang, fmt, output):
    """Toon de beslisroute: welke regels golden, welke niet en waarom (ook: waarom niet meedoen?)."""
    from engine.explain import explain_loaded, render_json, render_markdown, render_text

    day = parse_day(date_)
    (loaded,) = load_all([proposal], region, day, rules_root(rules_dir))
    expl = explain_loaded(loaded, day=day, lang=lang)
    if fmt == "json":
        text = render_json(expl)
    elif fmt == "markdown":
        text = render_markdown(expl, loaded.ruleset)
    else:
        from engine.render.escape import terminal_text
        text = terminal_text(render_text(expl, loaded.ruleset))
    write_output(text, output)
