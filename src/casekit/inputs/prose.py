"""How a helper's text fits the sentence around it: a capital first letter, and a or an.

The indefinite article goes by the first sound. A word takes "an" before a vowel
letter and "a" before a consonant, except the words listed in
``data/articles.yaml`` ("a unilateral", "a European", "an hour"). An
abbreviation read letter by letter goes by the name of its first letter: "an
LVEF" (el), "an HSCT" (aitch), "a CAR-T" (see). An acronym read as a word takes
the article its entry in ``abbreviations.yaml`` gives (``article: a``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from casekit.core.yamlfile import load
from casekit.data import data_file

Article = Literal["a", "an"]

LETTERS_WITH_A_VOWEL_SOUND = frozenset("aefhilmnorsx")
"""Letters whose names begin with a vowel sound: a, e, ef, aitch, i, el, em, en, o, ar, es,
ex."""

_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Sounds:
    """Beginnings of words whose first sound is not what their first letter suggests."""

    a: tuple[str, ...]
    """A vowel letter read with a consonant sound ("uni", "eu", "one")."""
    an: tuple[str, ...]
    """A silent consonant, or an exception to an exception ("hour", "unin")."""


@functools.cache
def _sounds() -> dict[str, Article]:
    sounds = load(data_file("articles.yaml"), Sounds).value
    return {**dict.fromkeys(sounds.a, "a"), **dict.fromkeys(sounds.an, "an")}


def capfirst(text: str) -> str:
    """The first letter upper-cased and the rest kept: ``cardiac MRI`` → ``Cardiac MRI``.

    Leading punctuation is skipped (``*left*`` → ``*Left*``); text that starts with a
    digit is left as it is.
    """
    for index, char in enumerate(text):
        if char.isalnum():
            return text[:index] + char.upper() + text[index + 1 :] if char.isalpha() else text
    return text


def article_for_letters(short: str) -> Article:
    """The article before an abbreviation read letter by letter (or a number): ``an LVEF``,
    ``a CAR-T``, ``an 18F-FDG``, ``a 5-FU``."""
    number = _NUMBER.match(short)
    if number:
        digits = number.group(0)
        # eight, eighty..., eleven, eighteen (and their thousands: eleven thousand).
        spoken_an = digits.startswith("8") or (len(digits) % 3 == 2 and digits[:2] in ("11", "18"))
        return "an" if spoken_an else "a"
    first = next((c for c in short if c.isalpha()), "")
    return "an" if first.lower() in LETTERS_WITH_A_VOWEL_SOUND else "a"


def article_for_words(text: str) -> Article:
    """The article before a phrase, by its first word: ``an acute``, ``a unilateral``,
    ``an hour``; a first word in capitals (``HLA-B27``) is read letter by letter."""
    word = next(iter(text.split()), "")
    head = word.split("-")[0].strip("*_([\"'“‘")
    if head and (head.isupper() or head[0].isdigit() or len(head) == 1):
        return article_for_letters(head)
    lower = head.lower()
    sounds = _sounds()
    for length in range(len(lower), 0, -1):
        if lower[:length] in sounds:
            return sounds[lower[:length]]
    return "an" if lower[:1] in set("aeiou") else "a"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#+!|~^$@])")


def literal(text: str) -> str:
    """Text from the data as it must print, with every character Markdown would read as
    markup escaped: ``HLA-B*58:01`` stays ``HLA-B*58:01`` instead of starting emphasis,
    and ``@`` never starts a citation."""
    return _MARKDOWN.sub(r"\\\1", str(text))
