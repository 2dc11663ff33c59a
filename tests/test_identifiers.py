"""The gate's detectors one by one: what each finds, and the medical language it leaves alone.
tests/privacy_catalogue.yaml holds whole sentences; these pin the rules behind them."""

from __future__ import annotations

import datetime

import pytest

from casekit.inputs import identifiers
from casekit.inputs.identifiers import DETECTORS, find_identifiers


def found(text: str) -> list[tuple[str, str]]:
    """(category, text) of each finding."""
    return [(s.category, text[s.start : s.end]) for s in find_identifiers(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("He had returned from Leeds last week.", ("place", "Leeds")),
     ("She lives in the village of Oberammergau.", ("place", "Oberammergau")),
     ("His hometown, Multan, had an outbreak.", ("place", "Multan")),
     ("The flight back from Frankfurt was long.", ("place", "Frankfurt")),
     ("The family travelled from Denver, CO for care.", ("place", "Denver"))],
    ids=["preposition", "village-of", "hometown", "alternate-name", "city-state"],
)  # fmt: skip
def test_places_smaller_than_a_state(text: str, expected: tuple[str, str]) -> None:
    assert expected in found(text)


@pytest.mark.parametrize(
    "text",
    ["She was born in Nigeria and moved to Texas.", "A survey from Rochester found 12% had it.",
     "However, CT showed a mass.", "A value of ADA above 40 U/L is suggestive.",
     "Fever in Parkinson's disease is rare.", "She was seen in March for review of ADA."],
    ids=["country-and-state", "a-study's-place", "state-code", "acronym-city",
         "eponym-city", "month"],
)  # fmt: skip
def test_no_place_where_none_is_named(text: str) -> None:
    assert not [f for f in found(text) if f[0] == "place"]


@pytest.mark.parametrize(
    ("text", "name"),
    [("Maria was admitted with a fever.", "Maria"),
     ("Grace Mwangi walked into the clinic.", "Grace Mwangi"),
     ("The history was confirmed by Dolores, who looks after him.", "Dolores"),
     ("According to Jorge, the rash began on the hands.", "Jorge"),
     ("The boy's aunt, Nkechi, had sickle cell disease.", "Nkechi"),
     ("N.A.'s mother reported the swelling.", "N.A."),
     ("Case 2, S.A., presented with a similar rash.", "S.A.")],
    ids=["given-name-and-verb", "word-name-with-surname", "who", "opener", "relative",
         "initials-possessive", "case-initials"],
)  # fmt: skip
def test_names_in_a_persons_context(text: str, name: str) -> None:
    assert ("name", name) in found(text)


@pytest.mark.parametrize(
    "text",
    ["Will she recover? Grace periods apply.", "Hope remained that the child would walk.",
     "Medullary thyroid carcinoma (MTC) is rare. MTC was found in both cases.",
     "CT was normal and MS was excluded.",
     "Moreover, de la Rosa Carrillo and Christensen noticed it.",
     "The Doppler study suggested a benign lesion.", "Kawasaki disease was considered.",
     "Searches used PubMed and Web of Science."],
    ids=["word-names", "hope", "defined-acronym", "listed-acronyms", "author-surname",
         "article-and-eponym", "eponym", "database"],
)  # fmt: skip
def test_no_name_where_none_is_written(text: str) -> None:
    assert not [f for f in found(text) if f[0] == "name"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("She fell at the age of 95.", "95"), ("He was ninety-one and lived alone.", "ninety-one"),
     ("A centenarian was admitted.", "centenarian"), ("At 96, she still drove.", "96"),
     ("a woman, 94, with dyspnoea", "94")],
    ids=["age-of", "spelled", "centenarian", "at-comma", "apposition"],
)  # fmt: skip
def test_ages_over_89(text: str, expected: str) -> None:
    assert ("age over 89", expected) in found(text)


def test_a_year_of_birth_that_says_the_age_is_found() -> None:
    long_ago = datetime.date.today().year - 95
    assert ("age over 89", str(long_ago)) in found(f"She was born in {long_ago} in a village.")
    recent = datetime.date.today().year - 40
    assert not found(f"She was born in {recent}.")


@pytest.mark.parametrize(
    "text",
    ["A 90% reduction in blasts.", "Heart rate 95 bpm, ninety minutes later.",
     "The registry has followed families for 95 years.",
     "The 90th percentile was exceeded."],
    ids=["percent", "units", "a-duration", "percentile"],
)  # fmt: skip
def test_numbers_that_are_no_age(text: str) -> None:
    assert not [f for f in found(text) if f[0] == "age over 89"]


@pytest.mark.parametrize(
    ("text", "category", "identifier"),
    [("The pump, SN 4471-A93, was replaced.", "device identifier", "4471-A93"),
     ("Her insulin pump, NG4471028, alarmed.", "device identifier", "NG4471028"),
     ("Medicaid ID XJ4471992 covered the stay.", "health plan number", "XJ4471992"),
     ("Carte Vitale 2 85 07 75 116 042 38 was shown.", "health plan number",
      "2 85 07 75 116 042 38"),
     ("Her hospital number, 4451, was on the pot.", "record or account number", "4451"),
     ("Biopsy H-2291-88 was reviewed.", "record or account number", "H-2291-88"),
     ("The culture, logged as M-66120, grew.", "record or account number", "M-66120")],
    ids=["device-cue", "device-noun", "plan-cue", "spaced-digits", "record-comma",
         "record-shape", "record-one-hyphen"],
)  # fmt: skip
def test_numbers_that_identify(text: str, category: str, identifier: str) -> None:
    assert (category, identifier) in found(text)


