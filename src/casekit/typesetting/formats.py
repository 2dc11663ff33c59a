"""The output formats: one table, from format name to how it is made and read back.

Adding a format means adding a row to :data:`FORMATS`: its name, extension, pandoc
writer, the project files only it reads, and the function that reads it back. The
build, the manifest, make rules, ``watch``, ``check`` and the command line look
formats up here; nothing else lists them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from casekit.data import data_file
from casekit.references.styles import Look
from casekit.rendering.headings import Headings
from casekit.typesetting import pandoc
from casekit.typesetting.readback import (
    Printed,
    read_docx,
    read_jats,
    read_pdf,
    read_plain,
)
from casekit.typesetting.typst_pdf import compile_pdf

if TYPE_CHECKING:  # the anchors' module loads the renderer: only a DOCX build needs it
    from casekit.rendering.anchors import Anchored


@dataclass(frozen=True)
class Job:
    """What every format's producer gets: one rendered, citation-ready manuscript."""

    markdown: Path
    """The rendered Markdown (with its YAML metadata block) in the work directory."""
    citeproc_args: tuple[str, ...]
    """Pandoc arguments that resolve citations (style, bibliography, filters)."""
    work: Path
    """Private scratch directory; Typst is confined to it."""
    reference_docx: Path
    """Word styles to copy into DOCX output."""
    typst_template: Path
    """Pandoc template producing Typst source."""
    epoch: int
    """Timestamp written into outputs."""
    variables: tuple[str, ...] = ()
    """Template variables for the page layout (``--variable=...``)."""
    bibliography: Path | None = None
    """The cited entries, as handed to pandoc."""
    filters_before: tuple[str, ...] = ()
    """Lua filters to run before citeproc."""
    filters_typst: tuple[str, ...] = ()
    """Lua filters to run after citeproc when writing Typst."""
    filters_other: tuple[str, ...] = ()
    """Lua filters to run after citeproc for every other writer.

    Each filter pass costs pandoc a walk of the whole document (about 0.2 s on a
    200-page manuscript), so a writer gets only the filters it needs."""

    reader: str = "markdown"
    """How pandoc reads ``markdown``: ``json`` for a pandoc document already cited (the
    marked copies of a revision)."""
    anchors: Callable[[], Anchored] | None = field(default=None, compare=False)
    """Makes the Markdown the DOCX writer reads instead of :attr:`markdown` (the same with
    a marker at each anchor, which ``filters_docx`` turns into bookmarks) and the map of
    where its text was written, stored in the DOCX (``rendering/anchors.py``). Called by
    the DOCX producer, so the work overlaps with the other formats'. None: the DOCX is
    written from :attr:`markdown`, without anchors."""
    filters_docx: tuple[str, ...] = ()
    """Lua filters the DOCX writer alone runs, after every other."""
    pdf_standards: tuple[str, ...] = ()
    """The PDF standards Typst validates the PDF against (``ua-1``, ``a-2a``)."""
    font_paths: tuple[Path, ...] = ()
    """Folders of the project's own fonts, for Typst."""

    on_step: Callable[[str], None] = field(default=lambda step: None, compare=False)
    """Told when the format moves to a new step (e.g. ``typeset``), for progress."""

    def cite_args(self, writer: str) -> tuple[str, ...]:
        """Pandoc arguments that resolve citations for ``writer``, filters included."""
        after = self.filters_typst if writer == "typst" else self.filters_other
        if writer == "docx":
            after = (*after, *self.filters_docx)
        return (
            *(f"--lua-filter={name}" for name in self.filters_before),
            *self.citeproc_args,
            *(f"--lua-filter={name}" for name in after),
        )

    def pandoc(self, writer: str, *args: str, cite: Sequence[str] | None = None) -> str:
        """Run pandoc on the manuscript in the work directory; ``cite`` replaces the
        usual citation arguments."""
        cite = self.cite_args(writer) if cite is None else cite
        command = ["--sandbox", "-f", self.reader, self.markdown.name, *cite]
        command += ["-t", writer, *args, *pandoc.gc_options(self.markdown.stat().st_size)]
        env = {"SOURCE_DATE_EPOCH": str(self.epoch)}
        return str(pandoc.run(command, env=env, cwd=self.work))


def _markdown(job: Job) -> bytes:
    return job.markdown.read_bytes()


def typst_source(job: Job) -> Path:
    """Write the Typst source of the PDF into the work folder; the same source always
    typesets the same pages (the response to reviewers queries it for positions)."""
    source = job.work / "manuscript.typ"
    job.pandoc(
        "typst", "--template", str(job.typst_template), *job.variables,
        "--default-image-extension=svg", "-o", str(source),
    )  # fmt: skip
    return source


def typeset(job: Job, source: Path) -> bytes:
    """The PDF of the Typst ``source`` :func:`typst_source` wrote, validated against the
    job's standards."""
    return compile_pdf(
        source, job.work, job.epoch, job.pdf_standards, job.font_paths, job.typst_template
    )


def _pdf(job: Job) -> bytes:
    source = typst_source(job)
    job.on_step("typeset")
    return typeset(job, source)


def _written_by_pandoc(writer: str, suffix: str, *extra: str) -> Callable[[Job], bytes]:
    def produce(job: Job) -> bytes:
        target = job.work / f"manuscript{suffix}"
        job.pandoc(writer, *extra, "--default-image-extension=png", "-o", str(target))
        data = target.read_bytes()
        os.unlink(target)
        return data

    return produce


