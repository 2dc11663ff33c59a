"""Labels: stretches of the manuscript a template names, so the response to reviewers can
say on which page and lines of the review copy each change is.

A template wraps changed text in a label named after the reviewer's comment::

    {% call label("R1.2") %}We now report the dose per kilogram.{% endcall %}
    {{ figure("timeline", label("R1.4", "Timeline of care.")) }}

The call form wraps any text, across paragraphs and headings; the function form wraps
one piece of text, and fits inside another helper's argument (a figure or table
caption). The label prints nothing of its own. While a part renders, the helper leaves
a pair of private marks around the text; :func:`take_labels` takes them out again, so
the rendered text that checks, counts and the privacy gate read is exactly what the
author wrote, and records each :class:`Label` with its offsets. Only the Markdown handed
to pandoc (``Document.markdown``) carries the labels, as raw Typst metadata that every
other writer drops (:func:`marked`); Typst then knows where each one falls on the page.

Marks inside a table row are refused: pandoc sizes a pipe table's columns by its longest
source line, so invisible marks there would change the table's layout.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from casekit.core.errors import Location, TemplateError
from casekit.inputs.sourcemap import Printed

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")
"""What a label may be called: ``R1.2``, ``E.1``, ``reviewer-2:3``."""

TYPST_KEY = "casekit-label"
"""The key naming the label in each mark's Typst metadata, which
:mod:`casekit.typesetting.positions` queries. (A Typst label such as ``<casekit-label>``
would end a heading the mark stands in.)"""

_OPEN, _CLOSE, _END = "\ue000", "\ue001", "\ue002"
"""Private-use characters around a label while it renders: open or close, then the
label's name and call number (``R1.2#0``), then end."""
_MARK = re.compile(f"([{_OPEN}{_CLOSE}])([^{_END}]*){_END}")


@dataclass(frozen=True)
class Label:
    """One placement of a label: a stretch of a rendered part."""

    name: str
    """The label's name, e.g. ``R1.2``."""
    start: int
    """Where the start mark goes in the part's text (at its first word)."""
    end: int
    """Where the end mark goes (just after its last character)."""
    text: str
    """The labelled text as rendered (pandoc Markdown)."""
    where: Location
    """Where the template places it: the file and line of the ``label(...)`` call."""


class LabelError(ValueError):
    """A label called wrongly (the rendering turns it into a located template error)."""

    hint = 'write {% call label("R1.2") %}changed text{% endcall %} or label("R1.2", text)'


class Labeller:
    """The ``label`` helper of one rendering, and where each call was made."""

    def __init__(self) -> None:
        self.calls: list[Location] = []
        """Where each call was made, in the order of the calls."""
        self.string_source: Location | None = None
        """Where template text held in a data file starts (the abstract in
        manuscript.yaml), while it renders: a call there is placed in that file."""

    def __call__(self, name: str, text: str | None = None, caller: Any = None) -> str:
        """``text`` (or the call block's body) between a label's marks."""
        if not isinstance(name, str) or not NAME.fullmatch(name):
            raise LabelError(
                f"label name {name!r} is not allowed: use letters, digits and . _ : - "
                "(e.g. 'R1.2'), starting with a letter or digit"
            )
        if (text is None) == (caller is None):
            raise LabelError(
                f"label({name!r}) takes the labelled text either as its second argument or "
                "as the body of {% call %}, not both or neither"
            )
        body = str(caller() if caller is not None else text)
        if not body.strip():
            raise LabelError(f"label({name!r}) wraps no text")
        self.calls.append(_calling_template(name, self.string_source))
        tag = f"{name}#{len(self.calls) - 1}"
        return f"{_OPEN}{tag}{_END}{body}{_CLOSE}{tag}{_END}"


def _calling_template(name: str, data: Location | None) -> Location:
    """The template file, line and column of the ``label(name...)`` call running the
    helper (Jinja keeps the template in the globals of its compiled code, and maps the
    code's lines back to the template's). Template text held in a data file counts its
    lines from ``data``."""
    import jinja2

    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if isinstance(template, jinja2.Template):
            line = template.get_corresponding_lineno(frame.f_lineno)
            filename = template.filename
            if filename and filename != "<template>":
                path = Path(filename)
                return Location(path, line, _column(path, line, name))
            if data is not None and data.line is not None:
                # A block scalar's text starts on the line after its key, a plain or
                # quoted one on the key's line: the call is looked for on both.
                for where in (data.line + line, data.line + line - 1):
                    column = _column(data.path, where, name)
                    if column is not None:
                        return Location(data.path, where, column, data.field)
                return Location(data.path, data.line + line, None, data.field)
            return data or Location()
        frame = frame.f_back
    return data or Location()


def _column(path: Path | None, line: int, name: str) -> int | None:
    """The column of ``label("name"`` on ``line`` of ``path``, if it is written there."""
    try:
        text = path.read_text(encoding="utf-8").split("\n")[line - 1] if path else ""
    except (OSError, UnicodeDecodeError, IndexError):
        return None
    match = re.search(rf"""label\(\s*["']{re.escape(name)}["']""", text)
    return match.start() + 1 if match else None


