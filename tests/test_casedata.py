"""The case data: day references, anchors and the derived timeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.core.errors import InputError
from casekit.inputs.casedata import DayRef, load_case, timeline_rows

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


def test_example_case_derives_days_from_anchors() -> None:
    case = load_case(REPO / "manuscript" / "case.yaml").value
    infusion = case.absolute(DayRef("infusion", 0))
    transplant = case.absolute(DayRef("transplant", 0))
    assert infusion == 142
    assert transplant == infusion + 53
    assert case.relative(DayRef("transplant", 365), "diagnosis") == DayRef("diagnosis", 560)
    assert case.car_t.out_of_specification


def test_timeline_is_sorted_and_includes_measurements() -> None:
    case = load_case(REPO / "manuscript" / "case.yaml").value
    rows = timeline_rows(case)
    days = [r.day for r in rows]
    assert days == sorted(days)
    assert sum("MRD" in r.result for r in rows) == len(case.mrd.points)
    assert any(r.result.startswith("grade 1") for r in rows)


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
        load_case(_case(tmp_path, old, new))
    assert info.value.location.line is not None
