"""Markdown traps: text that pandoc prints differently from what the author typed.

Two traps change the printed words without any error:

- an asterisk or underscore inside a word (``HLA-B*58:01``): two of them in a
  paragraph turn the text between them italic and drop both asterisks;
- text in square brackets that matches a heading (``[Case presentation]``), which
  pandoc turns into a link to it, dropping the brackets.

Nothing is guessed from the source alone: each suspect is confirmed by pandoc.
A part with a ``*`` or ``_`` inside a word is read by pandoc twice, as written and
with those characters escaped; a word is reported only when it prints as typed in
the second reading and not in the first. Bracketed text is reported only when pandoc,
reading the whole document, makes more links of it than the author wrote as links
or reference labels. Deliberate emphasis (``*P*``), links (``[see above](#sec-case)``),
spans (``[x]{.smallcaps}``), citations, code and math are never reported; the
example project shows none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from casekit.checks.problems import Problem
from casekit.core.textfile import locate
from casekit.rendering.document import Part

# What pandoc does not read as emphasis or links, or where an escape would change what
# it reads: code spans (a run of backticks to the same run), TeX math, escaped
# characters, HTML comments and tags, autolinks, attributes ({#fig-a_b}), link targets
# and citation keys (@smith_2019). Blanked before looking for suspects.
_LITERAL = re.compile(
    r"(?P<ticks>`+)(?:.|\n)*?(?<!`)(?P=ticks)(?!`)"
    r"|\$(?=\S)(?:[^$\\]|\\.)*?(?<=\S)\$(?!\d)"
    r"|\\."
    r"|<!--(?:.|\n)*?-->"
    r"|<[A-Za-z/!][^<>\n]*>"
    r"|\{[^{}\n]*\}"
    r"|(?<=\])\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)"
    r"|@[^\s;,\]\[]+"
)
_INTRAWORD = re.compile(r"(?<=[^\W_])[*_]+(?=[^\W_])")
"""An asterisk or underscore run with a letter or digit on each side."""
_BRACKETED = re.compile(r"(?<![!\\^\]])\[(?P<text>[^\[\]@^\s][^\[\]\n]*)\](?![(\[{:])")
"""``[text]`` not followed by what makes it a link, span or definition; not a citation,
footnote or image."""
_SEPARATOR = "<!-- casekit -->"
_DEFINITION = re.compile(r"^ {0,3}\[([^\[\]]+)\]:", re.MULTILINE)


def _blanked(text: str) -> str:
    """``text`` with the literal parts above (code, math, escapes, HTML, attributes, link
    targets, citation keys) replaced by spaces, at the same offsets."""
    return _LITERAL.sub(_blank, text)


def _blank(match: re.Match[str]) -> str:
    found = match.group(0)
    if found[0] in "({":  # keep the brackets: `](` and `]{` still mark a link or a span
        return found[0] + " " * (len(found) - 2) + found[-1]
    return " " * len(found)


def emphasis_suspects(text: str) -> list[re.Match[str]]:
    """Asterisks and underscores inside a word, outside code and math."""
    return list(_INTRAWORD.finditer(_blanked(text)))


def escaped(text: str, suspects: Sequence[re.Match[str]]) -> str:
    """``text`` with each suspect character escaped: what the author meant."""
    out, last = [], 0
    for match in suspects:
        out.append(text[last : match.start()])
        out.append("".join("\\" + c for c in match.group(0)))
        last = match.end()
    return "".join(out) + text[last:]


def emphasis_traps(parts: Iterable[Part], reader: Reader) -> Iterator[Problem]:
    """Words whose in-word ``*`` or ``_`` pandoc reads as markup: each part is read as
    written and with those characters escaped, and a word that prints as typed only in
    the escaped reading lost its asterisks to emphasis."""
    suspects = [(part, found) for part in parts if (found := emphasis_suspects(part.markdown))]
    if not suspects:
        return
    readings = reader.plain_texts(
        [
            text
            for part, found in suspects
            for text in (part.markdown, escaped(part.markdown, found))
        ]
    )
    for index, (part, found) in enumerate(suspects):
        as_written, as_meant = readings[2 * index], readings[2 * index + 1]
        if as_written == as_meant:
            continue
        seen: set[str] = set()
        for match in found:
            token = _word_around(part.markdown, match.start())
            word = token.strip(".,;:!?*_()[]{}\"'")
            if word in seen or as_meant.count(word) <= as_written.count(word):
                continue
            if len(re.findall(rf"{re.escape(match.group(0)[0])}+", token)) > 1:
                continue  # a pair inside one word, as in **t**ag: emphasis on purpose
            seen.add(word)
            yield Problem(
                "markdown-emphasis",
                locate(part.source, re.compile(re.escape(word)), word),
                f"{word!r}: pandoc reads the {match.group(0)!r} inside it as emphasis, so the "
                "text up to the next one prints in italics (or bold) without them",
                "escape it (HLA-B\\*58:01), or put the term in backticks if it is code",
            )


def link_traps(parts: Sequence[Part], document: str, reader: Reader) -> Iterator[Problem]:
    """Bracketed text that pandoc turns into a link (a heading's name, say)."""
    suspects = [
        (part, match) for part in parts for match in _BRACKETED.finditer(_blanked(part.markdown))
    ]
    if not suspects:
        return
    made = _link_texts(reader.document(document))
    written = [
        _normal(m.group(1))
        for part in parts
        for m in re.finditer(r"\[([^\[\]]+)\](?=[(\[])", _blanked(part.markdown))
    ]
    # A reference link's label (`[text]` with `[text]: url` below it) is deliberate.
    defined = {_normal(label).lower() for label in _DEFINITION.findall(document)}
    reported: set[tuple[Path, str]] = set()
    for part, match in suspects:
        text = _normal(match.group("text"))
        if made.count(text) <= written.count(text) or text.lower() in defined:
            continue
        if (part.source, text) in reported:
            continue
        reported.add((part.source, text))
        typed = match.group(0)
        yield Problem(
            "markdown-link",
            locate(part.source, re.compile(re.escape(typed)), typed),
            f"{typed!r}: pandoc reads it as a link to the heading of that name and prints "
            "it without the brackets",
            f"escape the bracket (\\{typed}) to print it as typed, or write the link in "
            f"full: {typed}(#id)",
        )


class Reader:
    """Pandoc's reading of Markdown, as its JSON syntax tree."""

    def plain_texts(self, texts: Sequence[str]) -> list[str]:
        """The words pandoc prints for each text, markup left out (one pandoc run, or
        one per text if a text swallows the separator, as an unclosed code fence would)."""
        source = f"\n\n{_SEPARATOR}\n\n".join(texts)
        read: list[list[Any]] = [[]]
        for block in self.document(source)["blocks"]:
            if block.get("t") == "RawBlock" and block["c"][1] == _SEPARATOR:
                read.append([])
            else:
                read[-1].append(block)
        if len(read) != len(texts):
            read = [self.document(text)["blocks"] for text in texts]
        return [plain_text(blocks) for blocks in read]

    def document(self, markdown: str) -> dict[str, Any]:
        """The JSON syntax tree of ``markdown``, read as the build reads it."""
        from casekit.typesetting import pandoc

        # --quiet: a duplicate reference or note is the build's to report, not this reader's.
        args = ["--sandbox", "--quiet", "--from", "markdown", "--to", "json"]
        tree: dict[str, Any] = json.loads(pandoc.run(args, stdin=markdown))
        return tree


def markdown_traps(parts: Sequence[Part], document: str) -> list[Problem]:
    """Every emphasis and link trap in the rendered document's parts."""
    reader = Reader()
    return [*emphasis_traps(parts, reader), *link_traps(parts, document, reader)]


def _word_around(text: str, index: int) -> str:
    start = index
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = index
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


def _normal(text: str) -> str:
    return " ".join(text.split())


def _link_texts(tree: Any) -> list[str]:
    """The text of every link in a pandoc JSON tree, as plain words."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Link":
                found.append(_normal(plain_text(node["c"][1])))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(tree)
    return found


def plain_text(inlines: Any) -> str:
    """The words of a pandoc JSON tree (inlines or blocks), markup left out."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            kind = node.get("t")
            if kind == "Str":
                out.append(node["c"])
            elif kind in ("Space", "SoftBreak", "LineBreak"):
                out.append(" ")
            elif kind in ("CodeBlock", "RawBlock", "RawInline", "Math"):
                pass  # not prose: its text is not read for markup
            elif kind == "Code":
                out.append(node["c"][1])
            else:
                walk(node.get("c"))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(inlines)
    return "".join(out)
