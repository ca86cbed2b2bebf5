"""Reports a person can read, run as a user runs them: a real `orgdiff` process.

Wrapping to the terminal, narrowing with --focus/--depth/--units-only, the
history's folded evidence lines, `log --format json`'s first snapshot, colours
on a terminal only, and `validate --format json|github`.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
import yaml

from orgdiff.diff import ChangeKind
from orgdiff.errors import Problem, github_annotation
from orgdiff.report import cells

TESTS = Path(__file__).parent
ROOT = TESTS.parent
EXAMPLE = TESTS / "data" / "example"

GREEN, RED, YELLOW, RESET = "\x1b[32m", "\x1b[31m", "\x1b[33m", "\x1b[0m"


def orgdiff(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m orgdiff ARGS`, standard output a pipe."""
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "orgdiff", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full,
        cwd=cwd,
        timeout=120,
    )


def on_a_terminal(*args: str, env: dict[str, str] | None = None, columns: int = 200) -> str:
    """`python -m orgdiff ARGS` with standard output a pseudo-terminal of ``columns``
    columns; what it printed."""
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    full.update(env or {})
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "orgdiff", *args],
            stdout=follower,
            stderr=subprocess.PIPE,
            env=full,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert 0 == proc.wait(timeout=120), proc.stderr.read() if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
    finally:
        os.close(leader)
    # A terminal turns "\n" into "\r\n".
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


# --- diff: wrapped, sources once ----------------------------------------------------


def test_diff_text_wraps_to_the_terminal_width_and_never_breaks_a_word() -> None:
    """With COLUMNS=60 every line fits in 60 terminal columns (a CJK character
    takes two), except where one word is longer (a URL); the words are those of
    the unwrapped report, none broken."""
    narrow = orgdiff(
        "--org", str(ROOT / "orgs" / "meta-ai"), "diff", "2025-06", "2025-09", env={"COLUMNS": "60"}
    )
    wide = orgdiff(
        "--org",
        str(ROOT / "orgs" / "meta-ai"),
        "diff",
        "2025-06",
        "2025-09",
        env={"COLUMNS": "1000"},
    )
    assert 0 == narrow.returncode, narrow.stderr
    kinds = {k.value for k in ChangeKind}
    # A longer line holds one word that cannot fit (a URL, a long id) after its indent
    # (and, on a change's first line, the kind of change).
    too_long = [
        line
        for line in narrow.stdout.splitlines()
        if cells(line) > 60 and line.split()[:-1] not in ([], *([k] for k in kinds))
    ]
    assert [] == too_long
    assert 60 < max(len(line) for line in wide.stdout.splitlines())
    assert narrow.stdout.split() == wide.stdout.split()


def test_diff_text_takes_the_terminal_width_and_100_columns_when_piped() -> None:
    """On a 70-column terminal the longest wrappable line is within 70 columns;
    piped, within 100 and using them."""
    args = ("--org", str(ROOT / "orgs" / "meta-ai"), "diff", "2025-06", "2025-09", "--no-color")

    def longest(text: str) -> int:
        # Of the lines that could have been broken (a kind and a long id cannot).
        return max(len(line) for line in text.splitlines() if len(line.split()) >= 3)

    assert 60 < longest(on_a_terminal(*args, columns=70)) <= 70
    assert 90 < longest(orgdiff(*args).stdout) <= 100


def test_diff_text_cites_each_source_by_number_and_lists_it_once() -> None:
    """Not a terminal: 100 columns; every source key appears nowhere, its title
    once, in the numbered list at the end."""
    result = orgdiff("--org", str(EXAMPLE), "diff", "2023", "2024")
    assert 0 == result.returncode, result.stderr
    assert "split-memo" not in result.stdout
    assert 1 == result.stdout.count("Memo: engineering splits into Platform and Autonomy")
    assert result.stdout.endswith(
        "Sources\n"
        "  [1] Memo: engineering splits into Platform and Autonomy, Acme Robotics, 2024-06-03\n"
        "      https://example.com/memos/split\n"
        "  [2] Acme reshuffles its robot teams, Robot Trade Weekly, 2024-06-05\n"
        "      https://example.com/press/acme-reshuffle\n"
        "\n"
        "13 changes, 4 events\n"
    )
    assert max(len(line) for line in result.stdout.splitlines()) <= 100


# --- diff: --focus, --depth, --units-only narrow the reports --------------------------


