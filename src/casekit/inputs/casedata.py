"""The case: ``manuscript/case.yaml`` as typed, frozen, de-identified data.

Days are never calendar dates. Every day is an offset from a named *anchor*
(diagnosis, infusion, transplant, ...); anchors are themselves placed relative
to another anchor, so the whole course hangs off one root, day 0 of diagnosis.
Templates reach all of this as typed objects, so a misspelt field fails the
build instead of printing nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Literal, TypeVar

from casekit.core.errors import Collector, InputError
from casekit.core.yamlfile import Loaded, load

T = TypeVar("T")
_DAYREF = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*(?:([+\-−])\s*(\d+))?\s*$")


@dataclass(frozen=True)
class DayRef:
    """A day relative to a named anchor, written ``infusion+28`` or ``diagnosis``."""

    anchor: str
    """Name of an anchor in :attr:`Case.anchors`."""
    day: int = 0
    """Offset in days from the anchor; negative before it."""

    @classmethod
    def parse(cls, text: str) -> DayRef:
        match = _DAYREF.match(text)
        if not match:
            raise ValueError(
                f"{text!r} is not a day reference; write ANCHOR+DAYS, e.g. `infusion+28` or "
                "`transplant-7` (calendar dates are not allowed)"
            )
        name, sign, days = match.groups()
        offset = int(days or 0)
        return cls(name, -offset if sign in ("-", "−") else offset)


@dataclass(frozen=True)
class Quantity:
    """A number with its unit."""

    value: float
    """The number."""
    unit: str
    """Its unit, e.g. ``mg/m2`` or ``%``."""


@dataclass(frozen=True)
class Age:
    """Age at diagnosis."""

    value: int
    """Whole units."""
    unit: Literal["days", "weeks", "months", "years"]
    """Unit of the age."""


@dataclass(frozen=True)
class Patient:
    """De-identified demographics."""

    age: Age
    """Age at diagnosis."""
    sex: Literal["female", "male", "intersex", "not stated"]
    """Sex as reported."""
    weight: Quantity | None = None
    """Body weight at diagnosis."""
    history: str | None = None
    """Medical, family and psychosocial history, including relevant genetics."""


@dataclass(frozen=True)
class Diagnosis:
    """Main diagnosis and its defining findings."""

    name: str
    """Diagnosis as written in the text."""
    immunophenotype: str
    """Flow cytometry findings."""
    genetics: str
    """Cytogenetic and molecular findings."""
    risk_group: str
    """Risk stratification."""
    presentation: str
    """Main symptoms and findings at presentation."""
    challenges: str | None = None
    """Diagnostic challenges, if any (CARE item 8b)."""


@dataclass(frozen=True)
class Anchor:
    """A named day the case's other days are counted from."""

    label: str
    """How the text names the anchor, e.g. ``CAR-T infusion``."""
    at: DayRef | None = None
    """Where the anchor lies relative to another; None for the root."""


@dataclass(frozen=True)
class Point:
    """One measured value of a series."""

    at: DayRef
    """When it was measured."""
    value: float
    """The value, in the series' unit; the assay's detection limit when ``undetectable``."""
    note: str | None = None
    """Context, e.g. ``end of induction``."""
    undetectable: bool = False
    """Nothing was detected; ``value`` is the detection limit."""

    def shown(self, unit: str) -> str:
        """``1.2%``, or ``undetectable (<0.001%)``."""
        text = f"{self.value:g}{'' if unit == '%' else ' '}{unit}"
        return f"undetectable (<{text})" if self.undetectable else text


@dataclass(frozen=True)
class Series:
    """A measurement followed over time, e.g. minimal residual disease."""

    label: str
    """Name in the text, e.g. ``MRD``."""
    unit: str
    """Unit of every value."""
    method: str
    """How it was measured."""
    points: tuple[Point, ...]
    """Values in time order."""


@dataclass(frozen=True)
class CarT:
    """The CAR-T product and its release testing."""

    product: str
    """Product name."""
    target: str
    """Target antigen."""
    apheresis: DayRef
    """Day of leukapheresis."""
    weight_at_apheresis: Quantity
    """Body weight on the apheresis day."""
    car_positive: Quantity
    """Measured share of CAR-positive viable T cells in the final product."""
    car_positive_specification: Quantity
    """The release specification's lower limit for that share."""
    viability: Quantity
    """Viability of the final product."""
    dose: Quantity
    """Dose infused."""

    @property
    def out_of_specification(self) -> bool:
        """Whether the product failed its CAR-positive release specification."""
        return self.car_positive.value < self.car_positive_specification.value


