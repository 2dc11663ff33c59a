"""Two documents compared block by block: pairs compared inside, the rest marked whole."""

from __future__ import annotations

import pytest

from casekit.revising.diff import align, compare_documents
from casekit.revising.words import Node

from .revising_ast import MARK, parse, shown


def compared(old: str, new: str) -> str:
    return shown(compare_documents(parse(old), parse(new), MARK)["blocks"])


def test_a_paragraph_removed_whole_is_marked_whole() -> None:
    old = "First paragraph here.\n\nA paragraph that goes.\n\nLast one.\n"
    new = "First paragraph here.\n\nLast one.\n"
    assert compared(old, new) == "First paragraph here.\n{-A paragraph that goes.-}\nLast one."


def test_a_paragraph_added_whole_is_marked_whole() -> None:
    old = "First paragraph here.\n\nLast one.\n"
    new = "First paragraph here.\n\nA new paragraph.\n\nLast one.\n"
    assert compared(old, new) == "First paragraph here.\n{+A new paragraph.+}\nLast one."


def test_an_edited_paragraph_is_compared_word_by_word_beside_an_added_one() -> None:
    old = "Intro.\n\nThe patient was given drug X on day three.\n"
    new = (
        "Intro.\n\nAn added paragraph about something else.\n\n"
        "The patient was given drug Y on day three.\n"
    )
    assert compared(old, new) == (
        "Intro.\n{+An added paragraph about something else.+}\n"
        "The patient was given drug {-X-}{+Y+} on day three."
    )


def test_a_rewritten_paragraph_in_the_same_place_is_compared_inside() -> None:
    assert compared("Alpha beta.\n", "Gamma delta.\n") == "{-Alpha beta-}{+Gamma delta+}."


def test_a_heading_changes_word_by_word_but_not_across_levels() -> None:
    assert compared("# CAR-T therapy\n", "# CAR-T cell therapy\n") == "# CAR-T {+cell +}therapy"
    assert compared("# Results\n", "## Results\n") == "# {-Results-}\n## {+Results+}"


def test_the_title_is_compared() -> None:
    old = parse("---\ntitle: An old title\n---\n\nText.\n")
    new = parse("---\ntitle: A new title\n---\n\nText.\n")
    merged = compare_documents(old, new, MARK)
    assert shown(merged["meta"]["title"]["c"]) == "{-An old-}{+A new+} title"


REFS = """
::: {{#refs .references .csl-bib-body}}
{entries}
:::
"""


def refs(*entries: tuple[str, str]) -> str:
    lines = [
        f"::: {{#ref-{key} .csl-entry}}\n"
        f"[{n}.]{{.csl-left-margin}}[{text}]{{.csl-right-inline}}\n:::"
        for n, (key, text) in enumerate(entries, 1)
    ]
    return REFS.format(entries="\n\n".join(lines))


def test_the_reference_list_is_compared_by_key_not_by_number() -> None:
    a, b, c = ("a", "Doe J. Alpha."), ("b", "Roe R. Beta."), ("c", "Poe P. Gamma.")
    new_entry = ("n", "New N. Inserted.")
    merged = compared(refs(a, b, c), refs(new_entry, a, c))
    # b removed where it stood; the new entry first; a and c renumbered, unmarked.
    assert merged.splitlines() == [
        "{+1.New N. Inserted.+}",
        "2.Doe J. Alpha.",
        "{-2.Roe R. Beta.-}",
        "3.Poe P. Gamma.",
    ]


def test_an_edited_reference_is_compared_word_by_word() -> None:
    merged = compared(refs(("a", "Doe J. Alpha. 2019.")), refs(("a", "Doe J. Alpha. 2020.")))
    assert merged == "1.Doe J. Alpha. {-2019-}{+2020+}."


TABLE = """
| Day | Event |
|----:|:------|
{rows}

: Timeline of care.
"""


def table(*rows: tuple[str, str]) -> str:
    return TABLE.format(rows="\n".join(f"| {day} | {event} |" for day, event in rows))


def test_a_changed_cell_is_compared_in_its_cell() -> None:
    old = table(("1", "Induction"), ("5", "Low-intensity bridging"))
    new = table(("1", "Induction"), ("6", "Low-dose bridging"))
    assert compared(old, new).splitlines() == [
        "Timeline of care.",
        "| Day | Event |",
        "| 1 | Induction |",
        "| {-5-}{+6+} | Low-{-intensity-}{+dose+} bridging |",
    ]


def test_a_row_added_or_removed_is_marked_in_every_cell() -> None:
    old = table(("1", "Induction"), ("2", "Consolidation therapy given"))
    new = table(
        ("1", "Induction"), ("3", "A new event entirely"), ("2", "Consolidation therapy given")
    )
    assert compared(old, new).splitlines()[3] == "| {+3+} | {+A new event entirely+} |"
    assert compared(new, old).splitlines()[3] == "| {-3-} | {-A new event entirely-} |"


def test_a_table_with_other_columns_is_replaced_whole() -> None:
    old = table(("1", "Induction"))
    new = "| Day | Event | Result |\n|--|--|--|\n| 1 | Induction | ok |\n"
    merged = compared(old, new)
    assert "{-Induction-}" in merged and "{+Induction+}" in merged


def test_list_items_are_aligned() -> None:
    merged = compare_documents(
        parse("- one\n- two\n- three\n"), parse("- one\n- three\n- four\n"), MARK
    )
    assert [shown(item) for item in merged["blocks"][0]["c"]] == [
        "one",
        "{-two-}",
        "three",
        "{+four+}",
    ]
    merged = compare_documents(
        parse("- one thing\n- two things\n"), parse("- one thing\n- two new things\n"), MARK
    )
    items = merged["blocks"][0]["c"]
    assert [shown(item) for item in items] == ["one thing", "two {+new +}things"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("abc", "abc", [("a", "a", True), ("b", "b", True), ("c", "c", True)]),
        ("ac", "abc", [("a", "a", True), (None, "b", False), ("c", "c", True)]),
        ("abc", "ac", [("a", "a", True), ("b", None, False), ("c", "c", True)]),
        ("aXc", "aYc", [("a", "a", True), ("X", "Y", False), ("c", "c", True)]),
    ],
    ids=["same", "added", "removed", "paired"],
)
def test_align_pairs_in_order(
    old: str, new: str, expected: list[tuple[str | None, str | None, bool]]
) -> None:
    assert align(list(old), list(new), str, lambda x, y: 0.0) == expected


def test_a_block_with_no_text_is_kept_when_added_and_dropped_when_removed() -> None:
    rule = "Text.\n\n---\n\nMore.\n"
    blocks: list[Node] = compare_documents(parse("Text.\n\nMore.\n"), parse(rule), MARK)["blocks"]
    assert [b["t"] for b in blocks] == ["Para", "HorizontalRule", "Para"]
    blocks = compare_documents(parse(rule), parse("Text.\n\nMore.\n"), MARK)["blocks"]
    assert [b["t"] for b in blocks] == ["Para", "Para"]
