"""``regiotoets regions``: which rule sets are installed, from which source, valid when."""

from __future__ import annotations

import click

from engine.commands.common import date_option, guarded, parse_day, region_options, rules_root

HEAD = {"nl": ("regio", "regelset", "versie", "geldig", "bron", "naam",
               "* = de versie die op {day} wordt gebruikt", "buiten geldigheid"),
        "en": ("region", "rule set", "version", "valid", "source", "name",
               "* = the version used on {day}", "outside validity")}


@click.command("regions")
@region_options
@date_option
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@guarded
def regions(region, rules_dir, date_, lang):
    """Toon de geïnstalleerde regelsets: regio, naam, bron, versie en geldigheid.

    Met --date staat bij elke regio welke versie op die datum geldt (*).
    """
    from engine.rulebase.registry import choose, installed

    day = parse_day(date_)
    root = rules_root(rules_dir)
    found = [i for i in installed(root) if i.meta is not None and (region is None or i.meta.region == region)]
    if region is not None and not found:
        choose(region, day, root)  # raises the usual unknown-region message with a suggestion
    h = HEAD[lang]
    chosen = {choose(r, day, root).folder.resolve() for r in sorted({i.meta.region for i in found})}
    click.echo(f"  {h[0]:<16} {h[1]:<28} {h[2]:<9} {h[3]:<26} {h[4]}")
    for item in sorted(found, key=lambda i: (i.meta.region, i.meta.valid_from)):
        m = item.meta
        mark = "*" if item.folder.resolve() in chosen else " "
        valid = f"{m.valid_from} – {m.valid_until or '…'}"
        current = m.valid_from <= day and (m.valid_until is None or day <= m.valid_until)
        note = "" if current or mark == " " else f"  ({h[7]})"
        click.echo(f"{mark} {m.region:<16} {m.id:<28} {m.version:<9} {valid:<26} {m.source.file}{note}")
        click.echo(f"  {'':<16} {h[5]}: {m.name} — {m.source.title}")
    click.echo("\n" + h[6].format(day=day.isoformat()))
