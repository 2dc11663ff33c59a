"""``casekit verify``: do the outputs in build/ still match their manifest and inputs?

Each manifest records, per output, its SHA-256 and a digest of the inputs it was
built from, plus the versions of casekit, pandoc, Typst and Python and the CSL
style's hash. Verifying recomputes all of these: an output is *current* only if
its bytes, its inputs and the tools are the ones recorded.
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from casekit import __version__
from casekit.building.manifest import changed_inputs, input_hashes
from casekit.core.errors import InputError, Location
from casekit.core.project import Project
from casekit.typesetting.pandoc import pandoc_version
from casekit.typesetting.typst_pdf import typst_version

State = Literal["current", "stale", "modified", "missing"]


@dataclass(frozen=True)
class OutputStatus:
    """One output and whether it is current."""

    path: Path
    """The output file."""
    state: State
    """current, stale (inputs or tools changed), modified (bytes changed) or missing."""
    detail: str
    """Why, in words."""


def manifests(project: Project) -> list[Path]:
    """Every manifest under build/: the default build, journals and review copies."""
    found = [project.build / "manifest.json", *sorted(project.build.glob("*/manifest.json"))]
    found += sorted(project.build.glob("*/review/manifest.json"))
    return [m for m in found if m.is_file()]


def verify(project: Project) -> list[OutputStatus]:
    """The state of every output recorded in a manifest."""
    project.check_exists()
    files = manifests(project)
    if not files:
        raise InputError(
            "nothing to verify: no build/manifest.json",
            Location(project.build),
            hint="build first, e.g. `casekit build pdf docx`",
        )
    current_inputs = input_hashes(project)
    tools_now = {"pandoc": pandoc_version(project.cache), "typst": typst_version(),
                 "python": platform.python_version()}  # fmt: skip
    statuses: list[OutputStatus] = []
    for manifest_path in files:
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            outputs = dict(manifest["outputs"])
            recorded_inputs = dict(manifest["inputs"])
            tools = dict(manifest["tools"])
        except (OSError, ValueError, KeyError, TypeError):
            raise InputError(
                "manifest is unreadable", Location(manifest_path), hint="rebuild to rewrite it"
            ) from None
        tool_change = [
            f"{name} {tools.get(name)} → {version}"
            for name, version in tools_now.items()
            if tools.get(name) != version
        ]
        if manifest.get("casekit") != __version__:
            tool_change.append(f"casekit {manifest.get('casekit')} → {__version__}")
        for name, record in sorted(outputs.items()):
            path = manifest_path.parent / name
            changed = changed_inputs(project, record, current_inputs, recorded_inputs)
            statuses.append(_status(path, record, changed, tool_change))
    return statuses


def current_outputs(project: Project) -> set[Path]:
    """The outputs under build/ that are current (none when nothing was built)."""
    if not manifests(project):
        return set()
    return {status.path for status in verify(project) if status.state == "current"}


def _status(
    path: Path, record: dict[str, object], changed: list[str] | None, tools: list[str]
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
    if tools:
        return OutputStatus(path, "stale", "built with other tools: " + "; ".join(tools))
    return OutputStatus(path, "current", "bytes, inputs and tools match the manifest")
