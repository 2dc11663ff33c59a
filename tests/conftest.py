"""Shared fixtures: a fresh copy of the example project, and one built copy per session."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from casekit.building.pipeline import BuildResult, build
from casekit.building.plan import Plan, Request, make_plan
from casekit.core.project import Project
from casekit.inputs.scaffold import PROJECT_FILES

REPO = Path(__file__).resolve().parents[1]

ALL_FORMATS = ("pdf", "docx", "html", "txt", "md")


def request_for(root: Path, *formats: str, **choices: Any) -> Request:
    """What the command line would ask of a build of the project at ``root``."""
    return Request(Project(root), formats, **choices)


def plan_for(root: Path, *formats: str, **choices: Any) -> Plan:
    """The plan of that build: e.g. ``plan_for(example, "pdf", journal="blood-advances")``."""
    return make_plan(request_for(root, *formats, **choices))


def copy_example(target: Path) -> Path:
    """Copy the repository's example manuscript project into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    return target


def git_commit(project: Path, date: str = "2024-02-03T04:05:06Z") -> None:
    """Make ``project`` a git repository with one commit dated ``date``."""
    import subprocess

    env = {
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "a",
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "a",
        "GIT_COMMITTER_EMAIL": "a@example.org",
        "PATH": "/usr/bin:/bin",
    }
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "manuscript"]):
        subprocess.run(["git", *command], cwd=project, env=env, check=True)


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, writable copy of the example project."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return copy_example(tmp_path / "project")


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The example built once in every format, shared by the read-only golden tests."""
    root = copy_example(tmp_path_factory.mktemp("built") / "project")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        return build(plan_for(root, *ALL_FORMATS))


def output_states(project: Path) -> dict[str, str]:
    """``casekit verify``'s state of each output directly in build/, by file name."""
    from casekit.building.verify import verify

    return {s.path.name: s.state for s in verify(Project(project)) if s.path.parent.name == "build"}
