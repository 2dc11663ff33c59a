"""Checks of what authors type in templates: hand-typed numbers, citations out of place."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from casekit.checks.problems import Problem
from casekit.core.errors import Location
from casekit.inputs.templates import blank, blank_template_code
from casekit.references.citations import find_citations

_NUMBERS = r"\d{1,3}(?:\s*[,–—-]\s*\d{1,3})*"
TYPED = (
    # [3], [1-4], [6, 13]: not an index like points[0], not a link [1](x) or a label [1]:
    re.compile(rf"(?<![\w\]\[.])\[\s*{_NUMBERS}\s*\](?![(\[{{:])"),
    re.compile(rf"(?<![\w^])\^\s*{_NUMBERS}\s*\^"),  # pandoc superscript ^12^
    re.compile(rf"<sup>\s*{_NUMBERS}\s*</sup>", re.IGNORECASE),  # HTML superscript
)
_CODE = re.compile(r"`[^`\n]*`")


@dataclass(frozen=True)
class Source:
    """Text an author typed, and where it starts."""

    name: str
    """Part of the manuscript: title, abstract, keywords, or a section or template name."""
    path: Path
    """File it is written in."""
    first_line: int
    """Line of ``path`` where the text starts."""
    text: str
    """The text."""


def typed_citations(sources: Iterable[Source]) -> Iterator[Problem]:
    """Citation numbers typed by hand, which no renumbering would ever fix."""
    for source in sources:
        text = _CODE.sub(blank, blank_template_code(source.text))
        for pattern in TYPED:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start())
                column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
                yield Problem(
                    "typed-citation",
                    Location(source.path, source.first_line + line, column),
                    f"{match.group(0).strip()!r} in {source.name} is a citation number typed "
                    "by hand",
                    "cite by key, e.g. [@brown2019; @pieters2007], so numbering stays right",
                )


def forbidden_citations(
    rendered: Iterable[Source], forbidden: Iterable[str], severity: str
) -> Iterator[Problem]:
    """Citations in parts of the manuscript where the rules forbid them."""
    banned = set(forbidden)
    for source in rendered:
        if source.name not in banned:
            continue
        for citation in find_citations(source.text):
            line = source.text.count("\n", 0, citation.offset)
            yield Problem(
                "forbidden-citation",
                Location(source.path, source.first_line + line, None, source.name),
                f"citation of {', '.join('@' + k for k in citation.keys)} in the {source.name}, "
                "where this manuscript's rules allow none",
                "move it to the main text, or change checks.no_citations_in in manuscript.yaml",
                "error" if severity == "error" else "warning",
            )
