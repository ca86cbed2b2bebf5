"""``orgdiff import``: HR exports (CSV, one row per person) into a dataset.

An export becomes a snapshot: each department a unit, each row a person.

* **Units.** A department's parent is the parent column's department when the
  export has one; else the department of its head's manager. A unit's leads are
  its heads: the members whose manager is outside it (or who have none),
  several for co-leads. With several top departments, a root unit named after
  the dataset holds them.
* **Ids.** A person's id is the kebab-case of their name (``Ada Park`` is
  ``ada-park``; ``ada-park-2`` for the next Ada Park); a unit's is the
  kebab-case of its department's name. Both stay the same from one export to
  the next through ``hr-ids.yaml`` in the dataset folder, which maps employee
  ids to person ids and department names to unit ids: the only place an
  employee id is kept. Nothing else of a row is kept but the mapped fields.
* **Lineage.** Between consecutive exports, :mod:`orgdiff.infer` writes the
  renames, splits and merges the people flows show.
* **All or nothing.** Everything is built and validated in memory; files are
  written at the end, each through a temporary file and a rename.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import operator
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import yaml
from attrs import frozen

from .errors import OrgDataError, OrgdiffError
from .formats.csv import Export, ExportError, ExportProblem, Row, read_csv
from .load import _gc_paused
from .model import Identity, Person, Relation, Snapshot, Source, Timeline, Unit
from .validate import _cycles

if TYPE_CHECKING:
    from .dump import _Lines

__all__ = [
    "HR_IDS_FILE",
    "Plan",
    "Registry",
    "date_of",
    "exports_in",
    "plan_import",
    "slug",
    "snapshot_of",
    "write_plan",
]

#: The file (in the dataset folder) that keeps ids stable across exports.
HR_IDS_FILE = "hr-ids.yaml"

_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?:-(\d{2}))?(?!\d)")


_WORD = re.compile(r"[a-z0-9]+")


def slug(text: str) -> str:
    """The kebab-case id of a name: ``Zoë O'Neil`` is ``zoe-oneil``, ``R&D`` is ``r-d``."""
    if text.isascii() and text.replace(" ", "").isalnum() and "  " not in text:
        # The usual name, ASCII words between single spaces: the words are the
        # ones _WORD finds, so they need not be looked for.
        return text.strip().lower().replace(" ", "-")
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.lower().replace("'", "")
    return "-".join(_WORD.findall(text))


def _fresh(base: str, taken: set[str], fallback: str, tried: dict[str, int] | None = None) -> str:
    """``base``, else the first of ``base-2``, ``base-3``... not in ``taken``
    (which it joins). ``tried`` remembers, per base, the last number tried, so
    that many people of the same name cost linear time, not quadratic: the
    numbers below it are taken already, and ``taken`` only grows."""
    base = base or fallback
    n = tried.get(base, 1) if tried is not None else 1
    candidate = base if n == 1 else f"{base}-{n}"
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    if tried is not None:
        tried[base] = n
    taken.add(candidate)
    return candidate


def date_of(path: str | os.PathLike[str]) -> dt.date | None:
    """The date a file's name gives: ``2024-01-31.csv``, ``export-2024-01-31.csv``;
    ``2024-01.csv`` is the month's last day. ``None`` when it gives none."""
    found = _DATE_IN_NAME.findall(Path(path).stem)
    if not found:
        return None
    year, month, day = (int(x) if x else 0 for x in found[-1])
    try:
        if not day:
            day = calendar.monthrange(year, month)[1]
        return dt.date(year, month, day)
    except (ValueError, calendar.IllegalMonthError):
        return None


