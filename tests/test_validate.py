"""Each named check, on single corruptions of an example snapshot."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import evolving_timelines, snapshots

import orgdiff
from orgdiff import Person, Relation, Snapshot, Unit
from orgdiff.errors import OrgDataError, Problem
from orgdiff.validate import Found, check_timeline


def _examples(n: int) -> int:
    """``n`` examples, or the mutation profile's few (tests/MUTATION.md): an
    explicit ``max_examples`` overrides the profile's, and each mutant that
    survives would pay for all ``n``."""
    if os.environ.get("HYPOTHESIS_PROFILE") == "mutation":
        return settings.default.max_examples
    return n


EXAMPLE = Path(__file__).parent / "data" / "example"
SNAP = orgdiff.load(EXAMPLE).at("2024-06")


def _person(snap: Snapshot, pid: str, **changes: object) -> Snapshot:
    people = dict(snap.people)
    people[pid] = attrs.evolve(people[pid], **changes)
    return attrs.evolve(snap, people=people)


def _unit(snap: Snapshot, uid: str, **changes: object) -> Snapshot:
    units = dict(snap.units)
    units[uid] = attrs.evolve(units[uid], **changes)
    return attrs.evolve(snap, units=units)


CASES: list[tuple[str, Callable[[Snapshot], Snapshot], str, str]] = [
    (
        "manager missing",
        lambda s: _person(s, "eli-moreau", reports_to="chen-lee"),
        "$.people.eli-moreau.reports_to",
        "person `eli-moreau` reports to `chen-lee`, but `chen-lee` is not in the snapshot of 2024-06-03; did you mean `chen-li`?",
    ),
    (
        "reporting cycle",
        lambda s: _person(s, "ada-park", reports_to="chen-li"),
        "$.people.ada-park.reports_to",
        "reporting lines form a cycle: `ada-park` => `chen-li` => `ben-okafor` => `ada-park`",
    ),
    (
        "self report",
        lambda s: _person(s, "ada-park", reports_to="ada-park"),
        "$.people.ada-park.reports_to",
        "`ada-park` reports to themselves",
    ),
    (
        "manager in a sibling unit",
        lambda s: _person(s, "femi-adeyemi", reports_to="ben-okafor"),
        "$.people.femi-adeyemi.reports_to",
        "person `femi-adeyemi` in `platform` reports to `ben-okafor` in `autonomy`, which is neither `platform` nor above it",
    ),
    (
        "unit missing",
        lambda s: _person(s, "eli-moreau", unit="reseach"),
        "$.people.eli-moreau.unit",
        "person `eli-moreau` is in unit `reseach`, but there is no unit `reseach`; did you mean `research`?",
    ),
    (
        "parent missing",
        lambda s: _unit(s, "research", parent="autonmy"),
        "$.units.research.parent",
        "unit `research` has parent `autonmy`, but there is no unit `autonmy`; did you mean `autonomy`?",
    ),
    (
        "unit cycle",
        lambda s: _unit(s, "autonomy", parent="research"),
        "$.units.autonomy.parent",
        "unit parents form a cycle: `autonomy` => `research` => `autonomy`",
    ),
    (
        "two roots",
        lambda s: _unit(s, "platform", parent=None),
        "$.units.platform",
        "`platform` has no parent, but `acme` is already the root; give it a `parent`",
    ),
    (
        "lead outside the branch",
        lambda s: _unit(s, "platform", lead="chen-li"),
        "$.units.platform.lead",
        "unit `platform` is led by `chen-li`, whose unit `research` is neither `platform` nor above it",
    ),
    (
        "lead missing",
        lambda s: _unit(s, "platform", lead="nobody"),
        "$.units.platform.lead",
        "unit `platform` is led by `nobody`, but `nobody` is not in the snapshot of 2024-06-03",
    ),
    (
        "bad id",
        lambda s: attrs.evolve(
            s, units={**s.units, "Bad Id": Unit(id="Bad Id", name="B", parent="acme")}
        ),
        "$.units['Bad Id']",
        "`Bad Id` is not a valid id; ids are lowercase kebab-case, such as `ai-products`",
    ),
    (
        "two-line event",
        lambda s: attrs.evolve(s, event="one\ntwo"),
        "$.event",
        "the event must be one line",
    ),
    (
        "relation to nowhere",
        lambda s: attrs.evolve(
            s, relations=(Relation(kind="dotted-line", from_="platform", to="nobody"),)
        ),
        "$.relations[0].to",
        "relation `dotted-line` to `nobody`: no unit or person `nobody`",
    ),
    (
        "person in no unit",
        lambda s: attrs.evolve(s, people={**s.people, "zed": Person(id="zed", unit="nowhere")}),
        "$.people.zed.unit",
        "person `zed` is in unit `nowhere`, but there is no unit `nowhere`",
    ),
]


# What else a corruption breaks, necessarily: the manager of the root's lead
# is below the root, the new root's people report to someone outside their branch.
ALSO: dict[str, list[tuple[str, str]]] = {
    "reporting cycle": [
        (
            "$.people.ada-park.reports_to",
            "person `ada-park` in `acme` reports to `chen-li` in `research`, which is neither `acme` nor above it",
        )
    ],
    "two roots": [
        (
            "$.people.dara-novak.reports_to",
            "person `dara-novak` in `platform` reports to `ada-park` in `acme`, which is neither `platform` nor above it",
        )
    ],
}


@pytest.mark.parametrize(
    ("corrupt", "path", "message", "also"),
    [(*c[1:], ALSO.get(c[0], [])) for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_each_corruption_is_caught_at_its_path(
    corrupt: Callable[[Snapshot], Snapshot],
    path: str,
    message: str,
    also: list[tuple[str, str]],
) -> None:
    """A single corruption is reported at the path of the offending value, and nothing else."""
    expected = sorted(
        Problem("<snapshot 2024-06-03>", 0, 0, p, m) for p, m in [(path, message), *also]
    )
    assert expected == orgdiff.validate(corrupt(SNAP))


def test_the_example_is_valid() -> None:
    """The example dataset has no problems."""
    assert [] == orgdiff.validate(orgdiff.load(EXAMPLE))
    assert [] == orgdiff.validate(SNAP)


def test_problems_are_sorted_and_counted() -> None:
    """OrgDataError sorts and de-duplicates its problems and ends with the count."""
    a = Problem("f.yaml", 3, 1, "$.a", "second")
    b = Problem("f.yaml", 1, 5, "$.b", "first")
    err = OrgDataError([a, b, a])
    assert [b, a] == err.problems
    assert "f.yaml:1:5: $.b: first\nf.yaml:3:1: $.a: second\n2 problems found" == str(err)
    assert "1 problem found" == str(OrgDataError([a])).splitlines()[-1]


def test_a_problem_without_a_place_has_no_line() -> None:
    """A problem not tied to a line prints as FILE: PATH: message."""
    assert "<snapshot 2020-01-01>: $.x: m" == str(
        Problem("<snapshot 2020-01-01>", 0, 0, "$.x", "m")
    )


def test_timeline_checks_dates_registry_sources_and_lineage() -> None:
    """Across a timeline: increasing dates, registered people, known sources, `from` in the previous snapshot."""
    tl = orgdiff.load(EXAMPLE)
    first, second, third, fourth = tl.snapshots
    bad_third = attrs.evolve(
        third,
        sources=("split-memo", "no-such-source"),
        units={
            **third.units,
            "platform": attrs.evolve(third.units["platform"], from_=("enginering",)),
        },
        people={**third.people, "newbie": Person(id="newbie", unit="acme")},
    )
    broken = attrs.evolve(tl, snapshots=(first, second, bad_third, fourth, attrs.evolve(fourth)))
    assert [
        (
            "<snapshot 2024-06-03>",
            "$.people.newbie",
            "person `newbie` is not in the people of dataset.yaml",
        ),
        (
            "<snapshot 2024-06-03>",
            "$.sources[1]",
            "source `no-such-source` is not in dataset.yaml",
        ),
        (
            "<snapshot 2024-06-03>",
            "$.units.platform.from[0]",
            "unit `platform` comes from `enginering`, but there is no unit `enginering` in the snapshot of 2023-03-01; did you mean `engineering`?",
        ),
        (
            "<snapshot 2025-02-14>",
            "$.date",
            "snapshot date 2025-02-14 repeats the previous snapshot's 2025-02-14",
        ),
        # The repeated snapshot's `from` names a unit of 2025-02-14's predecessor.
        (
            "<snapshot 2025-02-14>",
            "$.units.autonomy.from[1]",
            "unit `autonomy` comes from `platform`, but there is no unit `platform` in the snapshot of 2025-02-14",
        ),
    ] == [(p.file, p.path, p.message) for p in orgdiff.validate(broken)]


# --- incremental validation ------------------------------------------------------------


def _both(tl: orgdiff.Timeline) -> tuple[Counter[Found], Counter[Found]]:
    return Counter(check_timeline(tl, incremental=False)), Counter(check_timeline(tl))


@settings(max_examples=_examples(300))
@given(evolving_timelines())
def test_incremental_validation_finds_exactly_what_full_validation_finds(
    tl: orgdiff.Timeline,
) -> None:
    """Invariant: checking each snapshot by what changed since the one before
    reports the same problems (paths, messages, dates, as many times) as
    checking every snapshot in full, whatever faults the edits brought in."""
    full, incremental = _both(tl)
    assert full == incremental


@settings(max_examples=_examples(200))
@given(snapshots(min_units=2, min_people=3), st.data())
def test_incremental_validation_follows_what_a_move_changes(
    snap: Snapshot, data: st.DataObject
) -> None:
    """Invariant: incremental = full when, in a valid snapshot, one unit moves
    under another (its people stay the same objects, their managers may now be
    outside their branch) or one person moves to another unit (the people who
    report to them stay the same objects)."""
    if data.draw(st.booleans(), label="a unit moves"):
        # Most often the unit of someone whose manager is in another unit.
        managed = sorted(
            {
                p.unit
                for p in snap.people.values()
                if p.reports_to is not None and snap.people[p.reports_to].unit != p.unit
            }
        )
        units = st.sampled_from(sorted(snap.units))
        uid = data.draw(st.sampled_from(managed) | units if managed else units, label="unit")
        parent = data.draw(st.none() | units, label="new parent (none: a second root)")
        after = attrs.evolve(
            snap, units={**snap.units, uid: attrs.evolve(snap.units[uid], parent=parent)}
        )
    else:
        pid = data.draw(st.sampled_from(sorted(snap.people)), label="person")
        unit = data.draw(st.sampled_from(sorted(snap.units)), label="new unit")
        after = attrs.evolve(
            snap, people={**snap.people, pid: attrs.evolve(snap.people[pid], unit=unit)}
        )
    after = attrs.evolve(after, date=snap.date + dt.timedelta(days=1))
    tl = orgdiff.Timeline(name="t", snapshots=(snap, after))
    full, incremental = _both(tl)
    assert full == incremental


def _timeline(*snaps: Snapshot) -> orgdiff.Timeline:
    whole = orgdiff.load(EXAMPLE)
    return attrs.evolve(whole, snapshots=snaps)


def _next(snap: Snapshot, **changes: object) -> Snapshot:
    return attrs.evolve(snap, date=snap.date.replace(year=snap.date.year + 1), **changes)


def test_a_unit_that_moves_rechecks_the_unchanged_people_in_it() -> None:
    """`research` moves under `platform`: `chen-li` (in `research`) is the same
    object, but their manager's unit `autonomy` is no longer above them."""
    moved = attrs.evolve(SNAP.units["research"], parent="platform")
    after = _next(SNAP, units={**SNAP.units, "research": moved})
    full, incremental = _both(_timeline(SNAP, after))
    assert full == incremental
    assert after.people["chen-li"] is SNAP.people["chen-li"]
    assert Counter(
        [Found(("people", "chen-li", "reports_to"), _outside(after, "chen-li"), after.date)]
    ) == _new(incremental, after)


