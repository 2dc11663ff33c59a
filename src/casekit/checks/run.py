"""``casekit check``: every citation and reference problem, collected and reported at once.

Checks never stop at the first problem. Store checks depend only on the store's
content and are cached under ``build/.cache`` by its SHA-256; template checks and
the comparison with built outputs run every time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from casekit.building.plan import Plan, Request, make_plan
from casekit.building.prepare import cited_entry_errors, privacy_gate, render, unknown_keys
from casekit.building.verify import outdated
from casekit.checks.abbreviations import (
    call_at_sentence_start,
    check_scope,
    lowercase_starts,
    token,
    typed_definitions,
    unused,
)
from casekit.checks.alttext import alt_text_problems
from casekit.checks.bibtex import check_store
from casekit.checks.care import case_records, checklist, is_case_report
from casekit.checks.compare import compare_outputs
from casekit.checks.limits import journal_limits
from casekit.checks.markdown import Reader, markdown_traps
from casekit.checks.problems import SCHEMA_VERSION, Problem
from casekit.checks.response import response_problems
from casekit.checks.text import Source, forbidden_citations, typed_citations
from casekit.checks.uncited import uncited_entries
from casekit.core import cachefile
from casekit.core.errors import CasekitError, Location, StyleError
from casekit.core.paths import shown
from casekit.core.project import Project
from casekit.core.textfile import locate, read_text
from casekit.core.yamlfile import Loaded
from casekit.inputs.abbreviations import load_abbreviations, long_forms
from casekit.inputs.case_file import load_case
from casekit.inputs.journals import load_profile
from casekit.inputs.manuscript import Manuscript, load_manuscript
from casekit.inputs.placeholders import find_placeholders, has_placeholder
from casekit.inputs.privacy import HINT, Finding, identifier_message
from casekit.inputs.templates import template_files
from casekit.references.citations import find_citations
from casekit.references.store import Store, scan_store
from casekit.references.styles import DEFAULT_STYLE
from casekit.rendering.document import Document, Part
from casekit.typesetting.formats import readable_in

CACHE_VERSION = 2
T = TypeVar("T")


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
                    "identifier": None if p.finding is None else _identifier(p.finding, base),
                }
                for p in self.problems
            ],
        }


def _identifier(finding: Finding, base: Path) -> dict[str, object]:
    """A privacy problem's suspected identifier, as JSON: masked, never in clear."""
    return {
        "category": finding.category,
        "masked": finding.masked,
        "printed_with": [
            {
                "file": None if where.path is None else shown(where.path, base),
                "line": where.line,
                "column": where.column,
                "field": where.field,
            }
            for where in finding.also
        ],
    }


def run_checks(request: Request, every_uncited: bool = False) -> Report:
    """Check a project; raises only when there is nothing to check.

    ``every_uncited``: list each uncited entry of a shared library too, not only their
    count (``casekit check --all``).

    With a journal, the journal's limits and required statements are checked too. The
    outputs compared are those in the request's output folder (``build/<journal>/``,
    ``review/`` below it for a blinded copy), each in the style its manifest says it
    was built with.
    """
    project = request.project
    project.check_exists()
    problems: list[Problem] = list(_placeholders(project))
    summary: dict[str, int] = {}
    meta = _attempt(problems, lambda: load_manuscript(project.manuscript_yaml))
    plan = _plan(request, meta, problems)
    case = _attempt(problems, lambda: load_case(project.case_yaml, project.case_schema))
    store = _attempt(
        problems, lambda: scan_store(project.bibliography, project.cache), "bib-unreadable"
    )
    if store is not None:
        problems += _store_problems(project, store)
        summary["entries"] = len(store.entries)
    document = None
    if plan is not None and case is not None:
        document = _attempt(problems, lambda: render(plan, case.value))
    parts = list(document.parts) if document is not None else _template_parts(project)
    citations = [c for part in parts for c in find_citations(part.markdown)]
    summary["citations"] = len(citations)
    cited = list(dict.fromkeys(k for c in citations for k in c.keys))
    summary["cited_keys"] = len(cited)
    if store is not None:
        problems += [Problem.from_error("unknown-key", e) for e in unknown_keys(parts, store)]
        library = meta.value.bibliography.library if meta is not None else None
        problems += uncited_entries(store, set(cited), library, every_uncited)
        # What the store check warns about in an entry the manuscript cites stops a build.
        refused = [Problem.from_error(code, e) for code, e in cited_entry_errors(store, cited)]
        raised = {(p.code, p.location) for p in refused}
        problems = [p for p in problems if (p.code, p.location) not in raised] + refused
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
    if document is not None:
        rendered = document
        traps = _attempt(problems, lambda: markdown_traps(rendered.parts, rendered.markdown))
        problems += traps or []
        if plan is not None:
            accessible, templates = plan.pdf.accessible, template_files(project.templates)
            missing = _attempt(
                problems,
                lambda: alt_text_problems(rendered.parts, templates, accessible, Reader()),
            )
            problems += missing or []
    if meta is not None and document is not None and case is not None:
        problems += _care_problems(project, meta, document, case_records(case.value))
    if document is not None:
        where = Location(project.templates / "sections")
        problems += [
            Problem(code, where, message) for code, message in document.numbering.problems()
        ]
    if plan is not None and plan.profile is not None and document is not None:
        problems += journal_limits(plan.profile, plan.manuscript, document)
    problems += response_problems(project, document)
    unknown = store is None or any(k not in store.entries for k in cited)
    if plan is not None and document is not None and not unknown:
        compared = compare_outputs(
            project, plan.folder, document.headings, citations, cited, store, problems
        )
        summary["outputs_compared"] = len(list(compared))
    ordered = sorted(problems, key=_order)
    return Report(tuple(ordered), summary)


