"""Checks of the store itself: BibTeX that prints wrongly (checks/bibtex.py).

Each rule is held to what pandoc really prints in the default style
(nlm-citation-sequence-brackets): a check fires only when the printed reference
is wrong, and its hint is a form that prints right.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from casekit.checks.bibtex import check_store
from casekit.checks.problems import Problem
from casekit.cli.commands import main
from casekit.references.store import scan_store

from .conftest import REPO, copy_example

REALBIB = REPO.parent / "shared" / "realbib"
STORES = sorted(REALBIB.glob("*.bib")) if REALBIB.is_dir() else []


def problems_of(tmp_path: Path, entry: str, code: str) -> list[Problem]:
    """The problems of ``code`` in a store holding ``entry`` (and the parents it names)."""
    bib = tmp_path / "references.bib"
    bib.write_text(entry, encoding="utf-8")
    return [p for p in check_store(scan_store(bib, tmp_path / "cache")) if p.code == code]


def article(**fields: str) -> str:
    """A complete @article with ``fields`` replacing or adding to its own."""
    values = {
        "author": "Brown, P.",
        "title": "A title",
        "journal": "Blood",
        "year": "2019",
        "volume": "133",
        "pages": "205--214",
        **fields,
    }
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in values.items())
    return f"@article{{key,\n{body}\n}}\n"


# Names. What prints was read from pandoc 3.9 with the default style; e.g.
# "van den Heuvel, M. P." prints "Heuvel MP van den", "{van den Heuvel}, M. P." prints
# "van den Heuvel MP".
@pytest.mark.parametrize(
    ("author", "hint"),
    [("van den Heuvel, M. P.", "{van den Heuvel}, M. P."),
     ("M. P. van den Heuvel", "M. P. {van den Heuvel}"),
     ("Erik von Elm", "Erik {von Elm}"),
     ("Brown, P. and da Silva Santos, L. B.", "{da Silva Santos}, L. B."),
     ("'t Hoen, P. A.", "{'t Hoen}, P. A."),
     ("Javier de La Rosa", "Javier {de La Rosa}")],
    ids=["family-first", "given-first", "first-last", "second-author", "apostrophe",
         "capital-after-particle"],
)  # fmt: skip
def test_a_particle_printed_after_the_initials_is_reported(
    tmp_path: Path, author: str, hint: str
) -> None:
    [problem] = problems_of(tmp_path, article(author=author), "unbraced-particle")
    assert problem.hint is not None and problem.hint.endswith(hint)


@pytest.mark.parametrize(
    "author",
    ['T{\\"u}rkmen, Ali', 'Tsch{\\"o}pe, Carsten', 'S\\"{u}nje M\\"{u}ller',
     "G\\'{a}bor Kov\\'{a}cs", 'G{\\\'e}rard Depardieu', 'M{\\"u}ller, Hans', "Böhm, Michael",
     "{van den Heuvel}, M. P.", "Erik {von Elm}", "Van der Houven van Oordt, A. J.",
     'Baldassarri H\\"oger von H\\"ogersthal, G.', "{World Health Organization}",
     "{Barnes and Noble}", "Smith, Jr., John", "Brown, P. and others",
     "d'Alembert, Jean"],
    ids=["braced-accent-family", "braced-accent-inside", "unbraced-accent-braced-letter",
         "acute-braced-letter", "braced-accent-given", "braced-accent-umlaut", "utf8",
         "braced-particle", "braced-first-last", "capital-van", "capital-start-von",
         "corporate", "corporate-with-and", "jr", "others", "elided-particle"],
)  # fmt: skip
def test_a_name_that_prints_right_is_not_reported(tmp_path: Path, author: str) -> None:
    entry = article(author=author)
    assert problems_of(tmp_path, entry, "unbraced-particle") == []
    assert problems_of(tmp_path, entry, "misread-name") == []


@pytest.mark.parametrize(
    ("author", "hint"),
    [("Department of Media and Communication", "{Department of Media and Communication}"),
     ("American Council of Learned Societies", "{American Council of Learned Societies}"),
     ("i Danmark, Bygherreforeningen", "{Bygherreforeningen i Danmark}"),
     ("{\\'{E}}douard Masterly", "Masterly, Édouard"),
     ("John Smith Jr.", "Smith, Jr., John"),
     ("Akimoto K.", "Akimoto, K."),
     ("Ted (Ted G.) Striphas", "Family, Given")],
    ids=["organisation-with-and", "organisation", "organisation-as-family-first",
         "braced-accent-first-letter", "suffix-last", "initials-last", "stray-brackets"],
)  # fmt: skip
def test_a_name_pandoc_misreads_is_reported(tmp_path: Path, author: str, hint: str) -> None:
    [problem] = problems_of(tmp_path, article(author=author), "misread-name")
    assert problem.hint is not None and hint in problem.hint


# Titles. Pandoc sentence-cases an English title: "CAR-T Cells" prints "CAR-t cells",
# "Single-Crystal NMR" prints "single-crystal NMR" (meant), and words with two capitals
# (NMR, mRNA, SARS-CoV-2) keep their case.
@pytest.mark.parametrize(
    ("title", "word", "printed"),
    [("Outcome of CAR-T Therapy", "CAR-T", "CAR-t"),
     ("Regulatory T-Cells in Infants", "T-Cells", "t-cells"),
     ("Regulatory T Cells in Infants", "T", "t"), ("A Phase I Trial", "I", "i"),
     ("Outcomes in the U.S. and Europe", "U.S.", "u.s."), ("Vitamin D in Rickets", "D", "d")],
    ids=["lone-capital-after-hyphen", "lone-capital-before-hyphen", "lone-capital-word",
         "roman-one", "initials", "vitamin"],
)  # fmt: skip
def test_a_capital_the_style_lower_cases_is_reported(
    tmp_path: Path, title: str, word: str, printed: str
) -> None:
    [problem] = problems_of(tmp_path, article(title=title), "unprotected-acronym")
    assert f"{word!r} as {printed!r}" in problem.message
    assert problem.hint is not None
    assert problem.hint.startswith(f"protect it with braces: {{{word}}}")


@pytest.mark.parametrize(
    "title",
    ["Single-Crystal Growth", "NMR of DNA and mRNA in SARS-CoV-2", "Treatment of {CAR-T} Cells",
     "Regulatory {T} Cells", "A Study of Children", "KMT2A-Rearranged Leukemia",
     "L'Homme et D'un Autre", "Regulatory T Cells"],
    ids=["capitalised-compound", "all-caps-and-mixed", "braced-acronym", "braced-letter",
         "leading-article", "acronym-with-digit", "elision", "not-english"],
)  # fmt: skip
def test_a_title_that_prints_as_meant_is_not_reported(tmp_path: Path, title: str) -> None:
    extra = {"langid": "danish"} if title == "Regulatory T Cells" else {}
    assert problems_of(tmp_path, article(title=title, **extra), "unprotected-acronym") == []


@pytest.mark.parametrize(
    ("pages", "bad"),
    [("323--33", False), ("1756--7", False), ("205--214", False), ("e123", False),
     ("e123--e130", False), ("xii--xv", False), ("S1--S9", False), ("1930--17", True),
     ("214--13", True), ("50--40", True)],
    ids=["medline-abbreviated", "one-digit-end", "full", "e-locator", "e-locator-range",
         "roman", "supplement", "abbreviated-backwards", "abbreviated-one-less", "backwards"],
)  # fmt: skip
def test_page_ranges(tmp_path: Path, pages: str, bad: bool) -> None:
    assert bool(problems_of(tmp_path, article(pages=pages), "bad-pages")) is bad


@pytest.mark.parametrize(
    ("doi", "hint"),
    [("DOI: 10.1182/blood-1", "doi = {10.1182/blood-1}"),
     ("doi:10.1182/blood-1", "doi = {10.1182/blood-1}"),
     ("https://doi.org/10.1182/blood-1", "doi = {10.1182/blood-1}"),
     ("http://dx.doi.org/10.1182/blood-1", "doi = {10.1182/blood-1}"),
     ("j.desal.2005.02.017", "10.1182/blood-2018-04-785980")],
    ids=["DOI-colon", "doi-colon", "https-resolver", "dx-resolver", "not-a-doi"],
)  # fmt: skip
def test_a_doi_that_prints_wrongly_is_an_error(tmp_path: Path, doi: str, hint: str) -> None:
    [problem] = problems_of(tmp_path, article(doi=doi), "bad-doi")
    assert problem.hint is not None and hint in problem.hint


@pytest.mark.parametrize(
    ("pmid", "bad"),
    [("30459160", False), ("1881110575", True), ("PMID: 30459160", True), ("PMC6356000", True)],
    ids=["pmid", "ten-digits", "prefixed", "pmcid"],
)  # fmt: skip
def test_pmids(tmp_path: Path, pmid: str, bad: bool) -> None:
    assert bool(problems_of(tmp_path, article(pmid=pmid), "bad-pmid")) is bad


@pytest.mark.parametrize(
    ("year", "bad"),
    [("2019", False), ("{\\noopsort{1973b}}1973", False), ("1982--1983", True),
     ("{\\noopsort{1973a}}{\\switchargs{--90}{1968}}", True)],
    ids=["plain", "noopsort", "range", "switchargs"],
)  # fmt: skip
def test_years(tmp_path: Path, year: str, bad: bool) -> None:
    assert bool(problems_of(tmp_path, article(year=year), "bad-year")) is bad


def two(first: str, second: str) -> str:
    """A store of two entries, ``a`` and ``b``, each given as its field lines."""
    return f"@article{{a,\n{first}\n}}\n\n@article{{b,\n{second}\n}}\n"


@pytest.mark.parametrize(
    ("first", "second", "duplicate"),
    [("title = {Blinatumomab in infants}, year = {2019}",
      "title = {Blinatumomab in Infants.}, year = {2019}", True),
     ("title = {Blinatumomab for infant leukaemia}, year = {2019}",
      "title = {Blinatumomab for infant leukemia}, year = {2019}", True),
     ("title = {Blinatumomab in infants}, date = {2019-03}",
      "title = {Blinatumomab in infants}, date = {2019}", True),
     ("title = {Blinatumomab in infants}, date = {2019}",
      "title = {Blinatumomab in infants}, date = {2021}", False),
     ("title = {Plan for the green areas. Report of group {II}}, year = {1974}",
      "title = {Plan for the green areas. Report of group {V}}, year = {1974}", False),
     ("title = {Annual report of the registry, volume 12}, year = {2020}",
      "title = {Annual report of the registry, volume 13}, year = {2020}", False)],
    ids=["same-title", "one-letter", "biblatex-date", "other-date-year", "roman-parts",
         "numbered-volumes"],
)  # fmt: skip
def test_near_identical_works(tmp_path: Path, first: str, second: str, duplicate: bool) -> None:
    found = problems_of(tmp_path, two(first, second), "duplicate-work")
    assert bool(found) is duplicate


def test_a_crossref_differing_only_in_case_finds_its_parent(tmp_path: Path) -> None:
    """BibTeX finds a parent whatever the case of its key, and so does casekit: the
    entries handed to pandoc spell the parent's key exactly (references/subset.py)."""
    store = article(crossref="WHOLE-JOURNAL") + "@article{whole-journal, journal = {J}}\n"
    assert problems_of(tmp_path, store, "missing-crossref") == []


