"""`make privacy-eval`: how the de-identification gate does on real clinical text (issue 14).

Three measurements on the 26 published case reports of ../shared/privacy-real/corpus.jsonl:
  recall        each plant of tests/privacy_eval/plants.yaml (an invented identifier in a
                clinical sentence) goes into its own copy of one text, after a sentence of the
                case presentation; it is found when a finding of `scan_text` on that copy
                overlaps the identifier. Per category, for the dev split (tune the gate on it),
                the test split (report it), the blind split (tests/privacy_eval/plants_blind.yaml,
                written apart from the gate and never shown to its developer), the second blind
                split (tests/privacy_eval/plants_blind2.yaml, written the same way after the gate
                was tuned on the first) and all, and for the plants without cue words.
  false alarms  findings on the texts as published, per 1,000 words (whitespace-separated
                tokens) and per category of the gate. A finding that overlaps an identifier
                listed in tests/privacy_eval/true_findings.yaml (one that slipped into print)
                is a true positive instead, and the recall on those is printed too.
  innocent      the clinical sentences of tests/privacy_eval/innocent_blind.yaml and
                innocent_blind2.yaml (eponyms, scales, doses, place-named diseases: nothing to
                flag), each planted the same way; a finding on one is a false alarm, counted per
                file and listed with its context (not a target).
Targets (issue 14): recall >= 95% overall and >= 90% in every category, false alarms
<= 0.1 per 1,000 words. The script always exits 0, like `make bench`; with --gate it exits 1
when the test split (--gate-split to choose) misses a target. Without the corpus it says so
and exits 0. --verbose lists every miss and every false alarm with its context.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from casekit.inputs.privacy import Finding, scan_text

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "privacy-real" / "corpus.jsonl"
PLANTS = ROOT / "tests" / "privacy_eval" / "plants.yaml"
BLIND_PLANTS = ROOT / "tests" / "privacy_eval" / "plants_blind.yaml"
BLIND2_PLANTS = ROOT / "tests" / "privacy_eval" / "plants_blind2.yaml"
INNOCENT = ROOT / "tests" / "privacy_eval" / "innocent_blind.yaml"
INNOCENT2 = ROOT / "tests" / "privacy_eval" / "innocent_blind2.yaml"
INNOCENT_FILES = {"blind": INNOCENT, "blind2": INNOCENT2}
"""Each file of innocent sentences, by the blind split it was written with."""
TRUE_FINDINGS = ROOT / "tests" / "privacy_eval" / "true_findings.yaml"

SEED = 14
"""Chooses which text and which sentence boundary each plant goes to."""
SPLITS = ("dev", "test", "blind", "blind2")
DEALT_LAST = ("blind2",)
"""Splits added after the others were measured: dealt after them, so none of the earlier
placements moved."""
TARGET_RECALL = 0.95
TARGET_CATEGORY_RECALL = 0.90
TARGET_FALSE_ALARMS = 0.1
"""Per 1,000 words."""
CONTEXT = 40
"""Characters shown either side of a finding."""

Scanner = Callable[[str], Iterable[Finding]]
"""Text in, findings out: the gate, or a fake one in the tests."""


def gate(text: str) -> Iterable[Finding]:
    """The de-identification gate as casekit runs it on a file's text."""
    return scan_text(text, Path("corpus.jsonl"))


# --- the data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """One published case report of the corpus."""

    id: str
    """Short name: the PMC id, DOI or PMID of its source."""
    specialty: str
    """As the corpus gives it."""
    text: str
    """Abstract and body."""

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Category:
    """A category of identifier measured (a row of plants.yaml's ``categories``)."""

    name: str
    """E.g. ``street address``."""
    what: str
    """What it holds, in a few words."""
    cues: tuple[str, ...]
    """Words around an identifier of this category that give it away."""


@dataclass(frozen=True)
class Plant:
    """An invented identifier in a clinical sentence."""

    category: str
    """Key of its category."""
    identifier: str
    """The exact text the gate must flag; it occurs once in ``sentence``."""
    sentence: str
    """The sentence planted."""
    cue: bool
    """Whether the sentence holds a cue word of its category beside the identifier."""
    split: str
    """``dev``, ``test``, ``blind`` or ``blind2``."""


