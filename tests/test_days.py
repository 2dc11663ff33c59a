"""Days as clinicians write them: each anchor's convention, and spans in words."""

from __future__ import annotations

import pytest

from casekit.inputs.days import Anchor, span


@pytest.mark.parametrize(
    ("anchor", "offset", "text"),
    [
        (Anchor("infusion"), 28, "day +28"),
        (Anchor("infusion"), 0, "day 0"),
        (Anchor("infusion"), -7, "day −7"),
        (Anchor("infusion", signed=False), 28, "day 28"),
        (Anchor("onset", day_name="illness day", count="ordinal"), 0, "illness day 1"),
        (Anchor("onset", day_name="illness day", count="ordinal"), 4, "illness day 5"),
        (Anchor("rash onset", day_name="illness day", count="ordinal"), -2,
         "2 days before rash onset"),
        (Anchor("surgery", day_name="postoperative day", count="ordinal", first=0), -1,
         "the day before surgery"),
        (Anchor("discharge", count="after"), 28, "28 days after discharge"),
        (Anchor("discharge", count="after"), 1, "the day after discharge"),
        (Anchor("discharge", count="after"), 0, "the day of discharge"),
        (Anchor("discharge", count="after"), -3, "3 days before discharge"),
        (Anchor("admission", day_name="hospital day", count="ordinal"), 2, "hospital day 3"),
        (Anchor("surgery", day_name="postoperative day", count="ordinal", first=0), 1,
         "postoperative day 1"),
        (Anchor("surgery", day_name="postoperative day", count="ordinal", first=0), 0,
         "postoperative day 0"),
    ],
    ids=["signed-after", "anchor-day", "before", "unsigned", "illness-onset", "illness-day-5",
         "before-onset", "before-operation", "after-discharge", "day-after", "day-of",
         "before-discharge", "hospital-day", "postoperative-1", "operation-day"],
)  # fmt: skip
def test_each_anchor_names_its_days(anchor: Anchor, offset: int, text: str) -> None:
    assert anchor.name_day(offset) == text


@pytest.mark.parametrize(
    ("days", "unit", "text"),
    [(10, None, "10 days"), (1, None, "1 day"), (42, None, "6 weeks"), (98, "weeks", "14 weeks"),
     (365, None, "12 months"), (1100, None, "3 years"), (30, "months", "1 month")],
    ids=["days", "one-day", "weeks", "weeks-asked", "months", "years", "one-month"],
)  # fmt: skip
def test_spans_read_in_the_unit_that_fits(days: int, unit: str | None, text: str) -> None:
    assert span(days, unit) == text  # type: ignore[arg-type]
