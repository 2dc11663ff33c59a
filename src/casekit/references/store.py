"""The BibTeX store: every entry indexed by key, cached by the file's content hash.

bibtexparser v2 splits the file into blocks; casekit keeps each entry's line and
its place in the file, so a build hands pandoc only the cited entries and what they
inherit (see :mod:`casekit.references.subset`; pandoc does its own LaTeX decoding, on
those few entries only). What is wrong with the file is collected, each failure with
the key of the entry it concerns, so that a build can refuse only what it cites. Parsing a large
shared store is the slow part, so the result is cached under ``build/.cache``,
keyed by the SHA-256 of the file's bytes: a changed store never reuses a stale
index, and an unreadable cache is simply rebuilt. The cache comes in two files:
the small index a build needs, and the field values only ``casekit check`` reads.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casekit.core import cachefile
from casekit.core.errors import BibError, Location
from casekit.core.textfile import read_text

if TYPE_CHECKING:
    from bibtexparser import model
    from bibtexparser.library import Library

CACHE_VERSION = 4
_MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
_NUMBER = re.compile(r"^\d+$")
_HEAD_KEY = re.compile(r"^@\s*\w+\s*[{(]\s*([^\s,{}()=\"#%']+)\s*,")
"""The key at the head of a block, read from its text when the block does not parse."""

Fields = dict[str, dict[str, str]]
"""Entry key → field name (lower case) → value as written, outer braces or quotes removed."""


@dataclass(frozen=True)
class StoreEntry:
    """One entry of the store."""

    key: str
    """Citation key."""
    entry_type: str
    """Lower-case entry type, e.g. ``article``."""
    line: int
    """1-based line where the entry starts."""
    raw: str
    """The entry's text exactly as in the file."""
    crossref: str | None = None
    """The key of the entry this one inherits fields from, as written."""
    xdata: tuple[str, ...] = ()
    """The keys of the @xdata entries whose fields this one takes, as written."""


@dataclass(frozen=True)
class StoreFailure:
    """A malformed block, duplicate or empty key, undefined macro or dangling crossref."""

    code: str
    """Problem code: bib-syntax, duplicate-key, undefined-macro or missing-crossref."""
    error: BibError
    """The located error."""
    key: str | None = None
    """The key of the entry it concerns, when there is one (a build refuses it if cited)."""


@dataclass(frozen=True)
class Store:
    """A parsed BibTeX file."""

    path: Path
    """The .bib file."""
    sha256: str
    """Hash of the file's bytes; the cache key."""
    entries: Mapping[str, StoreEntry]
    """Entries by key, in file order."""
    preamble: tuple[tuple[int, str], ...]
    """``@string`` and ``@preamble`` blocks (line, text verbatim), needed by any subset."""
    failures: tuple[StoreFailure, ...] = ()
    """Everything wrong with the file, in line order (a build refuses what it cites)."""
    cache_dir: Path | None = None
    """Where the field values are cached, if anywhere."""

    def resolve(self, key: str) -> str | None:
        """The key of the entry a crossref or xdata field names: BibTeX matches them
        regardless of case (xampl.bib's ``crossref = {WHOLE-JOURNAL}``), pandoc does not."""
        if key in self.entries:
            return key
        return self._folded.get(key.casefold())

    @cached_property
    def _folded(self) -> dict[str, str]:
        folded: dict[str, str] = {}
        for key in self.entries:
            folded.setdefault(key.casefold(), key)
        return folded

    def failures_of(self, key: str) -> list[StoreFailure]:
        """What is wrong with the entry (or entries) under ``key``."""
        return [f for f in self.failures if f.key == key]

    def parents(self, key: str) -> list[str]:
        """Every entry ``key`` inherits from, nearest first: its crossref and xdata
        entries, theirs, and so on (each once; a cycle is cut)."""
        found: list[str] = []
        todo = [key]
        while todo:
            entry = self.entries[todo.pop(0)]
            for name in (*([entry.crossref] if entry.crossref else []), *entry.xdata):
                parent = self.resolve(name)
                if parent is not None and parent != key and parent not in found:
                    found.append(parent)
                    todo.append(parent)
        return found

    def closest_keys(self, key: str, n: int = 3) -> list[str]:
        """Keys like ``key``, for a "did you mean" hint.

        Comparing against every key of a 10,000-entry store takes half a second, so only
        keys sharing the first two characters are compared (a typo rarely starts a key),
        and all of them only when none do.
        """
        prefix = key[:2].lower()
        candidates = [k for k in self.entries if k[:2].lower() == prefix] or list(self.entries)
        import difflib

        return difflib.get_close_matches(key, candidates, n=n, cutoff=0.6)

    def fields(self) -> Fields:
        """Every entry's field values (from the cache, or by parsing the file again)."""
        cached = cachefile.read(
            _fields_file(self.cache_dir, self.sha256), CACHE_VERSION, self.sha256
        )
        if cached is not None and isinstance(cached.get("fields"), dict):
            return dict(cached["fields"])
        text = read_text(self.path, error=BibError)
        _, fields = _parse(text, self.path, self.sha256, self.cache_dir)
        cachefile.write(
            _fields_file(self.cache_dir, self.sha256),
            CACHE_VERSION,
            self.sha256,
            {"fields": fields},
        )
        return fields