def ids(data: dict[str, object]) -> list[tuple[str, str]]:
    changes = data["changes"]
    assert isinstance(changes, list)
    return [(c["kind"], c["id"]) for c in changes]


def test_focus_narrows_every_report_and_says_so() -> None:
    """`--focus autonomy` keeps the changes about Autonomy's subtree (at either
    date) in text, Markdown and JSON, and each report says it is filtered."""
    args = ("--org", str(EXAMPLE), "diff", "2023", "2024", "--focus", "autonomy")
    data = json.loads(orgdiff(*args, "--format", "json").stdout)
    assert [
        ("unit-added", "autonomy"),
        ("unit-renamed", "research"),
        ("unit-moved", "research"),
        ("person-moved", "ben-okafor"),
        ("person-retitled", "ben-okafor"),
        ("person-retitled", "chen-li"),
        ("relation-added", "femi-adeyemi/dotted-line/ben-okafor"),
    ] == ids(data)
    assert {"focus": "autonomy", "depth": None, "units_only": False} == data["filter"]
    text = orgdiff(*args).stdout
    assert "  filtered: only `autonomy` and below\n" in text
    assert "platform:" not in text
    markdown = orgdiff(*args, "--format", "markdown").stdout
    assert "Filtered: only `autonomy` and below.\n" in markdown
    assert "`platform`" not in markdown


def test_depth_and_units_only_narrow_the_reports() -> None:
    """`--depth 1 --units-only`: unit changes of the top two levels only."""
    args = ("--org", str(EXAMPLE), "diff", "2023", "2024", "--depth", "1", "--units-only")
    data = json.loads(orgdiff(*args, "--format", "json").stdout)
    assert [
        ("unit-added", "autonomy"),
        ("unit-added", "platform"),
        ("unit-removed", "engineering"),
    ] == ids(data)
    assert {"focus": None, "depth": 1, "units_only": True} == data["filter"]
    assert "  filtered: only the top unit and 1 level below it, units only\n" in (
        orgdiff(*args).stdout
    )


def test_a_whole_diff_has_no_filter_key() -> None:
    """JSON stays as it was when nothing narrows it: no `filter`."""
    data = json.loads(
        orgdiff("--org", str(EXAMPLE), "diff", "2023", "2024", "--format", "json").stdout
    )
    assert "filter" not in data
    assert 13 == len(data["changes"])
    # Each event points at the changes it groups.
    split = data["events"][0]
    assert "Engineering split into Autonomy and Platform" == split["text"]
    assert [
        ("unit-added", "autonomy"),
        ("unit-added", "platform"),
        ("unit-removed", "engineering"),
    ] == [(data["changes"][i]["kind"], data["changes"][i]["id"]) for i in split["changes"]]


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "dot"])
def test_an_unknown_focus_is_one_line_with_a_suggestion(fmt: str) -> None:
    """A misspelt --focus unit: one line naming it with a did-you-mean, status 2."""
    result = orgdiff(
        "--org",
        str(EXAMPLE),
        "diff",
        "2023",
        "2024",
        "--focus",
        "enginering",
        "--format",
        fmt,
        "-o",
        "-",
    )
    assert (
        "orgdiff: error: no unit `enginering` on 2023-03-01 or 2024-06-03; "
        "did you mean `engineering`?\n"
    ) == result.stderr
    assert ("", 2) == (result.stdout, result.returncode)


# --- history and log ----------------------------------------------------------------


def test_history_folds_evidence_only_snapshots_unless_verbose(tmp_path: Path) -> None:
    """A snapshot that only changed Ada Park's confidence is one closing count,
    and listed with --verbose."""
    org = tmp_path / "org"
    shutil.copytree(EXAMPLE, org)
    last = org / "snapshots" / "2025-02-14.yaml"
    text = last.read_text(encoding="utf-8")
    last.write_text(
        text.replace(
            "ada-park: {title: Chief Executive, unit: acme}",
            "ada-park: {title: Chief Executive, unit: acme, confidence: reported}",
        ),
        encoding="utf-8",
    )
    head = (
        "Ada Park [ada-park]\n\n"
        "2022-01-10  Acme Robotics founded with an engineering team and a research lab [1]\n"
        "    first seen: Chief Executive, in Acme Robotics\n"
    )
    founding = (
        "\nSources\n"
        "  [1] Acme Robotics is founded, Acme Robotics blog, 2022-01-10\n"
        "      https://example.com/blog/founding\n"
    )
    assert (
        head
        + "\n(1 snapshot updated only sources, confidence or notes; --verbose shows them)\n"
        + founding
        == orgdiff("--org", str(org), "history", "ada-park").stdout
    )
    assert (
        head + "2025-02-14  Platform merged back into Autonomy, renamed Robotics; Ben Okafor left"
        " [2]\n"
        "    sources, confidence or note updated\n"
        + founding
        + "  [2] Memo: engineering splits into Platform and Autonomy, Acme Robotics, 2024-06-03\n"
        "      https://example.com/memos/split\n"
        == orgdiff("--org", str(org), "history", "ada-park", "--verbose").stdout
    )


