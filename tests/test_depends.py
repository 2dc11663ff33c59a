"""Per-output inputs: what each output read, in the manifest and as make rules.

An edit must rebuild only the outputs that read the edited file, through `make`
(the project Makefile that `casekit new` writes) and in what `casekit verify` and
`casekit check` call stale.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casekit.building.makerules import make_rule, rule_file
from casekit.building.manifest import output_inputs
from casekit.building.pipeline import build
from casekit.building.verify import verify
from casekit.core.project import Project
from casekit.data import data_file
from casekit.references.styles import DEFAULT_STYLE, resolve_style

from .conftest import output_states, plan_for

CASEKIT = str(Path(sys.executable).parent / "casekit")


def test_each_format_reads_only_its_own_templates(example: Path) -> None:
    pdf = output_inputs(plan_for(example), "pdf")
    docx = output_inputs(plan_for(example), "docx")
    html = output_inputs(plan_for(example, journal="blood-advances"), "html")
    assert "templates/pandoc/manuscript.typ" in pdf and "templates/reference.docx" not in pdf
    assert "templates/reference.docx" in docx and "templates/pandoc/manuscript.typ" not in docx
    for inputs in (pdf, docx, html):
        assert "templates/sections/discussion.md.j2" in inputs
        assert "references.bib" in inputs and "manuscript/case.yaml" in inputs
    assert not any(name.startswith("templates/journals/") for name in pdf + docx)
    assert [n for n in html if n.startswith("templates/journals/")] == [
        "templates/journals/blood-advances.yaml"
    ]
    # A journal's or review copy's Word styles come from its layout, not reference.docx.
    for journal, review in (("blood-advances", False), (None, True)):
        plan = plan_for(example, journal=journal, review=review)
        assert "templates/reference.docx" not in output_inputs(plan, "docx")


def test_a_project_csl_file_is_an_input(example: Path) -> None:
    (example / "styles").mkdir()
    style = example / "styles" / "house.csl"
    shutil.copy2(resolve_style(DEFAULT_STYLE, example).path, style)
    plan = plan_for(example, style="styles/house.csl")
    assert "styles/house.csl" in output_inputs(plan, "pdf")


def test_make_rule_escapes_names_and_survives_deleted_inputs() -> None:
    rule = make_rule("build/manuscript.pdf", ["templates/my section.md.j2", "a$b#c.yaml"])
    assert rule.startswith("build/manuscript.pdf: \\\n  templates/my\\ section.md.j2 \\\n")
    assert "a$$b\\#c.yaml" in rule
    assert "\ntemplates/my\\ section.md.j2:\n" in rule  # an empty rule per input


def test_build_writes_a_rule_beside_each_output(example: Path) -> None:
    result = build(plan_for(example, "pdf", "docx"))
    for name, output in result.outputs.items():
        rule = rule_file(output).read_text(encoding="utf-8")
        assert rule.startswith(f"build/manuscript.{name}:")
        # Staged first, so a rule is never newer than its output (make would rebuild).
        assert rule_file(output).stat().st_mtime_ns <= output.stat().st_mtime_ns


def test_verify_calls_stale_only_the_outputs_that_read_an_edit(example: Path) -> None:
    build(plan_for(example, "pdf", "docx", "html"))
    typst = example / "templates" / "pandoc" / "manuscript.typ"
    typst.write_text(typst.read_text(encoding="utf-8") + "\n// an edit\n", encoding="utf-8")
    assert output_states(example) == {
        "manuscript.pdf": "stale",
        "manuscript.docx": "current",
        "manuscript.html": "current",
    }
    section = example / "templates" / "sections" / "discussion.md.j2"
    section.write_text(section.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert set(output_states(example).values()) == {"stale"}


def _make(project: Path, *targets: str) -> list[str]:
    """The casekit commands `make` ran for ``targets``.

    Afterwards every input is dated 200 s ago and every output 100 s ago, so that an
    input touched next is newer than the outputs whatever the file system's grain."""
    out = subprocess.run(
        ["make", "-C", str(project), f"CASEKIT={CASEKIT}", *targets],
        capture_output=True, text=True, check=True, env={**os.environ, "MAKEFLAGS": ""},
    )  # fmt: skip
    now = time.time()
    for path in project.rglob("*"):
        if path.is_file():
            age = 100 if path.is_relative_to(project / "build") else 200
            os.utime(path, (now - age, now - age))
    return [line for line in out.stdout.splitlines() if " build " in line]


