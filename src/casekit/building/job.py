"""The job: everything pandoc and Typst need, written into the build's private work folder.

The rendered Markdown, only the cited entries of the store (and what they inherit,
in the dialect pandoc reads), the CSL style, the Lua filters each writer needs, the
drawn figures, and for a journal or review copy a Word reference document made from
its layout. Every path handed to pandoc is relative to the work folder (see
:func:`citeproc_args`). An error pandoc reports in the cited entries is turned back
into one at the entry's line in the author's store (see :func:`store_error`).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from pathlib import Path

from casekit.building.plan import Plan
from casekit.building.prepare import Prepared
from casekit.core.errors import BibError, CasekitError, Location, ToolError
from casekit.core.project import Project
from casekit.data import data_file
from casekit.inputs.sourcemap import Sources, locate
from casekit.references.citations import Citation
from casekit.references.repairs import repair_bibtex
from casekit.references.store import Store
from casekit.references.styles import Style
from casekit.references.subset import make_subset
from casekit.rendering.anchors import Anchored, anchor_document
from casekit.rendering.document import Document
from casekit.rendering.figures import make_figure
from casekit.typesetting.formats import Job
from casekit.typesetting.typst_pdf import TypstFailure


def make_job(prepared: Prepared, work: Path, epoch: int) -> Job:
    """Write the rendered Markdown, the cited entries, style and filters into ``work``."""
    plan = prepared.plan
    project = plan.project
    markdown = work / "manuscript.md"
    text = prepared.document.markdown
    markdown.write_text(text, encoding="utf-8")
    bibliography = work / BIBLIOGRAPHY_FILE
    # The cited entries in a form pandoc reads (references/subset.py: the managers'
    # dialects, inherited parents), then without LaTeX pandoc would print literally.
    subset = make_subset(prepared.store, prepared.keys).text
    bibliography.write_text(repair_bibtex(subset), encoding="utf-8")
    args = citeproc_args(work, plan.style, bibliography)
    figures = prepared.document.figures
    for figure in figures:
        make_figure(figure, prepared.case, work / "figures", project.cache)
    layout = plan.layout
    reference = project.reference_docx
    if not plan.own_reference_docx:
        # The journal's layout, in a reference document derived like the project's own.
        from casekit.typesetting.reference_doc import (  # zipfile: only journal builds
            DocxLook,
            make_reference_docx,
        )

        reference = work / "reference.docx"
        look = DocxLook(
            size_pt=layout.font_size,
            line_spacing=layout.line_spacing,
            page_numbers=layout.page_numbers,
            line_numbers=layout.line_numbers,
        )
        reference.write_bytes(make_reference_docx(look))
    variables = (
        f"--variable=casekit-font-size:{layout.font_size:g}pt",
        f"--variable=casekit-leading:{0.65 + (layout.line_spacing - 1) * 1.15:.2f}em",
        *(["--variable=casekit-line-numbers:true"] if layout.line_numbers else []),
        *([] if layout.page_numbers else ["--variable=casekit-no-page-numbers:true"]),
        *pdf_metadata(plan),
    )
    images = (FIGURES_FILTER,) if figures or "![" in text else ()
    anchors = None
    if "docx" in plan.formats:
        # Only the DOCX carries anchors: every other output reads the document as it is.
        document, store, keys = prepared.document, prepared.store, tuple(prepared.keys)
        anchors = functools.partial(docx_anchors, project, document, store, keys)
        (work / ANCHORS_FILTER).write_bytes(data_file(ANCHORS_FILTER).read_bytes())
    return Job(
        markdown,
        args,
        work,
        reference,
        project.typst_template,
        epoch,
        variables,
        bibliography,
        filters_before=(DEDUPE_FILTER,) if needs_dedupe(prepared.citations) else (),
        # Every writer gets each image's alt text through the figures filter, drawn or not.
        filters_typst=(NO_BREAK_FILTER, FIGURES_FILTER),
        filters_other=images,
        anchors=anchors,
        filters_docx=(ANCHORS_FILTER,) if anchors else (),
        pdf_standards=plan.pdf.standards,
        font_paths=project.fonts,
    )


def pdf_metadata(plan: Plan) -> tuple[str, ...]:
    """The authors' names and the keywords for the PDF's metadata, as Typst arrays the
    template places in ``#set document(...)``. A review copy names no author."""
    meta = plan.manuscript.value
    names = () if plan.review else tuple(author.name for author in meta.authors)
    return tuple(
        f"--variable=casekit-pdf-{key}:{_typst_strings(values)}"
        for key, values in (("authors", names), ("keywords", meta.keywords))
        if values
    )


def _typst_strings(values: Iterable[str]) -> str:
    # Typst string literals: JSON's escapes are Typst's, apart from \u, which
    # ensure_ascii=False never writes for printable text. A trailing comma keeps one
    # value an array.
    return "".join(json.dumps(value, ensure_ascii=False) + ", " for value in values).strip()


def docx_anchors(
    project: Project, document: Document, store: Store, keys: Iterable[str]
) -> Anchored:
    """The document with the anchors of its DOCX, and the map of where its text came from:
    the data files templates print values from, and each cited entry's line in the store."""
    sources = data_sources(project)
    entries = store.entries
    references = {k: (store.path, entries[k].line) for k in keys if k in entries}
    return anchor_document(document, project.root, project.manuscript_yaml, sources, references)


def data_sources(project: Project) -> Sources:
    """The data files templates print values from, for naming where rendered text was
    written (a privacy waiver repeats the text it waives, so it is never taken for it)."""
    return Sources(
        [project.case_yaml, project.manuscript_yaml, project.abbreviations],
        skip=("privacy_waivers",),
    )


