"""Semantic, lineage-aware differences between two snapshots.

A :class:`Diff` holds the typed :class:`Change` values a reader cares about
(renames, moves, new leads, new managers...), the :class:`Event` statements they
group into ("GenAI split into AI Products and AGI Foundations"), and the full
before and after state of every unit, person and relation that differs, so that
:func:`apply` rebuilds the later snapshot exactly and :meth:`Diff.inverse` undoes it.

Identity is the id: a unit whose name changes is renamed, never removed and
added. Lineage comes from ``from:``: a removed unit points ``into`` the units
that hold its remit at the later date, an added unit comes ``from`` units of the
earlier date. Across several snapshots lineage is composed step by step, so a
unit split and then merged still points to where its remit ended up.

Changes come in a stable order: by kind, in the order of :class:`ChangeKind`
(units before people, additions before removals before changes), then by id.
Computing a diff is linear in the size of the two snapshots.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeAlias, TypeVar

import attrs
from attrs import field, frozen

from .model import Confidence, Person, Relation, Snapshot, Unit

_T = TypeVar("_T")

__all__ = ["Change", "ChangeKind", "Diff", "Event", "HistoryEntry", "apply", "diff", "lineage"]


class ChangeKind(enum.StrEnum):
    """The kinds of change, in report order; the values are the JSON ``kind``."""

    UNIT_ADDED = "unit-added"
    UNIT_REMOVED = "unit-removed"
    UNIT_RENAMED = "unit-renamed"
    UNIT_MOVED = "unit-moved"
    UNIT_LEAD_CHANGED = "unit-lead-changed"
    PERSON_ADDED = "person-added"
    PERSON_REMOVED = "person-removed"
    PERSON_MOVED = "person-moved"
    PERSON_RETITLED = "person-retitled"
    PERSON_MANAGER_CHANGED = "person-manager-changed"
    RELATION_ADDED = "relation-added"
    RELATION_REMOVED = "relation-removed"


_ORDER = {kind: i for i, kind in enumerate(ChangeKind)}

#: The value a change carries: text or an id, the ordered leads of a unit, or nothing.
Value: TypeAlias = str | tuple[str, ...] | None


def _sortable(value: Value) -> str:
    if isinstance(value, tuple):
        return "\0".join(value)
    return value or ""


def _not_in(these: Value, those: Value) -> tuple[str, ...]:
    if not isinstance(these, tuple):
        return ()
    other = set(those) if isinstance(those, tuple) else set()
    return tuple(x for x in these if x not in other)


@frozen
class Change:
    """One change of one entity.

    ``before``/``after`` are the changed value (a name, a parent id, a unit
    id, a title or a manager id); ``None`` means absent or not known. For
    ``unit-lead-changed`` they are the unit's leads in order, a tuple of
    person ids (``()`` when no lead is known; several for co-leads).
    For ``unit-added``, ``from_`` lists its predecessors at the earlier date; for
    ``unit-removed``, ``into`` lists its successors at the later date. Sources
    and confidence are those of the entity's state before and after.
    """

    kind: ChangeKind
    id: str
    before: Value = None
    after: Value = None
    from_: tuple[str, ...] = ()
    into: tuple[str, ...] = ()
    sources_before: tuple[str, ...] = ()
    sources_after: tuple[str, ...] = ()
    confidence_before: Confidence | None = None
    confidence_after: Confidence | None = None

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources behind the change: the after state's, else the before state's."""
        return self.sources_after or self.sources_before

    @property
    def confidence(self) -> Confidence:
        """The weaker of the two states' confidence: a change is as sure as its least sure side."""
        known = [c for c in (self.confidence_before, self.confidence_after) if c is not None]
        order = list(Confidence)
        return max(known, key=order.index) if known else Confidence.CONFIRMED

    def sort_key(self) -> tuple[int, str, str, str]:
        return (_ORDER[self.kind], self.id, _sortable(self.before), _sortable(self.after))

    @property
    def added_leads(self) -> tuple[str, ...]:
        """For ``unit-lead-changed``: the leads after who were not leads before, in order."""
        return _not_in(self.after, self.before)

    @property
    def dropped_leads(self) -> tuple[str, ...]:
        """For ``unit-lead-changed``: the leads before who are no longer leads, in order."""
        return _not_in(self.before, self.after)

    def inverse(self) -> Change:
        kind = {
            ChangeKind.UNIT_ADDED: ChangeKind.UNIT_REMOVED,
            ChangeKind.UNIT_REMOVED: ChangeKind.UNIT_ADDED,
            ChangeKind.PERSON_ADDED: ChangeKind.PERSON_REMOVED,
            ChangeKind.PERSON_REMOVED: ChangeKind.PERSON_ADDED,
            ChangeKind.RELATION_ADDED: ChangeKind.RELATION_REMOVED,
            ChangeKind.RELATION_REMOVED: ChangeKind.RELATION_ADDED,
        }.get(self.kind, self.kind)
        return Change(
            kind,
            self.id,
            before=self.after,
            after=self.before,
            from_=self.into,
            into=self.from_,
            sources_before=self.sources_after,
            sources_after=self.sources_before,
            confidence_before=self.confidence_after,
            confidence_after=self.confidence_before,
        )


