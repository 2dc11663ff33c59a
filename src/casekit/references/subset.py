"""The entries a build hands pandoc: the cited ones and what they inherit, in pandoc's dialect.

A build gives pandoc only the cited entries (a 10,000-entry store would cost it
seconds), plus the crossref and xdata parents they inherit fields from and every
``@string`` and ``@preamble`` block. Reference managers write entries pandoc's
BibLaTeX reader does not take as they are: Mendeley's ``@book_section``, an
``@article( ... )`` in parentheses, a ``crossref`` in another case than its parent's
key. Each entry is rewritten here, line for line, into what pandoc reads; which types
pandoc reads, and what the managers' own types are, is the table in
``data/entry-types.yaml``.

The subset remembers where each of its lines came from, so an error pandoc reports at
a line of the subset is reported at the entry's line in the author's references.bib.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, partial

import yaml

from casekit.data import data_file
from casekit.references.store import Store, StoreEntry

_HEAD = re.compile(r"^@\s*(?P<type>\w+)\s*(?P<open>[{(])\s*(?P<key>[^,]*?)\s*,")


@dataclass(frozen=True)
class EntryTypes:
    """What pandoc reads, and what each reference manager's own types are to pandoc."""

    read: frozenset[str]
    """Types pandoc's BibLaTeX reader knows."""
    aliases: dict[str, tuple[str, str | None]]
    """A manager's type → (the type pandoc is handed, the entrysubtype added or None)."""
    not_citable: dict[str, str]
    """Types that are no work a reference list prints → why."""
    field_aliases: dict[str, str]
    """A manager's field name that pandoc ignores → the name pandoc reads."""

    def problem(self, entry_type: str) -> str | None:
        """Why an entry of ``entry_type`` cannot be cited, or None when it can."""
        if entry_type in self.read or entry_type in self.aliases:
            return None
        return self.not_citable.get(entry_type, "pandoc does not read this type")

    def hint(self, entry_type: str) -> str:
        """What to write instead of ``entry_type``."""
        if entry_type in self.not_citable:
            return "cite the entries it stands for"
        import difflib

        close = difflib.get_close_matches(entry_type, sorted(self.read | set(self.aliases)), 1)
        if close:
            return f"did you mean @{close[0]}?"
        return "write a type pandoc reads, e.g. @article, @book, @incollection, @online, @misc"


@cache
def entry_types() -> EntryTypes:
    """The table of entry types (``data/entry-types.yaml``), read once."""
    raw = yaml.safe_load(data_file("entry-types.yaml").read_text(encoding="utf-8"))
    return EntryTypes(
        frozenset(raw["read"]),
        {name: (row["type"], row.get("entrysubtype")) for name, row in raw["aliases"].items()},
        dict(raw["not_citable"]),
        dict(raw["field_aliases"]),
    )


@dataclass(frozen=True)
class Piece:
    """One block of the subset, and where it came from."""

    start: int
    """1-based line of the subset where the block starts."""
    lines: int
    """How many lines it has."""
    line: int
    """1-based line in the store where it starts."""
    key: str | None
    """The entry's key, or None for an ``@string`` or ``@preamble`` block."""


@dataclass(frozen=True)
class Subset:
    """BibTeX text for pandoc, with the origin of each of its lines."""

    text: str
    """What pandoc reads."""
    keys: tuple[str, ...]
    """The entries in it, in order: the cited ones, each followed by what it inherits."""
    pieces: tuple[Piece, ...]
    """Each block's lines in the text and in the store."""

    def origin(self, line: int) -> Piece | None:
        """The block that line ``line`` of the text belongs to."""
        for piece in self.pieces:
            if piece.start <= line < piece.start + piece.lines:
                return piece
        return None

    def store_line(self, line: int) -> int | None:
        """The store's line that became line ``line`` of the text (entries keep their
        line breaks when rewritten)."""
        piece = self.origin(line)
        return piece.line + line - piece.start if piece else None


def make_subset(store: Store, keys: Iterable[str]) -> Subset:
    """The cited ``keys``, each followed by the entries it inherits from, and the macros."""
    wanted: list[str] = []
    for key in keys:
        for name in (key, *store.parents(key)):
            if name not in wanted:
                wanted.append(name)
    blocks: list[tuple[int, str | None, str]] = [(line, None, raw) for line, raw in store.preamble]
    blocks += [(store.entries[k].line, k, for_pandoc(store.entries[k], store)) for k in wanted]
    parts: list[str] = []
    pieces: list[Piece] = []
    start = 1
    for line, owner, raw in blocks:
        count = raw.count("\n") + 1
        pieces.append(Piece(start, count, line, owner))
        parts.append(raw)
        start += count + 1  # a blank line between blocks
    return Subset("\n\n".join(parts) + "\n", tuple(wanted), tuple(pieces))


def for_pandoc(entry: StoreEntry, store: Store) -> str:
    """The entry as pandoc's BibLaTeX reader takes it, with as many lines as it had.

    A manager's type becomes pandoc's (``@book_section`` → ``@incollection``), and so
    does a field name pandoc ignores (Mendeley's ``issue`` → ``number``); an entry in
    parentheses is put in braces, and a crossref or xdata naming its parent in another
    case names it as its key is written.
    """
    raw = entry.raw
    head = _HEAD.match(raw)
    if head is None:
        return raw
    alias = entry_types().aliases.get(entry.entry_type)
    opening = "{"
    if alias is not None:
        entry_type, subtype = alias
        if subtype and re.search(r"(?i)\bentrysubtype\s*=", raw):
            subtype = None  # the entry says what it is
        opening += f"{head['key']}, entrysubtype = {{{subtype}}}" if subtype else head["key"]
        written = f"@{entry_type}{opening},"
    else:
        written = f"@{head['type']}{opening}{head['key']},"
    body = raw[head.end() :]
    if head["open"] == "(" and body.rstrip().endswith(")"):
        body = body.rstrip()[:-1] + "}"
    return written + _parents_as_keyed(_fields_renamed(body), entry, store)


def _field_start(name: str) -> re.Pattern[str]:
    """Where field ``name`` starts in an entry's body: at a line's start, or after the
    comma that ends a braced or quoted value (never inside a value's prose)."""
    return re.compile(rf"(?im)((?:^|(?<=[}}\"])\s*,)\s*){re.escape(name)}(\s*=)")


def _fields_renamed(body: str) -> str:
    """``body`` with each field pandoc ignores under its reader's name, unless the entry
    has that field already."""
    for name, to in entry_types().field_aliases.items():
        if _field_start(name).search(body) and not _field_start(to).search(body):
            body = _field_start(name).sub(rf"\g<1>{to}\g<2>", body)
    return body


def _parents_as_keyed(body: str, entry: StoreEntry, store: Store) -> str:
    """``body`` with each crossref and xdata value spelled as its parent's key."""
    for name in (*([entry.crossref] if entry.crossref else []), *entry.xdata):
        parent = store.resolve(name)
        if parent is None or parent == name:
            continue
        field = "crossref" if name == entry.crossref else "xdata"
        pattern = re.compile(
            rf"(?i)(\b{field}\s*=\s*[{{\"]?[^}}\"]*?)(?<![\w\-:.]){re.escape(name)}(?![\w\-:.])"
        )
        body = pattern.sub(partial(_renamed, to=parent), body, count=1)
    return body


def _renamed(match: re.Match[str], to: str) -> str:
    return match.group(1) + to
