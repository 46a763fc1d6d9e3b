"""One pass over the YAML events: enforce the limits, and build plain data with a line index.

Every file (proposal or rule file) goes through :func:`scan` before anything
else parses it. The pass reads the parser's events one by one — libyaml's C
parser from ``ruamel.yaml.clib`` when installed, else ruamel.yaml's own — and
never recurses, so a hostile file is stopped before its cost explodes:

- nesting deeper than :data:`MAX_DEPTH` levels (a recursive parser would hit
  Python's recursion limit);
- more than :data:`MAX_NODES` values, counting what aliases expand to (an
  "alias bomb" grows exponentially when expanded);
- an alias that refers to itself, or to no anchor;
- a text longer than :data:`MAX_STRING` characters, an integer longer than
  :data:`MAX_DIGITS` characters;
- more than one YAML document, a duplicate key, a key that is not text (a
  list or block, a number, true/false, null, a date), a tag other than
  ``!!str``, ``!!map`` or ``!!seq``.

For what proposals and rule files are made of — mappings, sequences,
strings, null, booleans, numbers and dates — the same pass builds the plain
data and a line index, exactly as the round-trip loader would
(``tests/test_yamlfast.py`` checks both agree). On anything else (anchors,
merge keys, explicit tags, ``%YAML`` directives, date-times) it reports that
the document is not plain; the caller then uses the round-trip loader, which
is safe to run once the limits hold.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Callable

MAX_DEPTH = 50          # levels of nested mappings and lists
MAX_NODES = 100_000     # values in a document, aliases expanded
MAX_STRING = 20_000     # characters in one text (key or value)
MAX_DIGITS = 100        # characters in one integer

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_ALLOWED_TAGS = {"!", _STR, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


class YamlProblem(Exception):
    """A document the scan refuses: a limit, an alias, a duplicate key, a tag. Positions are 0-based."""

    def __init__(self, message: str, line: int, column: int, path: tuple = (), suggestion: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.path = path
        self.suggestion = suggestion


class MapLines:
    """Position of one mapping and, per key, the key's line and column and the value's index."""

    __slots__ = ("line", "col", "keys")

    def __init__(self, line: int, col: int, keys: dict[Any, list]):
        self.line = line
        self.col = col
        self.keys = keys


class SeqLines:
    """Position of one sequence and, per item, the item's line and column and index."""

    __slots__ = ("line", "col", "items")

    def __init__(self, line: int, col: int, items: list[tuple[int, int, Any]]):
        self.line = line
        self.col = col
        self.items = items


class Scanned:
    """The result of a scan: plain data and its line index, or ``plain=False`` (use the round-trip loader)."""

    __slots__ = ("data", "lines", "plain")

    def __init__(self, data: Any, lines: Any, plain: bool):
        self.data = data
        self.lines = lines
        self.plain = plain


_NOKEY = object()  # a mapping frame waiting for its next key


class _Frame:
    """One open mapping or sequence."""

    __slots__ = ("is_map", "data", "index", "anchor", "size", "key", "key_pos", "seen")

    def __init__(self, is_map: bool, data: Any, index: Any, anchor: str | None):
        self.is_map = is_map
        self.data = data
        self.index = index
        self.anchor = anchor
        self.size = 1
        self.key: Any = _NOKEY
        self.key_pos: tuple[int, int] = (0, 0)
        self.seen: dict[Any, int] = {}


def _path(stack: list[_Frame]) -> tuple:
    """The field path of the value being read (as a pydantic location)."""
    out: list[Any] = []
    for f in stack:
        if f.is_map:
            if f.key is _NOKEY:
                break
            out.append(str(f.key) if not isinstance(f.key, (int, float)) else f.key)
        else:
            out.append(len(f.data))
    return tuple(out)


