"""The build plan: style, journal, review, folder and formats decided once, in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.building.plan import Request, make_plan, output_folder
from casekit.core.errors import InputError, StyleError
from casekit.core.project import Project

from .conftest import plan_for


def _profile(example: Path, name: str, **changes: str) -> None:
    """A copy of the default profile with ``key: value`` lines replaced or added."""
    profiles = example / "templates" / "journals"
    lines = (profiles / "default.yaml").read_text(encoding="utf-8").splitlines()
    for key, value in changes.items():
        lines = [line for line in lines if not line.startswith(f"{key}:")]
        lines.append(f"{key}: {value}")
    (profiles / f"{name}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("choices", "name", "look"),
    [
        ({}, "nlm-citation-sequence-brackets", "brackets"),
        ({"journal": "blood-advances"}, "blood", "superscript"),
        ({"journal": "blood-advances", "style": "nlm-citation-sequence-brackets"},
         "nlm-citation-sequence-brackets", "brackets"),
        ({"style": "american-medical-association"}, "american-medical-association",
         "superscript"),
    ],
    ids=["manuscript", "journal", "command-line-over-journal", "command-line"],
)  # fmt: skip
def test_the_style_is_the_command_lines_then_the_journals_then_the_manuscripts(
    example: Path, choices: dict[str, str], name: str, look: str
) -> None:
    plan = plan_for(example, **choices)
    assert plan.style.name == name
    assert plan.style.look_name == look


def test_a_dependent_style_carries_its_parent(example: Path) -> None:
    style = plan_for(example, journal="blood-advances").style
    assert (style.name, style.parent) == ("blood", "american-medical-association")


@pytest.mark.parametrize(
    ("choices", "folder"),
    [
        ({}, "build"),
        ({"journal": "blood-advances"}, "build/blood-advances"),
        ({"review": True}, "build/review"),
        ({"journal": "blood-advances", "review": True}, "build/blood-advances/review"),
        ({"journal": "blind"}, "build/blind/review"),
    ],
    ids=["default", "journal", "review", "journal-review", "blinded-profile"],
)
def test_the_output_folder_follows_journal_and_review(
    example: Path, choices: dict[str, object], folder: str
) -> None:
    _profile(example, "blind", blinded="true")
    plan = plan_for(example, "pdf", **choices)
    assert plan.folder == example / folder
    assert plan.folder == output_folder(Project(example), plan.journal_name, plan.review)
    assert plan.outputs == {"pdf": example / folder / "manuscript.pdf"}
    assert plan.manifest == example / folder / "manifest.json"
    assert plan.record()["folder"] == folder


def test_formats_default_to_the_journals_or_pdf_and_are_made_once(example: Path) -> None:
    assert plan_for(example).formats == ("pdf",)
    assert plan_for(example, journal="blood-advances").formats == ("pdf", "docx")
    assert plan_for(example, "docx", "pdf", "docx").formats == ("docx", "pdf")
    assert plan_for(example).only(("txt",)).formats == ("txt",)


def test_an_unknown_format_in_a_profile_names_its_line(example: Path) -> None:
    _profile(example, "odd", formats="[pdf, pfd]")
    with pytest.raises(InputError) as caught:
        plan_for(example, journal="odd")
    where = caught.value.location
    assert where.path == example / "templates" / "journals" / "odd.yaml"
    assert where.line is not None and "pfd" in caught.value.message


def test_a_profile_whose_style_prints_another_look_is_refused(example: Path) -> None:
    _profile(example, "mismatch", citation_look="superscript")
    with pytest.raises(StyleError) as caught:
        plan_for(example, journal="mismatch")
    assert caught.value.location.field == "citation_look"
    assert "prints brackets" in caught.value.message
    # The profile is wrong whatever style the command line asks for.
    with pytest.raises(StyleError):
        plan_for(example, journal="mismatch", style="nlm-citation-sequence-brackets")


def test_an_unknown_format_on_the_command_line_is_refused(example: Path) -> None:
    with pytest.raises(InputError, match="unknown format 'pfd'"):
        make_plan(Request(Project(example), ("pfd",)))


def test_review_copies_and_journals_make_their_own_word_styles(example: Path) -> None:
    assert plan_for(example).own_reference_docx
    assert not plan_for(example, review=True).own_reference_docx
    assert not plan_for(example, journal="bmj-case-reports").own_reference_docx
    assert plan_for(example, review=True).layout.line_numbers
