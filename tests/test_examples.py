"""The synthetic example projects in ``examples/`` build and pass the strict check.

Each is a complete casekit project from another specialty (a case heavy on
measurement series, one centred on an operation, one on an adverse drug reaction).
A project is copied to ``tmp_path``, built to PDF and DOCX once, and checked with
``casekit check --built --strict``, which reads both outputs back.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from casekit.cli.commands import main

from .conftest import REPO

EXAMPLES = REPO / "examples"
PROJECTS = ("myocarditis", "appendectomy", "dress")


def test_every_example_is_tested() -> None:
    found = {p.name for p in EXAMPLES.iterdir() if (p / "manuscript").is_dir()}
    assert found == set(PROJECTS)


@pytest.mark.parametrize("name", PROJECTS, ids=PROJECTS)
def test_example_builds_and_checks_clean(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = tmp_path / name
    shutil.copytree(EXAMPLES / name, project, ignore=shutil.ignore_patterns("build"))
    runner = CliRunner()

    built = runner.invoke(main, ["build", "pdf", "docx", "-q", "-C", str(project)])
    assert built.exit_code == 0, built.output
    for ext in ("pdf", "docx"):
        assert (project / "build" / f"manuscript.{ext}").is_file()

    checked = runner.invoke(main, ["check", "--built", "--strict", "-C", str(project)])
    assert checked.exit_code == 0, checked.output
    assert "0 errors, 0 warnings" in checked.output
