"""``casekit watch``: rebuild whenever an input changes, in one warm process.

Authors rebuild dozens of times an hour. A warm process pays Python's start-up
and imports once, so each rebuild costs about what pandoc and Typst cost. Inputs
are polled (size and modification time of every file a build reads), which needs
no extra dependency and works on every file system.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from threading import Event

from casekit.building.manifest import output_inputs
from casekit.building.pipeline import BuildResult, build
from casekit.core.errors import CasekitError
from casekit.core.project import BuildConfig

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


def snapshot(config: BuildConfig) -> Snapshot:
    """Size and modification time of every input."""
    state: Snapshot = {}
    for path in config.project.input_files():
        try:
            stat = path.stat()
        except OSError:
            continue
        state[path] = (stat.st_mtime_ns, stat.st_size)
    return state


def affected(config: BuildConfig, formats: tuple[str, ...], changed: set[Path]) -> tuple[str, ...]:
    """The ``formats`` whose outputs read one of the ``changed`` files (all of them when
    a file disappeared: the next build must say what is missing)."""
    if any(not path.exists() for path in changed):
        return formats
    project = config.project
    names = {path.relative_to(project.root).as_posix() for path in changed}
    files = project.input_files()
    return tuple(
        f
        for f in formats
        if names & set(output_inputs(project, f, config.journal, review=config.review, files=files))
    )


def watch(
    config: BuildConfig,
    report: Callable[[Rebuild], None],
    stop: Event,
    interval: float = 0.25,
    unread: Callable[[set[Path]], None] | None = None,
) -> int:
    """Build now and after every change until ``stop`` is set; returns the builds made.

    After a good build, a change rebuilds only the formats whose outputs read the
    changed file: an edit to the Typst template leaves the DOCX alone, and an edit to
    another journal's profile rebuilds nothing (``unread`` is told the files).
    """
    builds = 0
    seen: Snapshot | None = None
    formats: tuple[str, ...] | None = None  # all formats, once a build has said which
    while not stop.is_set():
        current = snapshot(config)
        if current != seen:
            todo = config
            changed: set[Path] = set()
            if seen is not None and formats is not None:
                changed = {p for p in current.keys() | seen.keys() if current.get(p) != seen.get(p)}
                todo = replace(config, formats=affected(config, formats, changed))
            seen = current
            if not todo.formats and formats is not None:
                if unread is not None:
                    unread(changed)
                stop.wait(interval)
                continue
            started = time.perf_counter()
            try:
                result: BuildResult | None = build(todo)
                error: CasekitError | None = None
            except CasekitError as exc:
                result, error = None, exc
            report(Rebuild(time.perf_counter() - started, result, error))
            builds += 1
            if result is not None and formats is None:
                formats = tuple(result.outputs)
            elif result is None:
                formats = None  # after a failure, the next change rebuilds everything
            seen = snapshot(config)  # what the build read, not what it wrote
        stop.wait(interval)
    return builds
