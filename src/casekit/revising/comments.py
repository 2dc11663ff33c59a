"""``casekit comments``: each comment and tracked change of a returned DOCX, at the place
in the templates, case data or references that wrote the text it is on.

A DOCX casekit built carries its anchors and their map (``rendering/anchors.py``). A
remark's place is found from the nearest anchor before it: the text from that anchor on,
as the DOCX has it before the tracked changes, is aligned character by character with the
rendered Markdown the map describes (they differ only by what pandoc did: emphasis marks,
citation keys printed as numbers, typographic quotes), and the segment of the map at the
aligned offset names the template line or the data field. An entry of the reference list
is known by pandoc's own bookmark around it (``ref-<key>``), and named by its key and line
in the store.

A DOCX that lost its anchors (saved by an editor that drops them, or built before casekit
wrote them) is matched by its text instead: each paragraph's words are looked for in the
manuscript as the project renders it now, and those found uniquely stand in for anchors.
A DOCX none of whose paragraphs matches is refused: it was not built from this project.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casekit.core.errors import DocxError, Location
from casekit.core.project import Project
from casekit.rendering.anchors import AnchorMap
from casekit.revising.returned import Kind, Mark, Reply, Returned, read_returned


@dataclass(frozen=True)
class Place:
    """Where the text a remark is on was written."""

    file: str
    """The file, relative to the project; empty when no place is known."""
    line: int | None
    """1-based line."""
    column: int | None
    """1-based column."""
    field: str | None
    """The data field (``patient.age.value``), or the cited key of a reference entry."""
    generated: bool
    """casekit printed it from the data (a value, a table's cell, a reference): the fix
    goes to the data."""


@dataclass(frozen=True)
class Remark:
    """One comment or tracked change, with the place an author edits for it."""

    kind: Kind
    """``comment``, ``insertion`` or ``deletion``."""
    place: Place
    """Where its text was written."""
    author: str
    """Who made it."""
    date: str | None
    """When, as Word wrote it."""
    text: str
    """The comment; the inserted or deleted text."""
    quoted: str
    """The text a comment is on; the deleted text of a deletion; empty for an insertion."""
    replies: tuple[Reply, ...]
    """A comment's replies."""
    resolved: bool
    """A comment's thread is marked resolved."""
    before: str
    """A few words before it, as casekit wrote the text."""
    after: str
    """A few words after it."""
    stale: bool
    """Its file changed since the DOCX was built: the line is that of the version then."""

    def location(self, root: Path) -> Location:
        """Its place as a casekit location (for a one-line message)."""
        place = self.place
        path = root / place.file if place.file else None
        return Location(path, place.line, place.column, place.field)

    def to_json(self) -> dict[str, Any]:
        place = self.place
        return {
            "file": place.file or None,
            "line": place.line,
            "column": place.column,
            "field": place.field,
            "kind": self.kind,
            "author": self.author,
            "date": self.date,
            "text": self.text,
            "quoted": self.quoted,
            "replies": [{"author": r.author, "date": r.date, "text": r.text} for r in self.replies],
            "resolved": self.resolved,
            "generated": place.generated,
            "stale": self.stale,
        }


@dataclass(frozen=True)
class Comments:
    """What ``casekit comments`` reports about one DOCX."""

    docx: Path
    """The DOCX read."""
    remarks: tuple[Remark, ...]
    """Its comments and tracked changes, in the order of the text."""
    anchored: bool
    """Placed by the DOCX's own anchors; else by matching its text against the project."""
    changed: tuple[str, ...]
    """Files whose lines are named that changed since the DOCX was built."""

    def count(self, kind: Kind) -> int:
        return sum(1 for r in self.remarks if r.kind == kind)


def read_comments(docx: Path, project: Project) -> Comments:
    """The comments and tracked changes of ``docx``, each at its place in ``project``.

    Raises :class:`DocxError` for a file that is not a DOCX, or one that carries no
    anchors and none of whose text the project's manuscript holds. Writes nothing."""
    returned = read_returned(docx)
    anchor_map = returned.map
    anchored = anchor_map is not None and bool(returned.anchors)
    if anchor_map is None:
        anchor_map = _rendered_now(project, docx)
    if anchored:
        syncs = [
            (at, anchor_map.anchors[n]) for n, at in returned.anchors if n < len(anchor_map.anchors)
        ]
        # A paragraph left without anchors (a narrow table's cells; a paragraph a
        # co-author retyped) is placed by its own words where they are found.
        anchored_paragraphs = {returned.original.count("\n", 0, at) for at, _ in syncs}
        syncs = sorted([*syncs, *_matched(returned.original, anchor_map.text, anchored_paragraphs)])
    else:
        syncs = _matched(returned.original, anchor_map.text)
        if not syncs:
            raise DocxError(
                "not built by casekit: it holds no casekit anchors, and no paragraph of it "
                "matches the text of the manuscript in "
                + (str(project.root) if project.root != Path.cwd() else "this folder"),
                Location(docx),
                hint="run casekit comments in the project that built this DOCX (-C DIR)",
            )
    changed = _changed(anchor_map, project.root) if returned.map is not None else set()
    aligner = _Aligner(returned.original, anchor_map.text, syncs, unmatched=not anchored)
    remarks = tuple(
        _remark(mark, returned, anchor_map, aligner, project, changed) for mark in returned.marks
    )
    return Comments(docx, remarks, anchored, tuple(sorted(changed)))


def _remark(
    mark: Mark,
    returned: Returned,
    anchor_map: AnchorMap,
    aligner: _Aligner,
    project: Project,
    changed: set[str],
) -> Remark:
    original = returned.original
    start = mark.start
    if mark.end > start:  # the first character that is not white space
        start += len(original[start : mark.end]) - len(original[start : mark.end].lstrip())
    place = _reference_place(start, returned, anchor_map, project) if mark.in_body else None
    if not mark.in_body:
        place = Place("", None, None, None, False)
    elif place is None:
        at = aligner.to_map(start)
        segment = anchor_map.segment_at(at) if at is not None else None
        if segment is None or at is None:
            place = Place("", None, None, None, False)
        else:
            column = segment.column_at(at)
            place = Place(segment.file, segment.line, column, segment.field, segment.generated)
    before, after = _context(original, mark.start, mark.end)
    quoted = mark.quoted if mark.kind == "comment" else mark.text if mark.kind == "deletion" else ""
    return Remark(
        mark.kind,
        place,
        mark.author,
        mark.date,
        mark.text,
        quoted,
        mark.replies,
        mark.resolved,
        before,
        after,
        place.file in changed,
    )


def _reference_place(
    at: int, returned: Returned, anchor_map: AnchorMap, project: Project
) -> Place | None:
    """The entry of the reference list ``at`` is in, at its key's line in the store."""
    for key, start, end in returned.references:
        if start <= at < end:
            # A reference cited only since the DOCX was built is looked up in the store.
            file, line = anchor_map.references.get(key, (_BIBLIOGRAPHY, 0))
            return Place(file, line or _key_line(project.bibliography, key), None, key, True)
    return None


_BIBLIOGRAPHY = "references.bib"


def _key_line(bibliography: Path, key: str) -> int | None:
    """The line where entry ``key`` starts in the store (read as it is now)."""
    try:
        text = bibliography.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = re.search(r"^\s*@\s*\w+\s*[{(]\s*" + re.escape(key) + r"\s*,", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _context(text: str, start: int, end: int, width: int = 30) -> tuple[str, str]:
    """A few words on either side of ``text[start:end]``, within its paragraph."""
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    before = text[max(para_start, start - width) : start]
    if start - width > para_start:
        before = "…" + before.split(" ", 1)[-1]
    after = text[end : min(para_end, end + width)]
    if end + width < para_end:
        after = after.rsplit(" ", 1)[0] + "…"
    return before, after


def _changed(anchor_map: AnchorMap, root: Path) -> set[str]:
    """The files the map names whose bytes differ from when the DOCX was built."""
    changed = set()
    for name, digest in anchor_map.files.items():
        try:
            now = hashlib.sha256((root / name).read_bytes()).hexdigest()
        except OSError:
            continue  # not here (another project, or a file since removed): cannot tell
        if now != digest:
            changed.add(name)
    return changed


def _rendered_now(project: Project, docx: Path) -> AnchorMap:
    """The map of the manuscript as the project renders it now (for a DOCX without one).

    Nothing is written: no cache, no output."""
    from casekit.building.job import docx_anchors
    from casekit.building.plan import Request, make_plan
    from casekit.building.prepare import render
    from casekit.inputs.case_file import load_case
    from casekit.references.citations import cited_keys, find_citations
    from casekit.references.store import scan_store

    if not project.manuscript_yaml.is_file():
        raise DocxError(
            "it holds no casekit anchors, and there is no manuscript here to match its text "
            f"against ({project.manuscript_yaml} is missing)",
            Location(docx),
            hint="run casekit comments in the project that built this DOCX (-C DIR)",
        )
    plan = make_plan(Request(project, ("docx",)))
    case = load_case(project.case_yaml, project.case_schema).value
    document = render(plan, case, cache=False)
    keys = cited_keys(c for part in document.parts for c in find_citations(part.markdown))
    store = scan_store(project.bibliography)
    return docx_anchors(project, document, store, keys).map


# Aligning the DOCX's text with the rendered Markdown --------------------------------------


class _Aligner:
    """Offsets of the DOCX's text (before its tracked changes) turned into offsets of the
    rendered Markdown, from sync points: (DOCX offset, Markdown offset) pairs known to be
    the same place, anchors or matched words. From the sync point before an offset, the
    two texts are aligned by :class:`difflib.SequenceMatcher` up to the next one.

    Words matched by text (``unmatched``: no anchors) place only what aligns: a paragraph
    with no sync point of its own must have words aligned from the sync point before it,
    or else from the one after it (Word sets a table's caption above the table, the
    Markdown below it, so the cells follow the caption in one and precede it in the
    other)."""

    def __init__(
        self, docx: str, markdown: str, syncs: Sequence[tuple[int, int]], unmatched: bool
    ) -> None:
        self.docx = docx
        self.markdown = markdown
        self.syncs = list(syncs)
        self.keys = [d for d, _ in self.syncs]
        self.unmatched = unmatched
        self._windows: dict[tuple[int, int], _Window] = {}

    def to_map(self, offset: int) -> int | None:
        """The Markdown offset of DOCX offset ``offset`` (None: nothing near it matched)."""
        k = bisect.bisect_right(self.keys, offset) - 1
        windows = []
        if k >= 0:
            windows.append(self._forward(k))
        if (self.unmatched or k < 0) and k + 1 < len(self.syncs):
            windows.append(self._backward(k + 1, offset))
        for window in windows:
            if not self.unmatched or window.placed(offset):
                return window.map(offset)
        return None

    def _forward(self, k: int) -> _Window:
        if (k, -1) not in self._windows:
            d, m = self.syncs[k]
            d_next = self.syncs[k + 1][0] if k + 1 < len(self.syncs) else len(self.docx)
            m_next = self.syncs[k + 1][1] if k + 1 < len(self.syncs) else -1
            if m_next <= m:  # the next sync point is earlier in the Markdown (moved text)
                m_next = min(len(self.markdown), m + 3 * (d_next - d) + 200)
            self._windows[k, -1] = _Window(self.docx, self.markdown, d, d_next, m, m_next, d)
        return self._windows[k, -1]

    def _backward(self, k: int, offset: int) -> _Window:
        start = self.docx.rfind("\n", 0, offset) + 1  # the paragraph's start
        if (k, start) not in self._windows:
            d, m = self.syncs[k]
            m_start = max(0, m - 3 * (d - start) - 200)
            self._windows[k, start] = _Window(self.docx, self.markdown, start, d, m_start, m, d)
        return self._windows[k, start]


class _Window:
    """A stretch of the DOCX's text aligned with a stretch of the Markdown."""

    def __init__(
        self, docx: str, markdown: str, d: int, d_end: int, m: int, m_end: int, sync: int
    ) -> None:
        self.docx = docx
        self.d = d
        self.m = m
        self.sync = sync
        matcher = difflib.SequenceMatcher(None, docx[d:d_end], markdown[m:m_end], autojunk=False)
        self.blocks = matcher.get_matching_blocks()

    def map(self, offset: int) -> int:
        x = offset - self.d
        found = self.m
        for i, j, n in self.blocks:
            if i <= x < i + n:
                return self.m + j + x - i
            if i > x:
                break
            found = self.m + j + n  # x is past this block: the gap after it starts here
        return found

    def placed(self, offset: int) -> bool:
        """Whether ``offset`` is in the paragraph of this window's sync point, or in one
        some of whose words align."""
        low, high = sorted((self.sync, offset))
        if "\n" not in self.docx[low:high]:
            return True
        start = self.docx.rfind("\n", 0, offset) + 1 - self.d
        end = self.docx.find("\n", offset)
        end = (len(self.docx) if end < 0 else end) - self.d
        needed = min(_ALIGNED, max(1, end - start))
        return any(n >= needed and i < end and i + n > start for i, _, n in self.blocks)


_ALIGNED = 6
"""Characters of a paragraph that must align for it to be placed by its neighbours."""
_CHUNK = 24
"""Letters and digits of a paragraph looked for together when matching text."""
_MINIMUM = 12
"""A paragraph with fewer letters and digits than this is not matched."""


def _matched(
    docx: str, markdown: str, skip: set[int] | frozenset[int] = frozenset()
) -> list[tuple[int, int]]:
    """Sync points found by text: runs of a paragraph's letters and digits that occur
    once in the Markdown, at the first of them (the Markdown's syntax, the DOCX's
    numbers for citation keys and its typographic quotes left out of both). Paragraphs
    numbered in ``skip`` are left out."""
    plain_m, index_m = _letters(markdown)
    syncs = []
    at = 0
    for number, paragraph in enumerate(docx.split("\n")):
        plain, index = _letters(paragraph)
        if len(plain) >= _MINIMUM and number not in skip:
            for c in range(0, max(1, len(plain) - _MINIMUM + 1), _CHUNK):
                probe = plain[c : c + _CHUNK]
                found = plain_m.find(probe)
                if found >= 0 and plain_m.find(probe, found + 1) < 0:
                    syncs.append((at + index[c], index_m[found]))
        at += len(paragraph) + 1
    return syncs


def _letters(text: str) -> tuple[str, list[int]]:
    """``text``'s letters and digits, lower case, with the offset of each in ``text``."""
    kept = [(c.lower() if len(c.lower()) == 1 else c, i) for i, c in enumerate(text) if c.isalnum()]
    return "".join(c for c, _ in kept), [i for _, i in kept]