@frozen
class Registry:
    """The ids kept across exports: ``people`` employee id -> person id,
    ``units`` department name -> unit id (``hr-ids.yaml``)."""

    people: Mapping[str, str] = attrs.field(factory=dict)
    units: Mapping[str, str] = attrs.field(factory=dict)

    @staticmethod
    def read(folder: Path) -> Registry:
        path = folder / HR_IDS_FILE
        if not path.exists():
            return Registry()
        try:
            text = path.read_text(encoding="utf-8")
            data = _read_plain(text)
            if data is None:
                data = yaml.load(text, Loader=yaml.CBaseLoader)
        except yaml.MarkedYAMLError as exc:  # one located line, not PyYAML's several
            mark = exc.problem_mark or exc.context_mark
            where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else path
            raise OrgdiffError(f"{where}: cannot be read: {exc.problem or exc.context}") from None
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise OrgdiffError(f"{path}: cannot be read: {exc}") from None
        data = data or {}
        ok = isinstance(data, dict) and all(
            isinstance(data.get(k, {}), dict) for k in ("people", "units")
        )
        if not ok:
            raise OrgdiffError(f"{path}: expected `people:` and `units:` mappings")
        return Registry(dict(data.get("people") or {}), dict(data.get("units") or {}))

    def dump(self) -> str:
        return self.dump_with(dict(self.people), self.units)

    @staticmethod
    def dump_with(people: Mapping[str, str] | _Lines, units: Mapping[str, str]) -> str:
        """The text of ``hr-ids.yaml``; ``people`` may be its section already
        written (``dump._Lines``)."""
        from .dump import _fast

        head = (
            "# Written by `orgdiff import`: which HR employee id is which person id, and\n"
            "# which department name is which unit id, so ids stay the same across exports.\n"
        )
        return head + _fast({"people": people, "units": dict(units)}, ("people", "units"))


def _read_plain(text: str) -> dict[str, dict[str, str]] | None:
    """``hr-ids.yaml`` as :meth:`Registry.dump` writes it (comments, ``people:``
    and ``units:``, then ``  KEY: VALUE`` lines of plain text), read line by line:
    what YAML reads, a hundred times quicker than libyaml's loader for 100,000
    people. ``None`` for anything else (quoted texts, other layouts, a curator's
    edits): then YAML reads it."""
    from .dump import _PLAIN_FLOW

    entry = re.compile(f"  ({_PLAIN_FLOW.pattern}): ({_PLAIN_FLOW.pattern})").fullmatch
    data: dict[str, dict[str, str]] = {}
    section: dict[str, str] | None = None
    for line in text.splitlines():
        if line.startswith("  "):
            found = entry(line)
            if found is None or section is None:
                return None
            section[found[1]] = found[2]
        elif line in ("people:", "units:") and line[:-1] not in data:
            section = data[line[:-1]] = {}
        elif line and not line.startswith("#"):
            return None
    return data


class _Problems:
    def __init__(self, file: str) -> None:
        self.file = file
        self.found: list[ExportProblem] = []

    def add(self, row: int, column: str, message: str) -> None:
        self.found.append(ExportProblem(self.file, row, column, message))


def _managers(export: Export, out: _Problems) -> dict[str, str | None]:
    """Each employee's manager's employee id (``None``: none given)."""
    col = export.columns.columns
    rows = export.rows
    emps = [r.employee_id for r in rows]
    bosses = [r.manager_id for r in rows]
    ids = set(emps)
    named = set(bosses)
    named.discard(None)
    if (
        "manager_email" not in col
        and "manager_name" not in col
        and named <= ids
        and not any(map(operator.eq, emps, bosses))
    ):
        # Managers by id, each in the export and nobody their own (the usual
        # export): the map is the column itself, with nothing to report.
        managers = dict(zip(emps, bosses, strict=True))
    else:
        managers = _managers_row_by_row(export, ids, out)
    # Manager cycles, each reported once, at its first row, then cut.
    mcol = next((col[c] for c in ("manager_id", "manager_email", "manager_name") if c in col), "-")
    row_of: dict[str, int] = {}
    for cycle in _cycles(managers):
        row_of = row_of or {r.employee_id: r.row for r in rows}
        first = min(cycle, key=lambda e: row_of[e])
        k = cycle.index(first)
        cycle = cycle[k:] + cycle[:k]
        text = " → ".join(str(row_of[e]) for e in [*cycle, first])
        out.add(row_of[first], mcol, f"manager cycle: rows {text}")
        for e in cycle:
            managers[e] = None
    return managers


