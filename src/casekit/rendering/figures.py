"""Figures drawn from the case data (matplotlib), with the template's options, cached.

A template places a figure with ``{{ figure("timeline", "Caption.", series=["crp"]) }}``:
the first argument names the figure (its file, and what ``fig("timeline")``
mentions), ``kind`` says what to draw when the name is another (two timeline
figures: ``figure("labs", "...", kind="timeline", panels=[["crp", "esr"]])``), and
the remaining options belong to that kind. They are checked against the case when
the template is rendered, so a misspelt series stops the build at the template's
line; the figure itself is drawn at build time. Each figure is written as SVG
(vector, for the PDF) and as a 300-dpi PNG (for DOCX and HTML), deterministically
(see :mod:`casekit.rendering.drawing`), and cached by the data and options it shows.
matplotlib is imported only when a figure must be drawn.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from casekit.core.atomic import write_atomic
from casekit.inputs.casedata import Case
from casekit.rendering.helpers import HelperArgumentError, usage
from casekit.rendering.timeline_alt import timeline_alt
from casekit.rendering.timeline_figure import (
    FigureOptionError,
    draw_timeline,
    timeline_data,
    timeline_options,
)

FIGURE_VERSION = 4
"""Part of every cache key: raise it when a drawing changes."""
FORMATS = ("svg", "png")


@dataclass(frozen=True)
class Kind:
    """One kind of figure casekit draws."""

    options: Callable[..., Any]
    """The template's options, checked against the case: ``options(case, **options)``."""
    data: Callable[[Case, Any], dict[str, Any]]
    """What the figure shows, as plain data (its cache key): ``data(case, options)``."""
    draw: Callable[[dict[str, Any], Path], dict[str, Path]]
    """Draws the data as ``target``.svg and .png."""
    alt: Callable[[Case, Any], str]
    """Its alt text, what it shows in words, when the template gives none:
    ``alt(case, options)``."""


FIGURES: dict[str, Kind] = {
    "timeline": Kind(timeline_options, timeline_data, draw_timeline, timeline_alt),
}
"""Kind of figure → how its options are read, what it shows, how it is drawn."""


@dataclass(frozen=True)
class Figure:
    """One figure a document places, with the options its template gave."""

    name: str
    """Its name: the file ``figures/<name>.svg``, and what ``fig(name)`` mentions."""
    kind: str
    """What is drawn: a key of :data:`FIGURES`."""
    options: Any
    """The kind's options, checked (e.g. ``TimelineOptions``)."""
    alt: str
    """Its alt text: what the picture shows, the template's words or written from the
    data (a screen reader reads it in place of the picture; the caption says what it
    means)."""


def figure_spec(
    case: Case, name: str, kind: str | None = None, alt: str | None = None, **options: Any
) -> Figure:
    """A figure as a template asks for it, its options checked against ``case``, with the
    template's ``alt`` text or else the one its kind writes from the data it shows.

    Raises :class:`FigureOptionError`, naming the ``figure()`` call, for an unknown
    kind or series or a value it cannot draw, or an alt text that is not text, and a
    ``HelperArgumentError`` for an option the kind does not take."""
    where = f"figure({name!r})"
    if alt is not None and (not isinstance(alt, str) or not alt.strip()):
        raise FigureOptionError(
            f"{where}: alt must be words that say what the figure shows, not {alt!r}"
        )
    kind = name if kind is None else kind
    if kind not in FIGURES:
        raise FigureOptionError(
            f"{where}: casekit draws no figure {kind!r}; it draws: {', '.join(FIGURES)} "
            "(a figure named otherwise says which with kind=)"
        )
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise FigureOptionError(f"{where}: a figure's name is letters, digits, - and _")
    parse = FIGURES[kind].options
    takes = inspect.signature(parse).parameters
    unknown = [key for key in options if key == "case" or key not in takes]
    if unknown:
        # Worded like any helper's wrong argument, with the options this kind takes.
        shown = usage("figure", parse).replace(
            "figure(case, ", "figure(name, caption, alt=None, kind=None, "
        )
        raise HelperArgumentError(
            f"figure() got an unexpected keyword argument {unknown[0]!r} ({shown})"
        )
    try:
        checked = parse(case, **options)
    except FigureOptionError as exc:
        raise FigureOptionError(f"{where}: {exc}") from None
    if alt is None:
        return Figure(name, kind, checked, FIGURES[kind].alt(case, checked))
    # On one line; a no-break space (`86 mg/L`) stays one.
    return Figure(name, kind, checked, re.sub(r"[ \t\r\n]+", " ", alt).strip(" "))


def make_figure(figure: Figure, case: Case, directory: Path, cache: Path | None) -> dict[str, Path]:
    """Write ``<name>``.svg and .png into ``directory``; reuse cached files when the data
    and options match."""
    kind = FIGURES[figure.kind]
    data = kind.data(case, figure.options)
    key = [FIGURE_VERSION, figure.kind, asdict(figure.options), data]
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode("utf-8")).hexdigest()[:16]
    directory.mkdir(parents=True, exist_ok=True)
    folder = cache / "figures" if cache else None
    cached = {ext: folder / f"{figure.name}-{digest}.{ext}" for ext in FORMATS} if folder else {}
    outputs = {ext: directory / f"{figure.name}.{ext}" for ext in FORMATS}
    if cached and all(path.is_file() for path in cached.values()):
        for ext, path in cached.items():
            outputs[ext].write_bytes(path.read_bytes())
        return outputs
    kind.draw(data, directory / figure.name)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{figure.name}-*"):
            # Only this figure's: "timeline-*" must not take "timeline-labs-<digest>".
            if old.stem.rsplit("-", 1)[0] == figure.name:
                old.unlink(missing_ok=True)
        for ext, path in cached.items():
            # Atomically: a build killed mid-write, or one running at the same time,
            # must never find a truncated figure under a valid name.
            write_atomic(path, outputs[ext].read_bytes())
    return outputs