def load_store(path: Path, cache_dir: Path | None = None) -> Store:
    """Parse ``path`` (or reuse its cached index), raising on the first malformed block."""
    store = scan_store(path, cache_dir)
    if store.failures:
        raise store.failures[0].error
    return store


def scan_store(path: Path, cache_dir: Path | None = None) -> Store:
    """Parse ``path`` (or reuse its cached index), collecting every failure."""
    text = read_text(path, error=BibError)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    index_file = cache_dir / f"store-{digest}.json" if cache_dir else None
    cached = cachefile.read(index_file, CACHE_VERSION, digest)
    if cached is not None:
        store = _from_index(cached, text, path, digest, cache_dir)
        if store is not None:
            return store
    store, fields = _parse(text, path, digest, cache_dir)
    if cache_dir is not None:
        cachefile.write(index_file, CACHE_VERSION, digest, _index(store, text))
        fields_file = _fields_file(cache_dir, digest)
        cachefile.write(fields_file, CACHE_VERSION, digest, {"fields": fields}, "store-*.json")
    return store


CHUNK_ENTRIES = 500
"""Entries per separately parsed piece of a large store."""
_BLOCK_START = re.compile(r"(?m)^@")


def _libraries(text: str) -> list[tuple[int, Library]]:
    """(line offset, parsed library) for pieces of ``text`` that start at an ``@`` block.

    bibtexparser's time grows faster than the store (about 2.2x for twice the entries),
    so a large store is parsed in pieces of CHUNK_ENTRIES blocks, which keeps the whole
    linear. If any piece reports a problem, or a key appears in two pieces, the whole
    text is parsed again in one go, so that errors are exactly those of a single parse.
    """
    import logging

    from bibtexparser.entrypoint import parse_string

    # bibtexparser logs parse failures itself; casekit reports them as errors instead.
    # (Set up here, not at import: a build whose store is cached never loads logging.)
    logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
    logging.getLogger("bibtexparser").propagate = False

    def parse(piece: str) -> Library:
        return parse_string(piece, parse_stack=[])

    starts = [m.start() for m in _BLOCK_START.finditer(text)]
    cuts = [0, *starts[CHUNK_ENTRIES::CHUNK_ENTRIES], len(text)]
    if len(cuts) <= 2:
        return [(0, parse(text))]
    pieces = []
    keys: set[str] = set()
    line = 0
    for begin, end in itertools.pairwise(cuts):
        piece = text[begin:end]
        library = parse(piece)
        piece_keys = {e.key for e in library.entries}
        if library.failed_blocks or keys & piece_keys:
            return [(0, parse(text))]
        keys |= piece_keys
        pieces.append((line, library))
        line += piece.count("\n")
    return pieces


