"""The timeline table's rows: which data join it, in what order, with what labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.inputs.case_file import load_case
from casekit.inputs.casedata import Case
from casekit.rendering.timeline import capital, timeline_rows

from .conftest import REPO

MANUSCRIPT = REPO / "manuscript"


def _case() -> Case:
    return load_case(MANUSCRIPT / "case.yaml", MANUSCRIPT / "case-schema.yaml").value


def test_rows_are_in_day_order_with_the_series_asked_for() -> None:
    case = _case()
    rows = timeline_rows(case, series=["mrd"])
    assert [r.day for r in rows] == sorted(r.day for r in rows)
    assert sum(r.result.startswith("MRD ") for r in rows) == len(case.series["mrd"].points)
    assert any(r.result == "grade 1 (ASTCT)" for r in rows)


def test_a_series_joins_only_when_asked_and_events_can_be_left_out() -> None:
    case = _case()
    assert not any(r.result.startswith("MRD") for r in timeline_rows(case))
    only_series = timeline_rows(case, series=["mrd"], events=False, adverse_events=False)
    assert len(only_series) == len(case.series["mrd"].points)


def test_an_unknown_series_is_named() -> None:
    with pytest.raises(ValueError, match="unknown series 'crp'; the case has: mrd"):
        timeline_rows(_case(), series=["crp"])


@pytest.mark.parametrize(
    ("text", "shown"),
    [("cytokine release syndrome", "Cytokine release syndrome"),
     ("hs-cTnT assessment", "hs-cTnT assessment"), ("eGFR nadir", "eGFR nadir"),
     ("MRD assessment", "MRD assessment")],
    ids=["plain-word", "mixed-case-abbreviation", "eGFR", "capitals"],
)  # fmt: skip
def test_labels_keep_their_capitals(text: str, shown: str) -> None:
    assert capital(text) == shown


def test_interventions_join_with_their_doses_steps_and_changes(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(
        """\
patient: {age: {value: 62, unit: years}, sex: female}
presenting_concerns: [rash]
consent: given
anchors: {rash: {label: rash onset, day_name: illness day, count: ordinal}}
interventions:
  - name: prednisolone
    start: rash+6
    dose: {value: 60, unit: mg}
    schedule:
      - {at: rash+20, dose: {value: 40, unit: mg}}
    changes:
      - {at: rash+30, change: tapering paused, rationale: eosinophils rose}
""",
        encoding="utf-8",
    )
    case = load_case(path).value
    rows = timeline_rows(case, events=False, interventions=True)
    assert [(r.day, r.event, r.result) for r in rows] == [
        (6, "Prednisolone", "60\u00a0mg"),
        (20, "Prednisolone", "40\u00a0mg"),
        (30, "Tapering paused", ""),
    ]
    assert timeline_rows(case, events=False) == []
