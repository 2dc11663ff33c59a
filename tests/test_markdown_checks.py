"""Markdown traps: stray emphasis and accidental links, confirmed by pandoc
(checks/markdown.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.checks.markdown import emphasis_suspects, escaped, markdown_traps
from casekit.rendering.document import Part

HEADING = "# Case presentation {#sec-case}\n\n"


def _traps(tmp_path: Path, text: str) -> list[tuple[str, int | None, str]]:
    """The problems in one template whose rendered text is ``text``."""
    source = tmp_path / "case.md.j2"
    source.write_text(HEADING + text, encoding="utf-8")
    part = Part(source, HEADING + text)
    return [
        (p.code, p.location.line, p.message.split("'")[1])
        for p in markdown_traps([part], part.markdown)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Carriers of HLA-B*58:01 and of HLA-B*58:01 differ.",
         [("markdown-emphasis", 3, "HLA-B*58:01")]),
        ("Both CD3*CD8 and CD4*CD8 cells.",
         [("markdown-emphasis", 3, "CD3*CD8"), ("markdown-emphasis", 3, "CD4*CD8")]),
        ("One\nline, then HLA-B*58:01, then a *P* value*.",
         [("markdown-emphasis", 4, "HLA-B*58:01")]),
        ("See [Case presentation] above.", [("markdown-link", 3, "[Case presentation]")]),
    ],
    ids=["allele-twice", "two-words", "allele-pairs-with-emphasis", "heading-name"],
)  # fmt: skip
def test_traps_are_reported_at_their_line(
    tmp_path: Path, text: str, expected: list[tuple[str, int, str]]
) -> None:
    assert _traps(tmp_path, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "One allele, HLA-B*58:01, alone in its paragraph.",
        "Escaped HLA-B\\*58:01 and HLA-B\\*58:01.",
        "In code `HLA-B*58:01` and `HLA-B*58:01`.",
        "Deliberate *P* = 0.04 and **bold** and _under_ and **t**ag.",
        "Loose 2 * 3 * 4 and value* then *p.",
        "Names snake_case and __init__ and a_b_c.",
        "Math $a*b*c$ and $x_1_2$.",
        "A cite [@smith_2019; @jones_2020] and [see @doe_2021, p. 3].",
        "[sic] and [see above] and [1 year] stay as typed.",
        "A [link](#sec-case), [Case presentation][] and [small caps]{.smallcaps}.",
        "A footnote^[with *emphasis*] and <!-- a_b*c*d --> comment.",
        "A figure ![Figure 1. a_b*c*d](figures/a_b*c*d.svg){#fig-a_b}.",
        "```\nHLA-B*58:01 and HLA-B*58:01\n```",
        "[ref]\n\n[ref]: https://example.org/a_b*c*d",
    ],
    ids=["one-star", "escaped", "code", "emphasis", "loose", "underscores", "math",
         "citations", "plain-brackets", "links-and-spans", "footnote-and-comment", "image",
         "code-block", "reference-link"],
)  # fmt: skip
def test_deliberate_syntax_is_not_reported(tmp_path: Path, text: str) -> None:
    assert _traps(tmp_path, text) == []


def test_a_document_without_suspects_never_runs_pandoc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casekit.typesetting import pandoc

    def refuse(*args: object, **kwargs: object) -> str:
        raise AssertionError("pandoc ran")

    monkeypatch.setattr(pandoc, "run", refuse)
    assert _traps(tmp_path, "Plain *text* with a [link](#x) and [@cite].") == []


@pytest.mark.parametrize(
    ("text", "suspects"),
    [
        ("HLA-B*58:01", ["*"]),
        ("a_b and c__d", ["_", "__"]),
        ("*P* and `a*b` and \\*x and $a*b$", []),
    ],
    ids=["in-word", "underscores", "outside-words-code-escapes-math"],
)
def test_emphasis_suspects(text: str, suspects: list[str]) -> None:
    assert [m.group(0) for m in emphasis_suspects(text)] == suspects


def test_escaped_escapes_only_the_suspects() -> None:
    text = "*P* for HLA-B*58:01"
    assert escaped(text, emphasis_suspects(text)) == "*P* for HLA-B\\*58:01"
