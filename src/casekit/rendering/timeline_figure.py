"""The timeline figure: the phases of care above the case's series, on one axis of days.

A template places it with ``{{ figure("timeline", "Caption.") }}`` and chooses what
it shows with options (see :func:`timeline_options`): which series, which of them
share a panel, the range of days, breaks in the day axis, which points carry their
note, the axis title, and whether the swim lane of phases is drawn. Every word in
the figure comes from the case data or the template: series labels and units, the
series' ``below`` words, point notes, phase names and anchor labels.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casekit.inputs.casedata import Case, Series
from casekit.rendering.drawing import COLOURS, LANE_COLOURS, pyplot, save, tick_label
from casekit.rendering.timeline import timeline_rows

AUTO_GAP = 0.4
"""``breaks="auto"`` cuts a stretch of days with nothing to draw that is longer than
this share of the whole axis (a follow-up visit a year after a dense first month)..."""
AUTO_SPACING = 10
"""... and this many times the usual (median) spacing of the days drawn, so that a
short, evenly spread course keeps its axis whole."""
MIN_WIDTH = 0.12
"""The narrowest share of the figure's width a piece of a broken axis gets."""


class FigureOptionError(ValueError):
    """A template gave a figure an option it cannot draw."""

    hint = (
        "the timeline figure takes series=[names], panels=[[names], ...], xlim=[from, to], "
        'breaks="auto" or [[from, to], ...], notes=[point ids] or true, xlabel="..." and '
        "lanes=true/false (README, Case-report tools)"
    )


@dataclass(frozen=True)
class TimelineOptions:
    """What one timeline figure shows, as its template chose it."""

    panels: tuple[tuple[str, ...], ...]
    """Series names, panel by panel, top to bottom."""
    xlim: tuple[float, float] | None = None
    """First and last day drawn (days since the root anchor); None: all of them."""
    breaks: tuple[tuple[float, float], ...] | None = None
    """Stretches of days cut out of the axis; None: cut long empty stretches."""
    notes: tuple[str, ...] = ()
    """Ids of the points whose note is written beside them."""
    xlabel: str | None = None
    """The day axis's title; None: ``Days since <root anchor label>``."""
    lanes: bool = True
    """Whether the swim lane of phases of care is drawn above the panels."""


def timeline_options(
    case: Case,
    series: Sequence[str] | None = None,
    panels: Sequence[Sequence[str]] | None = None,
    xlim: Sequence[float] | None = None,
    breaks: str | Sequence[Sequence[float]] = "auto",
    notes: bool | Sequence[str] = (),
    xlabel: str | None = None,
    lanes: bool = True,
) -> TimelineOptions:
    """Check a template's options against the case.

    ``series=["crp", "esr"]`` draws those series, one panel each; ``panels=[["crp",
    "esr"], ["fever"]]`` groups them (series of one unit share an axis; a second unit
    gets an axis on the right). Neither: every series, one panel each. ``xlim=[0,
    60]`` limits the days drawn. ``breaks`` cuts days out of the axis: ``"auto"``
    cuts long empty stretches, ``[[40, 350]]`` cuts days 40 to 350, ``[]`` none.
    ``notes`` writes the notes of the points with those ids (``true``: of all).
    """
    if series is not None and panels is not None:
        raise FigureOptionError("give series= (one panel each) or panels=, not both")
    if panels is None:
        names = list(case.series) if series is None else _names(series, "series")
        grouped: tuple[tuple[str, ...], ...] = tuple((name,) for name in names)
    else:
        if isinstance(panels, str) or not isinstance(panels, Sequence):
            raise FigureOptionError(f"panels must be a list of lists of series, not {panels!r}")
        grouped = tuple(tuple(_names(panel, "each panel")) for panel in panels)
    drawn = [name for panel in grouped for name in panel]
    for name in drawn:
        if name not in case.series:
            known = ", ".join(case.series) or "none"
            raise FigureOptionError(f"no series {name!r}; the case has: {known}")
    if len(set(drawn)) != len(drawn):
        raise FigureOptionError("a series is named twice")
    for panel in grouped:
        _check_panel([case.series[name] for name in panel], panel)
    if not grouped and not (lanes and case.timeline):
        raise FigureOptionError("has nothing to draw: no series, and no phases of care")
    return TimelineOptions(
        panels=grouped,
        xlim=None if xlim is None else _interval(xlim, "xlim"),
        breaks=_breaks(breaks),
        notes=_notes(case, drawn, notes),
        xlabel=_text(xlabel, "xlabel"),
        lanes=_flag(lanes, "lanes"),
    )


