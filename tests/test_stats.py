"""`orgdiff.stats`: hand-computed metrics of the example org, invariants, the command."""

from __future__ import annotations

import csv
import io
import itertools
import json
import subprocess
import sys
from pathlib import Path

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import orgdiff
from orgdiff.model import Snapshot
from orgdiff.stats import UnitStats, snapshot_stats, stats_csv, stats_json, timeline_stats
from tests.strategies import snapshots, timelines

EXAMPLE = Path(__file__).parent / "data" / "example"


def example() -> orgdiff.Timeline:
    return orgdiff.load(EXAMPLE)


def test_the_example_at_its_split_by_hand() -> None:
    """2024-06-03: Ada (top) -> Ben, Dara; Ben -> Chen -> Eli; Dara -> Femi.

    Depths 1, 2, 2, 3, 4, 3 (sum 15 of 6); spans Ada 2, Ben 1, Chen 1, Dara 1.
    Facts: 4 units + 6 people + 1 relation; Femi reported, the relation rumoured.
    """
    s = example().at("2024-06-03").stats(span_threshold=1)
    assert (s.people, s.units) == (6, 4)
    assert (s.depth_max, s.depth_mean, s.depth_unknown) == (4, 2.5, 0)
    assert (s.managers, s.span_mean, s.span_median, s.span_max) == (4, 1.25, 1.0, 2)
    assert s.wide_managers == (("ada-park", 2),)
    assert (s.unknown_manager, s.unknown_manager_share) == (0, 0.0)
    assert s.facts == 11
    assert dict(s.confidence) == {"confirmed": 9, "reported": 1, "rumoured": 1}
    assert s.by_unit == (
        UnitStats("acme", "Acme Robotics", None, 0, 1, 6, 3, 4, 2.5, 4, 2, 1.25, 0),
        UnitStats("platform", "Platform", "acme", 1, 2, 2, 0, 3, 2.5, 1, 1, 1.0, 0),
        UnitStats("autonomy", "Autonomy", "acme", 1, 1, 3, 1, 4, 3.0, 2, 1, 1.0, 0),
        UnitStats("research", "Applied Research", "autonomy", 2, 2, 2, 0, 4, 3.5, 1, 1, 1.0, 0),
    )


def test_an_unknown_manager_leaves_a_depth_unknown_and_is_counted() -> None:
    """Dropping Chen's manager: Chen and Eli (below Chen) no longer reach the
    top, so their depth is unknown; Ada 1, Ben 2, Dara 2, Femi 3 remain (mean
    2.0); Chen is one of 5 people below the top."""
    snap = example().at("2024-06-03")
    chen = attrs.evolve(snap.people["chen-li"], reports_to=None)
    snap = attrs.evolve(snap, people={**snap.people, "chen-li": chen})
    s = snap.stats()
    assert (s.depth_max, s.depth_mean, s.depth_unknown) == (3, 2.0, 2)
    assert (s.unknown_manager, s.unknown_manager_share) == (1, 0.2)
    assert (s.managers, s.span_max) == (3, 2)  # Ben has no report left


def test_over_time_by_hand() -> None:
    """Periods of the example, counted by kind; Chen's manager changed twice
    (Ada -> Ben -> Dara), Dara's once (Ben -> Ada)."""
    ts = timeline_stats(example())
    assert [s.people for s in ts.snapshots] == [4, 5, 6, 5]
    assert [s.depth_max for s in ts.snapshots] == [3, 4, 4, 4]
    assert [dict(p.counts) for p in ts.periods] == [
        {
            "units_added": 0,
            "units_removed": 0,
            "units_renamed": 0,
            "units_moved": 1,
            "lead_changes": 0,
            "people_listed": 1,
            "people_unlisted": 0,
            "people_moved": 0,
            "manager_changes": 1,
        },
        {
            "units_added": 2,
            "units_removed": 1,
            "units_renamed": 1,
            "units_moved": 1,
            "lead_changes": 0,
            "people_listed": 1,
            "people_unlisted": 0,
            "people_moved": 2,
            "manager_changes": 1,
        },
        {
            "units_added": 0,
            "units_removed": 1,
            "units_renamed": 1,
            "units_moved": 0,
            "lead_changes": 1,
            "people_listed": 0,
            "people_unlisted": 1,
            "people_moved": 2,
            "manager_changes": 1,
        },
    ]
    assert dict(ts.manager_changes) == {"chen-li": 2, "dara-novak": 1}


