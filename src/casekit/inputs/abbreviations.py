"""Abbreviations defined at first use, from ``manuscript/abbreviations.yaml``.

``{{ abbr("LVEF") }}`` prints "left ventricular ejection fraction (LVEF)"
the first time in a scope and "HSCT" after that. The abstract is one scope and
the main text another, as journals require. ``start=True`` capitalises the long
form at the start of a sentence; ``article="a"`` prints the article that fits
what is printed ("a left ventricular ejection fraction (LVEF)", later "an LVEF").
The checks of how a manuscript uses them live in ``checks/abbreviations.py``.

An entry is the long form, or, for an acronym read as a word, a mapping that
also gives its article::

    LVEF: left ventricular ejection fraction
    NICE: {long: National Institute for Health and Care Excellence, article: a}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from casekit.core.textfile import read_text
from casekit.core.yamlfile import Loaded, compose, load
from casekit.inputs.prose import Article, article_for_letters, article_for_words, capfirst


@dataclass(frozen=True)
class Abbreviation:
    """One entry of ``abbreviations.yaml``."""

    long: str
    """The long form, as printed at first use."""
    article: Article | None = None
    """The article the short form takes, when it is read as a word (``a NICE``) rather
    than letter by letter (``an LVEF``, decided by its first letter)."""

    @classmethod
    def parse(cls, text: str) -> Abbreviation:
        """The plain form of an entry: just the long form."""
        return cls(text)


@dataclass
class Scope:
    """First-use tracking for one part of the manuscript (abstract or main text)."""

    definitions: dict[str, str]
    """Short form → long form."""
    used: list[str] = field(default_factory=list)
    """Short forms in order of first use through the helper."""
    articles: Mapping[str, Article] = field(default_factory=dict)
    """Short form → its article, for those read as a word."""

    def __call__(self, short: str, start: bool = False, article: str | None = None) -> str:
        """The long form with the short one in brackets at first use, the short form after.

        ``start`` capitalises what begins a sentence (a short form keeps its case);
        ``article`` ("a" or "an", "A" or "An" to start a sentence) puts the article that
        fits the printed text in front of it.
        """
        if article is not None and article.lower() not in ("a", "an"):
            raise ValueError(f"abbr(): article must be 'a' or 'an', not {article!r}")
        if short not in self.definitions:
            import difflib

            close = difflib.get_close_matches(short, self.definitions, n=2)
            raise ValueError(
                f"unknown abbreviation {short!r}"
                + (f"; did you mean {', '.join(close)}?" if close else "")
                + " (define it in manuscript/abbreviations.yaml)"
            )
        start = start or (article is not None and article[:1].isupper())
        if short in self.used:
            text = short
            spoken = self.articles.get(short) or article_for_letters(short)
        else:
            self.used.append(short)
            text = f"{self.definitions[short]} ({short})"
            spoken = article_for_words(self.definitions[short])
            if start and article is None:
                return capfirst(text)
        if article is None:
            return text
        return f"{capfirst(spoken) if start else spoken} {text}"


def load_abbreviations(path: Path) -> Loaded[dict[str, Abbreviation]] | None:
    """The project's abbreviations, or None when it has no abbreviations.yaml."""
    if not path.is_file():
        return None
    if compose(read_text(path), path) is None:  # empty, or comments only
        return Loaded({}, path, {})
    return load(path, dict[str, Abbreviation])


def long_forms(entries: Mapping[str, Abbreviation]) -> dict[str, str]:
    """Short form → long form."""
    return {short: entry.long for short, entry in entries.items()}


def new_scope(entries: Mapping[str, Abbreviation] | None) -> Scope:
    """A fresh first-use scope over the project's entries."""
    entries = entries or {}
    return Scope(
        long_forms(entries),
        articles={s: e.article for s, e in entries.items() if e.article is not None},
    )
