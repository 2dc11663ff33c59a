"""Write src/casekit/data/given-names.txt and surnames.txt: the names people really have,
for the de-identification gate's name rules (src/casekit/inputs/identifiers.py).

The names are the most common given names of each of the 105 countries in names-dataset
3.3.1 (public name statistics from about 500 million social-network profiles), in Latin
script. Run it by hand when the list should change; the build never needs the package:

    python3 -m venv /tmp/names && /tmp/names/bin/pip install names-dataset==3.3.1
    /tmp/names/bin/python scripts/write_given_names.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PER_COUNTRY = 400
"""Names of each sex taken from each country's ranking."""
SURNAME_FACTOR = 20
"""A name is left out when its best rank as a surname, in any country, is this many times
better than its best rank as a given name: "Smith" (surname rank 1, given-name rank 2,287)
is a surname, and "Smith reported" cites an author; "Thomas" (10 and 85) stays."""
DATA = Path(__file__).resolve().parents[1] / "src" / "casekit" / "data"
TARGET = DATA / "given-names.txt"
SURNAMES = DATA / "surnames.txt"
SURNAMES_PER_COUNTRY = 300
"""Surnames taken from each country's ranking."""
LATIN = re.compile(r"^[A-Z][a-zà-öø-ÿāăąćčďđēėęěğīįıķľłńňōőœŕřśşšţťūůűųźżž'’-]+$")


def main() -> int:
    import names_dataset
    from names_dataset import NameDataset

    version = getattr(names_dataset, "__version__", "3.3.1")
    dataset = NameDataset()
    ranking = dataset.get_top_names(n=PER_COUNTRY, use_first_names=True)
    candidates = {
        name
        for by_sex in ranking.values()
        for listed in by_sex.values()
        for name in listed
        if len(name) >= 3 and LATIN.match(name)
    }
    names = {name for name in candidates if not _mostly_a_surname(dataset.search(name))}
    header = (
        "# Given names for the de-identification gate, one a line: the "
        f"{PER_COUNTRY} most common of each sex in each of {len(ranking)} countries,\n"
        f"# from names-dataset {version}, in Latin script, less those far more common as "
        "surnames.\n# Written by scripts/write_given_names.py; edit that, not this file.\n"
    )
    TARGET.write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"{len(names)} names written to {TARGET}")
    by_country = dataset.get_top_names(n=SURNAMES_PER_COUNTRY, use_first_names=False)
    surnames = {
        name
        for listed in by_country.values()
        for name in _flat(listed)
        if len(name) >= 2 and LATIN.match(name)
    }
    SURNAMES.write_text(
        f"# Surnames for the de-identification gate, one a line: the {SURNAMES_PER_COUNTRY} most"
        f" common of each of {len(by_country)} countries,\n# from names-dataset {version}, in"
        " Latin script. Written by scripts/write_given_names.py; edit that, not this file.\n"
        + "\n".join(sorted(surnames))
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(surnames)} surnames written to {SURNAMES}")
    return 0


def _flat(listed: list | dict) -> list:
    """A country's ranking, whether a list of names or names by sex."""
    return listed if isinstance(listed, list) else [n for names in listed.values() for n in names]


def _best_rank(part: dict | None) -> float:
    ranks = [r for r in ((part or {}).get("rank") or {}).values() if r]
    return min(ranks) if ranks else float("inf")


def _mostly_a_surname(found: dict) -> bool:
    given, surname = _best_rank(found.get("first_name")), _best_rank(found.get("last_name"))
    return surname * SURNAME_FACTOR < given


if __name__ == "__main__":
    sys.exit(main())
