"""Finding rendered text on numbered lines and quoting it as printed (revising/quotes.py)."""

from __future__ import annotations

import pytest

from casekit.revising.quotes import Stream, plain, words
from casekit.typesetting.lines import Line

LINES = (
    Line(30, 2, 100.0, "as high as 81% in both children and adolescents.[14–16] However, there"),
    Line(31, 2, 130.0, "is limited experience utilizing CAR-T in infants resulting from the ex-"),
    Line(32, 2, 160.0, "clusion of children <1 year of age from initial clinical trials.[1] The"),
    Line(33, 3, 80.0, "approach has been limited by CAR-"),
    Line(34, 3, 110.0, "T cell dose."),
)


def test_words_are_letters_without_case_or_numbers() -> None:
    assert words("KMT2A-r ALL, 6.1 kg [14–16]") == ["kmtar", "all", "kg"]


def test_plain_drops_citations_attributes_and_raw_output() -> None:
    markdown = "Trials.[@brown2019; @lee2015] See `#x`{=typst}[here](http://a.b) {#sec-a}"
    assert words(plain(markdown)) == ["trials", "see", "here"]


def test_a_labelled_sentence_is_found_on_its_lines_and_quoted_as_printed() -> None:
    source = (
        "However, there is limited experience utilizing CAR-T in infants resulting from "
        "the exclusion of children <1 year of age from initial clinical trials.[@brown2019]"
    )
    found = Stream(LINES).find(source)
    assert found is not None
    assert (found.first.number, found.last.number) == (30, 32)
    assert found.quote == (
        "However, there is limited experience utilizing CAR-T in infants resulting from the "
        "exclusion of children <1 year of age from initial clinical trials.[1]"
    )


def test_a_word_broken_at_its_own_hyphen_keeps_it() -> None:
    found = Stream(LINES).find("The approach has been limited by CAR-T cell dose.")
    assert found is not None
    assert found.quote == "The approach has been limited by CAR-T cell dose."
    assert (found.first.page, found.last.page) == (2, 3)


@pytest.mark.parametrize(
    "source",
    ["Nothing here is printed at all.", ""],
    ids=["absent", "empty"],
)
def test_text_not_printed_is_not_found(source: str) -> None:
    assert Stream(LINES).find(source) is None


def test_a_search_stays_within_its_lines() -> None:
    stream = Stream(LINES)
    start, end = stream.token_range(LINES[3], LINES[4])
    assert stream.find("However, there is limited experience", start, end) is None
    assert stream.find("approach has been limited", start, end) is not None
