"""The one exception family casekit raises; the CLI turns it into a one-line report.

Every error carries *where* the problem is (file, line, column, field) and, when
one helps, a hint. Library code raises these and never prints or exits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from casekit.core.paths import shown


@dataclass(frozen=True)
class Location:
    """A place in an input file."""

    path: Path | None = None
    """The file, or None for a problem with no file (a missing tool)."""
    line: int | None = None
    """1-based line number."""
    column: int | None = None
    """1-based column number."""
    field: str | None = None
    """Dotted field or key inside the file, e.g. ``patient.age.value``."""

    def describe(self, base: Path | None = None) -> str:
        parts: list[str] = []
        if self.path is not None:
            text = str(self.path) if base is None else shown(self.path, base)
            if self.line is not None:
                text += f":{self.line}"
                if self.column is not None:
                    text += f":{self.column}"
            parts.append(text)
        if self.field:
            parts.append(f"[{self.field}]")
        return " ".join(parts)


class CasekitError(Exception):
    """Root of every error casekit reports to a user."""

    kind = "error"

    def __init__(self, message: str, location: Location | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location or Location()
        self.hint = hint

    def one_line(self, base: Path | None = None) -> str:
        where = self.location.describe(base)
        text = f"{where}: {self.kind}: {self.message}" if where else f"{self.kind}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text.replace("\n", " ")


class InputError(CasekitError):
    """A YAML file, case data or manuscript metadata is malformed or of the wrong shape."""

    kind = "input error"


class BibError(CasekitError):
    """The BibTeX store does not parse, or holds a duplicate key."""

    kind = "bibtex error"


class TemplateError(CasekitError):
    """A Jinja section template has a syntax error or uses an undefined value."""

    kind = "template error"


class CitationError(CasekitError):
    """A cited key is not in the store, or the citation engine reported a problem."""

    kind = "citation error"


class StyleError(CasekitError):
    """A CSL style cannot be found or resolved offline."""

    kind = "style error"


class ToolError(CasekitError):
    """Pandoc or Typst is missing, or failed; the message carries its stderr."""

    kind = "tool error"


class OutputError(CasekitError):
    """An output could not be written (unwritable build directory, full disk)."""

    kind = "output error"


class PrivacyError(CasekitError):
    """The de-identification gate found a patient identifier in the manuscript."""

    kind = "privacy error"