def _managers_row_by_row(export: Export, ids: set[str], out: _Problems) -> dict[str, str | None]:
    """:func:`_managers` before cycles, for any export: managers by id, email or
    name, each problem reported at its row."""
    col = export.columns.columns
    rows = export.rows
    by_email: dict[str, list[Row]] = {}
    by_name: dict[str, list[Row]] = {}
    if "manager_email" in col:
        for r in rows:
            if r.email is not None:
                by_email.setdefault(r.email.casefold(), []).append(r)
    if "manager_name" in col:
        for r in rows:
            by_name.setdefault(r.name.casefold(), []).append(r)
    if "manager_email" in col and "email" not in col:
        out.add(
            1, col["manager_email"], "managers by email need an email column (--map COLUMN=email)"
        )
    managers: dict[str, str | None] = {}
    for r in rows:
        manager: str | None = None
        if r.manager_id is not None:
            if r.manager_id not in ids:
                out.add(r.row, col["manager_id"], "manager not in this export")
            else:
                manager = r.manager_id
        elif r.manager_email is not None or r.manager_name is not None:
            key, table, column = (
                (r.manager_email, by_email, "manager_email")
                if r.manager_email is not None
                else (r.manager_name, by_name, "manager_name")
            )
            assert key is not None
            found = table.get(key.casefold(), [])
            if not found:
                out.add(r.row, col[column], "manager not in this export")
            elif len(found) > 1:
                rows_text = ", ".join(str(f.row) for f in found)
                out.add(r.row, col[column], f"manager matches several people (rows {rows_text})")
            else:
                manager = found[0].employee_id
        if manager == r.employee_id:
            column = next(c for c in ("manager_id", "manager_email", "manager_name") if c in col)
            out.add(r.row, col[column], "employee is their own manager")
            manager = None
        managers[r.employee_id] = manager
    return managers


def _new_person_ids(
    bases: Iterable[tuple[str, str]], people_ids: dict[str, str], taken: set[str]
) -> None:
    """Give each new employee of ``bases`` (``(slug of the name, employee id)``)
    a person id in ``people_ids``: the slug, else the slug numbered (see
    :func:`_fresh`), in the order of the pairs, so that the ids do not depend on
    the rows' order. ``taken`` (the ids in use) takes the new ones."""
    tried: dict[str, int] = {}
    for base, emp in sorted(bases):
        if base and base not in taken:  # what _fresh would give, without the call
            taken.add(base)
            people_ids[emp] = base
        else:
            people_ids[emp] = _fresh(base, taken, "person", tried)


def _inferred_parents(above: Mapping[str, Sequence[str]]) -> dict[str, str | None]:
    """Each department's parent, from ``above`` (the departments of its heads'
    managers): the most frequent (on a tie the first by name), or ``None``."""
    parent: dict[str, str | None] = {}
    for d, depts in above.items():
        if len(depts) < 2:  # the usual department, of one head
            parent[d] = depts[0] if depts else None
            continue
        counts = Counter(depts)
        parent[d] = min(counts, key=lambda x: (-counts[x], x))
    return parent


class _Tree:
    """The units' tree from ``parent`` (department -> parent department, with
    no cycle), which it completes: the root (the one top department, else one
    named after the dataset), each department's unit id (kept for the known
    department names of ``known``, else the slug of the name), ``order`` (tree
    order, children by name), and ``index`` and ``size``: a department's
    subtree is the run of ``order`` from its index, ``size`` long (pre-order),
    an ancestor test in constant time."""

    def __init__(
        self, parent: dict[str, str | None], known: Mapping[str, str], root_name: str
    ) -> None:
        tops = sorted(d for d, p in parent.items() if p is None)
        if len(tops) > 1:
            root = root_name
            while root in parent and parent[root] is not None:
                root += " (all)"
            for d in tops:
                if d != root:
                    parent[d] = root
            parent.setdefault(root, None)
        self.parent = parent
        unit_ids = dict(known)
        taken = set(unit_ids.values())
        tried: dict[str, int] = {}
        for d in sorted(d for d in parent if d not in unit_ids):
            unit_ids[d] = _fresh(slug(d), taken, "unit", tried)
        self.unit_ids = unit_ids
        children: dict[str | None, list[str]] = {}
        for d, p in parent.items():
            children.setdefault(p, []).append(d)
        order: list[str] = []
        stack = sorted(children.get(None, []), reverse=True)
        while stack:
            d = stack.pop()
            order.append(d)
            stack.extend(sorted(children.get(d, []), reverse=True))
        self.order = order
        self.index = {d: i for i, d in enumerate(order)}
        size = dict.fromkeys(order, 1)
        for d in reversed(order):
            if (p := parent[d]) is not None:
                size[p] += size[d]
        self.size = size

    def units(self, leads: Mapping[str, Iterable[str]]) -> dict[str, Unit]:
        """The units in tree order, each led by ``leads`` (department -> person ids)."""
        ids, parent = self.unit_ids, self.parent
        return {
            ids[d]: Unit(
                ids[d],
                d,
                parent=ids[p] if (p := parent[d]) is not None else None,
                leads=tuple(sorted(leads.get(d, ()))),
            )
            for d in self.order
        }


