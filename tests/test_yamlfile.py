"""YAML into typed dataclasses, with every error pointing at file, line and field."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pytest

from casekit.core.errors import InputError
from casekit.core.yamlfile import load


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
