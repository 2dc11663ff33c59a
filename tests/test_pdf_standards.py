"""The PDF for every reader: PDF/UA-1 and PDF/A-2a validated by Typst, metadata that
names the manuscript (and no author in a review copy), and text that copies as written."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from casekit.building.pipeline import BuildResult, build
from casekit.cli.commands import main
from casekit.core.errors import InputError, ToolError
from tests.conftest import plan_for
from tests.readback import pdf_alt_texts, pdf_structure, pdf_text

SOFT_HYPHEN = "\xad"


def xmp(pdf: Path) -> str:
    """The PDF's XMP metadata packet."""
    root = pypdf.PdfReader(pdf).trailer["/Root"]
    return str(root["/Metadata"].get_object().get_data().decode("utf-8"))


def add_profile(project: Path, name: str, pdf_block: str) -> None:
    """A journal profile like the default one, with its own ``pdf:`` block."""
    journals = project / "templates" / "journals"
    text = (journals / "default.yaml").read_text(encoding="utf-8")
    (journals / f"{name}.yaml").write_text(text + pdf_block, encoding="utf-8")


def test_example_pdf_is_tagged_and_declares_pdf_ua_1_and_pdf_a_2a(
    built_example: BuildResult,
) -> None:
    pdf = built_example.outputs["pdf"]
    reader = pypdf.PdfReader(pdf)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-US"
    packet = xmp(pdf)
    assert "<pdfuaid:part>1</pdfuaid:part>" in packet
    assert "<pdfaid:part>2</pdfaid:part>" in packet
    assert "<pdfaid:conformance>A</pdfaid:conformance>" in packet
    assert reader.pdf_header == "%PDF-1.7"


def test_metadata_carry_title_language_authors_and_keywords(built_example: BuildResult) -> None:
    info = pypdf.PdfReader(built_example.outputs["pdf"]).metadata
    assert info is not None
    assert info.title is not None and info.title.startswith("Tisagenlecleucel followed by")
    assert info.author == "Alex Example, Sam Placeholder, Robin Sample"
    assert "KMT2A rearrangement" in str(info.get("/Keywords"))
    assert "<dc:language><rdf:Bag><rdf:li>en-US</rdf:li>" in xmp(built_example.outputs["pdf"])


def test_review_copy_names_no_author_in_its_metadata(example: Path) -> None:
    result = build(plan_for(example, "pdf", review=True))
    pdf = result.outputs["pdf"]
    info = pypdf.PdfReader(pdf).metadata
    assert info is not None and info.title
    assert info.author is None
    packet = xmp(pdf)
    assert "dc:creator" not in packet and "Alex Example" not in packet
    assert "<pdfuaid:part>1</pdfuaid:part>" in packet


def test_a_profile_chooses_the_standards(example: Path) -> None:
    add_profile(example, "plain", "pdf:\n  accessible: false\n  archival: null\n")
    add_profile(example, "archive-only", "pdf:\n  accessible: false\n  archival: a-2b\n")
    plain = xmp(build(plan_for(example, "pdf", journal="plain")).outputs["pdf"])
    assert "pdfuaid" not in plain and "pdfaid" not in plain
    archived = xmp(build(plan_for(example, "pdf", journal="archive-only")).outputs["pdf"])
    assert "pdfuaid" not in archived
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in archived


def test_an_unknown_pdf_a_level_is_located_in_the_profile(example: Path) -> None:
    add_profile(example, "odd", "pdf:\n  archival: a-9z\n")
    with pytest.raises(InputError) as caught:
        plan_for(example, "pdf", journal="odd")
    assert caught.value.location is not None
    assert caught.value.location.path.name == "odd.yaml"
    assert caught.value.location.line is not None


def _raw_image_without_alt(example: Path) -> int:
    """A raw Typst image in the case section: casekit's checks do not read raw Typst, so
    Typst's own validation is what stops it. Returns the line it is on."""
    case = example / "templates" / "sections" / "case.md.j2"
    text = case.read_text(encoding="utf-8").rstrip("\n")
    raw = 'As drawn: `#image("figures/timeline.svg", width: 10%)`{=typst}.\n'
    case.write_text(text + "\n\n" + raw, encoding="utf-8")
    return text.count("\n") + 3