def _jats(job: Job) -> bytes:
    # The element_citations extension makes the JATS writer read the bibliography
    # again, which --sandbox forbids; handing pandoc the references as metadata
    # (CSL YAML converted from the same cited entries) needs no file access.
    references = job.work / "references.yaml"
    if job.bibliography is not None:
        converted = str(
            pandoc.run(
                ["--sandbox", "-f", "bibtex", job.bibliography.name, "-s", "-t", "markdown"],
                cwd=job.work,
            )
        )
        references.write_text(converted.strip().strip("-").strip() + "\n", encoding="utf-8")
    writer = "jats_archiving+element_citations"
    cite = [a for a in job.cite_args(writer) if not a.startswith("--bibliography=")]
    target = job.work / "manuscript.xml"
    job.pandoc(
        writer, f"--metadata-file={references.name}", "-s",
        "--default-image-extension=png", "-o", str(target), cite=cite,
    )  # fmt: skip
    return escape_alt_text(target.read_bytes())


_ALT_TEXT = re.compile(rb"(<alt-text>)(.*?)(</alt-text>)", re.DOTALL)
_BARE_AMPERSAND = re.compile(rb"&(?![A-Za-z][A-Za-z0-9]*;|#[0-9]+;|#x[0-9A-Fa-f]+;)")


def escape_alt_text(xml: bytes) -> bytes:
    """JATS whose ``<alt-text>`` holds only text: pandoc 3.9's JATS writer prints an
    image's description there unescaped (``MRD undetectable (<0.001%)`` made the XML
    ill-formed). ``<`` and ``>`` are escaped, and an ``&`` that starts no entity, so a
    pandoc that escapes it itself is left as it is."""

    def escaped(match: re.Match[bytes]) -> bytes:
        text = _BARE_AMPERSAND.sub(b"&amp;", match[2]).replace(b"<", b"&lt;")
        return match[1] + text.replace(b">", b"&gt;") + match[3]

    return _ALT_TEXT.sub(escaped, xml)


def _docx(job: Job) -> bytes:
    write = _written_by_pandoc("docx", ".docx", "--reference-doc", str(job.reference_docx))
    if job.anchors is None:
        return write(job)
    from casekit.typesetting.docxmap import embed_map  # loads the renderer: DOCX only

    anchored = job.anchors()
    source = job.work / ANCHORED_MARKDOWN
    source.write_text(anchored.markdown, encoding="utf-8")
    return embed_map(write(replace(job, markdown=source)), anchored.map)


ANCHORED_MARKDOWN = "manuscript-anchored.md"
"""The Markdown the DOCX writer reads: the rendered Markdown with anchor markers."""


Reader = Callable[[Path, Look, Headings], Printed]
"""Reads a built output back: the citation labels and reference list it prints."""


@dataclass(frozen=True)
class Format:
    """One output format: one row of :data:`FORMATS`."""

    name: str
    """Name on the command line."""
    extension: str
    """File extension of ``build/manuscript.<ext>``."""
    writer: str | None
    """The pandoc writer that makes it (None: the rendered Markdown itself)."""
    description: str
    """One line for ``--help``."""
    produce: Callable[[Job], bytes]
    """Makes the output's bytes."""
    reads: tuple[str, ...] = ()
    """Project files (or folders, ending in ``/``) that only this format reads, relative
    to the project: a change to one of them rebuilds this format and no other."""
    reader: Reader | None = None
    """Reads the output back for ``casekit check`` (None: it is not read back)."""
    companions: Callable[[Job], dict[str, bytes]] | None = None
    """Files that go with the output, by extension (a .tex file's .bib)."""

    @property
    def filename(self) -> str:
        """``manuscript.<ext>``."""
        return f"manuscript.{self.extension}"


def _cited_bibliography(job: Job) -> dict[str, bytes]:
    return {"bib": job.bibliography.read_bytes()} if job.bibliography else {}


HTML_PAGE = (
    f"--template={data_file('html-page.html')}",
    f"--lua-filter={data_file('html-landmarks.lua')}",
)
"""The HTML page's template and filter: pandoc's own, with landmarks (a header for the
title block, a main for the manuscript) that screen readers and axe-core look for."""

TYPST_TEMPLATES = "templates/pandoc/"
REFERENCE_DOCX = "templates/reference.docx"

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("pdf", "pdf", "typst", "PDF typeset by Typst", _pdf, (TYPST_TEMPLATES,), read_pdf),
        Format(
            "docx", "docx", "docx", "Word document styled by templates/reference.docx", _docx,
            (REFERENCE_DOCX,), read_docx,
        ),
        Format(
            "html", "html", "html5", "standalone HTML page, figures embedded",
            _written_by_pandoc("html5", ".html", "-s", "--embed-resources", *HTML_PAGE),
            reader=read_plain,
        ),
        Format(
            "txt", "txt", "plain", "plain text", _written_by_pandoc("plain", ".txt", "-s"),
            reader=read_plain,
        ),
        Format("md", "md", None, "the rendered Markdown, before pandoc", _markdown),
        Format(
            "jats", "xml", "jats_archiving",
            "JATS XML (archiving) with structured element citations", _jats, reader=read_jats,
        ),
        Format(
            "tex", "tex", "latex", "LaTeX source, with manuscript.bib holding the cited entries",
            _written_by_pandoc("latex", ".tex", "-s"), companions=_cited_bibliography,
        ),
    )
}  # fmt: skip
"""Every output format casekit makes; nothing else lists them."""


def readable_in(folder: Path) -> list[Format]:
    """The formats whose output is in ``folder`` and that casekit can read back."""
    return [f for f in FORMATS.values() if f.reader and (folder / f.filename).is_file()]


def format_for(filename: str) -> Format | None:
    """The format whose output is called ``filename`` (``manuscript.pdf``), if any."""
    return next((f for f in FORMATS.values() if f.filename == filename), None)
