"""Helpers and filters given wrong arguments name themselves (rendering/helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.building.prepare import render
from casekit.core.errors import TemplateError
from casekit.inputs.case_file import load_case
from casekit.rendering.document import FILTERS
from casekit.rendering.helpers import HelperArgumentError, checked, usage

from .conftest import copy_example, plan_for

HELPERS = {
    # name: (arguments it does take, how the message shows the call)
    "abbr": ("'LVEF'", "abbr(short, start=False, article=None)"),
    "fig": ("'x'", "fig(name)"),
    "tbl": ("'x'", "tbl(name)"),
    "figure": ("'timeline', 'y'", "figure(name, caption, alt=None, kind=None, series=None, "),
    "table_caption": ("'x', 'y'", "table_caption(name, caption)"),
    "timeline_rows": ("case", "timeline_rows("),
}


def _render_with(tmp_path: Path, line: str) -> TemplateError:
    """Render a copy of the example whose introduction starts with ``line``."""
    project = copy_example(tmp_path / "project")
    intro = project / "templates" / "sections" / "introduction.md.j2"
    text = intro.read_text(encoding="utf-8").replace("# Introduction", f"{line}\n# Introduction")
    intro.write_text(text, encoding="utf-8")
    plan = plan_for(project, "md")
    with pytest.raises(TemplateError) as info:
        render(plan, load_case(plan.project.case_yaml, plan.project.case_schema).value)
    return info.value


@pytest.mark.parametrize("name", list(HELPERS), ids=list(HELPERS))
def test_every_helper_names_itself_and_what_it_takes(tmp_path: Path, name: str) -> None:
    arguments, shown = HELPERS[name]
    error = _render_with(tmp_path, f"{{{{ {name}({arguments}, capitalize=True) }}}}")
    assert error.location.path is not None and error.location.path.name == "introduction.md.j2"
    assert error.location.line == 2  # the care declaration is line 1
    assert f"{name}() got an unexpected keyword argument 'capitalize'" in error.message
    assert shown in error.message
    assert error.hint is not None and "helper" in error.hint


@pytest.mark.parametrize("name", list(FILTERS), ids=list(FILTERS))
def test_every_filter_names_itself_and_what_it_takes(tmp_path: Path, name: str) -> None:
    error = _render_with(tmp_path, f"{{{{ 1 | {name}(1, 2, 3) }}}}")
    assert error.location.line == 2
    assert f"{name}() too many positional arguments" in error.message
    assert f"| {name}" in error.message


def test_a_value_of_the_wrong_kind_names_the_filter(tmp_path: Path) -> None:
    error = _render_with(tmp_path, "{{ '5 kg' | qty }}")
    assert error.location.line == 2
    assert error.message.startswith("qty() cannot take '5 kg'")
    assert "(quantity | qty(digits=2))" in error.message


def test_the_readme_example_message() -> None:
    def abbr(short: str, start: bool = False, article: str | None = None) -> str:
        return short

    with pytest.raises(HelperArgumentError) as info:
        checked("abbr", abbr)("LVEF", capitalize=True)
    assert str(info.value) == (
        "abbr() got an unexpected keyword argument 'capitalize' "
        "(abbr(short, start=False, article=None))"
    )


@pytest.mark.parametrize(
    ("is_filter", "expected"),
    [(False, "qty(quantity, digits=2)"), (True, "quantity | qty(digits=2)")],
    ids=["helper", "filter"],
)
def test_usage_shows_the_call(is_filter: bool, expected: str) -> None:
    assert usage("qty", FILTERS["qty"], is_filter=is_filter) == expected


def test_a_checked_helper_returns_what_the_helper_returns() -> None:
    assert checked("num", FILTERS["num"], is_filter=True)(0.5) == "0.5"
