"""Checks of the BibTeX store itself: fields, identifiers, duplicates and LaTeX traps.

These depend only on the store's content, so ``casekit check`` caches their
result by the store's hash (see :func:`casekit.check.run_checks`). Whether a name
or a title prints wrongly is judged from pandoc's own reading of the store
(:mod:`casekit.checks.bibreading`), never from a guess at BibTeX's rules.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import Any

import yaml

from casekit.checks.bibreading import NAME_FIELDS, Name, Reading, read_store
from casekit.checks.problems import Problem
from casekit.core.errors import Location
from casekit.data import data_file
from casekit.references.store import Fields, Store, StoreEntry

WAIVE = re.compile(r"casekit-waive:([a-z]+)", re.IGNORECASE)
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.|www\.)?doi\.org/|doi:?\s*)", re.IGNORECASE)
PMID = re.compile(r"^\d{1,8}$")
"""PubMed numbers its records from 1 and is at 40 million: eight digits at most."""
PMID_PREFIX = re.compile(r"^pmid:?\s*", re.IGNORECASE)
PAGES = re.compile(r"^([A-Za-z]*)(\d+)\s*(?:-{1,3}|–)\s*([A-Za-z]*)(\d+)$")
NOOPSORT = re.compile(r"^\{\\noopsort\{[^{}]*\}\}")
"""BibTeX's sorting trick (``{\\noopsort{1973b}}1973``): pandoc prints only what follows."""
DOTLESS_ACCENT = re.compile(r"\\[`'^\"~=.uvH]\s*\{?\s*\\[ij]\b")
ORGANISATION_WORDS = {"of", "for", "and", "the", "on", "at", "in", "i", "&", "für"}
"""Lower-case words that, read as a particle, show a person's name is an organisation's."""
SUFFIX = re.compile(r"^(?:Jr|Sr|II|III|IV)\.?$")
INITIALS = re.compile(r"^(?:[A-Z]\.?){1,3}$")


@cache
def required_fields() -> dict[str, list[list[set[str]]]]:
    """Entry type → requirements → alternatives → fields that must appear together."""
    raw = yaml.safe_load(data_file("required-fields.yaml").read_text(encoding="utf-8"))
    return {
        entry_type: [[set(alt.split("+")) for alt in req.split("|")] for req in requirements]
        for entry_type, requirements in raw.items()
    }


@cache
def inherited_titles() -> dict[tuple[str, str], str]:
    """(parent type, child type) → the field a crossref parent's title becomes."""
    raw: dict[str, Any] = yaml.safe_load(
        data_file("crossref-titles.yaml").read_text(encoding="utf-8")
    )
    return {
        (parent, child): row["title_becomes"]
        for row in raw.values()
        for parent in row["parents"]
        for child in row["children"]
    }


def check_store(store: Store) -> list[Problem]:
    """Every problem in the store that does not depend on what the manuscript cites."""
    # A warning here: only what a manuscript cites stops its build (checks/run.py).
    problems = [
        Problem(f.code, f.error.location, f.error.message, f.error.hint, "warning")
        for f in store.failures
    ]
    fields = store.fields()
    readings = read_store(store, fields)
    for entry in store.entries.values():
        values = fields.get(entry.key, {})
        reading = readings.get(entry.key) if readings is not None else None
        problems += _fields(store, entry, values, _inherited(store, fields, entry.key))
        problems += _identifiers(store, entry, values)
        problems += _traps(store, entry, values, reading)
    problems += _duplicates(store, fields)
    return problems


def _where(store: Store, entry: StoreEntry, field: str | None = None) -> Location:
    line = entry.line
    if field is not None:
        match = re.search(rf"(?im)^\s*{re.escape(field)}\s*=", entry.raw)
        if match:
            line += entry.raw.count("\n", 0, match.start())
    return Location(store.path, line, None, f"{entry.key}.{field}" if field else entry.key)


