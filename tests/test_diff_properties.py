"""Properties of diffs over generated orgs: empty on itself, applies, inverts,
composes across a timeline, keeps identity by id, follows lineage, comes in
order and cites only known sources.

The orgs come from ``strategies.py`` (valid by construction). Pairs of
snapshots are drawn four ways: unrelated at different dates, unrelated on the
same day, the second made with the first as its predecessor (shared ids,
``from`` naming its units), and the first reorganised step by step with
``attrs.evolve`` (:func:`reorganised`). Lineage
is checked against :func:`walked`, a direct reading of the documented rule,
not against the code's own composition.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence

import attrs
from hypothesis import given
from hypothesis import strategies as st
from strategies import snapshots, texts, timelines

import orgdiff
from orgdiff import Change, ChangeKind, Diff, Identity, Person, Relation, Snapshot, Timeline, Unit
from orgdiff.diff import apply, diff, lineage

SWAPPED = {
    ChangeKind.UNIT_ADDED: ChangeKind.UNIT_REMOVED,
    ChangeKind.UNIT_REMOVED: ChangeKind.UNIT_ADDED,
    ChangeKind.PERSON_ADDED: ChangeKind.PERSON_REMOVED,
    ChangeKind.PERSON_REMOVED: ChangeKind.PERSON_ADDED,
    ChangeKind.RELATION_ADDED: ChangeKind.RELATION_REMOVED,
    ChangeKind.RELATION_REMOVED: ChangeKind.RELATION_ADDED,
}
ORDER = list(ChangeKind)
KINDS = ("dotted-line", "co-lead", "reviews-publications")
DAY = dt.timedelta(days=1)


# --- helpers -----------------------------------------------------------------------


def structure(d: Diff) -> set[tuple[str, str, str | None, str | None]]:
    """What changed, without lineage or evidence: (kind, id, before, after)."""
    return {(c.kind.value, c.id, c.before, c.after) for c in d.changes}


def turned(c: Change) -> Change:
    """``c`` seen from the other side, spelled out field by field (not ``Change.inverse``)."""
    return Change(
        SWAPPED.get(c.kind, c.kind),
        c.id,
        before=c.after,
        after=c.before,
        from_=c.into,
        into=c.from_,
        sources_before=c.sources_after,
        sources_after=c.sources_before,
        confidence_before=c.confidence_after,
        confidence_after=c.confidence_before,
    )


def without_lineage(c: Change) -> Change:
    return attrs.evolve(c, from_=(), into=())


def walked(path: Sequence[Snapshot], origin: str) -> set[str]:
    """The units of ``path[-1]`` that hold the remit of ``origin`` of ``path[0]``.

    The documented rule, walked one snapshot at a time: a unit's remit stays
    with the unit of the same id, and passes to every unit whose ``from``
    names a unit holding it.
    """
    held = {origin}
    for nxt in path[1:]:
        held = {uid for uid, unit in nxt.units.items() if uid in held or held & set(unit.from_)}
    return held


def registered(*snaps: Snapshot) -> Timeline:
    """The snapshots as a dataset, every person registered under their id."""
    people = {pid: Identity(pid, pid) for s in snaps for pid in s.people}
    return Timeline(name="generated", snapshots=snaps, people=people)


def assert_in_documented_order(changes: Sequence[Change]) -> None:
    """By kind in the order of ``ChangeKind`` (units, then people, then relations), then by id."""
    assert list(changes) == sorted(changes, key=Change.sort_key)
    keys = [(ORDER.index(c.kind), c.id) for c in changes]
    assert keys == sorted(keys)


# --- reorganisations, valid by construction ------------------------------------------


def _branch(units: dict[str, Unit], uid: str) -> list[str]:
    out: list[str] = []
    node: str | None = uid
    while node is not None:
        out.append(node)
        node = units[node].parent
    return out


def _chain(people: dict[str, Person], pid: str) -> list[str]:
    out: list[str] = []
    node: str | None = pid
    while node is not None:
        out.append(node)
        node = people[node].reports_to
    return out


@attrs.define
class _Reorg:
    """A snapshot being reorganised: plain dicts, repaired after every step."""

    start: Snapshot
    units: dict[str, Unit]
    people: dict[str, Person]
    relations: list[Relation]

    def fresh(self, base: str) -> str:
        taken = {*self.start.units, *self.start.people, *self.units, *self.people}
        return next(f"{base}-{n}" for n in itertools.count(1) if f"{base}-{n}" not in taken)

    def non_roots(self) -> list[str]:
        return [uid for uid, unit in self.units.items() if unit.parent is not None]

    def in_branch(self, uid: str) -> list[str]:
        branch = set(_branch(self.units, uid))
        return [p.id for p in self.people.values() if p.unit in branch]

    def repair(self) -> None:
        """Drop what a step left pointing outside its branch or at nothing."""
        for pid, person in list(self.people.items()):
            boss = self.people.get(person.reports_to or "")
            if person.reports_to is not None and (
                boss is None or boss.unit not in _branch(self.units, person.unit)
            ):
                self.people[pid] = attrs.evolve(person, reports_to=None)
        for uid, unit in list(self.units.items()):
            branch = _branch(self.units, uid)
            leads = tuple(
                p for p in unit.leads if p in self.people and self.people[p].unit in branch
            )
            if leads != unit.leads:
                self.units[uid] = attrs.evolve(unit, leads=leads)
        ends = {*self.units, *self.people}
        self.relations = [r for r in self.relations if r.from_ in ends and r.to in ends]


def _pick(draw: st.DrawFn, items: Sequence[str]) -> str | None:
    return draw(st.sampled_from(items)) if items else None


def _rename(draw: st.DrawFn, r: _Reorg) -> None:
    uid = draw(st.sampled_from(sorted(r.units)))
    name = draw(texts().filter(lambda n: n != r.units[uid].name))
    r.units[uid] = attrs.evolve(r.units[uid], name=name)


def _reparent(draw: st.DrawFn, r: _Reorg) -> None:
    uid = _pick(draw, r.non_roots())
    if uid is None:
        return
    below = {u for u in r.units if uid in _branch(r.units, u)}
    parent = _pick(draw, [u for u in r.units if u not in below and u != r.units[uid].parent])
    if parent is not None:
        r.units[uid] = attrs.evolve(r.units[uid], parent=parent)


def _new_lead(draw: st.DrawFn, r: _Reorg) -> None:
    """A unit gets new leads: none, one, or co-leads (a co-lead joins or leaves,
    another succeeds one, or the order changes)."""
    uid = draw(st.sampled_from(sorted(r.units)))
    candidates = r.in_branch(uid)
    leads = (
        draw(st.lists(st.sampled_from(candidates), unique=True, max_size=3)) if candidates else []
    )
    r.units[uid] = attrs.evolve(r.units[uid], leads=leads)


def _new_manager(draw: st.DrawFn, r: _Reorg) -> None:
    pid = _pick(draw, sorted(r.people))
    if pid is None:
        return
    person = r.people[pid]
    # No one below them in the reporting lines, so no cycle can form.
    fit = [q for q in r.in_branch(person.unit) if pid not in _chain(r.people, q)]
    boss = draw(st.none() | st.sampled_from(fit)) if fit else None
    r.people[pid] = attrs.evolve(person, reports_to=boss)


def _retitle(draw: st.DrawFn, r: _Reorg) -> None:
    pid = _pick(draw, sorted(r.people))
    if pid is not None:
        r.people[pid] = attrs.evolve(r.people[pid], title=draw(st.none() | texts()))


def _transfer(draw: st.DrawFn, r: _Reorg) -> None:
    pid = _pick(draw, sorted(r.people))
    if pid is not None:
        unit = draw(st.sampled_from(sorted(r.units)))
        r.people[pid] = attrs.evolve(r.people[pid], unit=unit)


def _add_unit(draw: st.DrawFn, r: _Reorg) -> None:
    uid = r.fresh("new-unit")
    origins = draw(st.lists(st.sampled_from(sorted(r.start.units)), max_size=2, unique=True))
    r.units[uid] = Unit(
        id=uid,
        name=draw(texts()),
        parent=draw(st.sampled_from(sorted(r.units))),
        from_=tuple(origins),
    )


def _remove_unit(draw: st.DrawFn, r: _Reorg) -> None:
    """A unit folded into its parent: sub-units and people move up; the parent takes its remit."""
    uid = _pick(draw, r.non_roots())
    if uid is None:
        return
    parent = r.units.pop(uid).parent
    assert parent is not None
    for v, unit in list(r.units.items()):
        if unit.parent == uid:
            r.units[v] = attrs.evolve(unit, parent=parent)
    for pid, person in list(r.people.items()):
        if person.unit == uid:
            r.people[pid] = attrs.evolve(person, unit=parent)
    if uid in r.start.units and draw(st.booleans()):
        heir = r.units[parent]
        r.units[parent] = attrs.evolve(heir, from_=(*heir.from_, uid))


def _hire(draw: st.DrawFn, r: _Reorg) -> None:
    pid = r.fresh("new-person")
    unit = draw(st.sampled_from(sorted(r.units)))
    managers = r.in_branch(unit)
    r.people[pid] = Person(
        id=pid,
        unit=unit,
        title=draw(st.none() | texts()),
        reports_to=draw(st.none() | st.sampled_from(managers)) if managers else None,
    )


def _leave(draw: st.DrawFn, r: _Reorg) -> None:
    pid = _pick(draw, sorted(r.people))
    if pid is not None:
        del r.people[pid]


def _annotate(draw: st.DrawFn, r: _Reorg) -> None:
    """Evidence only: a note, a confidence or nothing a reader sees as a change."""
    pid = _pick(draw, sorted(r.people))
    if pid is not None:
        r.people[pid] = attrs.evolve(
            r.people[pid],
            note=draw(st.none() | texts()),
            confidence=draw(st.sampled_from(orgdiff.Confidence)),
        )


def _relate(draw: st.DrawFn, r: _Reorg) -> None:
    ends = sorted({*r.units, *r.people})
    if draw(st.booleans()) and r.relations:
        del r.relations[draw(st.integers(0, len(r.relations) - 1))]
    elif len(ends) > 1:
        a, b = draw(st.lists(st.sampled_from(ends), min_size=2, max_size=2, unique=True))
        rel = Relation(kind=draw(st.sampled_from(KINDS)), from_=a, to=b)
        if (rel.kind, a, b) not in {(x.kind, x.from_, x.to) for x in r.relations}:
            r.relations.append(rel)


STEPS: tuple[Callable[[st.DrawFn, _Reorg], None], ...] = (
    _rename,
    _reparent,
    _new_lead,
    _new_manager,
    _retitle,
    _transfer,
    _add_unit,
    _remove_unit,
    _hire,
    _leave,
    _annotate,
    _relate,
)


@st.composite
def reorganised(draw: st.DrawFn, snap: Snapshot, *, max_steps: int = 6) -> Snapshot:
    """``snap`` a day later, after 1 to ``max_steps`` reorg steps.

    Steps: rename, re-parent, new lead, new manager, retitle, transfer, new
    unit (``from`` units of ``snap``), unit folded into its parent, hire, leave,
    annotate, add or drop a relation. After each step, managers and leads left
    outside their branch become unknown and relations that lost an end go, so
    the result is valid with ``snap`` as its predecessor.
    """
    r = _Reorg(
        start=snap,
        # `from` names units of the snapshot before; the reorg's predecessor is `snap`.
        units={uid: attrs.evolve(u, from_=()) for uid, u in snap.units.items()},
        people=dict(snap.people),
        relations=list(snap.relations),
    )
    for step in draw(st.lists(st.sampled_from(STEPS), min_size=1, max_size=max_steps)):
        step(draw, r)
        r.repair()
    return attrs.evolve(
        snap,
        date=snap.date + DAY,
        event=draw(texts()),
        units=r.units,
        people=r.people,
        relations=tuple(r.relations),
    )


@st.composite
def pairs(draw: st.DrawFn) -> tuple[Snapshot, Snapshot]:
    """Two snapshots: unrelated (at different dates or the same), successive (shared
    ids, ``from``), or a reorganisation."""
    a = draw(snapshots())
    how = draw(st.sampled_from(["unrelated", "same-day", "successor", "reorganised"]))
    if how == "unrelated":  # either may be the later one
        days = draw(st.integers(1, 400)) * draw(st.sampled_from([1, -1]))
        return a, draw(snapshots(date=a.date + days * DAY))
    if how == "same-day":
        return a, draw(snapshots(date=a.date))
    if how == "successor":
        later = a.date + draw(st.integers(1, 400)) * DAY
        return a, draw(snapshots(previous=a, date=later))
    return a, draw(reorganised(a))


# --- the generators themselves -------------------------------------------------------


@given(st.data())
def test_reorganisations_stay_valid(data: st.DataObject) -> None:
    """Protects the other properties' premise: a reorganised snapshot is valid after its
    original, `from` included, so what they find is orgdiff's doing."""
    a = data.draw(snapshots())
    b = data.draw(reorganised(a))
    assert [] == orgdiff.validate(registered(a, b))


