"""How pandoc reads the store: each entry's names and title, as they will print.

Which part of ``van den Heuvel, M. P.`` is the family name, or which capitals of a
title survive, is decided by pandoc's BibTeX reader, not by BibTeX's rules as a
hand-written splitter would guess them (pandoc reads ``{\\'E}mile Zola`` as a
particle and a family name, and lower-cases ``T`` in ``CAR-T``). So the store checks
ask pandoc: every entry's author, editor and title go, as one small entry each, to
``pandoc -f bibtex -t csljson`` in one run per store, and the answer is cached under
``build/.cache`` by the store's hash and pandoc's version.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from casekit.core import cachefile
from casekit.core.errors import ToolError
from casekit.references.repairs import kept_capitals
from casekit.references.store import Fields, Store
from casekit.typesetting import pandoc

CACHE_VERSION = 3
NAME_FIELDS = ("author", "editor")
_AS_WRITTEN = "note"
"""The field that carries the title a second time: pandoc decodes its LaTeX but leaves
its case alone, which gives the title as written to compare with the title as printed."""
_LANGUAGE_FIELDS = ("langid", "language")
"""Pandoc sentence-cases an English title only, so an entry's language goes along."""


@dataclass(frozen=True)
class Name:
    """One name as pandoc reads it (CSL JSON's name parts); absent parts are empty."""

    family: str = ""
    """The family name, without particles."""
    given: str = ""
    """Given names."""
    dropping_particle: str = ""
    """A particle printed after the given names in sort order (``Heuvel MP van den``)."""
    non_dropping_particle: str = ""
    """A particle printed before the family name (``van den Heuvel MP``)."""
    suffix: str = ""
    """``Jr.``, ``III``."""
    literal: str = ""
    """A name printed as it stands: an organisation's, in braces."""

    @classmethod
    def from_csl(cls, data: Mapping[str, Any]) -> Name:
        """From one CSL JSON name object."""
        return cls(
            **{
                field: str(data.get(field.replace("_", "-"), ""))
                for field in cls.__dataclass_fields__
            }
        )


@dataclass(frozen=True)
class Reading:
    """What pandoc makes of one entry."""

    names: Mapping[str, tuple[Name, ...]]
    """``author`` and ``editor``, each name in order."""
    title: str
    """The title as it prints (sentence case for an English title), LaTeX decoded."""
    title_as_written: str
    """The same title with its case as written, LaTeX decoded."""


def read_store(store: Store, fields: Fields) -> dict[str, Reading] | None:
    """Each entry's reading, by key; None when pandoc cannot be run at all."""
    try:
        version = pandoc.pandoc_version(store.cache_dir)
    except ToolError:
        return None
    digest = hashlib.sha256(f"{store.sha256}|{version}".encode()).hexdigest()
    file = store.cache_dir / f"bibreading-{digest}.json" if store.cache_dir else None
    cached = cachefile.read(file, CACHE_VERSION, digest)
    if cached is not None and isinstance(cached.get("entries"), dict):
        raw: dict[str, Any] = cached["entries"]
    else:
        # Only entries whose names or title could print other than written are asked
        # about: on a 10,000-entry library, asking about all would cost seconds.
        keys = [key for key, values in fields.items() if could_misprint(values)]
        blocks = [_block(i, fields[key]) for i, key in enumerate(keys)]
        raw = {keys[int(item["id"][1:])]: item for item in _ask(blocks)}
        cachefile.write(file, CACHE_VERSION, digest, {"entries": raw}, "bibreading-*.json")
    return {key: _reading(item) for key, item in raw.items()}


_NAME_SUSPECT = re.compile(
    r"(?:^|[\s,~'’])(?!and\b|others\b)[a-z]|[\\{}()\[\]]|\b(?:Jr|Sr|II|III|IV)\b|"
    r"\b(?:Department|University|Institute|Society|Association|Group|Committee|Organi[sz]ation|"
    r"Collaborat\w*|Consortium|Council|Agency|Ministry|Board|Foundation|Cent(?:er|re)|"
    r"Hospital|Team|Network|Initiative|Trust|Office|Service|College|Academy|Program\w*)\b"
)
"""What in a name field pandoc may read otherwise than written: a lower-case word (a
particle), LaTeX, brackets, a suffix, or an organisation's word."""
_TRAILING_INITIAL = re.compile(r"\s[A-Z]\.?$")
"""``Akimoto K.``: a name in First Last order whose last word is an initial."""
_TITLE_SUSPECT = re.compile(r"(?:^|[\s\-/'’.(])(?!A\s)[A-Z](?![a-z])|\\[A-Za-z]+|\$")
"""What in a title sentence case may change, outside braces (which keep their case): a
capital standing alone, a LaTeX command, or mathematics."""
_BRACED = re.compile(r"\{[^{}]*\}")


def could_misprint(values: Mapping[str, str]) -> bool:
    """Whether an entry's names or title could print other than written, so that pandoc
    must be asked how it reads them; every other entry prints as written."""
    for field in NAME_FIELDS:
        value = values.get(field, "")
        if _NAME_SUSPECT.search(value):
            return True
        names = re.split(r"\s+and\s+", value)
        if any("," not in name and _TRAILING_INITIAL.search(name.strip()) for name in names):
            return True
    title = values.get("title", "")
    while _BRACED.search(title):
        title = _BRACED.sub(" ", title)
    return bool(_TITLE_SUSPECT.search(title))


def _reading(item: Mapping[str, Any]) -> Reading:
    names = {
        field: tuple(Name.from_csl(n) for n in item.get(field, []) if isinstance(n, dict))
        for field in NAME_FIELDS
    }
    return Reading(names, str(item.get("title", "")), str(item.get(_AS_WRITTEN, "")))


def _block(index: int, values: Mapping[str, str]) -> str:
    """One entry holding only what is read here; the key is the entry's position, since a
    key pandoc would refuse must not cost the entry its reading."""
    parts = [f"@misc{{e{index}"]
    title = values.get("title")
    # the title as a build hands it to pandoc, with its meant capitals kept (repairs.py)
    handed = {"title": kept_capitals(title) or title} if title else {}
    for field in (*NAME_FIELDS, "title", *_LANGUAGE_FIELDS):
        value = handed.get(field, values.get(field))
        if value and _balanced(value):
            parts.append(f"  {field} = {{{value}}}")
    if title and _balanced(title):
        parts.append(f"  {_AS_WRITTEN} = {{{title}}}")
    return ",\n".join(parts) + "\n}\n"


def _balanced(value: str) -> bool:
    depth = 0
    for char in value:
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
    return depth == 0


def _ask(blocks: Sequence[str]) -> list[dict[str, Any]]:
    """Pandoc's CSL JSON for ``blocks``; where pandoc refuses a run, each half is asked
    again, so one entry it cannot read costs only that entry's reading."""
    if not blocks:
        return []
    try:
        out = pandoc.run(["--quiet", "-f", "bibtex", "-t", "csljson"], stdin="".join(blocks))
        items = json.loads(out)
        return [i for i in items if isinstance(i, dict) and str(i.get("id", ""))[1:].isdigit()]
    except (ToolError, ValueError):
        if len(blocks) == 1:
            return []
        half = len(blocks) // 2
        return _ask(blocks[:half]) + _ask(blocks[half:])
