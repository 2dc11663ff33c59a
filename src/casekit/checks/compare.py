"""Built outputs read back and compared with what the sources say they must print.

Used by ``casekit check``: an output is compared only when its manifest entry says it
was built from the current inputs (otherwise it is reported stale), and in the
citation look of the style the manifest says it was built with. The numbers it
prints are compared group by group with casekit's own numbering, and its reference
list with the cited keys.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from casekit import __version__
from casekit.building.manifest import (
    MANIFEST,
    Manifest,
    changed_inputs,
    input_hashes,
    read_manifest,
)
from casekit.checks.problems import Problem
from casekit.checks.reflist import reference_list_problems
from casekit.core import cachefile
from casekit.core.errors import CasekitError, Location
from casekit.core.project import Project
from casekit.references.citations import Citation, expected_groups
from casekit.references.store import Store
from casekit.references.styles import Look
from casekit.rendering.headings import Headings
from casekit.typesetting.formats import Format, readable_in
from casekit.typesetting.readback import Printed, normal


def _stale(
    project: Project, manifest: Manifest | None, output: Path, hashes: dict[str, str]
) -> str | None:
    """Why ``output`` may not match the sources, or None if it is current."""
    record = manifest.outputs.get(output.name) if manifest else None
    if manifest is None or record is None:
        where = (output.parent / MANIFEST).relative_to(project.root).as_posix()
        return f"{where} does not say what it was built from"
    if changed_inputs(project, record, hashes, manifest.inputs) != []:
        return "its inputs changed since it was built"
    if record.get("sha256") != hashlib.sha256(output.read_bytes()).hexdigest():
        return "the file changed after it was built"
    return None


def compare_outputs(
    project: Project,
    folder: Path,
    headings: Headings,
    citations: list[Citation],
    cited: Sequence[str],
    store: Store | None,
    problems: list[Problem],
) -> Iterator[str]:
    """Read back every output in ``folder`` that casekit can read, and compare what it
    prints with the sources, in the citation look of the style it was built with (as
    its manifest records); then check the reference lists they print, each defect once
    for all the outputs that print it. ``cited``: the cited keys in order of first
    citation. Yields the names of the formats compared."""
    built = readable_in(folder)
    if not built:
        return
    try:
        manifest: Manifest | None = read_manifest(folder / MANIFEST)
    except CasekitError:
        manifest = None
    hashes = input_hashes(project)
    expected = tuple(normal(g) for g in expected_groups(citations))
    listed: dict[Path, tuple[str, ...]] = {}
    for row in built:
        path = folder / row.filename
        why = _stale(project, manifest, path, hashes)
        if why is not None or manifest is None or row.reader is None:
            problems.append(
                Problem(
                    "stale-output",
                    Location(path),
                    f"{path.name} not compared: {why}",
                    "rebuild it first, or run `casekit check --built`",
                )
            )
            continue
        try:
            look = manifest.look_of(path.name, project.root)
        except CasekitError as exc:
            problems.append(Problem.from_error("project-unreadable", exc))
            continue
        if look is None or not look.readable:
            style = manifest.style_of(path.name).get("name")
            problems.append(
                Problem(
                    "output-not-compared",
                    Location(path),
                    f"{path.name} not compared: its style {style!r} prints "
                    + ("author-date citations" if look is None else "bare numbers")
                    + ", which casekit does not read back",
                )
            )
            continue
        try:
            printed = _read_back(project, row, path, manifest, look, headings)
        except Exception as exc:
            problems.append(
                Problem("unreadable-output", Location(path), f"cannot read {path.name}: {exc}")
            )
            continue
        problems += differences(path, expected, printed, len(cited))
        if printed.entries:  # a structured list (JATS) prints none to check
            listed[path] = printed.entries
        yield row.name
    problems += reference_list_problems(listed, cited, store)


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
    if printed.soft_hyphens:
        yield Problem(
            "soft-hyphen",
            where,
            f"{printed.soft_hyphens} hyphen(s) in {path.name} copy and read as soft hyphens "
            "(U+00AD), DOIs and drug names included",
            "the Typst template hyphenates words, and the PDF maps a glyph to one character: "
            "add `#set text(hyphenate: false)` to templates/pandoc/manuscript.typ",
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


READBACK_VERSION = 2
"""Bump when a reader changes what it returns: cached read-backs of older readers go."""


def _read_back(
    project: Project,
    row: Format,
    path: Path,
    manifest: Manifest,
    look: Look,
    headings: Headings,
) -> Printed:
    """What an output prints, read once per content: a repeated check of outputs that did
    not change reads them from ``build/.cache`` (pypdf takes about 17 ms a page), keyed by
    the output's hash as its manifest records it (checked current just before), the look
    and the headings."""
    assert row.reader is not None
    key = [__version__, row.name, manifest.outputs[path.name].get("sha256"), look.to_json(),
           [headings.first, headings.references]]  # fmt: skip
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode("utf-8")).hexdigest()
    file = project.cache / f"readback-{row.name}-{digest}.json"
    cached = cachefile.read(file, READBACK_VERSION, digest)
    if cached is not None:
        try:
            return Printed(
                tuple(cached["groups"]),
                int(cached["references"]),
                tuple(cached["entries"]),
                int(cached["soft_hyphens"]),
            )
        except (KeyError, TypeError, ValueError):
            pass  # a record of another shape: read the output again
    printed = row.reader(path, look, headings)
    record = {
        "groups": list(printed.groups),
        "references": printed.references,
        "entries": list(printed.entries),
        "soft_hyphens": printed.soft_hyphens,
    }
    cachefile.write(file, READBACK_VERSION, digest, record, f"readback-{row.name}-*.json")
    return printed
