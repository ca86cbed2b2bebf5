"""The coverage gate: lines and branches, each held to its own minimum.

``uv run pytest`` measures coverage with pytest-cov (``addopts`` in
pyproject.toml), child processes included through coverage's own
``patch = ["subprocess"]``. pytest-cov's ``--cov-fail-under`` checks one
figure, lines and branches counted together; this gate checks two, from the
totals of coverage's JSON report, after pytest-cov has combined the data of
every process:

- ``covered_lines / num_statements`` at least ``cov_gate_lines`` percent;
- ``covered_branches / num_branches`` at least ``cov_gate_branches`` percent
  (both in ``[tool.pytest.ini_options]``).

A gate only makes sense on the whole suite: it is applied when pytest runs
``testpaths`` (no paths given, or exactly ``tests``), nothing deselected
(``-k``, ``-m``, ``--lf``, ``--deselect``), the run not stopped early (``-x``)
and every test passed. Otherwise the summary says why it was not applied, and
a developer's ``uv run pytest tests/test_x.py`` passes or fails on its tests
alone. tests/conftest.py imports the hooks at the end of this module.

Measuring has a cost: coverage's tracer (CTracer on Python 3.11) makes a
property's examples two to three times slower (measured: 35 s of CPU became
80 s for tests/test_diff_properties.py), and properties take nearly half the
suite's time. So each Hypothesis property is measured on its first
``cov_property_examples`` examples (the CI profile draws them in a fixed
order) and runs the rest unmeasured, child processes included: tests run in
full, the figure is that of the measured part, a lower bound of the suite's
coverage, never above it. ``-o cov_property_examples=0`` measures every example.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

LINES_INI = "cov_gate_lines"
BRANCHES_INI = "cov_gate_branches"
EXAMPLES_INI = "cov_property_examples"


def percent(covered: int, total: int) -> str:
    """``covered / total`` as a percentage with two decimals, truncated, never
    rounded up to the gate (96.999% shows as 96.99%)."""
    if total == 0:
        return "100.00%"
    hundredths = covered * 10000 // total
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def shortfalls(totals: Mapping[str, Any], lines: float, branches: float) -> list[str]:
    """The gates the ``totals`` of a coverage JSON report miss, one message
    each; empty when both hold. Compared exactly: 96.999...% misses 97%."""
    found = []
    for kind, plural, covered, total, minimum in (
        ("line", "lines", totals["covered_lines"], totals["num_statements"], lines),
        ("branch", "branches", totals["covered_branches"], totals["num_branches"], branches),
    ):
        if total == 0:
            found.append(f"no {plural} were measured (is coverage's `source` right?)")
        elif Fraction(covered * 100, total) < Fraction(str(minimum)):
            found.append(
                f"{kind} coverage {percent(covered, total)} ({covered} of {total} {plural}"
                f" covered) is below the gate of {minimum:g}%"
            )
    return found


def summary(totals: Mapping[str, Any], lines: float, branches: float) -> str:
    """One line for a gate that holds."""
    return (
        f"coverage gate holds: lines {percent(totals['covered_lines'], totals['num_statements'])}"
        f" (gate {lines:g}%), branches"
        f" {percent(totals['covered_branches'], totals['num_branches'])} (gate {branches:g}%)"
    )


def why_partial(config: pytest.Config, session: pytest.Session, deselected: int) -> str | None:
    """Why this run is not the whole suite (so the gate does not apply), or None."""
    if config.option.collectonly:
        return "only collecting"
    root = config.rootpath
    testpaths = sorted((root / p).resolve() for p in config.getini("testpaths"))
    given = sorted((config.invocation_params.dir / a).resolve() for a in config.args)
    if given != testpaths:
        return "test paths were given"
    if deselected:
        return f"{deselected} deselected"
    if session.testsfailed:
        return "tests failed"
    return None


def totals_of(cov: Any) -> Mapping[str, Any]:
    """The ``totals`` of the JSON report of a (combined) ``coverage.Coverage``."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "coverage.json"
        cov.json_report(outfile=str(report), ignore_errors=True)
        totals: Mapping[str, Any] = json.loads(report.read_text(encoding="utf-8"))["totals"]
    return totals


def minimums(config: pytest.Config) -> tuple[float, float]:
    """The two minimums, in percent, from pyproject.toml."""
    return float(config.getini(LINES_INI)), float(config.getini(BRANCHES_INI))