@dataclass(frozen=True)
class TrueIdentifier:
    """An identifier that slipped into a published text."""

    text_id: str
    """The text it is in."""
    category: str
    """A category of plants.yaml."""
    text: str
    """Its exact text; each occurrence is one identifier."""
    why: str
    """Why it identifies the patient."""


def text_id(source: str) -> str:
    """``…/pmc/articles/PMC4079404/`` → ``PMC4079404``; a DOI stays a DOI; PubMed → ``PMID n``."""
    url = urlsplit(source)
    path = url.path.strip("/")
    if url.netloc.endswith("doi.org"):
        return path
    last = path.rsplit("/", 1)[-1]
    return f"PMID {last}" if last.isdigit() else last


def load_corpus(path: Path) -> list[Text]:
    """The texts of corpus.jsonl, in order."""
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            texts.append(Text(text_id(row["source"]), row.get("specialty", ""), row["text"]))
    return texts


def load_plants(
    path: Path = PLANTS, more: Sequence[Path] = (BLIND_PLANTS, BLIND2_PLANTS)
) -> tuple[dict[str, Category], list[Plant]]:
    """The categories and the plants of plants.yaml, then the plants of ``more`` that exist."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    categories = {
        name: Category(name, row["what"], tuple(row["cues"]))
        for name, row in data["categories"].items()
    }
    plants = _plants(path, data["plants"], categories)
    for extra in more:
        if extra.is_file():
            rows = yaml.safe_load(extra.read_text(encoding="utf-8"))["plants"]
            plants += _plants(extra, rows, categories)
    return categories, plants


def _plants(path: Path, rows: list[dict[str, Any]], categories: dict[str, Category]) -> list[Plant]:
    plants = []
    for number, row in enumerate(rows, 1):
        plant = Plant(row["category"], row["identifier"], row["sentence"], row["cue"], row["split"])
        if plant.category not in categories:
            raise ValueError(f"{path}, plant {number}: no category {plant.category!r}")
        if plant.sentence.count(plant.identifier) != 1:
            raise ValueError(f"{path}, plant {number}: the identifier is not once in the sentence")
        if plant.split not in SPLITS:
            raise ValueError(
                f"{path}, plant {number}: split {plant.split!r} is not one of {SPLITS}"
            )
        plants.append(plant)
    return plants


def load_innocent(path: Path = INNOCENT) -> list[str]:
    """The sentences of innocent_blind.yaml (or another such file); none without it."""
    if not path.is_file():
        return []
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["sentences"])


def load_true_findings(path: Path = TRUE_FINDINGS) -> list[TrueIdentifier]:
    """The identifiers of true_findings.yaml."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        TrueIdentifier(row["text_id"], row["category"], row["text"], row["why"])
        for row in data["identifiers"] or ()
    ]


def has_cue(plant: Plant, category: Category) -> bool:
    """Whether ``plant``'s sentence, its identifier left out, holds a cue word of ``category``."""
    rest = plant.sentence.replace(plant.identifier, " ", 1)
    for cue in category.cues:
        # Word boundaries only where the cue starts or ends with a letter or digit: "no." and
        # "#" are cues too.
        left = r"(?<!\w)" if re.match(r"\w", cue[0]) else ""
        right = r"(?!\w)" if re.match(r"\w", cue[-1]) else ""
        if re.search(left + re.escape(cue) + right, rest, re.IGNORECASE):
            return True
    return False


# --- planting -------------------------------------------------------------------------------

_CASE_HEADING = re.compile(
    r"\b(?:Case (?:[Pp]resentation|[Rr]eports?|[Dd]escription|[Hh]istory)|"
    r"CASE (?:PRESENTATION|REPORTS?|DESCRIPTION|HISTORY)|Presentation of case)\b:?\s+(?=[A-Z0-9])"
)
_CASE_END = re.compile(r"\b(?:Discussion|DISCUSSION|Conclusions?|CONCLUSIONS?|INTRODUCTION)\b")
_BOUNDARY = re.compile(r"(?<=[\w)\]][.!?])\s+(?=[A-Z](?:[a-z]|\s))")
_ABBREVIATIONS = frozenset(
    "Fig Figs fig al vs e.g i.e Dr Mr Mrs Ms St No no approx ca Ref Prof Jr Sr".split()
)
_NOT_AFTER = re.compile(r"(?:Fig|Figure|FIGURE|Table|TABLE)\b")


