"""The anchor map inside a DOCX: written as a custom XML part after pandoc, read back.

The map (``rendering/anchors.py``) travels in the DOCX itself, so that a file a
co-author returns by email still says where its text came from, whatever has happened
to ``build/`` since. It is a custom XML part (``customXml/itemN.xml``, the data store
Word keeps for add-ins and LibreOffice carries through a save), whose one element holds
the map as JSON. Adding it rewrites the DOCX's ZIP with every entry's date and
compression as pandoc wrote them, so a build stays byte for byte reproducible.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

from casekit.rendering.anchors import MAP_NAMESPACE, AnchorMap

_ELEMENT = "anchors"
_ITEM_ID = "{5E1C0A4B-CA5E-4B17-8A2D-C45E0000A4C1}"
"""The data-store id of casekit's part (one per DOCX; fixed, for reproducible builds)."""
_RELATIONSHIP_ID = "rIdCasekitAnchors"
_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_CUSTOM_XML_PROPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
)
_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_DOCUMENT_RELS = "word/_rels/document.xml.rels"
_CONTENT_TYPES = "[Content_Types].xml"


def embed_map(docx: bytes, anchor_map: AnchorMap) -> bytes:
    """``docx`` with ``anchor_map`` added as a custom XML part."""
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    names = {info.filename for info, _ in entries}
    number = next(n for n in range(1, len(names) + 2) if f"customXml/item{n}.xml" not in names)
    item = f"customXml/item{number}.xml"
    props = f"customXml/itemProps{number}.xml"
    xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    added = {
        item: f'{xml}<ck:{_ELEMENT} xmlns:ck="{MAP_NAMESPACE}">'
        f"{escape(anchor_map.to_json())}</ck:{_ELEMENT}>",
        props: f'{xml}<ds:datastoreItem ds:itemID="{_ITEM_ID}" xmlns:ds='
        '"http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs>'
        f'<ds:schemaRef ds:uri="{MAP_NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>',
        f"customXml/_rels/item{number}.xml.rels": f"{xml}<Relationships xmlns="
        '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        f'Id="rId1" Type="{_CUSTOM_XML_PROPS}" Target="itemProps{number}.xml"/></Relationships>',
    }
    out = io.BytesIO()
    stamp = next((i.date_time for i, _ in entries if i.filename == "word/document.xml"), None)
    with zipfile.ZipFile(out, "w") as target:
        for info, data in entries:
            if info.filename == _DOCUMENT_RELS:
                data = _add_relationship(data, f"../{item}")
            elif info.filename == _CONTENT_TYPES:
                data = _add_override(data, f"/{props}")
            target.writestr(_copy(info, info.filename), data)
        for name, text in added.items():
            info = zipfile.ZipInfo(name, stamp or (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, text.encode("utf-8"))
    return out.getvalue()


def read_map(archive: zipfile.ZipFile) -> AnchorMap | None:
    """The anchor map a DOCX carries; None when it has none (or one of another version)."""
    import xml.etree.ElementTree as ElementTree

    for name in archive.namelist():
        if not re.fullmatch(r"customXml/item\d+\.xml", name):
            continue
        try:
            root = ElementTree.fromstring(archive.read(name))
        except (ElementTree.ParseError, KeyError, zipfile.BadZipFile, OSError):
            continue
        if root.tag != f"{{{MAP_NAMESPACE}}}{_ELEMENT}":
            continue
        try:
            return AnchorMap.from_json(root.text or "")
        except ValueError:
            return None
    return None


def _copy(info: zipfile.ZipInfo, name: str) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(name, info.date_time)
    copy.compress_type = info.compress_type
    copy.external_attr = info.external_attr
    copy.create_system = info.create_system
    return copy


def _add_relationship(rels: bytes, target: str) -> bytes:
    text = rels.decode("utf-8")
    entry = f'<Relationship Id="{_RELATIONSHIP_ID}" Type="{_CUSTOM_XML}" Target="{target}" />'
    return text.replace("</Relationships>", entry + "</Relationships>", 1).encode("utf-8")


def _add_override(types: bytes, part: str) -> bytes:
    text = types.decode("utf-8")
    entry = f'<Override PartName="{part}" ContentType="{_PROPS_TYPE}" />'
    return text.replace("</Types>", entry + "</Types>", 1).encode("utf-8")
