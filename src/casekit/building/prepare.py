"""Preparing a build: load the case, render the document, gate it, check every cited key.

Nothing here writes to ``build/``. A patient identifier, an unknown citation key or a
cited entry pandoc cannot be handed stops the build here, before pandoc runs, with the
file and line that wrote it. What is wrong with an entry nobody cites does not stop
it: ``casekit check`` warns about that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from casekit.building.plan import Plan
from casekit.core.errors import BibError, CitationError, Collector, Location
from casekit.core.project import Project
from casekit.core.textfile import locate
from casekit.core.yamlfile import Loaded
from casekit.inputs.abbreviations import load_abbreviations
from casekit.inputs.case_file import load_case
from casekit.inputs.casedata import Case
from casekit.inputs.manuscript import Manuscript
from casekit.inputs.privacy import GateResult, IdentifierFound, scan_project
from casekit.inputs.sourcemap import Rendered
from casekit.references.citations import Citation, cited_keys, find_citations
from casekit.references.store import Store, scan_store
from casekit.references.subset import entry_types
from casekit.rendering.document import Document, Part, render_document


@dataclass(frozen=True)
class Prepared:
    """A manuscript rendered and checked, ready for pandoc."""

    plan: Plan
    """What the build makes, and where."""
    document: Document
    """The rendered document."""
    citations: tuple[Citation, ...]
    """Every citation group in reading order."""
    store: Store
    """The parsed BibTeX store."""
    case: Case
    """The case data (figures are drawn from it)."""

    @property
    def keys(self) -> list[str]:
        """Cited keys in order of first citation."""
        return cited_keys(self.citations)


def prepare(plan: Plan) -> Prepared:
    """Load and render the planned manuscript; refuse patient identifiers and unknown keys."""
    project = plan.project
    case = load_case(project.case_yaml, project.case_schema)
    document = render(plan, case.value)
    citations = tuple(c for part in document.parts for c in find_citations(part.markdown))
    _refuse(privacy_gate(project, plan.manuscript, document), project.root)
    store = scan_store(project.bibliography, project.cache)
    for _, refused in cited_entry_errors(store, cited_keys(citations)):
        raise refused
    for unknown in unknown_keys(document.parts, store):
        raise unknown
    return Prepared(plan, document, citations, store, case.value)


def render(plan: Plan, case: Case, cache: bool = True) -> Document:
    """The planned manuscript rendered: the journal's sections, and blinded for review.
    Without ``cache``, nothing is written to ``build/.cache`` (compiled templates)."""
    project = plan.project
    abbreviations = load_abbreviations(project.abbreviations)
    return render_document(
        project.templates,
        plan.manuscript.value,
        case,
        plan.manuscript.where("abstract"),
        project.cache if cache else None,
        plan.journal,
        plan.review,
        abbreviations.value if abbreviations else None,
        {h: plan.manuscript.where(f"statements.{h}") for h in plan.manuscript.value.statements},
    )


def privacy_gate(
    project: Project, meta: Loaded[Manuscript], document: Document | None
) -> GateResult:
    """Run the de-identification gate over everything that can hold patient data."""
    value = meta.value
    fields = [("title", value.title)]
    if value.running_title:
        fields.append(("running_title", value.running_title))
    fields.append(("abstract", value.abstract))
    fields += [(f"keywords.{i}", k) for i, k in enumerate(value.keywords)]
    fields += [(f"statements.{h}", t) for h, t in value.statements.items()]
    rendered = []
    if document is not None:
        rendered = [Rendered(s.template, s.markdown, s.printed) for s in document.sections]
        rendered.append(
            Rendered(
                project.manuscript_yaml, document.abstract, document.abstract_printed, "abstract"
            )
        )
    return scan_project(
        project.root,
        project.case_yaml,
        project.templates,
        (project.manuscript_yaml, fields),
        rendered,
        value.privacy_waivers,
        project.cache,
        (project.abbreviations,),
    )


def _refuse(result: GateResult, root: Path) -> None:
    """One located error per finding, raised together (the CLI prints a line each)."""
    errors = Collector()
    for finding in result.findings:
        errors.add(IdentifierFound(finding, root))
    errors.raise_if_any()


def unknown_keys(parts: Iterable[Part], store: Store) -> Iterator[CitationError]:
    """One located error per cited key missing from the store, per file that cites it.

    A build raises the first; ``casekit check`` reports them all."""
    reported: set[tuple[Path, str]] = set()
    keyless = [f.error.location.line for f in store.failures if f.key is None]
    for part in parts:
        for citation in find_citations(part.markdown):
            for key in citation.keys:
                if key in store.entries or (part.source, key) in reported:
                    continue
                reported.add((part.source, key))
                close = store.closest_keys(key)
                hint = f"add an entry with this key to {store.path.name}"
                if close:
                    hint = "did you mean " + ", ".join(close) + "?"
                elif keyless:
                    # An entry whose key was lost, or whose head does not parse, may be it.
                    hint = (
                        f"{store.path.name}:{keyless[0]} holds an entry without a readable "
                        "key; is it this one?"
                    )
                yield CitationError(
                    f"unknown citation key {key!r}: not in {store.path.name}",
                    locate_key(part.source, key),
                    hint,
                )


def locate_key(source: Path, key: str) -> Location:
    """The line in a template where ``@key`` is written (the text may come from a loop)."""
    pattern = re.compile(r"(?<![\w@])@\{?" + re.escape(key) + r"(?![\w:.#$%&\-+?<>~/]*\w)")
    return locate(source, pattern, key)


def cited_entry_errors(store: Store, keys: Iterable[str]) -> Iterator[tuple[str, BibError]]:
    """(problem code, located error) for each cited entry pandoc cannot be handed.

    A cited key that two entries share (which one is meant?), a cited entry that does
    not parse, uses an undefined macro or names a crossref or xdata entry that is not
    there (itself or an entry it inherits from), and a cited entry of a type pandoc
    does not read. A build raises the first; ``casekit check`` reports them all, and
    only warns about the same problems in entries nobody cites."""
    reported: set[int] = set()
    types = entry_types()
    for key in keys:
        inherited = store.parents(key) if key in store.entries else []
        for name in (key, *inherited):
            for failure in store.failures_of(name):
                if id(failure) not in reported:
                    reported.add(id(failure))
                    yield failure.code, failure.error
        if key not in store.entries:
            continue
        entry = store.entries[key]
        why = types.problem(entry.entry_type)
        if why is not None:
            yield (
                "unknown-entry-type",
                BibError(
                    f"cited entry {key!r} has type @{entry.entry_type}: {why}",
                    Location(store.path, entry.line, None, key),
                    hint=types.hint(entry.entry_type),
                ),
            )
