"""Journal profiles: one YAML file per journal in ``templates/journals/``.

A profile says how a journal wants a case report: its citation style, its limits,
the statements and sections it requires, whether it takes an abstract, the page
layout, what the title page must show, and the formats it accepts. Adding a
journal means adding a file; an unknown key or a wrong type is rejected with the
file and line. A limit the journal does not state is left out, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from casekit.core.errors import InputError, Location
from casekit.core.yamlfile import Loaded, load


@dataclass(frozen=True)
class Limits:
    """What the journal allows; None where its instructions state no limit."""

    main_words: int | None = None
    """Words in the main text (title page, abstract, references, tables, legends and
    statements excluded)."""
    abstract_words: int | None = None
    """Words in the abstract."""
    references: int | None = None
    """Entries in the reference list."""
    figures_tables: int | None = None
    """Figures and tables together."""
    title_characters: int | None = None
    """Characters in the title, spaces included."""
    authors: int | None = None
    """Authors in the byline."""


@dataclass(frozen=True)
class Layout:
    """How the pages look."""

    font_size: float = 12
    """Body text size in points."""
    line_spacing: float = 2.0
    """1.0 single, 1.5, 2.0 double."""
    line_numbers: bool = False
    """Continuous line numbers in the margin (real Word line numbering in DOCX)."""
    page_numbers: bool = True
    """Page numbers in the footer."""


@dataclass(frozen=True)
class Pdf:
    """What the PDF declares and Typst checks before it is written."""

    accessible: bool = True
    """Tagged and validated as PDF/UA-1 (alt text for every figure, a title, a language)."""
    archival: Literal["a-2a", "a-2u", "a-2b", "a-3a", "a-3u", "a-3b"] | None = "a-2a"
    """The PDF/A level it is validated against; null for none. PDF/A-2a is the strictest
    that combines with PDF/UA-1 (PDF/A-4 needs PDF 2.0, which PDF/UA-1 does not allow)."""

    @property
    def standards(self) -> tuple[str, ...]:
        """As Typst names them: ``("ua-1", "a-2a")``."""
        return (
            *(("ua-1",) if self.accessible else ()),
            *((self.archival,) if self.archival else ()),
        )


@dataclass(frozen=True)
class TitlePage:
    """What the title page shows besides title and byline."""

    word_counts: bool = False
    """Main text and abstract word counts."""
    reference_count: bool = False
    """Number of references."""
    figure_table_count: bool = False
    """Number of figures and tables."""
    corresponding_author: bool = True
    """The corresponding author's name and address."""


@dataclass(frozen=True)
class Journal:
    """One journal's requirements for one article type."""

    title: str
    """The journal's name, e.g. ``Blood Advances``."""
    article_type: str
    """The article type these rules are for."""
    style: str
    """CSL style name or path."""
    citation_look: Literal["brackets", "superscript", "parentheses"]
    """How in-text citations print; must agree with the style."""
    formats: tuple[str, ...]
    """Formats the journal takes (names from ``casekit build --help``)."""
    abstract: Literal["required", "optional", "none"] = "required"
    """Whether a text abstract goes in the manuscript."""
    abstract_title: str = "Abstract"
    """The abstract's heading, e.g. ``Summary``."""
    limits: Limits = field(default_factory=Limits)
    """Limits stated in the author instructions."""
    required_statements: tuple[str, ...] = ()
    """Statement headings the manuscript must have, e.g. ``Patient consent``."""
    section_order: tuple[str, ...] = ()
    """Order of the body sections; sections not listed follow in manuscript order."""
    layout: Layout = field(default_factory=Layout)
    """Page layout."""
    pdf: Pdf = field(default_factory=Pdf)
    """The standards the PDF conforms to."""
    title_page: TitlePage = field(default_factory=TitlePage)
    """Title page contents."""
    blinded: bool = False
    """Whether every build for this journal is a blinded review copy."""
    abbreviation_list: bool = False
    """Whether the manuscript ends with a list of the abbreviations it uses."""
    notes: tuple[str, ...] = ()
    """Other rules from the author instructions, shown by ``casekit journals``."""


@dataclass(frozen=True)
class Profile:
    """A journal profile with its name and where it was read from."""

    name: str
    """File stem, e.g. ``blood-advances``; used by ``--journal``."""
    journal: Journal
    """The profile."""
    loaded: Loaded[Journal]
    """Source file and line of every field."""


def profiles_dir(templates: Path) -> Path:
    return templates / "journals"


def available(templates: Path) -> list[str]:
    """Names of the profiles in a project."""
    return sorted(p.stem for p in profiles_dir(templates).glob("*.yaml"))


def load_profile(templates: Path, name: str) -> Profile:
    """Read and validate ``templates/journals/<name>.yaml``.

    Whether its style prints the ``citation_look`` it states, and whether casekit makes
    the formats it names, the build plan decides (it resolves the style once)."""
    path = profiles_dir(templates) / f"{name}.yaml"
    if not path.is_file():
        names = available(templates)
        import difflib

        close = difflib.get_close_matches(name, names, n=2)
        raise InputError(
            f"unknown journal {name!r}",
            Location(profiles_dir(templates)),
            hint=("did you mean " + ", ".join(close) + "?")
            if close
            else "known: " + ", ".join(names) + " (add templates/journals/NAME.yaml)",
        )
    loaded = load(path, Journal)
    return Profile(name, loaded.value, loaded)


LIMIT_LABELS = {
    "main_words": "main text {:,} words",
    "abstract_words": "abstract {:,} words",
    "references": "{} references",
    "figures_tables": "{} figures+tables",
    "title_characters": "title {} characters",
    "authors": "{} authors",
}
"""How each limit reads in a listing."""


def describe_limits(journal: Journal) -> str:
    """The journal's limits in one line; abstract rules and unset limits included."""
    parts = [
        label.format(getattr(journal.limits, name))
        for name, label in LIMIT_LABELS.items()
        if getattr(journal.limits, name) is not None
    ]
    if journal.abstract == "none":
        parts.append("no abstract")
    return ", ".join(parts) if parts else "none stated"
