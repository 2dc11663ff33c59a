"""Placeholders: ``[TO DO: ...]`` found with file, line and column, and highlighted."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.inputs.placeholders import find_placeholders, has_placeholder, highlight

WHERE = Path("case.yaml")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a: [TO DO: the age]\n", [(1, 4, "[TO DO: the age]")]),
        ("x\n  [TO DO: one] and [TO DO: two]", [(2, 3, "[TO DO: one]"), (2, 20, "[TO DO: two]")]),
        ("# [TO DO: wrapped\n#   over two lines]", [(1, 3, "[TO DO: wrapped # over two lines]")]),
        ("TODO: not the syntax; [to do: nor this]", []),
    ],
    ids=["one", "two-on-a-line", "wrapped", "other-spellings"],
)
def test_find_placeholders(text: str, found: list[tuple[int, int, str]]) -> None:
    result = find_placeholders(WHERE, text)
    assert [(p.location.line, p.location.column, p.text) for p in result] == found
    assert all(p.location.path == WHERE for p in result)
    assert has_placeholder(text) == bool(found)


def test_highlight_keeps_the_brackets_in_a_mark_span() -> None:
    assert highlight("A [TO DO: age] patient.") == r"A [\[TO DO: age\]]{.mark} patient."
    assert highlight("no placeholder [here]") == "no placeholder [here]"


def test_a_placeholder_in_an_attribute_is_left_as_text() -> None:
    """An alt text still to write stays plain text in the image's description (the check
    reports it); around it, the text's placeholders are highlighted as ever."""
    markdown = '![A [TO DO: c]](x){#fig-x alt="[TO DO: \\"what\\" it shows]"} [TO DO: d]'
    assert highlight(markdown) == (
        r'![A [\[TO DO: c\]]{.mark}](x){#fig-x alt="[TO DO: \"what\" it shows]"} '
        r"[\[TO DO: d\]]{.mark}"
    )
