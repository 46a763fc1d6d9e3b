"""Errors meant for people: file, line, field, what was expected, a suggestion.

Every error that reaches the command line is an :class:`InputError` (bad
proposal, bad arguments) or a :class:`RuleError` (a broken rule file). Both
carry enough context to print one clear line per problem without a traceback.
"""

from __future__ import annotations

import difflib
import os
import re
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

    def render(self, lang: str | None = None) -> str:
        """One line in one language: Dutch by default, English with --lang en or an English locale."""
        lang = lang or message_language()
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.line is not None and self.column is not None:
            where += f":{self.column}"
        parts = [where]
        if self.field:
            parts.append(self.field)
        head = ": ".join(parts)
        text = f"{head}: {one_language(self.message, lang)}"
        if self.expected:
            label = "expected" if lang == "en" else "verwacht"
            text += f" ({label}: {one_language(self.expected, lang)})"
        if self.suggestion:
            text += f" — {one_language(self.suggestion, lang)}"
        # One line per problem, whatever a name or value holds, and nothing that steers a terminal.
        return text.translate(_LINE_BREAKS).translate(_UNSAFE)


# Every character str.splitlines() (and some terminals) break a line at, shown escaped.
_LINE_BREAKS = {ord(ch): ascii(ch)[1:-1] for ch in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}
# Control characters (escape sequences start with them) and bidi overrides, shown escaped.
_UNSAFE = {i: ascii(chr(i))[1:-1] for i in [*range(0x00, 0x09), *range(0x0e, 0x20), *range(0x7f, 0xa0),
                                             *range(0x202a, 0x202f), *range(0x2066, 0x206a)]}


# --------------------------------------------------------------------------- one language

LANG_VARIABLE = "REGIOTOETS_LANG"  # set by the command line from --lang, inherited by worker processes


def message_language() -> str:
    """``$REGIOTOETS_LANG`` (from --lang), else English for an English locale, else Dutch."""
    from engine.common.i18n import ui_lang

    return ui_lang(os.environ.get(LANG_VARIABLE))


_QUOTED = re.compile(r"(?<![\w])'[^'\n]*'(?![\w])|\"[^\"\n]*\"|‘[^’\n]*’|“[^”\n]*”")
_MASK = re.compile(r"\x00(\d+)\x00")


def one_language(text: str, lang: str) -> str:
    """A message written as 'Dutch / English' in one of its languages.

    Messages are written in both languages, 'geen getal / not a number', also inside parts that are
    composed ('(gegeven / given: 12)', "bedoelde u 'x'? / did you mean 'x'?"). Quoted values are set
    aside first, so a value that holds ' / ' is never split; parentheses are done from the inside out;
    a label pair before a colon ('toegestaan / allowed: a, b') keeps what follows the colon; what only
    the English half ends with (a quoted value, a parenthesis) is kept in the Dutch one too.
    """
    if " / " not in text and "of/or" not in text:
        return text
    if " / " not in text:
        return text.replace("of/or", "or" if lang == "en" else "of")
    masks: list[str] = []

    def mask(match: re.Match) -> str:
        masks.append(match.group(0))
        return f"\x00{len(masks) - 1}\x00"

    work = _QUOTED.sub(mask, text.replace("of/or", "or" if lang == "en" else "of"))
    inner = re.compile(r"\(([^()]*)\)")
    groups: set[int] = set()
    while True:
        found = inner.search(work)
        if found is None:
            break
        masks.append("(" + _pick(found.group(1), lang) + ")")
        groups.add(len(masks) - 1)
        work = work[:found.start()] + f"\x00{len(masks) - 1}\x00" + work[found.end():]
    work = _pick(work, lang, groups)
    while _MASK.search(work):
        work = _MASK.sub(lambda m: masks[int(m.group(1))], work)
    return work


def _pick(text: str, lang: str, groups: set[int] = frozenset()) -> str:
    if text.count(" / ") > 1:
        for separator in (": ", "; ", ". ", ", "):
            if separator in text:
                return separator.join(_pick(part, lang, groups) for part in text.split(separator))
        return text
    halves = text.split(" / ")
    if len(halves) != 2:
        return text
    nl, en = halves
    head = ""
    if ": " in nl:  # 'regel X: kring / cyclic: A → B': what comes before the pair belongs to both
        cut = nl.rindex(": ") + 2
        head, nl = nl[:cut], nl[cut:]
    label = re.match(r"^([^:]*?): ", en)
    if label and len(nl.split()) <= 4 and len(label.group(1).split()) <= 4:
        rest = en[label.end():]
        return f"{head}{nl}: {rest}" if lang == "nl" else head + en
    nl, head = head + nl, ""
    lead = re.match(r"^([0-9][0-9.,]*\s+)", nl)
    if lead and not en[:1].isdigit() and len(en.split()) <= 2:
        en = lead.group(1) + en  # '29999 tekens / characters': the number belongs to both
    if lang == "en":
        return en
    carried = ""
    rest = en
    while (last := re.search(r"\s*\x00(\d+)\x00$", rest)) and int(last.group(1)) in groups:
        carried, rest = last.group(0) + carried, rest[:last.start()]
    if carried and not any(f"\x00{i}\x00" in nl for i in groups):
        return nl + carried  # '(begonnen op regel 6)': a part both halves end with
    tail = re.search(r"((\s*\x00\d+\x00|\s+[0-9][0-9.,]*)+[\s.?!:]*)$", en)
    if tail and not _MASK.search(nl) and not nl.rstrip(" .?!:").endswith(tail.group(1).strip(" .?!:")):
        return nl + tail.group(1)
    return nl


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
        return f"bedoelde u '{close[0]}'? / did you mean '{close[0]}'?"
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