def case_part(text: str) -> tuple[int, int]:
    """Where the case presentation runs: from its heading to the discussion (or conclusion).

    Abstracts repeat the headings, so the last case heading followed by such an end wins; a
    text without headings is all case. (One review puts its case before its INTRODUCTION.)
    """
    headings = list(_CASE_HEADING.finditer(text))
    for heading in reversed(headings):
        end = _CASE_END.search(text, heading.end())
        if end:
            return heading.end(), end.start()
    return (headings[-1].end(), len(text)) if headings else (0, len(text))


def insertion_points(text: str) -> list[int]:
    """Offsets where a sentence of the case presentation begins, after the one before it.

    Not after an abbreviation or an initial ("Fig. 2", "J. Smith"), not before a figure or
    table caption. The whole text's boundaries if the case part has none.
    """
    start, end = case_part(text)
    return _boundaries(text, start, end) or _boundaries(text, 0, len(text))


def _boundaries(text: str, start: int, end: int) -> list[int]:
    points = []
    for match in _BOUNDARY.finditer(text, start, end):
        before = text[: match.start()].rsplit(None, 1)[-1][:-1]
        if before in _ABBREVIATIONS or re.fullmatch(r"[A-Z]", before):
            continue
        if _NOT_AFTER.match(text, match.end()):
            continue
        points.append(match.end())
    return points


@dataclass(frozen=True)
class Planted:
    """A copy of a text with one plant in it."""

    plant: Plant
    """What was planted."""
    text_id: str
    """The text copied."""
    text: str
    """The copy, with the plant's sentence in it."""
    at: int
    """Where the sentence starts in the copy."""
    start: int
    """Where the identifier starts in the copy."""
    end: int
    """Where it ends (exclusive)."""


def plant_one(plant: Plant, text: Text, at: int) -> Planted:
    """``text`` with ``plant``'s sentence inserted at ``at``, the start of a sentence."""
    copy = text.text[:at] + plant.sentence + " " + text.text[at:]
    start = at + plant.sentence.index(plant.identifier)
    return Planted(plant, text.id, copy, at, start, start + len(plant.identifier))


def plant_all(plants: Sequence[Plant], texts: Sequence[Text], seed: int = SEED) -> list[Planted]:
    """Each plant in a copy of one text, in the order of ``plants``.

    The plants are shuffled and dealt round the texts, so every text gets some; each goes to
    one insertion point of its text chosen at random. The same plants and texts always give
    the same copies. Plants of a split in ``DEALT_LAST`` are shuffled and dealt after all the
    others, so adding them moves none of the others.
    """
    rng = random.Random(seed)
    points = [insertion_points(text.text) for text in texts]
    placed: dict[int, Planted] = {}
    dealt = 0
    for last in (False, True):
        order = [i for i, plant in enumerate(plants) if (plant.split in DEALT_LAST) is last]
        rng.shuffle(order)
        for index in order:
            which = dealt % len(texts)
            placed[index] = plant_one(plants[index], texts[which], rng.choice(points[which]))
            dealt += 1
    return [placed[index] for index in range(len(plants))]


# --- scoring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Located:
    """A finding and the stretch of text it covers."""

    finding: Finding
    """As the gate reported it."""
    start: int
    """Offset of its first character."""
    end: int
    """Offset after its last character."""

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


def locate(text: str, findings: Iterable[Finding], first_line: int = 1) -> list[Located]:
    """Each finding with its character offsets in ``text``, from its line and column."""
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    located = []
    for finding in findings:
        start = line_starts[finding.line - first_line] + finding.column - 1
        located.append(Located(finding, start, start + len(finding.text)))
    return located


def context(text: str, start: int, end: int, width: int = CONTEXT) -> str:
    """The text around ``start:end`` on one line, the stretch itself in brackets."""
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    return " ".join(f"…{before}[{text[start:end]}]{after}…".split())


@dataclass(frozen=True)
class PlantResult:
    """What the gate found in one planted copy."""

    planted: Planted
    """The copy."""
    hits: tuple[Located, ...]
    """Findings that overlap the identifier."""
    others: tuple[Located, ...]
    """Findings elsewhere in the planted sentence (no matter for recall)."""

    @property
    def found(self) -> bool:
        return bool(self.hits)