def test_a_pdf_that_fails_validation_stops_the_build_and_keeps_the_last_pdf(
    example: Path,
) -> None:
    before = build(plan_for(example, "pdf")).outputs["pdf"].read_bytes()
    line = _raw_image_without_alt(example)
    with pytest.raises(ToolError) as caught:
        build(plan_for(example, "pdf"))
    error = caught.value
    assert "PDF/UA-1" in str(error) and "missing alt text" in str(error)
    assert '#image("figures/timeline.svg", width: 10%)' in str(error)
    # At the template line that wrote it, found by its text in the rendered section.
    assert error.location is not None
    assert error.location.path == example / "templates" / "sections" / "case.md.j2"
    assert (error.location.line, error.location.column) == (line, 12)
    assert "alt text" in (error.hint or "")
    assert (example / "build" / "manuscript.pdf").read_bytes() == before


def test_the_validation_error_is_one_line_on_the_command_line(example: Path) -> None:
    line = _raw_image_without_alt(example)
    result = CliRunner().invoke(main, ["build", "pdf", "-C", str(example)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"casekit: templates/sections/case.md.j2:{line}:12: tool error: ")
    assert "Traceback" not in result.output


def test_an_error_in_the_typst_template_itself_names_the_template(example: Path) -> None:
    template = example / "templates" / "pandoc" / "manuscript.typ"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("$body$", '#image("figures/timeline.svg")\n$body$'), "utf-8")
    with pytest.raises(ToolError) as caught:
        build(plan_for(example, "pdf"))
    assert "missing alt text" in str(caught.value)
    assert caught.value.location is not None and caught.value.location.path == template


def test_the_same_image_builds_when_the_profile_turns_ua_off(example: Path) -> None:
    _raw_image_without_alt(example)
    add_profile(example, "plain", "pdf:\n  accessible: false\n  archival: a-2b\n")
    assert build(plan_for(example, "pdf", journal="plain")).outputs["pdf"].is_file()


# Text that copies as written -------------------------------------------------------------

_BREAK_AFTER = re.compile(r"(?<=[-/])\n|(?<=doi:)\n")
"""A line that ends in a real hyphen, a slash or ``doi:`` goes on without a space."""
_WORD = re.compile(r"\S+")
_LETTERS = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")


def copied_words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(_BREAK_AFTER.sub("", text)))


def test_no_soft_hyphen_where_the_source_has_a_hyphen(built_example: BuildResult) -> None:
    text = pdf_text(built_example.outputs["pdf"])
    assert SOFT_HYPHEN not in text
    # The same text as pandoc writes it plainly: prose, without metadata or attributes.
    plain = built_example.outputs["txt"].read_text(encoding="utf-8")
    hyphenated = set(re.findall(r"\b[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+\b", plain))
    assert {"CD19-directed", "KMT2A-rearranged"} <= hyphenated
    words = " ".join(copied_words(text))
    missing = sorted(w for w in hyphenated if w not in words)
    assert not missing, f"hyphenated words the PDF does not copy as written: {missing}"


def test_the_pdf_copies_the_words_the_txt_output_has(built_example: BuildResult) -> None:
    pdf = copied_words(pdf_text(built_example.outputs["pdf"]))
    txt = copied_words(built_example.outputs["txt"].read_text(encoding="utf-8"))

    def words(counted: Counter[str]) -> set[str]:
        return {m for token in counted for m in _LETTERS.findall(token)}

    in_txt, in_pdf = words(txt), words(pdf)
    assert len(in_txt) > 700
    assert in_txt - in_pdf == set(), "words of the text the PDF does not give back"
    # The PDF adds only what is drawn in the figure (axis labels) and the running head.
    assert in_pdf - in_txt <= {"Days"}


def test_ligatures_copy_as_their_letters(built_example: BuildResult) -> None:
    text = pdf_text(built_example.outputs["pdf"])
    assert not re.search("[\ufb00-\ufb06]", text)
    assert re.search(r"\bfirst\b", text) and re.search(r"fl", text)


def test_dois_copy_whole(built_example: BuildResult) -> None:
    text = _BREAK_AFTER.sub("", pdf_text(built_example.outputs["pdf"]))
    printed = re.findall(r"doi:(\S+?)\.?(?:\s|$)", text)
    assert len(printed) >= 20
    store = (built_example.outputs["pdf"].parents[1] / "references.bib").read_text("utf-8")
    dois = {d.lower() for d in re.findall(r"doi\s*=\s*[{\"]([^}\"]+)", store, re.I)}
    assert {d.lower() for d in printed} <= dois


def test_citations_read_as_printed(built_example: BuildResult) -> None:
    text = pdf_text(built_example.outputs["pdf"])
    assert "[1–4]" in text
    assert re.search(r"\[\d+(?:[,–]\d+)*\]", text)


# Tags -----------------------------------------------------------------------------------


