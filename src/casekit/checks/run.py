"""``casekit check``: every citation and reference problem, collected and reported at once.

Checks never stop at the first problem. Store checks depend only on the store's
content and are cached under ``build/.cache`` by its SHA-256; template checks and
the comparison with built outputs run every time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from casekit.building.pipeline import Part, locate_key, output_dir, privacy_gate
from casekit.checks.abbreviations import check_scope, token, typed_definitions, unused
from casekit.checks.bibtex import check_store
from casekit.checks.care import checklist, is_case_report
from casekit.checks.compare import compare_outputs
from casekit.checks.limits import journal_limits
from casekit.checks.problems import SCHEMA_VERSION, Problem
from casekit.checks.text import Source, forbidden_citations, typed_citations
from casekit.core import cachefile
from casekit.core.errors import CasekitError, Location
from casekit.core.paths import shown
from casekit.core.project import Project
from casekit.core.textfile import locate
from casekit.core.yamlfile import Loaded
from casekit.inputs.abbreviations import load_abbreviations
from casekit.inputs.casedata import Case, load_case
from casekit.inputs.journals import Profile, load_profile
from casekit.inputs.manuscript import Manuscript, load_manuscript
from casekit.inputs.templates import template_files
from casekit.references.citations import find_citations
from casekit.references.store import Store, scan_store
from casekit.rendering.document import Document, render_document
from casekit.typesetting.readback import ABSTRACT

CACHE_VERSION = 1
T = TypeVar("T")
OUTPUT_FORMATS = ("pdf", "docx", "html", "txt", "jats")
"""Formats casekit can read back (``--built`` rebuilds those already present)."""


@dataclass(frozen=True)
class Report:
    """The outcome of one ``casekit check``."""

    problems: tuple[Problem, ...]
    """Every problem found, grouped by file and ordered by line."""
    summary: dict[str, int] = field(default_factory=dict)
    """What was examined: entries, cited keys, citation groups, outputs compared."""

    def count(self, level: str) -> int:
        return sum(1 for p in self.problems if p.level == level)

    def to_json(self, base: Path) -> dict[str, object]:
        """The documented JSON report (docs/check-report.md)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "summary": {
                **self.summary,
                "errors": self.count("error"),
                "warnings": self.count("warning"),
                "infos": self.count("info"),
            },
            "problems": [
                {
                    "code": p.code,
                    "severity": p.level,
                    "file": None if p.location.path is None else shown(p.location.path, base),
                    "line": p.location.line,
                    "column": p.location.column,
                    "field": p.location.field,
                    "message": p.message,
                    "hint": p.hint,
                }
                for p in self.problems
            ],
        }


def run_checks(project: Project, journal: str | None = None) -> Report:
    """Check a project; raises only when there is nothing to check.

    With ``journal``, the journal's limits and required statements are checked too,
    and the outputs compared are those in ``build/<journal>/``.
    """
    project.check_exists()
    profile = load_profile(project.templates, journal, project.root) if journal else None
    problems: list[Problem] = []
    summary: dict[str, int] = {}
    meta = _attempt(problems, lambda: load_manuscript(project.manuscript_yaml))
    case = _attempt(problems, lambda: load_case(project.case_yaml))
    store = _attempt(
        problems, lambda: scan_store(project.bibliography, project.cache), "bib-unreadable"
    )
    if store is not None:
        problems += _store_problems(project, store)
        summary["entries"] = len(store.entries)
    document = _render(project, meta, case, profile, problems)
    parts = _parts(project, document)
    citations = [c for part in parts for c in find_citations(part.markdown)]
    summary["citations"] = len(citations)
    cited = list(dict.fromkeys(k for c in citations for k in c.keys))
    summary["cited_keys"] = len(cited)
    if store is not None:
        problems += _unknown_keys(parts, store)
        problems += _uncited(store, set(cited))
    problems += typed_citations(_typed_sources(project, meta))
    if meta is not None:
        rules = meta.value.checks
        problems += forbidden_citations(
            _rule_sources(project, meta, parts), rules.no_citations_in, rules.forbidden_citation
        )
    if meta is not None:
        problems += _privacy(project, meta, document)
    if meta is not None:
        problems += _abbreviation_problems(project, meta, document)
    if meta is not None and document is not None and is_case_report(meta.value):
        for item in checklist(meta.value, document, project.templates):
            if not item.where:
                problems.append(
                    Problem(
                        "care-item-missing",
                        meta.where("sections"),
                        f"CARE item {item.item} ({item.topic}: {item.text}) is not addressed",
                        "cover it in a section and declare it there with {## care: "
                        f"{item.item} ##}}, or add the statement it asks for",
                    )
                )
    if document is not None:
        where = Location(project.templates / "sections")
        problems += [
            Problem(code, where, message) for code, message in document.numbering.problems()
        ]
    if profile is not None and meta is not None and document is not None:
        problems += journal_limits(profile, meta, document)
    unknown = store is None or any(k not in store.entries for k in cited)
    if meta is not None and document is not None and not unknown:
        style = profile.journal.style if profile else meta.value.style
        where = profile.loaded.where("style") if profile else meta.where("style")
        out = output_dir(project, journal, review=False)
        first = _first_heading(document, profile)
        compared = compare_outputs(
            project, out, (style, where), first, citations, len(cited), problems
        )
        summary["outputs_compared"] = len(list(compared))
    ordered = sorted(problems, key=_order)
    return Report(tuple(ordered), summary)


