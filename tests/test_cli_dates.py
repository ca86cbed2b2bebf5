"""Dates mean what they say, on the command line (real processes) and in
`Timeline.log`: one range, [start of --since, end of --until]."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import orgdiff
from orgdiff.cli import cli

TESTS = Path(__file__).parent
EXAMPLE = TESTS / "data" / "example"
META = TESTS.parent / "orgs" / "meta-ai"
TL = orgdiff.load(EXAMPLE)  # snapshots 2022-01-10, 2023-03-01, 2024-06-03, 2025-02-14


def orgdiff_run(
    *args: str, org: Path = EXAMPLE, cwd: Path = TESTS
) -> subprocess.CompletedProcess[str]:
    """`orgdiff --org ORG ARGS` in a child process."""
    env = {k: v for k, v in os.environ.items() if k != "ORGDIFF_ORG"}
    return subprocess.run(
        [sys.executable, "-m", "orgdiff", "--org", str(org), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def logged(done: subprocess.CompletedProcess[str]) -> list[str]:
    """The snapshot dates a text log printed, in its order."""
    assert (done.returncode, done.stderr) == (0, "")
    return [line.split()[1] for line in done.stdout.splitlines() if line.startswith("snapshot ")]


# (--since, --until) -> the snapshots whose changes the log shows, newest first
# (the text log also shows the first snapshot, 2022-01-10, when it is in range).
RANGES = [
    (None, None, ["2025-02-14", "2024-06-03", "2023-03-01", "2022-01-10"]),
    ("2024", None, ["2025-02-14", "2024-06-03"]),
    ("2024-06-04", None, ["2025-02-14"]),  # the snapshot in effect then is not in range
    ("2023-03", "2023-03", ["2023-03-01"]),
    ("2023-04", "2024-05", []),  # nothing dated there: nothing printed
    ("2022", "2022", ["2022-01-10"]),
    ("2022-01-10", "2022-01-10", ["2022-01-10"]),
    ("2021", "2021", []),
    (None, "2021", []),
    (None, "2023", ["2023-03-01", "2022-01-10"]),
    ("2026", None, []),
    ("latest", None, ["2025-02-14"]),
    (None, "latest", ["2025-02-14", "2024-06-03", "2023-03-01", "2022-01-10"]),
    ("2000", "today", ["2025-02-14", "2024-06-03", "2023-03-01", "2022-01-10"]),
]


def _args(since: str | None, until: str | None) -> list[str]:
    return [*(["--since", since] if since else []), *(["--until", until] if until else [])]


@pytest.mark.parametrize(("since", "until", "dates"), RANGES)
def test_log_range_table(since: str | None, until: str | None, dates: list[str]) -> None:
    """`orgdiff log --since S --until U` shows the snapshots dated in
    [start of S, end of U], and `Timeline.log` gives the same diffs. (Run in
    this process for speed; the issue's examples below run the real command.)"""
    result = CliRunner().invoke(cli, ["--org", str(EXAMPLE), "log", *_args(since, until)])
    assert (result.exit_code, result.stderr) == (0, "")
    shown = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("snapshot ")]
    assert dates == shown
    in_log = [d.date_after.isoformat() for d in TL.log(since=since, until=until)]
    assert [d for d in dates if d != "2022-01-10"] == in_log


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        ("2025", "2024", "since `2025` (2025-01-01) is after until `2024` (2024-12-31)"),
        (
            "2024-07-01",
            "2024-06",
            "since `2024-07-01` (2024-07-01) is after until `2024-06` (2024-06-30)",
        ),
    ],
)
def test_since_after_until_is_an_error(since: str, until: str, message: str) -> None:
    """--since after --until: exit 2 and one line; Timeline.log raises the same."""
    done = orgdiff_run("log", "--since", since, "--until", until)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"orgdiff: error: {message}\n")
    with pytest.raises(orgdiff.DateError) as info:
        TL.log(since=since, until=until)
    assert message == str(info.value)


def _meta_dates_in(lo: dt.date, hi: dt.date) -> list[str]:
    tl = orgdiff.load(META)
    return [d.isoformat() for d in reversed(tl.dates) if lo <= d <= hi]