def _inherited(store: Store, fields: Fields, key: str) -> set[str]:
    """Fields ``key`` gets from its crossref and xdata parents, as pandoc resolves them: by
    exact key, a parent's fields of the same name, and its title as the field biblatex's
    inheritance rules name (a @collection's title is an @incollection's booktitle)."""
    have: set[str] = set()
    seen = {key}
    todo = [key]
    while todo:
        child = todo.pop()
        values = fields.get(child, {})
        parents = [values.get("crossref", ""), *values.get("xdata", "").split(",")]
        for parent in (p.strip() for p in parents):
            if not parent or parent in seen or parent not in store.entries:
                continue
            seen.add(parent)
            todo.append(parent)
            present = {n for n, v in fields.get(parent, {}).items() if v.strip()}
            have |= present
            pair = (store.entries[parent].entry_type, store.entries[key].entry_type)
            if "title" in present and pair in inherited_titles():
                have.add(inherited_titles()[pair])
    return have


def _fields(
    store: Store, entry: StoreEntry, values: Mapping[str, str], inherited: set[str]
) -> Iterator[Problem]:
    waived = {m.lower() for m in WAIVE.findall(values.get("keywords", ""))}
    present = {name for name, value in values.items() if value.strip()}
    for name in sorted(waived):
        note = values.get("note")
        reason = f" ({note})" if note else ""
        state = "present anyway; the waiver is not needed" if name in present else "missing"
        yield Problem(
            "waived-field",
            _where(store, entry, "keywords"),
            f"entry {entry.key!r}: field {name!r} waived{reason}; {state}",
        )
    have = present | inherited | waived
    for alternatives in required_fields().get(entry.entry_type, []):
        if not any(alt <= have for alt in alternatives):
            wanted = " or ".join("+".join(sorted(alt)) for alt in alternatives)
            yield Problem(
                "missing-field",
                _where(store, entry),
                f"@{entry.entry_type} {entry.key!r} lacks {wanted}",
                f"add it, or waive it with keywords = {{casekit-waive:{min(alternatives[0])}}}",
            )


def normal_doi(value: str) -> str:
    """A DOI without its resolver prefix, lower-cased (DOIs are case-insensitive)."""
    return DOI_PREFIX.sub("", value.strip()).lower()


def _identifiers(store: Store, entry: StoreEntry, values: Mapping[str, str]) -> Iterator[Problem]:
    doi = values.get("doi")
    if doi is not None:
        prefix = DOI_PREFIX.match(doi.strip())
        bare = DOI_PREFIX.sub("", doi.strip())
        if not DOI.match(bare):
            yield Problem(
                "bad-doi",
                _where(store, entry, "doi"),
                f"entry {entry.key!r}: {doi!r} is not a DOI",
                "a DOI looks like 10.1182/blood-2018-04-785980",
            )
        elif prefix:
            # Styles print their own "doi:" or resolver before the field (NLM: "doi:doi:10...").
            yield Problem(
                "bad-doi",
                _where(store, entry, "doi"),
                f"entry {entry.key!r}: DOI {doi!r} starts with {prefix.group().strip()!r}, "
                "which prints doubled",
                f"write the DOI alone: doi = {{{bare}}}",
            )
    pmid = values.get("pmid")
    if pmid is not None and not PMID.match(pmid.strip()):
        bare = PMID_PREFIX.sub("", pmid.strip())
        yield Problem(
            "bad-pmid",
            _where(store, entry, "pmid"),
            f"entry {entry.key!r}: {pmid!r} is not a PubMed identifier",
            f"write the number alone: pmid = {{{bare}}}"
            if PMID.match(bare)
            else "a PMID is one to eight digits, e.g. 30459160 (a PMCID goes in pmcid)",
        )
    year = values.get("year")
    if year is not None:
        printed = NOOPSORT.sub("", year.strip())
        ok = printed.isdigit() and 1500 <= int(printed) <= datetime.date.today().year + 1
        if not ok:
            yield Problem(
                "bad-year",
                _where(store, entry, "year"),
                f"entry {entry.key!r}: year {year!r} is not a four-digit year",
                "write the year of publication, e.g. 2019",
            )
    pages = values.get("pages")
    if pages is not None:
        yield from _pages(store, entry, pages.strip())