def _check_invariants(snap: Snapshot) -> None:
    s = snapshot_stats(snap)
    by_id = {u.id: u for u in s.by_unit}
    for u in s.by_unit:
        below = [c for c in s.by_unit if c.parent == u.id]
        # headcount of a unit = its direct members + the headcount of each sub-unit
        assert u.headcount_total == u.headcount_direct + sum(c.headcount_total for c in below)
        assert u.units_below == len(below) + sum(c.units_below for c in below)
        assert u.headcount_direct == len(snap.members(u.id))
    assert by_id[snap.root.id].headcount_total == len(snap.people)
    assert by_id[snap.root.id].units_below == len(snap.units) - 1
    # span totals = the people whose manager is known and in the snapshot
    managed = sum(1 for p in snap.people.values() if p.reports_to in snap.people)
    spans = [len(snap.reports(p)) for p in snap.people]
    assert sum(spans) == managed
    assert s.managers == sum(1 for n in spans if n)
    assert s.span_max == (max(spans) if managed else None)
    # depth: people in the chain up to the first of the root's leads, else unknown
    tops = set(snap.root.leads)
    reach = []
    for p in snap.people:
        chain = snap.chain(p)
        firsts = [i for i, q in enumerate(chain) if q in tops]
        if firsts:
            reach.append(firsts[0] + 1)
    assert s.depth_unknown == len(snap.people) - len(reach)
    assert s.depth_max == (max(reach) if reach else None)
    assert s.facts == len(snap.units) + len(snap.people) + len(snap.relations)


@settings(max_examples=40)
@given(snapshots(max_units=7, max_people=12))
def test_headcount_and_span_add_up(snap: Snapshot) -> None:
    """Invariants: unit headcount sums; span totals equal people with a manager; depth is the chain."""
    _check_invariants(snap)


@settings(max_examples=25)
@given(timelines(max_snapshots=4), st.integers(min_value=0, max_value=3))
def test_manager_changes_count_changes_of_known_manager(tl: orgdiff.Timeline, t: int) -> None:
    """Invariant: each person's manager changes = the times their known manager differs from the last one."""
    ts = timeline_stats(tl, span_threshold=t)
    expected: dict[str, int] = {}
    for pid in {p for s in tl.snapshots for p in s.people}:
        known = [s.people[pid].reports_to for s in tl.snapshots if pid in s.people]
        known = [m for m in known if m is not None]
        n = sum(1 for a, b in itertools.pairwise(known) if a != b)
        if n:
            expected[pid] = n
    assert expected == dict(ts.manager_changes)
    assert len(ts.periods) == len(tl.snapshots) - 1
    for s in ts.snapshots:
        assert all(r > t for _, r in s.wide_managers)


def test_json_and_csv_carry_the_same_numbers() -> None:
    tl = example()
    data = stats_json(timeline_stats(tl))
    rows = list(csv.DictReader(io.StringIO(stats_csv(timeline_stats(tl)))))
    assert [r["date"] for r in rows] == [s["date"] for s in data["snapshots"]]
    assert [int(r["people"]) for r in rows] == [s["people"] for s in data["snapshots"]]
    assert [r["units_added"] for r in rows] == ["", "0", "2", "0"]
    one = list(csv.DictReader(io.StringIO(stats_csv(snapshot_stats(tl.at("2023"))))))
    assert [(r["unit"], r["headcount_total"]) for r in one] == [
        ("acme", "5"),
        ("engineering", "4"),
        ("research", "2"),
    ]


def orgdiff_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orgdiff", "--org", str(EXAMPLE), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_stats_command_json_at_a_date() -> None:
    done = orgdiff_cli("stats", "2024-06", "--format", "json", "--span-threshold", "1")
    assert (done.returncode, done.stderr) == (0, "")
    data = json.loads(done.stdout)
    assert data["span"]["wide"] == [{"id": "ada-park", "reports": 2}]
    assert data["depth"] == {"max": 4, "mean": 2.5, "unknown": 0}
    assert [u["headcount"] for u in data["by_unit"]] == [
        {"direct": 1, "total": 6},
        {"direct": 2, "total": 2},
        {"direct": 1, "total": 3},
        {"direct": 2, "total": 2},
    ]


def test_stats_command_over_time_to_a_csv_file(tmp_path: Path) -> None:
    out = tmp_path / "stats.csv"
    done = orgdiff_cli("stats", "-o", str(out))
    assert (done.returncode, done.stderr) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["people"] for r in rows] == ["4", "5", "6", "5"]


def test_stats_text_names_people() -> None:
    done = orgdiff_cli("stats", "--over-time")
    assert done.returncode == 0
    tail = done.stdout.splitlines()[-3:]
    assert tail == ["manager changes per person:", "  Chen Li: 2", "  Dara Novak: 1"]


def test_plots_need_no_date() -> None:
    done = orgdiff_cli("stats", "2024", "--format", "svg")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "orgdiff: error: the plots are over time: drop DATE, or use --format text/json/csv\n"
    )


def test_over_time_up_to_a_date() -> None:
    """`stats 2023 --over-time`: the snapshots up to the end of 2023 and the one period between."""
    done = orgdiff_cli("stats", "2023", "--over-time", "--format", "json")
    assert (done.returncode, done.stderr) == (0, "")
    data = json.loads(done.stdout)
    assert [s["date"] for s in data["snapshots"]] == ["2022-01-10", "2023-03-01"]
    assert [(p["since"], p["date"]) for p in data["periods"]] == [("2022-01-10", "2023-03-01")]
    assert data["manager_changes"] == {"chen-li": 1}
