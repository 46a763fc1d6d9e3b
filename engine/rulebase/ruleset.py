"""Rule sets as data: one folder per region (and version) under ``rules/``.

A folder holds ``ruleset.yaml`` (region, source document, version, validity,
vocabulary, decision steps) and any number of rule files (``*.yaml`` with a
``rules:`` list). Loading validates every rule with pydantic, parses its
condition against the proposal's fact catalogue and orders the rules in
strata, so a broken rule file fails at load time with the file and rule id.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from engine.rulebase import conditions as C
from engine.common.errors import Problem, RuleError, did_you_mean, join_loc
from engine.reading.facts import FactSpec, catalogue
from engine.reading.problems import problems_from
from engine.reading.proposal import proposal_model
from engine.reading.yamlio import LoadedDocument, NotRegular, load_document, read_regular

OUTCOMES = ("participate", "participate_provided", "handle_at_lower_scale", "insufficient_information", "decline")
ROLES = ("reason", "condition", "caveat", "next_step", "missing", "route")


class _Strict(BaseModel):
    # defer_build: the validators are built when first used; a rule set taken from the cache never validates
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(_Strict):
    """A text in Dutch and English; both are required."""

    nl: str = Field(..., min_length=1)
    en: str = Field(..., min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


class Citation(_Strict):
    """Where a rule comes from: source file, section heading and a short exact quote."""

    file: str
    section: str
    quote: str = Field(..., min_length=8, max_length=400)


class Then(_Strict):
    """What a rule concludes when its condition holds."""

    role: Literal["reason", "condition", "caveat", "next_step", "missing", "route"] = "reason"
    finding: Optional[str] = Field(None, pattern=r"^[a-z][a-z0-9_]*$")
    outcome: Optional[Literal[OUTCOMES]] = None  # type: ignore[valid-type]
    missing: list[str] = Field(default_factory=list)


class Example(_Strict):
    """A minimal set of facts and whether the rule must fire on them."""

    facts: dict[str, Any] = Field(default_factory=dict)
    conclusions: list[str] = Field(default_factory=list)
    fires: bool
    note: Optional[str] = None


class RuleData(_Strict):
    """One rule as written in a rule file."""

    id: str = Field(..., pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
    title: Text
    step: str
    when: Any
    then: Then
    explain: Text
    cite: Citation
    examples: list[Example] = Field(default_factory=list)


class VocabEntry(_Strict):
    id: str = Field(..., pattern=r"^[a-z][a-z0-9_]*$")
    nl: str
    en: str
    cite: Optional[Citation] = None


class Vocabulary(_Strict):
    values: list[VocabEntry] = Field(default_factory=list)
    care_landscape: list[VocabEntry] = Field(default_factory=list)
    enrichment: list[VocabEntry] = Field(default_factory=list)
    procurement_grounds: list[VocabEntry] = Field(default_factory=list)


class Step(_Strict):
    id: str
    nl: str
    en: str


class Source(_Strict):
    file: str
    title: str
    path: str  # relative to the rule set folder


class Extraction(_Strict):
    """How a PDF source became the text the rules quote (written by ``rules new``)."""

    tool: str
    version: str
    date: dt.date
    original: str  # the PDF, in bron/
    pages: int


class ChapterRange(_Strict):
    """A decision chapter that runs from one heading up to (not including) another."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)
    start: str = Field(..., alias="from", min_length=1)
    until: Optional[str] = None


