"""The build pipeline: load → render → cite → typeset → write.

Every stage raises a located :class:`~casekit.errors.CasekitError`; nothing is
written to ``build/`` until every requested format has been made, and then each
output replaces its predecessor by an atomic rename, so a failed build leaves
the previous outputs exactly as they were.
"""

from __future__ import annotations

import json
import platform
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from casekit import __version__
from casekit.building.manifest import (
    input_hashes,
    make_rule,
    output_inputs,
    rule_file,
    sha256,
    with_hashes,
)
from casekit.building.progress import FormatSteps
from casekit.core import atomic
from casekit.core.errors import CitationError, InputError, Location, OutputError, PrivacyError
from casekit.core.project import BuildConfig, Project, source_date_epoch
from casekit.core.textfile import locate
from casekit.core.yamlfile import Loaded
from casekit.data import data_file
from casekit.inputs.abbreviations import load_abbreviations
from casekit.inputs.casedata import Case, load_case
from casekit.inputs.journals import Journal, Layout, Profile, load_profile
from casekit.inputs.manuscript import Manuscript, load_manuscript
from casekit.inputs.privacy import GateResult, scan_project
from casekit.references.citations import Citation, cited_keys, find_citations
from casekit.references.store import Store, load_store
from casekit.references.styles import Style, is_style_path, resolve_style
from casekit.rendering.counts import Counts
from casekit.rendering.document import Document, render_document
from casekit.rendering.figures import make_figure
from casekit.typesetting.formats import FORMATS, Job
from casekit.typesetting.pandoc import pandoc_version
from casekit.typesetting.typst_pdf import typst_version


@dataclass(frozen=True)
class Part:
    """A piece of the rendered document and the file that produced it."""

    source: Path
    """The template (or data file) the text was rendered from."""
    markdown: str
    """The rendered text."""


@dataclass(frozen=True)
class Prepared:
    """A manuscript rendered and checked, ready for pandoc."""

    document: Document
    """The rendered document."""
    parts: tuple[Part, ...]
    """Its parts in reading order, for locating citations."""
    citations: tuple[Citation, ...]
    """Every citation group in reading order."""
    style: Style
    """The resolved CSL style."""
    store: Store
    """The parsed BibTeX store."""
    case: Case | None = None
    """The case data (figures are drawn from it)."""
    journal: Journal | None = None
    """The journal profile the build is for, if any."""
    review: bool = False
    """Whether this is a blinded review copy."""

    @property
    def layout(self) -> Layout:
        """Page layout: the journal's, made double-spaced and line-numbered for review."""
        layout = self.journal.layout if self.journal else Layout()
        if self.review:
            layout = replace(layout, line_spacing=2.0, line_numbers=True, page_numbers=True)
        return layout

    @property
    def keys(self) -> list[str]:
        """Cited keys in order of first citation."""
        return cited_keys(self.citations)


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    outputs: dict[str, Path]
    """Format name to output file."""
    manifest: Path
    """The manifest file."""
    references: int
    """Number of distinct references cited."""
    counts: Counts
    """Word and item counts of the built manuscript."""
    document: Document
    """The rendered manuscript the outputs were made from."""


def prepare(
    project: Project,
    style_override: str | None = None,
    profile: Profile | None = None,
    review: bool = False,
) -> Prepared:
    """Load, validate and render a project, and check its citations against the store.

    The style is ``style_override``, else the journal profile's, else the manuscript's.
    """
    project.check_exists()
    meta_loaded = load_manuscript(project.manuscript_yaml)
    case_loaded = load_case(project.case_yaml)
    meta = meta_loaded.value
    if style_override is not None:
        style = resolve_style(style_override, project.root)
    elif profile is not None:
        style = resolve_style(profile.journal.style, project.root, profile.loaded.where("style"))
    else:
        style = resolve_style(meta.style, project.root, meta_loaded.where("style"))
    abstract_where = meta_loaded.where("abstract")
    journal = profile.journal if profile else None
    abbreviations = load_abbreviations(project.abbreviations)
    document = render_document(
        project.templates,
        meta,
        case_loaded.value,
        abstract_where,
        project.cache,
        journal,
        review,
        abbreviations.value if abbreviations else None,
    )
    parts = (
        Part(project.manuscript_yaml, document.front),
        *(Part(s.template, s.markdown) for s in document.sections),
        Part(project.templates / "back.md.j2", document.back),
    )
    citations = tuple(c for part in parts for c in find_citations(part.markdown))
    _refuse(privacy_gate(project, meta_loaded, document))
    store = load_store(project.bibliography, project.cache)
    _check_keys(parts, store)
    return Prepared(document, parts, citations, style, store, case_loaded.value, journal, review)


