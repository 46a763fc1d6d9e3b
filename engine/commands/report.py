"""``regiotoets report``: board reports (bestuursvoorstel) in HTML, Markdown or Word.

One proposal gives one file (or stdout for HTML and Markdown); several
proposals, or ``--output DIR/``, give one report per proposal plus an
overview. Every proposal is validated before anything is written, so bad
input exits with code 2 and leaves no file behind.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import click

from .common import LANGS, date_option, fail, guarded, load_all, parse_day, region_options, rules_root, write_output

FORMATS = ("html", "markdown", "docx")
PROGRESS_FROM = 4  # show a progress bar from this many proposals on


def _is_directory_target(output: str | None, count: int) -> bool:
    if output in (None, "-"):
        return False
    return count > 1 or output.endswith(("/", "\\")) or Path(output).is_dir()


def _render_all(jobs_list: list, jobs: int, show_progress: bool) -> list:
    """Render every job, in input order; with ``jobs`` > 1 in that many processes."""
    from engine.report.batch import run_job

    def consume(results, bar=None) -> list:
        out = []
        for item in results:
            out.append(item)
            if bar is not None:
                bar.update(1)
        return out

    def run(bar=None) -> list:
        if jobs <= 1 or len(jobs_list) <= 1:
            return consume(map(run_job, jobs_list), bar)
        import multiprocessing

        # spawn: each worker starts clean and compiles its own rule engine.
        context = multiprocessing.get_context("spawn")
        with context.Pool(min(jobs, len(jobs_list))) as pool:
            return consume(pool.imap(run_job, jobs_list, chunksize=1), bar)

    if not show_progress:
        return run()
    with click.progressbar(length=len(jobs_list), label="rapporten / reports", file=sys.stderr) as bar:
        return run(bar)


def write_reports(paths: list[str], loaded: list, *, fmt: str, output: str | None, lang: str, day: dt.date,
                  region: str | None = None, rules_dir: str | None = None, jobs: int = 1) -> list[Path]:
    """Render and write the reports of already validated proposals; returns the files written."""
    from engine.report import build_report
    from engine.report.batch import Job, OVERVIEW_NAMES, file_names, render_overview, rendered

    if output in (None, "-") and len(loaded) > 1:
        fail(f"{len(loaded)} voorstellen: geef een map met --output / several proposals need --output DIR/ "
             f"(bijv. --output rapporten/)")
    if not _is_directory_target(output, len(loaded)):
        if output in (None, "-") and fmt == "docx":
            fail("--format docx: geef een bestand met --output / give a file with --output (bijv. advies.docx)")
        from engine.pipeline import advise_loaded

        advice = advise_loaded(loaded[0], day=day, lang=lang)
        data = rendered(build_report(advice, loaded[0].ruleset, loaded[0].proposal), fmt).data
        write_output(data, output)
        return [] if output in (None, "-") else [Path(output)]

    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        fail(f"{output}: is een bestand, geen map / is a file, not a folder")
    if not folder.parent.exists():
        fail(f"{output}: bovenliggende map bestaat niet / parent folder does not exist")

    job_list = [Job(path=p, fmt=fmt, lang=lang, day=day, region=region, rules_root=rules_dir) for p in paths]
    results = _render_all(job_list, jobs, show_progress=len(job_list) >= PROGRESS_FROM)
    names = file_names(paths, fmt)
    rows = [replace(r.row, link=quote(name)) for r, name in zip(results, names)]
    folder.mkdir(exist_ok=True)
    written = []
    for result, name in zip(results, names):
        write_output(result.data, str(folder / name))
        written.append(folder / name)
    overview = folder / OVERVIEW_NAMES[fmt]
    write_output(render_overview(rows, fmt, lang, day), str(overview))
    written.append(overview)
    return written


@click.command("report")
@click.argument("proposals", nargs=-1, required=True)
@region_options
@date_option
@click.option("--lang", type=LANGS, default="nl", show_default=True, help="Taal van het rapport / report language.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True,
              help="html (één zelfstandig bestand), markdown of docx (Word).")
@click.option("--output", "-o", default=None,
              help="Bestand, of map (eindigend op /) bij meerdere voorstellen; HTML en Markdown mogen naar het scherm.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Aantal processen bij meerdere voorstellen / number of processes.")
@guarded
def report(proposals, region, rules_dir, date_, lang, fmt, output, jobs):
    """Schrijf een bestuursvoorstel (advies) per voorstel: HTML, Markdown of Word.

    \b
    Voorbeelden / examples:
      regiotoets report voorstel.yaml --output advies.html
      regiotoets report voorstel.yaml --format docx --output advies.docx
      regiotoets report scenarios/foodvalley/*.yaml --output rapporten/ --jobs 2
    """
    day = parse_day(date_)
    loaded = load_all(proposals, region, day, rules_root(rules_dir))
    written = write_reports(list(proposals), loaded, fmt=fmt, output=output, lang=lang, day=day, region=region,
                            rules_dir=rules_dir, jobs=jobs)
    if len(written) > 1:
        click.echo(f"{len(written) - 1} rapporten en overzicht geschreven in / reports and overview written to "
                   f"{Path(output)}", err=True)
