"""Figures and tables: numbered by first mention, checked for mention and order."""

from __future__ import annotations

from pathlib import Path

from casekit.inputs.case_file import load_case
from casekit.rendering.figures import make_figure
from casekit.rendering.numbering import Numbering

from .conftest import REPO


def test_numbers_follow_first_mention() -> None:
    numbering = Numbering()
    assert numbering.mention("fig", "b") == "Figure 1"
    assert numbering.mention("tbl", "x") == "Table 1"
    assert numbering.mention("fig", "a") == "Figure 2"
    assert numbering.mention("fig", "b") == "Figure 1"
    numbering.place("fig", "b")
    numbering.place("fig", "a")
    numbering.place("tbl", "x")
    assert numbering.problems() == []


def test_unmentioned_out_of_order_and_unplaced_items_are_problems() -> None:
    numbering = Numbering()
    numbering.mention("fig", "first")
    numbering.mention("fig", "second")
    numbering.place("fig", "second")  # placed before Figure 1
    numbering.place("fig", "first")
    numbering.place("tbl", "silent")  # never mentioned
    numbering.mention("tbl", "ghost")  # never placed
    codes = sorted(code for code, _ in numbering.problems())
    assert codes == ["item-order", "item-order", "unmentioned-item", "unplaced-item"]


def test_placing_before_the_first_mention_is_a_problem() -> None:
    numbering = Numbering()
    numbering.place("fig", "early")
    numbering.mention("fig", "early")
    assert [code for code, _ in numbering.problems()] == ["item-order"]


def test_timeline_figure_is_deterministic_and_cached(tmp_path: Path) -> None:
    case = load_case(
        REPO / "manuscript" / "case.yaml", REPO / "manuscript" / "case-schema.yaml"
    ).value
    first = make_figure("timeline", case, tmp_path / "a", None)
    second = make_figure("timeline", case, tmp_path / "b", None)
    for ext in ("svg", "png"):
        assert first[ext].read_bytes() == second[ext].read_bytes(), ext
    svg = first["svg"].read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "<path" in svg  # vector, no timestamp
    cache = tmp_path / "cache"
    make_figure("timeline", case, tmp_path / "c", cache)
    (cached_png,) = (cache / "figures").glob("timeline-*.png")
    cached_png.write_bytes(b"planted")
    assert make_figure("timeline", case, tmp_path / "d", cache)["png"].read_bytes() == b"planted"