@dataclass(frozen=True)
class CorpusFinding:
    """A finding on a text as published."""

    text_id: str
    """The text."""
    located: Located
    """The finding and where it is."""
    true: bool
    """It overlaps an identifier of true_findings.yaml: not a false alarm."""
    context: str
    """The text around it."""


@dataclass(frozen=True)
class TruthResult:
    """One occurrence of an identifier that slipped into print, and whether it was found."""

    identifier: TrueIdentifier
    """The identifier."""
    context: str
    """The text around this occurrence."""
    found: bool
    """A finding overlaps it."""


@dataclass(frozen=True)
class Evaluation:
    """Everything measured."""

    plants: tuple[PlantResult, ...]
    """One per plant, in the order of plants.yaml."""
    corpus: tuple[CorpusFinding, ...]
    """Every finding on the texts as published."""
    truths: tuple[TruthResult, ...]
    """Every occurrence of a listed true identifier."""
    texts: int
    """Texts in the corpus."""
    words: int
    """Words in the corpus."""
    innocent: tuple[PlantResult, ...] = ()
    """One per innocent sentence, planted whole: its hits are false alarms. Its plant's split
    is that of the file it came from (a key of ``INNOCENT_FILES``)."""

    @property
    def false_alarms(self) -> list[CorpusFinding]:
        return [f for f in self.corpus if not f.true]

    def false_alarm_rate(self) -> float:
        """False alarms per 1,000 words."""
        return 1000 * len(self.false_alarms) / self.words if self.words else 0.0


def occurrences(text: str, needle: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(needle), text)]


def evaluate(
    texts: Sequence[Text],
    plants: Sequence[Plant],
    truths: Sequence[TrueIdentifier],
    scanner: Scanner = gate,
    innocent: Sequence[str] | Mapping[str, Sequence[str]] = (),
) -> Evaluation:
    """Scan every planted copy, every published text and every planted innocent sentence.

    ``innocent`` is a list of sentences (of innocent_blind.yaml) or, by the split of its file,
    the lists of several files.
    """
    results = [_scan_planted(planted, scanner) for planted in plant_all(plants, texts)]
    # An innocent sentence is planted whole: any finding on it is a false alarm.
    by_file = {"blind": innocent} if isinstance(innocent, Sequence) else innocent
    whole = [
        Plant("innocent", sentence, sentence, False, split)
        for split, sentences in by_file.items()
        for sentence in sentences
    ]
    innocent_results = tuple(_scan_planted(planted, scanner) for planted in plant_all(whole, texts))
    known = {text.id for text in texts}
    for truth in truths:
        if truth.text_id not in known:
            raise ValueError(f"true_findings.yaml: no text {truth.text_id!r} in the corpus")
    corpus: list[CorpusFinding] = []
    truth_results: list[TruthResult] = []
    for text in texts:
        located = locate(text.text, scanner(text.text))
        spans = []
        for truth in (t for t in truths if t.text_id == text.id):
            starts = occurrences(text.text, truth.text)
            if not starts:
                raise ValueError(f"true_findings.yaml: {truth.text!r} is not in {text.id}")
            for start in starts:
                end = start + len(truth.text)
                spans.append((start, end))
                found = any(f.overlaps(start, end) for f in located)
                shown = context(text.text, start, end)
                truth_results.append(TruthResult(truth, shown, found))
        for f in located:
            true = any(f.overlaps(start, end) for start, end in spans)
            shown = context(text.text, f.start, f.end)
            corpus.append(CorpusFinding(text.id, f, true, shown))
    words = sum(text.words for text in texts)
    return Evaluation(
        tuple(results), tuple(corpus), tuple(truth_results), len(texts), words, innocent_results
    )


def _scan_planted(planted: Planted, scanner: Scanner) -> PlantResult:
    located = locate(planted.text, scanner(planted.text))
    hits = tuple(f for f in located if f.overlaps(planted.start, planted.end))
    sentence_end = planted.at + len(planted.plant.sentence)
    others = tuple(f for f in located if f not in hits and f.overlaps(planted.at, sentence_end))
    return PlantResult(planted, hits, others)


