"""Abbreviations: defined at first use per scope (inputs/abbreviations.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.building.pipeline import build
from casekit.core.errors import TemplateError
from casekit.inputs.abbreviations import Scope

from .conftest import plan_for

DEFINITIONS = {
    "HSCT": "hematopoietic stem cell transplantation",
    "ALL": "acute lymphoblastic leukemia",
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
