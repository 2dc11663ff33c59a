"""The one exception family casekit raises; the CLI turns each error into one line.

Every error carries *where* the problem is (file, line, column, field) and, when
one helps, a hint. Library code raises these and never prints or exits. Code that
can find several problems in one pass (a YAML file with five mistakes) gathers
them in a :class:`Collector` and raises them together, so an author fixes them
all after one run instead of one per run.
"""

from __future__ import annotations

from collections.abc import Sequence
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

    @property
    def errors(self) -> tuple[CasekitError, ...]:
        """Every error this exception reports: itself, or those of a group."""
        return (self,)


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


class DocxError(CasekitError):
    """A Word file given to casekit cannot be read, or holds nothing casekit wrote."""

    kind = "docx error"


class PrivacyError(CasekitError):
    """The de-identification gate found a patient identifier in the manuscript."""

    kind = "privacy error"


class CasekitErrors(CasekitError):
    """Several errors found in one pass; the first one stands for them all in
    ``message``, ``location`` and ``hint``, and :attr:`errors` lists every one."""

    def __init__(self, errors: Sequence[CasekitError]):
        first = errors[0]
        super().__init__(first.message, first.location, first.hint)
        self.kind = first.kind
        self._errors = tuple(errors)

    @property
    def errors(self) -> tuple[CasekitError, ...]:
        return self._errors


class InputErrors(CasekitErrors, InputError):
    """Several input errors found in one pass (caught by ``except InputError``, too)."""


class PrivacyErrors(CasekitErrors, PrivacyError):
    """Several suspected identifiers, one error each (caught by ``except PrivacyError``)."""


class Collector:
    """Errors gathered while work goes on, raised together at the end.

    ``add`` keeps an error instead of raising it; ``raise_if_any`` raises nothing
    when there is none, the error itself when there is one (so one mistake reads as
    it always did), and one :class:`InputErrors` or :class:`PrivacyErrors` (or
    :class:`CasekitErrors` when the kinds are mixed) when there are several, in the order
    of the files' text.
    """

    def __init__(self) -> None:
        self._errors: list[CasekitError] = []

    def add(self, error: CasekitError) -> None:
        """Keep ``error`` (each error of a group) for :meth:`raise_if_any`."""
        self._errors.extend(error.errors)

    def __len__(self) -> int:
        return len(self._errors)

    @property
    def errors(self) -> tuple[CasekitError, ...]:
        """The errors kept so far, in the order of the files' text."""
        return tuple(sorted(self._errors, key=_position))

    def raise_if_any(self) -> None:
        """Raise what was kept, if anything."""
        errors = self.errors
        if not errors:
            return
        if len(errors) == 1:
            raise errors[0]
        if all(isinstance(e, InputError) for e in errors):
            raise InputErrors(errors)
        if all(isinstance(e, PrivacyError) for e in errors):
            raise PrivacyErrors(errors)
        raise CasekitErrors(errors)


def _position(error: CasekitError) -> tuple[str, int, int]:
    where = error.location
    return (str(where.path or ""), where.line or 0, where.column or 0)
