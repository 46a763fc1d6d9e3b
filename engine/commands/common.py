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
import functools
import os
import signal
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
    """Report and stop; a message written in both languages is shown in the language of the messages."""
    from engine.errors import message_language, one_language

    lang = message_language()
    click.echo("\n".join(one_language(line, lang) for line in problems_text.split("\n")), err=True)
    sys.exit(code)


def guarded(func: Callable) -> Callable:
    """Clean messages and exit codes instead of tracebacks: input 2, rule set 3, SIGINT 130, SIGTERM 143."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from engine.errors import EngineError, InputError

        from engine.errors import LANG_VARIABLE

        before = os.environ.get(LANG_VARIABLE)
        if kwargs.get("lang") in ("nl", "en"):
            os.environ[LANG_VARIABLE] = kwargs["lang"]  # messages follow --lang, also in worker processes
        with _signal_handlers(), _restored(LANG_VARIABLE, before):
            try:
                return func(*args, **kwargs)
            except InputError as exc:
                fail(exc.render())
            except EngineError as exc:
                fail(f"fout in de regelset / rule set defect: {exc}", code=EXIT_RULES)
            except Interrupted as exc:
                from engine.errors import message_language

                name = signal.Signals(exc.signum).name
                done = f" {exc.done}" if exc.done else ""
                if message_language() == "en":
                    fail(f"interrupted by {name}.{done} Only complete files were written.", code=128 + exc.signum)
                fail(f"afgebroken door {name}.{done} Alleen volledige bestanden zijn geschreven.",
                     code=128 + exc.signum)
    return wrapper


def write_output(text: str | bytes, output: str | None) -> None:
    """Write to stdout, or atomically to a file: a temporary file beside it, flushed to disk, renamed into place."""
    if output in (None, "-"):
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
            sys.stdout.flush()
        else:
            click.echo(text, nl=False)
        return
    target = Path(output)
    if not target.parent.exists():
        fail(f"{output}: map bestaat niet / folder does not exist")
    if target.is_dir():
        fail(f"{output}: is een map, geen bestand / is a folder, not a file")
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        with signals_held():
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:100]}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(tmp, _file_mode(target))
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
    except OSError as exc:  # not a folder, no permission, disk full: a message, not a traceback
        fail(cannot_write(output, exc))


def cannot_write(output: str | Path, exc: OSError) -> str:
    """The message for output that the system refuses to write."""
    return f"{output}: kan niet schrijven / cannot write ({exc.strerror or type(exc).__name__})"


def _file_mode(target: Path) -> int:
    """The mode a new file would get (mkstemp makes 0600), or that of the file being replaced."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def parse_day(value: str | None) -> dt.date:
    """The evaluation date: ``--date`` or today."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--date: '{value}' is geen datum / is not a date (verwacht / expected: JJJJ-MM-DD, bijv. 2025-06-01)")
        raise  # unreachable


def rules_root(value: str | None) -> Path | None:
    return Path(value) if value else None


def region_options(func: Callable) -> Callable:
    """``--region`` and ``--rules``: which rule set, from which folder."""
    func = click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None,
                        help="Map met regelsets (standaard: rules/ of $REGIOTOETS_RULES).")(func)
    func = click.option("--region", default=None,
                        help="Regio (regelset), bijv. foodvalley; anders 'region:' uit het voorstel.")(func)
    return func


def date_option(func: Callable) -> Callable:
    return click.option("--date", "date_", default=None,
                        help="Toetsdatum JJJJ-MM-DD (standaard: vandaag); kiest de regelset die dan geldt.")(func)


def load_all(paths: Iterable[str], region: str | None, day: dt.date, root: Path | None):
    """Validate every proposal first and report all problems together."""
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