def _parse(text: str, path: Path, digest: str, cache_dir: Path | None) -> tuple[Store, Fields]:
    # Parsing allocates millions of small objects and frees none until it is done; the
    # cyclic garbage collector would rescan that growing heap again and again, and the
    # time would grow faster than the store.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse_all(text, path, digest, cache_dir)
    finally:
        if collecting:
            gc.enable()


def _parse_all(text: str, path: Path, digest: str, cache_dir: Path | None) -> tuple[Store, Fields]:
    libraries = _libraries(text)
    failures = [
        _failure(block, path, library, offset)
        for offset, library in libraries
        for block in library.failed_blocks
    ]
    macros = {s.key.lower() for _, library in libraries for s in library.strings}
    entries: dict[str, StoreEntry] = {}
    fields: Fields = {}
    for offset, library in libraries:
        for block in library.entries:
            if not block.key.strip():
                failures.append(_keyless(block, path, offset))
                continue
            values: dict[str, str] = {}
            for f in block.fields:
                value = str(f.value)
                if not (value.startswith(("{", '"'))):
                    failures += _check_macros(value, macros, path, block, f, offset)
                values[f.key.lower()] = _strip_enclosing(value)
            fields[block.key] = values
            xdata = values.get("xdata", "")
            entries[block.key] = StoreEntry(
                key=block.key,
                entry_type=block.entry_type.lower(),
                line=_line(block) + offset,
                raw=(block.raw or "").strip(),
                crossref=values.get("crossref", "").strip() or None,
                xdata=tuple(k.strip() for k in xdata.split(",") if k.strip()),
            )
    folded = {key.casefold() for key in entries}
    for key, entry in entries.items():
        for field, parent in [("crossref", entry.crossref), *(("xdata", x) for x in entry.xdata)]:
            if parent is not None and parent not in entries and parent.casefold() not in folded:
                error = BibError(
                    f"entry {key!r} has {field} {parent!r}, which is not in the store",
                    Location(path, entry.line, None, f"{key}.{field}"),
                    hint=f"add the entry {parent!r} or remove the {field} field",
                )
                failures.append(StoreFailure("missing-crossref", error, key))
    preamble = tuple(
        (_line(b) + offset, (b.raw or "").strip())
        for offset, library in libraries
        for b in (*library.strings, *library.preambles)
    )
    ordered = tuple(sorted(failures, key=lambda f: f.error.location.line or 0))
    return Store(path, digest, entries, preamble, ordered, cache_dir), fields


def _keyless(block: model.Entry, path: Path, offset: int) -> StoreFailure:
    """An entry written without a key, ``@article{,``: nothing can cite it."""
    error = BibError(
        f"@{block.entry_type} entry without a key",
        Location(path, _line(block) + offset),
        hint="write @type{key, ...}, or delete the entry",
    )
    return StoreFailure("bib-syntax", error)


def _line(block: model.Block | model.Field) -> int:
    """1-based line of a block or field (bibtexparser counts from 0)."""
    return (block.start_line or 0) + 1


def _check_macros(
    value: str, macros: set[str], path: Path, entry: model.Entry, f: model.Field, offset: int = 0
) -> list[StoreFailure]:
    failures = []
    for part in value.split("#"):
        token = part.strip()
        if token.startswith(("{", '"')) or _NUMBER.match(token):
            continue
        if token.lower() not in macros and token.lower() not in _MONTHS:
            error = BibError(
                f"entry {entry.key!r} field {f.key!r} uses undefined @string macro {token!r}",
                Location(path, _line(f) + offset, None, f"{entry.key}.{f.key}"),
                hint=f"define it with @string{{{token} = {{...}}}} or put the value in braces",
            )
            failures.append(StoreFailure("undefined-macro", error, entry.key))
    return failures


