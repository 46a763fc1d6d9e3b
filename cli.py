"""regiotoets — toets een voorstel voor bovenregionale samenwerking aan de visie van een jeugdhulpregio.

The command line is thin: each command loads the pipeline (``engine``) only
when it runs, so ``--help`` stays instant. Sub-commands live one per module
in ``engine/commands/`` and are listed in ``COMMANDS``; they are imported
only when used.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from pathlib import Path
from typing import Any

# Loading the pipeline makes hundreds of thousands of objects, nearly none of them garbage: with the default
# threshold (700) the collector runs some hundred times while a single evaluation starts. Collecting less
# often changes no result and leaves memory flat (tests/test_streaming.py).
gc.set_threshold(10_000, 10, 10)

import click  # noqa: E402

from engine.commands.common import (EXIT_CODES, LANGS, check_target, date_option, fail, format_for, guarded,
                                    load_all, parse_day, protect_inputs, region_options, rules_root, say,
                                    warn_validity, write_output)
from engine.common.escape import message_text

ADVICE_FORMATS = ("text", "markdown", "json", "html", "docx")

# name -> (module, attribute, one-line help shown by --help without importing the module)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "check": ("engine.commands.check", "check", "Controleer een regelset: statisch en uitputtend tegen de invarianten."),
    "explain": ("engine.commands.explain", "explain", "Beslisroute als boom: welke regels golden en waarom (niet)."),
    "whatif": ("engine.commands.whatif", "whatif", "Wat als? Toets een variant of zoek wat het advies verandert."),
    "new": ("engine.commands.new", "new", "Vraaggesprek dat een voorstelbestand schrijft (alleen vragen die ertoe doen)."),
    "rules": ("engine.commands.rules", "rules", "Regelcatalogus van een regelset; 'rules diff' vergelijkt twee versies."),
    "regions": ("engine.commands.regions", "regions", "Geïnstalleerde regelsets: regio, bron, versie, geldigheid."),
    "report": ("engine.commands.report", "report", "Bestuursvoorstel per voorstel: HTML, Markdown of Word (.docx)."),
}


# Commands after which the process ends at once when it ran as a command (not inside a test or a program):
# everything is written and flushed, and tearing down the interpreter (freeing every object of the loaded rule
# sets and models one by one) would add a fifth to a cold evaluation.
QUICK_EXIT = frozenset({"evaluate", "validate"})


class LazyGroup(click.Group):
    """A click group that imports a sub-command's module only when that command runs."""

    ran: str | None = None

    def main(self, args: Any = None, *rest: Any, **options: Any) -> Any:  # type: ignore[override]
        """As click's, and as a command of its own (``args`` from the command line): see :data:`QUICK_EXIT`."""
        if args is not None or not options.get("standalone_mode", True) or rest:
            return super().main(args, *rest, **options)
        try:
            return super().main(args, **options)
        except SystemExit as exc:
            if self.ran in QUICK_EXIT:
                quick_exit(exc)
            raise

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[Any, Any, list[str]]:
        name, cmd, rest = super().resolve_command(ctx, args)
        self.ran = name
        return name, cmd, rest

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS:
            module, attr, _ = COMMANDS[name]
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in COMMANDS:
                rows.append((name, COMMANDS[name][2]))
            else:
                cmd = super().get_command(ctx, name)
                if cmd is not None and not cmd.hidden:
                    rows.append((name, cmd.get_short_help_str(limit=70)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def quick_exit(exc: SystemExit) -> None:
    """End the process with the exit code of ``exc`` without tearing down the interpreter, when nothing is left
    to do at exit: no other thread, no exit handler, both output streams flushed. Otherwise return, and the
    process ends the usual way (a message as exit code, a closed pipe: Python reports them as always; a profiler
    or a debugger finishes its work)."""
    code = 0 if exc.code is None else exc.code
    if not isinstance(code, int) or isinstance(code, bool):
        return
    if sys.getprofile() is not None or sys.gettrace() is not None:  # a profiler or debugger writes at the end
        return
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return
    import atexit

    handlers = getattr(atexit, "_ncallbacks", None)
    if handlers is None or handlers() > 0:
        return
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except BaseException:  # noqa: BLE001 - Python reports it at exit, as without this
        return
    os._exit(code)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(package_name="regiotoets", prog_name="regiotoets")
def main() -> None:
    """Toets voorstellen voor bovenregionale samenwerking aan de visie van een jeugdhulpregio.

    \b
    Voorbeelden / examples:
      regiotoets evaluate scenarios/foodvalley/expertisecentrum.yaml
      regiotoets evaluate voorstel.yaml --format markdown --output advies.md
      regiotoets validate voorstel.yaml
      regiotoets rules --region foodvalley
      regiotoets schema --region foodvalley --output voorstel.schema.json
    """


@main.command(epilog=EXIT_CODES)
@click.argument("proposals", nargs=-1, required=True)
@region_options
@date_option
@click.option("--lang", type=LANGS, default="nl", show_default=True, help="Taal van het advies.")
@click.option("--format", "fmt", type=click.Choice(ADVICE_FORMATS), default=None,
              help="text (standaard), markdown, json, html of docx; zonder --format volgt het formaat de extensie "
                   "van --output (.txt, .md, .json, .html, .docx).")
@click.option("--output", "-o", default=None,
              help="Schrijf naar dit bestand, of naar deze map (eindigend op /): één bestand per voorstel.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Aantal processen bij 16 of meer voorstellen (standaard en maximum: het aantal processoren) "
                   "/ number of processes for 16 or more proposals (default and maximum: the number of CPUs).")
@guarded
def evaluate(proposals, region, rules_dir, date_, lang, fmt, output, jobs):
    """Geef een beredeneerd advies op een of meer voorstellen (YAML of JSON).

    \b
    Meerdere voorstellen / several proposals:
      naar het scherm of één bestand: alle adviezen achter elkaar (JSON: een lijst);
      met --output MAP/: één bestand per voorstel. Een voorstel met een fout wordt
      gemeld en overgeslagen, de andere worden wel getoetst en geschreven.
    """
    from engine.commands.batch import is_folder_target

    day = parse_day(date_)
    protect_inputs(proposals)
    if not is_folder_target(output):
        check_target(output)  # before any work: a device, symlink or input is refused, not replaced
    fmt = format_for(fmt, output, ADVICE_FORMATS, "text", folder=is_folder_target(output))
    if fmt in ("html", "docx"):
        from engine.commands.report import write_reports
        write_reports(list(proposals), fmt=fmt, output=output, lang=lang, day=day, region=region,
                      rules_dir=rules_dir, jobs=jobs)
        return
    from engine.commands.batch import finish, stream, write_folder
    from engine.report.batch import ADVICE_EXTENSIONS, Job

    colour = output in (None, "-") and fmt == "text" and sys.stdout is not None and sys.stdout.isatty()
    job_list = [Job(path=p, fmt=fmt, lang=lang, day=day, region=region, rules_root=rules_dir, kind="advice",
                    colour=colour) for p in proposals]
    if is_folder_target(output):
        written, failed = write_folder(job_list, Path(output), ADVICE_EXTENSIONS[fmt], jobs,
                                       label="adviezen / advice")
        if written:
            say(f"{len(written)} adviezen geschreven in {Path(output)} / {len(written)} advice files written to "
                f"{Path(output)}")
        finish(failed, len(job_list))
        return
    if len(job_list) == 1:  # one proposal: bad input exits before anything is written
        from engine.report.batch import Failed, run_job
        result = run_job(job_list[0])
        if isinstance(result, Failed):
            fail(result.message, code=result.code)
        write_output(result.data, output)
        if output not in (None, "-"):
            warn_validity([result.row.validity_warning])
        return
    # Several proposals into one output: each advice is written as soon as it is ready (memory stays flat).
    label = None if output in (None, "-") else "adviezen / advice"
    failed = stream(job_list, jobs, fmt, output, label)
    finish(failed, len(job_list))


@main.command()
@click.argument("proposals", nargs=-1, required=True)
@region_options
@date_option
@guarded
def validate(proposals, region, rules_dir, date_):
    """Controleer voorstellen zonder te toetsen: velden, waarden, regio.

    \b
    Grenzen / limits: een bestand is UTF-8 (YAML of JSON, een BOM mag), ten hoogste
    256 kB, 50 niveaus diep, 100.000 waarden (aliassen uitgeschreven), teksten tot
    20.000 tekens, gehele getallen tot 100 cijfers; één YAML-document per bestand.
    """
    loaded = load_all(proposals, region, parse_day(date_), rules_root(rules_dir))
    from engine.common.errors import message_language

    valid = "valid proposal" if message_language() == "en" else "geldig voorstel"
    for lp in loaded:
        click.echo(message_text(f"{lp.document.name}: {valid} ({lp.ruleset.meta.id})"))


@main.command()
@region_options
@date_option
@click.option("--output", "-o", default=None,
              help="Schrijf het schema naar dit bestand; zonder --region: een bestaande map, één schema per regio.")
@guarded
def schema(region, rules_dir, date_, output):
    """Exporteer het JSON Schema van het voorstelbestand (voor autocompletion en controle in een editor).

    Het schema aanvaardt precies wat regiotoets aanvaardt: ook Nederlandse antwoorden en verkorte
    invoer. Zonder --region en met meer dan één regio: geef met --output een map, dan komt er een
    schema per regio (voorstel-REGIO.schema.json).
    """
    import json
    from pathlib import Path

    from engine.common.i18n import ui_lang
    from engine.rulebase.registry import choose, regions
    from engine.rulebase.schema import proposal_schema

    day, root = parse_day(date_), rules_root(rules_dir)
    names = [region] if region else regions(root)
    several = len(regions(root)) > 1

    def text(name: str) -> str:
        data = proposal_schema(choose(name, day, root), region_required=several)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    if len(names) == 1:
        write_output(text(names[0]), output)
        return
    if output and Path(output).is_dir():
        for name in names:
            target = Path(output) / f"voorstel-{name}.schema.json"
            write_output(text(name), str(target))
            click.echo(str(target))
        return
    choices = " | ".join(f"--region {n}" for n in names)
    fail("schema: kies een regio (" + choices + ") of geef met --output een map voor een schema per regio"
         if ui_lang() == "nl" else
         "schema: choose a region (" + choices + ") or give a folder with --output for one schema per region")


if __name__ == "__main__":
    main()
