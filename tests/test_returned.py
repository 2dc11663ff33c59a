"""A returned DOCX read: the text as casekit wrote it, comments with their replies and
resolved marks, tracked insertions and deletions; a file that is no DOCX refused."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from casekit.core.errors import DocxError
from casekit.revising.returned import Returned, read_returned
from casekit.typesetting import pandoc

from .wordreview import Review

MARKDOWN = """# Case

The infant presented with pallor and fever on admission.

She was treated with antibiotics for ten days.
"""


@pytest.fixture(scope="module")
def docx(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("docx")
    (folder / "in.md").write_text(MARKDOWN, encoding="utf-8")
    pandoc.run([str(folder / "in.md"), "-o", str(folder / "out.docx")])
    return (folder / "out.docx").read_bytes()


def _read(tmp_path: Path, data: bytes) -> Returned:
    path = tmp_path / "returned.docx"
    path.write_bytes(data)
    return read_returned(path)


def _edit(data: bytes, name: str, change: object) -> bytes:
    """``data`` with part ``name`` changed by ``change`` (text to text), or dropped (None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == name:
                if change is None:
                    continue
                content = change(content.decode("utf-8")).encode("utf-8")  # type: ignore[operator]
            target.writestr(info.filename, content)
    return out.getvalue()


def test_a_thread_with_replies_and_its_resolved_mark(docx: bytes, tmp_path: Path) -> None:
    review = Review(docx)
    review.comment("pallor and fever", "Which came first?", "Sam Placeholder",
                   replies=(("Alex Example", "The fever."), ("Sam Placeholder", "Thanks.")),
                   resolved=True)  # fmt: skip
    review.comment("ten days", "Check the dose too.", "Robin Sample")
    returned = _read(tmp_path, review.save())
    first, second = returned.marks
    assert (first.kind, first.author, first.text, first.quoted) == (
        "comment", "Sam Placeholder", "Which came first?", "pallor and fever")  # fmt: skip
    assert [(r.author, r.text) for r in first.replies] == [
        ("Alex Example", "The fever."), ("Sam Placeholder", "Thanks.")]  # fmt: skip
    assert first.resolved and not second.resolved
    assert returned.original[first.start : first.end] == "pallor and fever"
    assert (second.quoted, second.replies) == ("ten days", ())


def test_comments_on_one_text_are_one_thread_when_the_file_records_none(
    docx: bytes, tmp_path: Path
) -> None:
    """LibreOffice 7.4 writes no threads: a reply is a comment on the same text."""
    review = Review(docx)
    review.comment("pallor and fever", "Which came first?", "Sam Placeholder",
                   replies=(("Alex Example", "The fever."),))  # fmt: skip
    review.comment("ten days", "Check the dose too.", "Robin Sample")
    data = _edit(review.save(), "word/commentsExtended.xml", None)
    marks = _read(tmp_path, data).marks
    assert [(m.text, [r.text for r in m.replies]) for m in marks] == [
        ("Which came first?", ["The fever."]), ("Check the dose too.", [])]  # fmt: skip


def test_a_comment_on_a_point(docx: bytes, tmp_path: Path) -> None:
    review = Review(docx)
    review.comment("ten days", "Too short?", "Robin Sample")
    data = review.save()
    data = _edit(
        data, "word/document.xml", lambda x: re.sub(r"<w:commentRange\w+ w:id=\"\d+\"/>", "", x)
    )
    (mark,) = _read(tmp_path, data).marks
    assert (mark.kind, mark.start == mark.end, mark.quoted) == ("comment", True, "")


def test_tracked_changes_and_the_text_before_them(docx: bytes, tmp_path: Path) -> None:
    review = Review(docx)
    review.insert("pallor and fever", "marked ", "Sam Placeholder")
    review.delete("for ten days", "Robin Sample")
    returned = _read(tmp_path, review.save())
    insertion, deletion = returned.marks
    assert (insertion.kind, insertion.text, insertion.start == insertion.end) == (
        "insertion", "marked ", True)  # fmt: skip
    assert returned.original[insertion.start :].startswith("pallor and fever")
    assert (deletion.kind, deletion.text) == ("deletion", "for ten days")
    assert returned.original[deletion.start : deletion.end] == "for ten days"
    assert "marked" not in returned.original


def test_a_change_split_over_runs_is_one(docx: bytes, tmp_path: Path) -> None:
    """Word splits an insertion at every change of formatting; one author's one edit at
    one time is one insertion, another author's next to it is another."""
    inserted = "".join(
        f'<w:ins w:id="{n}" w:author="{author}" w:date="2025-01-01T00:00:00Z"><w:r>{props}'
        f"<w:t>{text}</w:t></w:r></w:ins>"
        for n, author, props, text in (
            (91, "Sam", "", "very "),
            (92, "Sam", "<w:rPr><w:i/></w:rPr>", "pale "),
            (93, "Alex", "", "and cold "),
        )
    )
    data = _edit(
        docx,
        "word/document.xml",
        lambda x: x.replace("<w:body>", "<w:body><w:p>" + inserted + "</w:p>", 1),
    )
    marks = _read(tmp_path, data).marks
    assert [(m.author, m.text) for m in marks] == [("Sam", "very pale "), ("Alex", "and cold ")]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: b"not a zip at all", "corrupt Word file: not a ZIP archive"),
        (
            lambda d: _edit(d, "word/document.xml", None),
            "corrupt Word file: it has no word/document.xml",
        ),
        (lambda d: _edit(d, "word/document.xml", lambda x: x[: len(x) // 2]),
         "corrupt Word file: word/document.xml is not well-formed XML"),
        (lambda d: _edit(d, "word/comments.xml", lambda x: "<w:comments"),
         "corrupt Word file: word/comments.xml is not well-formed XML"),
    ],
    ids=["not-a-zip", "no-document", "document-cut-short", "comments-cut-short"],
)  # fmt: skip
def test_a_file_that_is_no_docx_is_refused_at_its_path(
    docx: bytes, tmp_path: Path, make: object, message: str
) -> None:
    path = tmp_path / "returned.docx"
    path.write_bytes(make(docx))  # type: ignore[operator]
    with pytest.raises(DocxError, match=message) as raised:
        read_returned(path)
    assert raised.value.location.path == path
    assert raised.value.hint


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocxError, match="file not found"):
        read_returned(tmp_path / "nowhere.docx")


def test_a_comment_outside_the_body_is_listed_without_a_place(docx: bytes, tmp_path: Path) -> None:
    """A comment whose range is in no part casekit reads (a footnote, a header) is still
    listed, after the others, marked as outside the body."""
    review = Review(docx)
    review.comment("ten days", "Too short?", "Robin Sample")
    review.comment("pallor and fever", "Which first?", "Sam Placeholder")
    data = review.save()
    data = _edit(
        data,
        "word/document.xml",
        lambda x: re.sub(r'<w:comment(?:RangeStart|RangeEnd|Reference) w:id="1"/>', "", x),
    )
    marks = _read(tmp_path, data).marks
    assert [(m.text, m.in_body) for m in marks] == [("Which first?", True), ("Too short?", False)]
