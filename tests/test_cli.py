"""The command line: help everywhere, and one clear line for every kind of bad input.

Each folder under tests/scenarios/ is one failure an author can cause. Its
scenario.yaml says how to break a copy of the example project (``edits``), how to
run casekit (``args``, ``env``) and what the author must see (``stderr``
fragments, in order: file:line first, then the message and hint).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from casekit.cli import main

from .conftest import copy_example

SCENARIOS = Path(__file__).parent / "scenarios"


def _apply(project: Path, edit: dict[str, Any]) -> None:
    target = project / edit["file"]
    if edit.get("delete"):
        target.unlink()
    elif "create" in edit:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(edit["create"], encoding="utf-8")
    elif "replace-all" in edit:
        target.write_text(edit["replace-all"], encoding="utf-8")
    elif "append-bytes" in edit:
        with target.open("ab") as handle:
            handle.write(edit["append-bytes"].encode("latin-1"))
    else:
        text = target.read_text(encoding="utf-8")
        assert edit["replace"] in text, f"scenario edit does not apply to {edit['file']}"
        target.write_text(text.replace(edit["replace"], edit["with"], 1), encoding="utf-8")


def _scenarios() -> list[Path]:
    return sorted(p for p in SCENARIOS.iterdir() if (p / "scenario.yaml").is_file())


@pytest.mark.parametrize("scenario", _scenarios(), ids=lambda p: p.name)
def test_bad_input_gives_one_located_line(
    scenario: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = yaml.safe_load((scenario / "scenario.yaml").read_text(encoding="utf-8"))
    project = copy_example(tmp_path / "project")
    for edit in spec.get("edits", []):
        _apply(project, edit)
    for name, value in spec.get("env", {}).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    from casekit import pandoc

    pandoc.pandoc_path.cache_clear()
    try:
        result = CliRunner().invoke(main, [*spec.get("args", ["build", "md"]), "-C", "project"])
    finally:
        pandoc.pandoc_path.cache_clear()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == spec.get("exit", 1)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("casekit: ")
    assert "Traceback" not in result.output
    position = 0
    for fragment in spec["stderr"]:
        found = line.find(fragment, position)
        assert found >= 0, f"{fragment!r} not in order in: {line}"
        position = found
    assert not (project / "build" / "manuscript.md").exists()


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