def _setup() -> Any:
    """The pieces the scan needs, built once: event classes, resolver, constructors, event source."""
    from ruamel.yaml import events as E
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver
    from ruamel.yaml.util import create_timestamp, timestamp_regexp

    try:
        from _ruamel_yaml import CParser
    except ImportError:  # no C parser: ruamel.yaml's own parser gives the same events, slower
        CParser = None

    resolver = VersionedResolver()  # YAML 1.2, as the round-trip loader uses
    resolved: dict[str, str] = {}

    def resolve(value: str) -> str:
        t = resolved.get(value)
        if t is None:
            if len(resolved) > 50_000:
                resolved.clear()
            t = resolved[value] = str(resolver.resolve(ScalarNode, value, (True, False)))
        return t

    class _Shim:
        """Just enough of a constructor to call the round-trip number constructors."""

        class resolver:
            processing_version = (1, 2)

        inf_value = RoundTripConstructor.inf_value
        nan_value = RoundTripConstructor.nan_value

        @staticmethod
        def construct_scalar(node: Any) -> Any:
            return node.value

    shim = _Shim()

    class _Node:
        """Just enough of a scalar node for the number constructors."""

        __slots__ = ("value",)
        anchor = None

        def __init__(self, value: str):
            self.value = value

    construct_float = RoundTripConstructor.construct_yaml_float
    construct_int = RoundTripConstructor.construct_yaml_int

    def events(text: str, pure: bool) -> Callable[[], Any]:
        """A function giving the next event of the text, then None."""
        if CParser is None or pure:
            from ruamel.yaml import YAML

            return functools.partial(next, iter(YAML(typ="rt", pure=True).parse(text)), None)
        return CParser(text).get_event

    return (E.ScalarEvent, E.MappingStartEvent, E.SequenceStartEvent, E.MappingEndEvent, E.SequenceEndEvent,
            E.AliasEvent, E.DocumentStartEvent, resolve, shim, _Node, construct_float, construct_int,
            create_timestamp, timestamp_regexp, events, CParser is not None)


_SETUP: Any = None


def _parts() -> Any:
    global _SETUP
    if _SETUP is None:
        _SETUP = _setup()
    return _SETUP


def scan(text: str, *, pure: bool = False) -> Scanned:
    """Check the limits of one YAML text and build its plain data when it is plain.

    Raises :class:`YamlProblem` for a document over a limit or otherwise refused, and
    ruamel.yaml's ``MarkedYAMLError`` for a syntax error (both with a position).
    ``pure`` reads the events with ruamel.yaml's own parser even when the C parser is there.
    """
    return _Scanner(_parts()).run(text, pure)


