"""``casekit revise``: the manuscript at a git revision against the working tree, as a
tracked-changes DOCX and highlighted, line-numbered PDF and DOCX.

revision → export it → render both → compare → typeset three copies → write all or none.

Both sides are built by the same machinery as ``casekit build``: the old one from the
project's files as git holds them at the revision (exported into the build's private
work folder), planned with the same journal. Each is rendered, checked and cited by
pandoc into a JSON document; :mod:`casekit.revising.diff` compares the two; pandoc and
Typst then write the marked document with the new side's job (its Word styles, page
design and figures). Nothing is written to the output folder until all three copies are
made, and each then replaces its predecessor by an atomic rename.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from casekit.building.job import make_job
from casekit.building.plan import Plan, Request, make_plan
from casekit.building.prepare import prepare
from casekit.core import atomic
from casekit.core.errors import CasekitError
from casekit.core.project import Project, source_date_epoch
from casekit.revising.diff import compare_documents
from casekit.revising.highlight import highlighted, with_change_styles
from casekit.revising.history import (
    Changes,
    Revision,
    RevisionError,
    changes_since,
    export_project,
    find_revision,
)
from casekit.revising.tracked import finish_tracked
from casekit.revising.words import DELETION, INSERTION, Mark, Node, plain
from casekit.typesetting.formats import FORMATS, Job

FOLDER = "revision"
"""The folder, inside the plan's output folder, that holds a revision's copies."""


@dataclass(frozen=True)
class Copy:
    """One file ``casekit revise`` writes: a row of :data:`COPIES`."""

    filename: str
    """Its name in the revision folder."""
    format: str
    """The output format (a row of the format table) that makes it."""
    tracked: bool
    """Tracked changes (Word revisions), or highlighted changes on a line-numbered page."""
    description: str
    """One line for ``--help`` and the README."""


COPIES = {
    c.filename: c
    for c in (
        Copy("manuscript-tracked.docx", "docx", True, "Word revisions, with author and date"),
        Copy("manuscript-highlighted.pdf", "pdf", False, "changes in colour, lines numbered"),
        Copy("manuscript-highlighted.docx", "docx", False, "the same, in Word"),
    )
}
"""Every copy a revision writes; nothing else lists them."""


@dataclass(frozen=True)
class RevisionResult:
    """What ``casekit revise`` wrote."""

    revision: Revision
    """The revision compared with."""
    changes: Changes
    """The author and date the revisions carry."""
    outputs: dict[str, Path]
    """Each copy's file."""
    insertions: int
    """Stretches of text inserted."""
    deletions: int
    """Stretches of text deleted."""


def revision_folder(plan: Plan) -> Path:
    """Where a revision of the planned manuscript goes: ``build/revision/``, or
    ``revision/`` in a journal's folder."""
    return plan.folder / FOLDER


