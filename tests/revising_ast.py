"""Pandoc documents for the revising tests, written as Markdown, and shown back as text
with ``{-deleted-}`` and ``{+inserted+}`` marks."""

from __future__ import annotations

import json
from typing import Any

from casekit.revising.words import DELETION, INSERTION, Mark, Node, inlines_of
from casekit.typesetting import pandoc

MARK = Mark("Ann Author", "2024-01-02T03:04:05Z")


def parse(markdown: str) -> Node:
    """``markdown`` as pandoc's JSON document (citations as written: no citeproc)."""
    document: Node = json.loads(pandoc.run(["-f", "markdown", "-t", "json"], stdin=markdown))
    return document


def para(markdown: str) -> list[Node]:
    """The inlines of the one paragraph ``markdown`` is."""
    inlines: list[Node] = parse(markdown)["blocks"][0]["c"]
    return inlines


def cite(label: str, *keys: str) -> Node:
    """A citation of ``keys`` as citeproc leaves it, printing ``label``."""
    citations = [
        {
            "citationId": key,
            "citationPrefix": [],
            "citationSuffix": [],
            "citationMode": {"t": "NormalCitation"},
            "citationNoteNum": n,
            "citationHash": n,
        }
        for n, key in enumerate(keys, 1)
    ]
    return {"t": "Cite", "c": [citations, [{"t": "Str", "c": label}]]}


def shown(value: Any) -> str:
    """Blocks or inlines as text: a block a line, changes in ``{-…-}`` and ``{+…+}``."""
    if isinstance(value, list):
        blocks = value and isinstance(value[0], dict) and _is_block(value[0])
        return ("\n" if blocks else "").join(shown(item) for item in value)
    kind = value["t"]
    if kind == "Str":
        return str(value["c"])
    if kind in ("Space", "SoftBreak"):
        return " "
    if kind == "Cite":
        return shown(value["c"][1])
    if kind == "Span":
        inner = shown(value["c"][1])
        classes = value["c"][0][1]
        if INSERTION in classes:
            return "{+" + inner + "+}"
        if DELETION in classes:
            return "{-" + inner + "-}"
        return inner
    content = inlines_of(value)
    if content is not None:
        return shown(content)
    if kind in ("Para", "Plain"):
        return shown(value["c"])
    if kind == "Header":
        return "#" * value["c"][0] + " " + shown(value["c"][2])
    if kind == "Div":
        return shown(value["c"][1])
    if kind == "Table":
        _, caption, _, head, bodies, _ = value["c"]
        rows = [*head[1], *(row for body in bodies for row in body[3])]
        lines = [shown(caption[1])] if caption[1] else []
        lines += ["| " + " | ".join(shown(cell[4]) for cell in row[1]) + " |" for row in rows]
        return "\n".join(lines)
    return f"<{kind}>"


def _is_block(node: Node) -> bool:
    return node.get("t") in {
        "Para", "Plain", "Header", "Div", "Table", "BulletList", "OrderedList", "BlockQuote",
        "Figure", "CodeBlock", "RawBlock", "HorizontalRule", "LineBlock", "DefinitionList",
    }  # fmt: skip
