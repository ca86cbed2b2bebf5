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
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

LINES_INI = "cov_gate_lines"
BRANCHES_INI = "cov_gate_branches"


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
