"""Every example in README.md and docs/*.md runs and prints what the page shows.

The conventions (README.md, "Developing", says the same):

- **Python**: a ```` ```pycon ```` block (or a ```` ```python ```` block whose first
  line starts with ``>>>``) is a doctest session. The sessions of one page run in
  order in one namespace, from the repository root; ``...`` in an expected output
  stands for any text (doctest's ELLIPSIS), and runs of spaces and newlines
  compare equal (NORMALIZE_WHITESPACE). Any other ```` ```python ```` block (a
  ``conf.py`` snippet) runs too and must not raise.
- **Shell**: a ```` ```text ```` or ```` ```console ```` block whose first line is
  ``$ orgdiff ...`` shows a command and what it prints (standard output, then
  standard error). The test runs it as ``python -m orgdiff ...`` from the
  repository root, or from ``tests/data/readme`` when it names a folder there
  (``my-org``). In the shown output a line ``...`` stands for any number of
  lines, and ``...`` within a line for any text on that line.

A mismatch fails with a unified diff, expected first. Run just these with
``uv run pytest tests/test_docs_examples.py``.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from attrs import frozen

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "data" / "readme"
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

_FENCE = re.compile(r"^(`{3,}|~{3,})\s*([^\s`]*)[^`]*$")


@frozen
class Block:
    page: Path
    line: int  # of the first line of the content, counting from 1
    info: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    def is_session(self) -> bool:
        first = self.text.lstrip().split("\n", 1)[0]
        return self.info == "pycon" or (self.info == "python" and first.startswith(">>>"))

    def is_shell(self) -> bool:
        return self.info in ("text", "console") and self.text.startswith("$ orgdiff ")


def blocks(page: Path) -> Iterator[Block]:
    """The fenced code blocks of a Markdown page (a longer fence may hold shorter ones)."""
    lines = page.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m is None:
            i += 1
            continue
        fence, info = m.group(1), m.group(2)
        start = i + 1
        i = start
        while i < len(lines) and not (
            lines[i].strip().startswith(fence[0] * len(fence))
            and set(lines[i].strip()) == {fence[0]}
        ):
            i += 1
        yield Block(page, start + 1, info, "\n".join(lines[start:i]) + "\n")
        i += 1


ALL = [b for page in PAGES for b in blocks(page)]
SESSION_PAGES = sorted({b.page for b in ALL if b.is_session()})
SCRIPTS = [b for b in ALL if b.info == "python" and not b.is_session()]
SHELL = [b for b in ALL if b.is_shell()]


def test_the_collector_finds_the_examples() -> None:
    """The README's and the quickstart's sessions and the README's commands are found."""
    assert {ROOT / "README.md", ROOT / "docs" / "quickstart.md"} <= set(SESSION_PAGES)
    assert 2 <= len([b for b in SHELL if b.page.name == "README.md"])