def test_the_issues_examples_on_meta_ai() -> None:
    """`log --since 2025` starts on 2025-01-01 (it once started at 2025-12-31);
    `--since 2025-10 --until 2025-11` includes 2025-10-22; `--since 2025-10-01
    --until 2025-10-01` prints nothing (it once printed 2025-08-19)."""
    since_2025 = logged(orgdiff_run("log", "--since", "2025", org=META))
    assert since_2025 == _meta_dates_in(dt.date(2025, 1, 1), dt.date.max)
    assert "2025-05-08" in since_2025
    autumn = logged(orgdiff_run("log", "--since", "2025-10", "--until", "2025-11", org=META))
    assert autumn == _meta_dates_in(dt.date(2025, 10, 1), dt.date(2025, 11, 30))
    assert "2025-10-22" in autumn
    done = orgdiff_run("log", "--since", "2025-10-01", "--until", "2025-10-01", org=META)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_latest_and_today_are_dates(tmp_path: Path) -> None:
    """`show latest` and `show today` are the last snapshot (here, in effect today)."""
    last = orgdiff_run("show", "2025-02-14")
    assert (last.returncode, last.stderr) == (0, "")
    for word in ("latest", "today"):
        done = orgdiff_run("show", word)
        assert (done.returncode, done.stdout, done.stderr) == (0, last.stdout, "")
    done = orgdiff_run("diff", "2024", "latest")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("Acme Robotics: 2024-06-03 → 2025-02-14\n")


def test_render_without_a_date_draws_the_latest(tmp_path: Path) -> None:
    """`orgdiff render` draws the last snapshot, named by its date."""
    done = orgdiff_run("render", "--format", "dot", cwd=tmp_path)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "example-2025-02-14.dot\n")
    chart = (tmp_path / "example-2025-02-14.dot").read_text(encoding="utf-8")
    assert 'label="Acme Robotics, 2025-02-14: ' in chart
    done = orgdiff_run("render", "latest", "--format", "dot", "-o", "-", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, chart)


def test_a_date_past_the_last_snapshot_is_said(tmp_path: Path) -> None:
    """`render 2030` draws the last snapshot, says so on stderr, and keeps 2030
    in the file name; `show 2030` says so too. 2025 (which holds the last
    snapshot) needs no word."""
    done = orgdiff_run("render", "2030", "--format", "dot", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "example-2030.dot\n")
    assert done.stderr == (
        "orgdiff: note: 2030 is after the last snapshot; showing the last one, 2025-02-14 "
        "(the file name keeps 2030)\n"
    )
    assert 'label="Acme Robotics, 2025-02-14: ' in (tmp_path / "example-2030.dot").read_text(
        encoding="utf-8"
    )
    done = orgdiff_run("show", "2030")
    assert (done.returncode, done.stderr) == (
        0,
        "orgdiff: note: 2030 is after the last snapshot; showing the last one, 2025-02-14\n",
    )
    assert (orgdiff_run("show", "2025").returncode, orgdiff_run("show", "2025").stderr) == (0, "")


@pytest.mark.parametrize(
    "command", [("show", "2021"), ("render", "2021-12"), ("diff", "2020", "2024")]
)
def test_a_date_before_the_first_snapshot_is_an_error(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """Before the first snapshot there is no org to show: exit 2, one line."""
    done = orgdiff_run(*command, cwd=tmp_path)
    asked = command[1]
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        f"orgdiff: error: `{asked}` is before the first snapshot of `Acme Robotics`, 2022-01-10\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_reversed_diff_dates_are_said() -> None:
    """`diff 2025 2023` works (the changes going back in time) and says the
    dates are reversed; in order, it says nothing."""
    done = orgdiff_run("diff", "2025", "2023")
    assert done.returncode == 0
    assert done.stderr == (
        "orgdiff: note: the dates are reversed (2025 is after 2023): these are the changes "
        "going back from 2025-02-14 to 2023-03-01\n"
    )
    assert done.stdout.startswith("Acme Robotics: 2025-02-14 → 2023-03-01\n")
    forward = orgdiff_run("diff", "2023", "2025")
    assert (forward.returncode, forward.stderr) == (0, "")
    assert forward.stdout.startswith("Acme Robotics: 2023-03-01 → 2025-02-14\n")
