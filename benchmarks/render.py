"""Render benchmarks: how long a chart takes in a new process, and how big it is.

    uv run --group bench python -m benchmarks.render [--sizes meta-ai,1k,10k,100k]

Every measurement runs the command a user runs, in a new process:
``python -m orgdiff --org ORG render DATE -o chart.svg`` (and with ``--all``
when this version of orgdiff has it), with Graphviz's ``dot`` and with the
bundled WebAssembly Graphviz (``ORGDIFF_ENGINE``):

- first call: a new, empty user cache folder (``$XDG_CACHE_HOME``), so the
  WebAssembly Graphviz is compiled to machine code;
- second call: another new process with the cache the first one left;
- the baseline, in the same run: ``orgdiff --org ORG snapshots``, which loads
  and validates the same dataset and draws nothing.

Times are wall clock, medians of the repetitions; chart size is the SVG's
width and height in points, and the boxes it holds. Layouts are bounded
(``--timeout``, through ``ORGDIFF_RENDER_TIMEOUT``): a chart that is not done
by then is recorded as such. Child processes run with bytecode compiled (a
warm-up run writes it first), as an installed orgdiff does.

The sizes are the bundled Meta AI dataset (``meta-ai``, the chart of 2025-09)
and the synthetic orgs of ``benchmarks/generate.py`` (their later snapshot).
The report is Markdown, for ``benchmarks/README.md``; ``--json`` also keeps
the raw results, written after every measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .generate import AFTER, parse_size
from .run import DATA, ROOT, _say, machine, prepare

META_AI = ROOT / "orgs" / "meta-ai"
ENGINES = ("dot", "wasm")
MODES = ("default", "all")
#: People above which ``--all`` (or an old default that draws everyone) is not tried.
HUGE = 50_000


def _env(engine: str, cache_home: Path, timeout: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
    env.pop("ORGDIFF_NO_CACHE", None)
    env.update(
        ORGDIFF_ENGINE=engine,
        XDG_CACHE_HOME=str(cache_home),
        ORGDIFF_RENDER_TIMEOUT=f"{timeout:g}",
    )
    return env


def _timed(cmd: list[str], env: dict[str, str], cwd: Path, limit: float) -> dict[str, Any]:
    """Run ``cmd``; its wall-clock seconds, the CPU seconds of it and the processes
    it waited for (user + system), its exit status and its last line of errors."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        done = subprocess.run(
            cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=limit, check=False
        )
    except subprocess.TimeoutExpired:
        return {"seconds": time.perf_counter() - start, "status": None, "error": "killed"}
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    error = done.stderr.strip().splitlines()[-1] if done.returncode and done.stderr.strip() else ""
    return {"seconds": seconds, "cpu": cpu, "status": done.returncode, "error": error}


_LENGTH = re.compile(r'\s(width|height)="([0-9.]+)(pt|px)?"')
_CLASSES = re.compile(r'<g\b[^>]*\bclass="([^"]*)"')
#: Classes of the boxes a reader sees (charts with classes); helper nodes such as
#: the junctions of stacks are not boxes.
_BOX_CLASSES = {"person", "unit", "summary"}


def chart_facts(svg: Path) -> dict[str, Any]:
    """Width and height (pt) of an SVG chart, and how many boxes it holds: people,
    units and summaries where the chart's elements carry those classes, else every
    Graphviz node."""
    text = svg.read_text(encoding="utf-8")
    head = text[text.index("<svg") :][:2000]
    size = {m[1]: float(m[2]) * (0.75 if m[3] == "px" else 1.0) for m in _LENGTH.finditer(head)}
    classes = [set(m[1].split()) for m in _CLASSES.finditer(text)]
    boxes = sum(1 for c in classes if c & _BOX_CLASSES)
    if not boxes:
        boxes = sum(1 for c in classes if "node" in c)
    return {
        "width_pt": size.get("width"),
        "height_pt": size.get("height"),
        "boxes": boxes,
        "svg_bytes": len(text.encode("utf-8")),
    }


