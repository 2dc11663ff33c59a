"""The CARE checklist: where the manuscript addresses each item, or that it does not.

Sections declare the items they cover in a comment at the top of their template,
``{## care: 5a 5b 6 ##}``. A declaration is a claim: an item counts as addressed only
where the declaring section shows the evidence ``care-items.yaml`` asks for (item 5a,
an age and a sex; item 4, a citation...). Otherwise it is *declared*, not addressed.
Some items are found without a declaration: the title (item 1, when it says "case
report"), key words (2), the abstract (3a–3d), a placed timeline (7), a
patient-perspective statement (12) and a consent statement (13).

The checklist sees the case data only through :func:`case_records`: which generic
records (anchors, timeline, interventions, adverse events, follow-up) it holds.

``casekit care`` writes the checklist with the PDF page of each place, read from the
PDF's bookmarks (where each heading is typeset as a heading), so a label in the
abstract or a phrase in running text that repeats a heading is never taken for it.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from casekit.core.errors import InputError, Location
from casekit.data import data_file
from casekit.inputs.casedata import Case
from casekit.inputs.manuscript import Manuscript
from casekit.inputs.templates import located_declarations
from casekit.references.citations import find_citations
from casekit.rendering.document import Document
from casekit.rendering.headings import first_heading, level_one_headings
from casekit.rendering.numbering import LABELS

Status = Literal["addressed", "declared", "missing", "not applicable"]
_HEADING_LINE = re.compile(r"^#{1,6}\s.*$", re.MULTILINE)

RECORDS: dict[str, Callable[[Case], bool]] = {
    # record name: does the case data hold it? The only place the checklist reads the case.
    "anchors": lambda case: bool(case.anchors),
    "timeline": lambda case: bool(case.timeline),
    "interventions": lambda case: bool(case.interventions),
    "adverse_events": lambda case: bool(case.adverse_events),
    "follow_up": lambda case: case.follow_up is not None,
}


def case_records(case: Case) -> frozenset[str]:
    """The generic records the case data holds, by the names ``care-items.yaml`` uses."""
    return frozenset(name for name, holds in RECORDS.items() if holds(case))


@dataclass(frozen=True)
class Evidence:
    """One way a declaring section shows that it addresses an item: every part must hold."""

    text: tuple[re.Pattern[str], ...] = ()
    """Patterns that must all match the section's rendered text."""
    citations: int = 0
    """How many citations the section must have at least."""
    case: str | None = None
    """A record the case data must hold (a key of :data:`RECORDS`)."""
    statement: str | None = None
    """A word the title of one of the manuscript's statements must contain."""

    def holds(self, text: str, records: Collection[str], statements: Sequence[str]) -> bool:
        return (
            all(pattern.search(text) for pattern in self.text)
            and len(find_citations(text)) >= self.citations
            and (self.case is None or self.case in records)
            and (
                self.statement is None
                or any(self.statement.lower() in title.lower() for title in statements)
            )
        )


@dataclass(frozen=True)
class Requirement:
    """One CARE item as the shipped data describes it."""

    topic: str
    """CARE topic, e.g. ``Patient information``."""
    text: str
    """What the item asks for."""
    evidence: tuple[Evidence, ...]
    """Ways a declaring section shows it: any one is enough."""


@dataclass(frozen=True)
class Declared:
    """A place that declares an item but shows none of its evidence."""

    place: str
    """The section's heading (``front`` or ``back`` for those templates)."""
    location: Location
    """The template and line of the declaration."""


NO_ABSTRACT = "the journal takes no abstract"
"""Where item 3 is addressed when the journal's manuscript has no abstract."""


@dataclass(frozen=True)
class CareItem:
    """One CARE item and where the manuscript addresses it."""

    item: str
    """Item number, e.g. ``5a``."""
    topic: str
    """CARE topic, e.g. ``Patient information``."""
    text: str
    """What the item asks for."""
    where: tuple[str, ...]
    """Places that address it: section headings, ``Title``, the abstract's heading..."""
    declared: tuple[Declared, ...] = ()
    """Places that declare it without showing it."""

    @property
    def status(self) -> Status:
        if self.where == (NO_ABSTRACT,):
            return "not applicable"
        if self.where:
            return "addressed"
        return "declared" if self.declared else "missing"


@cache
def care_items() -> dict[str, Requirement]:
    """Item number → what it asks for and the evidence that counts, from the shipped file."""
    path = data_file("care-items.yaml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        str(k): Requirement(
            v["topic"], v["text"], tuple(_evidence(e, path, str(k)) for e in v["evidence"])
        )
        for k, v in raw.items()
    }


