"""Inlines compared word by word: citations by key, reference labels not at all."""

from __future__ import annotations

import pytest

from casekit.revising.words import (
    DELETION,
    INSERTION,
    Node,
    compare_inlines,
    marked,
    similarity,
)

from .revising_ast import MARK, cite, para, shown


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("The patient was well.", "The patient was well.", "The patient was well."),
        ("The old word here.", "The new word here.", "The {-old-}{+new+} word here."),
        ("At 6.1\u00a0kg.", "At 6.3\u00a0kg.", "At {-6.1-}{+6.3+}\u00a0kg."),
        ("Low-intensity bridging", "Low-dose bridging", "Low-{-intensity-}{+dose+} bridging"),
        (
            "a product carries a higher risk of failure in infants",
            "a product fails more often in infants",
            "a product {-carries a higher risk of failure-}{+fails more often+} in infants",
        ),
        ("One. Two.", "One. Three. Two.", "One. {+Three. +}Two."),
        ("Kept and removed words.", "Kept words.", "Kept {-and removed -}words."),
        ("A line\nbroken.", "A line broken.", "A line broken."),
    ],
    ids=["same", "word", "number", "part-of-a-hyphenated-word", "phrase", "added", "removed",
         "line-break-is-a-space"],
)  # fmt: skip
def test_words_are_compared(old: str, new: str, expected: str) -> None:
    assert shown(compare_inlines(para(old), para(new), MARK)) == expected


def test_a_citation_whose_keys_are_the_same_prints_its_new_number_unmarked() -> None:
    old = [*para("Known."), cite("[1,2]", "a", "b")]
    new = [*para("Known."), cite("[2,3]", "a", "b")]
    merged = compare_inlines(old, new, MARK)
    assert shown(merged) == "Known.[2,3]"


def test_a_citation_whose_keys_changed_is_replaced() -> None:
    old = [*para("Known."), cite("[1,2]", "a", "b")]
    new = [*para("Known."), cite("[1–3]", "a", "c", "b")]
    assert shown(compare_inlines(old, new, MARK)) == "Known.{-[1,2]-}{+[1–3]+}"


def test_a_citation_is_never_taken_into_a_change_around_it() -> None:
    old = [*para("one two"), cite("[4]", "a"), *para("three four")]
    new = [*para("five six"), cite("[5]", "a"), *para("seven eight")]
    assert (
        shown(compare_inlines(old, new, MARK))
        == "{-one two-}{+five six+}[5]{-three four-}{+seven eight+}"
    )


def test_a_reference_list_label_is_not_compared() -> None:
    def entry(label: str) -> list[Node]:
        return para(f"[{label}]{{.csl-left-margin}}[Doe J. A title.]{{.csl-right-inline}}")

    assert compare_inlines(entry("1. "), entry("2. "), MARK) == entry("2. ")


def test_changes_carry_the_author_and_date() -> None:
    merged = compare_inlines(para("old"), para("new"), MARK)
    spans = [node for node in merged if node["t"] == "Span"]
    assert [span["c"][0] for span in spans] == [
        ["", [DELETION], [["author", "Ann Author"], ["date", "2024-01-02T03:04:05Z"]]],
        ["", [INSERTION], [["author", "Ann Author"], ["date", "2024-01-02T03:04:05Z"]]],
    ]


def test_an_inserted_stretch_with_emphasis_is_one_change() -> None:
    merged = compare_inlines(para("Start end."), para("Start *very* new end."), MARK)
    assert shown(merged) == "Start {+very new +}end."
    change = [node for node in merged if node["t"] == "Span"]
    assert len(change) == 1 and change[0]["c"][1][0]["t"] == "Emph"


def test_a_change_inside_a_link_stays_inside_it() -> None:
    """Word allows no hyperlink inside a revision (w:ins may hold runs, not w:hyperlink)."""
    merged = compare_inlines(
        para("See [the site](https://a.org)."), para("See [the new site](https://a.org)."), MARK
    )
    assert shown(merged) == "See the {+new +}site."
    link = next(node for node in merged if node["t"] == "Link")
    assert any(inner["t"] == "Span" for inner in link["c"][1])


def test_an_added_link_is_marked_inside_the_link() -> None:
    merged = compare_inlines(para("See."), para("See [here](https://a.org)."), MARK)
    assert [node["t"] for node in merged] == ["Str", "Span", "Link", "Str"]
    assert shown(merged) == "See{+ +}{+here+}."


def test_marked_wraps_everything() -> None:
    assert shown(marked(para("All *of* this."), DELETION, MARK)) == "{-All of this.-}"


@pytest.mark.parametrize(
    ("old", "new", "low", "high"),
    [("a b c d", "a b c d", 1.0, 1.0), ("a b c d", "a b x d", 0.7, 0.8), ("a b", "x y", 0.0, 0.0)],
    ids=["same", "one-word", "none"],
)
def test_similarity_counts_words(old: str, new: str, low: float, high: float) -> None:
    assert low <= similarity(para(old), para(new)) <= high