@frozen
class Event:
    """A statement a reader recognises, grouping changes, with its sources.

    ``changes`` are the changes it tells, in the diff's order: every change of a
    diff belongs to exactly one of its events. ``ids`` are their ids, once each.
    """

    # split, merge, succession, dissolution, creation, rename, move, lead, unit (several
    # of one unit's: renamed, moved, new lead), join, leave, transfer, title, manager,
    # person (several of one person's: moved, retitled, new manager), relation
    kind: str
    text: str
    ids: tuple[str, ...]
    sources: tuple[str, ...] = ()
    confidence: Confidence = Confidence.CONFIRMED
    # The changes the event tells, in the diff's order (not part of equality).
    changes: tuple[Change, ...] = field(default=(), eq=False, repr=False)


@frozen
class Diff:
    """What changed between the snapshot of ``date_before`` and that of ``date_after``."""

    before: Snapshot = field(repr=False, eq=False)
    after: Snapshot = field(repr=False, eq=False)
    changes: tuple[Change, ...]
    events: tuple[Event, ...] = ()
    # Full states of everything that differs, in any field: (before, after).
    units: Mapping[str, tuple[Unit | None, Unit | None]] = field(factory=dict, repr=False)
    people: Mapping[str, tuple[Person | None, Person | None]] = field(factory=dict, repr=False)

    @property
    def date_before(self) -> dt.date:
        return self.before.date

    @property
    def date_after(self) -> dt.date:
        return self.after.date

    def __bool__(self) -> bool:
        return (
            bool(self.changes)
            or bool(self.units)
            or bool(self.people)
            or _meta(self.before) != _meta(self.after)
        )

    def __len__(self) -> int:
        return len(self.changes)

    def of_kind(self, *kinds: ChangeKind | str) -> tuple[Change, ...]:
        """The changes of the given kinds, in order."""
        wanted = {ChangeKind(k) for k in kinds}
        return tuple(c for c in self.changes if c.kind in wanted)

    def inverse(self) -> Diff:
        """The diff that undoes this one: ``apply(b, d.inverse()) == a``.

        Every change is turned around (added <-> removed, ``from`` <-> ``into``,
        before <-> after) and the events are told in the other direction.
        """
        from .events import group

        inv = Diff(
            before=self.after,
            after=self.before,
            changes=tuple(sorted((c.inverse() for c in self.changes), key=Change.sort_key)),
            units={k: (v[1], v[0]) for k, v in self.units.items()},
            people={k: (v[1], v[0]) for k, v in self.people.items()},
        )
        return attrs.evolve(inv, events=tuple(group(inv)))

    def _repr_svg_(self) -> str:
        """Jupyter shows a diff as its chart."""
        from .engine import to_svg

        return to_svg(self)


def _meta(s: Snapshot) -> tuple[object, ...]:
    return (s.date, s.event, s.sources, s.note, s.relations)


