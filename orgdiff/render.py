"""Graphviz charts of a snapshot or of a diff, as :class:`graphviz.Digraph`.

An org chart reads top-down. Reporting lines rank people (manager above report,
``rankdir=TB``); each unit is a box (a cluster) headed by its leads; a person
whose manager is not known sits at the top of their unit, one rank below its
head. Reports with no reports of their own hang in compact vertical stacks
below their manager (one column, two when long): a spine of tiny junction
points with one short tick to each report, so a chart grows wider with the
number of managers, not of people.

A default chart keeps to a budget of :data:`BUDGET` boxes (units, people and
summaries). Units open breadth-first from the top while the budget allows;
the top unit, when it alone is too big, shows its people level by level down
to the deepest complete level that fits. Whatever is not drawn is folded into
summary boxes ("Research — 412 people in 9 units"), so every person is either
drawn or counted in exactly one summary; the footer says what was folded and
how to see it. ``all=True`` draws everything.

A diff chart is the union of both dates: added in green, removed in red, moved
or changed in amber; lineage edges lead from each removed unit to the units its
remit went to; a legend below says what colours and dashes mean.

Every element carries a stable SVG id (``unit-ID``, ``person-ID``) and classes
(``unit``, ``person``, ``summary``, ``reports-to``, ``part-of``, ``lineage``, ``relation``,
``added``, ``removed``, ``changed``, ``uncertain``); a tooltip gives the facts.

Text fits in real fonts: Graphviz is told ``Verdana``, whose metrics it knows
(the WebAssembly build has them built in; a native ``dot`` asks fontconfig, which
gives Verdana or its stand-in, DejaVu Sans): the widest of the common sans-serif
fonts, so DejaVu, Noto, Liberation, Arial and Helvetica all fit what it reserves.
Boxes are also given an explicit minimum width from :func:`text_width`, a
conservative estimate, with a margin.

DOT is never formatted by hand. Node ids are internal (``u0``, ``p3``); every
string from the data goes into a label through :func:`label`, which escapes
backslashes (so ``\\N`` stays text) and marks the label as not HTML (so
``<b>`` stays text). SVG ids are made of the data's ids through :func:`svg_id`,
which keeps only letters, digits, ``-`` and ``.``. Nothing from the data becomes
a link.
"""

from __future__ import annotations

import itertools
import textwrap
import unicodedata
import warnings
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from .diff import ChangeKind, Diff
from .model import Confidence, Person, Snapshot, Unit

if TYPE_CHECKING:  # graphviz is imported when a chart is drawn, not by `orgdiff --help`
    import graphviz

__all__ = [
    "BUDGET",
    "COLOURS",
    "LargeChartWarning",
    "label",
    "leads",
    "render",
    "svg_id",
    "text_width",
    "wrap",
]

#: Boxes (units, people, summaries) a default chart draws at most.
BUDGET = 150
#: Boxes above which ``all=True`` warns that the chart will be large.
LARGE = 1500
#: Characters per line of a wrapped title or unit name.
WRAP = 26

COLOURS = {
    "added": "#1a7f37",
    "removed": "#cf222e",
    "changed": "#b35900",
    "unit": "#24292f",
    "unit-fill": "#f6f8fa",
    "person": "#57606a",
    "relation": "#8250df",
    "lineage": "#0969da",
    "summary-fill": "#eaeef2",
}
#: The font Graphviz measures and the SVG names (see the module's docstring).
FONT = "Verdana"
SIZE = {"person": 10.0, "unit": 11.0, "title": 14.0, "edge": 9.0}

# Advance widths of DejaVu Sans (em), U+0020 to U+007E, in thousandths.
_DEJAVU = (
    "318 401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 636 636 "
    "636 636 636 636 337 337 838 838 838 531 1000 684 686 698 770 632 575 775 752 295 295 656 "
    "557 863 748 787 603 787 695 635 611 732 684 989 685 611 685 390 337 390 838 500 500 613 "
    "635 550 635 615 352 635 634 278 278 579 278 974 634 612 635 635 411 521 392 634 592 818 "
    "592 592 525 636 337 636 838"
)
_ASCII = {chr(32 + i): int(w) / 1000 for i, w in enumerate(_DEJAVU.split())}
#: Verdana runs up to a few percent wider than DejaVu Sans: estimates carry that margin.
_SAFETY = 1.08


class LargeChartWarning(UserWarning):
    """``all=True`` on an org big enough that the chart will be large and slow."""


def text_width(text: str, size: float) -> float:
    """A width in points that ``text`` at ``size`` points does not exceed in
    DejaVu Sans, Verdana, Noto Sans, Liberation Sans, Arial or Helvetica."""
    em = 0.0
    for ch in text:
        w = _ASCII.get(ch)
        if w is None:
            wide = unicodedata.east_asian_width(ch) in ("W", "F")
            w = 1.0 if wide or unicodedata.category(ch) == "So" else 0.8
            if unicodedata.combining(ch):
                w = 0.0
        em += w
    return em * size * _SAFETY


def wrap(text: str, width: int = WRAP) -> list[str]:
    """``text`` as lines of about ``width`` characters, nothing dropped but spaces."""
    lines = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False)
    return lines or [text]


def leads(unit: Unit) -> tuple[str, ...]:
    """A unit's leads, in order (co-leads: several)."""
    return unit.leads


def _lead_line(names: Sequence[str]) -> str:
    """``lead: A``, or ``leads: A and B`` for co-leads."""
    from .events import join_names

    return f"lead{'s' if len(names) > 1 else ''}: {join_names(names)}"


def svg_id(kind: str, entity: str) -> str:
    """``kind-entity``, with any character but ASCII letters, digits, ``-`` and
    ``.`` written as ``_HEX_``: the same for the same id, different for different ids."""
    safe = "".join(
        ch if (ch.isascii() and (ch.isalnum() or ch in "-.")) else f"_{ord(ch):x}_" for ch in entity
    )
    return f"{kind}-{safe}"


