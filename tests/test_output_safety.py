"""Nothing is ever lost, nothing ever hangs: output only to regular files or new paths, inputs only from files.

Each case runs the real command line in a subprocess with a timeout, so an
input or output that is waited on fails the test instead of hanging it.
Devices are represented by a FIFO and a Unix socket (a character device
cannot be made without root, and ``-o /dev/null`` run as root would replace
the machine's /dev/null if the guard ever broke).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import stat
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """These cases check the English wording of each message (Dutch is the default and is checked elsewhere)."""
    monkeypatch.setenv("REGIOTOETS_LANG", "en")

from conftest import SCENARIOS, needs, run_cli

DAY = "2025-06-01"
GOOD = SCENARIOS / "foodvalley" / "expertisecentrum.yaml"
OTHER = SCENARIOS / "foodvalley" / "modulaire-training.yaml"
TIMEOUT = 60


def _cli(*args, cwd: Path, **kwargs):
    result = run_cli(*args, "--date", DAY, cwd=cwd, timeout=TIMEOUT, **kwargs)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def work(tmp_path: Path) -> Path:
    shutil.copy(GOOD, tmp_path / "p.yaml")
    return tmp_path


# --- output targets ---------------------------------------------------------------------------------------

def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _socket(path: Path) -> Path:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()
    return path


@pytest.mark.parametrize("make", [_fifo, _socket], ids=["fifo", "socket"])
@pytest.mark.parametrize("command", [("evaluate",), ("report",), ("report", "--format", "markdown")])
def test_output_onto_a_fifo_or_socket_is_refused(work, make, command):
    target = make(work / "uit")
    result = _cli(*command, "p.yaml", "-o", "uit", cwd=work)
    assert result.returncode == 2, result.stderr
    assert "not a regular file (device, FIFO or socket)" in result.stderr
    mode = os.lstat(target).st_mode
    assert stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode), "the special file must not be replaced"


def test_output_onto_a_character_device_is_refused(work):
    """A copy of /dev/null in the test's own folder: as root, -o /dev/null once replaced the device with a file."""
    needs(os.geteuid() == 0, "making a character device needs root")
    device = work / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    for command in (("evaluate",), ("report", "--format", "markdown")):
        result = _cli(*command, "p.yaml", "-o", "null", cwd=work)
        assert result.returncode == 2, result.stderr
        assert "null: is not a regular file (device, FIFO or socket)" in result.stderr
        assert stat.S_ISCHR(os.lstat(device).st_mode), "the device must not be replaced"


def test_output_onto_a_symlink_is_refused_and_the_link_stays(work):
    (work / "elders.txt").write_text("van iemand anders\n", encoding="utf-8")
    (work / "link.txt").symlink_to("elders.txt")
    result = _cli("evaluate", "p.yaml", "-o", "link.txt", cwd=work)
    assert result.returncode == 2 and "is a symbolic link" in result.stderr, result.stderr
    assert (work / "link.txt").is_symlink()
    assert (work / "elders.txt").read_text(encoding="utf-8") == "van iemand anders\n"


@pytest.mark.parametrize("args", [
    ("evaluate", "p.yaml", "-o", "p.yaml"),
    ("evaluate", "p.yaml", "./p.yaml", "--format", "json", "-o", "./p.yaml"),
    ("report", "p.yaml", "--format", "markdown", "-o", "p.yaml"),
    ("explain", "p.yaml", "-o", "p.yaml"),
])
def test_output_over_an_input_is_refused(work, args):
    before = (work / "p.yaml").read_bytes()
    result = _cli(*args, cwd=work)
    assert result.returncode == 2 and "is one of the inputs" in result.stderr, result.stderr
    assert (work / "p.yaml").read_bytes() == before


def test_output_over_a_hard_link_of_an_input_is_refused(work):
    os.link(work / "p.yaml", work / "zelfde.txt")
    result = _cli("evaluate", "p.yaml", "-o", "zelfde.txt", cwd=work)
    assert result.returncode == 2 and "is one of the inputs" in result.stderr, result.stderr
    assert (work / "p.yaml").read_bytes() == GOOD.read_bytes()


