"""Semantic diffs on the example dataset: kinds, lineage, events, apply, inverse."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import orgdiff
from orgdiff import ChangeKind, Timeline
from orgdiff.diff import ApplyError, apply, diff, lineage

EXAMPLE = Path(__file__).parent / "data" / "example"


@pytest.fixture(scope="module")
def tl() -> Timeline:
    return orgdiff.load(EXAMPLE)


def kinds(d: orgdiff.Diff) -> list[tuple[str, str]]:
    return [(c.kind.value, c.id) for c in d.changes]


def test_a_snapshot_against_itself_is_empty(tl: Timeline) -> None:
    """diff(a, a) has no changes and no events."""
    for snap in tl:
        d = diff(snap, snap)
        assert () == d.changes
        assert () == d.events
        assert not d


def test_changes_come_in_the_documented_order(tl: Timeline) -> None:
    """Changes are ordered by kind (units first), then by id."""
    d = tl.diff("2023-03-01", "2024-06-03")
    assert [
        ("unit-added", "autonomy"),
        ("unit-added", "platform"),
        ("unit-removed", "engineering"),
        ("unit-renamed", "research"),
        ("unit-moved", "research"),
        ("person-added", "femi-adeyemi"),
        ("person-moved", "ben-okafor"),
        ("person-moved", "dara-novak"),
        ("person-retitled", "ben-okafor"),
        ("person-retitled", "chen-li"),
        ("person-retitled", "dara-novak"),
        ("person-manager-changed", "dara-novak"),
        ("relation-added", "femi-adeyemi/dotted-line/ben-okafor"),
    ] == kinds(d)


def test_a_rename_is_not_a_removal(tl: Timeline) -> None:
    """A unit whose name changes keeps its id: one unit-renamed, no add or remove."""
    d = tl.diff("2023-03", "2024-06")
    renamed = d.of_kind(ChangeKind.UNIT_RENAMED)
    assert [("research", "Research Lab", "Applied Research")] == [
        (c.id, c.before, c.after) for c in renamed
    ]
    assert "research" not in {c.id for c in d.of_kind("unit-added", "unit-removed")}


def test_a_split_records_from_and_into(tl: Timeline) -> None:
    """Splitting Engineering: the new units come from it, it goes into them."""
    d = tl.diff("2023-03", "2024-06")
    added = {c.id: c.from_ for c in d.of_kind("unit-added")}
    assert {"autonomy": ("engineering",), "platform": ("engineering",)} == added
    (removed,) = d.of_kind("unit-removed")
    assert ("autonomy", "platform") == removed.into
    assert "Engineering split into Autonomy and Platform" == d.events[0].text
    assert ("split-memo",) == d.events[0].sources


def test_a_unit_folded_into_a_kept_unit_is_a_merge(tl: Timeline) -> None:
    """Platform folded into a unit that goes on reads as 'merged into'."""
    d = tl.diff("2024-06", "2025-02")
    texts = [e.text for e in d.events]
    assert "Platform merged into Robotics" in texts
    assert "Autonomy renamed Robotics and now led by Dara Novak (was Ben Okafor)" in texts
    assert "Chen Li now reports to Dara Novak (was Ben Okafor)" in texts


def test_several_changes_of_one_entity_are_one_event(tl: Timeline) -> None:
    """A person moved, retitled and given a new manager is one event that tells all
    three; a unit renamed and moved likewise; a lone change stays its own event."""
    d = tl.diff("2023", "2024")
    by_text = {e.text: (e.kind, [(c.kind.value, c.id) for c in e.changes]) for e in d.events}
    assert (
        "person",
        [
            ("person-moved", "dara-novak"),
            ("person-retitled", "dara-novak"),
            ("person-manager-changed", "dara-novak"),
        ],
    ) == by_text[
        "Dara Novak moved from Engineering to Platform, is now Head of Platform "
        "(was Senior Engineer) and now reports to Ada Park (was Ben Okafor)"
    ]
    assert ("unit", [("unit-renamed", "research"), ("unit-moved", "research")]) == by_text[
        "Research Lab renamed Applied Research and moved from Engineering to Autonomy"
    ]
    assert ("title", [("person-retitled", "chen-li")]) == by_text[
        "Chen Li is now Director of Applied Research (was Director of Research)"
    ]
    # Every change is told by exactly one event.
    told = sorted((c for e in d.events for c in e.changes), key=lambda c: c.sort_key())
    assert list(d.changes) == told


def test_lineage_is_composed_through_split_then_merge(tl: Timeline) -> None:
    """Across several snapshots, a unit split and merged points to where its remit is now."""
    assert {"acme": ("acme",), "engineering": ("autonomy",), "research": ("research",)} == lineage(
        tl.snapshots
    )
    d = tl.diff("2022", "2025")
    (removed,) = d.of_kind("unit-removed")
    assert ("engineering", ("autonomy",)) == (removed.id, removed.into)
    (added,) = d.of_kind("unit-added")
    assert ("autonomy", ("engineering",)) == (added.id, added.from_)
    assert "Engineering became Robotics" == d.events[0].text


def test_each_change_cites_the_snapshot_where_it_took_effect(tl: Timeline) -> None:
    """In a diff across several snapshots, evidence comes from where the change happened."""
    d = tl.diff("2022", "2025")
    by = {(c.kind.value, c.id): c for c in d.changes}
    assert ("reorg-memo",) == by[("person-added", "eli-moreau")].sources
    assert ("trade-press",) == by[("person-added", "femi-adeyemi")].sources
    assert ("split-memo",) == by[("unit-removed", "engineering")].sources
    assert ("founding-post",) == by[("unit-removed", "engineering")].sources_before


def test_confidence_of_a_change_is_its_weakest_side(tl: Timeline) -> None:
    """A change involving a reported fact is itself only reported."""
    d = tl.diff("2023-03", "2024-06")
    (joined,) = [c for c in d.changes if c.id == "femi-adeyemi"]
    assert orgdiff.Confidence.REPORTED == joined.confidence


@pytest.mark.parametrize(("i", "j"), [(0, 1), (1, 2), (2, 3), (0, 3), (3, 0), (2, 1)])
def test_apply_rebuilds_the_later_snapshot(tl: Timeline, i: int, j: int) -> None:
    """apply(a, diff(a, b)) == b, and the inverse diff takes b back to a."""
    a, b = tl.snapshots[i], tl.snapshots[j]
    d = diff(a, b)
    assert b == apply(a, d)
    assert a == apply(b, d.inverse())
    assert a == apply(b, diff(b, a))


def test_the_inverse_swaps_kinds_and_lineage(tl: Timeline) -> None:
    """Inverting turns added into removed and from into into."""
    d = tl.diff("2023-03", "2024-06").inverse()
    removed = {c.id: c.into for c in d.of_kind("unit-removed")}
    assert {"autonomy": ("engineering",), "platform": ("engineering",)} == removed
    assert "Autonomy and Platform merged into Engineering" == d.events[0].text


def test_timeline_diff_backwards_is_the_inverse(tl: Timeline) -> None:
    """tl.diff(later, earlier) is the inverse of tl.diff(earlier, later)."""
    forward = tl.diff("2022", "2025")
    backward = tl.diff("2025", "2022")
    assert forward.inverse().changes == backward.changes


def test_apply_refuses_a_diff_made_from_another_snapshot(tl: Timeline) -> None:
    """Applying a diff to a snapshot it was not made from is an error, not silent damage:
    a unit not as expected, or a person not as expected, each on its own."""
    a = tl.at("2023-03")
    d = tl.diff("2023-03", "2024-06")
    assert {"research", "engineering"} <= d.units.keys()
    assert "dara-novak" in d.people
    units = dict(a.units)
    units["research"] = attrs.evolve(units["research"], name="Applied Science")
    with pytest.raises(ApplyError) as unit_error:
        apply(attrs.evolve(a, units=units), d)
    assert (
        "unit `research` is not as the diff expects it; was the diff made from this snapshot?"
        == str(unit_error.value)
    )
    people = dict(a.people)
    people["dara-novak"] = attrs.evolve(people["dara-novak"], title="Somebody else")
    with pytest.raises(ApplyError) as person_error:
        apply(attrs.evolve(a, people=people), d)
    assert (
        "person `dara-novak` is not as the diff expects it; was the diff made from this snapshot?"
        == str(person_error.value)
    )


def test_evidence_only_changes_are_carried_by_apply(tl: Timeline) -> None:
    """A change of sources or confidence alone is no reported change, yet apply keeps it."""
    a = tl.at("2024-06")
    people = dict(a.people)
    people["ada-park"] = attrs.evolve(people["ada-park"], sources=("trade-press",))
    b = attrs.evolve(a, people=people)
    d = diff(a, b)
    assert () == d.changes
    assert b == apply(a, d)
    assert d  # the diff is not empty: it carries the evidence change


def test_log_is_newest_first(tl: Timeline) -> None:
    """log() gives the diff of each snapshot from the one before, newest first."""
    log = tl.log()
    assert ["2025-02-14", "2024-06-03", "2023-03-01"] == [d.date_after.isoformat() for d in log]
    assert ["2024-06-03"] == [d.date_after.isoformat() for d in tl.log(since="2024", until="2024")]


def test_history_of_a_unit(tl: Timeline) -> None:
    """history() lists where a unit appears, changes and goes, with sources."""
    h = tl.history("platform")
    assert ["2024-06-03", "2025-02-14"] == [e.date.isoformat() for e in h]
    assert h[0].appeared and not h[0].removed
    assert h[1].removed
    assert ("autonomy",) == h[1].changes[0].into


def test_history_of_a_person(tl: Timeline) -> None:
    """history() of a person records each change of unit, title and manager."""
    h = tl.history("chen-li")
    assert [
        ("2022-01-10", []),
        ("2023-03-01", ["person-manager-changed"]),
        ("2024-06-03", ["person-retitled"]),
        ("2025-02-14", ["person-manager-changed"]),
    ] == [(e.date.isoformat(), [c.kind.value for c in e.changes]) for e in h]


def test_history_of_an_unknown_id_suggests(tl: Timeline) -> None:
    """An unknown id raises UnknownIdError with a did-you-mean."""
    with pytest.raises(orgdiff.UnknownIdError, match="did you mean `chen-li`"):
        tl.history("chen-lee")


def test_the_leads_a_change_adds_and_drops_hold_for_a_change_made_by_hand() -> None:
    """`Change` is public: one made by hand may give no leads on one side (`None`),
    and a change of another kind adds and drops no leads."""
    from orgdiff.diff import Change

    first = Change(ChangeKind.UNIT_LEAD_CHANGED, "lab", before=None, after=("ada", "bo"))
    assert (("ada", "bo"), ()) == (first.added_leads, first.dropped_leads)
    gone = Change(ChangeKind.UNIT_LEAD_CHANGED, "lab", before=("ada", "bo"), after=None)
    assert ((), ("ada", "bo")) == (gone.added_leads, gone.dropped_leads)
    joined = Change(ChangeKind.UNIT_LEAD_CHANGED, "lab", before=("ada",), after=("bo", "ada"))
    assert (("bo",), ()) == (joined.added_leads, joined.dropped_leads)
    renamed = Change(ChangeKind.UNIT_RENAMED, "lab", before="Lab", after="Labs")
    assert ((), ()) == (renamed.added_leads, renamed.dropped_leads)
