"""The response to reviewers: ``manuscript/response.yaml`` as typed, frozen dataclasses.

The file holds, for each reviewer (the editor is one too), each comment quoted, the
authors' response, and where the change is in the revised manuscript::

    title: Response to the reviewers            # optional
    manuscript: BLOOD-2024-012345               # the journal's number, optional
    opening: |
      We thank the editor and the reviewers for their careful reading.
    reviewers:
      - id: E                                   # comments are E.1, E.2, ...
        name: Editor
        comments:
          - comment: Please state the dose per kilogram.
            response: We now give it.           # the change: label("E.1") in a template
      - id: R1
        name: Reviewer 1
        comments:
          - comment: The discussion omits antigen escape.
            response: We added a paragraph.
            where: R1-escape                    # another label than the comment's own
          - comment: Is the follow-up long enough?
            response: We updated it to 12 months.
            where: {field: follow_up.at}        # wherever the case data's value is printed
          - comment: Please shorten the introduction.
            response: Done.
            where: {section: introduction}      # or {section: case, paragraph: 2}
          - comment: Well written.
            response: Thank you.                # no change: no place given or labelled

A comment's change is found, in this order: the ``where`` it gives; else a label named
after the comment's id that the templates place; else nowhere (a comment that needed no
change). What the manuscript holds (its labels, sections, fields) is checked where the
letter is written and by ``casekit check``; this module checks the file's own shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from casekit.core.errors import Collector, InputError, Location
from casekit.core.yamlfile import Loaded, load

DEFAULT_TITLE = "Response to the reviewers"


@dataclass(frozen=True)
class Where:
    """Where a change is: a label the templates place, a section (or one of its
    paragraphs), or a field of the case data. ``where: R1.2`` is short for a label."""

    label: str | None = None
    """A label placed by ``label("...")`` in a template."""
    section: str | None = None
    """A section's name in manuscript.yaml's ``sections`` (``discussion``)."""
    paragraph: int | None = None
    """The section's paragraph, counted from 1 (headings, tables and figures aside)."""
    field: str | None = None
    """A dotted field of case.yaml whose printed value changed (``follow_up.status``)."""

    @classmethod
    def parse(cls, text: str) -> Where:
        """The short form: a label's name."""
        return cls(label=text)

    def describe(self) -> str:
        """How the letter and the checks name it: ``label R1.2``, ``section case,
        paragraph 2``, ``case-data field follow_up.status``."""
        if self.label is not None:
            return f"label {self.label}"
        if self.field is not None:
            return f"case-data field {self.field}"
        paragraph = f", paragraph {self.paragraph}" if self.paragraph is not None else ""
        return f"section {self.section}{paragraph}"


@dataclass(frozen=True)
class Comment:
    """One comment of a reviewer, and the authors' answer."""

    comment: str
    """The comment, quoted as the reviewer wrote it (Markdown)."""
    response: str | None = None
    """The authors' response (Markdown); missing while the comment is unanswered."""
    id: str | None = None
    """Its id, e.g. ``R1.2``; by default the reviewer's id and the comment's number."""
    where: Where | None = None
    """Where the change is; by default the label named after the comment's id."""


@dataclass(frozen=True)
class Reviewer:
    """A reviewer (or the editor) and their comments, in the order they wrote them."""

    id: str
    """Short id that begins the ids of the comments: ``R1`` gives R1.1, R1.2..."""
    comments: tuple[Comment, ...]
    """The comments."""
    name: str | None = None
    """The heading the letter gives them (``Reviewer 1``); by default the id."""


@dataclass(frozen=True)
class Response:
    """The whole of ``response.yaml``."""

    reviewers: tuple[Reviewer, ...]
    """The reviewers, the editor among them, in the order the letter answers them."""
    title: str = DEFAULT_TITLE
    """The letter's title."""
    manuscript: str | None = None
    """The journal's number for the manuscript."""
    opening: str | None = None
    """Text before the answers (Markdown)."""
    closing: str | None = None
    """Text after them (Markdown)."""


@dataclass(frozen=True)
class Entry:
    """One comment, with everything decided about it that the file alone decides."""

    reviewer: Reviewer
    """Who made it."""
    number: int
    """Its number among the reviewer's comments, from 1."""
    id: str
    """Its id: given, or the reviewer's id and its number."""
    comment: Comment
    """The comment as written in the file."""
    where: Location
    """The comment's place in response.yaml."""
    field: str
    """Its dotted field in response.yaml (``reviewers.1.comments.0``)."""

    @property
    def answered(self) -> bool:
        """Whether it has a response."""
        return bool(self.comment.response and self.comment.response.strip())


@dataclass(frozen=True)
class Letter:
    """response.yaml read and checked, each comment an :class:`Entry`."""

    loaded: Loaded[Response]
    """The file as read, with the line of every field."""
    entries: tuple[Entry, ...]
    """Every comment, in the order of the file."""

    @property
    def path(self) -> Path:
        """The file."""
        return self.loaded.path

    def where_of(self, entry: Entry) -> Location:
        """The line of a comment's ``where``, else of the comment."""
        return self.loaded.where(f"{entry.field}.where")


def load_response(path: Path) -> Letter:
    """Read ``response.yaml``; every mistake in it is raised at once, each at its line."""
    loaded = load(path, Response)
    errors = Collector()
    entries: list[Entry] = []
    reviewers: dict[str, int] = {}
    ids: dict[str, Location] = {}
    for r, reviewer in enumerate(loaded.value.reviewers):
        here = loaded.where(f"reviewers.{r}.id")
        if reviewer.id in reviewers:
            errors.add(
                InputError(
                    f"reviewer id {reviewer.id!r} is used twice",
                    here,
                    hint="give each reviewer (and the editor) an id of their own: E, R1, R2",
                )
            )
        reviewers.setdefault(reviewer.id, r)
        for c, comment in enumerate(reviewer.comments):
            field = f"reviewers.{r}.comments.{c}"
            entry = Entry(
                reviewer,
                c + 1,
                comment.id or f"{reviewer.id}.{c + 1}",
                comment,
                loaded.where(field),
                field,
            )
            if entry.id in ids:
                errors.add(
                    InputError(
                        f"comment id {entry.id!r} is used twice (first at line "
                        f"{ids[entry.id].line})",
                        loaded.where(f"{field}.id" if comment.id else field),
                        hint="each comment needs its own id: labels in the templates name it",
                    )
                )
            ids.setdefault(entry.id, entry.where)
            if comment.where is not None:
                _check_where(comment.where, loaded.where(f"{field}.where"), errors)
            entries.append(entry)
    errors.raise_if_any()
    return Letter(loaded, tuple(entries))


def _check_where(where: Where, location: Location, errors: Collector) -> None:
    given = [name for name in ("label", "section", "field") if getattr(where, name) is not None]
    hint = (
        "give one of: a label (where: R1.2), {section: NAME}, {section: NAME, paragraph: N}, "
        "or {field: DOTTED.FIELD}"
    )
    if len(given) != 1:
        what = "none" if not given else " and ".join(given)
        errors.add(InputError(f"where names {what}; it takes exactly one place", location, hint))
    elif where.paragraph is not None and where.section is None:
        errors.add(InputError("a paragraph is counted within a section", location, hint))
    if where.paragraph is not None and where.paragraph < 1:
        errors.add(
            InputError(
                f"paragraph {where.paragraph}: paragraphs are counted from 1",
                location,
                hint="the section's first paragraph is paragraph 1",
            )
        )
