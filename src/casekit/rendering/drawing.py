"""matplotlib, set up once for every figure: the document's fonts, deterministic files.

The SVG (placed in the PDF) keeps its text as text, and names Typst's Libertinus
Serif, so the figure's words are set in the manuscript's own font. matplotlib
cannot measure Libertinus (it is embedded in Typst, not installed), so it lays the
figure out with DejaVu Serif, which ships with matplotlib and is slightly wider: the
words fit either way, and the layout does not depend on the fonts of the machine.
The PNG (for DOCX and HTML) is drawn in DejaVu Serif. Neither file carries a date or
a software name, and SVG ids are fixed, so the same figure is the same bytes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casekit.core.atomic import write_atomic
from casekit.inputs.quantities import number

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MEASURE_FONT = "DejaVu Serif"
"""The font matplotlib lays text out with, and the PNG's font."""
DOCUMENT_FONT = "Libertinus Serif"
"""The PDF's body font, as Typst names it; the SVG's text asks for it."""
COLOURS = ("#c44e52", "#4c72b0", "#55a868", "#8172b3", "#dd8452", "#937860", "#da8bc3")
"""One colour per series, in the order the figure draws them."""
LANE_COLOURS = ("#a6bddb", "#fdbb84", "#a1d99b", "#d4b9da", "#fee391", "#c7c7c7", "#9ecae1")
"""Pale colours for the phases of care, apart from the series' colours."""

STYLE: dict[str, Any] = {
    "svg.hashsalt": "casekit",
    "svg.fonttype": "none",
    "font.family": [MEASURE_FONT],
    "font.size": 10,
    "axes.linewidth": 0.6,
    "axes.unicode_minus": True,
}


@contextlib.contextmanager
def pyplot() -> Iterator[Any]:
    """matplotlib's pyplot with casekit's style; both the style and the figures end with
    the block (a warm ``casekit watch`` process must not carry one figure's settings into
    the next, and pyplot keeps every figure until it is closed)."""
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]  # keys typed as literals
        try:
            yield plt
        finally:
            plt.close("all")


def tick_label(value: float, _position: object = None) -> str:
    """An axis value as the text prints numbers: ``1,250``, ``0.001``, ``−5``."""
    return number(float(f"{value:.12g}"))  # float noise such as 0.30000000000000004


def save(figure: Figure, target: Path) -> dict[str, Path]:
    """Write ``target``.svg (text in the document's font) and ``target``.png (300 dpi)."""
    import io

    svg, png = io.BytesIO(), io.BytesIO()
    figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    figure.savefig(png, format="png", dpi=300, metadata={"Software": None})
    text = svg.getvalue().decode("utf-8")
    text = text.replace(f"font-family: '{MEASURE_FONT}'", f"font-family: '{DOCUMENT_FONT}'")
    outputs = {"svg": target.with_suffix(".svg"), "png": target.with_suffix(".png")}
    write_atomic(outputs["svg"], text.encode("utf-8"))
    write_atomic(outputs["png"], png.getvalue())
    return outputs