def _pages(store: Store, entry: StoreEntry, pages: str) -> Iterator[Problem]:
    match = PAGES.match(pages)
    if match is None:
        return  # a single page, an article number, or roman numerals
    first_prefix, first, last_prefix, last = match.groups()
    if last_prefix and last_prefix != first_prefix:
        return
    # MEDLINE abbreviates the last page (323--33 is 323--333), and styles print it so:
    # only a range whose last page, completed from the first, is still smaller is wrong.
    full = first[: max(0, len(first) - len(last))] + last
    if int(full) < int(first):
        yield Problem(
            "bad-pages",
            _where(store, entry, "pages"),
            f"entry {entry.key!r}: page range {pages!r} ends before it starts",
            "the range runs backwards: write the first and last page, e.g. 1930--1937",
        )


_BRACE = re.compile(r"[{}]")


def _top_level(text: str) -> str:
    """``text`` with everything inside braces (and the braces) blanked out by ``·``, so a
    braced accent keeps its word whole (``M{\\"u}ller`` is one word, ``M···ller``)."""
    if "{" not in text and "}" not in text:
        return text
    out: list[str] = []
    depth = last = 0
    for match in _BRACE.finditer(text):
        at = match.start()
        out.append(text[last:at] if depth == 0 else "·" * (at - last))
        out.append("·")
        depth = depth + 1 if match.group() == "{" else max(0, depth - 1)
        last = at + 1
    out.append(text[last:] if depth == 0 else "·" * (len(text) - last))
    return "".join(out)


def _names(value: str) -> Iterable[str]:
    top = _top_level(value)
    start = 0
    for match in re.finditer(r"\s+and\s+", top):
        yield value[start : match.start()]
        start = match.end()
    yield value[start:]


def _traps(
    store: Store, entry: StoreEntry, values: dict[str, str], reading: Reading | None
) -> Iterator[Problem]:
    for name, value in values.items():
        if DOTLESS_ACCENT.search(value):
            yield Problem(
                "latex-accent",
                _where(store, entry, name),
                f"entry {entry.key!r} field {name!r}: an accent on \\i or \\j prints a dotless "
                "letter with a loose accent",
                "write the accent on the plain letter: {\\'i} rather than {\\'\\i}",
            )
    if reading is None:
        return  # pandoc could not read it: nothing to say about how it prints
    for field in NAME_FIELDS:
        yield from _name_problems(store, entry, field, values.get(field, ""), reading)
    yield from _title_problems(store, entry, reading)


def _name_problems(
    store: Store, entry: StoreEntry, field: str, value: str, reading: Reading
) -> Iterator[Problem]:
    """Names that print wrongly, judged by pandoc's own reading of them."""
    read = reading.names.get(field, ())
    written = [person.strip() for person in _names(value)]
    if len(written) != len(read):
        written = []  # cannot pair them up: hints fall back to pandoc's reading
    for i, name in enumerate(read):
        person = written[i] if written else None
        following = written[i + 1] if written and i + 1 < len(written) else None
        found = _misread(name, person, following)
        if found is not None:
            code, why, hint = found
            shown = f" {person!r}" if person else ""
            yield Problem(
                code,
                _where(store, entry, field),
                f"entry {entry.key!r}: {field}{shown} prints as {_vancouver(name)!r} "
                f"in Vancouver styles: {why}",
                hint,
            )


