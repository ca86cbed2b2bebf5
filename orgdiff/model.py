"""The typed model: frozen attrs classes for a dataset and its snapshots.

Data goes one way only: a unit stores its ``parent`` and a person their
``reports_to``; children, members and reports are derived (and cached), never
stored, so the two directions cannot drift apart.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

import attrs
from attrs import field, frozen

from . import dates
from .errors import DateError, UnknownIdError
from .suggest import did_you_mean

if TYPE_CHECKING:
    from .diff import Change, Diff, HistoryEntry
    from .stats import SnapshotStats

__all__ = [
    "Confidence",
    "Identity",
    "Person",
    "Relation",
    "Snapshot",
    "Source",
    "Timeline",
    "Unit",
]


class Confidence(enum.StrEnum):
    """How sure the data is of a fact.

    ``confirmed``: an official statement or the text of a memo;
    ``reported``: reputable press; ``rumoured``: anything less.
    """

    CONFIRMED = "confirmed"
    REPORTED = "reported"
    RUMOURED = "rumoured"


@frozen
class Source:
    """A document that facts cite, by its key in ``dataset.yaml``."""

    key: str
    title: str
    publisher: str | None = None
    url: str | None = None
    date: dt.date | None = None
    note: str | None = None


@frozen
class Identity:
    """Who a person is, once for the whole dataset: name and other spellings."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()


class _Unset(enum.Enum):
    UNSET = enum.auto()


@frozen(init=False)
class Unit:
    """A unit of the org at one date. ``from_`` is written ``from`` in YAML.

    ``leads`` are the people who lead the unit, in order (none when not known;
    several for co-leads); YAML writes one lead as ``lead: id`` and several as
    ``lead: [a, b]``. :attr:`lead` is the first of them.

    The constructor takes ``leads`` as a tuple, any iterable of ids, one id or
    ``None``. ``lead=`` is a shorthand that replaces ``leads`` with that one
    person (``None``: no lead), so ``attrs.evolve(unit, lead="x")`` makes
    ``x`` the only lead.
    """

    id: str
    name: str
    parent: str | None = None
    leads: tuple[str, ...] = ()
    from_: tuple[str, ...] = ()
    confidence: Confidence = Confidence.CONFIRMED
    sources: tuple[str, ...] = ()
    note: str | None = None

    def __init__(
        self,
        id: str,
        name: str,
        parent: str | None = None,
        leads: Iterable[str] | str | None = (),
        from_: tuple[str, ...] = (),
        confidence: Confidence = Confidence.CONFIRMED,
        sources: tuple[str, ...] = (),
        note: str | None = None,
        *,
        lead: str | _Unset | None = _Unset.UNSET,
    ) -> None:
        if lead is not _Unset.UNSET:
            leads = () if lead is None else (lead,)
        if leads.__class__ is not tuple:
            leads = () if leads is None else (leads,) if isinstance(leads, str) else tuple(leads)
        self.__attrs_init__(id, name, parent, leads, from_, confidence, sources, note)

    @property
    def lead(self) -> str | None:
        """The first of :attr:`leads`, or ``None`` when no lead is known."""
        return self.leads[0] if self.leads else None


@frozen
class Person:
    """A person's place in the org at one date.

    ``reports_to`` is ``None`` when the manager is not known, never to mean
    "reports to nobody".
    """

    id: str
    unit: str
    title: str | None = None
    reports_to: str | None = None
    confidence: Confidence = Confidence.CONFIRMED
    sources: tuple[str, ...] = ()
    note: str | None = None


@frozen
class Relation:
    """A line that is not a reporting line: a dotted line, a co-lead, a review."""

    kind: str
    from_: str
    to: str
    confidence: Confidence = Confidence.CONFIRMED
    sources: tuple[str, ...] = ()
    note: str | None = None


