"""The CARE checklist: where each item is addressed, declared without evidence, or missing."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from casekit.building.pipeline import BuildResult, prepare
from casekit.checks.care import (
    RECORDS,
    CareItem,
    Declared,
    Evidence,
    care_items,
    case_records,
    checklist,
    checklist_markdown,
    line_pages,
    outline_pages,
    pdf_pages,
)
from casekit.checks.run import run_checks
from casekit.cli.commands import main
from casekit.core.errors import Location
from casekit.inputs.case_file import load_case
from casekit.inputs.manuscript import load_manuscript

from .conftest import plan_for, request_for

ITEMS = list(care_items())


def items_of(project: Path, journal: str | None = None) -> dict[str, CareItem]:
    """The checklist of the project at ``project`` (for ``journal``), by item number."""
    meta = load_manuscript(project / "manuscript" / "manuscript.yaml").value
    records = case_records(
        load_case(
            project / "manuscript" / "case.yaml", project / "manuscript" / "case-schema.yaml"
        ).value
    )
    document = prepare(plan_for(project, journal=journal)).document
    return {i.item: i for i in checklist(meta, document, project / "templates", records)}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_checklist_has_the_13_items_and_their_sub_items() -> None:
    assert {re.match(r"\d+", i).group(0) for i in ITEMS} == {str(n) for n in range(1, 14)}  # type: ignore[union-attr]
    assert {"3a", "3d", "5d", "8d", "9c", "10d", "11d"} <= set(ITEMS)


@pytest.mark.parametrize("item", ITEMS, ids=ITEMS)
def test_every_item_says_what_evidence_counts(item: str) -> None:
    evidence = care_items()[item].evidence
    assert evidence
    assert all(e.text or e.citations or e.case or e.statement for e in evidence)
    assert {e.case for e in evidence if e.case} <= set(RECORDS)


def test_example_addresses_every_item(example: Path) -> None:
    items = items_of(example)
    assert [i for i, c in items.items() if c.status != "addressed"] == []
    assert items["4"].where == ("Introduction",)
    assert items["5a"].where == ("Case presentation",)
    assert items["7"].where == ("Table 1", "Figure 1")
    assert items["13"].where == ("Patient consent",)


def test_example_case_data_holds_every_generic_record(example: Path) -> None:
    case = load_case(
        example / "manuscript" / "case.yaml", example / "manuscript" / "case-schema.yaml"
    ).value
    assert case_records(case) == set(RECORDS)


CASE = "templates/sections/case.md.j2"
DISCUSSION = "templates/sections/discussion.md.j2"
INTRODUCTION = "templates/sections/introduction.md.j2"


@pytest.mark.parametrize(
    ("path", "old", "new", "item", "place"),
    [
        (CASE, "{{ case.patient.sex }} infant", "infant", "5a", "Case presentation"),
        (CASE, "{{ case.patient.age | age_adjective }} {{", "{{", "5a", "Case presentation"),
        (INTRODUCTION, "[@brown2019; @pieters2007; @pieters2019; @hilden2006]", "", "", ""),
        (DISCUSSION, "The report has limits.", "", "", ""),
        (
            DISCUSSION,
            "The report has limits. It describes one infant, the follow-up is short, and the "
            "contribution of the CAR-T cells cannot be separated from that of the transplant. "
            "Whether an out-of-specification product carries a higher risk of failure in "
            "infants is unknown.",
            "",
            "11a",
            "Discussion",
        ),
        (DISCUSSION, "The lesson for clinicians is practical:", "Finally,", "", ""),
    ],
    ids=[
        "no-sex",
        "no-age",
        "fewer-citations-still-cited",
        "limits-still-said",
        "no-limitations",
        "lesson-still-for-clinicians",
    ],
)
def test_an_item_declared_without_its_evidence_is_declared_not_addressed(
    example: Path, path: str, old: str, new: str, item: str, place: str
) -> None:
    edit(example / path, old, new)
    items = items_of(example)
    flagged = {i: [d.place for d in c.declared] for i, c in items.items() if c.declared}
    assert flagged == ({item: [place]} if item else {})
    if item:
        assert items[item].status == "declared"
        assert items[item].declared[0].location == Location(example / path, 2)


def test_a_heading_is_not_evidence(example: Path) -> None:
    """A section headed "Patient perspective" that gives none is no patient perspective."""
    manuscript = example / "manuscript" / "manuscript.yaml"
    text = manuscript.read_text(encoding="utf-8")
    text = re.sub(r"  Patient perspective: .*\n", "", text)
    manuscript.write_text(text.replace("discussion]", "discussion, perspective]"), "utf-8")
    (example / "templates" / "sections" / "perspective.md.j2").write_text(
        "{## care: 12 ##}\n# Patient perspective\n\nTo follow.\n", encoding="utf-8"
    )
    item = items_of(example)["12"]
    assert (item.status, item.declared[0].place) == ("declared", "Patient perspective")


def test_check_warns_about_missing_items(example: Path) -> None:
    manuscript = example / "manuscript" / "manuscript.yaml"
    text = manuscript.read_text(encoding="utf-8")
    manuscript.write_text(re.sub(r"  Patient perspective: .*\n", "", text), encoding="utf-8")
    problems = run_checks(request_for(example)).problems
    missing = [p for p in problems if p.code.startswith("care-item")]
    assert [p.message.split(" (")[0] for p in missing] == ["CARE item 12"]
    assert missing[0].code == "care-item-missing"
    assert missing[0].level == "warning"


def test_check_warns_about_declared_items_it_cannot_find_at_the_declaration(
    example: Path,
) -> None:
    manuscript = example / "manuscript" / "manuscript.yaml"
    text = manuscript.read_text(encoding="utf-8")
    manuscript.write_text(re.sub(r"  Patient perspective: .*\n", "", text), encoding="utf-8")
    edit(example / DISCUSSION, "{## care: 11a 11b 11c 11d ##}", "{## care: 11a 11b 11c 11d 12 ##}")
    problems = [p for p in run_checks(request_for(example)).problems if p.code.startswith("care")]
    assert [(p.code, p.message.split(" (")[0]) for p in problems] == [
        ("care-item-unsupported", "CARE item 12")
    ]
    assert problems[0].location == Location(example / DISCUSSION, 2)
    assert "declared in Discussion" in problems[0].message
    assert problems[0].level == "warning"


@pytest.mark.parametrize(
    ("evidence", "text", "holds"),
    [
        (Evidence(text=(re.compile("(?i)dose"),)), "The DOSE was given.", True),
        (Evidence(text=(re.compile("(?i)dose"), re.compile("(?i)daily"))), "a dose", False),
        (Evidence(citations=1), "As shown.[@key]", True),
        (Evidence(citations=1), "As shown.", False),
        (Evidence(case="interventions"), "nothing said", True),
        (Evidence(case="adverse_events"), "nothing said", False),
        (Evidence(statement="perspective"), "", True),
        (Evidence(statement="consent"), "", False),
    ],
    ids=[
        "pattern",
        "every-pattern",
        "citation",
        "no-citation",
        "case-record",
        "no-case-record",
        "statement",
        "no-statement",
    ],
)
def test_evidence(evidence: Evidence, text: str, holds: bool) -> None:
    assert evidence.holds(text, {"interventions"}, ["Patient Perspective"]) is holds


OUTLINE = [("Abstract", 1), ("Introduction", 2), ("Methods", 2), ("Discussion", 5)]


@pytest.mark.parametrize(
    ("outline", "headings", "pages"),
    [
        (OUTLINE, ["Introduction", "Discussion"], {"Introduction": 2, "Discussion": 5}),
        (
            [("Case report", 1), ("Results", 2), ("Case report", 3)],
            ["Results", "Case report"],
            {"Results": 2, "Case report": 3},
        ),
        ([("KMT2A\u00adr infants", 4)], ["*KMT2A-r* Infants"], {"*KMT2A-r* Infants": 4}),
        (OUTLINE, ["Results"], {}),
    ],
    ids=["in-order", "repeated-title-after-the-last", "soft-hyphen-and-emphasis", "absent"],
)
def test_outline_pages(
    outline: list[tuple[str, int]], headings: list[str], pages: dict[str, int]
) -> None:
    assert outline_pages(outline, headings) == pages


ABSTRACT = "**Introduction:** Rare. **Case presentation:** A girl. **Conclusion:** It worked."


@pytest.mark.parametrize(
    ("pages", "pages_found"),
    [
        (
            [
                "Title\nAbstract\nIntroduction: Rare.\nCase presentation: A girl.\n"
                "Conclusion: It worked.",
                "Introduction\nText.\nCase presentation\nA girl.",
            ],
            {"Introduction": 2, "Case presentation": 2},
        ),
        (
            [
                "Abstract\nIntroduction\nRare.\nCase presentation\nA girl.\nConclusion\nIt worked.",
                "Introduction\nText.",
                "Case\npresentation\nA girl.",
            ],
            {"Introduction": 2, "Case presentation": 3},
        ),
        (
            ["Abstract\n" + ABSTRACT, "Introduction\nThe case presentation is\nText."],
            {"Introduction": 2},
        ),
    ],
    ids=["run-in-labels", "labels-on-lines-of-their-own", "words-in-running-text"],
)
def test_line_pages_find_headings_after_the_abstract(
    pages: list[str], pages_found: dict[str, int]
) -> None:
    assert line_pages(pages, ["Introduction", "Case presentation"], ABSTRACT) == pages_found


def test_pages_are_where_the_example_typesets_its_headings(built_example: BuildResult) -> None:
    pages = pdf_pages(built_example.outputs["pdf"], built_example.document)
    expected = {"Abstract": 1, "Introduction": 2, "Case presentation": 3, "Discussion": 6}
    assert {h: pages[h] for h in expected} == expected
    assert (pages["Title"], pages["Keywords"], pages["Table 1"], pages["Figure 1"]) == (1, 1, 5, 6)


def test_a_pdf_without_bookmarks_gives_the_same_pages(
    built_example: BuildResult, tmp_path: Path
) -> None:
    import pypdf

    writer = pypdf.PdfWriter()
    for page in pypdf.PdfReader(built_example.outputs["pdf"]).pages:
        writer.add_page(page)
    bare = tmp_path / "bare.pdf"
    with bare.open("wb") as out:
        writer.write(out)
    assert pypdf.PdfReader(bare).outline == []
    with_outline = pdf_pages(built_example.outputs["pdf"], built_example.document)
    assert pdf_pages(bare, built_example.document) == with_outline


def test_the_checklist_shows_three_states() -> None:
    declared = Declared("Case presentation", Location(Path("case.md.j2"), 2))
    items = [
        CareItem("4", "Introduction", "Why.", ("Introduction",)),
        CareItem("5a", "Patient information", "Demographics.", (), (declared,)),
        CareItem("12", "Patient perspective", "Perspective.", ()),
    ]
    markdown = checklist_markdown("T", items, {"Introduction": 2, "Case presentation": 3})
    assert "1 of 3 items addressed; declared but not found: 5a; missing: 12." in markdown
    assert "| 4 | Introduction: Why. | addressed | Introduction (p. 2) |" in markdown
    assert "| 5a | Patient information: Demographics. | **declared, not found** | " in markdown
    assert "Case presentation (p. 3) |" in markdown
    assert "| 12 | Patient perspective: Perspective. | **missing** |  |" in markdown


def test_care_command_writes_markdown_and_word_with_pages(example: Path) -> None:
    result = CliRunner().invoke(main, ["care", "-C", str(example)])
    assert result.exit_code == 0, result.output
    markdown = (example / "build" / "care-checklist.md").read_text(encoding="utf-8")
    assert "30 of 30 items addressed." in markdown
    assert re.search(r"\| 4 \| Introduction: .* \| Introduction \(p\. 2\) \|", markdown)
    assert re.search(r"\| 5a \| .* \| Case presentation \(p\. 3\) \|", markdown)
    assert re.search(r"\| 13 \| .* Patient consent \(p\. 7\) \|", markdown)
    with zipfile.ZipFile(example / "build" / "care-checklist.docx") as docx:
        assert "Patient information" in docx.read("word/document.xml").decode()


def test_a_heading_whose_words_appear_earlier_gets_its_own_page(example: Path) -> None:
    """The abstract labels "Introduction:" and "Case presentation:" (page 1); here the
    introduction also has a paragraph "Discussion" of its own, on page 2 or 3."""
    edit(example / INTRODUCTION, "Here we present", "Discussion\n\nHere we present")
    result = CliRunner().invoke(main, ["care", "-C", str(example)])
    assert result.exit_code == 0, result.output
    markdown = (example / "build" / "care-checklist.md").read_text(encoding="utf-8")
    assert re.search(r"\| 5a \| .* \| Case presentation \(p\. 3\) \|", markdown)
    assert re.search(r"\| 11a \| .* \| Discussion \(p\. 6\) \|", markdown)


def test_a_journal_that_takes_no_abstract_makes_item_3_not_applicable(example: Path) -> None:
    items = items_of(example, journal="blood-advances")
    assert {items[n].status for n in ("3a", "3b", "3c", "3d")} == {"not applicable"}
    assert "26 of 30 items addressed; not applicable: 3a, 3b, 3c, 3d" in checklist_markdown(
        "T", list(items.values()), {}
    )
    assert items_of(example)["3a"].status == "addressed"
