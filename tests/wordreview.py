"""A co-author's review, scripted: Word comments, replies, a resolved thread and tracked
changes added to a DOCX casekit built, by editing its XML as Word would write it."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from html import escape

DATE = "2025-03-14T09:30:00Z"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
RELS = {
    "commentsExtended.xml": (
        "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml",
    ),
    "commentsIds.xml": (
        "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsIds+xml",
    ),
}


_RUN = re.compile(r"<w:r>(<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>)?<w:t[^>]*>([^<]*)</w:t></w:r>")
"""A run of text: its properties (group 1) and its text (group 2)."""


@dataclass
class _Comment:
    id: int
    author: str
    text: str
    para: str
    parent: str | None = None
    done: bool = False


@dataclass
class Review:
    """Edits to one DOCX, made the way Word records them."""

    docx: bytes
    document: str = ""
    comments: list[_Comment] = field(default_factory=list)
    _ids: int = 0

    def __post_init__(self) -> None:
        with zipfile.ZipFile(io.BytesIO(self.docx)) as archive:
            self.document = archive.read("word/document.xml").decode("utf-8")

    def _next(self) -> int:
        self._ids += 1
        return self._ids

    def _run_of(self, target: str, nth: int = 0) -> tuple[int, int, str, str, int, int]:
        """The run whose text holds ``target`` (its ``nth`` such run): where the run starts
        and ends in document.xml, its properties, its text, and where ``target`` is in it."""
        wanted = escape(target, quote=False)
        runs = list(re.finditer(_RUN, self.document))
        found = [m for m in runs if wanted in m.group(2)]
        if len(found) <= nth:
            raise AssertionError(f"no run holds {target!r}")
        run = found[nth]
        text = run.group(2)
        at = text.index(wanted)
        return run.start(), run.end(), run.group(1) or "", text, at, at + len(wanted)

    def _split(self, target: str, nth: int, middle: str) -> None:
        """Replace ``target``'s run by the run before it, ``middle`` (``{run}`` standing
        for ``target`` as a run of its own) and the run after it."""
        start, end, props, text, a, b = self._run_of(target, nth)

        def run(piece: str) -> str:
            return f'<w:r>{props}<w:t xml:space="preserve">{piece}</w:t></w:r>' if piece else ""

        deleted = f'<w:r>{props}<w:delText xml:space="preserve">{text[a:b]}</w:delText></w:r>'
        inner = middle.replace("{run}", run(text[a:b])).replace("{deleted}", deleted)
        self.document = (
            self.document[:start] + run(text[:a]) + inner + run(text[b:]) + self.document[end:]
        )

    def comment(
        self,
        target: str,
        text: str,
        author: str,
        nth: int = 0,
        replies: tuple[tuple[str, str], ...] = (),
        resolved: bool = False,
    ) -> None:
        """A comment on ``target`` (the ``nth`` run holding it), with replies (author,
        text), the thread resolved or not; replies share the comment's range, as in Word."""
        root = _Comment(self._next(), author, text, f"{0x10000000 + self._ids:08X}")
        root.done = resolved
        thread = [root]
        for reply_author, reply_text in replies:
            thread.append(
                _Comment(self._next(), reply_author, reply_text,
                         f"{0x10000000 + self._ids:08X}", root.para, resolved)
            )  # fmt: skip
        self.comments += thread
        starts = "".join(f'<w:commentRangeStart w:id="{c.id}"/>' for c in thread)
        ends = "".join(
            f'<w:commentRangeEnd w:id="{c.id}"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/>'
            f'</w:rPr><w:commentReference w:id="{c.id}"/></w:r>'
            for c in thread
        )
        self._split(target, nth, starts + "{run}" + ends)

    def insert(self, before: str, text: str, author: str, nth: int = 0) -> None:
        """A tracked insertion of ``text`` just before ``before``."""
        number = self._next()
        inserted = (
            f'<w:ins w:id="{number}" w:author="{escape(author)}" w:date="{DATE}"><w:r>'
            f'<w:t xml:space="preserve">{escape(text, quote=False)}</w:t></w:r></w:ins>'
        )
        self._split(before, nth, inserted + "{run}")

    def delete(self, target: str, author: str, nth: int = 0) -> None:
        """A tracked deletion of ``target``."""
        mark = f'<w:del w:id="{self._next()}" w:author="{escape(author)}" w:date="{DATE}">'
        self._split(target, nth, mark + "{deleted}</w:del>")

    def save(self) -> bytes:
        """The DOCX with the review in it."""
        source = zipfile.ZipFile(io.BytesIO(self.docx))
        out = io.BytesIO()
        parts = {
            "word/document.xml": self.document,
            "word/comments.xml": self._comments_xml(),
            "word/commentsExtended.xml": self._extended_xml(),
            "word/commentsIds.xml": self._ids_xml(),
        }
        with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info)
                if info.filename in parts:
                    data = parts.pop(info.filename).encode("utf-8")
                elif info.filename == "word/_rels/document.xml.rels":
                    data = _with_relationships(data.decode("utf-8")).encode("utf-8")
                elif info.filename == "[Content_Types].xml":
                    data = _with_types(data.decode("utf-8")).encode("utf-8")
                target.writestr(info.filename, data)
            for name, text in parts.items():
                target.writestr(name, text)
        return out.getvalue()

    def _comments_xml(self) -> str:
        body = "".join(
            f'<w:comment w:id="{c.id}" w:author="{escape(c.author)}" w:date="{DATE}" '
            f'w:initials="{"".join(w[0] for w in c.author.split())}">'
            f'<w:p w14:paraId="{c.para}" w14:textId="77777777"><w:pPr><w:pStyle '
            'w:val="CommentText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="CommentReference"/>'
            "</w:rPr><w:annotationRef/></w:r><w:r><w:t>"
            f"{escape(c.text, quote=False)}</w:t></w:r></w:p></w:comment>"
            for c in self.comments
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments xmlns:w='
            f'"http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="{W14}">'
            f"{body}</w:comments>"
        )

    def _extended_xml(self) -> str:
        body = "".join(
            f'<w15:commentEx w15:paraId="{c.para}"'
            + (f' w15:paraIdParent="{c.parent}"' if c.parent else "")
            + f' w15:done="{int(c.done)}"/>'
            for c in self.comments
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w15:commentsEx '
            f'xmlns:mc="{MC}" xmlns:w15="{W15}" mc:Ignorable="w15">{body}</w15:commentsEx>'
        )

    def _ids_xml(self) -> str:
        body = "".join(
            f'<w16cid:commentId w16cid:paraId="{c.para}" w16cid:durableId="{0x2000 + c.id:08X}"/>'
            for c in self.comments
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w16cid:commentsIds '
            f'xmlns:mc="{MC}" xmlns:w16cid="{W16CID}" mc:Ignorable="w16cid">{body}'
            "</w16cid:commentsIds>"
        )


def _with_relationships(rels: str) -> str:
    added = "".join(
        f'<Relationship Id="rIdReview{i}" Type="{kind}" Target="{name}"/>'
        for i, (name, (kind, _)) in enumerate(RELS.items())
        if name not in rels
    )
    return rels.replace("</Relationships>", added + "</Relationships>")


def _with_types(types: str) -> str:
    added = "".join(
        f'<Override PartName="/word/{name}" ContentType="{content}"/>'
        for name, (_, content) in RELS.items()
        if f"/word/{name}" not in types
    )
    return types.replace("</Types>", added + "</Types>")
