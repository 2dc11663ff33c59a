"""Where rendered text was written: the template line that printed it, or the data field
whose value it printed.

Rendering records, for each stretch of its output, the template and line that printed it,
and whether the stretch is written in the template as it is or is the value of an
expression (:class:`Printed`). :func:`locate` turns a stretch of rendered text back into
places an author can edit: the line and column of the template text, or the file, line,
column and field of the data value a template printed (``manuscript/case.yaml:14:9
[timeline.3.note]``). A value no data field holds (one a template computed) is named by
the line and column of the ``{{ }}`` that printed it.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from casekit.core.errors import InputError, Location
from casekit.core.yamlfile import Scalar, scalars
from casekit.inputs.templates import blank_template_code


@dataclass(frozen=True)
class Printed:
    """One stretch of rendered text, and the template line that printed it."""

    start: int
    """Offset in the rendered text where the stretch starts; it runs to the next one."""
    template: Path | None
    """The template file; None for template text held in a data file (the abstract)."""
    line: int
    """1-based template line Jinja gives the code that printed it: an expression's own
    line; for the template's own text, the line of the tag or expression before it, so
    the text is written on that line or after it."""
    literal: bool
    """Written in the template as it is; else the value of an expression."""


@dataclass(frozen=True)
class Rendered:
    """Text a template printed, with where each stretch of it came from."""

    source: Path
    """The template file, or the data file that holds the template text."""
    text: str
    """The rendered text."""
    printed: tuple[Printed, ...] = ()
    """Its stretches in order; none when unknown, and then ``source`` stands for all."""
    field: str | None = None
    """The field that holds the template text, when a data file holds it (``abstract``)."""


def shifted(text: str, printed: tuple[Printed, ...]) -> tuple[str, tuple[Printed, ...]]:
    """``text`` stripped of surrounding white space, its stretches moved to match."""
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    kept: list[Printed] = []
    for i, stretch in enumerate(printed):
        end = printed[i + 1].start if i + 1 < len(printed) else len(text)
        if end - lead <= 0 or stretch.start - lead >= len(stripped):
            continue  # white space the strip removed
        start = max(0, stretch.start - lead)
        kept.append(Printed(start, stretch.template, stretch.line, stretch.literal))
    return stripped, tuple(kept)


class Sources:
    """The author's files, each read once, for naming where rendered text was written.

    ``data`` are the YAML files whose values templates print (case.yaml, manuscript.yaml);
    values under a field in ``skip`` are never taken for printed text (a privacy waiver
    repeats the text it waives)."""

    def __init__(self, data: Sequence[Path], skip: Sequence[str] = ()) -> None:
        self.data = [path for path in data if path.is_file()]
        self.skip = tuple(skip)
        self._texts: dict[Path, str] = {}
        self._scalars: dict[Path, list[Scalar]] = {}
        self._needles: list[tuple[str, Path, Scalar]] | None = None
        self.needle_lengths: list[int] = []
        """The lengths of :meth:`needles`, negated (ascending, for bisect)."""
        self._typed: dict[Path, str] = {}

    def text(self, path: Path) -> str:
        """The file's text ('' when it cannot be read)."""
        if path not in self._texts:
            try:
                self._texts[path] = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                self._texts[path] = ""
        return self._texts[path]

    def scalars(self, path: Path) -> list[Scalar]:
        """The file's scalar values (none when it is not YAML)."""
        if path not in self._scalars:
            try:
                found = scalars(self.text(path), path)
            except InputError:
                found = []
            self._scalars[path] = [
                s for s in found if not any(_under(s.field, skip) for skip in self.skip)
            ]
        return self._scalars[path]

    def needles(self) -> list[tuple[str, Path, Scalar]]:
        """Every non-blank value of the data files as a printed value is searched for it:
        lower case (none where lowering changes the length), with its file and scalar;
        longest first, and in the order of the files and of each file among equals."""
        if self._needles is None:
            found = [
                (folded if len(folded) == len(s.value) else "", path, s)
                for path in self.data
                for s in self.scalars(path)
                for folded in (s.value.lower(),)
            ]
            self._needles = sorted(
                (n for n in found if n[0].strip()), key=lambda n: len(n[0]), reverse=True
            )
            self.needle_lengths = [-len(n[0]) for n in self._needles]
        return self._needles

    def typed(self, path: Path) -> str:
        """A template file's text with its tags and comments blanked (done once a file)."""
        if path not in self._typed:
            self._typed[path] = blank_template_code(self.text(path))
        return self._typed[path]

    def scalar(self, path: Path, field: str) -> Scalar | None:
        """The value of ``field`` in the YAML file ``path``."""
        return next((s for s in self.scalars(path) if s.field == field), None)

    def field_at(self, path: Path, offset: int) -> str | None:
        """The field whose value is written at ``offset`` of a YAML file (None in a comment
        or a key)."""
        return next((s.field for s in self.scalars(path) if s.start <= offset < s.end), None)

    def location(self, path: Path, offset: int, field: str | None = None) -> Location:
        """The line and column of ``offset`` in ``path``."""
        text = self.text(path)
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return Location(path, line, column, field)


