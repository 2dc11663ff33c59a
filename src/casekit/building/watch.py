"""``casekit watch``: rebuild whenever an input changes, in one warm process.

Authors rebuild dozens of times an hour. A warm process pays Python's start-up
and imports once, so each rebuild costs about what pandoc and Typst cost. Inputs
are polled (size and modification time of every file a build reads), which needs
no extra dependency and works on every file system.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from threading import Event

from casekit.building.manifest import output_inputs
from casekit.building.pipeline import BuildResult, build
from casekit.building.plan import Plan, Request, make_plan
from casekit.core.errors import CasekitError
from casekit.core.project import Project

Snapshot = dict[Path, tuple[int, int]]


@dataclass(frozen=True)
class Rebuild:
    """The outcome of one rebuild."""

    seconds: float
    """Wall time of the build."""
    result: BuildResult | None
    """What it wrote, or None if it failed."""
    error: CasekitError | None
    """Why it failed (the previous outputs are untouched)."""


def snapshot(project: Project) -> Snapshot:
    """Size and modification time of every input."""
    state: Snapshot = {}
    for path in project.input_files():
        try:
            stat = path.stat()
        except OSError:
            continue
        state[path] = (stat.st_mtime_ns, stat.st_size)
    return state


def affected(plan: Plan, changed: set[Path]) -> tuple[str, ...]:
    """The plan's formats whose outputs read one of the ``changed`` files (all of them when
    a file disappeared: the next build must say what is missing)."""
    if any(not path.exists() for path in changed):
        return plan.formats
    project = plan.project
    names = {path.relative_to(project.root).as_posix() for path in changed}
    files = project.input_files()
    return tuple(f for f in plan.formats if names & set(output_inputs(plan, f, files)))


def watch(
    request: Request,
    report: Callable[[Rebuild], None],
    stop: Event,
    interval: float = 0.25,
    unread: Callable[[set[Path]], None] | None = None,
) -> int:
    """Build now and after every change until ``stop`` is set; returns the builds made.

    Each rebuild is planned afresh (an edit can change the style or the journal's
    formats). After a good build, a change rebuilds only the formats whose outputs
    read the changed file: an edit to the Typst template leaves the DOCX alone, and an
    edit to another journal's profile rebuilds nothing (``unread`` is told the files).
    """
    project = request.project
    builds = 0
    seen: Snapshot | None = None
    last: Plan | None = None  # the last good build's plan: what a change may leave alone
    while not stop.is_set():
        current = snapshot(project)
        if current != seen:
            changed: set[Path] = set()
            if seen is not None:
                changed = {p for p in current.keys() | seen.keys() if current.get(p) != seen.get(p)}
            seen = current
            todo = last.only(affected(last, changed)) if last and changed else None
            if todo is not None and not todo.formats:
                if unread is not None:
                    unread(changed)
                stop.wait(interval)
                continue
            started = time.perf_counter()
            try:
                full = make_plan(request)
                same = last is not None and _same(full, last)
                result: BuildResult | None = build(
                    full.only(todo.formats) if todo is not None and same else full
                )
                error: CasekitError | None = None
            except CasekitError as exc:
                result, error = None, exc
            report(Rebuild(time.perf_counter() - started, result, error))
            builds += 1
            # After a failure, the next change rebuilds everything.
            last = full if result is not None else None
            seen = snapshot(project)  # what the build read, not what it wrote
        stop.wait(interval)
    return builds


def _same(plan: Plan, other: Plan) -> bool:
    """Whether two plans make the same formats in the same folder with the same style."""
    return (plan.style, plan.folder, plan.formats) == (other.style, other.folder, other.formats)
