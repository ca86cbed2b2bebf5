"""Group a diff's changes into the statements a reader of the news recognises.

"GenAI split into AI Products and AGI Foundations", "AGI Foundations dissolved
into FAIR, MSL Infra and Products & Applied Research", "FAIR moved from Reality
Labs to GenAI", "Yann LeCun now reports to Alexandr Wang (was Chris Cox)".
Each event cites the sources of the changes it groups.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .model import Confidence

if TYPE_CHECKING:
    from .diff import Change, Diff, Event

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

    def unit_name(uid: str | None, *, later: bool) -> str:
        if uid is None:
            return "nothing"
        first, second = (b, a) if later else (a, b)
        unit = first.units.get(uid) or second.units.get(uid)
        return unit.name if unit is not None else uid

    def person_name(pid: str | None) -> str:
        if pid is None:
            return "someone not known"
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
        lead = f", led by {person_name(unit.lead)}" if unit.lead else ""
        yield event("creation", f"{unit.name} created{where}{origin}{lead}", [c])

    for c in by_kind.get(ChangeKind.UNIT_RENAMED, []):
        yield event("rename", f"{c.before} renamed {c.after}", [c])

    for c in by_kind.get(ChangeKind.UNIT_MOVED, []):
        name = unit_name(c.id, later=True)
        yield event(
            "move",
            f"{name} moved from {unit_name(c.before, later=False)} to {unit_name(c.after, later=True)}",
            [c],
        )

    for c in by_kind.get(ChangeKind.UNIT_LEAD_CHANGED, []):
        name = unit_name(c.id, later=True)
        if c.after is None:
            text = f"{name} no longer has a known lead (was {person_name(c.before)})"
        elif c.before is None:
            text = f"{person_name(c.after)} now leads {name}"
        else:
            text = f"{person_name(c.after)} now leads {name} (was {person_name(c.before)})"
        yield event("lead", text, [c])

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
        for c in person_changes[pid]:
            who = person_name(pid)
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
            elif c.kind is ChangeKind.PERSON_MOVED:
                yield event(
                    "transfer",
                    f"{who} moved from {unit_name(c.before, later=False)} to {unit_name(c.after, later=True)}",
                    [c],
                )
            elif c.kind is ChangeKind.PERSON_RETITLED:
                if c.after is None:
                    text = f"{who} no longer has a known title (was {c.before})"
                elif c.before is None:
                    text = f"{who} is now {c.after}"
                else:
                    text = f"{who} is now {c.after} (was {c.before})"
                yield event("title", text, [c])
            elif c.kind is ChangeKind.PERSON_MANAGER_CHANGED:
                if c.after is None:
                    text = f"{who}'s manager is no longer known (was {person_name(c.before)})"
                elif c.before is None:
                    text = f"{who} now reports to {person_name(c.after)}"
                else:
                    text = (
                        f"{who} now reports to {person_name(c.after)} (was {person_name(c.before)})"
                    )
                yield event("manager", text, [c])

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


def _end_name(a: object, b: object, entity_id: str) -> str:
    from .model import Snapshot

    assert isinstance(a, Snapshot) and isinstance(b, Snapshot)
    if entity_id in b.units or entity_id in b.people:
        return b.name_of(entity_id)
    return a.name_of(entity_id)
