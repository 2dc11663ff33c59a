"""Rendering templates: strict, sandboxed, and friendly to pandoc's own syntax."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.building.prepare import prepare
from casekit.core.errors import Location, TemplateError
from casekit.inputs.days import DayRef
from casekit.inputs.quantities import Quantity
from casekit.rendering.document import (
    day,
    environment,
    num,
    qty,
    render_file,
    render_string,
    trace_file,
)
from casekit.rendering.figures import Figure
from casekit.rendering.timeline_figure import TimelineOptions

from .conftest import plan_for


def _templates(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        path = tmp_path / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_pandoc_attributes_survive_and_comments_use_double_hash(tmp_path: Path) -> None:
    root = _templates(tmp_path, **{"s.md.j2": "# Case {#sec-case}\n{## hidden ##}Visible\n"})
    out = render_file(environment(root), "s.md.j2", root)
    assert out == "# Case {#sec-case}\nVisible\n"


def test_undefined_value_fails_with_template_line(tmp_path: Path) -> None:
    root = _templates(tmp_path, **{"s.md.j2": "line one\n\nAge {{ patient.agee }}\n"})
    with pytest.raises(TemplateError, match="undefined value") as info:
        render_file(environment(root), "s.md.j2", root, patient={"age": 3})
    assert info.value.location.line == 3
    assert info.value.location.path == root / "s.md.j2"


def test_undefined_value_in_rarely_used_branch_fails_when_reached(tmp_path: Path) -> None:
    text = "{% if flag %}\n{{ missing }}\n{% endif %}ok\n"
    root = _templates(tmp_path, **{"s.md.j2": text})
    assert render_file(environment(root), "s.md.j2", root, flag=False) == "ok\n"
    with pytest.raises(TemplateError) as info:
        render_file(environment(root), "s.md.j2", root, flag=True)
    assert info.value.location.line == 2


def test_error_inside_an_included_partial_names_the_partial(tmp_path: Path) -> None:
    root = _templates(
        tmp_path,
        **{"s.md.j2": "{% include 'partials/p.md.j2' %}\n", "partials__p.md.j2": "\n{{ nope }}\n"},
    )
    with pytest.raises(TemplateError) as info:
        render_file(environment(root), "s.md.j2", root)
    assert info.value.location.path == root / "partials" / "p.md.j2"
    assert info.value.location.line == 2


def test_include_loop_is_an_error_not_a_crash(tmp_path: Path) -> None:
    root = _templates(
        tmp_path, **{"a.md.j2": "{% include 'b.md.j2' %}", "b.md.j2": "{% include 'a.md.j2' %}"}
    )
    with pytest.raises(TemplateError):
        render_file(environment(root), "a.md.j2", root)


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ meta.__class__.__subclasses__() }}",
    ],
    ids=["mro", "globals", "subclasses"],
)
def test_templates_cannot_reach_python_internals(tmp_path: Path, source: str) -> None:
    root = _templates(tmp_path, **{"s.md.j2": source})
    with pytest.raises(TemplateError):
        render_file(environment(root), "s.md.j2", root, meta=object())


def test_string_template_errors_point_into_the_data_file(tmp_path: Path) -> None:
    where = Location(tmp_path / "manuscript.yaml", 10, None, "abstract")
    with pytest.raises(TemplateError) as info:
        render_string(environment(tmp_path), "first\nsecond {{ x.y }}\n", where, x={})
    assert info.value.location.line == 12


@pytest.mark.parametrize(
    ("ref", "text"),
    [(DayRef("infusion", 28), "day +28"), (DayRef("infusion", 0), "day 0"),
     (DayRef("transplant", -7), "day −7")],
    ids=["after", "same-day", "before"],
)  # fmt: skip
def test_day(ref: DayRef, text: str) -> None:
    assert day(ref) == text


def test_numbers_and_quantities() -> None:
    assert num(0.50) == "0.5"
    assert num(3.0) == "3"
    assert num(12000) == "12,000"
    assert qty(Quantity(6.3, "%")) == "6.3%"
    assert qty(Quantity(6.1, "kg")) == "6.1\u00a0kg"  # never broken across lines
    assert str(Quantity(1250, "ng/L")) == "1,250\u00a0ng/L"


def _figure_call(project: Path, options: str, after: str = "") -> None:
    case_template = project / "templates" / "sections" / "case.md.j2"
    text = case_template.read_text(encoding="utf-8")
    old = '{{ figure("timeline", "Timeline of care.'
    assert old in text
    new = f'{{{{ figure("timeline", {options}caption="Timeline of care.'
    case_template.write_text(text.replace(old, new) + after, encoding="utf-8")


def test_the_document_carries_each_figures_options(example: Path) -> None:
    _figure_call(example, "xlim=[0, 240], ")
    (figure,) = prepare(plan_for(example)).document.figures
    options = TimelineOptions((("mrd",),), xlim=(0, 240))
    assert figure == Figure("timeline", "timeline", options, figure.alt)
    # The alt text tells the days drawn: up to day 240, not the follow-up at day 560.
    assert "from day 0 to day 225 since diagnosis" in figure.alt


def test_a_figure_placed_twice_with_other_options_is_refused(example: Path) -> None:
    _figure_call(example, "", after='\n{{ figure("timeline", "Again.", xlim=[0, 30]) }}\n')
    with pytest.raises(TemplateError, match=r"figure\('timeline'\) is placed twice"):
        prepare(plan_for(example))


TRACED = (
    "{## care: 5a ##}\n"
    "# Case\n"
    "{%- if flag -%}\n"
    "  A {{ age }} infant.\n"
    "{%- endif %}\n"
    "{% for row in rows -%}\n"
    "| {{ row }} |\n"
    "{% endfor %}"
    '{% include "part.md.j2" %}\n'
)


def test_tracing_prints_what_render_prints_and_where_from(tmp_path: Path) -> None:
    """Each stretch of the text names the template line that printed it, and whether it
    is the template's own text or the value of an expression."""
    root = _templates(tmp_path, **{"s.md.j2": TRACED, "part.md.j2": "Part {{ age }}.\n"})
    env = environment(root)
    context = {"flag": True, "age": "3-month-old", "rows": ["a", "b"]}
    text, printed = trace_file(env, "s.md.j2", root, **context)
    assert text == render_file(env, "s.md.j2", root, **context)
    ends = [*(p.start for p in printed[1:]), len(text)]
    pieces = [
        (text[p.start : end], p.line, p.literal) for p, end in zip(printed, ends, strict=True)
    ]
    assert pieces[:10] == [
        ("\n# Case", 1, True),  # the comment's line break, then the heading
        ("A ", 3, True),  # after `-%}`: Jinja names the tag's line
        ("3-month-old", 4, False),
        (" infant.", 4, True),
        ("\n", 4, True),  # after `{%- endif %}`: the line of the last code before it
        ("| ", 6, True),
        ("a", 7, False),
        (" |\n", 7, True),
        ("| ", 6, True),
        ("b", 7, False),
    ]
    # What an included template prints is named by the line that includes it.
    assert pieces[-4:-1] == [("Part ", 8, False), ("3-month-old", 8, False), (".\n", 8, False)]
    assert {p.template for p in printed} == {root / "s.md.j2"}


def test_the_example_document_records_where_each_stretch_came_from(example: Path) -> None:
    document = prepare(plan_for(example, "md")).document
    for section in document.sections:
        assert section.printed and section.printed[0].start == 0
        starts = [p.start for p in section.printed]
        assert starts == sorted(starts) and starts[-1] < len(section.markdown)
    assert document.abstract_printed and document.abstract.startswith("**Introduction:**")
    assert {p.template for p in document.abstract_printed} == {None}
    # The front and end matter too; each statement is traced on its own, in its field.
    for printed, text in ((document.front_printed, document.front),
                          (document.back_printed, document.back)):  # fmt: skip
        assert printed and printed[0].start == 0 and printed[-1].start < len(text)
    statements = {heading: text for heading, text, _ in document.statements}
    assert statements["Patient consent"].startswith("Written informed consent")
    assert all(printed for _, _, printed in document.statements)
