"""``casekit watch``: one warm process rebuilding on every change."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from casekit.building.watch import Rebuild, watch

from .conftest import request_for


def _wait_for(condition: object, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.05)


def test_watch_rebuilds_after_each_change_and_survives_errors(example: Path) -> None:
    rebuilds: list[Rebuild] = []
    stop = threading.Event()
    config = request_for(example, "md")
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


def test_watch_rebuilds_only_the_formats_an_edit_touches(example: Path) -> None:
    rebuilds: list[Rebuild] = []
    unread: list[set[Path]] = []
    stop = threading.Event()
    config = request_for(example, "md", "docx")
    thread = threading.Thread(
        target=watch, args=(config, rebuilds.append, stop, 0.05, unread.append)
    )
    thread.start()
    try:
        _wait_for(lambda: len(rebuilds) == 1)
        assert rebuilds[0].result is not None
        assert set(rebuilds[0].result.outputs) == {"md", "docx"}
        markdown = (example / "build" / "manuscript.md").stat().st_mtime_ns
        reference = example / "templates" / "reference.docx"
        reference.write_bytes(reference.read_bytes())
        os.utime(reference, ns=(time.time_ns() + 10**9,) * 2)
        _wait_for(lambda: len(rebuilds) == 2)
        assert rebuilds[1].result is not None
        assert set(rebuilds[1].result.outputs) == {"docx"}
        assert (example / "build" / "manuscript.md").stat().st_mtime_ns == markdown
        profile = example / "templates" / "journals" / "blood-advances.yaml"
        profile.write_text(profile.read_text(encoding="utf-8") + "\n# note\n", encoding="utf-8")
        _wait_for(lambda: len(unread) == 1)
        assert unread == [{profile}]  # no output of this build reads a journal's profile
        assert len(rebuilds) == 2
        section = example / "templates" / "sections" / "discussion.md.j2"
        section.write_text(section.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
        _wait_for(lambda: len(rebuilds) == 3)
        assert rebuilds[2].result is not None
        assert set(rebuilds[2].result.outputs) == {"md", "docx"}
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
