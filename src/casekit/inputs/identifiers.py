"""Where patient identifiers are in free text: the detectors of the de-identification gate.

Each detector finds one kind of HIPAA Safe Harbor identifier (45 CFR 164.514(b)(2)) and
returns where it is, as character spans; :func:`find_identifiers` runs them all and keeps
one span per stretch of text. What each word means is data, not code
(``data/privacy.yaml``: titles, relatives, cue words, street types, eponyms and other
medical language that is no identifier; ``data/given-names.txt``: given names from public
name statistics; ``data/place-names.txt``: the GeoNames gazetteer's cities, countries and
states). ``phonenumbers`` (Google's libphonenumber) finds telephone numbers of any country;
it is imported on the first scan only, so a build whose sources are unchanged never loads
it. ``make privacy-libraries`` measures each library against the patterns it replaces.

The detectors are written to be quiet on real clinical text: a number needs a cue or a
shape to be a record number, a city needs a preposition and no eponym after it, a given
name needs a person's context ("Maria was admitted", "his wife Anna").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from casekit.data import data_file


@dataclass(frozen=True)
class Span:
    """One suspected identifier: ``text[start:end]``, of ``category``."""

    start: int
    """Offset of its first character."""
    end: int
    """Offset after its last character."""
    category: str
    """Safe Harbor category, e.g. ``date``."""


@dataclass(frozen=True)
class Words:
    """The gate's word lists (``data/privacy.yaml``), read once."""

    lists: dict[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.lists[name]

    def alternation(self, name: str, *, boundary: bool = True) -> str:
        """A regex alternation of list ``name``, longest first, each word escaped."""
        words = sorted({str(w) for w in self.lists[name]}, key=len, reverse=True)
        body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
        return rf"(?:{body})" if not boundary else rf"(?<![\w-])(?:{body})(?![\w-])"

    def folded(self, name: str) -> frozenset[str]:
        """List ``name`` in lower case, for membership tests."""
        return frozenset(str(w).lower() for w in self.lists[name])


DATA_FILES = ("privacy.yaml", "given-names.txt", "surnames.txt", "place-names.txt")
"""The word lists the detectors read."""


@cache
def fingerprint() -> str:
    """What the word lists and this module are, so that no cached scan outlives them: their
    sizes and modification times (every build asks, and reading the 1.7 MB of lists to
    hash them cost 4 ms each time; any edit changes the time)."""
    files = [Path(__file__), *(data_file(name) for name in DATA_FILES)]
    stats = [(f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files]
    return repr(stats)


@cache
def words() -> Words:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(data_file("privacy.yaml").read_text(encoding="utf-8"), Loader=loader)
    return Words(raw)


@cache
def all_given_names() -> frozenset[str]:
    """Given names, in lower case (``data/given-names.txt``)."""
    text = data_file("given-names.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line and line[0] != "#")


@cache
def _all_surnames() -> frozenset[str]:
    """Every surname of ``data/surnames.txt``, in lower case."""
    text = data_file("surnames.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line and line[0] != "#")


@cache
def surnames() -> frozenset[str]:
    """Surnames that are no ordinary words."""
    return _all_surnames() - words().folded("not_names") - words().folded("word_names")


@cache
def given_names() -> frozenset[str]:
    """Given names that are no ordinary words (``Maria``, not ``Grace`` or ``Will``)."""
    return all_given_names() - words().folded("not_names") - words().folded("word_names")


# --- shared pieces -------------------------------------------------------------------------

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|"
    # Spanish, French, German, Portuguese and Italian month names
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|"
    r"diciembre|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
    r"novembre|décembre|Januar|Februar|März|Juni|Juli|Oktober|Dezember|janeiro|fevereiro|"
    r"março|maio|junho|julho|setembro|outubro|novembro|dezembro|gennaio|febbraio|aprile|"
    r"maggio|giugno|luglio|settembre|ottobre|dicembre)"
)
_OTHER_CALENDARS = (
    r"Farvardin|Ordibehesht|Khordad|Mordad|Amordad|Shahrivar|Aban|Azar|Bahman|Esfand|"
    r"Muharram|Safar|Rabi[\s'’-]+al[\s-]+(?:awwal|thani|akhir)|Jumada[\s'’-]+al[\s-]+(?:ula|"
    r"akhirah|thani)|Rajab|Sha['’]?ban|Shawwal|Dhu[\s'’-]+al[\s-]+(?:Qi['’]?dah|Hijjah)"
)
"""Months of the Persian and Islamic calendars (those that are no English words)."""
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?"
_YEAR = r"(?:1[89]\d{2}|20\d{2})"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_ORDINAL = r"(?:[12]?1st|[12]?2nd|[12]?3rd|(?:[4-9]|1\d|2[04-9]|30)th|31st)"


def _letters(test: Callable[[str], bool]) -> str:
    """A regex character class body of the letters (Latin, Greek, Cyrillic) ``test`` accepts."""
    return "".join(re.escape(chr(c)) for c in range(0x41, 0x530) if test(chr(c)))


_UP = f"[{_letters(str.isupper)}]"
"""An upper-case letter, accents included (Ł, Ö, Ş)."""
_LOW = f"[{_letters(str.islower)}]"
"""A lower-case letter."""
_CAP = rf"{_UP}[\w'’-]*"
"""A capitalised word."""
_HOLIDAY = (
    r"(?:Christmas(?:\s+(?:Eve|Day))?|New\s+Year'?s?(?:\s+(?:Eve|Day))?|"
    r"Easter(?:\s+(?:Sunday|Monday|Day))?|Good\s+Friday|Whit\s+Monday|Labou?r\s+Day|"
    r"Memorial\s+Day|Mother'?s\s+Day|Father'?s\s+Day|Bastille\s+Day|Guy\s+Fawkes\s+Night|"
    r"Carnival|Carnaval|Chinese\s+New\s+Year|Lunar\s+New\s+Year|Songkran|Nowruz|"
    r"Thanksgiving|Boxing\s+Day|Halloween|Independence\s+Day|Valentine'?s\s+Day|Eid|Diwali|"
    r"Hanukkah|Passover)"
)


def _units_after() -> str:
    """A lookahead that fails when a unit follows: the number is a quantity."""
    return rf"(?!\s*(?:{words().alternation('units', boundary=False)})(?![\w]))"


# --- detectors -----------------------------------------------------------------------------

Detector = Callable[[str], Iterator[Span]]


def _regex_detector(
    category: str, build: Callable[[], str | list[str]], flags: int = 0
) -> Detector:
    """A detector from patterns; a pattern's group ``id``, when it has one, is the
    identifier itself and the rest its context."""

    @cache
    def compiled() -> tuple[re.Pattern[str], ...]:
        built = build()
        return tuple(re.compile(p, flags) for p in ([built] if isinstance(built, str) else built))

    def detect(text: str) -> Iterator[Span]:
        for pattern in compiled():
            for match in pattern.finditer(text):
                group = "id" if match.groupdict().get("id") else 0
                start, end = match.span(group)
                if end > start:
                    yield Span(start, end, category)

    return detect


def _dates() -> list[str]:
    sep = r"[-/.]"
    day_month = rf"{_DAY}(?:st|nd|rd|th)?\.?\s+(?:of\s+)?{_MONTH}\b\.?"
    month_day = rf"{_MONTH}\.?\s+{_DAY}(?:st|nd|rd|th)?\b(?!\s*(?:{_YEAR}|\d))"
    return [
        # numeric: 2019-12-24, 24.12.2019, 12/24/2019, 03/04/21, 7-3-2022, 20190312
        rf"\b{_YEAR}{sep}(?:0?[1-9]|1[0-2]){sep}{_DAY}\b",
        rf"(?<![\d.,/])\b{_DAY}{sep}{_DAY}{sep}(?:{_YEAR}|\d{{2}})\b(?![.,/]\d)",
        rf"\b{_DAY}-(?:{_MONTH})-(?:{_YEAR}|\d{{2}})\b",
        r"\b(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\b",
        # written: 2 February 2014, March 9, 2019, Sept. 2nd, 2020, 15 de marzo de 1998
        rf"\b(?:(?:{_WEEKDAY}),?\s+)?(?:the\s+)?{day_month}(?:,?\s+(?:de\s+)?{_YEAR})?",
        rf"\b{_DAY}\.\s+{_MONTH}(?:\s+{_YEAR})?\b",
        rf"\b{_DAY}\s+de\s+{_MONTH}(?:\s+de\s+{_YEAR})?\b",
        rf"\b(?:(?:{_WEEKDAY}),?\s+)?{_MONTH}\.?\s+{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}\b",
        rf"\b(?:(?:{_WEEKDAY}),?\s+)?{month_day}",
        # a month and a year: March 2019, June of 2003, mid-October 2017
        rf"\b(?:(?:early|mid|late)-?\s*)?{_MONTH}\.?,?\s+(?:of\s+(?:the\s+)?)?{_YEAR}\b",
        # the 3rd of May, Friday the 13th, the 14th (of a month), not the 3rd day or month
        rf"\b(?:{_WEEKDAY}\s+)?the\s+{_ORDINAL}(?:\s+of\s+{_MONTH})?\b"
        r"(?!\s+(?:(?:and|or|to|through|-|–)\s+\w+\s+)?(?:day|week|month|year|cycle|dose|"
        r"line|course|trimester|time|degree|percentile|centile|postoperative|post|hospital|"
        r"illness|birthday|session|generation|decade|century|rib|vertebra|finger|toe|"
        r"cranial|intercostal|ventricle|edition|of\s+(?:the|his|her|these|those)))",
        # a month alone, where a date goes: "presented in June", "since early March"
        r"(?-i:\b(?:in|during|since|until|till|by|through|throughout|of|from)\s+"
        r"(?:(?:early|mid|late)[-\s]+)?(?P<id>January|February|March|April|May|June|July|"
        r"August|September|October|November|December)\b(?![-\s]+\d))",
        # holidays with a year: Christmas Eve 2018
        rf"\b{_HOLIDAY}\s+(?:of\s+)?{_YEAR}\b",
        # the Persian (Solar Hijri) and Islamic (Hijri) calendars: 12 Farvardin 1398, 3 Ramadan 1441
        rf"\b{_DAY}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_OTHER_CALENDARS})(?:,?\s+1[34]\d{{2}})?\b",
        rf"\b(?:{_OTHER_CALENDARS})\s+{_DAY},?\s+1[34]\d{{2}}\b",
        # a day/month: admitted on 1/7
        rf"\b(?:on|from|until|till|since|by)\s+(?P<id>{_DAY}/(?:0?[1-9]|1[0-2]))\b(?![/\d])",
        # date of birth
        rf"\b(?:DOB|D\.O\.B\.|date of birth|born(?:\s+on)?)\s*:?\s*(?P<id>{_DAY}{sep}{_DAY}"
        rf"{sep}\d{{2,4}})",
    ]


def _ages() -> list[str]:
    age = r"(?:9\d|1[01]\d)"
    spelled = (
        r"(?:ninety(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?|"
        r"(?:a|one)\s+hundred(?:\s+and\s+\w+)?)"
    )
    either = rf"(?:{age}|{spelled})"
    return [
        rf"\b{either}[-\s]?(?:years?|yrs?|y)[-\s]?(?:old|of\s+age)\b",
        rf"\b{age}\s?(?:yo|y/o|y\.o\.)\b",
        rf"\b(?:aged?|age\s+of|at\s+age|centenarian,?\s+aged|turned|turning|now|reached|being|"
        rf"(?:man|woman|lady|gentleman|patient|person|widow|widower|grandmother|grandfather)"
        rf"\s+of)\s*[:=]?\s+"
        rf"(?P<id>{either})\b(?!\s*(?:%|percent|mg|kg|mmHg|bpm|cm|mm|days?|weeks?|months?|"
        rf"minutes?|hours?|times))",
        rf"(?<!\bfor\s)(?<!\bover\s)(?<!\bwithin\s)(?<!\bafter\s)(?<!\bin\s)"
        rf"\b{age}\s+years\b(?!\s+(?:ago|later|earlier|before|after|since|of\s+follow))",
        r"\b(?:ninety|hundred)(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?"
        r"(?:[-\s]years?)?[-\s]old\b",
        r"(?<=\bnow\s)(?:ninety|a\s+hundred)[-\w]*",
        # At 96, she...; a woman, 94, ...; 93F; F/93
        rf"(?-i:\b[Aa]t\s+(?P<id>{age})(?=\s*,))",
        rf"(?-i:(?:^|(?<=[.!?]\s))At\s+(?P<id>{age})\b)(?!\s*(?:%|percent|mg|mmHg|bpm|hours?|"
        r"minutes?|days?|weeks?|months?))",
        rf"\((?P<id>{age})\s*(?:y|yr|yrs|years?|y/o|yo)\.?\)",
        rf"\b(?:she|he|they)\s+(?:is|was)\s+(?P<id>{age})(?=\s+(?:and|but|now)\b|\s*[,;.])",
        rf"\b(?:man|woman|male|female|patient|gentleman|lady|widow|widower),?\s+(?P<id>{age})"
        r"\b(?=\s*[,;)])",
        rf"(?-i:\b{age}\s?[FM]\b|\b[FM]/{age}\b)",
        # words that say the age: nonagenarian, centenarian; in her nineties, late 90s
        r"\b(?:nonagenarian|centenarian|supercentenarian)s?\b(?:\s*\(\s*(?:aged\s+)?\d{2,3}"
        r"(?:\s*(?:years?|y))?\s*\)|\s+(?:of|aged)\s+\d{2,3}\b|,\s*\d{2,3}\b)?",
        r"\b(?:in\s+(?:his|her|their)\s+(?:early\s+|mid-?\s*|late\s+)?)(?P<id>nineties|90s|"
        r"nineties|hundreds)\b",
        # ninety-one, Ninety-four, his ninety-fifth year: a spelled age, unless a unit follows
        r"\b(?:ninety(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine|first|second|"
        r"third|fourth|fifth|sixth|seventh|eighth|ninth))?|ninetieth|hundredth|one\s+hundred"
        r"(?:\s+and\s+\w+)?|(?:9\d|1[01]\d)(?:st|nd|rd|th))\b"
        r"(?!\s*(?:%|percent|per\s+cent|minutes?|min|seconds?|hours?|days?|weeks?|months?|"
        r"mg|ml|mL|kg|g|times|cases|patients|mmHg|bpm|centile|percentile))",
    ]


def _born_long_ago(text: str) -> Iterator[Span]:
    """A year of birth that makes the patient older than 89: a year is no identifier by
    itself, but "born in 1925" says the age."""
    import datetime

    this_year = datetime.date.today().year
    for match in re.finditer(r"(?i:\b(?:born|birth)\b[^.;]{0,12}?\b)(?P<id>1[89]\d\d)\b", text):
        if this_year - int(match.group("id")) > 89:
            yield Span(match.start("id"), match.end("id"), "age over 89")


def _phones_regex() -> list[str]:
    return [
        r"(?:\+\d{1,3}[\s.-]?)?\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b",
        r"\+\d{1,3}(?:[\s.-]\d{1,4}){2,5}\b",
        r"\b0\d{2,4}[\s-]\d{3,4}[\s-]?\d{3,4}\b",
        r"\b(?:tel|telephone|phone|fax|mobile|cell|mob|ph|contact(?:ed)?\s+(?:on|at))\b\.?"
        r"(?:\s+(?:number|no\.?))?\s*[:#]?\s*(?:on\s+|at\s+)?(?P<id>[+\d(][\d\s().-]{5,}\d)",
        r"\bext\.?\s*\d{3,5}\b",
        # a local number: 447-2291, 555-0188 (a range has a unit or "between" around it)
        rf"(?<![\d.,–-])(?<!between\s)(?<!from\s)\b\d{{3}}-\d{{4}}\b(?![-–.,]?\d){_units_after()}",
    ]


def _phones_by_library(text: str) -> Iterator[Span]:
    """Telephone numbers of the regions a case report most often comes from, as
    libphonenumber's matcher finds and validates them in running text."""
    import phonenumbers

    for region in ("US", "GB", "IN", "AU", "DE", "FR", "ES", "BR", "NG", "ZA", "CN", "CA"):
        for match in phonenumbers.PhoneNumberMatcher(text, region, phonenumbers.Leniency.VALID):
            raw = match.raw_string
            digits = sum(c.isdigit() for c in raw)
            spaced = raw.startswith("+") or re.search(r"\d[\s().-]+\d", raw)
            measure = "–" in raw or _looks_like_measure(text, match.start, match.end)
            if digits >= 9 and spaced and not measure:
                yield Span(match.start, match.end, "phone or fax number")


def _looks_like_measure(text: str, start: int, end: int) -> bool:
    """Whether the numbers at ``text[start:end]`` are a range or quantities, not a phone."""
    after = text[end : end + 12]
    before = text[max(0, start - 12) : start]
    return bool(
        re.match(rf"\s*(?:{words().alternation('units', boundary=False)})\b", after)
        or re.search(r"(?:±|range|ratio|of|×|x)\s*$", before)
    )


def _numbers_with_cue(cues: str, category: str) -> Detector:
    """A code that holds a digit, after one of the list ``cues``' words."""

    def build() -> str:
        cue = words().alternation(cues, boundary=False)
        joint = r"(?:\s*(?:number|no\.?|num\.?|ID|#|code|is|was|of|[A-Z]{2,5})\b\s*)*"
        token = r"(?=[\w/-]*\d)[A-Z0-9](?:[\w/-]*[A-Z0-9])?"
        more = r"(?:[ -](?=[A-Z0-9]*\d)[A-Z0-9]+|\s[A-Z]\b)*"
        return rf"(?<![\w])(?:{cue})\b\.?{joint}[:#,]?\s*(?:\(\s*)?(?P<id>(?-i:{token}{more}))"

    return _regex_detector(category, build, re.IGNORECASE)


def _device_codes() -> str:
    """A code of four digits or more a few words after a device's name ("her insulin pump,
    NG4471028"), which only a serial or lot number is."""
    devices = words().alternation("devices", boundary=False)
    code = r"(?=(?:[A-Z/-]*\d){4})(?=[\w/-]*[A-Z\d]{2})[A-Z0-9][\w/-]*[A-Z0-9]"
    return (
        rf"(?i:\b(?:{devices})s?\b)(?:[\s,]+(?:\w+[\s,]+){{0,3}}?)(?:\(\s*)?(?P<id>(?-i:{code}))"
        rf"(?![\w/-]){_units_after()}"
    )


def _national_ids() -> list[str]:
    """Identity numbers of the shapes ``data/privacy.yaml`` lists under national_ids."""
    return [rf"(?<![\w.-])(?:{shape})(?![\w-])" for shape in words()["national_ids"].values()]


def _record_numbers() -> list[str]:
    return [
        r"(?<![\w#])#\s?(?P<id>\d{4,})\b",
        rf"(?<![\d.,×^⁰-⁹/])\b\d{{7,}}\b(?![.,]\d){_units_after()}",
        # codes shaped like identifiers, whatever their cue: RU-4417-B, H-2291-88,
        # KCH/88/30917, BCX449018273 (not trial or sequence accessions, nor genes)
        r"(?<![\w/.-])(?!(?:NCT|ISRCTN|ACTRN|ChiCTR|CTRI|DRKS|UMIN|EudraCT|PMC|PMID|GSE|SRR|"
        r"NM_|NP_|NR_|rs|HLA|ATCC|DSM|CD|IL|ORCID)[\w-]*\d)"
        r"(?=(?:[^\s\d]*\d){4})(?=[\w/-]*[A-Za-z])"
        r"(?:[A-Z0-9]+[-/]){2,}[A-Z0-9]+(?![\w/-])",
        r"(?<![\w/.-])(?!(?:NCT|ISRCTN|ACTRN|PMC|PMID|GSE|SRR)\d)[A-Z]{1,4}\d{6,}[A-Z]?\b",
        r"(?<![\w/.-])(?=(?:[^\s\d]*\d){5})\d+[-/]\d+[-/][A-Z0-9]+(?![\w/-])",
        # one separator, letters and at least four digits: G7-MX4471QZ, M-66120
        r"(?<![\w/.-])(?!(?:HLA|NCT|CYP|ST|NT|PD|IL|CD|CA)-)[A-Z][A-Z0-9]{0,3}-(?=[A-Z0-9]*\d{4})"
        r"[A-Z0-9]{4,}(?![\w/-])",
        # a number of a register and its year: PM 117/2019, AIIMS/2021/004417
        r"\b[A-Z]{1,6}\s?\d{1,6}/(?:19|20)\d{2}\b",
        r"\b[A-Z]{2,6}/(?:19|20)\d{2}/\d{3,}\b",
        # serial numbers of implants and devices: PSR 401557 H
        r"\b[A-Z]{2,4}\s\d{5,}\s[A-Z]\b",
        # a UK National Insurance number: QQ 12 34 56 C
        r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b",
        r"\b\d{3}\s\d{3}\s\d{4}\b(?=\W*(?:NHS|$))",
    ]


def _emails() -> list[str]:
    at = r"(?:\s*(?:\[at\]|\(at\)|\{at\})\s*|\s+at\s+)"
    dot = r"(?:\s*(?:\[dot\]|\(dot\)|\{dot\})\s*|\s+dot\s+|\.)"
    last_dot = r"(?:\s*(?:\[dot\]|\(dot\)|\{dot\})\s*|\s+dot\s+)"
    tlds = words().alternation("tlds", boundary=False)
    return [
        r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b",
        # written out against harvesters: nana.osei at gmail dot com, ana [at] uni [dot] pt
        rf"(?i:\b[\w.+-]+{at}[\w-]+(?:{dot}[\w-]+)*{last_dot}(?:{tlds})\b)",
    ]


def _urls() -> list[str]:
    tlds = words().alternation("tlds", boundary=False)
    return [
        r"\b(?:https?|ftp|sftp)://\S+[^\s.,;:)\]]",
        r"\bwww\.[\w-]+\.[^\s,;:)\]]+[^\s.,;:)\]]",
        rf"\b(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{tlds})\b(?![\w-]|\.\w)"
        r"(?:/[^\s,;)\]]*[^\s.,;)\]])?",
        # a domain of any country, with a path: clinic.example.xx/page
        r"\b(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2}/[^\s,;)\]]*[^\s.,;)\]]",
    ]


def _ips() -> list[str]:
    part = r"(?:25[0-5]|2[0-4]\d|1?\d?\d)"
    hexa = r"[0-9a-fA-F]{1,4}"
    return [
        rf"(?<![\d.])\b{part}(?:\.{part}){{3}}\b(?!\.?\d)(?::\d{{2,5}}|/\d{{1,2}})?",
        # IPv6: at least three groups, with a letter of hex or a "::" (never a time 12:30:45)
        rf"(?<![\w:])(?=[\w:]*(?:[a-fA-F]|::))(?:{hexa}:){{2,7}}:?{hexa}(?::{hexa})*(?![\w:])",
        rf"(?<![\w:])(?:{hexa}:){{1,6}}:(?:{hexa}:?)*{hexa}?(?![\w:])(?<=\w)",
    ]


def _postcodes() -> list[str]:
    cue = words().alternation("postcode_cues", boundary=False)
    uk = r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"
    canada = r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\s?\d[ABCEGHJ-NPRSTV-Z]\d\b"
    ireland = r"\b[AC-FHKNPRTV-Y]\d{2}\s?[AC-FHKNPRTV-Y0-9]{4}\b"
    return [
        uk,
        canada,
        ireland,
        rf"(?i:\b(?:{cue}))(?!\w)\.?\s*(?:code\s*)?[:#,]?\s*(?:of\s+|is\s+|was\s+)?"
        r"(?P<id>\d{4,6}(?:-\d{3,4})?|\d{3}-\d{4}|[A-Z0-9]{2,4}\s?[A-Z0-9]{3})\b",
        r"(?i:\bthe\s+(?P<id>\d{5})\s+(?:zip\s+|postcode\s+|postal\s+)?(?:area|zip|postcode|district|code)\b)",
        r"\b(?:[A-Z]{2})\s+(?P<id>\d{5}(?:-\d{4})?)\b",
        # Australian states: NSW 2010
        r"\b(?:NSW|VIC|QLD|SA|WA|TAS|NT|ACT)\s+(?P<id>\d{4})\b",
        r"\b\d{5}-\d{3}\b",
        r"\b\d{5}-\d{4}\b",
        # a bare code where a place goes: "a house in 90028", "lives in 75011"
        rf"\b(?:in|at|near|from|to|within|around)\s+(?P<id>\d{{5,6}})\b(?![.,]\d)"
        rf"{_units_after()}",
        r"(?i:\b(?:postcode|post\s+code|postal\s+code|zip|index|postal\s+index|indeks)\s+"
        r"(?:was\s+|is\s+|of\s+)?(?P<id>\d{6})\b)",
        r"(?i:\b(?P<id>\d{6}),?\s+(?:postcode|postal\s+code|index))",
    ]


_CODE_SHAPES = (
    r"\d{4,6}(?:\s?[A-Z]{2})?|\d{2}-\d{3}|\d{3}\s\d{2}|\d{3}-\d{4}|"
    r"(?:[A-Z]{1,2}-)\d{3,5}(?:\s\d{2})?"
)
"""Postcodes of many countries: 10115, 1012 AB, 31-503 (Poland), 546 36 (Greece, Sweden),
150-0002 (Japan), SE-413 45, D-10115."""


def _postcodes_of_cities(text: str) -> Iterator[Span]:
    """A postcode written beside its city: "10115 Berlin", "31-503 Kraków",
    "Cairo 11511", "Thessaloniki 546 36"."""
    cities = _city_names()
    before = rf"(?<![\w-])({_CODE_SHAPES})\s+({_CAP}(?:\s+{_CAP})?)"
    after = rf"({_CAP}(?:\s+{_CAP}){{0,2}}),?\s+({_CODE_SHAPES})(?![\w-])"
    for match in re.finditer(before, text):
        code, place = match.group(1), match.group(2)
        if _a_city(place, cities) and not re.fullmatch(_YEAR, code):
            yield Span(match.start(1), match.end(1), "ZIP code")
    for match in re.finditer(after, text):
        place, code = match.group(1), match.group(2)
        if _a_city(place, cities) and not re.fullmatch(rf"{_YEAR}|\d{{1,3}}", code):
            yield Span(match.start(2), match.end(2), "ZIP code")


def _a_city(words_: str, cities: frozenset[str]) -> bool:
    """Whether ``words_``, or its first word or two, is a city of the gazetteer."""
    tokens = re.split(r"[\s,]+", words_.strip())
    return any(" ".join(tokens[:n]).split("-")[0].lower() in cities for n in (3, 2, 1))


def _streets() -> list[str]:
    after = words().alternation("street_after", boundary=False)
    before = words().alternation("street_before", boundary=False)
    suffix = words().alternation("street_suffixes", boundary=False)
    number = r"\d{1,5}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?"
    name = rf"(?:[NSEW]\.?\s+)?(?:{_CAP}\s+){{0,3}}{_CAP}"
    particles = r"(?:(?:de|del|de\s+la|de\s+los|des|du|da|do|dos|das|di|della|dei|al|el)\s+)?"
    return [
        rf"\b{number},?\s+{name}\s+(?:{after})\b\.?",
        rf"\b{number},?\s+(?i:{before})['’]?\.?\s+{particles}{name}",
        rf"\b(?i:{before})['’]?\.?\s+{particles}{name},?\s+{number}\b",
        rf"\b{_UP}\w*(?:{suffix})\.?\s+{number}\b",
        # Korean road names: 152 Teheran-ro 8-gil
        rf"\b{number}\s+{_CAP}-(?:ro|gil|daero|dong)\b(?:\s+\d+-gil)?",
        # Vietnamese: số 27 ngõ 158
        r"(?i:\b(?:số|so)\s+\d+[A-Za-z]?(?:/\d+)?,?\s+(?:ngõ|ngách|hẻm|đường|phố)\s+\d*\s*[\w\s]{0,20})",
        # rural routes and post-office boxes
        r"\b(?:RR|R\.R\.|Rural\s+Route|HC|Star\s+Route)\s*\d+,?\s+Box\s+\d+\b",
        r"\b(?:Apt|Apartment|Flat|Unit|Suite|Ste)\.?\s+#?\d+[A-Za-z]?\b",
        r"\b(?:P\.?\s?O\.?\s+Box|Postfach|Apartado|Caixa\s+Postal)\s+\d+\b",
    ]


def _names(text: str) -> Iterator[Span]:
    """People's names: after a title, beside a relative, a given name in a person's
    context, and a patient's initials."""
    yield from _titled_names(text)
    yield from _relatives_names(text)
    yield from _given_names(text)
    yield from _name_pairs(text)
    yield from _initials(text)


@cache
def _name_patterns() -> tuple[re.Pattern[str], ...]:
    lists = words()
    titles = lists.alternation("titles", boundary=False)
    relatives = lists.alternation("relatives", boundary=False)
    initials = rf"(?:{_UP}\.\s?){{1,3}}(?!{_LOW})|{_UP}{{2,3}}\b(?![.-]?\d)"
    particle = r"(?:da|das|de|del|della|di|do|dos|du|van|von|der|den|ter|bin|ibn|al|el|la|le)"
    person = rf"(?:{_CAP}(?:\s+(?:{_CAP}|{_UP}\.|{particle}\s+{_CAP}))*|{initials})"
    return (
        # Mr AB, Mrs Hassan, Dr. Jane Smith, Baby boy Lopez
        re.compile(rf"(?<![\w-])(?:{titles})\.?\s+(?:(?:boy|girl)\s+)?(?P<id>{person})"),
        # his wife Anna, her husband John Smith, his mother, Fatima Hassan,
        re.compile(
            rf"(?i:\b(?:his|her|their|my|a|whose|\w+['’]s)\s+(?:[\w-]+\s+){{0,2}}?"
            rf"(?:{relatives})s?)\b,?\s+(?:(?i:named|called)\s+)?(?P<id>{_CAP}"
            rf"(?:\s+(?:{particle}\s+)?{_CAP})*)"
        ),
        # patient J.K., patient AB
        re.compile(rf"(?i:\b(?:patient|pt|case|subject|child|infant)\b)\s+(?P<id>{initials})"),
    )


def _titled_names(text: str) -> Iterator[Span]:
    titled, _, initials = _name_patterns()
    for pattern in (titled, initials):
        for match in pattern.finditer(text):
            start, end = match.span("id")
            if not _is_medical(text, start, end):
                yield Span(start, end, "name")


def _relatives_names(text: str) -> Iterator[Span]:
    """A name beside a relative: "his wife Anna", and in apposition, "Aoife, her twin,"."""
    not_names = words().folded("not_names")
    for match in _name_patterns()[1].finditer(text):
        start, end = match.span("id")
        first = match.group("id").split()[0].lower()
        if first not in not_names and not _is_medical(text, start, end):
            yield Span(start, end, "name")
    for match in _apposition().finditer(text):
        start, end = match.span("id")
        if match.group("id").split()[0].lower() not in not_names:
            yield Span(start, end, "name")


@cache
def _apposition() -> re.Pattern[str]:
    relatives = words().alternation("relatives", boundary=False)
    return re.compile(
        rf"(?P<id>{_CAP}(?:\s+{_CAP})?),\s+(?i:(?:the\s+\w+\s+of\s+)?"
        rf"(?:his|her|their|the\s+patient['’]s|our\s+patient['’]s)"
        rf"\s+(?:[\w-]+\s+){{0,2}}?(?:{relatives})s?)\b"
    )


_WORD = re.compile(rf"(?<![\w-]){_UP}{_LOW}[{_letters(str.islower)}'’]*(?:-{_UP}?{_LOW}+)?")
_PARTICLE_BEFORE = re.compile(
    r"(?i:\b(?:de|la|le|van|von|der|den|da|di|del|della|du|dos|das|al|el|ben|bin|ibn))\s+$"
)


def _given_names(text: str) -> Iterator[Span]:
    """A given name in a person's context: followed by a surname, by a person's verb or
    "who", or after a phrase that introduces a person. A word that is also an ordinary
    word (Grace, Will, Hope) counts only with a surname after it."""
    names, ambiguous = given_names(), all_given_names()
    lists = words()
    verbs = lists.folded("person_verbs")
    not_names = lists.folded("not_names")
    openers = re.compile(rf"(?i:\b{lists.alternation('name_openers', boundary=False)})\s*,?\s*$")
    for match in _WORD.finditer(text):
        word = match.group(0)
        bare = re.sub(r"['’]s$", "", word)
        folded = bare.lower()
        if folded not in ambiguous or folded in not_names:
            continue
        start, end = match.start(), match.start() + len(bare)
        before = text[max(0, start - 40) : start]
        if _PARTICLE_BEFORE.search(before) or _is_medical(text, start, end):
            continue  # "de la Rosa Carrillo" is a surname; "Kawasaki disease" an eponym
        rest = text[match.end() : match.end() + 40]
        following = re.match(rf"\s+({_UP}{_LOW}+['’]?{_LOW}*(?:-{_UP}?{_LOW}+)?)\b", rest)
        surname = (
            following is not None
            and following.group(1).lower() not in not_names
            and not _is_medical(text, start, match.end() + following.end())
        )
        if folded not in names and not surname:
            continue
        next_word = re.match(r"[\s,]+(\w+)", rest)
        acts = (
            next_word is not None
            and next_word.group(1).lower() in verbs
            and not rest.startswith(",")
        )
        described = r",\s+(?:a|an)\s+\d+[-\s](?:year|month|week|day)"
        who = re.match(rf",?\s+who\b|{described}", rest) is not None
        possessive = word.endswith(("'s", "’s"))
        introduced = bool(openers.search(before))
        if surname and following is not None:
            end = match.end() + following.end()
        if surname or acts or who or possessive or introduced:
            yield Span(start, end, "name")


def _name_pairs(text: str) -> Iterator[Span]:
    """Two to four capitalised words that are a given name and a surname, in either order
    ("Grace Mwangi", "Nguyen Van An", "Kim Ji-woo"), and given names listed together
    ("Amani, Baraka and Neema"): a person's name wherever it stands. The first word may
    not be an ordinary word ("The", "Down"); later ones may be particles ("Van")."""
    given, family = all_given_names(), _all_surnames()
    not_names = words().folded("not_names")
    word = rf"{_UP}{_LOW}[\w'’]*(?:-{_UP}?{_LOW}+)?"
    for match in re.finditer(rf"(?<![\w-]){word}(?:\s+{word}){{1,3}}", text):
        tokens = [re.sub(r"['’]s$", "", t).lower() for t in match.group(0).split()]
        if tokens[0] in not_names:
            continue
        kinds = [(t in given or t.split("-")[0] in given, t in family) for t in tokens]
        if not all(g or f for g, f in kinds):
            continue
        first_given = kinds[0][0] and tokens[0] not in surnames()
        later_family = any(f for _, f in kinds[1:])
        later_given = any(g for g, _ in kinds[1:])
        if ((first_given and later_family) or (kinds[0][1] and later_given)) and not _is_medical(
            text, match.start(), match.end()
        ):
            yield Span(match.start(), match.end(), "name")
    names = given_names()
    listed = rf"(?<![\w-])({word})(?:,\s+({word}))*,?\s+and\s+({word})\b"
    for match in re.finditer(listed, text):
        found = re.findall(word, match.group(0))
        if len(found) >= 2 and all(n.lower() in names for n in found):
            yield Span(match.start(), match.end(), "name")


def _initials(text: str) -> Iterator[Span]:
    """Initials standing for a patient. Dotted ones ("R.M.", "J-W.P.", "F.Ö.") are initials
    wherever they stand, unless they are a common abbreviation of the list ("U.S.",
    "Ph.D."). Capitals without dots ("PQ", "MK") are initials only where a person's word
    is next to them ("PQ was pale", "AJ's mass", "Case 3 (RdS)"), and never when the text
    defines them as an abbreviation ("(MTC)") or they are a medical acronym of the list."""
    lists = words()
    verbs = lists.folded("person_verbs")
    dotted_words = {w.replace(" ", "") for w in lists.folded("dotted_abbreviations")}
    acronyms = lists.folded("medical_acronyms") | {
        m.group(1).lower() for m in re.finditer(r"\(([A-Z]{2,5})s?\)", text)
    }
    openers = re.compile(rf"(?i:\b{lists.alternation('name_openers', boundary=False)})\s*,?\s*$")
    dotted = rf"{_UP}\.(?:\s?-?{_UP}\.){{1,2}}|{_UP}-{_UP}\.(?:\s?{_UP}\.){{1,2}}"
    tail = r"(?P<after>['’]s\s+\w+|,?\s+\w+(?:\s+\w+)?)?"
    pattern = rf"(?<![\w.])(?P<id>{dotted}|{_UP}{{2,3}}(?![\w.])){tail}"
    for match in re.finditer(pattern, text):
        initials = match.group("id").rstrip()
        after = (match.group("after") or "").strip(" ,").lower().split()
        before = text[max(0, match.start() - 30) : match.start()]
        following = text[match.end("id") : match.end("id") + 12]
        case = re.search(r"(?i:\b(?:case|patient|pt\.?|initials)\s*\d*,?)\s*\(?$", before)
        described = re.match(r",\s+(?:(?:a|an|aged?)\b|\d{1,3}\s*(?:,|y|years|yo))", following)
        if "." in initials and initials.replace(" ", "").lower() not in dotted_words:
            yield Span(match.start("id"), match.start("id") + len(initials), "name")
            continue
        if re.search(r"(?i:\b(?:the|a|an|of|mean|median)\s+)$", before):
            continue  # "the IQ", "a CT": a thing, not a person
        if "." not in initials and initials.lower() in acronyms:  # CT, MS, a defined (MTC)
            continue
        possessive = bool(after) and after[0] in ("'s", "’s")
        kin = len(after) > 1 and after[0] == "and" and after[1] in ("her", "his", "their")
        # "PQ was pale" reads like "MRD was 1.2%": a verb of being says nothing of a person
        acts = bool(after) and after[0] in verbs - lists.folded("state_verbs")
        if case or described or possessive or kin or acts or openers.search(before):
            yield Span(match.start("id"), match.start("id") + len(initials), "name")
    # Case 3 (RdS): initials in any case, in brackets after a case's number
    for match in re.finditer(
        rf"(?i:\b(?:case|patient)\s+\d+)\s*\((?P<id>{_UP}[\w.]{{1,4}})\)", text
    ):
        if match.group("id").lower() not in acronyms:
            yield Span(match.start("id"), match.end("id"), "name")


def _places(text: str) -> Iterator[Span]:
    """Places smaller than a state: a gazetteer city after a preposition or a place's cue
    word, any capitalised name after a strong cue ("the village of X", "his hometown, X"),
    and a 'City, ST' pair. A country, a US state and a study's place ("a survey from
    Rochester") are no identifiers."""
    cities, regions = _city_names(), _regions()
    lists = words()
    not_places = lists.folded("not_places")
    not_names = lists.folded("not_names")
    cue = re.compile(
        r"(?i:\b(?:in|from|to|near|at|outside|around|of|on|towards?|via|into|between|and|"
        r"above|below|beyond|across|through|throughout|within|inside|past|"
        r"resident|native|lives|lived|living|born|moved|travell?ed|visit(?:ed|ing)?|"
        r"returned|flew|flight|trip|holiday|vacation|city|town|village|suburb|outskirts)\b)"
        r"(?:\s+(?:the\s+)?(?:city|town|village|suburbs?|outskirts|area|region)\s+of)?\s+$"
    )
    strong = re.compile(
        r"(?i:\b(?:(?:city|town|village|hamlet|suburb|district|borough|county|parish|"
        r"municipality|township|neighbou?rhood|settlement|community|province|prefecture)\s+of|"
        r"(?:home\s*town|hometown|home\s+(?:village|town|district|county|city)|birthplace)"
        r"(?:\s+(?:of|was|is))?,?|(?:lives|lived|living|resides|resided|residing|settled|grew\s+up|"
        r"was\s+born|were\s+born|born\s+and\s+raised)\s+(?:in|at|near|outside)|"
        r"(?:native|natives|resident|residents|inhabitant|inhabitants)\s+of)\b)\s*,?\s+$"
    )
    study = re.compile(
        r"(?i:\b(?:study|studies|survey|trial|cohort|series|registry|report|reports|data|"
        r"population|investigators|authors|group|centres|centers)\b[^.]{0,30}$)"
    )
    places = rf"{_CAP}(?:\s+(?:{_CAP}|de|do|da|del|la|le|upon|on|am|im|an\s+der)){{0,3}}"
    for match in re.finditer(places, text):
        tokens = match.group(0).split()
        offsets = [m.start() + match.start() for m in re.finditer(r"\S+", match.group(0))]
        first_start = match.start()
        before = text[max(0, first_start - 60) : first_start]
        if study.search(before):
            continue
        if strong.search(before) and _a_place_name(tokens[0], not_names):
            candidate = " ".join(tokens)
            end = first_start + len(candidate)
            if candidate.lower() not in regions and not _is_medical(text, first_start, end):
                yield Span(first_start, end, "place")
            continue
        # the longest run of tokens that is a city, from each token on ("In Lilongwe, ...")
        for i in range(len(tokens)):
            start = offsets[i]
            before = text[max(0, start - 60) : start]
            found = False
            for size in range(len(tokens) - i, 0, -1):
                candidate = " ".join(tokens[i : i + size])
                folded = candidate.lower()
                if folded in cities and folded not in not_places and folded not in regions:
                    end = start + len(candidate)
                    shouting = size == 1 and candidate.isupper()  # ADA, a test, not Ada
                    if cue.search(before) and not shouting and not _is_medical(text, start, end):
                        yield Span(start, end, "place")
                    found = True
                    break
            if found:
                break
    states = "|".join(
        "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
        "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
    )
    pairs = rf"\b(?P<id>{_CAP}(?:\s{_CAP})?),\s(?:{states})\b(?![\w-])(?P<zip>\s+\d{{5}})?"
    for match in re.finditer(pairs, text):
        # "However, CT": a town and its state only if the gazetteer or a ZIP code says so
        place = match.group("id")
        if place.lower() in cities or (match.group("zip") and place.lower() not in not_names):
            yield Span(match.start("id"), match.end("id"), "place")


def _a_place_name(word: str, not_names: frozenset[str]) -> bool:
    """Whether a capitalised word after a place's cue can be the place's name: no month,
    ordinary word or acronym ("born in March", "lives in ZIP 33101")."""
    folded = word.lower()
    month = re.fullmatch(_MONTH, word, re.IGNORECASE) is not None
    return folded not in not_names and not word.isupper() and not month


@cache
def _place_names() -> dict[str, frozenset[str]]:
    """The sections of ``data/place-names.txt`` (GeoNames, by scripts/write_place_names.py)."""
    sections: dict[str, set[str]] = {}
    current: set[str] = set()
    for line in data_file("place-names.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line:
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), set())
        else:
            current.add(line)
    return {name: frozenset(names) for name, names in sections.items()}


def _city_names() -> frozenset[str]:
    """Cities of 15,000 people or more and US counties, in lower case."""
    return _place_names()["cities"]


def _regions() -> frozenset[str]:
    """Countries, continents and US states, in lower case: places no smaller than a state."""
    return _place_names()["regions"]


def _institutions(text: str) -> Iterator[Span]:
    """Named hospitals, clinics and universities."""
    lists = words()
    generic = lists.folded("institution_generic")
    kinds = lists.alternation("institution_words", boundary=False)
    known = lists.alternation("institutions_known", boundary=False)
    connector = (
        r"(?:\s+(?:of|de|del|de\s+la|di|do|da|für|for|and|&|y|e|at|in|am|an\s+der)\s+|\s+|-)"
    )
    chain = rf"(?:(?:St|Ste|Mt)\.?\s+)?{_CAP}(?:{connector}{_CAP})*"
    patterns = [
        rf"\b{chain}\s+(?:{kinds})\b(?:\s+(?:of|de|in|at)\s+{_CAP}(?:\s+{_CAP})*)?",
        rf"\b(?:{kinds})\s+(?:of\s+|de\s+|del\s+|di\s+|do\s+|da\s+|für\s+)?{chain}",
        rf"(?<![\w-])(?:{known})(?![\w-])",
        rf"(?<![\w-]){_UP}\w*(?i:{lists.alternation('institution_suffixes', boundary=False)})\b",
    ]
    for pattern in patterns:
        for match in re.finditer(pattern, text):
            found = match.group(0)
            proper = [
                w
                for w in re.findall(r"[\w'’]+", found)
                if w[:1].isupper()
                and w.lower() not in generic
                and not re.fullmatch(kinds, w, re.IGNORECASE)
            ]
            if (proper or pattern.endswith("(?![\\w-])")) and not _is_medical(
                text, match.start(), match.end()
            ):
                yield Span(match.start(), match.end(), "institution")
    yield from _places_of_care(text)


def _places_of_care(text: str) -> Iterator[Span]:
    """A name after "at" where care happened ("delivered at the Rotunda", "dialysis was
    started at Kasr Al Ainy", "At Chợ Rẫy the snake was identified"): a hospital known by
    its name alone. Words of the lists (months, holidays, ordinary words, acronyms) and
    cities (a place, found as such) are not taken."""
    lists = words()
    not_names = lists.folded("not_names") | lists.folded("word_names")
    acronyms = lists.folded("medical_acronyms")
    care = lists.alternation("care_verbs", boundary=False)
    name = rf"{_CAP}(?:\s+(?:{_CAP}|al|el|de|di|da|do))*"
    patterns = (
        rf"(?i:\b(?:{care})\b)[^.;:\n]{{0,50}}?\bat\s+(?:the\s+)?(?P<id>{name})",
        rf"(?:^|(?<=[.!?]\s))At\s+(?:the\s+)?(?P<id>{name}),?\s+(?=(?:the|we|she|he|they|her|his|a|an|our)\b)",
    )
    for pattern in patterns:
        for match in re.finditer(pattern, text, re.MULTILINE):
            found = match.group("id")
            first = found.split()[0]
            if (
                first.lower() in not_names
                or first.lower() in acronyms
                or (first.isupper() and len(found.split()) == 1)
                or re.fullmatch(rf"{_MONTH}|{_HOLIDAY}|{_WEEKDAY}", found, re.IGNORECASE)
                or _is_medical(text, match.start("id"), match.end("id"))
            ):
                continue
            yield Span(match.start("id"), match.end("id"), "institution")


def _photographs() -> str:
    return (
        r"!\[[^\]]*\]\([^)]*(?:face|photo|portrait|selfie)[^)]*\)|"
        r"!\[[^\]]*(?:face|photograph|portrait)[^\]]*\]"
    )


# --- medical language ----------------------------------------------------------------------


def _is_medical(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is part of a medical term: a listed phrase, or a name
    followed by an eponym's head noun ("Kawasaki disease", "Wells score")."""
    for match in _medical_phrases().finditer(text, max(0, start - 40), min(len(text), end + 40)):
        if match.start() < end and start < match.end():
            return True
    after = text[end : end + 40]
    head = _eponym_head().match(after)
    return bool(head)


@cache
def _medical_phrases() -> re.Pattern[str]:
    return re.compile(words().alternation("medical_phrases"), re.IGNORECASE)


@cache
def _eponym_head() -> re.Pattern[str]:
    heads = words().alternation("eponym_heads", boundary=False)
    return re.compile(rf"(?:['’]s?)?(?:[-\s]+(?:{_CAP}|and|-)){{0,3}}[-\s]+(?i:{heads})\b")


# --- all of them ---------------------------------------------------------------------------

DETECTORS: tuple[tuple[str, Detector], ...] = (
    ("dates", _regex_detector("date", _dates, re.IGNORECASE)),
    ("ages", _regex_detector("age over 89", _ages, re.IGNORECASE)),
    ("birth-years", _born_long_ago),
    ("emails", _regex_detector("email address", _emails)),
    ("urls", _regex_detector("URL", _urls, re.IGNORECASE)),
    ("ips", _regex_detector("IP address", _ips)),
    ("ssns", _regex_detector("social security number", lambda: r"\b\d{3}-\d{2}-\d{4}\b")),
    ("postcodes", _regex_detector("ZIP code", _postcodes)),
    ("postcodes-of-cities", _postcodes_of_cities),
    ("phones", _regex_detector("phone or fax number", _phones_regex, re.IGNORECASE)),
    ("phones-library", _phones_by_library),
    ("plans", _numbers_with_cue("plan_cues", "health plan number")),
    ("devices", _numbers_with_cue("device_cues", "device identifier")),
    ("device-codes", _regex_detector("device identifier", _device_codes)),
    ("records", _numbers_with_cue("record_cues", "record or account number")),
    ("national-ids", _regex_detector("record or account number", _national_ids)),
    ("record-shapes", _regex_detector("record or account number", _record_numbers)),
    ("streets", _regex_detector("street address", _streets)),
    ("institutions", _institutions),
    ("places", _places),
    ("names", _names),
    ("photographs", _regex_detector("photograph", _photographs, re.IGNORECASE)),
)
"""Every detector, by name, in the order their findings win an overlap."""


def find_identifiers(text: str, only: Iterable[str] | None = None) -> list[Span]:
    """Every suspected identifier in ``text``, one span per stretch of text, in order.
    ``only`` limits the run to detectors of those names (for measuring one)."""
    chosen = set(only) if only is not None else None
    found: list[Span] = []
    for name, detect in DETECTORS:
        if chosen is not None and name not in chosen:
            continue
        for span in detect(text):
            span = _trimmed(text, span)
            if span.category == "record or account number" and _registered_study(text, span):
                continue
            if span.end > span.start and not any(
                s.start < span.end and span.start < s.end for s in found
            ):
                found.append(span)
    return sorted(found, key=lambda s: s.start)


def _registered_study(text: str, span: Span) -> bool:
    """Whether a number is a study's registration: after, or starting with, a registry's
    name ("ISRCTN 48231767", "CTRI/2020/05/025114", "EudraCT 2019-001234-56")."""
    registries = words().alternation("trial_registries", boundary=False)
    before = text[max(0, span.start - 24) : span.start]
    written = text[span.start : span.end]
    return bool(
        re.search(rf"(?i:\b(?:{registries}))[\s:#/-]*(?:no\.?|number)?[\s:#]*$", before)
        or re.match(rf"(?i:{registries})[\s/:#-]*\d", written)
    )


def _trimmed(text: str, span: Span) -> Span:
    """``span`` without the spaces and punctuation at its ends."""
    start, end = span.start, span.end
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return Span(start, end, span.category)
