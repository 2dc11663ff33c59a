"""Two rendered manuscripts compared block by block: one document with the changes marked.

Both sides are pandoc JSON documents after citeproc, so every citation holds its keys
and the number it prints. Blocks are aligned first (difflib on each block's
:func:`~casekit.revising.words.signature`, which leaves printed citation numbers out);
in a stretch that differs, blocks of the same kind are paired by how alike their words
are, and a paired block is compared inside: a paragraph or heading word by word
(:mod:`casekit.revising.words`), a table caption and cell by cell, row by row, a list item
by item. A block with no partner was added or removed whole and is marked whole.

Where the children of a block all carry ids (the reference list: ``ref-KEY``), they are
matched by id, not by position: an entry whose key is unchanged is compared with its old
self wherever its number moved; one added or removed is marked whole, in its place.

The result is the new document with deletion and insertion spans added; accepting every
insertion and dropping every deletion gives the new document's text, rejecting them the
old one's, except that citations whose keys did not change print their new numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, TypeVar

from casekit.revising.words import (
    DELETION,
    INSERTION,
    Mark,
    Node,
    compare_inlines,
    marked,
    signature,
    similarity,
)

PAIRED = 0.5
"""Blocks of the same kind at least this alike (by words) are compared inside; less alike,
one was removed and the other added. A lone old and new block in the same place are
always compared inside."""

T = TypeVar("T")


def compare_documents(old: Node, new: Node, mark: Mark) -> Node:
    """``new`` (a pandoc JSON document) with every change since ``old`` marked."""
    meta = dict(new["meta"])
    for name in ("title", "subtitle"):
        before: Any = old["meta"].get(name)
        after: Any = meta.get(name)
        if _meta_inlines(before) and _meta_inlines(after):
            meta[name] = {"t": "MetaInlines", "c": Comparison(mark).inlines(before, after)}
    blocks = Comparison(mark).blocks(old["blocks"], new["blocks"])
    return {"pandoc-api-version": new["pandoc-api-version"], "meta": meta, "blocks": blocks}


def _meta_inlines(value: Any) -> bool:
    return isinstance(value, dict) and value.get("t") == "MetaInlines"


@dataclass(frozen=True)
class Comparison:
    """Compares blocks, marking changes with one author and date."""

    mark: Mark
    """Who made the changes and when."""

    def inlines(self, old: Node, new: Node) -> list[Node]:
        """Two MetaInlines values compared."""
        return compare_inlines(old["c"], new["c"], self.mark)

    def blocks(self, old: list[Node], new: list[Node]) -> list[Node]:
        """``new`` with the changes since ``old`` marked."""
        out: list[Node] = []
        for before, after, same in align(old, new, signature, likeness):
            if same and after is not None:
                out.append(after)
            elif before is not None and after is not None:
                out += self.block(before, after)
            elif before is not None:
                out += whole(before, DELETION, self.mark)
            elif after is not None:
                out += whole(after, INSERTION, self.mark)
        return out

    def block(self, old: Node, new: Node) -> list[Node]:
        """Two paired blocks compared: one block with its changes marked, or the old one
        removed and the new one added when they cannot be compared inside."""
        kind, c = new["t"], new["c"]
        merged: Node | None = None
        if kind in ("Para", "Plain"):
            merged = {"t": kind, "c": compare_inlines(old["c"], c, self.mark)}
        elif kind == "Header":
            merged = {"t": kind, "c": [c[0], c[1], compare_inlines(old["c"][2], c[2], self.mark)]}
        elif kind == "LineBlock" and len(old["c"]) == len(c):
            lines = [compare_inlines(a, b, self.mark) for a, b in zip(old["c"], c, strict=True)]
            merged = {"t": kind, "c": lines}
        elif kind == "Div":
            merged = {"t": kind, "c": [c[0], self.children(old["c"][1], c[1])]}
        elif kind == "BlockQuote":
            merged = {"t": kind, "c": self.blocks(old["c"], c)}
        elif kind == "BulletList":
            merged = {"t": kind, "c": self.items(old["c"], c)}
        elif kind == "OrderedList":
            merged = {"t": kind, "c": [c[0], self.items(old["c"][1], c[1])]}
        elif kind == "Figure":
            caption = [c[1][0], self.blocks(old["c"][1][1], c[1][1])]
            merged = {"t": kind, "c": [c[0], caption, self.blocks(old["c"][2], c[2])]}
        elif kind == "Table":
            merged = self.table(old, new)
        if merged is None:
            return [*whole(old, DELETION, self.mark), *whole(new, INSERTION, self.mark)]
        return [merged]

    def children(self, old: list[Node], new: list[Node]) -> list[Node]:
        """A Div's blocks: by id when every child has one (the reference list), else
        aligned like any blocks."""
        old_ids, new_ids = _ids(old), _ids(new)
        if old_ids is None or new_ids is None:
            return self.blocks(old, new)
        position = {key: n for n, key in enumerate(old_ids)}
        kept = set(old_ids) & set(new_ids)
        out: list[Node] = []
        shown = 0  # old children before this one are already in out
        for key, block in zip(new_ids, new, strict=True):
            if key not in kept:
                out += whole(block, INSERTION, self.mark)
                continue
            # Removed children that came before this one in the old list go here.
            for index in range(shown, position[key]):
                if old_ids[index] not in kept:
                    out += whole(old[index], DELETION, self.mark)
            shown = max(shown, position[key] + 1)
            before = old[position[key]]
            out += [block] if signature(before) == signature(block) else self.block(before, block)
        for index in range(shown, len(old)):
            if old_ids[index] not in kept:
                out += whole(old[index], DELETION, self.mark)
        return out

    def items(self, old: list[list[Node]], new: list[list[Node]]) -> list[list[Node]]:
        """A list's items, aligned; an item added or removed is marked whole."""
        out: list[list[Node]] = []
        for before, after, same in align(old, new, signature, _words_alike):
            if same and after is not None:
                out.append(after)
            elif before is not None and after is not None:
                out.append(self.blocks(before, after))
            elif before is not None:
                out.append(_whole_all(before, DELETION, self.mark))
            elif after is not None:
                out.append(_whole_all(after, INSERTION, self.mark))
        return out

    def table(self, old: Node, new: Node) -> Node | None:
        """Caption, head, bodies and foot compared row by row and cell by cell; None when
        the columns or bodies differ in number (the table is then replaced whole)."""
        attr, caption, columns, head, bodies, foot = new["c"]
        _, old_caption, old_columns, old_head, old_bodies, old_foot = old["c"]
        if len(columns) != len(old_columns) or len(bodies) != len(old_bodies):
            return None
        merged_bodies = [
            [b[0], b[1], self.rows(a[2], b[2]), self.rows(a[3], b[3])]
            for a, b in zip(old_bodies, bodies, strict=True)
        ]
        return {
            "t": "Table",
            "c": [
                attr,
                [caption[0], self.blocks(old_caption[1], caption[1])],
                columns,
                [head[0], self.rows(old_head[1], head[1])],
                merged_bodies,
                [foot[0], self.rows(old_foot[1], foot[1])],
            ],
        }

    def rows(self, old: list[Any], new: list[Any]) -> list[Any]:
        """Table rows aligned; a paired row compared cell by cell; a row added or
        removed is marked whole, every cell of it."""
        out: list[Any] = []
        for before, after, same in align(old, new, signature, _words_alike):
            if same and after is not None:
                out.append(after)
            elif before is not None and after is not None and len(before[1]) == len(after[1]):
                cells = [
                    [*b[:4], self.blocks(a[4], b[4])]
                    for a, b in zip(before[1], after[1], strict=True)
                ]
                out.append([after[0], cells])
            else:
                if before is not None:
                    out.append(_whole_row(before, DELETION, self.mark))
                if after is not None:
                    out.append(_whole_row(after, INSERTION, self.mark))
        return out


