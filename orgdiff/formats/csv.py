"""HR exports as CSV: one row per person, read into plain rows and written back.

:func:`read_csv` reads an export (UTF-8, UTF-8 with Excel's byte order mark,
or Windows-1252; comma, semicolon or tab separated; quoted newlines) and keeps
only the columns a :class:`ColumnMap` maps to a field: every other column
(salary, address, birth date...) is dropped as the row is read and never
reaches a :class:`Row`. Problems are :class:`ExportProblem` s located as
``FILE:ROW: column: message``, where ROW counts records as a spreadsheet does
(the header is row 1) and messages never quote a cell's value.

:func:`write_csv` writes a snapshot in the same one-row-per-person shape, so
that what it writes imports back as the same org.
"""

from __future__ import annotations

import csv
import io
import operator
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TextIO

from attrs import frozen

from ..errors import OrgdiffError
from ..load import _gc_paused
from ..suggest import did_you_mean
from ..validate import _bad_text

if TYPE_CHECKING:
    from ..model import Snapshot

__all__ = [
    "FIELDS",
    "ColumnMap",
    "Export",
    "ExportError",
    "ExportProblem",
    "Row",
    "read_csv",
    "read_mapping",
    "write_csv",
]

#: The fields a column can be mapped to, with the header names each one takes
#: by default (compared without case, spaces, ``_`` or ``-``).
FIELDS: dict[str, tuple[str, ...]] = {
    "employee_id": (
        "employee id",
        "employee number",
        "employee no",
        "employee",
        "emp id",
        "worker id",
        "person id",
        "staff id",
        "id",
    ),
    "name": ("name", "full name", "employee name", "display name", "preferred name"),
    "first_name": ("first name", "given name", "firstname", "forename"),
    "last_name": ("last name", "surname", "family name", "lastname"),
    "email": ("email", "work email", "email address", "business email"),
    "title": ("title", "job title", "position", "job", "role"),
    "manager_id": (
        "manager id",
        "manager employee id",
        "supervisor id",
        "reports to id",
        "line manager id",
    ),
    "manager_email": ("manager email", "supervisor email", "line manager email"),
    "manager_name": ("manager name", "manager", "supervisor", "supervisor name", "reports to"),
    "department": ("department", "department name", "dept", "team", "org unit"),
    "department_parent": (
        "parent department",
        "department parent",
        "parent unit",
        "parent",
    ),
}


# The fields in the order read_csv unpacks them.
_ORDER = (
    "employee_id",
    "name",
    "first_name",
    "last_name",
    "department",
    "title",
    "email",
    "manager_id",
    "manager_email",
    "manager_name",
    "department_parent",
)


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-]+", " ", header.strip().lower()).strip()


@frozen
class ExportProblem:
    """One thing wrong with an export: ``FILE:ROW: column: message``.

    ``row`` counts records from 1 (the header); 0 when the problem is the file's.
    """

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.row == 0 else f"{self.file}:{self.row}"
        return f"{where}: {self.column}: {self.message}"


class ExportError(OrgdiffError, ValueError):
    """An export that cannot be imported: every problem found, in file and row order."""

    def __init__(self, problems: Iterable[ExportProblem]) -> None:
        self.problems: list[ExportProblem] = sorted(
            set(problems), key=lambda p: (p.file, p.row, p.column, p.message)
        )
        super().__init__("\n".join(str(p) for p in self.problems))


@frozen
class ColumnMap:
    """Which column holds which field: ``{field: column header}``.

    Built by :func:`ColumnMap.resolve` from a file's header, the default names
    of :data:`FIELDS` and explicit ``column=field`` choices (which win).
    """

    columns: Mapping[str, str]

    @staticmethod
    def resolve(
        header: list[str], explicit: Mapping[str, str] | None = None, *, file: str = "<csv>"
    ) -> tuple[ColumnMap, dict[str, int]]:
        """The map for ``header`` and each mapped field's column index.

        ``explicit`` is ``{column: field}`` (as ``--map column=field`` gives it).
        Raises :class:`ExportError` for an explicit column the header lacks,
        an unknown field, or no column for a required field.
        """
        problems: list[ExportProblem] = []
        index = {h: i for i, h in reversed(list(enumerate(header)))}
        normed = {_norm(h): i for i, h in reversed(list(enumerate(header)))}
        chosen: dict[str, int] = {}
        for column, fld in (explicit or {}).items():
            if fld not in FIELDS:
                problems.append(
                    ExportProblem(
                        file,
                        0,
                        column,
                        f"unknown field `{fld}`"
                        + (did_you_mean(fld, list(FIELDS)) or f"; fields are {', '.join(FIELDS)}"),
                    )
                )
            elif column in index:
                chosen[fld] = index[column]
            elif _norm(column) in normed:
                chosen[fld] = normed[_norm(column)]
            else:
                problems.append(ExportProblem(file, 1, column, "no such column in the header"))
        taken = set(chosen.values())
        for fld, names in FIELDS.items():
            if fld in chosen:
                continue
            for name in names:
                i = normed.get(name)
                if i is not None and i not in taken:
                    chosen[fld] = i
                    taken.add(i)
                    break
        if "employee_id" not in chosen:
            problems.append(_no_column(file, "employee_id"))
        if "name" not in chosen and not {"first_name", "last_name"} <= chosen.keys():
            problems.append(_no_column(file, "name"))
        if "department" not in chosen:
            problems.append(_no_column(file, "department"))
        if problems:
            raise ExportError(problems)
        return ColumnMap({f: header[i] for f, i in chosen.items()}), chosen


