"""Benchmark `orgdiff import` of HR exports against a bare ``csv.reader`` pass.

    uv run python -m benchmarks.hrimport [--sizes 10k,100k] [--repeat 3]

For each size N, two monthly exports of N made-up people are generated in a
temporary folder (one row per person, with salary, address and birth-date
columns that the import drops; the second month renames 1% of the departments
and moves 1% of the people). Measured in this process, medians of the
repetitions, as ratios to the floor:

- ``csv.reader``: a bare pass over the first file (decode and split, nothing
  kept), the floor;
- ``import``: :func:`orgdiff.hrimport.plan_import` of the one file into a new
  dataset: everything up to writing, the YAML text of every file included
  (nothing written). This first import goes the quick way
  (:mod:`orgdiff._hrfast`). It is measured right after the floor, as a
  command runs it, in a fresh process: after the rows below, which leave
  a million objects' worth of memory to the allocator, it takes about 5%
  longer;
- ``import, careful``: the same import the careful way (rows, models,
  ``validate``, ``dump``), which every other import takes;
- ``read_csv``: :func:`orgdiff.formats.csv.read_csv` (decode, map columns,
  check ids, names and departments);
- ``snapshot``: ``read_csv`` and :func:`orgdiff.hrimport.snapshot_of`
  (managers, cycles, departments, units, ids);
- ``validated``: ``snapshot`` and :func:`orgdiff.validate` of it: the
  import up to writing;
- ``import, month 2``: :func:`orgdiff.hrimport.plan_import` of the second
  month's file into the dataset the first one made (written): loading that
  dataset and its ``hr-ids.yaml``, the lineage, the events and checking the new
  snapshot, the careful way;
- ``infer``: :func:`orgdiff.infer.apply_lineage` between the two months'
  snapshots.

Times are the CPU time of this process (``time.process_time``), so that other
jobs on a shared machine slow it less than they would the wall clock.

The target (issue #16): ``import`` within 5x ``csv.reader``; ``infer`` in a
few seconds at 100k.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .generate import parse_size

FAN_OUT = 7
TEAM = 20  # about one department per TEAM people


def rows(n: int, *, seed: int = 0, month: int = 0) -> list[list[str]]:
    """N people in a reporting tree; each department headed by a person whose
    manager is in the parent department. ``month`` 1 renames and moves 1%."""
    rng = random.Random(seed)
    dept: list[str] = []
    heads: dict[str, int] = {}
    out: list[list[str]] = []
    for k in range(n):
        manager = (k - 1) // FAN_OUT if k else None
        if k == 0 or k % TEAM == 1:
            d = f"Team {k}"
            heads[d] = k
        else:
            d = dept[manager]  # type: ignore[index]
        dept.append(d)
        salary = str(rng.randrange(40_000, 250_000))
        out.append(
            [
                f"E{k:07d}",
                f"Given{k % 997}",
                f"Family{k // 997}",
                "Engineer",
                f"E{manager:07d}" if manager is not None else "",
                d,
                salary,
                f"{rng.randrange(1, 999)} Made-up Lane",
                "1980-01-01",
            ]
        )
    if month:
        renamed = {d: f"{d} Renamed" for d in heads if int(d.split()[1]) % 100 == 1}
        for row in out:
            row[5] = renamed.get(row[5], row[5])
        teams = sorted(set(renamed.get(d, d) for d in dept))
        head_of = {renamed.get(d, d): k for d, k in heads.items()}
        for k in range(n):
            leaf = k * FAN_OUT + 1 >= n
            if leaf and k % 100 == 7 and k % TEAM != 1:
                target = teams[rng.randrange(len(teams))]
                out[k][5] = target
                out[k][4] = f"E{head_of[target]:07d}"
    return out


HEADER = [
    "Employee ID",
    "First Name",
    "Last Name",
    "Job Title",
    "Manager ID",
    "Department",
    "Salary",
    "Home Address",
    "Birth Date",
]


def write(path: Path, data: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(data)


def timed(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        func()
        times.append(time.process_time() - start)
    return statistics.median(times)


def bare(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        for _ in csv.reader(fh):
            pass


def run(n: int, repeat: int) -> list[str]:
    from orgdiff.formats.csv import read_csv
    from orgdiff.hrimport import Registry, _plan_import, plan_import, snapshot_of, write_plan
    from orgdiff.infer import apply_lineage
    from orgdiff.validate import validate

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        jan, feb = folder / "2024-01.csv", folder / "2024-02.csv"
        write(jan, rows(n, month=0))
        write(feb, rows(n, month=1))

        def snap(path: Path, date: dt.date, registry: Registry) -> object:
            return snapshot_of(
                read_csv(path),
                date,
                registry=registry,
                identities={},
                root_name="Bench",
                source="s",
            )

        floor = timed(lambda: bare(jan), repeat)
        first = [(str(jan), dt.date(2024, 1, 31))]
        results = {
            "csv.reader": floor,
            "import": timed(lambda: plan_import(folder / "org", first), repeat),
            "import, careful": timed(
                lambda: _plan_import(folder / "org", first, fast=False), repeat
            ),
            "read_csv": timed(lambda: read_csv(jan), repeat),
            "snapshot": timed(lambda: snap(jan, dt.date(2024, 1, 31), Registry()), repeat),
            "validated": timed(
                lambda: validate(
                    snap(jan, dt.date(2024, 1, 31), Registry()).snapshot  # type: ignore[attr-defined]
                ),
                repeat,
            ),
        }
        write_plan(plan_import(folder / "org", first))
        results["import, month 2"] = timed(
            lambda: plan_import(folder / "org", [(str(feb), dt.date(2024, 2, 29))]), repeat
        )
        a = snap(jan, dt.date(2024, 1, 31), Registry())
        b = snap(feb, dt.date(2024, 2, 29), a.registry)  # type: ignore[attr-defined]
        found: list[int] = []

        def infer() -> None:
            _, inferred = apply_lineage(a.snapshot, b.snapshot)  # type: ignore[attr-defined]
            found.append(len(inferred))

        results["infer"] = timed(infer, repeat)
    lines = [
        f"### {n:,} people",
        "",
        "| measurement | median | x csv.reader |",
        "|---|---:|---:|",
    ]
    for name, t in results.items():
        lines.append(f"| {name} | {t:.3f} s | {t / floor:.1f}x |")
    lines += ["", f"Lineage inferred for {found[-1]} units between the two months.", ""]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated sizes (10k, 100k)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions (default 3)")
    args = parser.parse_args(argv)
    for size in args.sizes.split(","):
        n = parse_size(size.strip())
        print(f"measuring {n:,} people...", file=sys.stderr, flush=True)
        print("\n".join(run(n, args.repeat)), flush=True)


if __name__ == "__main__":
    main()
