"""``casekit comments``: a co-author's comments and tracked changes, back to the source.

The review in ``comments_scenarios/review/review.yaml`` (comments with replies, a
resolved thread, insertions and deletions, on template text, data values, a table cell,
a statement and a reference) is written into the example's DOCX the way Word records it
(``tests/wordreview.py``). Each remark must be placed at the template line, data field or
reference entry the review names, in three DOCX:

- ``built``: the DOCX as casekit built it, reviewed;
- ``libreoffice``: the same, opened and saved by LibreOffice (skipped without it);
- ``anchors-lost``: the same without casekit's bookmarks and map, matched by its text.

The failure folders of ``comments_scenarios/`` each make a DOCX that cannot be read back
and name the one line ``casekit comments`` must print; nothing in ``build/`` changes.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from casekit.building.pipeline import BuildResult
from casekit.cli.commands import main
from casekit.core.project import Project
from casekit.revising.comments import Comments, Remark, read_comments
from casekit.typesetting import pandoc

from .conftest import copy_example
from .wordreview import Review

SCENARIOS = Path(__file__).parent / "comments_scenarios"
REVIEW = yaml.safe_load((SCENARIOS / "review" / "review.yaml").read_text(encoding="utf-8"))
FAILURES = sorted(p for p in SCENARIOS.iterdir() if (p / "scenario.yaml").is_file())
VARIANTS = ["built", "libreoffice", "anchors-lost"]
SOFFICE = shutil.which("soffice")


def reviewed(docx: bytes) -> bytes:
    """``docx`` with every remark of review.yaml made in it."""
    review = Review(docx)
    for item in REVIEW:
        nth = item.get("nth", 0)
        if "comment" in item:
            replies = tuple(tuple(r) for r in item.get("replies", ()))
            resolved = item.get("resolved", False)
            review.comment(item["comment"], item["text"], item["author"], nth, replies, resolved)
        elif "insert" in item:
            review.insert(item["before"], item["insert"], item["author"], nth)
        else:
            review.delete(item["delete"], item["author"], nth)
    return review.save()


def saved_by_libreoffice(docx: bytes, work: Path) -> bytes:
    """``docx`` opened and saved as DOCX by LibreOffice, headless, with a profile of its own."""
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed (soffice; Debian: libreoffice-writer-nogui)")
    (work / "in").mkdir(parents=True)
    source = work / "in" / "reviewed.docx"
    source.write_bytes(docx)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{work / 'profile'}", "--headless",
         "--convert-to", "docx", "--outdir", str(work / "out"), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return (work / "out" / "reviewed.docx").read_bytes()


def without_anchors(docx: bytes) -> bytes:
    """``docx`` as an editor that drops bookmarks and custom XML parts would save it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename.startswith("customXml/"):
                continue
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = re.sub(
                    rb'<w:bookmarkStart w:id="\d+" w:name="_ck\d+"\s*/>'
                    rb'(?:<w:bookmarkEnd w:id="\d+"\s*/>)?',
                    b"",
                    data,
                )
                assert b'"_ck' not in data
            target.writestr(info.filename, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def returned(built_example: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The reviewed DOCX of each variant (made once), and the project that built it."""
    base = reviewed(built_example.outputs["docx"].read_bytes())
    folder = tmp_path_factory.mktemp("returned")

    @cache
    def variant(name: str) -> Path:
        data = {
            "built": lambda: base,
            "libreoffice": lambda: saved_by_libreoffice(base, folder / "libreoffice"),
            "anchors-lost": lambda: without_anchors(base),
        }[name]()
        path = folder / f"{name}.docx"
        path.write_bytes(data)
        return path

    return variant


@pytest.fixture(scope="module")
def comments(returned: Any, built_example: BuildResult) -> Any:
    @cache
    def read(variant: str) -> Comments:
        return read_comments(returned(variant), built_example.plan.project)

    return read


def _remark(found: Comments, item: dict[str, Any]) -> Remark:
    """The remark of ``found`` made for review item ``item``."""
    kind = item["expected"]["kind"]
    text = item.get("text") or item.get("insert") or item.get("delete")
    matches = [r for r in found.remarks if r.kind == kind and r.text == text]
    assert len(matches) == 1, f"{kind} {text!r}: found {len(matches)}"
    return matches[0]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize(
    "item", REVIEW, ids=[f"{i['expected']['kind']}-{i['expected']['file']}" for i in REVIEW]
)
def test_each_remark_is_placed_at_its_source(
    comments: Any, variant: str, item: dict[str, Any]
) -> None:
    found = comments(variant)
    remark = _remark(found, item)
    expected = item["expected"]
    place = remark.place
    assert (place.file, place.line) == (expected["file"], expected["line"])
    assert place.field == expected.get("field")
    assert place.generated is expected["generated"]
    assert remark.resolved is expected.get("resolved", False)
    assert len(remark.replies) == expected.get("replies", 0)
    assert remark.author == item["author"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_remark_is_found_once(comments: Any, variant: str) -> None:
    found = comments(variant)
    assert len(found.remarks) == len(REVIEW)
    assert found.anchored is (variant != "anchors-lost")
    assert found.changed == ()


def test_a_column_is_that_of_the_commented_text(comments: Any, built_example: BuildResult) -> None:
    """A place names the column where the commented text starts, in a template line or
    in a data value written on one line."""
    root = built_example.plan.project.root
    by_text = {r.text: r for r in comments("built").remarks}
    for text, quoted in (
        ("By which criteria?", "considered refractory"),
        ("multiparameter ", "flow cytometry of bone marrow"),
        ("Update to the published version.", "@article{maude2018"),
    ):
        place = by_text[text].place
        assert place.line is not None
        line = (root / place.file).read_text(encoding="utf-8").splitlines()[place.line - 1]
        assert line[(place.column or 1) - 1 :].startswith(quoted)


def test_replies_keep_their_order_and_authors(comments: Any) -> None:
    remark = next(r for r in comments("built").remarks if r.text == "Add the white cell count.")
    assert [(r.author, r.text) for r in remark.replies] == [
        ("Sam Placeholder", "It is in the table."),
        ("Alex Example", "Added to the text too."),
    ]


def test_libreoffice_keeps_the_anchors_and_the_map(returned: Any) -> None:
    from casekit.revising.returned import read_returned

    built, saved = read_returned(returned("built")), read_returned(returned("libreoffice"))
    assert saved.map == built.map
    assert [n for n, _ in saved.anchors] == [n for n, _ in built.anchors]
    assert saved.original == built.original


def test_json_gives_the_documented_fields(returned: Any, built_example: BuildResult) -> None:
    root = built_example.plan.project.root
    result = CliRunner().invoke(
        main, ["comments", str(returned("built")), "-C", str(root), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data) == len(REVIEW)
    required = {"file", "line", "kind", "author", "text", "quoted", "replies", "resolved",
                "generated"}  # fmt: skip
    assert all(required <= item.keys() for item in data)
    first = next(item for item in data if item["text"] == "Soften this.")
    assert first["quoted"] == "Dismal outcomes are observed"
    assert first["replies"][0]["author"] == "Alex Example"
    assert first["resolved"] is True
    assert (first["file"], first["line"], first["generated"]) == (
        "templates/sections/introduction.md.j2", 4, False)  # fmt: skip


def test_text_starts_each_line_with_the_place(returned: Any, built_example: BuildResult) -> None:
    root = built_example.plan.project.root
    result = CliRunner().invoke(main, ["comments", str(returned("built")), "-C", str(root)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert (
        "templates/sections/case.md.j2:20:166: deletion by Robin Sample, 2025-03-14: "
        "−“without complications”"
    ) in lines
    assert any(
        line.startswith("references.bib:165 [maude2018]: comment by Robin Sample")
        and "(generated from the data)" in line
        for line in lines
    )
    assert "    reply by Alex Example, 2025-03-14: Kept: the cited series say so." in lines
    assert lines[-1].endswith(
        "9 comments (1 resolved), 2 insertions, 2 deletions; 4 on text casekit generated "
        "from the data"
    )


def test_the_readme_shows_what_casekit_prints(returned: Any, built_example: BuildResult) -> None:
    """Every remark line of the README's example is printed, word for word, for this review."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"\n```\n(manuscript/.*?)\n```", readme, re.DOTALL)
    assert example is not None
    shown = [line for line in example[1].splitlines() if not line.startswith("manuscript-SP")]
    assert len(shown) >= 5
    root = built_example.plan.project.root
    result = CliRunner().invoke(main, ["comments", str(returned("built")), "-C", str(root)])
    printed = result.output.splitlines()
    for line in shown:
        assert line in printed, f"README example is stale: {line}"


def test_without_anchors_it_says_the_text_was_matched(
    returned: Any, built_example: BuildResult
) -> None:
    root = built_example.plan.project.root
    result = CliRunner().invoke(main, ["comments", str(returned("anchors-lost")), "-C", str(root)])
    assert result.exit_code == 0, result.output
    assert "carries no casekit anchors: places were found by matching its text" in result.output


def test_a_file_changed_since_the_build_is_named(returned: Any, tmp_path: Path) -> None:
    """Lines come from the DOCX's own map; a template edited since is said to be."""
    project = copy_example(tmp_path / "project")
    template = project / "templates" / "sections" / "case.md.j2"
    template.write_text("\n\n" + template.read_text(encoding="utf-8"), encoding="utf-8")
    found = read_comments(returned("built"), Project(project))
    assert found.changed == ("templates/sections/case.md.j2",)
    remark = next(r for r in found.remarks if r.text == "By which criteria?")
    assert (remark.place.line, remark.stale) == (16, True)


def test_nothing_is_written(returned: Any, tmp_path: Path) -> None:
    """Matching a DOCX by its text renders the project, but writes no output or cache."""
    project = copy_example(tmp_path / "project")
    before = _tree(project)
    result = CliRunner().invoke(
        main, ["comments", str(returned("anchors-lost")), "-C", str(project)]
    )
    assert result.exit_code == 0, result.output
    assert _tree(project) == before


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def make_docx(spec: dict[str, Any], path: Path) -> None:
    """The DOCX a failure scenario describes: plain text, a ZIP of given parts, or
    another manuscript's Markdown written by pandoc."""
    if "text" in spec:
        path.write_text(spec["text"], encoding="utf-8")
    elif "zip" in spec:
        with zipfile.ZipFile(path, "w") as archive:
            for name, text in spec["zip"].items():
                archive.writestr(name, text)
    else:
        source = path.with_suffix(".md")
        source.write_text(spec["markdown"], encoding="utf-8")
        pandoc.run([str(source), "-o", str(path)])


@pytest.mark.parametrize("scenario", FAILURES, ids=lambda p: p.name)
def test_a_docx_that_cannot_be_read_back_is_one_line(
    scenario: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = yaml.safe_load((scenario / "scenario.yaml").read_text(encoding="utf-8"))
    project = copy_example(tmp_path / "project")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    CliRunner().invoke(main, ["build", "docx", "-q", "-C", str(project)])
    make_docx(spec["docx"], project / "returned.docx")
    before = _tree(project / "build")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["comments", "returned.docx"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for piece in spec["stderr"]:
        assert piece in lines[0]
    assert lines[0].startswith("casekit: returned.docx: docx error: ")
    assert "(hint: " in lines[0]
    assert _tree(project / "build") == before
    if spec.get("in-readme"):
        readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
        assert lines[0] in readme, f"README example is stale; casekit now prints:\n{lines[0]}"
