"""`make privacy-libraries`: each library the de-identification gate uses, or could use,
against the patterns it would replace, on the corpus of `make privacy-eval` (issue 14).

For each comparison it prints the recall of the categories concerned (all plants) and the
false alarms on the published texts, with the gate as it is and with one change:
  phones     without libphonenumber's matcher (patterns only)
  places     without the GeoNames gazetteer (cue words only)
  names      without the given-name list (titles, relatives and initials only)
  dates      with datefinder, or dateparser's search, added to the patterns
  addresses  with pyap's address finder, or usaddress's labels, added to the patterns
A library that is not installed is reported as such; datefinder, dateparser, pyap and
usaddress are not casekit dependencies (install them in a scratch venv to measure them).
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import privacy_eval
from casekit.inputs import identifiers
from casekit.inputs.identifiers import Span


def _extra(name: str, detect: Callable[[str], Iterator[Span]]) -> Callable[[], None]:
    def apply() -> None:
        identifiers.DETECTORS = (*identifiers.DETECTORS, (name, detect))

    return apply


def _without(name: str) -> Callable[[], None]:
    def apply() -> None:
        identifiers.DETECTORS = tuple(d for d in identifiers.DETECTORS if d[0] != name)

    return apply


def _no_gazetteer() -> None:
    identifiers._city_names = lambda: frozenset()  # type: ignore[assignment]


def _no_given_names() -> None:
    identifiers.all_given_names = lambda: frozenset()  # type: ignore[assignment]
    identifiers.given_names = lambda: frozenset()  # type: ignore[assignment]


def _datefinder(text: str) -> Iterator[Span]:
    import datefinder

    for _, source, (start, end) in datefinder.find_dates(text, source=True, index=True):
        if any(c.isdigit() for c in source):
            yield Span(start, end, "date")


def _dateparser(text: str) -> Iterator[Span]:
    from dateparser.search import search_dates

    position = 0
    for source, _ in search_dates(text, languages=["en"]) or []:
        start = text.find(source, position)
        if start >= 0 and any(c.isdigit() for c in source):
            position = start + len(source)
            yield Span(start, start + len(source), "date")


def _pyap(text: str) -> Iterator[Span]:
    import pyap

    for country in ("US", "GB", "CA"):
        for address in pyap.parse(text, country=country):
            found = str(address.full_address)
            start = text.find(found)
            if start >= 0:
                yield Span(start, start + len(found), "street address")


def _usaddress(text: str) -> Iterator[Span]:
    """usaddress labels the words of a string it is told is an address; each sentence is
    given to it, and a run holding a house number and a street name is taken as one."""
    import re

    import usaddress

    for sentence in re.finditer(r"[^.!?\n]+", text):
        position = sentence.start()
        run: list[tuple[int, int, str]] = []
        for token, label in usaddress.parse(sentence.group(0)):
            start = text.find(token, position)
            if start < 0:
                continue
            position = start + len(token)
            if label.startswith(("AddressNumber", "StreetName", "Occupancy", "ZipCode")):
                run.append((start, position, label))
            elif run:
                yield from _address_run(run)
                run = []
        yield from _address_run(run)


def _address_run(run: list[tuple[int, int, str]]) -> Iterator[Span]:
    labels = {label for _, _, label in run}
    if "AddressNumber" in labels and "StreetName" in labels:
        yield Span(run[0][0], run[-1][1], "street address")


COMPARISONS = (
    ("phones", ["phone"], None, "without libphonenumber", _without("phones-library")),
    ("places", ["place", "postcode"], None, "without the gazetteer", _no_gazetteer),
    ("names", ["name", "relative"], None, "without the given names", _no_given_names),
    ("dates", ["date"], "datefinder", "with datefinder", _extra("datefinder", _datefinder)),
    ("dates", ["date"], "dateparser", "with dateparser", _extra("dateparser", _dateparser)),
    ("addresses", ["street address"], "pyap", "with pyap", _extra("pyap", _pyap)),
    (
        "addresses",
        ["street address"],
        "usaddress",
        "with usaddress",
        _extra("usaddress", _usaddress),
    ),
)


def measure(categories: list[str]) -> tuple[str, int]:
    texts = privacy_eval.load_corpus(privacy_eval.CORPUS)
    _, plants = privacy_eval.load_plants()
    truths = privacy_eval.load_true_findings()
    evaluation = privacy_eval.evaluate(texts, plants, truths)
    found = privacy_eval.score(
        r for r in evaluation.plants if r.planted.plant.category in categories
    )
    alarms = sum(1 for f in evaluation.corpus if not f.true)
    return str(found), alarms


@contextlib.contextmanager
def changed(apply: Callable[[], None]) -> Iterator[None]:
    saved = dict(vars(identifiers))
    apply()
    try:
        yield
    finally:
        vars(identifiers).update(saved)


def main() -> int:
    if not privacy_eval.CORPUS.is_file():
        print(f"privacy-libraries: skipped, no corpus at {privacy_eval.shown(privacy_eval.CORPUS)}")
        return 0
    print(f"{'comparison':<34} {'recall, as it is':>22} {'recall, changed':>22}  false alarms")
    for name, categories, needs, label, apply in COMPARISONS:
        if needs and importlib.util.find_spec(needs) is None:
            print(f"{name + ': ' + label:<34} {needs} is not installed")
            continue
        before, alarms_before = measure(categories)
        with changed(apply):
            after, alarms_after = measure(categories)
        print(
            f"{name + ': ' + label:<34} {before:>22} {after:>22}  {alarms_before} → {alarms_after}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