def _evidence(raw: dict[str, Any], path: Path, item: str) -> Evidence:
    where = Location(path, field=f"{item}.evidence")
    unknown = set(raw) - {"text", "citations", "case", "statement"}
    if unknown:
        raise InputError(f"unknown kind of evidence: {', '.join(sorted(unknown))}", where)
    if "case" in raw and raw["case"] not in RECORDS:
        raise InputError(f"unknown case record {raw['case']!r}", where, f"one of {list(RECORDS)}")
    patterns = raw.get("text", [])
    try:
        text = tuple(
            re.compile(p, re.IGNORECASE)
            for p in ([patterns] if isinstance(patterns, str) else patterns)
        )
    except re.error as error:
        raise InputError(f"bad pattern: {error}", where) from None
    return Evidence(text, int(raw.get("citations", 0)), raw.get("case"), raw.get("statement"))


def checklist(
    meta: Manuscript, document: Document, templates: Path, records: Collection[str]
) -> list[CareItem]:
    """Every CARE item with the places that address it, or declare it without showing it.

    ``records`` are the case data's records (:func:`case_records`).
    """
    items = care_items()
    places: dict[str, list[str]] = {item: [] for item in items}
    unsupported: dict[str, list[Declared]] = {item: [] for item in items}
    statements = list(meta.statements)

    def add(declared: list[str], where: str) -> None:
        for item in expand(declared):
            places[item].append(where)

    def claim(template: Path, markdown: str, where: str) -> None:
        """Items the template declares count where its text shows their evidence."""
        # A heading names a topic without addressing it ("Case presentation" is no symptom).
        text = _HEADING_LINE.sub("", markdown)
        for line, word in _declarations(template):
            for item in expand([word]):
                if any(e.holds(text, records, statements) for e in items[item].evidence):
                    places[item].append(where)
                else:
                    unsupported[item].append(Declared(where, Location(template, line)))

    if "case report" in meta.title.lower():
        add(["1"], "Title")
    if 2 <= len(meta.keywords) <= 5:
        add(["2"], "Keywords")
    if document.abstract.strip():
        if document.abstract.strip() in document.front:
            add(["3"], first_heading(document.front) or "Abstract")
        else:  # the journal's profile leaves the abstract out of the manuscript
            add(["3"], NO_ABSTRACT)
    for section in document.sections:
        claim(section.template, section.markdown, section.heading)
    for item in document.numbering.items.values():
        if item.name == "timeline" and item.placed is not None:
            add(["7"], f"{LABELS[item.kind]} {item.number}")
    for title in statements:
        lowered = title.lower()
        if "perspective" in lowered:
            add(["12"], title)
        if "consent" in lowered:
            add(["13"], title)
    claim(templates / "front.md.j2", document.front, "front")
    claim(templates / "back.md.j2", document.back, "back")
    return [
        CareItem(
            item,
            need.topic,
            need.text,
            tuple(dict.fromkeys(places[item])),
            () if places[item] else tuple(dict.fromkeys(unsupported[item])),
        )
        for item, need in items.items()
    ]


def expand(declared: list[str]) -> list[str]:
    """Known items a declaration names: "3" or "5" cover every sub-item of that number."""
    return [
        known
        for item in declared
        for known in care_items()
        if known == item or re.fullmatch(rf"{re.escape(item)}[a-z]", known)
    ]


def _declarations(template: Path) -> list[tuple[int, str]]:
    """Items a template declares it covers, with the line of each declaration."""
    try:
        text = template.read_text(encoding="utf-8")
    except OSError:
        return []
    return located_declarations(text, "care")


def is_case_report(meta: Manuscript) -> bool:
    return "case" in meta.article_type.lower()


def _normal(text: str) -> str:
    """Text as compared with a PDF: soft and non-breaking hyphens as hyphens, Markdown
    emphasis dropped, spaces collapsed, case folded."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "-").replace("\u2011", "-")
    return " ".join(re.sub(r"[*_`]", "", text).split()).casefold()


def outline_pages(outline: Sequence[tuple[str, int]], headings: Sequence[str]) -> dict[str, int]:
    """The page of each heading in a PDF's outline (title, page), matched in reading order:
    each heading is looked for after the one before it, so a repeated title is not confused."""
    found: dict[str, int] = {}
    start = 0
    for heading in headings:
        titles = [_normal(title) for title, _ in outline]
        want = _normal(heading)
        at = next((i for i in range(start, len(titles)) if titles[i] == want), None)
        if at is None:
            at = next((i for i in range(start) if titles[i] == want), None)
        if at is not None:
            found.setdefault(heading, outline[at][1])
            start = max(start, at + 1)
    return found


def line_pages(pages: Sequence[str], headings: Sequence[str], abstract: str = "") -> dict[str, int]:
    """The page of each heading found as a line of its own in the pages' text, after the
    heading before it and, where it can be, after the abstract's text (whose labels may
    repeat a section's heading): for a PDF without bookmarks."""
    texts = [_normal_lines(page) for page in pages]
    joined = "\n".join(texts)
    starts = [0]
    for text in texts[:-1]:
        starts.append(starts[-1] + len(text) + 1)
    after_abstract = _after(joined, abstract)
    position = 0
    found: dict[str, int] = {}
    for heading in headings:
        words = _normal(heading).split()
        if not words:
            continue
        pattern = re.compile(r"(?m)^ *" + r"\s+".join(map(re.escape, words)) + r" *$")
        # The abstract's own heading (and a title page's) come before its end.
        match = pattern.search(joined, max(position, after_abstract)) or pattern.search(
            joined, position
        )
        if match is not None:
            found.setdefault(heading, bisect.bisect_right(starts, match.start()))
            position = match.end()
    return found


