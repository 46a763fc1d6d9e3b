"""``regiotoets report``: board reports (bestuursvoorstel) in HTML, Markdown or Word.

One proposal gives one file (or stdout for HTML and Markdown); bad input
then exits with code 2 and writes nothing. Several proposals, or
``--output DIR/``, give one report per proposal plus an overview: a file
that fails is reported and skipped, the others are still written, and the
exit code is 2 (3 for a rule set defect) when any file failed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from engine.commands.batch import finish, is_folder_target, write_folder
from engine.commands.common import (EXIT_CODES, LANGS, check_target, date_option, fail, format_for, guarded, load_all, parse_day,
                     protect_inputs, region_options, rules_root, say, warn_validity, write_output)

FORMATS = ("html", "markdown", "docx")


def _is_directory_target(output: str | None, count: int) -> bool:
    if output in (None, "-"):
        return False
    return count > 1 or is_folder_target(output)


def write_reports(paths: list[str], *, fmt: str, output: str | None, lang: str, day: dt.date,
                  region: str | None = None, rules_dir: str | None = None, jobs: int | None = None,
                  house=None) -> list[Path]:
    """Write the reports of ``paths``; returns the files written, exits 2/3 after the batch when a file failed."""
    from engine.report import EXTENSIONS
    from engine.report.batch import OVERVIEW_NAMES, Job

    protect_inputs(paths)
    if output in (None, "-") and len(paths) > 1:
        fail(f"{len(paths)} voorstellen: geef een map met --output / several proposals need --output DIR/ "
             f"(bijv. --output rapporten/)")
    if not _is_directory_target(output, len(paths)):
        if output in (None, "-") and fmt == "docx":
            fail("--format docx: geef een bestand met --output / give a file with --output (bijv. advies.docx)")
        check_target(output)
        from engine.advising.pipeline import advise_loaded
        from engine.report import build_report
        from engine.report.batch import rendered
        from engine.report.house import apply_house_style

        (loaded,) = load_all(paths, region, day, rules_root(rules_dir))
        advice = advise_loaded(loaded, day=day, lang=lang)
        report = build_report(advice, loaded.ruleset, loaded.proposal)
        apply_house_style(report, house)
        result = rendered(report, fmt, template=house.template if house else None)
        write_output(result.data, output)
        if output in (None, "-"):
            return []
        warn_validity([result.row.validity_warning])
        return [Path(output)]

    job_list = [Job(path=p, fmt=fmt, lang=lang, day=day, region=region, rules_root=rules_dir, house=house)
                for p in paths]
    written, failed = write_folder(job_list, Path(output), EXTENSIONS[fmt], jobs, overview=OVERVIEW_NAMES[fmt],
                                   label="rapporten / reports", lang=lang, day=day)
    if written:
        say(f"{len(written) - 1} rapporten en overzicht geschreven in {Path(output)} / {len(written) - 1} reports "
            f"and overview written to {Path(output)}")
    finish(failed, len(paths))
    return written


@click.command("report", epilog=EXIT_CODES)
@click.argument("proposals", nargs=-1, required=True)
@region_options
@date_option
@click.option("--lang", type=LANGS, default="nl", show_default=True, help="Taal van het rapport / report language.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="html (één zelfstandig bestand, standaard), markdown of docx (Word); zonder --format volgt het "
                   "formaat de extensie van --output (.html, .md, .docx).")
@click.option("--output", "-o", default=None,
              help="Bestand, of map (eindigend op /) bij meerdere voorstellen; HTML en Markdown mogen naar het scherm.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Aantal processen bij 16 of meer voorstellen (standaard en maximum: het aantal processoren) "
                   "/ number of processes for 16 or more proposals (default and maximum: the number of CPUs).")
@click.option("--template", default=None, metavar="HUISSTIJL.docx",
              help="Word-document of -sjabloon van de gemeente: stijlen, kop- en voettekst en logo van het "
                   "Word-rapport / the municipality's Word document or template.")
@click.option("--logo", default=None, metavar="LOGO.png", help="Logo boven het rapport (PNG, JPEG, GIF of SVG).")
@click.option("--stylesheet", default=None, metavar="HUISSTIJL.css",
              help="Extra CSS voor het HTML-rapport, na de eigen opmaak / extra CSS for the HTML report.")
@guarded
def report(proposals, region, rules_dir, date_, lang, fmt, output, jobs, template, logo, stylesheet):
    """Schrijf een bestuursvoorstel (advies) per voorstel: HTML, Markdown of Word.

    \b
    Voorbeelden / examples:
      regiotoets report voorstel.yaml --output advies.html
      regiotoets report voorstel.yaml --format docx --output advies.docx
      regiotoets report scenarios/REGIO/*.yaml --output rapporten/ --jobs 2
      regiotoets report voorstel.yaml -o advies.docx --template huisstijl.dotx
      regiotoets report voorstel.yaml -o advies.html --logo logo.png --stylesheet huisstijl.css
    """
    from engine.report.house import load_house_style

    protect_inputs(proposals)
    if not _is_directory_target(output, len(proposals)):
        check_target(output)  # an input, device or symlink is refused before the extension is looked at
    fmt = format_for(fmt, output, FORMATS, "html", folder=_is_directory_target(output, len(proposals)))
    day = parse_day(date_)
    house = load_house_style(template, logo, stylesheet)
    write_reports(list(proposals), fmt=fmt, output=output, lang=lang, day=day, region=region,
                  rules_dir=rules_dir, jobs=jobs, house=house)