class _Scanner:
    """The state of one pass: the open collections, the anchors seen, the counts that the limits bound."""

    def __init__(self, parts: tuple) -> None:
        self.parts = parts
        self.stack: list[_Frame] = []
        self.finished: dict[str, int] = {}  # anchor -> size of its value, aliases expanded
        self.opened: set[str] = set()
        self.scalars: set[str] = set()  # anchors of texts, numbers, …: an alias to one may be a key
        self.nodes = 0
        self.documents = 0
        self.plain = True
        self.result: Any = (None, None)

    def run(self, text: str, pure: bool) -> Scanned:
        parts = self.parts
        Scalar, MapStart, SeqStart, MapEnd, SeqEnd, Alias, DocStart = parts[:7]
        next_event = parts[14](text, pure)
        while (ev := next_event()) is not None:
            cls = ev.__class__
            if cls is Scalar:
                self.on_scalar(ev)
            elif cls is MapStart or cls is SeqStart:
                self.on_start(ev, cls is MapStart)
            elif cls is MapEnd or cls is SeqEnd:
                self.on_end(ev)
            elif cls is Alias:
                self.on_alias(ev)
            elif cls is DocStart:
                self.on_document(ev)
        data, index = self.result
        return Scanned(data, index, self.plain)

    # --- one method per kind of event ---------------------------------------------------------------

    def on_scalar(self, ev: Any) -> None:
        if ev.anchor is not None:
            self.anchor(ev)
            self.finished[ev.anchor] = 1
            self.scalars.add(ev.anchor)
        self.count(1, ev.start_mark)
        mark = ev.start_mark
        value = self.scalar(ev)
        if value.__class__ is not str and value.__class__ is not _Unhashable and self.expects_key():
            if not ev.value:
                raise self.refuse("sleutel zonder naam / key without a name", mark,
                                  "zet de veldnaam vóór de dubbele punt / put the field name before the colon")
            raise self.refuse(f"sleutel '{ev.value}' is geen naam maar {_key_kind(value)} / key '{ev.value}' is not "
                              f"a name but {_key_kind(value, 'en')}", mark,
                              f"zet de sleutel tussen aanhalingstekens ('{ev.value}':) of gebruik de bedoelde "
                              f"veldnaam / quote the key ('{ev.value}':) or use the intended field name")
        self.add(value, None, mark.line, mark.column, 1, True)

    def on_start(self, ev: Any, is_map: bool) -> None:
        mark = ev.start_mark
        if len(self.stack) >= MAX_DEPTH:
            raise self.refuse(f"te diep genest (meer dan {MAX_DEPTH} niveaus) / nested too deeply (more than "
                              f"{MAX_DEPTH} levels)", mark)
        if self.expects_key():
            self.add(None, None, mark.line, mark.column, 0, False)  # raises: a list or block as a key
        if ev.tag is not None and ev.tag != "!":
            if ev.tag not in _ALLOWED_TAGS:
                raise self.refuse(f"tag '{_short(ev.tag)}' wordt niet ondersteund / tag is not supported", mark,
                                  "laat de tag weg / remove the tag")
            self.plain = False
        if ev.anchor is not None:
            self.anchor(ev)
            self.opened.add(ev.anchor)
        if is_map:
            self.stack.append(_Frame(True, {}, MapLines(mark.line, mark.column, {}), ev.anchor))
        else:
            self.stack.append(_Frame(False, [], SeqLines(mark.line, mark.column, []), ev.anchor))

    def on_end(self, ev: Any) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.finished[frame.anchor] = frame.size
            self.opened.discard(frame.anchor)
        self.count(1, ev.start_mark)
        index = frame.index
        self.add(frame.data, index, index.line, index.col, frame.size, False)

    def on_alias(self, ev: Any) -> None:
        name = ev.anchor
        if name in self.opened:
            raise self.refuse(f"alias *{name} verwijst naar zichzelf / alias refers to itself", ev.start_mark,
                              "schrijf de waarde uit / write the value out")
        if name not in self.finished:
            raise self.refuse(f"alias *{name} verwijst naar geen anker / alias refers to no anchor", ev.start_mark,
                              f"zet eerst een anker &{name} / define an anchor &{name} first")
        self.plain = False
        self.count(self.finished[name], ev.start_mark)
        mark = ev.start_mark
        self.add(_Unhashable(f"*{name}"), None, mark.line, mark.column, self.finished[name], name in self.scalars)

    def on_document(self, ev: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            raise YamlProblem("meer dan één YAML-document in het bestand / more than one YAML document in "
                              "the file", ev.start_mark.line, ev.start_mark.column, (),
                              "verwijder de regel '---' of zet elk voorstel in een eigen bestand "
                              "/ remove the '---' line or put each proposal in a file of its own")
        if ev.version is not None:
            self.plain = False  # %YAML directive: the round-trip loader follows that version

    # --- building the data -------------------------------------------------------------------------

    def add(self, value: Any, index: Any, line: int, col: int, size: int, is_scalar: bool) -> None:
        """Put a finished value into its parent (or make it the document)."""
        stack = self.stack
        if not stack:
            self.result = (value, index)
            return
        parent = stack[-1]
        parent.size += size
        if not parent.is_map:
            parent.data.append(value)
            parent.index.items.append((line, col, index))
            return
        if parent.key is _NOKEY:
            if not is_scalar:
                raise self.refuse("een sleutel moet een naam zijn, geen lijst of blok / a key must be a name, "
                                  "not a list or a block", _Mark(line, col))
            if value.__class__ is _Unhashable:
                self.plain = False  # an alias or a merge key: the round-trip loader resolves it
            elif value in parent.seen:
                first = parent.seen[value]
                parent.key = value
                raise self.refuse(f"sleutel '{value}' komt twee keer voor (eerst op regel {first + 1}) "
                                  f"/ duplicate key (first on line {first + 1})", _Mark(line, col),
                                  "houd er één over / keep only one of them")
            parent.seen[value] = line
            parent.key = value
            parent.key_pos = (line, col)
            return
        key = parent.key
        name = str(key) if not isinstance(key, (int, float)) else key
        if name in parent.data:
            self.plain = False  # two keys that only differ in type (True and "True")
        parent.data[name] = value
        parent.index.keys[key] = [parent.key_pos[0], parent.key_pos[1], index]
        parent.key = _NOKEY

    def scalar(self, ev: Any) -> Any:
        """The value of a scalar event, as the round-trip loader constructs it."""
        value = ev.value
        if len(value) > MAX_STRING:
            raise self.refuse(f"tekst is te lang ({len(value)} tekens; maximum {MAX_STRING}) / text is too long "
                              f"({len(value)} characters; maximum {MAX_STRING})", ev.start_mark,
                              "kort de tekst in / shorten the text")
        if ev.style == '"' and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:  # "\ud800": ruamel.yaml's own parser lets a lone surrogate through
                raise self.refuse(f"ongeldig teken / invalid character (U+{ord(value[exc.start]):04X}, een losse "
                                  f"surrogaat / a lone surrogate)", ev.start_mark,
                                  "typ het teken zelf / type the character itself") from None
        tag = ev.tag
        if tag is not None and tag != "!":
            if tag not in _ALLOWED_TAGS:
                raise self.refuse(f"tag '{_short(tag)}' wordt niet ondersteund / tag is not supported", ev.start_mark,
                                  "laat de tag weg / remove the tag")
            if tag != _STR:
                self.plain = False
            return value  # '!!str': the text as written (the round-trip loader would wrap it)
        if not ev.implicit[0]:
            return value
        kind = self.parts[7](value)
        if kind == _STR:
            return value
        if kind in _CONVERTED:
            try:
                return _convert(kind, value, self.parts)
            except _TooLong:
                raise self.refuse(f"getal is te lang ({len(value)} tekens; maximum {MAX_DIGITS}) / number is too "
                                  f"long ({len(value)} characters; maximum {MAX_DIGITS})", ev.start_mark) from None
            except _NotFast:  # a date-time: the round-trip loader builds it
                self.plain = False
                return value
        if kind.endswith((":merge", ":value")):
            if kind.endswith(":merge") and self.expects_key():
                return _Unhashable("<<")  # a merge key: the round-trip loader merges
            return value  # '<<' or '=' as a value is text, as in the round-trip loader
        self.plain = False  # another tag the round-trip loader handles
        return value

    # --- limits and refusals -----------------------------------------------------------------------

    def count(self, size: int, mark: Any) -> None:
        self.nodes += size
        if self.nodes > MAX_NODES:
            raise self.refuse(f"te veel waarden (meer dan {MAX_NODES}, aliassen uitgeschreven) / too many values "
                              f"(more than {MAX_NODES}, aliases expanded)", mark,
                              "een voorstel heeft er een paar honderd; gebruik geen aliassen (*naam) die elkaar "
                              "vermenigvuldigen / a proposal has a few hundred; don't use aliases (*name) that "
                              "multiply each other")

    def expects_key(self) -> bool:
        stack = self.stack
        return bool(stack) and stack[-1].is_map and stack[-1].key is _NOKEY

    def anchor(self, ev: Any) -> None:
        self.plain = False
        if ev.anchor in self.opened or ev.anchor in self.finished:
            raise self.refuse(f"anker &{ev.anchor} komt twee keer voor / anchor defined twice", ev.start_mark,
                              "geef elk anker een eigen naam / give each anchor a name of its own")

    def refuse(self, message: str, mark: Any, suggestion: str | None = None) -> YamlProblem:
        return YamlProblem(message, mark.line, mark.column, _path(self.stack), suggestion)


class _NotFast(Exception):
    """:func:`fast_data` leaves this document to :func:`scan`."""


class _TooLong(_NotFast):
    """An integer over :data:`MAX_DIGITS` characters: :func:`scan` refuses it."""


_CONVERTED = frozenset((_NULL, _BOOL, _INT, _FLOAT, _TIMESTAMP))  # the kinds :func:`_convert` builds


NOT_FAST = object()
_SEQ = object()  # the open container is a sequence
_TOP = object()  # no open container: the value is the document


def fast_data(text: str) -> Any:
    """The plain data of a text, or :data:`NOT_FAST`: leave it to :func:`scan`.

    The everyday proposal — mappings with text keys, sequences, texts,
    numbers, booleans, null and dates, within every limit — is read here in
    a tighter loop than :func:`scan`'s, without a line index (a line is only
    needed for an error message: :func:`scan` builds the index then). On
    anything else — an error, a limit reached, an anchor, an alias, a tag, a
    key that is not text, a second document, a directive — it stops and
    :func:`scan` reads the document, giving its error or its data, so both
    always agree (``tests/test_yamlfast.py``).
    """
    parts = _parts()
    if not parts[-1]:
        return NOT_FAST
    try:
        return _Block(text, parts).document()
    except Exception:  # anything the block reader leaves alone: the event pass reads it
        pass
    try:
        return _fast(text, parts)
    except Exception:  # _NotFast, a syntax error, anything: scan decides
        return NOT_FAST


# --------------------------------------------------------------------------- plain block YAML, read by lines

# Characters the block reader leaves to the parser: tabs, carriage returns, the line breaks YAML knows besides
# '\n', control characters, byte order marks, surrogates and non-characters.
_ODD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_.*-]*")
# Longer documents (rule files, read once per process) go straight to the event pass: in a fresh process the
# line reader does not pay off on them. Proposals are a few thousand characters.
BLOCK_READER_LIMIT = 8192
# A flow collection or a block scalar that goes on to the next line: seen before reading, not halfway.
_OVER_LINES = re.compile(r"[\[{,] *\n|: *[|>][-+0-9]* *\n")
_ENTRY = re.compile(r"([A-Za-z][A-Za-z0-9_.*-]*):(?: +(.+))?")
_NOT_TEXT_KEYS = frozenset(("null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"))
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_STOP = re.compile(r"[,\[\]{}:#]")


