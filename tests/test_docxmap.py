"""The anchor map inside a DOCX: a custom XML part added after pandoc, read back."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from casekit.rendering.anchors import AnchorMap, Segment
from casekit.typesetting import pandoc
from casekit.typesetting.docxmap import embed_map, read_map

MAP = AnchorMap(
    "Title\n\nA 3-month-old infant & her <parents>.",
    (
        Segment(0, 5, "manuscript/manuscript.yaml", 3, 8, "title", False, True),
        Segment(9, 20, "manuscript/case.yaml", 12, 10, "patient.age", True, False),
    ),
    (0, 7),
    {"maude2018": ("references.bib", 165)},
    {"manuscript/case.yaml": "0" * 64},
)


def _docx(tmp_path: Path) -> bytes:
    source = tmp_path / "in.md"
    source.write_text("# Title\n\nSome text.\n", encoding="utf-8")
    pandoc.run(
        [str(source), "-o", str(tmp_path / "out.docx")], env={"SOURCE_DATE_EPOCH": "1700000000"}
    )
    return (tmp_path / "out.docx").read_bytes()


def test_the_map_reads_back_as_embedded(tmp_path: Path) -> None:
    docx = embed_map(_docx(tmp_path), MAP)
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        assert read_map(archive) == MAP


def test_a_docx_without_a_map_has_none(tmp_path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(_docx(tmp_path))) as archive:
        assert read_map(archive) is None


def test_embedding_keeps_every_part_and_its_date(tmp_path: Path) -> None:
    """Every part pandoc wrote is there, with its date (the build's), and the map's part
    is declared as Word expects: a relationship and a content type for its properties."""
    plain = _docx(tmp_path)
    docx = embed_map(plain, MAP)
    with zipfile.ZipFile(io.BytesIO(plain)) as before, zipfile.ZipFile(io.BytesIO(docx)) as after:
        dates = {i.filename: i.date_time for i in before.infolist()}
        for info in after.infolist():
            assert info.date_time == dates.get(info.filename, dates["word/document.xml"])
        for name in before.namelist():
            if name not in ("word/_rels/document.xml.rels", "[Content_Types].xml"):
                assert after.read(name) == before.read(name)
        assert "customXml/item1.xml" in after.read("word/_rels/document.xml.rels").decode()
        assert "/customXml/itemProps1.xml" in after.read("[Content_Types].xml").decode()


def test_embedding_is_deterministic(tmp_path: Path) -> None:
    plain = _docx(tmp_path)
    assert embed_map(plain, MAP) == embed_map(plain, MAP)


def test_another_custom_part_is_not_taken_for_the_map(tmp_path: Path) -> None:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_docx(tmp_path))) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("customXml/item1.xml", "<b:Sources xmlns:b='urn:other'>{}</b:Sources>")
        target.writestr("customXml/item2.xml", "not xml <")
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        assert read_map(archive) is None
    docx = embed_map(out.getvalue(), MAP)
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        assert "customXml/item3.xml" in archive.namelist()
        assert read_map(archive) == MAP
