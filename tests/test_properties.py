"""Properties of generated orgs: they validate, single corruptions are caught at
the right path, they survive writing and reading back, and the derived views
agree with the stored fields.

The generators live in ``strategies.py`` and are valid by construction, so any
problem reported here for an uncorrupted org is a bug in orgdiff.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from strategies import ids, snapshots, timelines

import orgdiff
from orgdiff import OrgDataError, Person, Problem, Snapshot, Timeline, Unit
from orgdiff.load import read_text, structure_snapshot

UNIT_KEYS = {"name", "parent", "lead", "from", "confidence", "sources", "note"}


# --- helpers -----------------------------------------------------------------------


def with_person(snap: Snapshot, pid: str, **changes: Any) -> Snapshot:
    """``snap`` with person ``pid`` changed (or added, given a ``unit``)."""
    people = dict(snap.people)
    if pid in people:
        people[pid] = attrs.evolve(people[pid], **changes)
    else:
        people[pid] = Person(id=pid, **changes)
    return attrs.evolve(snap, people=people)


def with_unit(snap: Snapshot, uid: str, **changes: Any) -> Snapshot:
    """``snap`` with unit ``uid`` changed (or added, given a ``name``)."""
    units = dict(snap.units)
    if uid in units:
        units[uid] = attrs.evolve(units[uid], **changes)
    else:
        units[uid] = Unit(id=uid, **changes)
    return attrs.evolve(snap, units=units)


def fresh_id(snap: Snapshot, base: str) -> str:
    """``base``, lengthened until no unit or person of ``snap`` has it."""
    taken = {*snap.units, *snap.people}
    out = base
    while out in taken:
        out += "-x"
    return out


def branch(snap: Snapshot, uid: str) -> list[str]:
    """``uid`` and the units above it, nearest first (the snapshot must be valid)."""
    out: list[str] = []
    node: str | None = uid
    while node is not None:
        out.append(node)
        node = snap.units[node].parent
    return out


def subtree(snap: Snapshot, uid: str) -> list[str]:
    """``uid`` and every unit below it (the snapshot must be valid)."""
    return [u for u in snap.units if uid in branch(snap, u)]


def preorder(snap: Snapshot, uid: str) -> list[str]:
    """The units below ``uid``, depth first, children in file order."""
    out: list[str] = []
    for child in (u.id for u in snap.units.values() if u.parent == uid):
        out += [child, *preorder(snap, child)]
    return out


def only(problems: list[Problem], word: str) -> list[Problem]:
    """The problems whose message contains ``word``."""
    return [p for p in problems if word in p.message]


def line_of(text: str, prefix: str, nth: int = 0) -> int:
    """The 1-based number of the ``nth`` line of ``text`` that starts with ``prefix``."""
    found = [i for i, line in enumerate(text.splitlines(), start=1) if line.startswith(prefix)]
    return found[nth]


@contextmanager
def saved(tl: Timeline) -> Iterator[Path]:
    """``tl`` saved in a fresh temporary folder, removed afterwards.

    (Hypothesis runs a test body many times per function-scoped fixture, so
    each example makes its own folder instead of using ``tmp_path``.)
    """
    with tempfile.TemporaryDirectory(prefix="orgdiff-") as tmp:
        yield orgdiff.save(tl, Path(tmp) / "org")


# --- generated orgs are valid --------------------------------------------------------


@given(snapshots())
def test_generated_snapshots_validate(snap: Snapshot) -> None:
    """Protects: a snapshot built within the invariants raises no problem at all."""
    assert [] == orgdiff.validate(snap)


@given(timelines())
def test_generated_timelines_validate(tl: Timeline) -> None:
    """Protects: a dataset whose dates increase, whose `from` names earlier units and whose
    people and sources are all registered validates as a whole."""
    assert [] == orgdiff.validate(tl)


# --- each single corruption is caught, at the right path -----------------------------


@given(snapshots(min_people=2), st.data())
def test_reporting_cycle_is_reported_once_at_its_smallest_id(
    snap: Snapshot, data: st.DataObject
) -> None:
    """Protects: a reporting cycle is one problem, at `$.people.<smallest id>.reports_to`,
    whose message walks the cycle from its smallest id."""
    ring = data.draw(st.lists(st.sampled_from(sorted(snap.people)), min_size=2, unique=True))
    bad = snap
    for a, b in zip(ring, [*ring[1:], ring[0]], strict=True):
        bad = with_person(bad, a, reports_to=b)
    start = ring.index(min(ring))
    walk = [*ring[start:], *ring[:start], min(ring)]
    expected = Problem(
        f"<snapshot {snap.date.isoformat()}>",
        0,
        0,
        f"$.people.{min(ring)}.reports_to",
        "reporting lines form a cycle: " + " => ".join(f"`{p}`" for p in walk),
    )
    assert [expected] == only(orgdiff.validate(bad), "cycle")


@given(snapshots(min_people=1), st.data())
def test_self_report_is_reported(snap: Snapshot, data: st.DataObject) -> None:
    """Protects: someone reporting to themselves is the one-person reporting cycle."""
    pid = data.draw(st.sampled_from(sorted(snap.people)))
    problems = orgdiff.validate(with_person(snap, pid, reports_to=pid))
    assert [(f"$.people.{pid}.reports_to", f"`{pid}` reports to themselves")] == [
        (p.path, p.message) for p in problems
    ]


@given(snapshots(min_people=1), st.data())
def test_dangling_manager_is_reported(snap: Snapshot, data: st.DataObject) -> None:
    """Protects: a `reports_to` naming nobody in the snapshot is reported at that person's
    `reports_to`, naming both people and the date, and nothing else is reported."""
    pid = data.draw(st.sampled_from(sorted(snap.people)))
    ghost = data.draw(ids().filter(lambda i: i not in snap.people))
    problems = orgdiff.validate(with_person(snap, pid, reports_to=ghost))
    assert [f"$.people.{pid}.reports_to"] == [p.path for p in problems]
    assert problems[0].message.startswith(
        f"person `{pid}` reports to `{ghost}`, but `{ghost}` is not in the snapshot of "
        f"{snap.date.isoformat()}"
    )


@given(snapshots(min_people=1), st.data())
def test_dangling_manager_in_a_file_is_located_at_the_value(
    snap: Snapshot, data: st.DataObject
) -> None:
    """Protects: read from text, the same problem carries the line and column where the
    bad `reports_to` value starts, whether the entry is written on one line or several."""
    pid = data.draw(st.sampled_from(sorted(snap.people)))
    ghost = data.draw(ids().filter(lambda i: i not in snap.people))
    text = orgdiff.dump(with_person(snap, pid, reports_to=ghost))
    with pytest.raises(OrgDataError) as caught:
        orgdiff.parse_snapshot(text)
    [problem] = caught.value.problems
    assert f"$.people.{pid}.reports_to" == problem.path
    line = text.splitlines()[problem.line - 1]
    assert line[problem.column - 1 :].startswith(ghost)
    assert line.startswith((f"  {pid}: {{", "    reports_to: "))


@given(snapshots(), st.data())
def test_unit_parent_cycle_is_reported_once_at_its_smallest_id(
    snap: Snapshot, data: st.DataObject
) -> None:
    """Protects: hanging a unit under itself or under one of its own descendants is one
    cycle problem, at `$.units.<smallest id in the cycle>.parent`."""
    uid = data.draw(st.sampled_from(sorted(snap.units)))
    below = data.draw(st.sampled_from(sorted(subtree(snap, uid))))
    cycle = branch(snap, below)
    cycle = cycle[: cycle.index(uid) + 1]
    problems = orgdiff.validate(with_unit(snap, uid, parent=below))
    assert [f"$.units.{min(cycle)}.parent"] == [p.path for p in only(problems, "cycle")]


@given(snapshots(min_units=2), st.data())
def test_lead_outside_their_units_branch_is_reported(snap: Snapshot, data: st.DataObject) -> None:
    """Protects: a unit led by someone whose unit is neither it nor above it is reported at
    `$.units.<unit>.lead`, and only there."""
    outsiders = sorted(
        (uid, pid)
        for uid in snap.units
        for pid, person in snap.people.items()
        if person.unit not in branch(snap, uid)
    )
    if outsiders:
        uid, pid = data.draw(st.sampled_from(outsiders))
    else:  # everyone sits in the root: hire someone below it, then make them lead the root
        below = data.draw(st.sampled_from(sorted(u for u in snap.units if u != snap.root.id)))
        pid = fresh_id(snap, "outsider")
        snap = with_person(snap, pid, unit=below)
        uid = snap.root.id
        assert [] == orgdiff.validate(snap)
    problems = orgdiff.validate(with_unit(snap, uid, lead=pid))
    assert [f"$.units.{uid}.lead"] == [p.path for p in problems]
    assert f"unit `{uid}` is led by `{pid}`" in problems[0].message


@given(snapshots(min_units=1), st.data())
def test_manager_in_a_sibling_unit_is_reported(snap: Snapshot, data: st.DataObject) -> None:
    """Protects: reporting to someone in a sibling unit is reported at the report's
    `reports_to`, naming both units, and nothing else is reported."""
    pairs = sorted(
        (pid, mid)
        for pid, person in snap.people.items()
        for mid, manager in snap.people.items()
        if person.unit != manager.unit
        and snap.units[person.unit].parent is not None
        and snap.units[person.unit].parent == snap.units[manager.unit].parent
    )
    if pairs:
        pid, mid = data.draw(st.sampled_from(pairs))
    else:  # make two sibling units with one person each
        parent = data.draw(st.sampled_from(sorted(snap.units)))
        left = fresh_id(snap, "left")
        snap = with_unit(snap, left, name="Left", parent=parent)
        right = fresh_id(snap, "right")
        snap = with_unit(snap, right, name="Right", parent=parent)
        pid = fresh_id(snap, "report")
        snap = with_person(snap, pid, unit=left)
        mid = fresh_id(snap, "manager")
        snap = with_person(snap, mid, unit=right)
        assert [] == orgdiff.validate(snap)
    problems = orgdiff.validate(with_person(snap, pid, reports_to=mid))
    assert [f"$.people.{pid}.reports_to"] == [p.path for p in problems]
    unit, boss_unit = snap.people[pid].unit, snap.people[mid].unit
    assert f"`{pid}` in `{unit}` reports to `{mid}` in `{boss_unit}`" in problems[0].message


# --- strict reading: duplicate and unknown keys, located ------------------------------


def duplicate_person(text: str, pid: str, unit: str) -> tuple[str, int, int]:
    """``text`` with a first entry for ``pid`` put in front of the real one.

    Returns the new text, the line of the first entry and the line of the
    second (the real one, which is the duplicate).
    """
    head, sep, tail = text.partition("\npeople:\n")
    assert sep, "the snapshot has people"
    out = f"{head}{sep}  {pid}: {{unit: {unit}}}\n{tail}"
    return out, line_of(out, f"  {pid}:"), line_of(out, f"  {pid}:", 1)


def unknown_unit_key(text: str, uid: str, key: str) -> tuple[str, int, int]:
    """``text`` with ``key: x`` added to unit ``uid``'s entry; returns the new text and
    the line and column of the added key."""
    lines = text.splitlines(keepends=True)
    i = line_of(text, f"  {uid}:") - 1
    if lines[i].rstrip("\n") == f"  {uid}:":  # a block mapping: add a line
        lines.insert(i + 1, f"    {key}: x\n")
        return "".join(lines), i + 2, 5
    opening = f"  {uid}: {{"
    assert lines[i].startswith(opening)
    lines[i] = f"{opening}{key}: x, {lines[i][len(opening) :]}"
    return "".join(lines), i + 1, len(opening) + 1


def _not_a_unit_key(key: str) -> bool:
    return key not in UNIT_KEYS


@given(snapshots(min_people=1), st.data())
def test_duplicate_person_key_is_reported_by_parse_snapshot(
    snap: Snapshot, data: st.DataObject
) -> None:
    """Protects: a person listed twice is an error at the second key, `$.people.<id>`,
    naming the line of the first; the later entry does not silently win."""
    pid = data.draw(st.sampled_from(sorted(snap.people)))
    text, first, second = duplicate_person(orgdiff.dump(snap), pid, snap.root.id)
    with pytest.raises(OrgDataError) as caught:
        orgdiff.parse_snapshot(text)
    expected = Problem(
        "<string>",
        second,
        3,
        f"$.people.{pid}",
        f"duplicate key `{pid}`; the first is on line {first}",
    )
    assert [expected] == caught.value.problems


@given(timelines(min_people=1), st.data())
def test_duplicate_person_key_is_reported_by_load(tl: Timeline, data: st.DataObject) -> None:
    """Protects: `load` reports a duplicated person of a snapshot file at that file's line
    and column, with the path `$.people.<id>`."""
    snap = data.draw(st.sampled_from(tl.snapshots))
    pid = data.draw(st.sampled_from(sorted(snap.people)))
    with saved(tl) as folder:
        file = folder / "snapshots" / f"{snap.date.isoformat()}.yaml"
        text, first, second = duplicate_person(file.read_text("utf-8"), pid, snap.root.id)
        file.write_text(text, "utf-8")
        with pytest.raises(OrgDataError) as caught:
            orgdiff.load(folder)
    [problem] = caught.value.problems
    assert problem.file.endswith(f"{snap.date.isoformat()}.yaml")
    assert (second, 3, f"$.people.{pid}") == (problem.line, problem.column, problem.path)
    assert f"duplicate key `{pid}`; the first is on line {first}" == problem.message


@given(snapshots(), st.data())
def test_unknown_unit_key_is_reported_at_the_key(snap: Snapshot, data: st.DataObject) -> None:
    """Protects: an extra key in a unit is an "unknown key" error at `$.units.<id>.<key>`,
    whose line and column point at the key itself."""
    uid = data.draw(st.sampled_from(sorted(snap.units)))
    key = data.draw(ids().filter(_not_a_unit_key))
    text, line, column = unknown_unit_key(orgdiff.dump(snap), uid, key)
    with pytest.raises(OrgDataError) as caught:
        orgdiff.parse_snapshot(text)
    [problem] = caught.value.problems
    assert ("<string>", line, column, f"$.units.{uid}.{key}") == (
        problem.file,
        problem.line,
        problem.column,
        problem.path,
    )
    assert problem.message.startswith(f"unknown key `{key}`")


@given(timelines(), st.data())
def test_unknown_unit_key_is_reported_by_load(tl: Timeline, data: st.DataObject) -> None:
    """Protects: `load` places an unknown unit key at its line and column in the snapshot
    file, and reports nothing else."""
    snap = data.draw(st.sampled_from(tl.snapshots))
    uid = data.draw(st.sampled_from(sorted(snap.units)))
    key = data.draw(ids().filter(_not_a_unit_key))
    with saved(tl) as folder:
        file = folder / "snapshots" / f"{snap.date.isoformat()}.yaml"
        text, line, column = unknown_unit_key(file.read_text("utf-8"), uid, key)
        file.write_text(text, "utf-8")
        with pytest.raises(OrgDataError) as caught:
            orgdiff.load(folder)
    [problem] = caught.value.problems
    assert problem.file.endswith(f"{snap.date.isoformat()}.yaml")
    assert (line, column, f"$.units.{uid}.{key}") == (problem.line, problem.column, problem.path)
    assert problem.message.startswith(f"unknown key `{key}`")


# --- writing and reading back ---------------------------------------------------------


@given(snapshots())
def test_dump_then_parse_gives_the_same_snapshot(snap: Snapshot) -> None:
    """Protects: `parse_snapshot(dump(s)) == s`, with units and people in the same order
    (the order is the file order that `children` and `members` keep)."""
    back = orgdiff.parse_snapshot(orgdiff.dump(snap))
    assert snap == back
    assert (list(snap.units), list(snap.people)) == (list(back.units), list(back.people))


@given(timelines())
def test_save_then_load_gives_the_same_timeline(tl: Timeline) -> None:
    """Protects: `load(save(tl, folder)) == tl`, registries and every snapshot included,
    and the loaded snapshots share the dataset's people registry."""
    with saved(tl) as folder:
        back = orgdiff.load(folder)
    assert tl == back
    assert all(snap.identities == tl.people for snap in back)


