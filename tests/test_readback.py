"""Reading built outputs back; here, long PDFs read on several CPUs at once."""

from __future__ import annotations

import os

import pytest

from casekit.building.pipeline import BuildResult
from casekit.references.styles import Look
from casekit.typesetting import readback
from casekit.typesetting.readback import read_pdf


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two CPUs")
def test_a_pdf_read_in_parallel_reads_as_one_read_in_order(
    built_example: BuildResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = built_example.outputs["pdf"]
    serial = readback.pdf_pages(pdf)
    assert len(serial) < readback.PARALLEL_PAGES  # the example is read in one process
    looks = (Look("[", "]", False), Look("", "", True))
    expected = [read_pdf(pdf, look, built_example.document.headings) for look in looks]
    monkeypatch.setattr(readback, "PARALLEL_PAGES", 2)  # now split across processes
    assert readback.pdf_pages(pdf) == serial
    assert [read_pdf(pdf, look, built_example.document.headings) for look in looks] == expected
    assert expected[0].groups[:3] == ("1–4", "1,5–9", "6,8–12")


def test_the_pdf_outline_lists_each_heading_with_its_page(built_example: BuildResult) -> None:
    outline = readback.pdf_outline(built_example.outputs["pdf"])
    assert outline[:3] == [("Abstract", 1), ("Introduction", 2), ("Case presentation", 3)]
    assert [page for _, page in outline] == sorted(page for _, page in outline)


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        ("1. Smith A. T.\n\n2. Jones B. Long\ntitle.\n", ("Smith A. T.", "Jones B. Long title.")),
        ("[1] Smith A.\n[2] Jones B.\n", ("Smith A.", "Jones B.")),
        ("1 Smith A.\n2 Jones B.\n", ("Smith A.", "Jones B.")),
        ("1. Smith A.\n\n2.\n\n3. Lee C.\n", ("Smith A.", "", "Lee C.")),
        ("1. Smith A. Dose\n1.5 mg.\n2. Jones B.\n", ("Smith A. Dose 1.5 mg.", "Jones B.")),
        ("1. Smith A. In\n2\n", ("Smith A. In 2",)),
    ],
    ids=["numbered", "bracketed", "bare-number", "empty-entry", "number-in-text", "bare-2-is-text"],
)  # fmt: skip
def test_reference_list_entries(text: str, entries: tuple[str, ...]) -> None:
    assert readback.list_entries(text) == entries


def test_page_furniture_is_left_out_of_pdf_text() -> None:
    pages = ["Running head\nReferences\n1. Smith A. Title\n3", "Running head\ncontinued.\n2. B.\n4"]
    assert readback._without_furniture(pages) == "References\n1. Smith A. Title\ncontinued.\n2. B."
