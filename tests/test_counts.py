"""Word counts as journals count them: body prose only."""

from __future__ import annotations

import pytest

from casekit.rendering.counts import figures_and_tables, words


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("Plain prose of five words.", 5),
        ("# A heading {#sec-x}\n\nTwo words.", 2),
        ("Cited text.[@a; @b] More text [-@c].", 4),
        ("| a | b |\n|---|---|\n| 1 | 2 |\n\n: A caption of six words here\n\nOne.", 1),
        ("Look ![a legend that is long](fig.png){#fig-1} here.", 2),
        ("*Emphasis* and **strong** and ^super^ count as words.", 8),
        ("A dose of 1.1 × 10⁶ cells/kg on day +28.", 9),
        ("::: {.note}\nInside a div.\n:::", 3),
        ("Raw `#pagebreak()`{=typst} typst and <br> html.", 4),
    ],
    ids=["prose", "heading", "citations", "table-and-caption", "figure", "markup", "numbers",
         "fenced-div", "raw"],
)  # fmt: skip
def test_words(markdown: str, expected: int) -> None:
    assert words(markdown) == expected


def test_figures_and_tables() -> None:
    text = "![x](a.png)\n\n| a |\n|---|\n| 1 |\n\n![y](b.png)"
    assert figures_and_tables(text) == 3