def has_all_option() -> bool:
    """Whether this orgdiff's ``render`` takes ``--all`` (the charts with a size budget)."""
    done = subprocess.run(
        [sys.executable, "-m", "orgdiff", "render", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return "--all" in done.stdout


def skip_reason(people: int, mode: str, budget: bool, huge: bool = False) -> str | None:
    """Why a chart is not measured, or ``None``; ``huge``: try even the biggest charts."""
    if mode == "all" and not budget:
        return "this orgdiff has no `--all`: its default chart already draws everyone"
    everyone = mode == "all" or not budget
    if everyone and people > HUGE and not huge:
        return (
            f"a layout of all {people:,} people does not finish in useful time "
            "(--include-huge tries it, bounded by --timeout)"
        )
    return None


def measure_size(
    name: str,
    folder: Path,
    date: str,
    people: int,
    args: argparse.Namespace,
    budget: bool,
    save: Any,
    repeat: int,
) -> dict[str, Any]:
    result: dict[str, Any] = {"folder": str(folder), "people": people, "charts": {}}
    plan = {
        f"{engine}/{mode}": skip_reason(people, mode, budget, args.include_huge)
        for engine in args.engines
        for mode in args.modes
    }
    result["snapshots"] = None
    if all(reason is not None for reason in plan.values()):
        for key, reason in plan.items():
            result["charts"][key] = {"skipped": reason}
            _say(f"    {key}: skipped ({reason})")
        return result
    with tempfile.TemporaryDirectory(prefix="orgdiff-bench-") as tmp:
        work = Path(tmp)
        base_env = _env("dot", work / "cache-baseline", args.timeout)
        snapshots = [sys.executable, "-m", "orgdiff", "--org", str(folder), "snapshots"]
        runs: list[dict[str, Any]] = []

        def baseline() -> None:
            """One more run of the baseline, taken between the charts' runs, so that
            both see the same load on the machine."""
            run = _timed(snapshots, base_env, work, args.timeout + 600)
            if run["status"] != 0:
                raise SystemExit(f"`orgdiff snapshots` failed on {folder}: {run['error']}")
            runs.append(run)
            result["snapshots"] = {
                "runs": runs,
                "median": statistics.median(r["seconds"] for r in runs),
                "cpu_median": statistics.median(r["cpu"] for r in runs),
            }

        _timed(snapshots, base_env, work, args.timeout + 600)  # warm-up: bytecode, disk cache
        for _ in range(3):
            baseline()
        _say(f"    snapshots: median {result['snapshots']['median']:.3f} s")
        save()
        for key, reason in plan.items():
            engine, mode = key.split("/")
            if reason is not None:
                result["charts"][key] = {"skipped": reason}
                _say(f"    {key}: skipped ({reason})")
                continue
            chart: dict[str, Any] = {"first": [], "second": []}
            result["charts"][key] = chart
            for i in range(repeat):
                cache_home = work / f"cache-{engine}-{mode}-{i}"
                env = _env(engine, cache_home, args.timeout)
                out = work / f"{name}-{engine}-{mode}-{i}.svg"
                cmd = [sys.executable, "-m", "orgdiff", "--org", str(folder), "render", date]
                cmd += ["-o", str(out), *(["--all"] if mode == "all" else [])]
                for call in ("first", "second"):
                    run = _timed(cmd, env, work, args.timeout + 600)
                    chart[call].append(run)
                    state = "ok" if run["status"] == 0 else f"failed: {run['error']}"
                    _say(f"    {key} {call} call: {run['seconds']:.2f} s, {state}")
                    if run["status"] != 0:
                        break
                    if "facts" not in chart:
                        chart["facts"] = chart_facts(out)
                    out.unlink()
                baseline()
                save()
                if any(r["status"] != 0 for r in chart["first"] + chart["second"]):
                    break  # a chart that fails once fails again: not repeated
            for call in ("first", "second"):
                ok = [r for r in chart[call] if r["status"] == 0]
                chart[f"{call}_median"] = (
                    statistics.median(r["seconds"] for r in ok) if ok else None
                )
                chart[f"{call}_cpu_median"] = (
                    statistics.median(r["cpu"] for r in ok) if ok else None
                )
    return result


def _s(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def report(name: str, r: dict[str, Any]) -> list[str]:
    measured = r["snapshots"] or {"median": None, "cpu_median": None}
    base, base_cpu = measured["median"], measured["cpu_median"]
    title = "Meta AI (2025-09)" if name == "meta-ai" else f"{r['people']:,} people"
    lines = [
        f"### {title}",
        "",
        f"Baseline `orgdiff snapshots`: {_s(base)} ({_s(base_cpu)} of CPU).",
        "",
        "| engine | chart | first call (cold cache) | second call | second / snapshots "
        "| CPU: second / snapshots | chart size (pt) | boxes |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key, chart in r["charts"].items():
        engine, mode = key.split("/")
        label = "`--all`" if mode == "all" else "default"
        if "skipped" in chart:
            lines.append(f"| {engine} | {label} | skipped: {chart['skipped']} | | | | | |")
            continue
        failed = [x for x in chart["first"] + chart["second"] if x["status"] != 0]
        first, second = chart["first_median"], chart["second_median"]
        ratio = f"{second / base:.2f}" if second else "n/a"
        second_cpu = chart["second_cpu_median"]
        cpu_ratio = f"{second_cpu / base_cpu:.2f}" if second_cpu else "n/a"
        facts = chart.get("facts")
        size = f"{facts['width_pt']:,.0f} x {facts['height_pt']:,.0f}" if facts else "n/a"
        boxes = f"{facts['boxes']:,}" if facts else "n/a"
        if failed:
            why = failed[0]["error"] or "killed"
            first_text = f"failed after {_s(failed[0]['seconds'])}: {why}"
            if first is not None:
                first_text = f"{_s(first)}; then {first_text}"
            lines.append(
                f"| {engine} | {label} | {first_text} | {_s(second)} | {ratio} | {cpu_ratio} | {size} | {boxes} |"
            )
        else:
            lines.append(
                f"| {engine} | {label} | {_s(first)} | {_s(second)} | {ratio} | {cpu_ratio} | {size} | {boxes} |"
            )
    lines.append("")
    return lines


def targets(results: dict[str, dict[str, Any]]) -> list[str]:
    lines = ["### Targets", "", "| target | measured | holds |", "|---|---:|:---:|"]

    def row(text: str, value: str, ok: bool | None) -> None:
        verdict = "n/a" if ok is None else ("yes" if ok else "**no**")
        lines.append(f"| {text} | {value} | {verdict} |")

    ten = results.get("10000")
    if ten is not None:
        chart = ten["charts"].get("wasm/default", {})
        first = chart.get("first_median")
        if "skipped" in chart:
            row("10k: default chart without dot ≤ 10 s", "skipped", None)
        elif first is None:
            row("10k: default chart without dot ≤ 10 s", "did not finish", False)
        else:
            row("10k: default chart without dot ≤ 10 s (first call)", _s(first), first <= 10)
    for name, r in results.items():
        chart = r["charts"].get("wasm/default", {})
        second = chart.get("second_median")
        if second is None:
            continue
        ratio = second / r["snapshots"]["median"]  # measured whenever a chart was
        label = "Meta AI" if name == "meta-ai" else f"{r['people'] // 1000}k"
        row(
            f"{label}: second render in a new process ≤ 2 x `orgdiff snapshots` (no dot)",
            f"{ratio:.2f} x",
            ratio <= 2,
        )
    lines.append("")
    return lines


def _load() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "unknown"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.render", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--sizes", default="meta-ai,1k,10k,100k", help="meta-ai and/or people counts"
    )
    parser.add_argument("--engines", default="dot,wasm", help="dot, wasm or both")
    parser.add_argument("--modes", default="default,all", help="default, all or both")
    parser.add_argument(
        "--repeat",
        type=int,
        help="first/second call pairs per chart (default: 3 for meta-ai and 1k, else 1)",
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a layout may take")
    parser.add_argument("--include-huge", action="store_true", help="try every chart, however big")
    parser.add_argument("--data", type=Path, default=DATA, help="where generated orgs are cached")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args(argv)
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if set(args.engines) - set(ENGINES) or set(args.modes) - set(MODES):
        parser.error(f"engines are {', '.join(ENGINES)}; modes are {', '.join(MODES)}")

    budget = has_all_option()
    results: dict[str, dict[str, Any]] = {}

    def save() -> None:
        if args.json is not None:
            tmp = args.json.with_name(args.json.name + ".tmp")
            tmp.write_text(json.dumps(results, indent=2))
            tmp.replace(args.json)

    out = ["## Render results", "", *machine()]
    out.append(f"- charts with a size budget (`render --all`): {'yes' if budget else 'no'}")
    out.append(f"- layout time limit: {args.timeout:g} s")
    out.append(f"- load average at the start (1, 5, 15 min): {_load()}")
    out.append("")
    started = time.perf_counter()
    for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        if size == "meta-ai":
            name, folder, date, people = "meta-ai", META_AI, "2025-09", 0
            import orgdiff

            people = len(orgdiff.load(META_AI).at(date).people)
        else:
            people = parse_size(size)
            name, date = str(people), AFTER
            _say(f"--- {people:,} people: generating (cached after the first run)")
            folder = prepare(people, args.data)
        _say(f"--- {name}")
        repeat = args.repeat or (3 if name == "meta-ai" or people <= 1000 else 1)
        results[name] = measure_size(name, folder, date, people, args, budget, save, repeat)
        save()
        out.extend(report(name, results[name]))
    out.extend(targets(results))
    out.append(f"Load average at the end (1, 5, 15 min): {_load()}.")
    out.append(f"The run took {(time.perf_counter() - started) / 60:.0f} minutes.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
