"""Plots of an org over time, drawn with matplotlib (the optional ``plots`` extra).

:func:`stats_figure` returns one ``matplotlib.figure.Figure`` with three axes,
top to bottom: headcount by top-level unit (stacked), depth and span of control,
and the reorganisation timeline (changes per snapshot, coloured by kind), with
the snapshot dates as faint vertical lines and the biggest events named.
:func:`stats_image` writes it as SVG or PNG. No pyplot: nothing global is
touched, so this is safe in a server or a Sphinx build.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Any

from .errors import OrgdiffError
from .stats import PERIOD_KINDS, TimelineStats

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PLOTS_MISSING", "stats_figure", "stats_image"]

PLOTS_MISSING = "plots need matplotlib: pip install 'orgdiff[plots]'"

#: The kinds drawn on the timeline, with their legend labels and colours.
TIMELINE_KINDS = (
    ("units_added", "units added", "#2e7d32"),
    ("units_removed", "units removed", "#c62828"),
    ("units_renamed", "units renamed", "#6a1b9a"),
    ("units_moved", "units moved", "#ef6c00"),
    ("lead_changes", "lead changes", "#1565c0"),
    ("people_listed", "people listed", "#81c784"),
    ("people_unlisted", "people unlisted", "#e57373"),
    ("people_moved", "people moved", "#ffb74d"),
    ("manager_changes", "manager changes", "#64b5f6"),
)
assert {k for k, *_ in TIMELINE_KINDS} == {k for k, _ in PERIOD_KINDS}

#: How many of the biggest events are named on the timeline.
NAMED_EVENTS = 6


def _matplotlib() -> Any:
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError:
        raise OrgdiffError(PLOTS_MISSING) from None
    return matplotlib, Figure


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def top_level_series(ts: TimelineStats) -> dict[str, tuple[str, list[int]]]:
    """Headcount (with sub-units) of each top-level unit at each snapshot:
    unit id -> (its latest name, counts); 0 where the unit is absent. The
    root's own members, if any, are one more series keyed ``""``."""
    series: dict[str, tuple[str, list[int]]] = {}
    n = len(ts.snapshots)
    root_direct = [0] * n
    for i, s in enumerate(ts.snapshots):
        for u in s.by_unit:
            if u.level == 0:
                root_direct[i] = u.headcount_direct
            elif u.level == 1:
                _, counts = series.get(u.id, (u.name, [0] * n))
                counts[i] = u.headcount_total
                series[u.id] = (u.name, counts)
    if any(root_direct):
        roots = [u.name for s in ts.snapshots for u in s.by_unit if u.level == 0]
        series[""] = (f"{roots[-1]} (top)", root_direct)
    return series


def stats_figure(ts: TimelineStats) -> Figure:
    """The three plots of ``ts`` in one figure (see the module's docstring)."""
    matplotlib, figure_class = _matplotlib()
    import matplotlib.dates as mdates

    fig: Figure = figure_class(figsize=(11, 12), layout="constrained")
    ax_head, ax_shape, ax_events = fig.subplots(3, 1, sharex=True)
    dates = [dt.date.fromisoformat(s.date) for s in ts.snapshots]
    x = mdates.date2num(dates)  # type: ignore[no-untyped-call]

    # 1. Headcount by top-level unit, stacked; a step from each snapshot to the next.
    series = top_level_series(ts)
    labels = [name for name, _ in series.values()]
    colours = matplotlib.colormaps["tab20"].colors
    # Each snapshot holds until the next; the last one for a little while, so it shows.
    end = x[-1] + max((x[-1] - x[0]) / 25, 30.0)
    ax_head.stackplot(
        [*x, end],
        [[*counts, counts[-1]] for _, counts in series.values()],
        labels=labels,
        step="post",
        colors=[colours[i % len(colours)] for i in range(len(labels))],
        alpha=0.9,
    )
    ax_head.set_title(f"{ts.name}: people by top-level unit (with sub-units)")
    ax_head.set_ylabel("people")
    ax_head.legend(loc="upper left", fontsize="small", ncols=2, frameon=False)

    # 2. Depth and span of control.
    def line(values: list[Any], label: str, style: str) -> None:
        pts = [(xi, v) for xi, v in zip(x, values, strict=True) if v is not None]
        ax_shape.plot([p[0] for p in pts], [p[1] for p in pts], style, label=label)

    line([s.depth_max for s in ts.snapshots], "depth, max", "o-")
    line([s.depth_mean for s in ts.snapshots], "depth, mean", "o--")
    line([s.span_max for s in ts.snapshots], "span of control, max", "s-")
    line([s.span_mean for s in ts.snapshots], "span of control, mean", "s--")
    ax_shape.set_title("Layers and span of control")
    ax_shape.set_ylabel("layers / direct reports")
    ax_shape.legend(loc="upper left", fontsize="small", frameon=False)

    # 3. Reorganisation timeline: changes per snapshot, stacked by kind.
    period_x = {p.date: xi for xi, p in zip(x[1:], ts.periods, strict=False)}
    span_days = (x[-1] - x[0]) if len(x) > 1 else 30.0
    width = max(span_days / 120, 2.0)
    bottom = [0] * len(ts.periods)
    px = [period_x[p.date] for p in ts.periods]
    for key, label, colour in TIMELINE_KINDS:
        heights = [p.counts[key] for p in ts.periods]
        if any(heights):
            ax_events.bar(px, heights, width=width, bottom=bottom, label=label, color=colour)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    biggest = sorted(range(len(ts.periods)), key=lambda i: (-bottom[i], i))[:NAMED_EVENTS]
    for rank, i in enumerate(sorted(biggest)):
        if bottom[i] == 0:
            continue
        p = ts.periods[i]
        ax_events.annotate(
            f"{p.date}: {_short(p.event)}",
            xy=(px[i], bottom[i]),
            xytext=(0, 12 + 11 * rank),
            textcoords="offset points",
            ha="right" if px[i] > (x[0] + x[-1]) / 2 else "left",
            fontsize="x-small",
            arrowprops={"arrowstyle": "-", "color": "0.5", "lw": 0.5},
        )
    ax_events.set_title("Reorganisations: changes per snapshot, by kind")
    ax_events.set_ylabel("changes")
    ax_events.set_xlabel("snapshot date")
    if ts.periods:
        ax_events.legend(loc="upper left", fontsize="small", ncols=3, frameon=False)
        ax_events.set_ylim(0, max([*bottom, 1]) * 2.2)

    for ax in (ax_head, ax_shape, ax_events):
        for xi in x:
            ax.axvline(xi, color="0.85", lw=0.6, zorder=0)
        ax.xaxis_date()
    ax_events.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))  # type: ignore[no-untyped-call]
    return fig


def stats_image(ts: TimelineStats, fmt: str = "svg") -> bytes:
    """:func:`stats_figure` as an SVG or PNG file's bytes (the same bytes for
    the same data: no date or random ids in the SVG)."""
    matplotlib, _ = _matplotlib()
    fig = stats_figure(ts)
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "orgdiff", "svg.fonttype": "path"}):
        metadata = {"Date": None} if fmt == "svg" else {}
        fig.savefig(buf, format=fmt, metadata=metadata, dpi=110)
    return buf.getvalue()
