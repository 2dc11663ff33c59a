"""Located errors, one line each; several raised together by a collector."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.core.errors import (
    BibError,
    CasekitError,
    CasekitErrors,
    Collector,
    InputError,
    InputErrors,
    Location,
)


def _error(line: int, message: str = "bad", cls: type[CasekitError] = InputError) -> CasekitError:
    return cls(message, Location(Path("case.yaml"), line, 3, "field"), hint="fix it")


def test_one_line_names_file_line_column_field_kind_and_hint() -> None:
    line = _error(4).one_line()
    assert line == "case.yaml:4:3 [field]: input error: bad (hint: fix it)"


def test_a_collector_with_nothing_raises_nothing() -> None:
    collector = Collector()
    collector.raise_if_any()
    assert len(collector) == 0


def test_one_collected_error_is_raised_as_itself() -> None:
    collector = Collector()
    error = _error(2)
    collector.add(error)
    with pytest.raises(InputError) as info:
        collector.raise_if_any()
    assert info.value is error


def test_several_are_raised_together_in_the_order_of_the_file() -> None:
    collector = Collector()
    for line in (9, 2, 5):
        collector.add(_error(line, f"line {line}"))
    with pytest.raises(InputErrors) as info:
        collector.raise_if_any()
    group = info.value
    assert [e.location.line for e in group.errors] == [2, 5, 9]
    assert (group.message, group.location.line, group.kind) == ("line 2", 2, "input error")
    assert isinstance(group, InputError)  # `except InputError` still catches them


@pytest.mark.parametrize(
    ("kinds", "raised"),
    [((InputError, InputError), InputErrors), ((InputError, BibError), CasekitErrors)],
    ids=["input-errors", "mixed"],
)
def test_the_group_is_an_input_error_only_when_every_error_is(
    kinds: tuple[type[CasekitError], ...], raised: type[CasekitErrors]
) -> None:
    collector = Collector()
    for line, cls in enumerate(kinds, 1):
        collector.add(_error(line, cls=cls))
    with pytest.raises(CasekitErrors) as info:
        collector.raise_if_any()
    assert type(info.value) is raised


def test_adding_a_group_adds_each_of_its_errors() -> None:
    collector = Collector()
    collector.add(InputErrors([_error(1), _error(2)]))
    collector.add(_error(3))
    assert len(collector) == 3