def _step_successors(prev: Snapshot, nxt: Snapshot) -> dict[str, set[str]]:
    """For each unit of ``prev``: the units of ``nxt`` that carry its remit."""
    out: dict[str, set[str]] = {uid: ({uid} if uid in nxt.units else set()) for uid in prev.units}
    for uid, unit in nxt.units.items():
        for origin in unit.from_:
            if origin in out:
                out[origin].add(uid)
    return out


def lineage(path: Sequence[Snapshot]) -> dict[str, tuple[str, ...]]:
    """Successors of each unit of ``path[0]`` among the units of ``path[-1]``.

    ``path`` is the run of consecutive snapshots from the earlier date to the
    later one. A unit that persists is its own successor; a unit named in a
    later unit's ``from`` passes its remit on; composed step by step.
    """
    if not path:
        return {}
    current: dict[str, set[str]] = {uid: {uid} for uid in path[0].units}
    for prev, nxt in itertools.pairwise(path):
        step = _step_successors(prev, nxt)
        current = {
            uid: set().union(*(step.get(x, set()) for x in held)) for uid, held in current.items()
        }
    return {uid: tuple(sorted(held)) for uid, held in current.items()}


def _successors_of(path: Sequence[Snapshot], wanted: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """:func:`lineage` of the ``wanted`` units of ``path[0]`` only: linear in
    the units with a ``from``, not in all the units."""
    current: dict[str, set[str]] = {uid: {uid} for uid in wanted}
    for prev, nxt in itertools.pairwise(path):
        took: dict[str, list[str]] = {}  # unit of prev -> units of nxt that name it in `from`
        for uid, unit in nxt.units.items():
            for origin in unit.from_:
                if origin in prev.units:
                    took.setdefault(origin, []).append(uid)
        current = {
            uid: {y for x in held for y in (*((x,) if x in nxt.units else ()), *took.get(x, ()))}
            for uid, held in current.items()
        }
    return {uid: tuple(sorted(held)) for uid, held in current.items()}


def _predecessors_of(path: Sequence[Snapshot], wanted: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """For each ``wanted`` unit of ``path[-1]``: the units of ``path[0]`` it
    comes from (the inverse of :func:`lineage`), composed backwards."""
    current: dict[str, set[str]] = {uid: {uid} for uid in wanted}
    for prev, nxt in reversed(list(itertools.pairwise(path))):
        current = {
            uid: {
                p
                for v in held
                for p in (
                    *((v,) if v in prev.units else ()),
                    *(o for o in nxt.units[v].from_ if o in prev.units),
                )
            }
            for uid, held in current.items()
        }
    return {uid: tuple(sorted(held)) for uid, held in current.items()}


def diff(a: Snapshot, b: Snapshot, *, path: Sequence[Snapshot] | None = None) -> Diff:
    """The changes from snapshot ``a`` to snapshot ``b``.

    Lineage comes from ``b``'s ``from:`` declarations, or, given ``path`` (the
    consecutive snapshots from ``a`` to ``b``, both included), is composed
    through every snapshot in between. ``diff(a, a)`` is empty.
    """
    if path is None and a.date > b.date:
        # Lineage is recorded forwards (`from` on the later snapshot): diff
        # forwards, then turn the result around.
        return diff(b, a).inverse()
    steps: Sequence[Snapshot] = path if path is not None else (a, b)
    changes: list[Change] = []
    units: dict[str, tuple[Unit | None, Unit | None]] = {}
    people: dict[str, tuple[Person | None, Person | None]] = {}

    # `is` first: a loaded timeline shares what did not change between snapshots.
    removed: list[tuple[str, Unit]] = []
    for uid, before in a.units.items():
        after = b.units.get(uid)
        if after is before or after == before:
            continue
        units[uid] = (before, after)
        if after is None:
            removed.append((uid, before))
            continue
        if before.name != after.name:
            changes.append(
                _change(ChangeKind.UNIT_RENAMED, uid, before, after, before.name, after.name)
            )
        if before.parent != after.parent:
            changes.append(
                _change(ChangeKind.UNIT_MOVED, uid, before, after, before.parent, after.parent)
            )
        if before.leads != after.leads:
            changes.append(
                _change(ChangeKind.UNIT_LEAD_CHANGED, uid, before, after, before.leads, after.leads)
            )
    if removed:  # lineage only for the units that need it
        succ = _successors_of(steps, [uid for uid, _ in removed])
        for uid, before in removed:
            into = tuple(x for x in succ[uid] if x != uid and x in b.units)
            changes.append(
                _change(ChangeKind.UNIT_REMOVED, uid, before, None, before.name, None, into=into)
            )
    new_units = [(uid, after) for uid, after in b.units.items() if uid not in a.units]
    pred = _predecessors_of(steps, [uid for uid, _ in new_units]) if new_units else {}
    for uid, after in new_units:
        units[uid] = (None, after)
        origins = tuple(x for x in pred[uid] if x != uid and x in a.units)
        changes.append(
            _change(ChangeKind.UNIT_ADDED, uid, None, after, None, after.name, from_=origins)
        )

    # The people loop is the hot one (a million people, a few thousand changes):
    # locals, and the people added found by a set difference, only if any were.
    find = b.people.get
    kept = 0
    for pid, pb in a.people.items():
        pa = find(pid)
        if pa is pb:
            kept += 1
            continue
        if pa is not None:
            kept += 1
            if pa == pb:
                continue
        people[pid] = (pb, pa)
        if pa is None:
            changes.append(_change(ChangeKind.PERSON_REMOVED, pid, pb, None, pb.unit, None))
            continue
        if pb.unit != pa.unit:
            changes.append(_change(ChangeKind.PERSON_MOVED, pid, pb, pa, pb.unit, pa.unit))
        if pb.title != pa.title:
            changes.append(_change(ChangeKind.PERSON_RETITLED, pid, pb, pa, pb.title, pa.title))
        if pb.reports_to != pa.reports_to:
            changes.append(
                _change(
                    ChangeKind.PERSON_MANAGER_CHANGED, pid, pb, pa, pb.reports_to, pa.reports_to
                )
            )
    if kept != len(b.people):
        added = b.people.keys() - a.people.keys()
        for pid in [pid for pid in b.people if pid in added]:
            pa = b.people[pid]
            people[pid] = (None, pa)
            changes.append(_change(ChangeKind.PERSON_ADDED, pid, None, pa, None, pa.unit))

    rel_before = {_rel_key(r): r for r in a.relations}
    rel_after = {_rel_key(r): r for r in b.relations}
    for key, rel in rel_before.items():
        if key not in rel_after:
            changes.append(_rel_change(ChangeKind.RELATION_REMOVED, rel, before=True))
    for key, rel in rel_after.items():
        if key not in rel_before:
            changes.append(_rel_change(ChangeKind.RELATION_ADDED, rel, before=False))

    changes = [_with_evidence(c, steps) for c in changes]
    changes.sort(key=Change.sort_key)
    from .events import group

    result = Diff(before=a, after=b, changes=tuple(changes), units=units, people=people)
    return attrs.evolve(result, events=tuple(group(result)))


_FIELD = {
    ChangeKind.UNIT_RENAMED: "name",
    ChangeKind.UNIT_MOVED: "parent",
    ChangeKind.UNIT_LEAD_CHANGED: "leads",
    ChangeKind.PERSON_MOVED: "unit",
    ChangeKind.PERSON_RETITLED: "title",
    ChangeKind.PERSON_MANAGER_CHANGED: "reports_to",
}


def _entity(s: Snapshot, c: Change) -> Unit | Person | Relation | None:
    if c.kind.value.startswith("unit-"):
        return s.units.get(c.id)
    if c.kind.value.startswith("person-"):
        return s.people.get(c.id)
    for r in s.relations:
        if _rel_id(r) == c.id:
            return r
    return None


def _with_evidence(c: Change, steps: Sequence[Snapshot]) -> Change:
    """Cite the snapshot where the change took effect: the entity's own sources
    there, else that snapshot's. The earlier side cites the first snapshot."""
    attr = _FIELD.get(c.kind)

    def value(s: Snapshot) -> object:
        entity = _entity(s, c)
        if attr is None or entity is None:
            return entity is not None
        return getattr(entity, attr)

    k = len(steps) - 1
    final = value(steps[k])
    while k > 1 and value(steps[k - 1]) == final:
        k -= 1
    origin, first = steps[k], steps[0]
    after = _entity(origin, c)
    before = _entity(first, c)
    return attrs.evolve(
        c,
        sources_before=(before.sources if before is not None and before.sources else first.sources),
        sources_after=(after.sources if after is not None and after.sources else origin.sources),
    )


def _rel_key(r: Relation) -> tuple[str, str, str]:
    return (r.kind, r.from_, r.to)


def _rel_id(r: Relation) -> str:
    return f"{r.from_}/{r.kind}/{r.to}"


def _rel_change(kind: ChangeKind, r: Relation, *, before: bool) -> Change:
    if before:
        return Change(
            kind,
            _rel_id(r),
            before=r.kind,
            sources_before=r.sources,
            confidence_before=r.confidence,
        )
    return Change(
        kind, _rel_id(r), after=r.kind, sources_after=r.sources, confidence_after=r.confidence
    )


def _change(
    kind: ChangeKind,
    entity_id: str,
    old: Unit | Person | None,
    new: Unit | Person | None,
    before: Value,
    after: Value,
    *,
    from_: tuple[str, ...] = (),
    into: tuple[str, ...] = (),
) -> Change:
    return Change(
        kind,
        entity_id,
        before=before,
        after=after,
        from_=from_,
        into=into,
        sources_before=old.sources if old is not None else (),
        sources_after=new.sources if new is not None else (),
        confidence_before=old.confidence if old is not None else None,
        confidence_after=new.confidence if new is not None else None,
    )


class ApplyError(ValueError):
    """A diff applied to a snapshot it was not made from."""


def apply(snap: Snapshot, d: Diff) -> Snapshot:
    """``snap`` with the changes of ``d``: ``apply(a, diff(a, b)) == b``.

    Raises :class:`ApplyError` if ``snap`` is not in the state the diff starts from.
    """
    units = dict(snap.units)
    for uid, (before, after) in d.units.items():
        if units.get(uid) != before:
            raise ApplyError(
                f"unit `{uid}` is not as the diff expects it; was the diff made from this snapshot?"
            )
        if after is None:
            del units[uid]
        else:
            units[uid] = after
    people = dict(snap.people)
    for pid, (pb, pa) in d.people.items():
        if people.get(pid) != pb:
            raise ApplyError(
                f"person `{pid}` is not as the diff expects it; was the diff made from this snapshot?"
            )
        if pa is None:
            del people[pid]
        else:
            people[pid] = pa
    target = d.after
    units = _ordered(units, target.units)
    people = _ordered(people, target.people)
    return attrs.evolve(
        snap,
        date=target.date,
        event=target.event,
        sources=target.sources,
        note=target.note,
        relations=target.relations,
        units=units,
        people=people,
    )


def _ordered(items: dict[str, _T], order: Iterable[str]) -> dict[str, _T]:
    """Keep the later snapshot's order, then anything else in its own order."""
    out = {k: items[k] for k in order if k in items}
    out.update((k, v) for k, v in items.items() if k not in out)
    return out


@frozen
class HistoryEntry:
    """How one unit or person changed at one snapshot.

    ``kind`` is ``appeared`` (first seen, or back after an absence),
    ``changed`` (``changes`` lists how), ``evidence`` (only its sources,
    confidence or note changed) or ``removed``. ``state`` is the entity as of
    ``date`` (``None`` once it is gone).
    """

    date: dt.date
    event: str
    state: Unit | Person | None
    changes: tuple[Change, ...]
    sources: tuple[str, ...]
    kind: str = "changed"

    @property
    def appeared(self) -> bool:
        return self.kind == "appeared"

    @property
    def removed(self) -> bool:
        return self.kind == "removed"
