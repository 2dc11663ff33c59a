"""The de-identification gate: recall on planted identifiers, silence on look-alikes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from casekit.building.pipeline import build
from casekit.checks.problems import Problem
from casekit.checks.run import run_checks
from casekit.core.errors import InputError, PrivacyError
from casekit.core.paths import shown
from casekit.inputs.privacy import (
    REASON_PLACEHOLDER,
    IdentifierFound,
    Waiver,
    context,
    mask,
    scan_text,
    waived,
    waiver_for,
)

from .conftest import plan_for, request_for

CATALOGUE = yaml.safe_load(
    (Path(__file__).parent / "privacy_catalogue.yaml").read_text(encoding="utf-8")
)
PLANTED: list[dict[str, Any]] = CATALOGUE["planted"]
INNOCENT: list[str] = CATALOGUE["innocent"]


def test_catalogue_is_large_enough() -> None:
    assert len(PLANTED) >= 30
    assert len(INNOCENT) >= 30
    assert len({p["category"] for p in PLANTED}) >= 12


@pytest.mark.parametrize("item", PLANTED, ids=lambda p: p["text"][:40])
def test_planted_identifier_is_found(item: dict[str, Any]) -> None:
    categories = {f.category for f in scan_text(item["text"], Path("case.yaml"))}
    assert item["category"] in categories


@pytest.mark.parametrize("text", INNOCENT, ids=lambda t: t[:40])
def test_look_alike_is_not_flagged(text: str) -> None:
    assert [(f.category, f.text) for f in scan_text(text, Path("case.yaml"))] == []


def test_recall_and_false_positives() -> None:
    """The figures reported in the issue note: recall 100%, no false positives."""
    recall = sum(
        any(f.category == p["category"] for f in scan_text(p["text"], Path("x"))) for p in PLANTED
    )
    false_positives = sum(bool(list(scan_text(t, Path("x")))) for t in INNOCENT)
    assert (recall, false_positives) == (len(PLANTED), 0)


def test_findings_are_located() -> None:
    (finding,) = scan_text("line one\nseen on 2021-03-04 again\n", Path("case.yaml"), 10)
    assert (finding.line, finding.column, finding.category) == (11, 9, "date")


@pytest.mark.parametrize("text", ["2021-03-04", "jane.doe@gmail.com", "(555) 123-4567"])
def test_masking_hides_the_identifier(text: str) -> None:
    masked = mask(text)
    assert len(masked) == len(text)
    assert masked[0] == text[0] and masked[-1] == text[-1]
    assert masked[1:-1] == "•" * (len(text) - 2)


def _edit(project: Path, file: str, old: str, new: str) -> None:
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "found", "field"),
    [
        (
            "manuscript/case.yaml",
            "apheresis: diagnosis+98",
            "apheresis: diagnosis+98  # 2021-03-04",
            "2021-03-04",
            None,  # a comment holds it: no field
        ),
        (
            "manuscript/case.yaml",
            "product: tisagenlecleucel",
            "product: tisagenlecleucel (lot 2021-03-04)",
            "2021-03-04",
            "facts.car_t.product",
        ),
        (
            "templates/sections/case.md.j2",
            "without complications.",
            "without complications at Springfield General Hospital.",
            "Springfield General Hospital",
            None,
        ),
        (
            "manuscript/manuscript.yaml",
            "Funding: No specific funding",
            "Funding: MRN 00482913. No",
            "00482913",  # the number, after its cue
            "statements.Funding",
        ),
    ],
    ids=["case-data-comment", "case-data-value", "template", "statement"],
)
def test_build_refuses_identifiers_at_their_line_column_and_field(
    example: Path, file: str, old: str, new: str, found: str, field: str | None
) -> None:
    _edit(example, file, old, new)
    with pytest.raises(PrivacyError, match="looks like a patient identifier") as info:
        build(plan_for(example, "md"))
    where = info.value.location
    text = (example / file).read_text(encoding="utf-8")
    at = text.index(found)
    assert where.path is not None and shown(where.path, example) == file
    assert (where.line, where.column) == (text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at))
    assert where.field == field
    assert found not in info.value.one_line()
    assert not (example / "build" / "manuscript.md").exists()


def test_text_the_template_does_not_hold_as_printed_is_named_by_its_line(example: Path) -> None:
    """Jinja folds a constant into the text around it, which the template does not hold
    as printed: the template's line is still named, without a column."""
    _edit(
        example,
        "templates/sections/case.md.j2",
        "without complications.",
        "without complications on {{ '2021' }}-03-04.",
    )
    with pytest.raises(PrivacyError) as info:
        build(plan_for(example, "md"))
    where = info.value.location
    assert where.path == example / "templates/sections/case.md.j2"
    assert (where.line, where.column) == (20, None)


def test_every_finding_stops_the_build_with_its_own_error(example: Path) -> None:
    _edit(example, "manuscript/case.yaml", "  sex: female", "  sex: female  # seen 2021-03-04")
    _edit(example, "templates/sections/case.md.j2", "without complications.", "on 4 March.")
    with pytest.raises(PrivacyError) as info:
        build(plan_for(example, "md"))
    errors = info.value.errors
    assert [type(e) for e in errors] == [IdentifierFound, IdentifierFound]
    assert [shown(e.location.path, example) for e in errors if e.location.path] == [
        "manuscript/case.yaml",
        "templates/sections/case.md.j2",
    ]


