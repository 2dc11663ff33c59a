"""Store entries the manuscript never cites: each one in a manuscript's own store, one
line for a shared library.

A manuscript's own references.bib should hold what it cites, so each entry it does not
cite is a warning. A reference manager's whole library exported as references.bib (one
Zotero library, shared by every manuscript of a group) holds thousands of entries this
manuscript never cites, on purpose: those are counted in one line. The manuscript says
which it is (``bibliography: {library: true}`` in manuscript.yaml); when it does not say,
a store is taken for a library when more than :data:`LIBRARY_UNCITED` entries and more
than :data:`LIBRARY_SHARE` of them are uncited.
"""

from __future__ import annotations

from collections.abc import Iterator

from casekit.checks.problems import Problem
from casekit.core.errors import Location
from casekit.references.store import Store

LIBRARY_UNCITED = 100
"""Uncited entries beyond which an undeclared store may be a library. A case report
cites 10 to 50 works; a manuscript's own store with more than 100 it never cites is no
longer a few left-overs to tidy, and listing each helps nobody."""
LIBRARY_SHARE = 0.75
"""The share of the store that must be uncited, too: a large store that is mostly
cited (a review's) is the manuscript's own, and its left-overs are worth listing."""


def is_library(store: Store, uncited: int, declared: bool | None) -> bool:
    """Whether the store is a shared library: as declared, else by its numbers."""
    if declared is not None:
        return declared
    return uncited > LIBRARY_UNCITED and uncited > LIBRARY_SHARE * len(store.entries)


def uncited_entries(
    store: Store, cited: set[str], declared: bool | None, every: bool = False
) -> Iterator[Problem]:
    """A warning for each uncited entry of a manuscript's own store; for a library, one
    line with the count (a note when declared, a warning when detected), and with
    ``every`` (``casekit check --all``) each entry as a note as well."""
    keys = [key for key in store.entries if key not in cited]
    library = is_library(store, len(keys), declared)
    if library and keys:
        how = "declared" if declared else "detected"
        yield Problem(
            "uncited-library",
            Location(store.path),
            f"{len(keys):,} of {len(store.entries):,} entries of this shared library are not "
            f"cited by this manuscript ({how} a library"
            + (")" if declared else f": more than {LIBRARY_UNCITED} and "
               f"{LIBRARY_SHARE:.0%} of its entries are uncited)"),
            "`casekit check --all` lists them"
            + ("" if declared else "; say `bibliography: {library: true}` in "
               "manuscript.yaml to make this a note, or `library: false` to list each"),
            None if declared else "warning",
        )  # fmt: skip
        if not every:
            return
    for key in keys:
        entry = store.entries[key]
        yield Problem(
            "uncited-entry",
            Location(store.path, entry.line, None, key),
            f"entry {key!r} is never cited",
            None if library else "cite it, or remove it from this manuscript's store",
            "info" if library else None,
        )
