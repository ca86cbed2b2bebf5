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
- ``hash``: the SHA-256 of every file of the dataset, which the cache of
  checked datasets computes on every command;
- ``cli-validate-cold``/``-warm``, ``cli-diff-cold``/``-warm``: the whole
  ``orgdiff validate`` and ``orgdiff diff`` commands in new processes, from an
  empty cache folder and from the cache the run before wrote;
- ``stats``: ``orgdiff.stats.timeline_stats``, the numbers of every snapshot and
  of the period between them; ``table-csv`` and ``parquet``: ``orgdiff.export``
  of the whole timeline as one long table.

and once per run, whatever the sizes: ``orgdiff --help`` against
``python -c pass`` (start-up), bytecode compiled.

Times are medians of the repetitions, wall clock and CPU (user + system); the
ratios and targets divide CPU times, which waiting for a busy machine's cores
does not inflate. Peak memory is the maximum resident set
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
    "hash": "SHA-256 of every file (the cache's check)",
    "cli-validate-cold": "`orgdiff validate`, empty cache",
    "cli-validate-warm": "`orgdiff validate`, cached",
    "cli-diff-cold": "`orgdiff diff`, empty cache",
    "cli-diff-warm": "`orgdiff diff`, cached",
    "stats": "**orgdiff stats** (every snapshot and period)",
    "table-csv": "**export table-csv** (every snapshot)",
    "parquet": "**export parquet** (every snapshot)",
}
STARTUP = {"python": "`python -c pass`", "help": "`orgdiff --help`"}
STARTUP_REPEAT = 21
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
    result["cpu"] = statistics.median(result["cpu_times"])
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
    scan = results.get("scan", {}).get("cpu")
    naive = results.get("naive", {}).get("cpu")
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
        "| measurement | median | CPU | x scan | x naive | peak memory | x data |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, label in LABELS.items():
        r = results.get(kind)
        if r is None:
            continue
        m = r["cpu"]
        x_scan = f"{m / scan:.2f}" if scan else "n/a"  # the baseline was skipped
        x_naive = f"{m / naive:.3f}" if naive else "n/a"
        lines.append(
            f"| {label} | {_seconds(r['median'])} | {_seconds(m)} | {x_scan} | {x_naive} | "
            f"{_mb(r['peak_bytes'])} | {r['peak_bytes'] / data:.1f} |"
        )
    lines.append("")
    return lines