def privacy_gate(
    project: Project, meta: Loaded[Manuscript], document: Document | None
) -> GateResult:
    """Run the de-identification gate over everything that can hold patient data."""
    value = meta.value
    fields = [(meta.where("title").line or 1, value.title)]
    if value.running_title:
        fields.append((meta.where("running_title").line or 1, value.running_title))
    fields.append(((meta.where("abstract").line or 0) + 1, value.abstract))
    fields += [(meta.where(f"keywords.{i}").line or 1, k) for i, k in enumerate(value.keywords)]
    fields += [(meta.where(f"statements.{h}").line or 1, t) for h, t in value.statements.items()]
    rendered = []
    if document is not None:
        rendered = [(s.template, s.markdown) for s in document.sections]
        rendered.append((project.manuscript_yaml, document.abstract))
    return scan_project(
        project.root,
        project.case_yaml,
        project.templates,
        (project.manuscript_yaml, fields),
        rendered,
        value.privacy_waivers,
        project.cache,
    )


def _refuse(result: GateResult) -> None:
    if not result.findings:
        return
    first = result.findings[0]
    more = len(result.findings) - 1
    raise PrivacyError(
        f"patient identifier ({first.category}) {first.masked!r}"
        + (f", and {more} more" if more else ""),
        Location(first.path, first.line, first.column),
        hint="remove it (write days relative to an anchor, no names or places); "
        "`casekit check` lists every finding; a waiver needs a reason in manuscript.yaml",
    )


def _check_keys(parts: Iterable[Part], store: Store) -> None:
    for part in parts:
        for citation in find_citations(part.markdown):
            for key in citation.keys:
                if key not in store.entries:
                    close = store.closest_keys(key)
                    raise CitationError(
                        f"unknown citation key {key!r}: not in {store.path.name}",
                        locate_key(part.source, key),
                        "did you mean " + ", ".join(close) + "?"
                        if close
                        else f"add an entry with this key to {store.path.name}",
                    )


def locate_key(source: Path, key: str) -> Location:
    """The line in a template where ``@key`` is written (the text may come from a loop)."""
    pattern = re.compile(r"(?<![\w@])@\{?" + re.escape(key) + r"(?![\w:.#$%&\-+?<>~/]*\w)")
    return locate(source, pattern, key)


def build(config: BuildConfig) -> BuildResult:
    """Build the requested formats into ``build/``; all of them, or none."""
    project = config.project
    for name in config.formats:
        if name not in FORMATS:
            raise InputError(f"unknown format {name!r}", hint="formats: " + ", ".join(FORMATS))
    stage = config.progress or (lambda name: None)
    stage("render")
    profile = (
        load_profile(project.templates, config.journal, project.root) if config.journal else None
    )
    review = config.review or bool(profile and profile.journal.blinded)
    prepared = prepare(project, config.style, profile, review)
    out = output_dir(project, config.journal, review)
    formats = list(
        dict.fromkeys(config.formats or (profile.journal.formats if profile else ("pdf",)))
    )
    epoch = source_date_epoch(project.root)
    for directory in {project.build, out}:
        atomic.sweep(directory)
    staged: dict[Path, Path] = {}
    try:
        with atomic.workdir(project.build) as work:
            stage("cite")
            job = make_job(project, prepared, work, epoch)
            steps = FormatSteps(formats, stage)

            def produce(name: str) -> bytes:
                steps.step(name, "cite")
                data = FORMATS[name].produce(replace(job, on_step=steps.reporter(name)))
                steps.step(name, "done")
                return data

            with ThreadPoolExecutor(max_workers=max(1, config.jobs)) as pool:
                made = dict(zip(formats, pool.map(produce, formats), strict=True))
            files: dict[str, bytes] = {}
            inputs: dict[str, list[str]] = {}
            written: dict[str, Path] = {}
            spec = prepared.style.name
            style_file = project.root / spec if is_style_path(spec) else None
            input_files = project.input_files()
            for name, data in made.items():
                filename = f"manuscript.{FORMATS[name].extension}"
                files[filename] = data
                written[name] = out / filename
                inputs[filename] = output_inputs(
                    project, name, config.journal, style_file, prepared.review, input_files
                )
                companions = FORMATS[name].companions
                for extension, extra in (companions(job) if companions else {}).items():
                    files[f"manuscript.{extension}"] = extra
                    inputs[f"manuscript.{extension}"] = inputs[filename]
            stage("write")
            # The make rules go first, so that no rule is newer than its output.
            rules = {
                rule_file(path).name: make_rule(
                    path.relative_to(project.root).as_posix(), inputs[path.name]
                ).encode("utf-8")
                for path in written.values()
            }
            manifest_path = out / project.manifest.name
            # Builds into the same folder at once (`make -j pdf docx`) each add their
            # outputs to the manifest: one at a time, or one would drop the other's.
            with atomic.exclusive(out):
                manifest = _manifest(
                    project, prepared, epoch, config.command, files, inputs, manifest_path
                )
                for filename, data in {**rules, **files, manifest_path.name: manifest}.items():
                    staged[out / filename] = atomic.stage(out, filename, data)
                atomic.commit(staged)
    except OSError as exc:
        # A full disk or an unwritable directory anywhere in the build (figures, work
        # files, outputs) is a located output error, never a traceback.
        atomic.discard(staged.values())
        where = Location(Path(exc.filename)) if exc.filename else Location(out)
        raise OutputError(
            f"cannot write: {exc.strerror or exc}",
            where,
            hint="check free disk space and permissions",
        ) from None
    except BaseException:
        atomic.discard(staged.values())
        raise
    document = prepared.document
    return BuildResult(written, manifest_path, len(prepared.keys), document.counts, document)