# --- diff(a, a) ------------------------------------------------------------------------


@given(timelines(max_people=4))
def test_a_snapshot_against_itself_is_empty(tl: Timeline) -> None:
    """Protects `diff(a, a)` is empty: no changes, no events, no states, falsy, for
    every snapshot (against itself, an equal copy, and by date through the
    timeline); applying it changes nothing."""
    for snap in tl.snapshots:
        same = (diff(snap, snap), diff(snap, attrs.evolve(snap)), tl.diff(snap.date, snap.date))
        for d in same:
            assert () == d.changes
            assert () == d.events
            assert {} == d.units
            assert {} == d.people
            assert not d
            assert snap == apply(snap, d)


# --- apply and inverse -----------------------------------------------------------------


@given(pairs())
def test_apply_rebuilds_the_later_snapshot(pair: tuple[Snapshot, Snapshot]) -> None:
    """Protects `apply(a, diff(a, b)) == b` for any two snapshots: unrelated, successive
    or reorganised (renames, moves, re-parents, leads, managers, additions, removals)."""
    a, b = pair
    assert b == apply(a, diff(a, b))


@given(pairs())
def test_diff_backwards_is_the_inverse(pair: tuple[Snapshot, Snapshot]) -> None:
    """Protects `diff(b, a)` == `diff(a, b)` turned around: added <-> removed,
    before <-> after, from <-> into, sources and confidence swapped; and
    `apply(b, diff(a, b).inverse()) == a`.

    Lineage is read from the later snapshot's `from`, so when both snapshots
    have the same date (neither is later) only the rest must agree.
    """
    a, b = pair
    forwards, backwards = diff(a, b), diff(b, a)
    expected = sorted((turned(c) for c in forwards.changes), key=Change.sort_key)
    if a.date != b.date:
        assert expected == list(backwards.changes)
    else:
        assert [without_lineage(c) for c in expected] == [
            without_lineage(c) for c in backwards.changes
        ]
    assert expected == list(forwards.inverse().changes)
    assert a == apply(b, forwards.inverse())
    assert a == apply(b, backwards)