@dataclass(frozen=True)
class Score:
    """Found of total."""

    found: int
    total: int

    @property
    def recall(self) -> float | None:
        return self.found / self.total if self.total else None

    def __str__(self) -> str:
        return f"{self.found}/{self.total} ({self.recall:.0%})" if self.total else "none"

    def cell(self) -> str:
        """Aligned for a table column of width 14."""
        if not self.total:
            return f"{'–':>14}"
        return f"{self.found:>4}/{self.total:<3} {self.recall:>5.0%}"


def score(results: Iterable[PlantResult]) -> Score:
    results = list(results)
    return Score(sum(r.found for r in results), len(results))


def in_split(results: Iterable[PlantResult], split: str) -> list[PlantResult]:
    """``split`` is one of ``SPLITS`` or ``all``."""
    return [r for r in results if split == "all" or r.planted.plant.split == split]


def missed_targets(evaluation: Evaluation, categories: Iterable[str], split: str) -> list[str]:
    """The targets of issue 14 that ``split`` misses, each as a sentence."""
    results = in_split(evaluation.plants, split)
    missed = []
    overall = score(results)
    if (overall.recall or 0.0) < TARGET_RECALL:
        missed.append(f"recall {overall} on {split}, target ≥ {TARGET_RECALL:.0%}")
    for category in categories:
        one = score(r for r in results if r.planted.plant.category == category)
        if one.total and (one.recall or 0.0) < TARGET_CATEGORY_RECALL:
            missed.append(f"{category}: {one} on {split}, target ≥ {TARGET_CATEGORY_RECALL:.0%}")
    rate = evaluation.false_alarm_rate()
    if rate > TARGET_FALSE_ALARMS:
        missed.append(f"false alarms {rate:.2f} per 1,000 words, target ≤ {TARGET_FALSE_ALARMS}")
    return missed


# --- the report (the only place that prints) ------------------------------------------------


def report(
    evaluation: Evaluation,
    categories: Sequence[str],
    corpus: Path,
    verbose: bool,
    gate_split: str,
) -> list[str]:
    """The lines `make privacy-eval` prints."""
    lines = [
        f"De-identification gate on real text: {evaluation.texts} case reports, "
        f"{evaluation.words:,} words ({shown(corpus)})",
        *_recall_lines(evaluation, categories),
        *_in_print_lines(evaluation, categories),
        *_false_alarm_lines(evaluation),
        *_innocent_lines(evaluation),
    ]
    missed = missed_targets(evaluation, categories, gate_split)
    verdict = f"{len(missed)} missed" if missed else "all met"
    lines += ["", f"Targets of issue 14, judged on the {gate_split} split: {verdict}"]
    lines += [f"  missed: {m}" for m in missed]
    return lines + (_verbose_lines(evaluation, categories) if verbose else [])


def _recall_lines(evaluation: Evaluation, categories: Sequence[str]) -> list[str]:
    lines = [
        "",
        f"Recall: {len(evaluation.plants)} plants ({shown(PLANTS)}, {shown(BLIND_PLANTS)}, "
        f"{shown(BLIND2_PLANTS)}), found when a finding overlaps the identifier",
        f"  {'category':<20}" + "".join(f"{split:>14}" for split in (*SPLITS, "all")),
    ]
    rows: list[tuple[str, list[PlantResult]]] = [
        (name, [r for r in evaluation.plants if r.planted.plant.category == name])
        for name in categories
    ]
    rows += [
        ("overall", list(evaluation.plants)),
        ("without cue words", [r for r in evaluation.plants if not r.planted.plant.cue]),
        ("with cue words", [r for r in evaluation.plants if r.planted.plant.cue]),
    ]
    for label, results in rows:
        cells = "".join(score(in_split(results, s)).cell() for s in (*SPLITS, "all"))
        lines.append(f"  {label:<20}{cells}")
    return lines


def _in_print_lines(evaluation: Evaluation, categories: Sequence[str]) -> list[str]:
    lines = ["", f"Identifiers that slipped into print ({shown(TRUE_FINDINGS)}), found:"]
    for name in categories:
        ones = [t for t in evaluation.truths if t.identifier.category == name]
        if ones:
            found = sum(t.found for t in ones)
            where = ", ".join(sorted({t.identifier.text_id for t in ones}))
            lines.append(f"  {name:<20} {found:>4}/{len(ones):<3} in {where}")
    return lines


