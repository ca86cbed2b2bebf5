"""Snapshot and timeline queries, on the example dataset."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

import orgdiff
from orgdiff import DateError, Snapshot, Timeline, UnknownIdError

EXAMPLE = Path(__file__).parent / "data" / "example"


@pytest.fixture(scope="module")
def tl() -> Timeline:
    return orgdiff.load(EXAMPLE)


def test_snapshots_come_in_date_order(tl: Timeline) -> None:
    """`snapshots` is sorted by date, and `dates` lists them."""
    assert (
        dt.date(2022, 1, 10),
        dt.date(2023, 3, 1),
        dt.date(2024, 6, 3),
        dt.date(2025, 2, 14),
    ) == tl.dates
    assert len(tl) == 4
    assert [s.date for s in tl] == list(tl.dates)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("2022", "2022-01-10"),
        ("2022-01-10", "2022-01-10"),
        ("2023-02", "2022-01-10"),
        ("2023-03", "2023-03-01"),
        ("2024-06", "2024-06-03"),
        ("2024-06-02", "2023-03-01"),
        ("2030", "2025-02-14"),
        (dt.date(2024, 6, 3), "2024-06-03"),
    ],
)
def test_at_takes_the_snapshot_in_effect(tl: Timeline, query: str, expected: str) -> None:
    """`at(date)` is the latest snapshot on or before the end of the period."""
    assert expected == tl.at(query).date.isoformat()


def test_at_before_the_first_snapshot_names_it(tl: Timeline) -> None:
    """A date before the first snapshot is an error that names the first date."""
    with pytest.raises(DateError, match="before the first snapshot of `Acme Robotics`, 2022-01-10"):
        tl.at("2021-12")


def test_snapshot_fields(tl: Timeline) -> None:
    """The fields of DESIGN.md's API tour read as documented."""
    snap = tl.at("2024-06")
    assert dt.date(2024, 6, 3) == snap.date
    assert ("split-memo",) == snap.sources
    assert "autonomy" == snap.units["research"].parent
    assert "chen-li" == snap.people["eli-moreau"].reports_to
    assert ("engineering",) == snap.units["platform"].from_
    assert orgdiff.Confidence.REPORTED == snap.people["femi-adeyemi"].confidence
    assert "Éli Moreau" == snap.name_of("eli-moreau")
    assert "Applied Research" == snap.name_of("research")


def test_tree_queries(tl: Timeline) -> None:
    """root, children, members, ancestors and descendants follow `parent` and `unit`."""
    snap = tl.at("2024-06")
    assert "acme" == snap.root.id
    assert ("platform", "autonomy") == snap.children("acme")
    assert () == snap.children("research")
    assert ("chen-li", "eli-moreau") == snap.members("research")
    assert ("autonomy", "acme") == snap.ancestors("research")
    assert () == snap.ancestors("acme")
    assert ("platform", "autonomy", "research") == snap.descendants("acme")


def test_reporting_queries(tl: Timeline) -> None:
    """reports and chain follow `reports_to`."""
    snap = tl.at("2024-06")
    assert ("eli-moreau", "chen-li", "ben-okafor", "ada-park") == snap.chain("eli-moreau")
    assert ("ada-park",) == snap.chain("ada-park")
    assert ("ben-okafor", "dara-novak") == snap.reports("ada-park")
    assert () == snap.reports("eli-moreau")


def test_unknown_ids_suggest_the_closest(tl: Timeline) -> None:
    """An unknown id raises UnknownIdError (a KeyError) with a did-you-mean."""
    snap = tl.at("2024-06")
    with pytest.raises(
        UnknownIdError,
        match="no person `eli-moreu` in the snapshot of 2024-06-03; did you mean `eli-moreau`",
    ):
        snap.chain("eli-moreu")
    with pytest.raises(KeyError, match="did you mean `research`"):
        snap.children("reserch")


def test_models_are_frozen(tl: Timeline) -> None:
    """Models cannot be changed in place; `attrs.evolve` makes a new one."""
    snap = tl.at("2024-06")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        snap.event = "changed"  # type: ignore[misc]
    changed = attrs.evolve(snap, event="changed")
    assert changed != snap
    assert "changed" == changed.event


def test_equality_ignores_the_registry(tl: Timeline) -> None:
    """Snapshots are equal by structure; the shared people registry is not compared."""
    snap = tl.at("2024-06")
    bare = attrs.evolve(snap, identities={})
    assert bare == snap
    assert "eli-moreau" == bare.name_of("eli-moreau")


def test_an_empty_timeline_has_no_snapshot_to_give() -> None:
    """`at` on a timeline without snapshots is a DateError, not an IndexError."""
    empty = Timeline(name="Empty", snapshots=())
    with pytest.raises(DateError, match="has no snapshots"):
        empty.at("2020")


def test_chain_stops_on_a_cycle() -> None:
    """`chain` never loops forever, even on data that has not been validated."""
    snap = Snapshot(
        date=dt.date(2020, 1, 1),
        event="x",
        units={"a": orgdiff.Unit(id="a", name="A")},
        people={
            "p": orgdiff.Person(id="p", unit="a", reports_to="q"),
            "q": orgdiff.Person(id="q", unit="a", reports_to="p"),
        },
    )
    assert ("p", "q") == snap.chain("p")
