"""Where a marker may go in pandoc Markdown: at every offset it is given, the AST pandoc
reads is the same, with the marker taken out, as without it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from casekit.building.pipeline import BuildResult
from casekit.rendering.markers import MARKER_BASE, marker, safe_offsets
from casekit.typesetting import pandoc

# Markdown an author's templates may print, one kind of syntax each: a marker at every
# offset safe_offsets gives must leave pandoc's reading of it unchanged.
SAMPLES = {
    "paragraph": "A plain paragraph with *emphasis*, **strong** and ^sup^ text.\n",
    "heading": "# Case presentation {#sec-case .unnumbered}\n\nText under it.\n",
    "setext": "Case presentation\n=================\n\nText under it.\n",
    "ordered-list": "1. First item here\n2. Second item here\n\nA. Letter item\nB. Another one\n",
    "bullet-list": "- first item\n- second item\n\n  continued paragraph in item\n",
    "links": 'See [the guideline](https://example.org/a b "Title words") and <https://x.org>.\n',
    "autolink-email": "Write to <alex.example@example.org> or call us.\n",
    "citations": "As shown before [@brown2019; @pieters2007, p. 33] and by @hilden2006 too.\n",
    "code": "Run `casekit build pdf` now, or:\n\n```sh\nmake pdf all\n```\n",
    "math": "The ratio $a over b$ is small, and $$x + y$$ too.\n",
    "attributes": 'A [highlighted span]{.mark key="two words"} here.\n',
    "div": "::: {.byline}\nAlex Example, MD\n:::\n\n::: note\nA note here\n:::\n",
    "raw-html": 'Text <span title="a b">inside</span> and <!-- a comment --> end.\n',
    "pipe-table-narrow": "| Day | Event |\n|----:|:------|\n| 0 | Presentation |\n",
    "pipe-table-wide": (
        "| Day | As recorded | Phase | Event | Key result |\n"
        "|-----:|:-------------------|:----------|:-------------------------------|:----|\n"
        "| 33 | diagnosis day +33 | Induction | End of induction and the assessment | MRD |\n"
        "\n: Table 1. Timeline of care with days.\n"
    ),
    "grid-table": (
        "+-------+----------+\n| Day   | Event    |\n+=======+==========+\n"
        "| 0     | Seen now |\n+-------+----------+\n"
    ),
    "simple-table": "  Day  Event\n-----  -----------\n    0  Seen first\n   12  Seen again\n",
    "multiline-table": (
        "-------------------------------\n Day   Event\n----- -------------------------\n"
        "  0    Seen first in the\n       emergency room\n\n  12   Seen again at home\n"
        "-------------------------------\n"
    ),
    "line-block": "| The first line here\n|    and an indented one\n",
    "placeholder": "Write [TO DO: describe the presenting concerns] here.\n",
    "escapes": "An escaped \\*star\\* and a non\\ breaking space, HLA-B\\*58:01.\n",
    "smart-quotes": "The parents' words: 'we were told' and \"then\" it--happened.\n",
    "footnote": "A claim.[^1] And an ^[inline note here] too.\n\n[^1]: The note text.\n",
    "figure": "![Figure 1. Timeline of care](figures/timeline){#fig-timeline}\n",
}


def _ast(markdown: str) -> Any:
    return json.loads(str(pandoc.run(["-f", "markdown", "-t", "json"], stdin=markdown)))


def _without_markers(value: Any) -> Any:
    """A pandoc AST with every marker character taken out of its strings, and the strings
    a marker split joined again."""
    if isinstance(value, str):
        return "".join(c for c in value if ord(c) < MARKER_BASE)
    if isinstance(value, list):
        items = [_without_markers(v) for v in value]
        joined: list[Any] = []
        for item in items:
            if (
                isinstance(item, dict) and item.get("t") == "Str" and joined
                and isinstance(joined[-1], dict) and joined[-1].get("t") == "Str"
            ):  # fmt: skip
                joined[-1] = {"t": "Str", "c": joined[-1]["c"] + item["c"]}
            elif not (isinstance(item, dict) and item.get("t") == "Str" and item["c"] == ""):
                joined.append(item)
        return joined
    if isinstance(value, dict):
        return {k: _without_markers(v) for k, v in value.items()}
    return value


def _marked(markdown: str, offsets: list[int]) -> str:
    out, at = [], 0
    for number, offset in enumerate(offsets):
        out += [markdown[at:offset], marker(number)]
        at = offset
    return "".join([*out, markdown[at:]])


@pytest.mark.parametrize("markdown", SAMPLES.values(), ids=SAMPLES.keys())
def test_markers_change_nothing_pandoc_reads(markdown: str) -> None:
    offsets = safe_offsets(markdown)
    assert _without_markers(_ast(_marked(markdown, offsets))) == _ast(markdown)


def test_markers_in_the_example_change_nothing_pandoc_reads(built_example: BuildResult) -> None:
    markdown = built_example.document.markdown
    body = markdown.index("\n---\n") + 5  # after the metadata block
    offsets = safe_offsets(markdown, body)
    assert len(offsets) > 1000
    assert _without_markers(_ast(_marked(markdown, offsets))) == _ast(markdown)


@pytest.mark.parametrize(
    ("markdown", "unsafe"),
    [
        ("1. First item\n", "1"),
        ("A. Letter item\n", "A"),
        ("::: note\ntext\n:::\n", "note"),
        ("See <alex@example.org> now.\n", "example"),
        ('A [span]{.mark key="two words"}.\n', "words"),
        ("| Day | Event |\n|----:|:------|\n| 0 | Seen |\n", "Seen"),
    ],
    ids=["ordered-list", "letter-list", "div-class", "autolink", "attribute", "narrow-table"],
)
def test_no_marker_where_one_could_change_the_reading(markdown: str, unsafe: str) -> None:
    assert markdown.index(unsafe) not in safe_offsets(markdown)