def _signed(text: str, i: int) -> bool:
    """A plain value that starts with '-' and goes on with a digit or a point (a negative number, say)."""
    return text[i] == "-" and text[i + 1:i + 2] in _DIGIT_OR_POINT


_DIGIT_OR_POINT = frozenset("0123456789.")


class _Block:
    """A reader for the everyday shape of a proposal or rule file, line by line, without the YAML parser's events:
    block mappings with name keys, block sequences, and one-line flow mappings and lists of plain and quoted
    texts, numbers, booleans, null and dates. Anything else — a block scalar, a text over several lines, a quoted
    key, an escape, a tab, an anchor, a tag, a directive, any doubt — raises, and the event pass reads the
    document (so both always agree: ``tests/test_yamlfast.py``). Plain values are typed exactly as the event
    pass types them (:func:`_plain_scalar`). A document under :data:`BLOCK_READER_LIMIT` characters cannot hold
    more values than that (far fewer than :data:`MAX_NODES`), so the reader does not count them."""

    __slots__ = ("lines", "pos", "parts")

    def __init__(self, text: str, parts: Any):
        if len(text) >= BLOCK_READER_LIMIT or _ODD.search(text) or _OVER_LINES.search(text):
            raise _NotFast
        self.lines: list[tuple[int, str]] = []  # (indent, content) of every line that holds something
        add = self.lines.append
        for line in text.split("\n"):
            content = line.lstrip(" ")
            if not content or content[0] == "#":
                continue
            if content[0] in "-.%" and len(content) == len(line) and content.startswith(("---", "...", "%")):
                raise _NotFast  # a document marker or a directive
            add((len(line) - len(content), content.rstrip(" ")))
        self.pos = 0
        self.parts = parts

    def document(self) -> Any:
        if not self.lines or self.lines[0][0] != 0:
            raise _NotFast
        data = self.block(0, 1)
        if self.pos != len(self.lines):
            raise _NotFast
        return data

    def block(self, indent: int, depth: int) -> Any:
        if depth > MAX_DEPTH - 2:
            raise _NotFast
        lines = self.lines
        count = len(lines)
        inline = self.inline
        if lines[self.pos][1][0] == "-":
            out_list: list[Any] = []
            while self.pos < count:
                at, content = lines[self.pos]
                if at < indent:
                    break
                if at != indent or content[:2] != "- ":
                    raise _NotFast
                rest = content[2:].lstrip(" ")
                match = _KEY.match(rest)
                if match is not None and rest[match.end():match.end() + 2] in (":", ": "):
                    # '- key: value': a mapping whose keys stand where this key stands
                    inner = len(content) - len(rest) + indent
                    lines[self.pos] = (inner, rest)
                    out_list.append(self.block(inner, depth + 1))
                    continue
                self.pos += 1
                out_list.append(inline(rest, depth + 1, True))
                if self.pos < count and lines[self.pos][0] > indent:
                    raise _NotFast  # a deeper line would continue the value
            return out_list
        out: dict[str, Any] = {}
        entry = _ENTRY.fullmatch
        while self.pos < count:
            at, content = lines[self.pos]
            if at != indent:
                if at < indent:
                    break
                raise _NotFast
            match = entry(content)
            if match is None:
                raise _NotFast
            key, rest = match.groups()
            if key in out or key in _NOT_TEXT_KEYS or len(key) > MAX_STRING:
                raise _NotFast
            self.pos += 1
            if rest is None or rest[0] == "#":
                if self.pos < count and lines[self.pos][0] > indent:
                    out[key] = self.block(lines[self.pos][0], depth + 1)
                else:
                    out[key] = None
                continue
            out[key] = inline(rest, depth + 1, False)
            if self.pos < count and lines[self.pos][0] > indent:
                raise _NotFast  # a deeper line would continue the value
        return out

    def inline(self, rest: str, depth: int, in_list: bool) -> Any:
        """The value written after a key (or a '- '), up to the end of the line."""
        first = rest[0]
        if first == "{" or first == "[":
            value, end = self.flow(rest, 0, depth)
            self.end_of_line(rest, end)
            return value
        if first == '"' or first == "'":
            value, end = self.quoted(rest, 0)
            self.end_of_line(rest, end)
            return value
        if first in _PLAIN_START and not _signed(rest, 0):
            raise _NotFast
        cut = rest.find(" #")
        value = rest if cut < 0 else rest[:cut].rstrip(" ")
        if ": " in value or value.endswith(":") or (in_list and value.startswith("- ")):
            raise _NotFast
        return self.plain(value)

    @staticmethod
    def end_of_line(rest: str, end: int) -> None:
        """Only a comment may follow a flow collection or a quoted text on its line."""
        tail = rest[end:]
        if tail and (tail[0] != " " or tail.lstrip(" ")[0] != "#"):
            raise _NotFast

    def plain(self, value: str) -> Any:
        if len(value) > MAX_STRING:
            raise _NotFast
        kind = _KINDS.get(value)
        if kind is _STR:
            return value
        if kind is _CONST:
            return _CONSTS[value]
        return _plain_scalar(value, kind, self.parts)

    def quoted(self, text: str, start: int) -> tuple[str, int]:
        """A quoted text on one line, without escapes: its value and where it ends."""
        quote = text[start]
        if quote == '"':
            end = text.find('"', start + 1)
            if end < 0:
                raise _NotFast
            value = text[start + 1:end]
            if "\\" in value:
                raise _NotFast
        else:
            end = start
            while True:
                end = text.find("'", end + 1)
                if end < 0:
                    raise _NotFast
                if text[end + 1:end + 2] != "'":
                    break
                end += 1
            value = text[start + 1:end].replace("''", "'")
        if len(value) > MAX_STRING:
            raise _NotFast
        return value, end + 1

    def flow(self, text: str, start: int, depth: int) -> tuple[Any, int]:
        """A flow mapping or list that closes on the same line: its value and where it ends."""
        if depth > MAX_DEPTH - 2:
            raise _NotFast
        is_map = text[start] == "{"
        close = "}" if is_map else "]"
        out: Any = {} if is_map else []
        i = self.skip(text, start + 1)
        if text[i:i + 1] == close:
            return out, i + 1
        while True:
            if is_map:
                match = _KEY.match(text, i)
                if match is None:
                    raise _NotFast
                key = match.group()
                i = match.end()
                if key in _NOT_TEXT_KEYS or key in out or text[i:i + 2] != ": " or len(key) > MAX_STRING:
                    raise _NotFast
                value, i = self.flow_value(text, self.skip(text, i + 1), depth)
                out[key] = value
            else:
                value, i = self.flow_value(text, i, depth)
                out.append(value)
            i = self.skip(text, i)
            ch = text[i:i + 1]
            if ch == close:
                return out, i + 1
            if ch != ",":
                raise _NotFast
            i = self.skip(text, i + 1)
            if text[i:i + 1] in (close, ",", ""):
                raise _NotFast  # a trailing or doubled comma

    @staticmethod
    def skip(text: str, i: int) -> int:
        while text[i:i + 1] == " ":
            i += 1
        return i

    def flow_value(self, text: str, i: int, depth: int) -> tuple[Any, int]:
        first = text[i:i + 1]
        if first == "{" or first == "[":
            return self.flow(text, i, depth + 1)
        if first == '"' or first == "'":
            return self.quoted(text, i)
        if not first or (first in _PLAIN_START and not _signed(text, i)):
            raise _NotFast
        match = _FLOW_STOP.search(text, i)
        if match is None:
            raise _NotFast
        end = match.start()
        if text[end] in ":#":
            raise _NotFast
        return self.plain(text[i:end].rstrip(" ")), end


