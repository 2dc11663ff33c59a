"""The subset pandoc reads: the cited entries, what they inherit, in pandoc's dialect."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.references.store import load_store, scan_store
from casekit.references.subset import entry_types, make_subset

from .test_bibstore import ENTRY, _bib


def test_subset_holds_only_the_wanted_entries_and_macros(tmp_path: Path) -> None:
    text = "@string{jbl = {Journal of Blood}}\n" + "".join(
        ENTRY.format(key=f"k{i}", title=f"T{i}") for i in range(5)
    )
    store = load_store(_bib(tmp_path, text))
    subset = make_subset(store, ["k3", "k1"]).text
    assert "@string{jbl" in subset
    assert "{k3," in subset and "{k1," in subset
    assert "{k0," not in subset
    assert subset.index("{k3,") < subset.index("{k1,")


def test_subset_brings_the_crossref_parent(tmp_path: Path) -> None:
    text = (
        "@inproceedings{child, title={C}, crossref={parent}}\n"
        "@proceedings{parent, title={P}, year={2001}}\n"
    )
    store = load_store(_bib(tmp_path, text))
    assert "{parent," in make_subset(store, ["child"]).text


def _pandoc_reads(text: str, tmp_path: Path) -> list[dict[str, object]]:
    """What pandoc's BibLaTeX reader makes of ``text`` (as CSL JSON)."""
    import json as json_module

    from casekit.typesetting import pandoc

    path = tmp_path / "subset.bib"
    path.write_text(text, encoding="utf-8")
    out = pandoc.run(["-f", "biblatex", "-t", "csljson", str(path)])
    return list(json_module.loads(out))


@pytest.mark.parametrize(
    ("entry", "csl_type", "field"),
    [
        ("@book_section{k,\n  title = {Chapter},\n  booktitle = {Book}\n}", "chapter", None),
        ("@web_page{k,\n  title = {Page},\n  url = {https://example.org}\n}", "webpage", None),
        ("@newspaper_article{k,\n  title = {News},\n  journal = {Times}\n}", "article-newspaper",
         None),
        ("@generic{k,\n  title = {Something}\n}", "", None),
        ("@conference{k,\n  title = {Talk},\n  booktitle = {Proc}\n}", "paper-conference",
         None),
        ("@article(k,\n  title = {In (parentheses)},\n  journal = {J}\n)", "article-journal",
         "title"),
        ("@article{k,\n  title = {T},\n  journaltitle = {JT},\n  date = {2020-03-04}\n}",
         "article-journal", "issued"),
        ("@article{k,\n  title = {T},\n  journal = {J},\n  month = jan,\n  year = 2000\n}",
         "article-journal", "issued"),
        ("@online{k,\n  title = {T},\n  eprint = {1234.5678},\n  eprinttype = {arxiv}\n}",
         "webpage", "URL"),
    ],
    ids=["book_section", "web_page", "newspaper_article", "generic", "conference",
         "parentheses", "date-journaltitle", "month-macro", "online-eprint"],
)  # fmt: skip
def test_reference_manager_dialects_reach_pandoc_as_it_reads_them(
    tmp_path: Path, entry: str, csl_type: str, field: str | None
) -> None:
    store = scan_store(_bib(tmp_path, entry + "\n"))
    assert not store.failures
    subset = make_subset(store, ["k"])
    assert subset.text.count("\n") == entry.count("\n") + 1  # line for line
    (read,) = _pandoc_reads(subset.text, tmp_path)
    assert read["type"] == csl_type
    if field:
        assert field in read


@pytest.mark.parametrize(
    ("fields", "expected"),
    [("journal = {J},\n  volume = {12},\n  issue = {2}", {"issue": "2"}),
     ("journal = {J},\n  number = {3},\n  issue = {Spring}", {"issue": "3, Spring"}),
     ("publisher = {Sage},\n  city = {London, England}",
      {"publisher-place": "London, England"}),
     ("publisher = {Sage},\n  address = {Paris},\n  city = {London}",
      {"publisher-place": "Paris"}),
     ("abstract = {On the issue = of, city = X},\n  journal = {J}",
      {"abstract": "On the issue = of, city = X"})],
    ids=["mendeley-issue", "number-wins", "mendeley-city", "address-wins", "in-a-value"],
)  # fmt: skip
def test_fields_pandoc_ignores_reach_it_under_the_name_it_reads(
    tmp_path: Path, fields: str, expected: dict[str, str]
) -> None:
    entry = f"@article{{k,\n  title = {{T}},\n  {fields}\n}}"
    subset = make_subset(scan_store(_bib(tmp_path, entry + "\n")), ["k"])
    assert subset.text.count("\n") == entry.count("\n") + 1  # line for line
    (read,) = _pandoc_reads(subset.text, tmp_path)
    assert {name: read.get(name) for name in expected} == expected


def test_jabref_meta_comments_are_left_out(tmp_path: Path) -> None:
    text = ENTRY.format(key="a", title="x") + "@comment{jabref-meta: databaseType:bibtex;}\n"
    store = scan_store(_bib(tmp_path, text))
    assert not store.failures and list(store.entries) == ["a"]
    assert "jabref-meta" not in make_subset(store, ["a"]).text


def test_subset_brings_what_is_inherited_whatever_the_case(tmp_path: Path) -> None:
    """xampl.bib's ``crossref = {WHOLE-JOURNAL}`` names ``whole-journal``: BibTeX matches
    keys regardless of case, pandoc does not, so the subset spells it as the key is."""
    text = (
        "@article{child,\n  title = {C},\n  crossref = {WHOLE-JOURNAL},\n  xdata = {Pub}\n}\n"
        "@article{whole-journal,\n  journal = {J},\n  year = {1986}\n}\n"
        "@xdata{pub,\n  publisher = {P}\n}\n"
    )
    store = scan_store(_bib(tmp_path, text))
    assert not store.failures
    subset = make_subset(store, ["child"])
    assert subset.keys == ("child", "whole-journal", "pub")
    assert "crossref = {whole-journal}" in subset.text and "xdata = {pub}" in subset.text
    (child,) = [r for r in _pandoc_reads(subset.text, tmp_path) if r["id"] == "child"]
    assert child["container-title"] == "J" and child["publisher"] == "P"


def test_each_line_of_the_subset_knows_its_line_in_the_store(tmp_path: Path) -> None:
    text = "@string{j = {J}}\n\n" + "".join(ENTRY.format(key=f"k{i}", title="x") for i in range(4))
    store = scan_store(_bib(tmp_path, text))
    subset = make_subset(store, ["k2", "k0"])
    lines = subset.text.splitlines()
    for number, line in enumerate(lines, 1):
        if line:
            origin = subset.store_line(number)
            assert origin is not None
            assert text.splitlines()[origin - 1] == line
    piece = subset.origin(lines.index("@article{k2,") + 1)
    assert piece is not None and piece.key == "k2"


def test_entry_types_table_knows_pandocs_types_and_refuses_the_rest() -> None:
    types = entry_types()
    assert types.problem("article") is None and types.problem("book_section") is None
    assert types.problem("set") is not None and "stands for" in types.hint("set")
    assert types.problem("jounal") == "pandoc does not read this type"
    assert types.hint("artcle") == "did you mean @article?"
