"""Anchors a co-author's Word file keeps: where each stretch of the DOCX was written.

A DOCX goes out by email and comes back with comments and tracked changes. To say which
template line or case-data field each comment is about, the DOCX carries two things:

- **bookmarks** (``_ck0``, ``_ck1``, ...), hidden in Word's bookmark list by their leading
  underscore, kept by Word and LibreOffice when a co-author edits and saves. Each sits at
  a word of the rendered text: the start of a paragraph, and the first word of each
  stretch a template line or a data value printed, where the Markdown allows it;
- **the map** (:class:`AnchorMap`), stored in the DOCX as a custom XML part
  (``typesetting/docxmap.py``): the rendered text, the offset of each bookmark in it, and
  for each stretch of it the template file and line, or the data field, that wrote it,
  worked out while the build's templates and data are at hand (``inputs/sourcemap.py``).

A bookmark enters the Markdown as one private-use character (U+F0000 + its number) that
the DOCX writer's Lua filter (``data/anchors.lua``) turns into a bookmark, and strips
wherever else it lands (code, URLs, attributes). Only the DOCX reads that Markdown: every
other output is made from the document as it was. A marker goes only where a character
cannot change what pandoc reads (``rendering/markers.py``).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from casekit.core.errors import Location
from casekit.core.paths import shown
from casekit.inputs.sourcemap import Printed, Rendered, Sources, locate
from casekit.rendering.document import Document
from casekit.rendering.markers import MAX_MARKERS, marker, safe_offsets

BOOKMARK_PREFIX = "_ck"
"""Bookmark names: ``_ck`` and the anchor's number; Word hides names starting with ``_``."""
MAP_VERSION = 1
"""Bump when the stored map changes shape; a DOCX with another is read as unanchored."""
MAP_NAMESPACE = "urn:casekit:anchors"
"""The namespace of the custom XML part that holds the map."""


@dataclass(frozen=True)
class Segment:
    """A stretch of the rendered text and the place an author edits to change it."""

    start: int
    """Offset in :attr:`AnchorMap.text` where it starts."""
    end: int
    """Offset just past it."""
    file: str
    """The file, relative to the project (``templates/sections/case.md.j2``)."""
    line: int | None
    """1-based line (None when it cannot be told)."""
    column: int | None
    """1-based column of the segment's first character."""
    field: str | None
    """The data field whose value it is (``patient.age.value``), for a data file."""
    generated: bool
    """Printed by casekit from the data (a value, a number, a table's cell, a reference):
    the fix goes to the data, not to the text."""
    verbatim: bool
    """The template's own text on one line: a character ``n`` into the segment is at
    column ``column + n``."""

    def column_at(self, offset: int) -> int | None:
        """The column of ``offset`` (within the segment) in its file."""
        if self.column is None or not self.verbatim:
            return self.column
        return self.column + max(0, min(offset, self.end) - self.start)


