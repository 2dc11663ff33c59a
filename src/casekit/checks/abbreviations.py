"""Checks of how a manuscript uses its abbreviations (``manuscript/abbreviations.yaml``).

``casekit check`` reports a short form used before its definition, a definition
never used, and a long form typed by hand with its abbreviation in brackets.
Loading the definitions and tracking first use belong to ``inputs/abbreviations.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from casekit.checks.problems import Problem
from casekit.core.errors import Location
from casekit.core.yamlfile import Loaded


def token(short: str) -> re.Pattern[str]:
    """The short form as a word of its own (not inside ``CAR-T-cell`` or ``ALLOGENEIC``)."""
    return re.compile(rf"(?<![\w-]){re.escape(short)}(?![\w-])")


def check_scope(
    name: str, text: str, definitions: dict[str, str], where: Callable[[str, int], Location]
) -> Iterator[Problem]:
    """Short forms used before (or without) their definition in one scope's text.

    ``where(short, offset)`` turns a position in ``text`` into a file location.
    """
    for short, long in definitions.items():
        first = token(short).search(text)
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
    joined = "\n".join(texts)
    for short in loaded.value:
        if not token(short).search(joined):
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
