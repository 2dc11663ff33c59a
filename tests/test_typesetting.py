"""What the typeset PDF looks like: unbroken citations, superscripts, fixed dates."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from casekit.building import job as job_module
from casekit.building.job import make_job
from casekit.building.pipeline import build
from casekit.building.prepare import prepare

from .conftest import git_commit, plan_for
from .readback import pdf_text

GROUP = "[@mann2010; @driessen2016; @koh2015; @moskop2022; @tomizawa2020; @ghorashian2022]"
WORDS = "a leukemia infant KMT2A-rearranged or transplantation of CAR-T in remission".split()


def _dense_citations(project: Path) -> int:
    """Replace the introduction by a paragraph with a citation group at every line position."""
    words: list[str] = []
    groups = 0
    for i in range(400):
        words.append(WORDS[i % len(WORDS)])
        if i % 7 == 3:
            words.append(f"end{'x' * (i % 5)}.{GROUP}")
            groups += 1
    intro = project / "templates" / "sections" / "introduction.md.j2"
    intro.write_text("# Introduction\n\n" + " ".join(words) + "\n", encoding="utf-8")
    return groups


def _unbroken(pdf: Path, groups: int) -> int:
    text = pdf_text(pdf).split("\nReferences\n", 1)[0]
    return len(re.findall(r"\[1–6\]", text)) if groups else 0


def test_no_citation_breaks_across_lines(example: Path) -> None:
    groups = _dense_citations(example)
    result = build(plan_for(example, "pdf"))
    assert _unbroken(result.outputs["pdf"], groups) == groups


def test_the_line_break_check_can_fail(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: without casekit's no-break filter, some of the same citations do break."""
    groups = _dense_citations(example)
    monkeypatch.setattr(job_module, "NO_BREAK_FILTER", "dedupe-citations.lua")
    result = build(plan_for(example, "pdf"))
    assert _unbroken(result.outputs["pdf"], groups) < groups


def test_superscript_style_is_raised_in_typst(example: Path, tmp_path: Path) -> None:
    prepared = prepare(plan_for(example, style="nlm-citation-sequence-superscript"))
    work = tmp_path / "work"
    work.mkdir()
    job = make_job(prepared, work, 1700000000)
    job.pandoc("typst", "--template", str(job.typst_template), "-o", "out.typ")
    source = (work / "out.typ").read_text(encoding="utf-8")
    assert "#box[#super[1--4]]" in source
    assert "\\[1--4\\]" not in source


def test_pdf_date_comes_from_the_last_commit(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    git_commit(example)
    result = build(plan_for(example, "pdf"))
    metadata = pypdf.PdfReader(result.outputs["pdf"]).metadata
    assert metadata is not None
    assert metadata["/CreationDate"].startswith("D:20240203040506")