def _care_problems(
    project: Project, meta: Loaded[Manuscript], document: Document, records: frozenset[str]
) -> list[Problem]:
    """CARE items a case report leaves out, and those its sections declare but do not show."""
    if not is_case_report(meta.value):
        return []
    # A section that still holds a placeholder is reported as unfinished already; what
    # its declared items lack is judged once it is written.
    rendered = [(s.template, s.markdown) for s in document.sections] + [
        (project.templates / "front.md.j2", document.front),
        (project.templates / "back.md.j2", document.back),
    ]
    unfinished = {template for template, text in rendered if has_placeholder(text)}
    problems: list[Problem] = []
    for item in checklist(meta.value, document, project.templates, records):
        what = f"CARE item {item.item} ({item.topic}: {item.text})"
        if item.status == "missing":
            problems.append(
                Problem(
                    "care-item-missing",
                    meta.where("sections"),
                    f"{what} is not addressed",
                    "cover it in a section and declare it there with {## care: "
                    f"{item.item} ##}}, or add the statement it asks for",
                )
            )
        for declared in item.declared:
            if declared.location.path in unfinished:
                continue
            problems.append(
                Problem(
                    "care-item-unsupported",
                    declared.location,
                    f"{what} is declared in {declared.place}, but the section does not show it",
                    "write what the item asks for in that section (casekit looks for what "
                    "src/casekit/data/care-items.yaml names), or drop it from the declaration",
                )
            )
    return problems


def _placeholders(project: Project) -> Iterator[Problem]:
    """Every ``[TO DO: ...]`` left in the manuscript's files and templates."""
    sources = [*sorted(project.manuscript_yaml.parent.glob("*.yaml")),
               *template_files(project.templates)]  # fmt: skip
    for path in sources:
        try:
            text = read_text(path)
        except CasekitError:
            continue  # reported where the file is read for its contents
        for found in find_placeholders(path, text):
            yield Problem(
                "placeholder",
                found.location,
                f"unfinished: {found.text}",
                "write what it asks for in its place",
            )


def plan_for_built(request: Request) -> Plan:
    """What ``check --built`` builds first: the journal's formats, or else pdf, docx and
    every other format casekit reads back that is already in the folder; of those, only
    the outputs that are not current."""
    plan = make_plan(request)
    if plan.profile is None and not request.formats:
        present = (f.name for f in readable_in(plan.folder))
        plan = plan.only(("pdf", "docx", *present))
    return outdated(plan)


def _plan(
    request: Request, meta: Loaded[Manuscript] | None, problems: list[Problem]
) -> Plan | None:
    """The plan whose folder is checked. A style that cannot be resolved is a finding, not
    a reason to stop: outputs are compared in the style their manifest records, so the
    rest is checked under the default style. An unknown journal stops the check."""
    project = request.project
    if meta is None:
        if request.journal:
            load_profile(project.templates, request.journal)
        return None
    try:
        return make_plan(request, meta)
    except StyleError as exc:
        problems.append(Problem.from_error("project-unreadable", exc))
        return make_plan(replace(request, style=DEFAULT_STYLE), meta)


def _order(p: Problem) -> tuple[str, int, int, str]:
    return (str(p.location.path or ""), p.location.line or 0, p.location.column or 0, p.code)


def _attempt(
    problems: list[Problem], load: Callable[[], T], code: str = "project-unreadable"
) -> T | None:
    try:
        return load()
    except CasekitError as exc:
        problems.extend(Problem.from_error(code, error) for error in exc.errors)
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


def _template_parts(project: Project) -> list[Part]:
    """What the templates say literally, when the document cannot be rendered: still
    finds most citations."""
    sources = template_files(project.templates)
    return [Part(path, path.read_text(encoding="utf-8", errors="replace")) for path in sources]


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
    definitions = long_forms(loaded.value)
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

    def start_in_body(short: str, offset: int) -> Location:
        index = max(i for i, start in enumerate(starts[:-1]) if start <= offset)
        return call_at_sentence_start(document.sections[index].template, short)

    yield from check_scope("abstract", document.abstract, definitions, in_abstract)
    yield from check_scope("main text", body, definitions, in_body)
    yield from lowercase_starts("abstract", document.abstract, definitions, in_abstract)
    yield from lowercase_starts("main text", body, definitions, start_in_body)
    yield from unused(loaded, [document.abstract, body])


def _privacy(
    project: Project, meta: Loaded[Manuscript], document: Document | None
) -> Iterator[Problem]:
    result = privacy_gate(project, meta, document)
    for finding in result.findings:
        yield Problem(
            "patient-identifier",
            finding.location,
            identifier_message(finding, repr(finding.masked), project.root),
            HINT,
            finding=finding,
        )
    for finding, waiver in result.waived:
        yield Problem(
            "identifier-waived",
            finding.location,
            f"{finding.category} {finding.masked!r} waived: {waiver.reason}",
            finding=finding,
        )
