"""``regiotoets explain``: the decision route as a tree, with why and why not."""

from __future__ import annotations

import click

from engine.commands.common import (LANGS, check_target, date_option, format_for, protect_inputs, guarded, load_all, parse_day, region_options, rules_root,
                     warn_validity, write_output)

FORMATS = ("text", "markdown", "json")


@click.command("explain")
@click.argument("proposal")
@region_options
@date_option
@click.option("--lang", type=LANGS, default="nl", show_default=True, help="Taal / language.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="text (standaard), markdown of json; zonder --format volgt het formaat de extensie van --output.")
@click.option("--output", "-o", default=None, help="Schrijf naar dit bestand in plaats van naar het scherm.")
@click.option("--detail", is_flag=True, help="De volledige boom met regel-ids en de tests die faalden / the full tree.")
@guarded
def explain(proposal, region, rules_dir, date_, lang, fmt, output, detail):
    """Toon de beslisroute in gewone woorden, één regel per stap, en waarom niet een gunstiger uitkomst.

    Met --detail: de volledige boom met regel-ids, wat gold en op welk feit een regel afketste.
    """
    from engine.advising.explain import (explain_loaded, render_compact, render_json, render_markdown,
                                render_markdown_compact, render_text)

    protect_inputs([proposal])
    check_target(output)  # an input, device or symlink is refused before the extension is looked at
    fmt = format_for(fmt, output, FORMATS, "text")
    day = parse_day(date_)
    (loaded,) = load_all([proposal], region, day, rules_root(rules_dir))
    expl = explain_loaded(loaded, day=day, lang=lang)
    if fmt == "json":
        text = render_json(expl)
    elif fmt == "markdown":
        text = render_markdown(expl, loaded.ruleset) if detail else render_markdown_compact(expl)
    else:
        from engine.common.escape import terminal_text
        text = terminal_text(render_text(expl, loaded.ruleset) if detail else render_compact(expl))
    write_output(text, output)
    if output not in (None, "-"):
        from engine.advising.advice import validity_warning
        warn_validity([validity_warning(loaded.ruleset, day, lang)])
