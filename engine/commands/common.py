"""Shared pieces of the command line: options, error handling, atomic output.

Every command reports input problems as ``file:line: field: message`` on
stderr and exits with code 2, without a traceback; output files are written
atomically, so bad input never leaves a half-written file behind.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable

import click

LANGS = click.Choice(["nl", "en"])


def fail(problems_text: str, code: int = 2) -> None:
    click.echo(problems_text, err=True)
    sys.exit(code)


def guarded(func: Callable) -> Callable:
    """Turn InputError/RuleError into a clean message and exit code 2, without a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from engine.errors import EngineError, InputError

        try:
            return func(*args, **kwargs)
        except InputError as exc:
            fail(exc.render())
        except EngineError as exc:
            fail(f"fout in de regelset / rule set defect: {exc}", code=3)
    return wrapper


def write_output(text: str | bytes, output: str | None) -> None:
    """Write to stdout, or atomically to a file (a temporary file renamed into place)."""
    if output in (None, "-"):
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            click.echo(text, nl=False)
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
