"""Reading ``manuscript/case.yaml``: the typed load, the project's facts, and every check
on the values (anchors, units, percentages, log-scale values, grades, unique ids)."""

from __future__ import annotations

import re
from dataclasses import field, make_dataclass
from pathlib import Path
from typing import Any

from casekit.core.errors import Collector, InputError
from casekit.core.yamlfile import Loaded, load
from casekit.inputs.casedata import Case, item_id, walk
from casekit.inputs.days import DayRef
from casekit.inputs.facts import check_facts, facts_class, load_schema
from casekit.inputs.quantities import Quantity

_GRADE = re.compile(r"(?:I{1,3}|IV|V)[a-d]?")
"""A grade written in Roman numerals with an optional letter (Clavien–Dindo IIIa)."""


def load_case(path: Path, schema_path: Path | None = None) -> Loaded[Case]:
    """Read ``case.yaml`` and check anchors, units, ranges, grades and ids.

    ``schema_path`` is the project's ``case-schema.yaml``, which declares the facts
    under ``facts:``; when it does not exist, ``facts:`` must be left out.
    """
    schema = load_schema(schema_path).value if schema_path and schema_path.is_file() else None
    loaded = load(path, case_class(facts_class(schema) if schema else None))
    case = loaded.value
    errors = Collector()
    if schema is None and case.facts is not None:
        errors.add(
            InputError(
                "facts need a schema: manuscript/case-schema.yaml is missing",
                loaded.where("facts"),
                hint="declare each fact's type there (see docs/case-data.md)",
            )
        )
    if not (
        case.clinical_findings or case.presenting_concerns or case.vital_signs or case.diagnosis
    ):
        errors.add(
            InputError(
                "the case has no finding",
                loaded.where(""),
                hint="give at least `presenting_concerns:`, `clinical_findings:` or `diagnosis:`",
            )
        )
    _check_anchors(loaded, errors)
    _check_values(loaded, errors)
    seen: dict[str, str] = {}
    for field_path, value in walk(case, "", object):
        ident = item_id(value)
        if ident is None:
            continue
        if ident in seen:
            errors.add(
                InputError(
                    f"id {ident!r} is used twice (first at {seen[ident]})",
                    loaded.where(f"{field_path}.id"),
                    hint="give every named item its own id",
                )
            )
        seen[ident] = field_path
    if schema is not None:
        check_facts(loaded, schema, errors)
    errors.raise_if_any()
    return loaded


def case_class(schema: type | None) -> type[Case]:
    """:class:`Case`, with ``facts`` typed by the project's schema when it has one."""
    if schema is None:
        return Case
    made = make_dataclass(
        "Case", [("facts", schema, field(default=None))], bases=(Case,), frozen=True
    )
    made.__doc__ = Case.__doc__
    return made


def _check_anchors(loaded: Loaded[Case], errors: Collector) -> None:
    case = loaded.value
    roots = [name for name, a in case.anchors.items() if a.at is None]
    refs = list(walk(case, "", DayRef))
    if not case.anchors and not refs:
        return  # a case that places nothing in time needs no anchors
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
    for field_path, ref in refs:
        if ref.anchor not in case.anchors and not field_path.startswith("anchors."):
            errors.add(
                InputError(
                    f"unknown anchor {ref.anchor!r}",
                    loaded.where(field_path),
                    hint="known anchors: " + ", ".join(case.anchors),
                )
            )


def _check_values(loaded: Loaded[Case], errors: Collector) -> None:
    case = loaded.value
    for field_path, quantity in walk(case, "", Quantity):
        check_quantity(loaded, field_path, quantity, errors)
    for name, series in case.series.items():
        for i, point in enumerate(series.points):
            where = loaded.where(f"series.{name}.points.{i}.value")
            if series.unit.strip() == "%" and not 0 <= point.value <= 100:
                errors.add(
                    InputError(
                        f"{series.label} {point.value:g}% is not between 0 and 100",
                        where,
                        hint="check the value against the series' unit",
                    )
                )
            if series.scale == "log" and point.value <= 0:
                errors.add(
                    InputError(
                        f"{series.label} {point.value:g} cannot be drawn on a log scale",
                        where,
                        hint="give a value below the detection limit as the limit with "
                        "`qualifier: below`, or draw the series on `scale: linear`",
                    )
                )
    for i, ae in enumerate(case.adverse_events):
        if ae.grade is None:
            continue
        where = loaded.where(f"adverse_events.{i}.grade")
        if ae.grade.isdigit() and not 1 <= int(ae.grade) <= 5:
            errors.add(
                InputError(
                    f"grade {ae.grade} is outside 1–5",
                    where,
                    hint="adverse-event grades run from 1 to 5",
                )
            )
        elif not ae.grade.isdigit() and not _GRADE.fullmatch(ae.grade):
            errors.add(
                InputError(
                    f"grade {ae.grade!r} is neither a number nor a grade such as IIIa",
                    where,
                    hint="write the grade as the scale numbers it: 1–5, or I–V with a letter",
                )
            )


def check_quantity(
    loaded: Loaded[Any], field_path: str, quantity: Quantity, errors: Collector
) -> None:
    """A quantity needs a unit, and a percentage lies between 0 and 100."""
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
