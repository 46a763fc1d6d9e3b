"""``rules new``: a rule-set folder to fill in, with the region's source in ``bron/`` and no rules.

Nothing is decided on the region's behalf: the folder holds a ``ruleset.yaml``
with the facts the command knows (region, source, validity, how the text was
extracted) and clearly marked places to fill in. A PDF source is turned into
text with pypdf, one form feed between pages, so that ``rules coverage`` and
every citation can name the page a quote is on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from engine.common.errors import InputError, Problem, display_path
from engine.rulebase.source import PAGE_BREAK

_REGION = re.compile(r"^[a-z][a-z0-9-]*$")


def pdf_to_text(path: Path) -> tuple[str, int, str]:
    """The text of a PDF, pages separated by a form feed on its own line; (text, pages, pypdf version)."""
    try:
        import pypdf
        from pypdf.errors import PyPdfError
    except ImportError:  # pragma: no cover - a dependency of the package
        raise InputError([Problem(str(path), "pypdf ontbreekt / pypdf is not installed",
                                  suggestion="pip install pypdf")])
    try:
        reader = pypdf.PdfReader(str(path))
        pages = [_page_text(page) for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, OSError) as exc:
        raise InputError([Problem(display_path(path), f"geen leesbare PDF / not a readable PDF ({type(exc).__name__})",
                                  suggestion="sla de regiovisie opnieuw op als PDF of geef een tekstbestand / save the "
                                             "vision again as PDF or pass a text file")])
    if not any(p.strip() for p in pages):
        raise InputError([Problem(display_path(path), "de PDF bevat geen tekst (alleen afbeeldingen?) / the PDF holds no "
                                  "text (images only?)", suggestion="laat de PDF eerst herkennen (OCR) / run OCR first")])
    body = f"\n{PAGE_BREAK}\n".join(p.replace(PAGE_BREAK, "") for p in pages)
    return body + "\n", len(pages), pypdf.__version__


def _page_text(page) -> str:
    """One page as text with its paragraphs apart. pypdf's layout mode keeps the blank line between paragraphs
    (the plain mode drops it); on a page set in columns the layout mode puts the columns side by side, so there
    the plain mode is used. Indents and runs of spaces from the layout are dropped: quotes are matched on words."""
    text = page.extract_text(extraction_mode="layout") or ""
    lines = [x for x in text.split("\n") if x.strip()]
    if lines and sum(1 for x in lines if re.search(r"\S {5,}\S", x)) > len(lines) / 5:
        text = page.extract_text() or ""
    return "\n".join(" ".join(x.split()) for x in text.split("\n")).strip("\n")


def _slug(name: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return (stem or "bron")[:60]


def scaffold(region: str, source: str | Path, valid_from: dt.date | None,
             root: Path | None = None) -> tuple[Path, list[str]]:
    """Create the folder; returns it and notes for the author. An existing folder is never touched."""
    from engine.rulebase.registry import default_rules_root, installed

    source = Path(source)
    if not _REGION.match(region):
        raise InputError([Problem("REGION", f"'{region}' is geen geldige regionaam / not a valid region name",
                                  expected="kleine letters, cijfers en streepjes, bijv. / lower case, digits and "
                                           "hyphens, e.g. 'noord-veluwe'")])
    if not source.is_file():
        raise InputError([Problem(display_path(source), "bron is geen bestand / source is not a regular file")])
    day = valid_from or dt.date.today()
    root = root or default_rules_root()
    if not root.is_dir():
        if root.exists() or not root.parent.is_dir():
            raise InputError([Problem(display_path(root), "map met regelsets bestaat niet / rules folder does not exist")])
        root.mkdir()  # a first rule set in a new rules folder
    previous = [i for i in installed(root) if i.meta is not None and i.meta.region == region]
    folder = root / (region if not previous else f"{region}-{day.isoformat()}")
    if folder.exists():
        raise InputError([Problem(display_path(folder), "map bestaat al; er wordt niets overschreven / folder exists; "
                                  "nothing is overwritten", suggestion="kies een andere --valid-from of ruim de map op "
                                  "/ pick another --valid-from or remove the folder")])
    raw = source.read_bytes()
    is_pdf = raw[:5] == b"%PDF-"
    if is_pdf:
        text, pages, version = pdf_to_text(source)
        text_name = f"{_slug(source.stem)}.txt"
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError([Problem(display_path(source), "geen PDF en geen UTF-8-tekst / neither a PDF nor UTF-8 text")])
        text_name, pages, version = source.name, 0, ""
    notes: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix=f".{region}.", dir=root))
    try:
        (tmp / "bron").mkdir()
        (tmp / "bron" / text_name).write_text(text, encoding="utf-8")
        if is_pdf:
            shutil.copyfile(source, tmp / "bron" / source.name)
        (tmp / "ruleset.yaml").write_text(_ruleset_yaml(region, day, text_name, source.stem, is_pdf and {
            "version": version, "original": source.name, "pages": pages}, previous), encoding="utf-8")
        os.rename(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    notes.append(f"bron / source: {display_path(folder / 'bron' / text_name)}"
                 + (f" ({pages} pagina's / pages, pypdf {version})" if is_pdf else ""))
    if previous:
        newest = max(previous, key=lambda i: i.meta.valid_from)
        notes.append(f"nieuwe versie naast / new version beside {display_path(newest.folder)}: zet daar valid_until / "
                     f"set valid_until there; vergelijk / compare: regiotoets rules diff {display_path(newest.folder)} "
                     f"{display_path(folder)}")
    notes.append("vul ruleset.yaml in en schrijf regels: zie docs/authoring.md / fill in ruleset.yaml and write rules: "
                 "see docs/authoring.md")
    notes.append(f"sha256 van de bron / of the source: {hashlib.sha256(raw).hexdigest()}")
    return folder, notes


def _ruleset_yaml(region: str, day: dt.date, text_name: str, title: str, pdf: dict | bool,
                  previous: list) -> str:
    extraction = ""
    if pdf:
        extraction = (f"# Hoe de PDF tekst werd / how the PDF became text (een form feed tussen de pagina's).\n"
                      f"extraction:\n  tool: pypdf\n  version: \"{pdf['version']}\"\n  date: {dt.date.today()}\n"
                      f"  original: {json.dumps(pdf['original'], ensure_ascii=False)}\n  pages: {pdf['pages']}\n")
    prev = (f"# Vorige versie / previous version: {previous[-1].folder.name} ({previous[-1].meta.version}).\n"
            if previous else "")
    return f"""# Regelset voor regio '{region}'. Vul alles in wat IN TE VULLEN zegt; zie docs/authoring.md.
# Rule set for region '{region}'. Fill in everything marked IN TE VULLEN; see docs/authoring.md.
{prev}id: {region}-{day.year}
region: {region}
name: "IN TE VULLEN: naam van de regio"
version: "{day.year}.1"
valid_from: {day.isoformat()}
# valid_until: {day.year + 4}-12-31     # tot en met; weglaten = onbepaald
source:
  file: {text_name}
  title: {json.dumps(title, ensure_ascii=False)}
  path: bron/{text_name}
{extraction}decision_body:
  nl: "IN TE VULLEN: wie besluit (bijv. de bestuurders van de gemeenten in de regio)"
  en: "TO FILL IN: who decides"

# Waarden, uitgangspunten voor het zorglandschap en gronden voor verrijking, elk met een id en een citaat.
vocabulary:
  values: []
  care_landscape: []
  enrichment: []

# De afwegingsstappen uit de regiovisie, in volgorde: {{id: ..., nl: ..., en: ...}}. Elke regel noemt er één.
steps: []

# De hoofdstukken van de bron waarvan elke alinea geciteerd of bewust niet gecodeerd moet zijn (rules coverage).
decision_chapters: []
"""