def _xml_safe(ch: str) -> str:
    code = ord(ch)
    if code < 32 or 0x7F <= code < 0xA0 or ch in "\u2028\u2029":
        return " "  # line breaks and control characters
    if 0xD800 <= code <= 0xDFFF or 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
        return "\ufffd"  # surrogates and noncharacters: not allowed in XML, hence in SVG
    return ch


def _plain(text: str) -> str:
    """One line of text that XML (and so SVG) can hold."""
    if text.isascii() and text.isprintable():  # the common case: nothing to replace
        return text
    return "".join(_xml_safe(ch) for ch in text)


def _clean(text: str) -> str:
    """One line of text that XML (and so SVG) can hold; ``&`` escaped, because
    Graphviz reads ``&amp;`` or ``&#65;`` in a label as a character reference."""
    return _plain(text).replace("&", "&amp;")


def label(*lines: str) -> str:
    """A DOT label of one or more lines of plain text, safe for any input."""
    import graphviz

    parts = [graphviz.escape(_clean(line)) for line in lines if line]
    # nohtml: a str subclass that graphviz never reads as an HTML label.
    marked: str = graphviz.nohtml("\\n".join(parts))
    return marked


def _width(lines: Iterable[str], size: float, margin: float = 7.0) -> str:
    """A node's minimum width (inches) to hold ``lines`` with ``margin`` points a side."""
    widest = max((text_width(_plain(line), size) for line in lines), default=0.0)
    return f"{(widest + 2 * margin) / 72:.3f}"


class _Ids:
    """Internal node ids, so no id or name from the data becomes DOT syntax."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], str] = {}
        self.of: dict[str, tuple[str, str]] = {}  # node id -> (kind, entity)

    def __call__(self, kind: str, entity: str) -> str:
        key = (kind, entity)
        found = self._ids.get(key)
        if found is None:
            found = self._ids[key] = f"{kind[0]}{len(self._ids)}"
            self.of[found] = key
        return found

    def get(self, kind: str, entity: str) -> str | None:
        return self._ids.get((kind, entity))


def _lineage_lines(d: Diff) -> list[tuple[str, str, str, Confidence]]:
    """The lineage lines of a diff, as charts draw them: ``(from, to, label,
    confidence)`` from each removed unit to where its remit went ("became",
    "merged into", "split into", "dissolved into") and to each new unit split off
    from a unit that goes on ("split off")."""
    lines: list[tuple[str, str, str, Confidence]] = []
    added = {c.id: c for c in d.changes if c.kind is ChangeKind.UNIT_ADDED}
    for c in d.changes:
        if c.kind is ChangeKind.UNIT_REMOVED:
            into = c.into
            new_only = all(t in added and added[t].from_ == (c.id,) for t in into)
            if len(into) == 1:
                text = "became" if new_only else "merged into"
            else:
                text = "split into" if new_only else "dissolved into"
            lines.extend((c.id, target, text, c.confidence) for target in into)
        elif c.kind is ChangeKind.UNIT_ADDED:
            lines.extend(
                (origin, c.id, "split off", c.confidence)
                for origin in c.from_
                if origin in d.after.units  # split off from a unit that goes on
            )
    return lines


def _ended_reporting_lines(d: Diff) -> list[tuple[str, str]]:
    """``(person, manager)`` for each reporting line of the diff's earlier date that
    the later one no longer has (the person left, or reports to someone else or to
    nobody known), in the earlier snapshot's order."""
    lines: list[tuple[str, str]] = []
    for pid, person in d.before.people.items():
        boss = person.reports_to
        if boss is None:
            continue
        after = d.after.people.get(pid)
        if after is None or after.reports_to != boss:
            lines.append((pid, boss))
    return lines


def _dashed(confidence: Confidence) -> bool:
    return confidence is not Confidence.CONFIRMED


def _name(snaps: Sequence[Snapshot], entity_id: str) -> str:
    for snap in snaps:
        if entity_id in snap.units:
            return snap.units[entity_id].name
        if entity_id in snap.identities:
            return snap.name_of(entity_id)
    return entity_id


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _count(n_people: int, n_units: int) -> str:
    """``412 people in 9 units``; ``1 person``."""
    text = f"{n_people:,} {'person' if n_people == 1 else 'people'}"
    return text + (f" in {_plural(n_units, 'unit')}" if n_units > 1 else "")


def render(
    obj: Snapshot | Diff,
    *,
    focus: str | None = None,
    depth: int | None = None,
    units_only: bool = False,
    title: str | None = None,
    all: bool = False,
    budget: int = BUDGET,
) -> graphviz.Digraph:
    """A chart of a snapshot or a diff.

    ``focus`` draws only that unit's subtree; ``depth`` stops that many levels
    below the top, for units and for people (0: the top unit and its lead's
    direct reports); ``units_only`` leaves people out. ``title`` replaces the
    default title (the date and the event). By default a chart draws at most
    ``budget`` boxes (at least 4) and folds the rest into summaries; ``all=True`` draws
    everything (a :class:`LargeChartWarning` when that is a lot).
    """
    if budget < 4:
        raise ValueError(f"a chart's budget is at least 4 boxes, not {budget}")
    if isinstance(obj, Diff):
        a, b = obj.before, obj.after
        if focus is not None and focus not in a.units and focus not in b.units:
            b.children(focus)  # raises UnknownIdError with a did-you-mean
        text = (
            title
            if title is not None
            else f"{a.date.isoformat()} → {b.date.isoformat()}: {b.event}"
        )
        chart = _Chart(*_union(obj), [b, a], _Status(obj), text)
    elif isinstance(obj, Snapshot):
        if focus is not None:
            obj.children(focus)  # raises UnknownIdError with a did-you-mean
        text = title if title is not None else f"{obj.date.isoformat()}: {obj.event}"
        chart = _Chart(obj.units, obj.people, [obj], _Status(None), text)
    else:
        raise TypeError(f"render() takes a Snapshot or a Diff, not {type(obj).__name__}")
    return chart.draw(
        focus=focus, depth=depth, units_only=units_only, budget=None if all else budget, diff=obj
    )