def _order(p: Problem) -> tuple[str, int, int, str]:
    return (str(p.location.path or ""), p.location.line or 0, p.location.column or 0, p.code)


def _attempt(
    problems: list[Problem], load: Callable[[], T], code: str = "project-unreadable"
) -> T | None:
    try:
        return load()
    except CasekitError as exc:
        problems.append(Problem.from_error(code, exc))
        return None


def _store_problems(project: Project, store: Store) -> list[Problem]:
    """Store checks, cached by the store's content hash (never trusted after a change)."""
    cache = project.cache / f"check-{store.sha256}.json"
    data = cachefile.read(cache, CACHE_VERSION, store.sha256)
    if data is not None:
        try:
            return [
                Problem(code, Location(store.path, line, column, fld), message, hint, severity)
                for code, line, column, fld, message, hint, severity in data["problems"]
            ]
        except (KeyError, TypeError, ValueError):
            pass  # a record of another shape: recompute
    problems = check_store(store)
    rows = [
        [p.code, p.location.line, p.location.column, p.location.field, p.message, p.hint,
         p.severity]
        for p in problems
    ]  # fmt: skip
    cachefile.write(cache, CACHE_VERSION, store.sha256, {"problems": rows}, "check-*.json")
    return problems


def _render(
    project: Project,
    meta: Loaded[Manuscript] | None,
    case: Loaded[Case] | None,
    profile: Profile | None,
    problems: list[Problem],
) -> Document | None:
    if meta is None or case is None:
        return None
    try:
        abbreviations = load_abbreviations(project.abbreviations)
        return render_document(
            project.templates,
            meta.value,
            case.value,
            meta.where("abstract"),
            project.cache,
            profile.journal if profile else None,
            abbreviations=abbreviations.value if abbreviations else None,
        )
    except CasekitError as exc:
        problems.append(Problem.from_error("project-unreadable", exc))
        return None


def _parts(project: Project, document: Document | None) -> list[Part]:
    """The rendered document's parts, or the raw templates when it cannot be rendered."""
    if document is not None:
        return [
            Part(project.manuscript_yaml, document.front),
            *(Part(s.template, s.markdown) for s in document.sections),
            Part(project.templates / "back.md.j2", document.back),
        ]
    # Fall back to what the templates say literally: still finds most citations.
    sources = template_files(project.templates)
    return [Part(path, path.read_text(encoding="utf-8", errors="replace")) for path in sources]


def _first_heading(document: Document, profile: Profile | None) -> str:
    """The heading where cited text begins: the abstract's, or the first section's."""
    if profile is None or profile.journal.abstract != "none":
        return profile.journal.abstract_title if profile else ABSTRACT
    for section in document.sections:
        match = re.search(r"^#\s+(.+?)\s*(\{[^}]*\})?\s*$", section.markdown, re.MULTILINE)
        if match:
            return match.group(1)
    return ABSTRACT