def test_a_manager_who_moves_rechecks_their_unchanged_reports() -> None:
    """`chen-li` moves to `platform`; `eli-moreau`, who reports to them from
    `research`, is the same object, and is now reported."""
    boss = attrs.evolve(SNAP.people["chen-li"], unit="platform")
    after = _next(SNAP, people={**SNAP.people, "chen-li": boss})
    full, incremental = _both(_timeline(SNAP, after))
    assert full == incremental
    assert after.people["eli-moreau"] is SNAP.people["eli-moreau"]
    led = "unit `research` is led by `chen-li`, whose unit `platform` is neither `research` nor above it"
    assert Counter(
        [
            Found(("people", "chen-li", "reports_to"), _outside(after, "chen-li"), after.date),
            Found(
                ("people", "eli-moreau", "reports_to"), _outside(after, "eli-moreau"), after.date
            ),
            Found(("units", "research", "lead"), led, after.date),
        ]
    ) == _new(incremental, after)


def test_a_manager_who_comes_rechecks_their_unchanged_reports() -> None:
    """Protects: the reports looked at again for managers in their branch are
    those of people who changed unit or came. `chen-li` is missing from the
    snapshot before (so `eli-moreau`'s manager was checked nowhere) and comes,
    in `platform`: `eli-moreau`, the same object, is now reported."""
    people = {pid: p for pid, p in SNAP.people.items() if pid != "chen-li"}
    before = attrs.evolve(SNAP, people=people)
    boss = attrs.evolve(SNAP.people["chen-li"], unit="platform")
    after = _next(SNAP, people={**people, "chen-li": boss})
    full, incremental = _both(_timeline(before, after))
    assert full == incremental
    assert after.people["eli-moreau"] is before.people["eli-moreau"]
    outside = Found(
        ("people", "eli-moreau", "reports_to"), _outside(after, "eli-moreau"), after.date
    )
    assert 1 == incremental[outside]