# --- identity is the id ------------------------------------------------------------------


@given(snapshots(), st.data())
def test_a_rename_is_never_removed_plus_added(snap: Snapshot, data: st.DataObject) -> None:
    """Protects identity by id: a unit with the same id and a new name is one
    `unit-renamed` (old name -> new name), never `unit-removed` + `unit-added`."""
    uid = data.draw(st.sampled_from(sorted(snap.units)))
    old = snap.units[uid].name
    new = data.draw(texts().filter(lambda n: n != old))
    later = attrs.evolve(
        snap,
        date=snap.date + DAY,
        units={**snap.units, uid: attrs.evolve(snap.units[uid], name=new)},
    )
    d = diff(snap, later)
    assert [(ChangeKind.UNIT_RENAMED, uid, old, new)] == [
        (c.kind, c.id, c.before, c.after) for c in d.changes
    ]
    assert [("rename", (uid,))] == [(e.kind, e.ids) for e in d.events]


@given(pairs())
def test_additions_and_removals_are_exactly_the_ids_that_come_and_go(
    pair: tuple[Snapshot, Snapshot],
) -> None:
    """Protects identity by id in general: `*-added` are the ids only in the later
    snapshot, `*-removed` those only in the earlier one, and an id in both is
    only ever renamed, moved or otherwise changed."""
    a, b = pair
    d = diff(a, b)

    def ids(kind: ChangeKind) -> set[str]:
        return {c.id for c in d.of_kind(kind)}

    assert set(b.units) - set(a.units) == ids(ChangeKind.UNIT_ADDED)
    assert set(a.units) - set(b.units) == ids(ChangeKind.UNIT_REMOVED)
    assert set(b.people) - set(a.people) == ids(ChangeKind.PERSON_ADDED)
    assert set(a.people) - set(b.people) == ids(ChangeKind.PERSON_REMOVED)
    renamed = {u for u in set(a.units) & set(b.units) if a.units[u].name != b.units[u].name}
    assert renamed == ids(ChangeKind.UNIT_RENAMED)


