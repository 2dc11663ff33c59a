"""Placeholders: text an author still has to write, marked ``[TO DO: what to write]``.

The marker is one literal syntax, the same in every file: a template, the title or
abstract in ``manuscript.yaml``, a value in ``case.yaml`` (which is data, not a
template, so a template helper could not mark it), even a YAML comment. A build
prints it, highlighted, so an unfinished draft cannot pass for a finished one, and
``casekit check`` reports each one, with its file and line, as an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from casekit.core.errors import Location

OPEN = "[TO DO:"
"""How a placeholder starts; it runs to the next ``]``."""

PATTERN = re.compile(re.escape(OPEN) + r"[^\[\]]*\]")
"""One placeholder. It may run over a line break (a wrapped YAML or Markdown line), and
holds no brackets, so two placeholders on one line are two."""


@dataclass(frozen=True)
class Placeholder:
    """One placeholder in an input file."""

    location: Location
    """The file, and the line and column where the marker starts."""
    text: str
    """The marker as written, on one line."""


def find_placeholders(path: Path, text: str) -> list[Placeholder]:
    """Every placeholder in ``text`` (the contents of ``path``), in the order of the file."""
    found = []
    for match in PATTERN.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        found.append(Placeholder(Location(path, line, column), " ".join(match.group().split())))
    return found


def has_placeholder(text: str) -> bool:
    """Whether ``text`` still holds a placeholder."""
    return PATTERN.search(text) is not None


_ATTRIBUTES = r'\{[^{}"\n]*(?:"(?:[^"\\\n]|\\.)*"[^{}"\n]*)*\}'
"""Pandoc attributes, ``{#fig-x alt="..."}``, quoted values read whole."""
_IN_TEXT = re.compile(f"({_ATTRIBUTES})|{PATTERN.pattern}")
"""Attributes (group 1), which are passed over, or a placeholder."""


def highlight(markdown: str) -> str:
    """``markdown`` with each placeholder set as highlighted text (pandoc's ``{.mark}``
    span: a yellow highlight in the PDF, the DOCX and the HTML), brackets kept. One in
    an attribute (``alt="[TO DO: ...]"``) is left as it is: an attribute's value is text,
    where the span would print as typed."""

    def marked(match: re.Match[str]) -> str:
        if match[1] is not None:
            return match[1]
        inner = match.group()[1:-1]
        return f"[\\[{inner}\\]]{{.mark}}"

    return _IN_TEXT.sub(marked, markdown)
