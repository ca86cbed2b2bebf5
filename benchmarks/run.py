"""Benchmark orgdiff against the floor and against what a user would otherwise write.

    uv run --group bench python -m benchmarks.run [--sizes 1k,10k,100k,1M]

For each size, a synthetic org (``benchmarks/generate.py``, cached under
``benchmarks/_data/``) is measured in separate processes, one per measurement,
so that each one's peak memory is its own:

- ``scan``: libyaml's bare event stream over the dataset's files
  (``yaml.parse`` with the C parser), the floor of any YAML loader;
- ``naive``: ``yaml.load(f, Loader=yaml.CSafeLoader)`` on each file, as a user
  writes by hand (and ``naive-nogc``, the same with the garbage collector off);
- ``load``: ``orgdiff.load``, reading, structuring and validating;
- ``diff``: ``orgdiff.diff`` of the two snapshots (changes and events);
- ``dot``: the DOT source of that diff's chart (``orgdiff.render(d).source``);
- ``deepdiff``: ``deepdiff.DeepDiff`` of the two snapshots as PyYAML loads them
  (units and people are mappings keyed by id);
- ``stats``: ``orgdiff.stats.timeline_stats``, the numbers of every snapshot and
  of the period between them; ``table-csv`` and ``parquet``: ``orgdiff.export``
  of the whole timeline as one long table.

Times are medians of the repetitions; peak memory is the maximum resident set
of the measuring process (interpreter and imports included), from ``wait4``.
The report is Markdown, ready for ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from .generate import parse_size

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "_data"
LABELS = {
    "scan": "libyaml event scan (the floor)",
    "naive": "naive `yaml.load(CSafeLoader)`",
    "naive-nogc": "naive, garbage collector off",
    "load": "**orgdiff load + validate**",
    "diff": "**orgdiff diff**",
    "dot": "DOT of the diff chart",
    "deepdiff": "`DeepDiff` keyed by id",
    "stats": "**orgdiff stats** (every snapshot and period)",
    "table-csv": "**export table-csv** (every snapshot)",
    "parquet": "**export parquet** (every snapshot)",
}
DEFAULT_REPEAT = {1_000: 7, 10_000: 5, 100_000: 3, 1_000_000: 1}


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def measure(kind: str, folder: Path, repeat: int) -> dict[str, Any]:
    """Run one measurement in a child process; its times, facts and peak memory."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.measure", kind, str(folder), str(repeat)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"measurement {kind} on {folder} failed with status {proc.returncode}")
    result: dict[str, Any] = json.loads(out)
    result["median"] = statistics.median(result["times"])
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS. On Linux it starts
    # from this process's own peak (it is carried across fork and exec), so the
    # child's VmHWM, which is its own, is used where there is one.
    scale = 1 if sys.platform == "darwin" else 1024
    result["maxrss_bytes"] = usage.ru_maxrss * scale
    result["peak_bytes"] = result.get("vmhwm_bytes") or result["maxrss_bytes"]
    return result


def prepare(size: int, data: Path) -> Path:
    """The cached org of ``size`` people, generated in a child process so that
    this process stays small (see :func:`measure`)."""
    code = "import sys; from benchmarks.generate import cached; from pathlib import Path; "
    code += f"print(cached({size}, Path(sys.argv[1])))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(data)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return Path(done.stdout.strip())


def machine() -> list[str]:
    """What the numbers were measured on."""
    import yaml

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        memory = subprocess.run(
            ["free", "-h"], capture_output=True, text=True, check=True
        ).stdout.splitlines()[1]
        memory = " ".join(memory.split()[:2])
    except (OSError, subprocess.CalledProcessError, IndexError):
        pass
    try:
        import orgdiff

        version = orgdiff.__version__
    except ImportError:  # pragma: no cover
        version = "?"
    return [
        f"- date: {dt.date.today().isoformat()}",
        f"- CPU: {cpu}; `nproc`: {os.cpu_count()}",
        f"- memory (`free -h`): {memory}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.release()}",
        f"- PyYAML {yaml.__version__}, libyaml {'yes' if yaml.__with_libyaml__ else 'no'}; "
        f"orgdiff {version}",
    ]


def _mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 1e6 else f"{n / 1e3:,.0f} kB"


def _seconds(s: float) -> str:
    return f"{s:.3f} s" if s < 10 else f"{s:.1f} s"


