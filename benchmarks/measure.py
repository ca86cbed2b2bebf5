"""One measurement, in a process of its own (run by ``benchmarks.run``).

    python -m benchmarks.measure KIND FOLDER REPEAT

Prints one line of JSON: the wall-clock and CPU seconds of each repetition and a few
facts about the result. Setting up (loading the data a diff needs) is not
timed. The parent reads this process's peak memory from ``wait4``.

The ``cli-*`` kinds and ``help``/``python`` time whole commands, each in a new
process (``python -m orgdiff ...``), and report the largest peak memory of
those processes: ``cli-validate-cold`` and ``cli-diff-cold`` start each time
from an empty cache folder (so they include writing the cache),
``cli-validate-warm`` and ``cli-diff-warm`` from the cache the first, untimed
run wrote; ``help`` is ``orgdiff --help`` (the console script beside this
Python, else ``python -m orgdiff``) and ``python`` is ``python -c pass``,
both with orgdiff's and click's bytecode compiled beforehand.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
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
    "hash",
    "cli-validate-cold",
    "cli-validate-warm",
    "cli-diff-cold",
    "cli-diff-warm",
    "help",
    "python",
    "stats",
    "table-csv",
    "parquet",
)
COMMANDS = ("cli-validate-cold", "cli-validate-warm", "cli-diff-cold", "cli-diff-warm")


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

    if kind == "hash":
        from orgdiff.cache import fingerprint

        return (lambda: fingerprint(folder)), (lambda files: {"files": len(files or ())})
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


def _command(kind: str, folder: Path) -> list[str]:
    """The command line that ``kind`` times."""
    if kind == "python":
        return [sys.executable, "-c", "pass"]
    if kind == "help":
        # The console script, as a user types it (`python -m` adds runpy's imports).
        script = Path(sys.executable).with_name("orgdiff")
        if script.is_file():
            return [str(script), "--help"]
        return [sys.executable, "-m", "orgdiff", "--help"]
    if kind.startswith("cli-validate"):
        return [sys.executable, "-m", "orgdiff", "validate", str(folder)]
    dates = [p.stem for p in _snapshot_files(folder)]
    return [sys.executable, "-m", "orgdiff", "--org", str(folder), "diff", dates[0], dates[-1]]


def _compile_bytecode() -> None:
    """orgdiff's and click's modules compiled, as an installed package has them."""
    import compileall

    import click

    import orgdiff

    for package in (orgdiff, click):
        compileall.compile_dir(Path(str(package.__file__)).parent, quiet=1)


def _run_command(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall-clock seconds, CPU seconds and peak memory (bytes) of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with status {os.waitstatus_to_exitcode(status)}")
    scale = 1 if sys.platform == "darwin" else 1024
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * scale


def _commands(kind: str, folder: Path, repeat: int) -> dict[str, Any]:
    """Time ``repeat`` runs of a command, each in a new process."""
    cmd = _command(kind, folder)
    if kind in ("help", "python"):
        _compile_bytecode()
    home = Path(tempfile.mkdtemp(prefix="orgdiff-bench-cache-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(home)}
    env.pop("ORGDIFF_NO_CACHE", None)
    times: list[float] = []
    cpu: list[float] = []
    peak = 0
    try:
        if not kind.endswith("-cold"):
            _run_command(cmd, env)  # untimed: writes the cache, warms the file cache
        for _ in range(repeat):
            if kind.endswith("-cold"):
                shutil.rmtree(home / "orgdiff", ignore_errors=True)
            elapsed, used, rss = _run_command(cmd, env)
            times.append(elapsed)
            cpu.append(used)
            peak = max(peak, rss)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return {"kind": kind, "times": times, "cpu_times": cpu, "facts": {}, "vmhwm_bytes": peak}


def main(argv: list[str]) -> None:
    kind, folder, repeat = argv[0], Path(argv[1]), int(argv[2])
    if kind in (*COMMANDS, "help", "python"):
        print(json.dumps(_commands(kind, folder, repeat)))
        return
    call, describe = _setup(kind, folder)
    times: list[float] = []
    cpu: list[float] = []
    facts: dict[str, Any] = {}
    for _ in range(repeat):
        gc.collect()
        if kind == "naive-nogc":
            gc.disable()
        start, cpu_start = time.perf_counter(), time.process_time()
        result = call()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
        gc.enable()
        facts = describe(result)
        del result
    out = {"kind": kind, "times": times, "cpu_times": cpu, "facts": facts}
    print(json.dumps({**out, "vmhwm_bytes": _vmhwm()}))


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
