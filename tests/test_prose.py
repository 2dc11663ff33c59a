"""Prose rules the helpers share: capitalising a first letter, a or an (inputs/prose.py)."""

from __future__ import annotations

import pytest

from casekit.inputs.prose import article_for_letters, article_for_words, capfirst


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cardiac magnetic resonance (CMR)", "Cardiac magnetic resonance (CMR)"),
        ("high-sensitivity troponin (hs-cTnT)", "High-sensitivity troponin (hs-cTnT)"),
        ("*left* ventricle", "*Left* ventricle"),
        ("5 mg daily", "5 mg daily"),
        ("Already", "Already"),
        ("", ""),
    ],
    ids=["keeps-the-rest", "keeps-a-lowercase-short-form", "after-markup", "digit", "capital",
         "empty"],
)  # fmt: skip
def test_capfirst_upper_cases_only_the_first_letter(text: str, expected: str) -> None:
    assert capfirst(text) == expected


@pytest.mark.parametrize(
    ("short", "expected"),
    [
        ("LVEF", "an"), ("HSCT", "an"), ("MRD", "an"), ("NSTEMI", "an"), ("RSV", "an"),
        ("SLE", "an"), ("X-ALD", "an"), ("ALL", "an"), ("ECG", "an"), ("hs-cTnT", "an"),
        ("r/r", "an"), ("CAR-T", "a"), ("KMT2A-r", "a"), ("UTI", "a"), ("CT", "a"),
        ("GVHD", "a"), ("18F-FDG", "an"), ("8-OHdG", "an"), ("11q", "an"), ("5-FU", "a"),
    ],
    ids=lambda value: str(value),
)  # fmt: skip
def test_short_forms_take_the_article_of_their_first_letters_name(
    short: str, expected: str
) -> None:
    assert article_for_letters(short) == expected


@pytest.mark.parametrize(
    ("long", "expected"),
    [
        ("left ventricular ejection fraction", "a"),
        ("acute lymphoblastic leukemia", "an"),
        ("echocardiogram", "an"),
        ("unilateral renal agenesis", "a"),
        ("uninterrupted course", "an"),
        ("urinary tract infection", "a"),
        ("ultrasound", "an"),
        ("European registry", "a"),
        ("one-stage repair", "a"),
        ("hour-long infusion", "an"),
        ("honest broker", "an"),
        ("hematopoietic stem cell transplantation", "a"),
        ("HLA-B27-associated uveitis", "an"),
        ("X-linked agammaglobulinemia", "an"),
        ("T-cell lymphoma", "a"),
    ],
    ids=lambda value: str(value).split()[0],
)
def test_long_forms_take_the_article_of_their_first_sound(long: str, expected: str) -> None:
    assert article_for_words(long) == expected


def test_literal_prints_data_as_written() -> None:
    from casekit.inputs.prose import literal
    from casekit.typesetting import pandoc

    text = "HLA-B*58:01, then HLA-B*58:01 again [sic] a_b_c @key <x> 2^3"
    printed = str(pandoc.run(["-f", "markdown", "-t", "plain"], stdin=literal(text)))
    assert printed.strip() == text
