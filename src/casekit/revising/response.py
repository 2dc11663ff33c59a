"""``casekit response``: the point-by-point response to reviewers, as PDF and Word.

For each comment of ``manuscript/response.yaml`` the letter gives the comment, the
authors' response, and where the change is in the line-numbered review copy of the
revised manuscript ("page 4, lines 101–106"), quoting the changed text as printed
there (``revising/places.py``). The review copy is built first when it is not current.
Both files are written together into the revision folder (``build/revision/``, or
``revision/`` in a journal's folder), or neither is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from casekit.building.plan import Plan, output_folder
from casekit.building.prepare import prepare
from casekit.core import atomic
from casekit.core.errors import CasekitError, Collector, InputError, Location
from casekit.core.paths import shown
from casekit.core.project import source_date_epoch
from casekit.data import data_file
from casekit.inputs.response import Entry, Letter, Where, load_response
from casekit.rendering.document import Document
from casekit.rendering.targets import case_fields, missing_target
from casekit.revising.places import Place, review_copy
from casekit.typesetting import pandoc
from casekit.typesetting.typst_pdf import compile_pdf

FOLDER = "revision"
"""The folder, inside the manuscript's output folder, that holds a revision's files."""
LETTER = "response"
"""The letter's file name, before its extension."""
TEMPLATE = "response-letter.typ"
"""The letter's page design (package data)."""


@dataclass(frozen=True)
class Answer:
    """One comment of the letter, and where its change is."""

    entry: Entry
    """The comment, its id and response."""
    where: Where | None
    """The place it points to: its own, else its id's label if placed, else none."""
    places: tuple[Place, ...]
    """Where the change is in the review copy (none for a comment that needed none)."""


@dataclass(frozen=True)
class ResponseLetter:
    """What ``casekit response`` wrote."""

    answers: tuple[Answer, ...]
    """Every comment, in the order of response.yaml."""
    review_pdf: Path
    """The review copy the page and line numbers refer to."""
    outputs: tuple[Path, ...]
    """The letter, as PDF and DOCX."""

    @property
    def unanswered(self) -> tuple[Entry, ...]:
        """The comments without a response."""
        return tuple(a.entry for a in self.answers if not a.entry.answered)


def revision_folder(plan: Plan) -> Path:
    """Where a revision's files go: ``build/revision/``, or ``build/NAME/revision/`` for a
    journal; the same whether the plan is the review copy's or not."""
    return output_folder(plan.project, plan.journal_name, False) / FOLDER


def targets(letter: Letter, document: Document) -> dict[str, Where | None]:
    """What each comment points to: its own ``where``, else the label named after its id
    when a template places one, else nothing. Every place the manuscript lacks is raised
    at once, at its line of response.yaml, before anything is built."""
    errors = Collector()
    placed = {label.name for label in document.labels}
    fields = case_fields(letter.path.parent / "case.yaml")
    chosen: dict[str, Where | None] = {}
    for entry in letter.entries:
        where = entry.comment.where
        if where is None and entry.id in placed:
            where = Where(label=entry.id)
        if where is not None:
            missing = missing_target(where, document, fields, letter.where_of(entry))
            if missing is not None:
                errors.add(missing)
        chosen[entry.id] = where
    errors.raise_if_any()
    return chosen


def write_response(plan: Plan) -> ResponseLetter:
    """Check response.yaml against the manuscript, build the review copy as needed, then
    write the letter as PDF and DOCX."""
    project = plan.project
    if not project.response_yaml.is_file():
        raise InputError(
            "there is no response to reviewers to write",
            Location(project.response_yaml),
            hint="write manuscript/response.yaml: each reviewer's comments, your responses, "
            "and labels around the changes (README: Response to reviewers)",
        )
    letter = load_response(project.response_yaml)
    prepared = prepare(plan)
    chosen = targets(letter, prepared.document)
    copy = review_copy(prepared)
    errors = Collector()
    found: list[Answer] = []
    for entry in letter.entries:
        where = chosen[entry.id]
        places: tuple[Place, ...] = ()
        if where is not None:
            try:
                places = copy.places(where, letter.where_of(entry))
            except CasekitError as exc:
                errors.add(exc)
        found.append(Answer(entry, where, places))
    errors.raise_if_any()
    meta = plan.manuscript.value
    review_pdf = shown(copy.pdf, project.root)
    texts = {
        typst: letter_markdown(letter, tuple(found), meta.title, review_pdf, typst=typst)
        for typst in (True, False)
    }
    written = _write_letter(plan, texts[True], texts[False])
    return ResponseLetter(tuple(found), copy.pdf, written)