def _new(found: Counter[Found], after: Snapshot) -> Counter[Found]:
    """What ``found`` holds beyond the problems of ``SNAP`` followed by an unchanged
    copy (the example's lineage refers to a unit before its first snapshot): what
    the edit made in ``after`` brought in."""
    return found - _both(_timeline(SNAP, _next(SNAP)))[1]


def _outside(snap: Snapshot, pid: str) -> str:
    person = snap.people[pid]
    boss = snap.people[person.reports_to or ""]
    return (
        f"person `{pid}` in `{person.unit}` reports to `{boss.id}` in `{boss.unit}`, "
        f"which is neither `{person.unit}` nor above it"
    )


def _org(units: dict[str, str | None], people: dict[str, tuple[str, str | None]]) -> Snapshot:
    """A snapshot of 2024-01-01: unit id -> parent, person id -> (unit, reports_to)."""
    return Snapshot(
        date=dt.date(2024, 1, 1),
        event="E",
        units={u: Unit(id=u, name=u.title(), parent=p) for u, p in units.items()},
        people={p: Person(id=p, unit=u, reports_to=r) for p, (u, r) in people.items()},
    )


def _registered(*snaps: Snapshot) -> orgdiff.Timeline:
    """A timeline of ``snaps`` whose registry names everyone in them."""
    ids = {pid for snap in snaps for pid in snap.people}
    return orgdiff.Timeline(
        name="t",
        snapshots=snaps,
        people={pid: orgdiff.Identity(id=pid, name=pid.title()) for pid in sorted(ids)},
    )


