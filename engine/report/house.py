"""A municipality's house style: a Word template, a logo and a stylesheet for the board report.

An officer would otherwise copy the report into the municipality's own Word
document by hand. Here the template gives the Word report its styles,
headers, footers (with the logo that sits in them) and page setup; the HTML
report takes a logo (embedded, so the file stays self-contained) and a
stylesheet that is added after the built-in one. Each file is read once,
checked for what it claims to be, and refused with a message for people when
it is not a regular file of the right kind.
"""

from __future__ import annotations

import io
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from engine.common.errors import InputError, Problem

MAX_BYTES = 20 * 1024 * 1024  # a template with a few images; more is not a house style
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
              ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class HouseStyle:
    """The house-style files, as bytes and text (picklable, so every worker of a batch gets them)."""

    template: Optional[bytes] = None
    logo: Optional[tuple[str, bytes]] = None  # (media type, bytes)
    stylesheet: Optional[str] = None


def _read(path: str, option: str) -> bytes:
    """A regular file's bytes; anything else (missing, a folder, a pipe, too large) is an input error."""
    p = Path(path)
    try:
        info = p.stat()
    except (OSError, ValueError):
        raise InputError([Problem(path, f"{option}: bestand bestaat niet / file does not exist",
                                  suggestion="controleer het pad / check the path")])
    if not stat.S_ISREG(info.st_mode):
        raise InputError([Problem(path, f"{option}: geen gewoon bestand / not a regular file")])
    if info.st_size > MAX_BYTES:
        raise InputError([Problem(path, f"{option}: bestand te groot / file too large "
                                        f"(ten hoogste / at most {MAX_BYTES // (1024 * 1024)} MB)")])
    try:
        return p.read_bytes()
    except OSError as exc:
        raise InputError([Problem(path, f"{option}: kan niet lezen / cannot read: {exc.strerror}")])


def _check_template(path: str, data: bytes) -> None:
    """A Word document or template (.docx, .dotx) that python-docx can open."""
    from engine.report.docx import _from_template

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise ValueError("no word/document.xml")
        _from_template(data)
    except Exception:  # not a zip, not Word, or a Word file python-docx cannot read
        raise InputError([Problem(path, "--template: geen Word-document of -sjabloon / not a Word document or "
                                        "template", expected=".docx of .dotx",
                                  suggestion="sla de huisstijl in Word op als .docx of .dotx / save the house "
                                             "style from Word as .docx or .dotx")])


def _logo(path: str, data: bytes) -> tuple[str, bytes]:
    media = LOGO_TYPES.get(Path(path).suffix.lower())
    magic = {"image/png": data.startswith(b"\x89PNG\r\n\x1a\n"), "image/jpeg": data.startswith(b"\xff\xd8"),
             "image/gif": data.startswith((b"GIF87a", b"GIF89a")),
             "image/svg+xml": b"<svg" in data[:4096]}
    if media is None or not magic[media]:
        raise InputError([Problem(path, "--logo: geen afbeelding die het rapport kan tonen / not an image the "
                                        "report can show", expected="PNG, JPEG, GIF of SVG")])
    return media, data


def _stylesheet(path: str, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem(path, "--stylesheet: geen UTF-8-tekst / not UTF-8 text",
                                  expected="een CSS-bestand / a CSS file")])
    return text.replace("</", "<\\/")  # the stylesheet cannot end the <style> element it sits in


def load_house_style(template: Optional[str] = None, logo: Optional[str] = None,
                     stylesheet: Optional[str] = None) -> Optional[HouseStyle]:
    """Read and check the house-style files; ``None`` when none is given. Every problem is reported at once."""
    if not (template or logo or stylesheet):
        return None
    problems: list[Problem] = []
    out: dict = {}
    for option, path, load in (("--template", template, None), ("--logo", logo, _logo),
                               ("--stylesheet", stylesheet, _stylesheet)):
        if not path:
            continue
        try:
            data = _read(path, option)
            if load is None:
                _check_template(path, data)
                out["template"] = data
            else:
                out[option[2:]] = load(path, data)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return HouseStyle(**out)


def apply_house_style(report, house: Optional[HouseStyle]) -> None:
    """Give a report the logo and stylesheet of the house style (the template is used when Word is written)."""
    if house is not None:
        report.logo = house.logo
        report.stylesheet = house.stylesheet
