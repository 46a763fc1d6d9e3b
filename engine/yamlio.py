"""Read YAML or JSON files while keeping line numbers, so errors can point at a line.

ruamel.yaml (YAML 1.2) is used because it records the line of every key and
item; YAML 1.2 also keeps ``yes``/``no`` as strings instead of booleans.
JSON is a subset of YAML 1.2, so one loader serves both formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Sequence

from .errors import InputError, Problem, display_path


@dataclass
class LoadedDocument:
    """A parsed file: plain data plus a way to find the line of any field.

    The lines come from the round-trip tree (``_tree``) or, when the fast C
    path read the file, from its line index (``_lines``); both give the same.
    """

    path: Path
    raw: bytes
    data: Any
    _tree: Any
    _lines: Any = None

    @cached_property
    def name(self) -> str:
        return display_path(self.path)  # resolves the path: worth doing once

    def line_of(self, loc: Sequence[object]) -> int | None:
        """1-based line of the deepest existing node on ``loc`` (a pydantic location)."""
        if self._tree is None:
            from .yamlfast import line_of

            return line_of(self._lines, loc)
        node = self._tree
        line = None
        for part in loc:
            lc = getattr(node, "lc", None)
            try:
                if isinstance(part, int) and isinstance(node, list):
                    if lc is not None:
                        line = lc.item(part)[0] + 1
                    node = node[part]
                elif isinstance(node, dict) and part in node:
                    if lc is not None:
                        line = lc.key(part)[0] + 1
                    node = node[part]
                else:
                    break
            except (KeyError, IndexError, TypeError):
                break
        if line is None and getattr(self._tree, "lc", None) is not None:
            line = self._tree.lc.line + 1
        return line


def _plain(node: Any) -> Any:
    """Turn ruamel's commented containers into plain dicts and lists."""
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, (int, float)) else k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def load_document(path: str | Path, *, what: str = "bestand") -> LoadedDocument:
    """Load one YAML/JSON file, turning every read or syntax problem into an InputError."""
    p = Path(path)
    if not p.exists():
        raise InputError([Problem(display_path(p), "bestand bestaat niet / file does not exist",
                                  suggestion="controleer het pad / check the path")])
    if p.is_dir():
        raise InputError([Problem(display_path(p), "dit is een map, geen bestand / this is a folder, not a file")])
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError([Problem(display_path(p), f"kan niet lezen / cannot read: {exc.strerror}")])
    return parse_document(p, raw, what=what)


def parse_document(path: Path, raw: bytes, *, what: str = "bestand") -> LoadedDocument:
    """Parse the bytes of a YAML/JSON file (``path`` names it in messages): the part of loading after reading."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(display_path(path), f"geen geldige UTF-8-tekst / not valid UTF-8 text (byte {exc.start})")])
    if not text.strip() or all(l.strip().startswith("#") or not l.strip() for l in text.splitlines()):
        raise InputError([Problem(display_path(path), f"leeg {what} / empty file", line=1,
                                  suggestion="begin met 'regiotoets new' of kopieer een voorbeeld uit scenarios/ "
                                             "/ start with 'regiotoets new' or copy an example from scenarios/")])
    from .yamlfast import load as fast_load

    fast = fast_load(text)
    if fast is not None:
        return LoadedDocument(path=path, raw=raw, data=fast[0], _tree=None, _lines=fast[1])
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    shown = display_path(path)

    try:
        tree = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        message = (exc.problem or exc.context or "syntaxfout").strip()
        if exc.context and exc.context_mark is not None and mark is not exc.context_mark \
                and exc.context_mark.line + 1 != line:
            message += f" ({exc.context.strip()}, begonnen op regel / started at line {exc.context_mark.line + 1})"
        raise InputError([Problem(shown, f"YAML-syntaxfout / YAML syntax error: {message}", line=line,
                                  suggestion="controleer inspringing, dubbele punten en aanhalingstekens "
                                             "/ check indentation, colons and quotes")])
    except YAMLError as exc:
        raise InputError([Problem(shown, f"YAML-fout / YAML error: {exc}")])
    return LoadedDocument(path=path, raw=raw, data=_plain(tree), _tree=tree)