def test_title_headings_table_figure_and_reference_list_are_tagged_in_order(
    built_example: BuildResult,
) -> None:
    tags = pdf_structure(built_example.outputs["pdf"])
    kinds = [kind for kind, _ in tags]
    assert kinds[:2] == ["/Document", "/Title"]
    # Headings in the order the manuscript has them.
    markdown = built_example.outputs["md"].read_text(encoding="utf-8")
    levels = [len(m) for m in re.findall(r"^(#+) ", markdown, re.MULTILINE)]
    assert [k for k in kinds if re.fullmatch(r"/H\d", k)] == [f"/H{n}" for n in levels]
    # The table's header row is a header.
    table = kinds.index("/Table")
    assert kinds.index("/THead", table) < kinds.index("/TBody", table)
    assert kinds.count("/TH") == 5
    # The figure, with its alt text, which is not its caption.
    alts = pdf_alt_texts(built_example.outputs["pdf"], "/Figure")
    assert len(alts) == 1 == kinds.count("/Figure")
    alt = alts[0]
    assert alt and not alt.startswith("Figure 1")
    # The reference list: one list, an item per reference, after the last heading.
    assert kinds.count("/L") == 1 and kinds.count("/LI") == 22
    assert kinds.index("/L") > max(i for i, k in enumerate(kinds) if k.startswith("/H"))


def test_equations_carry_their_tex_as_alt_text(example: Path) -> None:
    """PDF/UA-1 wants alt text for every equation; titles in real stores carry TeX math."""
    case = example / "templates" / "sections" / "case.md.j2"
    math = 'Growth was $O(n \\log n)$ with "quotes", Cu$_2$O, and\n\n$$E = mc^2$$\n'
    case.write_text(case.read_text(encoding="utf-8") + "\n\n" + math, encoding="utf-8")
    pdf = build(plan_for(example, "pdf")).outputs["pdf"]
    assert pdf_alt_texts(pdf, "/Formula") == ["O(n \\log n)", "_2", "E = mc^2"]


def test_a_skipped_heading_level_stops_the_build_with_the_heading_quoted(example: Path) -> None:
    """PDF/UA-1 wants heading levels in sequence; Typst says which heading skips."""
    case = example / "templates" / "sections" / "case.md.j2"
    case.write_text(case.read_text("utf-8") + "\n\n#### Flow cytometry\n\nText.\n", "utf-8")
    with pytest.raises(ToolError) as caught:
        build(plan_for(example, "pdf"))
    message = str(caught.value)
    assert "skipped from heading level 2 to 4, at `==== Flow cytometry`" in message
    where = caught.value.location
    assert where is not None and where.path == case
    assert where.line == case.read_text("utf-8").splitlines().index("#### Flow cytometry") + 1
    assert "heading levels must be consecutive" in (caught.value.hint or "")


# Scripts the built-in fonts do not cover ------------------------------------------------


def _square_font(path: Path, characters: str) -> None:
    """A font that sets each of ``characters`` as a square: DejaVu Sans from matplotlib's
    data, renamed, its cmap pointing those characters at its own square glyph."""
    import matplotlib
    from fontTools.ttLib import TTFont

    font = TTFont(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap.update({ord(c): table.cmap[0x25A0] for c in characters})
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "Casekit Test Squares"
        elif record.nameID == 6:
            record.string = "CasekitTestSquares"
    font.save(str(path))


def test_a_script_no_font_covers_is_an_error_until_the_project_brings_a_font(
    example: Path,
) -> None:
    """Thai and Chinese are in no font Typst has built in: under PDF/A the build says so
    (without it, Typst would print empty boxes and say nothing)."""
    case = example / "templates" / "sections" / "case.md.j2"
    case.write_text(
        case.read_text("utf-8") + "\n\nThe family spoke Thai (ภาษาไทย) and 東.\n", "utf-8"
    )
    with pytest.raises(ToolError) as caught:
        build(plan_for(example, "pdf"))
    assert "could not be displayed" in str(caught.value)
    assert "templates/pandoc/fonts/" in (caught.value.hint or "")
    assert caught.value.location is not None and caught.value.location.path == case
    fonts = example / "templates" / "pandoc" / "fonts"
    fonts.mkdir()
    _square_font(fonts / "squares.ttf", "ภาษาไทย東")
    pdf = build(plan_for(example, "pdf")).outputs["pdf"]
    assert "<pdfaid:part>2</pdfaid:part>" in xmp(pdf)
    fonts_used = {
        str(font.get_object()["/BaseFont"])
        for page in pypdf.PdfReader(pdf).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any(name.endswith("CasekitTestSquares") for name in fonts_used), fonts_used