def _strip_enclosing(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and (
        (value[0] == "{" and value[-1] == "}") or (value[0] == '"' and value[-1] == '"')
    ):
        return value[1:-1]
    return value


def _failure(block: model.Block, path: Path, library: Library, offset: int = 0) -> StoreFailure:
    from bibtexparser.model import DuplicateBlockKeyBlock

    line = _line(block) + offset
    if isinstance(block, DuplicateBlockKeyBlock) and not block.key.strip():
        error = BibError(
            "entry without a key",
            Location(path, line),
            hint="write @type{key, ...}, or delete the entry",
        )
        return StoreFailure("bib-syntax", error)
    if isinstance(block, DuplicateBlockKeyBlock):
        first = next((e for e in library.entries if e.key == block.key), block.previous_block)
        also = _line(first) + offset if first is not None else "?"
        error = BibError(
            f"duplicate key {block.key!r} (also on line {also})",
            Location(path, line, None, block.key),
            hint="keys must be unique; rename or remove one of the two entries",
        )
        return StoreFailure("duplicate-key", error, block.key)
    reason = getattr(getattr(block, "error", None), "abort_reason", "") or "cannot parse this block"
    raw = (block.raw or "").strip()
    opening = raw.splitlines()[0] if raw else ""
    hint = "check for an unbalanced { } or a missing comma before this point"
    if re.match(r"^@\w+\s*\{[^,]*=", opening):
        hint = "the entry has no key: write @type{key, ...}"
    head = _HEAD_KEY.match(raw)
    key = head.group(1) if head else None
    error = BibError(
        f"{reason.strip()} in block {opening[:40]!r}", Location(path, line, None, key), hint
    )
    return StoreFailure("bib-syntax", error, key)


def _fields_file(cache_dir: Path | None, digest: str) -> Path | None:
    return cache_dir / f"store-{digest}.fields.json" if cache_dir else None


def _index(store: Store, text: str) -> dict[str, Any]:
    """The cached index: each entry's place in the file rather than its text."""
    rows = []
    position = 0
    for entry in store.entries.values():
        start = text.find(entry.raw, position)
        rows.append(
            [
                entry.key,
                entry.entry_type,
                entry.line,
                start,
                len(entry.raw),
                entry.crossref,
                list(entry.xdata),
            ]
        )
        position = max(position, start)
    failures = [
        [f.code, f.error.message, f.error.location.line, f.error.location.field, f.error.hint,
         f.key]
        for f in store.failures
    ]  # fmt: skip
    preamble = [list(block) for block in store.preamble]
    return {"preamble": preamble, "entries": rows, "failures": failures}


_Row = tuple[str, int, int, int, str | None, tuple[str, ...]]
"""An entry in the cached index: type, line, offset and length in the text, crossref, xdata."""


class _IndexedEntries(Mapping[str, StoreEntry]):
    """Entries made on demand from the cached index: a build touches only the cited few,
    so a 10,000-entry store costs a dictionary of tuples, not 10,000 objects."""

    def __init__(self, rows: dict[str, _Row], text: str):
        self._rows = rows
        self._text = text

    def __getitem__(self, key: str) -> StoreEntry:
        entry_type, line, start, length, crossref, xdata = self._rows[key]
        raw = self._text[start : start + length]
        return StoreEntry(key, entry_type, line, raw, crossref, xdata)

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def _from_index(
    data: dict[str, Any], text: str, path: Path, digest: str, cache_dir: Path | None
) -> Store | None:
    try:
        rows: dict[str, _Row] = {}
        for key, entry_type, line, start, length, crossref, xdata in data["entries"]:
            if start < 0 or start + length > len(text):
                return None
            rows[key] = (entry_type, line, start, length, crossref, tuple(xdata))
        failures = tuple(
            StoreFailure(code, BibError(message, Location(path, line, None, field), hint), key)
            for code, message, line, field, hint, key in data["failures"]
        )
        preamble = tuple((int(line), str(raw)) for line, raw in data["preamble"])
        return Store(path, digest, _IndexedEntries(rows, text), preamble, failures, cache_dir)
    except (KeyError, TypeError, ValueError):
        return None
