"""Abbreviations defined at first use, from ``manuscript/abbreviations.yaml``.

``{{ abbr("LVEF") }}`` prints "left ventricular ejection fraction (LVEF)"
the first time in a scope and "HSCT" after that. The abstract is one scope and
the main text another, as journals require. The checks of how a manuscript uses
them live in ``checks/abbreviations.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from casekit.core.yamlfile import Loaded, load_mapping


@dataclass
class Scope:
    """First-use tracking for one part of the manuscript (abstract or main text)."""

    definitions: dict[str, str]
    """Short form → long form."""
    used: list[str] = field(default_factory=list)
    """Short forms in order of first use through the helper."""

    def __call__(self, short: str) -> str:
        if short not in self.definitions:
            import difflib

            close = difflib.get_close_matches(short, self.definitions, n=2)
            raise ValueError(
                f"unknown abbreviation {short!r}"
                + (f"; did you mean {', '.join(close)}?" if close else "")
                + " (define it in manuscript/abbreviations.yaml)"
            )
        if short in self.used:
            return short
        self.used.append(short)
        return f"{self.definitions[short]} ({short})"


def load_abbreviations(path: Path) -> Loaded[dict[str, str]] | None:
    """The project's abbreviations, or None when it has no abbreviations.yaml."""
    return load_mapping(path) if path.is_file() else None
