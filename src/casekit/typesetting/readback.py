"""Reading built outputs back: the citation labels and reference list a reader sees.

``casekit check`` compares what the PDF and DOCX actually print with the numbers
casekit computes from the sources. The citation's look (brackets, parentheses or
superscript) comes from the CSL style. The cited region runs from the abstract to
the reference list heading (the first body heading when a journal takes no
abstract), so affiliation superscripts on the title page are not mistaken for
citations.
"""

from __future__ import annotations

import html
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from casekit.references.styles import CITATION_LABEL, Look
from casekit.rendering.headings import Headings

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_UNIT_POWER = re.compile(r"(?:^|[\s/\d·×(])(?:[kcmdµμ]?m|ft|in)$")
"""A length unit just before a raised digit: the ² of ``mg/m²`` is a power, not a citation."""
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


@dataclass(frozen=True)
class Printed:
    """What one output prints."""

    groups: tuple[str, ...]
    """Citation labels in reading order, without brackets or spaces, e.g. ``1,5–9``."""
    references: int
    """Entries in the reference list."""
    entries: tuple[str, ...] = ()
    """The reference list as printed, one entry a string, its number left off; empty
    for a format whose list is structured rather than printed (JATS)."""
    soft_hyphens: int = 0
    """Characters that copy as a soft hyphen (U+00AD): in a PDF, hyphens whose glyph the
    font shares with the hyphens Typst adds when it hyphenates."""


def normal(label: str) -> str:
    """A label without spaces and with en dashes: ``1, 5-9`` → ``1,5–9``."""
    return re.sub(r"\s+", "", label).replace("-", "–")


def _region(text: str, headings: Headings) -> tuple[str, str]:
    """(cited text from the first heading to the references, the reference list)."""
    start = text.find(f"\n{headings.first}\n")
    end = text.find(f"\n{headings.references}\n")
    body = text[start if start >= 0 else 0 : end if end >= 0 else len(text)]
    return body, text[end + len(headings.references) + 2 :] if end >= 0 else ""


def list_entries(text: str) -> tuple[str, ...]:
    """The entries of a numbered list, each on one line, without its number.

    An entry starts at a line beginning with the next number: ``1. ``, ``1 `` or
    ``[1] `` (a line of just ``2.`` is an empty entry, a bare ``2`` is not one), and
    runs until the next entry starts."""
    entries: list[list[str]] = []
    for line in text.splitlines():
        n = len(entries) + 1
        label = re.match(rf"\[?{n}(?:[.\]](?=\s|$)|(?=[ \t]+\S))[ \t]*", line)
        if label is not None:
            entries.append([line[label.end() :]])
        elif entries:
            entries[-1].append(line)
    return tuple(" ".join(part.strip() for part in e if part.strip()) for e in entries)


def _without_furniture(pages: list[str]) -> str:
    """The pages' text without running heads and page numbers: the lines at the top or
    bottom of a page that are a bare number or recur at the top or bottom of others."""
    edges: Counter[str] = Counter()
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        edges.update({*lines[:2], *lines[-2:]})

    def furniture(line: str) -> bool:
        return line.isdigit() or (len(pages) > 1 and edges[line] > 1)

    kept = []
    for page in pages:
        lines = [line for line in page.splitlines() if line.strip()]
        while lines and furniture(lines[0].strip()):
            lines.pop(0)
        while lines and furniture(lines[-1].strip()):
            lines.pop()
        kept.append("\n".join(lines))
    return "\n".join(kept)


PageText = tuple[str, list[tuple[str, float]]]
"""A page's text, and its pieces with their font sizes."""

PARALLEL_PAGES = 40
"""PDFs this long are read on every CPU: pypdf takes about 17 ms a page."""