@frozen
class Built:
    snapshot: Snapshot
    registry: Registry
    identities: dict[str, Identity]


@_gc_paused()
def snapshot_of(
    export: Export,
    date: dt.date,
    *,
    registry: Registry,
    identities: Mapping[str, Identity],
    root_name: str,
    source: str,
) -> Built:
    """The snapshot an export describes, with the ids of ``registry`` (extended
    for new employees and departments) and ``identities`` updated with names.
    Raises :class:`ExportError` for managers that are not in the export,
    manager cycles and departments whose parents form a cycle."""
    out = _Problems(export.file)
    col = export.columns.columns
    rows = export.rows
    managers = _managers(export, out)
    dept_of = {r.employee_id: r.department for r in rows}

    # Person ids: kept for known employees, new ones from their names.
    people_ids = dict(registry.people)
    _new_person_ids(
        ((slug(r.name), r.employee_id) for r in rows if r.employee_id not in people_ids),
        people_ids,
        set(people_ids.values()) | set(identities),
    )
    pid = people_ids

    # Departments, their heads and parents.
    members: dict[str, list[Row]] = {}
    for r in rows:
        members.setdefault(r.department, []).append(r)
    heads = {
        d: [r for r in rs if (m := managers[r.employee_id]) is None or dept_of[m] != d]
        for d, rs in members.items()
    }
    parent: dict[str, str | None] = {}
    if "department_parent" in col:
        seen: dict[str, Row] = {}
        for r in rows:
            first = seen.setdefault(r.department, r)
            if r.department_parent != first.department_parent:
                out.add(
                    r.row,
                    col["department_parent"],
                    f"parent department differs from row {first.row}'s, of the same department",
                )
            elif r.department_parent == r.department:
                out.add(r.row, col["department_parent"], "department is its own parent")
        for d, first in seen.items():
            p = first.department_parent
            parent[d] = p if p != d else None
            if p is not None and p not in members:
                parent.setdefault(p, None)
    else:
        parent = _inferred_parents(
            {
                d: [dept_of[m] for h in hs if (m := managers[h.employee_id]) is not None]
                for d, hs in heads.items()
            }
        )
    # Department cycles: each department on one reports it, starting from itself.
    for cycle in _cycles(parent):
        for k, d in enumerate(cycle):
            text = " → ".join([*cycle[k:], *cycle[:k], d])
            out.add(0, col["department"], f"departments form a cycle: {text}")
    if out.found:
        raise ExportError(out.found)

    tree = _Tree(parent, registry.units, root_name)
    unit_ids, order, index, size = tree.unit_ids, tree.order, tree.index, tree.size
    units = tree.units({d: [pid[h.employee_id] for h in hs] for d, hs in heads.items()})
    # Each department's members by person id (one sort for all), leads first.
    by_id: dict[str, list[tuple[str, Row]]] = {}
    for entry in sorted(((pid[r.employee_id], r) for r in rows), key=operator.itemgetter(0)):
        by_id.setdefault(entry[1].department, []).append(entry)
    people: dict[str, Person] = {}
    relations: list[Relation] = []
    for d in order:
        uid = unit_ids[d]
        entries = by_id.get(d, [])
        if leads := set(units[uid].leads):
            entries = [e for e in entries if e[0] in leads] + [
                e for e in entries if e[0] not in leads
            ]
        at = index[d]
        for p, r in entries:
            m = managers[r.employee_id]
            reports_to = None
            if m is not None:
                a = dept_of[m]
                if a == d or index[a] <= at < index[a] + size[a]:
                    reports_to = pid[m]
                else:
                    # orgdiff keeps reporting lines within a branch of units: a
                    # manager elsewhere is kept as a relation.
                    relations.append(Relation("reports-to", p, pid[m]))
            people[p] = Person(p, uid, r.title, reports_to)
    new_identities = dict(identities)
    for r in rows:
        p = pid[r.employee_id]
        old = new_identities.get(p)
        if old is None or old.name != r.name:
            new_identities[p] = Identity(p, r.name, old.aliases if old is not None else ())
    snap = Snapshot(
        date,
        f"Imported from the HR export {Path(export.file).name}",
        units,
        people,
        relations=tuple(relations),
        sources=(source,),
    )
    return Built(snap, Registry(people_ids, unit_ids), new_identities)


