"""Metrics of an org at one date and over time: headcount, depth, span, churn.

Definitions (the docs' CLI reference repeats them):

- **headcount**: a unit's *direct* headcount is the number of people whose unit
  it is; its *total* adds every unit below it.
- **depth** of a person: the number of people in their reporting chain, them
  included, up to the first lead of the root unit that the chain of known
  managers reaches (the root's leads have depth 1, their reports 2, ...). A chain that stops at a
  person whose manager is not known never reaches the top: that person's depth
  is *unknown* and counted apart (``depth_unknown``), never guessed; max and
  mean are over the people whose depth is known.
- **span of control** of a manager: their number of direct reports; a manager
  is a person with at least one report. Mean, median and max are over managers;
  the *wide* managers have more than ``span_threshold`` reports.
- **unknown manager**: a person whose ``reports_to`` is not given, leaving out
  the root unit's leads (the top of the org has no manager to know). The share
  is over the people other than the root's leads.
- **facts by confidence**: each unit, person and relation of a snapshot is one
  fact with its confidence; the shares are over all of them.
- **manager changes** of a person over a timeline: how many times their known
  manager differs from their last known manager (a snapshot where the manager
  is not known, or the person is absent, neither counts nor resets).

Everything is linear in the size of the snapshot (the timeline): units are
aggregated bottom-up once, depths are memoised along reporting chains.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from attrs import frozen

from .model import Confidence, Snapshot

if TYPE_CHECKING:
    from .model import Timeline

__all__ = [
    "DEFAULT_SPAN_THRESHOLD",
    "PeriodStats",
    "SnapshotStats",
    "TimelineStats",
    "UnitStats",
    "snapshot_stats",
    "stats_csv",
    "stats_json",
    "stats_text",
    "timeline_stats",
]

#: A manager with more direct reports than this is listed as wide.
DEFAULT_SPAN_THRESHOLD = 8

#: The change kinds counted per period, as (JSON key, diff kind).
PERIOD_KINDS: tuple[tuple[str, str], ...] = (
    ("units_added", "unit-added"),
    ("units_removed", "unit-removed"),
    ("units_renamed", "unit-renamed"),
    ("units_moved", "unit-moved"),
    ("lead_changes", "unit-lead-changed"),
    ("people_listed", "person-added"),
    ("people_unlisted", "person-removed"),
    ("people_moved", "person-moved"),
    ("manager_changes", "person-manager-changed"),
)


@frozen
class UnitStats:
    """The metrics of one unit and everything below it."""

    id: str
    name: str
    parent: str | None
    level: int  # 0 for the root unit
    headcount_direct: int
    headcount_total: int
    units_below: int
    depth_max: int | None
    depth_mean: float | None
    managers: int
    span_max: int | None
    span_mean: float | None
    unknown_manager: int


@frozen
class SnapshotStats:
    """The metrics of a whole snapshot, with one :class:`UnitStats` per unit."""

    date: str
    event: str
    people: int
    units: int
    depth_max: int | None
    depth_mean: float | None
    depth_unknown: int
    managers: int
    span_mean: float | None
    span_median: float | None
    span_max: int | None
    span_threshold: int
    wide_managers: tuple[tuple[str, int], ...]  # (person id, reports), widest first
    unknown_manager: int
    unknown_manager_share: float | None
    facts: int
    confidence: Mapping[str, int]  # confirmed / reported / rumoured -> facts
    by_unit: tuple[UnitStats, ...]  # top-down, parents before children

    def confidence_share(self) -> dict[str, float]:
        """The share of facts at each confidence (0 to 1)."""
        return {k: (v / self.facts if self.facts else 0.0) for k, v in self.confidence.items()}

    def top_level(self) -> tuple[UnitStats, ...]:
        """The units right below the root."""
        return tuple(u for u in self.by_unit if u.level == 1)


@frozen
class PeriodStats:
    """What changed from one snapshot to the next, counted by kind."""

    since: str
    date: str
    event: str
    counts: Mapping[str, int]  # keys of PERIOD_KINDS


@frozen
class TimelineStats:
    """The metrics of every snapshot, every period between them, and each
    person's number of manager changes (people with none are left out)."""

    name: str
    snapshots: tuple[SnapshotStats, ...]
    periods: tuple[PeriodStats, ...]
    manager_changes: Mapping[str, int]  # person id -> changes, most first


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def snapshot_stats(
    snap: Snapshot, *, span_threshold: int = DEFAULT_SPAN_THRESHOLD
) -> SnapshotStats:
    """The metrics of ``snap`` (see the module's docstring for definitions)."""
    people = snap.people
    units = snap.units
    root = snap.root
    root_leads = set(root.leads)

    # Reports per manager (only managers drawn in the snapshot).
    reports: dict[str, int] = {}
    for p in people.values():
        m = p.reports_to
        if m is not None and m in people:
            reports[m] = reports.get(m, 0) + 1

    # Depth: memoised along chains, iteratively (chains can be long).
    depth: dict[str, int | None] = {}
    for pid in people:
        if pid in depth:
            continue
        path: list[str] = []
        on_path: set[str] = set()
        cur: str | None = pid
        base: int | None
        while True:
            if cur is None or cur not in people or cur in on_path:
                base = None
                break
            if cur in depth:
                base = depth[cur]
                break
            if cur in root_leads:
                path.append(cur)
                on_path.add(cur)
                base = 0
                break
            path.append(cur)
            on_path.add(cur)
            cur = people[cur].reports_to
        for k, q in enumerate(reversed(path)):
            depth[q] = None if base is None else base + k + 1

    # Units top-down from the root (units not reachable from it are left out).
    children: dict[str | None, list[str]] = {}
    for u in units.values():
        children.setdefault(u.parent, []).append(u.id)
    order: list[str] = []
    level: dict[str, int] = {root.id: 0}
    stack = [root.id]
    while stack:
        uid = stack.pop()
        order.append(uid)
        for c in reversed(children.get(uid, ())):
            if c not in level:
                level[c] = level[uid] + 1
                stack.append(c)

    # Per-unit sums of direct members, then bottom-up.
    n = {uid: [0, 0, 0, 0, 0, 0, 0, 0] for uid in order}
    # direct, total, units_below, depth_sum, depth_n, depth_max, managers, span_sum
    span_max: dict[str, int] = {}
    unknown: dict[str, int] = {}
    for p in people.values():
        acc = n.get(p.unit)
        if acc is None:
            continue
        acc[0] += 1
        acc[1] += 1
        d = depth.get(p.id)
        if d is not None:
            acc[3] += d
            acc[4] += 1
            acc[5] = max(acc[5], d)
        r = reports.get(p.id)
        if r:
            acc[6] += 1
            acc[7] += r
            span_max[p.unit] = max(span_max.get(p.unit, 0), r)
        if p.reports_to is None and p.id not in root_leads:
            unknown[p.unit] = unknown.get(p.unit, 0) + 1
    for uid in reversed(order):
        parent = units[uid].parent
        if uid == root.id or parent is None or parent not in n:
            continue
        acc, up = n[uid], n[parent]
        up[1] += acc[1]
        up[2] += acc[2] + 1
        up[3] += acc[3]
        up[4] += acc[4]
        up[5] = max(up[5], acc[5])
        up[6] += acc[6]
        up[7] += acc[7]
        if uid in span_max:
            span_max[parent] = max(span_max.get(parent, 0), span_max[uid])
        unknown[parent] = unknown.get(parent, 0) + unknown.get(uid, 0)

    by_unit = tuple(
        UnitStats(
            id=uid,
            name=units[uid].name,
            parent=units[uid].parent,
            level=level[uid],
            headcount_direct=a[0],
            headcount_total=a[1],
            units_below=a[2],
            depth_max=a[5] if a[4] else None,
            depth_mean=_round(a[3] / a[4]) if a[4] else None,
            managers=a[6],
            span_max=span_max.get(uid),
            span_mean=_round(a[7] / a[6]) if a[6] else None,
            unknown_manager=unknown.get(uid, 0),
        )
        for uid, a in ((uid, n[uid]) for uid in order)
    )

    known = [d for d in depth.values() if d is not None]
    spans = list(reports.values())
    wide = sorted(((m, r) for m, r in reports.items() if r > span_threshold), key=_widest)
    not_top = sum(1 for pid in people if pid not in root_leads)
    no_manager = sum(1 for p in people.values() if p.reports_to is None and p.id not in root_leads)
    conf = {c.value: 0 for c in Confidence}
    for group in (units.values(), people.values(), snap.relations):
        for fact in group:
            conf[fact.confidence.value] += 1
    return SnapshotStats(
        date=snap.date.isoformat(),
        event=snap.event,
        people=len(people),
        units=len(units),
        depth_max=max(known) if known else None,
        depth_mean=_round(sum(known) / len(known)) if known else None,
        depth_unknown=len(people) - len(known),
        managers=len(spans),
        span_mean=_round(sum(spans) / len(spans)) if spans else None,
        span_median=_round(float(statistics.median(spans))) if spans else None,
        span_max=max(spans) if spans else None,
        span_threshold=span_threshold,
        wide_managers=tuple(wide),
        unknown_manager=no_manager,
        unknown_manager_share=_round(no_manager / not_top) if not_top else None,
        facts=sum(conf.values()),
        confidence=conf,
        by_unit=by_unit,
    )