def typst_place(error: CasekitError, prepared: Prepared) -> ToolError | None:
    """Typst's error at a line of its source, as one at the template line that wrote it.

    Typst points at a line of the Typst pandoc wrote in a temporary folder. Its text is
    looked for in the rendered sections: as it stands (raw Typst an author wrote), and as
    the Markdown heading it was (``==== Flow cytometry`` from ``#### Flow cytometry``),
    as the raw Typst call in it, and as its longest stretches of plain words.
    None when it is not found there (a line of the Typst template, or of a reference)."""
    quoted = error.typst_line if isinstance(error, TypstFailure) else None
    if not quoted:
        return None
    heading = re.fullmatch(r"(=+) (.+)", quoted)
    needles = [
        *(["#" * len(heading[1]) + " " + heading[2]] if heading else []),
        quoted,
        *re.findall(r"#[A-Za-z][\w.-]*\(.*\)", quoted),  # raw Typst inside a line of text
        *sorted(re.findall(r"[^\W\d_][^#$\\\[\]`*_]{11,}", quoted), key=len, reverse=True),
    ]
    sources = data_sources(prepared.plan.project)
    for needle in needles:
        for rendered in prepared.document.rendered:
            at = rendered.text.find(needle)
            if at < 0:
                continue
            where, _ = locate(rendered, at, at + len(needle), sources)
            if where.line is not None:
                return ToolError(error.message, where, error.hint)
    return None


_PANDOC_BIB_ERROR = re.compile(
    r'(?:Error at "(?P<file>[^"]+)" |Error reading bibliography file (?P<cited>\S+?):\s*\|?\s*)'
    r"\(line (?P<line>\d+), column (?P<column>\d+)\):\s*\|?\s*(?P<reason>[^|]*)"
)
"""Pandoc's parse error in a .bib file, read alone or with --citeproc, as
:mod:`casekit.typesetting.pandoc` carries it on one line."""


def store_error(error: CasekitError, prepared: Prepared) -> BibError | None:
    """Pandoc's error at a line of the cited entries, as one at the author's entry.

    The entries pandoc reads are a rewritten subset of references.bib in a temporary
    folder; a line number there means nothing to the author. The subset knows which
    entry (and which line of it) each of its lines came from."""
    match = _PANDOC_BIB_ERROR.search(error.message)
    if match is None or Path(match["file"] or match["cited"]).name != BIBLIOGRAPHY_FILE:
        return None
    subset = make_subset(prepared.store, prepared.keys)
    line = int(match["line"])
    piece = subset.origin(line)
    if piece is None:
        return None
    store = prepared.store
    reason = match["reason"].strip() or "cannot parse"
    where = subset.store_line(line)
    # The head line is rewritten (a manager's type, parentheses): its columns moved.
    column = int(match["column"]) if line != piece.start else None
    if piece.key is None:
        return BibError(
            f"pandoc cannot read this @string or @preamble block: {reason}",
            Location(store.path, where, column),
            hint="every such block is handed to pandoc with the cited entries; fix or delete it",
        )
    cited = piece.key in prepared.keys
    what = "cited entry" if cited else "entry (inherited by a cited one)"
    return BibError(
        f"pandoc cannot read {what} {piece.key!r}: {reason}",
        Location(store.path, where, column, piece.key),
        hint="fix the entry; `casekit check` lists what else is wrong in the store",
    )


def citeproc_args(work: Path, style: Style, bibliography: Path) -> tuple[str, ...]:
    """Pandoc arguments that number and format citations; pandoc must run in ``work``.

    The style and filters are copied into ``work`` and every path is relative:
    pandoc's ``--sandbox`` reads only what it is given, and the DOCX writer copies
    the ``bibliography`` and ``csl`` values into the document's custom properties,
    where an absolute path would leak the machine's layout and break reproducibility.
    """
    for name in (DEDUPE_FILTER, NO_BREAK_FILTER, FIGURES_FILTER):
        (work / name).write_bytes(data_file(name).read_bytes())
    (work / STYLE_FILE).write_bytes(style.csl().encode("utf-8"))  # repaired (repairs.py)
    if bibliography.parent.resolve() != work.resolve():
        (work / BIBLIOGRAPHY_FILE).write_bytes(bibliography.read_bytes())
        bibliography = work / BIBLIOGRAPHY_FILE
    return (
        "--citeproc",
        f"--csl={STYLE_FILE}",
        f"--bibliography={bibliography.name}",
        "--metadata=link-citations:false",
    )


def needs_dedupe(citations: Iterable[Citation]) -> bool:
    """Whether a citation names one key twice, e.g. ``[@a; @b; @a]``.

    citeproc would print "[1,2,1]"; the dedupe filter fixes that, and is left out
    when nothing needs it (it costs pandoc a walk of the whole document)."""
    return any(len(set(c.keys)) != len(c.keys) for c in citations)


DEDUPE_FILTER = "dedupe-citations.lua"
"""Drops a key cited twice within one citation (runs before citeproc)."""
NO_BREAK_FILTER = "citations.lua"
"""For Typst: boxes each printed citation, DOI and short link so no line break splits
it, and makes the reference list a list (tagged as one in the PDF)."""
ANCHORS_FILTER = "anchors.lua"
"""Turns the DOCX's anchor markers into bookmarks (rendering/anchors.py)."""
FIGURES_FILTER = "figures.lua"
"""Gives every writer each image's alt text (Typst its own way, and each equation its TeX
as alt text); hands casekit's drawn figures to writers that embed images. Typst always
runs it: an equation may stand anywhere, a cited title included."""
STYLE_FILE = "style.csl"
BIBLIOGRAPHY_FILE = "references.bib"