@dataclass(frozen=True)
class AnchorMap:
    """Where every stretch of a DOCX's text was written, and where its bookmarks are."""

    text: str
    """The text the DOCX was written from: the title, then the rendered Markdown of the
    front matter, sections and end matter, as pandoc read them (placeholders as typed)."""
    segments: tuple[Segment, ...]
    """Stretches of :attr:`text` in order, each with its place; white space between them
    belongs to none."""
    anchors: tuple[int, ...] = ()
    """The offset in :attr:`text` of bookmark ``_ck<n>``, by ``n``."""
    references: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    """Each cited key's file and line in the store (the reference list is generated)."""
    files: Mapping[str, str] = field(default_factory=dict)
    """The SHA-256 of each file named, as built: a file changed since has moved lines."""

    def segment_at(self, offset: int) -> Segment | None:
        """The segment holding ``offset``, else the last one before it, else the first."""
        found = None
        lo, hi = 0, len(self.segments)
        while lo < hi:  # the last segment starting at or before offset
            mid = (lo + hi) // 2
            if self.segments[mid].start <= offset:
                lo = mid + 1
            else:
                hi = mid
        if lo:
            found = self.segments[lo - 1]
        elif self.segments:
            found = self.segments[0]
        return found

    def to_json(self) -> str:
        """The map as compact, deterministic JSON (the same build gives the same bytes)."""
        files = sorted({s.file for s in self.segments} | {f for f, _ in self.references.values()})
        index = {name: i for i, name in enumerate(files)}
        data = {
            "version": MAP_VERSION,
            "text": self.text,
            "files": files,
            "hashes": {name: self.files[name] for name in files if name in self.files},
            "segments": [
                [
                    s.start,
                    s.end,
                    index[s.file],
                    s.line,
                    s.column,
                    s.field,
                    int(s.generated) | int(s.verbatim) << 1,
                ]
                for s in self.segments
            ],
            "anchors": list(self.anchors),
            "references": {k: [index[f], line] for k, (f, line) in self.references.items()},
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> AnchorMap:
        """The map stored by :meth:`to_json`; ValueError when it is of another shape."""
        try:
            data = json.loads(text)
            if data.get("version") != MAP_VERSION:
                raise ValueError(f"anchor map version {data.get('version')!r}")
            files = [str(f) for f in data["files"]]
            segments = tuple(
                Segment(int(a), int(b), files[f], line, column, name, bool(g & 1), bool(g & 2))
                for a, b, f, line, column, name, g in data["segments"]
            )
            references = {
                str(k): (files[f], int(line)) for k, (f, line) in data["references"].items()
            }
            return cls(
                str(data["text"]),
                segments,
                tuple(int(a) for a in data["anchors"]),
                references,
                {str(k): str(v) for k, v in data.get("hashes", {}).items()},
            )
        except (KeyError, TypeError, IndexError, AttributeError, json.JSONDecodeError) as exc:
            raise ValueError(f"not a casekit anchor map: {exc}") from None


@dataclass(frozen=True)
class Anchored:
    """The document as the DOCX writer reads it, and the map of where its text came from."""

    markdown: str
    """The pandoc Markdown of :attr:`Document.markdown`, with a marker at each anchor."""
    map: AnchorMap
    """Where each stretch was written, and the offset of each anchor."""


def bookmark_name(number: int) -> str:
    """The Word bookmark of anchor ``number``."""
    return f"{BOOKMARK_PREFIX}{number}"


def anchor_number(name: str) -> int | None:
    """The anchor a bookmark name stands for (None: not one of casekit's)."""
    rest = name.removeprefix(BOOKMARK_PREFIX)
    return int(rest) if rest != name and rest.isdigit() else None


def anchor_document(
    document: Document,
    root: Path,
    manuscript_yaml: Path,
    sources: Sources,
    references: Mapping[str, tuple[Path, int]] | None = None,
) -> Anchored:
    """The document with its anchors, and the map of where each stretch was written.

    ``sources`` are the data files templates print values from (case.yaml,
    manuscript.yaml, abbreviations.yaml); ``references`` the cited keys' entries in
    the store (file and line)."""
    title = str(document.metadata.get("title", ""))
    # Values the front and end matter print whole that are renderings of their own, whose
    # stretches say where in manuscript.yaml each part of them is written.
    nested = {
        text: Rendered(manuscript_yaml, text, printed, f"statements.{heading}")
        for heading, text, printed in document.statements
        if text
    }
    if document.abstract:
        nested[document.abstract] = Rendered(
            manuscript_yaml, document.abstract, document.abstract_printed, "abstract"
        )
    pieces = [
        Rendered(manuscript_yaml, title, (Printed(0, None, 1, True),), "title"),
        *document.rendered,
    ]
    texts: list[str] = []
    segments: list[Segment] = []
    offset = 0
    for piece in pieces:
        body = piece.text.strip("\n") if texts else piece.text  # the title as it is
        lead = len(piece.text) - len(piece.text.lstrip("\n")) if texts else 0
        for segment in _segments(piece, sources, root, nested):
            start, end = max(segment.start - lead, 0), min(segment.end - lead, len(body))
            if start < end:
                segments.append(_moved(segment, start + offset, end + offset))
        texts.append(body)
        offset += len(body) + 2  # the blank line that joins the parts
    text = "\n\n".join(texts)
    body_start = len(title) + 2
    anchors = _anchor_offsets(text, segments, body_start)
    metadata = dict(document.metadata)
    if anchors and anchors[0] == 0 and title:
        metadata["title"] = marker(0) + title
    body = _with_markers(text, body_start, anchors)
    markdown = document.markdown_of([body], metadata)
    cited = {key: (shown(path, root), line) for key, (path, line) in (references or {}).items()}
    named = {s.file for s in segments} | {f for f, _ in cited.values()}
    return Anchored(
        markdown,
        AnchorMap(_unprinted_blanked(text), tuple(segments), tuple(anchors), cited,
                  _hashes(root, named)),
    )  # fmt: skip


_UNPRINTED = re.compile(
    r"<!--.*?-->"  # an HTML comment
    r"|^(?P<fence>`{3,}|~{3,})[ \t]*\{=(?!openxml\})[^}\n]*\}.*?^(?P=fence)"  # a raw block
    r"|`[^`\n]+`\{=(?!openxml\})[^}\n]*\}",  # raw inline text
    re.DOTALL | re.MULTILINE,
)


def _unprinted_blanked(text: str) -> str:
    """``text`` with what the DOCX does not print (HTML comments, raw text for other
    formats) blanked, line breaks kept: the map travels in the DOCX, and an author's note
    in a comment must not travel with it. Offsets are unchanged."""
    return _UNPRINTED.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def _moved(segment: Segment, start: int, end: int) -> Segment:
    s = segment
    return Segment(start, end, s.file, s.line, s.column, s.field, s.generated, s.verbatim)


def _with_markers(text: str, body_start: int, anchors: Sequence[int]) -> str:
    """The text from ``body_start`` on, with the marker of each anchor in it."""
    out, at = [], body_start
    for number, offset in enumerate(anchors):
        if offset < body_start:
            continue
        out += [text[at:offset], marker(number)]
        at = offset
    out.append(text[at:])
    return "".join(out)


def _segments(
    rendered: Rendered, sources: Sources, root: Path, nested: Mapping[str, Rendered]
) -> list[Segment]:
    """The segments of one rendered text, offsets within it: the template's own text a
    line at a time, a printed value a data field at a time (a value that is itself a
    traced rendering, the abstract, by its own stretches)."""
    text = rendered.text
    if not rendered.printed:
        where = Location(rendered.source, None, None, rendered.field)
        return [_segment(0, len(text), where, root, False, False)]
    found: list[Segment] = []
    stretches = rendered.printed
    for i, stretch in enumerate(stretches):
        s = stretch.start
        e = stretches[i + 1].start if i + 1 < len(stretches) else len(text)
        piece = text[s:e]
        inner = None if stretch.literal else nested.get(piece)
        if inner is not None:
            found += [
                _moved(g, g.start + s, g.end + s) for g in _segments(inner, sources, root, {})
            ]
            continue
        window = _window(rendered, i)
        if stretch.literal:
            found += _located(window, s, _LINE.finditer(piece), sources, root, literal=True)
            continue
        # A value is most often one data field's, printed whole: one look for it all.
        words = list(_WORD.finditer(piece))
        if not words:
            continue
        a, b = s + words[0].start(), s + words[-1].end()
        where, _ = locate(window, a, b, sources)
        if where.field is not None or len(words) == 1:
            verbatim = _written_as_printed(where, text[a:b], sources)
            found.append(_segment(a, b, where, root, True, verbatim))
        else:  # a number and its unit, a list joined: each word's own field
            found += _located(window, s, iter(words), sources, root, literal=False)
    return found


def _window(rendered: Rendered, index: int) -> Rendered:
    """``rendered`` with only the stretches around stretch ``index``: all that locating
    text within it reads (the stretch before names the ``{{`` that printed a value), so
    locating each stretch costs the same however long the section."""
    window = rendered.printed[max(0, index - 1) : index + 2]
    return Rendered(rendered.source, rendered.text, window, rendered.field)


def _located(
    rendered: Rendered,
    base: int,
    pieces: Iterator[re.Match[str]],
    sources: Sources,
    root: Path,
    literal: bool,
) -> list[Segment]:
    """A segment for each of ``pieces`` (matches in the stretch at ``base``); the words of a
    value that one field printed make one segment."""
    found: list[Segment] = []
    for match in pieces:
        a, b = base + match.start(), base + match.end()
        where, _ = locate(rendered, a, b, sources)
        verbatim = literal or _written_as_printed(where, rendered.text[a:b], sources)
        segment = _segment(a, b, where, root, not literal, verbatim)
        if found and not literal and _same_place(found[-1], segment):
            first = found[-1]
            where = Location(root / first.file, first.line, first.column, first.field)
            whole = first.verbatim and _written_as_printed(
                where, rendered.text[first.start : b], sources
            )
            found[-1] = replace(first, end=b, verbatim=whole)
        else:
            found.append(segment)
    return found


_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"\S+")


