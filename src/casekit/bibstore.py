"""The BibTeX store: every entry indexed by key, cached by the file's content hash.

bibtexparser v2 splits the file into blocks; casekit keeps each entry's raw text
and line, so a build hands pandoc only the cited entries, verbatim (pandoc does
its own LaTeX decoding, on those few entries only). Parsing a large shared store
is the slow part, so the index is cached under ``build/.cache`` keyed by the
SHA-256 of the file's bytes: a changed store never reuses a stale index, and an
unreadable cache is simply rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bibtexparser import model
    from bibtexparser.library import Library

from .errors import BibError, Location, OutputError
from .outputs import write_atomic
from .textfile import read_text

# bibtexparser logs parse failures itself; casekit reports them as errors instead.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False

CACHE_VERSION = 2
_MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
_NUMBER = re.compile(r"^\d+$")


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
    fields: dict[str, str]
    """Field name (lower case) to value as written, enclosing braces or quotes removed."""


@dataclass(frozen=True)
class StoreFailure:
    """A malformed block, duplicate key, undefined macro or dangling crossref."""

    code: str
    """Problem code: bib-syntax, duplicate-key, undefined-macro or missing-crossref."""
    error: BibError
    """The located error."""


@dataclass(frozen=True)
class Store:
    """A parsed BibTeX file."""

    path: Path
    """The .bib file."""
    sha256: str
    """Hash of the file's bytes; the cache key."""
    entries: dict[str, StoreEntry]
    """Entries by key, in file order."""
    preamble: str
    """``@string`` and ``@preamble`` blocks, verbatim, needed by any subset."""
    failures: tuple[StoreFailure, ...] = ()
    """Everything wrong with the file, in line order (a build stops at the first)."""

    def subset(self, keys: Iterable[str]) -> str:
        """BibTeX text holding just ``keys`` (plus their crossref parents and the macros)."""
        wanted: list[str] = []
        for key in keys:
            entry = self.entries[key]
            if key not in wanted:
                wanted.append(key)
            parent = entry.fields.get("crossref")
            if parent and parent in self.entries and parent not in wanted:
                wanted.append(parent)
        body = "\n\n".join(self.entries[k].raw for k in wanted)
        return f"{self.preamble}\n\n{body}\n" if self.preamble else f"{body}\n"


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
    cache_file = cache_dir / f"store-{digest}.json" if cache_dir else None
    if cache_file is not None:
        cached = _read_cache(cache_file, path, digest)
        if cached is not None:
            return cached
    store = _parse(text, path, digest)
    if cache_file is not None:
        _write_cache(cache_file, store)
    return store


def _parse(text: str, path: Path, digest: str) -> Store:
    # Imported here: a warm cache never needs the parser, and importing it costs time.
    from bibtexparser.entrypoint import parse_string

    library = parse_string(text, parse_stack=[])
    failures = [_failure(block, path, library) for block in library.failed_blocks]
    macros = {s.key.lower() for s in library.strings}
    entries: dict[str, StoreEntry] = {}
    for block in library.entries:
        fields: dict[str, str] = {}
        for f in block.fields:
            value = str(f.value)
            if not (value.startswith(("{", '"'))):
                failures += _check_macros(value, macros, path, block, f)
            fields[f.key.lower()] = _strip_enclosing(value)
        entries[block.key] = StoreEntry(
            key=block.key,
            entry_type=block.entry_type.lower(),
            line=_line(block),
            raw=(block.raw or "").strip(),
            fields=fields,
        )
    for key, entry in entries.items():
        parent = entry.fields.get("crossref")
        if parent is not None and parent not in entries:
            error = BibError(
                f"entry {key!r} has crossref {parent!r}, which is not in the store",
                Location(path, entry.line, None, f"{key}.crossref"),
                hint="add the parent entry or remove the crossref field",
            )
            failures.append(StoreFailure("missing-crossref", error))
    preamble = "\n\n".join((b.raw or "").strip() for b in (*library.strings, *library.preambles))
    ordered = tuple(sorted(failures, key=lambda f: f.error.location.line or 0))
    return Store(path, digest, entries, preamble, ordered)


def _line(block: model.Block | model.Field) -> int:
    """1-based line of a block or field (bibtexparser counts from 0)."""
    return (block.start_line or 0) + 1


def _check_macros(
    value: str, macros: set[str], path: Path, entry: model.Entry, f: model.Field
) -> list[StoreFailure]:
    failures = []
    for part in value.split("#"):
        token = part.strip()
        if token.startswith(("{", '"')) or _NUMBER.match(token):
            continue
        if token.lower() not in macros and token.lower() not in _MONTHS:
            error = BibError(
                f"entry {entry.key!r} field {f.key!r} uses undefined @string macro {token!r}",
                Location(path, _line(f), None, f"{entry.key}.{f.key}"),
                hint=f"define it with @string{{{token} = {{...}}}} or put the value in braces",
            )
            failures.append(StoreFailure("undefined-macro", error))
    return failures


def _strip_enclosing(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and (
        (value[0] == "{" and value[-1] == "}") or (value[0] == '"' and value[-1] == '"')
    ):
        return value[1:-1]
    return value


def _failure(block: model.Block, path: Path, library: Library) -> StoreFailure:
    from bibtexparser.model import DuplicateBlockKeyBlock

    line = _line(block)
    if isinstance(block, DuplicateBlockKeyBlock):
        first = next((e for e in library.entries if e.key == block.key), block.previous_block)
        also = _line(first) if first is not None else "?"
        error = BibError(
            f"duplicate key {block.key!r} (also on line {also})",
            Location(path, line, None, block.key),
            hint="keys must be unique; rename or remove one of the two entries",
        )
        return StoreFailure("duplicate-key", error)
    reason = getattr(getattr(block, "error", None), "abort_reason", "") or "cannot parse this block"
    raw = (block.raw or "").strip()
    opening = raw.splitlines()[0] if raw else ""
    hint = "check for an unbalanced { } or a missing comma before this point"
    if re.match(r"^@\w+\s*\{[^,]*=", opening):
        hint = "the entry has no key: write @type{key, ...}"
    error = BibError(f"{reason.strip()} in block {opening[:40]!r}", Location(path, line), hint)
    return StoreFailure("bib-syntax", error)


def _read_cache(cache_file: Path, path: Path, digest: str) -> Store | None:
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
        if data["version"] != CACHE_VERSION or data["sha256"] != digest:
            return None
        entries = {
            key: StoreEntry(key, etype, line, raw, fields)
            for key, etype, line, raw, fields in data["entries"]
        }
        failures = tuple(
            StoreFailure(code, BibError(message, Location(path, line, None, field), hint))
            for code, message, line, field, hint in data["failures"]
        )
        return Store(path, digest, entries, data["preamble"], failures)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or corrupt: parse again and rewrite


def _write_cache(cache_file: Path, store: Store) -> None:
    failures = [
        [f.code, f.error.message, f.error.location.line, f.error.location.field, f.error.hint]
        for f in store.failures
    ]
    data = {
        "version": CACHE_VERSION,
        "sha256": store.sha256,
        "preamble": store.preamble,
        "entries": [[e.key, e.entry_type, e.line, e.raw, e.fields] for e in store.entries.values()],
        "failures": failures,
    }
    try:
        write_atomic(cache_file, json.dumps(data).encode("utf-8"))
        for old in cache_file.parent.glob("store-*.json"):
            if old != cache_file:
                old.unlink(missing_ok=True)
    except (OSError, OutputError):
        pass  # a cache that cannot be written only costs time next run
