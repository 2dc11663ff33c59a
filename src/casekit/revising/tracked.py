"""The tracked-changes DOCX: pandoc's revisions completed so Word and LibreOffice treat
added and removed paragraphs and rows as wholes.

Pandoc's DOCX writer makes each insertion or deletion span a ``w:ins`` or ``w:del``
around its runs. That marks words, but a paragraph added whole would leave an empty
paragraph behind when its insertion is rejected, and a row removed whole an empty row
when its deletion is accepted. So, after pandoc:

- a paragraph (outside a table) whose every run is inserted, or deleted, gets its
  paragraph mark inserted or deleted too (``w:pPr/w:rPr/w:ins``);
- a table row whose every run is inserted or deleted is itself inserted or deleted
  (``w:trPr/w:ins``);
- every revision gets its own ``w:id`` (pandoc counts insertions and deletions
  separately, so the two share numbers);
- the document keeps tracking changes (``w:trackRevisions``), so a co-author's edits are
  tracked too;
- the document's title property is the new title, not the marked-up one.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html import escape

from casekit.typesetting.reference_doc import read_zip, write_zip

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


INS, DEL = _w("ins"), _w("del")


def finish_tracked(docx: bytes, title: str | None = None) -> bytes:
    """Pandoc's tracked DOCX with whole paragraphs and rows marked, unique revision ids,
    change tracking left on, and ``title`` as its title property."""
    parts = read_zip(docx)
    parts["word/document.xml"] = whole_marks(parts["word/document.xml"])
    parts["word/settings.xml"] = _tracking_on(parts["word/settings.xml"].decode("utf-8")).encode()
    if title is not None and "docProps/core.xml" in parts:
        core = parts["docProps/core.xml"].decode("utf-8")
        core = re.sub(
            r"<dc:title>.*?</dc:title>",
            lambda _: f"<dc:title>{escape(title, quote=False)}</dc:title>",
            core,
            count=1,
            flags=re.DOTALL,
        )
        parts["docProps/core.xml"] = core.encode("utf-8")
    return write_zip(parts)


def whole_marks(document: bytes) -> bytes:
    """``word/document.xml`` with paragraph marks and rows of whole changes marked, and
    every revision numbered anew."""
    for prefix, uri in _namespaces(document):
        ET.register_namespace(prefix, uri)
    root = ET.fromstring(document)
    in_cells = {id(p) for cell in root.iter(_w("tc")) for p in cell.iter(_w("p"))}
    for paragraph in root.iter(_w("p")):
        if id(paragraph) not in in_cells:
            change = _whole_change(paragraph)
            if change is not None:
                _paragraph_properties(paragraph).insert(0, _copy(change))
    for row in root.iter(_w("tr")):
        change = _whole_change(row)
        if change is not None:
            _row_properties(row).append(_copy(change))
    ids = [int(v) for e in root.iter() if (v := e.get(_w("id"))) and v.isdigit()]
    serial = max(ids, default=0)
    for element in root.iter():
        if element.tag in (INS, DEL):
            serial += 1
            element.set(_w("id"), str(serial))
    out = io.BytesIO()
    ET.ElementTree(root).write(out, encoding="UTF-8", xml_declaration=True)
    return out.getvalue()


def _namespaces(document: bytes) -> Iterator[tuple[str, str]]:
    for _, (prefix, uri) in ET.iterparse(io.BytesIO(document), events=("start-ns",)):
        yield prefix, uri


def _whole_change(element: ET.Element) -> ET.Element | None:
    """The revision that every run of text inside ``element`` is under, if it is one kind.

    Runs that hold only a space or a tab are left out of the count and then taken into
    that revision: pandoc writes the tab after a reference list number outside the span
    it was given, and a rejected entry must not leave its tab behind."""
    runs = list(_runs(element, None, element))
    changes = [change for run, change, _ in runs if not _blank(run)]
    if not changes or any(c is None for c in changes):
        return None
    kinds = {c.tag for c in changes if c is not None}
    if len(kinds) != 1:
        return None
    first = changes[0]
    assert first is not None
    for run, change, parent in runs:
        if change is None:
            _take_into(run, parent, first)
    return first


def _runs(
    element: ET.Element, change: ET.Element | None, parent: ET.Element
) -> Iterator[tuple[ET.Element, ET.Element | None, ET.Element]]:
    """Each run inside ``element``: the run, the ``w:ins`` or ``w:del`` it is in (None if
    none), and the element it sits in."""
    for child in element:
        if child.tag == _w("r"):
            yield child, change, element
        elif child.tag in (INS, DEL):
            yield from _runs(child, child, child)
        elif child.tag not in (_w("pPr"), _w("trPr"), _w("tcPr")):
            yield from _runs(child, change, child)


def _blank(run: ET.Element) -> bool:
    texts = [e for e in run if e.tag in (_w("t"), _w("delText"))]
    return all(not (e.text or "").strip() for e in texts)


def _take_into(run: ET.Element, parent: ET.Element, change: ET.Element) -> None:
    """Put ``run`` into the revision of its kind beside it, or into a new one like
    ``change`` where it stands."""
    siblings = list(parent)
    index = siblings.index(run)
    parent.remove(run)
    before = siblings[index - 1] if index > 0 else None
    after = siblings[index + 1] if index + 1 < len(siblings) else None
    if before is not None and before.tag == change.tag:
        before.append(run)
    elif after is not None and after.tag == change.tag:
        after.insert(0, run)
    else:
        wrapper = _copy(change)
        wrapper.append(run)
        parent.insert(index, wrapper)
    if change.tag == DEL:
        for text in run.iter(_w("t")):
            text.tag = _w("delText")


def _copy(change: ET.Element) -> ET.Element:
    mark = ET.Element(change.tag)
    for name in (_w("author"), _w("date")):
        value = change.get(name)
        if value is not None:
            mark.set(name, value)
    return mark


def _paragraph_properties(paragraph: ET.Element) -> ET.Element:
    """The paragraph mark's run properties (``w:pPr/w:rPr``), made where missing."""
    properties = paragraph.find(_w("pPr"))
    if properties is None:
        properties = ET.Element(_w("pPr"))
        paragraph.insert(0, properties)
    run = properties.find(_w("rPr"))
    if run is None:
        run = ET.Element(_w("rPr"))
        # w:rPr comes after every other paragraph property but w:sectPr and w:pPrChange.
        later = [i for i, e in enumerate(properties) if e.tag in (_w("sectPr"), _w("pPrChange"))]
        properties.insert(later[0] if later else len(properties), run)
    return run


def _row_properties(row: ET.Element) -> ET.Element:
    properties = row.find(_w("trPr"))
    if properties is None:
        properties = ET.Element(_w("trPr"))
        before = 1 if len(row) and row[0].tag == _w("tblPrEx") else 0
        row.insert(before, properties)
    return properties


def _tracking_on(settings: str) -> str:
    if "<w:trackRevisions" in settings:
        return settings
    # CT_Settings is a sequence: w:trackRevisions goes before w:doNotTrackMoves and
    # w:defaultTabStop, whichever comes first.
    for anchor in ("<w:doNotTrackMoves", "<w:doNotTrackFormatting", "<w:defaultTabStop"):
        if anchor in settings:
            return settings.replace(anchor, "<w:trackRevisions />" + anchor, 1)
    return settings.replace("</w:settings>", "<w:trackRevisions /></w:settings>", 1)