def test_authors_affiliations_and_references_are_not_patient_data(example: Path) -> None:
    with (example / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(
            "\n@misc{web, title={Registry}, url={https://www.example.org/a}, "
            "note={Accessed 2021-03-04}, year={2021}}\n"
        )
    _edit(
        example,
        "manuscript/manuscript.yaml",
        "Example University Children's Hospital",
        "Springfield General Hospital, Boston, MA 02115",
    )
    build(plan_for(example, "md"))


def test_waiver_with_reason_lets_a_finding_stay_and_shows_it(example: Path) -> None:
    _edit(
        example,
        "templates/sections/case.md.j2",
        "without complications.",
        "without complications. ![Face of the infant](face.png)",
    )
    _edit(
        example,
        "manuscript/manuscript.yaml",
        "lang: en-US\n",
        "lang: en-US\nprivacy_waivers:\n  - text: '![Face of the infant](face.png)'\n"
        "    category: photograph\n    reason: written parental consent for the photograph\n",
    )
    problems = run_checks(request_for(example)).problems
    assert not [p for p in problems if p.code == "patient-identifier"]
    (waived,) = [p for p in problems if p.code == "identifier-waived"]
    assert "written parental consent" in waived.message


def test_waiver_without_reason_is_refused(example: Path) -> None:
    _edit(
        example,
        "manuscript/manuscript.yaml",
        "lang: en-US\n",
        "lang: en-US\nprivacy_waivers:\n  - {text: x, category: date, reason: ' '}\n",
    )
    with pytest.raises(InputError, match="needs a written reason"):
        build(plan_for(example, "md"))


def test_check_lists_every_finding_masked(example: Path) -> None:
    _edit(
        example,
        "manuscript/case.yaml",
        "  sex: female",
        "  sex: female  # seen 2021-03-04, call (555) 123-4567, MRN 00482913",
    )
    found = [p for p in run_checks(request_for(example)).problems if p.code == "patient-identifier"]
    assert {p.finding.category for p in found if p.finding} == {
        "date", "phone or fax number", "record or account number",
    }  # fmt: skip
    assert all("2021-03-04" not in p.message for p in found)
    # In a YAML comment: the line and column, and no field.
    assert {(p.location.line, p.location.field) for p in found} == {(13, None)}


@pytest.mark.parametrize(
    ("text", "found", "expected"),
    [
        ("Seen on March 4 at home.", "March 4", ("Seen on ", " at home.")),
        (
            "The infant, three months old and well fed, was admitted on March 4 after a "
            "short illness with fever and poor feeding at home.",
            "March 4",
            ("…old and well fed, was admitted on ", " after a short illness with fever and…"),
        ),
        ("first line\n  note: March 4\nlast line", "March 4", ("note: ", "")),
    ],
    ids=["short", "cut-at-words", "one-line-only"],
)
def test_context_is_the_words_around_on_the_same_line(
    text: str, found: str, expected: tuple[str, str]
) -> None:
    start = text.index(found)
    assert context(text, start, start + len(found)) == expected


def test_a_finding_in_what_the_abstract_printed_is_placed_in_manuscript_yaml(
    example: Path,
) -> None:
    _edit(
        example,
        "manuscript/manuscript.yaml",
        "  refractory to chemotherapy rarely survive,",
        "  refractory to chemotherapy, admitted on March {{ case.patient.age.value }}, rarely"
        " survive,",
    )
    (finding,) = _identifiers(example)
    assert finding.location.path is not None
    assert shown(finding.location.path, example) == "manuscript/manuscript.yaml"
    assert (finding.location.line, finding.location.column) == (30, 43)
    assert finding.location.field == "abstract"
    assert finding.finding is not None and finding.finding.text == "March 3"


def test_the_cached_scan_places_findings_as_the_first_did(example: Path) -> None:
    _edit(
        example,
        "manuscript/case.yaml",
        "status: continuous complete remission with undetectable MRD",
        "status: continuous complete remission with undetectable MRD when seen on March 4",
    )
    first = _identifiers(example)
    assert list((example / "build" / ".cache").glob("privacy-*.json"))
    assert _identifiers(example) == first
    assert [p.location.field for p in first] == ["follow_up.status"]


def test_the_waiver_for_a_finding_waives_exactly_it(example: Path) -> None:
    _edit(example, "manuscript/case.yaml", "  sex: female", "  sex: female  # seen 2021-03-04")
    (problem,) = _identifiers(example)
    assert problem.finding is not None
    waiver = waiver_for(problem.finding, example)
    assert waiver == Waiver("2021-03-04", "date", REASON_PLACEHOLDER, "manuscript/case.yaml")
    assert waived(problem.finding, [waiver], example) == waiver
    elsewhere = Waiver("2021-03-04", "date", "x", "templates/sections/case.md.j2")
    assert waived(problem.finding, [elsewhere], example) is None


def _identifiers(project: Path) -> list[Problem]:
    problems = run_checks(request_for(project)).problems
    return [p for p in problems if p.code == "patient-identifier"]


def test_a_waiver_naming_either_file_that_wrote_a_finding_holds(example: Path) -> None:
    """A date made of a template's words and a value it prints is reported at the
    template; a waiver naming the data file that printed the rest covers it too (before
    findings were traced, a waiver of printed text named whichever file the author chose)."""
    _edit(
        example,
        "manuscript/case.yaml",
        "      at: diagnosis\n  prognosis:",
        '      at: diagnosis\n    - {id: visit, name: visit, result: "4", at: diagnosis}\n'
        "  prognosis:",
    )
    _edit(
        example,
        "templates/sections/case.md.j2",
        "\n\nTreatment began",
        '\n\nSeen on March {{ case.item("visit").result }}.\n\nTreatment began',
    )
    (problem,) = _identifiers(example)
    assert problem.finding is not None
    for file, covers in [
        ("templates/sections/case.md.j2", True),
        ("manuscript/case.yaml", True),
        ("templates/sections/discussion.md.j2", False),
    ]:
        waiver = Waiver("March 4", "date", "a visit day of the study protocol", file)
        assert (waived(problem.finding, [waiver], example) == waiver) is covers, file