class RuleSetMeta(_Strict):
    """The header of a rule set (``ruleset.yaml``)."""

    id: str
    region: str = Field(..., pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    version: str
    valid_from: dt.date
    valid_until: Optional[dt.date] = None
    source: Source
    decision_body: Text
    vocabulary: Vocabulary = Field(default_factory=Vocabulary)
    steps: list[Step]
    outcome_texts: dict[str, Text] = Field(default_factory=dict)
    # Chapters of the source whose every paragraph must be cited or deliberately not encoded (rules coverage).
    decision_chapters: list[Union[str, ChapterRange]] = Field(default_factory=list)
    extraction: Optional[Extraction] = None

    @field_validator("valid_until")
    @classmethod
    def _after_start(cls, value: Optional[dt.date], info: Any) -> Optional[dt.date]:
        start = info.data.get("valid_from")
        if value is not None and start is not None and value < start:
            raise ValueError(f"valid_until ({value.isoformat()}) ligt vóór valid_from ({start.isoformat()}) / "
                             f"lies before valid_from")
        return value

    @field_validator("steps")
    @classmethod
    def _steps_unique(cls, v: list[Step]) -> list[Step]:
        ids = [s.id for s in v]
        if len(ids) != len(set(ids)):
            raise ValueError("stap-ids moeten uniek zijn / step ids must be unique")
        return v


@dataclass
class Rule:
    """A loaded rule: its data, its parsed condition, its file and stratum."""

    data: RuleData
    condition: C.Condition
    file: str
    stratum: int = 1
    loc: tuple = ()  # where the rule sits in its file: ("rules", index)
    doc: Any = field(default=None, repr=False, compare=False)  # the loaded rule file, for line numbers

    @cached_property
    def position(self) -> tuple[int, int] | None:
        """(line, column) of the rule in its file. Worked out when first asked for (messages, check): finding
        lines means scanning the file again, which an evaluation never needs."""
        return self.doc.position_of(self.loc) if self.doc is not None else None

    @property
    def line(self) -> int | None:
        return self.position[0] if self.position else None

    @property
    def column(self) -> int | None:
        return self.position[1] if self.position else None
    page: int | None = None  # the page of the source its quote is on, when the source came from a PDF

    @property
    def id(self) -> str:
        return self.data.id

    @property
    def then(self) -> Then:
        return self.data.then


@dataclass
class RuleSet:
    """A compiled-ready rule set: metadata, vocabulary-aware proposal model and rules."""

    folder: Path
    meta: RuleSetMeta
    rules: list[Rule]
    files: dict[str, bytes]  # file name -> content, for hashes
    problems: list[Problem] = field(default_factory=list)
    not_encoded: list = field(default_factory=list)  # engine.rulebase.notencoded.NotEncoded, from niet-gecodeerd.yaml

    @property
    def region(self) -> str:
        return self.meta.region

    @cached_property
    def model(self):
        voc = self.meta.vocabulary
        def keys(entries):
            return tuple((e.id, e.nl, e.en) for e in entries)
        return proposal_model(keys(voc.values), keys(voc.care_landscape), keys(voc.enrichment),
                              keys(voc.procurement_grounds))

    @cached_property
    def facts(self) -> dict[str, FactSpec]:
        return catalogue(self.model)

    @cached_property
    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    @cached_property
    def strata(self) -> int:
        return max((r.stratum for r in self.rules), default=1)

    @cached_property
    def producers(self) -> dict[str, list[str]]:
        """Conclusion name -> ids of the rules that draw it."""
        out: dict[str, list[str]] = {}
        for r in self.rules:
            if r.then.finding:
                out.setdefault(r.then.finding, []).append(r.id)
        return out

    @cached_property
    def file_hashes(self) -> dict[str, str]:
        return {name: hashlib.sha256(content).hexdigest() for name, content in sorted(self.files.items())}

    @cached_property
    def content_hash(self) -> str:
        """One hash over every file of the rule set, so an advice names exactly what produced it."""
        h = hashlib.sha256()
        for name, digest in self.file_hashes.items():
            h.update(f"{name}\0{digest}\n".encode())
        return h.hexdigest()

    def step(self, step_id: str) -> Step:
        return next(s for s in self.meta.steps if s.id == step_id)

    def valid_on(self, day: dt.date) -> bool:
        return self.meta.valid_from <= day and (self.meta.valid_until is None or day <= self.meta.valid_until)

    @cached_property
    def source_text(self) -> str | None:
        """The source document's text; a rule set loaded by :func:`load_ruleset` has always checked it."""
        return read_source(self.folder, self.meta.source.path)

    @cached_property
    def document(self):
        """The source as sections and paragraphs (engine.rulebase.source.SourceDoc); every heading the rule set names is one."""
        from engine.rulebase.source import SourceDoc

        known = [r.data.cite.section for r in self.rules] + [p.section for p in self.not_encoded]
        known += [h for c in self.meta.decision_chapters for h in ((c,) if isinstance(c, str) else (c.start, c.until))
                  if h]
        return SourceDoc(self.source_text or "", tuple(known))

    def page_of(self, cite: Citation) -> int | None:
        """The page of the source a citation is on, when the source came from a PDF (page breaks kept)."""
        if not self.source_text or "\f" not in self.source_text:
            return None
        return self.document.page_of(cite.quote, cite.section)


SOURCE_MAX_BYTES = 4 * 1024 * 1024  # a regiovisie as text is some tens of kilobytes


def read_source(folder: Path, relative: str, shown: str = "ruleset.yaml", **where: Any) -> str:
    """The text of a rule set's source document, or a RuleError saying why it cannot be the source.

    It must lie inside the rule set folder (no ``..`` or absolute path, no
    symlink pointing out), be a regular file (a FIFO would block for ever)
    of at most :data:`SOURCE_MAX_BYTES`, and be UTF-8 text.
    """
    def problem(message: str, suggestion: str) -> RuleError:
        return RuleError([Problem(shown, message, field="source.path", suggestion=suggestion, **where)])

    base = Path(folder).resolve()
    try:
        target = (base / relative).resolve()
    except (OSError, ValueError, RuntimeError):
        raise problem(f"'{relative}': ongeldig pad / invalid path", "geef een pad binnen de regelset-map / give a "
                      "path inside the rule set folder")
    if Path(relative).is_absolute() or (target != base and base not in target.parents):
        raise problem(f"'{relative}' ligt buiten de regelset-map / lies outside the rule set folder",
                      "zet de bron in de map bron/ van de regelset / put the source in the rule set's bron/ folder")
    try:
        raw = read_regular(target, SOURCE_MAX_BYTES + 1)
    except FileNotFoundError:
        raise problem(f"brondocument '{relative}' bestaat niet / source document does not exist",
                      "zet het brondocument terug of corrigeer het pad / restore the source or correct the path")
    except IsADirectoryError:
        raise problem(f"'{relative}' is een map, geen bestand / is a folder, not a file",
                      "geef het pad van het tekstbestand / give the path of the text file")
    except NotRegular:
        raise problem(f"'{relative}' is geen gewoon bestand (apparaat, FIFO of socket) / is not a regular file",
                      "geef een gewoon tekstbestand / give a regular text file")
    except OSError as exc:
        raise problem(f"'{relative}': kan niet lezen / cannot read ({exc.strerror})",
                      "controleer de leesrechten / check the read permissions")
    if len(raw) > SOURCE_MAX_BYTES:
        raise problem(f"brondocument '{relative}' is te groot / source document is too large (maximum "
                      f"{SOURCE_MAX_BYTES // (1024 * 1024)} MB)", "gebruik de tekst van de visie zelf / use the "
                      "text of the vision document itself")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise problem(f"brondocument '{relative}' is geen geldige UTF-8-tekst / source document is not valid UTF-8 "
                      f"text (byte 0x{raw[exc.start]:02x} op positie / at offset {exc.start})",
                      "sla het brondocument op als UTF-8 / save the source document as UTF-8")
    return text[1:] if text.startswith("\ufeff") else text

def _at(doc: LoadedDocument, loc: tuple) -> dict[str, int | None]:
    """``line`` and ``column`` keywords of a Problem for a location in a document."""
    line, column = doc.position_of(loc) or (None, None)
    return {"line": line, "column": column}


def load_ruleset(folder: str | Path, *, remember: bool = False) -> RuleSet:
    """Load, validate and parse a rule set folder; every problem names file, line and rule id.

    With ``remember``, the checks against the source (citations, deliberately not encoded passages, decision
    chapters) and the page of each citation are taken from the cache when exactly these files have passed them
    before (see :mod:`engine.rulebase.verified`), and a rule set that loaded before from exactly these files is
    taken whole from the cache (:mod:`engine.rulebase.snapshot`); ``check`` and everything else that loads a
    folder itself always loads and checks.
    """
    folder = Path(folder)
    if not remember:
        return _load(folder, remember=False)
    from engine.rulebase import snapshot

    key = snapshot.key_for(folder)
    kept = snapshot.recall(key, folder) if key else None
    if kept is not None:
        return kept
    ruleset = _load(folder, remember=True)
    if key and snapshot.key_for(folder) == key:  # not kept when a file changed while it loaded
        snapshot.keep(key, ruleset)
    return ruleset


def _load(folder: Path, *, remember: bool) -> RuleSet:
    """:func:`load_ruleset` from the files (``remember``: the checks against the source may come from the cache)."""
    head = folder / "ruleset.yaml"
    doc = load_document(head, what="regelset-bestand")
    try:
        meta = RuleSetMeta.model_validate(doc.data)
    except ValidationError as exc:
        raise RuleError(problems_from(doc, RuleSetMeta, exc))
    files: dict[str, bytes] = {"ruleset.yaml": doc.raw}
    ruleset = RuleSet(folder=folder, meta=meta, rules=[], files=files)
    ruleset.__dict__["source_text"] = read_source(folder, meta.source.path, doc.name, **_at(doc, ("source", "path")))
    passed = None  # what the checks against the source gave these exact files before
    if remember:
        from engine.rulebase import verified

        key = verified.key_for(folder, doc.raw, ruleset.source_text)
        passed = verified.recall(key) if key else None
    problems: list[Problem] = []
    unloaded: set[str] = set()  # conclusions of rules that did not load: not reported again as undrawn
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name in ("ruleset.yaml", "invariants.yaml", "niet-gecodeerd.yaml"):  # read elsewhere
            continue
        _load_rule_file(ruleset, path, seen, problems, unloaded, check_citations=passed is None)
    from engine.rulebase.notencoded import load_not_encoded  # deliberately not encoded passages and decision chapters

    problems.extend(load_not_encoded(ruleset, check=passed is None))
    try:
        problems.extend(_stratify(ruleset, unloaded))
    except RuleError as exc:  # a cycle
        problems.extend(exc.problems)
    if problems:
        raise RuleError(problems)
    if passed is not None:
        pages = passed.get("pages", {})
        for r in ruleset.rules:
            r.page = pages.get(r.id)
        return ruleset
    for r in ruleset.rules:
        r.page = ruleset.page_of(r.data.cite)
    if remember and key:
        verified.remember(key, {"pages": {r.id: r.page for r in ruleset.rules if r.page is not None}})
    return ruleset


def _load_rule_file(ruleset: RuleSet, path: Path, seen: dict[str, str], problems: list[Problem], unloaded: set[str],
                    *, check_citations: bool) -> None:
    """The rules of one rule file into ``ruleset``: each validated, its id unique (``seen``: id -> file), its step
    known and its condition parsed; a rule that does not load adds its problems and its conclusions to ``unloaded``."""
    files, specs = ruleset.files, ruleset.facts
    step_ids = [s.id for s in ruleset.meta.steps]
    rdoc = load_document(path, what="regelbestand")
    files[path.name] = rdoc.raw
    items = rdoc.data.get("rules") if isinstance(rdoc.data, dict) else None
    if not isinstance(items, list):
        unloaded.update(_findings_in(rdoc.data))
        problems.append(Problem(rdoc.name, "een regelbestand bevat een lijst 'rules:' / a rule file holds a 'rules:' "
                                "list", line=1, column=1))
        return
    for i, raw in enumerate(items):
        loc = ("rules", i)
        rid = raw.get("id", f"#{i + 1}") if isinstance(raw, dict) else f"#{i + 1}"
        try:
            data = RuleData.model_validate(raw)
        except ValidationError as exc:
            for p in problems_from(rdoc, RuleData, exc, loc):
                problems.append(dataclasses.replace(p, message=f"regel {rid}: {p.message}"))
            unloaded.update(_findings_in(raw))
            continue
        if data.id in seen:
            problems.append(Problem(rdoc.name, f"regel {data.id}: id komt al voor in {seen[data.id]} / duplicate rule id",
                                    field=join_loc(loc + ("id",)), **_at(rdoc, loc + ("id",))))
            unloaded.update(_findings_in(raw))
            continue
        seen[data.id] = rdoc.name
        if data.step not in step_ids:
            problems.append(Problem(rdoc.name, f"regel {data.id}: onbekende stap '{data.step}' / unknown step",
                                    field=join_loc(loc + ("step",)), suggestion=did_you_mean(data.step, step_ids),
                                    **_at(rdoc, loc + ("step",))))
            unloaded.update(_findings_in(raw))
            continue
        try:
            cond = C.parse(data.when, specs)
            for pattern in data.then.missing:
                if not C.expand(pattern, specs):
                    raise C.ConditionError(f"'missing' noemt onbekend feit '{pattern}' / unknown fact",
                                           did_you_mean(pattern, specs))
        except C.ConditionError as exc:
            problems.append(Problem(rdoc.name, f"regel {data.id}: {exc.message}", field=join_loc(loc + ("when",)),
                                    suggestion=exc.suggestion, **_at(rdoc, loc + ("when",))))
            unloaded.update(_findings_in(raw))
            continue
        ruleset.rules.append(Rule(data=data, condition=cond, file=rdoc.name, loc=loc, doc=rdoc))
        if check_citations:
            problems.extend(_citation_problems(ruleset, data, rdoc, loc))


def _citation_problems(ruleset: RuleSet, data: RuleData, doc: LoadedDocument, loc: tuple) -> list[Problem]:
    """A rule whose quote or section is not in the region's source document, or that cites another file: a
    board could not find it back."""
    source_file = ruleset.meta.source.file
    if data.cite.file != source_file:
        return [Problem(doc.name, f"regel {data.id}: citeert '{data.cite.file}', de bron van de regelset is "
                        f"'{source_file}' / cites another file than the rule set's source",
                        field=join_loc(loc + ("cite", "file")), suggestion=f"gebruik / use 'file: {source_file}'",
                        **_at(doc, loc + ("cite", "file")))]
    if ruleset.source_text is None:
        return []
    normal = _normal_source(ruleset)
    out = []
    for part, nl, en in (("quote", "het citaat", "the quote"), ("section", "de sectie", "the section")):
        if normalise_text(getattr(data.cite, part)) not in normal:
            out.append(Problem(doc.name, f"regel {data.id}: {nl} staat niet in de bron / {en} is not in the source "
                               f"({data.cite.file})", field=join_loc(loc + ("cite", part)),
                               suggestion=closest_passage(ruleset, getattr(data.cite, part)),
                               **_at(doc, loc + ("cite", part))))
    return out


def closest_passage(ruleset: RuleSet, quote: str) -> str:
    """The suggestion for a quote that is not in the source: the source's sentence most like it."""
    from engine.rulebase.source import SourceDoc

    plain = "neem de tekst letterlijk over uit de bron / copy the text from the source"
    if not ruleset.source_text:
        return plain
    doc = ruleset.__dict__.get("_plain_document")
    if doc is None:
        doc = ruleset.__dict__["_plain_document"] = SourceDoc(ruleset.source_text)
    passage = doc.closest(quote)
    if passage is None:
        return plain
    text = passage.text if len(passage.text) <= 200 else passage.text[:197] + "…"
    where = f"{ruleset.meta.source.file}:{passage.line}" + (f", p. {passage.page}" if passage.page else "")
    return f"{plain}; dichtstbijzijnde passage / closest passage ({where}): \u201c{text}\u201d"


def _normal_source(ruleset: RuleSet) -> str:
    """The source text normalised once per rule set (see :func:`normalise_text`)."""
    cached = ruleset.__dict__.get("_normal_source")
    if cached is None:
        cached = ruleset.__dict__["_normal_source"] = normalise_text(ruleset.source_text or "")
    return cached


def _findings_in(raw: Any) -> set[str]:
    """Conclusions (``then: {finding: …}``) anywhere in the data of a rule or rule file that did not load."""
    out: set[str] = set()
    stack = [raw]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            then = node.get("then")
            if isinstance(then, dict) and isinstance(then.get("finding"), str):
                out.add(then["finding"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return out


def _stratify(ruleset: RuleSet, unloaded: set[str] = frozenset()) -> list[Problem]:  # type: ignore[assignment]
    """Give each rule a stratum: after every rule whose conclusion it reads. Cycles are errors.

    Conclusions in ``unloaded`` are drawn by rules that failed to load; those
    rules are already reported, so rules reading them are not reported again.
    """
    producers = ruleset.producers
    problems = []
    for r in ruleset.rules:
        for name in C.conclusion_names(r.condition):
            if name not in producers and name not in unloaded:
                problems.append(Problem(r.file, f"regel {r.id}: conclusie '{name}' wordt door geen regel getrokken "
                                        f"/ no rule draws this conclusion", line=r.line, column=r.column,
                                        field=join_loc(r.loc + ("when",)),
                                        suggestion=did_you_mean(name, producers)))
    if problems:
        return problems
    memo: dict[str, int] = {}
    visiting: list[str] = []

    def stratum(rule: Rule) -> int:
        if rule.id in memo:
            return memo[rule.id]
        if rule.id in visiting:
            cycle = " → ".join(visiting[visiting.index(rule.id):] + [rule.id])
            raise RuleError([Problem(rule.file, f"regel {rule.id}: kringredenering tussen conclusies / cyclic "
                                     f"conclusions: {cycle}", line=rule.line, column=rule.column,
                                     suggestion="laat geen regel (via andere regels) zijn eigen conclusie lezen "
                                                "/ no rule may read its own conclusion, directly or through others")])
        visiting.append(rule.id)
        level = 1
        for name in C.conclusion_names(rule.condition):
            for pid in producers.get(name, ()):
                level = max(level, stratum(ruleset.by_id[pid]) + 1)
        visiting.pop()
        memo[rule.id] = level
        return level

    for r in ruleset.rules:
        r.stratum = stratum(r)
    return []


# An editorial insertion in a quote: "toevoegde [toegevoegde] waarde", "aanspreek punt [sic]". A quote reproduces
# the source as it is; a bracketed insertion marks an error of the source and is left out when matching.
_EDITORIAL = re.compile(r"\s*\[[^\[\]\n]{1,40}\]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "`": "'"})


def normalise_text(text: str) -> str:
    """Fold a text for quote matching: whitespace, line-break hyphens, quote marks, diacritics.

    The source documents were extracted from PDFs: words are split over lines
    ("samen-\nwerking") and some diacritics were misread ("financiéle" for
    "financiële"). Folding both sides lets a rule quote the document in
    correct Dutch while the check still proves the passage is there. A
    bracketed insertion (``[sic]``, ``[toegevoegde]``) marks an error of the
    source in a quote and is not part of the passage.
    """
    import re
    import unicodedata

    text = _EDITORIAL.sub("", text)
    text = re.sub(r"(?<=[a-zà-ÿ])-\s*\n\s*(?=[a-zà-ÿ])", "", text)
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    if not text.isascii():  # only non-ASCII characters can be combining marks: look at those alone
        combining = unicodedata.combining
        text = _NON_ASCII.sub(lambda m: "" if combining(m.group()) else m.group(), text)
    return " ".join(text.split()).lower()


_NORMAL_SOURCE: tuple[str, str] | None = None  # the last source text and its folded form


def quote_in_source(quote: str, source: str) -> bool:
    """Whether a quote occurs in the source text (see :func:`normalise_text`).

    The source is folded once and kept while the same text is asked about (a check asks about every
    quote and section of a rule set against one source)."""
    global _NORMAL_SOURCE
    if _NORMAL_SOURCE is None or _NORMAL_SOURCE[0] is not source:
        _NORMAL_SOURCE = (source, normalise_text(source))
    return normalise_text(quote) in _NORMAL_SOURCE[1]