def _normal_lines(page: str) -> str:
    return "\n".join(_normal(line) for line in page.splitlines())


def _after(text: str, abstract: str) -> int:
    """Where the abstract's last words end in ``text`` (0 when they are not found)."""
    plain = re.sub(r"\[@[^\]]*\]", "", abstract)
    tail = re.sub(r"\W", "", _normal(plain))[-30:]
    if not tail:
        return 0
    letters = [(i, c) for i, c in enumerate(text) if c.isalnum() or c == "_"]
    skeleton = "".join(c for _, c in letters)
    at = skeleton.find(tail)
    return 0 if at < 0 else letters[at + len(tail) - 1][0] + 1


def pdf_pages(pdf: Path, document: Document) -> dict[str, int]:
    """The PDF page (from 1) of every place a checklist names: each level-one heading where
    it is typeset as a heading, the title page, key words, and figure and table captions."""
    from casekit.typesetting.readback import pdf_outline
    from casekit.typesetting.readback import pdf_pages as page_texts

    headings = [h for part in document.parts for h in level_one_headings(part.markdown)]
    outline = pdf_outline(pdf)
    texts = [text for text, _ in page_texts(pdf)]
    if outline:
        found = outline_pages(outline, headings)
    else:
        found = line_pages(texts, headings, document.abstract)
    found["Title"] = 1
    labels = ["Keywords"] + [
        f"{LABELS[item.kind]} {item.number}" for item in document.numbering.items.values()
    ]
    for label in labels:
        page = label_page(texts, label)
        if page is not None:
            found.setdefault(label, page)
    return found


def label_page(pages: Sequence[str], label: str) -> int | None:
    """The first page with a line starting ``label`` and a colon or full stop: a caption
    (``Table 1.``) or a run-in label (``Keywords:``), which are not headings."""
    pattern = re.compile(rf"(?m)^\s*{re.escape(label)}[:.]")
    return next((n for n, text in enumerate(pages, start=1) if pattern.search(text)), None)


def checklist_markdown(title: str, items: list[CareItem], pages: dict[str, int]) -> str:
    """The filled checklist as a Markdown document with one table."""

    def place(where: str) -> str:
        return f"{where} (p. {pages[where]})" if where in pages else where

    def cells(i: CareItem) -> str:
        if i.status == "addressed":
            return "addressed | " + "; ".join(place(w) for w in i.where)
        if i.status == "not applicable":
            return "not applicable | " + "; ".join(i.where)
        if i.status == "declared":
            shown = "; ".join(dict.fromkeys(place(d.place) for d in i.declared))
            return f"**declared, not found** | {shown}"
        return "**missing** | "

    rows = [f"| {i.item} | {i.topic}: {i.text} | {cells(i)} |" for i in items]
    declared = [i.item for i in items if i.status == "declared"]
    missing = [i.item for i in items if i.status == "missing"]
    inapplicable = [i.item for i in items if i.status == "not applicable"]
    addressed = len(items) - len(declared) - len(missing) - len(inapplicable)
    notes = [f"not applicable: {', '.join(inapplicable)}"] if inapplicable else []
    notes += [f"declared but not found: {', '.join(declared)}"] if declared else []
    notes += [f"missing: {', '.join(missing)}"] if missing else []
    summary = f"{addressed} of {len(items)} items addressed" + "".join(f"; {n}" for n in notes)
    return "\n".join(
        [
            "---",
            f"title: 'CARE checklist: {title.replace(chr(39), chr(39) * 2)}'",
            "---",
            "",
            summary + ".",
            "",
            "| Item | What CARE asks for | Status | Where (PDF page) |",
            "|:--|:----------------------|:--|:--------------------|",
            *rows,
            "",
        ]
    )
