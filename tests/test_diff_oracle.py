"""The diff against an oracle: a field-by-field comparison of every id on both sides.

The oracle is written the slow, obvious way, one field at a time, with ``None``
an ordinary value (a title becoming unknown, a manager becoming known). The pairs
share one person registry and one source list, go up to eight levels deep and
make moves, manager changes, splits and merges common; ``event()`` reports the
operations each example used (``pytest --hypothesis-show-statistics``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs
import pytest
from hypothesis import event, given, target
from strategies import reorganised_pairs

from orgdiff import Confidence, Person, Relation, Snapshot, Timeline, Unit
from orgdiff.diff import Change, ChangeKind, apply, diff, lineage

K = ChangeKind
Row = tuple[
    ChangeKind,
    str,
    str | None,
    str | None,
    tuple[str, ...],
    tuple[str, ...],
    tuple[str, ...],
    tuple[str, ...],
    object,
    object,
]


def _row(c: Change) -> Row:
    return (
        c.kind,
        c.id,
        c.before,
        c.after,
        c.from_,
        c.into,
        c.sources_before,
        c.sources_after,
        c.confidence_before,
        c.confidence_after,
    )


def oracle(a: Snapshot, b: Snapshot) -> Iterator[Row]:
    """Every change from ``a`` to ``b``, found field by field.

    Sources are the entity's own on each side, else its snapshot's; lineage is
    what ``b``'s ``from`` says.
    """

    def cite(own: tuple[str, ...], snap: Snapshot) -> tuple[str, ...]:
        return own or snap.sources

    for uid in a.units.keys() | b.units.keys():
        ua, ub = a.units.get(uid), b.units.get(uid)
        if ub is None:
            assert ua is not None
            into = tuple(sorted(u.id for u in b.units.values() if uid in u.from_))
            yield (
                K.UNIT_REMOVED,
                uid,
                ua.name,
                None,
                (),
                into,
                cite(ua.sources, a),
                b.sources,
                ua.confidence,
                None,
            )
            continue
        if ua is None:
            origins = tuple(sorted(o for o in ub.from_ if o in a.units))
            yield (
                K.UNIT_ADDED,
                uid,
                None,
                ub.name,
                origins,
                (),
                a.sources,
                cite(ub.sources, b),
                None,
                ub.confidence,
            )
            continue
        for kind, field in (
            (K.UNIT_RENAMED, "name"),
            (K.UNIT_MOVED, "parent"),
            (K.UNIT_LEAD_CHANGED, "leads"),  # the ordered co-leads, () for none
        ):
            before, after = getattr(ua, field), getattr(ub, field)
            if before != after:
                yield (
                    kind,
                    uid,
                    before,
                    after,
                    (),
                    (),
                    cite(ua.sources, a),
                    cite(ub.sources, b),
                    ua.confidence,
                    ub.confidence,
                )
    for pid in a.people.keys() | b.people.keys():
        pa, pb = a.people.get(pid), b.people.get(pid)
        if pb is None:
            assert pa is not None
            yield (
                K.PERSON_REMOVED,
                pid,
                pa.unit,
                None,
                (),
                (),
                cite(pa.sources, a),
                b.sources,
                pa.confidence,
                None,
            )
            continue
        if pa is None:
            yield (
                K.PERSON_ADDED,
                pid,
                None,
                pb.unit,
                (),
                (),
                a.sources,
                cite(pb.sources, b),
                None,
                pb.confidence,
            )
            continue
        for kind, field in (
            (K.PERSON_MOVED, "unit"),
            (K.PERSON_RETITLED, "title"),
            (K.PERSON_MANAGER_CHANGED, "reports_to"),
        ):
            before, after = getattr(pa, field), getattr(pb, field)
            if before != after:
                yield (
                    kind,
                    pid,
                    before,
                    after,
                    (),
                    (),
                    cite(pa.sources, a),
                    cite(pb.sources, b),
                    pa.confidence,
                    pb.confidence,
                )
    before_rel = {(r.kind, r.from_, r.to): r for r in a.relations}
    after_rel = {(r.kind, r.from_, r.to): r for r in b.relations}
    for key in before_rel.keys() - after_rel.keys():
        r = before_rel[key]
        yield (
            K.RELATION_REMOVED,
            f"{r.from_}/{r.kind}/{r.to}",
            r.kind,
            None,
            (),
            (),
            cite(r.sources, a),
            b.sources,
            r.confidence,
            None,
        )
    for key in after_rel.keys() - before_rel.keys():
        r = after_rel[key]
        yield (
            K.RELATION_ADDED,
            f"{r.from_}/{r.kind}/{r.to}",
            None,
            r.kind,
            (),
            (),
            a.sources,
            cite(r.sources, b),
            None,
            r.confidence,
        )


def _report(a: Snapshot, b: Snapshot, done: tuple[str, ...]) -> None:
    """Tell hypothesis what the example holds, and aim for deep trees."""
    for op in sorted(set(done)):
        event(f"operation: {op}")
    depth = max(len(a.ancestors(uid)) + 1 for uid in a.units)
    event(f"depth: {depth}")
    target(float(depth), label="depth of the earlier tree")


@given(reorganised_pairs())
def test_the_diff_is_the_field_by_field_comparison(
    pair: tuple[Snapshot, Snapshot, tuple[str, ...]],
) -> None:
    """Protects: every change of every field of every id on both sides is reported,
    None <-> value included, once, with its lineage, sources and confidence; and
    nothing else is."""
    a, b, done = pair
    _report(a, b, done)
    d = diff(a, b)
    assert sorted(oracle(a, b), key=repr) == sorted(map(_row, d.changes), key=repr)
    assert len(d.changes) == len(set(map(_row, d.changes)))


@given(reorganised_pairs())
def test_a_diff_is_empty_only_between_equal_snapshots(
    pair: tuple[Snapshot, Snapshot, tuple[str, ...]],
) -> None:
    """Protects: a diff is false exactly when the two snapshots are equal, so a change of
    evidence, event, note or snapshot sources alone still makes a diff."""
    a, b, _ = pair
    assert (a != b) == bool(diff(a, b))
    same_day = attrs.evolve(b, date=a.date)
    assert (a != same_day) == bool(diff(a, same_day))
    assert not diff(a, a)


def _turned(row: Row) -> Row:
    kind, id_, before, after, from_, into, s_before, s_after, c_before, c_after = row
    swap = {
        K.UNIT_ADDED: K.UNIT_REMOVED,
        K.UNIT_REMOVED: K.UNIT_ADDED,
        K.PERSON_ADDED: K.PERSON_REMOVED,
        K.PERSON_REMOVED: K.PERSON_ADDED,
        K.RELATION_ADDED: K.RELATION_REMOVED,
        K.RELATION_REMOVED: K.RELATION_ADDED,
    }
    return (
        swap.get(kind, kind),
        id_,
        after,
        before,
        into,
        from_,
        s_after,
        s_before,
        c_after,
        c_before,
    )


@given(reorganised_pairs())
def test_the_inverse_turns_every_field_around(
    pair: tuple[Snapshot, Snapshot, tuple[str, ...]],
) -> None:
    """Protects: the inverse swaps added/removed, before/after, from/into, the sources
    and the confidence of every change; apply goes both ways."""
    a, b, _ = pair
    d = diff(a, b)
    inverse = d.inverse()
    assert sorted(map(_turned, oracle(a, b)), key=repr) == sorted(
        map(_row, inverse.changes), key=repr
    )
    assert [_row(c) for c in diff(b, a).changes] == [_row(c) for c in inverse.changes]
    assert b == apply(a, d)
    assert a == apply(b, inverse)


# --- cases the mutation run found unpinned (tests/MUTATION.md) ---------------------------

DAY_A, DAY_B = dt.date(2024, 1, 1), dt.date(2025, 1, 1)
A = Snapshot(
    date=DAY_A,
    event="Before",
    units={
        "hq": Unit(id="hq", name="HQ", lead="ada"),
        "lab": Unit(id="lab", name="Lab", parent="hq", sources=("memo",)),
    },
    people={
        "ada": Person(id="ada", unit="hq", title="Chief"),
        "ben": Person(id="ben", unit="lab", sources=("memo",)),
    },
    relations=(Relation(kind="dotted-line", from_="ben", to="hq"),),
    sources=("base",),
)


def _changes(a: Snapshot, b: Snapshot) -> list[tuple[str, str, str | None, str | None]]:
    return [(c.kind.value, c.id, c.before, c.after) for c in diff(a, b).changes]


def test_a_manager_becoming_known_and_a_title_becoming_unknown_are_changes() -> None:
    """None -> value and value -> None are changes like any other."""
    b = attrs.evolve(
        A,
        date=DAY_B,
        people={
            "ada": attrs.evolve(A.people["ada"], title=None),
            "ben": attrs.evolve(A.people["ben"], reports_to="ada"),
        },
    )
    assert [
        ("person-retitled", "ada", "Chief", None),
        ("person-manager-changed", "ben", None, "ada"),
    ] == _changes(A, b)
    assert [
        ("person-retitled", "ada", None, "Chief"),
        ("person-manager-changed", "ben", "ada", None),
    ] == _changes(b, attrs.evolve(A, date=dt.date(2026, 1, 1)))


def test_a_unit_becoming_the_root_is_moved() -> None:
    """The new root moves to no parent; the old root moves under it."""
    b = attrs.evolve(
        A,
        date=DAY_B,
        units={
            "hq": attrs.evolve(A.units["hq"], parent="lab"),
            "lab": attrs.evolve(A.units["lab"], parent=None),
        },
    )
    assert [("unit-moved", "hq", None, "lab"), ("unit-moved", "lab", "hq", None)] == _changes(A, b)


def test_relations_are_told_apart_by_their_kind() -> None:
    """A relation of another kind between the same two ends is a new relation."""
    b = attrs.evolve(
        A, date=DAY_B, relations=(Relation(kind="reviews-publications", from_="ben", to="hq"),)
    )
    assert [
        ("relation-added", "ben/reviews-publications/hq", None, "reviews-publications"),
        ("relation-removed", "ben/dotted-line/hq", "dotted-line", None),
    ] == _changes(A, b)


def test_the_inverse_swaps_the_sources_and_confidence() -> None:
    """Turned around, the sources and confidence of each side go with it."""
    b = attrs.evolve(
        A,
        date=DAY_B,
        sources=("later",),
        people={
            **A.people,
            "ben": attrs.evolve(
                A.people["ben"], unit="hq", sources=("note",), confidence=Confidence.REPORTED
            ),
        },
    )
    (change,) = diff(A, b).changes
    assert (("memo",), ("note",)) == (change.sources_before, change.sources_after)
    (back,) = diff(A, b).inverse().changes
    assert (
        "hq",
        "lab",
        ("note",),
        ("memo",),
        Confidence.REPORTED,
        Confidence.CONFIRMED,
    ) == (
        back.before,
        back.after,
        back.sources_before,
        back.sources_after,
        back.confidence_before,
        back.confidence_after,
    )


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"event": "After"}, id="event"),
        pytest.param({"note": "Seen"}, id="note"),
        pytest.param({"sources": ("later",)}, id="snapshot sources"),
        pytest.param({"date": DAY_B}, id="date"),
        pytest.param(
            {"people": {**A.people, "ada": attrs.evolve(A.people["ada"], sources=("x",))}},
            id="a person's sources",
        ),
        pytest.param(
            {"units": {**A.units, "hq": attrs.evolve(A.units["hq"], note="Seen")}},
            id="a unit's note",
        ),
    ],
)
def test_a_diff_of_evidence_alone_is_not_empty(changes: dict[str, object]) -> None:
    """A change with no reported kind still makes the diff true, so apply carries it."""
    b = attrs.evolve(A, **changes)  # type: ignore[arg-type]
    d = diff(A, b)
    assert () == d.changes
    assert d
    assert b == apply(A, d)


def test_history_tells_appeared_changed_and_removed() -> None:
    """Each history entry's kind, and `appeared`/`removed` true only for their own kind."""
    b = attrs.evolve(
        A, date=DAY_B, people={**A.people, "ben": attrs.evolve(A.people["ben"], unit="hq")}
    )
    c = attrs.evolve(A, date=dt.date(2026, 1, 1), people={"ada": A.people["ada"]})
    tl = Timeline(name="T", snapshots=(A, b, c))
    entries = tl.history("ben")
    assert [("appeared", True, False), ("changed", False, False), ("removed", False, True)] == [
        (e.kind, e.appeared, e.removed) for e in entries
    ]


