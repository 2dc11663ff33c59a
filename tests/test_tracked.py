"""The tracked DOCX completed: whole paragraphs and rows, unique ids, tracking on."""

from __future__ import annotations

import json
from pathlib import Path

from casekit.revising.diff import compare_documents
from casekit.revising.tracked import finish_tracked
from casekit.revising.words import plain
from casekit.typesetting import pandoc

from .docx_revisions import (
    W,
    document,
    resolved,
    revision_elements,
    revisions,
    whole_paragraphs,
    whole_rows,
)
from .revising_ast import MARK, parse

OLD = """---
title: An old title
---

Kept paragraph, with an old word.

A paragraph that goes.

| Day | Event |
|----:|:------|
| 1 | Induction |
| 2 | Consolidation given |

::: {#refs}
::: {#ref-a .csl-entry}
[1.]{.csl-left-margin}[Doe J. [A linked title](https://doi.org/10.1/a).]{.csl-right-inline}
:::
:::
"""

NEW = """---
title: A new title
---

Kept paragraph, with a new word.

| Day | Event |
|----:|:------|
| 1 | Induction |
| 5 | A row that came |
| 2 | Consolidation given |

::: {#refs}
:::
"""


def tracked(tmp_path: Path, old: str = OLD, new: str = NEW) -> tuple[Path, Path, Path]:
    """(tracked, old, new) DOCX files: the compared document written by pandoc and
    finished, and the two sides written plainly."""
    merged = compare_documents(parse(old), parse(new), MARK)
    source = tmp_path / "merged.json"
    source.write_text(json.dumps(merged), encoding="utf-8")
    raw = tmp_path / "raw.docx"
    pandoc.run(["-f", "json", str(source), "-o", str(raw)])
    out = tmp_path / "tracked.docx"
    out.write_bytes(finish_tracked(raw.read_bytes(), plain(parse(new)["meta"]["title"]["c"])))
    sides = []
    for name, text in (("old", old), ("new", new)):
        path = tmp_path / f"{name}.docx"
        pandoc.run(["-f", "markdown", "-o", str(path)], stdin=text)
        sides.append(path)
    return out, sides[0], sides[1]


def test_words_and_whole_blocks_are_tracked(tmp_path: Path) -> None:
    path, _, _ = tracked(tmp_path)
    assert revisions(path) == [
        ["del", "An old"],
        ["ins", "A new"],
        ["del", "an old"],
        ["ins", "a new"],
        ["del", "A paragraph that goes."],
        ["ins", "5"],
        ["ins", "A row that came"],
        ["del", "1.\t"],
        ["del", "Doe J. "],
        ["del", "A linked title"],
        ["del", "."],
    ]


def test_a_paragraph_added_or_removed_whole_has_its_mark_tracked(tmp_path: Path) -> None:
    path, _, _ = tracked(tmp_path)
    assert whole_paragraphs(path) == [
        ["del", "A paragraph that goes."],
        ["del", "1.\tDoe J. A linked title."],
    ]


def test_a_row_added_whole_is_an_inserted_row(tmp_path: Path) -> None:
    path, _, _ = tracked(tmp_path)
    assert whole_rows(path) == [["ins", "5|A row that came"]]


def test_accepting_and_rejecting_give_each_side(tmp_path: Path) -> None:
    path, old, new = tracked(tmp_path)
    assert resolved(path, accept=True) == resolved(new)
    assert resolved(path, accept=False) == resolved(old)


def test_each_revision_has_its_own_id(tmp_path: Path) -> None:
    path, _, _ = tracked(tmp_path)
    ids = [e.get(f"{W}id") for e in revision_elements(path)]
    assert len(ids) == len(set(ids)) > 10


def test_tracking_stays_on_and_the_title_property_is_the_new_title(tmp_path: Path) -> None:
    path, _, _ = tracked(tmp_path)
    settings = document(path, "word/settings.xml")
    assert settings.find(f"{W}trackRevisions") is not None
    core = document(path, "docProps/core.xml")
    title = core.find("{http://purl.org/dc/elements/1.1/}title")
    assert title is not None and title.text == "A new title"


def test_a_revision_never_holds_a_hyperlink(tmp_path: Path) -> None:
    path, _, _ = tracked(tmp_path)
    for change in revision_elements(path):
        assert change.find(f".//{W}hyperlink") is None
