"""Read YAML or JSON files while keeping line numbers, so errors can point at a line.

ruamel.yaml (YAML 1.2) is used because it records the line of every key and
item; YAML 1.2 also keeps ``yes``/``no`` as strings instead of booleans.
JSON is a subset of YAML 1.2, so one loader serves both formats; a ``.json``
file is also checked as strict JSON (a trailing comma is a YAML feature, not
a JSON one).

Every file is checked against the limits before it is parsed: at most
:data:`MAX_BYTES` bytes (checked before reading), UTF-8 text without control
characters, and the limits of :mod:`engine.reading.yamlfast` (nesting, values with
aliases expanded, text length). A UTF-8 byte order mark is accepted.
"""

from __future__ import annotations

import re
import os
import stat
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Sequence

from engine.common.errors import InputError, Problem, display_path, join_loc
from engine.reading.yamlfast import MAX_DEPTH, YamlProblem

MAX_BYTES = 256 * 1024  # a proposal is a few kilobytes, the largest rule file about 17 kB

# Characters YAML 1.2 does not allow in a text (C0 and C1 controls except tab and line ends, non-characters).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
# Bytes that cannot be part of a forbidden character in UTF-8: a text whose bytes are all of these has none
# (C0 controls and DEL are single bytes; C1 controls start with 0xC2, U+FFFE and U+FFFF with 0xEF).
_ALLOWED_BYTES = bytes(b for b in range(256) if not (b <= 0x08 or b in (0x0B, 0x0C) or 0x0E <= b <= 0x1F
                                                     or b in (0x7F, 0xC2, 0xEF)))
_NON_SPACE = re.compile(r"\S")
_LINE_END = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # what str.splitlines splits on
_BINARY = {b"%PDF": "PDF", b"PK\x03\x04": "Word, Excel of/or ZIP", b"\xd0\xcf\x11\xe0": "Word of/or Excel",
           b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF", b"\x7fELF": "ELF"}
_TEXT_FILE = ("een voorstel is een tekstbestand in YAML of JSON; begin met 'regiotoets new' "
              "/ a proposal is a YAML or JSON text file; start with 'regiotoets new'")


@dataclass
class LoadedDocument:
    """A parsed file: plain data plus a way to find the line of any field.

    The lines come from the round-trip tree (``_tree``) or, when the scan
    built the data, from its line index (``_lines``); both give the same.
    """

    path: Path
    raw: bytes
    data: Any
    _tree: Any
    _lines: Any = None
    _shown: str | None = None  # the name as parsing already worked it out
    _text: str | None = None  # the text, when the line index is only built once a line is asked for

    @cached_property
    def name(self) -> str:
        return self._shown or display_path(self.path)  # resolves the path: worth doing once

    def line_of(self, loc: Sequence[object]) -> int | None:
        """1-based line of the deepest existing node on ``loc`` (a pydantic location)."""
        pos = self.position_of(loc)
        return pos[0] if pos else None

    def where(self, loc: Sequence[object]) -> str:
        """``file:line:column`` of the deepest existing node on ``loc``."""
        pos = self.position_of(loc)
        return f"{self.name}:{pos[0]}:{pos[1]}" if pos else self.name

    def position_of(self, loc: Sequence[object]) -> tuple[int, int] | None:
        """1-based (line, column) of the deepest existing node on ``loc``."""
        if self._tree is None:
            from engine.reading import yamlfast

            if self._lines is None and self._text is not None:  # read quickly, without lines: read again
                self._lines = yamlfast.scan(self._text).lines
            return yamlfast.position_of(self._lines, loc)
        node = self._tree
        pos = None
        for part in loc:
            lc = getattr(node, "lc", None)
            try:
                if isinstance(part, int) and isinstance(node, list):
                    if lc is not None:
                        line, col = lc.item(part)
                        pos = (line + 1, col + 1)
                    node = node[part]
                elif isinstance(node, dict) and part in node:
                    if lc is not None:
                        line, col = lc.key(part)
                        pos = (line + 1, col + 1)
                    node = node[part]
                else:
                    break
            except (KeyError, IndexError, TypeError):
                break
        if pos is None and getattr(self._tree, "lc", None) is not None:
            pos = (self._tree.lc.line + 1, self._tree.lc.col + 1)
        return pos


def _plain(node: Any) -> Any:
    """Turn ruamel's commented containers into plain dicts and lists, and a '!!str' value into its text (the only
    tag allowed on a scalar; the round-trip loader wraps it when the document also has anchors)."""
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, (int, float)) else k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if node.__class__.__name__ == "TaggedScalar" and str(getattr(node, "tag", "")).endswith(":str"):
        return str(node.value)
    return node


