"""Checks of the store itself: BibTeX that prints wrongly (checks/bibtex.py)."""

from __future__ import annotations

import pytest

from casekit.checks.bibtex import _unbraced_particle


@pytest.mark.parametrize(
    ("person", "particle"),
    [("da Silva, Ana", "da"), ("Ana da Silva", "da"), ("van der Berg, J.", "van"),
     ("{da Silva}, Ana", None), ('M{\\"u}ller, Hans', None), ('Hans M{\\"u}ller', None),
     ('B{\\"o}hm, Michael', None), ("Böhm, Michael", None)],
    ids=["family-first", "given-first", "van-der", "braced", "braced-accent-family-first",
         "braced-accent-given-first", "braced-accent-short", "utf8-accent"],
)  # fmt: skip
def test_only_a_real_lower_case_particle_is_reported(person: str, particle: str | None) -> None:
    """A braced accent (the README's own advice) keeps its word whole: ``M{\\"u}ller``
    once read as ``M`` and a lower-case "particle" ``ller``."""
    assert _unbraced_particle(person) == particle
