"""The timeline figure's alt text: what the picture shows, in words, from the data it draws.

The caption says what a figure means; the alt text says what it shows, for a reader who
cannot see it (a screen reader reads it in place of the picture, and PDF/UA requires it).
A timeline's is written from the same data the drawing is: the phases of care in its
swim lane, the days its axis spans, and the course of each series drawn, in one or two
sentences with the values as the text prints them::

    Swim lane of 6 phases of care (Diagnosis, Induction, Second line, CAR-T, Transplant,
    Follow-up) from day 0 to day 560 since diagnosis; below it, MRD rises from 1.2% on
    day 33 to a peak of 4.5% on day 92, then falls to undetectable (<0.001%) by day 170
    and stays there through day 560.

A series' course is told by its turning points: where it stops rising and starts
falling or the reverse, on the scale it is drawn on (a log scale compares ratios).
A wiggle smaller than :data:`SWING` of the series' range is not a turning point, and
a course with more than :data:`MAX_TURNS` of them is told by its start, peak, low and
end alone.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from casekit.inputs.casedata import Case, Series
from casekit.inputs.quantities import number
from casekit.rendering.timeline_figure import TimelineOptions, timeline_data

SWING = 0.25
"""A rise or fall smaller than this share of a series' range (on its scale) is noise."""
MAX_TURNS = 4
"""More turning points than this, and only the peak and the low are told."""


@dataclass(frozen=True)
class _Point:
    day: int
    y: float
    """The value on the scale the series is drawn on (log10 for a log scale)."""
    shown: str
    """The value as the text prints it, with its unit (``1,250 ng/L``, ``<0.5 mg/L``)."""
    until: int
    """The last day of the run of equal values it starts (its own day if none)."""


def timeline_alt(case: Case, options: TimelineOptions) -> str:
    """The alt text of the timeline figure ``options`` draw from ``case``."""
    data = timeline_data(case, options)
    window = options.xlim
    drawn = [name for panel in options.panels for name in panel]
    # The days the axis is made to hold, as timeline_data counts them.
    days = [day for lane in data["lanes"] for day in lane["days"]]
    days += [case.absolute_anchor(name) for name in case.anchors]
    days += [case.absolute(p.at) for name in drawn for p in case.series[name].points]
    days = [d for d in days if window is None or window[0] <= d <= window[1]] or [0]
    first, last = _day(min(days)), _day(max(days))
    courses = "; ".join(c for name in drawn if (c := course(case, case.series[name], window)))
    phases = [lane["phase"] for lane in data["lanes"]]
    if not phases:
        return f"Over days {first} to {last} since {_root(case)}, {courses}."
    noun = "phase" if len(phases) == 1 else "phases"
    lanes = (
        f"Swim lane of {len(phases)} {noun} of care ({', '.join(phases)}) from day {first} "
        f"to day {last} since {_root(case)}."
    )
    return f"{lanes} Below it, {courses}." if courses else lanes


def _root(case: Case) -> str:
    return case.anchors[case.root].label


def _day(day: float) -> str:
    return number(day)


def course(case: Case, series: Series, window: tuple[float, float] | None = None) -> str:
    """How ``series`` runs over the days drawn, in one clause: ``CRP rises from 86 mg/L on
    day −1 to a peak of 188 mg/L on day 5, then falls to 3 mg/L by day 30``; empty when
    none of its points is drawn."""
    points = _runs(case, series, window)
    if not points:
        return ""
    label = series.label
    first, last = points[0], points[-1]
    if len(points) == 1:
        if first.until > first.day:
            start, end = _day(first.day), _day(first.until)
            return f"{label} stays at {first.shown} from day {start} to day {end}"
        return f"{label} is {first.shown} on day {_day(first.day)}"
    keys = turning_points([p.y for p in points])
    high = max(range(len(points)), key=lambda i: points[i].y)
    low = min(range(len(points)), key=lambda i: points[i].y)
    parts = [f"{label} {_verb(first, points[keys[1]])} from {first.shown} on day {_day(first.day)}"]
    for n, index in enumerate(keys[1:], start=1):
        point = points[index]
        if n > 1:
            parts.append(
                f"{'then ' if index == keys[-1] else ''}{_verb(points[keys[n - 1]], point)}"
            )
        what = point.shown
        inside = 0 < index < len(points) - 1
        if inside and index == high and point.y > max(first.y, last.y):
            what = f"a peak of {what}"
        elif inside and index == low and point.y < min(first.y, last.y):
            what = f"a low of {what}"
        when = f"by day {_day(point.day)}" if index == keys[-1] else f"on day {_day(point.day)}"
        parts[-1] += f" to {what} {when}"
    if last.until > last.day:
        parts[-1] += f" and stays there through day {_day(last.until)}"
    return ", ".join(parts)


