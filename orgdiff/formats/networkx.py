"""A snapshot as a ``networkx.DiGraph`` (networkx is an optional extra).

The graph is the node-link form of :mod:`orgdiff.formats.json_graph`: nodes
``unit:ID`` and ``person:ID`` with their attributes, edges ``contains``,
``member``, ``manages`` and the relations, each with a ``kind``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import OrgdiffError
from .json_graph import node_link

if TYPE_CHECKING:
    from ..model import Snapshot

__all__ = ["to_networkx"]

NETWORKX_MISSING = "this needs networkx: pip install 'orgdiff[networkx]'"


def to_networkx(snap: Snapshot) -> Any:
    """The snapshot as a ``networkx.DiGraph``."""
    try:
        import networkx as nx
    except ImportError:
        raise OrgdiffError(NETWORKX_MISSING) from None
    data = node_link(snap)
    g = nx.DiGraph(**data["graph"])
    for node in data["nodes"]:
        attrs = {k: v for k, v in node.items() if k != "id"}
        g.add_node(node["id"], **attrs)
    for link in data["links"]:
        attrs = {k: v for k, v in link.items() if k not in ("source", "target")}
        g.add_edge(link["source"], link["target"], **attrs)
    return g
