"""``casekit care``: the filled CARE checklist, as Markdown and Word, from a fresh PDF."""

from __future__ import annotations

from pathlib import Path

from casekit.building.pipeline import build
from casekit.building.plan import Plan
from casekit.checks.care import case_records, checklist, checklist_markdown, pdf_pages
from casekit.core import atomic
from casekit.typesetting import pandoc


def write_care_checklist(plan: Plan) -> list[Path]:
    """Build the plan's PDF, then write care-checklist.md and .docx next to it."""
    project = plan.project
    result = build(plan.only(("pdf",)))
    meta = plan.manuscript.value
    records = case_records(result.case)
    items = checklist(meta, result.document, project.templates, records)
    pages = pdf_pages(result.outputs["pdf"], result.document)
    markdown = checklist_markdown(meta.title, items, pages)
    out = plan.folder
    with atomic.all_or_nothing(out) as staged, atomic.workdir(project.build) as work:
        (work / "care.md").write_text(markdown, encoding="utf-8")
        (work / "care.docx").unlink(missing_ok=True)
        pandoc.run(
            ["--sandbox", "care.md", "--reference-doc", str(project.reference_docx),
             "-o", "care.docx"],
            cwd=work,
        )  # fmt: skip
        docx = (work / "care.docx").read_bytes()
        for name, data in (
            ("care-checklist.md", markdown.encode()),
            ("care-checklist.docx", docx),
        ):
            staged[out / name] = atomic.stage(out, name, data)
        atomic.commit(staged)
    return list(staged)