def _read_pages(path: str, start: int, stop: int) -> list[PageText]:
    import pypdf

    pages: list[PageText] = []
    for page in pypdf.PdfReader(path).pages[start:stop]:
        chunks: list[tuple[str, float]] = []
        text = page.extract_text(visitor_text=partial(_keep_sized, chunks))
        pages.append((text, chunks))
    return pages


def _keep_sized(
    chunks: list[tuple[str, float]], text: str, _cm: object, _tm: object, _font: object, size: float
) -> None:
    if text:
        chunks.append((text, float(size)))


def pdf_pages(path: Path) -> list[PageText]:
    """Every page's text; a long PDF is split into runs of pages read in parallel."""
    import pypdf

    count = len(pypdf.PdfReader(path).pages)
    workers = min(os.cpu_count() or 1, 8)
    if count < PARALLEL_PAGES or workers < 2:
        return _read_pages(str(path), 0, count)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    step = -(-count // workers)
    starts = range(0, count, step)
    # spawn, not fork: the process may hold threads (the build's), which fork would
    # copy in whatever state they were in.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(len(starts), mp_context=context) as pool:
        runs = pool.map(_read_pages, [str(path)] * len(starts), starts, [s + step for s in starts])
        return [page for run in runs for page in run]


def pdf_outline(path: Path) -> list[tuple[str, int]]:
    """The PDF's bookmarks (Typst writes one per heading): each title with its page (from 1),
    in reading order; none when the PDF has no outline."""
    import pypdf

    reader = pypdf.PdfReader(path)
    found: list[tuple[str, int]] = []

    def walk(entries: list[Any]) -> None:
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
                continue
            page = reader.get_destination_page_number(entry)
            if page is not None and page >= 0:
                found.append((str(entry.title), page + 1))

    walk(reader.outline)
    return found


SOFT_HYPHEN = "\xad"


def read_pdf(path: Path, look: Look, headings: Headings) -> Printed:
    """Citation labels and reference count of a PDF."""
    read = pdf_pages(path)
    chunks = [chunk for _, page_chunks in read for chunk in page_chunks]
    text = "\n".join(page_text for page_text, _ in read)
    body, _ = _region(text, headings)
    entries = list_entries(_region(_without_furniture([p for p, _ in read]), headings)[1])
    soft = text.count(SOFT_HYPHEN)
    if not look.superscript:
        groups = tuple(normal(m) for m in look.pattern().findall(body))
        return Printed(groups, len(entries), entries, soft)
    sizes = Counter(round(size, 1) for chunk, size in chunks if chunk.strip())
    body_size = sizes.most_common(1)[0][0] if sizes else 0.0
    flat = "".join(chunk for chunk, _ in chunks)
    start = max(flat.find(headings.first), 0)
    end = flat.find(headings.references, start)
    position = 0
    raised: list[str] = []
    previous_small = False
    for chunk, size in chunks:
        here = position
        position += len(chunk)
        small = (
            size < body_size * 0.75 and re.fullmatch(rf"\s*{CITATION_LABEL}\s*", chunk) is not None
        )
        if small and start <= here < (end if end >= 0 else len(flat)):
            if previous_small:
                raised[-1] += chunk
            else:
                raised.append(chunk)
        previous_small = bool(small)
    return Printed(tuple(normal(g) for g in raised), len(entries), entries, soft)


def _docx_paragraphs(path: Path) -> list[tuple[str, list[tuple[str, bool]]]]:
    import zipfile
    from xml.etree import ElementTree

    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    paragraphs = []
    for p in root.iter(f"{W}p"):
        style_el = p.find(f"{W}pPr/{W}pStyle")
        style = style_el.get(f"{W}val", "") if style_el is not None else ""
        runs = []
        for r in p.iter(f"{W}r"):
            text = "".join(t.text or "" for t in r.iter(f"{W}t"))
            align = r.find(f"{W}rPr/{W}vertAlign")
            raised = align is not None and align.get(f"{W}val") == "superscript"
            runs.append((text, raised))
        paragraphs.append((style, runs))
    return paragraphs


def read_docx(path: Path, look: Look, headings: Headings) -> Printed:
    """Citation labels and reference count of a Word document."""
    paragraphs = _docx_paragraphs(path)
    texts = ["".join(t for t, _ in runs) for _, runs in paragraphs]
    start = next((i for i, t in enumerate(texts) if t.strip() == headings.first), 0)
    end = next((i for i, t in enumerate(texts) if t.strip() == headings.references), len(texts))
    groups: list[str] = []
    for _, runs in paragraphs[start:end]:
        if look.superscript:
            current = ""
            for text, raised in [*runs, ("", False)]:
                if raised:
                    current += text
                elif current:
                    if re.fullmatch(rf"\s*{CITATION_LABEL}\s*", current):
                        groups.append(normal(current))
                    current = ""
        else:
            joined = "".join(t for t, _ in runs)
            groups += [normal(m) for m in look.pattern().findall(joined)]
    listed = [texts[i] for i, (style, _) in enumerate(paragraphs) if style == "Bibliography"]
    entries = tuple(re.sub(r"^\[?\d+[.\]]?\s*", "", entry).strip() for entry in listed)
    return Printed(tuple(groups), len(entries), entries)


def read_plain(path: Path, look: Look, headings: Headings) -> Printed:
    """Citation labels and reference count of plain text or HTML output."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = re.sub(r"<sup>(.*?)</sup>", r"⁽\1⁾", text)
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    body, tail = _region(text, headings)
    if look.superscript:
        # HTML: <sup>1–4</sup> (marked ⁽…⁾ above); plain text: ^(1,5–9) or ¹⁸, but
        # not an exponent such as 10⁶, and in HTML only what <sup> marks.
        digits = "" if path.suffix == ".html" else r"|(?<![\d⁰¹²³⁴⁵⁶⁷⁸⁹])([⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
        raised = re.compile(rf"⁽({CITATION_LABEL})⁾|\^\(({CITATION_LABEL})\){digits}")
        found = [
            "".join(m.groups(default=""))
            for m in raised.finditer(body)
            if not _UNIT_POWER.search(body, max(0, m.start() - 5), m.start())
        ]
        groups = tuple(normal(g.translate(_SUPERSCRIPT_DIGITS)) for g in found)
    else:
        groups = tuple(normal(m) for m in look.pattern().findall(body))
    entries = list_entries(tail)
    return Printed(groups, len(entries), entries)


def read_jats(path: Path, look: Look, headings: Headings) -> Printed:
    """Citation labels and reference count of JATS XML: the body from the section titled
    with the first cited heading (the byline's affiliation marks come before it), and the
    ``ref`` elements."""
    from xml.etree import ElementTree

    root = ElementTree.parse(path).getroot()
    body = root.find("body")
    texts: list[str] = []
    raised: list[str] = []
    if body is not None:
        started = not any(
            "".join(t.itertext()).strip() == headings.first for t in body.iter("title")
        )
        for element, text, opening in _reading_order(body):
            if opening and element.tag == "title":
                started = started or "".join(element.itertext()).strip() == headings.first
            if not started:
                continue
            texts.append(text)
            if opening and element.tag == "sup":
                label = "".join(element.itertext())
                if re.fullmatch(rf"\s*{CITATION_LABEL}\s*", label):
                    raised.append(normal(label))
    if look.superscript:
        groups = tuple(raised)
    else:
        groups = tuple(normal(m) for m in look.pattern().findall("".join(texts)))
    return Printed(groups, len(root.findall(".//ref-list/ref")))


def _reading_order(element: Any) -> Iterator[tuple[Any, str, bool]]:
    """(element, text, opening) in reading order: each element's own text (``opening``),
    then its children, each followed by its tail (which belongs to the parent's flow)."""
    yield element, element.text or "", True
    for child in element:
        yield from _reading_order(child)
        yield element, child.tail or "", False