@frozen
class Snapshot:
    """The whole org as of one date.

    ``identities`` is the dataset's people registry, shared by every snapshot of
    a timeline; it gives names to ids and takes no part in equality.
    """

    date: dt.date
    event: str
    units: Mapping[str, Unit]
    people: Mapping[str, Person] = field(factory=dict)
    relations: tuple[Relation, ...] = ()
    sources: tuple[str, ...] = ()
    note: str | None = None
    identities: Mapping[str, Identity] = field(factory=dict, eq=False, repr=False)

    # Derived indexes, built once on first use.

    @cached_property
    def _children(self) -> dict[str | None, list[str]]:
        out: dict[str | None, list[str]] = {}
        for unit in self.units.values():
            out.setdefault(unit.parent, []).append(unit.id)
        return out

    @cached_property
    def _members(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for person in self.people.values():
            out.setdefault(person.unit, []).append(person.id)
        return out

    @cached_property
    def _reports(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for person in self.people.values():
            if person.reports_to is not None:
                out.setdefault(person.reports_to, []).append(person.id)
        return out

    def _unit(self, unit_id: str) -> Unit:
        try:
            return self.units[unit_id]
        except KeyError:
            raise _unknown("unit", unit_id, self.units, self.date) from None

    def _person(self, person_id: str) -> Person:
        try:
            return self.people[person_id]
        except KeyError:
            raise _unknown("person", person_id, self.people, self.date) from None

    @property
    def root(self) -> Unit:
        """The one unit without a parent (the first, if the data is invalid)."""
        roots = self._children.get(None, [])
        if not roots:
            raise ValueError(f"the snapshot of {self.date} has no root unit")
        return self.units[roots[0]]

    def children(self, unit_id: str) -> tuple[str, ...]:
        """Ids of the units whose parent is ``unit_id``, in file order."""
        self._unit(unit_id)
        return tuple(self._children.get(unit_id, ()))

    def members(self, unit_id: str) -> tuple[str, ...]:
        """Ids of the people whose unit is ``unit_id`` (not of its sub-units)."""
        self._unit(unit_id)
        return tuple(self._members.get(unit_id, ()))

    def ancestors(self, unit_id: str) -> tuple[str, ...]:
        """Ids of the units above ``unit_id``, nearest first, ending at the root."""
        out: list[str] = []
        seen = {unit_id}
        parent = self._unit(unit_id).parent
        while parent is not None and parent not in seen and parent in self.units:
            out.append(parent)
            seen.add(parent)
            parent = self.units[parent].parent
        return tuple(out)

    def descendants(self, unit_id: str) -> tuple[str, ...]:
        """Ids of every unit below ``unit_id``, depth first, in file order."""
        self._unit(unit_id)
        out: list[str] = []
        seen = {unit_id}
        stack = list(reversed(self._children.get(unit_id, ())))
        while stack:
            uid = stack.pop()
            if uid in seen:
                continue
            seen.add(uid)
            out.append(uid)
            stack.extend(reversed(self._children.get(uid, ())))
        return tuple(out)

    def reports(self, person_id: str) -> tuple[str, ...]:
        """Ids of the people whose ``reports_to`` is ``person_id``."""
        self._person(person_id)
        return tuple(self._reports.get(person_id, ()))

    def chain(self, person_id: str) -> tuple[str, ...]:
        """``person_id`` and their managers upwards, as far as they are known."""
        out = [self._person(person_id).id]
        seen = set(out)
        manager = self.people[person_id].reports_to
        while manager is not None and manager not in seen and manager in self.people:
            out.append(manager)
            seen.add(manager)
            manager = self.people[manager].reports_to
        return tuple(out)

    def _repr_svg_(self) -> str:
        """Jupyter shows a snapshot as its chart."""
        from .engine import to_svg

        return to_svg(self)

    def stats(self, *, span_threshold: int = 8) -> SnapshotStats:
        """Headcount, depth, span of control and more: see :mod:`orgdiff.stats`."""
        from .stats import snapshot_stats

        return snapshot_stats(self, span_threshold=span_threshold)

    def to_networkx(self) -> Any:
        """The snapshot as a ``networkx.DiGraph`` (needs networkx): see
        :mod:`orgdiff.formats.networkx`."""
        from .formats.networkx import to_networkx

        return to_networkx(self)

    def name_of(self, entity_id: str) -> str:
        """The display name of a unit or person id (the id itself if unknown)."""
        unit = self.units.get(entity_id)
        if unit is not None:
            return unit.name
        identity = self.identities.get(entity_id)
        return identity.name if identity is not None else entity_id


@frozen
class Timeline:
    """A dataset: its registries and its snapshots in date order."""

    name: str
    snapshots: tuple[Snapshot, ...]
    description: str | None = None
    sources: Mapping[str, Source] = field(factory=dict)
    people: Mapping[str, Identity] = field(factory=dict)

    @cached_property
    def _dates(self) -> list[dt.date]:
        return [s.date for s in self.snapshots]

    def __iter__(self) -> Iterator[Snapshot]:
        return iter(self.snapshots)

    def __len__(self) -> int:
        return len(self.snapshots)

    @property
    def dates(self) -> tuple[dt.date, ...]:
        """The snapshot dates, in order."""
        return tuple(self._dates)

    def at(self, when: str | dt.date) -> Snapshot:
        """The snapshot in effect at the end of the period ``when`` names.

        ``tl.at("2025-09")`` is the latest snapshot dated on or before
        2025-09-30; ``tl.at("latest")`` is the last snapshot and
        ``tl.at("today")`` the one in effect today. A date before the first
        snapshot raises :class:`DateError` naming the first snapshot's date.
        """
        if not self.snapshots:
            raise DateError(f"the dataset `{self.name}` has no snapshots", value=str(when))
        day = dates.resolve(when, latest=self._dates[-1])
        i = bisect.bisect_right(self._dates, day)
        if i == 0:
            first = self._dates[0].isoformat()
            raise DateError(
                f"`{when}` is before the first snapshot of `{self.name}`, {first}",
                value=str(when),
            )
        return self.snapshots[i - 1]

    def between(
        self, since: str | dt.date | None = None, until: str | dt.date | None = None
    ) -> tuple[Snapshot, ...]:
        """The snapshots dated from the start of ``since`` to the end of
        ``until``, bounds included, oldest first.

        ``tl.between("2025-10", "2025-11")`` keeps the snapshots dated
        2025-10-01 to 2025-11-30. ``since`` after ``until`` raises
        :class:`DateError`.
        """
        latest = self._dates[-1] if self._dates else None
        lo, hi = dates.span(since, until, latest=latest)
        return tuple(
            s
            for s in self.snapshots
            if (lo is None or lo <= s.date) and (hi is None or s.date <= hi)
        )

    def _index(self, when: str | dt.date) -> int:
        return self.snapshots.index(self.at(when))

    def diff(self, before: str | dt.date, after: str | dt.date) -> Diff:
        """What changed between the org at ``before`` and at ``after``.

        Dates may be partial (see :meth:`at`). Lineage (``from``/``into``) is
        composed through every snapshot in between; each change cites the
        snapshot where it took effect.
        """
        from .diff import diff

        i, j = self._index(before), self._index(after)
        if i > j:
            return self.diff(after, before).inverse()
        return diff(self.snapshots[i], self.snapshots[j], path=self.snapshots[i : j + 1])

    def log(
        self, since: str | dt.date | None = None, until: str | dt.date | None = None
    ) -> tuple[Diff, ...]:
        """The diff of each snapshot from the one before, newest first.

        Keeps the changes whose snapshot lies in :meth:`between` ``since`` and
        ``until``: ``since`` means the start of its period, ``until`` the end
        (``log(since="2025")`` starts on 2025-01-01). The first snapshot of the
        timeline has no diff of its own.
        """
        from .diff import diff

        index = {s.date: k for k, s in enumerate(self.snapshots)}
        out = [
            diff(self.snapshots[k - 1], self.snapshots[k])
            for k in (index[s.date] for s in self.between(since, until))
            if k > 0
        ]
        return tuple(reversed(out))

    def history(self, entity_id: str) -> tuple[HistoryEntry, ...]:
        """How one unit or person changed, snapshot by snapshot, oldest first.

        An entry is made where the entity first appears, wherever it changes,
        and where it disappears. Raises :class:`UnknownIdError` (with a
        did-you-mean) for an id that is in no snapshot.
        """
        from .diff import HistoryEntry, diff

        def state(s: Snapshot) -> Unit | Person | None:
            return s.units.get(entity_id) or s.people.get(entity_id)

        if not any(state(s) is not None for s in self.snapshots):
            known = {i for s in self.snapshots for i in (*s.units, *s.people)}
            hint = did_you_mean(entity_id, sorted(known))
            raise UnknownIdError(
                f"no unit or person `{entity_id}` in any snapshot of `{self.name}`{hint}",
                id=entity_id,
            )
        out: list[HistoryEntry] = []
        previous: Snapshot | None = None
        for snap in self.snapshots:
            now = state(snap)
            before = state(previous) if previous is not None else None
            if previous is None or now != before:
                if previous is None or (before is None and now is None):
                    changes: tuple[Change, ...] = ()
                else:
                    changes = tuple(c for c in diff(previous, snap).changes if c.id == entity_id)
                if now is not None or before is not None:
                    sources = now.sources if now is not None and now.sources else snap.sources
                    if before is None:
                        kind = "appeared"
                    elif now is None:
                        kind = "removed"
                    else:
                        kind = "changed" if changes else "evidence"
                    out.append(HistoryEntry(snap.date, snap.event, now, changes, sources, kind))
            previous = snap
        return tuple(out)


def _unknown(
    kind: str, entity_id: str, known: Mapping[str, object], date: dt.date
) -> UnknownIdError:
    hint = did_you_mean(entity_id, known)
    message = f"no {kind} `{entity_id}` in the snapshot of {date.isoformat()}{hint}"
    return UnknownIdError(message, id=entity_id)


def _plain(cls: type) -> bool:
    """Whether ``cls(*values)`` only stores ``values``: no validators, converters
    or post-init hook, so setting the slots directly builds the same object."""
    fields = attrs.fields(cls)
    return (
        "__slots__" in cls.__dict__
        and not hasattr(cls, "__attrs_post_init__")
        and all(f.validator is None and f.converter is None and f.init for f in fields)
        and all(isinstance(cls.__dict__.get(f.name), types.MemberDescriptorType) for f in fields)
    )


def _slot_constructor(cls: type) -> Callable[..., Any]:
    """A function of the field values, in field order, that makes a ``cls``
    instance by setting its slots directly (three times faster than attrs'
    frozen ``__init__``). The values are stored as they are: a :class:`Unit`'s
    ``leads`` must already be a tuple. The loader and the cache build with it."""
    if not _plain(cls):  # pragma: no cover - the models are plain today
        return cls
    names = [f.name for f in attrs.fields(cls)]
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    lines = [f"def build({', '.join(f'a{i}' for i in range(len(names)))}):", "    o = _new(_cls)"]
    for i, name in enumerate(names):
        scope[f"_s{i}"] = cls.__dict__[name].__set__
        lines.append(f"    _s{i}(o, a{i})")
    lines.append("    return o")
    exec("\n".join(lines), scope)  # generated from the class's own fields
    build: Callable[..., Any] = scope["build"]
    return build
