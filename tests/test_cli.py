"""The command line: help everywhere, and one clear line for every kind of bad input.

Each folder under tests/scenarios/ is one failure an author can cause. Its
scenario.yaml says how to break a copy of the example project (``edits``), how to
run casekit (``args``, ``env``) and what the author must see (``stderr``
fragments, in order: file:line first, then the message and hint). A scenario with
several mistakes in one file lists the fragments of each line it must print, in
order (``stderr-lines``). Lines that do not start with ``casekit: `` continue the
one before (the waivers printed after suspected identifiers): ``stderr-more`` lists
lines that must be among them, and ``absent-from-stderr`` text that must not appear.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from casekit.cli.commands import main

from .conftest import plan_for
from .scenario import all_scenarios, build_state, run_scenario, slow_pandoc


@pytest.mark.parametrize("scenario", all_scenarios(), ids=lambda p: p.name)
def test_bad_input_gives_one_located_line_per_mistake(
    scenario: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = run_scenario(scenario, tmp_path, monkeypatch)
    result, spec = outcome.result, outcome.spec
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == spec.get("exit", 1)
    expected = spec.get("stderr-lines") or [spec["stderr"]]
    every = result.stderr.strip().splitlines()
    lines = [line for line in every if line.startswith("casekit: ")]
    assert len(lines) == len(expected), result.stderr
    assert every[0] == lines[0], result.stderr
    for more in spec.get("stderr-more", []):
        assert more in every, f"{more!r} not a line of: {result.stderr}"
    for text in spec.get("absent-from-stderr", []):
        assert text not in result.stderr
    assert "Traceback" not in result.output
    for line, fragments in zip(lines, expected, strict=True):
        assert line.startswith("casekit: ")
        position = 0
        for fragment in fragments:
            found = line.find(fragment, position)
            assert found >= 0, f"{fragment!r} not in order in: {line}"
            position = found
    assert build_state(outcome.project) == outcome.before, "a failed build changed build/"
    if spec.get("prebuild", True):
        assert "manuscript.md" in outcome.before


def _commands() -> list[list[str]]:
    return [[], *([name] for name in main.commands)]


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "casekit")
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    doc = (main.commands[command[0]] if command else main).help
    assert doc and len(doc.strip()) > 20


def test_unknown_format_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["build", "pfd"])
    assert result.exit_code == 2
    assert "'pfd' is not one of" in result.stderr


def test_real_process_reports_without_traceback(tmp_path: Path) -> None:
    """The installed entry point, as an author runs it: stderr one line, exit 1."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run(
        [sys.executable, "-m", "casekit", "build", "-C", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1
    assert "not a casekit project" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_build_writes_outputs_and_reports_them(example: Path) -> None:
    result = CliRunner().invoke(main, ["build", "md", "txt", "-C", str(example)])
    assert result.exit_code == 0, result.output
    assert "manuscript.md" in result.output
    assert "22 references" in result.output
    assert (example / "build" / "manuscript.txt").is_file()


def test_styles_lists_matching_names_with_parents() -> None:
    result = CliRunner().invoke(main, ["styles", "blood"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "blood  (uses american-medical-association)" in lines
    assert "pediatric-blood-and-cancer" in lines
    assert all("blood" in line for line in lines)


class _Terminal:
    """A stand-in for a terminal stream."""

    def __init__(self, tty: bool) -> None:
        self.text = ""
        self.tty = tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return self.tty


def test_progress_shows_stages_only_for_slow_builds_on_a_terminal() -> None:
    import time

    from casekit.building.progress import Progress

    slow = _Terminal(tty=True)
    progress = Progress(slow, delay=0.05)  # type: ignore[arg-type]
    progress("render")
    time.sleep(0.2)
    progress("typeset")
    progress.close()
    assert "casekit: render…" in slow.text and "casekit: typeset…" in slow.text
    quick = _Terminal(tty=True)
    progress = Progress(quick, delay=5)  # type: ignore[arg-type]
    progress("render")
    progress.close()
    assert quick.text == ""
    piped = _Terminal(tty=False)
    progress = Progress(piped, delay=0.01)  # type: ignore[arg-type]
    progress("render")
    time.sleep(0.1)
    progress.close()
    assert piped.text == ""


def _build_on(project: Path, tmp_path: Path, terminal: bool) -> str:
    """stderr of ``casekit build pdf docx`` with a pandoc slowed to make it last over a
    second; a pseudo-terminal stands in for the author's terminal when ``terminal``."""
    command = [sys.executable, "-m", "casekit", "build", "pdf", "docx", "-C", str(project)]
    env = {**os.environ, "CASEKIT_PANDOC": str(slow_pandoc(tmp_path, 0.7))}
    if not terminal:
        run = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        return run.stderr
    leader, follower = pty.openpty()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait() == 0
    return b"".join(chunks).decode("utf-8")


def test_slow_build_shows_its_stages_on_a_terminal_only(example: Path, tmp_path: Path) -> None:
    shown = _build_on(example, tmp_path, terminal=True)
    lines = [part for part in shown.split("\r\x1b[K") if part]
    assert any(line.startswith("casekit: cite pdf, docx…") for line in lines)
    assert any(line.startswith("casekit: typeset pdf") for line in lines)
    assert shown.endswith("\r\x1b[K")  # the progress line is cleared at the end
    assert _build_on(example, tmp_path, terminal=False) == ""


def test_quiet_build_prints_nothing(example: Path) -> None:
    result = CliRunner().invoke(main, ["build", "md", "-q", "-C", str(example)])
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""


def test_one_job_or_two_give_the_same_bytes(example: Path) -> None:
    from casekit.building.pipeline import build

    one = build(plan_for(example, "pdf", "docx", jobs=1))
    first = {k: v.read_bytes() for k, v in one.outputs.items()}
    two = build(plan_for(example, "pdf", "docx", jobs=2))
    assert {k: v.read_bytes() for k, v in two.outputs.items()} == first


def test_a_closed_pipe_stops_quietly() -> None:
    """`casekit styles a | head -1`: the reader leaves early; no error, no traceback."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "casekit", "styles", "a"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()  # one line, as head -1 reads
    proc.stdout.close()
    with proc.stderr:
        stderr = proc.stderr.read().decode("utf-8")
    assert proc.wait() == 141
    assert stderr == ""
