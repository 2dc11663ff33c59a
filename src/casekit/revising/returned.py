"""A DOCX a co-author returned: its text as casekit wrote it, comments and tracked changes.

Word keeps a comment as a range in ``word/document.xml`` (``w:commentRangeStart`` and
``w:commentRangeEnd``, or only a ``w:commentReference``) and its text in
``word/comments.xml``. Replies and the resolved mark are not there: Word 2013 and later,
and LibreOffice, write them to ``word/commentsExtended.xml``, one ``w15:commentEx`` per
comment, keyed by the ``w14:paraId`` of the comment's last paragraph, whose
``w15:paraIdParent`` names the comment it answers and whose ``w15:done`` marks a thread
resolved. (pandoc's DOCX reader drops replies, jgm/pandoc#6959, so the XML is read here.)

A tracked insertion is a ``w:ins`` (``w:moveTo``) around runs, a deletion a ``w:del``
(``w:moveFrom``) whose runs hold ``w:delText``. The text is read as it was before the
changes (deletions kept, insertions left out): that is the text casekit wrote, which the
anchors and the map describe (``rendering/anchors.py``).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from xml.etree import ElementTree

from casekit.core.errors import DocxError, Location
from casekit.rendering.anchors import AnchorMap, anchor_number
from casekit.typesetting.docxmap import read_map

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
DOCUMENT = "word/document.xml"
COMMENTS = "word/comments.xml"
COMMENTS_EXTENDED = "word/commentsExtended.xml"
REFERENCE_BOOKMARK = "ref-"
"""pandoc's bookmark around each entry of the reference list: ``ref-<key>``."""

Kind = Literal["comment", "insertion", "deletion"]


@dataclass(frozen=True)
class Reply:
    """A comment that answers another."""

    author: str
    """Who wrote it."""
    date: str | None
    """When, as Word wrote it (ISO 8601)."""
    text: str
    """What it says, its paragraphs joined by line breaks."""


@dataclass(frozen=True)
class Mark:
    """A comment or a tracked change, at its place in the text as casekit wrote it."""

    kind: Kind
    """``comment``, ``insertion`` or ``deletion``."""
    start: int
    """Offset in :attr:`Returned.original` where it starts (an insertion: where it goes)."""
    end: int
    """Offset just past it (equal to ``start`` for an insertion or a comment on a point)."""
    author: str
    """Who made it."""
    date: str | None
    """When, as Word wrote it."""
    text: str
    """The comment; the inserted or deleted text."""
    quoted: str = ""
    """The text the comment is on, as the co-author saw it (changes in it included)."""
    replies: tuple[Reply, ...] = ()
    """The replies to a comment, in order."""
    resolved: bool = False
    """Whether the comment's thread is marked resolved (done)."""
    in_body: bool = True
    """Whether it is in the body; a comment in a footnote or header, or on text since
    deleted untracked, is not (and its place cannot be told)."""


@dataclass(frozen=True)
class Returned:
    """What a returned DOCX holds that says where a co-author's remarks go."""

    path: Path
    """The DOCX."""
    original: str
    """Its text before the tracked changes, paragraphs ended by a line break."""
    anchors: tuple[tuple[int, int], ...]
    """(anchor number, offset in :attr:`original`) of each casekit bookmark still there."""
    references: tuple[tuple[str, int, int], ...]
    """(citation key, start, end) of each reference list entry pandoc bookmarked."""
    marks: tuple[Mark, ...]
    """The comments (replies folded in) and tracked changes, in the order of the text."""
    map: AnchorMap | None
    """The map casekit stored in it; None when it has none (or lost it)."""


