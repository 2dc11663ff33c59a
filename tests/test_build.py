"""The pipeline end to end: what the built example says, and that builds are safe.

Golden file: tests/golden/manuscript.txt is the example's plain-text build. After an
intended change, regenerate it with
    SOURCE_DATE_EPOCH=1700000000 .venv/bin/casekit build txt
    cp build/manuscript.txt tests/golden/
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from casekit.building.pipeline import BuildResult, build
from casekit.core.errors import CitationError, TemplateError
from casekit.references.store import load_store

from .conftest import ALL_FORMATS, REPO, plan_for
from .readback import docx_paragraphs, docx_text, groups, pdf_reference_list, pdf_text

SEED_GROUPS = [
    "1–4", "1,5–9", "6,8–12", "6,13", "14–16", "1",
    "10,17–19", "17–21", "14,22", "10,14,15", "18", "18",
]  # fmt: skip
DISCUSSION_GROUPS = ["3,8", "3"]
EXPECTED = SEED_GROUPS + DISCUSSION_GROUPS


def _titles_in_citation_order() -> list[str]:
    store = load_store(REPO / "references.bib")
    from casekit.references.citations import cited_keys, find_citations

    text = "".join(
        (REPO / "templates/sections" / f"{n}.md.j2").read_text(encoding="utf-8")
        for n in ("introduction", "case", "discussion")
    )
    keys = cited_keys(find_citations(text))
    return [re.sub(r"[{}]", "", store.fields()[k]["title"]) for k in keys]


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text).lower().strip()


def test_pdf_prints_the_seed_citation_groups(built_example: BuildResult) -> None:
    assert groups(pdf_text(built_example.outputs["pdf"])) == EXPECTED


def test_docx_prints_the_seed_citation_groups(built_example: BuildResult) -> None:
    assert groups(docx_text(built_example.outputs["docx"])) == EXPECTED


@pytest.mark.parametrize("fmt", ["txt", "html"], ids=["txt", "html"])
def test_text_formats_print_the_seed_citation_groups(built_example: BuildResult, fmt: str) -> None:
    text = built_example.outputs[fmt].read_text(encoding="utf-8")
    if fmt == "html":
        text = re.sub(r"<[^>]+>", "", text)
    assert groups(text) == EXPECTED


def test_pdf_reference_list_has_22_entries_in_citation_order(built_example: BuildResult) -> None:
    entries = pdf_reference_list(pdf_text(built_example.outputs["pdf"]))
    assert len(entries) == 22
    titles = _titles_in_citation_order()
    text = _normal(" ".join(entries))
    positions = [text.find(_normal(t)[:40]) for t in titles]
    assert -1 not in positions, "a title is missing from the reference list"
    assert positions == sorted(positions)


def test_docx_reference_list_has_22_numbered_entries(built_example: BuildResult) -> None:
    refs = [
        t for style, t in docx_paragraphs(built_example.outputs["docx"]) if style == "Bibliography"
    ]
    assert [r.split(".", 1)[0] for r in refs] == [str(i) for i in range(1, 23)]
    for ref, title in zip(refs, _titles_in_citation_order(), strict=True):
        assert _normal(title)[:40] in _normal(ref)


def test_range_marks_are_en_dashes(built_example: BuildResult) -> None:
    text = pdf_text(built_example.outputs["pdf"])
    assert "[1–4]" in text
    assert not re.search(r"\[\d+-\d+\]", text)


def test_txt_matches_golden_file(built_example: BuildResult) -> None:
    """Regenerate with: .venv/bin/casekit build txt && cp build/manuscript.txt tests/golden/"""
    golden = (Path(__file__).parent / "golden" / "manuscript.txt").read_text(encoding="utf-8")
    assert built_example.outputs["txt"].read_text(encoding="utf-8") == golden


def test_case_section_is_labelled_synthetic_and_has_a_timeline(built_example: BuildResult) -> None:
    text = built_example.outputs["md"].read_text(encoding="utf-8")
    assert "synthetic and illustrative" in text
    assert ": Table 1. Timeline of care." in text
    assert "![Figure 1. Timeline of care." in text
    assert "| 170 | CAR-T infusion day +28 |" in text


def test_manifest_records_inputs_tools_and_outputs(built_example: BuildResult) -> None:
    manifest = json.loads(built_example.manifest.read_text(encoding="utf-8"))
    assert manifest["style"]["name"] == "nlm-citation-sequence-brackets"
    assert set(manifest["tools"]) == {"pandoc", "typst", "python"}
    assert "references.bib" in manifest["inputs"]
    assert "templates/sections/case.md.j2" in manifest["inputs"]
    assert {f"manuscript.{f}" for f in ALL_FORMATS} <= set(manifest["outputs"])
    assert manifest["source_date_epoch"] == 1700000000
    assert len(manifest["references"]) == 22


def test_two_builds_are_byte_identical(example: Path, tmp_path: Path) -> None:
    first = build(plan_for(example, "pdf", "docx"))
    saved = {name: path.read_bytes() for name, path in first.outputs.items()}
    second = build(plan_for(example, "pdf", "docx"))
    assert {name: path.read_bytes() for name, path in second.outputs.items()} == saved


def _build_dir_state(project: Path) -> dict[str, bytes]:
    build_dir = project / "build"
    return {
        p.relative_to(build_dir).as_posix(): p.read_bytes()
        for p in build_dir.rglob("*")
        if p.is_file() and ".cache" not in p.parts
    }


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        (("templates/sections/case.md.j2", "{{ case.patient.sex }}", "{{ case.patient.gender }}"),
         TemplateError),
        (("templates/sections/discussion.md.j2", "@pieters2019;", "@pieters2091;"), CitationError),
    ],
    ids=["template-error", "unknown-key"],
)  # fmt: skip
def test_failed_build_leaves_previous_outputs_intact(
    example: Path, edit: tuple[str, str, str], error: type[Exception]
) -> None:
    build(plan_for(example, "pdf", "docx", "md"))
    before = _build_dir_state(example)
    path, old, new = edit
    target = example / path
    target.write_text(target.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(error):
        build(plan_for(example, "pdf", "docx", "md"))
    assert _build_dir_state(example) == before
    assert not [p for p in (example / "build").iterdir() if p.name.startswith(".tmp-")]


def test_failure_in_one_format_writes_no_format(example: Path) -> None:
    """A Typst failure after pandoc's DOCX succeeded must not publish the DOCX alone."""
    build(plan_for(example, "pdf", "docx"))
    before = _build_dir_state(example)
    typ = example / "templates/pandoc/manuscript.typ"
    typ.write_text(typ.read_text(encoding="utf-8").replace("Libertinus Serif", "Arial"), "utf-8")
    case = example / "templates/sections/case.md.j2"
    case.write_text(case.read_text(encoding="utf-8") + "\nA changed line.\n", encoding="utf-8")
    with pytest.raises(Exception, match="unknown font family"):
        build(plan_for(example, "pdf", "docx"))
    assert _build_dir_state(example) == before


