"""The timeline figure's alt text, written from the data it draws (rendering/timeline_alt.py).

The example's and each of examples/*'s are spelt out in full: a change to how a course is
told shows here, for every specialty at once. The rest take tests/fixtures/
myocarditis-case.yaml (linear series in two units, one through zero, a log-scale series
below its detection limit at a follow-up a year on) and series made up for one rule each.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.inputs.case_file import load_case
from casekit.inputs.casedata import Case
from casekit.rendering.figures import figure_spec
from casekit.rendering.timeline_alt import course, turning_points
from casekit.rendering.timeline_figure import FigureOptionError

from .conftest import REPO

SYNTHETIC = Path(__file__).parent / "fixtures" / "myocarditis-case.yaml"

PROJECTS = {
    ".": (
        "Swim lane of 6 phases of care (Diagnosis, Induction, Second line, CAR-T, Transplant, "
        "Follow-up) from day 0 to day 560 since diagnosis. Below it, MRD rises from 1.2% on "
        "day 33 to a peak of 4.5% on day 92, then falls to undetectable (<0.001%) by day 170 "
        "and stays there through day 560."
    ),
    "examples/appendectomy": (
        "Swim lane of 5 phases of care (Admission, Operation, Recovery, Complication, "
        "Follow-up) from day −1 to day 30 since surgery. Below it, CRP rises from 86\u00a0mg/L "
        "on day −1 to 142\u00a0mg/L on day 1, falls to 64\u00a0mg/L on day 3, rises to a peak "
        "of 188\u00a0mg/L on day 5, then falls to 3\u00a0mg/L by day 30; leukocyte count falls "
        "from 15.8\u00a0× 10⁹/L on day −1 to 9.2\u00a0× 10⁹/L on day 3, rises to a peak of "
        "17.4\u00a0× 10⁹/L on day 5, then falls to 6.2\u00a0× 10⁹/L by day 30."
    ),
    "examples/dress": (
        "Swim lane of 5 phases of care (Drug exposure, Reaction, Hospital, Steroid taper, "
        "Follow-up) from day −27 to day 119 since rash onset. Below it, eosinophil count rises "
        "from 1.8\u00a0× 10⁹/L on day 3 to a peak of 3.2\u00a0× 10⁹/L on day 6, then falls to "
        "0.1\u00a0× 10⁹/L by day 119; ALT rises from 186\u00a0U/L on day 3 to a peak of "
        "412\u00a0U/L on day 6, then falls to 22\u00a0U/L by day 119."
    ),
    "examples/myocarditis": (
        "Swim lane of 3 phases of care (Viral illness, Hospital, Outpatient) from day −6 to "
        "day 96 since admission. Below it, hs-cTnT rises from 412\u00a0ng/L on day 0 to a peak "
        "of 1,250\u00a0ng/L on day 1, then falls to 9\u00a0ng/L by day 96; NT-proBNP rises from "
        "2,140\u00a0pg/mL on day 0 to a peak of 3,380\u00a0pg/mL on day 1, then falls to "
        "74\u00a0pg/mL by day 96; LVEF falls from 38% on day 0 to a low of 35% on day 1, then "
        "rises to 59% by day 96."
    ),
}


def _project_case(folder: str) -> Case:
    manuscript = REPO / folder / "manuscript"
    return load_case(manuscript / "case.yaml", manuscript / "case-schema.yaml").value


@pytest.fixture(scope="module")
def case() -> Case:
    return load_case(SYNTHETIC).value


@pytest.mark.parametrize("folder", list(PROJECTS), ids=["example", "appendectomy", "dress",
                                                        "myocarditis"])  # fmt: skip
def test_each_specialtys_timeline_is_told_from_its_data(folder: str) -> None:
    assert figure_spec(_project_case(folder), "timeline").alt == PROJECTS[folder]


def test_the_alt_text_tells_only_the_series_and_days_drawn(case: Case) -> None:
    alt = figure_spec(case, "timeline", series=["crp"], xlim=[0, 5]).alt
    assert alt.startswith(
        "Swim lane of 4 phases of care (Admission, Treatment, Discharge, Follow-up) from day 0 "
        "to day 5 since admission. Below it, CRP rises from 48\u00a0mg/L on day 0"
    )
    assert "ESR" not in alt and "day 9" not in alt
    assert alt.endswith("to a peak of 96\u00a0mg/L on day 2, then falls to 31\u00a0mg/L by day 5.")


def test_without_lanes_it_is_one_sentence_over_the_days_drawn(case: Case) -> None:
    alt = figure_spec(case, "timeline", series=["esr"], lanes=False).alt
    assert alt == (
        "Over days 0 to 9 since admission, ESR falls from 35\u00a0mm/h on day 0 to "
        "12\u00a0mm/h by day 9."
    )


def test_a_value_below_the_detection_limit_reads_as_the_text_prints_it(case: Case) -> None:
    told = course(case, case.series["troponin"])
    assert told == (
        "hs-cTnT falls from 1,250\u00a0ng/L on day 0 to undetectable (<3\u00a0ng/L) by day 365"
    )


def test_a_series_through_zero_keeps_its_sign(case: Case) -> None:
    assert course(case, case.series["balance"]) == (
        "fluid balance falls from 1.2\u00a0L on day 0 to −0.8\u00a0L by day 4"
    )


def test_a_template_s_own_alt_text_wins_and_is_put_on_one_line(case: Case) -> None:
    spec = figure_spec(case, "timeline", alt="CRP  and ESR\nover 96\u00a0mg/L.", series=["crp"])
    assert spec.alt == "CRP and ESR over 96\u00a0mg/L."


@pytest.mark.parametrize("alt", ["", "   ", 3, ["x"]], ids=["empty", "blank", "number", "list"])
def test_an_alt_text_that_says_nothing_is_refused(case: Case, alt: object) -> None:
    with pytest.raises(FigureOptionError, match=r"figure\('timeline'\): alt must be words"):
        figure_spec(case, "timeline", alt=alt)


@pytest.mark.parametrize(
    ("values", "keys"),
    [
        ([1.0], [0]),
        ([1.0, 2.0, 3.0, 4.0], [0, 3]),
        ([1.0, 9.0, 2.0], [0, 1, 2]),
        ([5.0, 4.9, 5.1, 9.0, 1.0], [0, 3, 4]),
        ([10.0, 9.5, 20.0], [0, 2]),
        ([1.0, 8.0, 2.0, 9.0, 1.5, 8.5, 2.5, 9.5, 1.2, 8.8, 2.2, 5.0], [0, 7, 8, 11]),
    ],
    ids=["one-value", "monotone", "one-peak", "small-wiggle-dropped", "small-dip-at-start",
         "many-turns-peak-and-low"],
)  # fmt: skip
def test_a_course_is_told_by_its_turning_points(values: list[float], keys: list[int]) -> None:
    assert turning_points(values) == keys


def test_the_peak_is_kept_however_small_beside_a_large_fall() -> None:
    # The example's MRD on its log scale: a rise of 0.6 decades before a fall of 3.6.
    values = [0.08, 0.65, -0.1, -3.0]
    assert turning_points(values) == [0, 1, 3]
