"""YAML into typed dataclasses, with every error pointing at file, line and field."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pytest

from casekit.core.errors import InputError, InputErrors
from casekit.core.yamlfile import load, scalars


@dataclass(frozen=True)
class Inner:
    value: int
    unit: Literal["mg", "g"] = "mg"


@dataclass(frozen=True)
class Outer:
    name: str
    items: tuple[Inner, ...] = ()
    ratio: float = 1.0
    flag: bool = False
    note: str | None = None
    tags: dict[str, str] = field(default_factory=dict)


def _load(tmp_path: Path, text: str) -> Outer:
    path = tmp_path / "data.yaml"
    path.write_text(text, encoding="utf-8")
    return load(path, Outer).value


def test_a_valid_file_converts_to_frozen_dataclasses(tmp_path: Path) -> None:
    value = _load(tmp_path, "name: x\nitems:\n  - {value: 2, unit: g}\nratio: 3\nnote: null\n")
    assert value == Outer("x", (Inner(2, "g"),), 3.0, False, None, {})


def test_text_fields_keep_what_was_written(tmp_path: Path) -> None:
    assert _load(tmp_path, "name: 2019-05-03\n").name == "2019-05-03"
    assert _load(tmp_path, "name: 1.10\n").name == "1.10"


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("name: x\nitems:\n  - {value: two}\n", 3, 13, "expected an integer"),
        ("name: x\nitems:\n  - {unit: g}\n", 3, 5, "missing required field 'value'"),
        ("name: x\nitems:\n  - {value: 1, unit: kg}\n", 3, 22, "'kg' is not allowed"),
        ("name: x\nratoi: 2\n", 2, 1, "unknown field 'ratoi'"),
        ("name: x\nflag: 1\n", 2, 7, "expected true/false"),
        ("name: x\nname: y\n", 2, 1, "duplicate key 'name'"),
        ("name: [x\n", 2, 1, "YAML syntax error"),
        ("name: x\n\tflag: true\n", 2, 1, "YAML syntax error"),
        ("- just\n- a list\n", 1, 1, "expected a mapping"),
        ("", 1, None, "file is empty"),
        ("name: x\nitems: {value: 1}\n", 2, 8, "expected a list"),
        ("name: x\ntags: [a]\n", 2, 7, "expected a mapping"),
    ],
    ids=[
        "wrong-type", "missing-field", "bad-choice", "unknown-field", "int-for-bool",
        "duplicate-key", "syntax", "tab", "not-a-mapping", "empty", "mapping-for-list",
        "list-for-mapping",
    ],
)  # fmt: skip
def test_errors_are_located(
    tmp_path: Path, text: str, line: int, column: int | None, message: str
) -> None:
    with pytest.raises(InputError, match=message) as info:
        _load(tmp_path, text)
    assert info.value.location.line == line
    assert info.value.location.column == column


def test_unknown_field_suggests_the_close_name(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        _load(tmp_path, "name: x\nratoi: 2\n")
    assert info.value.hint == "did you mean 'ratio'?"


def test_field_locations_are_recorded(tmp_path: Path) -> None:
    path = tmp_path / "data.yaml"
    path.write_text("name: x\nitems:\n  - value: 1\n  - value: 2\n", encoding="utf-8")
    loaded = load(path, Outer)
    assert loaded.where("items.1.value").line == 4
    assert loaded.where("items.1.unit").line == 4  # falls back to the nearest parent


def test_non_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "data.yaml"
    path.write_bytes(b"name: x\nnote: caf\xe9\n")
    with pytest.raises(InputError, match="not valid UTF-8") as info:
        load(path, Outer)
    assert (info.value.location.line, info.value.location.column) == (2, 10)


def test_every_error_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        "name: x\n"
        "items:\n"
        "  - {value: two}\n"  # wrong type
        "  - {unit: g}\n"  # missing field
        "  - {value: 1, unit: kg}\n"  # bad choice
        "ratoi: 2\n"  # unknown field
        "flag: 1\n"  # wrong type
    )
    with pytest.raises(InputErrors) as info:
        _load(tmp_path, text)
    where = [(e.location.line, e.location.column, e.location.field) for e in info.value.errors]
    assert where == [
        (3, 13, "items.0.value"),
        (4, 5, "items.1.value"),
        (5, 22, "items.2.unit"),
        (6, 1, "ratoi"),
        (7, 7, "flag"),
    ]
    assert info.value.message == info.value.errors[0].message  # the first stands for all


def test_a_bad_field_is_skipped_and_its_siblings_still_converted(tmp_path: Path) -> None:
    # The list under `items` is skipped whole; `flag` after it is still checked.
    with pytest.raises(InputErrors) as info:
        _load(tmp_path, "name: x\nitems: {value: 1}\nflag: maybe\n")
    assert [e.location.field for e in info.value.errors] == ["items", "flag"]


def test_one_error_is_raised_as_itself(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        _load(tmp_path, "name: x\nflag: 1\n")
    assert not isinstance(info.value, InputErrors)
    assert info.value.errors == (info.value,)


@pytest.mark.parametrize(
    ("text", "errors", "hint"),
    [
        ("nmae: x\n", ["nmae"], "did you mean 'name'?"),
        ("label: x\n", ["label"], "did you mean 'name'? it is required and missing here"),
        ("label: x\nflag: true\nratoi: 2\n", ["label", "ratoi"], "did you mean 'name'? it is"),
        ("flag: true\n", ["name"], "add `name:` to this mapping"),
    ],
    ids=["misspelt", "renamed", "renamed-and-misspelt", "missing"],
)
def test_a_misnamed_field_is_one_error_not_two(
    tmp_path: Path, text: str, errors: list[str], hint: str
) -> None:
    with pytest.raises(InputError) as info:
        _load(tmp_path, text)
    assert [e.location.field for e in info.value.errors] == errors
    assert (info.value.errors[0].hint or "").startswith(hint)


@pytest.mark.parametrize(
    ("text", "field", "hint"),
    [
        ("name: x\nitems:\n  - {value: 1,250}\n", "items.0.250", "without it (1250)"),
        ("name: x\nitems:\n  - {value: 5,2, unit: g}\n", "items.0.2", "without it (5.2)"),
        ("name: {troponin 1,250 ng/L}\n", "name", 'quote the text, e.g. "troponin 1,250 ng/L"'),
        ("name: [a, b]\n", "name", "[ ] around text make a list"),
    ],
    ids=["thousands", "decimal-comma", "braces-around-text", "brackets-around-text"],
)
def test_valid_yaml_that_means_something_else_gets_a_hint(
    tmp_path: Path, text: str, field: str, hint: str
) -> None:
    with pytest.raises(InputError) as info:
        _load(tmp_path, text)
    assert info.value.location.field == field
    assert hint in (info.value.hint or "")


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("name: ratio 2: 1\n", 'quote the value, e.g. name: "ratio 2: 1"'),
        ("name: *starred*\n", "a value starting with * is a YAML alias"),
        ("name: & co\n", "a value starting with & is a YAML anchor"),
        ("name: @home\n", "YAML does not allow @ at the start of a value"),
        ("name: 'it's'\n", "write it twice"),
        ("name: x\n\tflag: true\n", "spaces, not tabs"),
        ("name: x\n  flag: true\n", "check indentation and quoting on that line"),
    ],
    ids=["colon", "star", "ampersand", "at-sign", "apostrophe", "tab", "indentation"],
)
def test_syntax_errors_get_the_hint_of_their_trap(tmp_path: Path, text: str, hint: str) -> None:
    with pytest.raises(InputError, match="YAML syntax error") as info:
        _load(tmp_path, text)
    assert hint in (info.value.hint or "")


SCALARS = """\
title: Plain text, seen on March 4
quoted: "She said \\"hi\\" on March 4"
list:
  - {at: day 1, note: seen on March 4}
block: |
  First line.
  Seen on March 4 again.
folded: >
  Seen on
  March 4 here.
"""


@pytest.mark.parametrize(
    ("field", "line"),
    [("title", 1), ("quoted", 2), ("list.0.note", 4), ("block", 7), ("folded", 10)],
    ids=["plain", "quoted-with-escapes", "flow-in-a-list", "literal-block", "folded"],
)
def test_a_stretch_of_a_value_is_found_where_it_is_written(field: str, line: int) -> None:
    """Exact where the stretch is written as it reads; broken over a fold, by its first
    word."""
    (scalar,) = [s for s in scalars(SCALARS, Path("x.yaml")) if s.field == field]
    start = scalar.value.index("March")
    at = scalar.offset_of(SCALARS, start, start + len("March 4"))
    assert SCALARS.count("\n", 0, at) + 1 == line
    assert SCALARS[at : at + 5] == "March"


def test_scalars_name_every_value_by_its_field() -> None:
    found = scalars(SCALARS, Path("x.yaml"))
    assert [s.field for s in found] == [
        "title", "quoted", "list.0.at", "list.0.note", "block", "folded",
    ]  # fmt: skip
    assert found[5].value == "Seen on March 4 here.\n"
