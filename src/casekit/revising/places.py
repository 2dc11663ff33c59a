"""Where each change is in the review copy: page and lines, and the text printed there.

The review copy is the line-numbered, blinded PDF of the revised manuscript
(``build/review/manuscript.pdf``, or a journal's). :func:`review_copy` builds it when it
is not current, then lays out the same Typst source again and asks Typst where every
label mark and heading fell; the PDF that source makes must be byte for byte the one on
disk, so the positions are those of the pages the reviewer reads. The numbered lines are
read back from that PDF.

- A **label** is placed by its two marks: the line each stands on.
- A **section** runs from its first heading to the line before the next part's heading.
- A **paragraph** of a section, and a **case-data field**'s printed value (the sentence
  that prints it), are found by their words on the section's lines.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from casekit.building.job import make_job
from casekit.building.pipeline import build
from casekit.building.prepare import Prepared
from casekit.building.verify import outdated
from casekit.core import atomic
from casekit.core.errors import InputError, Location, OutputError
from casekit.core.project import source_date_epoch
from casekit.inputs.response import Where
from casekit.inputs.sourcemap import Rendered, Sources, locate
from casekit.rendering.document import Document, Section
from casekit.rendering.labels import Label
from casekit.rendering.targets import case_fields, heading_count, missing_target, paragraph_texts
from casekit.revising.quotes import Found, Stream, plain
from casekit.typesetting.formats import typeset, typst_source
from casekit.typesetting.lines import Line, line_at, numbered_lines
from casekit.typesetting.positions import Positions, Spot, query_positions


@dataclass(frozen=True)
class Place:
    """One stretch of the review copy that a response points to."""

    first: Line
    """The numbered line it starts on."""
    last: Line
    """The numbered line it ends on."""
    quote: str
    """What it prints: the changed text, as printed."""
    section: str | None = None
    """For a whole section, its heading: the letter names it instead of quoting it all."""

    def describe(self) -> str:
        """``page 3, lines 40–42``; ``pages 3–4, lines 60–64``; ``page 3, line 40``."""
        a, b = self.first, self.last
        if a.page != b.page and b.number < a.number:  # numbering restarts on each page
            return f"page {a.page}, line {a.number} to page {b.page}, line {b.number}"
        pages = f"page {a.page}" if a.page == b.page else f"pages {a.page}–{b.page}"
        lines = f"line {a.number}" if a.number == b.number else f"lines {a.number}–{b.number}"
        return f"{pages}, {lines}"


@dataclass(frozen=True)
class ReviewCopy:
    """The line-numbered review copy of the revised manuscript, and where things are on it."""

    pdf: Path
    """The PDF, as built (and current)."""
    document: Document
    """The rendered manuscript it was built from."""
    positions: Positions
    """Where Typst laid out each label mark and heading."""
    lines: tuple[Line, ...]
    """Its numbered lines, read back."""
    case_yaml: Path
    """The case data (a response may point to one of its fields)."""

    def places(self, where: Where, at: Location) -> tuple[Place, ...]:
        """Every place ``where`` names; a located error (at ``at``, the line of the
        response that names it) when the manuscript has no such place."""
        missing = missing_target(where, self.document, case_fields(self.case_yaml), at)
        if missing is not None:
            raise missing
        if where.label is not None:
            found = [(i, x) for i, x in enumerate(self.document.labels) if x.name == where.label]
            return tuple(self._label_place(i, label) for i, label in found)
        if where.field is not None:
            return self._field_places(where.field, at)
        section = next(s for s in self.document.sections if s.name == where.section)
        place = self._section_place(section, at)
        if where.paragraph is None:
            return (place,)
        return (self._paragraph_place(section, where.paragraph, place, at),)

    def _label_place(self, index: int, label: Label) -> Place:
        spots = self.positions.placement(index)
        if spots is None:
            raise OutputError(
                f"label {label.name!r} was not laid out in the review copy",
                label.where,
                hint="it may stand where Typst prints nothing (inside a comment or code)",
            )
        first = self._line(spots[0], label.where, "start")
        last = self._line(spots[1], label.where, "end")
        stream = Stream(self.lines)
        start, end = stream.token_range(first, last)
        found = stream.find(label.text, start, end)
        if found is None:
            return Place(first, last, " ".join(plain(label.text).split()))
        # The words' own lines: a mark before a word that opens a line may be set at the
        # end of the line before (ragged text breaks after it), and one after a word that
        # closes a line at the start of the next.
        return Place(found.first, found.last, found.quote)

    def _line(self, spot: Spot, where: Location, edge: str = "start") -> Line:
        line = line_at(self.lines, spot.page, spot.y, edge)
        if line is None:
            raise OutputError(
                f"nothing is numbered on page {spot.page} of the review copy",
                where,
                hint="a label inside a figure's image cannot be given a line; label its caption",
            )
        return line

    def _section_place(self, section: Section, at: Location) -> Place:
        parts = self.document.parts
        counts = [heading_count(part.markdown) for part in parts]
        if sum(counts) != len(self.positions.headings):
            raise OutputError(
                f"the review copy has {len(self.positions.headings)} headings where the "
                f"rendered manuscript has {sum(counts)}, so section {section.name!r} cannot "
                "be placed",
                at,
                hint="label the changed text instead (label(...) in the template)",
            )
        index = 1 + self.document.sections.index(section)
        if counts[index] == 0:
            raise InputError(
                f"section {section.name!r} prints no heading of its own to start from",
                at,
                hint="label the changed text instead (label(...) in the template)",
            )
        before = sum(counts[:index])
        heading = self.positions.headings[before]
        first = self._line(heading, at)
        following = [
            spot for n, spot in enumerate(self.positions.headings) if n >= before + counts[index]
        ]
        if following:
            next_line = self._line(following[0], at)
            last = self.lines[max(self.lines.index(next_line) - 1, self.lines.index(first))]
        else:
            last = self.lines[-1]
        return Place(first, last, "", section.heading)

    def _paragraph_place(self, section: Section, number: int, whole: Place, at: Location) -> Place:
        paragraphs = paragraph_texts(section.markdown)
        found = self._find(paragraphs[number - 1], whole)
        if found is None:
            raise OutputError(
                f"paragraph {number} of section {section.name!r} is not found on its lines "
                "of the review copy",
                at,
                hint="label the changed text instead (label(...) in the template)",
            )
        return Place(found.first, found.last, found.quote)

    def _find(self, markdown: str, within: Place) -> Found | None:
        stream = Stream(self.lines)
        start, end = stream.token_range(within.first, within.last)
        return stream.find(markdown, start, end)

    def _field_places(self, field: str, at: Location) -> tuple[Place, ...]:
        sources = Sources([self.case_yaml])
        places: list[Place] = []
        for section in self.document.sections:
            sentences = printed_sentences(section, field, sources)
            if not sentences:
                continue
            whole = self._section_place(section, at)
            for sentence in sentences:
                found = self._find(sentence, whole)
                if found is not None:
                    places.append(Place(found.first, found.last, found.quote))
        if not places:
            raise InputError(
                f"the value of case-data field {field!r} is not found printed in the sections",
                at,
                hint="a value printed after formatting (1,250 for 1250) is not recognised: "
                "label the sentence that prints it instead",
            )
        return tuple(dict.fromkeys(places))


def review_copy(prepared: Prepared) -> ReviewCopy:
    """Build the planned review copy if it is not current, and find where things are on it.

    ``prepared`` is the manuscript as its plan renders it now. The PDF on disk must be
    the one its Typst source makes; one that is not (built at another timestamp, after a
    commit that changed no input) is built again first. Raises :class:`OutputError` if
    even then the bytes differ, since page and line numbers would be another PDF's."""
    plan = prepared.plan
    todo = outdated(plan)
    if todo.formats:
        build(todo)
    pdf = plan.output("pdf")
    project = plan.project
    epoch = source_date_epoch(project.root)
    with atomic.workdir(project.build) as work:
        job = make_job(prepared, work, epoch)
        source = typst_source(job)
        made = hashlib.sha256(typeset(job, source)).digest()
        if made != hashlib.sha256(pdf.read_bytes()).digest():
            build(plan)
            if made != hashlib.sha256(pdf.read_bytes()).digest():
                raise OutputError(
                    "the review copy does not come out the same twice, so its page and "
                    "line numbers cannot be trusted",
                    Location(pdf),
                    hint="report this: casekit's builds are meant to be reproducible",
                )
        positions = query_positions(source, work, job.font_paths)
    return ReviewCopy(pdf, prepared.document, positions, numbered_lines(pdf), project.case_yaml)


def printed_sentences(section: Section, field: str, sources: Sources) -> list[str]:
    """The sentences of ``section`` that print the value of case-data ``field`` (or of a
    field under it), found through the record of what each stretch printed."""
    rendered = Rendered(section.template, section.markdown, section.printed)
    text = section.markdown
    found: list[str] = []
    stretches: Sequence[tuple[int, int]] = [
        (p.start, section.printed[i + 1].start if i + 1 < len(section.printed) else len(text))
        for i, p in enumerate(section.printed)
        if not p.literal
    ]
    for start, end in stretches:
        if not text[start:end].strip():
            continue
        first, also = locate(rendered, start, end, sources)
        named = {w.field for w in (first, *also) if w.field}
        if any(f == field or f.startswith(field + ".") for f in named):
            sentence = _sentence(text, start, end)
            if sentence not in found:
                found.append(sentence)
    return found


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9*_\[(])|\n[ \t]*\n")


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around ``text[start:end]``."""
    begin = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    after = _SENTENCE_END.search(text, end)
    return text[begin : after.start() if after else len(text)]
