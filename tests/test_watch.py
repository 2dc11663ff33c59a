"""``casekit watch``: one warm process rebuilding on every change."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from casekit.project import BuildConfig, Project
from casekit.watch import Rebuild, watch


def _wait_for(condition: object, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.05)


def test_watch_rebuilds_after_each_change_and_survives_errors(example: Path) -> None:
    rebuilds: list[Rebuild] = []
    stop = threading.Event()
    config = BuildConfig(Project(example), ("md",))
    thread = threading.Thread(target=watch, args=(config, rebuilds.append, stop, 0.05))
    thread.start()
    try:
        _wait_for(lambda: len(rebuilds) == 1)
        output = example / "build" / "manuscript.md"
        assert rebuilds[0].error is None and output.is_file()
        discussion = example / "templates" / "sections" / "discussion.md.j2"
        text = discussion.read_text(encoding="utf-8")
        discussion.write_text(text + "\nA revised closing line.\n", encoding="utf-8")
        _wait_for(lambda: len(rebuilds) == 2)
        assert "A revised closing line." in output.read_text(encoding="utf-8")
        good = output.read_bytes()
        discussion.write_text(text + "\n{{ broken\n", encoding="utf-8")
        _wait_for(lambda: len(rebuilds) == 3)
        assert rebuilds[2].error is not None and rebuilds[2].error.kind == "template error"
        assert output.read_bytes() == good
        time.sleep(0.3)
        assert len(rebuilds) == 3  # nothing changed, nothing rebuilt
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
