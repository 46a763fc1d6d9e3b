"""Find installed rule sets and choose the one that applies.

A rule set is any folder under the rules root that has a ``ruleset.yaml``.
Several versions of one region may live side by side; the one valid on the
evaluation date is chosen (or, when none is, the nearest one, with a warning
in the advice).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from engine.common.errors import InputError, Problem, did_you_mean, display_path
from engine.rulebase.ruleset import RuleSet, RuleSetMeta, load_ruleset
from engine.reading.yamlio import load_document

ENV_RULES = "REGIOTOETS_RULES"


def default_rules_root() -> Path:
    """``$REGIOTOETS_RULES``, else the rule sets shipped with the package (see :func:`_shipped_rules`)."""
    env = os.environ.get(ENV_RULES)
    if env:
        return Path(env)
    return _PACKAGE_RULES


def _shipped_rules() -> Path:
    """Where the shipped rule sets are: inside an installed package, or in the checkout.

    A wheel carries the repository's ``rules/`` as ``engine/rulesets/`` (pyproject.toml); a checkout or an
    editable install has no such folder and reads ``rules/`` beside the engine, the source of truth.
    """
    engine_folder = Path(__file__).resolve().parent.parent
    installed_copy = engine_folder / "rulesets"
    if installed_copy.is_dir():
        return installed_copy
    return engine_folder.parent / "rules"


_PACKAGE_RULES = _shipped_rules()
_RESOLVED: dict[tuple[str, str], Path] = {}


def _resolved(root: Path) -> Path:
    """``root.resolve()``, remembered per working directory (choosing a rule set happens once per proposal)."""
    key = (os.getcwd(), str(root))
    found = _RESOLVED.get(key)
    if found is None:
        if len(_RESOLVED) > 256:
            _RESOLVED.clear()
        found = _RESOLVED[key] = root.resolve()
    return found


@dataclass(frozen=True)
class Installed:
    folder: Path
    meta: RuleSetMeta


@lru_cache(maxsize=8)
def _scan(root: Path) -> tuple[Installed, ...]:
    """Every rule set's folder and header; headers read before from exactly these files come from the cache
    (:mod:`engine.rulebase.snapshot`), so choosing a rule set need not parse and validate them again."""
    from engine.rulebase import snapshot

    heads = sorted(root.glob("**/ruleset.yaml"))
    key = snapshot.headers_key(root, heads)
    kept = snapshot.recall_headers(key, root) if key else None
    if kept is not None:
        return tuple(Installed(folder, meta) for folder, meta in kept)
    out = []
    for head in heads:
        doc = load_document(head)
        try:
            meta = RuleSetMeta.model_validate(doc.data)
        except ValidationError:
            # A broken header is reported when that rule set is actually loaded.
            out.append(Installed(head.parent, None))  # type: ignore[arg-type]
            continue
        out.append(Installed(head.parent, meta))
    if key and snapshot.headers_key(root, heads) == key:  # not kept when a header changed while it was read
        snapshot.keep_headers(key, root, [(i.folder, i.meta) for i in out])
    return tuple(out)


def installed(root: Path | None = None) -> list[Installed]:
    """All rule sets under ``root``, in folder order."""
    root = _resolved(root or default_rules_root())
    if not root.is_dir():
        raise InputError([Problem(display_path(root), "map met regelsets bestaat niet / rules folder does not exist",
                                  suggestion="geef een map met --rules / pass a folder with --rules")])
    return [i for i in _scan(root) if i.meta is not None] + [i for i in _scan(root) if i.meta is None]


def regions(root: Path | None = None) -> list[str]:
    return sorted({i.meta.region for i in installed(root) if i.meta is not None})


@lru_cache(maxsize=16)
def _load(folder: Path) -> RuleSet:
    return load_ruleset(folder, remember=True)  # the checks against the source once per version of the files


def _folder_named(found: Installed, region: str) -> Problem:
    """The rule set in a folder called ``region`` names another region: point at its 'region:' line."""
    doc = load_document(found.folder / "ruleset.yaml")
    line, column = doc.position_of(("region",)) or (None, None)
    return Problem(doc.name, f"de regelset in map '{region}' heet '{found.meta.region}' / the rule set in folder "
                             f"'{region}' is called '{found.meta.region}'", line=line, column=column, field="region",
                   suggestion=f"bedoelde u / did you mean 'region: {region}'?")


_CHOSEN: dict[tuple, RuleSet] = {}


def choose(region: str | None, day: dt.date, root: Path | None = None, *, origin: str = "--region") -> RuleSet:
    """The rule set for ``region`` valid on ``day``.

    With no region named and exactly one region installed, that one is used. A choice made is
    remembered (the installed rule sets are read once per process anyway): a batch asks once per proposal.
    """
    key = (region, day, os.getcwd(), str(root or default_rules_root()))
    hit = _CHOSEN.get(key)
    if hit is not None:
        return hit
    chosen = _choose(region, day, root, origin)
    if len(_CHOSEN) >= 256:
        _CHOSEN.clear()
    _CHOSEN[key] = chosen
    return chosen


def _choose(region: str | None, day: dt.date, root: Path | None, origin: str) -> RuleSet:
    found = installed(root)
    names = sorted({i.meta.region for i in found if i.meta is not None})
    broken = [i for i in found if i.meta is None]
    if broken and (region is None or not names):
        return _load(broken[0].folder)  # raises a RuleError naming the file
    if region is None:
        if len(names) == 1:
            region = names[0]
        else:
            raise InputError([Problem(origin, "geen regio opgegeven / no region given",
                                      expected=" | ".join(names),
                                      suggestion="zet 'region:' in het voorstel of gebruik --region "
                                                 "/ set 'region:' in the proposal or use --region")])
    if region not in names:  # a region's name is matched without regard to case
        same = [n for n in names if n.casefold() == region.casefold()]
        if len(same) == 1:
            region = same[0]
    candidates = [i for i in found if i.meta is not None and i.meta.region == region]
    if not candidates:
        for i in broken:  # the region's own rule set has a broken header: name that file, not "unknown region"
            if i.folder.name == region:
                return _load(i.folder)
        problems = [Problem(origin, f"onbekende regio '{region}' / unknown region", expected=" | ".join(names),
                            suggestion=did_you_mean(region, names))]
        problems += [_folder_named(i, region) for i in found if i.meta is not None and i.folder.name == region]
        raise InputError(problems)
    valid = [i for i in candidates if i.meta.valid_from <= day and (i.meta.valid_until is None or day <= i.meta.valid_until)]
    if valid:
        pick = max(valid, key=lambda i: i.meta.valid_from)
    else:
        # None valid: take the one whose period is nearest; the advice carries a warning.
        def distance(i: Installed) -> int:
            if day < i.meta.valid_from:
                return (i.meta.valid_from - day).days
            return (day - i.meta.valid_until).days if i.meta.valid_until else 0
        pick = min(candidates, key=distance)
    return _load(pick.folder)


@dataclass(frozen=True)
class Provenance:
    """Where a rule set outside the shipped ones comes from, and how it compares with the shipped one of its name.

    A rule set named by ``--rules`` or ``$REGIOTOETS_RULES`` may be somebody else's: its advice must say so.
    ``same_as_shipped``: every file of its folder (rules, invariants, source) equals the shipped rule set with the
    same id and version (``None``: there is no such shipped rule set); ``shipped_version``: when there is none,
    the version of a shipped rule set with the same id, if any.
    """

    folder: str
    same_as_shipped: bool | None
    shipped_version: str | None = None


def provenance(ruleset: RuleSet) -> Provenance | None:
    """``None`` for a rule set shipped with the package; otherwise its folder and how it compares."""
    return _provenance(Path(ruleset.folder), ruleset.meta.id, ruleset.meta.version)


@lru_cache(maxsize=32)
def _provenance(folder: Path, ruleset_id: str, version: str) -> Provenance | None:
    shipped_root = _PACKAGE_RULES.resolve()
    where = folder.resolve()
    if where == shipped_root or shipped_root in where.parents:
        return None
    same: bool | None = None
    other_version: str | None = None
    if shipped_root.is_dir():
        for found in _scan(shipped_root):
            if found.meta is None or found.meta.id != ruleset_id:
                continue
            if found.meta.version == version:
                same = _folder_digest(found.folder) == _folder_digest(where)
                break
            other_version = other_version or found.meta.version
    return Provenance(str(where), same, None if same is not None else other_version)


def _folder_digest(folder: Path) -> str | None:
    """One hash over every file in a rule set folder, sub-folders (the source) included; None when unreadable."""
    import hashlib

    h = hashlib.sha256()
    try:
        for path in sorted(p for p in Path(folder).rglob("*") if not any(part.startswith(".") for part in
                                                                         p.relative_to(folder).parts)):
            if path.is_file():
                h.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape") + b"\0")
                h.update(hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        return None
    return h.hexdigest()
