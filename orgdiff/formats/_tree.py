"""The unit tree of a snapshot, walked depth first, for formats that nest
units (GraphML groups, Mermaid subgraphs).

:func:`walk` yields ``(uid, depth, opening)``: a unit opens (``True``) before
its people and its sub-units, and closes (``False``) after them, iteratively, so
that a tree of any depth needs no recursion. Units whose parent is missing are
roots; a unit on a parent cycle (invalid data) is never reached, and its people
are given by :func:`strays`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Snapshot

__all__ = ["Tree"]


class Tree:
    """A snapshot's units by parent and people by unit, in file order."""

    def __init__(self, snap: Snapshot) -> None:
        self.members: dict[str, list[str]] = {}
        for p in snap.people.values():
            self.members.setdefault(p.unit, []).append(p.id)
        self.children: dict[str | None, list[str]] = {}
        for u in snap.units.values():
            parent = u.parent if u.parent in snap.units else None
            self.children.setdefault(parent, []).append(u.id)
        self.reached: set[str] = set()

    def walk(self) -> Iterator[tuple[str, int, bool]]:
        """``(uid, depth, opening)`` depth first; roots are at depth 0."""
        stack = [(uid, 0, True) for uid in reversed(self.children.get(None, []))]
        while stack:
            uid, depth, opening = stack.pop()
            if not opening:
                yield uid, depth, False
                continue
            if uid in self.reached:
                continue
            self.reached.add(uid)
            yield uid, depth, True
            stack.append((uid, depth, False))
            stack.extend((c, depth + 1, True) for c in reversed(self.children.get(uid, [])))

    def strays(self, snap: Snapshot) -> list[str]:
        """People whose unit the walk did not reach (call after :meth:`walk`)."""
        return [pid for pid, p in snap.people.items() if p.unit not in self.reached]
