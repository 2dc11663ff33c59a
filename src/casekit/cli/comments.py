"""A returned DOCX's comments and tracked changes as text for a terminal, or as JSON.

Each remark is one line that starts with the place to edit, as an error line does
(``templates/sections/case.md.j2:16:395: comment by ...``), so an editor that jumps to
compiler messages jumps to it; replies follow, indented."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from casekit.core.paths import shown
from casekit.revising.comments import Comments, Remark


def text_lines(comments: Comments, root: Path, cwd: Path) -> list[str]:
    """The remarks, their replies, a summary and what to keep in mind about the places."""
    name = shown(comments.docx, cwd)
    lines: list[str] = []
    for remark in comments.remarks:
        where = remark.location(root).describe(root) if remark.place.file else name
        lines.append(f"{where}: {_what(remark)}")
        lines += [
            f"    reply by {r.author}{_day(r.date)}: {_one_line(r.text)}" for r in remark.replies
        ]
    lines.append(_summary(comments, name))
    if not comments.anchored:
        lines.append(
            f"note: {name} carries no casekit anchors: places were found by matching its text "
            "against the manuscript as the project renders it now"
        )
    for file in comments.changed:
        lines.append(
            f"note: {file} changed since {name} was built: its line numbers are those of the "
            "version the DOCX was built from"
        )
    return lines


def json_data(comments: Comments) -> list[dict[str, Any]]:
    """The remarks as JSON (docs/comments.md lists the fields)."""
    return [remark.to_json() for remark in comments.remarks]


def _what(remark: Remark) -> str:
    flags = [
        *(["generated from the data"] if remark.place.generated else []),
        *(["resolved"] if remark.resolved else []),
        *(["file changed since"] if remark.stale else []),
    ]
    head = f"{remark.kind} by {remark.author or 'unknown'}{_day(remark.date)}"
    if flags:
        head += f" ({', '.join(flags)})"
    if not remark.place.file:
        head += " (no source found: it is outside the body, or no text near it matches)"
    if remark.kind == "comment":
        on = f" on “{_short(remark.quoted)}”" if remark.quoted else ""
        return f"{head}{on}: {_one_line(remark.text)}"
    if remark.kind == "insertion":
        where = f" before “{_short(remark.after)}”" if remark.after.strip() else ""
        if not where and remark.before.strip():
            where = f" after “{_short(remark.before)}”"
        return f"{head}: +“{_inline(remark.text)}”{where}"
    return f"{head}: −“{_inline(remark.text)}”"


def _summary(comments: Comments, name: str) -> str:
    counts = [
        _count(comments.count("comment"), "comment"),
        _count(comments.count("insertion"), "insertion"),
        _count(comments.count("deletion"), "deletion"),
    ]
    resolved = sum(1 for r in comments.remarks if r.resolved)
    if resolved:
        counts[0] += f" ({resolved} resolved)"
    generated = sum(1 for r in comments.remarks if r.place.generated)
    text = f"{name}: {', '.join(counts)}"
    if generated:
        text += f"; {generated} on text casekit generated from the data"
    return text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _day(date: str | None) -> str:
    return f", {date[:10]}" if date else ""


def _one_line(text: str) -> str:
    return " / ".join(part.strip() for part in text.splitlines() if part.strip())


def _inline(text: str) -> str:
    """Inserted or deleted text on one line, its spaces kept (they are part of the edit)."""
    return text.replace("\n", " / ")


def _short(text: str, width: int = 60) -> str:
    text = _one_line(text)
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"
