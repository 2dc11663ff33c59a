"""The CARE checklist: where the manuscript addresses each item, or that it does not.

Sections declare the items they cover in a comment at the top of their template,
``{## care: 5a 5b 6 ##}``. Some items are found without a declaration: the title
(item 1, when it says "case report"), key words (2), the abstract (3a–3d), a
placed timeline (7), a patient-perspective statement (12) and a consent
statement (13). ``casekit care`` writes the checklist with the PDF page of each
section; ``casekit check`` warns about items a case report leaves out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from casekit.data import data_file
from casekit.inputs.manuscript import Manuscript
from casekit.inputs.templates import declarations
from casekit.rendering.document import Document
from casekit.rendering.numbering import LABELS


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
    """Places that address it: section headings, ``title``, ``abstract``..."""


@cache
def care_items() -> dict[str, tuple[str, str]]:
    """Item number → (topic, text), from the shipped data file."""
    raw = yaml.safe_load(data_file("care-items.yaml").read_text(encoding="utf-8"))
    return {str(k): (v["topic"], v["text"]) for k, v in raw.items()}


def declared(template: Path) -> list[str]:
    """Items a template declares it covers."""
    try:
        text = template.read_text(encoding="utf-8")
    except OSError:
        return []
    return declarations(text, "care")


def checklist(meta: Manuscript, document: Document, templates: Path) -> list[CareItem]:
    """Every CARE item with the places that address it (empty when missing)."""
    places: dict[str, list[str]] = {item: [] for item in care_items()}

    def add(items: list[str], where: str) -> None:
        for item in items:
            # "3" or "5" cover every sub-item of that number.
            for known in places:
                if known == item or re.fullmatch(rf"{re.escape(item)}[a-z]", known):
                    places[known].append(where)

    if "case report" in meta.title.lower():
        add(["1"], "Title")
    if 2 <= len(meta.keywords) <= 5:
        add(["2"], "Keywords")
    if document.abstract.strip():
        add(["3"], "Abstract")
    for section in document.sections:
        add(declared(section.template), section.heading)
    for item in document.numbering.items.values():
        if item.name == "timeline" and item.placed is not None:
            add(["7"], f"{LABELS[item.kind]} {item.number}")
    for title in meta.statements:
        lowered = title.lower()
        if "perspective" in lowered:
            add(["12"], title)
        if "consent" in lowered:
            add(["13"], title)
    for path in (templates / "front.md.j2", templates / "back.md.j2"):
        add(declared(path), path.stem.split(".")[0])
    topics = care_items()
    return [
        CareItem(item, topics[item][0], topics[item][1], tuple(dict.fromkeys(where)))
        for item, where in places.items()
    ]


def is_case_report(meta: Manuscript) -> bool:
    return "case" in meta.article_type.lower()


def pdf_pages(pdf: Path, headings: list[str]) -> dict[str, int]:
    """The page (from 1) on which each heading first appears in the PDF."""
    import pypdf

    pages = [page.extract_text() for page in pypdf.PdfReader(pdf).pages]
    found: dict[str, int] = {}
    for name in headings:
        for number, text in enumerate(pages, start=1):
            if re.search(rf"(?m)^\s*{re.escape(name)}(?:\s*$|[:.]\s)", text):
                found[name] = number
                break
    return found


def checklist_markdown(title: str, items: list[CareItem], pages: dict[str, int]) -> str:
    """The filled checklist as a Markdown document with one table."""

    def place(where: str) -> str:
        return f"{where} (p. {pages[where]})" if where in pages else where

    rows = [
        f"| {i.item} | {i.topic}: {i.text} | "
        + ("; ".join(place(w) for w in i.where) if i.where else "**missing**")
        + " |"
        for i in items
    ]
    missing = [i.item for i in items if not i.where]
    summary = f"{len(items) - len(missing)} of {len(items)} items addressed" + (
        f"; missing: {', '.join(missing)}." if missing else "."
    )
    return "\n".join(
        [
            "---",
            f"title: 'CARE checklist: {title.replace(chr(39), chr(39) * 2)}'",
            "---",
            "",
            summary,
            "",
            "| Item | What CARE asks for | Where it is addressed (PDF page) |",
            "|:--|:----------------------|:--------------------|",
            *rows,
            "",
        ]
    )