# --- derived views agree with the stored fields ---------------------------------------


@given(snapshots())
def test_chain_climbs_to_someone_with_no_known_manager(snap: Snapshot) -> None:
    """Protects: `chain(p)` starts at `p`, follows `reports_to` one step at a time, never
    repeats anyone and ends at a person whose manager is not known."""
    for pid in snap.people:
        chain = snap.chain(pid)
        assert pid == chain[0]
        assert len(set(chain)) == len(chain)
        for person, manager in itertools.pairwise(chain):
            assert manager == snap.people[person].reports_to
        assert snap.people[chain[-1]].reports_to is None


@given(snapshots(min_people=2), st.data())
def test_chain_stops_at_a_reporting_cycle(snap: Snapshot, data: st.DataObject) -> None:
    """Protects: on invalid data with a reporting cycle, `chain` still ends, without
    repeating anyone, where the next manager is already in it."""
    ring = data.draw(st.lists(st.sampled_from(sorted(snap.people)), min_size=2, unique=True))
    for a, b in zip(ring, [*ring[1:], ring[0]], strict=True):
        snap = with_person(snap, a, reports_to=b)
    for pid in snap.people:
        chain = snap.chain(pid)
        assert len(set(chain)) == len(chain)
        assert snap.people[chain[-1]].reports_to in (None, *chain)


