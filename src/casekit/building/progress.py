"""Stage-by-stage progress on a terminal, for builds that take longer than a second.

Quick builds print nothing; so do builds whose output is piped or run with -q.
The build calls the reporter with each stage's name; a timer shows the current
stage once a second has passed, and every later stage as it starts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TextIO

DELAY = 1.0
"""Seconds before anything is shown."""


class Progress:
    """Calls of ``progress(stage)`` become ``casekit: typeset…`` lines on a terminal."""

    def __init__(self, stream: TextIO, delay: float = DELAY):
        self.stream = stream
        self.delay = delay
        self.started = time.monotonic()
        self.current: str | None = None
        self.showing = False
        self.lock = threading.Lock()
        self.timer = threading.Timer(delay, self._reveal)
        self.timer.daemon = True
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())
        if self.enabled:
            self.timer.start()

    def __call__(self, stage: str) -> None:
        with self.lock:
            self.current = stage
            if self.showing:
                self._show()

    def _reveal(self) -> None:
        with self.lock:
            self.showing = True
            if self.current is not None:
                self._show()

    def _show(self) -> None:
        elapsed = time.monotonic() - self.started
        self.stream.write(f"\r\x1b[Kcasekit: {self.current}… ({elapsed:.1f} s)")
        self.stream.flush()

    def close(self) -> None:
        """Stop the timer and clear the progress line."""
        self.timer.cancel()
        with self.lock:
            if self.showing:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
            self.showing = False


class FormatSteps:
    """Progress of formats made at once, shown as one stage: "typeset pdf; cite docx"."""

    def __init__(self, formats: list[str], stage: Callable[[str], None]):
        self.status = dict.fromkeys(formats, "waiting")
        self.stage = stage
        self.lock = threading.Lock()

    def reporter(self, name: str) -> Callable[[str], None]:
        """What format ``name`` calls with each new step."""
        return lambda step: self.step(name, step)

    def step(self, name: str, step: str) -> None:
        with self.lock:
            self.status[name] = step
            by_step: dict[str, list[str]] = {}
            for format_name, current in self.status.items():
                by_step.setdefault(current, []).append(format_name)
            self.stage("; ".join(f"{s} {', '.join(names)}" for s, names in by_step.items()))
