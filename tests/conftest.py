"""Shared fixtures: a fresh copy of the example project, and one built copy per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from casekit.build import BuildResult, build
from casekit.project import BuildConfig, Project
from casekit.scaffold import PROJECT_FILES

REPO = Path(__file__).resolve().parents[1]

ALL_FORMATS = ("pdf", "docx", "html", "txt", "md")


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
        return build(BuildConfig(Project(root), ALL_FORMATS))