@dataclass(frozen=True)
class Transplant:
    """The allogeneic transplant."""

    donor: str
    """Donor type, e.g. ``haploidentical``."""
    graft: str
    """Graft source and manipulation."""
    conditioning: str
    """Conditioning regimen."""
    gvhd_prophylaxis: str
    """Graft-versus-host disease prophylaxis."""
    engraftment: DayRef
    """Neutrophil engraftment."""


@dataclass(frozen=True)
class Intervention:
    """A drug or procedure, placed in time by day offsets."""

    name: str
    """What was given or done, e.g. ``lymphodepletion``."""
    start: DayRef
    """First day."""
    drug: str | None = None
    """Drug, if any."""
    dose: Quantity | None = None
    """Dose per administration, with its unit (e.g. ``mg/m²``)."""
    days: int | None = None
    """Number of days it was given on."""
    route: str | None = None
    """Route, e.g. ``intravenous``."""
    reason: str | None = None
    """Why it was given or changed (CARE item 9c)."""


@dataclass(frozen=True)
class Event:
    """A line of the timeline."""

    at: DayRef
    """When it happened."""
    phase: str
    """Phase of care, e.g. ``Induction``."""
    event: str
    """What was done or happened."""
    result: str = ""
    """Key result, e.g. an MRD value."""


@dataclass(frozen=True)
class AdverseEvent:
    """An adverse or unanticipated event with its grade."""

    at: DayRef
    """Onset."""
    name: str
    """Event, e.g. ``cytokine release syndrome``."""
    grade: int
    """Grade on the named scale."""
    scale: str
    """Grading scale, e.g. ``ASTCT``."""
    management: str = ""
    """Treatment given."""


@dataclass(frozen=True)
class FollowUp:
    """Status at last follow-up."""

    at: DayRef
    """Last follow-up."""
    status: str
    """Disease status."""


@dataclass(frozen=True)
class Case:
    """The whole de-identified case."""

    synthetic: bool
    """True for an illustrative, invented case; the text then says so."""
    patient: Patient
    """Demographics."""
    diagnosis: Diagnosis
    """Diagnosis."""
    anchors: dict[str, Anchor]
    """Named anchor days; exactly one has no ``at`` (the root)."""
    timeline: tuple[Event, ...]
    """Timeline of care."""
    mrd: Series
    """Minimal residual disease."""
    prior_therapy: tuple[str, ...]
    """Therapy before CAR-T, in order."""
    car_t: CarT
    """The CAR-T product."""
    transplant: Transplant
    """The transplant."""
    clinical_findings: tuple[str, ...] = ()
    """Relevant examination and other findings at presentation."""
    interventions: tuple[Intervention, ...] = ()
    """Drugs and procedures with doses, in time order."""
    adverse_events: tuple[AdverseEvent, ...] = ()
    """Adverse events."""
    follow_up: FollowUp | None = None
    """Last follow-up."""
    consent: str = ""
    """Consent statement for publication."""
    extra: dict[str, str] = field(default_factory=dict)
    """Further free-text facts a template may use."""

    def absolute(self, ref: DayRef) -> int:
        """Days since the root anchor."""
        return self._offsets()[ref.anchor] + ref.day

    def absolute_anchor(self, name: str) -> int:
        """Days from the root anchor to anchor ``name``."""
        return self._offsets()[name]

    def between(self, start: DayRef, end: DayRef) -> int:
        """Days from ``start`` to ``end``."""
        return self.absolute(end) - self.absolute(start)

    def relative(self, ref: DayRef, anchor: str) -> DayRef:
        """The same day, counted from another anchor."""
        return DayRef(anchor, self.absolute(ref) - self._offsets()[anchor])

    def _offsets(self) -> dict[str, int]:
        offsets: dict[str, int] = {}
        for name in self.anchors:
            total = 0
            anchor = self.anchors[name]
            while anchor.at is not None:  # load_case has ruled out loops
                total += anchor.at.day
                anchor = self.anchors[anchor.at.anchor]
            offsets[name] = total
        return offsets