@pytest.mark.parametrize("cycle", [False, True], ids=["", "after a cycle of units that stays"])
def test_a_unit_that_moves_rechecks_the_unchanged_people_below_it(cycle: bool) -> None:
    """`lab` moves from `eng` to `ops`: `tom`, in `team` below `lab`, is the same
    object in the same unit, but their manager's unit `eng` is no longer above them.
    Units `c1` and `c2`, each the other's parent in both snapshots, come first in
    the file in the second case."""
    units: dict[str, str | None] = {"c1": "c2", "c2": "c1"} if cycle else {}
    units |= {"hq": None, "eng": "hq", "ops": "hq", "lab": "eng", "team": "lab"}
    before = _org(units, {"ada": ("hq", None), "eve": ("eng", "ada"), "tom": ("team", "eve")})
    after = attrs.evolve(
        before,
        date=dt.date(2024, 2, 1),
        units={**before.units, "lab": attrs.evolve(before.units["lab"], parent="ops")},
    )
    assert after.people["tom"] is before.people["tom"]
    # The same again a month later: the problem found is found again.
    again = attrs.evolve(after, date=dt.date(2024, 3, 1))
    full, incremental = _both(_registered(before, after, again))
    outside = (
        "person `tom` in `team` reports to `eve` in `eng`, which is neither `team` nor above it"
    )
    found = [Found(("people", "tom", "reports_to"), outside, d) for d in (after.date, again.date)]
    if cycle:
        loop = "unit parents form a cycle: `c1` => `c2` => `c1`"
        days = (before.date, after.date, again.date)
        found += [Found(("units", "c1", "parent"), loop, day) for day in days]
    assert Counter(found) == incremental
    assert full == incremental


