"""Running many proposals: every file on its own, each output written as soon as it is ready.

A file that fails is reported on stderr and skipped; the others are still
evaluated and written, a summary at the end lists the failures and the exit
code says that something failed (2 input, 3 rule set, 4 internal). Results
come back in input order whatever ``--jobs`` is, so the output bytes do not
depend on it. Workers ignore SIGINT (the main process decides) and die with
SIGTERM, which the main process sends them when it is interrupted itself.
"""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import replace
from pathlib import Path
from typing import Callable
from urllib.parse import quote

import click

from engine.errors import message_language, one_language

from .common import Interrupted, cannot_write, fail, signals_held, write_output

PROGRESS_FROM = 4  # show a progress bar from this many proposals on


def _worker_init() -> None:
    """Runs in each worker: Ctrl-C is for the main process; die when the main process dies (Linux)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def run_jobs(job_list: list, jobs: int, take: Callable, label: str | None = None) -> None:
    """Run every job and hand each result, in input order, to ``take(index, result)``."""
    from engine.report.batch import run_job

    def run(bar=None) -> None:
        pool = None
        try:
            if jobs <= 1 or len(job_list) <= 1:
                results = map(run_job, job_list)
            else:
                import multiprocessing

                # spawn: each worker starts clean and compiles its own rule engine.
                with signals_held():  # a pool that is half started cannot be stopped cleanly
                    pool = multiprocessing.get_context("spawn").Pool(min(jobs, len(job_list)),
                                                                      initializer=_worker_init)
                results = pool.imap(run_job, job_list, chunksize=1)
            for index, result in enumerate(results):
                take(index, result)
                if bar is not None:
                    bar.update(1)
            if pool is not None:
                pool.close()
                pool.join()
        except BaseException:
            if pool is not None:
                pool.terminate()  # SIGTERM to every worker
                pool.join()
            raise

    if label is None or len(job_list) < PROGRESS_FROM:
        run()
        return
    with click.progressbar(length=len(job_list), label=label, file=sys.stderr) as bar:
        run(bar)


def finish(failed: list, total: int) -> None:
    """The summary of a batch with failures on stderr, and the exit code that goes with them."""
    if not failed:
        return
    from engine.errors import message_language

    done = total - len(failed)
    lines = [f"\nSummary: {done} of {total} proposals done; {len(failed)} failed:" if message_language() == "en" else
             f"\nSamenvatting: {done} van {total} voorstellen verwerkt; {len(failed)} mislukt:"]
    lines += [f"  - {f.path}" for f in failed]
    click.echo("\n".join(lines), err=True)
    sys.exit(max(f.code for f in failed))


def _reporter() -> Callable:
    """Report each failure on stderr; an error already shown (a broken rule set hits every proposal) only by name."""
    seen: set[str] = set()

    def report(result) -> None:
        if result.message in seen:
            click.echo(one_language(f"{result.path}: dezelfde fout als hierboven / same error as above",
                                    message_language()), err=True)
            return
        seen.add(result.message)
        click.echo(("\n" if sys.stderr.isatty() else "") + result.message, err=True)
    return report


def write_folder(job_list: list, folder: Path, extension: str, jobs: int, *, overview: str | None = None,
                 label: str | None = None, lang: str = "nl", day=None) -> tuple[list[Path], list]:
    """One file per proposal in ``folder`` (plus an overview), written as each is ready; returns (written, failed)."""
    from engine.report.batch import Failed, file_names, inside, render_overview

    if folder.exists() and not folder.is_dir():
        click.echo(one_language(f"{folder}: is een bestand, geen map / is a file, not a folder", message_language()),
                   err=True)
        sys.exit(2)
    if not folder.parent.exists():
        click.echo(one_language(f"{folder}: bovenliggende map bestaat niet / parent folder does not exist",
                                message_language()), err=True)
        sys.exit(2)
    names = file_names([job.path for job in job_list], extension, reserved=(overview,) if overview else ())
    written: list[Path] = []
    failed: list[Failed] = []
    rows = []
    report_failure = _reporter()

    def take(index: int, result) -> None:
        if isinstance(result, Failed):
            failed.append(result)
            report_failure(result)
            return
        target = inside(folder, names[index])
        with signals_held():
            try:
                folder.mkdir(exist_ok=True)
            except OSError as exc:
                fail(cannot_write(folder, exc))
            write_output(result.data, str(target))
            written.append(target)
        rows.append(replace(result.row, link=quote(names[index])))

    try:
        run_jobs(job_list, jobs, take, label)
        if overview and rows:
            fmt = job_list[0].fmt
            target = inside(folder, overview)
            with signals_held():
                write_output(render_overview(rows, fmt, lang, day, failed), str(target))
                written.append(target)
    except Interrupted as exc:
        exc.done = (f"{len(written)} van {len(job_list)} bestanden geschreven in / of {len(job_list)} files "
                    f"written to {folder}.")
        raise
    return written, failed


def collect(job_list: list, jobs: int, label: str | None = None) -> tuple[list, list]:
    """Every result in input order, for output that goes into one file; returns (rendered, failed)."""
    from engine.report.batch import Failed

    done, failed = [], []
    report_failure = _reporter()

    def take(_index: int, result) -> None:
        if isinstance(result, Failed):
            failed.append(result)
            report_failure(result)
        else:
            done.append(result)

    run_jobs(job_list, jobs, take, label)
    return done, failed


def is_folder_target(output: str | None) -> bool:
    """``--output DIR/`` (or an existing folder) means one file per proposal."""
    if output in (None, "-"):
        return False
    return output.endswith(("/", "\\", os.sep)) or Path(output).is_dir()
