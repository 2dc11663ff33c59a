"""The Word reference document: pandoc's own default, restyled for manuscript submission.

Pandoc takes the styles, page setup (``w:sectPr``) and footers of DOCX output
from a reference document. casekit derives its reference document from
pandoc's built-in one (which has every style pandoc uses) and changes only the
look: font, size, line spacing, black headings, page numbers in the footer and,
optionally, Word's own line numbering. The ZIP is written with fixed timestamps
and member order so the same options always give the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from casekit.typesetting import pandoc

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_FOOTER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
_FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"


@dataclass(frozen=True)
class DocxLook:
    """How the Word output looks."""

    font: str = "Times New Roman"
    """Body and heading font."""
    size_pt: float = 12
    """Body text size in points."""
    line_spacing: float = 2.0
    """1.0 single, 1.5, 2.0 double."""
    page_numbers: bool = True
    """Page number centred in the footer."""
    line_numbers: bool = False
    """Word line numbering, restarting never (continuous)."""


def make_reference_docx(look: DocxLook) -> bytes:
    """Build the reference document's bytes for ``look``."""
    default = pandoc.run(["--print-default-data-file", "reference.docx"], binary=True)
    parts = read_zip(default)
    parts["word/styles.xml"] = _restyle(parts["word/styles.xml"].decode("utf-8"), look).encode()
    parts["word/document.xml"] = _section(parts["word/document.xml"].decode("utf-8"), look).encode()
    if look.page_numbers:
        parts["word/footer1.xml"] = _FOOTER.encode()
        rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Type="{_FOOTER_REL}" Id="rIdCasekitFooter" Target="footer1.xml" />'
            "</Relationships>",
        )
        parts["word/_rels/document.xml.rels"] = rels.encode()
        types = parts["[Content_Types].xml"].decode("utf-8")
        types = types.replace(
            "</Types>",
            f'<Override PartName="/word/footer1.xml" ContentType="{_FOOTER_TYPE}" /></Types>',
        )
        parts["[Content_Types].xml"] = types.encode()
    return write_zip(parts)


def _restyle(styles: str, look: DocxLook) -> str:
    font = (
        f'<w:rFonts w:ascii="{look.font}" w:hAnsi="{look.font}" '
        f'w:eastAsia="{look.font}" w:cs="{look.font}" />'
    )
    styles = re.sub(r"<w:rFonts [^>]*Theme[^>]*/>", font, styles)
    half_points = round(look.size_pt * 2)
    styles = re.sub(
        r"(<w:rPrDefault>.*?)<w:sz w:val=\"\d+\" />\s*<w:szCs w:val=\"\d+\" />",
        rf'\g<1><w:sz w:val="{half_points}" /><w:szCs w:val="{half_points}" />',
        styles,
        count=1,
        flags=re.DOTALL,
    )
    line = round(240 * look.line_spacing)
    styles = styles.replace(
        '<w:spacing w:after="200" />',
        f'<w:spacing w:after="0" w:line="{line}" w:lineRule="auto" />',
        1,
    )
    # Black headings and title: journals print no colour in a submitted manuscript.
    styles = re.sub(r"<w:color [^>]*/>", "", styles)
    for style_id, (extra_pt, marks) in _HEADINGS.items():
        styles = _restyle_heading(styles, style_id, round((look.size_pt + extra_pt) * 2), marks)
    return styles


_HEADINGS = {
    "Title": (4, "<w:b />"),
    "Heading1": (2, "<w:b />"),
    "Heading2": (0, "<w:b /><w:i />"),
    "Heading3": (0, "<w:i />"),
}
"""Heading style: points above body size, and bold/italic marks."""


def _restyle_heading(styles: str, style_id: str, half_points: int, marks: str) -> str:
    pattern = re.compile(rf'<w:style [^>]*w:styleId="{style_id}".*?</w:style>', re.DOTALL)

    def apply(match: re.Match[str]) -> str:
        block = re.sub(r'<w:sz w:val="\d+" />', f'<w:sz w:val="{half_points}" />', match.group(0))
        block = re.sub(r'<w:szCs w:val="\d+" />', f'<w:szCs w:val="{half_points}" />', block)
        return block.replace("<w:rPr>", f"<w:rPr>{marks}", 1)

    return pattern.sub(apply, styles, count=1)


def _section(document: str, look: DocxLook) -> str:
    # CT_SectPr is an ordered sequence and Word rejects a file that breaks it:
    # footerReference, footnotePr (pandoc's), pgSz, pgMar, lnNumType.
    head = (
        '<w:footerReference w:type="default" r:id="rIdCasekitFooter" />'
        if look.page_numbers
        else ""
    )
    tail = (
        '<w:pgSz w:w="11906" w:h="16838" /><w:pgMar w:top="1418" w:right="1418" '
        'w:bottom="1418" w:left="1418" w:header="709" w:footer="709" w:gutter="0" />'
    )
    if look.line_numbers:
        tail += '<w:lnNumType w:countBy="1" w:distance="284" w:restart="continuous" />'
    if 'xmlns:r="' not in document.split(">", 2)[1]:
        document = document.replace("<w:document ", f'<w:document xmlns:r="{_R}" ', 1)
    return re.sub(
        r"<w:sectPr>(.*?)</w:sectPr>",
        lambda m: f"<w:sectPr>{head}{m.group(1).strip()}{tail}</w:sectPr>",
        document,
        count=1,
        flags=re.DOTALL,
    )


_FOOTER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:ftr xmlns:w="{_W}" xmlns:r="{_R}"><w:p><w:pPr><w:jc w:val="center" /></w:pPr>'
    '<w:r><w:fldChar w:fldCharType="begin" /></w:r>'
    '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate" /></w:r><w:r><w:t>1</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end" /></w:r></w:p></w:ftr>'
)


def read_zip(data: bytes) -> dict[str, bytes]:
    """A DOCX (or any ZIP) as its members' bytes, in their order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_zip(parts: dict[str, bytes]) -> bytes:
    """Members into a ZIP with fixed timestamps: the same parts always give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
