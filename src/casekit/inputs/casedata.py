"""The case: ``manuscript/case.yaml`` as typed, frozen, de-identified data.

The core follows the CARE checklist and names no specialty: the patient, presenting
concerns and findings, the diagnostic assessment (tests, differential, challenges,
prognosis), any number of named measurement series, interventions, outcomes,
adverse events, scores, follow-up, the patient's perspective and consent. A minimal
case is a patient, one finding and consent. What one manuscript needs beyond the
core, its project declares in ``manuscript/case-schema.yaml`` (see
:mod:`casekit.inputs.facts`); those facts sit under ``facts:``.

Days are never calendar dates: every day is an offset from a named anchor (see
:mod:`casekit.inputs.days`). Templates reach all of this as typed objects, so a
misspelt field fails the build instead of printing nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cached_property
from typing import Any, Literal, TypeVar

from casekit.inputs.days import Anchor, DayRef
from casekit.inputs.quantities import Quantity, Range

T = TypeVar("T")


@dataclass(frozen=True)
class Age:
    """Age at presentation."""

    value: int
    """Whole units."""
    unit: Literal["days", "weeks", "months", "years"]
    """Unit of the age."""


@dataclass(frozen=True)
class History:
    """The patient's history; written as one text, it is the medical history."""

    medical: str | None = None
    """Past medical history."""
    family: str | None = None
    """Family history."""
    psychosocial: str | None = None
    """Psychosocial history: occupation, habits, circumstances."""
    genetic: str | None = None
    """Relevant genetic information."""
    comorbidities: tuple[str, ...] = ()
    """Other conditions, with relevant past interventions."""

    @classmethod
    def parse(cls, text: str) -> History:
        return cls(medical=text)

    def __str__(self) -> str:
        parts = [self.medical, self.family, self.psychosocial, self.genetic]
        if self.comorbidities:
            parts.append(", ".join(self.comorbidities))
        return "; ".join(p for p in parts if p)


@dataclass(frozen=True)
class Patient:
    """De-identified demographics."""

    age: Age
    """Age at presentation."""
    sex: Literal["female", "male", "intersex", "not stated"]
    """Sex as reported."""
    weight: Quantity | None = None
    """Body weight at presentation."""
    height: Quantity | None = None
    """Height or length at presentation."""
    history: History | None = None
    """Medical, family, psychosocial and genetic history, and comorbidities."""


@dataclass(frozen=True)
class Test:
    """One diagnostic test or examination finding, with its result."""

    name: str
    """What was measured or examined, e.g. ``eosinophil count``."""
    value: float | None = None
    """The numeric result, in ``unit``."""
    unit: str | None = None
    """Unit of ``value``."""
    result: str | None = None
    """A result in words, e.g. ``negative`` or ``normal``."""
    reference: Range | None = None
    """Reference range, in ``unit``."""
    method: str | None = None
    """How it was done."""
    at: DayRef | None = None
    """When."""
    id: str | None = None
    """A name templates can use to find it."""

    @property
    def flag(self) -> Literal["low", "high"] | None:
        """``high`` or ``low`` against the reference range."""
        if self.value is None or self.reference is None:
            return None
        return self.reference.flag(self.value)

    def __str__(self) -> str:
        if self.value is None:
            return self.result or ""
        return str(Quantity(self.value, self.unit or ""))


@dataclass(frozen=True)
class Differential:
    """A diagnosis considered, and why it was kept or ruled out."""

    diagnosis: str
    """The diagnosis considered."""
    reasoning: str
    """What favoured or excluded it."""


@dataclass(frozen=True)
class Diagnosis:
    """The diagnostic assessment (CARE items 8a–8d)."""

    name: str
    """Diagnosis as written in the text."""
    presentation: str | None = None
    """Main symptoms and findings at presentation."""
    tests: tuple[Test, ...] = ()
    """Diagnostic tests and their results."""
    differential: tuple[Differential, ...] = ()
    """Diagnoses considered, with reasoning."""
    challenges: str | None = None
    """Diagnostic challenges (access, financial, cultural), if any."""
    prognosis: str | None = None
    """Prognostic characteristics, e.g. a stage or risk group."""


@dataclass(frozen=True)
class Point:
    """One measured value of a series."""

    at: DayRef
    """When it was measured."""
    value: float
    """The value, in the series' unit; the limit itself when ``qualifier`` is set."""
    qualifier: Literal["below", "above"] | None = None
    """``below``: under the detection limit ``value``; ``above``: over a measuring limit."""
    note: str | None = None
    """Context, e.g. ``peak``."""
    id: str | None = None
    """A name templates can use to find it."""


