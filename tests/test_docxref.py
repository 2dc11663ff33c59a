"""The Word reference document: derived from pandoc's, reproducible, with real numbering."""

from __future__ import annotations

import io
import zipfile

from casekit.typesetting.reference_doc import DocxLook, make_reference_docx

from .conftest import REPO


def _part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def test_committed_reference_docx_is_what_the_script_makes() -> None:
    """Regenerate with: .venv/bin/python scripts/make_reference_docx.py"""
    committed = (REPO / "templates" / "reference.docx").read_bytes()
    assert make_reference_docx(DocxLook()) == committed


def test_keeps_every_style_pandoc_uses() -> None:
    styles = _part(make_reference_docx(DocxLook()), "word/styles.xml")
    for style_id in ("BodyText", "FirstParagraph", "Title", "Heading1", "Bibliography", "Table"):
        assert f'w:styleId="{style_id}"' in styles


def test_look_is_applied() -> None:
    data = make_reference_docx(DocxLook(font="Arial", size_pt=11, line_spacing=1.5))
    styles = _part(data, "word/styles.xml")
    assert 'w:ascii="Arial"' in styles
    assert '<w:sz w:val="22" />' in styles
    assert 'w:line="360"' in styles
    assert "<w:color " not in styles


def test_line_numbering_is_real_word_numbering() -> None:
    document = _part(make_reference_docx(DocxLook(line_numbers=True)), "word/document.xml")
    assert '<w:lnNumType w:countBy="1"' in document
    without = _part(make_reference_docx(DocxLook()), "word/document.xml")
    assert "lnNumType" not in without


def test_zip_timestamps_are_fixed() -> None:
    with zipfile.ZipFile(io.BytesIO(make_reference_docx(DocxLook()))) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
