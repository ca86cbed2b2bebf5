"""Lineage inferred from where people went: renames, splits, merges, dissolutions.

Between two snapshots of the same org (two monthly HR exports, say), a unit
that disappears and units that appear are linked by the people who moved
between them. :func:`infer_lineage` says what those flows show;
:func:`apply_lineage` writes it into the later snapshot as ``from`` (and, for a
rename, keeps the old unit's id under the new name) with a note saying it was
inferred and how many people moved.

Only units that appear or disappear get lineage: people moving between units
that both go on are person moves, which the diff already reports. Everything
here is a pure function of its arguments: same snapshots, same thresholds, same
answer. Between identical snapshots nothing is inferred.

The thresholds (keyword arguments of both functions):

``min_share`` (default 0.25)
    A flow from unit A to unit B counts when it carries at least this share of
    A's people (for A that disappears) or of B's people that came from the
    earlier snapshot (for B that appears).
``min_people`` (default 1)
    ... and at least this many people.
``rename_share`` (default 0.8)
    A disappearing A and an appearing B are one unit renamed when each is the
    other's only counted flow (in either direction) and the flow carries at least this share of both
    A's people and B's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import attrs
from attrs import frozen

from .load import _gc_paused
from .model import Person, Snapshot, Unit

__all__ = ["MIN_PEOPLE", "MIN_SHARE", "RENAME_SHARE", "Inferred", "apply_lineage", "infer_lineage"]

MIN_SHARE = 0.25
MIN_PEOPLE = 1
RENAME_SHARE = 0.8


@frozen
class Inferred:
    """What the flows say about one unit of the later snapshot.

    ``unit`` is its id in the later snapshot as :func:`infer_lineage` received
    it; ``renamed_from`` is the earlier id it keeps when ``kind`` is
    ``"rename"``. ``flows`` are ``(earlier unit id, people who moved here,
    that unit's people still in the org)``, largest first.
    ``kind`` is one of ``rename``, ``succession`` (A became B), ``split`` (A
    split into new units), ``dissolution`` (A dissolved into several, some of
    which go on), ``merge`` (several units into one), ``absorption`` (A merged
    into a unit that goes on) and ``split-off`` (B split off from A, which goes
    on).
    """

    unit: str
    kind: str
    flows: tuple[tuple[str, int, int], ...]
    renamed_from: str | None = None


def _members(snap: Snapshot, present: set[str]) -> Counter[str]:
    return Counter(p.unit for p in snap.people.values() if p.id in present)


@_gc_paused()
def infer_lineage(
    before: Snapshot,
    after: Snapshot,
    *,
    min_share: float = MIN_SHARE,
    min_people: int = MIN_PEOPLE,
    rename_share: float = RENAME_SHARE,
) -> tuple[Inferred, ...]:
    """The lineage the people flows from ``before`` to ``after`` show, by unit of ``after``.

    Units are matched by id first: a unit id in both snapshots goes on. See the
    module's documentation for the thresholds.
    """
    present = before.people.keys() & after.people.keys()
    flows: Counter[tuple[str, str]] = Counter()
    b_people, a_people = before.people, after.people
    for pid in present:
        flows[(b_people[pid].unit, a_people[pid].unit)] += 1
    stay = _members(before, present)  # A's people still in the org
    came = _members(after, present)  # B's people who were in the org before
    gone = set(before.units) - set(after.units)
    new = set(after.units) - set(before.units)

    def counts(n: int, of: int) -> bool:
        return n >= min_people and of > 0 and n >= min_share * of

    succ: dict[str, list[str]] = {}
    pred: dict[str, list[str]] = {}
    for (a, b), n in sorted(flows.items()):
        if a in gone and counts(n, stay[a]):
            succ.setdefault(a, []).append(b)
        if b in new and counts(n, came[b]):
            pred.setdefault(b, []).append(a)

    origins: dict[str, set[str]] = {}
    for a, bs in succ.items():
        for b in bs:
            origins.setdefault(b, set()).add(a)
    for b, ps in pred.items():
        origins.setdefault(b, set()).update(ps)

    renames: dict[str, str] = {}  # new id -> old id
    for b in sorted(new):
        if len(origins.get(b, ())) != 1:
            continue
        (a,) = origins[b]
        n = flows[(a, b)]
        if (
            a in gone
            and succ.get(a) == [b]
            and n >= rename_share * stay[a]
            and n >= rename_share * came[b]
        ):
            renames[b] = a

    out: list[Inferred] = []
    for b in sorted(origins.keys() | renames.keys()):
        if b in renames:
            a = renames[b]
            out.append(Inferred(b, "rename", ((a, flows[(a, b)], stay[a]),), renamed_from=a))
            continue
        olds = sorted(origins[b], key=lambda a: (-flows[(a, b)], a))
        moved = tuple((a, flows[(a, b)], stay[a]) for a in olds)
        gone_olds = [a for a in olds if a in gone]
        if len(gone_olds) >= 2:
            kind = "merge"
        elif b not in new:
            kind = "absorption"
        elif not gone_olds:
            kind = "split-off"
        else:
            succs = succ.get(gone_olds[0], [])
            if len(succs) == 1:
                kind = "succession" if len(olds) == 1 else "merge"
            elif all(s in new for s in succs):
                kind = "split"
            else:
                kind = "dissolution"
        out.append(Inferred(b, kind, moved))
    return tuple(out)


_WORDS = {
    "succession": "took over",
    "split": "split",
    "dissolution": "dissolved into several",
    "merge": "merge",
    "absorption": "merged into this unit",
    "split-off": "split off",
}


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _note(found: Inferred, before: Snapshot, label: str) -> str:
    if found.kind == "rename":
        a, n, m = found.flows[0]
        return (
            f"{label}: renamed from {before.units[a].name} "
            f"({n} of its {m} {'person' if m == 1 else 'people'} stayed)."
        )
    parts = [
        f"{n} of {_possessive(before.units[a].name)} {m} {'person' if m == 1 else 'people'}"
        for a, n, m in found.flows
    ]
    return f"{label} ({_WORDS[found.kind]}): {', '.join(parts)} moved here."


@_gc_paused()
def apply_lineage(
    before: Snapshot,
    after: Snapshot,
    *,
    min_share: float = MIN_SHARE,
    min_people: int = MIN_PEOPLE,
    rename_share: float = RENAME_SHARE,
    label: str = "Inferred from the people who moved",
) -> tuple[Snapshot, tuple[Inferred, ...]]:
    """``after`` with the lineage :func:`infer_lineage` finds written into it.

    A renamed unit takes back its earlier id (the data format's rule: the id
    stays, the name changes), with its sub-units and people following; every
    other unit with inferred lineage gets ``from`` (earlier ids, largest flow
    first) and a note starting with ``label`` that says how many people moved.
    Returns the snapshot and what was inferred (with ids as in ``after``).
    """
    found = infer_lineage(
        before, after, min_share=min_share, min_people=min_people, rename_share=rename_share
    )
    if not found:
        return after, found
    rekey: Mapping[str, str] = {f.unit: f.renamed_from for f in found if f.renamed_from}
    by_unit = {f.unit: f for f in found}

    def uid(x: str) -> str:
        return rekey.get(x, x)

    units: dict[str, Unit] = {}
    for u in after.units.values():
        f = by_unit.get(u.id)
        changes: dict[str, object] = {
            "id": uid(u.id),
            "parent": uid(u.parent) if u.parent is not None else None,
        }
        if f is not None:
            changes["note"] = _note(f, before, label)
            if f.kind != "rename":
                changes["from_"] = tuple(a for a, _, _ in f.flows)
        units[uid(u.id)] = attrs.evolve(u, **changes)  # type: ignore[arg-type]
    people: dict[str, Person] = {
        pid: (p if p.unit not in rekey else attrs.evolve(p, unit=uid(p.unit)))
        for pid, p in after.people.items()
    }
    return attrs.evolve(after, units=units, people=people), found