@dataclass(frozen=True)
class Series:
    """A measurement followed over time, e.g. troponin, eosinophils or CRP."""

    label: str
    """Name in the text, e.g. ``hs-cTnT`` or ``CRP``."""
    unit: str
    """Unit of every value."""
    points: tuple[Point, ...]
    """Values in time order."""
    method: str | None = None
    """How it was measured."""
    reference: Range | None = None
    """Reference range or decision limits."""
    detection_limit: float | None = None
    """The assay's lower limit of detection."""
    scale: Literal["linear", "log"] = "linear"
    """How a figure draws it."""
    below: str | None = None
    """How a value under the detection limit reads, e.g. ``undetectable``; without it,
    ``<0.5 mg/L``."""

    def shown(self, point: Point) -> str:
        """A value as the text prints it: ``1,250 ng/L``, ``undetectable (<0.5 mg/L)``."""
        text = str(Quantity(point.value, self.unit))
        if point.qualifier == "below":
            return f"{self.below} (<{text})" if self.below else f"<{text}"
        return f">{text}" if point.qualifier == "above" else text

    def point(self, id: str) -> Point:
        """The point named ``id``."""
        for candidate in self.points:
            if candidate.id == id:
                return candidate
        raise ValueError(f"{self.label} has no point with id {id!r}")


@dataclass(frozen=True)
class Step:
    """One step of a schedule, e.g. of a steroid taper."""

    at: DayRef
    """When the step starts."""
    dose: Quantity
    """The dose from then on."""
    note: str | None = None
    """Context."""


@dataclass(frozen=True)
class Change:
    """A change to an intervention, with its rationale (CARE item 9c)."""

    at: DayRef
    """When."""
    change: str
    """What changed."""
    rationale: str
    """Why."""


@dataclass(frozen=True)
class Intervention:
    """A drug or procedure, placed in time by day offsets."""

    name: str
    """What was given or done, e.g. ``methylprednisolone`` or ``coronary angiography``."""
    start: DayRef
    """First day."""
    kind: Literal["drug", "procedure", "other"] = "drug"
    """A drug, a procedure, or another intervention (e.g. rehabilitation)."""
    drug: str | None = None
    """Drug, if any."""
    dose: Quantity | None = None
    """Dose per administration, with its unit (e.g. ``mg/m²``)."""
    route: str | None = None
    """Route, e.g. ``intravenous``."""
    frequency: str | None = None
    """How often, e.g. ``twice daily``."""
    days: int | None = None
    """Number of days it was given on."""
    end: DayRef | None = None
    """Last day, when it ended."""
    schedule: tuple[Step, ...] = ()
    """Dose steps, e.g. a taper."""
    reason: str | None = None
    """Why it was given."""
    changes: tuple[Change, ...] = ()
    """Changes to it, each with its rationale."""
    id: str | None = None
    """A name templates can use to find it."""


@dataclass(frozen=True)
class Event:
    """A line of the timeline."""

    at: DayRef
    """When it happened."""
    phase: str
    """Phase of care, e.g. ``Admission``."""
    event: str
    """What was done or happened."""
    result: str = ""
    """Key result."""
    id: str | None = None
    """A name templates can use to find it."""


@dataclass(frozen=True)
class Outcome:
    """An outcome, as the clinician or the patient assessed it (CARE item 10a)."""

    at: DayRef
    """When it was assessed."""
    outcome: str
    """The outcome."""
    assessed_by: Literal["clinician", "patient"] = "clinician"
    """Who assessed it."""
    id: str | None = None
    """A name templates can use to find it."""


@dataclass(frozen=True)
class AdverseEvent:
    """An adverse or unanticipated event, graded on a named scale or not graded."""

    at: DayRef
    """Onset."""
    name: str
    """Event, e.g. ``acute kidney injury``."""
    grade: str | None = None
    """Grade on ``scale``: a number 1–5 (CTCAE, ASTCT, MAGIC), or the scale's own form
    (Clavien–Dindo ``IIIa``)."""
    scale: str | None = None
    """Grading scale, e.g. ``CTCAE`` or ``KDIGO``."""
    management: str = ""
    """Treatment given."""
    id: str | None = None
    """A name templates can use to find it."""


@dataclass(frozen=True)
class Score:
    """A score or set of criteria, e.g. RegiSCAR, Naranjo or Kobayashi."""

    name: str
    """The score's name."""
    value: float
    """The score."""
    at: DayRef | None = None
    """When it was scored."""
    interpretation: str | None = None
    """What the value means, e.g. ``definite``."""
    id: str | None = None
    """A name templates can use to find it."""


