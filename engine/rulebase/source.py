"""A rule set's source text as a document: pages, headings, sections and paragraphs.

The sources are text extracted from PDFs: lines are broken mid-sentence, a
paragraph is sometimes split by a stray blank line, running page headers
repeat. This module rebuilds paragraphs and headings from that text so that
``rules coverage`` can say, per paragraph, whether a rule or a deliberate
"not encoded" entry accounts for it, and so that a citation can name the page
it is on. A page break is a form feed (``\\f``) on its own line, as written by
``rules new`` for a PDF source (and by pdftotext); a source without form feeds
has no page numbers.

Quotes are matched exactly as the citation check does (:func:`normalise_text`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property

from engine.rulebase.ruleset import normalise_text

PAGE_BREAK = "\f"
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+\S")
_AD = re.compile(r"^ad\s+\d+\.?\s", re.IGNORECASE)
_BULLET = re.compile(r"^[=\-•*·▪o]\s")
_END_OF_SENTENCE = ".:;!?"
_URL = re.compile(r"^(https?://|www\.)\S+$")
_LIST_ITEM = re.compile(r"^(?:[=\-•*·▪]\s|\d+[.)]\s)")


@dataclass
class Block:
    """A paragraph or a heading of the source: its text, where it starts, its page."""

    index: int
    text: str
    line: int  # 1-based line of the source file where the block starts
    page: int | None
    kind: str = "paragraph"  # "paragraph" | "heading" | "furniture" (a running page header or footer)
    level: int = 1  # for headings: 1 chapter, 2 section, ...
    span: tuple[int, int] = (0, 0)  # where the block sits in :attr:`SourceDoc.normal`

    @cached_property
    def normal(self) -> str:
        return normalise_text(self.text)

    @property
    def title(self) -> str:
        """The text on one line, as a rule cites a heading."""
        return " ".join(self.text.split())


@dataclass
class Section:
    """A heading and the paragraphs up to the next heading."""

    heading: Block | None
    paragraphs: list[Block] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.heading.title if self.heading else ""


@dataclass(frozen=True)
class Passage:
    """A sentence of the source, for suggesting the passage closest to a quote that is not there."""

    text: str
    line: int
    page: int | None


class SourceDoc:
    """The source text split into blocks; ``known`` headings (sections cited by the rule set) are always headings."""

    def __init__(self, text: str, known: tuple[str, ...] = ()) -> None:
        self.text = text
        self.paged = PAGE_BREAK in text
        self._known = {normalise_text(k) for k in known if k}
        self.blocks = _blocks(text, self.paged, self._known)
        _classify(self.blocks, self._known)
        spans, pos = [], 0
        for b in self.blocks:
            b.span = (pos, pos + len(b.normal))
            spans.append(b.normal)
            pos += len(b.normal) + 1
        self.normal = " ".join(spans)

    # --- structure -------------------------------------------------------------------------------

    @cached_property
    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "heading"]

    @cached_property
    def sections(self) -> list[Section]:
        out = [Section(None)]
        for b in self.blocks:
            if b.kind == "heading":
                out.append(Section(b))
            elif b.kind == "paragraph":
                out[-1].paragraphs.append(b)
        return [s for s in out if s.heading is not None or s.paragraphs]

    def heading(self, title: str) -> Block | None:
        """The first heading whose text is ``title`` (normalised)."""
        want = normalise_text(title)
        return next((h for h in self.headings if h.normal == want), None)

    def chapter(self, title: str) -> list[Block]:
        """The paragraphs of a chapter: from its heading to the next heading of the same or a higher level."""
        head = self.heading(title)
        if head is None:
            return []
        out = []
        for b in self.blocks[head.index + 1:]:
            if b.kind == "heading" and b.level <= head.level:
                break
            if b.kind == "paragraph":
                out.append(b)
        return out

    def section_of(self, block: Block) -> Block | None:
        """The heading a block falls under."""
        return next((b for b in reversed(self.blocks[:block.index]) if b.kind == "heading"), None)

    # --- quotes ----------------------------------------------------------------------------------

    def locate(self, quote: str, section: str | None = None) -> list[Block]:
        """The blocks a quote lies in; an occurrence under ``section`` is preferred, else the first one."""
        want = normalise_text(quote)
        if not want:
            return []
        hits, start = [], self.normal.find(want)
        while start >= 0:
            hits.append(self._blocks_between(start, start + len(want)))
            start = self.normal.find(want, start + 1)
        if not hits:
            return []
        if section:
            name = normalise_text(section)
            for blocks in hits:
                head = self.section_of(blocks[0]) if blocks[0].kind != "heading" else blocks[0]
                if head is not None and head.normal == name:
                    return blocks
        return hits[0]

    def _blocks_between(self, start: int, end: int) -> list[Block]:
        return [b for b in self.blocks if b.span[0] < end and start < b.span[1]]

    def page_of(self, quote: str, section: str | None = None) -> int | None:
        """The page a quote starts on, when the source has page breaks."""
        if not self.paged:
            return None
        blocks = self.locate(quote, section)
        return blocks[0].page if blocks else None

    # --- the closest passage -----------------------------------------------------------------------

    @cached_property
    def passages(self) -> list[Passage]:
        out = []
        for b in self.blocks:
            flat = re.sub(r"(?<=[a-zà-ÿ])-\s*\n\s*(?=[a-zà-ÿ])", "", b.text)
            flat = " ".join(flat.split())
            lines = b.text.split("\n")
            starts, pos = [], 0  # where each line of the block starts in its words, run together
            joined = ""
            for line in lines:
                starts.append(len(joined))
                joined += re.sub(r"\W+", "", line.lower())
            for sentence in re.split(r"(?<=[.!?;])\s+", flat):
                if len(sentence) >= 8:
                    head = re.sub(r"\W+", "", sentence.lower())[:20]
                    at = joined.find(head, pos)
                    if at >= 0:
                        pos = at
                    offset = sum(1 for st in starts[1:] if st <= max(at, 0)) if lines[1:] else 0
                    out.append(Passage(sentence, b.line + offset, b.page))
        return out

    def closest(self, quote: str) -> Passage | None:
        """The sentence of the source most like ``quote``: most of the quote's characters in order, then overall
        likeness. None when nothing is even half alike."""
        want = normalise_text(quote)
        if not want:
            return None
        best, best_score = None, 0.0
        for p in self.passages:
            have = normalise_text(p.text)
            sm = difflib.SequenceMatcher(None, want, have, autojunk=False)
            if sm.real_quick_ratio() * (len(want) + len(have)) / 2 / len(want) < best_score:
                continue  # cannot beat the best so far
            covered = sum(m.size for m in sm.get_matching_blocks()) / len(want)
            score = covered + sm.ratio() / 100
            if score > best_score:
                best, best_score = p, score
        return best if best_score >= 0.5 else None


def _blocks(text: str, paged: bool, known: set[str] = frozenset()) -> list[Block]:  # type: ignore[assignment]
    """Blank lines and page breaks separate blocks; a block that stops mid-sentence is joined to the next one
    when that one starts in lower case (a blank line the PDF extraction put in a paragraph)."""
    blocks: list[Block] = []
    page = 1
    current: list[str] = []
    start_line = 1
    continues = False  # the next block may continue the last one (no page break or heading in between)

    def flush() -> None:
        nonlocal current, continues
        if not current:
            return
        body = "\n".join(current).strip()
        current = []
        if not body:
            return
        last = blocks[-1] if blocks else None
        if (last is not None and continues and last.text[-1] not in _END_OF_SENTENCE and not _URL.match(last.text)
                and (body[0].islower() or body[0] in "(‘'\"“") and not _BULLET.match(body) and not _URL.match(body)):
            gap = start_line - (last.line + last.text.count("\n"))  # keep the blank lines: line numbers stay right
            last.text = last.text + "\n" * max(gap, 1) + body
            if "normal" in last.__dict__:
                del last.__dict__["normal"]
        else:
            blocks.append(Block(len(blocks), body, start_line, page if paged else None))
        continues = True

    for n, line in enumerate(text.split("\n"), 1):
        if PAGE_BREAK in line:
            flush()
            continues = False
            page += line.count(PAGE_BREAK)
            line = line.replace(PAGE_BREAK, "")
            if not line.strip():
                continue
        if not line.strip():
            flush()
            continue
        if _URL.match(line.strip()) or (current and _URL.match(current[-1].strip())):
            flush()  # a footnote link is a block of its own
        elif current and line[:1].isspace() and current[-1].rstrip()[-1:] in _END_OF_SENTENCE + "’”'\"":
            flush()  # an indented line after a finished sentence: the extraction glued a new page or heading on
        if not current:
            start_line = n
        current.append(line)
    flush()
    blocks = _join_lists(blocks, known)
    return blocks


def _join_lists(blocks: list[Block], known: set[str]) -> list[Block]:
    """A lead-in that ends with a colon and the list items after it are one paragraph: they say one thing."""
    out: list[Block] = []
    lead: Block | None = None
    for b in blocks:
        if lead is not None and _LIST_ITEM.match(b.text) and lead.page == b.page:
            lead.text += "\n\n" + b.text
            continue
        listing = b.text.rstrip().endswith(":") or any(_LIST_ITEM.match(x) for x in b.text.split("\n"))
        lead = b if listing and not _looks_like_heading(b) and b.normal not in known else None
        out.append(b)
    for i, b in enumerate(out):
        b.index = i
        b.__dict__.pop("normal", None)
    return out


def _level(title: str) -> int:
    """Numbered headings get their level from the number (3. → 1, 3.6 → 2); 'Ad 1.' is a subsection."""
    m = _NUMBERED.match(title)
    if m:
        return m.group(1).count(".") + 1
    if _AD.match(title):
        return 2
    return 1


def _looks_like_heading(b: Block) -> bool:
    lines = b.text.split("\n")
    title = b.title
    return (len(lines) <= 2 and len(title) <= 90 and len(title.split()) <= 12 and (title[0].isupper() or title[0].isdigit())
            and title[-1] not in ".,;:" and not _BULLET.match(title)
            and ". " not in re.sub(r"^(?:ad\s+)?\d+(?:\.\d+)*\.?\s+", "", title, flags=re.IGNORECASE))


def _classify(blocks: list[Block], known: set[str]) -> None:
    """Mark running headers and footers (short blocks that repeat), headings (known ones and ones that look like a
    heading) and give each heading its level. When a document numbers its headings, an unnumbered heading ranks
    below every numbered one."""
    counts: dict[str, int] = {}
    for b in blocks:
        counts[b.normal] = counts.get(b.normal, 0) + 1
    for b in blocks:
        if b.normal in known:
            b.kind = "heading"
        elif _URL.match(b.title) or (counts[b.normal] >= 3 and _looks_like_heading(b)):
            b.kind = "furniture"
        elif _looks_like_heading(b):
            b.kind = "heading"
    numbered = any(b.kind == "heading" and _NUMBERED.match(b.title) for b in blocks)
    for b in blocks:
        if b.kind == "heading":
            b.level = _level(b.title)
            if numbered and not _NUMBERED.match(b.title):
                b.level = 9
