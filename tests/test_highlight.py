"""The highlighted copies: changes shown in colour, for Word and for Typst."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casekit.revising.highlight import LOOKS, highlighted, with_change_styles
from casekit.revising.words import DELETION, INSERTION, Node, compare_inlines
from casekit.typesetting import pandoc
from casekit.typesetting.reference_doc import DocxLook, make_reference_docx

from .docx_revisions import W, document
from .revising_ast import MARK, para

MERGED: Node = {
    "pandoc-api-version": [1, 23, 1, 1],
    "meta": {},
    "blocks": [
        {"t": "Para", "c": compare_inlines(para("An old word."), para("A new word."), MARK)}
    ],
}


def _shown(document: Node) -> list[Node]:
    inlines: list[Node] = document["blocks"][0]["c"]
    return inlines


def test_for_word_a_change_is_a_styled_underline_or_strikeout() -> None:
    inlines = _shown(highlighted(MERGED, "docx"))
    spans = [node for node in inlines if node["t"] == "Span"]
    assert [span["c"][0][2] for span in spans] == [
        [["custom-style", "Deleted Text"]],
        [["custom-style", "Inserted Text"]],
    ]
    assert [span["c"][1][0]["t"] for span in spans] == ["Strikeout", "Underline"]


def test_for_typst_a_change_is_coloured_and_lined() -> None:
    inlines = _shown(highlighted(MERGED, "typst"))
    raw = [node["c"][1] for node in inlines if node["t"] == "RawInline"]
    assert raw == [
        f'#text(fill: rgb("#{LOOKS[DELETION].colour}"))[', "]",
        f'#text(fill: rgb("#{LOOKS[INSERTION].colour}"))[', "]",
    ]  # fmt: skip
    assert [n["t"] for n in inlines if n["t"] in ("Strikeout", "Underline")] == [
        "Strikeout",
        "Underline",
    ]


def test_nothing_but_change_spans_is_touched() -> None:
    plain: Node = {**MERGED, "blocks": [{"t": "Para", "c": para("No *change* here.")}]}
    assert highlighted(plain, "docx") == plain
    assert highlighted(plain, "typst") == plain


@pytest.mark.parametrize("kind", [INSERTION, DELETION])
def test_the_reference_document_gets_each_change_style_once(kind: str, tmp_path: Path) -> None:
    reference = with_change_styles(with_change_styles(make_reference_docx(DocxLook())))
    path = tmp_path / "reference.docx"
    path.write_bytes(reference)
    look = LOOKS[kind]
    styles = document(path, "word/styles.xml").findall(f"{W}style[@{W}styleId='{look.style_id}']")
    assert len(styles) == 1
    properties = styles[0].find(f"{W}rPr")
    assert properties is not None
    assert [child.tag.split("}")[1] for child in properties] == (
        ["color", "u"] if kind == INSERTION else ["strike", "color"]
    )


def test_pandoc_writes_the_styles_into_the_runs(tmp_path: Path) -> None:
    reference = tmp_path / "reference.docx"
    reference.write_bytes(with_change_styles(make_reference_docx(DocxLook())))
    source = tmp_path / "shown.json"
    source.write_text(json.dumps(highlighted(MERGED, "docx")), encoding="utf-8")
    out = tmp_path / "shown.docx"
    pandoc.run(["-f", "json", str(source), "--reference-doc", str(reference), "-o", str(out)])
    runs = {
        "".join(t.text or "" for t in run.iter(f"{W}t")): run.find(f"{W}rPr/{W}rStyle")
        for run in document(out).iter(f"{W}r")
    }
    styled = {text: style.get(f"{W}val") for text, style in runs.items() if style is not None}
    assert styled == {"An old": "DeletedText", "A new": "InsertedText"}
