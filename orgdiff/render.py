"""Graphviz charts of a snapshot or of a diff, as :class:`graphviz.Digraph`.

A snapshot chart nests units as boxes (name and lead), with their people inside
and reporting lines between people; ``reported`` and ``rumoured`` facts are
dashed; relations that are not reporting lines are dashed and never constrain
the layout. A diff chart is the union of both dates: added in green, removed in
red, moved or changed in amber, with a legend.

DOT is never formatted by hand. Node ids are internal (``u0``, ``p3``); every
string from the data goes into a label through :func:`label`, which escapes
backslashes (so ``\\N`` stays text) and marks the label as not HTML (so
``<b>`` stays text). Nothing from the data becomes a link or another attribute.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from .diff import ChangeKind, Diff
from .events import join_names
from .model import Confidence, Person, Snapshot, Unit

if TYPE_CHECKING:  # graphviz is imported when a chart is drawn, not by `orgdiff --help`
    import graphviz

__all__ = ["COLOURS", "label", "render"]

COLOURS = {
    "added": "#1a7f37",
    "removed": "#cf222e",
    "changed": "#b35900",
    "unit": "#24292f",
    "unit-fill": "#f6f8fa",
    "person": "#57606a",
    "relation": "#8250df",
}
FONT = "Helvetica,Arial,Noto Sans,Noto Sans CJK SC,sans-serif"


def _xml_safe(ch: str) -> str:
    code = ord(ch)
    if code < 32 or 0x7F <= code < 0xA0 or ch in "\u2028\u2029":
        return " "  # line breaks and control characters
    if 0xD800 <= code <= 0xDFFF or 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
        return "\ufffd"  # surrogates and noncharacters: not allowed in XML, hence in SVG
    return ch


def _clean(text: str) -> str:
    """One line of text that XML (and so SVG) can hold; ``&`` escaped, because
    Graphviz reads ``&amp;`` or ``&#65;`` in a label as a character reference."""
    if text.isascii() and text.isprintable():  # the common case: nothing to replace
        return text.replace("&", "&amp;")
    return "".join(_xml_safe(ch) for ch in text).replace("&", "&amp;")


def label(*lines: str) -> str:
    """A DOT label of one or more lines of plain text, safe for any input."""
    import graphviz

    parts = [graphviz.escape(_clean(line)) for line in lines if line]
    # nohtml: a str subclass that graphviz never reads as an HTML label.
    marked: str = graphviz.nohtml("\\n".join(parts))
    return marked


