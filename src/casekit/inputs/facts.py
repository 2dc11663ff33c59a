"""Facts a project declares: typed fields beyond the core case, in the project's own schema.

casekit's core case names no specialty. A project that needs more (a cell
product, a tumour's stage, an ECG) declares it in ``manuscript/case-schema.yaml``::

    ecg:
      type: mapping
      about: The presenting electrocardiogram.
      fields:
        rhythm: {type: text, about: Rhythm as read.}
        qtc: {type: quantity, units: [ms], min: 300, max: 700}
        at: {type: day}
    prior_therapy: {type: list, items: {type: text}}

and writes the values under ``facts:`` in ``case.yaml``. The schema becomes
dataclasses, so the facts get the same checks as the core: located errors for a
wrong type, a missing field or an unknown key, units, percentages between 0 and
100, anchors that exist, and the ranges the schema states. Templates reach them as
``case.facts.ecg.rhythm``.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field, is_dataclass, make_dataclass
from pathlib import Path
from typing import Any, Literal

from casekit.core.errors import Collector, InputError
from casekit.core.yamlfile import Loaded, load
from casekit.inputs.days import DayRef
from casekit.inputs.quantities import Quantity

FieldType = Literal[
    "text", "number", "integer", "quantity", "percentage", "day", "boolean", "list", "mapping"
]


@dataclass(frozen=True)
class FieldSpec:
    """One declared fact: its type, whether it is required, and its limits."""

    type: FieldType
    """``text``, ``number``, ``integer``, ``quantity`` (value and unit), ``percentage``,
    ``day`` (``ANCHOR+DAYS``), ``boolean``, ``list`` (of ``items``) or ``mapping`` (of
    ``fields``)."""
    about: str | None = None
    """What the fact is, one line (shown in the documentation)."""
    required: bool = True
    """Whether case.yaml must give it."""
    units: tuple[str, ...] = ()
    """For a quantity, the units allowed (any unit when empty)."""
    min: float | None = None
    """Lowest allowed value of a number, quantity or percentage."""
    max: float | None = None
    """Highest allowed value."""
    items: FieldSpec | None = None
    """For a list, the type of every item."""
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    """For a mapping, its fields."""


def load_schema(path: Path) -> Loaded[dict[str, FieldSpec]]:
    """Read and check a project's ``case-schema.yaml``."""
    loaded: Loaded[dict[str, FieldSpec]] = load(path, dict[str, FieldSpec])
    errors = Collector()
    for name, spec in _specs(loaded.value, ""):
        where = loaded.where(name)
        last = name.rpartition(".")[2]
        if not last.isidentifier() or keyword.iskeyword(last):
            errors.add(
                InputError(
                    f"{last!r} cannot name a fact",
                    where,
                    hint="use letters, digits and underscores, starting with a letter",
                )
            )
        if spec.type == "list" and spec.items is None:
            errors.add(
                InputError("a list needs `items:`", where, hint="e.g. `items: {type: text}`")
            )
        if spec.type == "mapping" and not spec.fields:
            errors.add(InputError("a mapping needs `fields:`", where, hint="list its fields"))
        if spec.units and spec.type != "quantity":
            errors.add(InputError(f"`units:` applies to quantities, not to a {spec.type}", where))
    errors.raise_if_any()
    return loaded


def facts_class(schema: dict[str, FieldSpec]) -> type:
    """The dataclass ``facts:`` in case.yaml is read into."""
    return _mapping_class("facts", schema)


def check_facts(loaded: Loaded[Any], schema: dict[str, FieldSpec], errors: Collector) -> None:
    """The limits a schema states: units of quantities and ranges of numbers."""
    facts = getattr(loaded.value, "facts", None)
    if facts is None:
        return
    for path, spec, value in _values(facts, schema, "facts"):
        if value is None:
            continue
        if isinstance(value, Quantity):
            if spec.units and value.unit not in spec.units:
                errors.add(
                    InputError(
                        f"unit {value.unit!r} is not one of {', '.join(spec.units)}",
                        loaded.where(f"{path}.unit"),
                        hint="the project's case-schema.yaml lists the units it allows",
                    )
                )
            if spec.type == "percentage" and value.unit != "%":
                errors.add(
                    InputError(
                        f"{value.value:g} {value.unit} is not a percentage",
                        loaded.where(f"{path}.unit"),
                        hint='write `unit: "%"`',
                    )
                )
            amount = value.value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            amount = float(value)
        else:
            continue
        if (spec.min is not None and amount < spec.min) or (
            spec.max is not None and amount > spec.max
        ):
            bounds = f"{'' if spec.min is None else f'{spec.min:g}'}–"
            bounds += "" if spec.max is None else f"{spec.max:g}"
            errors.add(
                InputError(
                    f"{amount:g} is outside the allowed range {bounds}",
                    loaded.where(path),
                    hint="check the value; the range comes from case-schema.yaml",
                )
            )


def _python_type(name: str, spec: FieldSpec) -> Any:
    simple: dict[str, Any] = {
        "text": str,
        "number": float,
        "integer": int,
        "quantity": Quantity,
        "percentage": Quantity,
        "day": DayRef,
        "boolean": bool,
    }
    if spec.type == "list":
        assert spec.items is not None
        return tuple[_python_type(name, spec.items), ...]  # type: ignore[misc]
    if spec.type == "mapping":
        return _mapping_class(name, spec.fields)
    return simple[spec.type]


def _mapping_class(name: str, specs: dict[str, FieldSpec]) -> type:
    required = [(key, _python_type(key, spec)) for key, spec in specs.items() if spec.required]
    optional = [
        (key, _python_type(key, spec) | None, field(default=None))
        for key, spec in specs.items()
        if not spec.required
    ]
    cls = make_dataclass(name, [*required, *optional], frozen=True)
    cls.__doc__ = f"The project's {name!r} facts."
    return cls


def _specs(specs: dict[str, FieldSpec], prefix: str) -> list[tuple[str, FieldSpec]]:
    found = []
    for name, spec in specs.items():
        path = f"{prefix}.{name}" if prefix else name
        found.append((path, spec))
        found += _specs(spec.fields, f"{path}.fields")
        if spec.items is not None:
            found += _specs({"items": spec.items}, path)
    return found


def _values(value: Any, specs: dict[str, FieldSpec], path: str) -> list[tuple[str, FieldSpec, Any]]:
    found = []
    for name, spec in specs.items():
        here = getattr(value, name, None)
        found += _value(here, spec, f"{path}.{name}")
    return found


def _value(value: Any, spec: FieldSpec, path: str) -> list[tuple[str, FieldSpec, Any]]:
    if spec.type == "mapping" and is_dataclass(value):
        return _values(value, spec.fields, path)
    if spec.type == "list" and isinstance(value, tuple) and spec.items is not None:
        items = spec.items
        return [v for i, item in enumerate(value) for v in _value(item, items, f"{path}.{i}")]
    return [(path, spec, value)]
