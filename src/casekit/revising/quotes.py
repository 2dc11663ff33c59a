"""Finding rendered text on the numbered lines of the review copy, and quoting it as printed.

A label's lines come from Typst's own positions; what the letter quotes is read off
those lines, trimmed to the labelled words, so the reviewer reads exactly what the page
prints (citation numbers, hyphenation undone). A section's paragraph or a printed case
value has no mark of its own, so its words are looked for on the section's lines.

Words are compared as letters only, without case: a citation is ``[@key]`` in the source
and ``[14–16]`` on the page, a hyphenated word is broken over two lines, and a number
may be formatted, so digits and punctuation are left out of the comparison.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from casekit.typesetting.lines import Line

_CHUNK = re.compile(r"[\w\-\u00ad]+")
_CITATION = re.compile(r"\[[^\[\]]*@[^\[\]]*\]|(?<![\w@])-?@\{?[\w][\w:.#$%&\-+?<>~/]*\}?")
_MARKUP = re.compile(
    r"`[^`\n]*`\{=\w+\}"  # raw output
    r"|\]\([^)\s]*\)"  # a link's or image's target
    r"|\s\{[^{}]*\}"  # attributes: {#sec-case .unnumbered}
    r"|<!--.*?-->",
    re.DOTALL,
)
ANCHOR_WORDS = 6
"""How many words at each end of a text must be found together."""


def words(text: str) -> list[str]:
    """The comparable words of ``text``: letters only, lower case; hyphens joined."""
    return [w for w in (_normal(m.group(0)) for m in _CHUNK.finditer(text)) if w]


def _normal(chunk: str) -> str:
    return "".join(c for c in chunk.lower() if c.isalpha())


def plain(markdown: str) -> str:
    """Rendered Markdown as the words a reader sees: no citation keys, attributes, link
    targets or raw output."""
    text = _MARKUP.sub(" ", markdown)
    return _CITATION.sub(" ", text)


@dataclass(frozen=True)
class Found:
    """Where a text was found on the numbered lines."""

    first: Line
    """The line its first word is on."""
    last: Line
    """The line its last word is on."""
    quote: str
    """The text as printed, from its first word to its last."""


class Stream:
    """Numbered lines joined into one text, each word knowing its line."""

    def __init__(self, lines: Sequence[Line]) -> None:
        self.lines = tuple(lines)
        parts: list[str] = []
        owners: list[int] = []
        self.joins: list[int] = []  # offsets where a line ending in a hyphen was joined
        for i, line in enumerate(self.lines):
            text = line.text
            if parts and not _hyphenated(parts[-1]):
                parts.append(" ")
                owners.append(i)
            elif parts:
                self.joins.append(sum(map(len, parts)) - 1)
            parts.append(text)
            owners += [i] * len(text)
        self.text = "".join(parts)
        self._owner = owners
        self.tokens = [
            (word, m.start(), m.end())
            for m in _CHUNK.finditer(self.text)
            if (word := _normal(m.group(0)))
        ]

    def line_of(self, offset: int) -> Line:
        """The line that printed the character at ``offset``."""
        return self.lines[self._owner[min(offset, len(self._owner) - 1)]]

    def find(self, source: str, start: int = 0, end: int | None = None) -> Found | None:
        """The first stretch of tokens ``[start, end)`` that begins with the first words of
        ``source`` (rendered Markdown) and, after them, ends with its last words; None
        when either is missing."""
        text = plain(source)
        target = words(text)
        if not target:
            return None
        stop = len(self.tokens) if end is None else end
        k = min(ANCHOR_WORDS, len(target))
        head, tail = list(target[:k]), list(target[-k:])
        names = [t[0] for t in self.tokens]
        for i in range(start, stop - k + 1):
            if names[i : i + k] != head:
                continue
            j = _last_run(names, tail, i + len(target) - k, stop) if len(target) > k else i
            if j is None:
                j = _last_run(names, tail, i, stop)
            if j is None:
                continue
            first, last = self.tokens[i][1], self.tokens[j + k - 1][2]
            # What the source writes before its first word and after its last (a bracket,
            # a full stop, a citation) is quoted too, as far as the page prints it.
            lead, trail = _ends(source, text)
            while first > 0 and self.text[first - 1] in lead:
                first -= 1
            while last < len(self.text) and self.text[last] in trail:
                last += 1
            quote = self.quote(first, last, text)
            return Found(self.line_of(first), self.line_of(last - 1), quote)
        return None

    def quote(self, first: int, last: int, source: str) -> str:
        """The printed text between two offsets. A hyphen that ends a line is dropped
        where it only breaks a word: where the ``source`` writes that word whole
        (``trans-plantation``), not where it is the word's own (``CAR-T``)."""
        text = self.text[first:last]
        for at in sorted((j for j in self.joins if first <= j < last), reverse=True):
            cut = at - first
            before = re.search(r"\w+$", text[:cut])
            after = re.match(r"\w+", text[cut + 1 :])
            if before is None or after is None:
                continue
            whole = before.group(0) + after.group(0)
            hyphened = f"{before.group(0)}-{after.group(0)}"
            if _written(whole, source) and not _written(hyphened, source):
                text = text[:cut] + text[cut + 1 :]
        return text

    def token_range(self, first: Line, last: Line) -> tuple[int, int]:
        """The tokens printed on lines ``first`` to ``last``."""
        a = self.lines.index(first)
        b = self.lines.index(last)
        inside = [n for n, (_, s, _) in enumerate(self.tokens) if a <= self._owner[s] <= b]
        return (inside[0], inside[-1] + 1) if inside else (0, 0)


_CITED_END = re.compile(r"(\[[^\[\]]*@[^\[\]]*\]|@[\w:.#$%&\-+?<>~/]+)\W*$")
_CITATION_MARKS = frozenset("0123456789,–-[]()")
"""What a printed citation is made of: ``[1,5–9]``, ``(3)``, or raised ``14–16``."""


def _ends(source: str, text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The characters that may be quoted before the first word and after the last: those
    the source writes there, and a citation's when the source ends with one."""
    lead = re.match(r"\W*", text.lstrip())
    trail = re.search(r"\W*$", text.rstrip())
    after = frozenset((trail.group(0) if trail else "").replace(" ", ""))
    if _CITED_END.search(source.rstrip()):
        after |= _CITATION_MARKS
    return frozenset((lead.group(0) if lead else "").replace(" ", "")), after


def _hyphenated(text: str) -> bool:
    return len(text) > 1 and text[-1] in "-\u00ad" and text[-2].isalpha()


def _last_run(names: list[str], tail: list[str], begin: int, stop: int) -> int | None:
    """Where ``tail`` begins, searching from ``begin``: the first such run."""
    k = len(tail)
    for j in range(max(begin, 0), stop - k + 1):
        if names[j : j + k] == tail:
            return j
    return None


def _written(word: str, source: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", source, re.IGNORECASE) is not None
