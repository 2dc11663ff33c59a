"""The highlighted copies, for journals that refuse Track Changes: the same changes as
the tracked DOCX, shown instead of tracked. Insertions are underlined in blue, deletions
struck through in red.

The compared document's insertion and deletion spans are rewritten for each writer:

- for the DOCX, an underline or strikeout inside a span with a Word character style,
  ``Inserted Text`` or ``Deleted Text``, which :func:`with_change_styles` adds to the
  reference document (colour and line, so the file stays editable and the styles can be
  restyled in Word);
- for the PDF, Typst's ``#underline`` or ``#strike`` inside ``#text(fill: ...)``.

The copies are laid out like a review copy, double-spaced with numbered lines, so a
reviewer can point at a line (the plan's ``review_layout``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from casekit.revising.words import DELETION, INSERTION, Node
from casekit.typesetting.reference_doc import read_zip, write_zip


@dataclass(frozen=True)
class Look:
    """How one kind of change is shown."""

    style: str
    """The Word character style."""
    style_id: str
    """Its id in styles.xml."""
    colour: str
    """RGB in hexadecimal."""
    line: str
    """The pandoc element drawn over or under it: Underline or Strikeout."""
    word_line: str
    """The same in Word's run properties."""


LOOKS = {
    INSERTION: Look(
        "Inserted Text", "InsertedText", "1F5FBF", "Underline", '<w:u w:val="single" />'
    ),
    DELETION: Look("Deleted Text", "DeletedText", "B3261E", "Strikeout", "<w:strike />"),
}
"""How insertions and deletions look in the highlighted copies; nothing else decides it."""


def highlighted(document: Node, writer: str) -> Node:
    """``document`` with each change span shown for ``writer`` (``docx`` or ``typst``)."""
    show = _for_typst if writer == "typst" else _for_docx
    converted: Node = _walk(document, show)
    return converted


def _walk(value: Any, show: Callable[[str, list[Node]], list[Node]]) -> Any:
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            kind = _change(item)
            if kind is None:
                out.append(_walk(item, show))
            else:
                out += show(kind, _walk(item["c"][1], show))
        return out
    if isinstance(value, dict):
        return {key: _walk(item, show) for key, item in value.items()}
    return value


def _change(value: Any) -> str | None:
    """``insertion`` or ``deletion`` for a change span, else None."""
    if not isinstance(value, dict) or value.get("t") != "Span":
        return None
    classes = value["c"][0][1]
    return next((kind for kind in (INSERTION, DELETION) if kind in classes), None)


def _for_docx(kind: str, inlines: list[Node]) -> list[Node]:
    look = LOOKS[kind]
    lined = {"t": look.line, "c": inlines}
    return [{"t": "Span", "c": [["", [], [["custom-style", look.style]]], [lined]]}]


def _for_typst(kind: str, inlines: list[Node]) -> list[Node]:
    look = LOOKS[kind]
    lined = {"t": look.line, "c": inlines}
    opening = {"t": "RawInline", "c": ["typst", f'#text(fill: rgb("#{look.colour}"))[']}
    return [opening, lined, {"t": "RawInline", "c": ["typst", "]"]}]


def with_change_styles(reference: bytes) -> bytes:
    """The Word reference document with the two change styles added (where missing)."""
    parts = read_zip(reference)
    styles = parts["word/styles.xml"].decode("utf-8")
    for look in LOOKS.values():
        if f'w:styleId="{look.style_id}"' in styles:
            continue
        # Run properties in schema order: strike before color, color before u.
        strike = look.word_line if look.line == "Strikeout" else ""
        under = look.word_line if look.line == "Underline" else ""
        style = (
            f'<w:style w:type="character" w:customStyle="1" w:styleId="{look.style_id}">'
            f'<w:name w:val="{look.style}" /><w:rPr>{strike}'
            f'<w:color w:val="{look.colour}" />{under}</w:rPr></w:style>'
        )
        styles = styles.replace("</w:styles>", style + "</w:styles>", 1)
    parts["word/styles.xml"] = styles.encode("utf-8")
    return write_zip(parts)