def _fast(text: str, parts: Any) -> Any:
    (Scalar, MapStart, SeqStart, MapEnd, SeqEnd, Alias, DocStart, resolve, shim, Node, construct_float,
     construct_int, create_timestamp, timestamp_regexp, events, _) = parts
    kinds, consts = _KINDS, _CONSTS
    text_kind, const_kind, no_key, in_seq, top = _STR, _CONST, _NOKEY, _SEQ, _TOP
    get = events(text, False)
    stack: list[tuple[Any, Any]] = []
    push = stack.append
    pop = stack.pop
    cur: Any = None
    key: Any = top
    nodes = 0
    documents = 0
    result: Any = None
    max_string, max_nodes = MAX_STRING, MAX_NODES
    while (ev := get()) is not None:
        cls = ev.__class__
        if cls is Scalar:
            if ev.anchor is not None or ev.ctag is not None:  # ctag: the tag as given, without a conversion
                raise _NotFast
            value = ev.value
            if len(value) > max_string:
                raise _NotFast
            if ev.implicit[0]:
                kind = kinds.get(value)
                if kind is not text_kind:
                    value = consts[value] if kind is const_kind else _plain_scalar(value, kind, parts)
            elif ev.style == '"' and not value.isascii():
                value.encode("utf-8")  # a lone surrogate raises: scan reports it
        elif cls is MapStart or cls is SeqStart:
            if ev.anchor is not None or ev.ctag is not None or key is no_key or len(stack) >= MAX_DEPTH:
                raise _NotFast
            push((cur, key))
            if cls is MapStart:
                cur, key = {}, no_key
            else:
                cur, key = [], in_seq
            continue
        elif cls is MapEnd or cls is SeqEnd:
            value = cur
            cur, key = pop()
        elif cls is DocStart:
            documents += 1
            if documents > 1 or ev.version is not None:
                raise _NotFast
            continue
        elif cls is Alias:
            raise _NotFast
        else:
            continue
        nodes += 1
        if nodes > max_nodes:
            raise _NotFast
        if key is no_key:
            if value.__class__ is not str or value in cur:
                raise _NotFast  # a key that is no text, or a duplicate key
            key = value
        elif key is in_seq:
            cur.append(value)
        elif key is top:
            result = value
        else:
            cur[key] = value
            key = no_key
    return result


