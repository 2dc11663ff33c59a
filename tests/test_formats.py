"""The format table: every output format is one row, and nothing else lists formats."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from casekit.building.manifest import output_inputs, read_manifest
from casekit.building.pipeline import build
from casekit.cli.commands import main
from casekit.data import data_file
from casekit.typesetting import formats
from casekit.typesetting.formats import FORMATS, Format, format_for

from .conftest import plan_for


def test_each_row_has_its_own_file_name() -> None:
    names = [row.filename for row in FORMATS.values()]
    assert len(set(names)) == len(names)
    for row in FORMATS.values():
        assert format_for(row.filename) is row
    assert format_for("manuscript.odt") is None


def test_build_help_lists_every_row() -> None:
    result = CliRunner().invoke(main, ["build", "--help"])
    for row in FORMATS.values():
        assert re.search(rf"^\s+{row.name}\s+{re.escape(row.description)}", result.stdout, re.M)


def test_the_project_makefile_builds_formats_of_the_table() -> None:
    """project.mk's `make all` formats are rows whose file is build/manuscript.<name>, which
    its pattern rule (`casekit build $*`) relies on."""
    text = data_file("project.mk").read_text(encoding="utf-8")
    listed = re.search(r"^FORMATS := (.+)$", text, re.M)
    assert listed is not None
    for name in listed.group(1).split():
        assert name in FORMATS and FORMATS[name].extension == name, name


def test_a_new_format_is_one_row(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A row the rest of casekit has never heard of builds, is recorded in the manifest
    with its own make rule, and reads neither the Typst templates nor reference.docx."""
    row = Format(
        "rst", "rst", "rst", "reStructuredText", formats._written_by_pandoc("rst", ".rst", "-s")
    )
    monkeypatch.setitem(FORMATS, "rst", row)
    plan = plan_for(example, "rst")
    result = build(plan)
    text = result.outputs["rst"].read_text(encoding="utf-8")
    assert "[1–4]" in text
    assert "manuscript.rst" in read_manifest(plan.manifest).outputs
    assert (example / "build" / ".manuscript.rst.d").is_file()
    inputs = output_inputs(plan, "rst")
    assert "templates/reference.docx" not in inputs
    assert not any(name.startswith("templates/pandoc/") for name in inputs)
