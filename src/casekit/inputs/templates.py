"""The author's template files: where they are, and the Jinja syntax they are written in.

Templates are pandoc Markdown with Jinja. Jinja's default comment marker ``{#``
would swallow pandoc attributes such as ``{#sec-case}``, so comments are written
``{## ... ##}``. A comment can declare something about its template, e.g.
``{## care: 5a 5b ##}`` for the CARE items a section covers. Rendering, the
checks and the privacy gate all read templates through this module.
"""

from __future__ import annotations

import re
from pathlib import Path

COMMENT_START = "{##"
"""Opens a template comment (Jinja's ``comment_start_string``)."""
COMMENT_END = "##}"
"""Closes a template comment (Jinja's ``comment_end_string``)."""
SUFFIX = ".j2"
"""The ending of every template file's name."""

_CODE = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|" + re.escape(COMMENT_START) + r".*?" + re.escape(COMMENT_END),
    re.DOTALL,
)


def template_files(templates: Path) -> list[Path]:
    """Every template file under ``templates``, in a stable order (none when it is absent)."""
    if not templates.is_dir():
        return []
    return sorted(templates.rglob(f"*{SUFFIX}"))


def blank_template_code(text: str) -> str:
    """``text`` with every Jinja expression, tag and comment blanked to spaces.

    Lines and columns stay where they were, so findings in what an author typed can be
    located, and nothing a template computes is mistaken for typed text.
    """
    return _CODE.sub(blank, text)


def blank(match: re.Match[str]) -> str:
    """A match blanked to spaces, its line breaks kept: lines and columns stay put."""
    return re.sub(r"[^\n]", " ", match.group(0))


def declarations(text: str, name: str) -> list[str]:
    """The words declared under ``name`` in ``text``'s comments, in order.

    ``{## care: 5a 5b, 6 ##}`` declares ``["5a", "5b", "6"]`` under ``care``.
    """
    return [word for _, word in located_declarations(text, name)]


def located_declarations(text: str, name: str) -> list[tuple[int, str]]:
    """Each word declared under ``name``, with the 1-based line of its comment's start."""
    # The declared words hold no "#", so a declaration never runs into a later comment.
    pattern = re.compile(
        re.escape(COMMENT_START) + rf"\s*{re.escape(name)}:\s*([^#]*?)\s*" + re.escape(COMMENT_END)
    )
    return [
        (text.count("\n", 0, m.start()) + 1, word)
        for m in pattern.finditer(text)
        for word in m.group(1).replace(",", " ").split()
    ]