@pytest.mark.parametrize(
    ("store", "missing"),
    [("@incollection{key, author = {A, B}, title = {Ch}, crossref = {col}}\n"
      "@collection{col, editor = {E, F}, title = {Coll}, publisher = {P}, year = 2000}\n", []),
     ("@incollection{key, author = {A, B}, title = {Ch}, crossref = {bk}}\n"
      "@book{bk, editor = {E, F}, title = {Book}, publisher = {P}, year = 2000}\n",
      ["booktitle"]),
     ("@inproceedings{key, author = {A, B}, title = {T}, crossref = {p}}\n"
      "@proceedings{p, booktitle = {Proc}, year = 1999}\n", []),
     ("@article{key, author = {A, B}, title = {T}, xdata = {j}, pages = {1--2}}\n"
      "@xdata{j, journal = {J}, year = 2001, volume = 7}\n", []),
     ("@online{key, title = {T}, eprint = {1234.5678}, eprinttype = {arxiv}, date = {2020}}\n",
      []),
     ("@online{key, title = {T}, date = {2020}}\n", ["url"])],
    ids=["collection-title-is-booktitle", "book-title-is-not", "same-name-field", "xdata",
         "online-eprint", "online-nothing"],
)  # fmt: skip
def test_missing_fields_count_what_is_inherited(
    tmp_path: Path, store: str, missing: list[str]
) -> None:
    found = [p for p in problems_of(tmp_path, store, "missing-field") if "'key'" in p.message]
    assert [m for m in missing if any(m in p.message for p in found)] == missing
    assert len(found) == len(missing)