def _written_as_printed(where: Location, printed: str, sources: Sources) -> bool:
    """Whether a data value is written at ``where`` as it was printed, on one line: then
    a character ``n`` into it is at column ``column + n`` of that line."""
    if where.field is None or where.path is None or where.line is None or not where.column:
        return False
    lines = sources.text(where.path).split("\n", where.line)
    line = lines[where.line - 1] if len(lines) >= where.line else ""
    return line[where.column - 1 : where.column - 1 + len(printed)] == printed


def _same_place(before: Segment, segment: Segment) -> bool:
    """Whether ``segment``, a word of a printed value, continues ``before`` (the word
    before it): the same field, or the same ``{{ }}`` of a template."""
    if before.field is not None or segment.field is not None:
        return (before.file, before.field) == (segment.file, segment.field)
    return (before.file, before.line, before.column) == (segment.file, segment.line, segment.column)


def _segment(
    start: int, end: int, where: Location, root: Path, generated: bool, verbatim: bool
) -> Segment:
    file = _shown(where.path, root) if where.path is not None else ""
    return Segment(start, end, file, where.line, where.column, where.field, generated, verbatim)


@functools.lru_cache(maxsize=256)
def _shown(path: Path, root: Path) -> str:
    """A path as the map names it (resolving it is slow, and a few paths recur)."""
    return shown(path, root)