def take_labels(
    text: str, printed: Sequence[Printed], calls: Sequence[Location]
) -> tuple[str, tuple[Printed, ...], tuple[Label, ...]]:
    """``text`` without its label marks, its stretches moved to match, and the labels.

    ``calls`` are the helper's recorded call sites (:attr:`Labeller.calls`). Raises a
    located :class:`TemplateError` for a label whose marks cannot go where it stands (a
    table row)."""
    if _OPEN not in text:
        return text, tuple(printed), ()
    pieces: list[str] = []
    removed: list[tuple[int, int]] = []  # (offset in text, characters removed before it)
    open_at: dict[str, tuple[int, int]] = {}  # tag → (clean offset, call)
    found: list[tuple[int, int, str, int]] = []
    last = 0
    clean = 0
    gone = 0
    for match in _MARK.finditer(text):
        pieces.append(text[last : match.start()])
        clean += match.start() - last
        gone += match.end() - match.start()
        removed.append((match.end(), gone))
        last = match.end()
        name, _, call = match.group(2).partition("#")
        tag = match.group(2)
        if match.group(1) == _OPEN:
            open_at[tag] = (clean, int(call))
        else:
            start, index = open_at.pop(tag)
            found.append((start, clean, name, index))
    pieces.append(text[last:])
    result = "".join(pieces)
    moved = tuple(Printed(_moved(p.start, removed), p.template, p.line, p.literal) for p in printed)
    labels = []
    for start, end, name, index in sorted(found):
        where = calls[index] if index < len(calls) else Location()
        a, b = _insertion_points(result, start, end, name, where)
        labels.append(Label(name, a, b, result[start:end], where))
    return result, moved, tuple(labels)


def _moved(offset: int, removed: list[tuple[int, int]]) -> int:
    shift = 0
    for at, gone in removed:
        if at > offset:
            break
        shift = gone
    return max(0, offset - shift)


_BLOCK_START = re.compile(r"#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s?|:\s+|!\[")
_FENCE = re.compile(r"\s*(:::|```|~~~)")
_ATTRIBUTES = re.compile(r"\s\{[^{}]*\}$")


def _line_bounds(text: str, at: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, len(text) if end < 0 else end


def _insertion_points(
    text: str, start: int, end: int, name: str, where: Location
) -> tuple[int, int]:
    """Where a label's two marks can go: the start mark at its first word (after a
    heading's ``#``, a list bullet or a caption's ``:``), the end mark after its last
    character (before a heading's ``{#id}``); never inside a table row."""

    def refuse(why: str, hint: str) -> TemplateError:
        return TemplateError(f"label({name!r}) {why}", where, hint=hint)

    table_hint = (
        'label the table\'s caption instead: table_caption("name", label("R1.2", '
        '"Caption.")); pandoc sizes a table\'s columns by its longest line, so marks in a '
        "row would change the table"
    )
    a = start
    while True:
        while a < end and text[a].isspace():
            a += 1
        line_start, line_end = _line_bounds(text, a)
        if text[line_start:line_end].lstrip().startswith(("|", "+-")):
            raise refuse("starts inside a table row", table_hint)
        if text[line_start:a].strip():
            break  # inside a line: the mark goes right here
        line = text[a:line_end]
        if _FENCE.match(line):
            a = line_end
            continue
        block = _BLOCK_START.match(line)
        if block is not None:
            a += block.end()
        break
    b = end
    while True:
        while b > a and text[b - 1].isspace():
            b -= 1
        line_start, _ = _line_bounds(text, max(b - 1, 0))
        line = text[line_start:b]
        if _FENCE.match(line) and b > a:
            b = line_start
            continue
        stripped = line.lstrip()
        if stripped.startswith(("|", "+-")):
            raise refuse("ends inside a table row", table_hint)
        figure = stripped.startswith("![") and "](" in stripped
        if figure:
            b = line_start + line.rfind("](")
        elif stripped.startswith(("#", ": ")) and _ATTRIBUTES.search(line):
            b = line_start + _ATTRIBUTES.search(line).start()  # type: ignore[union-attr]
        break
    if b <= a:
        raise refuse("wraps no text", "put the label around the words that changed")
    return a, b


def marked(text: str, labels: Sequence[Label], first: int = 0) -> str:
    """``text`` with each label's marks as raw Typst: metadata naming the label, the
    placement and the edge; every writer but Typst drops it. ``first`` numbers
    the placements (in the order of the whole document)."""
    inserts: list[tuple[int, int, str]] = []
    for i, label in enumerate(labels, start=first):
        for at, edge in ((label.start, "start"), (label.end, "end")):
            # The semicolon ends the expression, so a "(" or "[" after it stays text.
            mark = f'#metadata(({TYPST_KEY}: "{label.name}", placement: {i}, edge: "{edge}"));'
            # At one offset an end mark goes before a start mark: stretches never overlap.
            inserts.append((at, 1 if edge == "start" else 0, f"`{mark}`{{=typst}}"))
    out = text
    # From the last offset back, so earlier offsets stay valid; at one offset the mark
    # inserted last ends up first.
    for at, _, mark in sorted(inserts, key=lambda item: (item[0], item[1]), reverse=True):
        out = out[:at] + mark + out[at:]
    return out
