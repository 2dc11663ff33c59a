"""The manifest: what each output folder holds, how it was built, and what each output read.

Every output depends on the manuscript data, the store and the templates, but not
on everything: the Typst template matters to the PDF only, the Word reference
document to the DOCX only, and a journal profile only to that journal's outputs.
The manifest records, per output, the inputs it read with their hashes, so
``casekit verify`` and ``casekit check`` call an output stale only when one of
*its* inputs changed, and say which. The manifest also records the build's plan (journal,
review, folder, and the style with its citation look), and each output the style it
was built with, so that check and verify read what was built instead of working it
out again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casekit import __version__
from casekit.core.errors import InputError, Location
from casekit.core.project import Project
from casekit.references.styles import Look, resolve_style
from casekit.typesetting.formats import FORMATS, REFERENCE_DOCX

if TYPE_CHECKING:
    from casekit.building.plan import Plan

MANIFEST = "manifest.json"
"""The manifest's name in every output folder."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def input_hashes(project: Project) -> dict[str, str]:
    """SHA-256 of every input file, by path relative to the project."""
    return {_name(project, p): sha256(p.read_bytes()) for p in project.input_files()}


def inputs_digest(hashes: Mapping[str, str | None]) -> str:
    """One hash for a set of inputs: what each output records it was built from."""
    return sha256(json.dumps(dict(hashes), sort_keys=True).encode("utf-8"))


def output_inputs(plan: Plan, format_name: str, files: list[Path] | None = None) -> list[str]:
    """The inputs an output of ``format_name`` reads, relative to the project.

    Every input, except the files that only another format reads (the format table's
    ``reads``: the Typst templates for the PDF, reference.docx for the DOCX, which a
    journal's or review copy's DOCX does not read either, its Word styles being made
    from the layout), and the journal profiles other than the plan's. A style given
    as a CSL file of the project's own is an input too. ``files`` are the project's
    inputs, when the caller has listed them.
    """
    project = plan.project
    own = set(FORMATS[format_name].reads)
    if not plan.own_reference_docx:
        own.discard(REFERENCE_DOCX)
    others = {r for f in FORMATS.values() for r in f.reads} - own
    profiles = project.templates / "journals"
    kept = []
    for path in project.input_files() if files is None else files:
        name = _name(project, path)
        if any(name == r or (r.endswith("/") and name.startswith(r)) for r in others):
            continue
        if path.parent == profiles and path.stem != plan.journal_name:
            continue
        kept.append(name)
    style = plan.style.path.resolve()
    if style.is_relative_to(project.root.resolve()):
        name = style.relative_to(project.root.resolve()).as_posix()
        if name not in kept:
            kept.append(name)
    return kept


def changed_inputs(
    project: Project,
    record: Mapping[str, object],
    hashes: Mapping[str, str],
    recorded: Mapping[str, str],
) -> list[str] | None:
    """The inputs of a manifest's output ``record`` whose content differs from ``hashes``
    (the inputs as they are now, read from disk for inputs ``hashes`` lacks, such as a
    project's own .csl file); [] when it is current.

    A record names the inputs it read with their hashes (``depends``). An older record
    holds one digest of every input (``inputs``) instead: then every input counts,
    compared with the manifest's own ``recorded`` hashes; None when those match and
    only the digest differs (the output was built from inputs the manifest no longer
    lists).
    """
    depends = record.get("depends")
    if isinstance(depends, dict):
        return sorted(
            name for name, digest in depends.items() if _now(project, name, hashes) != digest
        )
    if record.get("inputs") == inputs_digest(hashes):
        return []
    changed = sorted(n for n in set(recorded) | set(hashes) if recorded.get(n) != hashes.get(n))
    return changed or None


def with_hashes(project: Project, names: Iterable[str], hashes: dict[str, str]) -> dict[str, str]:
    """``hashes`` plus those of ``names`` it lacks (a project's own .csl file)."""
    return {**hashes, **{n: h for n in names if (h := _now(project, n, hashes)) is not None}}


def _now(project: Project, name: str, hashes: Mapping[str, str]) -> str | None:
    if name in hashes:
        return hashes[name]
    path = project.root / name
    return sha256(path.read_bytes()) if path.is_file() else None


def _name(project: Project, path: Path) -> str:
    return path.relative_to(project.root).as_posix()


def manifest_bytes(
    plan: Plan,
    epoch: int,
    tools: Mapping[str, str],
    files: Mapping[str, bytes],
    inputs_of: Mapping[str, list[str]],
    keys: list[str],
) -> bytes:
    """The manifest of ``plan.folder`` after this build: the tools, the plan, the input
    hashes, the cited keys, and per output its hash, the style it was built with and
    the inputs it read. Outputs of earlier builds into the same folder are kept."""
    try:
        previous = dict(read_manifest(plan.manifest).outputs)
    except InputError:
        previous = {}
    project = plan.project
    inputs = with_hashes(
        project, {n for names in inputs_of.values() for n in names}, input_hashes(project)
    )
    style = plan.style.to_json()
    produced = {
        filename: {
            "sha256": sha256(data),
            "bytes": len(data),
            "style": style,
            "depends": {name: inputs[name] for name in inputs_of[filename]},
        }
        for filename, data in files.items()
    }
    manifest = {
        "casekit": __version__,
        "tools": dict(tools),
        "plan": plan.record(),
        "style": style,
        "source_date_epoch": epoch,
        "command": list(plan.command),
        "inputs": inputs,
        "references": keys,
        "outputs": dict(sorted({**previous, **produced}.items())),
    }
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Manifest:
    """A manifest read back: what one output folder holds, and how it was built."""

    path: Path
    """The manifest file."""
    casekit: str | None
    """The casekit version of the last build."""
    tools: dict[str, str]
    """pandoc, typst and python versions of the last build."""
    inputs: dict[str, str]
    """Every input's hash at the last build, by path relative to the project."""
    outputs: dict[str, dict[str, Any]]
    """Per output file name: its hash, style and the inputs it read."""
    style: dict[str, Any]
    """The last build's style (older manifests record no style per output)."""

    def style_of(self, filename: str) -> dict[str, Any]:
        """The style an output was built with, as recorded."""
        record = self.outputs.get(filename, {})
        style = record.get("style")
        return style if isinstance(style, dict) else self.style

    def look_of(self, filename: str, base: Path) -> Look | None:
        """How an output prints its citations: as recorded, or for a manifest from before
        looks were recorded, by resolving the recorded style (``base``: the project)."""
        style = self.style_of(filename)
        if "look" in style:
            return Look.from_json(style["look"])
        return resolve_style(
            str(style["name"]), base, Location(self.path, None, None, "style")
        ).look


def read_manifest(path: Path) -> Manifest:
    """Read a manifest; a located error when it is missing or of another shape."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(
            path,
            data.get("casekit"),
            dict(data["tools"]),
            dict(data["inputs"]),
            {str(k): dict(v) for k, v in data["outputs"].items()},
            dict(data.get("style") or {}),
        )
    except FileNotFoundError:
        raise InputError(
            "no manifest: nothing was built here", Location(path), hint="build first"
        ) from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise InputError(
            "manifest is unreadable", Location(path), hint="rebuild to rewrite it"
        ) from None


def manifests(project: Project) -> list[Path]:
    """Every manifest under build/: the default build, journals and review copies."""
    found = [project.build / MANIFEST, *sorted(project.build.glob(f"*/{MANIFEST}"))]
    found += sorted(project.build.glob(f"*/review/{MANIFEST}"))
    return [m for m in found if m.is_file()]
