"""Text from a proposal is data: escaping for Markdown and for the terminal.

A proposal's title, notes and reasons are written by people and end up in
reports that others open. In Markdown they must render as the literal text:
no links, no raw HTML, no extra table cells, no headings or lists. In the
terminal they must not carry escape sequences that move the cursor or
retitle the window. HTML is escaped by Jinja2 (autoescape) and Word gets
plain text runs, so neither needs anything here.
"""

from __future__ import annotations

import re

# Characters with a meaning anywhere in a line (CommonMark plus GitHub tables and strikethrough).
_INLINE = re.compile(r"([\\`*_\[\]<>#|~@])")  # "(" needs no escape once "[" and "]" have one
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # &amp; &#60; … would render as the character
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=\bwww)(\.)")  # bare https:// and www. links (GFM)
_LINE_START = re.compile(r"^(?:([-+=])|(\d+)([.)]))")  # list item, setext underline, ordered list
# C0 and C1 control characters except tab and newline, and DEL: escape sequences start with these.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def md_inline(text: object) -> str:
    """Text as Markdown that renders as exactly this text, on one line (so it can sit in a table cell)."""
    out = " ".join(_CONTROL.sub(" ", str(text)).split())
    out = _INLINE.sub(r"\\\1", out)
    out = _ENTITY.sub(r"\\&", out)
    out = _AUTOLINK.sub(lambda m: "\\" + (m.group(1) or m.group(2)), out)
    return _LINE_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else f"{m.group(2)}\\{m.group(3)}", out)


# Bidirectional overrides and isolates: they reorder what is shown (U+202E turns "txt.exe" into "exe.txt").
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Every character that could steer a terminal or reorder a line, shown escaped in messages (\x1b, \u202e).
_UNSAFE_IN_MESSAGES = {i: ascii(chr(i))[1:-1] for i in [*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0),
                                                     *range(0x202a, 0x202f), *range(0x2066, 0x206a)]}


def terminal_text(text: object) -> str:
    """Text without control characters or bidi overrides, so it cannot steer the terminal; newlines and tabs stay."""
    return _BIDI.sub("", _CONTROL.sub("", str(text)))


def strip_controls(text: str) -> str:
    """Text without C0/C1 control characters (tab and newline stay): for HTML, where NUL and ESC are errors."""
    return _CONTROL.sub("", text)


def message_text(text: object) -> str:
    """A message for stderr with every control character and bidi override shown escaped (``\\x1b``), so a file
    name or option value cannot retitle the window or clear the screen, and the reader still sees it is there."""
    return str(text).translate(_UNSAFE_IN_MESSAGES)