def _unknown_keys(parts: Iterable[Part], store: Store) -> Iterator[Problem]:
    reported: set[tuple[Path, str]] = set()
    for part in parts:
        for citation in find_citations(part.markdown):
            for key in citation.keys:
                if key in store.entries or (part.source, key) in reported:
                    continue
                reported.add((part.source, key))
                close = store.closest_keys(key)
                yield Problem(
                    "unknown-key",
                    locate_key(part.source, key),
                    f"unknown citation key {key!r}: not in {store.path.name}",
                    "did you mean " + ", ".join(close) + "?"
                    if close
                    else f"add an entry with this key to {store.path.name}",
                )


def _uncited(store: Store, cited: set[str]) -> Iterator[Problem]:
    for entry in store.entries.values():
        if entry.key not in cited:
            yield Problem(
                "uncited-entry",
                Location(store.path, entry.line, None, entry.key),
                f"entry {entry.key!r} is never cited",
                "cite it, or remove it from this manuscript's store",
            )


def _typed_sources(project: Project, meta: Loaded[Manuscript] | None) -> list[Source]:
    sources = []
    for path in template_files(project.templates):
        text = path.read_text(encoding="utf-8", errors="replace")
        name = path.relative_to(project.templates).as_posix()
        sources.append(Source(name, path, 1, text))
    if meta is not None:
        line = meta.where("abstract").line or 1
        sources.append(Source("abstract", project.manuscript_yaml, line + 1, meta.value.abstract))
    return sources


def _rule_sources(project: Project, meta: Loaded[Manuscript], parts: list[Part]) -> list[Source]:
    value = meta.value
    path = project.manuscript_yaml
    sources = [
        Source("title", path, meta.where("title").line or 1, value.title),
        Source("keywords", path, meta.where("keywords").line or 1, "\n".join(value.keywords)),
        Source("abstract", path, (meta.where("abstract").line or 0) + 1, value.abstract),
    ]
    for part in parts:
        if part.source.name.endswith(".md.j2"):
            sources.append(
                Source(part.source.name.removesuffix(".md.j2"), part.source, 1, part.markdown)
            )
    return sources


def _abbreviation_problems(
    project: Project, meta: Loaded[Manuscript], document: Document | None
) -> Iterator[Problem]:
    try:
        loaded = load_abbreviations(project.abbreviations)
    except CasekitError as exc:
        yield Problem.from_error("project-unreadable", exc)
        return
    if loaded is None:
        return
    definitions = loaded.value
    sources = [
        (path, 1, path.read_text(encoding="utf-8", errors="replace"))
        for path in template_files(project.templates)
    ]
    sources.append(
        (project.manuscript_yaml, (meta.where("abstract").line or 0) + 1, meta.value.abstract)
    )
    yield from typed_definitions(definitions, sources)
    if document is None:
        return
    body = "\n".join(s.markdown for s in document.sections)
    starts = [0]
    for section in document.sections:
        starts.append(starts[-1] + len(section.markdown) + 1)

    def in_body(short: str, offset: int) -> Location:
        index = max(i for i, start in enumerate(starts[:-1]) if start <= offset)
        template = document.sections[index].template
        return locate(template, token(short), short)

    def in_abstract(short: str, offset: int) -> Location:
        return meta.where("abstract")

    yield from check_scope("abstract", document.abstract, definitions, in_abstract)
    yield from check_scope("main text", body, definitions, in_body)
    yield from unused(loaded, [document.abstract, body])


def _privacy(
    project: Project, meta: Loaded[Manuscript], document: Document | None
) -> Iterator[Problem]:
    result = privacy_gate(project, meta, document)
    for finding in result.findings:
        yield Problem(
            "patient-identifier",
            Location(finding.path, finding.line, finding.column, finding.category),
            f"{finding.category}: {finding.masked!r} looks like a patient identifier",
            "remove it (days relative to an anchor; no names, places or numbers), or waive "
            "it under privacy_waivers in manuscript.yaml with a reason",
        )
    for finding, waiver in result.waived:
        yield Problem(
            "identifier-waived",
            Location(finding.path, finding.line, finding.column, finding.category),
            f"{finding.category}: {finding.masked!r} waived: {waiver.reason}",
        )
