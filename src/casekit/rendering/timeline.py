"""The timeline table's rows: events of care, with the series values and adverse events a
template chooses to add, in day order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from casekit.inputs.casedata import Case
from casekit.inputs.days import DayRef


@dataclass(frozen=True)
class TimelineRow:
    """One row of the timeline table."""

    day: int
    """Days since the root anchor."""
    at: DayRef
    """The day as written in the data."""
    phase: str
    """Phase of care."""
    event: str
    """What happened."""
    result: str
    """Key result."""


def timeline_rows(
    case: Case,
    series: Iterable[str] = (),
    events: bool = True,
    adverse_events: bool = True,
    interventions: bool = False,
) -> list[TimelineRow]:
    """The timeline table, by day: the timeline's events (unless ``events`` is false),
    every point of the named ``series``, the adverse events (unless ``adverse_events``
    is false), and with ``interventions`` each intervention's start with its dose, each
    step of its schedule (a taper) and each change to it.

    A measurement or adverse event takes the phase of the last event on or before its
    day. Labels keep their capitals: a first word such as ``hs-cTnT`` stays as written,
    a plain word gets a capital (``Cytokine release syndrome``).
    """
    timeline = sorted(case.timeline, key=lambda e: case.absolute(e.at))

    def phase_on(day: int) -> str:
        phase = timeline[0].phase if timeline else ""
        for event in timeline:
            if case.absolute(event.at) <= day:
                phase = event.phase
        return phase

    def row(at: DayRef, event: str, result: str) -> TimelineRow:
        day = case.absolute(at)
        return TimelineRow(day, at, phase_on(day), event, result)

    rows = []
    if events:
        rows += [
            TimelineRow(case.absolute(e.at), e.at, e.phase, e.event, e.result) for e in timeline
        ]
    for name in series:
        if name not in case.series:
            known = ", ".join(case.series) or "none"
            raise ValueError(f"unknown series {name!r}; the case has: {known}")
        one = case.series[name]
        for point in one.points:
            day = case.absolute(point.at)
            label = point.note or f"{one.label} assessment"
            result = f"{one.label} {one.shown(point)}"
            rows.append(TimelineRow(day, point.at, phase_on(day), capital(label), result))
    if adverse_events:
        for ae in case.adverse_events:
            day = case.absolute(ae.at)
            result = ""
            if ae.grade is not None:
                result = f"grade {ae.grade}" + (f" ({ae.scale})" if ae.scale else "")
            rows.append(TimelineRow(day, ae.at, phase_on(day), capital(ae.name), result))
    if interventions:
        for given in case.interventions:
            name = capital(given.name)
            dose = str(given.dose) if given.dose else ""
            rows.append(row(given.start, name, dose))
            for step in given.schedule:
                rows.append(row(step.at, name, str(step.dose)))
            for change in given.changes:
                rows.append(row(change.at, capital(change.change), ""))
    order = {id(r): i for i, r in enumerate(rows)}
    return sorted(rows, key=lambda r: (r.day, order[id(r)]))


def capital(text: str) -> str:
    """``text`` with a capital first letter, unless its first word already mixes cases
    (``hs-cTnT``, ``eGFR``, ``mRNA``): those are written as they must be printed."""
    first = text.split(" ", 1)[0]
    if any(c.isupper() for c in first[1:]):
        return text
    return text[:1].upper() + text[1:]
