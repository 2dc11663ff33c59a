"""Repairs of what pandoc reads: a style's labels before their names, LaTeX in verbatim
fields. Each is checked on text, and the style repair on pandoc's real output."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.references.repairs import repair_bibtex, repair_style
from casekit.references.styles import resolve_style
from casekit.typesetting import pandoc

EDITED = """@incollection{chapter,
  author = {Smith, Ann},
  title = {A chapter},
  booktitle = {The book},
  editor = {Jones, Alan and Lee, Beth},
  publisher = {Press},
  address = {London},
  year = {2000},
  pages = {1--10},
}
@book{edited,
  editor = {Jones, Alan},
  title = {An edited book},
  publisher = {Press},
  year = {2001},
}
"""


@pytest.mark.parametrize(
    "name",
    [
        "nlm-citation-sequence-brackets",
        "nlm-citation-sequence-superscript",
        "american-medical-association",
        "oxford-journals-scimed-numeric",
    ],
    ids=lambda name: name,
)
def test_styles_with_a_label_but_no_name_get_a_name(tmp_path: Path, name: str) -> None:
    style = resolve_style(name, tmp_path)
    original = style.path.read_text(encoding="utf-8")
    fixed, applied = repair_style(original)
    assert applied == ("name-before-label",)
    assert style.repairs == applied
    assert fixed.count("<name/>") > original.count("<name/>")
    assert fixed.replace("<name/>", "").split() == original.split()  # nothing else changed


@pytest.mark.parametrize(
    "name", ["bmj", "elsevier-vancouver", "apa"], ids=lambda name: name
)  # fmt: skip
def test_styles_without_the_defect_are_handed_over_unchanged(tmp_path: Path, name: str) -> None:
    style = resolve_style(name, tmp_path)
    assert style.repairs == ()
    assert style.csl() == style.path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("style", "wrong", "right"),
    [
        (
            "nlm-citation-sequence-brackets",
            ["In, editors", ", editorJones"],
            ["In: Jones A, Lee B, editors. The book", "Jones A, editor. An edited book"],
        ),
        (
            "american-medical-association",
            ["In, eds.Jones", ", ed.Jones"],
            ["In: Jones A, Lee B, eds. The Book", "Jones A, ed. An Edited Book"],
        ),
    ],
    ids=["nlm", "ama"],
)
def test_pandoc_prints_editors_before_their_label(
    tmp_path: Path, style: str, wrong: list[str], right: list[str]
) -> None:
    """What pandoc's citeproc really prints, without and with the repair."""
    (tmp_path / "refs.bib").write_text(EDITED, encoding="utf-8")
    (tmp_path / "m.md").write_text("Text [@chapter; @edited].\n", encoding="utf-8")
    source = resolve_style(style, tmp_path)
    printed = {}
    for label, text in (("before", source.path.read_text("utf-8")), ("after", source.csl())):
        (tmp_path / "s.csl").write_text(text, encoding="utf-8")
        command = ["--sandbox", "m.md", "--citeproc", "--csl=s.csl", "--bibliography=refs.bib"]
        out = str(pandoc.run([*command, "-t", "plain", "--wrap=none"], cwd=tmp_path))
        printed[label] = out
    assert all(w in printed["before"] for w in wrong), printed["before"]
    assert not any(w in printed["after"] for w in wrong), printed["after"]
    assert all(r in printed["after"] for r in right), printed["after"]


@pytest.mark.parametrize(
    ("field", "fixed"),
    [
        (
            r"url = {\url{https://example.org/a_b}}",
            "url = {https://example.org/a_b}",
        ),
        (
            r'url = "\url{https://en.wikiquote.org/w/index.php?title=R_F&oldid=2}"',
            "url = {https://en.wikiquote.org/w/index.php?title=R_F&oldid=2}",
        ),
        (r"url = {http://a.b/c\_d\%20e}", "url = {http://a.b/c_d%20e}"),
        (r"url = {\href{http://a.b/f}{here}}", "url = {http://a.b/f}"),
        (r"doi = {\url{10.1000/xyz}}", "doi = {10.1000/xyz}"),
        (
            r"howpublished = {\url{http://en.wikipedia.org/w/index.php?title=Open\%20science}}",
            "url = {http://en.wikipedia.org/w/index.php?title=Open%20science}",
        ),
        (r"howpublished = {Online at \url{http://a.b}}", None),
        (r"url = {https://example.org/plain}", None),
        (r"title = {\url{not an address field}}", None),
    ],
    ids=[
        "url-braced", "url-quoted", "url-escapes", "href", "doi", "howpublished-only-url",
        "howpublished-with-text", "plain-url", "other-field",
    ],
)  # fmt: skip
def test_latex_in_address_fields_is_made_plain(field: str, fixed: str | None) -> None:
    entry = f"@misc{{key,\n  title = {{T}},\n  {field},\n  year = {{2019}},\n}}\n"
    expected = entry if fixed is None else entry.replace(field, fixed)
    assert repair_bibtex(entry) == expected


def test_howpublished_stays_when_the_entry_has_a_url() -> None:
    entry = "@misc{k,\n  howpublished = {\\url{http://a.b}},\n  url = {http://c.d},\n}\n"
    assert repair_bibtex(entry) == entry


