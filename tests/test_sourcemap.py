"""Rendered text traced back to where it was written: a template's line and column, or the
data field whose value a template printed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from casekit.core.errors import Location
from casekit.inputs.sourcemap import Printed, Rendered, Sources, locate, shifted
from casekit.rendering.document import environment, trace_file, trace_string


def _rendered(tmp_path: Path, template: str, **context: Any) -> Rendered:
    path = tmp_path / "s.md.j2"
    path.write_text(template, encoding="utf-8")
    text, printed = trace_file(environment(tmp_path), "s.md.j2", tmp_path, **context)
    return Rendered(path, text, printed)


def _span(rendered: Rendered, text: str, nth: int = 0) -> tuple[int, int]:
    at = -1
    for _ in range(nth + 1):
        at = rendered.text.index(text, at + 1)
    return at, at + len(text)


def test_template_words_and_a_printed_value(tmp_path: Path) -> None:
    """'admitted with fever of' is the template's, '39' the data's: the finding is at the
    template's line and column, and the data field is named with it."""
    data = tmp_path / "case.yaml"
    data.write_text("vitals:\n  temperature: 39.5–40.1 °C\n", encoding="utf-8")
    rendered = _rendered(
        tmp_path,
        "{## a comment ##}\n# Case\n\nThe infant was admitted with fever of {{ t }}.\n",
        t="39.5–40.1 °C",
    )
    where, also = locate(rendered, *_span(rendered, "admitted with fever of 39"), Sources([data]))
    assert where == Location(rendered.source, 4, 16)
    assert also == (Location(data, 2, 16, "vitals.temperature"),)


def test_a_value_printed_from_the_data_is_located_at_its_field(tmp_path: Path) -> None:
    data = tmp_path / "case.yaml"
    data.write_text("follow_up:\n  status: 'well, seen on March 4'\n", encoding="utf-8")
    rendered = _rendered(
        tmp_path, "Intro.\n\nAt follow-up she was {{ s }}. Next.\n", s="well, seen on March 4"
    )
    where, also = locate(rendered, *_span(rendered, "March 4"), Sources([data]))
    assert where == Location(data, 2, 26, "follow_up.status")
    assert also == (Location(rendered.source, 3, 22),)  # the {{ that printed it


def test_a_value_printed_in_a_loop_names_its_own_item(tmp_path: Path) -> None:
    data = tmp_path / "case.yaml"
    data.write_text(
        "timeline:\n  - {day: 1, note: first visit}\n  - {day: 9, note: seen on May 2nd}\n",
        encoding="utf-8",
    )
    template = "| day | note |\n{% for e in rows -%}\n| {{ e.day }} | {{ e.note }} |\n{% endfor %}"
    rows = [{"day": 1, "note": "first visit"}, {"day": 9, "note": "seen on May 2nd"}]
    rendered = _rendered(tmp_path, template, rows=rows)
    where, also = locate(rendered, *_span(rendered, "May 2nd"), Sources([data]))
    assert where == Location(data, 3, 28, "timeline.1.note")
    assert also == (Location(rendered.source, 3, 17),)


def test_of_two_fields_with_one_value_the_one_the_expression_names(tmp_path: Path) -> None:
    """A method and a test's name both read 'flow cytometry': ``{{ mrd.method }}`` printed
    the method, whichever comes first in the file."""
    data = tmp_path / "case.yaml"
    data.write_text(
        "tests:\n  - name: flow cytometry\nseries:\n  mrd:\n    method: flow cytometry\n",
        encoding="utf-8",
    )
    rendered = _rendered(
        tmp_path, "MRD by {{ mrd.method }} was low.\n", mrd={"method": "flow cytometry"}
    )
    where, _ = locate(rendered, *_span(rendered, "flow cytometry"), Sources([data]))
    assert where == Location(data, 5, 13, "series.mrd.method")


def test_a_value_no_field_holds_is_located_at_the_expression(tmp_path: Path) -> None:
    """A date a template builds from pieces: the {{ }} that printed it."""
    rendered = _rendered(
        tmp_path, "One.\nSeen on {{ month ~ ' ' ~ day }}, late.\n", month="March", day=4
    )
    where, also = locate(rendered, *_span(rendered, "March 4"), Sources([]))
    assert (where, also) == (Location(rendered.source, 2, 9), ())


def test_white_space_control_does_not_move_the_column(tmp_path: Path) -> None:
    template = "{%- if yes -%}\n   Admitted on March 4,\n{%- endif %} home."
    rendered = _rendered(tmp_path, template, yes=True)
    assert rendered.text == "Admitted on March 4, home."
    where, _ = locate(rendered, *_span(rendered, "March 4"), Sources([]))
    assert where == Location(rendered.source, 2, 16)


def test_template_text_held_in_a_data_field(tmp_path: Path) -> None:
    """The abstract is a template written in manuscript.yaml: a finding in what it printed
    is placed at its line and column in that file, with the field."""
    manuscript = tmp_path / "manuscript.yaml"
    abstract = "First line.\nShe was admitted with fever of {{ t }} at home.\n"
    manuscript.write_text(
        "title: T\nabstract: |\n  First line.\n  She was admitted with fever of {{ t }} at home.\n",
        encoding="utf-8",
    )
    text, printed = shifted(
        *trace_string(environment(tmp_path), abstract, Location(manuscript, 2), t="39")
    )
    rendered = Rendered(manuscript, text, printed, "abstract")
    where, _ = locate(
        rendered, *_span(rendered, "admitted with fever of 39"), Sources([manuscript])
    )
    assert where == Location(manuscript, 4, 11, "abstract")


def test_without_a_record_the_template_alone_is_named(tmp_path: Path) -> None:
    rendered = Rendered(tmp_path / "s.md.j2", "Seen on March 4.")
    assert locate(rendered, 8, 15, Sources([])) == (Location(rendered.source), ())


def test_a_privacy_waiver_is_never_taken_for_printed_data(tmp_path: Path) -> None:
    data = tmp_path / "manuscript.yaml"
    data.write_text(
        "privacy_waivers:\n  - {text: seen on March 4, category: date}\n", encoding="utf-8"
    )
    rendered = _rendered(tmp_path, "Was {{ s }}.\n", s="seen on March 4")
    where, _ = locate(
        rendered, *_span(rendered, "March 4"), Sources([data], skip=["privacy_waivers"])
    )
    assert where == Location(rendered.source, 1, 5)


def _stretches(*starts: int) -> tuple[Printed, ...]:
    return tuple(Printed(start, None, 1, i % 2 == 0) for i, start in enumerate(starts))


@pytest.mark.parametrize(
    ("text", "starts", "kept"),
    [
        ("  ab", (0, 3), (0, 1)),
        ("\n\nab  \n", (0, 2, 4), (0,)),
        ("ab\n\n", (0, 2), (0,)),
    ],
    ids=["leading-space", "a-stretch-all-white", "trailing"],
)
def test_stripping_moves_the_stretches(
    text: str, starts: tuple[int, ...], kept: tuple[int, ...]
) -> None:
    stripped, moved = shifted(text, _stretches(*starts))
    assert stripped == text.strip()
    assert tuple(p.start for p in moved) == kept
