"""The response to reviewers against the manuscript: what ``casekit check`` reports.

- a comment of ``manuscript/response.yaml`` with no response (``unanswered-comment``);
- a label the response points to that no template places (``unplaced-label``);
- a change a template labels for a comment the response never answers
  (``unanswered-label``): a label no comment names, whether by its id or its ``where``;
- a section, paragraph or case-data field the response points to that the manuscript
  does not have (``unknown-place``).

Where a label or a printed value falls on the page is the letter's business
(``casekit response``); these checks need no PDF.
"""

from __future__ import annotations

from casekit.checks.problems import Problem
from casekit.core.errors import CasekitError
from casekit.core.project import Project
from casekit.inputs.response import load_response
from casekit.rendering.document import Document
from casekit.rendering.targets import case_fields, missing_target


def response_problems(project: Project, document: Document | None) -> list[Problem]:
    """Every problem of the response to reviewers; none for a manuscript not in revision
    (no response.yaml and no label placed)."""
    labels = document.labels if document is not None else ()
    path = project.response_yaml
    if not path.is_file():
        return [
            Problem(
                "unanswered-label",
                label.where,
                f"label {label.name!r} marks a change, but there is no response to reviewers",
                f"write manuscript/response.yaml with the comment {label.name} answers, or "
                "remove the label",
            )
            for label in labels
        ]
    try:
        letter = load_response(path)
    except CasekitError as exc:
        return [Problem.from_error("project-unreadable", error) for error in exc.errors]
    problems = [
        Problem(
            "unanswered-comment",
            entry.where,
            f"comment {entry.id} of {entry.reviewer.name or entry.reviewer.id} has no response",
            "write its `response:` (the letter prints it under the comment)",
        )
        for entry in letter.entries
        if not entry.answered
    ]
    named: dict[str, str] = {}  # label → the comment that points to it
    fields = case_fields(project.case_yaml)
    for entry in letter.entries:
        where = entry.comment.where
        if where is None or where.label is not None:
            named.setdefault(entry.id if where is None else str(where.label), entry.id)
        if where is not None and document is not None:
            missing = missing_target(where, document, fields, letter.where_of(entry))
            if missing is not None:
                code = "unplaced-label" if where.label is not None else "unknown-place"
                problems.append(
                    Problem(code, missing.location, f"comment {entry.id}: {missing.message}",
                            missing.hint)
                )  # fmt: skip
    unanswered = {entry.id for entry in letter.entries if not entry.answered}
    for label in labels:
        comment = named.get(label.name)
        if comment is None:
            problems.append(
                Problem(
                    "unanswered-label",
                    label.where,
                    f"label {label.name!r} marks a change for a comment the response never answers",
                    "name the label after the comment's id (R1.2), or give the comment "
                    f"`where: {label.name}`; remove a label left from an earlier revision",
                )
            )
        elif comment in unanswered:
            problems.append(
                Problem(
                    "unanswered-label",
                    label.where,
                    f"label {label.name!r} marks a change for comment {comment}, which has no "
                    "response yet",
                    f"write the response to {comment} in manuscript/response.yaml",
                )
            )
    return problems
