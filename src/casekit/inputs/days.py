"""Days as clinicians write them: offsets from named anchors, never calendar dates.

Every day in the case data is written against an *anchor* (``admission+3``,
``admission``, ``surgery+1``). Anchors are themselves placed relative to another, so
the whole course hangs off one root. How a day prints depends on the anchor it is
counted from: ``day +28`` after a start of treatment, ``illness day 3`` when illness days are
counted from 1 at onset, ``postoperative day 1`` when the operation day is day 0,
``hospital day 2`` from admission. Any day can be printed against any anchor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_DAYREF = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*(?:([+\-−])\s*(\d+))?\s*$")
MINUS = "−"
"""The typeset minus sign of negative days."""


@dataclass(frozen=True)
class DayRef:
    """A day relative to a named anchor, written ``admission+3`` or ``onset``."""

    anchor: str
    """Name of an anchor in :attr:`Case.anchors`."""
    day: int = 0
    """Offset in days from the anchor; negative before it."""

    @classmethod
    def parse(cls, text: str) -> DayRef:
        match = _DAYREF.match(text)
        if not match:
            raise ValueError(
                f"{text!r} is not a day reference; write ANCHOR+DAYS, e.g. `admission+3` or "
                "`surgery-1` (calendar dates are not allowed)"
            )
        name, sign, days = match.groups()
        offset = int(days or 0)
        return cls(name, -offset if sign in ("-", MINUS) else offset)


@dataclass(frozen=True)
class Anchor:
    """A named day the case's other days are counted from."""

    label: str
    """How the text names the anchor, e.g. ``admission`` or ``surgery``."""
    at: DayRef | None = None
    """Where the anchor lies relative to another; None for the root."""
    day_name: str = "day"
    """What its days are called: ``day``, ``illness day``, ``hospital day``,
    ``postoperative day``."""
    count: Literal["offset", "ordinal", "after"] = "offset"
    """``offset``: the anchor is day 0 and others are signed (``day +28``, ``day −7``);
    ``ordinal``: days are numbered from ``first`` on the anchor's own day, unsigned
    (``hospital day 3``); ``after``: days are told from the anchor in words
    (``28 days after discharge``, ``the day before discharge``)."""
    first: int = 1
    """For ``ordinal`` counts, the anchor day's number: 1 for illness and hospital days
    (admission is hospital day 1), 0 for postoperative days (the operation is day 0)."""
    signed: bool = True
    """For ``offset`` counts, whether days after the anchor carry a plus sign
    (``day +28``) or not (``day 28``)."""

    def name_day(self, offset: int) -> str:
        """How the day ``offset`` days from this anchor reads, e.g. ``day +28``,
        ``hospital day 3``, ``28 days after discharge`` or ``the day before surgery``."""
        if self.count == "after" or (self.count == "ordinal" and offset < 0):
            # There is no illness day 0 (or preoperative day −1): say it in words.
            if offset == 0:
                return f"the day of {self.label}"
            side = "after" if offset > 0 else "before"
            days = abs(offset)
            return (
                f"the day {side} {self.label}" if days == 1 else f"{days} days {side} {self.label}"
            )
        if self.count == "ordinal":
            return f"{self.day_name} {self.first + offset}"
        if offset == 0:
            return f"{self.day_name} 0"
        if offset < 0:
            return f"{self.day_name} {MINUS}{-offset}"
        return f"{self.day_name} {'+' if self.signed else ''}{offset}"


SpanUnit = Literal["days", "weeks", "months", "years"]
DAYS_PER: dict[str, float] = {"days": 1, "weeks": 7, "months": 365.25 / 12, "years": 365.25}
"""Days in each unit a span can be given in (a month being a twelfth of a year)."""


def span(days: int, unit: SpanUnit | None = None) -> str:
    """A span of days in words: ``span(10)`` → ``10 days``, ``span(98, "weeks")`` →
    ``14 weeks``. Without a unit: days under 4 weeks, weeks under 3 months, months
    under 2 years, then years."""
    if unit is None:
        unit = (
            "days" if days < 28 else "weeks" if days < 91 else "months" if days < 730 else "years"
        )
    count = round(days / DAYS_PER[unit])
    word = unit if count != 1 else unit[:-1]
    return f"{count} {word}"
