"""Keep a loaded rule set between runs, so an evaluation need not read, parse and validate its files again.

Loading a rule set parses every rule file, validates every rule and parses
every condition: a fixed cost of every ``regiotoets evaluate``. For files
that loaded once without problems, loading gives the same rule set every
time; this module keeps that rule set (pickled) in the same user cache
folder as :mod:`engine.rulebase.verified`, under a key that is a hash over
every ``*.yaml`` file of the rule set folder, the code that loads them
(every module of ``engine/common``, ``engine/reading`` and
``engine/rulebase``: size and modification time), the Python and pydantic
versions. The source document is compared on recall: the entry holds the
hash of the source text it was loaded with.

The cache can make loading faster, never different: only a rule set without
problems is kept; an entry is written whole or not at all; an entry that is
damaged (its checksum is part of the file), of another key, not owned by
this user or writable by others, an unreadable file, a cache folder that
cannot be written, ``REGIOTOETS_CACHE=off``: each means the files are
simply loaded as without a cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine import __version__
from engine.rulebase.verified import cache_folder, write_entry

if TYPE_CHECKING:
    from engine.rulebase.ruleset import RuleSet

_MAGIC = b"regiotoets-ruleset-1\n"
_MAX_FILE = 4 * 1024 * 1024 + 1
_MAX_ENTRY = 64 * 1024 * 1024
_CODE = ("common", "reading", "rulebase")  # the packages whose code decides what a loaded rule set is
KEEP = 50  # entries kept; the oldest go first
_STAMP: list[bytes] = []


def _code() -> bytes:
    """Versions and, per module that loads rule sets, its size and modification time: changed code is another key."""
    if _STAMP:
        return _STAMP[0]
    import pydantic

    engine = Path(__file__).resolve().parent.parent
    parts = [__version__, sys.version, pydantic.VERSION]
    for package in _CODE:
        try:
            entries = sorted(os.scandir(engine / package), key=lambda e: e.name)
        except OSError:
            entries = []
        for entry in entries:
            if entry.name.endswith(".py"):
                try:
                    info = entry.stat()
                except OSError:
                    continue
                parts.append(f"{package}/{entry.name}:{info.st_size}:{info.st_mtime_ns}")
    _STAMP.append("\n".join(parts).encode())
    return _STAMP[0]


def key_for(folder: Path) -> str | None:
    """The key of a rule set folder as its files are now, or None when a file cannot be read plainly (the load
    then reports it) or the cache is off."""
    from engine.reading.yamlio import read_regular

    if cache_folder() is None:
        return None
    h = hashlib.sha256(_code())
    try:
        for path in sorted(Path(folder).glob("*.yaml")):
            raw = read_regular(path, _MAX_FILE)
            h.update(b"\0" + path.name.encode("utf-8", "surrogateescape") + b"\0" + hashlib.sha256(raw).digest())
    except (OSError, ValueError):
        return None
    return h.hexdigest()


def _entry(key: str) -> Path | None:
    folder = cache_folder()
    return None if folder is None else folder / "rulesets" / f"{key}.pickle"


def _read(path: Path) -> bytes | None:
    """The payload of an entry: only from a regular file of this user that others cannot write, checksum intact."""
    try:
        with open(path, "rb") as fh:
            info = os.fstat(fh.fileno())
            if (not _regular(info.st_mode) or info.st_mode & 0o022
                    or (hasattr(os, "getuid") and info.st_uid != os.getuid())):
                return None
            data = fh.read(_MAX_ENTRY + 1)
    except OSError:
        return None
    head = len(_MAGIC) + 32
    if len(data) > _MAX_ENTRY or len(data) < head or not data.startswith(_MAGIC):
        return None
    payload = data[head:]
    return payload if hashlib.sha256(payload).digest() == data[len(_MAGIC):head] else None


def _regular(mode: int) -> bool:
    import stat

    return stat.S_ISREG(mode)


def _recall(key: str) -> dict[str, Any] | None:
    """The entry kept under ``key`` (a dict that names that key), or None."""
    import pickle

    path = _entry(key)
    payload = _read(path) if path is not None else None
    if payload is None:
        return None
    try:
        kept = pickle.loads(payload)
    except Exception:  # a damaged or foreign entry: load the files
        return None
    return kept if isinstance(kept, dict) and kept.get("key") == key else None


def _keep(key: str, data: dict[str, Any]) -> None:
    """Keep ``data`` under ``key``; something that does not pickle is simply not kept."""
    import pickle

    path = _entry(key)
    if path is None:
        return
    try:
        payload = pickle.dumps({**data, "key": key}, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return
    write_entry(path, _MAGIC + hashlib.sha256(payload).digest() + payload, KEEP)


def recall(key: str, folder: Path) -> RuleSet | None:
    """The rule set kept under ``key``, as loading ``folder`` would give it now; None when nothing usable is kept."""
    from engine.common.errors import RuleError
    from engine.rulebase.ruleset import RuleSet, read_source

    kept = _recall(key)
    try:
        meta, rules, files, not_encoded = kept["meta"], kept["rules"], kept["files"], kept["not_encoded"]
        source_hash = kept["source"]
        source = read_source(folder, meta.source.path)
    except RuleError:  # the full load reports it
        return None
    except Exception:  # nothing kept, or not what is kept here
        return None
    if hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest() != source_hash:
        return None
    for rule in rules:
        rule.doc.path = folder / rule.doc.path.name  # names as seen from here (the working folder may differ)
        rule.file = rule.doc.name
    ruleset = RuleSet(folder=folder, meta=meta, rules=rules, files=files, not_encoded=not_encoded)
    ruleset.__dict__["source_text"] = source
    return ruleset


def keep(key: str, ruleset: RuleSet) -> None:
    """Keep a rule set that loaded without problems under ``key`` (written whole or not at all); a cache that
    cannot be written is left alone."""
    if ruleset.problems:
        return
    docs: dict[int, Any] = {}
    rules = []
    for rule in ruleset.rules:
        doc = rule.doc
        if doc is None or doc._tree is not None:  # a round-trip tree: not worth keeping
            return
        if id(doc) not in docs:
            docs[id(doc)] = dataclasses.replace(doc, _shown=None)  # its name depends on the working folder
        rules.append(dataclasses.replace(rule, doc=docs[id(doc)], file=""))
    source = ruleset.source_text or ""
    _keep(key, {"meta": ruleset.meta, "rules": rules, "files": dict(ruleset.files),
                "not_encoded": list(ruleset.not_encoded),
                "source": hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()})


def headers_key(root: Path, heads: list[Path]) -> str | None:
    """The key of the headers (``ruleset.yaml``) of every rule set under ``root`` as they are now, or None."""
    from engine.reading.yamlio import read_regular

    if cache_folder() is None:
        return None
    h = hashlib.sha256(_code() + b"\0headers")
    try:
        for head in heads:
            raw = read_regular(head, _MAX_FILE)
            name = os.fspath(head.relative_to(root)).encode("utf-8", "surrogateescape")
            h.update(b"\0" + name + b"\0" + hashlib.sha256(raw).digest())
    except (OSError, ValueError):
        return None
    return h.hexdigest()


def recall_headers(key: str, root: Path) -> list[tuple[Path, Any]] | None:
    """(folder, header or None when it does not validate) per rule set under ``root``, as kept under ``key``."""
    kept = _recall(key)
    try:
        return [(root / relative, meta) for relative, meta in kept["headers"]]
    except Exception:  # nothing kept, or not what is kept here
        return None


def keep_headers(key: str, root: Path, headers: list[tuple[Path, Any]]) -> None:
    """Keep the headers read under ``root`` (see :func:`recall_headers`)."""
    try:
        rows = [(os.fspath(folder.relative_to(root)), meta) for folder, meta in headers]
    except ValueError:
        return
    _keep(key, {"headers": rows})