def revise(
    plan: Plan,
    since: str,
    author: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> RevisionResult:
    """Compare the planned manuscript with itself at git revision ``since`` and write the
    marked copies; all of them, or none.

    Raises :class:`~casekit.revising.history.RevisionError` when ``since`` is not a
    revision or the project is not in git, before anything is built."""
    stage = progress or (lambda name: None)
    project = plan.project
    project.check_exists()
    revision = find_revision(project.root, since)
    changes = changes_since(revision, project.root, author)
    mark = Mark(changes.author, changes.date)
    epoch = source_date_epoch(project.root)
    folder = revision_folder(plan)
    for directory in (project.build, folder):
        atomic.sweep(directory)
    with atomic.all_or_nothing(folder) as staged, atomic.workdir(project.build) as work:
        stage(f"render {revision.label}")
        old = _document_at(revision, plan, work, epoch)
        stage("render")
        prepared = prepare(plan)
        new_job = make_job(prepared, _folder(work / "new-job"), epoch)
        new = _cited(new_job)
        stage("compare")
        merged = compare_documents(old, new, mark)
        numbered = replace(prepared, plan=replace(plan, review_layout=True))
        numbered_job = make_job(numbered, _folder(work / "numbered-job"), epoch)
        reference = work / "numbered-job" / "changes-reference.docx"
        reference.write_bytes(with_change_styles(numbered_job.reference_docx.read_bytes()))
        numbered_job = replace(numbered_job, reference_docx=reference)
        title = plain(new["meta"].get("title", {}).get("c", []))

        def produce(copy: Copy) -> bytes:
            if copy.tracked:
                data = FORMATS[copy.format].produce(_reading(new_job, merged, "tracked"))
                return finish_tracked(data, title)
            writer = FORMATS[copy.format].writer or copy.format
            shown = highlighted(merged, writer)
            images = "svg" if writer == "typst" else "png"  # as formats.py has it
            job = _reading(numbered_job, shown, f"highlighted-{copy.format}", images)
            return FORMATS[copy.format].produce(job)

        stage("typeset")
        if plan.jobs == 1:
            made = {name: produce(copy) for name, copy in COPIES.items()}
        else:
            # Each copy is made by its own pandoc (and Typst) process, in its own files.
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=plan.jobs) as pool:
                made = dict(zip(COPIES, pool.map(produce, COPIES.values()), strict=True))
        stage("write")
        for name, data in made.items():
            staged[folder / name] = atomic.stage(folder, name, data)
        atomic.commit(staged)
    insertions, deletions = count_changes(merged)
    outputs = {name: folder / name for name in COPIES}
    return RevisionResult(revision, changes, outputs, insertions, deletions)


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _document_at(revision: Revision, plan: Plan, work: Path, epoch: int) -> Node:
    """The manuscript at ``revision``, exported into ``work``, planned like ``plan``,
    prepared and cited by pandoc. An error in it is reported as the revision's."""
    root = export_project(revision, work / "old")
    # The project's caches hold entries for content the old files share with today's;
    # a copy lets the old side use them without replacing today's entries with its own.
    if plan.project.cache.is_dir():
        shutil.copytree(plan.project.cache, root / "build" / ".cache")
    try:
        request = Request(Project(root), journal=plan.journal_name, review=plan.review)
        prepared = prepare(make_plan(request))
        # Its figures are not drawn: only the new side's are printed.
        prepared = replace(prepared, document=replace(prepared.document, figures=()))
        return _cited(make_job(prepared, _folder(work / "old-job"), epoch))
    except CasekitError as error:
        errors = error.errors
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise RevisionError(
            f"the manuscript at {revision.label} does not build: {errors[0].one_line(root)}{more}"
        ) from None


def _cited(job: Job) -> Node:
    """The job's manuscript as pandoc's JSON document, its citations resolved by citeproc
    (each keeps its keys and the text it prints)."""
    cite = [*(f"--lua-filter={name}" for name in job.filters_before), *job.citeproc_args]
    document: Node = json.loads(job.pandoc("json", cite=cite))
    return document


def _reading(job: Job, document: Node, name: str, images: str = "png") -> Job:
    """``job`` made to read ``document``, whose citations are already resolved; an image
    named without extension (casekit's figures) gets ``images``, as pandoc's
    ``--default-image-extension`` would have given it reading Markdown."""
    path = job.work / f"{name}.json"
    document = _image_extension(document, images)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    # The marked copies carry no anchors: their text is two manuscripts' (a returned one is
    # matched by its text, revising/comments.py).
    return replace(
        job,
        markdown=path,
        reader="json",
        citeproc_args=(),
        filters_before=(),
        anchors=None,
        filters_docx=(),
    )


def _image_extension(value: Any, extension: str) -> Any:
    if isinstance(value, list):
        return [_image_extension(item, extension) for item in value]
    if not isinstance(value, dict):
        return value
    if value.get("t") == "Image":
        attr, caption, (src, title) = value["c"]
        if src and not Path(src).suffix:
            src = f"{src}.{extension}"
        return {"t": "Image", "c": [attr, _image_extension(caption, extension), [src, title]]}
    return {key: _image_extension(item, extension) for key, item in value.items()}


def count_changes(document: Any) -> tuple[int, int]:
    """(insertions, deletions): the change spans in ``document``."""
    found = {INSERTION: 0, DELETION: 0}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if value.get("t") == "Span":
                for kind in value["c"][0][1]:
                    if kind in found:
                        found[kind] += 1
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    return found[INSERTION], found[DELETION]