def targets(
    all_results: dict[int, tuple[Path, dict[str, dict[str, Any]]]],
    startup: dict[str, dict[str, Any]] | None = None,
) -> list[str]:
    """The issues' targets, at 100k and 1M people and at start-up, against what
    was measured."""
    lines = ["### Targets", "", "| target | measured | holds |", "|---|---:|:---:|"]

    def row(text: str, value: str, ok: bool) -> None:
        lines.append(f"| {text} | {value} | {'yes' if ok else '**no**'} |")

    if 100_000 in all_results:
        _, r = all_results[100_000]
        median = {kind: r[kind]["cpu"] for kind in ("load", "naive", "scan") if kind in r}
        load, naive, scan = (median.get(k) for k in ("load", "naive", "scan"))
        if load and naive:
            ratio = load / naive
            row("100k: load + validate ≤ 0.5 x naive load", f"{ratio:.3f} x", ratio <= 0.5)
        if load and scan:
            row("100k: load + validate ≤ 3 x event scan", f"{load / scan:.2f} x", load / scan <= 3)
        if "diff" in r and naive:
            d = r["diff"]["cpu"]
            row("100k: diff ≤ 0.1 x naive load", f"{d / naive:.4f} x", d / naive <= 0.1)
            if "deepdiff" in r:
                speedup = r["deepdiff"]["cpu"] / d
                row("100k: diff ≥ 50 x faster than DeepDiff", f"{speedup:,.0f} x", speedup >= 50)
    for size, name in ((100_000, "100k"), (1_000_000, "1M")):
        if size not in all_results:
            continue
        _, r = all_results[size]
        for command in ("validate", "diff"):
            cold, warm = r.get(f"cli-{command}-cold"), r.get(f"cli-{command}-warm")
            if cold and warm:
                ratio = warm["cpu"] / cold["cpu"]
                row(
                    f"{name}: `orgdiff {command}` cached ≤ 0.15 x empty cache",
                    f"{ratio:.3f} x",
                    ratio <= 0.15,
                )
    if 100_000 in all_results:
        _, r = all_results[100_000]
        if "load" in r and "scan" in r:
            ratio = r["load"]["cpu"] / r["scan"]["cpu"]
            row("100k: load + validate ≤ 1.4 x event scan", f"{ratio:.2f} x", ratio <= 1.4)
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
                row(f"1M: {text}, peak memory ≤ 3 x data", f"{ratio:.2f} x", ratio <= 3)
        for kind in ("cli-validate-cold", "cli-validate-warm", "cli-diff-cold", "cli-diff-warm"):
            if kind in r:
                ratio = r[kind]["peak_bytes"] / data
                row(f"1M: {LABELS[kind]}, peak memory ≤ 3 x data", f"{ratio:.2f} x", ratio <= 3)
    if startup is not None and "help" in startup and "python" in startup:
        ratio = startup["help"]["cpu"] / startup["python"]["cpu"]
        row("`orgdiff --help` ≤ 6 x `python -c pass`", f"{ratio:.2f} x", ratio <= 6)
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
        help=f"measurements to leave out, comma-separated: {', '.join([*LABELS, *STARTUP])}",
    )
    parser.add_argument(
        "--startup-repeat",
        type=int,
        default=STARTUP_REPEAT,
        help=f"runs of each start-up measurement (default {STARTUP_REPEAT})",
    )
    parser.add_argument("--data", type=Path, default=DATA, help="where generated orgs are cached")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args(argv)

    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(LABELS) - set(STARTUP)
    if unknown:
        parser.error(f"unknown measurement(s) {', '.join(sorted(unknown))}")

    out = ["## Results", "", *machine(), ""]
    everything: dict[int, tuple[Path, dict[str, dict[str, Any]]]] = {}

    startup: dict[str, dict[str, Any]] = {}

    def save() -> None:
        """The raw results so far, so that a crash or a Ctrl-C loses nothing measured."""
        if args.json is not None:
            raw: dict[str, Any] = {str(size): results for size, (_, results) in everything.items()}
            raw["startup"] = startup
            tmp = args.json.with_name(args.json.name + ".tmp")
            tmp.write_text(json.dumps(raw, indent=2))
            tmp.replace(args.json)

    for kind in STARTUP:
        if kind in skip:
            continue
        _say(f"--- start-up: {kind} x{args.startup_repeat}")
        startup[kind] = measure(kind, ROOT, args.startup_repeat)
        _say(
            f"      median {_seconds(startup[kind]['median'])}, CPU {_seconds(startup[kind]['cpu'])}"
        )
        save()
    if startup:
        out.extend(["### Start-up", "", "| measurement | median | CPU | x `python -c pass` |"])
        out.append("|---|---:|---:|---:|")
        base = startup.get("python", {}).get("cpu")
        for kind, r in startup.items():
            ratio = f"{r['cpu'] / base:.2f}" if base else "n/a"
            ms = f"{r['median'] * 1000:.1f} ms | {r['cpu'] * 1000:.1f} ms"
            out.append(f"| {STARTUP[kind]} | {ms} | {ratio} |")
        out.append("")
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
            _say(
                f"      median {_seconds(r['median'])}, CPU {_seconds(r['cpu'])}, "
                f"peak {_mb(r['peak_bytes'])} {r['facts']}"
            )
            save()
        out.extend(report(size, folder, results))
    out.extend(targets(everything, startup))
    print("\n".join(out))


if __name__ == "__main__":
    main()
