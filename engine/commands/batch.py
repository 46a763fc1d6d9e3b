"""Running many proposals: every file on its own, each output written as soon as it is ready.

A file that fails is reported on stderr and skipped; the others are still
evaluated and written, a summary at the end lists the failures and the exit
code says that something failed (2 input, 3 rule set, 4 internal). Results
come back in input order whatever ``--jobs`` is, so the output bytes do not
depend on it. Workers ignore SIGINT (the main process decides) and die with
SIGTERM, which the main process sends them when it is interrupted itself.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import quote

import click

from engine.commands.common import (Interrupted, cannot_write, fail, pending_signal, protect_inputs, say, signals_held, target_problem,
                     warn_validity, write_output)

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


POOL_FROM = 16  # proposals: a smaller batch runs in one process (starting workers costs more than it saves)


def available_cpus() -> int:
    """The processors this process may run on (a container or taskset may allow fewer than the machine has)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def worker_count(jobs: int | None, count: int) -> int:
    """How many processes a batch of ``count`` proposals uses: ``--jobs`` (default: every processor), never more
    than there are processors or proposals, and one for a batch smaller than :data:`POOL_FROM`."""
    if count < POOL_FROM:
        return 1
    return max(1, min(jobs or available_cpus(), available_cpus(), count))


def run_jobs(job_list: list, jobs: int | None, take: Callable, label: str | None = None) -> None:
    """Run every job and hand each result, in input order, to ``take(index, result)``.

    With a pool, SIGINT/SIGTERM only set a flag (:func:`signals_held`) that the loop checks between
    results: a handler that raised inside ``pool.imap`` while its iterator held a lock could leave
    ``pool.terminate()`` waiting for ever.
    """
    from engine.report.batch import run_job

    workers = worker_count(jobs, len(job_list))

    def run(bar=None) -> None:
        pool = None
        try:
            if workers <= 1:
                for index, result in enumerate(map(run_job, job_list)):
                    take(index, result)
                    if bar is not None:
                        bar.update(1)
                return
            import multiprocessing

            # spawn: each worker starts clean and compiles its own rule engine.
            with signals_held():  # a pool that is half started cannot be stopped cleanly
                pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_worker_init)
            with signals_held():  # a signal now only sets a flag; leaving this block raises Interrupted
                results = pool.imap(run_job, job_list, chunksize=1)
                index = 0
                while index < len(job_list) and pending_signal() is None:
                    try:
                        result = results.next(timeout=0.1)
                    except multiprocessing.TimeoutError:
                        continue
                    take(index, result)
                    index += 1
                    if bar is not None:
                        bar.update(1)
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
    from engine.common.errors import message_language

    done = total - len(failed)
    lines = [f"\nSummary: {done} of {total} proposals done; {len(failed)} failed:" if message_language() == "en" else
             f"\nSamenvatting: {done} van {total} voorstellen verwerkt; {len(failed)} mislukt:"]
    lines += [f"  - {f.path}" for f in failed]
    say("\n".join(lines))
    sys.exit(max(f.code for f in failed))


def _reporter() -> Callable:
    """Report each failure on stderr; an error already shown (a broken rule set hits every proposal) only by name."""
    seen: set[str] = set()

    def report(result) -> None:
        if result.message in seen:
            say(f"{result.path}: dezelfde fout als hierboven / same error as above")
            return
        seen.add(result.message)
        say(("\n" if sys.stderr.isatty() else "") + result.message)
    return report


_TMP = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")  # what write_output's mkstemp leaves after a kill -9


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """One run at a time writes a batch folder: a second run says so and exits 2 instead of mixing files.

    The lock is an advisory ``flock`` on the folder itself (no lock file to leave behind), released by
    the system when the process ends however it ends, ``kill -9`` included. A folder this run created
    and wrote nothing into is removed again.
    """
    created = not folder.exists()
    try:
        folder.mkdir(exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        fail(cannot_write(folder, exc))
        raise  # unreachable
    try:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; one run at a time is up to the user
            fcntl = None  # type: ignore[assignment]
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                fail(f"{folder}: wordt al beschreven door een andere run van regiotoets / is being written by another "
                     f"run of regiotoets — wacht tot die klaar is of kies een andere map / wait for it to finish or "
                     f"choose another folder")
        yield
    finally:
        if created:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty: nothing was written
        os.close(fd)


def remove_leftovers(folder: Path, names: list[str]) -> None:
    """Remove the temporary files a killed run left for the files this run writes (under the folder lock)."""
    wanted = set(names)
    for entry in os.scandir(folder):
        match = _TMP.fullmatch(entry.name)
        if match and match["name"] in wanted and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def write_folder(job_list: list, folder: Path, extension: str, jobs: int | None, *, overview: str | None = None,
                 label: str | None = None, lang: str = "nl", day=None) -> tuple[list[Path], list]:
    """One file per proposal in ``folder`` (plus an overview), written as each is ready; returns (written, failed)."""
    from engine.report.batch import file_names, inside

    if folder.exists() and not folder.is_dir():
        say(f"{folder}: is een bestand, geen map / is a file, not a folder")
        sys.exit(2)
    if not folder.parent.exists():
        say(f"{folder}: bovenliggende map bestaat niet / parent folder does not exist")
        sys.exit(2)
    names = file_names([job.path for job in job_list], extension, reserved=(overview,) if overview else ())
    protect_inputs(job.path for job in job_list)
    for name in names + ([overview] if overview else []):  # before any work: nothing over an input or a device
        problem = target_problem(inside(folder, name))
        if problem:
            fail(problem)
    with folder_lock(folder):
        remove_leftovers(folder, names + ([overview] if overview else []))
        return _write_folder(job_list, folder, names, jobs, overview=overview, label=label, lang=lang, day=day)


def _write_folder(job_list: list, folder: Path, names: list[str], jobs: int | None, *, overview: str | None,
                  label: str | None, lang: str, day) -> tuple[list[Path], list]:
    from engine.report.batch import Failed, inside, render_overview

    written: list[Path] = []
    failed: list[Failed] = []
    rows = []
    report_failure = _reporter()

    def take(index: int, result) -> None:
        if isinstance(result, Failed):
            failed.append(result)
            report_failure(result)
            stale = inside(folder, names[index])  # an older report of this proposal would look current
            with signals_held():
                if stale.is_file() and not stale.is_symlink():
                    stale.unlink()
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
        warn_validity(row.validity_warning for row in rows)
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


def collect(job_list: list, jobs: int | None, label: str | None = None) -> tuple[list, list]:
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
    return done, failed  # the caller warns about validity when the output goes to a file


def is_folder_target(output: str | None) -> bool:
    """``--output DIR/`` (or an existing folder) means one file per proposal."""
    if output in (None, "-"):
        return False
    return output.endswith(("/", "\\", os.sep)) or Path(output).is_dir()
