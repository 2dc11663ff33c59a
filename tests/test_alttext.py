"""Figures and images without alt text of their own, read by pandoc and placed at the
template line (checks/alttext.py). tests/check_scenarios/missing-alt-text-* run the same
through ``casekit check`` on the example."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.checks.alttext import alt_text_problems
from casekit.checks.markdown import Reader
from casekit.rendering.document import Part

HEADING = "# Case presentation {#sec-case}\n\n"


def _found(
    tmp_path: Path, text: str, accessible: bool = True, rendered: str | None = None
) -> list[tuple[int | None, str, str]]:
    """Line, severity and message of each problem in one template whose text is ``text``
    (rendered as ``rendered`` when a helper wrote it)."""
    source = tmp_path / "case.md.j2"
    source.write_text(HEADING + text, encoding="utf-8")
    part = Part(source, HEADING + (text if rendered is None else rendered))
    return [
        (p.location.line, p.level, p.message)
        for p in alt_text_problems([part], [source], accessible, Reader())
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Before.\n\n![A photograph of the rash.](rash.png)\n",
         "image 'rash.png' has no alt text of its own: it repeats the caption"),
        ("Before.\n\n![Figure 2. The rash.](rash.png){alt=\"The rash.\"}\n",
         "image 'rash.png' has no alt text of its own: it repeats the caption"),
        ("Before.\n\nIn the text ![](rash.png) without words.\n",
         "image 'rash.png' has no alt text for a reader who cannot see it"),
        ("Before.\n\n![](rash.png)\n",
         "image 'rash.png' has no alt text for a reader who cannot see it"),
    ],
    ids=["figure-without-alt", "alt-is-the-caption-without-its-number", "inline-without-words",
         "figure-without-caption"],
)  # fmt: skip
def test_an_image_without_alt_text_is_an_error_at_its_line(
    tmp_path: Path, text: str, message: str
) -> None:
    (found,) = _found(tmp_path, text)
    assert found[:2] == (5, "error")
    assert found[2].startswith(message)
    assert found[2].endswith("; the PDF/UA PDF cannot be made without it")


@pytest.mark.parametrize(
    "text",
    [
        '![A photograph of the rash.](rash.png){alt="Red plaques over both forearms."}\n',
        "In the text ![a red rash](rash.png) with words.\n",
        'In the text ![the rash](rash.png){alt="Red plaques"} with alt.\n',
        "No image at all, though ![ is typed.\n",
        "`![in code](rash.png)` is not an image.\n",
    ],
    ids=["figure-with-alt", "inline-with-words", "inline-with-alt", "no-image", "code"],
)
def test_an_image_with_alt_text_of_its_own_is_not_reported(tmp_path: Path, text: str) -> None:
    assert _found(tmp_path, text) == []


def test_without_pdf_ua_it_is_a_warning(tmp_path: Path) -> None:
    (found,) = _found(tmp_path, "![A photograph of the rash.](rash.png)\n", accessible=False)
    assert found[1] == "warning" and "PDF/UA" not in found[2]


def test_a_drawn_figure_is_placed_at_its_figure_call(tmp_path: Path) -> None:
    """The helper writes the Markdown; the template has the call, on its own line."""
    call = '{{ figure("timeline", "Timeline of care.", alt="Timeline of care.") }}\n'
    rendered = (
        '![Figure 1. Timeline of care.](figures/timeline){#fig-timeline alt="Timeline of care."}\n'
    )
    (found,) = _found(tmp_path, f"Text.\n\n{call}", rendered=f"Text.\n\n{rendered}")
    assert found[:2] == (5, "error")
    assert found[2].startswith("figure 'timeline' has no alt text of its own")


def test_the_same_image_twice_is_placed_at_each_line(tmp_path: Path) -> None:
    text = "![One.](rash.png)\n\nBetween.\n\n![Two.](rash.png)\n"
    assert [line for line, _, _ in _found(tmp_path, text)] == [3, 7]
