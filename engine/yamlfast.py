"""A fast path for reading plain YAML documents, equal to the round-trip loader.

ruamel.yaml's round-trip loader records the line of every key and item, but
it is written in Python and costs milliseconds per proposal; loading a rule
set with it dominated the start-up of every command. When the C parser of
ruamel.yaml (``ruamel.yaml.clib``) is installed, this module composes the
node tree in C and builds plain data plus a small line index from it.

It handles what proposals and rule files are made of — mappings, sequences,
strings, null, booleans, numbers and dates — and gives up
(returns ``None``) on anything else: tags, anchors, merge keys, duplicate
keys, ``%YAML`` directives, syntax errors. The caller then uses the
round-trip loader, so every value and every error message stays exactly what
the round-trip loader gives; ``tests/test_yamlfast.py`` checks both agree.
"""

from __future__ import annotations

import re
from typing import Any

# A candidate anchor (&name) or alias (*name); the C composer does not report anchors.
_ANCHOR = re.compile(r"[&*][^\s\[\]{},]")
_BEFORE_ANCHOR = " \t\r\n[{,"


def _has_anchor(text: str) -> bool:
    """Whether the text may hold an anchor or alias (a '&' or '*' where YAML allows one)."""
    for match in _ANCHOR.finditer(text):
        i = match.start()
        if i == 0 or text[i - 1] in _BEFORE_ANCHOR:
            return True
    return False
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INTTAG = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class GiveUp(Exception):
    """The document uses something the fast path does not reproduce exactly."""


class MapLines:
    """Lines of one mapping: its own start line and, per key, the key's line and the value's index."""

    __slots__ = ("line", "keys")

    def __init__(self, line: int, keys: dict[Any, tuple[int, Any]]):
        self.line = line
        self.keys = keys


class SeqLines:
    """Lines of one sequence: its own start line and, per item, the item's line and index."""

    __slots__ = ("line", "items")

    def __init__(self, line: int, items: list[tuple[int, Any]]):
        self.line = line
        self.items = items


def _setup() -> Any:
    """Build the C composer class once; None when the C parser is not installed."""
    try:
        from _ruamel_yaml import CParser
    except ImportError:
        return None
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
    from ruamel.yaml.resolver import VersionedResolver
    from ruamel.yaml.tag import Tag
    from ruamel.yaml.util import create_timestamp, timestamp_regexp

    resolver = VersionedResolver()  # YAML 1.2, as the round-trip loader uses
    tags: dict[str, Any] = {}
    kinds: dict[int, str] = {}  # id of a cached Tag -> its name; explicit tags are new objects: give up
    resolved: dict[str, Any] = {}

    def tag(name: str) -> Any:
        t = tags.get(name)
        if t is None:
            t = tags[name] = Tag(suffix=name)
            kinds[id(t)] = name
        return t

    str_tag, map_tag, seq_tag = tag(_STR), tag(_MAP), tag(_SEQ)

    class Composer(CParser):  # type: ignore[misc, valid-type]
        """libyaml's parser and composer with a memoised YAML 1.2 scalar resolver."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is ScalarNode:
                if not implicit[0]:
                    return str_tag
                t = resolved.get(value)
                if t is None:
                    if len(resolved) > 50_000:
                        resolved.clear()
                    t = resolved[value] = tag(str(resolver.resolve(kind, value, implicit)))
                return t
            return map_tag if kind is MappingNode else seq_tag

        def descend_resolver(self, *_: Any) -> None:
            return None

        def ascend_resolver(self, *_: Any) -> None:
            return None

    class _Shim:
        """Just enough of a constructor to call the round-trip float constructor."""

        class resolver:
            processing_version = (1, 2)

        inf_value = RoundTripConstructor.inf_value
        nan_value = RoundTripConstructor.nan_value

        @staticmethod
        def construct_scalar(node: Any) -> Any:
            return node.value

    shim = _Shim()
    construct_float = RoundTripConstructor.construct_yaml_float
    construct_int = RoundTripConstructor.construct_yaml_int

    def scalar(node: Any) -> Any:
        if node.anchor is not None:
            raise GiveUp
        value = node.value
        t = node.ctag
        if t is str_tag:
            return value
        kind = kinds.get(id(t))
        if kind is None or tags.get(kind) is not t:
            raise GiveUp
        if kind == _NULL:
            return None
        if kind == _BOOL:
            return value.lower() == "true"
        if kind == _INTTAG:
            return construct_int(shim, node)
        if kind == _FLOAT:
            return construct_float(shim, node)
        if kind == _TIMESTAMP:
            match = timestamp_regexp.match(value)
            if match is None or match.group("hour"):
                raise GiveUp
            return create_timestamp(**match.groupdict())
        raise GiveUp

    def build(node: Any) -> tuple[Any, Any]:
        cls = type(node)
        if cls is ScalarNode:
            return scalar(node), None
        if node.anchor is not None:
            raise GiveUp
        if cls is MappingNode:
            if node.ctag is not map_tag:
                raise GiveUp
            data: dict[Any, Any] = {}
            keys: dict[Any, tuple[int, Any]] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not ScalarNode:
                    raise GiveUp
                key = scalar(key_node)
                if key in keys:
                    raise GiveUp  # the round-trip loader reports duplicate keys
                value, lines = build(value_node)
                keys[key] = (key_node.start_mark.line, lines)
                data[str(key) if not isinstance(key, (int, float)) else key] = value
            if len(data) != len(keys):
                raise GiveUp  # two keys that only differ in type (1 and "1")
            return data, MapLines(node.start_mark.line, keys)
        if cls is SequenceNode:
            if node.ctag is not seq_tag:
                raise GiveUp
            out, items = [], []
            for item in node.value:
                value, lines = build(item)
                out.append(value)
                items.append((item.start_mark.line, lines))
            return out, SeqLines(node.start_mark.line, items)
        raise GiveUp

    def load(text: str) -> tuple[Any, Any] | None:
        if "%YAML" in text or "<<" in text or _has_anchor(text):
            return None
        try:
            node = Composer(text).get_single_node()
            if node is None:
                return None
            return build(node)
        except Exception:  # GiveUp, or a syntax error the round-trip loader will report
            return None

    return load


_LOAD: Any = False


def load(text: str) -> tuple[Any, Any] | None:
    """``(data, line index)`` for a plain YAML text, or None: use the round-trip loader."""
    global _LOAD
    if _LOAD is False:
        _LOAD = _setup()
    if _LOAD is None:
        return None
    return _LOAD(text)


def line_of(index: Any, loc: Any) -> int | None:
    """1-based line of the deepest existing node on ``loc``, as the round-trip tree gives it."""
    node = index
    line = None
    for part in loc:
        try:
            if isinstance(part, int) and isinstance(node, SeqLines):
                if part < 0:
                    break  # the round-trip tree keeps item lines by index, not by position
                item_line, node = node.items[part]
                line = item_line + 1
            elif isinstance(node, MapLines) and part in node.keys:
                key_line, node = node.keys[part]
                line = key_line + 1
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    if line is None and isinstance(index, (MapLines, SeqLines)):
        line = index.line + 1
    return line
