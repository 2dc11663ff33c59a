"""The numbered lines of a line-numbered PDF, read back as a reader sees them.

A review copy numbers its lines in the left margin (Typst's ``par.line``). Each number
is drawn on the baseline of its line, so reading the PDF back gives, for every page, the
number, the baseline and the text printed on it. Labels and headings are placed on
these lines by their positions (:mod:`casekit.typesetting.positions`), and what a
letter quotes is read from them: the text exactly as the reviewer sees it, citation
numbers included.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from casekit.core.errors import Location, OutputError


@dataclass(frozen=True)
class Line:
    """One numbered line of the PDF."""

    number: int
    """The number printed in the margin."""
    page: int
    """The page, from 1."""
    baseline: float
    """Points from the top of the page."""
    text: str
    """What the line prints, left to right (its number aside)."""


@dataclass(frozen=True)
class _Run:
    text: str
    x: float
    y: float
    size: float


def numbered_lines(pdf: Path) -> tuple[Line, ...]:
    """Every numbered line of ``pdf``, in page and reading order; none when the PDF
    numbers no lines.

    The numbers and their baselines come from where the PDF draws each piece of text;
    the text of each line from pypdf's layout reading, which spaces words as printed and
    keeps a raised citation on its line."""
    try:
        import pypdf

        reader = pypdf.PdfReader(pdf)
        lines: list[Line] = []
        for index, page in enumerate(reader.pages, start=1):
            runs: list[_Run] = []
            page.extract_text(visitor_text=partial(_keep, runs, float(page.mediabox.top)))
            numbers = _margin_numbers(runs, float(page.mediabox.width))
            if numbers:
                rows = _layout_rows(page)
                texts = _row_texts(rows, [int(n.text.strip()) for n in numbers])
                lines += [
                    Line(int(n.text.strip()), index, n.y, text)
                    for n, text in zip(numbers, texts, strict=True)
                ]
    except (OSError, ValueError, pypdf.errors.PyPdfError) as exc:
        raise OutputError(
            f"cannot read the PDF back: {exc}",
            Location(pdf),
            hint="build it again with `casekit build pdf --review`",
        ) from None
    return tuple(lines)


def _keep(
    runs: list[_Run],
    top: float,
    text: str,
    cm: Sequence[float],
    tm: Sequence[float],
    _font: object,
    size: float,
) -> None:
    """Note a piece of text where it is drawn: the text matrix, then the page's."""
    if text and not text.isspace():
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        runs.append(_Run(text, float(x), top - float(y), float(size)))


def _margin_numbers(runs: list[_Run], width: float) -> list[_Run]:
    """The line numbers of a page, top to bottom: the figures standing left of all its
    text (a page number or a table's figures stand among or right of the text)."""
    worded = [r.x for r in runs if any(c.isalpha() for c in r.text)]
    margin = min(worded) - 1 if worded else width * 0.15
    return sorted((r for r in runs if r.text.strip().isdigit() and r.x < margin), key=lambda r: r.y)


def _layout_rows(page: Any) -> list[str]:
    """The page's rows of text as pypdf lays them out. A figure's rotated axis title is
    left out, which pypdf reports through logging: a line's text is all that is read."""
    import logging

    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return str(page.extract_text(extraction_mode="layout")).split("\n")
    finally:
        logger.setLevel(level)


_ROW = re.compile(r"\s*(\d+)(?:\s+(\S.*))?$")


def _row_texts(rows: list[str], numbers: list[int]) -> list[str]:
    """The text after each of ``numbers``, found in order at the start of the layout's
    rows (rows between them, such as a figure's tick labels, are skipped)."""
    texts = [""] * len(numbers)
    at = 0
    for row in rows:
        if at == len(numbers):
            break
        match = _ROW.match(row)
        if match is not None and int(match[1]) == numbers[at]:
            texts[at] = " ".join((match[2] or "").split())
            at += 1
    return texts


def line_at(lines: Sequence[Line], page: int, y: float, edge: str = "start") -> Line | None:
    """The numbered line that a point at ``y`` on ``page`` stands on.

    Typst places a mark inline on its line's baseline; a mark that opens a paragraph or
    heading at the top of its first line, and one that closes a paragraph at the bottom
    of its last. So a ``start`` is on the first line whose baseline is at or below it,
    and an ``end`` on the last line whose baseline is at or above it. A point beyond
    every line of its page takes the page's nearest line."""
    on_page = [line for line in lines if line.page == page]
    if not on_page:
        return None
    if edge == "start":
        return next((line for line in on_page if line.baseline >= y - SLACK), on_page[-1])
    return next((line for line in reversed(on_page) if line.baseline <= y + SLACK), on_page[0])


SLACK = 1.0
"""Points a mark may sit off its line's baseline (rounding in the layout and the PDF)."""