def _widest(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def timeline_stats(
    tl: Timeline,
    *,
    snapshots: Sequence[Snapshot] | None = None,
    span_threshold: int = DEFAULT_SPAN_THRESHOLD,
) -> TimelineStats:
    """The metrics of every snapshot of ``tl`` (or of ``snapshots``), of every
    period between consecutive ones, and each person's manager changes."""
    from .diff import diff

    snaps = tuple(snapshots if snapshots is not None else tl.snapshots)
    per = tuple(snapshot_stats(s, span_threshold=span_threshold) for s in snaps)
    periods: list[PeriodStats] = []
    for a, b in itertools.pairwise(snaps):
        d = diff(a, b)
        counts = {key: 0 for key, _ in PERIOD_KINDS}
        names = {kind: key for key, kind in PERIOD_KINDS}
        for c in d.changes:
            key = names.get(c.kind.value)
            if key is not None:
                counts[key] += 1
        periods.append(PeriodStats(a.date.isoformat(), b.date.isoformat(), b.event, counts))
    last: dict[str, str] = {}
    changes: dict[str, int] = {}
    for s in snaps:
        for p in s.people.values():
            m = p.reports_to
            if m is None:
                continue
            before = last.get(p.id)
            if before is not None and before != m:
                changes[p.id] = changes.get(p.id, 0) + 1
            last[p.id] = m
    ranked = dict(sorted(changes.items(), key=_widest))
    return TimelineStats(tl.name, per, tuple(periods), ranked)


# --- output ---------------------------------------------------------------------------------


def _unit_json(u: UnitStats) -> dict[str, Any]:
    return {
        "id": u.id,
        "name": u.name,
        "parent": u.parent,
        "level": u.level,
        "headcount": {"direct": u.headcount_direct, "total": u.headcount_total},
        "units_below": u.units_below,
        "depth": {"max": u.depth_max, "mean": u.depth_mean},
        "span": {"managers": u.managers, "mean": u.span_mean, "max": u.span_max},
        "unknown_manager": u.unknown_manager,
    }


def _snapshot_json(s: SnapshotStats, *, units: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "date": s.date,
        "event": s.event,
        "people": s.people,
        "units": s.units,
        "depth": {"max": s.depth_max, "mean": s.depth_mean, "unknown": s.depth_unknown},
        "span": {
            "managers": s.managers,
            "mean": s.span_mean,
            "median": s.span_median,
            "max": s.span_max,
            "threshold": s.span_threshold,
            "wide": [{"id": m, "reports": r} for m, r in s.wide_managers],
        },
        "unknown_manager": {"people": s.unknown_manager, "share": s.unknown_manager_share},
        "facts": {
            "total": s.facts,
            "by_confidence": dict(s.confidence),
            "share": {k: round(v, 3) for k, v in s.confidence_share().items()},
        },
    }
    if units:
        out["by_unit"] = [_unit_json(u) for u in s.by_unit]
    return out


def stats_json(result: SnapshotStats | TimelineStats) -> dict[str, Any]:
    """The metrics as plain JSON data."""
    if isinstance(result, SnapshotStats):
        return _snapshot_json(result)
    return {
        "name": result.name,
        "snapshots": [_snapshot_json(s) for s in result.snapshots],
        "periods": [
            {"since": p.since, "date": p.date, "event": p.event, **p.counts} for p in result.periods
        ],
        "manager_changes": dict(result.manager_changes),
    }


def _fmt(x: float | int | None) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.2f}"
    return str(x)


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _summary_lines(s: SnapshotStats, names: Mapping[str, str]) -> list[str]:
    share = s.confidence_share()
    conf = ", ".join(f"{k} {s.confidence[k]} ({_pct(share[k])})" for k in s.confidence)
    wide = ", ".join(f"{names.get(m, m)} ({r})" for m, r in s.wide_managers) or "none"
    return [
        f"people: {s.people}    units: {s.units}",
        f"depth: max {_fmt(s.depth_max)}, mean {_fmt(s.depth_mean)}"
        f" ({s.depth_unknown} people with a chain that does not reach the top)",
        f"span of control: {s.managers} managers, mean {_fmt(s.span_mean)}, "
        f"median {_fmt(s.span_median)}, max {_fmt(s.span_max)}",
        f"more than {s.span_threshold} reports: {wide}",
        f"manager not known: {s.unknown_manager} ({_pct(s.unknown_manager_share)})",
        f"facts: {s.facts}: {conf}",
    ]