@pytest.mark.parametrize("command", [("evaluate", "--format", "json"), ("report", "--format", "markdown")])
def test_a_batch_never_writes_over_an_input(tmp_path, command):
    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(GOOD, folder / "a.yaml")
    from ruamel.yaml import YAML
    data = YAML(typ="safe").load(OTHER.read_text(encoding="utf-8"))
    ext = ".json" if "json" in command else ".md"
    (folder / f"b{ext}").write_text(json.dumps(data, default=str), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = _cli(command[0], "d/a.yaml", f"d/b{ext}", *command[1:], "-o", "d/", cwd=tmp_path)
    assert result.returncode == 2 and "is one of the inputs" in result.stderr, result.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before, "nothing is written when one target is an input"


def test_files_are_created_with_the_umask_not_a_copied_mode(work):
    old = work / "oud.txt"
    old.write_text("oud\n", encoding="utf-8")
    old.chmod(0o666)

    def umask_077():
        os.umask(0o077)

    for name in ("nieuw.txt", "oud.txt"):
        result = _cli("evaluate", "p.yaml", "-o", name, cwd=work, preexec_fn=umask_077)
        assert result.returncode == 0, result.stderr
        assert stat.S_IMODE(os.stat(work / name).st_mode) == 0o600, name


# --- stdout that cannot take the output --------------------------------------------------------------------

@pytest.mark.parametrize("args", [("evaluate", "p.yaml"), ("report", "p.yaml", "--format", "markdown"),
                                  ("rules", "--region", "foodvalley"), ("evaluate", "p.yaml", "p.yaml")])
def test_a_full_disk_on_stdout_is_a_message(work, args):
    needs(Path("/dev/full").exists(), "no /dev/full on this system")
    with open("/dev/full", "w") as full:
        result = _cli(*args, cwd=work, stdout=full, stderr=-1)
    assert result.returncode == 2, result.stderr
    assert "stdout: cannot write (No space left on device)" in result.stderr
    assert "Exception ignored" not in result.stderr


@pytest.mark.parametrize("args", [("evaluate", "p.yaml"), ("report", "p.yaml", "--format", "markdown")])
def test_a_closed_stdout_is_a_message(work, args):
    result = _cli(*args, cwd=work, stdout=None, stderr=-1, preexec_fn=lambda: os.close(1))
    assert result.returncode == 2, result.stderr
    assert "stdout: cannot write" in result.stderr


# --- inputs that are not files -----------------------------------------------------------------------------

def test_a_fifo_among_the_inputs_is_refused_and_the_batch_goes_on(work):
    os.mkfifo(work / "pijp.yaml")
    result = _cli("evaluate", "pijp.yaml", "p.yaml", "-o", "uit/", cwd=work)
    assert result.returncode == 2, result.stderr
    assert "pijp.yaml: not a regular file" in result.stderr and "not a regular file" in result.stderr
    assert sorted(p.name for p in (work / "uit").iterdir()) == ["p.txt"]


@pytest.mark.parametrize("command", ["validate", "evaluate", "explain", "report"])
def test_a_fifo_as_the_only_input_is_refused(work, command):
    os.mkfifo(work / "pijp.yaml")
    result = _cli(command, "pijp.yaml", cwd=work)
    assert result.returncode == 2 and "not a regular file (device, FIFO or socket)" in result.stderr, result.stderr


def test_new_resume_from_a_fifo_is_refused(work):
    os.mkfifo(work / "pijp.yaml")
    result = _cli("new", "--resume", "pijp.yaml", "--region", "foodvalley", cwd=work, input="")
    assert result.returncode == 2 and "not a regular file (device, FIFO or socket)" in result.stderr, result.stderr
    assert stat.S_ISFIFO(os.lstat(work / "pijp.yaml").st_mode)


# --- the batch folder --------------------------------------------------------------------------------------

def test_a_batch_folder_is_written_by_one_run_at_a_time(work):
    folder = work / "rapporten"
    folder.mkdir()
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running batch holds it
        result = _cli("report", "p.yaml", "-o", "rapporten/", cwd=work)
    finally:
        os.close(fd)
    assert result.returncode == 2 and "is being written by another run of regiotoets" in result.stderr, result.stderr
    assert list(folder.iterdir()) == []
    assert _cli("report", "p.yaml", "-o", "rapporten/", cwd=work).returncode == 0  # released: the next run works


def test_a_rerun_removes_the_report_of_a_proposal_that_now_fails_and_old_temp_files(work):
    shutil.copy(OTHER, work / "q.yaml")
    assert _cli("report", "p.yaml", "q.yaml", "-o", "uit/", cwd=work).returncode == 0
    folder = work / "uit"
    assert {"p.html", "q.html", "index.html"} <= {p.name for p in folder.iterdir()}
    (work / "q.yaml").write_text("title: 1\n", encoding="utf-8")
    (folder / ".p.html.abcd_123.tmp").write_text("half", encoding="utf-8")  # left by a kill -9
    (folder / ".iets-anders.txt.abcd_123.tmp").write_text("niet van ons", encoding="utf-8")
    result = _cli("report", "p.yaml", "q.yaml", "-o", "uit/", cwd=work)
    assert result.returncode == 2, result.stderr
    names = {p.name for p in folder.iterdir()}
    assert "q.html" not in names, "an old report beside 'Niet getoetst' would look current"
    assert ".p.html.abcd_123.tmp" not in names
    assert ".iets-anders.txt.abcd_123.tmp" in names, "only the temporary files of this run's names are removed"
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="p.html"' in index and 'href="q.html"' not in index


# --- valid input, ordinary output: never a traceback ---------------------------------------------------------

def test_a_title_over_word_s_property_limit_gives_a_docx(work):
    import zipfile

    text = (work / "p.yaml").read_text(encoding="utf-8")
    title = "Samenwerking " * 40
    lines = text.splitlines()
    lines[[i for i, line in enumerate(lines) if line.startswith("title:")][0]] = f"title: {title.strip()}"
    (work / "lang.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _cli("report", "lang.yaml", "--format", "docx", "-o", "lang.docx", cwd=work)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(work / "lang.docx") as docx:
        core = docx.read("docProps/core.xml").decode("utf-8")
        body = docx.read("word/document.xml").decode("utf-8")
    assert "Samenwerking Samenwerking" in core and "\u2026" in core  # shortened in the properties
    assert body.count("Samenwerking") >= 40  # in full in the document


# --- what the terminal shows ---------------------------------------------------------------------------------

def test_set_values_and_batch_summaries_show_escapes_not_control_characters(work):
    hostile = "\x1b]0;gekaapt\x07\x1b[2J\u202e"
    result = _cli("whatif", "p.yaml", "--set", f"capacity.sufficient={hostile}", cwd=work)
    assert result.returncode == 2 and result.stdout == "", result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr and "\u202e" not in result.stderr
    assert result.stderr.startswith(r"--set capacity.sufficient=\x1b]0;gekaapt\x07\x1b[2J\u202e: ")
    name = f"b{hostile}.yaml"
    (work / name).write_text("title: 1\n", encoding="utf-8")
    for command in ("evaluate", "report"):
        result = _cli(command, "p.yaml", name, "-o", f"{command}-uit/", cwd=work)
        assert result.returncode == 2, result.stderr
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr and "\u202e" not in result.stderr
        assert r"  - b\x1b]0;gekaapt\x07\x1b[2J\u202e.yaml" in result.stderr.splitlines()


@pytest.mark.parametrize("lang, words", [("nl", ("adviezen geschreven in", "rapporten en overzicht geschreven in")),
                                         ("en", ("advice files written to", "reports and overview written to"))])
def test_the_batch_summary_names_the_folder_in_either_language(work, lang, words):
    env = {**os.environ, "REGIOTOETS_LANG": lang}
    for command, said in zip(("evaluate", "report"), words):
        result = _cli(command, "p.yaml", "-o", "map-uit/", cwd=work, env=env)
        assert result.returncode == 0, result.stderr
        assert result.stderr.splitlines()[-1] == f"1 {said} map-uit", result.stderr


def test_a_second_run_into_the_folder_indexes_only_its_own_reports(work):
    shutil.copy(OTHER, work / "q.yaml")
    assert _cli("report", "p.yaml", "q.yaml", "-o", "uit/", cwd=work).returncode == 0
    result = _cli("report", "q.yaml", "-o", "uit/", cwd=work)
    assert result.returncode == 0, result.stderr
    index = (work / "uit" / "index.html").read_text(encoding="utf-8")
    assert 'href="q.html"' in index and 'href="p.html"' not in index
