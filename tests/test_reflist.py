"""The printed reference list: each defect a reader would see, found in what the outputs
print, mapped back to its key; the example's list has none; and a manuscript citing
edited works of a real reference-manager export prints them correctly."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from casekit.building.pipeline import BuildResult, build
from casekit.checks.problems import CODES
from casekit.checks.reflist import DEFECTS, defects, reference_list_problems
from casekit.references.store import scan_store
from casekit.references.subset import make_subset
from casekit.typesetting.formats import FORMATS

from .conftest import REPO, plan_for

REALBIB = REPO.parent / "shared" / "realbib"


@pytest.mark.parametrize(
    ("entry", "codes"),
    [
        ("Smith A. A chapter. In, editorsJones A, Lee B. The book. 2000.", ["printed-role-label"]),
        ("Aristotle. De anima, editorHicks RD. Cambridge; 1907.", ["printed-role-label"]),
        ("Smith A. In, eds.Jones A. The Book. 2000.", ["printed-role-label"]),
        (", translatorsVizedom MB, Caffee GL. The rites.", ["printed-punctuation-start",
                                                          "printed-role-label"]),
        (". 2019. Untitled.", ["printed-punctuation-start"]),
        ("", ["printed-empty-entry"]),
        ("Fisher [Internet]. Available from: \\url{https://a.b/c}", ["printed-latex-command"]),
        ("Smith A. \\emph{Title}. 2000.", ["printed-latex-command"]),
        ("Smith A. The {CARE} guidelines. 2000.", ["printed-braces"]),
        ("Smith A. Growth by 5\\% a year. 2000.", ["printed-braces"]),
        ("Smith A. A chapter. In: Jones A, Lee B, editors. The book. 2000.", []),
        ("Jones A, editor. An edited book. London: Press; 2001.", []),
        ("The Editorial Board. Seeds of editorial change. 2001.", []),
        ("Doe J. Dosing in m² [Internet]. Available from: https://a.b/x?y=1&z=2", []),
    ],
    ids=[
        "glued-editors", "glued-after-title", "glued-ama", "leading-comma-and-glued",
        "leading-period", "empty", "url-command", "emph-command", "braces", "backslash",
        "in-editors", "editor-first", "editorial-words", "plain-url",
    ],
)  # fmt: skip
def test_defects_of_one_printed_entry(entry: str, codes: list[str]) -> None:
    assert sorted(code for code, _ in defects(entry)) == sorted(codes)


def test_every_defect_has_a_documented_code() -> None:
    assert set(DEFECTS) <= set(CODES)


def test_a_defect_names_its_key_its_store_line_and_every_output(tmp_path: Path) -> None:
    bib = tmp_path / "references.bib"
    bib.write_text("@book{a,\n title={A}}\n\n@book{b,\n title={B}}\n", encoding="utf-8")
    store = scan_store(bib)
    txt, docx = tmp_path / "manuscript.txt", tmp_path / "manuscript.docx"
    printed = {txt: ("Fine A. A.", ", editorJones B. B."), docx: ("Fine A. A.", ", editorJones B.")}
    problems = reference_list_problems(printed, ["a", "b"], store)
    assert [(p.code, p.location.path, p.location.line, p.location.field) for p in problems] == [
        ("printed-punctuation-start", bib, 4, "b"),
        ("printed-role-label", bib, 4, "b"),
    ]
    assert "reference 2 (b) in manuscript.docx, manuscript.txt" in problems[0].message


def test_a_list_that_does_not_match_the_citations_points_at_the_output(tmp_path: Path) -> None:
    txt = tmp_path / "manuscript.txt"
    problems = reference_list_problems({txt: ("A.", "")}, ["a"], None)
    assert [(p.code, p.location.path) for p in problems] == [("printed-empty-entry", txt)]
    assert problems[0].message.startswith("reference 2 in manuscript.txt")


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf", "html"], ids=lambda f: f)
def test_the_examples_reference_list_has_no_defects(built_example: BuildResult, fmt: str) -> None:
    output = built_example.outputs[fmt]
    reader = FORMATS[fmt].reader
    assert reader is not None
    style = built_example.plan.style
    assert style.look is not None
    printed = reader(output, style.look, built_example.document.headings)
    assert len(printed.entries) == built_example.references == 22
    found = [(i, list(defects(entry))) for i, entry in enumerate(printed.entries, start=1)]
    assert [(i, codes) for i, codes in found if codes] == []


EDITED_WORKS = [
    "westfahl:space", "gaonkar:in", "pines", "salam", "matuz:doody", "gaonkar",
    "westfahl:frontier", "vizedom:related",
]  # fmt: skip
"""Chapters in edited books (@incollection, @inproceedings), edited books (@collection),
and a translated book with no author, from biblatex's example database."""


