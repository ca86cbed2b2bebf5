"""Group a diff's changes into the statements a reader of the news recognises.

"GenAI split into AI Products and AGI Foundations", "AGI Foundations dissolved
into FAIR, MSL Infra and Products & Applied Research", "FAIR moved from Reality
Labs to GenAI", "Yann LeCun now reports to Alexandr Wang (was Chris Cox)".
Each event cites the sources of the changes it groups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from .model import Confidence

if TYPE_CHECKING:
    from .diff import Change, Diff, Event, Value

__all__ = ["group", "join_names"]


def join_names(names: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _sources(changes: Iterable[Change]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for c in changes:
        for s in c.sources:
            out.setdefault(s, None)
    return tuple(out)


def _confidence(changes: Iterable[Change]) -> Confidence:
    order = list(Confidence)
    levels = [c.confidence for c in changes]
    return max(levels, key=order.index) if levels else Confidence.CONFIRMED


def group(d: Diff) -> Iterator[Event]:
    """The events of a diff, structural ones (splits, merges, moves) first."""
    from .diff import ChangeKind, Event

    a, b = d.before, d.after

    def unit_name(uid: Value, *, later: bool) -> str:
        if uid is None:
            return "nothing"
        if isinstance(uid, tuple):
            return join_names(unit_name(u, later=later) for u in uid)
        first, second = (b, a) if later else (a, b)
        unit = first.units.get(uid) or second.units.get(uid)
        return unit.name if unit is not None else uid

    def person_name(pid: Value) -> str:
        if pid is None or pid == ():
            return "someone not known"
        if isinstance(pid, tuple):
            return join_names(person_name(p) for p in pid)
        return b.name_of(pid) if pid in b.identities else a.name_of(pid)

    def event(kind: str, text: str, changes: list[Change]) -> Event:
        ids: dict[str, None] = {}
        for c in changes:
            ids.setdefault(c.id, None)
        ordered = tuple(sorted(changes, key=lambda c: c.sort_key()))
        return Event(
            kind, text, tuple(ids), _sources(changes), _confidence(changes), changes=ordered
        )

    by_kind: dict[ChangeKind, list[Change]] = {}
    for c in d.changes:
        by_kind.setdefault(c.kind, []).append(c)
    added = {c.id: c for c in by_kind.get(ChangeKind.UNIT_ADDED, [])}
    removed = {c.id: c for c in by_kind.get(ChangeKind.UNIT_REMOVED, [])}
    told: set[str] = set()  # units whose addition or removal an event already tells

    # A removed unit: split (into new units only), became / merged into one unit,
    # dissolved into several, or dissolved with no successor.
    merging: dict[str, list[str]] = {}
    for uid in sorted(removed):
        into = removed[uid].into
        if len(into) == 1 and into[0] in added:
            merging.setdefault(into[0], []).append(uid)
            continue
        old = unit_name(uid, later=False)
        targets = join_names(unit_name(t, later=True) for t in into)
        parts = [added[t] for t in into if t in added and added[t].from_ == (uid,)]
        if len(into) >= 2 and len(parts) == len(into):
            yield event("split", f"{old} split into {targets}", [removed[uid], *parts])
            told.update(into)
        elif len(into) == 1:
            yield event("merge", f"{old} merged into {targets}", [removed[uid]])
        elif into:
            yield event("dissolution", f"{old} dissolved into {targets}", [removed[uid], *parts])
            told.update(p.id for p in parts)
        else:
            yield event("dissolution", f"{old} dissolved", [removed[uid]])
        told.add(uid)
    for target in sorted(merging):
        olds = merging[target]
        new_name = unit_name(target, later=True)
        if target in told:
            continue
        changes = [removed[o] for o in olds] + [added[target]]
        if len(olds) == 1 and added[target].from_ == (olds[0],):
            yield event(
                "succession", f"{unit_name(olds[0], later=False)} became {new_name}", changes
            )
        else:
            merged = join_names(unit_name(o, later=False) for o in olds)
            yield event("merge", f"{merged} merged into {new_name}", changes)
        told.update([*olds, target])

    # New units split off from units that go on.
    spun: dict[str, list[str]] = {}
    for uid in sorted(added):
        c = added[uid]
        if uid not in told and c.from_ and all(o in b.units for o in c.from_) and len(c.from_) == 1:
            spun.setdefault(c.from_[0], []).append(uid)
    for origin in sorted(spun):
        new_ids = spun[origin]
        names = join_names(unit_name(p, later=True) for p in new_ids)
        yield event(
            "split",
            f"{names} split off from {unit_name(origin, later=False)}",
            [added[p] for p in new_ids],
        )
        told.update(new_ids)

    # New units with no predecessor, or the rest of the new ones.
    for uid in sorted(added):
        if uid in told:
            continue
        c = added[uid]
        unit = b.units[uid]
        where = f" under {unit_name(unit.parent, later=True)}" if unit.parent else ""
        origin = (
            f" from {join_names(unit_name(o, later=False) for o in c.from_)}" if c.from_ else ""
        )
        lead = f", led by {person_name(unit.leads)}" if unit.leads else ""
        yield event("creation", f"{unit.name} created{where}{origin}{lead}", [c])

    # A unit that goes on: renamed, moved, given a new lead; several at once are one event.
    unit_changes: dict[str, list[Change]] = {}
    for kind in (ChangeKind.UNIT_RENAMED, ChangeKind.UNIT_MOVED, ChangeKind.UNIT_LEAD_CHANGED):
        for c in by_kind.get(kind, []):
            unit_changes.setdefault(c.id, []).append(c)

    for uid, changes in unit_changes.items():
        name = unit_name(uid, later=True)
        clauses = []
        own: list[str] = []  # a clause with its own subject: "X joins Y as co-lead of U"
        for c in changes:
            if c.kind is ChangeKind.UNIT_RENAMED:
                clauses.append(f"{c.before} renamed {c.after}")
            elif c.kind is ChangeKind.UNIT_MOVED:
                where = (
                    f"from {unit_name(c.before, later=False)} to {unit_name(c.after, later=True)}"
                )
                clauses.append(f"moved {where}" if clauses else f"{name} moved {where}")
            else:  # the lead comes last: a clause of an event that names the unit before
                co = _co_lead_text(c, name, person_name, named=True)
                if co is None:
                    clauses.append(_lead_clause(c, name, person_name))
                else:
                    own.append(co)
        if len(changes) >= 2:
            yield event("unit", "; ".join([join_names(clauses), *own]), changes)
            continue
        (c,) = changes
        if c.kind is ChangeKind.UNIT_RENAMED:
            yield event("rename", clauses[0], [c])
        elif c.kind is ChangeKind.UNIT_MOVED:
            yield event("move", clauses[0], [c])
        else:
            yield event("lead", _lead_text(c, name, person_name), [c])

    person_changes: dict[str, list[Change]] = {}
    for kind in (
        ChangeKind.PERSON_ADDED,
        ChangeKind.PERSON_REMOVED,
        ChangeKind.PERSON_MOVED,
        ChangeKind.PERSON_RETITLED,
        ChangeKind.PERSON_MANAGER_CHANGED,
    ):
        for c in by_kind.get(kind, []):
            person_changes.setdefault(c.id, []).append(c)
    for pid in sorted(person_changes):
        changes = person_changes[pid]
        who = person_name(pid)
        if len(changes) >= 2:
            # One person moved, retitled and given a new manager at once: one event.
            told_all = join_names(_person_clause(c, unit_name, person_name) for c in changes)
            yield event("person", f"{who} {told_all}", changes)
            continue
        (c,) = changes
        if c.kind is ChangeKind.PERSON_ADDED:
            person = b.people[pid]
            title = f" as {person.title}" if person.title else ""
            # "now listed", not "joined": a dataset may start listing someone
            # long after they arrived.
            where = unit_name(person.unit, later=True)
            yield event("join", f"{who} now listed in {where}{title}", [c])
        elif c.kind is ChangeKind.PERSON_REMOVED:
            yield event(
                "leave",
                f"{who} no longer listed (was in {unit_name(c.before, later=False)})",
                [c],
            )
        elif c.kind is ChangeKind.PERSON_MANAGER_CHANGED and c.after is None:
            yield event(
                "manager", f"{who}'s manager is no longer known (was {person_name(c.before)})", [c]
            )
        else:
            text = f"{who} {_person_clause(c, unit_name, person_name)}"
            yield event(_PERSON_EVENT[c.kind.value], text, [c])

    for kind, verb in (
        (ChangeKind.RELATION_ADDED, "now has"),
        (ChangeKind.RELATION_REMOVED, "no longer has"),
    ):
        for c in by_kind.get(kind, []):
            source, rel_kind, target = c.id.split("/", 2)
            yield event(
                "relation",
                f"{_end_name(a, b, source)} {verb} a `{rel_kind}` relation to {_end_name(a, b, target)}",
                [c],
            )


def _leads(value: Value) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return value
    return () if value is None else (value,)


def _co_lead_text(
    c: Change, unit: str, person_name: Callable[[Value], str], *, named: bool = False
) -> str | None:
    """What a change of co-leads says when some of them stay: who joins or
    leaves them, who succeeds whom; None for any other change of leads.
    ``named``: the sentence has named the unit already (a succession then
    does not name it again)."""
    before, after = _leads(c.before), _leads(c.after)
    if (len(before) <= 1 and len(after) <= 1) or not after:
        return None
    added, dropped = c.added_leads, c.dropped_leads
    stayed = tuple(p for p in after if p in before)
    if stayed and added and not dropped:
        role = "co-leads" if len(added) > 1 else "co-lead"
        verb = "join" if len(added) > 1 else "joins"
        return f"{person_name(added)} {verb} {person_name(stayed)} as {role} of {unit}"
    if stayed and dropped and not added:
        verb = "co-lead" if len(dropped) > 1 else "co-leads"
        return f"{person_name(dropped)} no longer {verb} {unit} (with {person_name(stayed)})"
    if stayed and len(added) == 1 and len(dropped) == 1:
        succession = (
            f"{person_name(added)} succeeds {person_name(dropped)} as co-lead "
            f"(with {person_name(stayed)})"
        )
        return succession if named else f"{unit}: {succession}"
    return None


def _lead_text(c: Change, unit: str, person_name: Callable[[Value], str]) -> str:
    """What a change of a unit's leads says: who now leads it, who joins or
    leaves its co-leads, who succeeds whom."""
    co = _co_lead_text(c, unit, person_name)
    if co is not None:
        return co
    before, after = _leads(c.before), _leads(c.after)
    if not after:
        return f"{unit} no longer has a known lead (was {person_name(before)})"
    verb = "lead" if len(after) > 1 else "leads"
    was = f" (was {person_name(before)})" if before else ""
    return f"{person_name(after)} now {verb} {unit}{was}"


def _lead_clause(c: Change, unit: str, person_name: Callable[[Value], str]) -> str:
    """A change of leads as the last clause of an event that names the unit
    first (``Autonomy renamed Robotics and now led by ...``), when no co-lead
    joins, leaves or succeeds another (`_co_lead_text` tells those, after a
    semicolon)."""
    before, after = _leads(c.before), _leads(c.after)
    if not after:
        return f"no longer has a known lead (was {person_name(before)})"
    was = f" (was {person_name(before)})" if before else ""
    return f"now led by {person_name(after)}{was}"


_PERSON_EVENT = {
    "person-moved": "transfer",
    "person-retitled": "title",
    "person-manager-changed": "manager",
}


def _person_clause(
    c: Change,
    unit_name: Callable[..., str],
    person_name: Callable[[Value], str],
) -> str:
    """What happened to a person, without the subject: ``moved from A to B``."""
    from .diff import ChangeKind

    if c.kind is ChangeKind.PERSON_MOVED:
        return f"moved from {unit_name(c.before, later=False)} to {unit_name(c.after, later=True)}"
    if c.kind is ChangeKind.PERSON_RETITLED:
        if c.after is None:
            return f"no longer has a known title (was {c.before})"
        if c.before is None:
            return f"is now {c.after}"
        return f"is now {c.after} (was {c.before})"
    if c.after is None:
        return f"no longer has a known manager (was {person_name(c.before)})"
    if c.before is None:
        return f"now reports to {person_name(c.after)}"
    return f"now reports to {person_name(c.after)} (was {person_name(c.before)})"


def _end_name(a: object, b: object, entity_id: str) -> str:
    from .model import Snapshot

    assert isinstance(a, Snapshot) and isinstance(b, Snapshot)
    if entity_id in b.units or entity_id in b.people:
        return b.name_of(entity_id)
    return a.name_of(entity_id)