def output_dir(project: Project, journal: str | None, review: bool) -> Path:
    """``build/``, ``build/<journal>/``, and ``review/`` below either for a blinded copy."""
    out = project.build / journal if journal else project.build
    return out / "review" if review else out


def make_job(project: Project, prepared: Prepared, work: Path, epoch: int) -> Job:
    """Write the rendered Markdown, the cited entries, style and filters into ``work``."""
    markdown = work / "manuscript.md"
    markdown.write_text(prepared.document.markdown, encoding="utf-8")
    bibliography = work / BIBLIOGRAPHY_FILE
    bibliography.write_text(prepared.store.subset(prepared.keys), encoding="utf-8")
    args = citeproc_args(work, prepared.style, bibliography)
    figures: tuple[str, ...] = ()
    if prepared.case is not None:
        figures = prepared.document.figures
        for name in figures:
            make_figure(name, prepared.case, work / "figures", project.cache)
    layout = prepared.layout
    reference = project.reference_docx
    if prepared.journal is not None or prepared.review:
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
    )
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
        filters_typst=(NO_BREAK_FILTER,),
        filters_other=(FIGURES_FILTER,) if figures else (),
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
    (work / STYLE_FILE).write_bytes(style.path.read_bytes())
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
"""Boxes each printed citation so Typst cannot break it across lines."""
FIGURES_FILTER = "figures.lua"
"""Hands casekit's drawn figures to writers that embed images."""
STYLE_FILE = "style.csl"
BIBLIOGRAPHY_FILE = "references.bib"


def _manifest(
    project: Project,
    prepared: Prepared,
    epoch: int,
    command: tuple[str, ...],
    files: dict[str, bytes],
    inputs_of: dict[str, list[str]],
    path: Path,
) -> bytes:
    """The manifest: tools, style and input hashes, and per output its hash and the
    inputs it read (outputs of earlier builds into the same folder are kept)."""
    previous: dict[str, object] = {}
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
        previous = dict(old.get("outputs", {})) if isinstance(old, dict) else {}
    except (OSError, ValueError):
        previous = {}
    inputs = with_hashes(
        project, {n for names in inputs_of.values() for n in names}, input_hashes(project)
    )
    produced = {
        filename: {
            "sha256": sha256(data),
            "bytes": len(data),
            "depends": {name: inputs[name] for name in inputs_of[filename]},
        }
        for filename, data in files.items()
    }
    style = prepared.style
    manifest = {
        "casekit": __version__,
        "tools": {
            "pandoc": pandoc_version(project.cache),
            "typst": typst_version(),
            "python": platform.python_version(),
        },
        "style": {"name": style.name, "parent": style.parent, "sha256": style.sha256},
        "source_date_epoch": epoch,
        "command": list(command),
        "inputs": inputs,
        "references": prepared.keys,
        "outputs": dict(sorted({**previous, **produced}.items())),
    }
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
