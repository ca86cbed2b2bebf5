"""The coverage gate (tests/covgate.py): lines and branches each held to their
minimum, on a whole-suite run only, child processes counted.

The first tests give the gate synthetic totals of coverage's JSON report just
below, at and above each minimum. The others run pytest in a child process on
a small project set up as this one is (pytest-cov in ``addopts``, coverage's
subprocess patch, the gate's hooks in its conftest), as a developer or CI would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import covgate
import pytest


def totals(lines: tuple[int, int], branches: tuple[int, int]) -> dict[str, int]:
    """The ``totals`` of a coverage JSON report: (covered, total) lines and branches."""
    return {
        "covered_lines": lines[0],
        "num_statements": lines[1],
        "covered_branches": branches[0],
        "num_branches": branches[1],
    }


def test_both_gates_hold_at_exactly_their_minimum() -> None:
    assert [] == covgate.shortfalls(totals((970, 1000), (93, 100)), 97, 93)
    assert [] == covgate.shortfalls(totals((1000, 1000), (100, 100)), 97, 93)


def test_lines_below_their_gate_fail_even_with_every_branch_covered() -> None:
    assert [
        "line coverage 96.90% (969 of 1000 lines covered) is below the gate of 97%"
    ] == covgate.shortfalls(totals((969, 1000), (100, 100)), 97, 93)


def test_branches_below_their_gate_fail_even_with_every_line_covered() -> None:
    """The two figures are not pooled: 100% of 1,000 lines and 92% of 100
    branches is 99.3% counted together, and still misses the branch gate."""
    assert [
        "branch coverage 92.00% (92 of 100 branches covered) is below the gate of 93%"
    ] == covgate.shortfalls(totals((1000, 1000), (92, 100)), 97, 93)


def test_both_below_give_one_message_each() -> None:
    assert [
        "line coverage 50.00% (1 of 2 lines covered) is below the gate of 97.5%",
        "branch coverage 0.00% (0 of 4 branches covered) is below the gate of 93%",
    ] == covgate.shortfalls(totals((1, 2), (0, 4)), 97.5, 93)


def test_a_hair_below_the_gate_fails_and_is_not_shown_rounded_up() -> None:
    """29,099 of 30,000 is 96.9966...%: rounded to two decimals it would read
    97.00% in a message saying it is below 97%."""
    assert [
        "line coverage 96.99% (29099 of 30000 lines covered) is below the gate of 97%"
    ] == covgate.shortfalls(totals((29099, 30000), (1, 1)), 97, 93)


def test_nothing_measured_fails() -> None:
    """No statements at all means coverage measured the wrong thing, not 100%."""
    assert [
        "no lines were measured (is coverage's `source` right?)",
        "no branches were measured (is coverage's `source` right?)",
    ] == covgate.shortfalls(totals((0, 0), (0, 0)), 97, 93)


def test_the_summary_of_a_gate_that_holds() -> None:
    assert (
        "coverage gate holds: lines 97.76% (gate 97%), branches 95.26% (gate 93%)"
        == covgate.summary(totals((9776, 10000), (9526, 10000)), 97, 93)
    )


def test_this_repository_gates_lines_at_97_and_branches_at_93(
    pytestconfig: pytest.Config,
) -> None:
    """The figures of issue #18, read from pyproject.toml as the gate reads them."""
    assert (97.0, 93.0) == covgate.minimums(pytestconfig)


# --- the gate in a real pytest run -------------------------------------------------

PACKAGE = """\
def sign(x):
    if x < 0:
        return -1
    return 1


def only_in_a_child():
    return "child"
"""

TESTS = """\
import os
import subprocess
import sys

import pkg


def test_fails_when_asked():
    assert "FAIL_ON_PURPOSE" not in os.environ


def test_sign():
    assert pkg.sign(1) == 1


def test_child_process():
    subprocess.run([sys.executable, "-c", "import pkg; pkg.only_in_a_child()"], check=True)
"""

CONFTEST = """\
from covgate import (
    pytest_addoption,
    pytest_deselected,
    pytest_runtest_call,
    pytest_runtestloop,
    pytest_terminal_summary,
)
"""

PYPROJECT = """\
[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = [".", {covgate_dir!r}]
addopts = ["-p", "no:cacheprovider", "--cov", "--cov-report=term-missing"]
cov_gate_lines = "80"
cov_gate_branches = "50"

[tool.coverage.run]
source = ["pkg"]
branch = true
parallel = true
patch = ["subprocess"]
"""

