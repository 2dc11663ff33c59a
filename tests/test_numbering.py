"""Figures and tables: numbered by first mention, checked for mention and order."""

from __future__ import annotations

from casekit.rendering.numbering import Numbering


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
