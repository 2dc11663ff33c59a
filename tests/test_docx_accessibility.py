"""The DOCX read back for what Word's accessibility checker and a screen reader need: each
picture's alt text (``wp:docPr descr``, not its caption), the title and language, headings
in Word's heading styles, and tables whose header row repeats and is marked as one
(``w:tblHeader``). The example is read as built with its own reference.docx, as built for
a journal (whose reference document casekit makes, typesetting/reference_doc.py), and one
of examples/* in another language."""

from __future__ import annotations

import re
import shutil
import zipfile
from xml.etree import ElementTree

import pytest

from casekit.building.pipeline import BuildResult, build
from casekit.checks.markdown import Reader, plain_text

from .conftest import REPO, copy_example, plan_for

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(scope="module", params=["own", "journal", "examples/appendectomy"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("docx") / "project"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        if request.param == "own":
            return build(plan_for(copy_example(root), "docx"))
        if request.param == "journal":
            return build(plan_for(copy_example(root), "docx", journal="blood-advances"))
        shutil.copytree(REPO / request.param, root, ignore=shutil.ignore_patterns("build"))
        return build(plan_for(root, "docx"))


def _xml(built: BuildResult, name: str) -> ElementTree.Element:
    with zipfile.ZipFile(built.outputs["docx"]) as archive:
        return ElementTree.fromstring(archive.read(name))


def _text(element: ElementTree.Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def _style(paragraph: ElementTree.Element) -> str | None:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return None if style is None else style.get(f"{W}val")


def test_each_picture_s_alt_text_is_what_it_shows_not_its_caption(built: BuildResult) -> None:
    document = _xml(built, "word/document.xml")
    described = [p.get("descr") for p in document.iter(f"{WP}docPr")]
    assert described == [figure.alt for figure in built.document.figures]
    captions = [_text(p) for p in document.iter(f"{W}p") if _style(p) == "ImageCaption"]
    assert len(captions) == len(described)
    for alt, caption in zip(described, captions, strict=True):
        assert alt and alt.startswith("Swim lane of ") and alt not in caption


def test_the_title_and_language_are_the_manuscript_s(built: BuildResult) -> None:
    meta = built.document.metadata
    core = _xml(built, "docProps/core.xml")
    assert core.findtext(f"{DC}title") == meta["title"]
    assert core.findtext(f"{DC}language") == meta["lang"]
    # Word reads the language of the text from the styles' run defaults.
    styles = _xml(built, "word/styles.xml")
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default is not None and default.get(f"{W}val") == meta["lang"]


def test_every_heading_is_in_word_s_heading_style_of_its_level(built: BuildResult) -> None:
    """Every Markdown heading, the abstract's and the reference list's among them, is a
    "heading N" paragraph, and the title is in the Title style."""
    read = Reader().document(built.document.markdown)
    wanted = [
        (f"Heading{block['c'][0]}", " ".join(plain_text(block["c"][2]).split()))
        for block in read["blocks"]
        if block["t"] == "Header"
    ]
    paragraphs = list(_xml(built, "word/document.xml").iter(f"{W}p"))
    headings = [
        (_style(p), " ".join(_text(p).split()))
        for p in paragraphs
        if re.fullmatch(r"Heading\d", _style(p) or "")
    ]
    assert headings == wanted
    assert [h for _, h in headings][-1] == "References"
    assert [" ".join(_text(p).split()) for p in paragraphs if _style(p) == "Title"] == [
        " ".join(built.document.metadata["title"].split())
    ]
    styles = _xml(built, "word/styles.xml")
    for level in sorted({int(style[-1]) for style, _ in headings}):
        style = styles.find(f"{W}style[@{W}styleId='Heading{level}']")
        assert style is not None
        name = style.find(f"{W}name")
        assert name is not None and name.get(f"{W}val") == f"heading {level}"
        outline = style.find(f"{W}pPr/{W}outlineLvl")
        assert outline is not None and outline.get(f"{W}val") == str(level - 1)


def test_every_table_s_header_row_is_marked_as_one(built: BuildResult) -> None:
    tables = list(_xml(built, "word/document.xml").iter(f"{W}tbl"))
    assert tables
    for table in tables:
        first, *rest = table.findall(f"{W}tr")
        assert first.find(f"{W}trPr/{W}tblHeader") is not None
        assert all(row.find(f"{W}trPr/{W}tblHeader") is None for row in rest)
