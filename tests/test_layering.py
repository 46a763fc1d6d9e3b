"""The layout of ``engine/`` follows the pipeline, and the imports keep to it.

Each package of ``engine/`` serves one stage; a package imports only the packages of earlier stages (and
the package root, for the version). Packages on one level (verifying and render) do not import each other.
Every import counts, also one inside a function. See docs/architecture.md.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "engine"

# Lowest first. A package may import packages of a lower level only.
LEVELS: list[tuple[str, ...]] = [
    ("common",),
    ("reading",),
    ("rulebase",),
    ("deciding",),
    ("advising",),
    ("verifying", "render"),
    ("report",),
    ("commands",),
]
LEVEL = {package: n for n, packages in enumerate(LEVELS) for package in packages}


def _modules() -> list[Path]:
    return sorted(ENGINE.rglob("*.py"))


def _package(path: Path) -> str | None:
    """The stage package of a module, or None for the package root's ``__init__``."""
    parts = path.relative_to(ENGINE).parts
    return parts[0] if len(parts) > 1 else None


def _imported_packages(path: Path) -> set[tuple[str, int]]:
    """(stage package, line) of every ``engine`` import in a module, relative ones resolved."""
    module_parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if module_parts[-1] == "__init__":
        module_parts = module_parts[:-1]
        base = module_parts
    else:
        base = module_parts[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[list[str]] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[: len(base) - (node.level - 1)]
                name = anchor + (node.module.split(".") if node.module else [])
            else:
                name = (node.module or "").split(".")
            if node.module is None or name == ["engine"]:  # ``from engine import x``: x may be a package
                targets += [name + [alias.name] for alias in node.names]
            else:
                targets.append(name)
        elif isinstance(node, ast.Import):
            targets += [alias.name.split(".") for alias in node.names]
        for name in targets:
            if name[0] == "engine" and len(name) > 1 and name[1] in LEVEL:
                out.add((name[1], node.lineno))
    return out


def test_every_package_has_a_level():
    """A new package of engine/ must be given its place in the pipeline here and in docs/architecture.md."""
    packages = {p.name for p in ENGINE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == set(LEVEL), f"packages without a level (or levels without a package): {packages ^ set(LEVEL)}"


def test_only_the_package_root_lives_at_the_top():
    """Every module lives in the package of its stage; only ``engine/__init__.py`` sits at the top."""
    assert sorted(p.name for p in ENGINE.glob("*.py")) == ["__init__.py"]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ENGINE)))
def test_no_package_imports_a_later_stage(path: Path):
    own = _package(path)
    if own is None:
        assert not _imported_packages(path), "the package root imports nothing of the stages"
        return
    wrong = sorted((pkg, line) for pkg, line in _imported_packages(path) if pkg != own and LEVEL[pkg] >= LEVEL[own])
    assert not wrong, "; ".join(f"line {line}: engine.{own} imports engine.{pkg}, a stage at or after its own"
                                for pkg, line in wrong)


def test_the_layering_test_sees_lazy_and_relative_imports(tmp_path: Path):
    """The check above would pass vacuously if it missed imports inside functions or relative ones."""
    fake = ENGINE / "deciding" / "_layering_probe.py"
    fake.write_text("def f():\n    from ..report import model\n    from engine.commands import common\n", encoding="utf-8")
    try:
        found = _imported_packages(fake)
    finally:
        fake.unlink()
    assert {pkg for pkg, _ in found} == {"report", "commands"}


def _region_names() -> set[str]:
    names = set()
    for meta in (ROOT / "rules").glob("*/ruleset.yaml"):
        text = meta.read_text(encoding="utf-8")
        names.add(meta.parent.name)
        names.add(re.search(r"^region:\s*(\S+)", text, re.M).group(1))
        name = re.search(r"^name:\s*(.+)$", text, re.M).group(1)
        names.update(w for w in re.findall(r"[\w-]+", name) if w[0].isupper() and len(w) > 4 and w != "Jeugdhulpregio")
    return {n for n in names if len(n) > 3}


def test_region_names_are_known():
    """The next test would pass vacuously without names to look for."""
    assert len(_region_names()) >= 2


def test_nothing_in_engine_names_a_region():
    """Rules are data: the engine is generic, so no module, template or help text names an installed region."""
    names = _region_names()
    hits = []
    for path in sorted(p for p in ENGINE.rglob("*") if p.is_file() and p.suffix in {".py", ".html", ".css", ".md", ".txt"}):
        text = path.read_text(encoding="utf-8").lower()
        hits += [f"{path.relative_to(ROOT)}: {name}" for name in names
                 if re.search(rf"(?<![\w-]){re.escape(name.lower())}(?![\w-])", text)]
    assert not hits, hits
