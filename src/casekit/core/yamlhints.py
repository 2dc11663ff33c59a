"""The YAML traps authors fall into, recognised from the offending line, with a hint.

PyYAML describes the state of its parser ("mapping values are not allowed in this
context", "found character that cannot start any token"); an author needs to know
what to type instead. Each trap is one function of :data:`TRAPS`, given the line,
the column PyYAML points at and its message; the first that recognises the line
gives the hint. Some traps are valid YAML that means something else
(``{value: 1,250}`` is ``value: 1`` and a key ``250``): the converter recognises
those by the shape of the nodes and asks :func:`comma_in_braces` or
:func:`brackets_around_text` for the hint.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_QUOTED = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'""")
_COMMENT = re.compile(r"(^|\s)#.*$")
_NUMBER_WITH_COMMA = re.compile(r"\d+(?:,\d+)+")
# `key: value` or `- value` (block style): the key, and the value as written.
_ENTRY = re.compile(r"^\s*(?:-\s+)*(?:([^\s:{}\[\]\"'#&*!|>@`%-][^:{}\[\]]*?):(?:\s+|$))?(.*)$")
# Longer lines (a minified file) are cut to this length before they are searched.
_LONGEST = 1000


@dataclass(frozen=True)
class Trouble:
    """Where PyYAML stopped, and what it said."""

    line: str
    """The offending line, without its newline."""
    column: int
    """0-based column PyYAML points at."""
    problem: str
    """PyYAML's message, e.g. ``found undefined alias``."""
    context: str
    """What PyYAML was doing, e.g. ``while scanning an anchor``; may be empty."""

    def char(self, offset: int = 0) -> str:
        """The character at ``column + offset``, or "" past either end."""
        at = self.column + offset
        return self.line[at] if 0 <= at < len(self.line) else ""


def syntax_hint(trouble: Trouble) -> str | None:
    """A hint for a YAML syntax error, when the line shows a known trap."""
    if len(trouble.line) > _LONGEST:
        trouble = Trouble(trouble.line[:_LONGEST], trouble.column, trouble.problem, trouble.context)
    for trap in TRAPS:
        hint = trap(trouble)
        if hint:
            return hint
    return None


def comma_in_braces(line: str) -> str:
    """The hint for a key without a value in ``{ }``: an unquoted comma split an item,
    as in ``{value: 1,250, unit: ng/L}`` (which YAML reads as ``value: 1`` and a key
    ``250``)."""
    bare = _COMMENT.sub("", _QUOTED.sub('""', line[:_LONGEST]))
    number = _NUMBER_WITH_COMMA.search(bare)
    if number is None:
        return 'a comma inside { } separates items: quote text that holds one, e.g. "a, b"'
    written = number.group()
    groups = written.split(",")
    # 1,250 has a thousands separator, 5,2 a decimal comma
    meant = "".join(groups) if all(len(g) == 3 for g in groups[1:]) else ".".join(groups[:2])
    return (
        "a comma inside { } or [ ] separates items: write the number without it "
        f"({meant}), or quote text that holds one ({_quoted(written)})"
    )


def brackets_around_text(source: str) -> str:
    """The hint for ``{ }`` or ``[ ]`` written where text belongs, as in
    ``note: {troponin 1,250 ng/L}``: ``source`` is the collection as written."""
    what = "a mapping" if source.startswith("{") else "a list"
    text = source[1:-1].strip()
    example = f", e.g. {_quoted(text)}" if text and "\n" not in text else ""
    return (
        f"{source[:1]} {source[-1:]} around text make {what}, and a comma inside separates "
        f"items: drop them and quote the text{example}"
    )


def _tab(trouble: Trouble) -> str | None:
    if "\t" in trouble.line[: trouble.column + 1]:
        return "YAML indentation must use spaces, not tabs"
    return None


def _colon_in_value(trouble: Trouble) -> str | None:
    # `note: ratio 2: 1`: the second colon-space would start a mapping inside a value.
    if trouble.char() != ":" or trouble.char(1) not in ("", " ", "\t"):
        return None
    before = trouble.line[: trouble.column]
    if ": " not in before:
        return None  # a key at the wrong indentation, not a colon inside a value
    return "a colon followed by a space inside a value starts a mapping: " + _quote_it(trouble.line)


def _alias_or_anchor(trouble: Trouble) -> str | None:
    # `note: *starred` refers to an anchor that does not exist; `note: & text` is
    # an anchor without a name.
    alias = "alias" in trouble.problem or "alias" in trouble.context
    anchor = "anchor" in trouble.context
    if not (alias or anchor):
        return None
    mark = "*" if alias else "&"
    what = "alias (a reference to an &anchor)" if alias else "anchor (a name for reuse)"
    return f"a value starting with {mark} is a YAML {what}, not text: " + _quote_it(trouble.line)


def _reserved_start(trouble: Trouble) -> str | None:
    # `note: @home`, `note: `code``: characters YAML keeps for itself.
    if "cannot start any token" not in trouble.problem or trouble.char() not in ("@", "`", "%"):
        return None
    return f"YAML does not allow {trouble.char()} at the start of a value: " + _quote_it(
        trouble.line
    )


def _quote_inside_quotes(trouble: Trouble) -> str | None:
    # `note: 'it's'`: the text ended at the apostrophe, and PyYAML stumbles after it.
    quote = trouble.char(-1)
    if quote not in ("'", '"'):
        return None
    value = _ENTRY.match(trouble.line)
    text = value.group(2).strip() if value else ""
    if not text.startswith(quote) or len(text) < 3:
        return None
    if quote == "'":
        return "inside '...' an apostrophe ends the text: write it twice ('it''s'), or use \"...\""
    return 'inside "..." a double quote ends the text: write it as \\", or use \'...\''


TRAPS: tuple[Callable[[Trouble], str | None], ...] = (
    _tab,
    _colon_in_value,
    _alias_or_anchor,
    _reserved_start,
    _quote_inside_quotes,
)
"""The traps, most specific first."""


def _quote_it(line: str) -> str:
    """``quote the value, e.g. note: "ratio 2: 1"`` for the value on ``line``."""
    entry = _ENTRY.match(_COMMENT.sub("", line))
    key, value = (entry.group(1), entry.group(2).strip()) if entry else (None, "")
    if not value or value[0] in "{[":
        return "quote the value"
    example = f"{key}: {_quoted(value)}" if key else _quoted(value)
    return f"quote the value, e.g. {example}"


def _quoted(text: str) -> str:
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"
