"""Journal profiles: every profile builds what it takes, limits fire, review copies are blind."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pypdf
import pytest
from click.testing import CliRunner

from casekit.building.pipeline import BuildResult, build
from casekit.checks.run import run_checks
from casekit.cli.commands import main
from casekit.inputs.journals import available, load_profile
from casekit.references.styles import Look, resolve_style
from casekit.rendering.headings import Headings
from casekit.typesetting.readback import read_docx, read_pdf

from .conftest import REPO, plan_for, request_for
from .readback import pdf_text
from .test_build import EXPECTED

PROFILES = available(REPO / "templates")
SHIPPED = {"default", "blood-advances", "frontiers-in-pediatrics", "bmj-case-reports",
           "pediatric-blood-and-cancer"}  # fmt: skip


def test_the_default_and_four_journals_are_shipped() -> None:
    assert set(PROFILES) >= SHIPPED


@pytest.mark.parametrize("name", PROFILES, ids=lambda n: n)
def test_every_profile_builds_every_format_it_takes(example: Path, name: str) -> None:
    journal = load_profile(example / "templates", name).journal
    result = build(plan_for(example, journal=name))
    assert set(result.outputs) == set(journal.formats)
    for path in result.outputs.values():
        assert path.parent == example / "build" / name
        assert path.stat().st_size > 1000
    if "tex" in journal.formats:
        assert (example / "build" / name / "manuscript.bib").read_text("utf-8").count("@") == 22


def test_journal_style_and_layout_reach_the_outputs(example: Path) -> None:
    result = build(plan_for(example, "pdf", "docx", journal="frontiers-in-pediatrics"))
    assert "(1–4)" in pdf_text(result.outputs["pdf"])
    with zipfile.ZipFile(result.outputs["docx"]) as docx:
        styles = docx.read("word/styles.xml").decode()
    assert 'w:line="360"' in styles  # 1.5 line spacing from the profile


def test_superscript_profile_prints_superscripts_in_pdf_and_docx(example: Path) -> None:
    result = build(plan_for(example, "pdf", "docx", journal="blood-advances"))
    look = Look.from_csl(resolve_style("blood", example).path.read_text(encoding="utf-8"))
    assert look is not None and look.superscript
    # Blood Advances takes no abstract: cited text starts at the Introduction.
    assert result.document.headings == Headings("Introduction", "References")
    for reader, fmt in ((read_pdf, "pdf"), (read_docx, "docx")):
        printed = reader(result.outputs[fmt], look, result.document.headings)
        assert printed.groups == tuple(EXPECTED), fmt
        assert printed.references == 22
    assert "[1–4]" not in pdf_text(result.outputs["pdf"])


def test_title_page_shows_counts_when_the_profile_asks(example: Path) -> None:
    result = build(plan_for(example, "txt", journal="blood-advances"))
    text = result.outputs["txt"].read_text(encoding="utf-8")
    assert re.search(r"Main text: \d+ words\. References: 22\. Figures and tables: 2\.", text)
    assert f"Main text: {result.counts.main_words} words" in text
    assert "Abstract" not in text.split("Introduction")[0]


def _profile_with(example: Path, name: str, **limits: int) -> str:
    path = example / "templates" / "journals" / f"{name}.yaml"
    text = (REPO / "templates" / "journals" / "default.yaml").read_text(encoding="utf-8")
    lines = "".join(f"  {k}: {v}\n" for k, v in limits.items())
    path.write_text(text.replace("abstract: required\n", f"abstract: required\nlimits:\n{lines}"))
    return name


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (
            {"main_words": 100},
            r"main text \d+ words \(introduction \d+, case \d+, discussion \d+\)",
        ),
        ({"abstract_words": 50}, r"abstract \d+ words; Tight allows 50"),
        ({"references": 10}, r"22 references; Tight allows 10"),
        ({"figures_tables": 0}, r"2 figures and tables; Tight allows 0"),
        ({"title_characters": 100}, r"title 159 characters; Tight allows 100"),
        ({"authors": 2}, r"3 authors; Tight allows 2"),
    ],
    ids=["main-words", "abstract-words", "references", "figures-tables", "title", "authors"],
)
def test_limit_checks_fire_over_the_limit(
    example: Path, limits: dict[str, int], message: str
) -> None:
    _profile_with(example, "tight", **limits)
    path = example / "templates/journals/tight.yaml"
    path.write_text(path.read_text().replace("Default (Vancouver, bracketed)", "Tight"))
    problems = [
        p
        for p in run_checks(request_for(example, journal="tight")).problems
        if p.code == "over-limit"
    ]
    assert len(problems) == 1
    assert re.search(message, problems[0].message), problems[0].message


def test_limit_checks_are_quiet_under_the_limits(example: Path) -> None:
    _profile_with(example, "roomy", main_words=5000, abstract_words=400, references=50,
                  figures_tables=5, title_characters=300, authors=10)  # fmt: skip
    assert not [
        p
        for p in run_checks(request_for(example, journal="roomy")).problems
        if p.code == "over-limit"
    ]


def test_required_statement_missing_is_reported(example: Path) -> None:
    manuscript = example / "manuscript" / "manuscript.yaml"
    text = manuscript.read_text(encoding="utf-8")
    manuscript.write_text(re.sub(r"  Author contributions: .*\n", "", text), encoding="utf-8")
    problems = run_checks(request_for(example, journal="blood-advances")).problems
    assert any(
        p.code == "missing-statement" and "'Author contributions'" in p.message for p in problems
    )


def _author_strings() -> list[str]:
    import yaml

    meta = yaml.safe_load((REPO / "manuscript/manuscript.yaml").read_text(encoding="utf-8"))
    names = [a["name"] for a in meta["authors"]]
    return [*names, *(n.split()[-1] for n in names), "example.org", *meta["affiliations"].values()]


@pytest.fixture(scope="module")
def review_copy(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    from .conftest import copy_example

    project = copy_example(tmp_path_factory.mktemp("review") / "project")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        return build(plan_for(project, "pdf", "docx", "html", "txt", review=True))


def test_review_copy_names_no_author_anywhere(review_copy: BuildResult) -> None:
    pdf = review_copy.outputs["pdf"]
    reader = pypdf.PdfReader(pdf)
    texts = {
        "pdf text": pdf_text(pdf),
        "pdf metadata": repr(dict(reader.metadata or {})),
        "html": review_copy.outputs["html"].read_text(encoding="utf-8"),
        "txt": review_copy.outputs["txt"].read_text(encoding="utf-8"),
    }
    with zipfile.ZipFile(review_copy.outputs["docx"]) as docx:
        for name in docx.namelist():
            if name.endswith(".xml"):  # body, headers, footers, core/app/custom properties
                texts[f"docx {name}"] = docx.read(name).decode("utf-8")
    for where, text in texts.items():
        for name in _author_strings():
            assert name not in text, f"{name!r} in {where}"
    assert "Author contributions" not in texts["txt"]
    assert "Patient consent" in texts["txt"]


def test_review_copy_has_line_numbers_double_spacing_and_page_numbers(
    review_copy: BuildResult,
) -> None:
    assert review_copy.outputs["pdf"].parent.name == "review"
    with zipfile.ZipFile(review_copy.outputs["docx"]) as docx:
        document = docx.read("word/document.xml").decode()
        styles = docx.read("word/styles.xml").decode()
        names = docx.namelist()
    section = ElementTree.fromstring(document).find(".//{*}sectPr")
    assert section is not None
    assert section.find("{*}lnNumType") is not None  # Word's own line numbering
    assert section.find("{*}footerReference") is not None and "word/footer1.xml" in names
    assert 'w:line="480"' in styles  # double spacing
    # Typst marks line numbers as artifacts: one per line on a full page.
    page = pypdf.PdfReader(review_copy.outputs["pdf"]).pages[1]
    assert page.get_contents().get_data().count(b"/Artifact") >= 20


def test_journals_command_lists_profiles_with_limits() -> None:
    result = CliRunner().invoke(main, ["journals", "-C", str(REPO)])
    assert result.exit_code == 0
    assert "blood-advances  Blood Advances, Exceptional Case Report" in result.stdout
    assert "main text 1,200 words, 25 references, 2 figures+tables" in result.stdout
    assert "bmj-case-reports" in result.stdout and "abstract 150 words, 4 authors" in result.stdout


def test_jats_is_well_formed_and_matches_the_pdf(example: Path) -> None:
    result = build(plan_for(example, "pdf", "jats"))
    root = ElementTree.parse(result.outputs["jats"]).getroot()
    refs = root.findall(".//ref-list/ref")
    assert len(refs) == 22
    assert all(ref.find("element-citation") is not None for ref in refs)
    pdf_refs = pdf_text(result.outputs["pdf"]).split("\nReferences\n", 1)[1]
    assert pdf_refs.startswith("1. Brown P")
    assert [r.get("id") for r in refs][:3] == [
        "ref-brown2019",
        "ref-pieters2007",
        "ref-pieters2019",
    ]
    body = "".join(root.find("body").itertext())  # type: ignore[union-attr]
    assert re.findall(r"\[([0-9,–]+)\]", body) == EXPECTED


def test_html_makes_no_external_requests(example: Path) -> None:
    html = build(plan_for(example, "html")).outputs["html"].read_text("utf-8")
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*(src|href)=\"https?:", html)
    assert "@import" not in html


def test_tex_carries_the_same_numbers(example: Path) -> None:
    tex = build(plan_for(example, "tex")).outputs["tex"].read_text("utf-8")
    assert "\\begin{document}" in tex
    assert "{[}1--4{]}" in tex and "{[}10,14,15{]}" in tex


def test_section_order_and_blinding_come_from_the_profile(example: Path) -> None:
    path = example / "templates" / "journals" / "blind.yaml"
    text = (REPO / "templates" / "journals" / "default.yaml").read_text(encoding="utf-8")
    path.write_text(
        text + "section_order: [discussion, introduction]\nblinded: true\n", encoding="utf-8"
    )
    result = build(plan_for(example, "md", journal="blind"))
    assert result.outputs["md"] == example / "build" / "blind" / "review" / "manuscript.md"
    markdown = result.outputs["md"].read_text(encoding="utf-8")
    order = [markdown.index(h) for h in ("# Discussion", "# Introduction", "# Case presentation")]
    assert order == sorted(order)
    assert "Alex Example" not in markdown


def test_journals_command_names_an_unusable_profile(example: Path) -> None:
    profiles = example / "templates" / "journals"
    text = (profiles / "default.yaml").read_text(encoding="utf-8")
    (profiles / "odd.yaml").write_text(text.replace("formats: [", "formats: [rtf, "), "utf-8")
    result = CliRunner().invoke(main, ["journals", "-C", str(example)])
    assert result.exit_code == 1
    assert "templates/journals/odd.yaml:7 [formats.0]: input error: unknown format 'rtf'" in (
        result.stderr
    )
