"""The case data: the specialty-neutral core, anchors, ids and located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.core.errors import InputError
from casekit.inputs.case_file import load_case
from casekit.inputs.days import DayRef

from .conftest import REPO


@pytest.mark.parametrize(
    ("text", "ref"),
    [("infusion+28", DayRef("infusion", 28)), ("transplant-7", DayRef("transplant", -7)),
     ("diagnosis", DayRef("diagnosis", 0)), ("infusion + 3", DayRef("infusion", 3)),
     ("transplant−2", DayRef("transplant", -2))],
    ids=["after", "before", "bare-anchor", "spaces", "unicode-minus"],
)  # fmt: skip
def test_day_reference_parses(text: str, ref: DayRef) -> None:
    assert DayRef.parse(text) == ref


@pytest.mark.parametrize(
    "text", ["2021-03-04", "03/04/2021", "infusion+", "+28", "Infusion+2"],
    ids=["iso-date", "us-date", "no-number", "no-anchor", "capitalised"],
)  # fmt: skip
def test_calendar_dates_and_garbage_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="calendar dates are not allowed"):
        DayRef.parse(text)


EXAMPLE = REPO / "manuscript" / "case.yaml"
SCHEMA = REPO / "manuscript" / "case-schema.yaml"


def test_example_case_derives_days_from_anchors() -> None:
    case = load_case(EXAMPLE, SCHEMA).value
    infusion = case.absolute(DayRef("infusion", 0))
    transplant = case.absolute(DayRef("transplant", 0))
    assert infusion == 142
    assert transplant == infusion + 53
    assert case.relative(DayRef("transplant", 365), "diagnosis") == DayRef("diagnosis", 560)
    assert case.root == "diagnosis"
    assert case.item("response") is case.series["mrd"].point("response")


def test_the_examples_own_facts_come_from_its_schema() -> None:
    case = load_case(EXAMPLE, SCHEMA).value
    cart = case.facts.car_t
    assert cart.car_positive.value < cart.car_positive_specification.value
    assert case.day(cart.apheresis) == "day +98"
    assert case.facts.prior_therapy[0] == "Interfant-type induction"


def test_a_minimal_case_is_a_patient_a_finding_and_consent(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(
        "patient: {age: {value: 54, unit: years}, sex: male}\n"
        "presenting_concerns: [chest pain for two days]\n"
        "consent: Written informed consent was obtained.\n",
        encoding="utf-8",
    )
    case = load_case(path).value
    assert case.presenting_concerns == ("chest pain for two days",)
    assert case.series == {} and case.facts is None


def test_a_case_without_a_finding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(
        "patient: {age: {value: 54, unit: years}, sex: male}\nconsent: given\n", "utf-8"
    )
    with pytest.raises(InputError, match="no finding"):
        load_case(path)


def _case(tmp_path: Path, old: str, new: str) -> Path:
    text = (REPO / "manuscript" / "case.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "case.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("infusion: {label: CAR-T infusion, at: diagnosis+142}",
         "infusion: {label: CAR-T infusion, at: transplant+1}", "loop"),
        ("infusion: {label: CAR-T infusion, at: diagnosis+142}",
         "infusion: {label: CAR-T infusion}", "exactly one root anchor"),
        ("at: infusion+2, name: cytokine", "at: infuson+2, name: cytokine", "unknown anchor"),
        ("transplant: {label: transplant, at: infusion+53}",
         "transplant: {label: transplant, at: infuson+53}", "unknown anchor 'infuson'"),
    ],
    ids=["anchor-loop", "two-roots", "unknown-anchor-in-event", "anchor-on-unknown-anchor"],
)  # fmt: skip
def test_anchor_problems_are_located(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        load_case(_case(tmp_path, old, new), SCHEMA)
    assert info.value.location.line is not None


@pytest.mark.parametrize(
    ("old", "new", "message", "field"),
    [
        ("{id: refractory, at: diagnosis+92, value: 4.5,",
         "{id: refractory, at: diagnosis+92, value: 0,", "cannot be drawn on a log scale",
         "series.mrd.points.1.value"),
        ("{id: refractory,", "{id: response,", "id 'response' is used twice",
         "series.mrd.points.3.id"),
        ("apheresis: {value: 6.1, unit: kg}", "apheresis: {value: 6.1, unit: g}",
         "unit 'g' is not one of kg", "facts.car_t.weight_at_apheresis.unit"),
        ('viability: {value: 87, unit: "%"}', "viability: {value: 87, unit: mg}",
         "is not a percentage", "facts.car_t.viability.unit"),
        ("    target: CD19\n", "    target: CD19\n    targte: CD22\n", "unknown field 'targte'",
         "facts.car_t.targte"),
        ("    target: CD19\n", "", "missing required field 'target'", "facts.car_t.target"),
        ("engraftment: transplant+14", "engraftment: transplnt+14", "unknown anchor",
         "facts.transplant.engraftment"),
    ],
    ids=["zero-on-log-scale", "duplicate-id", "fact-unit-not-allowed", "fact-not-a-percentage",
         "fact-unknown-key", "fact-missing", "fact-unknown-anchor"],
)  # fmt: skip
def test_value_problems_are_located(
    tmp_path: Path, old: str, new: str, message: str, field: str
) -> None:
    with pytest.raises(InputError, match=message) as info:
        load_case(_case(tmp_path, old, new), SCHEMA)
    assert info.value.location.field == field
    assert info.value.location.line is not None


def test_facts_without_a_schema_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="facts need a schema") as info:
        load_case(_case(tmp_path, "synthetic: true", "synthetic: true"))
    assert info.value.location.field == "facts"
