"""Figures without alt text: an image with no words for a reader who cannot see it.

The alt text says what a picture shows; the caption says what it means. Pandoc reads
``![caption](x.png){alt="what it shows"}`` into the image's description and, without
``alt=``, copies the caption there, so every output would repeat the caption to a screen
reader (and a PDF/UA file requires real alt text). An image is reported when pandoc
reads no description for it, or one that is its caption's words (with or without the
"Figure 1." label). Nothing is guessed from the source: each part with an image is read
by pandoc as the build reads it. A figure placed by ``figure()`` has the alt text its
kind writes from the data, so it is reported only when its template gives the caption
as ``alt=``.

An error when the PDF is to be PDF/UA (``pdf: accessible``, the default), else a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from casekit.checks.markdown import Reader, plain_text
from casekit.checks.problems import Problem
from casekit.core.errors import Location
from casekit.rendering.document import Part

_LABEL = re.compile(r"^(?:figure|fig\.?)\s*[\w.-]*\d[\w.-]*[.:]?\s+", re.IGNORECASE)
"""The figure's number at the start of a caption (``Figure 1.``), which ``figure()`` adds."""
_DRAWN = re.compile(r"^figures/([A-Za-z0-9_-]+)(?:\.\w+)?$")
"""The source of a figure ``figure()`` placed: ``figures/NAME``."""


def alt_text_problems(
    parts: Sequence[Part], templates: Sequence[Path], accessible: bool, reader: Reader
) -> list[Problem]:
    """Each image of the rendered ``parts`` without alt text of its own, placed at the
    template line that writes it (looked for in its part's template first, then in the
    other ``templates``)."""
    problems = []
    for part in parts:
        if "![" not in part.markdown:
            continue
        seen: dict[str, int] = {}
        for image, caption in _images(reader.document(part.markdown)["blocks"]):
            source = image["c"][2][0]
            nth = seen[source] = seen.get(source, -1) + 1
            attributes = dict(image["c"][0][2])  # an image in a paragraph keeps alt= here
            alt = _normal(attributes.get("alt") or plain_text(image["c"][1]))
            if alt and caption is None:
                continue
            if alt and alt not in {_normal(caption or ""), _normal(_LABEL.sub("", caption or ""))}:
                continue
            where = _place(source, nth, [part.source, *templates])
            problems.append(_problem(source, where, caption, bool(alt), accessible))
    return problems


def _problem(
    source: str, where: Location, caption: str | None, has_alt: bool, accessible: bool
) -> Problem:
    drawn = _DRAWN.match(source)
    what = f"figure {drawn[1]!r}" if drawn else f"image {source!r}"
    if has_alt:
        message = (
            f"{what} has no alt text of its own: it repeats the caption "
            f"({_clipped(caption or '')!r}), which a screen reader then reads twice"
        )
    else:
        message = f"{what} has no alt text for a reader who cannot see it"
    if accessible:
        message += "; the PDF/UA PDF cannot be made without it"
    hint = (
        'say what the picture shows with alt="..." (figure(name, caption, alt="..."), or '
        '![caption](path){alt="..."}); the caption says what it means'
    )
    return Problem("missing-alt-text", where, message, hint, None if accessible else "warning")


def _images(blocks: Any) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Each image in a pandoc JSON tree, in reading order, with the plain caption of the
    figure it is in (None: not in a figure)."""

    def walk(node: Any, caption: str | None) -> Iterator[tuple[dict[str, Any], str | None]]:
        if isinstance(node, dict):
            kind = node.get("t")
            if kind == "Image":
                yield node, caption
                return
            if kind == "Figure":
                _, (_, captioned), content = node["c"]
                yield from walk(content, plain_text(captioned))
                return
            yield from walk(node.get("c"), caption)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item, caption)

    yield from walk(blocks, None)


def _place(source: str, nth: int, templates: Sequence[Path]) -> Location:
    """Where a template writes the ``nth`` image of ``source`` in its part: the
    ``figure("name"`` call of a figure casekit draws, else the ``](source`` of the image."""
    drawn = _DRAWN.match(source)
    if drawn:
        pattern = re.compile(rf"""\bfigure\(\s*["']{re.escape(drawn[1])}["']""")
    else:
        pattern = re.compile(rf"\]\(\s*<?{re.escape(source)}[\s>)]")
    for path in dict.fromkeys(templates):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        found = list(pattern.finditer(text))
        if found:
            match = found[min(nth, len(found) - 1)]
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            return Location(path, line, column)
    return Location(templates[0] if templates else None)


def _normal(text: str) -> str:
    return " ".join(text.split()).strip(" .").casefold()


def _clipped(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."
