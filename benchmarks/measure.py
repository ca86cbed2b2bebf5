"""One measurement, in a process of its own (run by ``benchmarks.run``).

    python -m benchmarks.measure KIND FOLDER REPEAT

Prints one line of JSON: the wall-clock seconds of each repetition and a few
facts about the result. Setting up (loading the data a diff needs) is not
timed. The parent reads this process's peak memory from ``wait4``.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

KINDS = (
    "scan",
    "naive",
    "naive-nogc",
    "load",
    "diff",
    "dot",
    "deepdiff",
    "stats",
    "table-csv",
    "parquet",
)


def _files(folder: Path) -> list[Path]:
    return [folder / "dataset.yaml", *sorted((folder / "snapshots").glob("*.yaml"))]


def _snapshot_files(folder: Path) -> list[Path]:
    return sorted((folder / "snapshots").glob("*.yaml"))


def _naive(paths: list[Path]) -> list[Any]:
    """What a user writes by hand: PyYAML with libyaml, the safe loader."""
    out = []
    for path in paths:
        with path.open("rb") as fh:
            out.append(yaml.load(fh, Loader=yaml.CSafeLoader))
    return out


def _scan(paths: list[Path]) -> int:
    """libyaml's events, and nothing done with them: the floor of any YAML loader."""
    n = 0
    for path in paths:
        with path.open("rb") as fh:
            for _ in yaml.parse(fh, Loader=yaml.CSafeLoader):
                n += 1
    return n


def _setup(kind: str, folder: Path) -> tuple[Callable[[], Any], Callable[[Any], dict[str, Any]]]:
    """The timed call for ``kind``, and what to report of its result."""
    if kind == "scan":
        return (lambda: _scan(_files(folder))), (lambda n: {"events": n})
    if kind in ("naive", "naive-nogc"):
        return (lambda: _naive(_files(folder))), (lambda docs: {"files": len(docs)})
    import orgdiff

    if kind == "load":
        return (lambda: orgdiff.load(folder)), (
            lambda tl: {"people": sum(len(s.people) for s in tl.snapshots)}
        )
    tl = orgdiff.load(folder)
    before, after = tl.snapshots[0], tl.snapshots[-1]
    if kind == "diff":
        return (lambda: orgdiff.diff(before, after)), (
            lambda d: {"changes": len(d.changes), "events": len(d.events)}
        )
    if kind == "dot":
        d = orgdiff.diff(before, after)
        return (lambda: orgdiff.render(d).source), (lambda src: {"dot_bytes": len(src)})
    if kind == "stats":
        from orgdiff.stats import timeline_stats

        return (lambda: timeline_stats(tl)), (
            lambda ts: {"units": sum(s.units for s in ts.snapshots)}
        )
    if kind in ("table-csv", "parquet"):
        return (lambda: orgdiff.export(tl, kind)), (lambda data: {"bytes": len(data)})
    if kind == "deepdiff":
        from deepdiff import DeepDiff

        del tl, before, after
        a, b = _naive(_snapshot_files(folder))
        gc.collect()
        return (lambda: DeepDiff(a, b)), (lambda dd: {"reported": sum(len(v) for v in dd.values())})
    raise SystemExit(f"unknown measurement {kind!r}; one of {', '.join(KINDS)}")


def main(argv: list[str]) -> None:
    kind, folder, repeat = argv[0], Path(argv[1]), int(argv[2])
    call, describe = _setup(kind, folder)
    times: list[float] = []
    facts: dict[str, Any] = {}
    for _ in range(repeat):
        gc.collect()
        if kind == "naive-nogc":
            gc.disable()
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
        gc.enable()
        facts = describe(result)
        del result
    print(json.dumps({"kind": kind, "times": times, "facts": facts, "vmhwm_bytes": _vmhwm()}))


def _vmhwm() -> int | None:
    """This process's peak resident memory since it started (Linux), in bytes."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


if __name__ == "__main__":
    main(sys.argv[1:])
