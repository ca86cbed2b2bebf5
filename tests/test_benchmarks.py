"""The benchmarks' generator and runner still do what benchmarks/README.md says.

Not timings (those are the benchmarks' business): that the synthetic orgs are
valid, deterministic and churn the way the README describes, and that the
one-command runner produces its report.
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
from pathlib import Path

import pytest

import orgdiff
from benchmarks.generate import AFTER, BEFORE, generate, parse_size
from orgdiff import ChangeKind

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(2000, tmp_path_factory.mktemp("bench") / "org")


@pytest.mark.parametrize(("text", "n"), [("1k", 1000), ("10K", 10_000), ("1M", 1_000_000)])
def test_sizes_are_read_as_written(text: str, n: int) -> None:
    assert parse_size(text) == n


def test_generated_org_is_valid_and_shaped_as_described(org: Path) -> None:
    tl = orgdiff.load(org)
    assert [s.date.isoformat() for s in tl.snapshots] == [BEFORE, AFTER]
    before = tl.snapshots[0]
    assert len(before.people) == 2000
    # n / 20 units, give or take the way managers' subtrees fall.
    assert 2000 / 40 <= len(before.units) <= 2000 / 10
    reports = collections.Counter(p.reports_to for p in before.people.values() if p.reports_to)
    managers = [n for n in reports.values() if n > 1]
    assert max(managers) <= 8 and sorted(managers)[len(managers) // 2] >= 5


def test_second_snapshot_churns_about_one_percent_with_a_split_and_a_merge(org: Path) -> None:
    tl = orgdiff.load(org)
    d = orgdiff.diff(tl.snapshots[0], tl.snapshots[-1])
    kinds = collections.Counter(c.kind for c in d.changes)
    people_changed = {c.id for c in d.changes if c.kind.value.startswith("person-")}
    assert 0.005 <= len(people_changed) / 2000 <= 0.03, kinds
    for kind in (
        ChangeKind.PERSON_ADDED,
        ChangeKind.PERSON_REMOVED,
        ChangeKind.PERSON_MOVED,
        ChangeKind.PERSON_MANAGER_CHANGED,
        ChangeKind.UNIT_RENAMED,
        ChangeKind.UNIT_MOVED,
    ):
        assert kinds[kind] >= 1, f"no {kind.value} in {dict(kinds)}"
    splits = [c for c in d.changes if c.kind is ChangeKind.UNIT_REMOVED and len(c.into) == 2]
    merges = [c for c in d.changes if c.kind is ChangeKind.UNIT_ADDED and len(c.from_) == 2]
    assert len(splits) == 1 and len(merges) == 1


def test_generator_is_deterministic(org: Path, tmp_path: Path) -> None:
    again = generate(2000, tmp_path / "again")
    for path in sorted(org.rglob("*.yaml")):
        assert (again / path.relative_to(org)).read_bytes() == path.read_bytes(), path


def test_runner_prints_its_report(tmp_path: Path) -> None:
    """The one command of benchmarks/README.md, on the smallest size, once."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--sizes",
            "1k",
            "--repeat",
            "1",
            "--startup-repeat",
            "3",
            "--skip",
            "deepdiff",
            "--data",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = done.stdout
    assert "### 1,000 people" in report
    for row in ("libyaml event scan", "naive `yaml.load", "orgdiff load + validate", "DOT of"):
        assert row in report
    assert "DeepDiff" not in report  # skipped as asked
    assert "- CPU:" in report and "- Python 3." in report
    for row in (
        "| `python -c pass` |",
        "| `orgdiff --help` |",
        "| `orgdiff validate`, empty cache |",
        "| `orgdiff validate`, cached |",
        "| `orgdiff diff`, empty cache |",
        "| `orgdiff diff`, cached |",
    ):
        assert 1 == sum(line.startswith(row) for line in report.splitlines()), row
    assert "| `orgdiff --help` ≤ 6 x `python -c pass` |" in report


def test_runner_reports_what_was_measured_when_a_baseline_is_skipped(tmp_path: Path) -> None:
    """`--skip naive,scan` leaves out the baselines: the report shows n/a in their
    columns instead of crashing, and the JSON results hold every measurement."""
    raw = tmp_path / "results.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--sizes",
            "1k",
            "--repeat",
            "1",
            "--skip",
            "scan,naive,naive-nogc,deepdiff,dot,help,python,stats,table-csv,parquet",
            "--data",
            str(tmp_path),
            "--json",
            str(raw),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (0, "") == (done.returncode, done.stderr.count("Traceback") * "traceback")
    rows = [line for line in done.stdout.splitlines() if line.startswith("| **orgdiff")]
    assert 2 == len(rows)
    assert all(" | n/a | n/a | " in row for row in rows)
    kinds = ["cli-diff-cold", "cli-diff-warm", "cli-validate-cold", "cli-validate-warm"]
    assert sorted(["diff", "hash", "load", *kinds]) == sorted(json.loads(raw.read_text())["1000"])


def test_render_benchmark_prints_its_report(tmp_path: Path) -> None:
    """The render benchmark of benchmarks/README.md, on the bundled dataset, once:
    a first and a second call in new processes, the baseline, the chart's size."""
    raw = tmp_path / "render.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.render",
            "--sizes",
            "meta-ai",
            "--engines",
            "wasm",
            "--modes",
            "default",
            "--repeat",
            "1",
            "--json",
            str(raw),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == done.returncode, done.stderr
    assert "### Meta AI (2025-09)" in done.stdout
    result = json.loads(raw.read_text())["meta-ai"]
    chart = result["charts"]["wasm/default"]
    assert [0, 0] == [chart["first"][0]["status"], chart["second"][0]["status"]]
    people = len(orgdiff.load(ROOT / "orgs" / "meta-ai").at("2025-09").people)
    assert chart["facts"]["boxes"] >= people  # every person is a box (units may be too)
    assert chart["facts"]["width_pt"] > 0 and chart["facts"]["height_pt"] > 0
    assert "Meta AI: second render in a new process ≤ 2 x `orgdiff snapshots`" in done.stdout


@pytest.mark.parametrize(
    ("svg", "facts"),
    [
        (
            '<?xml version="1.0"?>\n<svg width="2104pt" height="406pt" viewBox="0 0 2104 406">'
            '<g id="node1" class="node"></g><g id="node2" class="node"></g></svg>',
            {"width_pt": 2104.0, "height_pt": 406.0, "boxes": 2},
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" width="400px" height="200px"></svg>',
            {"width_pt": 300.0, "height_pt": 150.0, "boxes": 0},
        ),
        (
            '<svg width="10pt" height="20pt"><g id="a" class="cluster unit"></g>'
            '<g id="b" class="node person uncertain"></g><g id="c" class="node junction"></g>'
            '<g id="d" class="node summary"></g><g id="e" class="edge reports-to"></g></svg>',
            {"width_pt": 10.0, "height_pt": 20.0, "boxes": 3},
        ),
    ],
)
def test_chart_size_is_read_in_points(svg: str, facts: dict[str, float], tmp_path: Path) -> None:
    from benchmarks.render import chart_facts

    path = tmp_path / "c.svg"
    path.write_text(svg)
    got = chart_facts(path)
    assert facts == {k: got[k] for k in facts}
