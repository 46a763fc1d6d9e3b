"""An installed regiotoets works without the checkout: the wheel carries the rule sets and their sources.

The wheel is built from a copy of the repository's files, installed into a fresh virtual environment
outside the repository, and run from another working directory. The dependencies are not installed again:
the fresh environment sees the already-installed ones through a ``.pth`` file (a path added that way is
not a site directory, so the editable install of the checkout stays invisible); the test checks that
``engine`` really comes from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SCENARIOS

SOURCES = ("pyproject.toml", "README.md", "cli.py", "engine", "rules")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy so that the build leaves nothing in the checkout."""
    src = tmp_path_factory.mktemp("bron")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(src)],
                   check=True, capture_output=True, timeout=300)
    (found,) = out.glob("regiotoets-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment outside the repository with only the wheel installed in it."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True, capture_output=True, timeout=300)
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # The dependencies already installed for the tests, without their .pth files (no editable checkout).
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "zz_test_dependencies.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")
    return venv


def test_wheel_carries_every_rule_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in sorted((ROOT / "rules").rglob("*")):
        if path.is_file():
            assert "engine/rulesets/" + path.relative_to(ROOT / "rules").as_posix() in names, path


def _run(venv: Path, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("REGIOTOETS_RULES", "PYTHONPATH")}
    return subprocess.run([str(venv / "bin" / "regiotoets"), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**clean, **env})


def test_installed_package_evaluates_from_elsewhere(installed, tmp_path):
    where = subprocess.run([str(installed / "bin" / "python"), "-c", "import engine; print(engine.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(installed)), where  # the wheel's copy, not the checkout
    proposal = tmp_path / "voorstel.yaml"
    shutil.copy(SCENARIOS / "foodvalley" / "crisisdienst-spoedhulp.yaml", proposal)
    result = _run(installed, "evaluate", "voorstel.yaml", "--date", "2025-06-01", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"outcome"' in result.stdout
    regions = _run(installed, "regions", cwd=tmp_path)
    assert regions.returncode == 0, regions.stderr
    assert "foodvalley" in regions.stdout and "midden-limburg" in regions.stdout


def test_rules_folder_and_environment_still_point_elsewhere(installed, tmp_path):
    own = tmp_path / "eigen"
    shutil.copytree(ROOT / "rules" / "midden-limburg", own / "midden-limburg")
    by_option = _run(installed, "regions", "--rules", str(own), cwd=tmp_path)
    by_env = _run(installed, "regions", cwd=tmp_path, REGIOTOETS_RULES=str(own))
    for result in (by_option, by_env):
        assert result.returncode == 0, result.stderr
        assert "midden-limburg" in result.stdout and "foodvalley" not in result.stdout
