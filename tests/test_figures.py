"""Figures: the template's options checked, the timeline drawn as asked, deterministic and
cached by what it shows.

tests/fixtures/myocarditis-case.yaml is a synthetic case with two linear series in
different units (CRP, ESR), a linear series through zero to a negative value (fluid
balance), a log-scale series with a value below its detection limit, and a follow-up a
year after a fortnight in hospital.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from casekit.inputs.case_file import load_case
from casekit.inputs.casedata import Case
from casekit.rendering.figures import Figure, figure_spec, make_figure
from casekit.rendering.helpers import HelperArgumentError
from casekit.rendering.timeline_figure import FigureOptionError, segments, timeline_data

from .conftest import REPO

SYNTHETIC = Path(__file__).parent / "fixtures" / "myocarditis-case.yaml"


@pytest.fixture(scope="module")
def case() -> Case:
    return load_case(SYNTHETIC).value


@pytest.fixture(scope="module")
def example_case() -> Case:
    manuscript = REPO / "manuscript"
    return load_case(manuscript / "case.yaml", manuscript / "case-schema.yaml").value


def drawn(case: Case, tmp_path: Path, **options: Any) -> str:
    """The SVG of a timeline figure with ``options``."""
    spec = figure_spec(case, "timeline", **options)
    return make_figure(spec, case, tmp_path, None)["svg"].read_text(encoding="utf-8")


def marks(svg: str, gid: str) -> int:
    """How many markers the SVG group ``gid`` draws (one ``<use>`` per point)."""
    found = re.search(rf'<g id="{gid}">(.*?)</g>\s*</g>', svg, re.S)
    assert found, f"no group {gid}"
    return found.group(1).count("<use ")


def test_the_timeline_figure_is_deterministic_and_cached(
    example_case: Case, tmp_path: Path
) -> None:
    spec = figure_spec(example_case, "timeline")
    first = make_figure(spec, example_case, tmp_path / "a", None)
    second = make_figure(spec, example_case, tmp_path / "b", None)
    for ext in ("svg", "png"):
        assert first[ext].read_bytes() == second[ext].read_bytes(), ext
    svg = first["svg"].read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "<path" in svg  # vector, no timestamp
    cache = tmp_path / "cache"
    make_figure(spec, example_case, tmp_path / "c", cache)
    (cached_png,) = (cache / "figures").glob("timeline-*.png")
    cached_png.write_bytes(b"planted")
    assert make_figure(spec, example_case, tmp_path / "d", cache)["png"].read_bytes() == b"planted"


def test_the_cache_key_includes_the_options(case: Case, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    whole = figure_spec(case, "timeline")
    make_figure(whole, case, tmp_path / "a", cache)
    (cached,) = (cache / "figures").glob("timeline-*.png")
    cached.write_bytes(b"planted")
    zoomed = figure_spec(case, "timeline", xlim=[0, 12])
    assert make_figure(zoomed, case, tmp_path / "b", cache)["png"].read_bytes() != b"planted"


def test_another_figures_cache_is_left_alone(case: Case, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    make_figure(figure_spec(case, "timeline-labs", kind="timeline"), case, tmp_path, cache)
    make_figure(figure_spec(case, "timeline", xlim=[0, 12]), case, tmp_path, cache)
    make_figure(figure_spec(case, "timeline"), case, tmp_path, cache)
    names = sorted(p.name.rsplit("-", 1)[0] for p in (cache / "figures").glob("*.svg"))
    assert names == ["timeline", "timeline-labs"]


@pytest.mark.parametrize(
    ("options", "panels"),
    [
        ({}, (("crp",), ("esr",), ("balance",), ("troponin",))),
        ({"series": ["troponin", "crp"]}, (("troponin",), ("crp",))),
        ({"panels": [["crp", "esr"], ["balance"]]}, (("crp", "esr"), ("balance",))),
    ],
    ids=["default-every-series", "series-one-panel-each", "panels-grouped"],
)
def test_the_template_chooses_series_and_panels(
    case: Case, options: dict[str, Any], panels: tuple[tuple[str, ...], ...]
) -> None:
    assert figure_spec(case, "timeline", **options).options.panels == panels


def test_series_of_two_units_share_a_panel_with_an_axis_each(case: Case) -> None:
    options = figure_spec(case, "timeline", panels=[["crp", "esr"]]).options
    (panel,) = timeline_data(case, options)["panels"]
    assert [axis["label"] for axis in panel["axes"]] == ["CRP (mg/L)", "ESR (mm/h)"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"series": ["troponn"]}, "figure('timeline'): no series 'troponn'; the case has: crp"),
        ({"series": ["crp"], "panels": [["crp"]]}, "give series= (one panel each) or panels="),
        ({"panels": ["crp"]}, "each panel must be a list of series names, not 'crp'"),
        ({"panels": [["crp"], ["crp"]]}, "a series is named twice"),
        ({"panels": [["crp", "esr", "balance"]]}, "has 3 units (mg/L, mm/h, L)"),
        ({"xlim": [60, 0]}, "xlim must be [first day, last day], not [60, 0]"),
        ({"xlim": "0-60"}, "xlim must be [first day, last day]"),
        ({"breaks": "yes"}, 'breaks must be "auto" or a list of [from, to]'),
        ({"breaks": [[5]]}, "each break must be [first day, last day]"),
        ({"notes": ["nope"]}, "no point 'nope' in the series drawn"),
        ({"notes": ["crp_peak"], "series": ["esr"]}, "no point 'crp_peak'"),
        ({"lanes": "no"}, "lanes must be true or false"),
        ({"kind": "pie"}, "casekit draws no figure 'pie'; it draws: timeline"),
    ],
    ids=[
        "unknown-series", "series-and-panels", "flat-panels",
        "series-twice", "three-units", "xlim-backwards", "xlim-text", "breaks-word",
        "break-one-number", "unknown-note", "note-of-undrawn-series", "lanes-text",
        "unknown-kind",
    ],
)  # fmt: skip
def test_bad_options_name_the_figure_helper(
    case: Case, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(FigureOptionError) as caught:
        figure_spec(case, "timeline", **options)
    assert message in str(caught.value)
    assert str(caught.value).startswith("figure('timeline')")


def test_an_unknown_option_is_a_wrong_argument_of_the_helper(case: Case) -> None:
    with pytest.raises(HelperArgumentError) as caught:
        figure_spec(case, "timeline", serie=["crp"])
    assert str(caught.value) == (
        "figure() got an unexpected keyword argument 'serie' (figure(name, caption, "
        "alt=None, kind=None, series=None, panels=None, xlim=None, breaks='auto', notes=(), "
        "xlabel=None, lanes=True))"
    )


def test_one_unit_on_two_scales_cannot_share_an_axis(tmp_path: Path) -> None:
    text = SYNTHETIC.read_text(encoding="utf-8").replace(
        "    unit: mm/h\n", "    unit: mg/L\n    scale: log\n"
    )
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    other = load_case(tmp_path / "case.yaml").value
    with pytest.raises(FigureOptionError, match="share the mg/L axis of a panel but not a scale"):
        figure_spec(other, "timeline", panels=[["crp", "esr"]])


def test_zero_and_negative_values_are_drawn_on_a_linear_scale(case: Case, tmp_path: Path) -> None:
    svg = drawn(case, tmp_path, series=["balance"], lanes=False)
    assert marks(svg, "balance-0-measured") == 3  # 1.2, 0 and -0.8 L
    assert ">0<" in svg  # and the axis is labelled at zero


def test_each_series_is_drawn_on_its_own_scale(case: Case) -> None:
    data = timeline_data(case, figure_spec(case, "timeline").options)
    scales = {axis["label"]: axis["scale"] for p in data["panels"] for axis in p["axes"]}
    assert scales["hs-cTnT (ng/L)"] == "log" and scales["CRP (mg/L)"] == "linear"


def test_log_axis_numbers_read_as_the_text_prints_them(case: Case, tmp_path: Path) -> None:
    svg = drawn(case, tmp_path, series=["troponin"], lanes=False)
    assert ">1,000<" in svg and ">100<" in svg and "10^" not in svg


@pytest.mark.parametrize(
    ("days", "xlim", "breaks", "pieces"),
    [
        ([0, 1, 2, 5, 9, 365], None, None, [[-1, 10], [364, 366]]),
        ([0, 30, 60, 90, 120], None, None, [[-3.6, 123.6]]),
        ([0, 1, 2, 4, 5, 9], (0, 12), None, [[0, 12]]),
        ([0, 1, 2, 5, 9, 365], None, ((12, 350),), [[-1, 12], [350, 366]]),
        ([0, 1, 2, 5, 9, 365], (0, 60), None, [[0, 60]]),
        ([0, 1, 2, 5, 9, 365], None, (), [[-10.95, 375.95]]),
    ],
    ids=[
        "auto-cuts-a-long-follow-up-gap", "auto-keeps-an-even-course",
        "auto-keeps-a-short-course", "explicit-break", "axis-range", "no-breaks",
    ],
)  # fmt: skip
def test_the_day_axis_is_cut_and_limited(
    days: list[int],
    xlim: tuple[float, float] | None,
    breaks: tuple[tuple[float, float], ...] | None,
    pieces: list[list[float]],
) -> None:
    found = segments(days, xlim, breaks)
    assert [pytest.approx(piece) for piece in pieces] == found


def test_a_broken_axis_draws_each_piece(case: Case, tmp_path: Path) -> None:
    svg = drawn(case, tmp_path, series=["troponin"])
    assert marks(svg, "troponin-0-measured") == 3 and marks(svg, "troponin-1-below") == 1
    assert ">365<" in svg  # the follow-up piece is labelled with its day


def test_legend_words_come_from_the_data(case: Case, tmp_path: Path) -> None:
    svg = drawn(case, tmp_path, panels=[["crp", "esr"], ["troponin"]], notes=True)
    for words in ("CRP", "ESR", "hs-cTnT undetectable (&lt;3\u00a0ng/L)", "peak", "one year"):
        assert f">{words}<" in svg, words
    assert "detected" not in svg and "detection limit" not in svg


def test_a_series_without_below_words_shows_its_limit(tmp_path: Path) -> None:
    text = SYNTHETIC.read_text(encoding="utf-8").replace("    below: undetectable\n", "")
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    other = load_case(tmp_path / "case.yaml").value
    assert ">hs-cTnT &lt;3\u00a0ng/L<" in drawn(other, tmp_path, series=["troponin"])


def test_the_svg_keeps_its_text_in_the_documents_font(case: Case, tmp_path: Path) -> None:
    svg = drawn(case, tmp_path, xlabel="Hospital day")
    assert "font-family: 'Libertinus Serif'" in svg and "DejaVu" not in svg
    assert ">Hospital day<" in svg


def test_a_second_figure_of_a_kind_has_its_own_name(case: Case, tmp_path: Path) -> None:
    spec = figure_spec(case, "inflammation", kind="timeline", panels=[["crp", "esr"]])
    assert spec == Figure("inflammation", "timeline", spec.options, spec.alt)
    assert make_figure(spec, case, tmp_path, None)["svg"].name == "inflammation.svg"


def test_a_phase_that_comes_back_gets_a_second_bar(tmp_path: Path) -> None:
    """Each stretch of a phase runs until the next phase begins: a readmission draws a
    second hospital bar instead of one bar across the time at home."""
    path = tmp_path / "case.yaml"
    path.write_text(
        """\
patient: {age: {value: 70, unit: years}, sex: female}
presenting_concerns: [dyspnoea]
consent: given
anchors: {admission: {label: admission}}
timeline:
  - {at: admission, phase: Hospital, event: Admission}
  - {at: admission+5, phase: Home, event: Discharge}
  - {at: admission+20, phase: Hospital, event: Readmission}
  - {at: admission+24, phase: Home, event: Discharge}
""",
        encoding="utf-8",
    )
    simple = load_case(path).value
    lanes = timeline_data(simple, figure_spec(simple, "timeline").options)["lanes"]
    assert {lane["phase"]: lane["spans"] for lane in lanes} == {
        "Hospital": [[0, 5], [20, 24]],
        "Home": [[5, 20], [24, 24]],
    }
