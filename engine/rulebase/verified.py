"""Remember which rule sets passed the checks against their source, so an evaluation need not repeat them.

Loading a rule set checks every citation, every deliberately not encoded
passage and every decision chapter against the source document, and finds
the page of each citation. For files that passed once, that gives the same
answer every time; an evaluation then only needs to know that it passed.

The answer is kept in the user's cache folder (``$REGIOTOETS_CACHE``, else
``$XDG_CACHE_HOME/regiotoets``, else ``~/.cache/regiotoets``) under a key
that is a hash over every file of the rule set folder, the source document
and the code that checks them. A changed file, source or check gives another
key, and the checks run again. Only a rule set without problems is
remembered. Anything unusual — no cache folder, an unreadable or damaged
entry, a file that cannot be read — means the checks simply run: the cache
can make loading faster, never different. ``REGIOTOETS_CACHE=off`` turns it
off.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from engine import __version__

ENV_CACHE = "REGIOTOETS_CACHE"
_CHECKERS = ("ruleset.py", "notencoded.py", "source.py", "verified.py")  # the code whose answer is remembered
_MAX_FILE = 4 * 1024 * 1024 + 1
KEEP = 200  # answers kept; the oldest go first (every edit of a rule set is a new answer)


def cache_folder() -> Path | None:
    """Where the answers are kept, or None when the cache is turned off."""
    given = os.environ.get(ENV_CACHE)
    if given is not None:
        return None if given.strip().lower() in ("", "0", "off", "no", "false") else Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or (os.path.join(os.path.expanduser("~"), ".cache"))
    if not os.path.isabs(base):
        return None
    return Path(base) / "regiotoets"


def _code() -> bytes:
    """The version and, per checking module, its size and modification time: a changed check is another key."""
    here = Path(__file__).resolve().parent
    parts = [__version__]
    for name in _CHECKERS:
        try:
            info = os.stat(here / name)
        except OSError:
            continue
        parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts).encode()


def key_for(folder: Path, head: bytes, source: str | None) -> str | None:
    """The key of a rule set folder as it is now (``head``: the bytes of ruleset.yaml already read), or None
    when a file cannot be read plainly (the load then reports it)."""
    from engine.reading.yamlio import read_regular

    h = hashlib.sha256(_code())
    h.update(b"\0ruleset.yaml\0" + hashlib.sha256(head).digest())
    try:
        for path in sorted(Path(folder).glob("*.yaml")):
            if path.name == "ruleset.yaml":
                continue
            raw = read_regular(path, _MAX_FILE)
            h.update(b"\0" + path.name.encode("utf-8", "surrogateescape") + b"\0" + hashlib.sha256(raw).digest())
    except (OSError, ValueError):
        return None
    h.update(b"\0source\0" + hashlib.sha256((source or "").encode("utf-8", "surrogatepass")).digest())
    h.update(b"\1" if source is None else b"\2")
    return h.hexdigest()


def recall(key: str) -> dict[str, Any] | None:
    """What was remembered under ``key``: the rule set passed the checks; None when nothing (usable) was."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        with open(folder / "verified" / f"{key}.json", "rb") as fh:
            data = json.loads(fh.read(1_000_001))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("pages"), dict):
        return None
    return data


def remember(key: str, data: dict[str, Any]) -> None:
    """Keep ``data`` under ``key`` (written whole or not at all); a cache that cannot be written is left alone."""
    folder = cache_folder()
    if folder is None:
        return
    write_entry(folder / "verified" / f"{key}.json", json.dumps({**data, "key": key}).encode("utf-8"), KEEP)


def write_entry(path: Path, data: bytes, keep: int) -> None:
    """Write one cache entry whole or not at all (a temporary file renamed into place), then keep only the ``keep``
    most recent entries of its kind in that folder; a cache that cannot be written is left alone."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(path.parent, path.suffix, keep)
    except (OSError, ValueError):
        pass


def _prune(folder: Path, suffix: str, keep: int) -> None:
    """Keep the ``keep`` most recent entries (files ending in ``suffix``) of a cache folder."""
    entries = [e for e in os.scandir(folder) if e.name.endswith(suffix)]
    if len(entries) <= keep:
        return
    entries.sort(key=lambda e: e.stat().st_mtime_ns)
    for entry in entries[:-keep]:
        try:
            os.unlink(entry.path)
        except OSError:
            pass
