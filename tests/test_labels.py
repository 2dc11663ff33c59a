"""Labels in templates (rendering/labels.py): placed, taken out of the text, marked for Typst."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.core.errors import Location, TemplateError
from casekit.rendering.document import environment, trace_file
from casekit.rendering.helpers import register
from casekit.rendering.labels import Label, Labeller, marked, take_labels


def _render(tmp_path: Path, source: str) -> tuple[str, tuple[Label, ...]]:
    """Render ``source`` as the template sections/s.md.j2; its text and labels."""
    templates = tmp_path / "templates"
    (templates / "sections").mkdir(parents=True, exist_ok=True)
    (templates / "sections" / "s.md.j2").write_text(source, encoding="utf-8")
    env = environment(templates)
    labeller = Labeller()
    register(env, helpers={"label": labeller})
    text, printed = trace_file(env, "sections/s.md.j2", templates)
    clean, _, labels = take_labels(text, printed, labeller.calls)
    return clean, labels


CASES = {
    "call-block": (
        'A. {% call label("R1.2") %}B is new.{% endcall %} C.',
        "A. B is new. C.",
        "B is new.",
    ),
    "function": ('A. {{ label("R1.2", "B is new.") }} C.', "A. B is new. C.", "B is new."),
    "across-paragraphs": (
        '{% call label("R1.2") %}One.\n\nTwo.{% endcall %}\n',
        "One.\n\nTwo.\n",
        "One.\n\nTwo.",
    ),
    "with-values": (
        '{% call label("R1.2") %}Dose {{ 2 * 3 }} mg.{% endcall %}',
        "Dose 6 mg.",
        "Dose 6 mg.",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=list(CASES))
def test_a_label_prints_nothing_and_records_its_text(
    tmp_path: Path, case: tuple[str, str, str]
) -> None:
    source, printed, labelled = case
    text, labels = _render(tmp_path, source)
    assert text == printed
    assert [(label.name, label.text) for label in labels] == [("R1.2", labelled)]
    assert text[labels[0].start : labels[0].end] == labelled


def test_a_label_is_located_at_its_call(tmp_path: Path) -> None:
    _, labels = _render(tmp_path, 'Intro.\n\nText {% call label("R2.1") %}new{% endcall %}.\n')
    where = labels[0].where
    assert where.path is not None and where.path.name == "s.md.j2"
    assert (where.line, where.column) == (3, 14)


def test_the_same_label_placed_twice_is_two_placements(tmp_path: Path) -> None:
    _, labels = _render(tmp_path, '{{ label("R1", "a") }} b {{ label("R1", "c") }}')
    assert [label.text for label in labels] == ["a", "c"]


def test_nested_labels_keep_both(tmp_path: Path) -> None:
    text, labels = _render(
        tmp_path, '{% call label("R1") %}a {{ label("R2", "b") }} c{% endcall %}'
    )
    assert text == "a b c"
    assert {label.name: label.text for label in labels} == {"R1": "a b c", "R2": "b"}


MARKS = {
    "heading": ("# Case {#sec-case}", "Case"),
    "heading-and-text": ("# Case {#sec-case}\n\nText.", "Case {#sec-case}\n\nText."),
    "list-item": ("- first item", "first item"),
    "caption": (": Table 1. Labs at admission. {#tbl-labs}", "Table 1. Labs at admission."),
    "figure": ("![Figure 1. Course.](figures/timeline){#fig-timeline}", "Figure 1. Course."),
    "fenced-div": ("::: note\nInside.\n:::", "Inside."),
}


@pytest.mark.parametrize("case", MARKS.values(), ids=list(MARKS))
def test_marks_stand_inside_the_block_they_label(tmp_path: Path, case: tuple[str, str]) -> None:
    """A label around a whole heading, list item, caption, figure or div puts its marks
    around the block's words, never before its `#`, bullet or `:`, after `{#id}`, or on
    a fence line."""
    block, inner = case
    text, labels = _render(tmp_path, '{% call label("R1") %}' + block + "{% endcall %}")
    label = labels[0]
    assert text[label.start : label.end] == inner


def test_a_label_in_a_caption_argument(tmp_path: Path) -> None:
    text, labels = _render(tmp_path, ': Table 1. {{ label("R3.1", "Labs at admission.") }}\n')
    assert text[labels[0].start : labels[0].end] == "Labs at admission."


def test_a_label_in_a_table_row_is_refused_with_its_place(tmp_path: Path) -> None:
    source = '| a | b |\n|---|---|\n| {{ label("R1.3", "1.2") }} | x |\n'
    with pytest.raises(TemplateError) as caught:
        _render(tmp_path, source)
    error = caught.value
    assert "inside a table row" in error.message
    assert error.location.line == 3 and error.location.column == 6
    assert "caption" in (error.hint or "")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ('label("R 1", "x")', "is not allowed"),
        ('label("R1")', "either as its second argument"),
        ('label("R1", "  ")', "wraps no text"),
        ('label("R1", "x", "y", "z")', "too many positional arguments"),
    ],
    ids=["bad-name", "no-text", "blank", "too-many"],
)
def test_a_wrong_call_stops_at_its_line(tmp_path: Path, call: str, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        _render(tmp_path, "Line one.\n{{ " + call + " }}\n")
    assert message in caught.value.message
    assert caught.value.location.line == 2


def test_marks_are_raw_typst_numbered_through_the_document() -> None:
    text = "One two three."
    labels = (
        Label("R1", 4, 7, "two", Location()),
        Label("R2", 7, 13, " three", Location()),
    )
    out = marked(text, labels, first=5)
    assert out == (
        'One `#metadata((casekit-label: "R1", placement: 5, edge: "start"));`{=typst}two'
        '`#metadata((casekit-label: "R1", placement: 5, edge: "end"));`{=typst}'
        '`#metadata((casekit-label: "R2", placement: 6, edge: "start"));`{=typst} three'
        '`#metadata((casekit-label: "R2", placement: 6, edge: "end"));`{=typst}.'
    )


def test_a_document_without_labels_is_handed_to_pandoc_unchanged(tmp_path: Path) -> None:
    text, labels = _render(tmp_path, "Plain text.\n")
    assert labels == () and marked(text, labels) == text