# --- lineage -------------------------------------------------------------------------------


@given(pairs())
def test_lineage_of_two_snapshots_is_what_the_later_one_declares(
    pair: tuple[Snapshot, Snapshot],
) -> None:
    """Protects `from`/`into` of a direct diff: an added unit comes from the units of
    the earlier snapshot its `from` names; a removed unit goes into the units
    of the later snapshot whose `from` names it."""
    a, b = sorted(pair, key=lambda s: s.date)
    if a.date == b.date:
        return  # neither is later: tested by test_diff_backwards_is_the_inverse
    d = diff(a, b)
    for c in d.of_kind(ChangeKind.UNIT_ADDED):
        assert tuple(sorted(set(b.units[c.id].from_) & set(a.units))) == c.from_
        assert () == c.into
    for c in d.of_kind(ChangeKind.UNIT_REMOVED):
        assert tuple(sorted(u for u, unit in b.units.items() if c.id in unit.from_)) == c.into
        assert () == c.from_


@given(timelines(min_snapshots=3))
def test_composed_diff_agrees_with_the_direct_diff(tl: Timeline) -> None:
    """Protects `tl.diff(first, last)`: the same changes (kind, id, before, after) and
    the same full states as `orgdiff.diff(first, last)`, and it applies.

    Lineage may differ, since composition sees the snapshots in between: the
    composed `into` names only units of the last snapshot and `from` only units
    of the first, each exactly as the documented rule walks it.
    """
    first, last = tl.snapshots[0], tl.snapshots[-1]
    composed = tl.diff(first.date, last.date)
    direct = orgdiff.diff(first, last)
    assert structure(direct) == structure(composed)
    assert direct.units == composed.units
    assert direct.people == composed.people
    assert last == apply(first, composed)
    for c in composed.of_kind(ChangeKind.UNIT_REMOVED):
        assert set(c.into) <= set(last.units)
        assert tuple(sorted(walked(tl.snapshots, c.id))) == c.into
    for c in composed.of_kind(ChangeKind.UNIT_ADDED):
        assert set(c.from_) <= set(first.units)
        origins = {o for o in first.units if c.id in walked(tl.snapshots, o)}
        assert tuple(sorted(origins)) == c.from_


