"""Reading a DOCX's tracked changes back, and its text with every change accepted or
rejected, the way Word's "Accept All" and "Reject All" would leave it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
KINDS = {f"{W}ins": "ins", f"{W}del": "del"}
PROPERTIES = (f"{W}pPr", f"{W}trPr")


def document(path: Path, part: str = "word/document.xml") -> ET.Element:
    with zipfile.ZipFile(path) as archive:
        return ET.fromstring(archive.read(part))


def text_of(element: ET.Element) -> str:
    """The text of the runs inside ``element``, deleted text included."""
    pieces = []
    for e in element.iter():
        if e.tag in (f"{W}t", f"{W}delText"):
            pieces.append(e.text or "")
        elif e.tag == f"{W}tab":
            pieces.append("\t")
    return "".join(pieces)


def revisions(path: Path) -> list[list[str]]:
    """Every ``w:ins`` and ``w:del`` around runs, in document order: [kind, text]."""
    root = document(path)
    marks = {id(e) for p in root.iter() if p.tag in PROPERTIES for e in p.iter()}
    return [
        [KINDS[e.tag], text_of(e)] for e in root.iter() if e.tag in KINDS and id(e) not in marks
    ]


def revision_elements(path: Path) -> list[ET.Element]:
    """Every ``w:ins`` and ``w:del``, paragraph marks and rows included."""
    return [e for e in document(path).iter() if e.tag in KINDS]


def changes(path: Path, by_style: bool) -> list[list[str]]:
    """The stretches of changed text in document order, [kind, text], told by the
    revision each run is in or (``by_style``) by the highlighted copy's character style.
    Runs of only spaces and tabs are passed over; unchanged text ends a stretch."""
    from casekit.revising.highlight import LOOKS
    from casekit.revising.words import DELETION, INSERTION

    styles = {LOOKS[INSERTION].style_id: "ins", LOOKS[DELETION].style_id: "del"}
    root = document(path)
    found: list[list[str]] = []
    last: str | None = None

    def walk(element: ET.Element, kind: str | None) -> None:
        nonlocal last
        for child in element:
            if child.tag in PROPERTIES:
                continue
            if child.tag != f"{W}r":
                walk(child, KINDS.get(child.tag, kind))
                continue
            text = text_of(child)
            if not text.strip():
                continue
            style = child.find(f"{W}rPr/{W}rStyle")
            name = style.get(f"{W}val", "") if style is not None else ""
            mine = styles.get(name) if by_style else kind
            if mine is not None and mine == last:
                found[-1][1] += text
            elif mine is not None:
                found.append([mine, text])
            last = mine

    walk(root, None)
    return found


def whole_paragraphs(path: Path) -> list[list[str]]:
    """Paragraphs whose mark is inserted or deleted: [kind, text]."""
    found = []
    for paragraph in document(path).iter(f"{W}p"):
        for kind, name in KINDS.items():
            if paragraph.find(f"{W}pPr/{W}rPr/{kind}") is not None:
                found.append([name, text_of(paragraph)])
    return found


def whole_rows(path: Path) -> list[list[str]]:
    """Table rows inserted or deleted whole: [kind, their cells' text joined by |]."""
    found = []
    for row in document(path).iter(f"{W}tr"):
        for kind, name in KINDS.items():
            if row.find(f"{W}trPr/{kind}") is not None:
                cells = [text_of(cell) for cell in row.iter(f"{W}tc")]
                found.append([name, "|".join(cells)])
    return found


def resolved(path: Path, accept: bool = True, numbers: bool = True) -> list[str]:
    """The text of each paragraph (table cells' too) with every change accepted, or
    rejected: one side's content dropped, a paragraph whose mark goes is joined to the
    next, a row that goes is dropped. A DOCX without changes reads as it is. Without
    ``numbers``, a superscript number (a citation, in some styles) reads as ``#``."""
    body = document(path).find(f"{W}body")
    assert body is not None
    drop = f"{W}del" if accept else f"{W}ins"
    out: list[str] = []
    carried = ""

    def keep(element: ET.Element, dropped: bool, pieces: list[str]) -> None:
        for child in element:
            if child.tag in PROPERTIES:
                continue
            gone = dropped or child.tag == drop
            if not numbers and child.tag == f"{W}r" and _superscript_number(child):
                if not gone:
                    pieces.append("#")
            elif child.tag in (f"{W}t", f"{W}delText"):
                if not gone:
                    pieces.append(child.text or "")
            elif child.tag == f"{W}tab":
                if not gone:
                    pieces.append("\t")
            else:
                keep(child, gone, pieces)

    def paragraph(p: ET.Element) -> None:
        nonlocal carried
        pieces: list[str] = []
        keep(p, False, pieces)
        text = carried + "".join(pieces)
        if p.find(f"{W}pPr/{W}rPr/{drop}") is not None:
            carried = text
        else:
            carried = ""
            out.append(text)

    for element in body:
        if element.tag == f"{W}p":
            paragraph(element)
        elif element.tag == f"{W}tbl":
            for row in element.iter(f"{W}tr"):
                if row.find(f"{W}trPr/{drop}") is None:
                    for p in row.iter(f"{W}p"):
                        paragraph(p)
    return out


def _superscript_number(run: ET.Element) -> bool:
    raised = run.find(f"{W}rPr/{W}vertAlign")
    if raised is None or raised.get(f"{W}val") != "superscript":
        return False
    return re.fullmatch(r"[0-9][0-9,–]*", text_of(run)) is not None


LABEL = re.compile(r"\[[0-9][0-9,–]*\]|^[0-9]+\. (?=\t)")
"""A printed citation ("[2–5]") or a reference list number ("12. " before its tab)."""


def without_numbers(paragraphs: list[str]) -> list[str]:
    """The paragraphs with every citation and reference number as ``#``: what is left
    when numbers derived from the order of citation are set aside."""
    return [LABEL.sub("#", text) for text in paragraphs]