def _unit_table(s: SnapshotStats) -> list[str]:
    head = ("unit", "direct", "total", "units", "depth max", "mean", "span max", "mean", "no mgr")
    rows = [
        (
            "  " * u.level + u.name,
            str(u.headcount_direct),
            str(u.headcount_total),
            str(u.units_below),
            _fmt(u.depth_max),
            _fmt(u.depth_mean),
            _fmt(u.span_max),
            _fmt(u.span_mean),
            str(u.unknown_manager),
        )
        for u in s.by_unit
    ]
    return _columns(head, rows)


def stats_text(
    result: SnapshotStats | TimelineStats, names: Mapping[str, str] | None = None
) -> str:
    """The metrics as text for a terminal; ``names`` maps person ids to names."""
    names = names or {}
    if isinstance(result, SnapshotStats):
        lines = [f"{result.date}: {result.event}", *_summary_lines(result, names), ""]
        lines += _unit_table(result)
        return "\n".join(lines) + "\n"
    lines = [f"{result.name}: {len(result.snapshots)} snapshots", ""]
    head = ("date", "people", "units", "depth", "mean", "span", "mean", "median", "no mgr")
    rows = [
        (
            s.date,
            str(s.people),
            str(s.units),
            _fmt(s.depth_max),
            _fmt(s.depth_mean),
            _fmt(s.span_max),
            _fmt(s.span_mean),
            _fmt(s.span_median),
            _pct(s.unknown_manager_share),
        )
        for s in result.snapshots
    ]
    lines += _columns(head, rows)
    if result.periods:
        lines += ["", "changes per period:"]
        keys = [k for k, _ in PERIOD_KINDS]
        head2 = ("date", *(k.replace("_", " ") for k in keys))
        rows2 = [(p.date, *(str(p.counts[k]) for k in keys)) for p in result.periods]
        lines += _columns(head2, rows2)
    if result.manager_changes:
        lines += ["", "manager changes per person:"]
        lines += [f"  {names.get(p, p)}: {n}" for p, n in result.manager_changes.items()]
    return "\n".join(lines) + "\n"


