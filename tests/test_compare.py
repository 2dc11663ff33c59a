"""Comparing what an output prints with what the sources say it must print."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from casekit.checks.compare import differences
from casekit.typesetting.readback import Printed

EXPECTED = ("1–4", "1,5–9", "6,8–12")


def _codes(printed: Printed, references: int = 12) -> list[str]:
    return [p.message for p in differences(Path("x.pdf"), EXPECTED, printed, references)]


def test_matching_output_has_no_differences() -> None:
    assert _codes(Printed(EXPECTED, 12)) == []


def test_first_differing_group_is_reported_once() -> None:
    messages = _codes(Printed(("1–4", "1,5,6,7,8,9", "6,8,9,10,11,12"), 12))
    assert messages == ["citation 2 prints [1,5,6,7,8,9] but the sources give [1,5–9]"]


def test_lost_citation_and_short_reference_list_are_reported() -> None:
    messages = _codes(Printed(("1–4", "1,5–9"), 9))
    assert "2 citations printed, 3 in the sources" in messages
    assert "reference list has 9 entries, 12 keys are cited" in messages
    assert "the text prints number 9, the reference list stops at 9" not in messages


def test_a_repeated_check_reads_an_unchanged_output_once(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pypdf reads a page in about 17 ms: an output whose bytes have not changed is read
    back from the cache, and one that changed is read again."""
    from dataclasses import replace

    from casekit.building.pipeline import build
    from casekit.checks.run import run_checks
    from casekit.typesetting.formats import FORMATS

    from .conftest import plan_for, request_for

    build(plan_for(example, "txt"))
    row = FORMATS["txt"]
    assert row.reader is not None
    reads: list[Path] = []

    def counting(path: Path, *args: Any) -> Any:
        reads.append(path)
        return row.reader(path, *args)  # type: ignore[misc]

    monkeypatch.setitem(FORMATS, "txt", replace(row, reader=counting))
    first = run_checks(request_for(example))
    second = run_checks(request_for(example))
    assert len(reads) == 1 and first.problems == second.problems
    assert first.summary["outputs_compared"] == 1
    build(plan_for(example, "txt", style="american-medical-association"))
    run_checks(request_for(example))
    assert len(reads) == 2


def test_a_pdf_whose_template_hyphenates_is_reported_and_one_that_does_not_is_not(
    example: Path,
) -> None:
    """A project made before casekit stopped hyphenating keeps its own Typst template:
    its PDF copies the hyphens of DOIs and drug names as soft hyphens."""
    from casekit.building.pipeline import build
    from casekit.checks.run import run_checks

    from .conftest import plan_for, request_for

    build(plan_for(example, "pdf"))
    clean = run_checks(request_for(example))
    assert not [p for p in clean.problems if p.code == "soft-hyphen"]
    template = example / "templates" / "pandoc" / "manuscript.typ"
    text = template.read_text(encoding="utf-8")
    assert "#set text(hyphenate: false)" in text
    old = text.replace("hyphenate: false)", "hyphenate: true)", 1)
    template.write_text(old.replace("justify: false, leading", "justify: true, leading"), "utf-8")
    build(plan_for(example, "pdf"))
    found = [p for p in run_checks(request_for(example)).problems if p.code == "soft-hyphen"]
    assert len(found) == 1
    assert found[0].level == "warning"
    assert found[0].location is not None and found[0].location.path.name == "manuscript.pdf"
    count = int(found[0].message.split()[0])
    assert count > 20, found[0].message