def _under(field: str, parent: str) -> bool:
    return field == parent or field.startswith(parent + ".")


@dataclass(frozen=True)
class _Template:
    """The text of the template that printed a stretch, and how to name a place in it."""

    path: Path
    text: str
    scalar: Scalar | None  # when the template text is a data file's value
    field: str | None
    typed: str
    """The text with its tags and comments blanked: what the author typed as is."""

    def location(self, sources: Sources, offset: int, length: int) -> Location:
        if self.scalar is None:
            return sources.location(self.path, offset)
        file_text = sources.text(self.path)
        at = self.scalar.offset_of(file_text, offset, offset + max(length, 1))
        return sources.location(self.path, at, self.field)

    def line_location(self, sources: Sources, line: int) -> Location:
        """The line alone, when the column cannot be told (in a data file, where that line
        of the value starts)."""
        if self.scalar is None:
            return Location(self.path, line)
        return self.location(sources, _line_start(self.text, line), 1)


def locate(
    rendered: Rendered, start: int, end: int, sources: Sources
) -> tuple[Location, tuple[Location, ...]]:
    """Where the rendered text ``[start, end)`` was written: the place of its first
    character, and the other places that wrote part of it (the template line that printed
    a value; the value a template line printed).

    Without a record of the stretches, the template file alone stands for it (no line):
    a rendered text's own line would name a line the author never wrote."""
    spans = _spans(rendered)
    places: list[Location] = []
    for i, (stretch, s, e) in enumerate(spans):
        if e <= start or s >= end or s == e:
            continue
        template = _template_of(rendered, stretch, sources)
        if template is None:
            continue
        a, b = max(s, start), min(e, end)
        if stretch.literal:
            at = _literal_at(template, stretch, rendered.text[s:e])
            places.append(
                template.line_location(sources, stretch.line)
                if at is None
                else template.location(sources, at + a - s, b - a)
            )
            continue
        at = _tag_offset(rendered, spans, i, template)
        if at is None:
            tag = template.line_location(sources, stretch.line)
        else:
            tag = template.location(sources, at, 2)
        expression = _expression(template.text, at)
        value = _value_location(rendered.text[s:e], a - s, b - s, sources, expression)
        places += [value, tag] if value is not None else [tag]
    if not places:
        return Location(rendered.source, None, None, rendered.field), ()
    first = places[0]
    # A place on the first one's line adds nothing an author would not see there.
    also = (p for p in places[1:] if (p.path, p.line) != (first.path, first.line))
    return first, tuple(dict.fromkeys(also))


def _spans(rendered: Rendered) -> list[tuple[Printed, int, int]]:
    stretches = rendered.printed
    return [
        (p, p.start, stretches[i + 1].start if i + 1 < len(stretches) else len(rendered.text))
        for i, p in enumerate(stretches)
    ]