def _no_column(file: str, fld: str) -> ExportProblem:
    looked = ", ".join(FIELDS[fld][:3])
    return ExportProblem(
        file,
        1,
        "(header)",
        f"no column for {fld} (looked for {looked}...; map one with --map COLUMN={fld})",
    )


def read_mapping(text: str, *, file: str = "<mapping>") -> dict[str, str]:
    """``{column: field}`` from a mapping file: ``column=field`` lines, ``#`` comments."""
    out: dict[str, str] = {}
    problems: list[ExportProblem] = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        column, sep, fld = line.rpartition("=")
        if not sep or not column.strip() or not fld.strip():
            problems.append(ExportProblem(file, n, "-", "expected COLUMN=FIELD"))
            continue
        out[column.strip()] = fld.strip()
    if problems:
        raise ExportError(problems)
    return out


class Row(NamedTuple):
    """One person of an export, with only the mapped fields (``None``: blank or not mapped)."""

    row: int
    employee_id: str
    name: str
    title: str | None
    email: str | None
    manager_id: str | None
    manager_email: str | None
    manager_name: str | None
    department: str
    department_parent: str | None


@frozen
class Export:
    """What :func:`read_csv` read: rows, the map used and the encoding assumed."""

    file: str
    rows: tuple[Row, ...]
    columns: ColumnMap
    encoding: str  # "utf-8", "utf-8 with BOM" or "windows-1252"


def _decode(raw: bytes, file: str) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8 with BOM"
        except UnicodeDecodeError as exc:
            raise ExportError(
                [
                    ExportProblem(
                        file,
                        0,
                        "-",
                        f"not valid UTF-8 after its byte order mark ({exc.reason} at byte {exc.start + 3})",
                    )
                ]
            ) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExportError(
            [ExportProblem(file, 0, "-", "UTF-16 is not read; save the export as CSV UTF-8")]
        )
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise ExportError(
            [ExportProblem(file, 0, "-", f"neither UTF-8 nor Windows-1252 (byte {exc.start})")]
        ) from None


