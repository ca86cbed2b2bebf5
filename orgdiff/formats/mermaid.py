"""A snapshot as a Mermaid flowchart, which GitHub and GitLab render in Markdown.

Units are nested ``subgraph`` blocks, people nodes inside their unit, and a
reporting line an arrow from manager to report (dotted when the report's
position is ``reported`` or ``rumoured``). Node ids are internal (``u0``,
``p0``); names and titles live in quoted labels, where every character Mermaid
or HTML would read is written as an entity code (``#quot;``, ``#35;``, ``#lt;``,
``#96;``...), so no label can end itself, start markdown or inject HTML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._tree import Tree

if TYPE_CHECKING:
    from ..model import Snapshot

__all__ = ["label", "write_mermaid"]

# Characters that Mermaid's parser, its markdown or HTML labels would read.
_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
    "*": "#42;",
    "_": "#95;",
    "[": "#91;",
    "]": "#93;",
    "(": "#40;",
    ")": "#41;",
    "{": "#123;",
    "}": "#125;",
    "|": "#124;",
    ";": "#59;",
    "\\": "#92;",
}


def label(text: str) -> str:
    """``text`` safe inside a Mermaid ``"..."`` label (line breaks become spaces)."""
    text = " ".join(text.split())
    return "".join(_ENTITIES.get(ch, ch) for ch in text)


def write_mermaid(snap: Snapshot, *, direction: str = "TD") -> str:
    """The Mermaid source of ``snap``'s flowchart."""
    uids = {uid: f"u{i}" for i, uid in enumerate(snap.units)}
    pids = {pid: f"p{i}" for i, pid in enumerate(snap.people)}
    tree = Tree(snap)
    lines = [f"flowchart {direction}"]

    def person_line(pid: str, indent: str) -> str:
        p = snap.people[pid]
        text = label(snap.name_of(pid))
        if p.title:
            text += "<br/>" + label(p.title)
        return f'{indent}{pids[pid]}["{text}"]'

    # A subgraph opens, its people, its sub-units, `end`.
    for uid, depth, opening in tree.walk():
        indent = "    " * (1 + depth)
        if not opening:
            lines.append(f"{indent}end")
            continue
        lines.append(f'{indent}subgraph {uids[uid]}["{label(snap.units[uid].name)}"]')
        lines.extend(person_line(pid, indent + "    ") for pid in tree.members.get(uid, ()))
    # People of units not reached from a root (invalid data) still appear.
    lines.extend(person_line(pid, "    ") for pid in tree.strays(snap))
    for p in snap.people.values():
        if p.reports_to is not None and p.reports_to in pids:
            arrow = "-->" if p.confidence.value == "confirmed" else "-.->"
            lines.append(f"    {pids[p.reports_to]} {arrow} {pids[p.id]}")
    return "\n".join(lines) + "\n"