@pytest.mark.skipif(not STORES, reason="../shared/realbib is not beside the repository")
@pytest.mark.parametrize("store", STORES, ids=[s.stem for s in STORES])
def test_a_real_store_is_checked_without_a_traceback(store: Path, tmp_path: Path) -> None:
    """Reference managers' real exports (../shared/realbib/SOURCES.md): every problem is
    reported, none raised."""
    project = copy_example(tmp_path / "project")
    (project / "references.bib").write_bytes(store.read_bytes())
    result = CliRunner().invoke(main, ["check", "-C", str(project), "--format", "json", "--all"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.output)
    assert report["summary"]["entries"] > 0


@pytest.mark.skipif(not STORES, reason="../shared/realbib is not beside the repository")
@pytest.mark.parametrize("store", [p.name for p in STORES], ids=[p.stem for p in STORES])
def test_asking_pandoc_only_about_suspect_entries_loses_no_finding(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pandoc reads only the entries whose names or title could print otherwise than
    written (a tenth to a third of a real store); asking about every entry finds nothing
    more."""
    from casekit.checks import bibreading

    codes = ("unbraced-particle", "misread-name", "unprotected-acronym")

    def found(cache: str) -> list[tuple[str, int, str]]:
        checked = check_store(scan_store(REALBIB / store, tmp_path / cache))
        return sorted((p.code, p.location.line or 0, p.message) for p in checked if p.code in codes)

    some = found("some")
    monkeypatch.setattr(bibreading, "could_misprint", lambda values: True)
    assert found("every") == some
