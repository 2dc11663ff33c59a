"""The rows of a table of results: diagnostic tests, or the values of one series.

A template writes the table's head in its own words and fills the rows, as it does
the timeline table's:

    | Test | Result | Unit | Reference range | |
    |:-----|-----:|:-----|:-----|:-:|
    {% for row in lab_rows(case.diagnosis.tests) -%}
    | {{ row.name }} | {{ row.result }} | {{ row.unit }} | {{ row.reference }} | {{ row.arrow }} |
    {% endfor %}

Results print as the text prints them (``1,250``, ``<0.5``); the flag comes as a word
(``high``, ``low``) and as an arrow (``↑``, ``↓``), and is empty inside the range.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from casekit.inputs.casedata import Point, Series, Test
from casekit.inputs.days import DayRef
from casekit.inputs.quantities import Range, number

ARROWS = {"high": "↑", "low": "↓", "": ""}
"""A flag's arrow: Libertinus Serif (PDF), Word's fonts and plain text all have them."""


@dataclass(frozen=True)
class LabRow:
    """One row of a table of results."""

    name: str
    """The test's name, or the series' label."""
    at: DayRef | None
    """When it was measured, as written in the data (``{{ row.at | day }}``)."""
    result: str
    """The value as the text prints it, without its unit (``1,250``, ``<0.5``,
    ``undetectable (<0.001)``), or a result in words (``negative``)."""
    unit: str
    """The unit, or empty."""
    reference: str
    """The reference range (``0.5–2``, ``≤14``), or empty."""
    flag: str
    """``high`` or ``low`` against the reference range, or empty."""
    note: str
    """The point's note, the test's method, or empty."""

    @property
    def arrow(self) -> str:
        """The flag as an arrow: ``↑``, ``↓`` or empty."""
        return ARROWS[self.flag]


def lab_rows(results: Series | Iterable[Test]) -> list[LabRow]:
    """Rows for a table of ``results``: diagnostic tests (``case.diagnosis.tests``,
    ``case.vital_signs``) in their order, or the points of one series in time order."""
    if isinstance(results, Series):
        return [_point_row(results, point) for point in results.points]
    if isinstance(results, str) or not isinstance(results, Iterable):
        raise TypeError("lab_rows() takes a series or a list of tests")
    rows = []
    for test in results:
        if not isinstance(test, Test):
            raise TypeError(f"lab_rows() takes a series or a list of tests, not {test!r}")
        rows.append(_test_row(test))
    return rows


def _test_row(test: Test) -> LabRow:
    result = number(test.value) if test.value is not None else (test.result or "")
    return LabRow(
        name=test.name,
        at=test.at,
        result=result,
        unit=(test.unit or "") if test.value is not None else "",
        reference=str(test.reference or ""),
        flag=test.flag or "",
        note=test.method or "",
    )


def _point_row(series: Series, point: Point) -> LabRow:
    value = number(point.value)
    if point.qualifier == "below":
        result = f"{series.below} (<{value})" if series.below else f"<{value}"
    else:
        result = f">{value}" if point.qualifier == "above" else value
    return LabRow(
        name=series.label,
        at=point.at,
        result=result,
        unit=series.unit,
        reference=str(series.reference or ""),
        flag=point_flag(point, series.reference),
        note=point.note or "",
    )


def point_flag(point: Point, reference: Range | None) -> str:
    """``high``, ``low`` or empty; a value known only as under (or over) a limit is
    flagged only when the whole of what it could be lies outside the range."""
    if reference is None:
        return ""
    if point.qualifier == "below":
        low = reference.low
        return "low" if low is not None and point.value <= low else ""
    if point.qualifier == "above":
        high = reference.high
        return "high" if high is not None and point.value >= high else ""
    return reference.flag(point.value) or ""
