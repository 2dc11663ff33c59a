"""The headings a rendered manuscript prints, found in its Markdown.

Reading an output back needs to know where the cited text begins and where the
reference list starts. Those headings are whatever the templates and the journal
profile print (``Abstract``, ``Summary``, ``Resumen``, ``Literatur``...), so they are
read from the rendered document, never assumed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_HEADING = re.compile(r"^#\s+(.+?)\s*(?:\{[^}]*\})?\s*$", re.MULTILINE)
_REFS_DIV = re.compile(r"^:::+\s*\{#refs\b", re.MULTILINE)


@dataclass(frozen=True)
class Headings:
    """The headings that bound the cited text, as the manuscript prints them (in its own
    language): read from the rendered document, never assumed."""

    first: str
    """The heading where cited text begins: the abstract's, or the first section's."""
    references: str
    """The reference list's heading."""


def first_heading(markdown: str) -> str | None:
    """The text of the first level-one heading in ``markdown``, without attributes."""
    match = _HEADING.search(markdown)
    return match.group(1) if match else None


def level_one_headings(markdown: str) -> list[str]:
    """The text of every level-one heading in ``markdown``, in order, without attributes."""
    return _HEADING.findall(markdown)


def cited_region(front: str, sections: Iterable[str], back: str) -> Headings:
    """The first heading of the front matter (the abstract's) or else of the body, and
    the last heading before the reference list (``::: {#refs}``) in the end matter."""
    first = first_heading(front) or next((h for s in sections if (h := first_heading(s))), "")
    refs = _REFS_DIV.search(back)
    before = _HEADING.findall(back[: refs.start()] if refs else back)
    return Headings(first, before[-1] if before else "")
