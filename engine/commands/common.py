"""Shared pieces of the command line: options, error handling, signals, atomic output.

Every command reports input problems as ``file:line: field: message`` on
stderr and exits with code 2, without a traceback. Output files are written
to a temporary file in the target folder and renamed into place, with
SIGINT/SIGTERM held back meanwhile, so an interrupted or failed run never
leaves a half-written file behind.

Exit codes (also in ``regiotoets --help``): 0 everything done; 1 ``check``
found a violation; 2 bad input (arguments, proposal or rule files; the
other files of a batch are still written); 3 a rule set gave no or two
outcomes; 4 an internal error on one file of a batch; 5 the input of ``new``
ended (answers saved); 130/143 interrupted
by SIGINT/SIGTERM (only complete files are left).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import io
import os
import re
import signal
import stat
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

import click

LANGS = click.Choice(["nl", "en"])

EXIT_INPUT, EXIT_RULES = 2, 3
# Shown by --help of evaluate, report and the main command.
EXIT_CODES = """\b
Exitcodes / exit codes:
  0        alles gelukt / everything done
  1        check: een invariant geschonden / an invariant is violated
  2        fout in de invoer (voorstel, optie, regelbestand); bij meerdere
           voorstellen worden de andere wel getoetst en geschreven
           / bad input (proposal, option, rule file); with several
           proposals the others are still evaluated and written
  3        defect in een regelset: geen of twee uitkomsten / defect in a
           rule set: no or two outcomes
  4        interne fout bij een voorstel / internal error on one proposal
  5        new: einde van de invoer; de antwoorden zijn bewaard / end of
           input; the answers are saved
  130/143  afgebroken (SIGINT/SIGTERM): alleen volledige bestanden blijven
           over / interrupted: only complete files are left"""
_SIGNALS = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s is not None)


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; a BaseException so per-file error handling does not swallow it."""

    def __init__(self, signum: int, done: str = "") -> None:
        super().__init__(signum)
        self.signum = signum
        self.done = done  # what was completed, for the closing message


_held = 0
_pending: int | None = None


def _on_signal(signum: int, _frame) -> None:
    global _pending
    for sig in _SIGNALS:  # a second signal must not interrupt the clean-up
        signal.signal(sig, signal.SIG_IGN)
    if _held:
        _pending = signum
        return
    raise Interrupted(signum)


def pending_signal() -> int | None:
    """A SIGINT/SIGTERM that arrived while signals were held, not yet acted on."""
    return _pending


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT/SIGTERM back until the block is done (a file is then complete, or not there at all)."""
    global _held, _pending
    _held += 1
    try:
        yield
    finally:
        _held -= 1
        if not _held and _pending is not None:
            signum, _pending = _pending, None
            raise Interrupted(signum)


@contextlib.contextmanager
def _signal_handlers() -> Iterator[None]:
    """Turn SIGINT/SIGTERM into :class:`Interrupted` while a command runs (main thread only)."""
    previous = {}
    try:
        for sig in _SIGNALS:
            previous[sig] = signal.signal(sig, _on_signal)
    except ValueError:  # not the main thread: leave signals alone
        pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def _restored(name: str, value: str | None) -> Iterator[None]:
    """Put an environment variable back as it was when the command is done (commands run in-process in tests)."""
    try:
        yield
    finally:
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def fail(problems_text: str, code: int = EXIT_INPUT) -> None:
    """The message on stderr (control characters and bidi overrides shown escaped) and the exit code."""
    say(problems_text)
    sys.exit(code)


def say(text: str) -> None:
    """A message on stderr in the language of the messages, safe for a terminal: a file name or option value
    cannot steer it."""
    from engine.common.errors import message_language
    from engine.common.escape import message_text

    lang = message_language()
    click.echo(message_text("\n".join(_one_language(line, lang) for line in text.split("\n"))), err=True)


def _one_language(line: str, lang: str) -> str:
    """A message line in the language of the messages. A line written as 'problem / problem — hint / hint' (the
    output and input checks) is cut at its pairs; other lines go through :func:`engine.common.errors.one_language`."""
    from engine.common.errors import one_language

    parts = line.split(" — ")
    if all(p.count(" / ") == 1 for p in parts[1:]) and parts[0].count(" / ") == 1 and ": " in parts[0]:
        head, _, rest = parts[0].partition(": ")
        if rest.count(" / ") == 1:
            pick = 1 if lang == "en" else 0
            return " — ".join([f"{head}: {rest.split(' / ')[pick]}"] + [p.split(" / ")[pick] for p in parts[1:]])
    return one_language(line, lang)


def _given(name: str) -> bool:
    """Whether an option was given (on the command line or by its variable), not just left at its default: a default
    --lang must not hide an English locale from the messages."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return True
    source = ctx.get_parameter_source(name)
    return source is not None and source != click.core.ParameterSource.DEFAULT


