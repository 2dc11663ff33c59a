"""Built outputs read back and compared with what the sources say they must print.

Used by ``casekit check``: an output is compared only when its manifest entry says it
was built from the current inputs (otherwise it is reported stale). The numbers it
prints are compared group by group with casekit's own numbering, and its reference
list with the cited keys.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from casekit.building.manifest import changed_inputs, input_hashes
from casekit.checks.problems import Problem
from casekit.core.errors import CasekitError, Location
from casekit.core.project import Project
from casekit.references.citations import Citation, expected_groups
from casekit.references.styles import resolve_style
from casekit.typesetting.readback import READERS, Look, Printed, normal

MANIFEST = "manifest.json"


def _stale(project: Project, output: Path, hashes: dict[str, str]) -> str | None:
    """Why ``output`` may not match the sources, or None if it is current."""
    try:
        manifest = json.loads((output.parent / MANIFEST).read_text(encoding="utf-8"))
        record = manifest["outputs"][output.name]
    except (OSError, ValueError, KeyError, TypeError):
        return "build/manifest.json does not say what it was built from"
    if changed_inputs(project, record, hashes, manifest.get("inputs", {})) != []:
        return "its inputs changed since it was built"
    if record.get("sha256") != hashlib.sha256(output.read_bytes()).hexdigest():
        return "the file changed after it was built"
    return None


def compare_outputs(
    project: Project,
    out: Path,
    style_spec: tuple[str, Location],
    first: str,
    citations: list[Citation],
    references: int,
    problems: list[Problem],
) -> Iterator[str]:
    built = [ext for ext in READERS if (out / f"manuscript.{ext}").is_file()]
    if not built:
        return
    hashes = input_hashes(project)
    for ext in list(built):
        path = out / f"manuscript.{ext}"
        why = _stale(project, path, hashes)
        if why is not None:
            built.remove(ext)
            problems.append(
                Problem(
                    "stale-output",
                    Location(path),
                    f"{path.name} not compared: {why}",
                    "rebuild it first, or run `casekit check --built`",
                )
            )
    try:
        style = resolve_style(style_spec[0], project.root, style_spec[1])
    except CasekitError as exc:
        problems.append(Problem.from_error("project-unreadable", exc))
        return
    look = Look.from_csl(style.path.read_text(encoding="utf-8"))
    if look is None:
        return  # author-date or note style: there are no numbers to compare
    expected = tuple(normal(g) for g in expected_groups(citations))
    for ext in built:
        path = out / f"manuscript.{ext}"
        try:
            printed = READERS[ext](path, look, first)
        except Exception as exc:
            problems.append(
                Problem("unreadable-output", Location(path), f"cannot read {path.name}: {exc}")
            )
            continue
        problems += differences(path, expected, printed, references)
        yield ext


def differences(
    path: Path, expected: tuple[str, ...], printed: Printed, references: int
) -> Iterator[Problem]:
    where = Location(path)
    for i, (want, got) in enumerate(zip(expected, printed.groups, strict=False), start=1):
        if want != got:
            yield Problem(
                "printed-mismatch",
                where,
                f"citation {i} prints [{got}] but the sources give [{want}]",
                "rebuild; if it persists, the style or a filter changed the numbering",
            )
            break  # later groups shift once one differs; the first difference is the news
    if len(printed.groups) != len(expected):
        yield Problem(
            "printed-mismatch",
            where,
            f"{len(printed.groups)} citations printed, {len(expected)} in the sources",
            "a citation was lost or added between source and output; rebuild",
        )
    if printed.references != references:
        yield Problem(
            "reference-count",
            where,
            f"reference list has {printed.references} entries, {references} keys are cited",
            "every cited key needs exactly one entry in the list",
        )
    highest = max((int(n) for g in printed.groups for n in _numbers(g)), default=0)
    if highest > printed.references:
        yield Problem(
            "reference-count",
            where,
            f"the text prints number {highest}, the reference list stops at {printed.references}",
            "rebuild; a number without an entry is a broken citation",
        )


def _numbers(label: str) -> list[str]:
    return [n for n in label.replace("–", ",").split(",") if n.isdigit()]