def _template_of(rendered: Rendered, stretch: Printed, sources: Sources) -> _Template | None:
    if stretch.template is not None:
        text = sources.text(stretch.template)
        return _Template(stretch.template, text, None, None, sources.typed(stretch.template))
    if rendered.field is None:
        return None
    scalar = sources.scalar(rendered.source, rendered.field)
    if scalar is None:
        return None
    typed = blank_template_code(scalar.value)
    return _Template(rendered.source, scalar.value, scalar, rendered.field, typed)


@functools.lru_cache(maxsize=4096)
def _line_start(text: str, line: int) -> int:
    """Where ``line`` starts in ``text`` (a template's lines are asked for again and again;
    a string keeps its hash, so the cache costs little)."""
    at = 0
    for _ in range(line - 1):
        at = text.find("\n", at) + 1
        if at == 0:
            return len(text)
    return at


def _literal_at(template: _Template, stretch: Printed, piece: str) -> int | None:
    """Where a literal stretch is written in its template: the first place at or after the
    line Jinja names that is the template's own text (not inside a tag or a comment),
    else the first such place anywhere."""
    if not piece:
        return None
    text = template.text
    typed = template.typed
    for begin in (_line_start(text, stretch.line), 0):
        at = text.find(piece, begin)
        while at >= 0:
            if typed[at : at + len(piece)] == piece:
                return at
            at = text.find(piece, at + 1)
    return None


def _tag_offset(
    rendered: Rendered,
    spans: list[tuple[Printed, int, int]],
    index: int,
    template: _Template,
) -> int | None:
    """Where the ``{{`` that printed the value of stretch ``index`` is in its template: the
    first on its line after the literal text printed just before it, else the first on its
    line (None: there is none on that line)."""
    stretch = spans[index][0]
    text = template.text
    line_start = _line_start(text, stretch.line)
    line_end = text.find("\n", line_start)
    line_end = len(text) if line_end < 0 else line_end
    after = line_start
    if index > 0:
        before, s, e = spans[index - 1]
        if before.literal and before.template == stretch.template:
            at = _literal_at(template, before, rendered.text[s:e])
            if at is not None and line_start <= at + (e - s) <= line_end:
                after = at + (e - s)
    tag = text.find("{{", after, line_end)
    if tag < 0:
        tag = text.find("{{", line_start, line_end)
    return tag if tag >= 0 else None


def _expression(text: str, tag: int | None) -> str:
    """The expression of the ``{{ }}`` at ``tag`` (empty when there is none)."""
    if tag is None:
        return ""
    end = text.find("}}", tag)
    return text[tag + 2 : end] if end >= 0 else ""


def _value_location(
    value: str, a: int, b: int, sources: Sources, expression: str = ""
) -> Location | None:
    """The data field whose value, printed as ``value``, holds ``value[a:b]``: the longest
    that does (compared without case, as ``capitalize`` may have changed it). Of fields
    with the same value, the one the printing ``expression`` names most of wins
    (``{{ mrd.method }}`` printed ``series.mrd.method``, not a test's equal ``name``)."""
    folded = value.lower() if len(value.lower()) == len(value) else value
    names = set(re.findall(r"\w+", expression))
    best: tuple[int, int, Path, Scalar, int] | None = None
    needles = sources.needles()
    # Longest first: start at the first short enough to be found in the value at all.
    first = bisect.bisect_left(sources.needle_lengths, -len(folded))
    for needle, path, scalar in itertools.islice(needles, first, None):
        if best is not None and len(needle) < best[0]:
            break  # longest first: nothing shorter can win
        at = folded.find(needle)
        while 0 <= at <= a:
            if at + len(needle) >= b:
                break
            at = folded.find(needle, at + 1)
        if not 0 <= at <= a:
            continue
        score = sum(1 for part in scalar.field.split(".") if part in names)
        if best is None or score > best[1]:
            best = (len(needle), score, path, scalar, at)
    if best is None:
        return None
    _, _, path, scalar, at = best
    offset = scalar.offset_of(sources.text(path), a - at, b - at)
    return sources.location(path, offset, scalar.field)
