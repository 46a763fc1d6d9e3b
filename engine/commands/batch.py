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
import secrets
import signal
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import quote

import click

from engine.commands.common import (Interrupted, _new_file_mode, cannot_write, check_target, fail, pending_signal, protect_inputs, say,
                     signals_held, target_problem, warn_validity, write_output, write_stdout)

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
    targets = [inside(folder, name) for name in names]
    for target in targets + ([inside(folder, overview)] if overview else []):  # before any work: nothing over an
        problem = target_problem(target)                                      # input or a device
        if problem:
            fail(problem)
    with folder_lock(folder):
        remove_leftovers(folder, names + ([overview] if overview else []))
        return _write_folder(job_list, folder, names, targets, jobs, overview=overview, label=label, lang=lang,
                             day=day)


def _write_folder(job_list: list, folder: Path, names: list[str], targets: list[Path], jobs: int | None, *,
                  overview: str | None, label: str | None, lang: str, day) -> tuple[list[Path], list]:
    from engine.report.batch import Failed, inside, render_overview

    failed: list[Failed] = []
    rows = []  # for the overview
    warnings: dict[str, None] = {}  # validity warnings, each once, in order
    report_failure = _reporter()
    writer = FolderWriter(folder)

    def take(index: int, result) -> None:
        if isinstance(result, Failed):
            failed.append(result)
            report_failure(result)
            stale = targets[index]  # an older report of this proposal would look current
            with signals_held():
                if stale.is_file() and not stale.is_symlink():
                    stale.unlink()
            return
        with signals_held():
            writer.add(targets[index], result.data)
        if result.row.validity_warning:
            warnings[result.row.validity_warning] = None
        if overview:
            rows.append(replace(result.row, link=quote(names[index])))

    try:
        try:
            run_jobs(job_list, jobs, take, label)
        finally:
            with signals_held():  # what is complete is put in place, also when interrupted
                writer.close()
        warn_validity(warnings)
        written = list(writer.written)
        if overview and rows:
            fmt = job_list[0].fmt
            target = inside(folder, overview)
            with signals_held():
                write_output(render_overview(rows, fmt, lang, day, failed), str(target))
                written.append(target)
    except Interrupted as exc:
        exc.done = (f"{len(writer.written)} van {len(job_list)} bestanden geschreven in / of {len(job_list)} files "
                    f"written to {folder}.")
        raise
    return written, failed


class FolderWriter:
    """The files of a batch folder, each complete or not there at all.

    Each file is written to a temporary file beside its place. The temporary
    files are made durable in groups (one ``syncfs`` of the file system for up
    to :data:`GROUP` files or :data:`GROUP_SECONDS`, where the system has it;
    else an ``fsync`` per file) and only then renamed into place, so a file
    that is there is complete, as with :func:`write_output`, without the cost
    of flushing the disk once per file. A file that replaces an older one
    keeps a second name for the older one until the rename is done; the
    older one's space is then freed in the background (freeing is slow on
    some file systems). Temporary files that a killed run leaves behind are
    removed by the next run (:func:`remove_leftovers`).
    """

    GROUP = 256
    GROUP_SECONDS = 0.5

    def __init__(self, folder: Path):
        self.folder = folder
        self.written: list[Path] = []
        self._pending: list[tuple[str, Path]] = []
        self._since = 0.0
        self._sync = _syncfs()
        self._freeing = None
        self._folder_made = False

    def add(self, target: Path, data: bytes) -> None:
        """Write one file (call with signals held); it is in place after the next :meth:`flush`."""
        if not self._folder_made:
            try:
                self.folder.mkdir(exist_ok=True)
            except OSError as exc:
                fail(cannot_write(self.folder, exc))
            self._folder_made = True
        try:
            tmp = self._write_temp(target, data)
        except OSError as exc:
            self.abort()
            fail(cannot_write(target, exc))
        if not self._pending:
            self._since = time.monotonic()
        self._pending.append((tmp, target))
        if len(self._pending) >= self.GROUP or time.monotonic() - self._since >= self.GROUP_SECONDS:
            self.flush()

    def _write_temp(self, target: Path, data: bytes) -> str:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        while True:
            tmp = os.path.join(self.folder, f".{target.name[:100]}.{secrets.token_hex(4)}.tmp")
            try:
                fd = os.open(tmp, flags, 0o666)  # the mode of a new file under the user's umask
                break
            except FileExistsError:
                continue
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if self._sync is None:
                os.fsync(fd)
        except BaseException:
            os.close(fd)
            os.unlink(tmp)
            raise
        os.close(fd)
        return tmp

    def flush(self) -> None:
        """Make the pending files durable and rename each into place (call with signals held)."""
        if not self._pending:
            return
        try:
            if self._sync is not None:
                self._sync(self.folder)
            while self._pending:
                tmp, target = self._pending[0]
                problem = target_problem(target)  # checked again just before the rename
                if problem:
                    self.abort()
                    fail(problem)
                try:
                    older = os.path.join(self.folder, f".{target.name[:100]}.{secrets.token_hex(4)}.tmp")
                    os.link(target, older)  # the older file keeps this name until it is freed
                except OSError:
                    older = None  # no older file (or no hard links here): nothing to free
                os.replace(tmp, target)
                self._pending.pop(0)
                self.written.append(target)
                if older is not None:
                    self._free(older)
        except OSError as exc:
            target = self._pending[0][1] if self._pending else self.folder
            self.abort()
            fail(cannot_write(target, exc))

    def _free(self, path: str) -> None:
        if self._freeing is None:
            from concurrent.futures import ThreadPoolExecutor

            self._freeing = ThreadPoolExecutor(max_workers=4, thread_name_prefix="regiotoets-free")
        self._freeing.submit(_unlink_quietly, path)

    def close(self) -> None:
        """Put every pending file in place and wait until older files are freed."""
        try:
            self.flush()
        finally:
            if self._freeing is not None:
                self._freeing.shutdown(wait=True)
                self._freeing = None

    def abort(self) -> None:
        """Remove the temporary files not yet in place."""
        for tmp, _target in self._pending:
            _unlink_quietly(tmp)
        self._pending.clear()