def _union(d: Diff) -> tuple[dict[str, Unit], dict[str, Person]]:
    """Both dates in one: the later state where there is one, else the earlier one.
    A removed unit hangs under its old parent; a removed old root under the new root."""
    a, b = d.before, d.after
    units: dict[str, Unit] = dict(b.units)
    for uid, unit in a.units.items():
        units.setdefault(uid, unit)
    people: dict[str, Person] = dict(b.people)
    for pid, person in a.people.items():
        people.setdefault(pid, person)
    roots = [u for u, unit in units.items() if unit.parent is None or unit.parent not in units]
    if len(roots) > 1 and b.units:
        new_root = b.root.id
        for r in roots:
            if r != new_root:
                units[r] = attrs.evolve(units[r], parent=new_root)
    return units, people


class _Status:
    """What the diff did to each unit and person: added, removed, changed, or nothing."""

    def __init__(self, d: Diff | None) -> None:
        self.units: dict[str, str] = {}
        self.people: dict[str, str] = {}
        self.renamed: dict[str, str] = {}
        self.moved_from: dict[str, str] = {}  # unit or person id -> the old parent or unit
        self.diff = d
        if d is None:
            return
        for c in d.changes:
            target = self.units if c.kind.value.startswith("unit-") else self.people
            if c.kind in (ChangeKind.UNIT_ADDED, ChangeKind.PERSON_ADDED):
                target[c.id] = "added"
            elif c.kind in (ChangeKind.UNIT_REMOVED, ChangeKind.PERSON_REMOVED):
                target[c.id] = "removed"
            elif c.kind.value.startswith(("unit-", "person-")):
                target.setdefault(c.id, "changed")
            if c.kind is ChangeKind.UNIT_RENAMED and isinstance(c.before, str) and c.before:
                self.renamed[c.id] = c.before
            moved = (ChangeKind.UNIT_MOVED, ChangeKind.PERSON_MOVED)
            if c.kind in moved and isinstance(c.before, str) and c.before:
                self.moved_from[c.id] = c.before


#: Widest a default chart may grow (points, estimated before the layout).
MAX_WIDTH = 3600.0
#: Tallest a default chart may grow (points, estimated before the layout).
MAX_HEIGHT = 3000.0
_BOX = 195.0  # a typical box's width, for that estimate
_BOX_HEIGHT = 48.0  # and height, with the space between ranks
_GAP = 14.0


@attrs.define
class _Item:
    """A box in the chart and where it hangs."""

    node: str  # internal node id
    cluster: str | None  # the unit whose box holds it (None: the top level)
    parent: str | None  # the node it hangs below
    visible: bool  # a drawn line to the parent (else an invisible one)
    edge: dict[str, str] = attrs.field(factory=dict)  # attributes of that line
    head: bool = False  # heads its unit: never stacked


_Stacks = dict[str | None, list[list[_Item]]]
#: The line from a unit to a unit (or summary) below it, in a chart of units.
PART_OF = {"class": "part-of"}