# The outcome of a line of the summary, as the terminal's markup.
PASSED = {"green": True}
FAILED = {"red": True, "bold": True}
NOT_APPLIED = {"yellow": True}


def not_applied(reason: str) -> str:
    return f"coverage gate not applied: {reason} (it gates the whole suite)"


def check(
    config: pytest.Config, session: pytest.Session, deselected: int, cov: Any
) -> Sequence[tuple[str, Mapping[str, bool]]]:
    """Apply the gate at the end of a run: the summary's lines, each with its markup."""
    reason = why_partial(config, session, deselected)
    if reason is not None:
        return [(not_applied(reason), NOT_APPLIED)]
    lines, branches = minimums(config)
    totals = totals_of(cov)
    missed = shortfalls(totals, lines, branches)
    if not missed:
        return [(summary(totals, lines, branches), PASSED)]
    return [(f"coverage gate FAILED: {message}", FAILED) for message in missed]


# The hooks (tests/conftest.py imports them).
_DESELECTED = pytest.StashKey[int]()
_SUMMARY = pytest.StashKey[Sequence[tuple[str, Mapping[str, bool]]]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(LINES_INI, "minimum line coverage of the whole suite, in percent")
    parser.addini(BRANCHES_INI, "minimum branch coverage of the whole suite, in percent")
    parser.addini(EXAMPLES_INI, "examples of each property measured (0: all)", default="0")


class MeasuredExamples:
    """Wraps a property's test function (``hypothesis.inner_test``, which Hypothesis
    lets plugins replace) so that coverage stops after its first ``limit`` calls
    and child processes started after them are not measured either; ``close``
    puts the test function and coverage back as they were."""

    def __init__(self, holder: Any, controller: Any, limit: int) -> None:
        self.holder, self.controller, self.limit = holder, controller, limit
        self.inner = holder.inner_test
        self.calls = 0
        self.paused = False
        self.child_config: str | None = None

        @functools.wraps(self.inner)
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.calls > self.limit and not self.paused and self.controller.started:
                self.paused = True
                self.controller.pause()
                self.child_config = os.environ.pop("COVERAGE_PROCESS_CONFIG", None)
            return self.inner(*args, **kwargs)

        holder.inner_test = counted

    def close(self) -> None:
        self.holder.inner_test = self.inner
        if self.paused:
            if self.child_config is not None:
                os.environ["COVERAGE_PROCESS_CONFIG"] = self.child_config
            self.controller.resume()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    holder = getattr(getattr(item, "obj", None), "hypothesis", None)
    controller = getattr(item.config.pluginmanager.get_plugin("_cov"), "cov_controller", None)
    limit = int(item.config.getini(EXAMPLES_INI))
    if holder is None or controller is None or limit <= 0:
        return (yield)
    measured = MeasuredExamples(holder, controller, limit)
    try:
        return (yield)
    finally:
        measured.close()


def pytest_deselected(items: Sequence[pytest.Item]) -> None:
    if items:
        stash = items[0].config.stash
        stash[_DESELECTED] = stash.get(_DESELECTED, 0) + len(items)


@pytest.hookimpl(wrapper=True, tryfirst=True)  # outside pytest-cov's wrapper: after its combine
def pytest_runtestloop(session: pytest.Session) -> Iterator[None]:
    config = session.config
    try:
        result = yield
    except (session.Failed, session.Interrupted):  # `-x`, `--maxfail`, `--sw`: pytest raises
        config.stash[_SUMMARY] = [(not_applied("the run stopped early"), NOT_APPLIED)]
        raise
    controller = getattr(config.pluginmanager.get_plugin("_cov"), "cov_controller", None)
    if controller is not None:  # None: `--no-cov` or `-p no:pytest_cov`, nothing measured
        lines = check(config, session, config.stash.get(_DESELECTED, 0), controller.cov)
        config.stash[_SUMMARY] = lines
        if any(markup is FAILED for _, markup in lines):
            session.testsfailed += 1  # exit status 1, as for a failed test
    return result


@pytest.hookimpl(trylast=True)  # after pytest-cov's table
def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    for line, markup in config.stash.get(_SUMMARY, ()):
        terminalreporter.write_line(line, **markup)