def test_apply_keeps_the_later_order_then_anything_else() -> None:
    """apply() lists units and people in the later snapshot's order; what the diff does
    not know of (a unit only the given snapshot has) is kept, after them."""
    b = attrs.evolve(
        A,
        date=DAY_B,
        units={
            "lab": A.units["lab"],
            "new": Unit(id="new", name="New", parent="hq"),
            "hq": A.units["hq"],
        },
        people={"ben": A.people["ben"], "ada": A.people["ada"]},
    )
    d = diff(A, b)
    rebuilt = apply(A, d)
    assert (["lab", "new", "hq"], ["ben", "ada"]) == (list(rebuilt.units), list(rebuilt.people))
    extra = attrs.evolve(A, units={"own": Unit(id="own", name="Own", parent="hq"), **A.units})
    assert ["lab", "new", "hq", "own"] == list(apply(extra, d).units)


def test_lineage_starts_from_the_first_snapshot_of_the_path() -> None:
    """lineage(path) maps the units of path[0], through every step."""
    m = attrs.evolve(
        A,
        date=DAY_B,
        units={
            "hq": A.units["hq"],
            "lab2": Unit(id="lab2", name="Lab", parent="hq", from_=("lab",)),
        },
        people={},
    )
    c = attrs.evolve(m, date=dt.date(2026, 1, 1))
    assert {"hq": ("hq",), "lab": ("lab2",)} == lineage([A, m, c])
    assert {"hq": ("hq",), "lab2": ("lab2",)} == lineage([m, c])


