"""What each output depends on: the inputs it was built from, as hashes and as make rules.

Every output depends on the manuscript data, the store and the templates, but not
on everything: the Typst template matters to the PDF only, the Word reference
document to the DOCX only, and a journal profile only to that journal's outputs.
The manifest records, per output, the inputs it read with their hashes, so
``casekit verify`` and ``casekit check`` call an output stale only when one of
*its* inputs changed, and say which. The build also writes ``.manuscript.EXT.d`` beside
each output, a make rule naming the same inputs, so that ``make`` rebuilds only
the outputs an edit touches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from casekit.core.project import Project


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def input_hashes(project: Project) -> dict[str, str]:
    """SHA-256 of every input file, by path relative to the project."""
    return {_name(project, p): sha256(p.read_bytes()) for p in project.input_files()}


def inputs_digest(hashes: Mapping[str, str | None]) -> str:
    """One hash for a set of inputs: what each output records it was built from."""
    return sha256(json.dumps(dict(hashes), sort_keys=True).encode("utf-8"))


def output_inputs(
    project: Project,
    format_name: str,
    journal: str | None,
    style: Path | None = None,
    review: bool = False,
    files: list[Path] | None = None,
) -> list[str]:
    """The inputs an output of ``format_name`` reads, relative to the project.

    Every input except the Typst template and anything else under templates/pandoc/
    (pdf only), templates/reference.docx (docx only, and not for a journal or review
    copy, whose Word styles are made from the profile's layout), and the journal
    profiles other than ``journal``'s. ``style`` is added when it is a CSL file of the
    project's own. ``files`` are the project's inputs, when the caller has listed them.
    """
    own_reference = format_name == "docx" and journal is None and not review
    pandoc_templates = project.templates / "pandoc"
    profiles = project.templates / "journals"
    kept = []
    for path in project.input_files() if files is None else files:
        if path == project.reference_docx and not own_reference:
            continue
        if path.is_relative_to(pandoc_templates) and format_name != "pdf":
            continue
        if path.parent == profiles and path.stem != journal:
            continue
        kept.append(_name(project, path))
    if style is not None and style.resolve().is_relative_to(project.root.resolve()):
        name = style.resolve().relative_to(project.root.resolve()).as_posix()
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


def make_rule(target: str, inputs: list[str]) -> str:
    """A make rule: ``target`` depends on ``inputs``; each input also gets an empty
    rule of its own, so that deleting one rebuilds the target instead of stopping make."""
    head = _escape(target) + ":" + "".join(f" \\\n  {_escape(name)}" for name in inputs)
    return head + "\n\n" + "".join(f"{_escape(name)}:\n" for name in inputs)


def rule_file(output: Path) -> Path:
    """Where the make rule for ``output`` goes: ``.manuscript.pdf.d`` beside it."""
    return output.with_name(f".{output.name}.d")


def _escape(name: str) -> str:
    return name.replace("$", "$$").replace("#", "\\#").replace(" ", "\\ ")


def _name(project: Project, path: Path) -> str:
    return path.relative_to(project.root).as_posix()
