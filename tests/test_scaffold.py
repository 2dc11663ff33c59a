"""``casekit new``: a copy of the example that builds as it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from casekit.building.pipeline import build
from casekit.cli.commands import main
from casekit.core.errors import InputError
from casekit.inputs.scaffold import new_project

from .conftest import plan_for


def test_new_project_is_complete_and_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    target = tmp_path / "my-report"
    result = CliRunner().invoke(main, ["new", str(target)])
    assert result.exit_code == 0, result.output
    expected = (
        "manuscript/manuscript.yaml",
        "manuscript/case.yaml",
        "references.bib",
        "templates/sections/case.md.j2",
        "templates/reference.docx",
        "Makefile",
    )
    for name in expected:
        assert (target / name).is_file(), name
    built = build(plan_for(target, "pdf", "docx"))
    assert built.references == 22
    assert not (target / "build" / "manuscript.txt").exists()


def test_new_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("precious", encoding="utf-8")
    with pytest.raises(InputError, match="not empty"):
        new_project(tmp_path)
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "precious"