@pytest.mark.parametrize("page", SESSION_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_sessions_print_what_the_page_shows(
    page: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each `>>>` session of the page, run in order in one namespace, prints its shown output."""
    monkeypatch.chdir(ROOT)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | doctest.REPORT_UDIFF
    )
    globs: dict[str, object] = {"__name__": "__docs__"}
    report: list[str] = []
    for b in (b for b in ALL if b.page == page and b.is_session()):
        test = parser.get_doctest(b.text, globs, b.where, str(page), b.line - 1)
        runner.run(test, out=report.append, clear_globs=False)
    assert 0 == runner.failures, "".join(report)


@pytest.mark.parametrize("block", SCRIPTS, ids=lambda b: b.where)
def test_python_snippets_run(block: Block) -> None:
    """A Python block without a session (a conf.py snippet) is valid Python that runs."""
    exec(compile(block.text, block.where, "exec"), {"__name__": "__docs__"})


def _line_matches(shown: str, actual: str) -> bool:
    pattern = ".*".join(re.escape(x) for x in shown.rstrip().split("..."))
    return re.fullmatch(pattern, actual.rstrip()) is not None


def mismatch(shown: str, actual: str) -> str | None:
    """Where ``actual`` departs from ``shown`` (``None``: it matches).

    A line ``...`` skips ahead to the first output line that matches the next
    shown line; ``...`` within a line matches any text on that line.
    """
    want, got = shown.splitlines(), actual.splitlines()
    i, skipping = 0, False
    for n, line in enumerate(want, start=1):
        if line.strip() == "...":
            skipping = True
            continue
        if skipping:
            found = next((j for j in range(i, len(got)) if _line_matches(line, got[j])), None)
            if found is None:
                return f"shown line {n} is not in the output after its line {i}: {line!r}"
            i, skipping = found + 1, False
        elif i >= len(got):
            return f"the output ends before shown line {n}: {line!r}"
        elif not _line_matches(line, got[i]):
            return f"shown line {n}: {line!r}\noutput line {i + 1}: {got[i]!r}"
        else:
            i += 1
    if not skipping and i < len(got):
        return f"the output goes on after the last shown line: {got[i]!r}"
    return None


def run_shown_command(block: Block) -> tuple[str, str]:
    """(shown output, actual output) of a `$ orgdiff ...` block."""
    command, _, shown = block.text.partition("\n")
    args = shlex.split(command.removeprefix("$ orgdiff "))
    cwd = FIXTURES if any((FIXTURES / a).exists() for a in args) else ROOT
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "ORGDIFF_ORG")}
    done = subprocess.run(
        [sys.executable, "-m", "orgdiff", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=300,
    )
    actual = "\n".join(line.rstrip() for line in (done.stdout + done.stderr).splitlines())
    return shown, actual + "\n"


@pytest.mark.parametrize("block", SHELL, ids=lambda b: b.where)
def test_shell_examples_print_what_the_page_shows(block: Block) -> None:
    """The command prints the shown output (with `...` for what the page leaves out)."""
    shown, actual = run_shown_command(block)
    problem = mismatch(shown, actual)
    if problem is not None:
        pytest.fail(
            f"{block.where}: {block.text.splitlines()[0]}\n{problem}\n\n"
            f"The whole output (paste what the page should show, with ... for what it leaves out):"
            f"\n{actual}"
        )


@pytest.mark.parametrize(
    ("shown", "actual", "matches"),
    [
        ("a\n...\nd\n", "a\nb\nc\nd\n", True),
        ("a\n...\nd\n", "a\nd\n", True),
        ("a ... d\n", "a b c d\n", True),
        ("a\n...\n", "a\nb\n", True),
        ("a\nd\n", "a\nb\nd\n", False),
        ("a ... d\n", "a b\nc d\n", False),
        ("x (y)\n", "x (y)\n", True),
        ("a\n", "a\nb\n", False),
        ("a\nb\n", "a\n", False),
    ],
)
def test_elision_convention(shown: str, actual: str, matches: bool) -> None:
    """`...` alone on a line is any lines (even none); within a line, any text on that line."""
    assert matches == (mismatch(shown, actual) is None)


# --- the tutorial's shell steps, as written ---------------------------------------------

TUTORIAL = ROOT / "docs" / "tutorial.md"


def tutorial_steps() -> list[str]:
    """The tutorial's ```sh blocks from step 1 on, in order."""
    step_one = TUTORIAL.read_text(encoding="utf-8").splitlines().index("## 1. An empty folder")
    return [b.text for b in blocks(TUTORIAL) if b.info == "sh" and b.line > step_one]


def test_the_tutorial_commands_work_as_written(tmp_path: Path) -> None:
    """Step 1's commands, then the files the page shows (as the reader writes them),
    then step 7's commands, in one shell from an empty folder: each succeeds and the
    charts are where the page says. `orgdiff` is the one being tested, on PATH."""
    first, *rest = tutorial_steps()
    script = "\n".join(
        [
            "set -eu",
            first,
            # The reader writes the files the page shows: the same ones.
            f"cp -R {shlex.quote(str(ROOT / 'docs' / 'tutorial-org' / 'orgs'))}/. orgs/",
            *rest,
            "ls *.svg",
        ]
    )
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env["PATH"]])
    done = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300
    )
    assert 0 == done.returncode, done.stderr
    assert "tidewater-2023-2024.svg\ntidewater-2024.svg\n" == done.stdout.split("\n", 2)[-1]


def test_the_tutorial_install_step_names_a_path_that_works_from_tidewater() -> None:
    """The tutorial does not send `uv run --project ./orgdiff` into `tidewater/`."""
    text = TUTORIAL.read_text(encoding="utf-8")
    assert "--project ./orgdiff" not in text
    assert "uv run --project /full/path/to/orgdiff orgdiff ..." in text
