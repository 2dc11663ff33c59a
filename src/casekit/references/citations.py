"""Citations in pandoc Markdown: finding them, and numbering them as a numeric style does.

casekit computes the numbers itself, independently of citeproc, so that the
checks can compare what a build printed against what it should print. The rules
are those of numeric (Vancouver/NLM) journals: a reference's number is the order
of its first citation; within one citation numbers are sorted and de-duplicated;
a run of three or more consecutive numbers collapses to ``first–last``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

# Pandoc's citation key: starts with a letter, digit or underscore; may contain
# internal punctuation from :.#$%&-+?<>~/ ; or is written in braces, @{...}.
_KEY = r"(?:\{(?P<braced>[^{}]+)\}|(?P<plain>[\w](?:[\w:.#$%&\-+?<>~/]*[\w])?))"
_CITE = re.compile(r"(?<![\w\\@])-?@" + _KEY)
_BRACKET = re.compile(r"(?<!\\)\[(?P<body>[^\[\]]*)\](?!\(|\{)")
# Masked before searching: code, link targets and autolinks, where an @ is not a citation.
_MASK = re.compile(r"```.*?```|`[^`\n]*`|(?<=\])\([^)\s]*\)|<[a-z]+:[^>\s]*>", re.DOTALL)

EN_DASH = "–"


@dataclass(frozen=True)
class Citation:
    """One citation group as written in the source, e.g. ``[@a; @b]``."""

    keys: tuple[str, ...]
    """Cited keys, in the order written."""
    offset: int
    """Character offset of the group in the text it was found in."""


@lru_cache(maxsize=32)
def find_citations(markdown: str) -> tuple[Citation, ...]:
    """Every citation group in ``markdown``, in reading order.

    A bracketed group counts once; a bare ``@key`` in running text is a group of
    its own. Code spans and fenced code are skipped. A build asks this of the same
    text several times (counts, numbering, key checks), so answers are remembered.
    """
    text = _MASK.sub(lambda m: " " * len(m.group(0)), markdown)
    found: list[Citation] = []
    covered: list[tuple[int, int]] = []
    for match in _BRACKET.finditer(text):
        keys = tuple(_key(m) for m in _CITE.finditer(match.group("body")))
        if keys:
            found.append(Citation(keys, match.start()))
            covered.append(match.span())
    # Both lists are in text order, so one pass decides which bare @keys lie inside a
    # bracketed group (a nested any() here made long manuscripts quadratic).
    index = 0
    for match in _CITE.finditer(text):
        position = match.start()
        while index < len(covered) and covered[index][1] <= position:
            index += 1
        if index < len(covered) and covered[index][0] <= position:
            continue
        found.append(Citation((_key(match),), position))
    found.sort(key=lambda c: c.offset)
    return tuple(found)


def bracket_spans(markdown: str) -> list[tuple[int, int]]:
    """(start, end) of every bracketed citation group, in text order."""
    text = _MASK.sub(lambda m: " " * len(m.group(0)), markdown)
    return [m.span() for m in _BRACKET.finditer(text) if _CITE.search(m.group("body"))]


def _key(match: re.Match[str]) -> str:
    return match.group("braced") or match.group("plain")


def cited_keys(citations: Iterable[Citation]) -> list[str]:
    """Distinct keys in order of first appearance."""
    order: dict[str, None] = {}
    for citation in citations:
        for key in citation.keys:
            order.setdefault(key, None)
    return list(order)


def number_keys(citations: Iterable[Citation]) -> dict[str, int]:
    """Each key's reference number: the position of its first citation, from 1."""
    return {key: i for i, key in enumerate(cited_keys(citations), start=1)}


def collapse(numbers: Iterable[int]) -> str:
    """``[1, 2, 3, 4, 6]`` → ``1–4,6``: sorted, de-duplicated, runs of 3+ collapsed."""
    ordered = sorted(set(numbers))
    parts: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{ordered[i]}{EN_DASH}{ordered[j]}")
        else:
            parts.extend(str(n) for n in ordered[i : j + 1])
        i = j + 1
    return ",".join(parts)


def expected_groups(citations: Sequence[Citation]) -> list[str]:
    """The label each group should print as, without brackets, e.g. ``1,5–9``."""
    numbers = number_keys(citations)
    return [collapse(numbers[k] for k in c.keys) for c in citations]
