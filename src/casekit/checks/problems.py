"""Problems found by ``casekit check``: collected, never raised.

Each check returns a list of :class:`Problem`. The CLI prints them all and sets
the exit code; the JSON report (``--format json``) is documented in
``docs/check-report.md`` and versioned by :data:`SCHEMA_VERSION`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from casekit.core.errors import CasekitError, Location
from casekit.inputs.privacy import Finding

Severity = Literal["error", "warning", "info"]
SCHEMA_VERSION = 2

CODES: dict[str, tuple[Severity, str]] = {
    # code: (default severity, what it means)
    "project-unreadable": ("error", "a manuscript file cannot be read or rendered"),
    "placeholder": ("error", "a `[TO DO: ...]` placeholder is left for the author to replace"),
    "build-failed": ("error", "--built could not build the outputs to compare"),
    "bib-syntax": ("error", "a BibTeX block does not parse (a warning unless cited)"),
    "bib-unreadable": ("error", "the BibTeX store cannot be read"),
    "duplicate-key": ("error", "two store entries share a key (a warning unless cited)"),
    "undefined-macro": ("error", "an @string macro is not defined (a warning unless cited)"),
    "missing-crossref": (
        "error",
        "a crossref or xdata entry is not in the store (a warning unless cited)",
    ),
    "unknown-entry-type": ("error", "a cited entry's type is one pandoc does not read"),
    "unknown-key": ("error", "a template cites a key that is not in the store"),
    "uncited-entry": ("warning", "a store entry is never cited"),
    "uncited-library": (
        "info",
        "a shared library's uncited entries, counted in one line (a warning when the "
        "library is detected rather than declared)",
    ),
    "duplicate-work": ("error", "the same work is stored under two keys"),
    "missing-field": ("error", "an entry lacks a field its type requires"),
    "waived-field": ("info", "an entry explicitly waives a required field"),
    "bad-doi": ("error", "a DOI is not of the form 10.NNNN/..."),
    "bad-pmid": ("error", "a PMID is not a number"),
    "bad-year": ("error", "a year is not a plausible four-digit year"),
    "bad-pages": ("error", "a page range is malformed or runs backwards"),
    "latex-accent": ("warning", "an accent written in a way that prints wrongly"),
    "unbraced-particle": (
        "warning",
        "a name particle (da, van, de la) is not braced, so it prints after the initials",
    ),
    "misread-name": (
        "warning",
        "a name pandoc reads wrongly: an organisation as a person, a suffix or initials as "
        "the family name",
    ),
    "unprotected-acronym": (
        "warning",
        "a capital letter in a title that the style's sentence case lower-cases (CAR-T as CAR-t)",
    ),
    "typed-citation": ("error", "a citation number is typed by hand instead of cited by key"),
    "forbidden-citation": ("warning", "a citation where the manuscript's rules forbid one"),
    "printed-mismatch": ("error", "a built output prints citations that disagree with the sources"),
    "reference-count": ("error", "a built output's reference list disagrees with the citations"),
    "soft-hyphen": ("warning", "a built PDF's hyphens copy as soft hyphens (U+00AD)"),
    "printed-role-label": (
        "warning",
        "a reference list entry prints a role label glued to a name: `In, editorsJones A`",
    ),
    "printed-punctuation-start": (
        "warning",
        "a reference list entry starts with punctuation: `, editor…`",
    ),
    "printed-empty-entry": ("error", "a reference list entry prints nothing (e.g. a `@set`)"),
    "printed-latex-command": (
        "warning",
        "a reference list entry prints a LaTeX command as typed: `\\url{…}`",
    ),
    "printed-braces": ("warning", "a reference list entry prints a brace or backslash"),
    "stale-output": ("warning", "a built output is older than its inputs, so it was not compared"),
    "unreadable-output": ("warning", "a built output could not be read back"),
    "output-not-compared": (
        "info",
        "a built output's style prints citations casekit cannot read back (author-date)",
    ),
    "patient-identifier": ("error", "text that looks like a HIPAA Safe Harbor identifier"),
    "identifier-waived": ("info", "a suspected identifier the authors waived, with the reason"),
    "unplaced-item": ("error", "the text mentions a figure or table that is never placed"),
    "unmentioned-item": ("warning", "a figure or table is placed but never mentioned"),
    "item-order": ("warning", "a figure or table is placed before its mention, or out of order"),
    "abbreviation-before-definition": ("warning", "a short form is used before it is defined"),
    "unused-abbreviation": ("warning", "an abbreviation is defined but never used"),
    "typed-abbreviation": ("warning", "a long form is typed with its abbreviation by hand"),
    "lowercase-sentence-start": (
        "warning",
        "an abbreviation's long or short form begins a sentence in lowercase",
    ),
    "markdown-emphasis": ("warning", "a * or _ inside a word that pandoc reads as emphasis"),
    "markdown-link": ("warning", "bracketed text that pandoc turns into a link"),
    "missing-alt-text": (
        "error",
        "a figure or image has no alt text of its own (none, or its caption's words); a "
        "warning when the PDF need not be PDF/UA",
    ),
    "care-item-missing": ("warning", "a case report does not address a CARE checklist item"),
    "care-item-unsupported": (
        "warning",
        "a section declares a CARE item, but its text shows none of the item's evidence",
    ),
    "over-limit": ("error", "the manuscript exceeds one of the journal's limits"),
    "missing-statement": ("error", "a statement the journal requires is missing"),
    "missing-abstract": ("error", "the journal requires an abstract and there is none"),
    "abstract-left-out": ("info", "the journal takes no abstract, so it is left out"),
    "unanswered-comment": ("error", "a comment in manuscript/response.yaml has no response"),
    "unplaced-label": ("error", "the response points to a label that no template places"),
    "unanswered-label": (
        "error",
        "a template labels a change for a comment that the response never answers",
    ),
    "unknown-place": (
        "error",
        "the response points to a section, paragraph or case-data field the manuscript lacks",
    ),
}


@dataclass(frozen=True)
class Problem:
    """One finding of ``casekit check``."""

    code: str
    """Stable code, a key of :data:`CODES`."""
    location: Location
    """Where: file, line, column, field or key."""
    message: str
    """What is wrong, in one line."""
    hint: str | None = None
    """How to fix it."""
    severity: Severity | None = None
    """Overrides the code's default severity."""
    finding: Finding | None = None
    """The suspected identifier behind a privacy problem. Its text is clear: only the
    command line decides where it may be shown (never in JSON)."""

    @property
    def level(self) -> Severity:
        return self.severity or CODES[self.code][0]

    @classmethod
    def from_error(cls, code: str, error: CasekitError) -> Problem:
        """A raised casekit error, recorded as a problem."""
        return cls(code, error.location, error.message, error.hint)
