"""Word-level comparison of pandoc inlines, with citations compared by key.

A run of inlines becomes a sequence of tokens, one per word, space, citation, formula,
image or note, each remembering the formatting around it (emphasis, a link, a span).
The old and new sequences are aligned (difflib); what only the old one has is wrapped
in a deletion span, what only the new one has in an insertion span, carrying the
author and date. Pandoc's DOCX writer turns those spans into Word revisions.

What is compared is what a reader would call a change:

- a **citation** by its keys (and prefix, suffix and mode), never by the number it
  prints: one whose keys are the same prints the new number, unmarked, even when an
  earlier reference moved it;
- a **reference list label** (citeproc's ``csl-left-margin`` span) not at all: it is
  the entry's number, derived like a citation's;
- a **space** as a space, whether the source broke the line there or not;
- everything else as printed, so a number written from the case data changes when its
  printed form does.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

Node = dict[str, Any]
"""A pandoc JSON AST element: ``{"t": "Str", "c": "word"}``."""

INSERTION = "insertion"
DELETION = "deletion"
"""The span classes pandoc's DOCX writer makes into ``w:ins`` and ``w:del``."""

LABEL_CLASS = "csl-left-margin"
"""citeproc's span around a reference list entry's number."""

_INLINE_CONTAINERS = {
    # element: index of its inlines in "c" (None: "c" is the inlines)
    "Emph": None,
    "Underline": None,
    "Strong": None,
    "Strikeout": None,
    "Superscript": None,
    "Subscript": None,
    "SmallCaps": None,
    "Quoted": 1,
    "Span": 1,
    "Link": 1,
}


@dataclass(frozen=True)
class Mark:
    """Who made the changes and when: what every revision carries."""

    author: str
    """The author Word shows for the revision."""
    date: str
    """ISO 8601 date and time (``2024-02-03T04:05:06Z``)."""

    def span(self, kind: str, inlines: list[Node]) -> Node:
        """``inlines`` inside a span of class ``kind`` (insertion or deletion)."""
        attributes = [["author", self.author], ["date", self.date]]
        return {"t": "Span", "c": [["", [kind], attributes], inlines]}


def inlines_of(node: Node) -> list[Node] | None:
    """The inlines an inline container holds, or None for a leaf."""
    if node["t"] not in _INLINE_CONTAINERS:
        return None
    index = _INLINE_CONTAINERS[node["t"]]
    content: list[Node] = node["c"] if index is None else node["c"][index]
    return content


def _with_inlines(node: Node, inlines: list[Node]) -> Node:
    index = _INLINE_CONTAINERS[node["t"]]
    if index is None:
        return {"t": node["t"], "c": inlines}
    content = list(node["c"])
    content[index] = inlines
    return {"t": node["t"], "c": content}


@dataclass(frozen=True)
class Wrapper:
    """One container around a token: an emphasis, a link, a span."""

    shape: str
    """The container without its inlines, as JSON: what is compared."""
    serial: tuple[str, int]
    """Which container it is (side and number), so two of the same shape stay two."""
    node: Node = field(compare=False, hash=False)
    """The container itself."""

    def wrap(self, inlines: list[Node]) -> Node:
        """The container holding ``inlines``."""
        return _with_inlines(self.node, inlines)


@dataclass(frozen=True)
class Token:
    """A word, a space, a citation or another leaf, with the containers around it."""

    key: str
    """What is compared: the containers' shapes and the leaf's identity."""
    node: Node = field(compare=False, hash=False)
    """The leaf as printed."""
    path: tuple[Wrapper, ...] = ()
    """The containers around it, outermost first."""

    @property
    def is_space(self) -> bool:
        kind = self.node["t"]
        return kind in ("Space", "SoftBreak") or (kind == "Str" and self.node["c"].isspace())

    @property
    def is_word(self) -> bool:
        """A word or number, or a leaf that stands for one (a citation, a formula)."""
        kind = self.node["t"]
        if kind == "Str":
            return any(ch.isalnum() for ch in self.node["c"])
        return kind not in ("Space", "SoftBreak", "LineBreak")

    @property
    def is_derived(self) -> bool:
        """A citation or a reference list label: never taken apart to make a change fit."""
        return self.node["t"] in ("Cite", "Span")


def tokens(inlines: Iterable[Node], side: str = "") -> list[Token]:
    """The tokens of ``inlines``, in reading order."""
    counter = itertools.count()
    found: list[Token] = []

    def walk(nodes: Iterable[Node], path: tuple[Wrapper, ...]) -> None:
        for node in nodes:
            content = inlines_of(node)
            if content and not _is_label(node):
                shape = json.dumps(_with_inlines(node, []), sort_keys=True, ensure_ascii=False)
                walk(content, (*path, Wrapper(shape, (side, next(counter)), node)))
            else:
                prefix = "".join(w.shape + "\x1f" for w in path)
                for leaf in _pieces(node):
                    found.append(Token(prefix + leaf_key(leaf), leaf, path))

    walk(inlines, ())
    return found


