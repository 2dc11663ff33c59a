"""``casekit verify``: outputs checked against their manifest, inputs and tools."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from casekit.building.pipeline import build
from casekit.cli.commands import main
from casekit.core.project import BuildConfig, Project

from .conftest import output_states


def test_fresh_build_is_current(example: Path) -> None:
    build(BuildConfig(Project(example), ("pdf", "docx")))
    assert output_states(example) == {"manuscript.pdf": "current", "manuscript.docx": "current"}
    result = CliRunner().invoke(main, ["verify", "-C", str(example)])
    assert result.exit_code == 0
    assert "current   build/manuscript.pdf" in result.stdout or "manuscript.pdf" in result.stdout


def test_modified_stale_and_missing_outputs_are_told_apart(example: Path) -> None:
    build(BuildConfig(Project(example), ("pdf", "docx", "md")))
    (example / "build" / "manuscript.pdf").write_bytes(b"%PDF-edited")
    (example / "build" / "manuscript.md").unlink()
    case = example / "manuscript" / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert output_states(example) == {
        "manuscript.pdf": "modified",
        "manuscript.docx": "stale",
        "manuscript.md": "missing",
    }
    result = CliRunner().invoke(main, ["verify", "-C", str(example)])
    assert result.exit_code == 1
    assert "inputs changed since it was built: manuscript/case.yaml" in result.stdout


def test_nothing_to_verify_exits_2(example: Path) -> None:
    result = CliRunner().invoke(main, ["verify", "-C", str(example)])
    assert result.exit_code == 2
    assert "nothing to verify" in result.stderr