def _delimiter(text: str) -> str:
    """The separator of the header line: the most frequent of ``,``, ``;`` and tab
    outside quotes (a comma on a tie)."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]  # not split(): it would copy the rest
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for ch in first:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts.values())
    return next(d for d in (",", ";", "\t") if counts[d] == best)


_SPACES = re.compile(r"\s+")


def _clean(value: str) -> str | None:
    """A cell with runs of white space (quoted newlines too) as one space; ``None`` if blank."""
    value = value.strip()
    if not value:
        return None
    if "  " in value or "\n" in value or "\r" in value or "\t" in value:
        return _SPACES.sub(" ", value)
    return value


@_gc_paused()
def read_csv(
    path: str | os.PathLike[str],
    explicit: Mapping[str, str] | None = None,
    *,
    display: str | None = None,
) -> Export:
    """Read the export at ``path``, keeping the mapped columns only.

    ``explicit`` maps columns to fields (``{"Worker": "employee_id"}``) over
    the defaults of :data:`FIELDS`. Raises :class:`ExportError` with every
    problem of the file's form (encoding, header, blank ids, names or
    departments, duplicate employee ids); what the rows mean together (managers,
    cycles) is checked by :mod:`orgdiff.hrimport`.
    """
    file = display if display is not None else os.fspath(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise ExportError([ExportProblem(file, 0, "-", exc.strerror or str(exc))]) from None
    text, encoding = _decode(raw, file)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=False)
    try:
        header = next(reader)
    except StopIteration:
        raise ExportError([ExportProblem(file, 0, "-", "the file is empty")]) from None
    except csv.Error as exc:
        raise ExportError([ExportProblem(file, 1, "-", f"not CSV: {exc}")]) from None
    header = [h.strip() for h in header]
    columns, idx = ColumnMap.resolve(header, explicit, file=file)
    problems: list[ExportProblem] = []
    rows: list[Row] = []
    first_row: dict[str, int] = {}
    width = len(header)
    col = columns.columns
    # The mapped cells of a row in one C call, then back in _ORDER with None for
    # unmapped fields (the last slot of `cleaned`).
    present = [f for f in _ORDER if f in idx]
    pick = operator.itemgetter(*(idx[f] for f in present))
    expand = operator.itemgetter(*(present.index(f) if f in idx else len(present) for f in _ORDER))
    joined_names = "name" not in idx
    n = 1
    try:
        for cells in reader:
            n += 1
            if len(cells) < width:
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue  # a blank line
                cells = cells + [""] * (width - len(cells))
            values = pick(cells)
            text_ = "|".join(values)
            unusual = "  " in text_ or not text_.isprintable()
            # Blank cells are "" here, and None from here on.
            cleaned: list[str | None] = (
                [_clean(v) for v in values] if unusual else list(map(str.strip, values))
            )
            cleaned.append(None)
            emp, name, first, last, dept, title, email, mgr_id, mgr_email, mgr_name, parent = (
                expand(cleaned)
            )
            if joined_names:
                name = f"{first} {last}" if first and last else first or last
            emp, name, dept = emp or None, name or None, dept or None
            title, email, parent = title or None, email or None, parent or None
            mgr_id, mgr_email, mgr_name = mgr_id or None, mgr_email or None, mgr_name or None
            ok = True
            if emp is None:
                problems.append(ExportProblem(file, n, col["employee_id"], "blank employee id"))
                ok = False
            elif emp in first_row:
                problems.append(
                    ExportProblem(
                        file,
                        n,
                        col["employee_id"],
                        f"duplicate employee id (first on row {first_row[emp]})",
                    )
                )
                ok = False
            else:
                first_row[emp] = n
            if name is None:
                name_col = col.get("name") or " + ".join(
                    col[f] for f in ("first_name", "last_name") if f in col
                )
                problems.append(ExportProblem(file, n, name_col, "blank name"))
                ok = False
            if dept is None:
                problems.append(ExportProblem(file, n, col["department"], "no department"))
                ok = False
            if not ok or emp is None or name is None or dept is None:
                continue
            if unusual:
                for fld, value in (("name", name), ("title", title), ("department", dept)):
                    if value is not None and not value.isprintable():
                        bad = _bad_text(value, f"the {fld}")
                        if bad is not None:
                            column = (
                                col.get(fld) or col.get("first_name") or col.get("last_name", "-")
                            )
                            problems.append(ExportProblem(file, n, column, bad))
                            ok = False
                if not ok:
                    continue
            rows.append(Row(n, emp, name, title, email, mgr_id, mgr_email, mgr_name, dept, parent))
    except csv.Error as exc:
        problems.append(ExportProblem(file, n + 1, "-", f"not CSV: {exc}"))
    if not rows and not problems:
        problems.append(ExportProblem(file, 0, "-", "no people in the export, only a header"))
    if problems:
        raise ExportError(problems)
    return Export(file, tuple(rows), columns, encoding)


#: The header :func:`write_csv` writes; each is one of :data:`FIELDS`' defaults.
CSV_HEADER = ("Employee ID", "Name", "Title", "Manager ID", "Department", "Parent Department")


def write_csv(snapshot: Snapshot, file: str | os.PathLike[str] | TextIO) -> None:
    """Write ``snapshot`` as an HR-style export: one row per person.

    ``file`` is a path or a text stream opened with ``newline=""``. The columns
    are :data:`CSV_HEADER`: the person id as the employee id, the registered
    name, the title, the manager's person id, the unit's name and its parent
    unit's name. Units are named, not keyed, in this shape, so the export reads
    back (``orgdiff import``) as the same org when unit names are unique and
    ids are the slugs of the names. A unit with no people and no sub-units is
    not in the file.
    """
    if isinstance(file, (str, os.PathLike)):
        from ..dump import write_atomic

        buffer = io.StringIO(newline="")
        write_csv(snapshot, buffer)
        write_atomic(Path(file), buffer.getvalue())
        return
    writer = csv.writer(file, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    units = snapshot.units
    managers = {p.id: p.reports_to for p in snapshot.people.values()}
    for rel in snapshot.relations:
        if rel.kind == "reports-to" and managers.get(rel.from_) is None:
            managers[rel.from_] = rel.to
    written_units: set[str] = set()
    for pid, person in snapshot.people.items():
        unit = units.get(person.unit)
        parent = units.get(unit.parent) if unit is not None and unit.parent else None
        written_units.add(person.unit)
        writer.writerow(
            (
                pid,
                snapshot.name_of(pid),
                person.title or "",
                managers.get(pid) or "",
                unit.name if unit is not None else person.unit,
                parent.name if parent is not None else "",
            )
        )