@frozen
class Plan:
    """What an import would write: ``files`` (path -> text, in writing order),
    the timeline they hold, and ``notes`` for standard error."""

    folder: Path
    files: dict[Path, str]
    _timeline: Timeline | None  # None: read from the files when first asked for
    notes: tuple[str, ...]

    @property
    def timeline(self) -> Timeline:
        """The timeline the files hold (as :func:`orgdiff.load` reads them)."""
        if self._timeline is None:
            object.__setattr__(self, "_timeline", _read_files(self.folder, self.files))
        assert self._timeline is not None
        return self._timeline


def _read_files(folder: Path, files: Mapping[Path, str]) -> Timeline:
    """The timeline of a new dataset's files, loaded from a temporary copy."""
    import tempfile

    from .load import load

    with tempfile.TemporaryDirectory() as tmp:
        for path, text in files.items():
            copy = Path(tmp, path.relative_to(folder))
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(text, encoding="utf-8")
        return load(tmp)


@_gc_paused()
def plan_import(
    folder: str | os.PathLike[str],
    exports: Sequence[tuple[str, dt.date]],
    *,
    columns: Mapping[str, str] | None = None,
    name: str | None = None,
    thresholds: Mapping[str, float] | None = None,
) -> Plan:
    """Read ``exports`` (``(file, date)``, imported in date order) into the
    dataset at ``folder`` (created if missing) and say what would be written.

    Nothing is written. Raises :class:`ExportError` (every problem of every
    export), :class:`OrgDataError` (the result would not validate) or
    :class:`OrgdiffError` (a folder that is not a dataset, dates out of order).

    The first import of one export into a new dataset is made, when the
    export's form allows, by :mod:`orgdiff._hrfast`, which writes the same
    files from the export's columns, several times quicker.
    """
    return _plan_import(folder, exports, columns=columns, name=name, thresholds=thresholds)