# pkg has 6 statements: 5 run when the child process is measured (83.33%), 4 when
# it is not (66.67%), so the project's 80% line gate holds only with the child's data.
# Its one `if` has 2 branches, 1 taken (50%).
HOLDS = "coverage gate holds: lines 83.33% (gate 80%), branches 50.00% (gate 50%)"
HIGH = ("-o", "cov_gate_lines=97", "-o", "cov_gate_branches=93")
LINES_FAIL = (
    "coverage gate FAILED: line coverage 83.33% (5 of 6 lines covered) is below the gate of 97%"
)
BRANCHES_FAIL = (
    "coverage gate FAILED: branch coverage 50.00% (1 of 2 branches covered)"
    " is below the gate of 93%"
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gated")
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text(PACKAGE)
    (root / "tests").mkdir()
    (root / "tests" / "test_pkg.py").write_text(TESTS)
    (root / "tests" / "conftest.py").write_text(CONFTEST)
    covgate_dir = str(Path(covgate.__file__).parent)
    (root / "pyproject.toml").write_text(PYPROJECT.format(covgate_dir=covgate_dir))
    return root


def pytest_in(project: Path, *args: str, fail: bool = False) -> tuple[int, list[str]]:
    """``python -m pytest ARGS`` in ``project``: exit status and output lines.

    The variables by which this suite's own coverage reaches child processes
    are left out: the inner run measures its own project, as CI would. Of the
    installed pytest plugins only pytest-cov is loaded (half the start-up time)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("COVERAGE_") and k not in {"PYTEST_ADDOPTS", "PYTEST_PLUGINS"}
    }
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    if fail:
        env["FAIL_ON_PURPOSE"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "pytest_cov.plugin", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout.splitlines()


def gate_lines(output: list[str]) -> list[str]:
    return [line for line in output if line.startswith("coverage gate")]


def test_a_whole_suite_run_that_reaches_both_gates_passes(project: Path) -> None:
    """It also shows the child process's lines counted: without them, lines are 66.66%."""
    status, output = pytest_in(project)
    assert (0, [HOLDS]) == (status, gate_lines(output))


def test_a_whole_suite_run_below_both_gates_fails_with_one_line_each(project: Path) -> None:
    status, output = pytest_in(project, *HIGH)
    assert (1, [LINES_FAIL, BRANCHES_FAIL]) == (status, gate_lines(output))
    assert "3 passed" in output[-1]  # every test passed: the gate alone failed the run


def test_naming_the_test_folder_is_the_whole_suite(project: Path) -> None:
    status, output = pytest_in(project, "tests", *HIGH)
    assert (1, [LINES_FAIL, BRANCHES_FAIL]) == (status, gate_lines(output))


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("tests/test_pkg.py",), "test paths were given"),
        (("-k", "sign"), "2 deselected"),
    ],
)
def test_a_partial_run_is_not_gated(project: Path, args: tuple[str, ...], reason: str) -> None:
    status, output = pytest_in(project, *HIGH, *args)
    expected = f"coverage gate not applied: {reason} (it gates the whole suite)"
    assert (0, [expected]) == (status, gate_lines(output))


@pytest.mark.parametrize(
    ("args", "reason"), [((), "tests failed"), (("-x",), "the run stopped early")]
)
def test_a_failing_run_is_not_gated(project: Path, args: tuple[str, ...], reason: str) -> None:
    """Its coverage is that of tests that stopped half-way: the failure is the news."""
    status, output = pytest_in(project, *HIGH, *args, fail=True)
    expected = f"coverage gate not applied: {reason} (it gates the whole suite)"
    assert (1, [expected]) == (status, gate_lines(output))


def test_no_cov_measures_nothing_and_gates_nothing(project: Path) -> None:
    status, output = pytest_in(project, *HIGH, "--no-cov")
    assert (0, []) == (status, gate_lines(output))


# --- a property measured on its first examples only ----------------------------------

STEPS = """\
def step(n):
    if n <= 2:
        return "early"
    return "late"


def in_a_child():
    return "child"


def resumed():
    return "resumed"
"""

PROPERTY = """\
import subprocess
import sys

from hypothesis import given, settings, strategies as st

import pkg

calls = []


@settings(max_examples=5, database=None, derandomize=True)
@given(st.integers())
def test_a_property(x):
    calls.append(x)
    assert pkg.step(len(calls)) in ("early", "late")


def test_afterwards():
    assert len(calls) >= 3
    assert pkg.resumed() == "resumed"
    subprocess.run([sys.executable, "-c", "import pkg; pkg.in_a_child()"], check=True)
"""


@pytest.fixture(scope="module")
def sampled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sampled")
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text(STEPS)
    (root / "tests").mkdir()
    (root / "tests" / "test_property.py").write_text(PROPERTY)
    (root / "tests" / "conftest.py").write_text(CONFTEST)
    covgate_dir = str(Path(covgate.__file__).parent)
    (root / "pyproject.toml").write_text(PYPROJECT.format(covgate_dir=covgate_dir))
    return root


FULL = ("-o", "cov_gate_lines=100", "-o", "cov_gate_branches=100")


def test_every_example_measured(sampled: Path) -> None:
    status, output = pytest_in(sampled, *FULL, "-o", "cov_property_examples=0")
    holds = "coverage gate holds: lines 100.00% (gate 100%), branches 100.00% (gate 100%)"
    assert (0, [holds]) == (status, gate_lines(output))


def test_a_property_measured_on_its_first_examples_only(sampled: Path) -> None:
    """The third example onwards runs unmeasured (`return "late"` and its branch are
    not counted); the test after it is measured again, and so is its child process."""
    status, output = pytest_in(sampled, *FULL, "-o", "cov_property_examples=2")
    assert (
        1,
        [
            "coverage gate FAILED: line coverage 87.50% (7 of 8 lines covered)"
            " is below the gate of 100%",
            "coverage gate FAILED: branch coverage 50.00% (1 of 2 branches covered)"
            " is below the gate of 100%",
        ],
    ) == (status, gate_lines(output))
