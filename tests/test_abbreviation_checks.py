"""Abbreviation checks: used before definition, never used, typed by hand, starting a
sentence in lowercase (checks/abbreviations.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.checks.abbreviations import (
    call_at_sentence_start,
    check_scope,
    lowercase_starts,
    typed_definitions,
)
from casekit.checks.run import run_checks
from casekit.core.errors import Location

from .conftest import request_for

DEFINITIONS = {
    "HSCT": "hematopoietic stem cell transplantation",
    "ALL": "acute lymphoblastic leukemia",
    "hs-cTnT": "high-sensitivity cardiac troponin T",
}


def _nowhere(short: str, offset: int) -> Location:
    return Location(Path("x"), offset)


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("Before HSCT. Then hematopoietic stem cell transplantation (HSCT) again.", 1),
        ("An HSCT without any definition.", 1),
        ("hematopoietic stem cell transplantation (HSCT) first, then HSCT.", 0),
        ("No abbreviation here; allogeneic transplants and ALLOGENEIC are not ALL-cap words.", 0),
        ("Done. Hematopoietic stem cell transplantation (HSCT) first, then HSCT.", 0),
    ],
    ids=["used-before", "never-defined", "defined-first", "not-a-token", "capitalised"],
)
def test_use_before_definition(text: str, problems: int) -> None:
    assert len(list(check_scope("main text", text, DEFINITIONS, _nowhere))) == problems


def test_typed_definition_is_found_with_its_line() -> None:
    source = (Path("intro.md.j2"), 5, "one\ntwo with acute lymphoblastic leukemia (ALL) typed")
    (problem,) = typed_definitions(DEFINITIONS, [source])
    assert problem.location.line == 6
    assert problem.code == "typed-abbreviation"


def test_example_passes_the_abbreviation_checks(example: Path) -> None:
    codes = {p.code for p in run_checks(request_for(example)).problems}
    assert not codes & {
        "abbreviation-before-definition",
        "unused-abbreviation",
        "typed-abbreviation",
    }


def test_checks_find_misuse_in_the_example(example: Path) -> None:
    with (example / "manuscript" / "abbreviations.yaml").open("a", encoding="utf-8") as handle:
        handle.write("CRS: cytokine release syndrome\n")
    intro = example / "templates" / "sections" / "introduction.md.j2"
    intro.write_text(
        intro.read_text(encoding="utf-8").replace("{{ abbr('HSCT') }}.", "HSCT.", 1), "utf-8"
    )
    problems = run_checks(request_for(example)).problems
    found = {(p.code, p.location.path.name if p.location.path else None) for p in problems}
    assert ("unused-abbreviation", "abbreviations.yaml") in found
    assert ("abbreviation-before-definition", "introduction.md.j2") in found


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("It rose. high-sensitivity cardiac troponin T (hs-cTnT) peaked.", ["high-sensitivity"]),
        ("It rose. hs-cTnT peaked.", ["hs-cTnT"]),
        ("Was it? hs-cTnT peaked! hs-cTnT fell.", ["hs-cTnT", "hs-cTnT"]),
        ("It rose.[@smith2020] hs-cTnT peaked.", ["hs-cTnT"]),
        ("# Case\n\nhs-cTnT peaked.", ["hs-cTnT"]),
        ("hs-cTnT peaked.", ["hs-cTnT"]),
        ("It rose. High-sensitivity cardiac troponin T (hs-cTnT) peaked.", []),
        ("Markers, e.g. hs-cTnT, i.e. hs-cTnT, vs. hs-cTnT, rose.", []),
        ("Of these, hs-cTnT and\nhs-cTnT rose.", []),
        ("It rose. ALL is rare.", []),
    ],
    ids=["long-form", "short-form", "question-and-exclamation", "after-citation",
         "paragraph-start", "text-start", "capitalised", "dotted-abbreviations",
         "mid-sentence", "capital-short-form"],
)  # fmt: skip
def test_lowercase_sentence_start(text: str, starts: list[str]) -> None:
    found = list(lowercase_starts("main text", text, DEFINITIONS, _nowhere))
    assert [p.message.split("'")[1].split()[0] for p in found] == starts
    assert all(p.code == "lowercase-sentence-start" for p in found)


def test_the_call_at_the_sentence_start_is_the_one_located(tmp_path: Path) -> None:
    template = tmp_path / "case.md.j2"
    template.write_text(
        "Of these, {{ abbr('hs-cTnT') }} rose.\n\n"
        "It fell. {{ abbr('hs-cTnT', start=True) }} peaked.\n\n"
        "It fell. {{ abbr('hs-cTnT') }} peaked.\n",
        encoding="utf-8",
    )
    assert call_at_sentence_start(template, "hs-cTnT").line == 5