@dataclass(frozen=True)
class FollowUp:
    """Status at last follow-up."""

    at: DayRef
    """Last follow-up."""
    status: str
    """Status, in the text's words."""


@dataclass(frozen=True)
class Case:
    """The whole de-identified case."""

    patient: Patient
    """Demographics and history."""
    consent: str
    """Consent statement for publication."""
    diagnosis: Diagnosis | None = None
    """The diagnostic assessment."""
    anchors: dict[str, Anchor] = field(default_factory=dict)
    """Named anchor days; exactly one has no ``at`` (the root)."""
    synthetic: bool = False
    """True for an illustrative, invented case; the text then says so."""
    presenting_concerns: tuple[str, ...] = ()
    """The patient's main concerns and symptoms."""
    clinical_findings: tuple[str, ...] = ()
    """Relevant examination and other findings at presentation."""
    vital_signs: tuple[Test, ...] = ()
    """Vital signs at presentation."""
    series: dict[str, Series] = field(default_factory=dict)
    """Named measurement series, e.g. ``troponin:`` or ``crp:``."""
    interventions: tuple[Intervention, ...] = ()
    """Drugs and procedures, in time order."""
    outcomes: tuple[Outcome, ...] = ()
    """Clinician- and patient-assessed outcomes."""
    adverse_events: tuple[AdverseEvent, ...] = ()
    """Adverse and unanticipated events."""
    scores: tuple[Score, ...] = ()
    """Scores and criteria."""
    timeline: tuple[Event, ...] = ()
    """Timeline of care."""
    follow_up: FollowUp | None = None
    """Last follow-up."""
    patient_perspective: str | None = None
    """The patient's own account, if shared (CARE item 12)."""
    facts: Any = None
    """Facts the project declares in ``manuscript/case-schema.yaml``."""

    @property
    def root(self) -> str:
        """The name of the anchor every other is counted from."""
        return next(name for name, anchor in self.anchors.items() if anchor.at is None)

    def absolute(self, ref: DayRef) -> int:
        """Days since the root anchor."""
        return self._offsets[ref.anchor] + ref.day

    def absolute_anchor(self, name: str) -> int:
        """Days from the root anchor to anchor ``name``."""
        return self._offsets[name]

    def between(self, start: DayRef, end: DayRef) -> int:
        """Days from ``start`` to ``end``."""
        return self.absolute(end) - self.absolute(start)

    def relative(self, ref: DayRef, anchor: str) -> DayRef:
        """The same day, counted from another anchor."""
        return DayRef(anchor, self.absolute(ref) - self._offsets[anchor])

    def day(self, ref: DayRef, anchor: str | None = None) -> str:
        """How a day reads, counted from ``anchor`` (default: the one it was written
        against), in that anchor's convention: ``day +28``, ``hospital day 3``."""
        if anchor is None:
            anchor = ref.anchor
        if anchor not in self.anchors:
            raise ValueError(f"unknown anchor {anchor!r}; known: {', '.join(self.anchors)}")
        return self.anchors[anchor].name_day(self.relative(ref, anchor).day)

    def item(self, id: str) -> Any:
        """The point, test, event, intervention, outcome, adverse event or score named
        ``id`` (ids are unique in a case)."""
        found = self._ids.get(id)
        if found is None:
            raise ValueError(f"no item with id {id!r} in the case data")
        return found[1]

    @cached_property
    def _ids(self) -> dict[str, tuple[str, Any]]:
        named: dict[str, tuple[str, Any]] = {}
        for path, value in walk(self, "", object):
            ident = item_id(value)
            if ident is not None:
                named.setdefault(ident, (path, value))
        return named

    @cached_property
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


def item_id(value: object) -> str | None:
    """The ``id`` a case item is named by, if it has one."""
    ident = getattr(value, "id", None) if is_dataclass(value) else None
    return ident if isinstance(ident, str) else None


def walk(obj: object, path: str, kind: type[T]) -> Iterator[tuple[str, T]]:
    """Every instance of ``kind`` inside ``obj``, with its dotted field path."""
    if isinstance(obj, kind) and (kind is not object or is_dataclass(obj)):
        yield path, obj
        if kind is not object:
            return
    if isinstance(obj, Mapping):
        items: Iterable[tuple[str, object]] = ((str(k), v) for k, v in obj.items())
    elif isinstance(obj, tuple):
        items = ((str(i), v) for i, v in enumerate(obj))
    elif is_dataclass(obj):
        items = ((f.name, getattr(obj, f.name)) for f in fields(obj))
    else:
        return
    for name, value in items:
        yield from walk(value, f"{path}.{name}" if path else name, kind)