def _size(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


def report(size: int, folder: Path, results: dict[str, dict[str, Any]]) -> list[str]:
    files = [folder / "dataset.yaml", *sorted((folder / "snapshots").glob("*.yaml"))]
    data = sum(p.stat().st_size for p in files)
    snaps = ", ".join(_mb(p.stat().st_size) for p in files[1:])
    scan = results.get("scan", {}).get("median")
    naive = results.get("naive", {}).get("median")
    facts = results.get("diff", {}).get("facts", {})
    lines = [
        f"### {size:,} people",
        "",
        f"Dataset {_mb(data)}: dataset.yaml {_mb(files[0].stat().st_size)}, snapshots {snaps}; "
        + (
            f"{facts['changes']:,} changes in {facts['events']:,} events."
            if facts
            else "(diff not measured)."
        ),
        "",
        "| measurement | median | x scan | x naive | peak memory | x data |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, label in LABELS.items():
        r = results.get(kind)
        if r is None:
            continue
        m = r["median"]
        x_scan = f"{m / scan:.2f}" if scan else "n/a"  # the baseline was skipped
        x_naive = f"{m / naive:.3f}" if naive else "n/a"
        lines.append(
            f"| {label} | {_seconds(m)} | {x_scan} | {x_naive} | "
            f"{_mb(r['peak_bytes'])} | {r['peak_bytes'] / data:.1f} |"
        )
    lines.append("")
    return lines


def targets(all_results: dict[int, tuple[Path, dict[str, dict[str, Any]]]]) -> list[str]:
    """The issue's targets, at 100k people (and memory at 1M), against what was measured."""
    lines = ["### Targets", "", "| target | measured | holds |", "|---|---:|:---:|"]

    def row(text: str, value: str, ok: bool) -> None:
        lines.append(f"| {text} | {value} | {'yes' if ok else '**no**'} |")

    if 100_000 in all_results:
        _, r = all_results[100_000]
        median = {kind: r[kind]["median"] for kind in ("load", "naive", "scan") if kind in r}
        load, naive, scan = (median.get(k) for k in ("load", "naive", "scan"))
        if load and naive:
            ratio = load / naive
            row("100k: load + validate ≤ 0.5 x naive load", f"{ratio:.3f} x", ratio <= 0.5)
        if load and scan:
            row("100k: load + validate ≤ 3 x event scan", f"{load / scan:.2f} x", load / scan <= 3)
        if "diff" in r and naive:
            d = r["diff"]["median"]
            row("100k: diff ≤ 0.1 x naive load", f"{d / naive:.4f} x", d / naive <= 0.1)
            if "deepdiff" in r:
                speedup = r["deepdiff"]["median"] / d
                row("100k: diff ≥ 50 x faster than DeepDiff", f"{speedup:,.0f} x", speedup >= 50)
    for size, (_, r) in sorted(all_results.items()):
        if size < 10_000 or "load" not in r:
            continue
        load = r["load"]["median"]
        for kind, text in (
            ("stats", "stats"),
            ("table-csv", "export table-csv"),
            ("parquet", "export parquet"),
        ):
            if kind in r:
                ratio = r[kind]["median"] / load
                row(f"{_size(size)}: {text} ≤ 1 x load", f"{ratio:.3f} x", ratio <= 1)
    if 1_000_000 in all_results:
        folder, r = all_results[1_000_000]
        files = [folder / "dataset.yaml", *sorted((folder / "snapshots").glob("*.yaml"))]
        data = sum(p.stat().st_size for p in files)
        for kind, text in (("load", "load + validate"), ("diff", "load, then diff")):
            if kind in r:
                ratio = r[kind]["peak_bytes"] / data
                row(f"1M: {text}, peak memory ≤ 5 x data", f"{ratio:.2f} x", ratio <= 5)
    lines.append("")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--sizes", default="1k,10k,100k,1M", help="comma-separated people counts (1k,10k,100k,1M)"
    )
    parser.add_argument("--repeat", type=int, help="repetitions per measurement (default by size)")
    parser.add_argument(
        "--skip",
        default="",
        help=f"measurements to leave out, comma-separated: {', '.join(LABELS)}",
    )
    parser.add_argument("--data", type=Path, default=DATA, help="where generated orgs are cached")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args(argv)

    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(LABELS)
    if unknown:
        parser.error(f"unknown measurement(s) {', '.join(sorted(unknown))}")

    out = ["## Results", "", *machine(), ""]
    everything: dict[int, tuple[Path, dict[str, dict[str, Any]]]] = {}

    def save() -> None:
        """The raw results so far, so that a crash or a Ctrl-C loses nothing measured."""
        if args.json is not None:
            raw = {str(size): results for size, (_, results) in everything.items()}
            tmp = args.json.with_name(args.json.name + ".tmp")
            tmp.write_text(json.dumps(raw, indent=2))
            tmp.replace(args.json)

    for size in sizes:
        _say(f"--- {size:,} people: generating (cached after the first run)")
        folder = prepare(size, args.data)
        repeat = args.repeat or DEFAULT_REPEAT.get(size, 3)
        results: dict[str, dict[str, Any]] = {}
        everything[size] = (folder, results)
        for kind in LABELS:
            if kind in skip:
                continue
            _say(f"    {kind} x{repeat}")
            results[kind] = measure(kind, folder, repeat)
            r = results[kind]
            _say(f"      median {_seconds(r['median'])}, peak {_mb(r['peak_bytes'])} {r['facts']}")
            save()
        out.extend(report(size, folder, results))
    out.extend(targets(everything))
    print("\n".join(out))


if __name__ == "__main__":
    main()