def test_log_json_ends_with_the_first_snapshot_as_the_text_does() -> None:
    """`log --format json` has one entry per snapshot, the first one marked."""
    data = json.loads(orgdiff("--org", str(EXAMPLE), "log", "--format", "json").stdout)
    assert ["2025-02-14", "2024-06-03", "2023-03-01", "2022-01-10"] == [e["to"] for e in data]
    assert {
        "from": None,
        "to": "2022-01-10",
        "event_before": None,
        "event_after": "Acme Robotics founded with an engineering team and a research lab",
        "first": True,
        "units": 3,
        "people": 4,
        "sources": ["founding-post"],
        "changes": [],
        "events": [],
    } == data[-1]
    since = json.loads(
        orgdiff("--org", str(EXAMPLE), "log", "--since", "2024-06-03", "--format", "json").stdout
    )
    assert all("first" not in e for e in since)


# --- colours --------------------------------------------------------------------------


def test_colours_on_a_terminal_as_git_diff_does() -> None:
    """On a terminal: added green, removed red, changed amber (yellow), each line
    closed with a reset."""
    out = on_a_terminal("--org", str(EXAMPLE), "diff", "2023", "2024", env={"COLUMNS": "200"})
    lines = out.splitlines()
    assert (
        f"{GREEN}  unit-added              platform: Platform (from Engineering) [1]{RESET}"
        in lines
    )
    assert (
        f"{RED}  unit-removed            engineering: Engineering (into Autonomy, Platform) [1]"
        f"{RESET}" in lines
    )
    assert (
        f"{YELLOW}  person-moved            dara-novak: Dara Novak moved from Engineering to "
        f"Platform [1]{RESET}" in lines
    )
    assert "Acme Robotics: 2023-03-01 → 2024-06-03" == lines[0]


def test_history_and_log_colour_on_a_terminal() -> None:
    """history: first seen green, gone red, a change amber; log: an event by its kind."""
    out = on_a_terminal("--org", str(EXAMPLE), "history", "platform")
    assert f"{GREEN}    first seen: Platform, under Acme Robotics, led by Dara Novak{RESET}" in (
        out.splitlines()
    )
    assert f"{RED}    gone (into Robotics){RESET}" in out.splitlines()
    out = on_a_terminal("--org", str(EXAMPLE), "log")
    assert f"{RED}    Ben Okafor no longer listed (was in Autonomy){RESET}" in out.splitlines()
    assert (
        f"{YELLOW}    Autonomy renamed Robotics and now led by Dara Novak (was Ben Okafor){RESET}"
        in out.splitlines()
    )


@pytest.mark.parametrize("command", [["diff", "2023", "2024"], ["log"], ["history", "platform"]])
def test_no_colour_when_piped_or_no_color_is_set(command: list[str]) -> None:
    """Piped output and NO_COLOR (even on a terminal) carry no escape at all;
    --color forces colours into a pipe, --no-color keeps them off a terminal."""
    args = ["--org", str(EXAMPLE), *command]
    piped = orgdiff(*args)
    assert 0 == piped.returncode, piped.stderr
    assert "\x1b" not in piped.stdout
    assert "\x1b" not in on_a_terminal(*args, env={"NO_COLOR": "1"})
    assert "\x1b" not in on_a_terminal(*args, "--no-color")
    forced = orgdiff(*args, "--color").stdout
    assert "\x1b[" in forced
    assert piped.stdout == forced.replace(GREEN, "").replace(RED, "").replace(YELLOW, "").replace(
        RESET, ""
    ).replace("\x1b[1m", "")


# --- validate --format json | github --------------------------------------------------


