"""Abbreviations defined at first use, from ``manuscript/abbreviations.yaml``.

``{{ abbr("HSCT") }}`` prints "hematopoietic stem cell transplantation (HSCT)"
the first time in a scope and "HSCT" after that. The abstract is one scope and
the main text another, as journals require. ``casekit check`` reports a short form
used before its definition, a definition never used, and a long form typed by
hand with its abbreviation in brackets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from casekit.core.errors import Location
from casekit.core.yamlfile import Loaded, load_mapping

if TYPE_CHECKING:
    from casekit.checks.problems import Problem


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


def token(short: str) -> re.Pattern[str]:
    """The short form as a word of its own (not inside ``CAR-T-cell`` or ``ALLOGENEIC``)."""
    return _token(short)


def _token(short: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(short)}(?![\w-])")


def check_scope(
    name: str, text: str, definitions: dict[str, str], where: Callable[[str, int], Location]
) -> Iterator[Problem]:
    """Short forms used before (or without) their definition in one scope's text.

    ``where(short, offset)`` turns a position in ``text`` into a file location.
    """
    from casekit.checks.problems import Problem  # `casekit check` only, not a build

    for short, long in definitions.items():
        first = _token(short).search(text)
        if first is None:
            continue
        definition = text.find(f"{long} ({short})")
        if definition >= 0 and first.start() == definition + len(long) + 2:
            continue  # the first use is the definition's own bracket
        later = "defined later" if definition >= 0 else "never defined"
        yield Problem(
            "abbreviation-before-definition",
            where(short, first.start()),
            f"{short!r} is used in the {name} before it is defined ({later})",
            f"write {{{{ abbr({short!r}) }}}} at its first use in the {name}",
        )


def unused(loaded: Loaded[dict[str, str]], texts: Iterable[str]) -> Iterator[Problem]:
    """Definitions whose short form appears nowhere in the rendered manuscript."""
    from casekit.checks.problems import Problem

    joined = "\n".join(texts)
    for short in loaded.value:
        if not _token(short).search(joined):
            yield Problem(
                "unused-abbreviation",
                loaded.where(short),
                f"abbreviation {short!r} is defined but never used",
                "remove it from abbreviations.yaml, or use it",
            )


def typed_definitions(
    definitions: dict[str, str], sources: Iterable[tuple[Path, int, str]]
) -> Iterator[Problem]:
    """``long form (SHORT)`` typed by hand where ``{{ abbr("SHORT") }}`` belongs."""
    from casekit.checks.problems import Problem

    for path, first_line, text in sources:
        for short, long in definitions.items():
            pattern = re.compile(rf"{re.escape(long)}\s*\({re.escape(short)}\)", re.IGNORECASE)
            for match in pattern.finditer(text):
                line = first_line + text.count("\n", 0, match.start())
                yield Problem(
                    "typed-abbreviation",
                    Location(path, line, None, short),
                    f"{match.group(0)!r} is typed by hand",
                    f"write {{{{ abbr({short!r}) }}}}: it defines the abbreviation at first use "
                    "and the short form after",
                )
