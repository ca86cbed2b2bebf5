"""A snapshot as GraphML, for yEd and Gephi, with units as groups.

Each unit is a group node (``yfiles.foldertype="group"``, the way yEd marks
groups) holding a nested graph with its people and its sub-units; reporting
lines are edges from manager to report (``kind`` ``manages``), relations edges
of their own kind. Node ids are ``unit:ID`` and ``person:ID``. Attributes are
GraphML keys: ``label``, ``kind``, ``title``, ``unit``, ``confidence`` on nodes,
``kind`` and ``confidence`` on edges. Every text is XML-escaped, and characters
XML 1.0 cannot carry are dropped. ``networkx.read_graphml`` reads it back (it
flattens the groups).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from ._tree import Tree
from .json_graph import node_id

if TYPE_CHECKING:
    from ..model import Snapshot

__all__ = ["write_graphml"]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_NODE_KEYS = ("label", "kind", "title", "unit", "confidence")
_EDGE_KEYS = ("kind", "confidence")


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


def _data(key: str, value: str | None) -> str:
    return "" if value is None else f'<data key="{key}">{_text(value)}</data>'


def write_graphml(snap: Snapshot) -> str:
    """The GraphML document of ``snap``."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    out += [
        f'  <key id="n_{k}" for="node" attr.name="{k}" attr.type="string"/>' for k in _NODE_KEYS
    ]
    out += [
        f'  <key id="e_{k}" for="edge" attr.name="{k}" attr.type="string"/>' for k in _EDGE_KEYS
    ]
    out.append('  <graph id="org" edgedefault="directed">')

    tree = Tree(snap)

    def person(pid: str, indent: str) -> str:
        p = snap.people[pid]
        data = (
            _data("n_label", snap.name_of(pid))
            + _data("n_kind", "person")
            + _data("n_title", p.title)
            + _data("n_unit", p.unit)
            + _data("n_confidence", p.confidence.value)
        )
        return f"{indent}<node id={_attr('person:' + pid)}>{data}</node>"

    for uid, depth, opening in tree.walk():
        indent = "  " * (2 + 2 * depth)
        if not opening:
            out.append(f"{indent}  </graph>")
            out.append(f"{indent}</node>")
            continue
        u = snap.units[uid]
        data = (
            _data("n_label", u.name)
            + _data("n_kind", "unit")
            + _data("n_confidence", u.confidence.value)
        )
        nid = "unit:" + uid
        out.append(f'{indent}<node id={_attr(nid)} yfiles.foldertype="group">{data}')
        out.append(f'{indent}  <graph id={_attr(nid + "::")} edgedefault="directed">')
        out.extend(person(pid, indent + "    ") for pid in tree.members.get(uid, ()))
    out.extend(person(pid, "    ") for pid in tree.strays(snap))

    def edge(a: str, b: str, kind: str, confidence: str) -> str:
        return (
            f"    <edge source={_attr(a)} target={_attr(b)}>"
            f"{_data('e_kind', kind)}{_data('e_confidence', confidence)}</edge>"
        )

    for p in snap.people.values():
        if p.reports_to is not None and p.reports_to in snap.people:
            out.append(
                edge(f"person:{p.reports_to}", f"person:{p.id}", "manages", p.confidence.value)
            )
    for r in snap.relations:
        a, b = node_id(snap, r.from_), node_id(snap, r.to)
        if a is not None and b is not None:
            out.append(edge(a, b, r.kind, r.confidence.value))
    out.append("  </graph>")
    out.append("</graphml>")
    return "\n".join(out) + "\n"
