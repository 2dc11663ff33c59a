"""``casekit care``: the filled CARE checklist, as Markdown and Word, from a fresh PDF."""

from __future__ import annotations

from pathlib import Path

from . import outputs, pandoc
from .build import build, output_dir
from .care import checklist, checklist_markdown, heading, pdf_pages
from .manuscript import load_manuscript
from .project import BuildConfig, Project


def write_care_checklist(project: Project, journal: str | None = None) -> list[Path]:
    """Build the PDF, then write care-checklist.md and .docx next to it."""
    result = build(BuildConfig(project, ("pdf",), command=("casekit", "care"), journal=journal))
    meta = load_manuscript(project.manuscript_yaml).value
    items = checklist(meta, result.document, project.templates)
    headings = [heading(s.markdown, s.name) for s in result.document.sections]
    headings += [h for i in items for h in i.where]
    pages = pdf_pages(result.outputs["pdf"], list(dict.fromkeys(headings)))
    pages.setdefault("Title", 1)
    markdown = checklist_markdown(meta.title, items, pages)
    out = output_dir(project, journal, review=False)
    staged: dict[Path, Path] = {}
    try:
        with outputs.workdir(project.build) as work:
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
                staged[out / name] = outputs.stage(out, name, data)
            outputs.commit(staged)
    except BaseException:
        outputs.discard(staged.values())
        raise
    return list(staged)
