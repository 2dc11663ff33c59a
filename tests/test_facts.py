"""Facts a project declares in case-schema.yaml: every field type, and every error located."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.core.errors import CasekitError, InputError
from casekit.inputs.case_file import load_case
from casekit.inputs.days import DayRef
from casekit.inputs.quantities import Quantity

SCHEMA = """\
ecg:
  type: mapping
  about: The presenting electrocardiogram.
  fields:
    rhythm: {type: text}
    rate: {type: integer, min: 20, max: 300}
    qtc: {type: quantity, units: [ms], min: 300, max: 700}
    st_elevation: {type: boolean}
    at: {type: day}
    leads: {type: list, items: {type: text}, required: false}
ejection_fraction: {type: percentage, min: 5}
creatinine_ratio: {type: number, required: false}
stage: {type: text, required: false}
"""

CASE = """\
patient: {age: {value: 54, unit: years}, sex: male}
presenting_concerns: [chest pain]
consent: Written informed consent was obtained.
anchors:
  admission: {label: admission, day_name: hospital day, count: ordinal}
facts:
  ecg:
    rhythm: sinus rhythm
    rate: 96
    qtc: {value: 452, unit: ms}
    st_elevation: true
    at: admission
    leads: [II, III, aVF]
  ejection_fraction: {value: 38, unit: "%"}
"""


def _project(tmp_path: Path, case: str = CASE, schema: str = SCHEMA) -> tuple[Path, Path]:
    (tmp_path / "case.yaml").write_text(case, encoding="utf-8")
    (tmp_path / "case-schema.yaml").write_text(schema, encoding="utf-8")
    return tmp_path / "case.yaml", tmp_path / "case-schema.yaml"


def test_every_field_type_reads_into_its_value(tmp_path: Path) -> None:
    case = load_case(*_project(tmp_path)).value
    ecg = case.facts.ecg
    assert ecg.rhythm == "sinus rhythm" and ecg.rate == 96 and ecg.st_elevation is True
    assert ecg.qtc == Quantity(452, "ms")
    assert ecg.at == DayRef("admission", 0) and case.day(ecg.at) == "hospital day 1"
    assert ecg.leads == ("II", "III", "aVF")
    assert case.facts.ejection_fraction == Quantity(38, "%")
    assert case.facts.creatinine_ratio is None and case.facts.stage is None


@pytest.mark.parametrize(
    ("old", "new", "message", "field"),
    [
        ("rate: 96", "rate: ninety", "expected an integer", "facts.ecg.rate"),
        ("rate: 96", "rate: 400", "outside the allowed range 20–300", "facts.ecg.rate"),
        ("{value: 452, unit: ms}", "{value: 452, unit: s}", "unit 's' is not one of ms",
         "facts.ecg.qtc.unit"),
        ("{value: 452, unit: ms}", "{value: 252, unit: ms}", "outside the allowed range 300–700",
         "facts.ecg.qtc"),
        ("st_elevation: true", "st_elevation: maybe", "expected true/false",
         "facts.ecg.st_elevation"),
        ("at: admission", "at: 2024-05-01", "calendar dates are not allowed", "facts.ecg.at"),
        ("at: admission", "at: admision+1", "unknown anchor 'admision'", "facts.ecg.at"),
        ("leads: [II, III, aVF]", "leads: II", "expected a list", "facts.ecg.leads"),
        ('{value: 38, unit: "%"}', '{value: 138, unit: "%"}', "not a percentage between 0 and 100",
         "facts.ejection_fraction.value"),
        ('{value: 38, unit: "%"}', "{value: 38, unit: mL}", "is not a percentage",
         "facts.ejection_fraction.unit"),
        ('{value: 38, unit: "%"}', '{value: 3, unit: "%"}', "outside the allowed range 5–",
         "facts.ejection_fraction"),
        ("    rhythm: sinus rhythm\n", "", "missing required field 'rhythm'", "facts.ecg.rhythm"),
        ("    rate: 96\n", "    rate: 96\n    axis: normal\n", "unknown field 'axis'",
         "facts.ecg.axis"),
    ],
    ids=["not-an-integer", "integer-out-of-range", "unit-not-allowed", "quantity-out-of-range",
         "not-a-boolean", "calendar-date", "unknown-anchor", "not-a-list", "percentage-over-100",
         "percentage-without-percent", "percentage-below-min", "missing-required",
         "unknown-field"],
)  # fmt: skip
def test_every_error_names_the_fact(
    tmp_path: Path, old: str, new: str, message: str, field: str
) -> None:
    assert old in CASE
    with pytest.raises(CasekitError) as info:
        load_case(*_project(tmp_path, CASE.replace(old, new, 1)))
    (error,) = [e for e in info.value.errors if message in e.message]
    assert error.location.field == field and error.location.line is not None


def test_several_fact_errors_come_in_one_run(tmp_path: Path) -> None:
    broken = CASE.replace("rate: 96", "rate: 400").replace("unit: ms}", "unit: s}")
    with pytest.raises(CasekitError) as info:
        load_case(*_project(tmp_path, broken))
    assert len(info.value.errors) == 2


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ("x: {type: list}\n", "a list needs `items:`"),
        ("x: {type: mapping}\n", "a mapping needs `fields:`"),
        ("x: {type: text, units: [ms]}\n", "`units:` applies to quantities"),
        ("x: {type: txt}\n", "'txt' is not allowed here"),
        ("class: {type: text}\n", "'class' cannot name a fact"),
    ],
    ids=["list-without-items", "mapping-without-fields", "units-on-text", "unknown-type",
         "keyword-name"],
)  # fmt: skip
def test_a_bad_schema_is_located(tmp_path: Path, schema: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        load_case(*_project(tmp_path, schema=schema))
    assert info.value.location.path == tmp_path / "case-schema.yaml"
    assert info.value.location.line == 1
