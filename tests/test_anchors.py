"""The DOCX's anchors: markers that change nothing pandoc reads, bookmarks that change
nothing a reader sees, and a map that names where each stretch was written."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from casekit.building.job import make_job
from casekit.building.pipeline import BuildResult
from casekit.building.plan import Request, make_plan
from casekit.building.prepare import prepare
from casekit.core.project import Project
from casekit.rendering.anchors import (
    MARKER_BASE,
    AnchorMap,
    Segment,
    anchor_number,
    bookmark_name,
    marker,
    safe_offsets,
)
from casekit.typesetting import pandoc
from casekit.typesetting.docxmap import read_map
from casekit.typesetting.formats import FORMATS

from .conftest import copy_example

# Markdown an author's templates may print, one kind of syntax each: a marker at every
# offset safe_offsets gives must leave pandoc's reading of it unchanged.
SAMPLES = {
    "paragraph": "A plain paragraph with *emphasis*, **strong** and ^sup^ text.\n",
    "heading": "# Case presentation {#sec-case .unnumbered}\n\nText under it.\n",
    "setext": "Case presentation\n=================\n\nText under it.\n",
    "ordered-list": "1. First item here\n2. Second item here\n\nA. Letter item\nB. Another one\n",
    "bullet-list": "- first item\n- second item\n\n  continued paragraph in item\n",
    "links": 'See [the guideline](https://example.org/a b "Title words") and <https://x.org>.\n',
    "autolink-email": "Write to <alex.example@example.org> or call us.\n",
    "citations": "As shown before [@brown2019; @pieters2007, p. 33] and by @hilden2006 too.\n",
    "code": "Run `casekit build pdf` now, or:\n\n```sh\nmake pdf all\n```\n",
    "math": "The ratio $a over b$ is small, and $$x + y$$ too.\n",
    "attributes": 'A [highlighted span]{.mark key="two words"} here.\n',
    "div": "::: {.byline}\nAlex Example, MD\n:::\n\n::: note\nA note here\n:::\n",
    "raw-html": 'Text <span title="a b">inside</span> and <!-- a comment --> end.\n',
    "pipe-table-narrow": "| Day | Event |\n|----:|:------|\n| 0 | Presentation |\n",
    "pipe-table-wide": (
        "| Day | As recorded | Phase | Event | Key result |\n"
        "|-----:|:-------------------|:----------|:-------------------------------|:----|\n"
        "| 33 | diagnosis day +33 | Induction | End of induction and the assessment | MRD |\n"
        "\n: Table 1. Timeline of care with days.\n"
    ),
    "grid-table": (
        "+-------+----------+\n| Day   | Event    |\n+=======+==========+\n"
        "| 0     | Seen now |\n+-------+----------+\n"
    ),
    "simple-table": "  Day  Event\n-----  -----------\n    0  Seen first\n   12  Seen again\n",
    "multiline-table": (
        "-------------------------------\n Day   Event\n----- -------------------------\n"
        "  0    Seen first in the\n       emergency room\n\n  12   Seen again at home\n"
        "-------------------------------\n"
    ),
    "line-block": "| The first line here\n|    and an indented one\n",
    "placeholder": "Write [TO DO: describe the presenting concerns] here.\n",
    "escapes": "An escaped \\*star\\* and a non\\ breaking space, HLA-B\\*58:01.\n",
    "smart-quotes": "The parents' words: 'we were told' and \"then\" it--happened.\n",
    "footnote": "A claim.[^1] And an ^[inline note here] too.\n\n[^1]: The note text.\n",
    "figure": "![Figure 1. Timeline of care](figures/timeline){#fig-timeline}\n",
}


def _ast(markdown: str) -> Any:
    return json.loads(str(pandoc.run(["-f", "markdown", "-t", "json"], stdin=markdown)))


def _without_markers(value: Any) -> Any:
    """A pandoc AST with every marker character taken out of its strings, and the strings
    a marker split joined again."""
    if isinstance(value, str):
        return "".join(c for c in value if ord(c) < MARKER_BASE)
    if isinstance(value, list):
        items = [_without_markers(v) for v in value]
        joined: list[Any] = []
        for item in items:
            if (
                isinstance(item, dict) and item.get("t") == "Str" and joined
                and isinstance(joined[-1], dict) and joined[-1].get("t") == "Str"
            ):  # fmt: skip
                joined[-1] = {"t": "Str", "c": joined[-1]["c"] + item["c"]}
            elif not (isinstance(item, dict) and item.get("t") == "Str" and item["c"] == ""):
                joined.append(item)
        return joined
    if isinstance(value, dict):
        return {k: _without_markers(v) for k, v in value.items()}
    return value


def _marked(markdown: str, offsets: list[int]) -> str:
    out, at = [], 0
    for number, offset in enumerate(offsets):
        out += [markdown[at:offset], marker(number)]
        at = offset
    return "".join([*out, markdown[at:]])


@pytest.mark.parametrize("markdown", SAMPLES.values(), ids=SAMPLES.keys())
def test_markers_change_nothing_pandoc_reads(markdown: str) -> None:
    offsets = safe_offsets(markdown)
    assert _without_markers(_ast(_marked(markdown, offsets))) == _ast(markdown)


def test_markers_in_the_example_change_nothing_pandoc_reads(built_example: BuildResult) -> None:
    markdown = built_example.document.markdown
    body = markdown.index("\n---\n") + 5  # after the metadata block
    offsets = safe_offsets(markdown, body)
    assert len(offsets) > 1000
    assert _without_markers(_ast(_marked(markdown, offsets))) == _ast(markdown)


@pytest.mark.parametrize(
    ("markdown", "unsafe"),
    [
        ("1. First item\n", "1"),
        ("A. Letter item\n", "A"),
        ("::: note\ntext\n:::\n", "note"),
        ("See <alex@example.org> now.\n", "example"),
        ('A [span]{.mark key="two words"}.\n', "words"),
        ("| Day | Event |\n|----:|:------|\n| 0 | Seen |\n", "Seen"),
    ],
    ids=["ordered-list", "letter-list", "div-class", "autolink", "attribute", "narrow-table"],
)
def test_no_marker_where_one_could_change_the_reading(markdown: str, unsafe: str) -> None:
    assert markdown.index(unsafe) not in safe_offsets(markdown)


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