@pytest.fixture(scope="module")
def edited_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """A manuscript citing edited books, chapters and translations of biblatex's example
    database, built in txt, docx and pdf."""
    source = REALBIB / "biblatex-examples.bib"
    if not source.is_file():
        pytest.skip("the real reference-manager exports (shared/realbib) are not here")
    from .conftest import copy_example

    root = copy_example(tmp_path_factory.mktemp("edited") / "project")
    keys = EDITED_WORKS
    store = scan_store(source)
    shutil.copy(root / "references.bib", root / "own.bib")
    own = (root / "own.bib").read_text(encoding="utf-8")
    subset = make_subset(store, keys).text
    (root / "references.bib").write_text(own + "\n" + subset, encoding="utf-8")
    intro = root / "templates" / "sections" / "introduction.md.j2"
    cites = "".join(f"Edited work {i}.[@{key}]\n" for i, key in enumerate(keys, 1))
    intro.write_text(intro.read_text(encoding="utf-8") + "\n" + cites, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        return build(plan_for(root, "txt", "docx", "pdf"))


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf"], ids=lambda f: f)
def test_edited_works_print_their_editors_after_the_names(
    edited_build: BuildResult, fmt: str
) -> None:
    reader = FORMATS[fmt].reader
    style = edited_build.plan.style
    assert reader is not None and style.look is not None
    printed = reader(edited_build.outputs[fmt], style.look, edited_build.document.headings)
    edited = printed.entries[-len(EDITED_WORKS) :]
    assert [e for e in edited if any(defects(e))] == []
    assert "In: Westfahl G, editor. Space and beyond" in edited[0]
    assert edited[4].startswith("Matuz R, editor. Contemporary literary criticism")
    assert edited[7].startswith("Vizedom MB, Caffee GL, translators.")
    assert not [e for e in printed.entries if re.search(r"\b(?:editors?|translators?)[A-Z]", e)]


def test_check_reports_a_printed_defect_at_the_cited_keys_line(example: Path) -> None:
    """End to end: an entry with nothing to print prints an empty entry in every output
    read back (a cited @set, which also printed empty, now stops the build instead)."""
    from casekit.checks.run import run_checks

    from .conftest import request_for

    bib = example / "references.bib"
    line = bib.read_text(encoding="utf-8").count("\n") + 2
    with bib.open("a", encoding="utf-8") as handle:
        handle.write("\n@misc{both,\n  keywords = {casekit-waive:title},\n}\n")
    intro = example / "templates" / "sections" / "introduction.md.j2"
    intro.write_text(intro.read_text(encoding="utf-8") + "\nA set.[@both]\n", encoding="utf-8")
    build(plan_for(example, "txt", "docx"))
    problems = [p for p in run_checks(request_for(example)).problems if p.code in DEFECTS]
    assert [(p.code, p.location.path, p.location.line, p.location.field) for p in problems] == [
        ("printed-empty-entry", bib, line, "both")
    ]
    assert "in manuscript.docx, manuscript.txt" in problems[0].message