def _false_alarm_lines(evaluation: Evaluation) -> list[str]:
    false_alarms = evaluation.false_alarms
    lines = [
        "",
        f"False alarms on the texts as published: {len(false_alarms)}, "
        f"{evaluation.false_alarm_rate():.2f} per 1,000 words "
        f"(and {len(evaluation.corpus) - len(false_alarms)} findings of identifiers in print)",
    ]
    counts = Counter(f.located.finding.category for f in false_alarms)
    for name, count in counts.most_common():
        lines.append(f"  {name:<26} {count:>3}  {1000 * count / evaluation.words:.2f} per 1,000")
    return lines


def _innocent_lines(evaluation: Evaluation) -> list[str]:
    """Per file of innocent sentences: how many were flagged, then each finding on them."""
    lines = []
    for split, path in INNOCENT_FILES.items():
        ones = [r for r in evaluation.innocent if r.planted.plant.split == split]
        if not ones:
            continue
        flagged = [r for r in ones if r.found]
        lines += [
            "",
            f"False alarms on innocent sentences ({shown(path)}, not a target): "
            f"{len(flagged)} of {len(ones)} flagged, {sum(len(r.hits) for r in flagged)} findings",
        ]
        for r in flagged:
            for f in r.hits:
                shown_at = context(r.planted.text, f.start, f.end)
                lines.append(f"  {r.planted.text_id}  {f.finding.category}: {shown_at}")
    return lines


def _verbose_lines(evaluation: Evaluation, categories: Sequence[str]) -> list[str]:
    lines = ["", "Missed plants:"]
    for name in categories:
        for r in evaluation.plants:
            plant = r.planted.plant
            if plant.category == name and not r.found:
                cue = "cue" if plant.cue else "no cue"
                lines.append(
                    f"  {name} [{plant.split}, {cue}] {plant.identifier!r}: {plant.sentence}"
                )
    lines += ["", "Other findings inside planted sentences (no matter for recall):"]
    lines += [
        f"  {f.finding.category}: {f.finding.text!r} in: {r.planted.plant.sentence}"
        for r in evaluation.plants
        for f in r.others
    ] or ["  none"]
    lines += ["", "False alarms on the texts as published:"]
    lines += [
        f"  {f.text_id}  {f.located.finding.category}: {f.context}" for f in evaluation.false_alarms
    ] or ["  none"]
    lines += ["", "Identifiers in print, missed:"]
    lines += [
        f"  {t.identifier.text_id}  {t.identifier.category}: {t.context}"
        for t in evaluation.truths
        if not t.found
    ] or ["  none"]
    return lines


def shown(path: Path) -> str:
    """``path`` as seen from the repository: ``../shared/privacy-real/corpus.jsonl``."""
    return os.path.relpath(path, ROOT)


def main(argv: Sequence[str] | None = None, scanner: Scanner = gate) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and alarms")
    parser.add_argument("--gate", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--gate-split",
        choices=(*SPLITS, "all"),
        default="test",
        help="the split the targets are judged on (default: test)",
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="corpus.jsonl to use")
    parser.add_argument(
        "--true-findings", type=Path, default=TRUE_FINDINGS, help="its identifiers in print"
    )
    parser.add_argument(
        "--innocent", type=Path, default=INNOCENT, help="sentences with nothing to flag"
    )
    parser.add_argument(
        "--innocent2", type=Path, default=INNOCENT2, help="more, written with blind2"
    )
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"privacy-eval: skipped, no corpus at {shown(args.corpus)}")
        return 0
    texts = load_corpus(args.corpus)
    try:
        categories, plants = load_plants()
        truths = load_true_findings(args.true_findings)
        innocent = {"blind": load_innocent(args.innocent), "blind2": load_innocent(args.innocent2)}
        evaluation = evaluate(texts, plants, truths, scanner, innocent)
    except ValueError as error:
        print(f"privacy-eval: {error}", file=sys.stderr)
        return 2
    print(
        "\n".join(report(evaluation, list(categories), args.corpus, args.verbose, args.gate_split))
    )
    missed = missed_targets(evaluation, categories, args.gate_split)
    return 1 if args.gate and missed else 0


if __name__ == "__main__":
    sys.exit(main())
