"""The printed reference list: what a reader sees, read back and checked for defects.

A reference list can be numbered correctly and still print nonsense: a role label
glued to a name ("In, editorsJones A, Lee B."), an entry that starts with a comma, an
empty entry (a biblatex ``@set``), braces or backslashes pandoc did not understand, a
LaTeX command printed as typed (``\\url{...}``). Each defect is found in the entries
every readable output prints (``typesetting/readback.py``) and reported once per entry,
naming the outputs that print it. The list is in citation order (casekit's styles number
by first citation), so entry N is the Nth cited key, and the problem points at that
key's line in references.bib.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from casekit.checks.problems import Problem
from casekit.core.errors import Location
from casekit.references.store import Store

_ROLES = (
    "editor", "editors", "ed.", "eds.", "translator", "translators", "trans.", "compiler",
    "compilers", "director", "directors", "illustrator", "illustrators", "organizer",
    "organizers", "reviewer", "reviewers", "interviewer", "hrsg.", "éd.", "éds.",
)  # fmt: skip
"""Role labels as CSL locales print them (lower case, or with a capital first letter)."""
_ROLE = re.compile(
    r"\b(?:"
    + "|".join(f"[{r[0]}{r[0].upper()}]{re.escape(r[1:])}" for r in sorted(_ROLES, key=len)[::-1])
    + r")(?=\w)"
)
"""A role label followed directly by a letter: glued when that letter is a capital."""
_COMMAND = re.compile(r"\\[A-Za-z]+\*?\s*(?:\{[^{}]*\}|\[[^\]]*\])*")
_BRACES = re.compile(r"[{}]|\\(?![A-Za-z])")
_CONTEXT = 30
"""Characters of the entry shown on either side of a defect."""


@dataclass(frozen=True)
class Defect:
    """One kind of defect a printed entry can have: a row of :data:`DEFECTS`."""

    code: str
    """Problem code (``checks/problems.py``)."""
    what: str
    """What is wrong, after the excerpt."""
    hint: str
    """How to fix it."""


DEFECTS: dict[str, Defect] = {
    d.code: d
    for d in (
        Defect(
            "printed-role-label",
            "a role label glued to a name",
            "the style's <names> has a <label> but no <name>, and pandoc prints the label "
            "first; casekit repairs the catalogue's styles (references/repairs.py): in your "
            "own .csl, put <name/> before the <label>",
        ),
        Defect(
            "printed-punctuation-start",
            "the entry starts with punctuation",
            "the entry prints nothing where the style puts the author: give it an author or "
            "editor, or see printed-role-label if a label follows",
        ),
        Defect(
            "printed-empty-entry",
            "the entry prints nothing",
            "pandoc cannot print this entry (a biblatex @set, or a type it does not know): "
            "cite the works themselves",
        ),
        Defect(
            "printed-latex-command",
            "a LaTeX command printed as typed",
            "pandoc copies url, doi and eprint verbatim and drops commands it does not know "
            "elsewhere: write the plain value in references.bib",
        ),
        Defect(
            "printed-braces",
            "a brace or backslash printed as typed",
            "pandoc could not read this as LaTeX: write the character itself in "
            'references.bib (ü, not {\\"u}; %, not \\%)',
        ),
    )
}
"""Every defect looked for, by code; nothing else lists them."""


def defects(entry: str) -> Iterator[tuple[str, str]]:
    """(code, excerpt) for each kind of defect in one printed entry (number left off)."""
    text = entry.strip()
    if not text:
        yield "printed-empty-entry", ""
        return
    if re.match(r"[,.;:)\]]", text):
        yield "printed-punctuation-start", _excerpt(text, 0, 1)
    glued = next((m for m in _ROLE.finditer(text) if text[m.end()].isupper()), None)
    if glued is not None:
        yield "printed-role-label", _excerpt(text, glued.start(), glued.end() + 1)
    command = _COMMAND.search(text)
    if command is not None:
        yield "printed-latex-command", _excerpt(text, command.start(), command.end())
    rest = _COMMAND.sub("", text)  # a command is reported as one, not for its braces
    brace = _BRACES.search(rest)
    if brace is not None:
        yield "printed-braces", _excerpt(rest, brace.start(), brace.end())


def _excerpt(text: str, start: int, end: int) -> str:
    before = max(0, start - _CONTEXT)
    after = min(len(text), end + _CONTEXT)
    return ("…" if before else "") + text[before:after] + ("…" if after < len(text) else "")


def reference_list_problems(
    printed: Mapping[Path, Sequence[str]], cited: Sequence[str], store: Store | None
) -> list[Problem]:
    """One problem per defect of each printed entry, naming every output that prints it.

    ``printed`` holds each output's entries in order; ``cited`` the cited keys in order
    of first citation. An entry maps back to its key (and the key's line in the store)
    when the output lists exactly the cited keys."""
    found: dict[tuple[int, str], tuple[str, list[Path]]] = {}
    for path, entries in printed.items():
        for number, entry in enumerate(entries, start=1):
            for code, excerpt in defects(entry):
                found.setdefault((number, code), (excerpt, []))[1].append(path)
    problems = []
    for (number, code), (excerpt, paths) in sorted(found.items()):
        mapped = all(len(printed[p]) == len(cited) for p in paths)
        key = cited[number - 1] if mapped else None
        stored = store.entries.get(key) if store is not None and key is not None else None
        where = (
            Location(store.path, stored.line, None, key)
            if store is not None and stored is not None
            else Location(paths[0])
        )
        which = f"reference {number}" + (f" ({key})" if key else "")
        names = ", ".join(sorted({p.name for p in paths}))
        defect = DEFECTS[code]
        said = f"{which} in {names}: {defect.what}" + (f": {excerpt!r}" if excerpt else "")
        problems.append(Problem(code, where, said, defect.hint))
    return problems