def _plan_import(
    folder: str | os.PathLike[str],
    exports: Sequence[tuple[str, dt.date]],
    *,
    columns: Mapping[str, str] | None = None,
    name: str | None = None,
    thresholds: Mapping[str, float] | None = None,
    fast: bool = True,
) -> Plan:
    """:func:`plan_import`; with ``fast`` false, always the careful way."""
    from .dump import dump
    from .infer import apply_lineage
    from .load import DATASET_FILE, SNAPSHOTS_DIR, load
    from .validate import validate

    root = Path(folder)
    if root.exists() and not root.is_dir():
        raise OrgdiffError(f"{root} is not a folder")
    existing: Timeline | None = None
    if (root / DATASET_FILE).exists():
        existing = load(root)
    elif root.exists() and any(root.iterdir()):
        raise OrgdiffError(
            f"{root} is not a dataset folder (no {DATASET_FILE}) and not empty; "
            "import into a dataset or a new folder"
        )
    registry = Registry.read(root)
    ds_name = existing.name if existing is not None else (name or root.resolve().name or "Org")
    snaps = list(existing.snapshots) if existing is not None else []
    checked = len(snaps)  # the snapshots load() validated, still in the timeline
    sources = dict(existing.sources) if existing is not None else {}
    identities = dict(existing.people) if existing is not None else {}

    ordered = sorted(exports, key=lambda e: e[1])
    if fast and existing is None and len(ordered) == 1:  # a new dataset, one export
        from ._hrfast import plan_first

        plan = plan_first(root, ordered[0][0], ordered[0][1], ds_name=ds_name, columns=columns)
        if plan is not None:
            return plan
    for (f1, d1), (f2, d2) in itertools.pairwise(ordered):
        if d1 == d2:
            raise OrgdiffError(f"{f1} and {f2} are both for {d1}; import one of them")
    exported: list[Export] = []
    problems: list[ExportProblem] = []
    for file, _date in ordered:
        try:
            exported.append(read_csv(file, columns))
        except ExportError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ExportError(problems)

    notes: list[str] = []
    written: list[Snapshot] = []
    keep = dict(thresholds or {})
    for export, (_file, date) in zip(exported, ordered, strict=True):
        if export.encoding != "utf-8":
            notes.append(f"{export.file}: read as {export.encoding}")
        if snaps and date < snaps[-1].date:
            raise OrgdiffError(
                f"{export.file} is for {date}, before the last snapshot "
                f"({snaps[-1].date}); exports are imported in date order"
            )
        if snaps and date == snaps[-1].date:
            snaps.pop()  # an export of the last date again replaces its snapshot
            checked = min(checked, len(snaps))
        key = f"hr-export-{date.isoformat()}"
        sources[key] = Source(key, f"HR export of {date.isoformat()} ({Path(export.file).name})")
        built = snapshot_of(
            export, date, registry=registry, identities=identities, root_name=ds_name, source=key
        )
        snap = built.snapshot
        inferred: tuple[object, ...] = ()
        if snaps:
            snap, inferred = apply_lineage(snaps[-1], snap, **keep)  # type: ignore[arg-type]
        registry = _registry_after(built.registry, snap)
        identities = built.identities
        snap = attrs.evolve(snap, event=_event(snaps[-1] if snaps else None, snap, export))
        snaps.append(snap)
        written.append(snap)
        notes.append(
            f"{export.file}: {date}: {len(snap.people)} people in {len(snap.units)} units"
            + (f"; lineage inferred for {len(inferred)} units" if inferred else "")
        )
    tl = Timeline(
        ds_name,
        tuple(snaps),
        description=existing.description if existing is not None else None,
        sources=sources,
        people=dict(sorted(identities.items())),
    )
    found = validate(tl, checked=checked)
    if found:
        raise OrgDataError(found)
    files: dict[Path, str] = {}
    for snap in written:
        files[root / SNAPSHOTS_DIR / f"{snap.date.isoformat()}.yaml"] = dump(snap)
    files[root / DATASET_FILE] = dump(tl)
    files[root / HR_IDS_FILE] = Registry(
        dict(sorted(registry.people.items())), registry.units
    ).dump()
    return Plan(root, files, tl, tuple(notes))


def _registry_after(built: Registry, snap: Snapshot) -> Registry:
    """The registry after an import of ``snap``: a rename keeps the earlier id,
    so department names point to the unit ids in use."""
    in_use = {u.name: u.id for u in snap.units.values()}
    ids_used = set(in_use.values())
    units_map = {n: i for n, i in built.units.items() if i not in ids_used}
    units_map.update(in_use)
    return Registry(built.people, dict(sorted(units_map.items())))


def _event(before: Snapshot | None, after: Snapshot, export: Export) -> str:
    """``Imported from the HR export X`` and the structural events since ``before``."""
    text = f"Imported from the HR export {Path(export.file).name}"
    if before is None:
        return text
    from .diff import diff
    from .events import group

    told = [
        e.text
        for e in group(diff(before, after))
        if e.kind in ("split", "merge", "succession", "dissolution", "rename")
    ]
    return f"{text}: {'; '.join(told)}" if told else text


def write_plan(plan: Plan) -> None:
    """Write the plan's files, each atomically (a temporary file, then a rename)."""
    from .dump import write_atomic

    for path, text in plan.files.items():
        write_atomic(path, text)


def exports_in(folder: str | os.PathLike[str]) -> list[tuple[str, dt.date]]:
    """The ``*.csv`` files of ``folder`` whose names give a date, in date order.

    A ``.csv`` whose name gives no date is an error: it would be silently left out.
    """
    base = Path(folder)
    found: list[tuple[str, dt.date]] = []
    undated: list[str] = []
    for path in sorted(base.iterdir()):
        if path.suffix.lower() != ".csv" or not path.is_file():
            continue
        date = date_of(path)
        if date is None:
            undated.append(str(path))
        else:
            found.append((str(path), date))
    if undated:
        raise ExportError(
            ExportProblem(f, 0, "-", "no date in the file name (name it like 2024-01.csv)")
            for f in undated
        )
    if not found:
        raise OrgdiffError(f"{base}: no CSV exports (files named like 2024-01.csv)")
    return sorted(found, key=lambda e: e[1])