def _hashes(root: Path, files: set[str]) -> dict[str, str]:
    hashes = {}
    for name in sorted(files):
        try:
            hashes[name] = hashlib.sha256((root / name).read_bytes()).hexdigest()
        except OSError:
            continue  # a file outside the project, or gone: nothing to compare with
    return hashes


# Where the anchors go ------------------------------------------------------------------


def _anchor_offsets(text: str, segments: Sequence[Segment], body_start: int) -> list[int]:
    """Offsets of the anchors, increasing: the title's start, and the first safe word of
    each paragraph and of each segment; at most :data:`MAX_MARKERS`."""
    safe = safe_offsets(text, body_start)
    wanted = sorted({*_block_starts(text, body_start), *(s.start for s in segments)})
    ends = {s.start: s.end for s in segments}
    chosen: list[int] = [0] if text[:1].isalnum() else []
    for start in wanted:
        if start < body_start:
            continue
        i = bisect.bisect_left(safe, start)
        limit = ends.get(start, _line_end(text, start))
        if i < len(safe) and safe[i] < limit and (not chosen or safe[i] > chosen[-1]):
            chosen.append(safe[i])
            if len(chosen) >= MAX_MARKERS:
                break
    return chosen


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def _block_starts(text: str, body_start: int) -> Iterator[int]:
    for block in re.finditer(r"(?:\A|\n[ \t]*\n)(?=[^\n])", text[body_start:]):
        yield body_start + block.end()