def _names(value: object, what: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise FigureOptionError(f"{what} must be a list of series names, not {value!r}")
    if not all(isinstance(name, str) for name in value):
        raise FigureOptionError(f"{what} must be a list of series names, not {value!r}")
    return list(value)


def _check_panel(series: list[Series], names: tuple[str, ...]) -> None:
    units: dict[str, str] = {}
    for name, one in zip(names, series, strict=True):
        if one.unit in units and case_scale(series, one.unit) != one.scale:
            raise FigureOptionError(
                f"{units[one.unit]!r} and {name!r} share the {one.unit} axis of a panel "
                "but not a scale (linear or log)"
            )
        units.setdefault(one.unit, name)
    if len(units) > 2:
        raise FigureOptionError(
            f"panel {list(names)} has {len(units)} units ({', '.join(units)}); a panel "
            "has an axis on each side, so at most two"
        )


def case_scale(series: list[Series], unit: str) -> str:
    """The scale of the first of ``series`` in ``unit``."""
    return next(one.scale for one in series if one.unit == unit)


def _interval(value: object, what: str) -> tuple[float, float]:
    if (
        isinstance(value, str)
        or not isinstance(value, Sequence)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        or not value[0] < value[1]
    ):
        raise FigureOptionError(f"{what} must be [first day, last day], not {value!r}")
    return float(value[0]), float(value[1])


def _breaks(value: object) -> tuple[tuple[float, float], ...] | None:
    if value == "auto":
        return None
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise FigureOptionError(f'breaks must be "auto" or a list of [from, to], not {value!r}')
    return tuple(sorted(_interval(one, "each break") for one in value))


def _notes(case: Case, drawn: list[str], value: object) -> tuple[str, ...]:
    points = {p.id: p for name in drawn for p in case.series[name].points if p.id}
    if value is True:
        return tuple(i for i, p in points.items() if p.note)
    if value is False:
        return ()
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise FigureOptionError(f"notes must be a list of point ids or true, not {value!r}")
    for one in value:
        if one not in points:
            known = ", ".join(points) or "none"
            raise FigureOptionError(f"no point {one!r} in the series drawn; they have: {known}")
        if not points[one].note:
            raise FigureOptionError(f"point {one!r} has no note to write")
    return tuple(value)


def _text(value: object, what: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise FigureOptionError(f"{what} must be text, not {value!r}")
    return value


def _flag(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise FigureOptionError(f"{what} must be true or false, not {value!r}")
    return value


def timeline_data(case: Case, options: TimelineOptions) -> dict[str, Any]:
    """Everything the figure shows, as plain data: what it is drawn from and cached by."""
    drawn = [name for panel in options.panels for name in panel]
    rows = timeline_rows(case, series=drawn) if options.lanes else []
    lanes: dict[str, dict[str, Any]] = {}
    runs: list[list[Any]] = []  # [phase, first day] of each stretch of one phase, in order
    for row in rows:  # rows are in day order: a lane starts on its phase's first day
        lane = lanes.setdefault(row.phase, {"phase": row.phase, "days": [], "spans": []})
        lane["days"].append(row.day)
        if not runs or runs[-1][0] != row.phase:
            runs.append([row.phase, row.day])
    # A phase lasts until the next one begins (the last, to its last day); a phase that
    # comes back (a readmission) gets a second bar on its lane.
    last = max((row.day for row in rows), default=0)
    ends = [start for _, start in runs[1:]] + [last]
    for (phase, start), end in zip(runs, ends[: len(runs)], strict=True):
        lanes[phase]["spans"].append([start, end])
    colour = {name: COLOURS[i % len(COLOURS)] for i, name in enumerate(drawn)}
    panels = [
        {"axes": [_axis(case, [n for n in panel if case.series[n].unit == unit], colour, options)
                  for unit in dict.fromkeys(case.series[n].unit for n in panel)]}
        for panel in options.panels
    ]  # fmt: skip
    anchors = sorted(
        [case.absolute_anchor(name), anchor.label]
        for name, anchor in case.anchors.items()
        if anchor.at is not None
    )
    days = [row.day for row in rows] + [case.absolute_anchor(n) for n in case.anchors]
    days += [case.absolute(p.at) for name in drawn for p in case.series[name].points]
    pieces = segments(sorted(set(days)), options.xlim, options.breaks)
    return {
        "lanes": list(lanes.values()),
        "panels": panels,
        "anchors": anchors,
        "segments": pieces,
        "ticks": [_ticks(piece, days) for piece in pieces],
        "xlabel": options.xlabel or f"Days since {case.anchors[case.root].label}",
    }


def _axis(
    case: Case, names: list[str], colour: dict[str, str], options: TimelineOptions
) -> dict[str, Any]:
    """One y axis of a panel: the series of one unit."""
    first = case.series[names[0]]
    return {
        "label": f"{', '.join(case.series[n].label for n in names)} ({first.unit})",
        "scale": first.scale,
        "series": [_series(case, n, case.series[n], colour[n], options) for n in names],
    }


def _series(
    case: Case, name: str, one: Series, colour: str, options: TimelineOptions
) -> dict[str, Any]:
    def shown(qualifier: str) -> str:
        texts = dict.fromkeys(one.shown(p) for p in one.points if p.qualifier == qualifier)
        return f"{one.label} {', '.join(texts)}"

    reference = one.reference
    return {
        "name": re.sub(r"[^A-Za-z0-9_-]", "_", name),
        "label": one.label,
        "colour": colour,
        "points": [[case.absolute(p.at), p.value, p.qualifier] for p in one.points],
        "below": shown("below"),
        "above": shown("above"),
        "reference": [reference.low, reference.high] if reference else None,
        "notes": [[case.absolute(p.at), p.value, p.note] for p in one.points
                  if p.id in options.notes],
    }  # fmt: skip


def _ticks(piece: list[float], days: list[int]) -> list[int] | None:
    """The days a short piece of a broken axis is labelled with: those drawn in it."""
    inside = sorted({d for d in days if piece[0] <= d <= piece[1]})
    return inside if 0 < len(inside) <= 2 else None


def segments(
    days: list[int],
    xlim: tuple[float, float] | None,
    breaks: tuple[tuple[float, float], ...] | None,
) -> list[list[float]]:
    """The pieces of the day axis, left to right, as [first, last] day of each.

    Without ``xlim`` the axis runs from the first to the last day drawn, with a margin.
    ``breaks`` are cut out as given; None cuts every stretch with nothing drawn that is
    longer than :data:`AUTO_GAP` of the axis, keeping a margin on either side.
    """
    shown: list[float] = [d for d in days if xlim is None or xlim[0] <= d <= xlim[1]] or [0]
    lo, hi = shown[0], shown[-1]
    total = max(hi - lo, 1)
    if breaks is None:
        gaps = list(itertools.pairwise(shown))
        usual = sorted(b - a for a, b in gaps)[len(gaps) // 2] if gaps else total
        cuts = [(a, b) for a, b in gaps if b - a > max(AUTO_GAP * total, AUTO_SPACING * usual)]
    else:
        cuts = [(max(a, lo), min(b, hi)) for a, b in breaks if a < hi and b > lo]
    # The margin is a share of the days left on the axis, not of those cut out.
    pad = max(1.0, 0.03 * (total - sum(b - a for a, b in cuts)))
    cuts = [(a + pad, b - pad) for a, b in cuts] if breaks is None else list(breaks)
    start, end = (xlim[0], xlim[1]) if xlim else (lo - pad, hi + pad)
    pieces = []
    for a, b in cuts:
        if start < a and b < end:
            pieces.append([start, a])
            start = b
    pieces.append([start, end])
    return pieces


def draw_timeline(data: dict[str, Any], target: Path) -> dict[str, Path]:
    """Draw the figure that :func:`timeline_data` describes as ``target``.svg and .png."""
    lanes, panels, pieces = data["lanes"], data["panels"], data["segments"]
    rows = ([1.2 + 0.12 * len(lanes)] if lanes else []) + [1.6] * len(panels)
    span = sum(b - a for a, b in pieces)
    widths = [max(b - a, MIN_WIDTH * span) for a, b in pieces]
    with pyplot() as plt:
        from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullFormatter

        fig, grid = plt.subplots(
            max(len(rows), 1), len(pieces), sharex="col", sharey="row", squeeze=False,
            figsize=(6.5, 0.5 + sum(rows)), layout="constrained",
            gridspec_kw={"height_ratios": rows or [1], "width_ratios": widths},
        )  # fmt: skip
        fig.get_layout_engine().set(wspace=0.015, w_pad=0.01)
        if lanes:
            _draw_lanes(grid[0], lanes)
        for row, panel in zip(grid[1:] if lanes else grid, panels, strict=False):
            _draw_panel(row, panel)
        top = grid[0]
        for i, (day, label) in enumerate(data["anchors"]):
            for axis in (a for row in grid for a in row):
                axis.axvline(day, color="0.4", linestyle="--", linewidth=0.6)
            for axis, (a, b) in zip(top, pieces, strict=True):
                if a <= day <= b:  # staggered, so that close anchors do not overwrite
                    axis.text(day, 1.02 + 0.1 * (i % 2), label, fontsize="small",
                              color="0.3", ha="center", va="bottom",
                              transform=axis.get_xaxis_transform())  # fmt: skip
        for column, ((a, b), ticks) in enumerate(zip(pieces, data["ticks"], strict=True)):
            bottom = grid[-1][column]
            bottom.set_xlim(a, b)
            share = (b - a) / span if span else 1
            if len(pieces) > 1 and share < 2 * MIN_WIDTH and ticks:
                bottom.xaxis.set_major_locator(FixedLocator(ticks))
            else:
                bottom.xaxis.set_major_locator(MaxNLocator(max(2, round(8 * share)), integer=True))
            bottom.xaxis.set_major_formatter(FuncFormatter(tick_label))
            bottom.xaxis.set_minor_formatter(NullFormatter())
        for row in grid:
            _join(row)
        fig.supxlabel(data["xlabel"], fontsize="medium")
        return save(fig, target)


def _draw_lanes(row: Sequence[Any], lanes: list[dict[str, Any]]) -> None:
    for axis in row:
        for i, lane in enumerate(lanes):
            for start, end in lane["spans"]:
                axis.barh(i, max(end - start, 2), left=start, height=0.6,
                          color=LANE_COLOURS[i % len(LANE_COLOURS)])  # fmt: skip
            axis.plot(lane["days"], [i] * len(lane["days"]), "k|", markersize=7)
    row[0].set_yticks(range(len(lanes)), [lane["phase"] for lane in lanes])
    row[0].set_ylim(len(lanes) - 0.4, -0.6)


def _draw_panel(row: Sequence[Any], panel: dict[str, Any]) -> None:
    from matplotlib.ticker import FuncFormatter, NullFormatter

    handles: list[Any] = []
    right: list[Any] = []
    for side, axis_data in enumerate(panel["axes"]):
        axes = list(row) if side == 0 else _twins(row)
        right = axes if side else right
        for column, axis in enumerate(axes):
            axis.set_yscale(axis_data["scale"])
            axis.yaxis.set_major_formatter(FuncFormatter(tick_label))
            axis.yaxis.set_minor_formatter(NullFormatter())
            for one in axis_data["series"]:
                drawn = _draw_series(axis, one, f"{one['name']}-{column}")
                if axis is axes[0]:
                    handles += drawn
        axes[-1 if side else 0].set_ylabel(axis_data["label"])
    for axis in right[:-1]:
        axis.tick_params(right=False, labelright=False)
    row[0].legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1), ncol=3,
                  frameon=False, fontsize="small", borderaxespad=0.2)  # fmt: skip


def _twins(row: Sequence[Any]) -> list[Any]:
    """A right-hand y axis on every piece of the row, all sharing one scale."""
    twins = [axis.twinx() for axis in row]
    for twin in twins[:-1]:
        twin.sharey(twins[-1])
    for twin in twins:
        twin.spines[["top", "left"]].set_visible(False)
        twin.spines["right"].set_visible(twin is twins[-1])
    return twins


def _draw_series(axis: Any, one: dict[str, Any], gid: str) -> list[Any]:
    """One series on ``axis``; returns what its legend lists. Each set of marks is a
    group with a fixed id in the SVG (``crp-0-measured``: series, piece of the axis,
    what the marks are), which says what is drawn."""
    drawn = []
    by = {q: [(d, v) for d, v, qualifier in one["points"] if qualifier == q]
          for q in (None, "below", "above")}  # fmt: skip
    style = {"color": one["colour"], "clip_on": True}
    if by[None]:
        (line,) = axis.plot(*zip(*by[None], strict=True), "o-", markersize=4, linewidth=1.2,
                            label=one["label"], gid=f"{gid}-measured", **style)  # fmt: skip
        drawn.append(line)
    for qualifier, marker in (("below", "v"), ("above", "^")):
        if by[qualifier]:
            (mark,) = axis.plot(*zip(*by[qualifier], strict=True), marker, markersize=5,
                                markerfacecolor="none", label=one[qualifier],
                                gid=f"{gid}-{qualifier}", **style)  # fmt: skip
            drawn.append(mark)
    low, high = one["reference"] or (None, None)
    if low is not None and high is not None:
        axis.axhspan(low, high, color=one["colour"], alpha=0.1, linewidth=0)
    for limit in (low, high) if low is None or high is None else ():
        if limit is not None:
            axis.axhline(limit, color=one["colour"], linestyle=":", linewidth=0.8)
    if one["notes"]:  # room above the highest point for its note, below the legend
        axis.set_ymargin(0.18)
    for day, value, note in one["notes"]:
        axis.annotate(note, (day, value), xytext=(0, 5), textcoords="offset points",
                      ha="center", va="bottom", fontsize="small", color="0.25",
                      annotation_clip=True)  # fmt: skip
    return drawn


def _join(row: Sequence[Any]) -> None:
    """Hide the inner spines of a broken axis and mark each break with a slash."""
    for i, axis in enumerate(row):
        axis.spines[["top", "right"]].set_visible(False)
        if i:
            axis.spines["left"].set_visible(False)
            axis.tick_params(which="both", left=False, labelleft=False)
        if i + 1 < len(row):
            kwargs = {"transform": axis.transAxes, "color": "k", "clip_on": False,
                      "linewidth": 0.6}  # fmt: skip
            axis.plot([0.985, 1.015], [-0.04, 0.04], **kwargs)
            axis.plot([1.005, 1.035], [-0.04, 0.04], **kwargs)