def _misread(name: Name, person: str | None, following: str | None) -> tuple[str, str, str] | None:
    """(code, why, hint) for a name that prints wrongly, or None."""
    particle = name.dropping_particle
    if particle and name.family:
        words = particle.split()
        if ORGANISATION_WORDS & {w.lower() for w in words}:
            whole = _organisation(name, person, following)
            return (
                "misread-name",
                f"an organisation's name is read as a person's, with {particle!r} as a particle",
                f"brace the organisation's whole name: {{{whole}}}",
            )
        if all(w[:1].islower() or w[:1] in "'’" for w in words):
            return (
                "unbraced-particle",
                f"pandoc reads {particle!r} as a particle that goes after the initials",
                f"brace the family name with its particle: {_braced(person, name)}",
            )
        given = " ".join(p for p in (particle, name.given) if p)
        if particle[:1].isalpha():
            # Pandoc takes {\'E}douard for a lower-case word (BibTeX would not).
            return (
                "misread-name",
                f"pandoc reads {particle!r} as a particle",
                f"write it as {name.family}, {given} (an accent as \\'{{E}} or in UTF-8, "
                "never braced as {\\'E})",
            )
        return (
            "misread-name",
            f"stray punctuation makes pandoc read {particle!r} as a particle",
            "write the name as Family, Given names, without brackets; brace an "
            "organisation's name whole",
        )
    if name.given and SUFFIX.match(name.family):
        return (
            "misread-name",
            f"{name.family!r} is read as the family name",
            "write Last, Jr., First: e.g. Smith, Jr., John",
        )
    if INITIALS.match(name.family) and re.search(r"[a-z]{2}", name.given):
        return (
            "misread-name",
            f"the initials {name.family!r} are read as the family name",
            f"write the family name first, with a comma: {name.given}, {name.family}",
        )
    return None


def _organisation(name: Name, person: str | None, following: str | None) -> str:
    """An organisation's name as written, with the next "name" when the organisation's own
    ``and`` split it (``Department of Media and Communication``)."""
    if person is None or "," in _top_level(person):
        return " ".join(p for p in (name.given, name.dropping_particle, name.family) if p)
    if following is not None and len(following.split()) == 1 and "," not in following:
        return f"{_unbraced(person)} and {_unbraced(following)}"
    return _unbraced(person)


def _vancouver(name: Name) -> str:
    """How a Vancouver (NLM) style prints ``name``: family name, then initials."""
    if name.literal:
        return name.literal
    initials = "".join(w[0] for w in re.split(r"[\s.\-]+", name.given) if w)
    parts = (name.non_dropping_particle, name.family, initials, name.dropping_particle, name.suffix)
    return " ".join(p for p in parts if p)


def _unbraced(text: str) -> str:
    return text[1:-1] if text.startswith("{") and text.endswith("}") else text


def _braced(person: str | None, name: Name) -> str:
    """The written name with its particle braced into the family name: ``{da Silva}, Ana``,
    ``Ana {da Silva}``; from pandoc's reading when the written name is not known."""
    family = f"{name.dropping_particle} {name.family}"
    if person is None:
        return f"{{{family}}}, {name.given}" if name.given else f"{{{family}}}"
    top = _top_level(person)
    if "," in top:
        comma = top.index(",")
        return f"{{{person[:comma].strip()}}}{person[comma:]}"
    spans = [m.span() for m in re.finditer(r"\S+", top)]
    start = len(spans) - len(family.split())
    if start < 1:
        return f"{{{family}}}, {name.given}" if name.given else f"{{{family}}}"
    at = spans[start][0]
    return f"{person[:at]}{{{person[at:]}}}"


def _title_problems(store: Store, entry: StoreEntry, reading: Reading) -> Iterator[Problem]:
    changed = _lowered_capitals(reading.title_as_written, reading.title)
    if changed:
        shown = ", ".join(f"{w!r} as {p!r}" for w, p in changed)
        yield Problem(
            "unprotected-acronym",
            _where(store, entry, "title"),
            f"entry {entry.key!r}: the title prints {shown}: pandoc sentence-cases an English "
            "title and lower-cases a lone capital letter",
            "protect it with braces: {" + changed[0][0].strip(",:;()[]\"'") + "}"
            " (a title not in English: set langid, and pandoc keeps its case as written)",
        )