def guarded(func: Callable) -> Callable:
    """Clean messages and exit codes instead of tracebacks: input 2, rule set 3, SIGINT 130, SIGTERM 143."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from engine.common.errors import EngineError, InputError

        from engine.common.errors import LANG_VARIABLE

        before = os.environ.get(LANG_VARIABLE)
        if kwargs.get("lang") in ("nl", "en") and _given("lang"):
            os.environ[LANG_VARIABLE] = kwargs["lang"]  # messages follow --lang, also in worker processes
        with _signal_handlers(), _restored(LANG_VARIABLE, before):
            try:
                return func(*args, **kwargs)
            except InputError as exc:
                fail(exc.render())
            except EngineError as exc:
                fail(f"fout in de regelset / rule set defect: {exc}", code=EXIT_RULES)
            except Interrupted as exc:
                from engine.common.errors import message_language

                name = signal.Signals(exc.signum).name
                done = f" {exc.done}" if exc.done else ""
                if message_language() == "en":
                    fail(f"interrupted by {name}.{done} Only complete files were written.", code=128 + exc.signum)
                fail(f"afgebroken door {name}.{done} Alleen volledige bestanden zijn geschreven.",
                     code=128 + exc.signum)
    return wrapper


_inputs: set[tuple[int, int]] = set()  # (device, inode) of every input of this run: never written over


def protect_inputs(paths: Iterable[str | Path]) -> None:
    """Remember the files this run reads, so that no output is ever written over one of them."""
    for path in paths:
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            continue  # a missing or unnamable input is reported when it is loaded
        _inputs.add((info.st_dev, info.st_ino))


def target_problem(target: str | Path) -> str | None:
    """Why ``target`` may not be written, or None: only a regular file that is no input, or a new path.

    A symlink is refused (its target could be anything, and renaming over it would replace the link), as
    are devices, FIFOs and sockets (``-o /dev/null`` run as root would turn the device into a file).
    """
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None  # reported when writing, with the system's reason
    if stat.S_ISLNK(info.st_mode):
        return (f"{target}: is een symbolische koppeling; daar wordt niet overheen geschreven / is a symbolic link; "
                f"it is not written over — geef een nieuw bestand / give a new file")
    if stat.S_ISDIR(info.st_mode):
        return f"{target}: is een map, geen bestand / is a folder, not a file"
    if not stat.S_ISREG(info.st_mode):
        return (f"{target}: is geen gewoon bestand (apparaat, FIFO of socket) / is not a regular file (device, FIFO "
                f"or socket) — schrijf naar een bestand, of laat --output weg voor het scherm / write to a file, or "
                f"leave out --output for the screen")
    if (info.st_dev, info.st_ino) in _inputs:
        return (f"{target}: is een van de invoerbestanden; het advies zou het overschrijven / is one of the inputs; "
                f"the output would overwrite it — kies een andere naam / choose another name")
    return None


def check_target(output: str | None) -> None:
    """Refuse an output path before any work is done (see :func:`target_problem`); stdout is always fine."""
    if output in (None, "-"):
        return
    problem = target_problem(output)
    if problem:
        fail(problem)


def write_output(text: str | bytes, output: str | None) -> None:
    """Write to stdout, or atomically to a file: a temporary file beside it, flushed to disk, renamed into place.

    The file gets the mode of a new file under the user's umask (never a copied mode), and only a regular
    file that is not an input, or a new path, is written (see :func:`target_problem`).
    """
    if output in (None, "-"):
        write_stdout(text)
        return
    target = Path(output)
    if not target.parent.exists():
        fail(f"{output}: map bestaat niet / folder does not exist")
    check_target(output)
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        with signals_held():
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:100]}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(tmp, _new_file_mode())
                problem = target_problem(target)  # checked again just before the rename
                if problem:
                    raise _Refused(problem)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
    except _Refused as exc:
        fail(str(exc))
    except OSError as exc:  # not a folder, no permission, disk full: a message, not a traceback
        fail(cannot_write(output, exc))


class _Refused(Exception):
    """An output target that turned out not to be writable safely."""


def write_stdout(text: str | bytes) -> None:
    """Write to stdout; a closed stdout, a full disk or a closed pipe is a message and exit 2, not a traceback."""
    stream = sys.stdout
    try:
        if stream is None:
            raise OSError(errno.EBADF, os.strerror(errno.EBADF))
        if isinstance(text, bytes):
            stream.buffer.write(text)
        else:
            click.echo(text, nl=False)
        stream.flush()
    except BrokenPipeError:  # the reader went away (| head): nothing more to say, nobody to say it to
        _quiet_stdout()
        sys.exit(EXIT_INPUT)
    except (OSError, ValueError) as exc:  # ENOSPC (/dev/full), EBADF (>&-), I/O on a closed file
        _quiet_stdout()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        fail(f"stdout: kan niet schrijven / cannot write ({reason})")


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so Python's final flush does not raise again after the message."""
    try:
        if sys.stdout is not None and sys.stdout.fileno() == 1:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def cannot_write(output: str | Path, exc: OSError) -> str:
    """The message for output that the system refuses to write."""
    return f"{output}: kan niet schrijven / cannot write ({exc.strerror or type(exc).__name__})"


