"""``casekit verify``: do the outputs in build/ still match their manifest and inputs?

Each manifest records, per output, its SHA-256, the inputs it read with their
hashes, and the CSL style it was built with, plus the versions of casekit, pandoc,
Typst and Python. Verifying recomputes all of these: an output is *current* only if
its bytes, its inputs, its style and the tools are the ones recorded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from casekit import __version__
from casekit.building.manifest import (
    MANIFEST,
    Manifest,
    changed_inputs,
    input_hashes,
    manifests,
    read_manifest,
)
from casekit.building.plan import Plan
from casekit.building.tools import tool_versions
from casekit.core.errors import CasekitError, InputError, Location
from casekit.core.project import Project
from casekit.references.styles import resolve_style
from casekit.typesetting.formats import format_for

State = Literal["current", "stale", "modified", "missing", "unrecorded"]


@dataclass(frozen=True)
class OutputStatus:
    """One output and whether it is current."""

    path: Path
    """The output file."""
    state: State
    """current, stale (inputs, style or tools changed), modified (bytes changed), missing,
    or unrecorded (an output no manifest records, e.g. after its manifest was deleted)."""
    detail: str
    """Why, in words."""


def verify(project: Project, folders: list[Path] | None = None) -> list[OutputStatus]:
    """The state of every output recorded in the manifests of ``folders`` (default: every
    output folder under build/ that has one)."""
    project.check_exists()
    files = manifests(project) if folders is None else [f / MANIFEST for f in folders]
    files = [f for f in files if f.is_file()]
    if not files and folders is None and not _outputs_on_disk(project):
        raise InputError(
            "nothing to verify: no build/manifest.json",
            Location(project.build),
            hint="build first, e.g. `casekit build pdf docx`",
        )
    current_inputs = input_hashes(project)
    tools_now = tool_versions(project.cache)
    statuses: list[OutputStatus] = []
    styles_now: dict[str, str | None] = {}
    for manifest_path in files:
        manifest = read_manifest(manifest_path)
        tool_change = [
            f"{name} {manifest.tools.get(name)} → {version}"
            for name, version in tools_now.items()
            if manifest.tools.get(name) != version
        ]
        if manifest.casekit != __version__:
            tool_change.append(f"casekit {manifest.casekit} → {__version__}")
        for name, record in sorted(manifest.outputs.items()):
            path = manifest_path.parent / name
            changed = changed_inputs(project, record, current_inputs, manifest.inputs)
            style = _style_change(project, manifest, name, styles_now)
            statuses.append(_status(path, record, changed, style, tool_change))
    if folders is None:
        recorded = {status.path for status in statuses}
        statuses += [
            OutputStatus(path, "unrecorded", "no manifest records how it was built")
            for path in _outputs_on_disk(project)
            if path not in recorded
        ]
    return statuses


def _outputs_on_disk(project: Project) -> list[Path]:
    """Every file under build/ named like an output of some format, in every output folder."""
    build = project.build
    folders = [build, build / "review", *sorted(build.glob("*/")), *sorted(build.glob("*/review/"))]
    return [
        path
        for folder in dict.fromkeys(folders)
        for path in sorted(folder.glob("manuscript.*"))
        if format_for(path.name) is not None
    ]


def current_outputs(project: Project, folder: Path) -> set[Path]:
    """The outputs in ``folder`` that are current (none when nothing was built there)."""
    return {s.path for s in verify(project, [folder]) if s.state == "current"}


def outdated(plan: Plan) -> Plan:
    """The part of ``plan`` whose outputs are not current (bytes, inputs, style and tools
    as recorded); it makes no format when every output is current."""
    current = current_outputs(plan.project, plan.folder)
    return plan.only(tuple(f for f in plan.formats if plan.output(f) not in current))


def _style_change(
    project: Project, manifest: Manifest, filename: str, now: dict[str, str | None]
) -> str | None:
    """How the style an output was built with differs from that style today, if it does
    (a catalogue style updated with casekit's dependencies, or a .csl file edited)."""
    recorded = manifest.style_of(filename)
    name = recorded.get("name")
    if not isinstance(name, str):
        return None  # a manifest from before styles were recorded
    if name not in now:
        try:
            now[name] = resolve_style(name, project.root).sha256
        except CasekitError:
            now[name] = None
    if now[name] is None:
        return f"its style {name!r} can no longer be found"
    if now[name] != recorded.get("sha256"):
        return f"its style {name!r} changed since it was built"
    return None


def _status(
    path: Path,
    record: dict[str, Any],
    changed: list[str] | None,
    style: str | None,
    tools: list[str],
) -> OutputStatus:
    if not path.is_file():
        return OutputStatus(path, "missing", "recorded in the manifest but not on disk")
    if hashlib.sha256(path.read_bytes()).hexdigest() != record.get("sha256"):
        return OutputStatus(path, "modified", "its bytes differ from those the build wrote")
    if changed is None:
        return OutputStatus(path, "stale", "built from earlier inputs than the manifest's")
    if changed:
        why = ", ".join(changed[:3]) + (" …" if len(changed) > 3 else "")
        return OutputStatus(path, "stale", f"inputs changed since it was built: {why}")
    if style:
        return OutputStatus(path, "stale", style)
    if tools:
        return OutputStatus(path, "stale", "built with other tools: " + "; ".join(tools))
    return OutputStatus(path, "current", "bytes, inputs, style and tools match the manifest")