_PIECE = re.compile(r"\d+(?:[.,]\d+)*|\w+|\s|.", re.DOTALL)
"""A word, a number with its decimals ("6.1", "1,250"), a space (a no-break one, between
a number and its unit) or one other character: the units a change is marked in."""


def _pieces(node: Node) -> list[Node]:
    """A Str as its words, numbers and punctuation; any other leaf as it is."""
    if node["t"] != "Str":
        return [node]
    return [{"t": "Str", "c": piece} for piece in _PIECE.findall(node["c"])] or [node]


def _joined(leaves: list[Node]) -> list[Node]:
    """Neighbouring Str pieces as one Str again."""
    out: list[Node] = []
    for leaf in leaves:
        if leaf["t"] == "Str" and out and out[-1]["t"] == "Str":
            out[-1] = {"t": "Str", "c": out[-1]["c"] + leaf["c"]}
        else:
            out.append(leaf)
    return out


def _is_label(node: Node) -> bool:
    return node["t"] == "Span" and LABEL_CLASS in node["c"][0][1]


def leaf_key(node: Node) -> str:
    """What identifies a leaf inline when comparing: its text, or its citation keys."""
    kind = node["t"]
    if kind == "Str":
        return "s:" + str(node["c"])
    if kind in ("Space", "SoftBreak"):
        return " "
    if kind == "Span" and _is_label(node):
        return "label"
    return json.dumps(normalised(node), sort_keys=True, ensure_ascii=False)


def normalised(value: Any) -> Any:
    """``value`` (any part of the AST) as compared: a citation by its keys, a reference
    label blanked, a soft line break as a space."""
    if isinstance(value, list):
        return [normalised(item) for item in value]
    if not isinstance(value, dict):
        return value
    kind = value.get("t")
    if kind == "Cite":
        return {"t": "Cite", "keys": [_citation_key(c) for c in value["c"][0]]}
    if kind == "SoftBreak":
        return {"t": "Space"}
    if kind == "Span" and _is_label(value):
        return {"t": "label"}
    return {key: normalised(item) for key, item in value.items()}


def _citation_key(citation: dict[str, Any]) -> list[Any]:
    # citationNoteNum and citationHash count citations: an earlier one added moves them.
    return [
        citation["citationId"],
        citation["citationMode"]["t"],
        normalised(citation["citationPrefix"]),
        normalised(citation["citationSuffix"]),
    ]


def signature(value: Any) -> str:
    """``value`` as one comparable string (see :func:`normalised`)."""
    return json.dumps(normalised(value), sort_keys=True, ensure_ascii=False)


def similarity(old: list[Node], new: list[Node]) -> float:
    """How alike two runs of inlines are, 0 to 1, word by word."""
    a = [t.key for t in tokens(old) if t.is_word]
    b = [t.key for t in tokens(new) if t.is_word]
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def compare_inlines(old: list[Node], new: list[Node], mark: Mark) -> list[Node]:
    """``new`` with what changed since ``old`` marked: deletions before insertions."""
    a, b = tokens(old, "old"), tokens(new, "new")
    matcher = SequenceMatcher(None, [t.key for t in a], [t.key for t in b], autojunk=False)
    stream: list[tuple[str | None, Token]] = []
    for equal, (i1, i2, j1, j2) in _slid(_tidied(matcher.get_opcodes(), a, b), a, b):
        if equal:
            stream += [(None, token) for token in b[j1:j2]]
        else:
            stream += [(DELETION, token) for token in a[i1:i2]]
            stream += [(INSERTION, token) for token in b[j1:j2]]
    return _rebuild(stream, 0, mark)


def marked(inlines: list[Node], kind: str, mark: Mark) -> list[Node]:
    """``inlines`` marked whole as inserted or deleted."""
    return _rebuild([(kind, token) for token in tokens(inlines)], 0, mark)


Segment = tuple[bool, tuple[int, int, int, int]]
"""(equal, (i1, i2, j1, j2)): old tokens i1:i2 and new tokens j1:j2, alike or not."""


def _tidied(
    opcodes: Iterable[tuple[str, int, int, int, int]], a: list[Token], b: list[Token]
) -> list[Segment]:
    """Opcodes merged into alternating equal and changed segments, where a short equal
    stretch between two larger changes (a space, "the") joins them: "deleted: was given
    drug X; inserted: received drug Y" reads better than a word-by-word patchwork. A
    stretch holding a citation is never joined, so it stays unmarked."""
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in opcodes:
        _append(segments, tag == "equal", (i1, i2, j1, j2))
    changed = True
    while changed:
        changed = False
        for n in range(1, len(segments) - 1):
            equal, (i1, i2, _, _) = segments[n]
            if not equal or segments[n - 1][0] or segments[n + 1][0]:
                continue
            stretch = a[i1:i2]
            if any(t.is_derived for t in stretch):
                continue
            words = sum(t.is_word for t in stretch)
            before, after = _words(segments[n - 1], a, b), _words(segments[n + 1], a, b)
            if words <= before and words <= after:
                merged: list[Segment] = []
                for segment in (segments[n - 1], (False, segments[n][1]), segments[n + 1]):
                    _append(merged, False, segment[1])
                segments[n - 1 : n + 2] = merged
                changed = True
                break
    return segments


