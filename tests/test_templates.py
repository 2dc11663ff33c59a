"""The author's template files and their syntax (inputs/templates.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.inputs.templates import (
    blank_template_code,
    declarations,
    located_declarations,
    template_files,
)


@pytest.mark.parametrize(
    ("text", "blanked"),
    [
        ("Age {{ case.age }} years", "Age                years"),
        ("{% if x %}yes{% endif %}", "          yes           "),
        ("a {## care: 5a ##} b", "a " + " " * 16 + " b"),
        ("{## one\ntwo ##}x", " " * 7 + "\n" + " " * 7 + "x"),
        ("# Case {#sec-case}", "# Case {#sec-case}"),
    ],
    ids=["expression", "tags", "comment", "multi-line-comment", "pandoc-attribute"],
)
def test_template_code_is_blanked_in_place(text: str, blanked: str) -> None:
    assert blank_template_code(text) == blanked


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("{## care: 5a 5b 6 ##}\n# Case", ["5a", "5b", "6"]),
        ("{##care: 5a, 5b##}", ["5a", "5b"]),
        ("{## care: 1 ##} text {## care:\n 2 ##}", ["1", "2"]),
        ("{## other: 5a ##}", []),
        ("{## care: 5a # note ##}", []),
    ],
    ids=["spaces", "commas", "two-comments", "other-name", "hash-inside"],
)
def test_declarations_in_comments(text: str, items: list[str]) -> None:
    assert declarations(text, "care") == items


def test_declarations_carry_the_line_of_their_comment() -> None:
    text = "{## A note. ##}\n{## care: 5a\n 5b ##}\n# Case\n{## care: 6 ##}"
    assert located_declarations(text, "care") == [(2, "5a"), (2, "5b"), (5, "6")]


def test_template_files_are_every_j2_file_in_order(tmp_path: Path) -> None:
    for name in ("sections/b.md.j2", "sections/a.md.j2", "front.md.j2", "reference.docx"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in template_files(tmp_path)]
    assert found == ["front.md.j2", "sections/a.md.j2", "sections/b.md.j2"]


def test_no_template_folder_means_no_templates(tmp_path: Path) -> None:
    assert template_files(tmp_path / "absent") == []