def test_a_person_in_a_cycle_of_units_with_a_manager_outside_it_is_checked() -> None:
    """The branch check walks up from `c1` and stops at the cycle (reported once,
    as a cycle) instead of walking round it for ever."""
    snap = _org({"hq": None, "c1": "c2", "c2": "c1"}, {"ada": ("hq", None), "tom": ("c1", "ada")})
    assert [
        Problem(
            "<snapshot 2024-01-01>",
            0,
            0,
            "$.units.c1.parent",
            "unit parents form a cycle: `c1` => `c2` => `c1`",
        )
    ] == orgdiff.validate(snap)


def test_the_branch_checks_go_on_past_what_they_pass_over() -> None:
    """`tom`'s manager `eve` is in no unit (reported once, as that), and `eng`
    has no lead: both are passed over, and the checks go on to `zed`, whose
    manager is in another branch, and to `lab`'s second co-lead, likewise; `ops`
    names a co-lead twice, and the check goes on to its third."""
    units = {
        "hq": Unit(id="hq", name="Hq", leads=("ada",)),
        "eng": Unit(id="eng", name="Eng", parent="hq"),
        "ops": Unit(id="ops", name="Ops", parent="hq", leads=("olga", "olga", "zed")),
        "lab": Unit(id="lab", name="Lab", parent="eng", leads=("bo", "olga")),
    }
    people = {
        p.id: p
        for p in (
            Person(id="ada", unit="hq"),
            Person(id="eve", unit="gone", reports_to="ada"),
            Person(id="tom", unit="eng", reports_to="eve"),
            Person(id="bo", unit="lab", reports_to="ada"),
            Person(id="olga", unit="ops", reports_to="ada"),
            Person(id="zed", unit="eng", reports_to="olga"),
        )
    }
    snap = Snapshot(date=dt.date(2024, 1, 1), event="E", units=units, people=people)
    assert [
        ("$.people.eve.unit", "person `eve` is in unit `gone`, but there is no unit `gone`"),
        (
            "$.people.zed.reports_to",
            "person `zed` in `eng` reports to `olga` in `ops`, which is neither `eng` nor above it",
        ),
        (
            "$.units.lab.lead[1]",
            "unit `lab` is led by `olga`, whose unit `ops` is neither `lab` nor above it",
        ),
        ("$.units.ops.lead[1]", "`olga` is listed twice as a lead (first at [0])"),
        (
            "$.units.ops.lead[2]",
            "unit `ops` is led by `zed`, whose unit `eng` is neither `ops` nor above it",
        ),
    ] == [(p.path, p.message) for p in orgdiff.validate(snap)]


def test_a_cycle_listed_after_units_seen_already_is_found() -> None:
    """`team` comes before its parent `lab` in the file: the walk from `team`
    passes `lab` and `hq`, and the search goes on past them to `c1` and `c2`."""
    units = {"team": "lab", "lab": "hq", "hq": None, "c1": "c2", "c2": "c1"}
    assert [("$.units.c1.parent", "unit parents form a cycle: `c1` => `c2` => `c1`")] == [
        (p.path, p.message) for p in orgdiff.validate(_org(units, {}))
    ]


