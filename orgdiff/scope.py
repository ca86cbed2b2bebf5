"""Narrow a diff to part of the org, as a chart's ``--focus``, ``--depth`` and
``--units-only`` narrow what it draws.

A unit is in scope when it lies in the focused subtree (or under the root),
at most ``depth`` levels below its top, at either date. A person's change is in
scope when the person's unit is in scope at either date; a relation's when
either end is. ``units_only`` leaves out every change about a person, and
relations with a person at an end. The events are told again from the
changes that remain.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from .diff import Change, ChangeKind, Diff
from .errors import UnknownIdError
from .model import Snapshot, Unit
from .suggest import did_you_mean

__all__ = ["check_focus", "describe_scope", "narrow"]

_PERSON_KINDS = frozenset(
    {
        ChangeKind.PERSON_ADDED,
        ChangeKind.PERSON_REMOVED,
        ChangeKind.PERSON_MOVED,
        ChangeKind.PERSON_RETITLED,
        ChangeKind.PERSON_MANAGER_CHANGED,
    }
)
_RELATION_KINDS = frozenset({ChangeKind.RELATION_ADDED, ChangeKind.RELATION_REMOVED})


def _subtree(units: Mapping[str, Unit], focus: str | None, depth: int | None) -> set[str]:
    children: dict[str | None, list[str]] = {}
    for uid, unit in units.items():
        parent = unit.parent if unit.parent in units else None
        children.setdefault(parent, []).append(uid)
    if focus is not None and focus not in units:
        return set()
    tops = [focus] if focus is not None else children.get(None, [])
    out: set[str] = set()
    stack = [(t, 0) for t in tops]
    while stack:
        uid, level = stack.pop()
        if uid in out or (depth is not None and level > depth):
            continue
        out.add(uid)
        stack.extend((c, level + 1) for c in children.get(uid, []))
    return out


def check_focus(d: Diff, focus: str) -> None:
    """Raise :class:`UnknownIdError` (with a did-you-mean) if ``focus`` is a unit of neither date."""
    if focus in d.before.units or focus in d.after.units:
        return
    known = sorted({*d.before.units, *d.after.units})
    hint = did_you_mean(focus, known)
    raise UnknownIdError(
        f"no unit `{focus}` on {d.date_before.isoformat()} or {d.date_after.isoformat()}{hint}",
        id=focus,
    )


def narrow(
    d: Diff, *, focus: str | None = None, depth: int | None = None, units_only: bool = False
) -> Diff:
    """The part of ``d`` about the focused subtree, ``depth`` levels deep (see the module)."""
    if focus is None and depth is None and not units_only:
        return d
    if focus is not None:
        check_focus(d, focus)
    a, b = d.before, d.after
    units = _subtree(a.units, focus, depth) | _subtree(b.units, focus, depth)

    def person_in(pid: str) -> bool:
        return not units_only and any(
            pid in s.people and s.people[pid].unit in units for s in (a, b)
        )

    def end_in(entity_id: str) -> bool:
        if _is_person(entity_id, a, b):
            return person_in(entity_id)
        return entity_id in units

    def keep(c: Change) -> bool:
        if c.kind in _PERSON_KINDS:
            return person_in(c.id)
        if c.kind in _RELATION_KINDS:
            source, _, target = c.id.split("/", 2)
            if units_only and (_is_person(source, a, b) or _is_person(target, a, b)):
                return False
            return end_in(source) or end_in(target)
        return c.id in units

    from .events import group

    narrowed = Diff(
        before=a,
        after=b,
        changes=tuple(c for c in d.changes if keep(c)),
        units={k: v for k, v in d.units.items() if k in units},
        people={k: v for k, v in d.people.items() if person_in(k)},
    )
    return attrs.evolve(narrowed, events=tuple(group(narrowed)))


def _is_person(entity_id: str, a: Snapshot, b: Snapshot) -> bool:
    return entity_id in a.people or entity_id in b.people


def describe_scope(
    *, focus: str | None = None, depth: int | None = None, units_only: bool = False
) -> str | None:
    """How a report was narrowed, in words, or ``None`` when it was not:
    ``"only `msl` and 2 levels below it, units only"``."""
    parts = []
    top = f"`{focus}`" if focus is not None else "the top unit"
    if depth is None and focus is not None:
        parts.append(f"only {top} and below")
    elif depth == 0:
        parts.append(f"only {top}")
    elif depth is not None:
        parts.append(f"only {top} and {depth} level{'s' if depth != 1 else ''} below it")
    if units_only:
        parts.append("units only")
    return ", ".join(parts) if parts else None