_YAML_CLASS: Any = None


def _yaml():
    """The round-trip loader; an impossible date (2025-13-01) or a number without digits ('+_') stays text,
    as in :mod:`engine.reading.yamlfast`."""
    global _YAML_CLASS
    from ruamel.yaml import YAML

    if _YAML_CLASS is None:
        from ruamel.yaml.constructor import RoundTripConstructor

        from engine.reading.yamlfast import digitless

        class Constructor(RoundTripConstructor):
            def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
                try:
                    return super().construct_yaml_timestamp(node, values)
                except ValueError:
                    return str(node.value)

            def construct_yaml_int(self, node: Any) -> Any:
                return str(node.value) if digitless(node.value) else super().construct_yaml_int(node)

            def construct_yaml_float(self, node: Any) -> Any:
                return str(node.value) if digitless(node.value) else super().construct_yaml_float(node)

        def construct_text(self: Any, node: Any) -> str:  # '<<' or '=' as a value, not as a key
            return str(node.value)

        Constructor.add_constructor("tag:yaml.org,2002:merge", construct_text)
        Constructor.add_constructor("tag:yaml.org,2002:value", construct_text)
        Constructor.add_constructor("tag:yaml.org,2002:timestamp", Constructor.construct_yaml_timestamp)
        Constructor.add_constructor("tag:yaml.org,2002:int", Constructor.construct_yaml_int)
        Constructor.add_constructor("tag:yaml.org,2002:float", Constructor.construct_yaml_float)
        _YAML_CLASS = Constructor
    yaml = YAML(typ="rt")
    yaml.Constructor = _YAML_CLASS
    yaml.allow_duplicate_keys = False
    return yaml


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} kB"


def _too_large(shown: str, size: int | None) -> InputError:
    given = f"{_size(size)}; " if size is not None else ""
    return InputError([Problem(shown, f"bestand is te groot / file is too large ({given}maximum {_size(MAX_BYTES)})",
                               suggestion="een voorstel is een paar kilobyte; controleer of dit het goede bestand "
                                          "is / a proposal is a few kilobytes; check this is the right file")])


class NotRegular(OSError):
    """The path is a FIFO, device or socket: opening or reading it could block or never end."""