@given(timelines(min_snapshots=2, max_people=1))  # lineage is about units only
def test_lineage_names_only_units_of_the_last_snapshot(tl: Timeline) -> None:
    """Protects `lineage(path)`: for every run of consecutive snapshots, keys are the
    units of the first, successors are units of the last, sorted, exactly those
    the documented rule reaches, and a unit present throughout is its own successor."""
    snaps = tl.snapshots
    for i, j in itertools.combinations(range(len(snaps)), 2):
        path = snaps[i : j + 1]
        found = lineage(path)
        assert set(path[0].units) == set(found)
        for origin, successors in found.items():
            assert set(successors) <= set(path[-1].units)
            assert tuple(sorted(walked(path, origin))) == successors
            if all(origin in s.units for s in path):
                assert origin in successors


@given(snapshots(max_units=4, max_people=4), st.data())
def test_split_then_merge_composes_to_one_successor(snap: Snapshot, data: st.DataObject) -> None:
    """Protects lineage through a split then a merge: X split into Y and Z, then Y and
    Z merged into W, reads over the whole span as X into (W,) and W from (X,),
    and the other way round as W into (X,) and X from (W,)."""
    parent = data.draw(st.sampled_from(sorted(snap.units)))
    taken = {*snap.units, *snap.people}
    x, y, z, w, member = (
        next(f"{base}-{n}" for n in itertools.count() if f"{base}-{n}" not in taken)
        for base in ("x", "y", "z", "w", "member")
    )

    def stage(day: int, units: dict[str, Unit], home: str, event: str) -> Snapshot:
        person = Person(id=member, unit=home, title="Member")
        return attrs.evolve(
            snap,
            date=snap.date + day * DAY,
            event=event,
            units={**snap.units, **units},
            people={**snap.people, member: person},
        )

    s1 = stage(0, {x: Unit(id=x, name="X", parent=parent)}, x, "X exists")
    s2 = stage(
        1,
        {
            y: Unit(id=y, name="Y", parent=parent, from_=(x,)),
            z: Unit(id=z, name="Z", parent=parent, from_=(x,)),
        },
        y,
        "X split into Y and Z",
    )
    s3 = stage(2, {w: Unit(id=w, name="W", parent=parent, from_=(y, z))}, w, "Y and Z merged")
    tl = registered(s1, s2, s3)
    assert [] == orgdiff.validate(tl)

    d = tl.diff(s1.date, s3.date)
    assert [(x, (w,))] == [(c.id, c.into) for c in d.of_kind(ChangeKind.UNIT_REMOVED)]
    assert [(w, (x,))] == [(c.id, c.from_) for c in d.of_kind(ChangeKind.UNIT_ADDED)]
    assert any({x, w} <= set(e.ids) for e in d.events)
    assert [(member, x, w)] == [
        (c.id, c.before, c.after) for c in d.of_kind(ChangeKind.PERSON_MOVED)
    ]
    # The direct diff sees only W's `from` (Y and Z, not units of s1): no lineage.
    direct = orgdiff.diff(s1, s3)
    assert [()] == [c.into for c in direct.of_kind(ChangeKind.UNIT_REMOVED)]

    back = tl.diff(s3.date, s1.date)
    assert [(w, (x,))] == [(c.id, c.into) for c in back.of_kind(ChangeKind.UNIT_REMOVED)]
    assert [(x, (w,))] == [(c.id, c.from_) for c in back.of_kind(ChangeKind.UNIT_ADDED)]
    assert s1 == apply(s3, back)