def _verb(before: _Point, after: _Point) -> str:
    return "rises" if after.y > before.y else "falls"


def _runs(case: Case, series: Series, window: tuple[float, float] | None) -> list[_Point]:
    """The series' points drawn, in day order, a run of equal values as its first point
    (which remembers the run's last day)."""
    points: list[_Point] = []
    for p in sorted(series.points, key=lambda p: case.absolute(p.at)):
        day = case.absolute(p.at)
        if window is not None and not window[0] <= day <= window[1]:
            continue
        shown = series.shown(p)
        if points and points[-1].shown == shown:
            points[-1] = _Point(points[-1].day, points[-1].y, shown, day)
            continue
        y = math.log10(p.value) if series.scale == "log" and p.value > 0 else p.value
        points.append(_Point(day, y, shown, day))
    return points


def turning_points(values: list[float]) -> list[int]:
    """The indices of ``values`` that tell its course: the first, the last, and between them
    the peak and the low (when beyond both ends) and each other turn (a rise becoming a
    fall or the reverse) whose rise or fall is at least :data:`SWING` of the range. More
    than :data:`MAX_TURNS` turns: only the peak and the low."""
    if len(values) < 2:
        return list(range(len(values)))
    keys = _turns(values, list(range(len(values))))
    ends = (values[0], values[-1])
    spread = max(values) - min(values)
    kept = {
        i
        for i in (values.index(max(values)), values.index(min(values)))
        if min(abs(values[i] - end) for end in ends) > 0.05 * spread
    }
    while len(keys) > 2:
        steps = [abs(values[b] - values[a]) for a, b in itertools.pairwise(keys)]
        for step in sorted(range(len(steps)), key=steps.__getitem__):
            if steps[step] >= SWING * spread:
                return _fewer(values, keys)
            if step == 0:
                gone = keys[1:2]  # a small turn just after the start: the course starts after it
            elif step == len(steps) - 1:
                gone = keys[-2:-1]  # ... or just before the end
            else:
                gone = keys[step : step + 2]  # a small wiggle in between
            if not kept & set(gone):
                break
        else:
            break
        keys = _turns(values, [k for k in keys if k not in gone])
    return _fewer(values, keys)


def _fewer(values: list[float], keys: list[int]) -> list[int]:
    """``keys``, or when it turns more than :data:`MAX_TURNS` times, only its ends and the
    highest and lowest of its turns."""
    inner = keys[1:-1]
    if len(inner) <= MAX_TURNS:
        return keys
    extremes = {max(inner, key=values.__getitem__), min(inner, key=values.__getitem__)}
    return _turns(values, sorted({keys[0], keys[-1], *extremes}))


def _turns(values: list[float], keys: list[int]) -> list[int]:
    """``keys`` without the inner ones where the course, read through ``keys`` alone, does
    not turn (until none is left)."""
    while True:
        kept = [keys[0]]
        kept += [b for a, b, c in zip(keys, keys[1:], keys[2:], strict=False)
                 if (values[b] - values[a]) * (values[c] - values[b]) < 0]  # fmt: skip
        kept.append(keys[-1])
        if kept == keys:
            return keys
        keys = kept