def _columns(head: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    rows = list(rows)
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    out = []
    for r in (head, *rows):
        cells = [r[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)
        ]
        out.append("  ".join(cells).rstrip())
    return out


def stats_csv(result: SnapshotStats | TimelineStats) -> str:
    """The metrics as CSV: one row per unit for a snapshot; one row per
    snapshot (with the changes since the one before) for a timeline."""
    import csv
    import io

    from .formats.table import neutralise

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if isinstance(result, SnapshotStats):
        w.writerow(
            [
                "date",
                "unit",
                "name",
                "parent",
                "level",
                "headcount_direct",
                "headcount_total",
                "units_below",
                "depth_max",
                "depth_mean",
                "managers",
                "span_max",
                "span_mean",
                "unknown_manager",
            ]
        )
        for u in result.by_unit:
            w.writerow(
                [
                    result.date,
                    u.id,
                    neutralise(u.name),
                    u.parent or "",
                    u.level,
                    u.headcount_direct,
                    u.headcount_total,
                    u.units_below,
                    _cell(u.depth_max),
                    _cell(u.depth_mean),
                    u.managers,
                    _cell(u.span_max),
                    _cell(u.span_mean),
                    u.unknown_manager,
                ]
            )
        return buf.getvalue()
    keys = [k for k, _ in PERIOD_KINDS]
    w.writerow(
        [
            "date",
            "people",
            "units",
            "depth_max",
            "depth_mean",
            "depth_unknown",
            "managers",
            "span_mean",
            "span_median",
            "span_max",
            "unknown_manager",
            "unknown_manager_share",
            *(f"facts_{c.value}" for c in Confidence),
            *keys,
        ]
    )
    since = {p.date: p for p in result.periods}
    for s in result.snapshots:
        p = since.get(s.date)
        w.writerow(
            [
                s.date,
                s.people,
                s.units,
                _cell(s.depth_max),
                _cell(s.depth_mean),
                s.depth_unknown,
                s.managers,
                _cell(s.span_mean),
                _cell(s.span_median),
                _cell(s.span_max),
                s.unknown_manager,
                _cell(s.unknown_manager_share),
                *(s.confidence[c.value] for c in Confidence),
                *((p.counts[k] if p is not None else "") for k in keys),
            ]
        )
    return buf.getvalue()


def _cell(x: float | int | None) -> str:
    return "" if x is None else str(x)
