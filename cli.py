"""regiotoets — toets een voorstel voor bovenregionale samenwerking aan de visie van een jeugdhulpregio.

The command line: thin wrappers around ``engine.pipeline``. Heavy modules are
imported inside the commands so that ``--help`` stays instant. Every input
problem is printed as ``file:line: field: message`` and exits with code 2;
nothing is written to an output file unless the whole run succeeded.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable

import click

LANGS = click.Choice(["nl", "en"])


def fail(problems_text: str) -> None:
    click.echo(problems_text, err=True)
    sys.exit(2)


def guarded(func: Callable) -> Callable:
    """Turn InputError/RuleError into a clean message and exit code 2, without a traceback."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from engine.errors import EngineError, InputError

        try:
            return func(*args, **kwargs)
        except InputError as exc:
            fail(exc.render())
        except EngineError as exc:
            click.echo(f"fout in de regelset / rule set defect: {exc}", err=True)
            sys.exit(3)
    return wrapper


def write_output(text: str | bytes, output: str | None) -> None:
    """Write to stdout, or atomically to a file (a temporary file renamed into place)."""
    if output in (None, "-"):
        click.echo(text if isinstance(text, str) else text.decode(), nl=False)
        return
    target = Path(output)
    if not target.parent.exists():
        fail(f"{output}: map bestaat niet / folder does not exist")
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def parse_day(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--date: '{value}' is geen datum / is not a date (verwacht / expected: JJJJ-MM-DD, bijv. 2025-06-01)")
        raise  # unreachable


def rules_root(value: str | None) -> Path | None:
    return Path(value) if value else None


def common_options(func: Callable) -> Callable:
    func = click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None,
                        help="Map met regelsets (standaard: rules/ of $REGIOTOETS_RULES).")(func)
    func = click.option("--region", default=None, help="Regio (regelset), bijv. foodvalley; anders 'region:' uit het voorstel.")(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="regiotoets", prog_name="regiotoets")
def main() -> None:
    """Toets voorstellen voor bovenregionale samenwerking aan de visie van een jeugdhulpregio.

    \b
    Voorbeelden / examples:
      regiotoets evaluate scenarios/foodvalley/expertisecentrum.yaml
      regiotoets evaluate voorstel.yaml --format markdown --output advies.md
      regiotoets validate voorstel.yaml
      regiotoets rules --region foodvalley
      regiotoets schema --region foodvalley > voorstel.schema.json
    """


def load_all(paths: Iterable[str], region: str | None, day: dt.date, root: Path | None):
    """Validate every proposal first; report all problems together."""
    from engine.errors import InputError
    from engine.validate import load_proposal

    loaded, problems = [], []
    for path in paths:
        try:
            loaded.append(load_proposal(path, region=region, day=day, rules_root=root))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return loaded


@main.command()
@click.argument("proposals", nargs=-1, required=True)
@common_options
@click.option("--date", "date_", default=None, help="Toetsdatum JJJJ-MM-DD (standaard: vandaag).")
@click.option("--lang", type=LANGS, default="nl", show_default=True, help="Taal van het advies.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@click.option("--output", "-o", default=None, help="Schrijf naar dit bestand in plaats van naar het scherm.")
@guarded
def evaluate(proposals, region, rules_dir, date_, lang, fmt, output):
    """Geef een beredeneerd advies op een of meer voorstellen (PROPOSALS: YAML of JSON)."""
    from engine.pipeline import advise_loaded

    day = parse_day(date_)
    loaded = load_all(proposals, region, day, rules_root(rules_dir))
    advices = [advise_loaded(lp, day=day, lang=lang) for lp in loaded]
    if fmt == "json":
        from engine.render.jsonout import render_json
        text = render_json(advices)
    elif fmt == "markdown":
        from engine.render.markdown import render_markdown
        text = "\n---\n\n".join(render_markdown(a) for a in advices)
    else:
        from engine.render.text import render_text
        colour = output in (None, "-") and sys.stdout.isatty()
        style = click.style if colour else (lambda s, **kw: s)
        text = ("\n" + "=" * 88 + "\n\n").join(render_text(a, style=style) for a in advices)
    write_output(text, output)


@main.command()
@click.argument("proposals", nargs=-1, required=True)
@common_options
@click.option("--date", "date_", default=None, help="Toetsdatum JJJJ-MM-DD (kiest de geldige regelset).")
@guarded
def validate(proposals, region, rules_dir, date_):
    """Controleer voorstellen zonder te toetsen: velden, waarden, regio."""
    loaded = load_all(proposals, region, parse_day(date_), rules_root(rules_dir))
    for lp in loaded:
        click.echo(f"{lp.document.name}: geldig voorstel / valid proposal ({lp.ruleset.meta.id})")


@main.command("rules")
@common_options
@click.option("--date", "date_", default=None, help="Datum waarop de regelset geldig moet zijn.")
@click.option("--lang", type=LANGS, default="nl", show_default=True)
@guarded
def rules_cmd(region, rules_dir, date_, lang):
    """Toon de regels van een regelset: id, titel en bron."""
    from engine.registry import choose

    ruleset = choose(region, parse_day(date_), rules_root(rules_dir))
    meta = ruleset.meta
    click.echo(f"{meta.name} — {meta.id} versie {meta.version} ({meta.valid_from} t/m {meta.valid_until or '…'})")
    click.echo(f"Bron: {meta.source.title} ({meta.source.file})")
    for rule in ruleset.rules:
        click.echo(f"{rule.id:<11} {rule.data.title.get(lang)}")
        click.echo(f"{'':<11} {rule.data.cite.section}: \u201c{rule.data.cite.quote}\u201d")


@main.command()
@common_options
@click.option("--date", "date_", default=None, help="Datum waarop de regelset geldig moet zijn.")
@click.option("--output", "-o", default=None, help="Schrijf het schema naar dit bestand.")
@guarded
def schema(region, rules_dir, date_, output):
    """Exporteer het JSON Schema van het voorstelbestand (voor autocompletion in een editor)."""
    import json

    from engine.registry import choose

    ruleset = choose(region, parse_day(date_), rules_root(rules_dir))
    data = ruleset.model.model_json_schema()
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    data["title"] = f"regiotoets-voorstel ({ruleset.meta.name})"
    write_output(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output)


if __name__ == "__main__":
    main()