def read_regular(path: str | Path, limit: int, size_hint: int = 0) -> bytes:
    """At most ``limit`` bytes of a regular file; anything else is refused before a single byte is read.

    The file is opened without blocking (a FIFO would otherwise wait for a
    writer for ever) and checked again on the open descriptor, so a file
    swapped for a FIFO between the check and the open is refused too.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise NotRegular(f"{path}: not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            # The size just found is a good guess (a buffer of the limit for a file of a few kB costs more than
            # reading it); a file that grew meanwhile is read on, to at most ``limit`` bytes in all.
            guess = min(size_hint + 1, limit) if size_hint else limit
            raw = fh.read(guess)
            if len(raw) >= guess and guess < limit:
                raw += fh.read(limit - len(raw))
        return raw
    finally:
        os.close(fd)


def not_regular(shown: str) -> InputError:
    """The message for an input that is a FIFO, device or socket instead of a file."""
    return InputError([Problem(shown, "geen gewoon bestand (apparaat, FIFO of socket) / not a regular file (device, "
                                      "FIFO or socket)",
                               suggestion="geef een gewoon bestand op / give a regular file")])


def load_document(path: str | Path, *, what: str = "bestand") -> LoadedDocument:
    """Load one YAML/JSON file, turning every read or syntax problem into an InputError.

    The size is checked before reading, and at most :data:`MAX_BYTES` + 1 bytes are read.
    """
    p = Path(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        raise InputError([Problem(display_path(p), "bestand bestaat niet / file does not exist",
                                  suggestion="controleer het pad / check the path")])
    except ValueError:  # a NUL byte in the name
        raise InputError([Problem(repr(str(p)), "ongeldige bestandsnaam / invalid file name")])
    except OSError as exc:
        raise InputError([Problem(display_path(p), f"kan niet lezen / cannot read: {exc.strerror}")])
    if stat.S_ISDIR(info.st_mode):
        raise InputError([Problem(display_path(p), "dit is een map, geen bestand / this is a folder, not a file")])
    if not stat.S_ISREG(info.st_mode):
        raise not_regular(display_path(p))
    if info.st_size > MAX_BYTES:
        raise _too_large(display_path(p), info.st_size)
    try:
        raw = read_regular(p, MAX_BYTES + 1, size_hint=info.st_size)
    except NotRegular:
        raise not_regular(display_path(p))
    except PermissionError as exc:
        raise InputError([Problem(display_path(p), f"kan niet lezen / cannot read: {exc.strerror}",
                                  suggestion="controleer de leesrechten van het bestand / check the file's read "
                                             "permissions")])
    except OSError as exc:
        raise InputError([Problem(display_path(p), f"kan niet lezen / cannot read: {exc.strerror}")])
    if len(raw) > MAX_BYTES:  # not a regular file, or it grew while being read
        raise _too_large(display_path(p), None)
    return parse_document(p, raw, what=what)


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _only_comments(text: str) -> bool:
    """Whether every line is blank or a comment (the same as testing each of ``text.splitlines()``, without
    splitting a whole file to find that its second line holds a field)."""
    pos = 0
    while True:
        first = _NON_SPACE.search(text, pos)
        if first is None:
            return True
        if text[first.start()] != "#":
            return False
        end = _LINE_END.search(text, first.start())
        if end is None:
            return True
        pos = end.end()


def _decode(shown: str, raw: bytes) -> str:
    """The text of a file, or an InputError saying why it is not UTF-8 text."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16: the same first two bytes
        raise InputError([Problem(shown, "UTF-32-tekst; verwacht UTF-8 / UTF-32 text; expected UTF-8", line=1,
                                  column=1, suggestion="sla het bestand op als UTF-8 / save the file as UTF-8")])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError([Problem(shown, "UTF-16-tekst; verwacht UTF-8 / UTF-16 text; expected UTF-8", line=1,
                                  column=1, suggestion="sla het bestand op als UTF-8 / save the file as UTF-8")])
    kind = next((name for magic, name in _BINARY.items() if raw.startswith(magic)), None)
    if kind is not None:
        raise InputError([Problem(shown, f"binair bestand ({kind}), geen tekst / binary file ({kind}), not text",
                                  line=1, column=1, suggestion=_TEXT_FILE)])
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _position(raw[:nul].decode("utf-8", "replace"), nul)
        raise InputError([Problem(shown, "bevat nul-bytes: binair bestand, geen tekst / contains NUL bytes: binary "
                                  "file, not text", line=line, column=col, suggestion=_TEXT_FILE)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start].decode("utf-8", "replace")
        line, col = _position(before, len(before))
        raise InputError([Problem(shown, f"geen geldige UTF-8-tekst / not valid UTF-8 text (byte 0x{raw[exc.start]:02x})",
                                  line=line, column=col,
                                  suggestion="sla het bestand op als UTF-8 / save the file as UTF-8")])
    text = text[1:] if text.startswith("\ufeff") else text  # a UTF-8 byte order mark is accepted
    bad = _FORBIDDEN.search(text) if raw.translate(None, _ALLOWED_BYTES) else None
    if bad:
        line, col = _position(text, bad.start())
        raise InputError([Problem(shown, f"teken U+{ord(bad.group()):04X} is niet toegestaan / character is not allowed",
                                  line=line, column=col, suggestion="verwijder het teken / remove the character")])
    return text


# Common YAML syntax errors, in plain words: (part of libyaml's message, Dutch / English, suggestion).
_SYNTAX = (
    ("found character '\\t'", "tab gebruikt voor inspringing / tab used for indentation",
     "gebruik spaties in plaats van tabs / use spaces instead of tabs"),
    ("while scanning a quoted scalar", "aanhalingsteken niet gesloten / quote not closed",
     "sluit het aanhalingsteken / close the quote"),
    ("mapping values are not allowed", "onverwachte dubbele punt / unexpected colon",
     "zet tekst met ': ' tussen aanhalingstekens, of controleer de inspringing "
     "/ put text containing ': ' in quotes, or check the indentation"),
    ("did not find expected ',' or ']'", "lijst niet gesloten met ']' / list not closed with ']'",
     "sluit de lijst met ']' / close the list with ']'"),
    ("did not find expected ',' or '}'", "blok niet gesloten met '}' / block not closed with '}'",
     "sluit het blok met '}' / close the block with '}'"),
    ("did not find expected key", "inspringing klopt niet / indentation does not match",
     "zet velden van één blok precies onder elkaar / align the fields of one block"),
    ("did not find expected '-' indicator", "inspringing klopt niet / indentation does not match",
     "zet de items van een lijst precies onder elkaar / align the items of a list"),
    ("could not find expected ':'", "dubbele punt ontbreekt / colon missing",
     "schrijf 'veld: waarde' / write 'field: value'"),
    ("invalid Unicode character escape", "ongeldige Unicode-escape / invalid Unicode escape",
     "typ het teken zelf / type the character itself"),
)
# Strict-JSON errors (json module messages), in plain words.
_JSON = (
    ("Expecting value", "waarde verwacht / value expected"),
    ("Unterminated string", "aanhalingsteken niet gesloten / quote not closed"),
    ("Expecting ',' delimiter", "komma ontbreekt / comma missing"),
    ("Expecting ':' delimiter", "dubbele punt ontbreekt / colon missing"),
    ("Extra data", "tekst na het einde van het JSON-object / text after the end of the JSON object"),
    ("Invalid control character", "regeleinde of stuurteken in een tekst / line break or control character in a text"),
    ("Invalid \\escape", "ongeldige escape met \\ / invalid escape with \\"),
)
_SYNTAX_HINT = "controleer inspringing, dubbele punten en aanhalingstekens / check indentation, colons and quotes"


def _char_at(text: str, line: int, col: int) -> str:
    """The character at a 0-based line and column ('' past the end)."""
    lines = text.split("\n", line + 1)
    return lines[line][col:col + 1] if line < len(lines) else ""


def _syntax_problem(shown: str, exc: Any, text: str, label: str = "YAML-syntaxfout / YAML syntax error") -> Problem:
    """One line for a YAML syntax error, in plain words where the error is a common one."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    full = f"{context} {problem}"
    if mark is not None and "cannot start any token" in problem and _char_at(text, mark.line, mark.column) == "\t":
        full = "found character '\\t'"  # libyaml does not name the character
    for needle, words, hint in _SYNTAX:
        if needle in full:
            message, suggestion = words, hint
            break
    else:
        message, suggestion = problem or context or "syntaxfout / syntax error", _SYNTAX_HINT
    if exc.context_mark is not None and exc.context_mark is not mark and line is not None \
            and exc.context_mark.line + 1 != line:
        message += f" (begonnen op regel / started at line {exc.context_mark.line + 1})"
    return Problem(shown, f"{label}: {message}", line=line, column=col,
                   suggestion=suggestion)


def _json_problem(shown: str, text: str) -> Problem | None:
    """A strict-JSON error of a ``.json`` file, or None when it is valid JSON."""
    import json

    try:
        json.loads(text)
        return None
    except RecursionError:
        return Problem(shown, f"te diep genest (meer dan {MAX_DEPTH} niveaus) / nested too deeply (more than {MAX_DEPTH} "
                              f"levels)", line=1, column=1)
    except json.JSONDecodeError as exc:
        pos, msg = exc.pos, exc.msg
    before = text[:pos].rstrip()
    if msg.startswith("Illegal trailing comma"):  # Python 3.13+ says so itself, at the comma
        before = text[:pos + 1]
    if before.endswith(",") and (msg.startswith("Illegal trailing comma") or text[pos:pos + 1] in "]}"):
        line, col = _position(text, len(before) - 1)
        return Problem(shown, "JSON-syntaxfout / JSON syntax error: komma na het laatste element / trailing comma",
                       line=line, column=col, suggestion="verwijder de komma / remove the comma")
    line, col = _position(text, pos)
    if "double quotes" in msg:
        return Problem(shown, "JSON-syntaxfout / JSON syntax error: namen en teksten horen tussen dubbele "
                              "aanhalingstekens / names and texts go in double quotes", line=line, column=col,
                       suggestion="vervang enkele aanhalingstekens door dubbele / replace single quotes by double quotes")
    if not text[pos:].strip() and msg.startswith("Expecting"):
        return Problem(shown, "JSON-syntaxfout / JSON syntax error: onverwacht einde, een haakje is niet gesloten "
                              "/ unexpected end, a bracket is not closed", line=line, column=col,
                       suggestion="sluit elke '{' met '}' en elke '[' met ']' / close every '{' with '}' and every "
                                  "'[' with ']'")
    words = next((w for needle, w in _JSON if msg.startswith(needle)), msg)
    return Problem(shown, f"JSON-syntaxfout / JSON syntax error: {words}", line=line, column=col)


def _scan(shown: str, text: str, is_json: bool) -> Any:
    """Check the limits and build the plain data (:func:`engine.reading.yamlfast.scan`); problems as an InputError."""
    from ruamel.yaml.error import MarkedYAMLError

    from engine.reading import yamlfast

    try:
        try:
            return yamlfast.scan(text)
        except MarkedYAMLError as exc:
            if not yamlfast.has_c_parser():
                raise
            first = exc
        try:  # libyaml follows YAML 1.1 and refuses a few texts YAML 1.2 allows ('{:0: x}'): ask ruamel.yaml
            return yamlfast.scan(text, pure=True)
        except MarkedYAMLError:
            raise first from None
    except YamlProblem as exc:
        field = join_loc(exc.path[:4]) + ("…" if len(exc.path) > 4 else "") or None
        raise InputError([Problem(shown, exc.message, line=exc.line + 1, column=exc.column + 1, field=field,
                                  suggestion=exc.suggestion)])
    except MarkedYAMLError as exc:
        if is_json:
            raise InputError([_json_problem(shown, text) or _syntax_problem(shown, exc, text, "syntaxfout / syntax error")])
        raise InputError([_syntax_problem(shown, exc, text)])


def parse_document(path: Path, raw: bytes, *, what: str = "bestand") -> LoadedDocument:
    """Parse the bytes of a YAML/JSON file (``path`` names it in messages): the part of loading after reading."""
    shown = display_path(path)
    if len(raw) > MAX_BYTES:
        raise _too_large(shown, len(raw))
    text = _decode(shown, raw)
    if _only_comments(text):
        raise InputError([Problem(shown, f"leeg {what} / empty file", line=1, column=1,
                                  suggestion="begin met 'regiotoets new' of kopieer een voorbeeld uit scenarios/ "
                                             "/ start with 'regiotoets new' or copy an example from scenarios/")])
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    is_json = path.suffix.lower() == ".json"
    if is_json:  # strict JSON well inside the limits: json.loads alone (engine/reading/jsonfast.py)
        from engine.reading.jsonfast import NOT_FAST as NOT_JSON, fast_json

        data = fast_json(text)
        if data is not NOT_JSON:
            return LoadedDocument(path=path, raw=raw, data=data, _tree=None, _shown=shown, _text=text)
    from engine.reading.yamlfast import NOT_FAST, fast_data

    data = fast_data(text)
    if data is not NOT_FAST:
        if is_json:
            problem = _json_problem(shown, text)
            if problem is not None:
                raise InputError([problem])
        return LoadedDocument(path=path, raw=raw, data=data, _tree=None, _shown=shown, _text=text)
    scanned = _scan(shown, text, is_json)
    if is_json:
        problem = _json_problem(shown, text)
        if problem is not None:
            raise InputError([problem])
    if scanned.plain:
        return LoadedDocument(path=path, raw=raw, data=scanned.data, _tree=None, _lines=scanned.lines, _shown=shown)
    try:
        tree = _yaml().load(text)
    except MarkedYAMLError as exc:
        raise InputError([_syntax_problem(shown, exc, text)])
    except YAMLError as exc:
        raise InputError([Problem(shown, f"YAML-fout / YAML error: {exc}")])
    return LoadedDocument(path=path, raw=raw, data=_plain(tree), _tree=tree, _shown=shown)