def broken_dataset(tmp_path: Path) -> Path:
    org = tmp_path / "my,org"
    shutil.copytree(EXAMPLE, org)
    first = org / "snapshots" / "2022-01-10.yaml"
    first.write_text(
        first.read_text(encoding="utf-8").replace("parent: acme", "parent: acmee", 1),
        encoding="utf-8",
    )
    return org


def test_validate_json_lists_each_problem_and_exits_2(tmp_path: Path) -> None:
    """`validate --format json`: {"dataset", "valid", "problems"}, status 2."""
    org = broken_dataset(tmp_path)
    text = orgdiff("validate", str(org))
    result = orgdiff("validate", str(org), "--format", "json")
    assert 2 == result.returncode
    data = json.loads(result.stdout)
    assert (str(org), False) == (data["dataset"], data["valid"])
    expected = [
        f"{p['file']}:{p['line']}:{p['column']}: {p['path']}: {p['message']}"
        for p in data["problems"]
    ]
    # The same problems as the text form prints, one for one.
    assert text.stderr.splitlines()[:-1] == expected
    assert 2 == text.returncode
    assert {"file", "line", "column", "path", "message"} == set(data["problems"][0])


def test_validate_json_of_a_valid_dataset() -> None:
    """A valid dataset: no problem, status 0; the dataset as the user would type it."""
    result = orgdiff("validate", str(EXAMPLE), "--format", "json", cwd=ROOT)
    assert 0 == result.returncode, result.stderr
    assert {"dataset": "tests/data/example", "valid": True, "problems": []} == json.loads(
        result.stdout
    )


def test_validate_github_prints_annotations_and_exits_2(tmp_path: Path) -> None:
    """`validate --format github`: one ::error line per problem, the file's comma
    escaped as GitHub requires; status 2."""
    org = broken_dataset(tmp_path)
    data = json.loads(orgdiff("validate", str(org), "--format", "json").stdout)
    result = orgdiff("validate", str(org), "--format", "github")
    assert 2 == result.returncode
    assert [
        f"::error file={p['file'].replace(',', '%2C')},line={p['line']},col={p['column']}::"
        f"{p['path']}: {p['message']}"
        for p in data["problems"]
    ] == result.stdout.splitlines()
    assert "my%2Corg" in result.stdout


@pytest.mark.parametrize(
    ("problem", "annotation"),
    [
        (
            Problem("a.yaml", 3, 7, "$.units.x", "bad"),
            "::error file=a.yaml,line=3,col=7::$.units.x: bad",
        ),
        (
            Problem("C:/d,1/a%.yaml", 1, 2, "$", "50% done\r\nnext: a, b"),
            "::error file=C%3A/d%2C1/a%25.yaml,line=1,col=2::$: 50%25 done%0D%0Anext: a, b",
        ),
        (Problem("dataset.yaml", 0, 0, "$", "missing"), "::error file=dataset.yaml::$: missing"),
    ],
)
def test_github_annotation_escapes_as_github_does(problem: Problem, annotation: str) -> None:
    """Data escapes % CR LF; properties also : and , (actions/toolkit command.ts)."""
    assert annotation == github_annotation(problem)


