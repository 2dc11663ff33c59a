"""Word and item counts as journals define them.

The main text is the body sections only: the title page, abstract, references,
tables, figure legends and end statements do not count. Within a section,
headings, table rows, captions, citations, Markdown markup and raw Typst or HTML
are left out; a word is a run of characters containing a letter or digit, as a
word processor counts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casekit.references.citations import bracket_spans

_TABLE_ROW = re.compile(r"^\s*\|.*$", re.MULTILINE)
_CAPTION = re.compile(r"^\s*:\s.*$|^Table:.*$", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6}\s.*$", re.MULTILINE)
_FENCE = re.compile(r"^:::.*$", re.MULTILINE)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)(\{[^}]*\})?")
_RAW = re.compile(r"`[^`]*`\{=\w+\}|<[^>]+>")
_ATTRIBUTES = re.compile(r"\{[#.][^}]*\}")
_WORD = re.compile(r"\S*[^\W_]\S*")
_FIGURE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_TABLE = re.compile(r"^\s*\|?\s*:?-{3,}", re.MULTILINE)


def words(markdown: str) -> int:
    """Words in rendered Markdown, leaving out what journals do not count."""
    pieces = []
    last = 0
    for start, end in bracket_spans(markdown):
        pieces.append(markdown[last:start])
        last = end
    pieces.append(markdown[last:])
    text = "".join(pieces)
    for pattern in (_TABLE_ROW, _CAPTION, _HEADING, _FENCE, _IMAGE, _RAW, _ATTRIBUTES):
        text = pattern.sub(" ", text)
    text = re.sub(r"[*_~^]", "", text)
    return len(_WORD.findall(text))


def figures_and_tables(markdown: str) -> int:
    """Figures (images) plus tables (their header separator lines)."""
    return len(_FIGURE.findall(markdown)) + len(_TABLE.findall(markdown))


@dataclass(frozen=True)
class Counts:
    """What a journal counts."""

    sections: dict[str, int]
    """Words per body section."""
    abstract_words: int
    """Words in the abstract."""
    references: int
    """Distinct cited references."""
    figures_tables: int
    """Figures and tables in the body."""
    title_characters: int
    """Characters in the title, spaces included."""
    authors: int
    """Authors in the byline."""

    @property
    def main_words(self) -> int:
        return sum(self.sections.values())
