"""Errors meant for people: file, line, field, what was expected, a suggestion.

Every error that reaches the command line is an :class:`InputError` (bad
proposal, bad arguments) or a :class:`RuleError` (a broken rule file). Both
carry enough context to print one clear line per problem without a traceback.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence


@dataclass(frozen=True)
class Problem:
    """One problem in one input file."""

    file: str
    message: str
    line: int | None = None
    field: str | None = None
    expected: str | None = None
    suggestion: str | None = None
    column: int | None = None

    def render(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.line is not None and self.column is not None:
            where += f":{self.column}"
        parts = [where]
        if self.field:
            parts.append(self.field)
        head = ": ".join(parts)
        text = f"{head}: {self.message}"
        if self.expected:
            text += f" (verwacht / expected: {self.expected})"
        if self.suggestion:
            text += f" — {self.suggestion}"
        # One line per problem, whatever a name or value holds, and nothing that steers a terminal.
        return text.translate(_LINE_BREAKS).translate(_UNSAFE)


# Every character str.splitlines() (and some terminals) break a line at, shown escaped.
_LINE_BREAKS = {ord(ch): ascii(ch)[1:-1] for ch in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}
# Control characters (escape sequences start with them) and bidi overrides, shown escaped.
_UNSAFE = {i: ascii(chr(i))[1:-1] for i in [*range(0x00, 0x09), *range(0x0e, 0x20), *range(0x7f, 0xa0),
                                             *range(0x202a, 0x202f), *range(0x2066, 0x206a)]}


@dataclass
class InputError(Exception):
    """Bad input: one or more problems, each pointing at a file and a line."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(p.render() for p in self.problems)


class RuleError(InputError):
    """A rule file that cannot be loaded or compiled; names the file and rule id."""


class EngineError(Exception):
    """The rule base produced something it must never produce (no or two outcomes).

    This is a defect in a rule set, not in the proposal; ``regiotoets check``
    finds such defects before a policy officer does.
    """


def did_you_mean(word: str, options: Iterable[str]) -> str | None:
    """A 'did you mean …?' hint for a misspelt name, or None when nothing is close."""
    options = list(options)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"bedoelde u / did you mean '{close[0]}'?"
    return None


def display_path(path: str | Path) -> str:
    """Show a path relative to the working directory when that is shorter."""
    quick = _quick_display(path)
    if quick is not None:
        return quick
    p = Path(path)
    try:
        return str(p.resolve().relative_to(_resolved_cwd()))
    except ValueError:  # outside the working directory (or a NUL byte in the name)
        return str(p)
    except (OSError, RuntimeError):  # a symbolic link loop: pathlib raises RuntimeError before Python 3.13
        return str(p)


_CWD: list = [None, None]
_DIRS: dict[tuple[str, str], str | None] = {}  # (working directory, folder as given) -> resolved folder


def _quick_display(path: str | Path) -> str | None:
    """:func:`display_path` for the usual case, a file that is no symbolic link in a folder under the working
    directory, without resolving every part of the path again (each advice names its file). None: ask pathlib."""
    try:
        text = os.fspath(path)
        head, tail = os.path.split(text)
        if not tail or tail in (".", "..") or "\0" in text or os.path.islink(text):
            return None
        cwd = _resolved_cwd()
        key = (_CWD[0], head)
        folder = _DIRS.get(key, "")
        if folder == "":
            if len(_DIRS) > 1024:
                _DIRS.clear()
            try:
                folder = _DIRS[key] = str(Path(head or ".").resolve())
            except (OSError, RuntimeError, ValueError):
                folder = _DIRS[key] = None
        if folder is None:
            return None
        root = str(cwd)
        prefix = root if root.endswith(os.sep) else root + os.sep
        if not folder.startswith(prefix) and folder != root:
            return str(Path(text))  # outside the working directory: as given, as pathlib's way does
        return os.path.join(folder, tail)[len(prefix):]
    except (TypeError, ValueError, OSError):
        return None


def _resolved_cwd() -> Path:
    """The working directory, resolved once per directory (every advice names its file)."""
    here = os.getcwd()
    if _CWD[0] != here:
        _CWD[:] = [here, Path(here).resolve()]
    return _CWD[1]


def join_loc(loc: Sequence[object]) -> str:
    """Render a pydantic location tuple as a dotted field path (``a.b[0].c``)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
