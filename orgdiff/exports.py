"""``orgdiff.export``: a snapshot or a timeline in an outside format.

Each format is written by its own module in :mod:`orgdiff.formats`; this only
picks it. Snapshot formats (``mermaid``, ``json``, ``node-link``, ``graphml``, and
``csv``: one row per person, the shape ``orgdiff import`` reads)
take one snapshot (a timeline means its last one); the long table
(``table-csv``, ``parquet``) takes every snapshot of a timeline, or one.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .errors import OrgdiffError
from .model import Snapshot, Timeline

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["EXPORT_FORMATS", "TABLE_FORMATS", "export"]

#: Formats of one snapshot.
SNAPSHOT_FORMATS = ("mermaid", "json", "node-link", "graphml", "csv")
#: Formats of the whole timeline (or of one snapshot): one row per person per date.
TABLE_FORMATS = ("table-csv", "parquet")
EXPORT_FORMATS = (*SNAPSHOT_FORMATS, *TABLE_FORMATS)


def export(obj: Snapshot | Timeline, format: str) -> str | bytes:
    """``obj`` written in ``format`` (one of :data:`EXPORT_FORMATS`).

    Text formats return ``str``; ``parquet`` returns ``bytes`` (needs pyarrow).

    >>> import orgdiff
    >>> tl = orgdiff.load("tests/data/example")
    >>> print(orgdiff.export(tl.at("2022"), "mermaid").splitlines()[2])
            p0["Ada Park<br/>Chief Executive"]
    """
    fmt = format.lower()
    if fmt in TABLE_FORMATS:
        snaps: Sequence[Snapshot] = obj.snapshots if isinstance(obj, Timeline) else (obj,)
        from .formats import table

        if fmt == "parquet":
            return table.write_table_parquet(snaps)
        return table.write_table_csv(snaps)
    if fmt not in SNAPSHOT_FORMATS:
        raise OrgdiffError(f"unknown export format `{format}`; known: {', '.join(EXPORT_FORMATS)}")
    snap = obj.snapshots[-1] if isinstance(obj, Timeline) else obj
    if fmt == "mermaid":
        from .formats.mermaid import write_mermaid

        return write_mermaid(snap)
    if fmt == "graphml":
        from .formats.graphml import write_graphml

        return write_graphml(snap)
    if fmt == "csv":  # one row per person, as `orgdiff import` reads it
        import io

        from .formats.csv import write_csv

        out = io.StringIO(newline="")
        write_csv(snap, out)
        return out.getvalue()
    from .formats import json_graph

    data = json_graph.flat_nodes(snap) if fmt == "json" else json_graph.node_link(snap)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