def test_pre_commit_hook_runs_validate() -> None:
    """`.pre-commit-hooks.yaml` declares `orgdiff-validate` running `orgdiff validate`."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert {
        "id": "orgdiff-validate",
        "name": "orgdiff validate",
        "description": "Check an orgdiff dataset: every problem as FILE:LINE:COL: PATH: message",
        "entry": "orgdiff validate",
        "language": "python",
        "pass_filenames": False,
        "files": r"(^|/)(dataset\.yaml|snapshots/[^/]+\.yaml)$",
    } == hook


def test_a_diff_across_snapshots_names_those_in_between() -> None:
    """The curated events of the snapshots between the two dates, in the diff's
    direction, in text and JSON; none between adjacent snapshots."""
    first, second = (
        {
            "date": "2023-03-01",
            "event": "Research Lab moved under Engineering",
            "sources": ["reorg-memo"],
        },
        {
            "date": "2024-06-03",
            "event": "Engineering split into Platform and Autonomy; Research Lab renamed Applied Research",
            "sources": ["split-memo"],
        },
    )
    forward = json.loads(
        orgdiff("--org", str(EXAMPLE), "diff", "2022", "2025", "--format", "json").stdout
    )
    backward = json.loads(
        orgdiff("--org", str(EXAMPLE), "diff", "2025", "2022", "--format", "json").stdout
    )
    adjacent = json.loads(
        orgdiff("--org", str(EXAMPLE), "diff", "2023", "2024", "--format", "json").stdout
    )
    assert ([first, second], [second, first], []) == (
        forward["between"],
        backward["between"],
        adjacent["between"],
    )
    text = orgdiff("--org", str(EXAMPLE), "diff", "2022", "2025").stdout
    assert text.startswith(
        "Acme Robotics: 2022-01-10 → 2025-02-14\n"
        "  then: Acme Robotics founded with an engineering team and a research lab\n"
        "  in between:\n"
        "    2023-03-01  Research Lab moved under Engineering\n"
        "    2024-06-03  Engineering split into Platform and Autonomy; Research Lab renamed Applied "
        "Research\n"
        "  now:  Platform merged back into Autonomy, renamed Robotics; Ben Okafor left\n\n"
    )


# --- every report goes to -o, in the format its extension names, never coloured ------


@pytest.mark.parametrize("command", [["diff", "2023", "2024"], ["log"], ["history", "platform"]])
def test_a_report_written_with_o_from_a_terminal_has_no_colour(
    command: list[str], tmp_path: Path
) -> None:
    """`-o FILE` on a terminal: the file holds what a pipe gets (no escape, 100
    columns), and the terminal only the file's name."""
    args = ["--org", str(EXAMPLE), *command]
    out = tmp_path / "report.txt"
    shown = on_a_terminal(*args, "-o", str(out), columns=60)
    assert f"{out}\n" == shown
    piped = orgdiff(*args)
    assert 0 == piped.returncode, piped.stderr
    assert piped.stdout == out.read_text(encoding="utf-8")
    assert "\x1b" not in piped.stdout


@pytest.mark.parametrize(
    ("command", "name", "fmt"),
    [
        (["diff", "2023", "2024"], "r.md", "markdown"),
        (["diff", "2023", "2024", "--focus", "autonomy"], "r.json", "json"),
        (["log"], "log.json", "json"),
        (["history", "dara-novak"], "h.json", "json"),
    ],
)
def test_a_report_takes_its_format_from_the_extension_of_o(
    command: list[str], name: str, fmt: str, tmp_path: Path
) -> None:
    """`-o r.md` is `--format markdown`, `-o r.json` `--format json`, narrowed or not."""
    args = ["--org", str(EXAMPLE), *command]
    out = tmp_path / name
    written = orgdiff(*args, "-o", str(out))
    assert (0, f"{out}\n") == (written.returncode, written.stdout), written.stderr
    printed = orgdiff(*args, "--format", fmt)
    assert 0 == printed.returncode, printed.stderr
    assert printed.stdout == out.read_text(encoding="utf-8")


def test_validate_writes_its_report_with_o(tmp_path: Path) -> None:
    """`validate -o v.json` writes the JSON report (status 2 on a problem); a
    valid dataset's line goes to `-o` too."""
    org = broken_dataset(tmp_path)
    out = tmp_path / "v.json"
    written = orgdiff("validate", str(org), "-o", str(out))
    assert (2, f"{out}\n") == (written.returncode, written.stdout)
    printed = orgdiff("validate", str(org), "--format", "json")
    assert printed.stdout == out.read_text(encoding="utf-8")
    line = tmp_path / "valid.txt"
    ok = orgdiff("validate", str(EXAMPLE), "-o", str(line))
    assert (0, f"{line}\n") == (ok.returncode, ok.stdout), ok.stderr
    assert orgdiff("validate", str(EXAMPLE)).stdout == line.read_text(encoding="utf-8")


@pytest.mark.parametrize("option", [["--focus", "autonomy"], ["--depth", "1"], ["--units-only"]])
def test_render_json_is_the_whole_org_and_refuses_to_narrow(option: list[str]) -> None:
    """--focus/--depth/--units-only narrow a chart and `diff`'s reports, but
    `render --format json` is the org's data, as `show --format json`: one line, status 2."""
    result = orgdiff("--org", str(EXAMPLE), "render", "2024", "--format", "json", *option)
    assert (2, "") == (result.returncode, result.stdout)
    assert (
        "orgdiff: error: --focus, --depth and --units-only narrow a chart; render --format "
        "json is the whole org's data, as `show --format json`\n"
    ) == result.stderr