def load_case(path: Path) -> Loaded[Case]:
    """Read ``case.yaml`` and check that every day reference resolves."""
    loaded = load(path, Case)
    case = loaded.value
    errors = Collector()
    roots = [name for name, a in case.anchors.items() if a.at is None]
    if len(roots) != 1:
        errors.add(
            InputError(
                f"expected exactly one root anchor (one without `at:`), found {len(roots)}",
                loaded.where("anchors"),
                hint="give every anchor but the first an `at:` such as `diagnosis+120`",
            )
        )
    for name, anchor in case.anchors.items():
        seen = {name}
        current = anchor
        while current.at is not None:
            target = current.at.anchor
            if target not in case.anchors:
                errors.add(
                    InputError(
                        f"anchor {name!r} is placed relative to unknown anchor {target!r}",
                        loaded.where(f"anchors.{name}.at"),
                        hint="known anchors: " + ", ".join(case.anchors),
                    )
                )
                break
            if target in seen:
                errors.add(
                    InputError(
                        f"anchors form a loop through {target!r}",
                        loaded.where(f"anchors.{name}.at"),
                        hint="one anchor must be the root, with no `at:`",
                    )
                )
                break
            seen.add(target)
            current = case.anchors[target]
    for field_path, quantity in _walk(case, "", Quantity):
        if not quantity.unit.strip():
            errors.add(
                InputError(
                    f"{quantity.value:g} has no unit",
                    loaded.where(f"{field_path}.unit"),
                    hint="give every dose and measurement its unit, e.g. mg/m² or %",
                )
            )
        if quantity.unit.strip() == "%" and not 0 <= quantity.value <= 100:
            errors.add(
                InputError(
                    f"{quantity.value:g}% is not a percentage between 0 and 100",
                    loaded.where(f"{field_path}.value"),
                    hint="check the value and its unit",
                )
            )
    if case.mrd.unit.strip() == "%":
        for i, point in enumerate(case.mrd.points):
            if not 0 <= point.value <= 100:
                errors.add(
                    InputError(
                        f"{case.mrd.label} {point.value:g}% is not between 0 and 100",
                        loaded.where(f"mrd.points.{i}.value"),
                        hint="check the value against the series' unit",
                    )
                )
    for i, ae in enumerate(case.adverse_events):
        if not 1 <= ae.grade <= 5:
            errors.add(
                InputError(
                    f"grade {ae.grade} is outside 1–5",
                    loaded.where(f"adverse_events.{i}.grade"),
                    hint="adverse-event grades run from 1 to 5",
                )
            )
    for field_path, ref in _walk(case, "", DayRef):
        if ref.anchor not in case.anchors and not field_path.startswith("anchors."):
            errors.add(
                InputError(
                    f"unknown anchor {ref.anchor!r}",
                    loaded.where(field_path),
                    hint="known anchors: " + ", ".join(case.anchors),
                )
            )
    errors.raise_if_any()
    return loaded


def _walk(obj: object, path: str, kind: type[T]) -> Iterator[tuple[str, T]]:
    """Every instance of ``kind`` inside ``obj``, with its dotted field path."""
    if isinstance(obj, kind):
        yield path, obj
        return
    if isinstance(obj, dict):
        items: Iterable[tuple[str, object]] = ((str(k), v) for k, v in obj.items())
    elif isinstance(obj, tuple):
        items = ((str(i), v) for i, v in enumerate(obj))
    elif is_dataclass(obj):
        items = ((f.name, getattr(obj, f.name)) for f in fields(obj))
    else:
        return
    for name, value in items:
        yield from _walk(value, f"{path}.{name}" if path else name, kind)


@dataclass(frozen=True)
class TimelineRow:
    """One row of the timeline table, merged from events, MRD values and adverse events."""

    day: int
    """Days since the root anchor (diagnosis)."""
    at: DayRef
    """The day as written in the data."""
    phase: str
    """Phase of care."""
    event: str
    """What happened."""
    result: str
    """Key result."""


def timeline_rows(case: Case) -> list[TimelineRow]:
    """The timeline table: explicit events, every MRD value and adverse event, by day.

    A measurement or adverse event takes the phase of the last event on or before its day.
    """
    events = sorted(case.timeline, key=lambda e: case.absolute(e.at))

    def phase_on(day: int) -> str:
        phase = events[0].phase if events else ""
        for event in events:
            if case.absolute(event.at) <= day:
                phase = event.phase
        return phase

    rows = [TimelineRow(case.absolute(e.at), e.at, e.phase, e.event, e.result) for e in events]
    for point in case.mrd.points:
        day = case.absolute(point.at)
        label = point.note or f"{case.mrd.label} assessment"
        result = f"{case.mrd.label} {point.shown(case.mrd.unit)}"
        rows.append(TimelineRow(day, point.at, phase_on(day), _capital(label), result))
    for ae in case.adverse_events:
        day = case.absolute(ae.at)
        result = f"grade {ae.grade} ({ae.scale})"
        rows.append(TimelineRow(day, ae.at, phase_on(day), _capital(ae.name), result))
    order = {id(r): i for i, r in enumerate(rows)}
    return sorted(rows, key=lambda r: (r.day, order[id(r)]))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
