"""Typst, behind one module: Typst source in, PDF bytes out, warnings fatal.

Typst silently substitutes a font it does not know, and only says so in a
warning, so every warning is an error here. System fonts are ignored so that
the PDF does not depend on the machine; Typst's embedded fonts (Libertinus
Serif, New Computer Modern, DejaVu Sans Mono) are always there. The compile is
confined to ``root`` (the build's work directory).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, cast

from casekit.core.errors import Location, ToolError


@cache
def typst_version() -> str:
    """Version of the typst Python package."""
    try:
        import typst
    except ImportError:
        return "unknown"
    return str(getattr(typst, "__version__", "unknown"))


def layout_options(root: Path, font_paths: tuple[Path, ...]) -> dict[str, Any]:
    """What every Typst run of casekit's is given, so that a query lays the pages out as the
    PDF does: confined to ``root``, the built-in fonts and the project's own, never the
    machine's."""
    return {
        "root": str(root),
        "ignore_system_fonts": True,
        "font_paths": [str(p) for p in font_paths],
    }


def compile_pdf(
    source: Path,
    root: Path,
    timestamp: int,
    standards: tuple[str, ...] = (),
    font_paths: tuple[Path, ...] = (),
    blame: Path | None = None,
) -> bytes:
    """Compile ``source`` (inside ``root``) to PDF bytes with a fixed creation time.

    ``standards`` are the PDF standards Typst tags and validates the PDF against, as it
    names them (``ua-1``, ``a-2a``); one the PDF fails is an error with Typst's reason
    and the Typst line it points at. ``blame`` is the author's file an error names (the
    pandoc template that wrote ``source``), since ``source`` itself is temporary."""
    try:
        import typst
    except ImportError:
        raise ToolError(
            "the typst package is not installed",
            hint="run `make pdf` once to install casekit's dependencies",
        ) from None
    blame = blame or source
    try:
        pdf, warnings = typst.compile_with_warnings(
            str(source),
            format="pdf",
            timestamp=timestamp,
            **layout_options(root, font_paths),
            # Typst names its standards in a Literal; the profile's are checked there.
            pdf_standards=cast(Any, list(standards)),
        )
    except typst.TypstError as exc:
        raise typst_error(exc, source, blame) from None
    if warnings:
        raise ToolError(
            "typst warned: " + "; ".join(_one_line(str(w)) for w in warnings),
            Location(blame),
            hint="casekit treats Typst warnings as errors (an unknown font silently falls back); "
            "built-in fonts are 'Libertinus Serif' and 'New Computer Modern'",
        )
    if not isinstance(pdf, bytes):
        raise ToolError("typst returned no PDF", Location(blame))
    return pdf


_AT = re.compile(r"┌─ (?P<file>[^\n:]+):(?P<line>\d+):(?P<column>\d+)")
"""Where a Typst diagnostic points: ``┌─ manuscript.typ:248:8``."""


class TypstFailure(ToolError):
    """Typst refused the source; ``typst_line`` is the line of Typst it points at."""

    def __init__(self, message: str, location: Location, hint: str, typst_line: str | None) -> None:
        super().__init__(message, location, hint)
        self.typst_line = typst_line
        """The Typst source line, as pandoc wrote it (None when Typst names no line)."""


def typst_error(exc: Exception, source: Path, blame: Path) -> TypstFailure:
    """Typst's failure as one line: its message, and the Typst it points at quoted (the
    Typst source is pandoc's, written in a temporary folder, so only its text helps the
    author find the place; the build looks for it in the author's templates)."""
    message = _one_line(str(getattr(exc, "message", "") or exc))
    quoted = None
    hints = [_one_line(h) for h in getattr(exc, "hints", None) or ()]
    at = _AT.search(str(getattr(exc, "diagnostic", "") or ""))
    if at:
        # Typst names the file relative to the working directory.
        path = source if Path(at["file"]).name == source.name else Path(at["file"])
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        number = int(at["line"])
        if 0 < number <= len(lines):
            quoted = lines[number - 1].strip()
            message += f", at `{_one_line(quoted)[:100]}`"
    if "could not be displayed with font" in message:
        hints.append(
            "no font casekit uses covers this script: put a font file that does (for "
            "example Noto Serif CJK or Noto Sans Thai) in templates/pandoc/fonts/, and Typst "
            "falls back to it"
        )
    if "PDF/UA" in message or "PDF/A" in message:
        hints.append(
            "the journal profile's `pdf:` block chooses the standards "
            "(accessible: false, archival: null turn them off)"
        )
    else:
        hints.append("check templates/pandoc/manuscript.typ and any raw Typst in the sections")
    return TypstFailure(f"typst failed: {message}", Location(blame), "; ".join(hints), quoted)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