def _touch(path: Path) -> None:
    os.utime(path)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_rebuilds_only_the_outputs_an_edit_touches(example: Path) -> None:
    shutil.copy2(data_file("project.mk"), example / "Makefile")
    assert len(_make(example, "pdf", "docx")) == 2
    assert _make(example, "pdf", "docx") == []  # nothing changed
    _touch(example / "templates" / "reference.docx")
    assert _make(example, "pdf", "docx") == [f"{CASEKIT} build docx"]
    _touch(example / "templates" / "pandoc" / "manuscript.typ")
    assert _make(example, "pdf", "docx") == [f"{CASEKIT} build pdf"]
    _touch(example / "templates" / "journals" / "blood-advances.yaml")
    assert _make(example, "pdf", "docx") == []
    _touch(example / "templates" / "sections" / "discussion.md.j2")
    assert len(_make(example, "pdf", "docx")) == 2
    rule_file(example / "build" / "manuscript.pdf").unlink()  # lost: rebuild, not skip
    assert _make(example, "pdf", "docx") == [f"{CASEKIT} build pdf"]
    # `make all`: one casekit run for the formats that are out of date, and only those.
    assert _make(example, "all") == [f"{CASEKIT} build html txt md"]
    assert _make(example, "all") == []
    _touch(example / "templates" / "pandoc" / "manuscript.typ")
    assert _make(example, "all") == [f"{CASEKIT} build pdf"]


def test_check_built_rebuilds_only_outputs_that_are_not_current(example: Path) -> None:
    from click.testing import CliRunner

    from casekit.cli.commands import main

    def check() -> dict[str, int]:
        result = CliRunner().invoke(main, ["check", "--built", "-C", str(example)])
        assert result.exit_code == 0, result.output
        assert "2 outputs compared" in result.output
        return {p.name: p.stat().st_mtime_ns for p in (example / "build").glob("manuscript.*")}

    first = check()
    assert set(first) == {"manuscript.pdf", "manuscript.docx"}
    assert check() == first  # nothing changed: nothing rebuilt
    _touch(example / "templates" / "reference.docx")  # same bytes (a checkout): current
    assert check() == first
    typst = example / "templates" / "pandoc" / "manuscript.typ"
    typst.write_text(typst.read_text(encoding="utf-8") + "\n// an edit\n", encoding="utf-8")
    third = check()
    assert third["manuscript.docx"] == first["manuscript.docx"]
    assert third["manuscript.pdf"] != first["manuscript.pdf"]


def test_verify_names_the_input_that_changed_even_after_a_later_build(example: Path) -> None:
    build(plan_for(example, "pdf", "docx"))
    section = example / "templates" / "sections" / "discussion.md.j2"
    section.write_text(section.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    build(plan_for(example, "pdf"))  # the manifest now lists the new section
    docx = {s.path.name: s for s in verify(Project(example))}["manuscript.docx"]
    assert docx.state == "stale"
    assert docx.detail == "inputs changed since it was built: templates/sections/discussion.md.j2"


def test_editing_a_project_csl_file_makes_the_outputs_stale(example: Path) -> None:
    from casekit.references.styles import resolve_style

    (example / "styles").mkdir()
    house = example / "styles" / "house.csl"
    shutil.copy2(resolve_style("nlm-citation-sequence-brackets", example).path, house)
    build(plan_for(example, "pdf", style="styles/house.csl"))
    assert output_states(example) == {"manuscript.pdf": "current"}
    assert "styles/house.csl" in rule_file(example / "build" / "manuscript.pdf").read_text()
    house.write_text(house.read_text(encoding="utf-8") + "\n<!-- edited -->\n", "utf-8")
    pdf = {s.path.name: s for s in verify(Project(example))}["manuscript.pdf"]
    assert pdf.detail == "inputs changed since it was built: styles/house.csl"


def test_a_manifest_from_before_per_output_inputs_is_still_read(example: Path) -> None:
    import json

    from casekit.building.manifest import input_hashes, inputs_digest

    build(plan_for(example, "pdf"))
    path = example / "build" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    record = manifest["outputs"]["manuscript.pdf"]
    del record["depends"]  # the older shape: one digest of every input
    record["inputs"] = inputs_digest(input_hashes(Project(example)))
    path.write_text(json.dumps(manifest), encoding="utf-8")
    assert output_states(example) == {"manuscript.pdf": "current"}
    _touch(example / "templates" / "reference.docx")  # same bytes: still current
    assert output_states(example) == {"manuscript.pdf": "current"}
    reference = example / "templates" / "reference.docx"
    reference.write_bytes(reference.read_bytes() + b"\0")  # every input counted
    pdf = {s.path.name: s for s in verify(Project(example))}["manuscript.pdf"]
    assert pdf.detail == "inputs changed since it was built: templates/reference.docx"