def test_a_unit_that_comes_back_is_no_successor() -> None:
    """Across a path, a unit split off and then gone passes nothing on, even if a unit of
    the same id comes back later without a `from`."""
    m = attrs.evolve(
        A,
        date=DAY_B,
        units={
            "hq": A.units["hq"],
            "spin": Unit(id="spin", name="Spin", parent="hq", from_=("lab",)),
        },
        people={"ada": A.people["ada"]},
    )
    gone = attrs.evolve(m, date=dt.date(2026, 1, 1), units={"hq": A.units["hq"]})
    back = attrs.evolve(
        m,
        date=dt.date(2027, 1, 1),
        units={**gone.units, "spin": Unit(id="spin", name="Spin", parent="hq")},
    )
    d = diff(A, back, path=[A, m, gone, back])
    assert [("lab", ())] == [(c.id, c.into) for c in d.of_kind("unit-removed")]
    assert [("spin", ())] == [(c.id, c.from_) for c in d.of_kind("unit-added")]


def test_a_change_cites_the_snapshot_where_its_field_changed() -> None:
    """Across a path, a change cites the step where its field took its final value,
    not the first step where the entity exists."""
    m = attrs.evolve(A, date=DAY_B, sources=("middle",))
    b = attrs.evolve(
        A,
        date=dt.date(2026, 1, 1),
        sources=("last",),
        people={**A.people, "ada": attrs.evolve(A.people["ada"], unit="lab")},
    )
    (change,) = diff(A, b, path=[A, m, b]).changes
    assert ("person-moved", ("base",), ("last",)) == (
        change.kind.value,
        change.sources_before,
        change.sources_after,
    )