def _lowered_capitals(written: str, printed: str) -> list[tuple[str, str]]:
    """Words of ``written`` in which ``printed`` lower-cases a lone capital letter: ``CAR-T``
    as ``CAR-t``, ``T cells`` as ``t cells``, ``U.S.`` as ``u.s.``. Capitalised words
    (``Single-Crystal``) are sentence-cased as the style means to, and words with two
    capitals in a row (``NMR``, ``mRNA``) are left alone by pandoc."""
    pairs = list(zip(written.split(), printed.split(), strict=False))
    if len(written.split()) != len(printed.split()):
        return []
    found = []
    for word, shown in pairs:
        if word == shown or word.lower() != shown.lower() or word == "A":
            continue  # "A" alone is the article, which sentence case rightly lower-cases
        pieces = re.split(r"(\W+)", word)
        after = [*pieces[1:], ""]
        for piece, new, following in zip(pieces, re.split(r"(\W+)", shown), after, strict=False):
            # A capital before an apostrophe is an elision (D'un, L'Homme), not an initial.
            elision = following[:1] in "'’" and following != ""
            if len(piece) == 1 and piece.isupper() and new.islower() and not elision:
                found.append((word, shown))
                break
    return found


def _normal_title(title: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", re.sub(r"\\.|[{}]", "", title.lower())).split())


def _duplicates(store: Store, fields: Fields) -> Iterator[Problem]:
    by_id: dict[tuple[str, str], list[StoreEntry]] = defaultdict(list)
    blocks: dict[tuple[str, str], list[tuple[str, StoreEntry]]] = defaultdict(list)
    for entry in store.entries.values():
        values = fields.get(entry.key, {})
        if values.get("doi"):
            by_id[("DOI", normal_doi(values["doi"]))].append(entry)
        if values.get("pmid"):
            by_id[("PMID", values["pmid"].strip())].append(entry)
        title = _normal_title(values.get("title", ""))
        if len(title) >= 12:
            # biblatex stores give the year as the start of date (2006, 2006-05-01)
            year = values.get("year") or values.get("date", "")[:4]
            words = title.split()
            # Blocking keeps this linear: only titles sharing a year and their first
            # or last three words are compared in full.
            blocks[(year, "<" + " ".join(words[:3]))].append((title, entry))
            blocks[(year, ">" + " ".join(words[-3:]))].append((title, entry))
    reported: set[frozenset[str]] = set()
    for (kind, value), entries in by_id.items():
        for other in entries[1:]:
            pair = frozenset((entries[0].key, other.key))
            if pair not in reported:
                reported.add(pair)
                yield _duplicate(store, entries[0], other, f"the same {kind} ({value})")
    for group in blocks.values():
        for i, (title, entry) in enumerate(group):
            for other_title, other in group[i + 1 :]:
                pair = frozenset((entry.key, other.key))
                if pair not in reported and _near_identical(title, other_title):
                    reported.add(pair)
                    yield _duplicate(store, entry, other, "a near-identical title and year")


def _near_identical(title: str, other: str) -> bool:
    """Whether two normalised titles match at least 93% (difflib's ratio). The full
    comparison is slow, so equal titles and titles whose cheap upper bounds already fall
    short are decided first."""
    if title == other:
        return True
    if _numbered_parts(title, other):
        return False
    matcher = difflib.SequenceMatcher(None, title, other)
    return (
        matcher.real_quick_ratio() >= 0.93
        and matcher.quick_ratio() >= 0.93
        and matcher.ratio() >= 0.93
    )


_NUMERAL = re.compile(r"\d+|[ivxlcdm]+")


def _numbered_parts(title: str, other: str) -> bool:
    """Whether two titles differ only in their numbers: part II and part V of a series
    ("... gruppe ii", "... gruppe v") are two works, however alike the rest."""
    words, others = title.split(), other.split()
    if len(words) != len(others):
        return False
    differing = [(a, b) for a, b in zip(words, others, strict=True) if a != b]
    return bool(differing) and all(
        _NUMERAL.fullmatch(a) and _NUMERAL.fullmatch(b) for a, b in differing
    )


def _duplicate(store: Store, first: StoreEntry, second: StoreEntry, why: str) -> Problem:
    return Problem(
        "duplicate-work",
        _where(store, second),
        f"entries {first.key!r} (line {first.line}) and {second.key!r} have {why}",
        f"keep one key and replace citations of the other; cite @{first.key} everywhere",
    )
