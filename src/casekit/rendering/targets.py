"""What a response to reviewers points to in the rendered manuscript, checked once.

A comment of ``response.yaml`` points to a label the templates place, a section, one of
its paragraphs, or a case-data field (``inputs/response.py``). Whether the manuscript
has it is decided here, for ``casekit check`` and for the letter alike: the paragraphs
of a section are counted one way, and a mistake reads the same in both.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from pathlib import Path

from casekit.core.errors import CasekitError, InputError, Location
from casekit.core.yamlfile import scalars
from casekit.inputs.response import Where
from casekit.rendering.document import Document

_HEADING = re.compile(r"^#{1,6}\s", re.MULTILINE)
_FENCED = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_NOT_PARAGRAPH = re.compile(r"\s*(#{1,6}\s|\||:\s|!\[|:::|```|~~~|<!--|\+-)")
LABEL_HINT = 'wrap the changed text in {{% call label("{name}") %}}…{{% endcall %}}'


def heading_count(markdown: str) -> int:
    """How many headings pandoc reads in ``markdown`` (ATX headings outside code)."""
    return len(_HEADING.findall(_FENCED.sub("", markdown)))


def paragraph_texts(markdown: str) -> list[str]:
    """The paragraphs of ``markdown`` as a reader counts them: blocks of text between
    blank lines, headings, tables, captions, figures and fenced blocks aside."""
    blocks = re.split(r"\n[ \t]*\n", _FENCED.sub("", markdown))
    return [b for b in blocks if b.strip() and not _NOT_PARAGRAPH.match(b)]


def case_fields(case_yaml: Path) -> frozenset[str]:
    """Every dotted field of case.yaml, mappings and lists included (``patient``,
    ``patient.age``, ``patient.age.value``); none when the file cannot be read (its own
    problems are reported where it is read)."""
    try:
        text = case_yaml.read_text(encoding="utf-8")
        leaves = [scalar.field.split(".") for scalar in scalars(text, case_yaml)]
    except (OSError, UnicodeDecodeError, CasekitError):
        return frozenset()
    return frozenset(".".join(parts[:n]) for parts in leaves for n in range(1, len(parts) + 1))


def missing_target(
    where: Where, document: Document, fields: Collection[str], at: Location
) -> InputError | None:
    """Why the manuscript has nothing where ``where`` points, located at ``at`` (its line
    in response.yaml); None when it has."""
    if where.label is not None:
        if any(label.name == where.label for label in document.labels):
            return None
        return InputError(
            f"no template places label {where.label!r}",
            at,
            hint=_closest(where.label, {label.name for label in document.labels})
            or LABEL_HINT.format(name=where.label),
        )
    if where.field is not None:
        if where.field in fields:
            return None
        return InputError(
            f"case.yaml has no field {where.field!r}",
            at,
            hint=_closest(where.field, fields)
            or "name it by its dotted path, as casekit's errors do: follow_up.status",
        )
    sections = {s.name: s for s in document.sections}
    section = sections.get(where.section or "")
    if section is None:
        return InputError(
            f"the manuscript has no section {where.section!r}",
            at,
            hint=_closest(where.section or "", sections) or "sections: " + ", ".join(sections),
        )
    count = len(paragraph_texts(section.markdown))
    if where.paragraph is not None and where.paragraph > count:
        return InputError(
            f"section {where.section!r} has {count} paragraphs, not {where.paragraph}",
            at,
            hint="paragraphs are counted from 1, headings, tables and figures aside",
        )
    return None


def _closest(name: str, known: Iterable[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f"did you mean {close[0]!r}?" if close else None
