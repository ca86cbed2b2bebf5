"""Lineage inferred from people flows: the reorganisation made is the one found.

The properties run through real files: a generated company and a generated
reorganisation of it are written as two monthly CSV exports and imported.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import hrgen
from hypothesis import given, settings
from hypothesis import strategies as st

from orgdiff.hrimport import plan_import, slug
from orgdiff.infer import Inferred, apply_lineage, infer_lineage
from orgdiff.model import Person, Snapshot, Timeline, Unit

JAN, FEB = dt.date(2024, 1, 31), dt.date(2024, 2, 29)


def import_months(before: list[hrgen.Employee], after: list[hrgen.Employee]) -> Timeline:
    """The two months written as CSV files, with private columns, and imported."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "2024-01.csv").write_text(hrgen.to_csv(before, seed=1), encoding="utf-8")
        (folder / "2024-02.csv").write_text(hrgen.to_csv(after, seed=2), encoding="utf-8")
        plan = plan_import(
            folder / "org",
            [(str(folder / "2024-01.csv"), JAN), (str(folder / "2024-02.csv"), FEB)],
        )
        return plan.timeline


def lineage_of(snap: Snapshot) -> dict[str, tuple[str, ...]]:
    """``{unit: from}`` of the units that have lineage."""
    return {uid: u.from_ for uid, u in snap.units.items() if u.from_}


def noted(snap: Snapshot) -> set[str]:
    return {uid for uid, u in snap.units.items() if u.note is not None}


@st.composite
def companies(draw: st.DrawFn) -> list[hrgen.Employee]:
    departments = draw(st.integers(2, 6))
    size = draw(st.integers(departments + 3, 40))
    return hrgen.company(
        seed=draw(st.integers(0, 10_000)), departments=departments, size=size, depth=2
    )


def departments(people: list[hrgen.Employee], *, at_least: int = 1) -> list[str]:
    counts: dict[str, int] = {}
    for e in people:
        counts[e.department] = counts.get(e.department, 0) + 1
    return sorted(d for d, n in counts.items() if n >= at_least)


FAST = settings(max_examples=25, deadline=None)


@FAST
@given(companies())
def test_identical_months_infer_nothing(people: list[hrgen.Employee]) -> None:
    """Invariant: no lineage is ever invented between identical months."""
    tl = import_months(people, people)
    assert {} == lineage_of(tl.snapshots[1])
    assert set() == noted(tl.snapshots[1])
    assert tl.snapshots[0].units == tl.snapshots[1].units


@FAST
@given(companies(), st.data())
def test_a_rename_is_found(people: list[hrgen.Employee], data: st.DataObject) -> None:
    """Invariant: a department renamed keeps its unit id under the new name, and nothing else
    gets lineage."""
    old = data.draw(st.sampled_from(departments(people)))
    tl = import_months(people, hrgen.rename(people, old, "Renamed Unit"))
    feb = tl.snapshots[1]
    assert "Renamed Unit" == feb.units[slug(old)].name
    assert {slug(old)} == noted(feb)
    assert {} == lineage_of(feb)


@FAST
@given(companies(), st.data())
def test_a_split_is_found(people: list[hrgen.Employee], data: st.DataObject) -> None:
    """Invariant: a department split in two gives two new units, each `from` it, and only them."""
    old = data.draw(st.sampled_from(departments(people, at_least=2)))
    tl = import_months(people, hrgen.split(people, old, ["Part One", "Part Two"]))
    feb = tl.snapshots[1]
    assert slug(old) not in feb.units
    assert {"part-one": (slug(old),), "part-two": (slug(old),)} == lineage_of(feb)


@FAST
@given(companies(), st.data())
def test_a_merge_is_found(people: list[hrgen.Employee], data: st.DataObject) -> None:
    """Invariant: two departments merged give one new unit `from` both, and only it."""
    a, b = data.draw(
        st.lists(st.sampled_from(departments(people)), min_size=2, max_size=2, unique=True)
    )
    tl = import_months(people, hrgen.merge(people, [a, b], "Merged Unit"))
    feb = tl.snapshots[1]
    assert ["merged-unit"] == sorted(lineage_of(feb))
    assert {slug(a), slug(b)} == set(feb.units["merged-unit"].from_)


