"""Where a character can go in pandoc Markdown without changing what pandoc reads.

The DOCX's anchors (``rendering/anchors.py``) enter the Markdown as private-use
characters, one each, which the DOCX writer's Lua filter turns into bookmarks. A
character is safe where pandoc reads it as part of a word and nothing else: before a
letter or digit that follows a space on the same line, outside brackets, braces, angle
brackets (raw HTML, autolinks), code and math; at the start of a paragraph's first line
unless it starts a list item (``1.``, ``A.``); never on a div or code fence; never in a
table whose column widths count characters (grid, simple and multiline tables, and a
pipe table not already wider than pandoc's 72 columns). ``tests/test_markers.py`` proves
it on each kind of Markdown: the AST pandoc reads is the same with a marker at every
safe offset.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MARKER_BASE = 0xF0000
"""The first marker character: Supplementary Private Use Area-A, which no text uses."""
MAX_MARKERS = 0xFFFE
"""Markers the area holds (U+F0000 to U+FFFFD)."""


def marker(number: int) -> str:
    """The character that stands for marker ``number`` in the Markdown."""
    return chr(MARKER_BASE + number)


_LIST_START = re.compile(r"(?:\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+|#)[.)](?:\s|$)")
"""A line that starts an ordered list item; a marker before it would end the list."""
_RULE = re.compile(r"^[ \t|+:=-]*[-=]{3,}[ \t|+:=-]*$")
"""A table's rule line (pipe, simple, grid and multiline tables), a setext underline or
a horizontal rule: its block is left without markers."""
_DASHES = re.compile(r"^\s*-{3,}\s*$")
"""The first or last line of a multiline table, whose rows are blocks of their own."""
_CODE_FENCE = re.compile(r"^\s*(?:```|~~~)")
_DIV_FENCE = re.compile(r"^\s*:::")


def safe_offsets(text: str, body_start: int = 0) -> list[int]:
    """Every offset of the pandoc Markdown ``text``, from ``body_start`` on, where a marker
    changes nothing pandoc reads, in order."""
    found: list[int] = []
    lines = text[body_start:].split("\n")
    starts = [body_start]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    multiline_table = False  # its rows are blocks of their own
    fenced = False  # inside a fenced code block, which may hold blank lines
    for block in _blocks(lines):
        block_lines = [lines[i] for i in block]
        tabular = multiline_table or any(_RULE.match(line) for line in block_lines)
        pipe = tabular and not multiline_table and _wide_pipe_table(block_lines)
        if _DASHES.match(block_lines[0]) and not _DASHES.match(block_lines[-1]):
            multiline_table = not multiline_table or len(block_lines) == 1
        elif multiline_table and any(_DASHES.match(line) for line in block_lines):
            multiline_table = False
        for n, i in enumerate(block):
            line = lines[i]
            if _CODE_FENCE.match(line):
                fenced = not fenced
                continue
            if fenced or _DIV_FENCE.match(line) or (tabular and (not pipe or _RULE.match(line))):
                continue
            found += (starts[i] + p for p in _safe_in_line(line, n == 0 and not tabular))
    return found


def _wide_pipe_table(lines: list[str]) -> bool:
    """Whether ``lines`` hold a pipe table whose column widths no marker can change.

    pandoc gives a pipe table relative column widths from its separator line's dashes
    when any of its lines is longer than the 72 columns it wraps at; a shorter table gets
    widths from its contents, which a marker, one character more, could change. So only
    a table already wide (by a margin, for characters that take no column) gets markers,
    and those never on the separator line."""
    return any(_PIPE_RULE.match(line) for line in lines) and any(
        len(line) > _WIDE for line in lines if "|" in line
    )


_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$")
_WIDE = 80
"""A pipe table line longer than this makes the table wide (pandoc's limit is 72)."""


def _blocks(lines: list[str]) -> list[list[int]]:
    """The line numbers of each block: the lines between blank lines."""
    blocks: list[list[int]] = []
    current: list[int] = []
    for i, line in enumerate(lines):
        if line.strip():
            current.append(i)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _safe_in_line(line: str, first: bool) -> Iterator[int]:
    """Offsets in ``line`` before a letter or digit that follows a space (or starts a
    paragraph's first line), outside brackets, braces, raw HTML or autolinks, code and
    math: a character there is a character of a word and nothing else."""
    brackets = braces = 0
    angle = code = math = False
    text_before = False
    escaped = False
    for i, c in enumerate(line):
        if escaped:
            escaped = False
            text_before = True
            continue
        if c.isalnum() and not (brackets or braces or angle or code or math):
            if i == 0:
                if first and not _LIST_START.match(line):
                    yield 0
            elif line[i - 1] in " \t" and text_before:
                yield i
        if c == "\\":
            escaped = True
        elif c == "`":
            code = not code
        elif code:
            pass
        elif c == "$":
            math = not math
        elif c == "[":
            brackets += 1
        elif c == "]":
            brackets = max(0, brackets - 1)
        elif c == "{":
            braces += 1
        elif c == "}":
            braces = max(0, braces - 1)
        elif c == "<" and (line[i + 1 : i + 2].isalpha() or line[i + 1 : i + 2] in ("/", "!")):
            angle = True
        elif c == ">":
            angle = False
        if not c.isspace():
            text_before = True