def read_returned(path: Path) -> Returned:
    """Read a DOCX; a located :class:`DocxError` when it is not a readable Word file."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise DocxError("file not found", Location(path), hint="check the path") from None
    except zipfile.BadZipFile:
        raise _corrupt(path, "not a ZIP archive, as every .docx is") from None
    except OSError as exc:
        raise _corrupt(path, f"cannot be read as a ZIP archive ({_reason(exc)})") from None
    with archive:
        names = set(archive.namelist())
        if DOCUMENT not in names:
            raise _corrupt(path, f"it has no {DOCUMENT}")
        document = _xml(archive, DOCUMENT, path)
        comments = _xml(archive, COMMENTS, path) if COMMENTS in names else None
        extended = _xml(archive, COMMENTS_EXTENDED, path) if COMMENTS_EXTENDED in names else None
        anchor_map = read_map(archive)
    body = document.find(f"{W}body")
    if body is None:
        raise _corrupt(path, f"{DOCUMENT} has no body")
    walk = _Walk()
    walk.block(body)
    marks = [*walk.changes(), *walk.comments(_written(comments, extended))]
    marks.sort(key=lambda m: (m.start, m.end))
    return Returned(
        path,
        "".join(walk.original),
        tuple(walk.anchors),
        tuple(walk.references),
        tuple(marks),
        anchor_map,
    )


def _corrupt(path: Path, why: str) -> DocxError:
    return DocxError(
        f"corrupt Word file: {why}",
        Location(path),
        hint="ask for the file again, or open it in Word or LibreOffice and save it as .docx",
    )


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc).rstrip(".")


def _xml(archive: zipfile.ZipFile, name: str, path: Path) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(archive.read(name))
    except ElementTree.ParseError as exc:
        raise _corrupt(path, f"{name} is not well-formed XML ({exc})") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise _corrupt(path, f"{name} cannot be read ({_reason(exc)})") from None


@dataclass
class _Change:
    kind: Kind
    author: str
    date: str | None
    start: int
    text: list[str] = field(default_factory=list)


@dataclass
class _Walk:
    """Reads the body in document order, noting where each mark starts and ends."""

    original: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)
    anchors: list[tuple[int, int]] = field(default_factory=list)
    references: list[tuple[str, int, int]] = field(default_factory=list)
    done: list[_Change] = field(default_factory=list)
    ranges: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    points: dict[str, tuple[int, int]] = field(default_factory=dict)
    _open_references: dict[str, tuple[str, int]] = field(default_factory=dict)
    _change: _Change | None = None
    _length: int = 0
    _shown_length: int = 0

    def block(self, element: ElementTree.Element) -> None:
        for child in element:
            self.element(child)

    def element(self, element: ElementTree.Element) -> None:
        tag = element.tag
        if tag in _SKIPPED:
            return
        if tag in (f"{W}ins", f"{W}moveTo", f"{W}del", f"{W}moveFrom"):
            kind: Kind = "insertion" if tag in (f"{W}ins", f"{W}moveTo") else "deletion"
            outer = self._change
            self._change = _Change(
                kind, element.get(f"{W}author", ""), element.get(f"{W}date"), self._length
            )
            self.block(element)
            self.done.append(self._change)
            self._change = outer
            return
        if tag in (f"{W}t", f"{W}delText"):
            self.text(element.text or "")
        elif tag in _CHARACTERS:
            self.text(_CHARACTERS[tag])
        elif tag == f"{W}bookmarkStart":
            self.bookmark(element.get(f"{W}name", ""), element.get(f"{W}id", ""))
        elif tag == f"{W}bookmarkEnd":
            opened = self._open_references.pop(element.get(f"{W}id", ""), None)
            if opened is not None:
                self.references.append((opened[0], opened[1], self._length))
        elif tag in (f"{W}commentRangeStart", f"{W}commentRangeEnd"):
            self.ranges.setdefault(element.get(f"{W}id", ""), []).append(self._here())
        elif tag == f"{W}commentReference":
            self.points.setdefault(element.get(f"{W}id", ""), self._here())
        else:
            self.block(element)
            if tag == f"{W}p":
                self.text("\n", paragraph=True)

    def text(self, text: str, paragraph: bool = False) -> None:
        if not text:
            return
        change = self._change
        if change is not None and not paragraph:
            change.text.append(text)
        self.shown.append(text)
        self._shown_length += len(text)
        if change is None or change.kind == "deletion" or paragraph:
            self.original.append(text)
            self._length += len(text)

    def bookmark(self, name: str, number: str) -> None:
        anchor = anchor_number(name)
        if anchor is not None:
            self.anchors.append((anchor, self._length))
        elif name.startswith(REFERENCE_BOOKMARK):
            self._open_references[number] = (name.removeprefix(REFERENCE_BOOKMARK), self._length)

    def _here(self) -> tuple[int, int]:
        return self._length, self._shown_length

    def changes(self) -> Iterator[Mark]:
        """The tracked changes, runs of one change by one author at one time merged."""
        merged: list[Mark] = []
        for change in self.done:
            text = "".join(change.text)
            if not text:
                continue  # a paragraph mark or formatting: no text changed
            end = change.start + (len(text) if change.kind == "deletion" else 0)
            last = merged[-1] if merged else None
            if (
                last is not None
                and (last.kind, last.author, last.date) == (change.kind, change.author, change.date)
                and last.end == change.start
            ):
                merged[-1] = Mark(
                    last.kind, last.start, end, last.author, last.date, last.text + text
                )
            else:
                merged.append(
                    Mark(change.kind, change.start, end, change.author, change.date, text)
                )
        return iter(merged)

    def comments(self, written: list[_Written]) -> Iterator[Mark]:
        """Each thread of comments at its place: a comment with its replies. A file that
        records no threads (LibreOffice 7.4 writes none) gives the comments on exactly the
        same text as one thread, the first comment written starting it."""
        shown = "".join(self.shown)
        placed = {}
        for comment in written:
            places = self.ranges.get(comment.id) or (
                [self.points[comment.id]] if comment.id in self.points else []
            )
            if places:  # else it is in a footnote or a header, or its text is gone
                placed[comment.id] = (places[0], places[-1])
        if not any(c.parent for c in written):
            first: dict[tuple[int, int], str] = {}
            for comment in written:
                if comment.id in placed:
                    (start, _), (end, _) = placed[comment.id]
                    root = first.setdefault((start, end), comment.id)
                    if root != comment.id:
                        comment.parent = root
        replies: dict[str, list[Reply]] = {}
        resolved = {c.thread for c in written if c.done}
        for comment in written:
            if comment.parent is not None:
                replies.setdefault(comment.thread, []).append(comment.reply)
        nowhere = ((self._length, self._shown_length),) * 2  # listed after the rest
        for comment in written:
            if comment.parent is not None:
                continue
            (start, shown_start), (end, shown_end) = placed.get(comment.id, nowhere)
            reply = comment.reply
            yield Mark(
                "comment",
                start,
                max(start, end),
                reply.author,
                reply.date,
                reply.text,
                shown[shown_start:shown_end].strip("\n"),
                tuple(replies.get(comment.id, ())),
                comment.id in resolved,
                comment.id in placed,
            )


_CHARACTERS = {f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "\u2011"}
_SKIPPED = {
    f"{W}pPr",
    f"{W}rPr",
    f"{W}sectPr",
    f"{W}tblPr",
    f"{W}tblGrid",
    f"{W}trPr",
    f"{W}tcPr",
    f"{W}instrText",
    f"{W}delInstrText",
    f"{W}drawing",
    f"{W}pict",
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
}


@dataclass
class _Written:
    """A comment as comments.xml holds it, and its place in a thread."""

    id: str
    """Its ``w:id``, as the document's ranges name it."""
    reply: Reply
    """Who wrote it, when, and what."""
    parent: str | None
    """The id of the comment that starts its thread (None: it starts one)."""
    done: bool
    """Marked resolved."""

    @property
    def thread(self) -> str:
        """The id of the comment that starts its thread."""
        return self.parent or self.id