def _new_file_mode() -> int:
    """The mode a new file gets under the user's umask (mkstemp makes 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


# File extensions of each output format; the format follows --output when --format is not given.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "text": (".txt",), "markdown": (".md", ".markdown"), "json": (".json",), "html": (".html", ".htm"),
    "docx": (".docx",),
}


def format_for(fmt: str | None, output: str | None, choices: Iterable[str], default: str,
               folder: bool = False) -> str:
    """The output format: ``--format``, else the one ``--output``'s extension names, else ``default``.

    A file whose extension names another format (``--format html -o advies.docx``), or an extension no format
    of this command writes (``-o advies.pdf``), is refused: Word cannot open HTML in a ``.docx``.
    """
    choices = tuple(choices)
    if output in (None, "-") or folder:
        return fmt or default
    suffix = Path(output).suffix.lower()
    named = next((f for f in choices if suffix in EXTENSIONS.get(f, ())), None)
    known = ", ".join(e for f in choices for e in EXTENSIONS.get(f, ())[:1])
    if fmt is None:
        if named is not None:
            return named
        if not suffix:
            return default
        fail(f"{output}: onbekende extensie '{suffix}' / unknown extension (verwacht / expected: {known}; "
             f"of kies het formaat met --format / or choose the format with --format)")
    if suffix and named != fmt:
        wanted = EXTENSIONS.get(fmt, ("",))[0]
        fail(f"{output}: --format {fmt} past niet bij de extensie '{suffix}' / does not match the extension "
             f"(bedoelde u / did you mean {Path(output).with_suffix(wanted).name}?)")
    return fmt  # type: ignore[return-value]


def warn_validity(warnings: Iterable[str | None]) -> None:
    """Each distinct validity warning once on stderr: output in a file must not hide that the vision expired."""
    for text in dict.fromkeys(w for w in warnings if w):
        click.secho(text, err=True, fg="yellow", bold=True)


def parse_day(value: str | None) -> dt.date:
    """The evaluation date: ``--date`` or today."""
    if value is None:
        return dt.date.today()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):  # fromisoformat also takes 20250601 and 2025-W22-7
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--date: '{value}' is geen datum / is not a date (verwacht / expected: JJJJ-MM-DD, bijv. 2025-06-01)")
        raise  # unreachable


def rules_root(value: str | None) -> Path | None:
    return Path(value) if value else None


def _set_engine(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """Remember ``--engine`` for this command and the worker processes it starts (through the environment);
    the earlier setting comes back when the command ends (a command run in-process leaves nothing behind)."""
    if value:
        from engine.deciding.backend import ENGINE_ENV
        before = os.environ.get(ENGINE_ENV)
        os.environ[ENGINE_ENV] = value
        ctx.call_on_close(lambda: os.environ.pop(ENGINE_ENV, None) if before is None
                          else os.environ.__setitem__(ENGINE_ENV, before))


def region_options(func: Callable) -> Callable:
    """``--region``, ``--rules`` and ``--engine``: which rule set, from which folder, through which engine."""
    func = click.option("--engine", type=click.Choice(["durable_rules", "python"]), default=None, expose_value=False,
                        callback=_set_engine, is_eager=True,
                        help="Regelmachine / rule engine (ook via $REGIOTOETS_ENGINE). Standaard: durable_rules "
                             "waar het werkt (Python 3.10-3.12), anders python; check, whatif en new zoeken met "
                             "python. Beide geven aantoonbaar dezelfde uitkomsten.")(func)
    func = click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None,
                        help="Map met regelsets (standaard: rules/ of $REGIOTOETS_RULES).")(func)
    func = click.option("--region", default=None,
                        help="Regio (regelset; 'regiotoets regions' toont ze); anders 'region:' uit het voorstel.")(func)
    return func


def date_option(func: Callable) -> Callable:
    return click.option("--date", "date_", default=None,
                        help="Toetsdatum JJJJ-MM-DD (standaard: vandaag); kiest de regelset die dan geldt.")(func)


def load_all(paths: Iterable[str], region: str | None, day: dt.date, root: Path | None):
    """Validate every proposal first and report all problems together."""
    from engine.common.errors import InputError
    from engine.deciding.validate import load_proposal

    paths = list(paths)
    protect_inputs(paths)
    loaded, problems = [], []
    for path in paths:
        try:
            loaded.append(load_proposal(path, region=region, day=day, rules_root=root))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return loaded
