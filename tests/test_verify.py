"""``casekit verify``: outputs checked against their manifest, inputs and tools."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from casekit.building.pipeline import build
from casekit.building.verify import verify
from casekit.cli.commands import main
from casekit.core.project import Project

from .conftest import output_states, plan_for


def test_fresh_build_is_current(example: Path) -> None:
    build(plan_for(example, "pdf", "docx"))
    assert output_states(example) == {"manuscript.pdf": "current", "manuscript.docx": "current"}
    result = CliRunner().invoke(main, ["verify", "-C", str(example)])
    assert result.exit_code == 0
    assert "current   build/manuscript.pdf" in result.stdout or "manuscript.pdf" in result.stdout


def test_modified_stale_and_missing_outputs_are_told_apart(example: Path) -> None:
    build(plan_for(example, "pdf", "docx", "md"))
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


def test_an_output_whose_style_changed_since_the_build_is_stale(example: Path) -> None:
    """The manifest records the style each output was built with, and verify reads it."""
    import json

    build(plan_for(example, "md", style="american-medical-association"))
    path = example / "build" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    record = manifest["outputs"]["manuscript.md"]
    assert record["style"]["name"] == "american-medical-association"
    record["style"]["sha256"] = "0" * 64  # as if the catalogue's copy were updated since
    path.write_text(json.dumps(manifest), encoding="utf-8")
    status = {s.path.name: s for s in verify(Project(example))}["manuscript.md"]
    assert status.state == "stale"
    assert status.detail == "its style 'american-medical-association' changed since it was built"


def test_outputs_whose_manifest_is_gone_are_unrecorded(example: Path) -> None:
    build(plan_for(example, "md"))
    build(plan_for(example, "md", journal="blood-advances"))
    (example / "build" / "manifest.json").unlink()
    states = {s.path.relative_to(example).as_posix(): s.state for s in verify(Project(example))}
    assert states == {
        "build/blood-advances/manuscript.md": "current",
        "build/manuscript.md": "unrecorded",
    }
    result = CliRunner().invoke(main, ["verify", "-C", str(example)])
    assert result.exit_code == 1
    assert "unrecorded" in result.stdout and "no manifest records how it was built" in result.stdout