class _Ids:
    """Internal node ids, so no id or name from the data becomes DOT syntax."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], str] = {}

    def __call__(self, kind: str, entity: str) -> str:
        key = (kind, entity)
        if key not in self._ids:
            self._ids[key] = f"{kind[0]}{len(self._ids)}"
        return self._ids[key]


def _dashed(confidence: Confidence) -> bool:
    return confidence is not Confidence.CONFIRMED


def _name(snaps: Sequence[Snapshot], entity_id: str) -> str:
    for snap in snaps:
        if entity_id in snap.units:
            return snap.units[entity_id].name
        if entity_id in snap.identities:
            return snap.name_of(entity_id)
    return entity_id


def _subtree(units: Mapping[str, Unit], focus: str | None, depth: int | None) -> dict[str, int]:
    """Unit id -> depth below the top of the chart, for the units to draw."""
    children: dict[str | None, list[str]] = {}
    for uid, unit in units.items():
        parent = unit.parent if unit.parent in units else None
        children.setdefault(parent, []).append(uid)
    tops = [focus] if focus is not None else children.get(None, [])
    out: dict[str, int] = {}
    stack = [(t, 0) for t in reversed(tops)]
    while stack:
        uid, level = stack.pop()
        if uid in out or (depth is not None and level > depth):
            continue
        out[uid] = level
        stack.extend((c, level + 1) for c in reversed(children.get(uid, [])))
    return out


def render(
    obj: Snapshot | Diff,
    *,
    focus: str | None = None,
    depth: int | None = None,
    units_only: bool = False,
    title: str | None = None,
) -> graphviz.Digraph:
    """A chart of a snapshot or a diff.

    ``focus`` draws only that unit's subtree; ``depth`` stops that many levels
    below the top (0: the top unit alone); ``units_only`` leaves people out.
    ``title`` replaces the default title (the date and the event).
    """
    if isinstance(obj, Diff):
        return _render_diff(obj, focus=focus, depth=depth, units_only=units_only, title=title)
    if isinstance(obj, Snapshot):
        return _render_snapshot(obj, focus=focus, depth=depth, units_only=units_only, title=title)
    raise TypeError(f"render() takes a Snapshot or a Diff, not {type(obj).__name__}")


def _graph(title_text: str) -> graphviz.Digraph:
    import graphviz

    g = graphviz.Digraph("orgchart")
    g.attr(
        "graph",
        label=label(title_text),
        labelloc="t",
        fontname=FONT,
        fontsize="16",
        rankdir="TB",
        compound="true",
        newrank="true",
        nodesep="0.25",
        ranksep="0.45",
        bgcolor="white",
    )
    g.attr(
        "node", fontname=FONT, fontsize="11", shape="box", style="rounded", color=COLOURS["person"]
    )
    g.attr("edge", color=COLOURS["person"], arrowhead="none", penwidth="1.0", fontname=FONT)
    return g


class _Status:
    """What the diff did to each unit and person: added, removed, changed, or nothing."""

    def __init__(self, d: Diff | None) -> None:
        self.units: dict[str, str] = {}
        self.people: dict[str, str] = {}
        self.renamed: dict[str, str] = {}
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


def _draw(
    g: graphviz.Digraph,
    units: Mapping[str, Unit],
    people: Mapping[str, Person],
    snaps: Sequence[Snapshot],
    *,
    focus: str | None,
    depth: int | None,
    units_only: bool,
    status: _Status,
    ids: _Ids,
) -> set[str]:
    """Nested clusters for units, people inside, reporting edges. Returns drawn ids."""
    shown = _subtree(units, focus, depth)
    children: dict[str, list[str]] = {}
    for uid in shown:
        parent = units[uid].parent
        if parent in shown and uid != focus:
            children.setdefault(parent, []).append(uid)
    members: dict[str, list[str]] = {}
    if not units_only:
        for pid, person in people.items():
            if person.unit in shown:
                members.setdefault(person.unit, []).append(pid)
    drawn: set[str] = set()

    def colour(state: str | None, default: str) -> str:
        return COLOURS.get(state or "", default)

    def unit_label(uid: str) -> str:
        unit = units[uid]
        lines = [unit.name]
        if uid in status.renamed:
            lines.append(f"formerly {status.renamed[uid]}")
        if unit.leads:
            leads = join_names(_name(snaps, p) for p in unit.leads)
            lines.append(f"lead{'s' if len(unit.leads) > 1 else ''}: {leads}")
        state = status.units.get(uid)
        if state in ("added", "removed"):
            lines.append(f"({state})")
        return label(*lines)

    # Clusters are written straight into ``g`` (what graphviz's nested
    # ``subgraph()`` would write, indented alike): nesting them as graphs of
    # their own copies every line once per level, which adds up for big orgs.
    body = g.body

    def indented(level: str) -> None:
        body[-1] = level + body[-1]

    def person_node(pid: str, level: str) -> None:
        person = people[pid]
        state = status.people.get(pid)
        style = "rounded,dashed" if _dashed(person.confidence) else "rounded"
        lines = [_name(snaps, pid)]
        if person.title:
            lines.append(person.title)
        if person.confidence is not Confidence.CONFIRMED:
            lines.append(f"[{person.confidence.value}]")
        g.node(
            ids("person", pid),
            label=label(*lines),
            style=style + (",bold" if state else ""),
            color=colour(state, COLOURS["person"]),
            fontcolor=colour(state, "#24292f"),
        )
        indented(level)
        drawn.add(pid)

    def unit_cluster(uid: str, level: str) -> None:
        unit = units[uid]
        state = status.units.get(uid)
        # _Ids makes plain identifiers: the name needs no quoting.
        body.append(f"{level}\tsubgraph cluster_{ids('unit', uid)} {{\n")
        inner = level + "\t"
        g.attr(
            label=unit_label(uid),
            style="rounded,dashed" if _dashed(unit.confidence) else "rounded,filled",
            fillcolor=COLOURS["unit-fill"],
            color=colour(state, COLOURS["unit"]),
            fontcolor=colour(state, COLOURS["unit"]),
            penwidth="2" if state else "1",
            fontsize="13",
        )
        indented(inner)
        # An anchor inside every cluster: relations and empty units need a node.
        g.node(ids("anchor", uid), label="", shape="point", width="0.01", style="invis")
        indented(inner)
        drawn.add(uid)
        for pid in members.get(uid, []):
            person_node(pid, inner)
        for child in children.get(uid, []):
            unit_cluster(child, inner)
        body.append(f"{inner}}}\n")

    tops = [u for u in shown if u == focus or units[u].parent not in shown]
    for top in tops:
        unit_cluster(top, "")

    # Keep the unit tree top-down: an invisible edge from each unit to its children.
    for parent, kids in children.items():
        for kid in kids:
            g.edge(ids("anchor", parent), ids("anchor", kid), style="invis")
    return drawn


def _edges(
    g: graphviz.Digraph,
    people: Mapping[str, Person],
    drawn: set[str],
    ids: _Ids,
    *,
    colour: str | None = None,
) -> None:
    for pid, person in people.items():
        boss = person.reports_to
        if boss is None or pid not in drawn or boss not in drawn:
            continue
        g.edge(
            ids("person", boss),
            ids("person", pid),
            style="dashed" if _dashed(person.confidence) else "solid",
            color=colour or COLOURS["person"],
        )


def _node_of(entity: str, units: Mapping[str, Unit], ids: _Ids) -> str:
    return ids("anchor", entity) if entity in units else ids("person", entity)


def _relations(
    g: graphviz.Digraph, snap: Snapshot, drawn: set[str], ids: _Ids, colour: str | None = None
) -> None:
    for rel in snap.relations:
        if rel.from_ not in drawn or rel.to not in drawn:
            continue
        tail = _node_of(rel.from_, snap.units, ids)
        head = _node_of(rel.to, snap.units, ids)
        attrs: dict[str, str] = {}
        if rel.from_ in snap.units:
            attrs["ltail"] = f"cluster_{ids('unit', rel.from_)}"
        if rel.to in snap.units:
            attrs["lhead"] = f"cluster_{ids('unit', rel.to)}"
        g.edge(
            tail,
            head,
            # xlabel: placed after layout, so the label does not push ranks apart.
            xlabel=label(
                rel.kind + (f" [{rel.confidence.value}]" if _dashed(rel.confidence) else "")
            ),
            style="dashed",
            color=colour or COLOURS["relation"],
            fontcolor=colour or COLOURS["relation"],
            fontsize="10",
            constraint="false",
            arrowhead="vee",
            **attrs,
        )


def _render_snapshot(
    snap: Snapshot, *, focus: str | None, depth: int | None, units_only: bool, title: str | None
) -> graphviz.Digraph:
    if focus is not None:
        snap.children(focus)  # raises UnknownIdError with a did-you-mean
    g = _graph(title if title is not None else f"{snap.date.isoformat()}: {snap.event}")
    ids = _Ids()
    drawn = _draw(
        g,
        snap.units,
        snap.people,
        [snap],
        focus=focus,
        depth=depth,
        units_only=units_only,
        status=_Status(None),
        ids=ids,
    )
    _edges(g, snap.people, drawn, ids)
    _relations(g, snap, drawn, ids)
    return g


def _render_diff(
    d: Diff, *, focus: str | None, depth: int | None, units_only: bool, title: str | None
) -> graphviz.Digraph:
    a, b = d.before, d.after
    if focus is not None and focus not in a.units and focus not in b.units:
        b.children(focus)  # raises UnknownIdError with a did-you-mean
    # The union: the later state where there is one, else the earlier one.
    # A removed unit hangs under its old parent (drawn too, from one date or the other).
    units: dict[str, Unit] = dict(b.units)
    for uid, unit in a.units.items():
        units.setdefault(uid, unit)
    people: dict[str, Person] = dict(b.people)
    for pid, person in a.people.items():
        people.setdefault(pid, person)
    # Keep exactly one root: a removed old root hangs under the new root.
    roots = [u for u, unit in units.items() if unit.parent is None or unit.parent not in units]
    if len(roots) > 1 and b.units:
        new_root = b.root.id
        for r in roots:
            if r != new_root:
                units[r] = attrs.evolve(units[r], parent=new_root)
    status = _Status(d)
    text = title if title is not None else f"{a.date.isoformat()} → {b.date.isoformat()}: {b.event}"
    g = _graph(text)
    ids = _Ids()
    drawn = _draw(
        g,
        units,
        people,
        [b, a],
        focus=focus,
        depth=depth,
        units_only=units_only,
        status=status,
        ids=ids,
    )
    # Reporting lines: kept (grey), new (green), gone (red).
    before_edges = {(p.reports_to, pid) for pid, p in a.people.items() if p.reports_to}
    after_edges = {(p.reports_to, pid) for pid, p in b.people.items() if p.reports_to}
    for boss, pid in sorted(before_edges | after_edges):
        if pid not in drawn or boss not in drawn:
            continue
        if (boss, pid) in after_edges and (boss, pid) in before_edges:
            col, style = COLOURS["person"], "solid"
        elif (boss, pid) in after_edges:
            col, style = COLOURS["added"], "bold"
        else:
            col, style = COLOURS["removed"], "dashed"
        g.edge(ids("person", boss), ids("person", pid), color=col, style=style)
    _relations(g, b, drawn, ids)
    gone = [r for r in a.relations if r not in b.relations]
    if gone:
        _relations(
            g,
            Snapshot(date=a.date, event="", units=a.units, relations=tuple(gone)),
            drawn,
            ids,
            COLOURS["removed"],
        )
    _legend(g)
    return g


def _legend(g: graphviz.Digraph) -> None:
    with g.subgraph(name="cluster_legend") as leg:
        leg.attr(
            label="Legend", style="rounded", color="#d0d7de", fontsize="11", fontcolor="#57606a"
        )
        for key, text in (
            ("added", "added"),
            ("removed", "removed"),
            ("changed", "moved / renamed / changed"),
        ):
            leg.node(
                f"legend_{key}",
                label=label(text),
                color=COLOURS[key],
                fontcolor=COLOURS[key],
                style="rounded,bold",
                fontsize="10",
            )
        leg.attr(rank="same")
        # Invisible edges keep the three in reading order, left to right.
        leg.edge("legend_added", "legend_removed", style="invis")
        leg.edge("legend_removed", "legend_changed", style="invis")