def test_superscript_style_prints_superscripts(example: Path) -> None:
    result = build(plan_for(example, "pdf", "docx", style="nlm-citation-sequence-superscript"))
    typ_free = pdf_text(result.outputs["pdf"])
    assert "[1–4]" not in typ_free
    import docx

    runs = [
        r
        for p in docx.Document(str(result.outputs["docx"])).paragraphs
        for r in p.runs
        if r.text == "1–4"
    ]
    assert runs and all(r.font.superscript for r in runs)


def test_pdf_superscript_citations_are_raised(example: Path) -> None:
    """Typst source for a superscript style wraps citations in #super."""
    from casekit.building.pipeline import prepare

    prepared = prepare(plan_for(example, style="nlm-citation-sequence-superscript"))
    assert prepared.plan.style.look.superscript
    assert not prepare(plan_for(example)).plan.style.look.superscript


def test_dependent_style_builds_offline_via_its_parent(example: Path) -> None:
    result = build(plan_for(example, "txt", style="blood"))
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    assert manifest["style"] == {
        "name": "blood",
        "parent": "american-medical-association",
        "sha256": manifest["style"]["sha256"],
        "look": manifest["style"]["look"],
        "repairs": ["name-before-label"],  # AMA labels editors without a <name/>
    }
    assert manifest["style"]["look"]["superscript"] is True  # AMA's numbers are raised
    assert manifest["outputs"]["manuscript.txt"]["style"] == manifest["style"]
    assert manifest["plan"] == {
        "journal": None, "review": False, "folder": "build", "style": manifest["style"]
    }  # fmt: skip
    assert result.outputs["txt"].read_text(encoding="utf-8").count("Blood") >= 1


def test_only_cited_entries_reach_pandoc(example: Path, tmp_path: Path) -> None:
    """A big store is cut down to the cited entries before pandoc sees it."""
    from casekit.building.job import make_job
    from casekit.building.prepare import prepare
    from casekit.references.store import load_store as load

    bib = example / "references.bib"
    extra = "".join(
        f"@article{{filler{i}, title={{Filler {i}}}, journal={{J}}, year={{2001}}}}\n"
        for i in range(2000)
    )
    bib.write_text(bib.read_text(encoding="utf-8") + extra, encoding="utf-8")
    prepared = prepare(plan_for(example))
    work = tmp_path / "work"
    work.mkdir()
    make_job(prepared, work, 0)
    handed = load(work / "references.bib")
    assert sorted(handed.entries) == sorted(prepared.keys)
    assert len(handed.entries) == 22


UNCITED_PROBLEMS = {
    "empty-key": "@article{,\n  title = {No key}\n}\n",
    "duplicate-key": "@article{twice, title={One}}\n@article{twice, title={Two}}\n",
    "syntax-error": "@article{broken, title = {Unbalanced\n\n",
    "dangling-crossref": "@inproceedings{orphan, title={O}, crossref={gone}}\n",
    "dangling-xdata": "@book{orphan2, title={O}, xdata={gone}}\n",
    "unknown-type": "@artcle{typo, title={T}}\n",
}


@pytest.mark.parametrize("problem", UNCITED_PROBLEMS, ids=list(UNCITED_PROBLEMS))
def test_a_problem_in_an_uncited_entry_does_not_stop_the_build(example: Path, problem: str) -> None:
    """A build stops only for what it prints; ``casekit check`` warns about the rest."""
    bib = example / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + UNCITED_PROBLEMS[problem], "utf-8")
    result = build(plan_for(example, "txt"))
    assert result.references == 22


def test_latex_accents_in_the_store_print_as_letters(example: Path) -> None:
    bib = example / "references.bib"
    text = bib.read_text(encoding="utf-8").replace("Brown, P. and", 'Br{\\"o}wn, P. and', 1)
    bib.write_text(text, encoding="utf-8")
    result = build(plan_for(example, "txt"))
    assert "1. Bröwn P, Pieters R" in result.outputs["txt"].read_text(encoding="utf-8")