def align(
    old: list[T],
    new: list[T],
    key: Callable[[T], str],
    alike: Callable[[T, T], float | None],
) -> list[tuple[T | None, T | None, bool]]:
    """Old and new items in reading order, as (old, new, identical): identical ones, then
    in each stretch that differs, pairs of alike items (``alike`` ≥ :data:`PAIRED`, or a
    lone pair), and items removed (new None) before those added (old None) beside them."""
    matcher = SequenceMatcher(None, [key(x) for x in old], [key(x) for x in new], autojunk=False)
    out: list[tuple[T | None, T | None, bool]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [(old[i1 + k], new[j1 + k], True) for k in range(i2 - i1)]
        else:
            paired = _paired(old[i1:i2], new[j1:j2], alike)
            out += paired
    return out


_MOST_COMPARED = 10_000
"""A differing stretch larger than this (old × new items) is not paired: all removed, all
added (a rewrite, not an edit)."""


def _paired(
    old: list[T], new: list[T], alike: Callable[[T, T], float | None]
) -> list[tuple[T | None, T | None, bool]]:
    """The pairing of two stretches that keeps the most likeness, in order (dynamic
    programming over old × new)."""
    m, n = len(old), len(new)
    score: dict[tuple[int, int], float] = {}
    if m * n <= _MOST_COMPARED:
        for i in range(m):
            for j in range(n):
                value = alike(old[i], new[j])
                if value is not None and (value >= PAIRED or m == n == 1):
                    score[i, j] = value
    best = [[0.0] * (n + 1) for _ in range(m + 1)]
    for i in range(m - 1, -1, -1):
        for j in range(n - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            if (i, j) in score:
                options.append(score[i, j] + best[i + 1][j + 1])
            best[i][j] = max(options)
    out: list[tuple[T | None, T | None, bool]] = []
    i = j = 0
    while i < m or j < n:
        if i < m and j < n and (i, j) in score and best[i][j] == score[i, j] + best[i + 1][j + 1]:
            out.append((old[i], new[j], False))
            i, j = i + 1, j + 1
        elif i < m and (j == n or best[i][j] == best[i + 1][j]):
            out.append((old[i], None, False))
            i += 1
        else:
            out.append((None, new[j], False))
            j += 1
    return out


def likeness(old: Node, new: Node) -> float | None:
    """How alike two blocks are by their words, 0 to 1; None when they cannot be compared
    inside (blocks of two kinds, headings of two levels, tables of other columns)."""
    if _kind(old) != _kind(new):
        return None
    kind = new["t"]
    if kind in ("Para", "Plain"):
        return similarity(old["c"], new["c"])
    if kind == "Header":
        return similarity(old["c"][2], new["c"][2]) if old["c"][0] == new["c"][0] else None
    if kind in ("Div", "Figure") and old["c"][0][0] and old["c"][0][0] == new["c"][0][0]:
        return 1.0  # the same id: the same section, figure or entry
    if kind == "Table" and len(old["c"][2]) != len(new["c"][2]):
        return None
    if kind in ("CodeBlock", "RawBlock", "HorizontalRule", "DefinitionList"):
        return None  # compared whole only: equal, or replaced
    return _words_alike(old, new)


def _kind(block: Node) -> str:
    return "text" if block["t"] in ("Para", "Plain") else str(block["t"])


def _words_alike(old: Any, new: Any) -> float:
    return similarity(list(_words(old)), list(_words(new)))


def _words(value: Any) -> Iterator[Node]:
    """Every word and citation inside ``value``, in reading order."""
    if isinstance(value, dict):
        if value.get("t") in ("Str", "Cite"):
            yield value
        else:
            for item in value.values():
                yield from _words(item)
    elif isinstance(value, list):
        for item in value:
            yield from _words(item)


def _ids(blocks: list[Node]) -> list[str] | None:
    """Each block's id, when every block is a Div with its own id."""
    ids = [b["c"][0][0] if b["t"] == "Div" else "" for b in blocks]
    if not blocks or not all(ids) or len(set(ids)) != len(ids):
        return None
    return ids


def whole(block: Node, kind: str, mark: Mark) -> list[Node]:
    """``block`` added or removed whole: every piece of text in it marked ``kind``.

    A block that holds no text to mark (a rule, raw or code block) is kept when added
    and left out when removed."""
    t: str = block["t"]
    c: Any = block.get("c")
    if t in ("Para", "Plain"):
        return [{"t": t, "c": marked(c, kind, mark)}]
    if t == "Header":
        return [{"t": t, "c": [c[0], c[1], marked(c[2], kind, mark)]}]
    if t == "LineBlock":
        return [{"t": t, "c": [marked(line, kind, mark) for line in c]}]
    if t == "Div":
        return [{"t": t, "c": [c[0], _whole_all(c[1], kind, mark)]}]
    if t == "BlockQuote":
        return [{"t": t, "c": _whole_all(c, kind, mark)}]
    if t == "BulletList":
        return [{"t": t, "c": [_whole_all(item, kind, mark) for item in c]}]
    if t == "OrderedList":
        return [{"t": t, "c": [c[0], [_whole_all(item, kind, mark) for item in c[1]]]}]
    if t == "Figure":
        caption = [c[1][0], _whole_all(c[1][1], kind, mark)]
        return [{"t": t, "c": [c[0], caption, _whole_all(c[2], kind, mark)]}]
    if t == "Table":
        attr, caption, columns, head, bodies, foot = c
        return [
            {
                "t": t,
                "c": [
                    attr,
                    [caption[0], _whole_all(caption[1], kind, mark)],
                    columns,
                    [head[0], [_whole_row(r, kind, mark) for r in head[1]]],
                    [
                        [b[0], b[1], *([_whole_row(r, kind, mark) for r in b[i]] for i in (2, 3))]
                        for b in bodies
                    ],
                    [foot[0], [_whole_row(r, kind, mark) for r in foot[1]]],
                ],
            }
        ]
    return [block] if kind == INSERTION else []


def _whole_all(blocks: list[Node], kind: str, mark: Mark) -> list[Node]:
    return [piece for block in blocks for piece in whole(block, kind, mark)]


def _whole_row(row: list[Any], kind: str, mark: Mark) -> list[Any]:
    return [row[0], [[*cell[:4], _whole_all(cell[4], kind, mark)] for cell in row[1]]]