@given(snapshots())
def test_children_members_and_reports_agree_with_stored_fields(snap: Snapshot) -> None:
    """Protects: the derived indexes are exactly the inverse of `parent`, `unit` and
    `reports_to`, in file order, and `ancestors`/`descendants` follow `parent`."""
    for uid in snap.units:
        assert [u.id for u in snap.units.values() if u.parent == uid] == list(snap.children(uid))
        assert [p.id for p in snap.people.values() if p.unit == uid] == list(snap.members(uid))
        assert branch(snap, uid)[1:] == list(snap.ancestors(uid))
        assert preorder(snap, uid) == list(snap.descendants(uid))
    for pid in snap.people:
        assert [p.id for p in snap.people.values() if p.reports_to == pid] == list(
            snap.reports(pid)
        )
    assert [u.id for u in snap.units.values() if u.parent is None] == [snap.root.id]


# --- what validate accepts can be written and read back -------------------------------

ONE_DAY = dt.date(2025, 1, 1)


def _edge(**unit: Any) -> Snapshot:
    """A one-unit snapshot; ``unit`` sets the unit's fields."""
    return Snapshot(
        date=ONE_DAY,
        event="e",
        units={"u": Unit(id="u", **{"name": "n", **unit})},
    )


@pytest.mark.parametrize(
    ("snap", "path", "message"),
    [
        pytest.param(_edge(name=""), "$.units.u.name", "a unit name is empty", id="empty name"),
        pytest.param(
            attrs.evolve(_edge(), event=""), "$.event", "the event is empty", id="empty event"
        ),
        pytest.param(
            attrs.evolve(_edge(), people={"p": Person(id="p", unit="u", title="")}),
            "$.people.p.title",
            "a title is empty",
            id="empty title",
        ),
        *(
            pytest.param(_edge(note=note), "$.units.u.note", message, id=name)
            for name, note, message in [
                ("empty note", "", "a note is empty"),
                (
                    "note with a line separator",
                    "a\u2028b",
                    "a note contains a line break other than a newline",
                ),
                (
                    "note with a bidi control",
                    "a\u202eb",
                    "a note contains a bidirectional control character (U+202E)",
                ),
            ]
        ),
    ],
)
def test_validate_accepts_only_what_can_be_read_back(
    snap: Snapshot, path: str, message: str
) -> None:
    """Protects: what the reader cannot read back, `validate` reports. The reader is
    asked on its own (no validation after it), so the two do not agree by construction."""
    assert [Problem("<snapshot 2025-01-01>", 0, 0, path, message)] == orgdiff.validate(snap)
    doc = read_text(orgdiff.dump(snap), "<dump>")
    assert None is structure_snapshot(doc)
    assert [] != doc.problems


@given(snapshots())
@example(_edge(note="a\nb"))  # a note on two lines
def test_what_validate_accepts_the_reader_reads_back(snap: Snapshot) -> None:
    """Protects: a snapshot `validate` calls valid is written by `dump` and read back by
    the reader alone, unchanged (the converse of the cases above)."""
    assert [] == orgdiff.validate(snap)
    doc = read_text(orgdiff.dump(snap), "<dump>")
    assert snap == structure_snapshot(doc)
    assert [] == doc.problems
    assert snap == orgdiff.parse_snapshot(orgdiff.dump(snap))
