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
from collections.abc import Collection, Mapping, Sequence
from typing import TypeVar

import attrs
from hypothesis import strategies as st

from orgdiff import Confidence, Identity, Person, Relation, Snapshot, Source, Timeline, Unit

__all__ = [
    "identities",
    "ids",
    "registries",
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