def _slid(segments: list[Segment], a: list[Token], b: list[Token]) -> list[Segment]:
    """Each change that only adds or only removes, slid along the same words to where it
    reads best: starting a word after a space ("One. {+Three. +}Two.", not "One{+. Three+}.
    Two."). difflib places it at the first of the equally good places."""
    out = list(segments)
    for n, (equal, (i1, i2, j1, j2)) in enumerate(out):
        if equal or (i1 != i2 and j1 != j2):
            continue
        side, start, end = (b, j1, j2) if i1 == i2 else (a, i1, i2)
        before = out[n - 1][1] if n > 0 else None
        after = out[n + 1][1] if n + 1 < len(out) else None
        # How far the change may move: over equal tokens beside it that repeat its own.
        room_left = (before[3] - before[2]) if before is not None else 0
        room_right = (after[3] - after[2]) if after is not None else 0
        width = end - start
        shifts = [0]
        k = 0
        while k < room_left and side[start - k - 1].key == side[end - k - 1].key:
            k += 1
            shifts.append(-k)
        k = 0
        while k < room_right and end + k < len(side) and side[start + k].key == side[end + k].key:
            k += 1
            shifts.append(k)
        best = max(shifts, key=lambda d: (_reads(side, start + d, start + d + width), -abs(d)))
        if best:
            out[n] = (False, (i1 + best, i2 + best, j1 + best, j2 + best))
            if before is not None:
                out[n - 1] = (True, (before[0], before[1] + best, before[2], before[3] + best))
            if after is not None:
                out[n + 1] = (True, (after[0] + best, after[1], after[2] + best, after[3]))
    return out


def _reads(side: list[Token], start: int, end: int) -> int:
    """How well a change over ``side[start:end]`` reads: it starts a word after a space
    or at the start, and ends with a space."""
    score = int(side[start].is_word)
    score += int(start == 0 or side[start - 1].is_space)
    score += int(side[end - 1].is_space)
    return score


def _append(segments: list[Segment], equal: bool, span: tuple[int, int, int, int]) -> None:
    if segments and segments[-1][0] == equal:
        _, (i1, _, j1, _) = segments[-1]
        segments[-1] = (equal, (i1, span[1], j1, span[3]))
    else:
        segments.append((equal, span))


def _words(segment: Segment, a: list[Token], b: list[Token]) -> int:
    _, (i1, i2, j1, j2) = segment
    return max(sum(t.is_word for t in a[i1:i2]), sum(t.is_word for t in b[j1:j2]))


def _rebuild(stream: list[tuple[str | None, Token]], depth: int, mark: Mark) -> list[Node]:
    """Inlines again from marked tokens (all under the same first ``depth`` containers).

    At this depth the tokens form units: a leaf, or the run of tokens under one container.
    Neighbouring units whose tokens all carry the same mark go into one change span; a
    unit whose tokens differ is rebuilt inside its container, which so stays whole
    (citeproc's reference list spans must not be split). A change span never holds a
    link, since Word allows no hyperlink inside a revision: around a link the span goes
    inside it."""
    units: list[tuple[Wrapper | None, list[tuple[str | None, Token]]]] = []
    for item in stream:
        wrapper = item[1].path[depth] if len(item[1].path) > depth else None
        if wrapper is not None and units and units[-1][0] == wrapper:
            units[-1][1].append(item)
        else:
            units.append((wrapper, [item]))
    out: list[Node] = []
    leaves: list[Node] = []
    n = 0
    while n < len(units):
        wrapper, items = units[n]
        status = _uniform(items, depth)
        if status is not None:
            run = list(items)
            while n + 1 < len(units) and _uniform(units[n + 1][1], depth) == status:
                n += 1
                run += units[n][1]
            out += _joined(leaves)
            leaves = []
            out.append(mark.span(status, _rebuild([(None, t) for _, t in run], depth, mark)))
        elif wrapper is None:
            leaves.append(items[0][1].node)
        else:
            out += _joined(leaves)
            leaves = []
            out.append(wrapper.wrap(_rebuild(items, depth + 1, mark)))
        n += 1
    return out + _joined(leaves)


def _uniform(items: list[tuple[str | None, Token]], depth: int) -> str | None:
    """The mark every token of a unit carries, if one does and no link is in the way."""
    status = items[0][0]
    if status is None or any(s != status for s, _ in items):
        return None
    if any(w.node["t"] == "Link" for _, t in items for w in t.path[depth:]):
        return None
    return status


def plain(inlines: Iterable[Node]) -> str:
    """The text of ``inlines``, spaces as spaces (for a document property)."""
    return "".join(_plain(inlines))


def _plain(inlines: Iterable[Node]) -> Iterator[str]:
    for node in inlines:
        content = inlines_of(node)
        if content is not None:
            yield from _plain(content)
        elif node["t"] == "Str":
            yield node["c"]
        elif node["t"] in ("Space", "SoftBreak", "LineBreak"):
            yield " "
        elif node["t"] == "Cite":
            yield from _plain(node["c"][1])
        elif node["t"] in ("Code", "Math"):
            yield node["c"][-1]
