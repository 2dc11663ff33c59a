"""The harness of `make privacy-eval` (scripts/privacy_eval.py): its data and its counting.

Nothing here asks the gate to reach the recall or false-alarm targets of issue 14: the
harness measures them. Scanners are fakes, except where a test checks how a real finding is
located. Tests that read ../shared/privacy-real/corpus.jsonl are skipped without it.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from casekit.inputs.privacy import Finding, scan_text

from .conftest import REPO


def _harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("privacy_eval", REPO / "scripts/privacy_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


pe = _harness()
CATEGORIES, PLANTS = pe.load_plants()
needs_corpus = pytest.mark.skipif(not pe.CORPUS.is_file(), reason=f"no corpus at {pe.CORPUS}")

CASE = (
    "Abstract A case of fever. Case presentation A 5-year-old boy presented with fever. "
    "He had a rash (Fig. 1). Figure 1 The rash. Dr. Who saw him. He recovered. "
    "Discussion Fever is common. It passes."
)
TEXTS = [
    pe.Text("one", "pediatrics", CASE),
    pe.Text("two", "surgery", "No headings here. Two sentences.\nA third, on a second line."),
    pe.Text("three", "surgery", "Case Report: She had pain. It went away. Discussion None."),
]


def flagging(*needles: str) -> Callable[[str], Iterator[Finding]]:
    """A fake scanner that flags every occurrence of each of ``needles``."""

    def scan(text: str) -> Iterator[Finding]:
        for needle in needles:
            for start in pe.occurrences(text, needle):
                line = text.count("\n", 0, start) + 1
                column = start - (text.rfind("\n", 0, start) + 1) + 1
                yield Finding("fake", needle, Path("x"), line, column)

    return scan


def plant_id(plant: Any) -> str:
    return f"{plant.category}: {plant.identifier}"


# --- the plants file ------------------------------------------------------------------------


def test_there_are_at_least_300_plants() -> None:
    assert len(PLANTS) >= 300


def test_a_third_of_the_plants_have_no_cue_words() -> None:
    assert sum(not plant.cue for plant in PLANTS) >= len(PLANTS) / 3


def test_no_sentence_is_planted_twice() -> None:
    assert [s for s, n in Counter(p.sentence for p in PLANTS).items() if n > 1] == []


@pytest.mark.parametrize("category", list(CATEGORIES), ids=str)
def test_every_category_has_plants_balanced_between_the_splits(category: str) -> None:
    # Between dev and test; the blind splits are written apart and counted on their own.
    splits = Counter(plant.split for plant in PLANTS if plant.category == category)
    assert splits["dev"] >= 8 and splits["test"] >= 8, splits
    assert abs(splits["dev"] - splits["test"]) <= 1, splits
    assert splits["blind"] >= 10, splits
    assert splits["blind2"] >= 14, splits


def test_the_blind_splits_are_their_own_files() -> None:
    _, main = pe.load_plants(more=())
    blind = [plant for plant in PLANTS if plant.split == "blind"]
    blind2 = [plant for plant in PLANTS if plant.split == "blind2"]
    assert {plant.split for plant in main} == {"dev", "test"}
    assert main + blind + blind2 == PLANTS, "each blind split is in its own file, and only there"
    assert pe.load_plants(more=(pe.BLIND2_PLANTS,))[1] == main + blind2


def test_the_blind_split_has_200_plants_40_percent_without_cues() -> None:
    blind = [plant for plant in PLANTS if plant.split == "blind"]
    assert len(blind) >= 200
    assert sum(not plant.cue for plant in blind) >= 0.4 * len(blind)


def test_the_second_blind_split_has_250_plants_half_without_cues() -> None:
    blind2 = [plant for plant in PLANTS if plant.split == "blind2"]
    assert len(blind2) >= 250
    assert sum(not plant.cue for plant in blind2) >= 0.5 * len(blind2)


@pytest.mark.parametrize(("split", "least"), [("blind", 40), ("blind2", 120)])
def test_innocent_sentences_are_whole_sentences(split: str, least: int) -> None:
    sentences = pe.load_innocent(pe.INNOCENT_FILES[split])
    assert len(sentences) >= least and len(set(sentences)) == len(sentences)
    assert all(s[0].isupper() and s[-1] in ".!?" for s in sentences)


def test_no_innocent_sentence_is_in_both_files() -> None:
    first, second = (pe.load_innocent(path) for path in pe.INNOCENT_FILES.values())
    assert set(first) & set(second) == set()


@pytest.mark.parametrize("plant", PLANTS, ids=plant_id)
def test_plant_is_well_formed(plant: Any) -> None:
    assert plant.category in CATEGORIES
    assert plant.sentence.count(plant.identifier) == 1
    assert plant.split in pe.SPLITS
    assert plant.sentence[0].isupper() and plant.sentence[-1] in ".!?", "one whole sentence"


@pytest.mark.parametrize("plant", PLANTS, ids=plant_id)
def test_plant_is_flagged_cue_exactly_when_its_sentence_holds_a_cue_word(plant: Any) -> None:
    assert plant.cue == pe.has_cue(plant, CATEGORIES[plant.category])


@pytest.mark.parametrize(
    ("sentence", "identifier", "cue"),
    [
        ("Maria was admitted.", "Maria", False),
        ("Mrs Maria was admitted.", "Maria", True),
        ("Mrsa Maria was admitted.", "Maria", False),
        ("Filed under no. 4451.", "4451", True),
        ("Filed under #4451.", "4451", True),
    ],
    ids=["none", "title", "not-a-word", "dot-cue", "hash-cue"],
)
def test_a_cue_word_counts_as_a_whole_word(sentence: str, identifier: str, cue: bool) -> None:
    category = pe.Category("any", "", ("Mrs", "no.", "#"))
    assert pe.has_cue(pe.Plant("any", identifier, sentence, cue, "dev"), category) is cue


def test_a_malformed_plant_is_refused_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "plants.yaml"
    plant = {"category": "name", "identifier": "Jo", "cue": False, "split": "dev"}
    data = {
        "categories": {"name": {"what": "a name", "cues": ["Mr"]}},
        "plants": [{**plant, "sentence": "Jo came."}, {**plant, "sentence": "Jo met Jo."}],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="plant 2: the identifier is not once"):
        pe.load_plants(path)


# --- planting -------------------------------------------------------------------------------


def test_plants_go_after_sentences_of_the_case_presentation_only() -> None:
    points = pe.insertion_points(CASE)
    # Not in the abstract or the discussion, not after "Fig." or "Dr.", not before a caption.
    assert [CASE[p : p + 12] for p in points] == ["He had a ras", "Dr. Who saw ", "He recovered"]


def test_a_text_without_headings_takes_plants_anywhere() -> None:
    text = TEXTS[1].text
    assert [text[p : p + 3] for p in pe.insertion_points(text)] == ["Two", "A t"]


def test_planting_puts_the_identifier_at_the_recorded_offset() -> None:
    wrong = []
    for planted in pe.plant_all(PLANTS, TEXTS):
        plant = planted.plant
        original = next(t.text for t in TEXTS if t.id == planted.text_id)
        sentence = planted.text[planted.at : planted.at + len(plant.sentence) + 1]
        if planted.text[planted.start : planted.end] != plant.identifier:
            wrong.append(f"{plant_id(plant)}: identifier not at its offset")
        if sentence != plant.sentence + " " or planted.at not in pe.insertion_points(original):
            wrong.append(f"{plant_id(plant)}: sentence not at an insertion point")
        if planted.text.replace(plant.sentence + " ", "", 1) != original:
            wrong.append(f"{plant_id(plant)}: the rest of the text changed")
    assert wrong == []


def test_the_second_blind_split_is_dealt_last_and_moves_no_other_plant() -> None:
    earlier = [plant for plant in PLANTS if plant.split != "blind2"]
    placed = {planted.plant: planted for planted in pe.plant_all(PLANTS, TEXTS)}
    assert [placed[plant] for plant in earlier] == pe.plant_all(earlier, TEXTS)


def test_plants_are_dealt_evenly_round_the_texts() -> None:
    counts = Counter(planted.text_id for planted in pe.plant_all(PLANTS, TEXTS))
    assert set(counts) == {t.id for t in TEXTS}
    assert max(counts.values()) - min(counts.values()) <= 1


def test_planting_is_the_same_every_time() -> None:
    assert pe.plant_all(PLANTS, TEXTS) == pe.plant_all(PLANTS, TEXTS)


# --- counting -------------------------------------------------------------------------------


def test_a_finding_is_located_by_its_line_and_column() -> None:
    text = "line one\nseen on 2021-03-04 again\n"
    (located,) = pe.locate(text, scan_text(text, Path("x")))
    assert text[located.start : located.end] == located.finding.text == "2021-03-04"


PLANT = pe.Plant("name", "Maria Lopez", "Maria Lopez was admitted.", False, "dev")


@pytest.mark.parametrize(
    ("flagged", "found", "other"),
    [
        ("Maria Lopez", True, False),
        ("Lopez", True, False),
        ("Lopez was", True, False),
        ("was admitted", False, True),
        ("fever", False, False),
    ],
    ids=["exact", "part", "overlapping", "beside-it", "elsewhere"],
)
def test_a_plant_is_found_when_a_finding_overlaps_it(
    flagged: str, found: bool, other: bool
) -> None:
    (result,) = pe.evaluate(TEXTS[:1], [PLANT], [], flagging(flagged)).plants
    assert result.found is found
    assert bool(result.others) is other


def test_innocent_sentences_are_planted_whole_and_a_finding_on_one_is_listed() -> None:
    innocent = ["Bence Jones proteinuria was found.", "The Apgar score was 9."]
    evaluation = pe.evaluate(TEXTS, [PLANT], [], flagging("Jones", "rash"), innocent)
    flagged = [r.planted.plant.sentence for r in evaluation.innocent if r.found]
    assert flagged == ["Bence Jones proteinuria was found."]
    # Not a false alarm on the texts as published, nor a target.
    assert {f.located.finding.text for f in evaluation.false_alarms} == {"rash"}
    lines = pe._innocent_lines(evaluation)
    assert "1 of 2 flagged" in lines[1] and "[Jones]" in lines[2]


def test_innocent_sentences_are_counted_per_file() -> None:
    innocent = {
        "blind": ["Bence Jones proteinuria was found.", "The Apgar score was 9."],
        "blind2": ["Addison disease was excluded.", "Lyme serology was negative.", "CRS rose."],
    }
    evaluation = pe.evaluate(TEXTS, [PLANT], [], flagging("Jones", "Lyme", "CRS"), innocent)
    assert [r.planted.plant.split for r in evaluation.innocent] == ["blind"] * 2 + ["blind2"] * 3
    lines = pe._innocent_lines(evaluation)
    headers = [line for line in lines if line.startswith("False alarms")]
    assert "innocent_blind.yaml" in headers[0] and "1 of 2 flagged, 1 findings" in headers[0]
    assert "innocent_blind2.yaml" in headers[1] and "2 of 3 flagged, 2 findings" in headers[1]
    assert lines.index(headers[1]) == 4, "each file's findings follow its own count"


def test_findings_on_identifiers_in_print_are_not_false_alarms() -> None:
    texts = [pe.Text("t", "", "Mr AA came back. Mr AA smiled. The AA battery was flat.")]
    truths = [pe.TrueIdentifier("t", "initials", "Mr AA", "initials")]
    evaluation = pe.evaluate(texts, [], truths, flagging("Mr AA", "battery"))
    assert [t.found for t in evaluation.truths] == [True, True]
    assert [f.located.finding.text for f in evaluation.false_alarms] == ["battery"]
    assert evaluation.false_alarm_rate() == pytest.approx(1000 / 12)
    shown = "…Mr AA came back. Mr AA smiled. The AA [battery] was flat.…"
    assert evaluation.false_alarms[0].context == shown


@pytest.mark.parametrize(
    ("truth", "message"),
    [(("t", "initials", "Mr ZZ", ""), "not in t"), (("u", "initials", "Mr AA", ""), "no text")],
    ids=["stale-text", "unknown-text"],
)
def test_a_stale_identifier_in_print_is_refused(truth: tuple[str, ...], message: str) -> None:
    texts = [pe.Text("t", "", "Mr AA came back.")]
    with pytest.raises(ValueError, match=message):
        pe.evaluate(texts, [], [pe.TrueIdentifier(*truth)], flagging())


# --- the script -----------------------------------------------------------------------------


def tiny_corpus(tmp_path: Path) -> list[str]:
    """Arguments that run the script on two made-up texts, with no identifiers in print."""
    corpus = tmp_path / "corpus.jsonl"
    rows = [
        {"source": "https://example.org/pmc/articles/PMC1/", "specialty": "x", "text": CASE},
        {"source": "https://doi.org/10.1/two", "specialty": "y", "text": TEXTS[2].text},
    ]
    corpus.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    (tmp_path / "true.yaml").write_text("identifiers: []\n", encoding="utf-8")
    return ["--corpus", str(corpus), "--true-findings", str(tmp_path / "true.yaml")]


def test_without_the_corpus_the_script_says_so_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert pe.main(["--gate", "--corpus", str(tmp_path / "absent.jsonl")]) == 0
    assert "skipped, no corpus" in capsys.readouterr().out


def test_the_script_prints_every_category_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert pe.main(["--verbose", *tiny_corpus(tmp_path)], scanner=flagging()) == 0
    out = capsys.readouterr().out
    for name in CATEGORIES:
        assert f"\n  {name} " in out
    assert "without cue words" in out and "per 1,000 words" in out and "Missed plants:" in out


def test_the_report_has_a_column_per_split_and_the_gate_judges_the_split_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = tiny_corpus(tmp_path)
    blind_only = flagging(*{p.identifier for p in PLANTS if p.split == "blind"})
    assert pe.main(["--gate", "--gate-split", "blind", *args], scanner=blind_only) == 0
    assert pe.main(["--gate", "--gate-split", "test", *args], scanner=blind_only) == 1
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.lstrip().startswith("category"))
    assert header.split() == ["category", "dev", "test", "blind", "blind2", "all"]
    assert "judged on the blind split: all met" in out


def test_the_gate_judges_the_second_blind_split_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = tiny_corpus(tmp_path)
    blind2_only = flagging(*{p.identifier for p in PLANTS if p.split == "blind2"})
    assert pe.main(["--gate", "--gate-split", "blind2", *args], scanner=blind2_only) == 0
    assert pe.main(["--gate", "--gate-split", "blind", *args], scanner=blind2_only) == 1
    assert "judged on the blind2 split: all met" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("scanner", "status"),
    [
        (flagging(), 1),
        (flagging(*{p.identifier for p in PLANTS}), 0),
        (flagging(*{p.identifier for p in PLANTS}, "pain"), 1),
    ],
    ids=["finds-nothing", "finds-every-plant", "finds-every-plant-and-false-alarms"],
)
def test_gate_exits_1_when_a_target_is_missed(
    scanner: Callable[[str], Iterator[Finding]], status: int, tmp_path: Path
) -> None:
    args = tiny_corpus(tmp_path)
    assert not any(p.identifier in CASE + TEXTS[2].text for p in PLANTS), "keep the fakes honest"
    assert pe.main(["--gate", *args], scanner=scanner) == status
    assert pe.main(args, scanner=scanner) == 0


# --- the real corpus ------------------------------------------------------------------------


@needs_corpus
def test_every_text_of_the_corpus_has_a_unique_id_and_room_for_plants() -> None:
    texts = pe.load_corpus(pe.CORPUS)
    assert len({text.id for text in texts}) == len(texts)
    assert [text.id for text in texts if not pe.insertion_points(text.text)] == []


@needs_corpus
def test_plants_reach_every_text_of_the_corpus() -> None:
    texts = pe.load_corpus(pe.CORPUS)
    assert {planted.text_id for planted in pe.plant_all(PLANTS, texts)} == {t.id for t in texts}


@needs_corpus
@pytest.mark.parametrize("truth", pe.load_true_findings(), ids=lambda t: f"{t.text_id}: {t.text}")
def test_every_identifier_in_print_is_in_its_text(truth: Any) -> None:
    texts = {text.id: text.text for text in pe.load_corpus(pe.CORPUS)}
    assert truth.category in CATEGORIES
    assert truth.text in texts[truth.text_id]


@needs_corpus
def test_the_script_runs_on_the_real_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    assert pe.main([]) == 0
    assert "26 case reports" in capsys.readouterr().out
