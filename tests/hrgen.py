"""Made-up HR exports for tests, the tutorial and the benchmark: no real people.

Names come from invented syllables; salaries, addresses and birth dates are
there to prove that ``orgdiff import`` never writes a column it was not asked
to read. Everything is deterministic for a given seed.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

FIRST = (
    "Arlo",
    "Brisa",
    "Caddo",
    "Delphy",
    "Elsin",
    "Faro",
    "Gwenna",
    "Havel",
    "Ilka",
    "Jorun",
    "Kessa",
    "Lunet",
    "Marrow",
    "Nevis",
    "Orla",
    "Pell",
    "Quill",
    "Rosk",
    "Sabel",
    "Tarn",
    "Ulla",
    "Vesper",
    "Wren",
    "Xander",
    "Yssa",
    "Zorin",
)
LAST = (
    "Ambervale",
    "Brackwood",
    "Corrindale",
    "Dunmarsh",
    "Eastmere",
    "Fallowby",
    "Greythorn",
    "Harrowgate",
    "Ivybridge",
    "Juniperfield",
    "Kettlewick",
    "Larkspurr",
    "Mossgrove",
    "Nettlebank",
    "Oakhollow",
    "Pebbleford",
    "Quarrystone",
    "Rushmere",
    "Saltmarsh",
    "Thistledown",
    "Underhill",
    "Vellacott",
    "Willowmere",
    "Yarrowby",
)
#: Columns an HR system exports that orgdiff must never write.
PRIVATE = ("Salary", "Home Address", "Birth Date")
HEADER = ("Employee ID", "First Name", "Last Name", "Job Title", "Manager ID", "Department")


@dataclass(frozen=True)
class Employee:
    eid: str
    first: str
    last: str
    title: str
    manager: str | None
    department: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


def names(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """``n`` distinct made-up (first, last) names."""
    pool = [(f, last) for f in FIRST for last in LAST]
    if n > len(pool):
        pool += [(f"{f}{k}", last) for k in range(2, 2 + n // len(pool) + 1) for f, last in pool]
    return rng.sample(pool, n)


def private_cells(rng: random.Random) -> tuple[str, str, str]:
    """A salary, a home address and a birth date: the data that must not leak."""
    salary = f"{rng.randrange(40, 250) * 1000}"
    address = f"{rng.randrange(1, 999)} {rng.choice(LAST)} Lane, Nowhere"
    birth = f"19{rng.randrange(50, 99)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    return salary, address, birth


def to_csv(
    people: Iterable[Employee], *, seed: int = 0, delimiter: str = ",", private: bool = True
) -> str:
    """The export as CSV text, with the private columns unless ``private`` is false."""
    rng = random.Random(seed)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER + (PRIVATE if private else ()))
    for e in people:
        row = (e.eid, e.first, e.last, e.title, e.manager or "", e.department)
        writer.writerow(row + (private_cells(rng) if private else ()))
    return out.getvalue()


def company(
    *, seed: int = 0, departments: int = 6, size: int = 40, depth: int = 2
) -> list[Employee]:
    """A company: an Executive department under a chief executive, ``departments``
    more below it (each may nest under another, up to ``depth``), ``size`` people."""
    rng = random.Random(seed)
    pool = names(rng, size)
    depts = ["Executive"] + [f"Department {chr(65 + k)}" for k in range(departments)]
    if departments > 26:
        depts = ["Executive"] + [f"Department {k}" for k in range(departments)]
    parent: dict[str, str | None] = {"Executive": None}
    level = {"Executive": 0}
    for d in depts[1:]:
        options = [p for p in parent if level[p] < depth]
        p = rng.choice(options)
        parent[d] = p
        level[d] = level[p] + 1
    people: list[Employee] = []
    head: dict[str, str] = {}
    for k, d in enumerate(depts):
        first, last = pool[k]
        eid = f"E{k + 1:05d}"
        manager = head[parent[d]] if parent[d] is not None else None  # type: ignore[index]
        title = "Chief Executive" if d == "Executive" else f"Head of {d}"
        people.append(Employee(eid, first, last, title, manager, d))
        head[d] = eid
    for k in range(len(depts), size):
        first, last = pool[k]
        d = rng.choice(depts)
        members = [e.eid for e in people if e.department == d]
        people.append(
            Employee(
                f"E{k + 1:05d}",
                first,
                last,
                rng.choice(("Engineer", "Analyst", "Lead")),
                rng.choice(members),
                d,
            )
        )
    return people


def rename(people: Sequence[Employee], old: str, new: str) -> list[Employee]:
    """Department ``old`` renamed ``new``: the same people under a new name."""
    return [replace(e, department=new) if e.department == old else e for e in people]


def split(people: Sequence[Employee], old: str, parts: Sequence[str]) -> list[Employee]:
    """Department ``old`` split into ``parts``: its head keeps the first part; the
    members go round-robin; each other part is headed by one of them, who reports
    to the old head's manager."""
    members = [e for e in people if e.department == old]
    head = next(e for e in members if e.manager is None or all(m.eid != e.manager for m in members))
    rest = [e for e in members if e is not head]
    assign: dict[str, str] = {head.eid: parts[0]}
    part_heads: dict[str, str] = {parts[0]: head.eid}
    for k, e in enumerate(rest):
        part = parts[(k + 1) % len(parts)]
        assign[e.eid] = part
        part_heads.setdefault(part, e.eid)
    out = []
    for e in people:
        if e.eid not in assign:
            out.append(e)
            continue
        part = assign[e.eid]
        if e.eid == part_heads[part]:
            manager = head.manager if e is not head else e.manager
        else:
            manager = part_heads[part]
        out.append(replace(e, department=part, manager=manager))
    return out


def merge(people: Sequence[Employee], olds: Sequence[str], new: str) -> list[Employee]:
    """Departments ``olds`` merged into ``new``, headed by the first one's head (or
    the head above the others); the other heads report to them."""
    members = {e.eid: e for e in people if e.department in olds}
    heads = [
        e
        for e in members.values()
        if e.manager is None
        or e.manager not in members
        or members[e.manager].department != e.department
    ]
    # The merged unit's head: the first one's head, unless they report inside the merge.
    by_id = {e.eid: e for e in people}

    def on_top(h: Employee) -> bool:  # no merged person above them
        m = h.manager
        while m is not None:
            if m in members:
                return False
            m = by_id[m].manager
        return True

    outside = [h for h in heads if on_top(h)]
    first = next((h for h in outside if h.department == olds[0]), outside[0])
    out = []
    for e in people:
        if e.eid not in members:
            out.append(e)
        elif e in heads and e is not first:
            out.append(replace(e, department=new, manager=first.eid))
        else:
            out.append(replace(e, department=new))
    return out
