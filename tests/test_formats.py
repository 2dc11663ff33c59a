"""The format table: every output format is one row, and nothing else lists formats."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from casekit.building.manifest import output_inputs, read_manifest
from casekit.building.pipeline import BuildResult, build
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


def _html(built: BuildResult) -> str:
    return built.outputs["html"].read_text(encoding="utf-8")


def test_the_html_page_says_its_language(built_example: BuildResult) -> None:
    lang = built_example.plan.manuscript.value.lang
    assert re.search(rf'<html [^>]*\blang="{re.escape(lang)}"', _html(built_example))


def test_the_html_title_block_is_the_banner_and_the_manuscript_its_main(
    built_example: BuildResult,
) -> None:
    """The title page's lines before its first heading join the title in <header>; the
    rest, from the abstract on, is <main>: one of each, and nothing outside them."""
    page = _html(built_example)
    body = page.split("<body>", 1)[1].split("</body>", 1)[0].strip()
    assert body.count("<header") == 1 and body.count("<main>") == 1
    header, rest = body.split("</header>", 1)
    assert header.startswith('<header id="title-block-header">')
    assert '<h1 class="title">' in header and 'class="byline"' in header
    assert "<strong>Keywords:</strong>" in header
    assert rest.strip().startswith("<main>") and rest.strip().endswith("</main>")
    main = rest.split("<main>", 1)[1]
    assert re.match(r'\s*<h1 class="unnumbered" id="abstract">', main)
    assert 'id="refs"' in main


def test_every_html_table_has_header_cells(built_example: BuildResult) -> None:
    tables = re.findall(r"<table.*?</table>", _html(built_example), re.S)
    assert tables
    for table in tables:
        assert re.search(r"<thead>\s*<tr[^>]*>\s*<th", table), table[:200]


def test_a_blinded_html_copy_keeps_its_notice_in_the_banner(example: Path) -> None:
    page = build(plan_for(example, "html", review=True)).outputs["html"].read_text("utf-8")
    header = page.split("</header>", 1)[0]
    assert "Blinded copy for peer review" in header
    assert 'class="byline"' not in page
