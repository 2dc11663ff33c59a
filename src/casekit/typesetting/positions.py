"""Where labels and headings fall on the pages Typst lays out, asked of Typst itself.

Each label placed in the manuscript reaches Typst as two invisible metadata marks
(``rendering/labels.py``). Typst knows the page and position of every element it lays
out, so a query returns them exactly: no text is matched. The query runs on the very
source the PDF was compiled from, with one element appended at its end that collects
the positions (an element after everything else moves nothing before it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casekit.core.errors import Location, ToolError
from casekit.rendering.labels import TYPST_KEY
from casekit.typesetting.typst_pdf import layout_options

_COLLECTED = "casekit-positions"
_COLLECTOR = (
    "\n#context [#metadata((\n"
    "  marks: query(metadata)\n"
    f'    .filter(m => type(m.value) == dictionary and "{TYPST_KEY}" in m.value)\n'
    "    .map(m => (m.value, m.location().position())),\n"
    "  headings: query(heading).map(h => h.location().position()),\n"
    f"))<{_COLLECTED}>]\n"
)


@dataclass(frozen=True)
class Spot:
    """A point on a page, as Typst places it."""

    page: int
    """The page, from 1."""
    y: float
    """Points from the top of the page: an inline mark's baseline, or the top of the
    line when the mark opens a paragraph or heading."""
    x: float
    """Points from the left edge of the page."""


@dataclass(frozen=True)
class Mark:
    """One of a label's two marks, where Typst laid it out."""

    name: str
    """The label's name."""
    placement: int
    """Which placement, numbered through the document in reading order."""
    edge: str
    """``start`` or ``end``."""
    spot: Spot
    """Where it is."""


@dataclass(frozen=True)
class Positions:
    """Every label mark and heading of a document, in document order."""

    marks: tuple[Mark, ...]
    """The labels' marks."""
    headings: tuple[Spot, ...]
    """The start of every heading."""

    def placement(self, index: int) -> tuple[Spot, Spot] | None:
        """Where placement ``index`` starts and ends, if both marks were laid out."""
        found = {m.edge: m.spot for m in self.marks if m.placement == index}
        if "start" in found and "end" in found:
            return found["start"], found["end"]
        return None


def query_positions(source: Path, root: Path, font_paths: tuple[Path, ...] = ()) -> Positions:
    """Lay out ``source`` (inside ``root``) as :func:`~casekit.typesetting.typst_pdf.
    compile_pdf` does, and return where its label marks and headings fall."""
    try:
        import typst
    except ImportError:
        raise ToolError(
            "the typst package is not installed",
            hint="run `make pdf` once to install casekit's dependencies",
        ) from None
    probe = source.with_name(source.stem + "-positions.typ")
    probe.write_text(source.read_text(encoding="utf-8") + _COLLECTOR, encoding="utf-8")
    try:
        raw = typst.query(
            str(probe),
            f"<{_COLLECTED}>",
            field="value",
            one=True,
            **layout_options(root, font_paths),
        )
    except typst.TypstError as exc:
        raise ToolError(
            f"typst could not lay out the review copy: {' '.join(str(exc).split())}",
            Location(source),
        ) from None
    finally:
        probe.unlink(missing_ok=True)
    data = json.loads(raw)
    marks = tuple(
        Mark(str(value[TYPST_KEY]), int(value["placement"]), str(value["edge"]), _spot(where))
        for value, where in data["marks"]
    )
    return Positions(marks, tuple(_spot(where) for where in data["headings"]))


def _spot(where: dict[str, Any]) -> Spot:
    return Spot(int(where["page"]), _points(where["y"]), _points(where["x"]))


def _points(length: str) -> float:
    """Typst's ``"70.87pt"`` as a number of points."""
    return float(str(length).removesuffix("pt"))
