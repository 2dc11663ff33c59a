"""Uncited entries: each one of a manuscript's own store, one line for a shared library
(declared in manuscript.yaml, or detected by its numbers); ``check --all`` lists them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from casekit.checks.uncited import LIBRARY_UNCITED, uncited_entries
from casekit.cli.commands import main
from casekit.references.store import Store, scan_store

from .conftest import REPO, copy_example

REALBIB = REPO.parent / "shared" / "realbib"


def _store(tmp_path: Path, entries: int) -> Store:
    bib = tmp_path / "references.bib"
    bib.write_text("".join(f"@misc{{k{i}, title={{T{i}}}}}\n" for i in range(entries)), "utf-8")
    return scan_store(bib)


@pytest.mark.parametrize(
    ("entries", "cited", "declared", "every", "expected"),
    [
        (30, 25, None, False, [("uncited-entry", "warning")] * 5),
        (30, 25, True, False, [("uncited-library", "info")]),
        (500, 20, None, False, [("uncited-library", "warning")]),
        (500, 20, False, False, [("uncited-entry", "warning")] * 480),
        (500, 20, True, True, [("uncited-library", "info")] + [("uncited-entry", "info")] * 480),
        (400, 250, None, False, [("uncited-entry", "warning")] * 150),
        (500, 500, True, False, []),
    ],
    ids=[
        "own-store-each", "declared-library-one-note", "detected-library-one-warning",
        "declared-own-store-each", "library-with-all-lists-each", "mostly-cited-is-own",
        "library-all-cited",
    ],
)  # fmt: skip
def test_uncited_entries(
    tmp_path: Path,
    entries: int,
    cited: int,
    declared: bool | None,
    every: bool,
    expected: list[tuple[str, str]],
) -> None:
    store = _store(tmp_path, entries)
    keys = {f"k{i}" for i in range(cited)}
    problems = list(uncited_entries(store, keys, declared, every))
    assert [(p.code, p.level) for p in problems] == expected


def test_the_summary_says_how_many_and_why(tmp_path: Path) -> None:
    store = _store(tmp_path, LIBRARY_UNCITED * 2)
    (problem,) = uncited_entries(store, {"k0"}, None)
    assert problem.message.startswith("199 of 200 entries of this shared library are not cited")
    assert "bibliography: {library: true}" in (problem.hint or "")


@pytest.mark.skipif(not REALBIB.is_dir(), reason="shared/realbib is not here")
@pytest.mark.parametrize("declared", [False, True], ids=["detected", "declared"])
def test_a_zotero_library_as_the_store_is_one_line(tmp_path: Path, declared: bool) -> None:
    """The example's store followed by a whole Zotero (Better BibLaTeX) library export."""
    project = copy_example(tmp_path / "project")
    library = (REALBIB / "zotero-bbt-biblatex.bib").read_text(encoding="utf-8")
    with (project / "references.bib").open("a", encoding="utf-8") as handle:
        handle.write("\n" + library)
    if declared:
        with (project / "manuscript" / "manuscript.yaml").open("a", encoding="utf-8") as handle:
            handle.write("bibliography:\n  library: true\n")
    result = CliRunner().invoke(main, ["check", "-C", str(project), "--format", "json"])
    problems = json.loads(result.stdout)["problems"]
    codes = [p["code"] for p in problems]
    assert "uncited-entry" not in codes
    (summary,) = [p for p in problems if p["code"] == "uncited-library"]
    assert summary["severity"] == ("info" if declared else "warning")
    assert summary["message"].startswith("1,241 of 1,263 entries")
    every = CliRunner().invoke(main, ["check", "-C", str(project), "--all"])
    assert every.stdout.count("uncited-entry") == 1241
