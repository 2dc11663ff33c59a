"""Real reference-manager exports build: 50 cited entries of each store, to txt and pdf.

The stores are in ``../shared/realbib`` (see its SOURCES.md): Zotero's Better BibLaTeX,
JabRef, Mendeley Reference Manager, biblatex's examples, pybtex's xampl and the Book of
OHDSI. Each test copies the example project, replaces its references.bib by the store,
cites 50 of the store's entries from one section (keys with ``: . / - _ +`` where the
store has them, and one entry of each dialect the store uses) and builds the manuscript;
the printed reference list must hold every cited entry.

The cited keys are picked from the store's text with a regular expression, not by
casekit's own parser, so an entry casekit failed to read would still be cited.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from casekit.building.pipeline import build

from .conftest import REPO, copy_example, plan_for

REALBIB = REPO.parent / "shared" / "realbib"
STORES = (
    "zotero-bbt-biblatex.bib",
    "jabref-library.bib",
    "mendeley-refmanager.bib",
    "biblatex-examples.bib",
    "pybtex-xampl.bib",
    "ohdsi-book.bib",
)
CITED = 50
"""Entries cited from each store (all of them, in a store that has fewer)."""

_HEAD = re.compile(r"@\s*(\w+)\s*([{(])\s*([^\s,{}()]*)\s*,")
_NOT_ENTRIES = {"string", "preamble", "comment"}
_NOT_CITABLE = {"set", "xdata"}
"""A biblatex entry set and an xdata container are not works a reference list prints."""
_PLAIN_KEY = re.compile(r"^\w(?:[\w:.#$%&\-+?<>~/]*\w)?$")
"""A key pandoc reads without braces; any other is cited as ``@{key}``."""

DIALECTS: dict[str, Callable[[str, str], bool]] = {
    "book_section": lambda kind, raw: kind == "book_section",
    "web_page": lambda kind, raw: kind == "web_page",
    "online-eprint": lambda kind, raw: kind == "online" and _has(raw, "eprint"),
    "date": lambda kind, raw: _has(raw, "date") and not _has(raw, "year"),
    "journaltitle": lambda kind, raw: _has(raw, "journaltitle"),
    "parentheses": lambda kind, raw: raw.lstrip("@ \t\n").split("(", 1)[0].isalpha(),
    "month-macro": lambda kind, raw: (
        re.search(r"(?im)^\s*month\s*=\s*[a-z]{3}\s*,?\s*$", raw) is not None
    ),
    "crossref": lambda kind, raw: _has(raw, "crossref"),
    "xdata": lambda kind, raw: _has(raw, "xdata"),
}
"""What each reference manager writes that plain BibTeX does not, as seen in an entry."""
SPECIAL = ":./-_+"


def _has(raw: str, field: str) -> bool:
    return re.search(rf"(?im)^\s*{field}\s*=", raw) is not None


def entries(text: str) -> list[tuple[str, str, str]]:
    """(type, key, text up to the next entry) of each entry, in file order."""
    heads = [m for m in _HEAD.finditer(text) if m.group(1).lower() not in _NOT_ENTRIES]
    found = []
    for head, after in zip(heads, [*heads[1:], None], strict=True):
        raw = text[head.start() : after.start() if after else len(text)]
        found.append((head.group(1).lower(), head.group(3), raw))
    return found


def usable_keys(text: str) -> list[tuple[str, str, str]]:
    """The entries a manuscript can cite: a key of their own, and a citable type."""
    found = entries(text)
    counts = Counter(key for _, key, _ in found)
    return [
        (kind, key, raw)
        for kind, key, raw in found
        if key and counts[key] == 1 and kind not in _NOT_CITABLE
    ]


def pick_keys(text: str) -> tuple[list[str], dict[str, str]]:
    """50 keys to cite, and the key cited for each dialect and special character."""
    usable = usable_keys(text)
    chosen: dict[str, str] = {}
    for name, test in DIALECTS.items():
        match = next((key for kind, key, raw in usable if test(kind, raw)), None)
        if match:
            chosen[name] = match
    for char in SPECIAL:
        match = next((key for _, key, _ in usable if char in key), None)
        if match:
            chosen[f"key with {char}"] = match
    keys = list(dict.fromkeys(chosen.values()))
    step = max(1, len(usable) // CITED)
    for _, key, _ in usable[::step]:
        if len(keys) >= CITED:
            break
        if key not in keys:
            keys.append(key)
    return keys, chosen


def cite(key: str) -> str:
    return f"@{key}" if _PLAIN_KEY.match(key) else f"@{{{key}}}"


def store_project(root: Path, store: Path, keys: list[str]) -> Path:
    """The example with ``store`` as its references.bib and one section citing ``keys``."""
    project = copy_example(root)
    (project / "references.bib").write_bytes(store.read_bytes())
    sections = project / "templates" / "sections"
    for template in sections.glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        template.write_text(re.sub(r"\[@[^\]]*\]", "", text), encoding="utf-8")
    groups = [keys[i : i + 5] for i in range(0, len(keys), 5)]
    body = "\n\n".join(
        f"Sentence {n} cites five works [{'; '.join(cite(k) for k in group)}]."
        for n, group in enumerate(groups, 1)
    )
    (sections / "store.md.j2").write_text(f"# Store {{#sec-store}}\n\n{body}\n", "utf-8")
    manuscript = project / "manuscript" / "manuscript.yaml"
    text = manuscript.read_text(encoding="utf-8")
    text = text.replace(
        "sections: [introduction, case, discussion]",
        "sections: [introduction, case, discussion, store]",
    )
    manuscript.write_text(text, encoding="utf-8")
    return project


def numbered(text: str) -> int:
    """Entries ``1.``, ``2.`` ... in sequence after the last "References" line.

    An entry may print nothing after its number: xampl.bib's ``misc-minimal`` has neither
    author nor title, which ``casekit check`` reports (missing-field); it is still there.
    """
    after = text[text.rfind("\nReferences\n") :]
    count = 0
    for line in after.splitlines():
        if re.match(rf"\s*\[?{count + 1}[.\]](\s|$)", line):
            count += 1
    return count


@pytest.mark.parametrize("name", STORES, ids=lambda n: n.removesuffix(".bib"))
def test_real_store_builds_with_50_citations(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = REALBIB / name
    if not store.is_file():
        pytest.skip(f"{store} is absent (CI keeps ../shared beside the clone)")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    keys, chosen = pick_keys(store.read_text(encoding="utf-8"))
    assert len(keys) == min(CITED, len(usable_keys(store.read_text(encoding="utf-8"))))
    project = store_project(tmp_path / "project", store, keys)
    result = build(plan_for(project, "txt", "pdf"))
    txt = result.outputs["txt"]
    assert numbered(txt.read_text(encoding="utf-8")) == len(keys), chosen

    from pypdf import PdfReader

    pdf = result.outputs["pdf"]
    text = "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
    assert numbered(text) == len(keys), chosen