@pytest.mark.parametrize(
    ("field", "fixed"),
    [(r"type = {{PhD} Dissertation}", "type = {PhD Dissertation}"),
     (r'type = "{PhD} Dissertation"', "type = {PhD Dissertation}"),
     (r"type = {Th\`{e}se de doctorat}", "type = {Thèse de doctorat}"),
     (r"type = {Technical report}", None),
     (r"entrysubtype = {{magazine}}", None)],
    ids=["braced-word", "quoted", "accent", "plain", "other-field"],
)  # fmt: skip
def test_latex_in_the_type_field_is_made_plain(field: str, fixed: str | None) -> None:
    entry = f"@phdthesis{{key,\n  title = {{T}},\n  {field},\n  year = {{2019}},\n}}\n"
    expected = entry if fixed is None else entry.replace(field, fixed)
    assert repair_bibtex(entry) == expected


def printed(tmp_path: Path, bibtex: str) -> str:
    """The reference list pandoc prints for ``bibtex`` in the example's NLM style, on one line."""
    (tmp_path / "refs.bib").write_text(bibtex, encoding="utf-8")
    (tmp_path / "s.csl").write_text(
        resolve_style("nlm-citation-sequence-brackets", tmp_path).csl(), "utf-8"
    )
    (tmp_path / "m.md").write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    command = ["--sandbox", "m.md", "--citeproc", "--csl=s.csl", "--bibliography=refs.bib"]
    return " ".join(str(pandoc.run([*command, "-t", "plain"], cwd=tmp_path)).split())


def test_a_repaired_type_prints_without_braces(tmp_path: Path) -> None:
    entry = "@phdthesis{key,\n  author = {Phony, F.},\n  title = {T},\n  school = {U},\n"
    entry += "  type = {{PhD} Dissertation},\n  year = {1988}\n}\n"
    assert "{PhD} Dissertation" in printed(tmp_path, entry)
    assert "PhD Dissertation" in printed(tmp_path, repair_bibtex(entry))


@pytest.mark.parametrize(
    ("field", "fixed"),
    [("publisher = {Lippincott Williams and Wilkins}",
      "publisher = {{Lippincott Williams and Wilkins}}"),
     ("institution = {Department of Health AND Human Services}",
      "institution = {{Department of Health AND Human Services}}"),
     ('school = "Faculty of Arts and Sciences"', "school = {{Faculty of Arts and Sciences}}"),
     ("publisher = {{Taylor and Francis}}", None),
     ("publisher = {Lippincott Williams \\& Wilkins}", None),
     ("publisher = {Sandoz}", None),
     ("address = {London and New York}", None)],
    ids=["publisher", "institution", "school-quoted", "braced-already", "ampersand",
         "no-and", "place-list"],
)  # fmt: skip
def test_a_publisher_with_and_stays_one_name(field: str, fixed: str | None) -> None:
    entry = f"@book{{key,\n  title = {{T}},\n  {field},\n  year = {{2019}},\n}}\n"
    expected = entry if fixed is None else entry.replace(field, fixed)
    assert repair_bibtex(entry) == expected


def test_a_repaired_publisher_prints_whole(tmp_path: Path) -> None:
    entry = "@book{key,\n  author = {Black, J.},\n  title = {T},\n"
    entry += "  publisher = {Lippincott Williams and Wilkins},\n  year = {2020}\n}\n"
    assert "Williams; Wilkins" in printed(tmp_path, entry)
    assert "Williams and Wilkins" in printed(tmp_path, repair_bibtex(entry))


@pytest.mark.parametrize(
    ("title", "kept"),
    [("Kawasaki disease in Boston children", "Kawasaki disease in {Boston} children"),
     ("Hodgkin lymphoma and Down syndrome: a French cohort",
      "Hodgkin lymphoma and {Down} syndrome: a {French} cohort"),
     ("Activation of T cells by CAR-T therapy", "Activation of {T} cells by {CAR-T} therapy"),
     ("Guillain-Barr{\\'e} syndrome after Zika infection",
      "Guillain-Barr{\\'e} syndrome after {Zika} infection"),
     ("Case of (Crohn's) colitis", "Case of ({Crohn's}) colitis"),
     ("Kawasaki Disease in Boston Children", None),
     ("Outcomes in the U.S. and Europe", None),
     ("Treatment of {Crohn's} disease", None),
     ("Crohn's disease", None)],
    ids=["place", "after-colon", "acronyms", "accent-command", "bracketed", "title-case",
         "title-case-small-words", "braced-already", "first-word-only"],
)  # fmt: skip
def test_capitals_of_a_sentence_case_title_are_kept(title: str, kept: str | None) -> None:
    entry = f"@article{{key,\n  title = {{{title}}},\n  year = {{2019}},\n}}\n"
    expected = entry if kept is None else entry.replace(title, kept)
    assert repair_bibtex(entry) == expected


def test_a_kept_capital_prints(tmp_path: Path) -> None:
    entry = "@article{key,\n  author = {Black, J.},\n  journal = {J},\n"
    entry += "  title = {Kawasaki disease in Boston children},\n  year = {2020}\n}\n"
    assert "in boston children" in printed(tmp_path, entry)
    assert "in Boston children" in printed(tmp_path, repair_bibtex(entry))