class _Chart:
    def __init__(
        self,
        units: Mapping[str, Unit],
        people: Mapping[str, Person],
        snaps: Sequence[Snapshot],
        status: _Status,
        title: str,
    ) -> None:
        self.units = units
        self.people = people
        self.snaps = snaps
        self.status = status
        self.title = title
        self.ids = _Ids()

    # --- what to draw -----------------------------------------------------------------

    def _tree(self, focus: str | None) -> tuple[list[str], dict[str, list[str]], dict[str, int]]:
        """Tops, children of each unit, and each unit's depth below the top."""
        children: dict[str, list[str]] = {}
        roots: list[str] = []
        for uid, unit in self.units.items():
            if unit.parent is not None and unit.parent in self.units and unit.parent != uid:
                children.setdefault(unit.parent, []).append(uid)
            else:
                roots.append(uid)
        tops = [focus] if focus is not None else roots
        level: dict[str, int] = {}
        queue = deque((t, 0) for t in tops)
        while queue:
            uid, n = queue.popleft()
            if uid in level:
                continue
            level[uid] = n
            queue.extend((c, n + 1) for c in children.get(uid, []))
        kids = {u: [c for c in children.get(u, []) if c in level] for u in level}
        return [t for t in tops if t in level], kids, level

    def _levels(self, level: Mapping[str, int]) -> dict[str, int]:
        """Each person's rank below the top: their manager's plus one; a person
        with no known manager one below the nearest lead of their unit or above."""
        people = {pid: p for pid, p in self.people.items() if p.unit in level}

        def up(pid: str) -> str | None:
            boss = people[pid].reports_to
            if boss is not None and boss in people and boss != pid:
                return boss
            uid: str | None = people[pid].unit
            seen: set[str] = set()
            while uid is not None and uid in level and uid not in seen:
                seen.add(uid)
                for lead in leads(self.units[uid]):
                    if lead in people and lead != pid:
                        return lead
                uid = self.units[uid].parent
            return None

        out: dict[str, int] = {}
        for start in people:
            path: list[str] = []
            on_path: set[str] = set()
            node: str | None = start
            while node is not None and node not in out and node not in on_path:
                path.append(node)
                on_path.add(node)
                node = up(node)
            base = out[node] if node is not None and node in out else -1
            for pid in reversed(path):
                base += 1
                out[pid] = base
        return out

    def _fold(
        self,
        tops: list[str],
        kids: Mapping[str, list[str]],
        level: Mapping[str, int],
        members: Mapping[str, list[str]],
        plevel: Mapping[str, int],
        depth: int | None,
        budget: int | None,
    ) -> tuple[dict[str, int], dict[str, int]]:
        """Units to open (-> how many of their members to draw, a prefix of
        ``members``), and for a top unit opened in part, how many summary boxes
        its child units get (the last one holds the rest when there are more).

        Breadth-first from the top: a unit opens when its box, its people and a
        summary box for each child unit fit what is left of the budget; a unit
        that does not fit stays one summary box in its parent, and so does all
        below it. A top unit too big alone shows its people by whole levels.
        """
        opened: dict[str, int] = {}
        slots: dict[str, int] = {}
        limit = budget if budget is not None else 1 << 62
        used = 0

        def fits_depth(pid: str) -> bool:
            return depth is None or plevel.get(pid, 0) <= depth + 1

        queue = deque(tops)
        while queue:
            uid = queue.popleft()
            top = uid in tops
            if not top and depth is not None and level[uid] > depth:
                continue
            everyone = members.get(uid, [])
            mem = [p for p in everyone if fits_depth(p)]
            children = kids.get(uid, [])
            full = 1 + len(mem) + len(children) + (1 if len(mem) < len(everyone) else 0)
            avail = limit - used + (0 if top else 1)
            if full <= avail:
                opened[uid] = len(mem)
                slots[uid] = len(children)
                used += full - (0 if top else 1)
                queue.extend(children)
            elif top:
                slots[uid] = min(len(children), max(1, avail // 4))
                room = max(1, avail - 2 - slots[uid])
                cut = min(room, len(mem))
                if cut < len(mem):  # whole levels only: the deepest drawn one is all leaves
                    last = plevel.get(mem[cut], 0)
                    while cut > 1 and plevel.get(mem[cut - 1], 0) >= last:
                        cut -= 1
                opened[uid] = cut
                used += 1 + cut + 1 + slots[uid]
                own_slot = children if slots[uid] >= len(children) else children[: slots[uid] - 1]
                queue.extend(own_slot)
        return opened, slots

    def draw(
        self,
        *,
        focus: str | None,
        depth: int | None,
        units_only: bool,
        budget: int | None,
        diff: Snapshot | Diff,
    ) -> graphviz.Digraph:
        import graphviz

        tops, kids, level = self._tree(focus)
        plevel = {} if units_only else self._levels(level)
        order = {pid: n for n, pid in enumerate(self.people)}
        members: dict[str, list[str]] = {}
        if not units_only:
            for pid, person in self.people.items():
                if person.unit in level:
                    members.setdefault(person.unit, []).append(pid)
            for mem in members.values():
                mem.sort(key=lambda p: (plevel.get(p, 0), order[p]))

        # Subtree totals, for the summaries.
        own: dict[str, int] = {}
        for person in self.people.values():
            if person.unit in level:
                own[person.unit] = own.get(person.unit, 0) + 1
        sub_people: dict[str, int] = {}
        sub_units: dict[str, int] = {}
        for uid in sorted(level, key=level.__getitem__, reverse=True):
            sub_people[uid] = own.get(uid, 0) + sum(sub_people[c] for c in kids.get(uid, []))
            sub_units[uid] = 1 + sum(sub_units[c] for c in kids.get(uid, []))

        def plan(budget: int | None) -> tuple[list[_Item], _Stacks, set[str]]:
            opened, slots = self._fold(tops, kids, level, members, plevel, depth, budget)
            self.opened = opened
            self.units_only = units_only
            chosen = {p for u, n in opened.items() for p in members.get(u, [])[:n]}
            drawn_people = dict.fromkeys(sorted(chosen, key=order.__getitem__))  # file order
            self.drawn_people = drawn_people

            # Where each drawn person sits: a lead heads the highest open unit they
            # lead, at or below their own; everyone else their own unit.
            home: dict[str, str] = {}
            for pid in drawn_people:
                home[pid] = self.people[pid].unit
            if not units_only:
                placed: set[str] = set()
                for uid in sorted(opened, key=level.__getitem__):
                    for lead in leads(self.units[uid]):
                        if lead not in drawn_people or lead in placed:
                            continue
                        unit_of = self.people[lead].unit
                        if unit_of == uid or unit_of in self._ancestors(uid, level):
                            home[lead] = uid
                            placed.add(lead)
            self.home = home
            heads: dict[str, list[str]] = {
                uid: [p for p in leads(self.units[uid]) if home.get(p) == uid] for uid in opened
            }
            self.heads = heads

            items: list[_Item] = []
            self.summary_count = 0
            self.summary_people = 0
            self.summary_units = 0

            def head_node(uid: str) -> str:
                if units_only:
                    return self.ids("unit", uid)
                if heads[uid]:
                    return self.ids("person", heads[uid][0])
                return self.ids("anchor", uid)

            if units_only:
                for uid in opened:
                    parent = self.units[uid].parent
                    up = head_node(parent) if parent in opened and uid not in tops else None
                    items.append(_Item(self.ids("unit", uid), None, up, up is not None, PART_OF))
            else:
                for pid in drawn_people:
                    person = self.people[pid]
                    uid = home[pid]
                    boss = person.reports_to
                    is_head = pid in heads[uid]
                    if boss is not None and boss in drawn_people and boss != pid:
                        items.append(
                            _Item(
                                self.ids("person", pid),
                                uid,
                                self.ids("person", boss),
                                True,
                                self._reporting(pid, boss),
                                head=is_head,
                            )
                        )
                        continue
                    if is_head:
                        parent = self.units[uid].parent
                        # co-leads side by side: each one below the parent unit's head
                        up = head_node(parent) if parent in opened and uid not in tops else None
                        items.append(_Item(self.ids("person", pid), uid, up, False, head=True))
                    else:
                        items.append(_Item(self.ids("person", pid), uid, head_node(uid), False))
                # An anchor heads a unit none of whose leads is drawn in it.
                for uid in opened:
                    if not heads[uid]:
                        parent = self.units[uid].parent
                        up = head_node(parent) if parent in opened and uid not in tops else None
                        items.append(_Item(self.ids("anchor", uid), uid, up, False, head=True))

            # Summaries: folded child units, and the members left out of an open unit.
            self.summaries: dict[str, tuple[str, str, list[str]]] = {}  # node -> kind, unit, lines
            for uid in opened:
                folded = [c for c in kids.get(uid, []) if c not in opened]
                room = slots[uid]
                singles = folded if room >= len(folded) else folded[: max(0, room - 1)]
                rest = folded[len(singles) :]
                cluster = None if units_only else uid
                for kid in singles:
                    node = self.ids("summary", kid)
                    count = _count(sub_people[kid], sub_units[kid])
                    lines = [*wrap(self.units[kid].name), f"— {count}"]
                    first = next(iter(leads(self.units[kid])), None)
                    boss = self.people[first].reports_to if first and first in self.people else None
                    # below its lead, when drawn (a lead of a unit above), else the lead's manager
                    above = first if first in drawn_people else boss
                    if not units_only and above is not None and above in drawn_people:
                        tail = self.ids("person", above)
                        items.append(_Item(node, cluster, tail, True, {"class": "reports-to"}))
                    else:
                        items.append(
                            _Item(node, cluster, head_node(uid), units_only, dict(PART_OF))
                        )
                    self.summaries[node] = ("unit", kid, lines)
                    self.summary_people += sub_people[kid]
                    self.summary_units += sub_units[kid]
                if rest:
                    node = self.ids("more-units", uid)
                    n_people = sum(sub_people[k] for k in rest)
                    n_units = sum(sub_units[k] for k in rest)
                    lines = [
                        f"{_plural(len(rest), 'more unit')} under",
                        *wrap(self.units[uid].name),
                        f"— {_count(n_people, n_units)}",
                    ]
                    items.append(_Item(node, cluster, head_node(uid), units_only, dict(PART_OF)))
                    self.summaries[node] = ("more-units", uid, lines)
                    self.summary_people += n_people
                    self.summary_units += n_units
                n_hidden = len(members.get(uid, [])) - opened[uid]
                if n_hidden and not units_only:
                    node = self.ids("more-people", uid)
                    more = f"{n_hidden:,} more {'person' if n_hidden == 1 else 'people'}"
                    lines = [f"… and {more}", *wrap(f"in {self.units[uid].name}")]
                    items.append(_Item(node, uid, head_node(uid), False))
                    self.summaries[node] = ("more-people", uid, lines)
                    self.summary_people += n_hidden
            self.summary_count = len(self.summaries)

            # Units of one box each (a lead alone, or no one), hanging below the same
            # node in the same parent unit, go one under the other: a column of boxes.
            in_box: dict[str | None, int] = {}
            for it in items:
                in_box[it.cluster] = in_box.get(it.cluster, 0) + 1
            columns: dict[tuple[str, str | None], list[_Item]] = {}
            if not units_only:
                for it in items:
                    box = it.cluster
                    if not it.head or it.parent is None or box is None or in_box[box] != 1:
                        continue
                    if any(c in opened for c in kids.get(box, [])):
                        continue
                    columns.setdefault((it.parent, self.units[box].parent), []).append(it)
            self.chains = [group for group in columns.values() if len(group) >= 2]

            # Stacks: leaves hanging below the same node in the same box.
            has_children = {it.parent for it in items if it.parent is not None}
            # Those joined by a line first; those placed there (manager not known) after.
            groups: dict[tuple[str, str | None], list[_Item]] = {}
            # (a unit with a lineage line is not stacked: the line ranks it, see _lineage)
            has_children |= self._lineage_units() if units_only else set()
            for it in items:
                if it.parent is None or it.head or it.node in has_children:
                    continue
                groups.setdefault((it.parent, it.cluster), []).append(it)
            stacks: dict[str | None, list[list[_Item]]] = {}
            stacked: set[str] = set()
            for (_parent, cluster), group in groups.items():
                if len(group) >= 2:
                    group.sort(key=lambda it: not it.visible)
                    stacks.setdefault(cluster, []).append(group)
                    stacked.update(it.node for it in group)
            return items, stacks, stacked

        items, stacks, stacked = plan(budget)
        while budget is not None and budget > 20 and self._too_big(items, stacks, stacked):
            budget = budget * 4 // 5
            self.ids = _Ids()
            items, stacks, stacked = plan(budget)
        opened = self.opened

        footer_lines = self._footer(diff)
        g = graphviz.Digraph("orgchart")
        self.g = g
        g.attr(
            "graph",
            label=label(*wrap(self.title, 80)),  # see _pad
            labelloc="t",
            fontname=FONT,
            fontsize=str(SIZE["title"]),
            rankdir="TB",
            compound="true",
            newrank="true",
            nodesep="0.15",
            ranksep="0.3",
            bgcolor="white",
            pad=f"{self._pad(footer_lines):.3f},0.15",
        )
        g.attr(
            "node",
            fontname=FONT,
            fontsize=str(SIZE["person"]),
            shape="box",
            style="rounded",
            color=COLOURS["person"],
            margin="0.08,0.04",
        )
        g.attr(
            "edge",
            color=COLOURS["person"],
            arrowhead="none",
            penwidth="1.0",
            fontname=FONT,
            fontsize=str(SIZE["edge"]),
        )

        # --- the DOT -----------------------------------------------------------------
        by_cluster: dict[str | None, list[_Item]] = {}
        for it in items:
            by_cluster.setdefault(it.cluster, []).append(it)
        body = g.body

        def indented(prefix: str) -> None:
            body[-1] = prefix + body[-1]

        def write_nodes(cluster: str | None, prefix: str) -> None:
            for it in by_cluster.get(cluster, []):
                kind, entity = self.ids.of[it.node]
                if it.node in self.summaries:
                    self._summary_node(it.node, *self.summaries[it.node])
                elif kind == "unit":
                    self._unit_node(it.node, entity)
                elif kind == "anchor":
                    # as wide as its unit's name: the box then holds its label
                    wide = _width(self._unit_lines(entity), SIZE["unit"], 0.0)
                    g.node(it.node, label="", shape="box", width=wide, height="0.01", style="invis")
                else:
                    label_of = cluster if it.head and cluster is not None else None
                    self._person_node(it.node, entity, label_of)
                indented(prefix)
            for n, group in enumerate(stacks.get(cluster, [])):
                self._stack(group, f"{cluster or 'top'}/{n}", prefix)

        def write_cluster(uid: str, prefix: str) -> None:
            # Clusters are written straight into ``g`` (what graphviz's nested
            # ``subgraph()`` would write): nesting graphs copies every line once per level.
            body.append(f"{prefix}\tsubgraph cluster_{self.ids('unit', uid)} {{\n")
            inner = prefix + "\t"
            self._cluster_attrs(uid)
            indented(inner)
            write_nodes(uid, inner)
            for child in kids.get(uid, []):
                if child in opened:
                    write_cluster(child, inner)
            body.append(f"{inner}}}\n")

        footer = label(*footer_lines) if footer_lines else None
        outer = ""
        if footer is not None:
            body.append("\tsubgraph cluster_footer {\n")
            outer = "\t"
            g.attr(
                label=footer,
                labelloc="b",
                peripheries="0",
                fontsize=str(SIZE["person"]),
                id="footer",
                **{"class": "footer"},
            )
            indented(outer)
        if units_only:
            write_nodes(None, outer)
        else:
            for top in tops:
                if top in opened:
                    write_cluster(top, outer)
        if footer is not None:
            body.append("\t}\n")

        for it in items:
            if it.parent is None or it.node in stacked:
                continue
            if it.visible:
                g.edge(it.parent, it.node, **it.edge)
            else:
                g.edge(it.parent, it.node, style="invis")
        for chain in self.chains:
            for above, below in itertools.pairwise(chain):
                g.edge(above.node, below.node, style="invis", weight="10")
        self._gone_reporting_lines()
        self._relations()
        self._lineage()
        n_boxes = (
            len(items)
            - sum(1 for it in items if it.node.startswith("a"))
            + (0 if units_only else len(opened))
        )
        self.boxes = n_boxes
        if budget is None and n_boxes > LARGE:
            warnings.warn(
                f"drawing all {n_boxes:,} boxes: the chart will be large and the layout slow "
                "(leave out --all for a summary, or use --focus UNIT or --depth N)",
                LargeChartWarning,
                stacklevel=3,
            )
        return g

    # --- pieces -------------------------------------------------------------------------

    def _too_big(self, items: list[_Item], stacks: _Stacks, stacked: set[str]) -> bool:
        """Whether the drawing will likely be wider than :data:`MAX_WIDTH`: each box
        as wide as its children side by side, a stack one or two boxes wide."""
        kids: dict[str, list[str]] = {}
        skip = stacked | {it.node for chain in self.chains for it in chain[1:]}
        for it in items:
            if it.parent is not None and it.node not in skip:
                kids.setdefault(it.parent, []).append(it.node)
        hanging: dict[str, float] = {}
        tall: dict[str, float] = {}
        for groups in stacks.values():
            for group in groups:
                parent = group[0].parent or ""
                wide = _BOX + 40 if len(group) <= 12 else 2 * _BOX + 50
                hanging[parent] = hanging.get(parent, 0.0) + wide + _GAP
                rows = len(group) if len(group) <= 12 else (len(group) + 1) // 2
                tall[parent] = max(tall.get(parent, 0.0), rows * _BOX_HEIGHT)
        order: list[str] = []  # pre-order: reversed, children come before parents
        seen: set[str] = set()
        nodes = {it.node for it in items}
        starts = [it.node for it in items if it.parent is None or it.parent not in nodes]
        for start in starts + [it.node for it in items]:
            todo = [start]
            while todo:
                node = todo.pop()
                if node not in seen:
                    seen.add(node)
                    order.append(node)
                    todo.extend(kids.get(node, []))
        width: dict[str, float] = {}
        height: dict[str, float] = {}
        for node in reversed(order):
            below = sum(width.get(c, _BOX) + _GAP for c in kids.get(node, []))
            width[node] = max(_BOX, below + hanging.get(node, 0.0))
            deeper = max((height.get(c, 0.0) for c in kids.get(node, [])), default=0.0)
            height[node] = _BOX_HEIGHT + max(deeper, tall.get(node, 0.0))
        tops = starts
        total = sum(width[t] for t in tops)
        return total > MAX_WIDTH or max((height[t] for t in tops), default=0.0) > MAX_HEIGHT

    def _ancestors(self, uid: str, level: Mapping[str, int]) -> list[str]:
        out: list[str] = []
        parent = self.units[uid].parent
        while parent is not None and parent in level and parent not in out and parent != uid:
            out.append(parent)
            parent = self.units[parent].parent
        return out

    def _reporting(self, pid: str, boss: str) -> dict[str, str]:
        """Attributes of the line from ``boss`` to ``pid``."""
        person = self.people[pid]
        classes = ["reports-to"]
        style = "solid"
        colour = COLOURS["person"]
        if _dashed(person.confidence):
            classes.append("uncertain")
            style = "dashed"
        d = self.status.diff
        if d is not None:
            before = d.before.people.get(pid)
            if before is None or before.reports_to != boss:
                colour, style = COLOURS["added"], "bold" if style == "solid" else style
                classes.append("added")
        return {"class": " ".join(classes), "style": style, "color": colour}

    def _unit_lines(self, uid: str) -> list[str]:
        unit = self.units[uid]
        lines = wrap(unit.name)
        if uid in self.status.renamed:
            lines += wrap(f"formerly {self.status.renamed[uid]}")
        if uid in self.status.moved_from:
            lines += wrap(f"moved from {_name(self.snaps, self.status.moved_from[uid])}")
        heads = () if self.units_only else self.heads.get(uid, ())
        names = [_name(self.snaps, p) for p in leads(unit) if p not in heads]
        if names:
            lines += wrap(_lead_line(names))
        state = self.status.units.get(uid)
        if state in ("added", "removed"):
            lines.append(f"({state})")
        if _dashed(unit.confidence):
            lines.append(f"[{unit.confidence.value}]")
        return lines

    def _tooltip(self, kind: str, entity: str) -> str:
        fact: Unit | Person
        if kind == "unit":
            fact = unit = self.units[entity]
            lines = [unit.name]
            if unit.parent:
                lines.append(f"part of: {_name(self.snaps, unit.parent)}")
            names = [_name(self.snaps, p) for p in leads(unit)]
            if names:
                lines.append(_lead_line(names))
        else:
            fact = person = self.people[entity]
            lines = [_name(self.snaps, entity)]
            if person.title:
                lines.append(person.title)
            lines.append(f"unit: {_name(self.snaps, person.unit)}")
            boss = person.reports_to
            lines.append(f"manager: {_name(self.snaps, boss) if boss else 'not known'}")
        lines.append(f"confidence: {fact.confidence.value}")
        if fact.sources:
            lines.append(f"sources: {', '.join(fact.sources)}")
        state = (self.status.units if kind == "unit" else self.status.people).get(entity)
        if state:
            lines.append(f"in this diff: {state}")
        return label(*lines)

    def _classes(self, kind: str, state: str | None, confidence: Confidence) -> str:
        out = [kind]
        if state:
            out.append(state)
        if _dashed(confidence):
            out.append("uncertain")
        return " ".join(out)

    def _cluster_attrs(self, uid: str) -> None:
        unit = self.units[uid]
        state = self.status.units.get(uid)
        colour = COLOURS.get(state or "", COLOURS["unit"])
        self.g.attr(
            label=label(*self._unit_lines(uid)),
            style="rounded,dashed" if _dashed(unit.confidence) else "rounded,filled",
            fillcolor=COLOURS["unit-fill"],
            color=colour,
            fontcolor=colour,
            penwidth="2" if state else "1",
            fontsize=str(SIZE["unit"]),
            labelloc="t",
            peripheries="1",
            margin="7",
            id=svg_id("unit", uid),
            tooltip=self._tooltip("unit", uid),
            **{"class": self._classes("unit", state, unit.confidence)},
        )

    def _unit_node(self, node: str, uid: str) -> None:
        unit = self.units[uid]
        state = self.status.units.get(uid)
        colour = COLOURS.get(state or "", COLOURS["unit"])
        lines = self._unit_lines(uid)
        self.g.node(
            node,
            label=label(*lines),
            style=("rounded,dashed" if _dashed(unit.confidence) else "rounded,filled")
            + (",bold" if state else ""),
            fillcolor=COLOURS["unit-fill"],
            color=colour,
            fontcolor=colour,
            fontsize=str(SIZE["unit"]),
            width=_width(lines, SIZE["unit"]),
            id=svg_id("unit", uid),
            tooltip=self._tooltip("unit", uid),
            **{"class": self._classes("unit", state, unit.confidence)},
        )

    def _person_node(self, node: str, pid: str, heads: str | None = None) -> None:
        """A person's box; at least as wide as the name of the unit it ``heads``."""
        person = self.people[pid]
        state = self.status.people.get(pid)
        colour = COLOURS.get(state or "", COLOURS["person"])
        lines = [_name(self.snaps, pid)]
        if person.title:
            lines += wrap(person.title)
        if pid in self.status.moved_from:
            lines += wrap(f"from {_name(self.snaps, self.status.moved_from[pid])}")
        if state in ("added", "removed"):
            lines.append(f"({state})")
        if person.confidence is not Confidence.CONFIRMED:
            lines.append(f"[{person.confidence.value}]")
        self.g.node(
            node,
            label=label(*lines),
            style=("rounded,dashed" if _dashed(person.confidence) else "rounded")
            + (",bold" if state else ""),
            color=colour,
            fontcolor=COLOURS.get(state or "", "#24292f"),
            width=max(
                _width(lines, SIZE["person"]),
                _width(self._unit_lines(heads), SIZE["unit"], 0.0) if heads else "0",
                key=float,
            ),
            id=svg_id("person", pid),
            tooltip=self._tooltip("person", pid),
            **{"class": self._classes("person", state, person.confidence)},
        )

    def _summary_node(self, node: str, kind: str, uid: str, lines: list[str]) -> None:
        state = self.status.units.get(uid) if kind == "unit" else None
        extra: dict[str, str] = {}
        if kind == "unit":
            extra["id"] = svg_id("unit", uid)
            extra["tooltip"] = self._tooltip("unit", uid)
        else:
            extra["id"] = svg_id(kind, uid)
        self.g.node(
            node,
            label=label(*lines),
            style="rounded,filled" + (",bold" if state else ""),
            fillcolor=COLOURS["summary-fill"],
            color=COLOURS.get(state or "", COLOURS["unit"]),
            fontcolor=COLOURS.get(state or "", COLOURS["unit"]),
            width=_width(lines, SIZE["person"]),
            **extra,
            **{
                "class": "summary"
                + (" unit" if kind == "unit" else "")
                + (f" {state}" if state else "")
            },
        )

    def _stack(self, group: list[_Item], key: str, prefix: str) -> None:
        """Leaves hanging in a column (two when long) from a spine of junction points."""
        g = self.g
        parent = group[0].parent
        assert parent is not None
        rows = (len(group) + 1) // 2 if len(group) > 12 else len(group)
        left = group[:rows] if rows < len(group) else []
        right = group[rows:] if left else group
        # The spine is drawn down to the last row with a drawn line.
        drawn_rows = max(
            [r for r, it in enumerate(left) if it.visible]
            + [r for r, it in enumerate(right) if it.visible],
            default=-1,
        )
        # An invisible box around the stack keeps it together in its rows.
        g.body.append(f"{prefix}\tsubgraph cluster_{self.ids('stack', key)} {{\n")
        # (a cluster inherits its parent's attributes: each is set again)
        g.attr(
            peripheries="0",
            label="",
            style="solid",
            tooltip="",
            bgcolor="transparent",
            id=svg_id("stack", self.ids("stack", key)),
            **{"class": "stack"},
        )
        g.body[-1] = prefix + "\t" + g.body[-1]
        prefix += "\t"
        prev = parent
        for r in range(rows):
            line = {} if r <= drawn_rows else {"style": "invis"}
            j = self.ids("junction", f"{key}/{r}")
            g.node(
                j,
                label="",
                shape="point",
                width="0.02",
                height="0.02",
                **{"class": "junction"},
                **line,
            )
            g.body[-1] = prefix + g.body[-1]
            g.edge(prev, j, weight="20", **{"class": "reports-to spine"}, **line)
            g.body[-1] = prefix + g.body[-1]
            pair: list[tuple[str, str, _Item]] = []
            if r < len(left):
                pair.append((left[r].node, j, left[r]))
            if r < len(right):
                pair.append((j, right[r].node, right[r]))
            with g.subgraph() as same:
                same.attr(rank="same")
                for tail, head, it in pair:
                    tick = it.edge if it.visible else {"style": "invis"}
                    same.edge(tail, head, weight="100", minlen="0", **tick)
            g.body[-1] = prefix + g.body[-1]
            prev = j
        g.body.append(f"{prefix}}}\n")

    def _gone_reporting_lines(self) -> None:
        d = self.status.diff
        if d is None:
            return
        drawn = self.drawn_people
        for pid, boss in _ended_reporting_lines(d):
            if pid not in drawn or boss not in drawn:
                continue
            self.g.edge(
                self.ids("person", boss),
                self.ids("person", pid),
                color=COLOURS["removed"],
                style="dashed",
                constraint="false",
                **{"class": "reports-to removed"},
            )

    def _endpoint(self, entity: str) -> tuple[str, dict[str, str]] | None:
        """The node a line to ``entity`` ends at, and the cluster it clips to."""
        if entity in self.units:
            if entity not in self.opened:
                node = self.ids.get("summary", entity)
                return (node, {}) if node is not None else None
            if self.units_only:
                return self.ids("unit", entity), {}
            heads = self.heads.get(entity, [])
            node = self.ids("person", heads[0]) if heads else self.ids("anchor", entity)
            return node, {"cluster": f"cluster_{self.ids('unit', entity)}"}
        if entity in self.drawn_people:
            return self.ids("person", entity), {}
        return None

    def _line(
        self,
        tail: str,
        head: str,
        text: str,
        attrs_: dict[str, str],
        where: str = "label",
        *,
        rank: bool = False,
    ) -> None:
        """A line labelled ``text`` (as a ``label``: room is made for it; or as an
        ``xlabel``: placed after the layout) that ranks nothing unless ``rank``."""
        a = self._endpoint(tail)
        b = self._endpoint(head)
        if a is None or b is None or a[0] == b[0]:
            return
        extra: dict[str, str] = {}
        # A line clips to a unit's box unless its other end is inside that box.
        if "cluster" in a[1] and tail not in self._boxes_around(head):
            extra["ltail"] = a[1]["cluster"]
        if "cluster" in b[1] and head not in self._boxes_around(tail):
            extra["lhead"] = b[1]["cluster"]
        if tail in self._boxes_around(head) and head in self._boxes_around(tail):
            return  # a unit to itself
        self.g.edge(
            a[0],
            b[0],
            constraint="true" if rank else "false",
            arrowhead="vee",
            **{where: label(text)},
            **extra,
            **attrs_,
        )

    def _boxes_around(self, entity: str) -> set[str]:
        """The units whose boxes hold what stands for ``entity`` in a chart with people."""
        if self.units_only:
            return set()
        start = self.home.get(entity) if entity in self.people else entity
        out: set[str] = set()
        while start is not None and start in self.units and start not in out:
            out.add(start)
            start = self.units[start].parent
        return out

    def _relations(self) -> None:
        d = self.status.diff
        current = d.after.relations if d is not None else self.snaps[0].relations
        gone = [r for r in d.before.relations if r not in d.after.relations] if d else []
        for rel, colour in [(r, None) for r in current] + [(r, COLOURS["removed"]) for r in gone]:
            classes = ["relation"]
            if _dashed(rel.confidence):
                classes.append("uncertain")
            if colour is not None:
                classes.append("removed")
            col = colour or COLOURS["relation"]
            text = rel.kind + (f" [{rel.confidence.value}]" if _dashed(rel.confidence) else "")
            self._line(
                rel.from_,
                rel.to,
                text,
                {"style": "dashed", "color": col, "fontcolor": col, "class": " ".join(classes)},
            )

    def _lineage(self) -> None:
        """From each removed unit to where its remit went; to each new unit split off.
        In a chart of units the line ranks its ends (the old unit above the new one,
        the label given room); among people's boxes it only joins them."""
        if self.status.diff is not None:
            for tail, head, text, confidence in _lineage_lines(self.status.diff):
                self._lineage_edge(tail, head, text, confidence)

    def _lineage_units(self) -> set[str]:
        """Node ids of the units a lineage line starts or ends at (units-only charts)."""
        d = self.status.diff
        out: set[str] = set()
        if d is None:
            return out
        for c in d.changes:
            ends = [*c.into, *c.from_]
            if c.kind in (ChangeKind.UNIT_REMOVED, ChangeKind.UNIT_ADDED) and ends:
                for uid in (c.id, *ends):
                    out.add(self.ids("unit", uid))
        return out

    def _lineage_edge(self, tail: str, head: str, text: str, confidence: Confidence) -> None:
        classes = "lineage" + (" uncertain" if _dashed(confidence) else "")
        self._line(
            tail,
            head,
            text,
            {
                "style": "dashed,bold" if _dashed(confidence) else "bold",
                "color": COLOURS["lineage"],
                "fontcolor": COLOURS["lineage"],
                "class": classes,
                "id": svg_id("lineage", f"{tail}\0{head}"),
            },
            "label" if self.units_only else "xlabel",
            rank=self.units_only,
        )

    def _pad(self, footer: list[str]) -> float:
        """Inches of margin: enough that the title and footer, centred, stay on the
        page even where a real font is wider than Graphviz measured (a few percent)."""
        widest = max(
            [text_width(line, SIZE["title"]) for line in wrap(self.title, 80)]
            + [text_width(line, SIZE["person"]) for line in footer]
        )
        return 0.15 + 0.04 * widest / 72

    def _footer(self, obj: Snapshot | Diff) -> list[str]:
        """The legend of a diff and what a default chart folded (plain text: the
        WebAssembly Graphviz has no HTML-like labels)."""
        rows: list[str] = []
        if isinstance(obj, Diff):
            rows.append("Green: added; red: removed; amber: moved, renamed or changed.")
            rows.append("Blue arrows: where a removed unit's remit went.")
            rows.append("Dashed: reported or rumoured, not confirmed.")
        if self.summary_count:
            boxes = _plural(self.summary_count, "grey box").replace("boxs", "boxes")
            held = []
            if self.summary_units:
                held.append(_plural(self.summary_units, "unit"))
            if self.summary_people and not self.units_only:
                held.append(_count(self.summary_people, 1))
            verb = "stands" if self.summary_count == 1 else "stand"
            rows.append(f"To fit, {boxes} {verb} for {' and '.join(held) or 'the rest'}.")
            rows.append("See them with --focus UNIT, --depth N or --all.")
        return rows
