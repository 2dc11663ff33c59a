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

from .build import BuildResult, build
from .errors import CasekitError
from .project import BuildConfig

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


def watch(
    config: BuildConfig,
    report: Callable[[Rebuild], None],
    stop: Event,
    interval: float = 0.25,
) -> int:
    """Build now and after every change until ``stop`` is set; returns the builds made."""
    builds = 0
    seen: Snapshot | None = None
    while not stop.is_set():
        current = snapshot(config)
        if current != seen:
            seen = current
            started = time.perf_counter()
            try:
                result: BuildResult | None = build(config)
                error: CasekitError | None = None
            except CasekitError as exc:
                result, error = None, exc
            report(Rebuild(time.perf_counter() - started, result, error))
            builds += 1
            seen = snapshot(config)  # what the build read, not what it wrote
        stop.wait(interval)
    return builds