@pytest.mark.parametrize(
    "text",
    ["Registered as NCT01234567 and ISRCTN12345678.", "The variant c.1234G>A (rs12345678).",
     "HLA-B*58:01 was absent; KMT2A-AFF1 fusion was found.", "SARS-CoV-2 and COVID-19 testing.",
     "Copies of 19000000 per mL.", "Platelets 150-4500 × 10⁹/L.", "Serial imaging showed it."],
    ids=["trial-ids", "variant", "hla-and-fusion", "virus", "count", "range", "serial"],
)  # fmt: skip
def test_codes_of_medicine_are_no_identifiers(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "category", "identifier"),
    [("The ward is on 0161 496 0734.", "phone or fax number", "0161 496 0734"),
     ("Call +33 6 12 34 56 78 after six.", "phone or fax number", "+33 6 12 34 56 78"),
     ("Logins came from 2001:db8::ff00:42:8329.", "IP address", "2001:db8::ff00:42:8329"),
     ("Sent from 192.168.14.7.", "IP address", "192.168.14.7"),
     ("See twitch.tv/dr4gonfire_99 for the video.", "URL", "twitch.tv/dr4gonfire_99"),
     ("The family's flat is in 10115 Berlin-Mitte.", "ZIP code", "10115"),
     ("He moved to a hostel in NSW 2010.", "ZIP code", "2010"),
     ("She was first seen in June of 2003.", "date", "June of 2003"),
     ("She presented in June with lethargy.", "date", "June")],
    ids=["uk-phone", "french-phone", "ipv6", "ipv4-at-sentence-end", "bare-domain",
         "postcode-and-city", "australian-postcode", "month-of-year", "month-alone"],
)  # fmt: skip
def test_shapes_of_identifiers(text: str, category: str, identifier: str) -> None:
    assert (category, identifier) in found(text)


@pytest.mark.parametrize(
    "text",
    ["The meeting ran 12:30:45 to 13:00:00.", "ALT (U/L) 0–47 32 95 ALP (U/L) 39–117 58 405",
     "In 2019 Smith reported a series.", "Between the 1st and 30th months of therapy.",
     "On postoperative day 2 the drain came out.", "Gestational age was 34 weeks at birth."],
    ids=["times", "lab-table", "year-and-author", "ordinal-months", "postoperative-day",
         "gestational-age"],
)  # fmt: skip
def test_numbers_of_medicine_are_no_identifiers(text: str) -> None:
    assert found(text) == []


def test_one_finding_per_stretch_of_text_and_no_surrounding_space() -> None:
    spans = find_identifiers("Mr AB and patient J.K. came.")
    assert [(s.start, s.end) for s in spans] == sorted({(s.start, s.end) for s in spans})
    assert all(not "Mr AB and patient J.K. came."[s.end - 1].isspace() for s in spans)


def test_every_detector_has_a_name_and_the_word_lists_load() -> None:
    names = [name for name, _ in DETECTORS]
    assert len(names) == len(set(names))
    lists = identifiers.words().lists
    for key in ("titles", "relatives", "eponym_heads", "medical_phrases", "not_places", "tlds"):
        assert lists[key], key
    assert "maria" in identifiers.given_names()
    assert "grace" not in identifiers.given_names()  # a word name: only with a surname
    assert identifiers.fingerprint() == identifiers.fingerprint()


@pytest.mark.parametrize(
    ("text", "category", "identifier"),
    [("She delivered at the Rotunda by caesarean section.", "institution", "Rotunda"),
     ("Dialysis was started at Kasr Al Ainy that night.", "institution", "Kasr Al Ainy"),
     ("We saw J-W.P. again after the second course.", "name", "J-W.P."),
     ("In M.E.M. the lesion regressed.", "name", "M.E.M."),
     ("Case 3 (RdS) had the longest latency.", "name", "RdS"),
     ("She lives at ul. Piotrkowska 118, a flat.", "street address", "ul. Piotrkowska 118"),
     ("The office is at 31-503 Kraków.", "ZIP code", "31-503"),
     ("Write to nana.osei at gmail dot com today.", "email address",
      "nana.osei at gmail dot com"),
     ("HEGL850312MDFRNS09 was on the form.", "record or account number", "HEGL850312MDFRNS09")],
    ids=["care-at-the", "care-at", "hyphenated-initials", "three-initials", "case-bracket",
         "polish-street", "polish-postcode", "email-in-words", "curp"],
)  # fmt: skip
def test_shapes_found_in_other_countries(text: str, category: str, identifier: str) -> None:
    assert (category, identifier) in found(text)


@pytest.mark.parametrize(
    "text",
    ["MRD was 1.2% on day +33.", "The mean IQ was lower than expected.",
     "She was treated at Christmas with antibiotics.", "He was seen at Day 14 by the team.",
     "Trained in the U.S. and the U.K., he holds a Ph.D.", "He was examined at MRI."],
    ids=["acronym-and-was", "the-acronym", "care-at-a-holiday", "care-at-a-day",
         "dotted-abbreviations", "care-at-an-acronym"],
)  # fmt: skip
def test_words_that_look_like_names_of_people_or_places_of_care(text: str) -> None:
    assert found(text) == []
