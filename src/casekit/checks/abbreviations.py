"""Checks of how a manuscript uses its abbreviations (``manuscript/abbreviations.yaml``).

``casekit check`` reports a short form used before its definition, a definition
never used, a long form typed by hand with its abbreviation in brackets, and a long
or short form that begins a sentence in lowercase.
Loading the definitions and tracking first use belong to ``inputs/abbreviations.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from casekit.checks.problems import Problem
from casekit.core.errors import Location
from casekit.core.textfile import locate
from casekit.core.yamlfile import Loaded
from casekit.inputs.abbreviations import Abbreviation
from casekit.inputs.prose import capfirst


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
        found = [text.find(f"{form} ({short})") for form in (long, capfirst(long))]
        definition = min((i for i in found if i >= 0), default=-1)
        if definition >= 0 and first.start() == definition + len(long) + 2:
            continue  # the first use is the definition's own bracket
        later = "defined later" if definition >= 0 else "never defined"
        yield Problem(
            "abbreviation-before-definition",
            where(short, first.start()),
            f"{short!r} is used in the {name} before it is defined ({later})",
            f"write {{{{ abbr({short!r}) }}}} at its first use in the {name}",
        )


def unused(loaded: Loaded[dict[str, Abbreviation]], texts: Iterable[str]) -> Iterator[Problem]:
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


# A sentence ends at . ? or ! (after closing quotes or brackets, and a citation
# placed after the stop), then white space; a paragraph starts after a blank line.
_SENTENCE_END = r"(?:(?P<word>[\w.]*)[.?!][\"'’”)\]]*(?:\[@[^\]]*\])?[ \t\n]+|\A|\n[ \t]*\n)"

NOT_SENTENCE_ENDS = frozenset({"e.g", "i.e", "vs", "cf", "al", "approx", "etc", "ca", "no"})
"""Words whose full stop is an abbreviation's, not the end of a sentence ("e.g. hs-cTnT")."""


def lowercase_starts(
    name: str, text: str, definitions: dict[str, str], where: Callable[[str, int], Location]
) -> Iterator[Problem]:
    """A long or short form that begins a sentence, or a paragraph, in lowercase.

    ``where(short, offset)`` turns a position in ``text`` into a file location.
    """
    for short, long in definitions.items():
        for form in (long, short):
            if not form[:1].islower():
                continue
            pattern = re.compile(_SENTENCE_END + rf"(?P<form>{re.escape(form)})(?![\w-])")
            for match in pattern.finditer(text):
                if (match.group("word") or "").lower() in NOT_SENTENCE_ENDS:
                    continue
                if form == long:
                    hint = (
                        f"write {{{{ abbr({short!r}, start=True) }}}}: it capitalises the long "
                        "form at the start of a sentence"
                    )
                else:
                    hint = (
                        f"a short form keeps its case ({short}); reword so that the sentence "
                        "does not begin with it"
                    )
                yield Problem(
                    "lowercase-sentence-start",
                    where(short, match.start("form")),
                    f"{form!r} begins a sentence in lowercase in the {name}",
                    hint,
                )


def call_at_sentence_start(template: Path, short: str) -> Location:
    """The line of ``template`` that calls ``abbr(short)`` at the start of a sentence (the
    one a lowercase start comes from), else its first call, else the short form's first
    mention."""
    call = rf"\{{\{{-?\s*abbr\(\s*['\"]{re.escape(short)}['\"]"
    for pattern in (rf"(?:^|[.?!]\S*\s+){call}(?![^}}]*start=True)", call):
        where = locate(template, re.compile(pattern), short)
        if where.line is not None:
            return where
    return locate(template, token(short), short)
