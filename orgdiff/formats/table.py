"""The whole timeline as one long table: one row per person per snapshot.

Columns: ``date``, ``person``, ``name``, ``unit``, ``unit_name``, ``manager``,
``title``, ``confidence``, ``sources``. Written as CSV (text; ``sources``
joined with ``;``) or as Parquet (typed: ``date`` a date, ``sources`` a list of
strings; one row group per snapshot), for pandas, polars, DuckDB or Spark.

CSV cells that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) get a leading ``'``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..errors import OrgdiffError

if TYPE_CHECKING:
    from ..model import Snapshot

__all__ = ["COLUMNS", "neutralise", "rows", "write_table_csv", "write_table_parquet"]

COLUMNS = (
    "date",
    "person",
    "name",
    "unit",
    "unit_name",
    "manager",
    "title",
    "confidence",
    "sources",
)

_FORMULA = ("=", "+", "-", "@", "\t", "\r")

PYARROW_MISSING = "Parquet needs pyarrow: pip install 'orgdiff[parquet]'"


def neutralise(cell: str) -> str:
    """``cell`` with a leading ``'`` if a spreadsheet would take it as a formula."""
    return "'" + cell if cell.startswith(_FORMULA) else cell


def rows(snapshots: Iterable[Snapshot]) -> Iterator[tuple[Any, ...]]:
    """One tuple per person per snapshot, in :data:`COLUMNS` order (``date``
    a :class:`datetime.date`, ``sources`` a tuple, absent values ``None``)."""
    for snap in snapshots:
        ids = snap.identities
        units = snap.units
        for p in snap.people.values():
            ident = ids.get(p.id)
            unit = units.get(p.unit)
            yield (
                snap.date,
                p.id,
                ident.name if ident is not None else p.id,
                p.unit,
                unit.name if unit is not None else None,
                p.reports_to,
                p.title,
                p.confidence.value,
                p.sources,
            )


def write_table_csv(snapshots: Iterable[Snapshot]) -> str:
    """The table as CSV text, with a header row."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    n = neutralise
    for date, pid, name, unit, unit_name, manager, title, conf, sources in rows(snapshots):
        w.writerow(
            (
                date.isoformat(),
                n(pid),
                n(name),
                n(unit),
                n(unit_name or ""),
                n(manager or ""),
                n(title or ""),
                conf,
                n(";".join(sources)),
            )
        )
    return buf.getvalue()


def write_table_parquet(snapshots: Iterable[Snapshot]) -> bytes:
    """The table as a Parquet file's bytes; needs pyarrow."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise OrgdiffError(PYARROW_MISSING) from None

    schema = pa.schema(
        [
            ("date", pa.date32()),
            ("person", pa.string()),
            ("name", pa.string()),
            ("unit", pa.string()),
            ("unit_name", pa.string()),
            ("manager", pa.string()),
            ("title", pa.string()),
            ("confidence", pa.string()),
            ("sources", pa.list_(pa.string())),
        ]
    )
    sink = io.BytesIO()
    with pq.ParquetWriter(sink, schema) as writer:
        for snap in snapshots:
            # Column by column: no tuple per row, strings shared with the model.
            people = list(snap.people.values())
            ids, units = snap.identities, snap.units
            names = [ids[p.id].name if p.id in ids else p.id for p in people]
            unit_names = [units[p.unit].name if p.unit in units else None for p in people]
            columns: list[Any] = [
                pa.array([snap.date] * len(people), pa.date32()),
                [p.id for p in people],
                names,
                [p.unit for p in people],
                unit_names,
                [p.reports_to for p in people],
                [p.title for p in people],
                [p.confidence.value for p in people],
                [p.sources for p in people],
            ]
            writer.write_table(pa.Table.from_arrays(columns, schema=schema))
    return sink.getvalue()
