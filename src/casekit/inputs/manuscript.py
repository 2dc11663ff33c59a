"""Manuscript metadata: ``manuscript/manuscript.yaml`` as typed, frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from casekit.core.errors import InputError
from casekit.core.yamlfile import Loaded, load
from casekit.inputs.privacy import Waiver


@dataclass(frozen=True)
class Author:
    """One author of the manuscript."""

    name: str
    """Full name as printed, e.g. ``A. B. Author``."""
    affiliations: tuple[str, ...] = ()
    """Keys into :attr:`Manuscript.affiliations`."""
    degrees: str | None = None
    """Degrees printed after the name, e.g. ``MD, PhD``."""
    email: str | None = None
    """Contact address (printed for the corresponding author)."""
    orcid: str | None = None
    """ORCID iD, e.g. ``0000-0002-1825-0097``."""
    corresponding: bool = False
    """Whether this author handles correspondence."""


@dataclass(frozen=True)
class CheckRules:
    """Manuscript rules that ``casekit check`` enforces."""

    no_citations_in: tuple[str, ...] = ("title", "abstract", "keywords")
    """Where a citation is a problem: title, abstract, keywords, or a section name."""
    forbidden_citation: Literal["warning", "error"] = "warning"
    """Severity of a citation where it is not allowed."""


@dataclass(frozen=True)
class Bibliography:
    """How the manuscript uses its BibTeX store, ``references.bib``."""

    library: bool | None = None
    """True: a reference manager's whole library, shared with other manuscripts, so its
    uncited entries are counted in one note; False: the manuscript's own store, each
    uncited entry a warning; unset: decided by the numbers (``checks/uncited.py``)."""


@dataclass(frozen=True)
class Manuscript:
    """The metadata of one manuscript."""

    title: str
    """Full title."""
    article_type: str
    """Article type, e.g. ``case-report``."""
    authors: tuple[Author, ...]
    """Authors in byline order."""
    affiliations: dict[str, str]
    """Affiliation key to its printed text."""
    abstract: str
    """Abstract (Markdown; may use template values)."""
    sections: tuple[str, ...]
    """Section template names, in order: ``templates/sections/<name>.md.j2``."""
    keywords: tuple[str, ...] = ()
    """Key words."""
    running_title: str | None = None
    """Short title for page headers."""
    style: str = "nlm-citation-sequence-brackets"
    """CSL style: a name from the installed catalogue or a path to a .csl file."""
    lang: str = "en-US"
    """Document language (BCP 47), used for hyphenation and the citation locale."""
    statements: dict[str, str] = field(default_factory=dict)
    """End-matter statements by heading, e.g. ``Patient consent``, in order."""
    checks: CheckRules = field(default_factory=CheckRules)
    """Rules for ``casekit check``."""
    bibliography: Bibliography = field(default_factory=Bibliography)
    """How references.bib is used: the manuscript's own store, or a shared library."""
    review_omits: tuple[str, ...] = ("Acknowledgements", "Author contributions")
    """Statements left out of a blinded review copy, because they name people."""
    privacy_waivers: tuple[Waiver, ...] = ()
    """Findings of the de-identification gate that may stay, each with a reason."""


def load_manuscript(path: Path) -> Loaded[Manuscript]:
    """Read and validate ``manuscript.yaml``."""
    loaded = load(path, Manuscript)
    meta = loaded.value
    for i, author in enumerate(meta.authors):
        for j, key in enumerate(author.affiliations):
            if key not in meta.affiliations:
                raise InputError(
                    f"author {author.name!r} names affiliation {key!r}, which is not defined",
                    loaded.where(f"authors.{i}.affiliations.{j}"),
                    hint="known: " + ", ".join(meta.affiliations) or "add it under `affiliations:`",
                )
    if not meta.sections:
        raise InputError("no sections listed", loaded.where("sections"), "list at least one")
    for i, waiver in enumerate(meta.privacy_waivers):
        if not waiver.reason.strip():
            raise InputError(
                "a privacy waiver needs a written reason",
                loaded.where(f"privacy_waivers.{i}.reason"),
                hint="say why the text may stay, e.g. written consent for the photograph",
            )
    if sum(a.corresponding for a in meta.authors) > 1:
        raise InputError(
            "more than one corresponding author", loaded.where("authors"), "mark exactly one"
        )
    return loaded
