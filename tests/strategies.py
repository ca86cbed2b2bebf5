"""Hypothesis strategies for orgs that are valid by construction.

Every choice that an invariant constrains is drawn from what already satisfies
it: a unit's parent from the units made before it (so the tree has one root and
no cycle), a person's manager from the people made before them whose unit is
the person's unit or above it (so reporting lines form no cycle and stay in
the branch), a unit's leads (none, one, or two or three co-leads) from the
people of its branch. Nothing is generated
and then thrown away, so shrinking stays fast and every example counts.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection, Mapping, Sequence
from typing import TypeVar

import attrs
from hypothesis import strategies as st

from orgdiff import Confidence, Identity, Person, Relation, Snapshot, Source, Timeline, Unit

__all__ = [
    "REORG_OPERATIONS",
    "deep_snapshots",
    "evolving_timelines",
    "identities",
    "ids",
    "registries",
    "reorganisations",
    "reorganised_pairs",
    "snapshots",
    "sources",
    "texts",
    "timelines",
]

T = TypeVar("T")

# Characters no text field may hold: line breaks and the bidirectional
# controls. Control characters (Cc) and surrogates (Cs) are excluded by category.
_LINE_BREAKS = "\n\r\x85\u2028\u2029"
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Noncharacters: no text may hold them (and SVG, being XML, cannot).
_NONCHARACTERS = "".join(map(chr, range(0xFDD0, 0xFDF0))) + "".join(
    chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)
)

# Any character a one-line text may hold inside it, spaces included...
_INNER = st.characters(
    exclude_categories=("Cc", "Cs", "Zl", "Zp"),
    exclude_characters=_LINE_BREAKS + _BIDI + _NONCHARACTERS,
)
# ... and those it may start or end with: no space of any kind.
_EDGE = st.characters(
    exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs"),
    exclude_characters=_LINE_BREAKS + _BIDI + _NONCHARACTERS + "\x1c\x1d\x1e\x1f",
)

# Pieces that have broken YAML writers, Graphviz labels or HTML before.
_TRICKY = (
    "\\N",
    "\\G",
    "\\",
    '"',
    "'",
    "''",
    "<b>bold</b>",
    "<",
    ">",
    "&amp;",
    "{x}",
    "[x]",
    "#",
    " # ",
    ": ",
    "- ",
    "? ",
    "!",
    "%",
    "@",
    "`",
    "*",
    "|",
    ",",
    "~",
    "null",
    "NO",
    "010",
    "1e3",
    "2025-09-01",
    "楊立昆",
    "杨立昆",
    "메타",
    "Éli",
    "\u00a0",
    "\u3000",
    "\u200b",
    "\ufeff",
    "\U0001f600",
    "\ufffd",
)

_PART = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6)
_PIECES = st.lists(
    st.one_of(st.sampled_from(_TRICKY), st.text(alphabet=_INNER, min_size=1, max_size=6)),
    max_size=4,
)
_CONFIDENCES = st.sampled_from(Confidence)
_DATES = st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))
_KINDS = ("dotted-line", "co-lead", "reviews-publications")


@st.composite
def ids(draw: st.DrawFn, *, max_parts: int = 3) -> str:
    """A lowercase kebab-case id: one to ``max_parts`` parts of ``a-z0-9``."""
    return "-".join(draw(st.lists(_PART, min_size=1, max_size=max_parts)))


@st.composite
def texts(draw: st.DrawFn) -> str:
    """One line of arbitrary Unicode that validation accepts.

    CJK, quotes, backslashes, ``<...>``, ``\\N``, YAML indicators and invisible
    characters may all appear; line breaks, control characters, bidirectional
    controls and leading or trailing spaces never do, and it is never empty.
    """
    first = draw(_EDGE)
    middle = draw(_PIECES)
    if not middle:
        return first
    return first + "".join(middle) + draw(_EDGE)


_ID = ids()
_TEXT = texts()
_OPTIONAL_TEXT = st.none() | _TEXT


def _pick(draw: st.DrawFn, items: Sequence[T]) -> T:
    """One of ``items`` (not empty); shrinks towards the first."""
    return items[draw(st.integers(0, len(items) - 1))]


def _maybe_pick(draw: st.DrawFn, items: Sequence[T]) -> T | None:
    """One of ``items``, or ``None``; always ``None`` if there are none."""
    if not items or not draw(st.booleans()):
        return None
    return _pick(draw, items)


def _leads(draw: st.DrawFn, candidates: Sequence[str]) -> tuple[str, ...]:
    """A unit's leads from ``candidates``: none or one mostly, sometimes two or three
    co-leads, in the order drawn."""
    if len(candidates) >= 2 and draw(st.integers(0, 3)) == 0:
        return _some(draw, candidates, max_size=3) or (candidates[0], candidates[1])
    lead = _maybe_pick(draw, candidates)
    return () if lead is None else (lead,)


def _some(draw: st.DrawFn, items: Sequence[T], *, max_size: int = 2) -> tuple[T, ...]:
    """Up to ``max_size`` distinct ``items``, in the order drawn."""
    if not items:
        return ()
    indexes = draw(
        st.lists(st.integers(0, len(items) - 1), unique=True, max_size=min(max_size, len(items)))
    )
    return tuple(items[i] for i in indexes)


def _branch(parents: Mapping[str, str | None], unit: str) -> list[str]:
    """``unit`` and the units above it, nearest first."""
    out: list[str] = []
    node: str | None = unit
    while node is not None:
        out.append(node)
        node = parents[node]
    return out


@st.composite
def snapshots(
    draw: st.DrawFn,
    *,
    min_units: int = 1,
    max_units: int = 6,
    min_people: int = 0,
    max_people: int = 8,
    max_relations: int = 2,
    registry: Collection[str] | None = None,
    sources: Sequence[str] = (),
    date: dt.date | None = None,
    previous: Snapshot | None = None,
) -> Snapshot:
    """A valid snapshot: a unit tree, people with managers in their branch, leads.

    With ``registry``, person ids are drawn from it (at most as many as it
    holds, so ``min_people`` must not exceed its size) and unit ids never
    collide with it; otherwise all ids are fresh and distinct. Source keys are
    drawn from ``sources``. With ``previous``, unit ids may be kept from it and
    ``from`` names its units. The units' order in the mapping is shuffled, so
    nothing may rely on parents coming before their children.
    """
    taken = frozenset(registry or ())
    fresh_unit = _ID.filter(lambda i: i not in taken) if taken else _ID
    old_units = sorted(previous.units) if previous is not None else []
    unit_id = st.sampled_from(old_units) | fresh_unit if old_units else fresh_unit
    unit_ids = draw(st.lists(unit_id, min_size=min_units, max_size=max_units, unique=True))

    if registry is not None:
        pool = sorted(registry)
        count = draw(st.integers(min_people, min(max_people, len(pool))))
        person_ids = list(draw(st.permutations(pool))[:count])
    else:
        units_taken = frozenset(unit_ids)
        person_ids = draw(
            st.lists(
                _ID.filter(lambda i: i not in units_taken),
                min_size=min_people,
                max_size=max_people,
                unique=True,
            )
        )

    # The unit tree: the first unit is the root, every other hangs under an earlier one.
    parents: dict[str, str | None] = {unit_ids[0]: None}
    for i, uid in enumerate(unit_ids[1:], start=1):
        parents[uid] = _pick(draw, unit_ids[:i])

    # People: a manager is someone made earlier whose unit is this one or above it.
    people: dict[str, Person] = {}
    for pid in person_ids:
        unit = _pick(draw, unit_ids)
        branch = set(_branch(parents, unit))
        people[pid] = Person(
            id=pid,
            unit=unit,
            title=draw(_OPTIONAL_TEXT),
            reports_to=_maybe_pick(draw, [p.id for p in people.values() if p.unit in branch]),
            confidence=draw(_CONFIDENCES),
            sources=_some(draw, sources),
            note=draw(_OPTIONAL_TEXT),
        )

    # Leads: anyone whose unit is the unit itself or above it; sometimes co-leads.
    units: dict[str, Unit] = {}
    for uid in draw(st.permutations(unit_ids)):
        branch = set(_branch(parents, uid))
        units[uid] = Unit(
            id=uid,
            name=draw(_TEXT),
            parent=parents[uid],
            leads=_leads(draw, [p.id for p in people.values() if p.unit in branch]),
            from_=_some(draw, old_units),
            confidence=draw(_CONFIDENCES),
            sources=_some(draw, sources),
            note=draw(_OPTIONAL_TEXT),
        )

    ends = [*unit_ids, *person_ids]
    relations: list[Relation] = []
    if len(ends) > 1:
        for _ in range(draw(st.integers(0, max_relations))):
            from_, to = _two(draw, ends)
            relations.append(
                Relation(
                    kind=draw(st.sampled_from(_KINDS) | _ID),
                    from_=from_,
                    to=to,
                    confidence=draw(_CONFIDENCES),
                    sources=_some(draw, sources),
                    note=draw(_OPTIONAL_TEXT),
                )
            )

    return Snapshot(
        date=date if date is not None else draw(_DATES),
        event=draw(_TEXT),
        units=units,
        people=people,
        relations=tuple(relations),
        sources=_some(draw, sources),
        note=draw(_OPTIONAL_TEXT),
    )


def _two(draw: st.DrawFn, items: Sequence[T]) -> tuple[T, T]:
    """Two different ``items`` (there must be two at least)."""
    i = draw(st.integers(0, len(items) - 1))
    j = draw(st.integers(0, len(items) - 2))
    return items[i], items[j if j < i else j + 1]


@st.composite
def identities(draw: st.DrawFn, person_id: str) -> Identity:
    """The registry entry of ``person_id``: a name and up to two aliases."""
    return Identity(
        id=person_id,
        name=draw(_TEXT),
        aliases=tuple(draw(st.lists(_TEXT, max_size=2))),
    )


@st.composite
def sources(draw: st.DrawFn, key: str) -> Source:
    """The source ``key`` with an https address; publisher, date and note may be missing."""
    host = draw(ids(max_parts=2))
    path = "/".join(draw(st.lists(ids(max_parts=2), max_size=3)))
    return Source(
        key=key,
        title=draw(_TEXT),
        publisher=draw(_OPTIONAL_TEXT),
        url=f"https://{host}.example/{path}",
        date=draw(st.none() | _DATES),
        note=draw(_OPTIONAL_TEXT),
    )


@st.composite
def registries(
    draw: st.DrawFn, *, min_people: int = 1, max_people: int = 10
) -> dict[str, Identity]:
    """A people registry: ``min_people`` to ``max_people`` distinct ids, each with its identity."""
    pids = draw(st.lists(_ID, min_size=min_people, max_size=max_people, unique=True))
    return {pid: draw(identities(pid)) for pid in pids}


@st.composite
def timelines(
    draw: st.DrawFn,
    *,
    min_snapshots: int = 1,
    max_snapshots: int = 4,
    max_units: int = 5,
    min_people: int = 0,
    max_people: int = 6,
) -> Timeline:
    """A valid dataset: sources, snapshots at increasing dates, a people registry.

    People come from one pool, so the same person recurs across snapshots;
    units may keep their ids from one snapshot to the next, and ``from``
    names units of the snapshot before. Each snapshot has ``min_people`` to
    ``max_people`` people. The registry holds exactly the people that some
    snapshot uses; every source has an https address.
    """
    pool = draw(registries(min_people=max(1, min_people), max_people=max_people + 2))
    keys = draw(st.lists(_ID, max_size=3, unique=True))
    cited = {key: draw(sources(key)) for key in keys}

    day = draw(st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31)))
    snaps: list[Snapshot] = []
    previous: Snapshot | None = None
    for _ in range(draw(st.integers(min_snapshots, max_snapshots))):
        previous = draw(
            snapshots(
                max_units=max_units,
                min_people=min_people,
                max_people=max_people,
                registry=pool,
                sources=keys,
                date=day,
                previous=previous,
            )
        )
        snaps.append(previous)
        day += dt.timedelta(days=draw(st.integers(1, 800)))

    used = {pid for snap in snaps for pid in snap.people}
    people = {pid: identity for pid, identity in pool.items() if pid in used}
    return Timeline(
        name=draw(_TEXT),
        description=draw(_OPTIONAL_TEXT),
        sources=cited,
        people=people,
        snapshots=tuple(attrs.evolve(snap, identities=people) for snap in snaps),
    )


# Values that break an invariant, for the edits of evolving_timelines().
_BAD_TEXTS = st.sampled_from([" padded", "two\nlines", "bidi \u202e", "bell \x07", "", "\ufdd0"])
_BAD_IDS = st.sampled_from(["Bad_Id", "x--y", "-a", "ü"])
# Each edit by how often it is drawn: moves and manager changes most (they make
# the most work for incremental checks), removals least (they leave little to check).
_EDITS = (
    *("manager",) * 3,
    *("move",) * 2,
    "title",
    "note",
    "hire",
    "leave",
    "cite",
    "same-again",
    *("reparent",) * 4,
    "add-unit",
    "remove-unit",
    "rename",
)


def _edit(
    draw: st.DrawFn,
    units: dict[str, Unit],
    people: dict[str, Person],
    registry: Sequence[str],
    sources: Sequence[str],
) -> None:
    """One edit of ``units`` and ``people``, in place; it may break invariants."""
    edit = draw(st.sampled_from(_EDITS))
    unit_ids = sorted(units)
    person_ids = sorted(people)
    some_unit = st.sampled_from([*unit_ids, "ghost-unit"]) if unit_ids else st.just("ghost-unit")
    manager = st.sampled_from([*person_ids, "ghost"]) if person_ids else st.just("ghost")
    if edit in ("manager", "move", "title", "note", "leave", "cite", "same-again") and people:
        pid = draw(st.sampled_from(person_ids))
        person = people[pid]
        if edit == "manager":
            people[pid] = attrs.evolve(person, reports_to=draw(st.none() | manager | st.just(pid)))
        elif edit == "move":
            people[pid] = attrs.evolve(person, unit=draw(some_unit))
        elif edit == "title":
            people[pid] = attrs.evolve(person, title=draw(st.none() | _TEXT | _BAD_TEXTS))
        elif edit == "note":
            people[pid] = attrs.evolve(person, note=draw(st.none() | _TEXT | _BAD_TEXTS))
        elif edit == "cite":
            keys = st.sampled_from([*sources, "ghost-source"])
            people[pid] = attrs.evolve(person, sources=tuple(draw(st.lists(keys, max_size=2))))
        elif edit == "same-again":  # equal, but not the same object
            people[pid] = attrs.evolve(person)
        else:
            del people[pid]
    elif edit == "hire":
        fresh = [pid for pid in registry if pid not in people]
        pid = draw(st.sampled_from([*fresh, "unregistered"]) | _BAD_IDS)
        people[pid] = Person(
            id=pid, unit=draw(some_unit), reports_to=draw(st.none() | manager | st.just(pid))
        )
    elif edit in ("reparent", "remove-unit", "rename") and units:
        uid = draw(st.sampled_from(unit_ids))
        if edit == "reparent":  # mostly under another unit of the snapshot
            others = st.sampled_from(unit_ids)
            parent = draw(others | others | st.none() | some_unit | st.just(uid))
            units[uid] = attrs.evolve(units[uid], parent=parent)
        elif edit == "rename":
            units[uid] = attrs.evolve(units[uid], name=draw(_TEXT | _BAD_TEXTS))
        else:
            del units[uid]
    elif edit == "add-unit":
        uid = draw(st.sampled_from(["new-unit", "other-unit"]) | _BAD_IDS)
        units[uid] = Unit(id=uid, name=draw(_TEXT), parent=draw(st.none() | some_unit))


@st.composite
def evolving_timelines(draw: st.DrawFn, *, max_snapshots: int = 4, max_edits: int = 5) -> Timeline:
    """A timeline whose every snapshot is the one before with a few edits, as
    curators make them: the units and people they leave alone are the same
    objects as in the snapshot before (as :func:`orgdiff.load` shares them).

    The edits may break any invariant of a snapshot (a manager who is missing,
    in a cycle or outside the branch, a unit that is missing or whose parents
    form a cycle, an unregistered person, a bad id or text, an unknown source);
    the first snapshot may be edited too.
    """
    base = draw(timelines(min_snapshots=1, max_snapshots=1, min_people=3, max_people=8))
    registry = sorted(base.people)
    keys = sorted(base.sources)
    snaps: list[Snapshot] = []
    previous = base.snapshots[0]
    for i in range(draw(st.integers(1, max_snapshots))):
        units, people = dict(previous.units), dict(previous.people)
        for _ in range(draw(st.integers(0 if i == 0 else 1, max_edits))):
            _edit(draw, units, people, registry, keys)
        previous = attrs.evolve(
            previous,
            date=previous.date + dt.timedelta(days=i and draw(st.integers(1, 400))),
            units=units,
            people=people,
        )
        snaps.append(previous)
    return attrs.evolve(base, snapshots=tuple(snaps))


# --- pairs of snapshots for the diff oracle ---------------------------------------------
#
# `snapshots` draws each snapshot on its own, so a pair rarely shares people and
# trees are shallow. `deep_snapshots` builds a spine of up to eight levels;
# `reorganisations` turns one snapshot into a later one by drawing operations,
# each as likely as the others, from one shared registry and source list, so
# moves, manager changes, splits and merges are common.

REORG_OPERATIONS = (
    "rename",
    "move-unit",
    "reroot",
    "new-lead",
    "move-person",
    "retitle",
    "new-manager",
    "hire",
    "leave",
    "split",
    "merge",
    "relate",
    "unrelate",
    "evidence",
    "meta",
)


@st.composite
def deep_snapshots(
    draw: st.DrawFn,
    *,
    registry: Sequence[str],
    sources: Sequence[str],
    max_depth: int = 8,
    max_units: int = 12,
    max_people: int = 10,
    date: dt.date | None = None,
) -> Snapshot:
    """A valid snapshot whose unit tree is one to ``max_depth`` levels deep.

    Units ``0 .. depth-1`` form a chain from the root; the others hang under any
    earlier unit (so the tree may be one level deeper). People come from
    ``registry`` (drawn by :func:`ids`: unit ids, of four parts, never collide
    with it), managers from the people before them in their branch, and every
    entity may cite ``sources``.
    """
    depth = draw(st.integers(1, max_depth))
    # Person ids are drawn by `ids()`: at most three parts; these have four.
    # Besides the spine, a few units more: merges need two units neither above the other.
    count = max(depth, min(max_units, depth + draw(st.integers(2, 5))))
    unit_ids = [f"unit-{i}-of-{draw(_PART)}" for i in range(count)]
    parents: dict[str, str | None] = {unit_ids[0]: None}
    for i, uid in enumerate(unit_ids[1:], start=1):
        parents[uid] = unit_ids[i - 1] if i < depth else _pick(draw, unit_ids[:i])

    pool = list(registry)
    # Two people at least, when there are two: moves and manager changes need people.
    count = draw(st.integers(min(2, len(pool), max_people), min(max_people, len(pool))))
    people: dict[str, Person] = {}
    for pid in draw(st.permutations(pool))[:count]:
        unit = _pick(draw, unit_ids)
        branch = set(_branch(parents, unit))
        people[pid] = Person(
            id=pid,
            unit=unit,
            title=draw(_OPTIONAL_TEXT),
            reports_to=_maybe_pick(draw, [p.id for p in people.values() if p.unit in branch]),
            confidence=draw(_CONFIDENCES),
            sources=_some(draw, sources),
        )
    units: dict[str, Unit] = {}
    for uid in unit_ids:
        branch = set(_branch(parents, uid))
        units[uid] = Unit(
            id=uid,
            name=draw(_TEXT),
            parent=parents[uid],
            lead=_maybe_pick(draw, [p.id for p in people.values() if p.unit in branch]),
            confidence=draw(_CONFIDENCES),
            sources=_some(draw, sources),
        )
    relations: dict[tuple[str, str, str], Relation] = {}
    ends = [*unit_ids, *people]
    if len(ends) > 1:
        for _ in range(draw(st.integers(0, 2))):
            from_, to = _two(draw, ends)
            kind = draw(st.sampled_from(_KINDS))
            relations[(kind, from_, to)] = Relation(
                kind=kind, from_=from_, to=to, sources=_some(draw, sources)
            )
    return Snapshot(
        date=date if date is not None else draw(_DATES),
        event=draw(_TEXT),
        units=units,
        people=people,
        relations=tuple(relations.values()),
        sources=_some(draw, sources),
    )


def _below(units: Mapping[str, Unit], uid: str) -> set[str]:
    """``uid`` and every unit under it."""
    out = {uid}
    grew = True
    while grew:
        grew = False
        for u in units.values():
            if u.parent in out and u.id not in out:
                out.add(u.id)
                grew = True
    return out


@st.composite
def reorganisations(
    draw: st.DrawFn,
    a: Snapshot,
    *,
    registry: Sequence[str],
    sources: Sequence[str],
    max_operations: int = len(REORG_OPERATIONS),
) -> tuple[Snapshot, tuple[str, ...]]:
    """A later snapshot made from ``a`` by up to ``max_operations`` operations of
    :data:`REORG_OPERATIONS`, and the operations that took effect.

    The unit tree stays a tree with one root; people come from ``registry``.
    Reporting lines and leads are not kept in their branch: the diff does not
    need a valid pair, only the oracle does not care.
    """
    units = dict(a.units)
    people = dict(a.people)
    relations = {(r.kind, r.from_, r.to): r for r in a.relations}
    meta: dict[str, object] = {}
    done: list[str] = []

    made = itertools.count(1)

    def fresh() -> str:
        return f"new-unit-{next(made)}-of-{a.date.year}"

    def root() -> str:
        return next(uid for uid, u in units.items() if u.parent is None)

    # Each operation is tried or not, in a drawn order; "tried" comes first, so it
    # is what generation favours (a list drawn from sampled_from favours its
    # first operation instead).
    chosen = [
        op for op in draw(st.permutations(REORG_OPERATIONS)) if draw(st.sampled_from((True, False)))
    ]
    for op in chosen[:max_operations]:
        non_roots = [uid for uid, u in units.items() if u.parent is not None]
        if op == "rename":
            uid = _pick(draw, list(units))
            units[uid] = attrs.evolve(units[uid], name=draw(_TEXT))
        elif op == "move-unit" and non_roots:
            uid = _pick(draw, non_roots)
            below = _below(units, uid)
            targets = [t for t in units if t not in below and t != units[uid].parent]
            if not targets:
                continue
            units[uid] = attrs.evolve(units[uid], parent=_pick(draw, targets))
        elif op == "reroot" and non_roots:
            old, new = root(), _pick(draw, non_roots)
            units[new] = attrs.evolve(units[new], parent=None)
            units[old] = attrs.evolve(units[old], parent=new)
        elif op == "new-lead":
            uid = _pick(draw, list(units))
            units[uid] = attrs.evolve(units[uid], lead=_maybe_pick(draw, list(people)))
        elif op == "move-person" and people:
            pid = _pick(draw, list(people))
            people[pid] = attrs.evolve(people[pid], unit=_pick(draw, list(units)))
        elif op == "retitle" and people:
            pid = _pick(draw, list(people))
            people[pid] = attrs.evolve(people[pid], title=draw(_OPTIONAL_TEXT))
        elif op == "new-manager" and people:
            pid = _pick(draw, list(people))
            others = [p for p in people if p != pid]
            people[pid] = attrs.evolve(people[pid], reports_to=_maybe_pick(draw, others))
        elif op == "hire" and len(people) < len(registry):
            pid = _pick(draw, [p for p in registry if p not in people])
            people[pid] = Person(
                id=pid,
                unit=_pick(draw, list(units)),
                title=draw(_OPTIONAL_TEXT),
                reports_to=_maybe_pick(draw, list(people)),
                sources=_some(draw, sources),
            )
        elif op == "leave" and people:
            del people[_pick(draw, list(people))]
        elif op == "split" and non_roots:
            old = _pick(draw, non_roots)
            parts = [fresh(), fresh()]
            gone = units.pop(old)
            for part in parts:
                units[part] = Unit(
                    id=part,
                    name=draw(_TEXT),
                    parent=gone.parent,
                    from_=(old,),
                    sources=_some(draw, sources),
                )
            _rehome(draw, units, people, {old}, parts)
        elif op == "merge" and len(non_roots) >= 2:
            x = _pick(draw, non_roots)
            apart = [
                y for y in non_roots if y not in _below(units, x) and x not in _below(units, y)
            ]
            if not apart:
                continue
            y = _pick(draw, apart)
            new = fresh()
            units[new] = Unit(
                id=new,
                name=draw(_TEXT),
                parent=units[x].parent,
                from_=(x, y),
                sources=_some(draw, sources),
            )
            del units[x], units[y]
            _rehome(draw, units, people, {x, y}, [new])
        elif op == "relate":
            ends = [*units, *people]
            if len(ends) < 2:
                continue
            from_, to = _two(draw, ends)
            kind = draw(st.sampled_from(_KINDS))
            relations[(kind, from_, to)] = Relation(
                kind=kind, from_=from_, to=to, sources=_some(draw, sources)
            )
        elif op == "unrelate" and relations:
            del relations[_pick(draw, list(relations))]
        elif op == "evidence":
            if people and draw(st.booleans()):
                pid = _pick(draw, list(people))
                people[pid] = attrs.evolve(
                    people[pid], sources=_some(draw, sources), confidence=draw(_CONFIDENCES)
                )
            else:
                uid = _pick(draw, list(units))
                units[uid] = attrs.evolve(
                    units[uid], sources=_some(draw, sources), confidence=draw(_CONFIDENCES)
                )
        elif op == "meta":
            meta[draw(st.sampled_from(("event", "note", "sources")))] = None
        else:
            continue
        done.append(op)

    changes: dict[str, object] = {}
    if "event" in meta:
        changes["event"] = draw(_TEXT)
    if "note" in meta:
        changes["note"] = draw(_OPTIONAL_TEXT)
    if "sources" in meta:
        changes["sources"] = _some(draw, sources)
    # Relations whose ends are gone go with them, as a curator would drop them.
    kept = tuple(r for r in relations.values() if {r.from_, r.to} <= {*units, *people})
    b = attrs.evolve(
        a,
        date=a.date + dt.timedelta(days=draw(st.integers(1, 400))),
        units=units,
        people=people,
        relations=kept,
        **changes,  # type: ignore[arg-type]
    )
    return b, tuple(done)


def _rehome(
    draw: st.DrawFn,
    units: dict[str, Unit],
    people: dict[str, Person],
    gone: Collection[str],
    homes: Sequence[str],
) -> None:
    """Units and people of the ``gone`` units move to one of ``homes`` each."""
    for uid, u in list(units.items()):
        if u.parent in gone:
            units[uid] = attrs.evolve(u, parent=_pick(draw, homes))
    for pid, p in list(people.items()):
        if p.unit in gone:
            people[pid] = attrs.evolve(p, unit=_pick(draw, homes))


@st.composite
def reorganised_pairs(
    draw: st.DrawFn, *, max_depth: int = 8, max_operations: int = len(REORG_OPERATIONS)
) -> tuple[Snapshot, Snapshot, tuple[str, ...]]:
    """Two snapshots that share one person registry and one source list, the later
    made from the earlier by :func:`reorganisations`; and the operations applied."""
    registry = draw(st.lists(_ID, min_size=3, max_size=12, unique=True))
    keys = draw(st.lists(_ID, min_size=1, max_size=3, unique=True))
    a = draw(deep_snapshots(registry=registry, sources=keys, max_depth=max_depth))
    b, done = draw(
        reorganisations(a, registry=registry, sources=keys, max_operations=max_operations)
    )
    return a, b, done
