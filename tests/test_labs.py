"""Rows of a table of results: tests or a series' points, numbers as the text prints them."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from casekit.core.errors import TemplateError
from casekit.inputs import casedata
from casekit.inputs.case_file import load_case
from casekit.inputs.casedata import Case, Point, Series
from casekit.inputs.days import DayRef
from casekit.inputs.quantities import Range
from casekit.rendering.document import environment, render_file
from casekit.rendering.labs import LabRow, lab_rows, point_flag
from casekit.typesetting import pandoc

from .conftest import REPO

SYNTHETIC = Path(__file__).parent / "fixtures" / "myocarditis-case.yaml"


@pytest.fixture(scope="module")
def case() -> Case:
    return load_case(SYNTHETIC).value


@pytest.mark.parametrize(
    ("index", "result", "unit", "reference", "flag", "arrow"),
    [
        (0, "1,250", "ng/L", "≤14", "high", "↑"),
        (1, "3.1", "mmol/L", "3.5–5.1", "low", "↓"),
        (2, "139", "mmol/L", "135–145", "", ""),
        (3, "negative", "", "", "", ""),
    ],
    ids=["high-with-thousands-separator", "low", "in-range", "result-in-words"],
)
def test_test_rows(
    case: Case, index: int, result: str, unit: str, reference: str, flag: str, arrow: str
) -> None:
    assert case.diagnosis is not None
    row = lab_rows(case.diagnosis.tests)[index]
    assert (row.result, row.unit, row.reference, row.flag, row.arrow) == (
        result, unit, reference, flag, arrow,
    )  # fmt: skip


def test_series_rows_are_its_points_in_time_order(case: Case) -> None:
    rows = lab_rows(case.series["troponin"])
    assert [r.result for r in rows] == ["1,250", "410", "52", "undetectable (<3)"]
    assert rows[-1] == LabRow(
        "hs-cTnT", DayRef("admission", 365), "undetectable (<3)", "ng/L", "≤14", "", "one year"
    )


@pytest.mark.parametrize(
    ("point", "reference", "flag"),
    [
        (Point(DayRef("a", 0), 3, "below"), Range(high=14), ""),
        (Point(DayRef("a", 0), 3, "below"), Range(low=5), "low"),
        (Point(DayRef("a", 0), 8, "below"), Range(low=5), ""),
        (Point(DayRef("a", 0), 100, "above"), Range(high=14), "high"),
        (Point(DayRef("a", 0), -2), Range(low=0, high=1), "low"),
        (Point(DayRef("a", 0), 0), None, ""),
    ],
    ids=[
        "below-a-limit-under-the-high-end", "below-a-limit-under-the-low-end",
        "below-a-limit-above-the-low-end", "above-a-limit-over-the-high-end",
        "negative-value", "no-reference",
    ],
)  # fmt: skip
def test_a_value_known_only_past_a_limit_is_flagged_only_when_certain(
    point: Point, reference: Range | None, flag: str
) -> None:
    assert point_flag(point, reference) == flag


def test_a_series_without_below_words_prints_the_limit() -> None:
    series = Series("CRP", "mg/L", (Point(DayRef("a", 0), 0.5, "below"),))
    assert lab_rows(series)[0].result == "<0.5"


def test_rows_fill_a_pipe_table_in_a_template(case: Case, tmp_path: Path) -> None:
    (tmp_path / "table.md.j2").write_text(
        "{% for row in lab_rows(tests) -%}\n"
        "| {{ row.name }} | {{ row.result }} | {{ row.unit }} | {{ row.reference }} "
        "| {{ row.arrow }} |\n{% endfor %}",
        encoding="utf-8",
    )
    assert case.diagnosis is not None
    text = render_file(environment(tmp_path), "table.md.j2", tmp_path, tests=case.diagnosis.tests)
    assert text.splitlines()[0] == "| hs-cTnT | 1,250 | ng/L | ≤14 | ↑ |"


@pytest.mark.parametrize(
    "argument",
    ["'CRP'", "case.diagnosis", "[case.diagnosis.name]"],
    ids=["text", "diagnosis", "list-of-text"],
)
def test_other_arguments_name_the_helper(case: Case, tmp_path: Path, argument: str) -> None:
    (tmp_path / "t.md.j2").write_text(f"{{{{ lab_rows({argument}) }}}}", encoding="utf-8")
    message = r"lab_rows\(\) cannot take .* takes a series or a list"
    with pytest.raises(TemplateError, match=message):
        render_file(environment(tmp_path), "t.md.j2", tmp_path, case=case)


def test_a_single_test_is_not_a_list(case: Case) -> None:
    with pytest.raises(TypeError):
        lab_rows(casedata.Test("x", 1.0))  # type: ignore[arg-type]


def test_the_readme_table_is_a_table_pandoc_reads(case: Case, tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```jinja\n(.*?)```", readme, re.S) if "lab_rows" in b]
    (tmp_path / "labs.md.j2").write_text(textwrap.dedent(block), encoding="utf-8")
    env = environment(tmp_path)
    env.globals["table_caption"] = lambda name, caption: f": Table 1. {caption}"
    text = render_file(env, "labs.md.j2", tmp_path, case=case)
    assert "| Potassium | 3.1 | mmol/L | 3.5–5.1 | ↓ |" in text
    ast = json.loads(pandoc.run(["--from=markdown", "--to=json"], stdin=text))
    (table,) = [block for block in ast["blocks"] if block["t"] == "Table"]
    assert '{"t": "Str", "c": "Laboratory"}' in json.dumps(table)  # its caption
