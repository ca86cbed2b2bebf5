"""The first import of one export into a new dataset, from its columns to text.

:func:`orgdiff.hrimport.plan_import` reads an export into rows, builds a model
of every person, validates the timeline and writes each model as YAML: at
100,000 people, about 30 times a bare ``csv.reader`` pass over the file. The
first import of one export into a new dataset, the usual first step and the
biggest, is done here instead, column by column: each step is a loop in C
(``map``, ``zip``, ``sorted``, ``str.join``, set and dict operations) over a
column, with Python loops only over departments and over the few rows that
need more (heads of departments, text that YAML must quote). No model is
built for a person; the people sections of the three files are written
straight from the columns.

It takes an export when nothing in it needs the careful path's attention, and
gives ``None`` for any other, which the careful path then reads, reporting what
is wrong. It takes:

- any encoding and separator :func:`orgdiff.formats.csv.read_csv` reads, and
  explicit column maps;
- rows as wide as the header (at least as wide, in quoted text), so no blank
  lines;
- in the mapped columns it reads, cells that are printable, with no run of
  spaces (quoted line breaks are not printable), and an id, a name and a
  department in every row;
- managers by employee id (no email, name or parent-department column),
  unique employee ids, each manager in the export, nobody their own, no
  manager cycle and no department cycle.

What it writes is what the careful path writes, byte for byte, with the same
notes: tests/test_hrfast.py checks it on generated exports, plain and hostile.
It does not run :func:`orgdiff.validate.validate` on the whole timeline: the
import's own checks and the form of what it builds (one root, each unit's
leads its members, reporting lines inside a branch of units and the others as
relations, slugs for ids) leave nothing for it to find in the people, whose
texts were checked as they were read; the texts of the dataset, the snapshot
and its units are checked as validate checks them. The result is about 4.5
times the bare ``csv.reader`` pass at 100,000 people (benchmarks/README.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import compress, repeat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .hrimport import Plan

# The bytes of printable ASCII text, and the line breaks.
_PRINTABLE = bytes(range(0x20, 0x7F)) + b"\r\n"
# The bytes of names of ASCII letters and digits between spaces, a name a line.
_NAME_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 \n"


class _Refused(Exception):
    """The export needs the careful path."""


def plan_first(
    root: Path,
    file: str,
    date: dt.date,
    *,
    ds_name: str,
    columns: Mapping[str, str] | None,
) -> Plan | None:
    """The plan of importing ``file`` (for ``date``) into the new dataset
    ``root`` named ``ds_name``, or ``None`` when the export needs the careful path."""
    from .errors import OrgdiffError

    try:
        return _plan(root, file, date, ds_name, columns)
    except (_Refused, OrgdiffError, csv.Error, OSError):
        return None


def _split(
    text: str, sep: str, raw: bytes | None, wanted: Callable[[list[str]], Iterable[int]]
) -> dict[int, list[str]] | None:
    """The cells of the columns ``wanted`` (given the header) of quote-free
    text, as :func:`_cleaned` gives them (``raw``, when given, is the text's
    bytes). ``None`` for text with quotes, or lines of different numbers of
    cells (blank lines too): for ``csv.reader``.

    The text is split at its line breaks and separators in a few C calls (what
    ``csv.reader`` reads, quicker), 64 KiB at a time: the cells of other
    columns go with each piece, and their memory serves the next one. In a
    piece, each line break becomes a NUL and a separator, and the piece is
    split at the separators: its lines are all as wide as the header when every
    NUL ends a cell of the last column."""
    if '"' in text or "\x00" in text:
        return None
    eol = "\r\n" if "\r\n" in text else "\n"
    if raw is None and text.isascii():
        raw = text.encode("ascii")
    printable = raw is not None and raw.isascii() and not raw.translate(None, _PRINTABLE)
    stop = len(text) - len(eol) if text.endswith(eol) else len(text)
    start = text.find(eol)
    if start < 0 or start >= stop:
        return None  # a header alone
    header = text[:start].split(sep)
    width = len(header)
    out: dict[int, list[str]] = {i: [] for i in wanted(header)}
    start += len(eol)
    while start < stop:
        end = text.find(eol, start + _PIECE, stop)
        end = stop if end < 0 else end
        piece = text[start:end].replace(eol, "\x00" + sep)
        if "\n" in piece or "\r" in piece:
            return None  # a line break other than the file's
        breaks = piece.count("\x00")
        cells = piece.split(sep)
        ends = "".join(cells[width - 1 :: width])
        if len(cells) != width * (breaks + 1) or ends.count("\x00") != breaks:
            return None
        for i, kept in out.items():
            kept += _cleaned(ends.split("\x00") if i == width - 1 else cells[i::width], printable)
        start = end + len(eol)
    return out


#: The size of the pieces :func:`_split` splits at once.
_PIECE = 1 << 16


def _cleaned(cells: list[str], printable: bool) -> list[str]:
    """Cells of a column as the careful reader has them, when that is all they
    need: printable (known when ``printable``), no run of spaces, stripped;
    else _Refused. They come as new strings, side by side in memory (the split
    leaves a column's cells among the other columns'): each later pass over
    the column is quicker for it, by more than this one costs."""
    joined = "\n".join(cells)
    if not printable and not joined.replace("\n", " ").isprintable():
        raise _Refused
    if "  " in joined or joined.count("\n") != len(cells) - 1:
        raise _Refused  # a run of spaces, a line break in a cell
    if joined[:1] == " " or joined[-1:] == " " or "\n " in joined or " \n" in joined:
        return list(map(str.strip, joined.split("\n")))
    return joined.split("\n")


def _plan(
    root: Path, file: str, date: dt.date, ds_name: str, explicit: Mapping[str, str] | None
) -> Plan:
    from .dump import (
        _PLAIN_FLOW,
        FLOW_WIDTH,
        _dataset,
        _entry_text,
        _fast,
        _identity,
        _identity_written,
        _Lines,
        _person,
        _person_written,
        _Plain,
        _snapshot,
        _unit,
        _unit_line,
        _unit_written,
    )
    from .formats.csv import ColumnMap, _decode, _delimiter
    from .hrimport import (
        HR_IDS_FILE,
        Plan,
        Registry,
        _inferred_parents,
        _new_person_ids,
        _Tree,
        slug,
    )
    from .load import DATASET_FILE, SNAPSHOTS_DIR
    from .model import Identity, Person, Relation, Snapshot, Source, Timeline, Unit
    from .validate import (
        _all_clean,
        _cycles,
        ids_are_well_formed,
        registry_is_well_formed,
        texts_are_clean,
    )

    with open(file, "rb") as fh:
        raw = fh.read()
    text, encoding = _decode(raw, file)
    sep = _delimiter(text)
    idx: dict[str, int] = {}

    fields = ("employee_id", "department", "title", "manager_id", "name", "first_name", "last_name")

    def wanted(header: list[str]) -> set[int]:
        _, found = ColumnMap.resolve([h.strip() for h in header], explicit, file=file)
        if found.keys() & {"manager_email", "manager_name", "department_parent"}:
            raise _Refused
        idx.update(found)
        return {i for f, i in found.items() if f in fields}

    cells = _split(text, sep, raw if encoding == "utf-8" else None, wanted)
    del raw
    if cells is None:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=False))
        if len(rows) < 2 or min(map(len, rows)) < len(rows[0]):
            raise _Refused  # rows may be wider than the header, not narrower
        cells = {
            i: _cleaned(list(map(operator.itemgetter(i), rows[1:])), False) for i in wanted(rows[0])
        }
        del rows  # only the mapped cells are kept
    del text
    got = {f: cells[idx[f]] for f in fields if f in idx}
    del cells
    n = len(got["employee_id"])
    blank = [""] * n  # for a field not mapped
    emps, depts, titles, mgrs = (
        got.get(f, blank) for f in ("employee_id", "department", "title", "manager_id")
    )
    if "name" in got:
        names = got["name"]
    else:
        first, last = got.pop("first_name", blank), got.pop("last_name", blank)
        if "" in first or "" in last:
            names = [f"{a} {b}" if a and b else a or b for a, b in zip(first, last, strict=True)]
        else:
            names = [f"{a} {b}" for a, b in zip(first, last, strict=True)]
        del first, last
    del got
    # Titles repeat: one string for each, so that the ones of the rows go.
    texts = set(titles)  # "" (no title) is not plain: its rows are odd ones
    titles = list(map({t: t for t in texts}.__getitem__, titles))
    joined = "\n".join(names)
    if not joined or joined[0] == "\n" or joined[-1] == "\n" or "\n\n" in joined:
        raise _Refused  # a blank name

    # Managers by row: ``up[i]`` is the row of row i's manager, n for none.
    # Each manager is in the export, nobody their own, and there is no cycle:
    # jumping up 2, 4, 8... levels at a time (a C pass each), every walk soon
    # reaches n.
    at = dict(zip(emps, range(n), strict=True))
    if len(at) != n or "" in at:
        raise _Refused  # a duplicate or blank employee id
    at[""] = n  # a blank manager: none
    up = list(map(at.get, mgrs, repeat(-1)))  # -1: not in the export
    del at, mgrs  # their memory serves what comes
    if -1 in up or any(map(operator.eq, up, range(n))):
        raise _Refused
    jump = [*up, n]
    for _ in range(9):
        if jump.count(n) == n + 1:
            break
        jump = list(map(jump.__getitem__, jump))
    else:
        if next(_cycles(dict(enumerate(up))), None) is not None:  # type: ignore[arg-type]
            raise _Refused

    # Person ids: the slugs of the names, numbered where they repeat. Names of
    # ASCII letters and digits between single spaces (the usual ones) are
    # slugged at once: lower case, a hyphen for a space; they are plain YAML.
    simple = joined.isascii() and not joined.encode("ascii").translate(None, _NAME_BYTES)
    bases = joined.lower().replace(" ", "-").split("\n") if simple else list(map(slug, names))
    pids: list[str] = bases
    if (not simple and "" in bases) or len(set(bases)) != n:
        found: dict[str, str] = {}
        _new_person_ids(zip(bases, emps, strict=True), found, set())
        pids = list(map(found.__getitem__, emps))

    # Departments, each numbered by its first row (``drow[i]`` is row i's
    # department's): their heads (whose manager is outside, or who have none),
    # parents, the tree of units; per department lists are indexed by number.
    number: dict[str, int] = {}
    drow = list(map(number.setdefault, depts, itertools.count()))
    del depts  # by number from here: the rows' strings go
    name_of = {k: d for d, k in number.items()}
    up_d = list(map([*drow, -1].__getitem__, up))
    head = list(map(operator.ne, up_d, drow))
    above: dict[str, list[str]] = {d: [] for d in number}
    leads: dict[str, list[str]] = {}
    for i in compress(range(n), head):
        d = name_of[drow[i]]
        leads.setdefault(d, []).append(pids[i])
        if (a := up_d[i]) >= 0:
            above[d].append(name_of[a])
    parent = _inferred_parents(above)
    if next(_cycles(parent), None) is not None:
        raise _Refused
    tree = _Tree(parent, {}, ds_name)
    uid: list[str] = [""] * n
    index, size, rank = [0] * n, [0] * n, [0] * n
    for d, k in number.items():
        uid[k], index[k], size[k] = tree.unit_ids[d], tree.index[d], tree.size[d]
        rank[k] = 2 * index[k]  # leads first: 2 * index, the others 2 * index + 1

    # People in the snapshot's order: by unit in tree order, leads first, by id.
    by_pid = sorted(range(n), key=pids.__getitem__)
    place = list(map(operator.add, map(rank.__getitem__, drow), map(operator.not_, head)))
    order = sorted(by_pid, key=place.__getitem__)
    # Reporting lines, but a head's manager in another branch of units is a relation.
    rts: list[str | None] = list(map([*pids, None].__getitem__, up))
    relations = []
    for i in compress(order, map(head.__getitem__, order)):
        if (a := up_d[i]) >= 0 and not index[a] <= index[drow[i]] < index[a] + size[a]:
            relations.append(Relation("reports-to", pids[i], pids[up[i]]))
            rts[i] = None

    # What validate checks of the dataset, the snapshot and its units: the
    # texts of the dataset and the snapshot, the units' names (no department
    # is blank). The tree has one root and every parent is a unit, by its
    # making; unit ids are slugs, well formed by theirs.
    name = Path(file).name
    key = f"hr-export-{date.isoformat()}"
    event = f"Imported from the HR export {name}"
    sources = {key: Source(key, f"HR export of {date.isoformat()} ({name})")}
    skeleton = Snapshot(date, event, {}, {}, tuple(relations), sources=(key,))
    tl = Timeline(ds_name, (skeleton,), sources=sources)
    checks = [registry_is_well_formed(tl), ids_are_well_formed(skeleton), texts_are_clean(skeleton)]
    if any(next(c, None) is not None for c in checks):
        raise _Refused
    if not _all_clean(tree.unit_ids):
        raise _Refused

    plain = _Plain()

    # The units, in tree order, leads by id: a line each, as dump writes them.
    unit_lines: list[str] = []
    for d in tree.order:
        u, p = tree.unit_ids[d], tree.parent[d]
        up_id = tree.unit_ids[p] if p is not None else None
        heads = sorted(leads.get(d, ()))
        line: str | None = None
        if up_id is not None and len(heads) == 1:
            line = _unit_line(u, d, up_id, heads[0], plain)
        if line is None:
            unit = Unit(u, d, parent=up_id, leads=tuple(heads))
            line = _entry_text("units", u, _unit_written(u, unit, plain) or _unit(unit))
        unit_lines.append(line)

    # The snapshot's people: a line each, as dump._person_written writes a
    # title, a unit and a manager in plain text, and the odd ones as dump
    # writes them. Lines are made in the rows' order and joined in the
    # snapshot's: each row's texts are looked at once, in the order they lie
    # in memory, which is what takes the time.
    urow = list(map(uid.__getitem__, drow))
    lines = [
        f"  {p}: {{title: {t}, unit: {u}, reports_to: {r}}}\n"
        for p, t, u, r in zip(pids, titles, urow, rts, strict=True)
    ]
    odd = set(compress(range(n), map(operator.is_, rts, repeat(None))))
    unit_ids = set(tree.unit_ids.values())
    unplain = {t for t in texts | unit_ids if not plain[t]}
    if unplain:
        odd.update(compress(range(n), map(unplain.__contains__, titles)))
        odd.update(compress(range(n), map(unplain.__contains__, urow)))
    if (
        31 + max(map(len, texts), default=0) + max(map(len, unit_ids)) + max(map(len, pids))
        > FLOW_WIDTH
    ):
        odd.update(
            k
            for k, (t, u, r) in enumerate(zip(titles, urow, rts, strict=True))
            if r and 31 + len(t) + len(u) + len(r) > FLOW_WIDTH
        )
    for k in odd:
        person = Person(pids[k], urow[k], titles[k] or None, rts[k])
        entry = _person_written(pids[k], person, plain) or _person(person)
        lines[k] = _entry_text("people", pids[k], entry)
    people = _Lines(_ordered(lines, order))
    snapshot_text = _fast(
        _snapshot(skeleton, plain, people=people, units=_Lines(unit_lines)), ("units", "people")
    )

    # dataset.yaml: the people registry, by id.
    lines = [f"  {p}: {{name: {nm}}}\n" for p, nm in zip(pids, names, strict=True)]
    odd = (
        set()
        if simple
        else set(compress(range(n), map(operator.not_, map(_PLAIN_FLOW.fullmatch, names))))
    )
    if max(map(len, names)) + 8 > FLOW_WIDTH:
        odd.update(k for k, nm in enumerate(names) if len(nm) + 8 > FLOW_WIDTH)
    for k in odd:
        identity = Identity(pids[k], names[k])
        entry = _identity_written(pids[k], identity, plain) or _identity(identity)
        lines[k] = _entry_text("people", pids[k], entry)
    people = _Lines(_ordered(lines, by_pid))
    dataset_text = _fast(_dataset(tl, plain, people=people), ("people",))

    # hr-ids.yaml: employee id -> person id, by employee id.
    lines = [f"  {e}: {p}\n" for e, p in zip(emps, pids, strict=True)]
    by_emp = sorted(range(n), key=emps.__getitem__)
    section = "".join(_ordered(lines, by_emp))
    if not _plain_keys(section, n):
        for k in compress(range(n), map(operator.not_, map(_PLAIN_FLOW.fullmatch, emps))):
            lines[k] = _entry_text("people", emps[k], pids[k])
        section = "".join(_ordered(lines, by_emp))
    people = _Lines((section,))
    # Every department is a unit in use (see hrimport._registry_after).
    ids_text = Registry.dump_with(people, dict(sorted(tree.unit_ids.items())))

    files = {
        root / SNAPSHOTS_DIR / f"{date.isoformat()}.yaml": snapshot_text,
        root / DATASET_FILE: dataset_text,
        root / HR_IDS_FILE: ids_text,
    }
    notes = [f"{file}: read as {encoding}"] if encoding != "utf-8" else []
    notes.append(f"{file}: {date}: {n} people in {len(unit_lines)} units")
    return Plan(root, files, None, tuple(notes))


def _ordered(lines: list[str], order: list[int]) -> Sequence[str]:
    """The lines in ``order`` (their indexes)."""
    if len(order) < 2:  # itemgetter of one index gives the item, not a tuple
        return lines
    return operator.itemgetter(*order)(lines)  # type: ignore[no-any-return]


# The bytes of a section of ``  KEY: ID`` lines whose keys are plain words.
_PAIRS_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/()'-\n :"


def _plain_keys(section: str, n: int) -> bool:
    """Whether the keys of ``section``, ``n`` lines ``  KEY: ID`` in the
    keys' order (an id is lowercase kebab-case), are all plain YAML of one word
    (``_PLAIN_FLOW`` without spaces): ASCII letters, digits and ``._/()'-``, a
    letter or digit first. Looked at in a few C passes over the section's
    text: no other byte, one colon and three spaces a line (so none in a key),
    and a letter or digit first in the first key. The keys are in order, and
    every other first byte a key may have sorts below the digits: so all of
    them start with a letter or a digit."""
    return (
        section.isascii()
        and not section.encode("ascii").translate(None, _PAIRS_BYTES)
        and section.count(":") == n
        and section.count(" ") == 3 * n
        and section[2:3].isalnum()
    )