def test_a_unit_added_rechecks_the_unchanged_people_whose_manager_is_in_it() -> None:
    """`eve` is in `x`, which the first snapshot lacks (so no branch to check);
    `x` is added under `ops`: `tom` in `lab`, who reports to `eve`, is the same
    object, and `x` is not above `lab`."""
    people = {"ada": ("hq", None), "eve": ("x", "ada"), "tom": ("lab", "eve")}
    before = _org({"hq": None, "eng": "hq", "ops": "hq", "lab": "eng"}, people)
    x = Unit(id="x", name="X", parent="ops")
    after = attrs.evolve(before, date=dt.date(2024, 2, 1), units={**before.units, "x": x})
    assert after.people["tom"] is before.people["tom"]
    full, incremental = _both(_registered(before, after))
    missing = "person `eve` is in unit `x`, but there is no unit `x`"
    outside = "person `tom` in `lab` reports to `eve` in `x`, which is neither `lab` nor above it"
    assert (
        Counter(
            [
                Found(("people", "eve", "unit"), missing, before.date),
                Found(("people", "tom", "reports_to"), outside, after.date),
            ]
        )
        == incremental
    )
    assert full == incremental


def test_one_change_that_closes_a_reporting_cycle_is_found() -> None:
    """The top of the chain now reports to the bottom: the cycle goes through
    people who did not change, and through the one who did."""
    chain = SNAP.chain("eli-moreau")
    top = chain[-1]
    after = _next(
        SNAP, people={**SNAP.people, top: attrs.evolve(SNAP.people[top], reports_to=chain[0])}
    )
    full, incremental = _both(_timeline(SNAP, after))
    assert full == incremental
    cycle = "reporting lines form a cycle: `ada-park` => `eli-moreau` => `chen-li` => `ben-okafor` => `ada-park`"
    assert [top, *chain[:-1]] == ["ada-park", "eli-moreau", "chen-li", "ben-okafor"]
    assert Counter(
        [
            Found(("people", top, "reports_to"), cycle, after.date),
            Found(("people", top, "reports_to"), _outside(after, top), after.date),
        ]
    ) == _new(incremental, after)


def test_printable_texts_have_no_suspect_character() -> None:
    """Every code point that ``str.isprintable`` accepts is one the careful look of
    ``_bad_text`` would pass over: so printable texts skip that look, and nothing else.
    All of Unicode, one code point at a time."""
    from orgdiff.validate import _SUSPECT

    printable_suspects = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if chr(code).isprintable() and _SUSPECT.match(chr(code))
    ]
    assert printable_suspects == []


@settings(max_examples=_examples(100))
@given(evolving_timelines(), st.data())
def test_snapshots_checked_already_are_not_checked_again(
    tl: orgdiff.Timeline, data: st.DataObject
) -> None:
    """Invariant: where the first snapshots of a timeline passed every check (as a
    loaded dataset's did, before an import adds to it), checking only the ones
    after them finds what checking the whole timeline finds, whatever faults the
    later snapshots have."""
    from orgdiff.validate import validate

    for k in range(len(tl.snapshots), 0, -1):
        head = attrs.evolve(tl, snapshots=tl.snapshots[:k])
        if not validate(head):
            break
    else:
        k = 0
    checked = data.draw(st.integers(0, k), label="snapshots checked already")
    assert validate(tl) == validate(tl, checked=checked)


def test_lineage_of_the_first_snapshot_after_those_checked_is_checked() -> None:
    """A new snapshot after snapshots checked already still has its ``from`` checked
    against the snapshot before it."""
    from orgdiff.validate import validate

    tl = orgdiff.load(EXAMPLE)
    last = tl.snapshots[-1]
    uid = next(iter(last.units))
    broken = attrs.evolve(
        last,
        date=last.date + dt.timedelta(days=1),
        units={**last.units, uid: attrs.evolve(last.units[uid], from_=("no-such-unit",))},
    )
    longer = attrs.evolve(tl, snapshots=(*tl.snapshots, broken))
    found = validate(longer, checked=len(tl.snapshots))
    assert found == validate(longer)
    assert f"$.units.{uid}.from[0]" in [p.path for p in found]