_KINDS: dict[str, str] = {}  # plain scalar -> the tag YAML 1.2 resolves it to, or _CONST
_CONSTS: dict[str, Any] = {}  # plain scalar -> its value, for null, booleans and plain integers
_CONST = "const"
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")


def _plain_scalar(value: str, kind: str | None, parts: Any) -> Any:
    """A plain scalar seen for the first time, or one whose value is built anew each time (floats, dates)."""
    if kind is None:
        kind = parts[7](value)  # resolve
        if kind == _STR:
            kind = _STR  # one object: the quick pass tests it by identity
        if len(_KINDS) > 10_000:
            _KINDS.clear()
            _CONSTS.clear()
        if kind in (_NULL, _BOOL) or (kind == _INT and _PLAIN_INT.fullmatch(value)):
            _CONSTS[value] = _convert(kind, value, parts)  # None, a bool or an int: the same object will do
            _KINDS[value] = _CONST
            return _CONSTS[value]
        if len(value) <= 200:  # names and answers repeat from file to file; long free texts rarely do
            _KINDS[value] = kind
    if kind is _STR:
        return value
    return _convert(kind, value, parts)


def _convert(kind: str, value: str, parts: Any) -> Any:
    """A plain scalar of a kind in :data:`_CONVERTED`, as the round-trip loader constructs it.

    Raises :class:`_TooLong` for an integer over the limit and :class:`_NotFast` for a date-time (which
    makes a document not plain), and for any other kind.
    """
    if kind == _NULL:
        return None
    if kind == _BOOL:
        return value.lower() == "true"
    shim, Node, construct_float, construct_int, create_timestamp, timestamp_regexp = parts[8:14]
    if kind == _INT or kind == _FLOAT:
        if len(value) > MAX_DIGITS and kind == _INT:
            raise _TooLong
        if digitless(value):
            return value
        return (construct_int if kind == _INT else construct_float)(shim, Node(value))
    if kind == _TIMESTAMP:
        match = timestamp_regexp.match(value)
        if match is None:
            return value
        if match.group("hour"):
            raise _NotFast
        try:
            return create_timestamp(**match.groupdict())
        except ValueError:
            return value
    raise _NotFast


