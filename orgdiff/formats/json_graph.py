"""A snapshot as JSON graphs: a flat node list and networkx's node-link form.

:func:`flat_nodes` gives one object per person, as d3-org-chart and similar
libraries take it: ``id``, ``parentId`` (the manager; ``null`` when not known),
``name``, ``title``, ``unit``, ``unitName``, ``confidence``. d3-org-chart wants
a single root: people whose manager is not known are roots too, so filter them
or give them a parent in your own code; orgdiff does not guess a manager.

:func:`node_link` gives the whole snapshot (units and people) in the node-link
form that ``networkx.node_link_graph(data, edges="links")`` and d3-force read:
nodes ``unit:ID`` and ``person:ID`` with a ``kind``; links ``contains`` (a unit
to a unit below it), ``member`` (a unit to a person in it), ``manages`` (a
manager to a report) and one per relation (its own kind, e.g. ``dotted-line``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Snapshot

__all__ = ["flat_nodes", "node_id", "node_link"]


def flat_nodes(snap: Snapshot) -> list[dict[str, Any]]:
    """One object per person, parent first where the manager is known."""
    people = snap.people
    return [
        {
            "id": p.id,
            "parentId": p.reports_to if p.reports_to in people else None,
            "name": snap.name_of(p.id),
            "title": p.title,
            "unit": p.unit,
            "unitName": snap.name_of(p.unit),
            "confidence": p.confidence.value,
        }
        for p in people.values()
    ]


def node_id(snap: Snapshot, entity_id: str) -> str | None:
    """The graph node of a unit or person id (``None``: neither)."""
    if entity_id in snap.people:
        return f"person:{entity_id}"
    if entity_id in snap.units:
        return f"unit:{entity_id}"
    return None


def node_link(snap: Snapshot) -> dict[str, Any]:
    """The snapshot as node-link data (directed, not a multigraph)."""
    nodes: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for u in snap.units.values():
        nodes.append(
            {
                "id": f"unit:{u.id}",
                "kind": "unit",
                "name": u.name,
                "leads": list(u.leads),
                "confidence": u.confidence.value,
            }
        )
        if u.parent is not None and u.parent in snap.units:
            links.append(
                {"source": f"unit:{u.parent}", "target": f"unit:{u.id}", "kind": "contains"}
            )
    for p in snap.people.values():
        node: dict[str, Any] = {
            "id": f"person:{p.id}",
            "kind": "person",
            "name": snap.name_of(p.id),
            "unit": p.unit,
            "confidence": p.confidence.value,
        }
        if p.title is not None:
            node["title"] = p.title
        nodes.append(node)
        if p.unit in snap.units:
            links.append({"source": f"unit:{p.unit}", "target": f"person:{p.id}", "kind": "member"})
        if p.reports_to is not None and p.reports_to in snap.people:
            links.append(
                {
                    "source": f"person:{p.reports_to}",
                    "target": f"person:{p.id}",
                    "kind": "manages",
                    "confidence": p.confidence.value,
                }
            )
    for r in snap.relations:
        a, b = node_id(snap, r.from_), node_id(snap, r.to)
        if a is not None and b is not None:
            links.append(
                {"source": a, "target": b, "kind": r.kind, "confidence": r.confidence.value}
            )
    return {
        "directed": True,
        "multigraph": False,
        "graph": {"date": snap.date.isoformat(), "event": snap.event},
        "nodes": nodes,
        "links": links,
    }
