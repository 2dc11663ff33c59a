"""Checks of the BibTeX store itself: fields, identifiers, duplicates and LaTeX traps.

These depend only on the store's content, so ``casekit check`` caches their
result by the store's hash (see :func:`casekit.check.run_checks`).
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache

import yaml

from casekit.checks.problems import Problem
from casekit.core.errors import Location
from casekit.data import data_file
from casekit.references.store import Fields, Store, StoreEntry

WAIVE = re.compile(r"casekit-waive:([a-z]+)", re.IGNORECASE)
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
PMID = re.compile(r"^\d{1,9}$")
PAGES = re.compile(r"^([A-Za-z]*)(\d+)\s*(?:-{1,3}|–)\s*([A-Za-z]*)(\d+)$")
DOTLESS_ACCENT = re.compile(r"\\[`'^\"~=.uvH]\s*\{?\s*\\[ij]\b")
NAME_FIELDS = ("author", "editor")


@cache
def required_fields() -> dict[str, list[list[set[str]]]]:
    """Entry type → requirements → alternatives → fields that must appear together."""
    raw = yaml.safe_load(data_file("required-fields.yaml").read_text(encoding="utf-8"))
    return {
        entry_type: [[set(alt.split("+")) for alt in req.split("|")] for req in requirements]
        for entry_type, requirements in raw.items()
    }


def check_store(store: Store) -> list[Problem]:
    """Every problem in the store that does not depend on what the manuscript cites."""
    # A warning here: only what a manuscript cites stops its build (checks/run.py).
    problems = [
        Problem(f.code, f.error.location, f.error.message, f.error.hint, "warning")
        for f in store.failures
    ]
    fields = store.fields()
    for entry in store.entries.values():
        values = fields.get(entry.key, {})
        problems += _fields(store, entry, values)
        problems += _identifiers(store, entry, values)
        problems += _traps(store, entry, values)
    problems += _duplicates(store, fields)
    return problems


def _where(store: Store, entry: StoreEntry, field: str | None = None) -> Location:
    line = entry.line
    if field is not None:
        match = re.search(rf"(?im)^\s*{re.escape(field)}\s*=", entry.raw)
        if match:
            line += entry.raw.count("\n", 0, match.start())
    return Location(store.path, line, None, f"{entry.key}.{field}" if field else entry.key)


def _fields(store: Store, entry: StoreEntry, values: dict[str, str]) -> Iterator[Problem]:
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
    have = present | waived
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


def _identifiers(store: Store, entry: StoreEntry, values: dict[str, str]) -> Iterator[Problem]:
    doi = values.get("doi")
    if doi is not None and not DOI.match(DOI_PREFIX.sub("", doi.strip())):
        yield Problem(
            "bad-doi",
            _where(store, entry, "doi"),
            f"entry {entry.key!r}: {doi!r} is not a DOI",
            "a DOI looks like 10.1182/blood-2018-04-785980",
        )
    pmid = values.get("pmid")
    if pmid is not None and not PMID.match(pmid.strip()):
        yield Problem(
            "bad-pmid",
            _where(store, entry, "pmid"),
            f"entry {entry.key!r}: PMID {pmid!r} is not a number",
            "a PMID is digits only, e.g. 30459160",
        )
    year = values.get("year")
    if year is not None:
        ok = year.strip().isdigit() and 1500 <= int(year) <= datetime.date.today().year + 1
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
    if int(last) < int(first):
        full = first[: len(first) - len(last)] + last if len(last) < len(first) else None
        hint = (
            f"write the last page in full: {first_prefix}{first}--{first_prefix}{full}"
            if full and int(full) >= int(first)
            else "the range runs backwards"
        )
        yield Problem(
            "bad-pages",
            _where(store, entry, "pages"),
            f"entry {entry.key!r}: page range {pages!r} ends before it starts",
            hint,
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


def _traps(store: Store, entry: StoreEntry, values: dict[str, str]) -> Iterator[Problem]:
    for name, value in values.items():
        if DOTLESS_ACCENT.search(value):
            yield Problem(
                "latex-accent",
                _where(store, entry, name),
                f"entry {entry.key!r} field {name!r}: an accent on \\i or \\j prints a dotless "
                "letter with a loose accent",
                "write the accent on the plain letter: {\\'i} rather than {\\'\\i}",
            )
    for field in NAME_FIELDS:
        for person in _names(values.get(field, "")):
            particle = _unbraced_particle(person)
            if particle:
                yield Problem(
                    "unbraced-particle",
                    _where(store, entry, field),
                    f"entry {entry.key!r}: {particle!r} in {person.strip()!r} is read as a "
                    "dropping particle and printed after the name",
                    f"brace the family name: {_braced(person.strip(), particle)}",
                )
    title = values.get("title", "")
    acronyms = sorted(set(_acronyms(title)))
    if acronyms:
        yield Problem(
            "unprotected-acronym",
            _where(store, entry, "title"),
            f"entry {entry.key!r}: {', '.join(acronyms)} in the title may be lower-cased by "
            "the style",
            "protect it with braces: {" + acronyms[0] + "}",
        )


def _braced(person: str, particle: str) -> str:
    """``da Silva, Ana`` → ``{da Silva}, Ana``; ``Ana da Silva`` → ``Ana {da Silva}``."""
    if "," in person:
        family, rest = person.split(",", 1)
        return f"{{{family.strip()}}},{rest}"
    words = person.split()
    at = words.index(particle)
    return " ".join([*words[:at], "{" + " ".join(words[at:]) + "}"])


def _unbraced_particle(person: str) -> str | None:
    top = _top_level(person)
    # "von Last, First" has the particle before the comma; "First von Last" between
    # the first and the last word.
    words = top.split(",")[0].split() if "," in top else top.split()[1:-1]
    for word in words:
        # BibTeX reads any lower-case word before the last name as the "von" part
        # (da, van der, de la, bin, ...); styles then print it after the name.
        if word.isalpha() and word.islower():
            return word
    return None


def _acronyms(title: str) -> Iterator[str]:
    for word in re.findall(r"[A-Za-z0-9][A-Za-z0-9\-/]*", _top_level(title)):
        uppers = sum(c.isupper() for c in word)
        if uppers >= 2 or (uppers >= 1 and any(c.isdigit() for c in word)):
            yield word


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
            year = values.get("year", "")
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
                if pair in reported:
                    continue
                ratio = difflib.SequenceMatcher(None, title, other_title).ratio()
                if ratio >= 0.93:
                    reported.add(pair)
                    yield _duplicate(store, entry, other, "a near-identical title and year")


def _duplicate(store: Store, first: StoreEntry, second: StoreEntry, why: str) -> Problem:
    return Problem(
        "duplicate-work",
        _where(store, second),
        f"entries {first.key!r} (line {first.line}) and {second.key!r} have {why}",
        f"keep one key and replace citations of the other; cite @{first.key} everywhere",
    )
