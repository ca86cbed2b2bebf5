"""The invariants of a snapshot and of a timeline, one named check each.

Each check is a generator of :class:`Found` (a path and a message). They all
run, and :func:`validate` turns what they found into sorted
:class:`~orgdiff.errors.Problem` values. When a dataset is loaded from files,
:func:`orgdiff.load` places each one at its line and column instead.

Every check is linear in the size of the snapshot (walks up the unit tree are
bounded by its depth).

Checking a timeline is incremental: most people of a snapshot are the very
same objects as in the snapshot before (the loader shares what did not
change), so the checks that cost most (clean texts and ids, reporting cycles,
managers in their branch, sources cited, people registered) look again only at
what changed and at what depends on it (the reports of a person who changed, the
people of a unit whose place in the tree changed). This holds only where the
snapshot before passed the same check; otherwise the check runs in full. The
result is the same as checking every snapshot in full (a property test compares
both on generated timelines with faults).

Most checks first look at many values at once, in C loops over distinct values
(``_all_ids``, ``_all_clean``, ``_no_cycle``...), which can only say that
nothing is wrong; when they cannot, the check looks at each value in turn and
words every problem found. Either way a check finds exactly the same problems.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import TypeAlias
from urllib.parse import urlsplit

from attrs import frozen

from .errors import Problem
from .model import Identity, Person, Snapshot, Source, Timeline
from .suggest import did_you_mean
from .yamlread import PathKey, format_path

__all__ = ["ID_PATTERN", "Found", "check_snapshot", "check_timeline", "validate"]

#: Ids are lowercase kebab-case: ``fair``, ``yann-lecun``, ``msl-infra``, ``wang-memo-2025-08``.
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Every character that _bad_text looks at one by one: controls (category Cc,
# which includes the line breaks), the line and paragraph separators and the
# bidirectional controls.
# bidirectional controls, surrogates and noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF).
_SUSPECT = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
    + "]"
)


@frozen
class Found:
    """A problem found by a check, before it is placed in a file."""

    path: PathKey
    message: str
    date: dt.date | None = None  # the snapshot's date; None for dataset.yaml
    at_key: bool = False

    @property
    def path_text(self) -> str:
        return format_path(self.path)


Check: TypeAlias = Callable[[Snapshot], Iterator[Found]]


def _bad_id(entity_id: str) -> str | None:
    if ID_PATTERN.fullmatch(entity_id):
        return None
    return f"`{entity_id}` is not a valid id; ids are lowercase kebab-case, such as `ai-products`"


def _noncharacter(ch: str) -> bool:
    """U+FFFE, U+FFFF (in every plane) and U+FDD0..U+FDEF: no text may hold them."""
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _bad_text(value: str, what: str, *, lines: bool = False) -> str | None:
    """Why ``value`` cannot be written and read back as text, or ``None``.

    With ``lines``, plain line breaks are allowed (notes, descriptions).
    """
    if not value:  # the reader refuses an empty value too: dump(s) would not load
        return f"{what} is empty"
    if value.isprintable() or _SUSPECT.search(value) is None:
        # The usual case: no character to look at closely (a printable text has
        # none of the characters _SUSPECT matches; isprintable is the quicker).
        return f"{what} has leading or trailing spaces" if value != value.strip() else None
    for ch in value:
        if ch == "\n" and lines:
            continue
        if ch in "\n\r\u2028\u2029\x85":
            return (
                f"{what} must be one line"
                if not lines
                else f"{what} contains a line break other than a newline"
            )
        if unicodedata.category(ch) in ("Cc", "Cs") or _noncharacter(ch):
            return f"{what} contains a control character or noncharacter (U+{ord(ch):04X})"
        if ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
            return f"{what} contains a bidirectional control character (U+{ord(ch):04X})"
    if value != value.strip():
        return f"{what} has leading or trailing spaces"
    return None


def _bad_note(note: str | None) -> str | None:
    return None if note is None else _bad_text(note, "a note", lines=True)


# Checking many values at once. Each ``_all_*`` function is a fast check that
# says True only when the one-by-one check finds nothing in any of the values;
# when it says False, the caller runs the one-by-one check, which finds and
# words every problem. Its loops are in C (``map``), over distinct values.

_TITLE = operator.attrgetter("title")
_NOTE = operator.attrgetter("note")
_NAME = operator.attrgetter("name")
_UNIT = operator.attrgetter("unit")
_REPORTS_TO = operator.attrgetter("reports_to")
_ALIASES = operator.attrgetter("aliases")
_SOURCES = operator.attrgetter("sources")


def _all_ids(values: Iterable[str]) -> bool:
    """Whether every value is a well-formed id (:func:`_bad_id` finds nothing).

    The ids are joined into one text, one a line, a few thousand at a time (so
    that the texts take little memory), and looked at in a few C passes over
    its bytes: a well-formed id is one or more of ``a-z``, ``0-9`` and ``-``,
    with no ``-`` first, last or twice in a row. So the text holds only those
    bytes and line breaks, one line break fewer than there are ids (none
    inside an id); and with each line break made a ``-`` (an id's ends), no
    ``--`` and no ``-`` first or last."""
    it = iter(values)
    while ids := list(itertools.islice(it, 4096)):
        joined = "\n".join(ids)
        if not joined.isascii():
            return False
        data = joined.encode("ascii")
        if data.translate(None, _ID_BYTES) or data.count(b"\n") != len(ids) - 1:
            return False
        ends = data.translate(_LINE_BREAK_TO_HYPHEN)
        if not ends or b"--" in ends or ends.startswith(b"-") or ends.endswith(b"-"):
            return False
    return True


# The bytes of well-formed ids and the line break between them (_all_ids).
_ID_BYTES = b"abcdefghijklmnopqrstuvwxyz0123456789-\n"
_LINE_BREAK_TO_HYPHEN = bytes.maketrans(b"\n", b"-")


def _all_clean(values: Iterable[str | None]) -> bool:
    """Whether every value but ``None`` is text of one line that :func:`_bad_text`
    finds nothing wrong with. A printable text (``str.isprintable``) holds no
    character that ``_SUSPECT`` matches: no control, separator, format
    character, surrogate or noncharacter; so it is clean if not empty and not
    padded with spaces. (A note with a line break is looked at one by one.)"""
    texts = set(values)
    texts.discard(None)
    return (
        "" not in texts
        and all(map(str.isprintable, texts))  # type: ignore[arg-type]
        and all(map(operator.eq, map(str.strip, texts), texts))  # type: ignore[arg-type]
    )


# --- checks on one snapshot ---------------------------------------------------------


def ids_are_well_formed(snap: Snapshot) -> Iterator[Found]:
    return _ids_are_well_formed(snap, snap.people)


def _ids_are_well_formed(snap: Snapshot, person_ids: Collection[str]) -> Iterator[Found]:
    if _all_ids(snap.units) and _all_ids(person_ids) and _all_ids(r.kind for r in snap.relations):
        return
    for uid in snap.units:
        if (msg := _bad_id(uid)) is not None:
            yield Found(("units", uid), msg, at_key=True)
    for pid in person_ids:
        if (msg := _bad_id(pid)) is not None:
            yield Found(("people", pid), msg, at_key=True)
    for i, rel in enumerate(snap.relations):
        if (msg := _bad_id(rel.kind)) is not None:
            yield Found(("relations", i, "kind"), f"relation kind {msg[msg.index('`') :]}")


def texts_are_clean(snap: Snapshot) -> Iterator[Found]:
    return _texts_are_clean(snap, snap.people)


def _texts_are_clean(snap: Snapshot, people: Mapping[str, Person]) -> Iterator[Found]:
    """The texts of the snapshot, its units and relations, and of ``people``."""
    units, persons = snap.units.values(), people.values()
    if (
        _all_clean((snap.event, snap.note, *(r.note for r in snap.relations)))
        and _all_clean(map(_NAME, units))
        and _all_clean(map(_NOTE, units))
        and _all_clean(map(_TITLE, persons))
        and _all_clean(map(_NOTE, persons))
    ):
        return
    if (msg := _bad_text(snap.event, "the event")) is not None:
        yield Found(("event",), msg)
    for uid, unit in snap.units.items():
        if (msg := _bad_text(unit.name, "a unit name")) is not None:
            yield Found(("units", uid, "name"), msg)
    for pid, person in people.items():
        if person.title is not None and (msg := _bad_text(person.title, "a title")) is not None:
            yield Found(("people", pid, "title"), msg)
    if (msg := _bad_note(snap.note)) is not None:
        yield Found(("note",), msg)
    for uid, unit in snap.units.items():
        if (msg := _bad_note(unit.note)) is not None:
            yield Found(("units", uid, "note"), msg)
    for pid, person in people.items():
        if (msg := _bad_note(person.note)) is not None:
            yield Found(("people", pid, "note"), msg)
    for i, rel in enumerate(snap.relations):
        if (msg := _bad_note(rel.note)) is not None:
            yield Found(("relations", i, "note"), msg)


def one_root(snap: Snapshot) -> Iterator[Found]:
    roots = [uid for uid, unit in snap.units.items() if unit.parent is None]
    if not snap.units:
        yield Found(("units",), "no units; a snapshot has exactly one root unit")
    elif not roots:
        # Every unit has a parent: there is a cycle, reported by no_unit_cycle,
        # unless a parent is missing (reported by unit_parents_exist).
        yield Found(("units",), "no root unit: every unit has a parent")
    for uid in roots[1:]:
        yield Found(
            ("units", uid),
            f"`{uid}` has no parent, but `{roots[0]}` is already the root; give it a `parent`",
            at_key=True,
        )


def unit_parents_exist(snap: Snapshot) -> Iterator[Found]:
    for uid, unit in snap.units.items():
        if unit.parent is not None and unit.parent not in snap.units:
            yield Found(
                ("units", uid, "parent"),
                f"unit `{uid}` has parent `{unit.parent}`, but there is no unit `{unit.parent}`"
                + did_you_mean(unit.parent, snap.units),
            )


def _cycles(
    edges: Mapping[str, str | None], starts: Iterable[str] | None = None
) -> Iterator[list[str]]:
    """Each cycle of a functional graph once, rotated to start at its smallest id.

    With ``starts``, only the cycles that a walk from one of them reaches.
    """
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    for start in edges if starts is None else starts:
        if start in state:
            continue
        walk: list[str] = []
        node: str | None = start
        while node is not None and node in edges and node not in state:
            state[node] = 1
            walk.append(node)
            node = edges[node]
        if node is not None and state.get(node) == 1:
            cycle = walk[walk.index(node) :]
            i = cycle.index(min(cycle))
            yield cycle[i:] + cycle[:i]
        for n in walk:
            state[n] = 2


def _arrow(cycle: list[str]) -> str:
    return " => ".join(f"`{n}`" for n in [*cycle, cycle[0]])


def no_unit_cycle(snap: Snapshot) -> Iterator[Found]:
    parents = {uid: unit.parent for uid, unit in snap.units.items()}
    for cycle in _cycles(parents):
        yield Found(("units", cycle[0], "parent"), f"unit parents form a cycle: {_arrow(cycle)}")


def units_of_people_exist(snap: Snapshot) -> Iterator[Found]:
    if all(map(snap.units.__contains__, set(map(_UNIT, snap.people.values())))):
        return
    for pid, person in snap.people.items():
        if person.unit not in snap.units:
            yield Found(
                ("people", pid, "unit"),
                f"person `{pid}` is in unit `{person.unit}`, but there is no unit `{person.unit}`"
                + did_you_mean(person.unit, snap.units),
            )


def managers_exist(snap: Snapshot) -> Iterator[Found]:
    bosses = set(map(_REPORTS_TO, snap.people.values()))
    bosses.discard(None)
    if all(map(snap.people.__contains__, bosses)):
        return
    day = snap.date.isoformat()
    for pid, person in snap.people.items():
        boss = person.reports_to
        if boss is not None and boss not in snap.people:
            yield Found(
                ("people", pid, "reports_to"),
                f"person `{pid}` reports to `{boss}`, but `{boss}` is not in the snapshot of {day}"
                + did_you_mean(boss, snap.people),
            )


def no_reporting_cycle(snap: Snapshot) -> Iterator[Found]:
    people = snap.people
    if _no_cycle(people, list(map(_REPORTS_TO, people.values()))):
        return iter(())
    return _reporting_cycles({pid: person.reports_to for pid, person in people.items()})


def _no_cycle(nodes: Mapping[str, object], targets: list[str | None]) -> bool:
    """True only if the functional graph of ``nodes`` (in order) to ``targets``
    has no cycle, found in C loops. A node that no node points to (a leaf: a
    person nobody reports to) is on no cycle; taking the leaves away leaves new
    leaves, and every node goes so if and only if no walk loops. In an org
    most people are leaves, so each round is a fraction of the one before;
    when a round takes away less than a quarter of what is left (a cycle,
    or a long chain), False, and :func:`_cycles` looks closer."""
    order = list(nodes)
    while order:
        pointed = set(targets)
        kept = list(map(pointed.__contains__, order))
        left = kept.count(True)
        if left * 4 > len(order) * 3:
            return False
        order = list(itertools.compress(order, kept))
        targets = list(itertools.compress(targets, kept))
    return True


def _reporting_cycles(
    bosses: Mapping[str, str | None], starts: Iterable[str] | None = None
) -> Iterator[Found]:
    for cycle in _cycles(bosses, starts):
        if len(cycle) == 1:
            message = f"`{cycle[0]}` reports to themselves"
        else:
            message = f"reporting lines form a cycle: {_arrow(cycle)}"
        yield Found(("people", cycle[0], "reports_to"), message)


def _in_branch(snap: Snapshot, unit: str, top: str) -> bool:
    """Is ``top`` the unit ``unit`` or one of its ancestors?"""
    seen = 0
    node: str | None = unit
    while node is not None:
        if node == top:
            return True
        seen += 1
        if seen > len(snap.units):  # a cycle; reported elsewhere
            return True
        current = snap.units.get(node)
        if current is None:  # a missing parent, reported elsewhere: do not guess
            return True
        node = current.parent
    return False


def managers_in_branch(snap: Snapshot) -> Iterator[Found]:
    # Only people whose manager is in another unit can be out of the branch
    # (the same unit is in it): most people are not, and C loops leave them out.
    people = snap.people
    persons = people.values()
    bosses = map(people.get, map(_REPORTS_TO, persons), itertools.repeat(_NOBODY))
    elsewhere = map(operator.ne, map(_UNIT, persons), map(_UNIT, bosses))
    return _managers_in_branch(snap, itertools.compress(people.items(), elsewhere))


# Stands for a manager not in the snapshot: in no unit.
_NOBODY = Person(id="", unit=None)  # type: ignore[arg-type]


def _managers_in_branch(snap: Snapshot, people: Iterable[tuple[str, Person]]) -> Iterator[Found]:
    get, units = snap.people.get, snap.units
    known: dict[tuple[str, str], bool] = {}  # (unit, boss's unit) -> in branch
    for pid, person in people:
        boss = get(person.reports_to) if person.reports_to is not None else None
        if boss is None or person.unit == boss.unit:  # the same unit is in the branch
            continue
        if person.unit not in units or boss.unit not in units:
            continue
        pair = (person.unit, boss.unit)
        ok = known.get(pair)
        if ok is None:
            ok = known[pair] = _in_branch(snap, person.unit, boss.unit)
        if not ok:
            yield Found(
                ("people", pid, "reports_to"),
                f"person `{pid}` in `{person.unit}` reports to `{boss.id}` in `{boss.unit}`, "
                f"which is neither `{person.unit}` nor above it",
            )


def leads_in_branch(snap: Snapshot) -> Iterator[Found]:
    """Each lead of a unit (co-leads too) is a person of the snapshot, listed
    once, whose unit is that unit or above it."""
    day = snap.date.isoformat()
    for uid, unit in snap.units.items():
        leads = unit.leads
        if not leads:
            continue
        several = len(leads) > 1
        seen: dict[str, int] = {}
        for i, pid in enumerate(leads):
            path: PathKey = ("units", uid, "lead", i) if several else ("units", uid, "lead")
            if pid in seen:
                yield Found(path, f"`{pid}` is listed twice as a lead (first at [{seen[pid]}])")
                continue
            seen[pid] = i
            lead = snap.people.get(pid)
            if lead is None:
                yield Found(
                    path,
                    f"unit `{uid}` is led by `{pid}`, but `{pid}` is not in the snapshot of {day}"
                    + did_you_mean(pid, snap.people),
                )
            elif lead.unit in snap.units and not _in_branch(snap, uid, lead.unit):
                yield Found(
                    path,
                    f"unit `{uid}` is led by `{lead.id}`, whose unit `{lead.unit}` is neither "
                    f"`{uid}` nor above it",
                )


def relations_connect(snap: Snapshot) -> Iterator[Found]:
    for i, rel in enumerate(snap.relations):
        for end, value in (("from", rel.from_), ("to", rel.to)):
            if value not in snap.units and value not in snap.people:
                yield Found(
                    ("relations", i, end),
                    f"relation `{rel.kind}` {end} `{value}`: no unit or person `{value}`"
                    + did_you_mean(value, [*snap.units, *snap.people]),
                )
        if rel.from_ == rel.to:
            yield Found(("relations", i), f"relation `{rel.kind}` joins `{rel.to}` to itself")


SNAPSHOT_CHECKS: tuple[Check, ...] = (
    ids_are_well_formed,
    texts_are_clean,
    one_root,
    unit_parents_exist,
    no_unit_cycle,
    units_of_people_exist,
    managers_exist,
    no_reporting_cycle,
    managers_in_branch,
    leads_in_branch,
    relations_connect,
)


# --- checks that need the dataset around a snapshot ------------------------------------


def _cited(
    snap: Snapshot, people: Mapping[str, Person] | None = None
) -> Iterator[tuple[PathKey, str]]:
    """Every source key ``snap`` cites, where; of ``people`` only, if given."""
    for i, key in enumerate(snap.sources):
        yield ("sources", i), key
    for uid, unit in snap.units.items():
        for i, key in enumerate(unit.sources):
            yield ("units", uid, "sources", i), key
    for pid, person in (snap.people if people is None else people).items():
        for i, key in enumerate(person.sources):
            yield ("people", pid, "sources", i), key
    for r, rel in enumerate(snap.relations):
        for i, key in enumerate(rel.sources):
            yield ("relations", r, "sources", i), key


def sources_exist(
    snap: Snapshot, sources: Mapping[str, Source], people: Mapping[str, Person] | None = None
) -> Iterator[Found]:
    persons = (snap.people if people is None else people).values()
    cited = itertools.chain(
        snap.sources,
        *map(_SOURCES, snap.units.values()),
        *map(_SOURCES, snap.relations),
        itertools.chain.from_iterable(map(_SOURCES, persons)),
    )
    if all(map(sources.__contains__, set(cited))):
        return
    for path, key in _cited(snap, people):
        if key not in sources:
            yield Found(
                path,
                f"source `{key}` is not in dataset.yaml" + did_you_mean(key, sources),
            )


def people_registered(
    snap: Snapshot, registry: Mapping[str, Identity], person_ids: Collection[str] | None = None
) -> Iterator[Found]:
    pids = snap.people if person_ids is None else person_ids
    if all(map(registry.__contains__, pids)):
        return
    for pid in pids:
        if pid not in registry:
            yield Found(
                ("people", pid),
                f"person `{pid}` is not in the people of dataset.yaml"
                + did_you_mean(pid, registry),
                at_key=True,
            )


def lineage_exists(snap: Snapshot, previous: Snapshot | None) -> Iterator[Found]:
    for uid, unit in snap.units.items():
        for i, origin in enumerate(unit.from_):
            if previous is None:
                yield Found(
                    ("units", uid, "from", i),
                    f"unit `{uid}` comes from `{origin}`, but this is the first snapshot",
                )
            elif origin not in previous.units:
                yield Found(
                    ("units", uid, "from", i),
                    f"unit `{uid}` comes from `{origin}`, but there is no unit `{origin}` in the "
                    f"snapshot of {previous.date.isoformat()}"
                    + did_you_mean(origin, previous.units),
                )


# --- checking a snapshot again, after the one before -----------------------------------


class _ReportsTo(Mapping[str, "str | None"]):
    """``person id -> reports_to`` over a snapshot's people, without a copy."""

    def __init__(self, people: Mapping[str, Person]) -> None:
        self._people = people

    def __getitem__(self, pid: str) -> str | None:
        return self._people[pid].reports_to

    def __contains__(self, pid: object) -> bool:
        return pid in self._people

    def __iter__(self) -> Iterator[str]:
        return iter(self._people)

    def __len__(self) -> int:
        return len(self._people)


class _Since:
    """What is new in ``snap`` since ``before``, a snapshot already checked.

    ``people``: the people who are not the same object as in ``before`` (new,
    or changed), in file order. An entity that is the same object has the same
    fields, so whatever a check found of it alone still holds.
    """

    def __init__(self, before: Snapshot, snap: Snapshot) -> None:
        self.before = before
        self.snap = snap
        old, now = before.people, snap.people
        changed = map(operator.is_not, map(old.get, now), now.values())
        self.people = dict(itertools.compress(now.items(), changed))
        self.new_people = [pid for pid in self.people if pid not in old]
        self.units_added = snap.units.keys() - before.units.keys()

    def moved_units(self) -> set[str]:
        """The units whose chain of ancestors is not the one they had before:
        new units, and every unit at or below a unit whose parent changed (or
        whose parent came or went)."""
        now, old = self.snap.units, self.before.units
        stable: dict[str, bool] = {}
        for start in now:
            walk: list[str] = []
            on_walk: set[str] = set()
            node: str | None = start
            result = True
            while node is not None:
                known = stable.get(node)
                if known is not None:
                    result = known
                    break
                if node in on_walk:  # a cycle of units that all kept their parent
                    break
                walk.append(node)
                on_walk.add(node)
                unit, was = now[node], old.get(node)
                parent = unit.parent
                if (
                    was is None
                    or was.parent != parent
                    or (parent is not None and (parent in now) != (parent in old))
                ):
                    result = False
                    break
                node = parent if parent is not None and parent in now else None
            for n in walk:
                stable[n] = result
        return {uid for uid, ok in stable.items() if not ok}


def _ids_since(snap: Snapshot, since: _Since) -> Iterator[Found]:
    return _ids_are_well_formed(snap, since.new_people)


def _texts_since(snap: Snapshot, since: _Since) -> Iterator[Found]:
    return _texts_are_clean(snap, since.people)


def _reporting_cycles_since(snap: Snapshot, since: _Since) -> Iterator[Found]:
    # A cycle made only of people who did not change was there before; so
    # every new cycle goes through a person who changed.
    return _reporting_cycles(_ReportsTo(snap.people), since.people)


def _managers_in_branch_since(snap: Snapshot, since: _Since) -> Iterator[Found]:
    """:func:`managers_in_branch` of the people whose check may differ from
    the snapshot before's: those who changed; the reports of a person who is
    new or changed unit (a report's check reads the manager's unit only); and
    the people of a unit whose chain of ancestors changed (``moved_units``:
    the check walks up from the person's unit only, and a unit below a moved
    one moved too), and the reports of the people of a unit that came (who
    may not have changed: their unit was missing before). Found in at most two
    C loops over everyone."""
    changed = since.people
    old = since.before.people
    moved = since.moved_units()
    people = snap.people
    # Who changed unit, or came: their reports are looked at again.
    unit_changed = {
        pid
        for pid, person in changed.items()
        if (was := old.get(pid)) is None or was.unit != person.unit
    }
    # And who is in a unit that came: unchanged, such a person may have been in
    # a unit missing before (a problem of that snapshot), whose reports were
    # then not checked against a branch.
    if added := since.units_added:
        unit_changed.update(
            itertools.compress(people, map(added.__contains__, map(_UNIT, people.values())))
        )
    again = dict.fromkeys(changed)
    if unit_changed or moved:
        persons = people.values()
        again.update(
            dict.fromkeys(
                itertools.compress(
                    people,
                    map(
                        operator.or_,
                        map(unit_changed.__contains__, map(_REPORTS_TO, persons)),
                        map(moved.__contains__, map(_UNIT, persons)),
                    ),
                )
            )
        )
    return _managers_in_branch(snap, zip(again, map(people.__getitem__, again), strict=True))


# Each check that can look at what changed only, by the name of the full check.
_AGAIN: dict[str, Callable[[Snapshot, _Since], Iterator[Found]]] = {
    "ids_are_well_formed": _ids_since,
    "texts_are_clean": _texts_since,
    "no_reporting_cycle": _reporting_cycles_since,
    "managers_in_branch": _managers_in_branch_since,
}


def check_snapshot(
    snap: Snapshot,
    *,
    sources: Mapping[str, Source] | None = None,
    registry: Mapping[str, Identity] | None = None,
    previous: Snapshot | None = None,
    first: bool = False,
) -> Iterator[Found]:
    """Every problem of one snapshot. The keyword arguments add the dataset's
    checks: sources cited exist, people are registered, ``from`` names units of
    ``previous`` (with ``first=True``, that the first snapshot has no ``from``)."""
    yield from _check_snapshot(
        snap, sources=sources, registry=registry, previous=previous, first=first
    )


def _check_snapshot(
    snap: Snapshot,
    *,
    sources: Mapping[str, Source] | None,
    registry: Mapping[str, Identity] | None,
    previous: Snapshot | None,
    first: bool,
    since: _Since | None = None,
    clean: frozenset[str] = frozenset(),
    dirty: set[str] | None = None,
) -> Iterator[Found]:
    """:func:`check_snapshot`; with ``since``, the checks named in ``clean``
    (which found nothing in ``since.before``) look only at what changed. The
    names of the checks that find something are added to ``dirty``."""

    def run(name: str, found: Iterator[Found]) -> Iterator[Found]:
        for f in found:
            if dirty is not None:
                dirty.add(name)
            yield f

    for check in SNAPSHOT_CHECKS:
        name = check.__name__
        again = _AGAIN.get(name) if name in clean else None
        if since is not None and again is not None:
            yield from run(name, again(snap, since))
        else:
            yield from run(name, check(snap))
    if sources is not None:
        people = since.people if since is not None and "sources_exist" in clean else None
        yield from run("sources_exist", sources_exist(snap, sources, people))
    if registry is not None:
        pids = since.new_people if since is not None and "people_registered" in clean else None
        yield from run("people_registered", people_registered(snap, registry, pids))
    if previous is not None or first:
        yield from lineage_exists(snap, previous)


_ALL_CHECKS = frozenset(
    [*(c.__name__ for c in SNAPSHOT_CHECKS), "sources_exist", "people_registered"]
)


# --- checks on the dataset itself ------------------------------------------------------


def registry_is_well_formed(tl: Timeline) -> Iterator[Found]:
    identities = tl.people.values()
    if (
        _all_ids(tl.people)
        and _all_clean(map(_NAME, identities))
        and _all_clean(itertools.chain.from_iterable(map(_ALIASES, identities)))
    ):
        yield from _registry_is_well_formed(tl, {})
    else:
        yield from _registry_is_well_formed(tl, tl.people)


def _registry_is_well_formed(tl: Timeline, people: Mapping[str, Identity]) -> Iterator[Found]:
    """:func:`registry_is_well_formed`, of ``people`` only among the identities."""
    if (msg := _bad_text(tl.name, "the dataset name")) is not None:
        yield Found(("name",), msg)
    if (
        tl.description is not None
        and (msg := _bad_text(tl.description, "the description", lines=True)) is not None
    ):
        yield Found(("description",), msg)
    for key, source in tl.sources.items():
        if (msg := _bad_id(key)) is not None:
            yield Found(("sources", key), msg, at_key=True)
        if source.url is not None and not _is_web_address(source.url):
            yield Found(
                ("sources", key, "url"),
                f"`{source.url}` is not a web address (http:// or https://)",
            )
        if (msg := _bad_text(source.title, "a title")) is not None:
            yield Found(("sources", key, "title"), msg)
        if (
            source.publisher is not None
            and (msg := _bad_text(source.publisher, "a publisher")) is not None
        ):
            yield Found(("sources", key, "publisher"), msg)
        if (msg := _bad_note(source.note)) is not None:
            yield Found(("sources", key, "note"), msg)
    for pid, identity in people.items():
        if (msg := _bad_id(pid)) is not None:
            yield Found(("people", pid), msg, at_key=True)
        if (msg := _bad_text(identity.name, "a name")) is not None:
            yield Found(("people", pid, "name"), msg)
        for i, alias in enumerate(identity.aliases):
            if (msg := _bad_text(alias, "an alias")) is not None:
                yield Found(("people", pid, "aliases", i), msg)


def _is_web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:  # "https://[example.com": an unclosed IPv6 bracket
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url


def dates_increase(tl: Timeline) -> Iterator[Found]:
    for before, after in zip(tl.snapshots, tl.snapshots[1:], strict=False):
        if after.date <= before.date:
            word = "repeats" if after.date == before.date else "comes before"
            yield Found(
                ("date",),
                f"snapshot date {after.date} {word} the previous snapshot's {before.date}",
                date=after.date,
            )


def check_timeline(
    tl: Timeline,
    *,
    unchecked_lineage: Iterable[dt.date] = (),
    incremental: bool = True,
    checked: int = 0,
) -> Iterator[Found]:
    """Every problem of a timeline: the dataset's own, then each snapshot's.

    ``unchecked_lineage`` names snapshots whose predecessor could not be read, so
    their ``from`` cannot be checked. ``incremental`` (the default) checks a
    snapshot by what changed since the one before, where that one passed the
    check; ``False`` checks every snapshot in full (the result is the same).
    ``checked`` says that the first so many snapshots passed every check already,
    with sources and a registry that this timeline keeps (it may add to them), as
    in a valid dataset that new snapshots extend: they are not checked again.
    """
    skip = set(unchecked_lineage)
    yield from registry_is_well_formed(tl)
    yield from dates_increase(tl)
    previous: Snapshot | None = None
    clean: frozenset[str] = frozenset()
    for i, snap in enumerate(tl.snapshots):
        if i < checked:
            previous, clean = snap, _ALL_CHECKS
            continue
        since = _Since(previous, snap) if incremental and previous is not None else None
        dirty: set[str] = set()
        for found in _check_snapshot(
            snap,
            sources=tl.sources,
            registry=tl.people,
            previous=previous,
            first=(i == 0 and snap.date not in skip),
            since=since,
            clean=clean,
            dirty=dirty,
        ):
            if snap.date in skip and found.path[:1] == ("units",) and found.path[2:3] == ("from",):
                continue
            yield Found(found.path, found.message, snap.date, found.at_key)
        clean = _ALL_CHECKS - dirty
        previous = snap


def validate(obj: Snapshot | Timeline, *, checked: int = 0) -> list[Problem]:
    """Every problem of a snapshot or timeline built in memory, sorted.

    Problems carry ``<snapshot DATE>`` or ``<dataset>`` as their file and no line.
    An empty list means valid. ``checked``: as :func:`check_timeline`'s.
    """
    found: Iterable[Found]
    if isinstance(obj, Timeline):
        found = check_timeline(obj, checked=checked)
    else:
        found = (Found(f.path, f.message, obj.date, f.at_key) for f in check_snapshot(obj))
    out = {
        Problem(
            f"<snapshot {f.date.isoformat()}>" if f.date is not None else "<dataset>",
            0,
            0,
            f.path_text,
            f.message,
        )
        for f in found
    }
    return sorted(out)