def _write_letter(plan: Plan, for_typst: str, for_word: str) -> tuple[Path, ...]:
    """The letter's Markdown typeset by Typst (the letter's own page design) and written
    by pandoc as Word (the project's styles), both into the revision folder or neither."""
    project = plan.project
    epoch = source_date_epoch(project.root)
    out = revision_folder(plan)
    with atomic.all_or_nothing(out) as staged, atomic.workdir(project.build) as work:
        (work / f"{LETTER}.md").write_text(for_typst, encoding="utf-8")
        (work / f"{LETTER}-word.md").write_text(for_word, encoding="utf-8")
        template = work / TEMPLATE
        template.write_bytes(data_file(TEMPLATE).read_bytes())
        env = {"SOURCE_DATE_EPOCH": str(epoch)}
        lang = f"--metadata=lang:{plan.manuscript.value.lang}"
        pandoc.run(
            ["--sandbox", "-f", "markdown", f"{LETTER}.md", lang, "-t", "typst",
             "--template", template.name, "-o", f"{LETTER}.typ"],
            cwd=work,
            env=env,
        )  # fmt: skip
        pdf = compile_pdf(work / f"{LETTER}.typ", work, epoch, plan.pdf.standards, project.fonts)
        pandoc.run(
            ["--sandbox", "-f", "markdown", f"{LETTER}-word.md", lang, "-t", "docx",
             "--reference-doc", str(project.reference_docx), "-o", f"{LETTER}.docx"],
            cwd=work,
            env=env,
        )  # fmt: skip
        docx = (work / f"{LETTER}.docx").read_bytes()
        for name, data in ((f"{LETTER}.pdf", pdf), (f"{LETTER}.docx", docx)):
            staged[out / name] = atomic.stage(out, name, data)
        atomic.commit(staged)
    return tuple(staged)


def letter_markdown(
    letter: Letter,
    found: tuple[Answer, ...],
    manuscript_title: str,
    review_pdf: str,
    typst: bool = False,
) -> str:
    """The letter as pandoc Markdown: a heading per reviewer, then each comment quoted,
    the response, and where the change is, with the changed text as printed. For Typst
    (``typst``), the line that says where is kept on the page of the text it quotes."""
    response = letter.loaded.value
    metadata: dict[str, str] = {"title": response.title, "subtitle": manuscript_title}
    head = yaml.safe_dump(metadata, allow_unicode=True, sort_keys=True)
    lines: list[str] = [f"---\n{head}---", ""]
    if response.manuscript:
        lines += [f"Manuscript {_escaped(response.manuscript)}", ""]
    if response.opening:
        lines += [response.opening.strip(), ""]
    lines += [
        "*Pages and lines refer to the line-numbered review copy of the revised manuscript "
        f"(`{review_pdf}`).*",
        "",
    ]
    reviewer = None
    for answer in found:
        entry = answer.entry
        if entry.reviewer is not reviewer:
            reviewer = entry.reviewer
            lines += [f"# {_escaped(reviewer.name or reviewer.id)}", ""]
        lines += [f"## Comment {_escaped(entry.id)}", ""]
        lines += [_quoted(entry.comment.comment), ""]
        said = (entry.comment.response or "").strip() or "[No response yet.]"
        lines += [f"**Response.** {said}", ""]
        for place in answer.places:
            if place.section is not None:
                said = f"Revised manuscript, {place.describe()}: the section {place.section}."
                lines += [_where_line(said, typst), ""]
            else:
                lines += [_where_line(f"Revised manuscript, {place.describe()}:", typst), ""]
                lines += [_quoted(_escaped(f"“{place.quote}”")), ""]
    if response.closing:
        lines += [response.closing.strip(), ""]
    return "\n".join(lines)


def _where_line(text: str, typst: bool) -> str:
    """The italic line that says where a change is; for Typst, a block that sticks to
    the next, so a page never ends between it and the quoted text."""
    if not typst:
        return f"*{_escaped(text)}*"
    literal = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'```{{=typst}}\n#block(sticky: true, emph("{literal}"))\n```'


def _quoted(text: str) -> str:
    """``text`` as a Markdown block quote."""
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines())


_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+\-!|^~$@])")


def _escaped(text: str) -> str:
    """Printed text as Markdown that prints it again, character for character."""
    return _SPECIAL.sub(r"\\\1", text)


def describe_where(answer: Answer) -> str:
    """One line for the command line: where the change is, or why there is none."""
    if not answer.places:
        return "no change located" if answer.where is None else "not found"
    return "; ".join(place.describe() for place in answer.places)
