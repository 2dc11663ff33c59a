"""The figures filter (src/casekit/data/figures.lua): each image's alt text reaches Typst,
and through it the PDF's structure tree, whatever characters it holds; the figure and
caption around it stay as pandoc writes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.data import data_file
from casekit.typesetting import pandoc

from .readback import pdf_alt_texts

FILTER = str(data_file("figures.lua"))
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10"/></svg>\n'  # noqa: E501

NASTY = {
    "quotes": ('The "peak" on day 5', 'The \\"peak\\" on day 5'),
    "backslash": ("a \\ b \\\\ c", "a \\\\ b \\\\\\\\ c"),
    "typst-markup": (
        "#let x = 1 $x$ *b* _i_ [c] <l> @ref // no comment /* nor this */ `raw`",
        "#let x = 1 $x$ *b* _i_ [c] <l> @ref // no comment /* nor this */ `raw`",
    ),
    "units": (
        "CRP <0.5\u00a0mg/L; 17.4 × 10⁹/L; −0.8 L",
        "CRP <0.5\u00a0mg/L; 17.4 × 10⁹/L; −0.8 L",
    ),
}
"""Alt text as the author means it → as it must stand inside a Typst string."""


def _markdown_attribute(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _typst(markdown: str, *filters: str) -> str:
    args = ["-f", "markdown", "-t", "typst", "--default-image-extension=svg"]
    return str(pandoc.run([*args, *(f"--lua-filter={f}" for f in filters)], stdin=markdown))


@pytest.mark.parametrize("name", list(NASTY))
def test_a_figure_s_alt_text_is_a_typst_string(name: str) -> None:
    alt, escaped = NASTY[name]
    source = f"![Figure 1. The *course*.](figures/x){{#fig-x alt={_markdown_attribute(alt)}}}\n"
    written = _typst(source, FILTER)
    assert f'#figure([#image("figures/x.svg", alt: "{escaped}")],' in written
    # Only the image changed: pandoc's figure, caption and label are as they were.
    plain = _typst(source)
    assert written.replace(f'[#image("figures/x.svg", alt: "{escaped}")]', "X") == plain.replace(
        'image("figures/x.svg")', "X"
    )


def test_an_image_in_a_paragraph_keeps_its_box_and_size() -> None:
    written = _typst('See ![the "rash"](photo.png){width=50% alt="A rash"} here.\n', FILTER)
    assert '#box(image("photo.png", width: 50.0%, alt: "A rash"))' in written


def test_without_alt_a_figure_s_image_is_given_its_caption_as_pandoc_gives_every_writer() -> None:
    written = _typst("![Figure 2. Caption.](figures/y){#fig-y}\n", FILTER)
    assert '#image("figures/y.svg", alt: "Figure 2. Caption.")' in written


def test_an_image_with_no_description_is_left_as_pandoc_writes_it() -> None:
    source = "Inline ![](photo.png) image.\n"
    assert _typst(source, FILTER) == _typst(source)


def test_the_alt_text_reaches_the_pdf_s_structure_tree_as_written(tmp_path: Path) -> None:
    """Typst sets every string as written, and validates PDF/UA-1, which refuses an image
    without alt text; the PDF's structure tree gives back the alt texts unchanged."""
    import typst

    (tmp_path / "figures").mkdir()
    for name in ("x", "y"):
        (tmp_path / "figures" / f"{name}.svg").write_text(SVG, encoding="utf-8")
    alts = [alt for alt, _ in NASTY.values()]
    body = "\n\n".join(
        f"![Figure {n}. Caption.](figures/x){{#fig-{n} alt={_markdown_attribute(alt)}}}"
        for n, alt in enumerate(alts, 1)
    )
    source = f"---\ntitle: Alt text\nlang: en\n---\n\n{body}\n\nIn text ![A box](figures/y).\n"
    args = ["-f", "markdown", "-t", "typst", "-s", "--default-image-extension=svg"]
    typ = tmp_path / "doc.typ"
    typ.write_text(str(pandoc.run([*args, f"--lua-filter={FILTER}"], stdin=source)), "utf-8")
    pdf = tmp_path / "doc.pdf"
    typst.compile(str(typ), output=str(pdf), root=str(tmp_path), pdf_standards=["ua-1"])
    assert pdf_alt_texts(pdf, "/Figure") == [*alts, "A box"]


def test_without_the_filter_typst_refuses_the_pdf_ua_file(tmp_path: Path) -> None:
    """What the filter is for (pandoc 3.9's typst writer prints no alt): if pandoc learns
    to, this fails and the filter's typst branch can go."""
    import typst

    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "x.svg").write_text(SVG, encoding="utf-8")
    source = '---\ntitle: T\nlang: en\n---\n\n![Figure 1. C.](figures/x){#fig-x alt="A box"}\n'
    args = ["-f", "markdown", "-t", "typst", "-s", "--default-image-extension=svg"]
    typ = tmp_path / "doc.typ"
    typ.write_text(str(pandoc.run(args, stdin=source)), encoding="utf-8")
    with pytest.raises(typst.TypstError, match="missing alt text"):
        typst.compile(str(typ), root=str(tmp_path), pdf_standards=["ua-1"])


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
"""A one-pixel PNG."""


@pytest.mark.parametrize(
    ("writer", "printed"),
    [("html5", 'alt="A rash"'), ("jats_archiving", "<alt-text>A rash</alt-text>"),
     ("docx", 'descr="A rash"')],
    ids=["html", "jats", "docx"],
)  # fmt: skip
def test_every_writer_reads_an_inline_image_s_alt_attribute(
    tmp_path: Path, writer: str, printed: str
) -> None:
    """Pandoc keeps an inline image's alt= beside its description and only the html5
    writer reads it; the filter makes it the description, which every writer prints."""
    import zipfile

    (tmp_path / "photo.png").write_bytes(PNG)
    source = 'See ![the words beside it](photo.png){alt="A rash"} here.\n'
    args = ["-f", "markdown", "-t", writer, f"--lua-filter={FILTER}", "-o", "out"]
    pandoc.run(args, stdin=source, cwd=tmp_path)
    out = tmp_path / "out"
    text = (
        zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
        if writer == "docx"
        else out.read_text(encoding="utf-8")
    )
    assert printed in text
    assert "the words beside it" not in text


def test_plain_text_prints_a_figure_as_its_caption_not_its_alt_text() -> None:
    """The plain writer prints a figure as its image's description alone; plain text has no
    picture, so it reads the caption, as it did before figures had alt text of their own."""
    source = '![Figure 1. The *course*.](figures/x){#fig-x alt="A line that falls"}\n'
    args = ["-f", "markdown", "-t", "plain", f"--lua-filter={FILTER}"]
    assert str(pandoc.run(args, stdin=source)).strip() == "[Figure 1. The course.]"
