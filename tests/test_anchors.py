"""The DOCX's anchors: markers that change nothing pandoc reads, bookmarks that change
nothing a reader sees, and a map that names where each stretch was written."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from casekit.building.job import make_job
from casekit.building.pipeline import BuildResult
from casekit.building.plan import Request, make_plan
from casekit.building.prepare import prepare
from casekit.core.project import Project
from casekit.rendering.anchors import AnchorMap, Segment, anchor_number, bookmark_name
from casekit.typesetting.docxmap import read_map
from casekit.typesetting.formats import FORMATS

from .conftest import copy_example


def test_bookmark_names_are_word_hidden_ones() -> None:
    assert bookmark_name(12) == "_ck12"
    assert anchor_number("_ck12") == 12
    assert anchor_number("_GoBack") is None
    assert anchor_number("ref-maude2018") is None


@pytest.fixture(scope="module")
def docx_map(built_example: BuildResult) -> AnchorMap:
    with zipfile.ZipFile(built_example.outputs["docx"]) as archive:
        found = read_map(archive)
    assert found is not None
    return found


def _place_of(anchor_map: AnchorMap, text: str) -> Segment:
    segment = anchor_map.segment_at(anchor_map.text.index(text))
    assert segment is not None
    return segment


@pytest.mark.parametrize(
    ("text", "file", "line", "field", "generated"),
    [
        ("Tisagenlecleucel followed by", "manuscript/manuscript.yaml", 3, "title", False),
        ("rarely survive", "manuscript/manuscript.yaml", 30, "abstract", False),
        ("# Case presentation", "templates/sections/case.md.j2", 6, None, False),
        ("pallor, hepatosplenomegaly", "manuscript/case.yaml", 19, "diagnosis.presentation", True),
        ("flow cytometry of bone marrow", "manuscript/case.yaml", 51, "series.mrd.method", True),
        ("| Day | As recorded", "templates/sections/case.md.j2", 34, None, False),
        (
            "Written informed consent",
            "manuscript/manuscript.yaml",
            53,
            "statements.Patient consent",
            False,
        ),
        ("# References", "templates/back.md.j2", 15, None, False),
    ],
    ids=[
        "title",
        "abstract",
        "heading",
        "data-value",
        "same-value-two-fields",
        "table-head",
        "statement",
        "end-matter",
    ],
)
def test_the_map_names_where_each_stretch_was_written(
    docx_map: AnchorMap, text: str, file: str, line: int, field: str | None, generated: bool
) -> None:
    segment = _place_of(docx_map, text)
    assert (segment.file, segment.line, segment.field, segment.generated) == (
        file, line, field, generated)  # fmt: skip


def test_the_map_knows_each_cited_entry(docx_map: AnchorMap, built_example: BuildResult) -> None:
    assert len(docx_map.references) == built_example.references
    assert docx_map.references["maude2018"] == ("references.bib", 165)


def test_the_map_reads_back_as_written(docx_map: AnchorMap) -> None:
    assert AnchorMap.from_json(docx_map.to_json()) == docx_map


@pytest.mark.parametrize(
    "text",
    ["", "[]", '{"version": 99}', '{"version": 1, "text": "x"}', '{"version": 1, "files": 3}'],
    ids=["empty", "list", "other-version", "missing-fields", "wrong-types"],
)
def test_a_map_of_another_shape_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"anchor map|not a casekit"):
        AnchorMap.from_json(text)


def _paragraphs(docx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    return [
        "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))
        for p in re.findall(r"<w:p[ >].*?</w:p>", document, re.DOTALL)
    ]


def _found(docx: bytes, pattern: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return re.findall(pattern, archive.read("word/document.xml").decode("utf-8"))


def _bookmarks(docx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    return re.findall(r'w:name="([^"]*)"', document)


def test_the_anchors_change_nothing_a_reader_sees(example: Path) -> None:
    """The DOCX with anchors has every paragraph, word for word, and every bookmark of
    pandoc's own (headings, references) that the DOCX without them has."""
    plan = make_plan(Request(Project(example), ("docx",)))
    prepared = prepare(plan)
    work = example / "work"
    work.mkdir()
    job = make_job(prepared, work, 1700000000)
    anchored = FORMATS["docx"].produce(job)
    plain = FORMATS["docx"].produce(replace(job, anchors=None, filters_docx=()))
    assert _paragraphs(anchored) == _paragraphs(plain)
    for layout in (r"<w:tblGrid>.*?</w:tblGrid>", r'<w:pStyle w:val="[^"]*"'):
        assert _found(anchored, layout) == _found(plain, layout)
    names = _bookmarks(anchored)
    assert [n for n in names if anchor_number(n) is None] == _bookmarks(plain)
    with zipfile.ZipFile(io.BytesIO(anchored)) as archive:
        anchor_map = read_map(archive)
    assert anchor_map is not None
    assert sum(1 for n in names if anchor_number(n) is not None) == len(anchor_map.anchors)


def test_every_anchor_sits_where_its_map_says(
    built_example: BuildResult, docx_map: AnchorMap
) -> None:
    """The text after each bookmark in the DOCX starts with the word the map puts it at."""
    with zipfile.ZipFile(built_example.outputs["docx"]) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    for match in re.finditer(r'w:name="_ck(\d+)"', document):
        number = int(match.group(1))
        following = re.search(r"<w:t[^>]*>([^<]+)</w:t>", document[match.end() :])
        assert following is not None
        word = docx_map.text[docx_map.anchors[number] :].split()[0]
        assert word.startswith(following.group(1).split()[0][:3]), (number, word)


def test_a_docx_build_is_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from casekit.cli.commands import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    built = []
    for name in ("one", "two"):
        project = copy_example(tmp_path / name)
        result = CliRunner().invoke(main, ["build", "docx", "-q", "-C", str(project)])
        assert result.exit_code == 0, result.output
        built.append((project / "build" / "manuscript.docx").read_bytes())
    assert built[0] == built[1]


def test_what_the_docx_does_not_print_does_not_travel_in_its_map(
    example: Path, tmp_path: Path
) -> None:
    """An author's HTML comment in a template, or raw text for another format, is not
    printed in the DOCX: the map inside it does not carry it either."""
    from click.testing import CliRunner

    from casekit.cli.commands import main

    template = example / "templates" / "sections" / "introduction.md.j2"
    note = "\n<!-- recheck the bridging doses before submitting -->\n\n`\\newpage`{=latex}\n"
    template.write_text(template.read_text(encoding="utf-8") + note, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "docx", "-q", "-C", str(example)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(example / "build" / "manuscript.docx") as archive:
        anchor_map = read_map(archive)
    assert anchor_map is not None
    assert "recheck" not in anchor_map.text and "newpage" not in anchor_map.text
    assert "Case presentation" in anchor_map.text