@FAST
@given(companies(), st.data())
def test_a_move_is_not_a_reorganisation(people: list[hrgen.Employee], data: st.DataObject) -> None:
    """Invariant: one person moving between departments that go on infers no lineage."""
    heads = {e.eid for e in people if e.manager is None} | {
        e.eid
        for e in people
        if e.manager is not None
        and next(m for m in people if m.eid == e.manager).department != e.department
    }
    managers = {e.manager for e in people}
    movable = [e for e in people if e.eid not in heads and e.eid not in managers]
    if not movable:
        return
    who = data.draw(st.sampled_from(movable))
    target = data.draw(st.sampled_from([d for d in departments(people) if d != who.department]))
    target_head = next(e for e in people if e.department == target and e.eid in heads)
    after = [
        hrgen.Employee(e.eid, e.first, e.last, e.title, target_head.eid, target) if e is who else e
        for e in people
    ]
    tl = import_months(people, after)
    assert {} == lineage_of(tl.snapshots[1])
    assert set() == noted(tl.snapshots[1])


# --- the rules, on snapshots built by hand ------------------------------------------------


def org(date: dt.date, units: dict[str, str], people: dict[str, str]) -> Snapshot:
    """A flat org: ``units`` id -> name under a root, ``people`` id -> unit."""
    built = {"root": Unit("root", "Root")}
    built.update({u: Unit(u, n, parent="root") for u, n in units.items()})
    return Snapshot(date, "", built, {p: Person(p, u) for p, u in people.items()})


def test_dissolution_into_units_that_go_on() -> None:
    """A unit whose people go to units that continue is absorbed into each (`from` on them)."""
    a = org(JAN, {"x": "X", "y": "Y", "z": "Z"}, {"1": "x", "2": "x", "3": "y", "4": "z"})
    b = org(FEB, {"y": "Y", "z": "Z"}, {"1": "y", "2": "z", "3": "y", "4": "z"})
    assert (
        Inferred("y", "absorption", (("x", 1, 2),)),
        Inferred("z", "absorption", (("x", 1, 2),)),
    ) == infer_lineage(a, b)


def test_split_off_from_a_unit_that_goes_on() -> None:
    """New units made of people from a unit that continues are split off from it."""
    a = org(JAN, {"x": "X"}, {str(k): "x" for k in range(8)})
    b = org(FEB, {"x": "X", "n": "N"}, {str(k): ("n" if k < 3 else "x") for k in range(8)})
    assert (Inferred("n", "split-off", (("x", 3, 8),)),) == infer_lineage(a, b)
    after, _ = apply_lineage(a, b)
    assert ("x",) == after.units["n"].from_
    assert (
        "Inferred from the people who moved (split off): 3 of X's 8 people moved here."
        == after.units["n"].note
    )


def test_thresholds_are_settable() -> None:
    """A mostly intact unit under a new name is a rename, below `rename_share` a succession;
    a flow under `min_people` is no lineage; leavers do not count."""
    a = org(JAN, {"x": "X", "w": "W"}, {**{str(k): "x" for k in range(10)}, "w1": "w"})
    moved = {str(k): "y" for k in range(7)} | {"7": "w", "w1": "w"}  # 8 and 9 left
    b = org(FEB, {"y": "Y", "w": "W"}, moved)
    assert (Inferred("y", "rename", (("x", 7, 8),), renamed_from="x"),) == infer_lineage(a, b)
    assert (Inferred("y", "succession", (("x", 7, 8),)),) == infer_lineage(a, b, rename_share=0.9)
    assert () == infer_lineage(a, b, min_people=8)
    renamed, _ = apply_lineage(a, b)
    assert ["w", "x"] == sorted(renamed.units.keys() - {"root"})
    assert "Y" == renamed.units["x"].name
    assert {"x"} == {renamed.people[str(k)].unit for k in range(7)}


def test_notes_count_one_person_in_the_singular() -> None:
    """A unit of one person absorbed into another: "1 of X's 1 person"; a unit whose
    name ends in s takes a bare apostrophe; a rename of one person says so too."""
    a = org(JAN, {"x": "Ops", "y": "Y", "z": "Z"}, {"1": "x", "2": "y", "3": "z"})
    b = org(FEB, {"y": "Y", "w": "W"}, {"1": "y", "2": "y", "3": "w"})
    after, found = apply_lineage(a, b)
    assert (
        Inferred("y", "absorption", (("x", 1, 1),)),
        Inferred("w", "rename", (("z", 1, 1),), renamed_from="z"),
    ) == tuple(sorted(found, key=lambda f: f.kind))
    assert [
        "Inferred from the people who moved (merged into this unit): 1 of Ops' 1 person moved here.",
        "Inferred from the people who moved: renamed from Z (1 of its 1 person stayed).",
    ] == [after.units["y"].note, after.units["z"].note]
