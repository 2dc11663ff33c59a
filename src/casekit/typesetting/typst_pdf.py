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

from casekit.core.errors import Location, ToolError


@cache
def typst_version() -> str:
    """Version of the typst Python package."""
    try:
        import typst
    except ImportError:
        return "unknown"
    return str(getattr(typst, "__version__", "unknown"))


def compile_pdf(
    source: Path, root: Path, timestamp: int, font_paths: tuple[Path, ...] = ()
) -> bytes:
    """Compile ``source`` (inside ``root``) to PDF bytes with a fixed creation time."""
    try:
        import typst
    except ImportError:
        raise ToolError(
            "the typst package is not installed",
            hint="run `make pdf` once to install casekit's dependencies",
        ) from None
    try:
        pdf, warnings = typst.compile_with_warnings(
            str(source),
            root=str(root),
            format="pdf",
            timestamp=timestamp,
            ignore_system_fonts=True,
            font_paths=[str(p) for p in font_paths],
        )
    except typst.TypstError as exc:
        raise ToolError(
            f"typst failed: {_one_line(str(exc))}",
            Location(source),
            hint="check templates/pandoc/manuscript.typ and any raw Typst in the sections",
        ) from None
    if warnings:
        raise ToolError(
            "typst warned: " + "; ".join(_one_line(str(w)) for w in warnings),
            Location(source),
            hint="casekit treats Typst warnings as errors (an unknown font silently falls back); "
            "built-in fonts are 'Libertinus Serif' and 'New Computer Modern'",
        )
    if not isinstance(pdf, bytes):
        raise ToolError("typst returned no PDF", Location(source))
    return pdf


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
