"""Running one failure scenario folder against a fresh copy of the example project."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from casekit.cli.commands import main
from casekit.references.styles import resolve_style
from casekit.typesetting import pandoc

from .conftest import copy_example, git_commit

SCENARIOS = Path(__file__).parent / "scenarios"


@dataclass(frozen=True)
class Outcome:
    spec: dict[str, Any]
    project: Path
    result: Result
    before: dict[str, bytes]
    """build/ (without its cache) after a good build, before the scenario broke it."""


def slow_pandoc(tmp_path: Path, seconds: float) -> Path:
    """A pandoc that waits ``seconds`` before each run (for CASEKIT_PANDOC)."""
    wrapper = tmp_path / "slow-pandoc"
    wrapper.write_text(f'#!/bin/sh\nsleep {seconds}\nexec "{pandoc.pandoc_path()}" "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def build_state(project: Path) -> dict[str, bytes]:
    root = project / "build"
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".cache" not in p.parts
    }


def apply_edit(project: Path, edit: dict[str, Any]) -> None:
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
    elif "fill-megabytes" in edit:
        line = "# padding\n"
        target.write_text(line * (edit["fill-megabytes"] * 1024 * 1024 // len(line)), "utf-8")
    elif "append" in edit:
        with target.open("a", encoding="utf-8") as handle:
            handle.write(edit["append"])
    elif "from-style" in edit:
        text = resolve_style(edit["from-style"], project).path.read_text(encoding="utf-8")
        assert edit["replace"] in text
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.replace(edit["replace"], edit["with"]), encoding="utf-8")
    else:
        text = target.read_text(encoding="utf-8")
        assert edit["replace"] in text, f"scenario edit does not apply to {edit['file']}"
        target.write_text(text.replace(edit["replace"], edit["with"], 1), encoding="utf-8")


def all_scenarios() -> list[Path]:
    return sorted(p for p in SCENARIOS.iterdir() if (p / "scenario.yaml").is_file())


def run_scenario(scenario: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Outcome:
    """Break a copy of the example as the scenario says, then run casekit on it."""
    spec = yaml.safe_load((scenario / "scenario.yaml").read_text(encoding="utf-8"))
    project = copy_example(tmp_path / "project")
    if spec.get("prebuild", True):
        # A good build first: whatever the scenario breaks must leave it untouched.
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        CliRunner().invoke(main, ["build", "md", "-q", "-C", str(project)])
    before = build_state(project)
    if spec.get("git"):
        # A repository holding the project as it is, before the scenario's edits.
        (project / ".gitignore").write_text("build/\n", encoding="utf-8")
        git_commit(project)
    for edit in spec.get("edits", []):
        apply_edit(project, edit)
    for name, value in spec.get("env", {}).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    pandoc.pandoc_path.cache_clear()
    try:
        result = CliRunner().invoke(main, [*spec.get("args", ["build", "md"]), "-C", "project"])
    finally:
        pandoc.pandoc_path.cache_clear()
    return Outcome(spec, project, result, before)