def test_equal_snapshots_made_apart_have_an_empty_diff() -> None:
    """Equal units and people that are not the same objects (read from two files) make
    no change and no state to carry: the diff is empty and false."""
    copy = Snapshot(
        date=A.date,
        event=A.event,
        units={uid: attrs.evolve(u) for uid, u in A.units.items()},
        people={pid: attrs.evolve(p) for pid, p in A.people.items()},
        relations=A.relations,
        sources=A.sources,
    )
    assert all(copy.units[u] is not A.units[u] for u in A.units)
    d = diff(A, copy)
    assert ((), {}, {}) == (d.changes, dict(d.units), dict(d.people))
    assert not d


def test_one_person_leaving_and_another_joining_are_both_told() -> None:
    """With as many people after as before, an arrival is still found."""
    b = attrs.evolve(A, date=DAY_B, people={"cyd": Person(id="cyd", unit="lab")})
    assert [
        ("person-added", "cyd", None, "lab"),
        ("person-removed", "ada", "hq", None),
        ("person-removed", "ben", "lab", None),
    ] == _changes(A, b)
    one = attrs.evolve(A, people={"ada": A.people["ada"]})
    swapped = attrs.evolve(one, date=DAY_B, people={"cyd": Person(id="cyd", unit="lab")})
    assert [("person-added", "cyd", None, "lab"), ("person-removed", "ada", "hq", None)] == (
        _changes(one, swapped)
    )
