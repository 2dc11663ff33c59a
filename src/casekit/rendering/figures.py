"""Figures drawn from the case data (matplotlib), cached by the data they show.

The timeline figure is a swim lane of the phases of care with events marked,
above one panel per measurement series (on its own linear or log scale), on one
axis of days since the root anchor. It is written as SVG (vector, for the PDF) and
as a 300-dpi PNG (for DOCX and HTML). Output is deterministic: fixed SVG ids, no dates or software
names in the files. matplotlib is imported only when a figure must be drawn;
otherwise the cached files are reused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from casekit.core.atomic import write_atomic
from casekit.inputs.casedata import Case
from casekit.rendering.timeline import timeline_rows

FIGURE_VERSION = 2
FORMATS = ("svg", "png")


def _timeline_data(case: Case) -> dict[str, object]:
    rows = timeline_rows(case, series=tuple(case.series))
    return {
        "rows": [asdict(r) for r in rows],
        "series": [
            {
                "label": s.label,
                "unit": s.unit,
                "scale": s.scale,
                "below": s.below,
                "points": [[case.absolute(p.at), p.value, p.qualifier] for p in s.points],
            }
            for s in case.series.values()
        ],
        "root": case.anchors[case.root].label,
        "anchors": {
            name: [case.absolute_anchor(name), anchor.label]
            for name, anchor in case.anchors.items()
            if anchor.at is not None
        },
    }


def _draw_timeline(data: dict[str, object], target: Path) -> None:
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams.update(
        {"svg.hashsalt": "casekit", "svg.fonttype": "path", "font.size": 8, "axes.linewidth": 0.6}
    )
    rows = data["rows"]
    assert isinstance(rows, list)
    phases: list[str] = []
    spans: dict[str, list[int]] = {}
    for row in rows:
        phase = row["phase"]
        if phase not in spans:
            phases.append(phase)
            spans[phase] = [row["day"], row["day"]]
        spans[phase][1] = max(spans[phase][1], row["day"])
    starts = [spans[p][0] for p in phases]
    last_day = max(r["day"] for r in rows)
    series = data["series"]
    assert isinstance(series, list)
    fig, axes = plt.subplots(
        1 + len(series), 1, sharex=True, figsize=(6.5, 2.1 + 1.5 * len(series)),
        gridspec_kw={"height_ratios": [1.3] + [1] * len(series)}, squeeze=False,
    )  # fmt: skip
    lanes, panels = axes[0][0], [row[0] for row in axes[1:]]
    colours = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3"]
    for i, phase in enumerate(phases):
        end = starts[i + 1] if i + 1 < len(phases) else last_day
        lanes.barh(i, max(end - starts[i], 2), left=starts[i], height=0.6,
                   color=colours[i % len(colours)], alpha=0.85)  # fmt: skip
        days = [r["day"] for r in rows if r["phase"] == phase]
        lanes.plot(days, [i] * len(days), "k|", markersize=7)
    lanes.set_yticks(range(len(phases)), phases)
    lanes.invert_yaxis()
    for panel, one in zip(panels, series, strict=True):
        measured = [(d, v) for d, v, qualifier in one["points"] if qualifier is None]
        below = [(d, v) for d, v, qualifier in one["points"] if qualifier == "below"]
        above = [(d, v) for d, v, qualifier in one["points"] if qualifier == "above"]
        if measured:
            panel.plot(*zip(*measured, strict=True), "o-", color="#c44e52", markersize=4,
                       label=one["label"])  # fmt: skip
        if below:
            words = one["below"] or "below the detection limit"
            panel.plot(*zip(*below, strict=True), "v", color="#4c72b0", markersize=5,
                       markerfacecolor="none", label=f"{words} (detection limit)")  # fmt: skip
        if above:
            panel.plot(*zip(*above, strict=True), "^", color="#55a868", markersize=5,
                       markerfacecolor="none", label="above the measuring limit")  # fmt: skip
        panel.set_yscale(one["scale"])
        panel.set_ylabel(f"{one['label']} ({one['unit']})")
        panel.legend(fontsize=7, frameon=False, loc="upper center")
    (panels[-1] if panels else lanes).set_xlabel(f"Days since {data['root']}")
    anchors = data["anchors"]
    assert isinstance(anchors, dict)
    for i, (day, label) in enumerate(sorted(anchors.values())):
        for axis in (lanes, *panels):
            axis.axvline(day, color="0.4", linestyle="--", linewidth=0.6)
        # Above the lanes, staggered so that close anchors do not overwrite each other.
        lanes.text(day, 1.02 + 0.1 * (i % 2), label, transform=lanes.get_xaxis_transform(),
                   fontsize=6.5, ha="center", va="bottom", color="0.3")  # fmt: skip
    for axis in (lanes, *panels):
        axis.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(target.with_suffix(".svg"), format="svg", metadata={"Date": None, "Creator": None})
    fig.savefig(target.with_suffix(".png"), format="png", dpi=300, metadata={"Software": None})
    plt.close(fig)


FIGURES: dict[str, tuple[Callable[[Case], dict[str, object]], Callable[..., None]]] = {
    "timeline": (_timeline_data, _draw_timeline),
}
"""Figure name → (the data it shows, how to draw it)."""


def make_figure(name: str, case: Case, directory: Path, cache: Path | None) -> dict[str, Path]:
    """Write ``name``.svg and .png into ``directory``; reuse cached files when the data match."""
    data_of, draw = FIGURES[name]
    data = data_of(case)
    digest = hashlib.sha256(
        json.dumps([FIGURE_VERSION, name, data], sort_keys=True).encode("utf-8")
    ).hexdigest()[:16]
    directory.mkdir(parents=True, exist_ok=True)
    cached = {ext: cache / "figures" / f"{name}-{digest}.{ext}" for ext in FORMATS} if cache else {}
    outputs = {ext: directory / f"{name}.{ext}" for ext in FORMATS}
    if cached and all(path.is_file() for path in cached.values()):
        for ext, path in cached.items():
            outputs[ext].write_bytes(path.read_bytes())
        return outputs
    draw(data, directory / name)
    if cache is not None:
        (cache / "figures").mkdir(parents=True, exist_ok=True)
        for old in (cache / "figures").glob(f"{name}-*"):
            old.unlink(missing_ok=True)
        for ext, path in cached.items():
            # Atomically: a build killed mid-write, or one running at the same time,
            # must never find a truncated figure under a valid name.
            write_atomic(path, outputs[ext].read_bytes())
    return outputs