def _unlink_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _syncfs() -> Callable[[Path], None] | None:
    """``syncfs`` of the file system a folder is on (Linux), or None where the system has no such call."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.syncfs
    except (OSError, AttributeError):
        return None

    def sync(folder: Path) -> None:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            if call(fd) != 0:
                code = ctypes.get_errno()
                raise OSError(code, os.strerror(code))
        finally:
            os.close(fd)
    return sync


def stream(job_list: list, jobs: int | None, fmt: str, output: str | None, label: str | None) -> list:
    """Every advice, in input order, into one output as each is ready: stdout, or one file (a temporary file beside
    it, renamed into place at the end). Nothing is kept in memory but the validity warnings; JSON is one list (also
    when one proposal succeeded), the others are separated as :func:`separator` says. Returns the failures."""
    from engine.report.batch import Failed

    failed: list[Failed] = []
    warnings: dict[str, None] = {}
    report_failure = _reporter()
    sink = OneOutput(output)
    count = 0

    def take(_index: int, result) -> None:
        nonlocal count
        if isinstance(result, Failed):
            failed.append(result)
            report_failure(result)
            return
        if result.row.validity_warning:
            warnings[result.row.validity_warning] = None
        data = result.data
        if fmt == "json":
            body = b"  " + (data[:-1] if data.endswith(b"\n") else data).replace(b"\n", b"\n  ")
            sink.write((b"[\n" if count == 0 else b",\n") + body)
        else:
            sink.write(data if count == 0 else separator(fmt) + data)
        count += 1

    try:
        run_jobs(job_list, jobs, take, label)
        if count and fmt == "json":
            sink.write(b"\n]\n")
        sink.finish(count > 0)
    except BaseException:
        sink.abort()
        raise
    if output not in (None, "-"):
        warn_validity(warnings)
    return failed


def separator(fmt: str) -> bytes:
    """What stands between two advices in one text or Markdown output."""
    return b"\n---\n\n" if fmt == "markdown" else ("\n" + "=" * 88 + "\n\n").encode()


class OneOutput:
    """stdout, or a file written atomically: a temporary file beside it, made durable and renamed at the end."""

    def __init__(self, output: str | None):
        self.output = output
        self._fh = None
        self._tmp: str | None = None

    def write(self, data: bytes) -> None:
        if self.output in (None, "-"):
            write_stdout(data)
            return
        if self._fh is None:
            self._open()
        try:
            self._fh.write(data)
        except OSError as exc:
            self.abort()
            fail(cannot_write(self.output, exc))

    def _open(self) -> None:
        target = Path(self.output)
        if not target.parent.exists():
            fail(f"{self.output}: map bestaat niet / folder does not exist")
        check_target(self.output)
        try:
            with signals_held():
                fd, self._tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:100]}.", suffix=".tmp")
                self._fh = os.fdopen(fd, "wb")
        except OSError as exc:
            fail(cannot_write(self.output, exc))

    def finish(self, keep: bool) -> None:
        """Put the file in place (``keep``), or leave nothing (nothing succeeded)."""
        if self.output in (None, "-") or self._fh is None:
            return
        if not keep:
            self.abort()
            return
        try:
            with signals_held():
                self._fh.flush()
                os.fsync(self._fh.fileno())
                self._fh.close()
                os.chmod(self._tmp, _new_file_mode())
                problem = target_problem(self.output)  # checked again just before the rename
                if problem:
                    self.abort()
                    fail(problem)
                os.replace(self._tmp, self.output)
                self._tmp = None
        except OSError as exc:
            self.abort()
            fail(cannot_write(self.output, exc))

    def abort(self) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()
        if self._tmp is not None:
            _unlink_quietly(self._tmp)
            self._tmp = None


def is_folder_target(output: str | None) -> bool:
    """``--output DIR/`` (or an existing folder) means one file per proposal."""
    if output in (None, "-"):
        return False
    return output.endswith(("/", "\\", os.sep)) or Path(output).is_dir()