def digitless(value: str) -> bool:
    """A 'number' of only signs and underscores ('+_', '0x_', '._'): YAML's patterns match it, but it is
    no number and ruamel.yaml's constructors fail on it, so both loaders keep it as text."""
    if "_" not in value:
        return False
    rest = value.lstrip("+-")
    if rest[:2] in ("0x", "0o"):
        rest = rest[2:]
    return not any(ch.isalnum() for ch in rest)


def _key_kind(value: Any, lang: str = "nl") -> str:
    """What a key that is not text was read as: YAML takes 'true', '12' and 'null' for values, not names."""
    if value is None:
        return "leeg (null)" if lang == "nl" else "empty (null)"
    if isinstance(value, bool):
        return "een ja/nee-waarde (true/false)" if lang == "nl" else "a boolean (true/false)"
    if isinstance(value, (int, float)):
        return "een getal" if lang == "nl" else "a number"
    return "een datum" if lang == "nl" else "a date"


def _short(tag: str) -> str:
    """A tag as it is written: ``!!binary`` rather than ``tag:yaml.org,2002:binary``."""
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


class _Mark:
    __slots__ = ("line", "column")

    def __init__(self, line: int, column: int):
        self.line = line
        self.column = column


class _Unhashable:
    """Stands for an alias or merge key while scanning a document that is not plain; never equal to a key."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __hash__(self) -> int:
        return id(self)

    def __str__(self) -> str:
        return self.text


def load(text: str) -> tuple[Any, Any] | None:
    """``(data, line index)`` for a plain YAML text, or None: refused, a syntax error, or not plain."""
    from ruamel.yaml.error import YAMLError

    try:
        scanned = scan(text)
    except (YamlProblem, YAMLError):
        return None
    if not scanned.plain:
        return None
    return scanned.data, scanned.lines


def has_c_parser() -> bool:
    """Whether the C parser is installed (the scan is then a few times faster)."""
    return bool(_parts()[-1])


def position_of(index: Any, loc: Any) -> tuple[int, int] | None:
    """1-based (line, column) of the deepest existing node on ``loc``, as the round-trip tree gives it."""
    node = index
    pos = None
    for part in loc:
        try:
            if isinstance(part, int) and isinstance(node, SeqLines):
                if part < 0:
                    break  # the round-trip tree keeps item lines by index, not by position
                line, col, node = node.items[part]
                pos = (line + 1, col + 1)
            elif isinstance(node, MapLines) and part in node.keys:
                line, col, node = node.keys[part]
                pos = (line + 1, col + 1)
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    if pos is None and isinstance(index, (MapLines, SeqLines)):
        pos = (index.line + 1, index.col + 1)
    return pos


def line_of(index: Any, loc: Any) -> int | None:
    """1-based line of the deepest existing node on ``loc``."""
    pos = position_of(index, loc)
    return pos[0] if pos else None