# --- order and sources ----------------------------------------------------------------------


@given(pairs())
def test_changes_come_in_the_documented_order(pair: tuple[Snapshot, Snapshot]) -> None:
    """Protects the stable order of changes (`Change.sort_key`: by kind as listed in
    `ChangeKind`, then by id), forwards, backwards and inverted."""
    a, b = pair
    for d in (diff(a, b), diff(b, a), diff(a, b).inverse()):
        assert_in_documented_order(d.changes)


def _cited_throughout(tl: Timeline) -> Timeline:
    """``tl`` with every snapshot citing at least one of its sources (if it has any)."""
    if not tl.sources:
        return tl
    key = sorted(tl.sources)[0]
    snaps = tuple(s if s.sources else attrs.evolve(s, sources=(key,)) for s in tl.snapshots)
    return attrs.evolve(tl, snapshots=snaps)


@given(timelines(min_snapshots=2).map(_cited_throughout))
def test_changes_cite_only_sources_of_the_timeline(tl: Timeline) -> None:
    """Protects evidence: every change and event of any `tl.diff(x, y)` (either
    direction) and of `tl.log()` cites only keys of the timeline's sources; when
    every snapshot cites a source, every change cites at least one; and changes
    of composed diffs come in the documented order too."""
    known = set(tl.sources)
    diffs = [tl.diff(x, y) for x, y in itertools.permutations(tl.dates, 2)]
    for d in (*diffs, *tl.log()):
        assert_in_documented_order(d.changes)
        for c in d.changes:
            assert set(c.sources_before) <= known
            assert set(c.sources_after) <= known
            if known:
                assert c.sources
        for e in d.events:
            assert set(e.sources) <= known
