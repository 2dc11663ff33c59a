"""Abbreviations: defined at first use per scope (inputs/abbreviations.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.building.pipeline import build
from casekit.core.errors import InputError, TemplateError
from casekit.inputs.abbreviations import Abbreviation, Scope, load_abbreviations, new_scope

from .conftest import plan_for

DEFINITIONS = {
    "HSCT": "hematopoietic stem cell transplantation",
    "ALL": "acute lymphoblastic leukemia",
    "LVEF": "left ventricular ejection fraction",
    "hs-cTnT": "high-sensitivity cardiac troponin T",
}


def test_first_use_defines_and_later_uses_abbreviate() -> None:
    scope = Scope(DEFINITIONS)
    assert scope("HSCT") == "hematopoietic stem cell transplantation (HSCT)"
    assert scope("HSCT") == "HSCT"
    assert scope.used == ["HSCT"]


def test_unknown_abbreviation_suggests_the_close_one() -> None:
    with pytest.raises(ValueError, match="unknown abbreviation 'HSTC'; did you mean HSCT"):
        Scope(DEFINITIONS)("HSTC")


def test_the_abstract_counts_separately(example: Path) -> None:
    md = build(plan_for(example, "md")).outputs["md"].read_text(encoding="utf-8")
    abstract, body = md.split("# Introduction", 1)
    assert "acute lymphoblastic leukemia (ALL)" in abstract
    assert "acute lymphoblastic leukemia (ALL)" in body
    assert body.count("(ALL)") == 1


def test_unknown_abbreviation_in_a_template_fails_the_build(example: Path) -> None:
    intro = example / "templates" / "sections" / "introduction.md.j2"
    intro.write_text(intro.read_text("utf-8").replace("abbr('HSCT')", "abbr('HSTC')", 1), "utf-8")
    with pytest.raises(TemplateError, match="unknown abbreviation 'HSTC'") as info:
        build(plan_for(example, "md"))
    assert info.value.location.line == 4


@pytest.mark.parametrize(
    ("calls", "printed"),
    [
        ([{"short": "LVEF", "start": True}, {"short": "LVEF", "start": True}],
         ["Left ventricular ejection fraction (LVEF)", "LVEF"]),
        ([{"short": "hs-cTnT", "start": True}, {"short": "hs-cTnT", "start": True}],
         ["High-sensitivity cardiac troponin T (hs-cTnT)", "hs-cTnT"]),
        ([{"short": "LVEF", "article": "a"}, {"short": "LVEF", "article": "a"}],
         ["a left ventricular ejection fraction (LVEF)", "an LVEF"]),
        ([{"short": "LVEF", "article": "an"}, {"short": "LVEF", "article": "an"}],
         ["a left ventricular ejection fraction (LVEF)", "an LVEF"]),
        ([{"short": "ALL", "article": "A"}, {"short": "ALL", "article": "a", "start": True}],
         ["An acute lymphoblastic leukemia (ALL)", "An ALL"]),
        ([{"short": "HSCT", "article": "a"}, {"short": "HSCT", "article": "a"}],
         ["a hematopoietic stem cell transplantation (HSCT)", "an HSCT"]),
        ([{"short": "LVEF"}, {"short": "LVEF"}],
         ["left ventricular ejection fraction (LVEF)", "LVEF"]),
    ],
    ids=["start", "start-keeps-short-case", "article", "article-either-spelling",
         "capital-article-starts", "aitch", "unchanged-without-options"],
)  # fmt: skip
def test_start_and_article_fit_what_is_printed(
    calls: list[dict[str, object]], printed: list[str]
) -> None:
    scope = Scope(DEFINITIONS)
    assert [scope(**call) for call in calls] == printed


def test_an_acronym_read_as_a_word_takes_its_entrys_article() -> None:
    scope = new_scope(
        {"NICE": Abbreviation("National Institute for Health and Care Excellence", "a")}
    )
    scope("NICE")
    assert scope("NICE", article="a") == "a NICE"


def test_an_article_that_is_not_a_or_an_is_refused() -> None:
    with pytest.raises(ValueError, match="article must be 'a' or 'an', not 'the'"):
        Scope(DEFINITIONS)("LVEF", article="the")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LVEF: left ventricular ejection fraction\n",
         {"LVEF": Abbreviation("left ventricular ejection fraction")}),
        ("NICE: {long: National Institute for Health and Care Excellence, article: a}\n",
         {"NICE": Abbreviation("National Institute for Health and Care Excellence", "a")}),
        ("# nothing yet\n", {}),
        ("", {}),
    ],
    ids=["plain-entry", "entry-with-article", "comments-only", "empty"],
)  # fmt: skip
def test_abbreviations_yaml_takes_plain_and_mapping_entries(
    tmp_path: Path, text: str, expected: dict[str, Abbreviation]
) -> None:
    path = tmp_path / "abbreviations.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_abbreviations(path)
    assert loaded is not None
    assert loaded.value == expected


def test_an_unknown_article_in_abbreviations_yaml_is_located(tmp_path: Path) -> None:
    path = tmp_path / "abbreviations.yaml"
    path.write_text("LVEF: x\nNICE: {long: y, article: the}\n", encoding="utf-8")
    with pytest.raises(InputError, match="'the' is not allowed here") as info:
        load_abbreviations(path)
    assert info.value.location.line == 2


def test_no_abbreviations_file_means_none(tmp_path: Path) -> None:
    assert load_abbreviations(tmp_path / "abbreviations.yaml") is None
