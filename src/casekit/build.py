"""The build pipeline: load → render → cite → typeset → write.

Every stage raises a located :class:`~casekit.errors.CasekitError`; nothing is
written to ``build/`` until every requested format has been made, and then each
output replaces its predecessor by an atomic rename, so a failed build leaves
the previous outputs exactly as they were.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import platform
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import __version__, outputs
from .bibstore import Store, load_store
from .casedata import load_case
from .citations import Citation, cited_keys, find_citations
from .data import data_file
from .errors import CitationError, InputError, Location
from .formats import FORMATS, Job
from .manuscript import load_manuscript
from .pandoc import pandoc_version
from .project import BuildConfig, Project, source_date_epoch
from .render import Document, render_document
from .styles import Style, resolve_style
from .typeset import typst_version


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


def prepare(project: Project, style_override: str | None = None) -> Prepared:
    """Load, validate and render a project, and check its citations against the store."""
    project.check_exists()
    meta_loaded = load_manuscript(project.manuscript_yaml)
    case_loaded = load_case(project.case_yaml)
    meta = meta_loaded.value
    style_where = meta_loaded.where("style") if style_override is None else None
    style = resolve_style(style_override or meta.style, project.root, style_where)
    abstract_where = meta_loaded.where("abstract")
    document = render_document(
        project.templates, meta, case_loaded.value, abstract_where, project.cache
    )
    parts = (
        Part(project.manuscript_yaml, document.front),
        *(Part(s.template, s.markdown) for s in document.sections),
        Part(project.templates / "back.md.j2", document.back),
    )
    citations = tuple(c for part in parts for c in find_citations(part.markdown))
    store = load_store(project.bibliography, project.cache)
    _check_keys(parts, store)
    return Prepared(document, parts, citations, style, store)


def _check_keys(parts: Iterable[Part], store: Store) -> None:
    for part in parts:
        for citation in find_citations(part.markdown):
            for key in citation.keys:
                if key not in store.entries:
                    close = difflib.get_close_matches(key, store.entries.keys(), n=3, cutoff=0.6)
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
    try:
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            match = pattern.search(line)
            if match:
                return Location(source, number, match.start() + 1, key)
    except OSError:
        pass
    return Location(source, None, None, key)


def build(config: BuildConfig) -> BuildResult:
    """Build the requested formats into ``build/``; all of them, or none."""
    project = config.project
    for name in config.formats:
        if name not in FORMATS:
            raise InputError(f"unknown format {name!r}", hint="formats: " + ", ".join(FORMATS))
    prepared = prepare(project, config.style)
    epoch = source_date_epoch(project.root)
    staged: dict[Path, Path] = {}
    try:
        with outputs.workdir(project.build) as work:
            job = make_job(project, prepared, work, epoch)
            formats = list(dict.fromkeys(config.formats))
            with ThreadPoolExecutor(max_workers=2) as pool:
                made = dict(
                    zip(formats, pool.map(lambda f: FORMATS[f].produce(job), formats), strict=True)
                )
            written: dict[str, Path] = {}
            for name, data in made.items():
                target = project.build / f"manuscript.{FORMATS[name].extension}"
                staged[target] = outputs.stage(project.build, target.name, data)
                written[name] = target
            manifest_path = project.manifest
            manifest = _manifest(project, prepared, epoch, config.command, made, manifest_path)
            staged[manifest_path] = outputs.stage(project.build, manifest_path.name, manifest)
            outputs.commit(staged)
    except BaseException:
        outputs.discard(staged.values())
        raise
    return BuildResult(written, manifest_path, len(prepared.keys))


def make_job(project: Project, prepared: Prepared, work: Path, epoch: int) -> Job:
    """Write the rendered Markdown, the cited entries, style and filters into ``work``."""
    markdown = work / "manuscript.md"
    markdown.write_text(prepared.document.markdown, encoding="utf-8")
    bibliography = work / BIBLIOGRAPHY_FILE
    bibliography.write_text(prepared.store.subset(prepared.keys), encoding="utf-8")
    args = citeproc_args(work, prepared.style, bibliography)
    return Job(markdown, args, work, project.reference_docx, project.typst_template, epoch)


def citeproc_args(work: Path, style: Style, bibliography: Path) -> tuple[str, ...]:
    """Pandoc arguments that number and format citations; pandoc must run in ``work``.

    The style and filters are copied into ``work`` and every path is relative:
    pandoc's ``--sandbox`` reads only what it is given, and the DOCX writer copies
    the ``bibliography`` and ``csl`` values into the document's custom properties,
    where an absolute path would leak the machine's layout and break reproducibility.
    """
    for name in CITATION_FILTERS:
        (work / name).write_bytes(data_file(name).read_bytes())
    (work / STYLE_FILE).write_bytes(style.path.read_bytes())
    if bibliography.parent.resolve() != work.resolve():
        (work / BIBLIOGRAPHY_FILE).write_bytes(bibliography.read_bytes())
        bibliography = work / BIBLIOGRAPHY_FILE
    before, after = CITATION_FILTERS
    return (
        f"--lua-filter={before}",
        "--citeproc",
        f"--csl={STYLE_FILE}",
        f"--bibliography={bibliography.name}",
        f"--lua-filter={after}",
        "--metadata=link-citations:false",
    )


CITATION_FILTERS = ("dedupe-citations.lua", "citations.lua")
"""Lua filters run before and after citeproc (shipped in casekit/data)."""
STYLE_FILE = "style.csl"
BIBLIOGRAPHY_FILE = "references.bib"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def input_hashes(project: Project) -> dict[str, str]:
    """SHA-256 of every input file, by path relative to the project."""
    return {
        p.relative_to(project.root).as_posix(): _sha256(p.read_bytes())
        for p in project.input_files()
    }


def inputs_digest(hashes: dict[str, str]) -> str:
    """One hash for a set of inputs: what each output records it was built from."""
    return _sha256(json.dumps(hashes, sort_keys=True).encode("utf-8"))


def _manifest(
    project: Project,
    prepared: Prepared,
    epoch: int,
    command: tuple[str, ...],
    made: dict[str, bytes],
    path: Path,
) -> bytes:
    previous: dict[str, object] = {}
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
        previous = dict(old.get("outputs", {})) if isinstance(old, dict) else {}
    except (OSError, ValueError):
        previous = {}
    inputs = input_hashes(project)
    produced = {
        f"manuscript.{FORMATS[name].extension}": {
            "sha256": _sha256(data),
            "bytes": len(data),
            "inputs": inputs_digest(inputs),
        }
        for name, data in made.items()
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