def _written(
    comments: ElementTree.Element | None, extended: ElementTree.Element | None
) -> list[_Written]:
    """The comments in the order comments.xml holds them, each with the comment starting
    its thread (from commentsExtended.xml) and its resolved mark."""
    if comments is None:
        return []
    parent_of: dict[str, str] = {}
    done: set[str] = set()
    for entry in extended.iter(f"{W15}commentEx") if extended is not None else ():
        para = entry.get(f"{W15}paraId", "")
        if entry.get(f"{W15}paraIdParent"):
            parent_of[para] = entry.get(f"{W15}paraIdParent", "")
        if entry.get(f"{W15}done") in ("1", "true"):
            done.add(para)
    found: list[tuple[str, str, Reply]] = []  # (id, paraId of its last paragraph, comment)
    for comment in comments.iter(f"{W}comment"):
        paragraphs = comment.findall(f".//{W}p")
        para = paragraphs[-1].get(f"{W14}paraId", "") if paragraphs else ""
        text = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in paragraphs).strip()
        reply = Reply(comment.get(f"{W}author", ""), comment.get(f"{W}date"), text)
        found.append((comment.get(f"{W}id", ""), para, reply))
    by_para = {para: key for key, para, _ in found if para}
    written = []
    for key, para, reply in found:
        root = _root(para, parent_of, by_para)
        written.append(
            _Written(key, reply, root if root not in (None, key) else None, para in done)
        )
    return written


def _root(para: str, parent_of: dict[str, str], by_para: dict[str, str]) -> str | None:
    """The id of the comment that starts the thread of the comment whose paragraph is
    ``para`` (None: it answers none)."""
    seen = {para}
    while para in parent_of and parent_of[para] in by_para and parent_of[para] not in seen:
        para = parent_of[para]
        seen.add(para)
    return by_para.get(para)
