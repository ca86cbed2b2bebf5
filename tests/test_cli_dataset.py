"""Which dataset a command reads: the one the user meant, or a clear word.

`--org` (before or after the command) or `$ORGDIFF_ORG`; else the current folder
if it holds dataset.yaml; else the one dataset under ./orgs (a folder still
being built says what it lacks); else, only with no ./orgs at all, the bundled
Meta AI dataset, said once on stderr. Each case runs the real command.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
EXAMPLE = TESTS / "data" / "example"
BASE = TESTS / "data" / "invalid" / "base"
NOTE = "orgdiff: using the bundled Meta AI dataset; --org PATH for yours\n"


def orgdiff(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`orgdiff ARGS` in a child process, in ``cwd``, without $ORGDIFF_ORG unless given."""
    base = {k: v for k, v in os.environ.items() if k != "ORGDIFF_ORG"}
    return subprocess.run(
        [sys.executable, "-m", "orgdiff", *args],
        cwd=cwd,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def refused(done: subprocess.CompletedProcess[str], message: str) -> None:
    assert (done.returncode, done.stdout, done.stderr) == (2, "", message + "\n")


@pytest.fixture(scope="module")
def example_snapshots() -> str:
    """What `orgdiff --org tests/data/example snapshots` prints."""
    done = orgdiff("--org", str(EXAMPLE), "snapshots", cwd=TESTS)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("2022-01-10")
    return done.stdout


def test_org_after_the_command(tmp_path: Path, example_snapshots: str) -> None:
    """`orgdiff snapshots --org X` is `orgdiff --org X snapshots`; after the
    command it wins over --org before it and over $ORGDIFF_ORG."""
    done = orgdiff("snapshots", "--org", str(EXAMPLE), cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, example_snapshots, "")
    done = orgdiff("--org", str(BASE), "snapshots", "--org", str(EXAMPLE), cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, example_snapshots, "")
    done = orgdiff("snapshots", "--org", str(EXAMPLE), cwd=tmp_path, env={"ORGDIFF_ORG": str(BASE)})
    assert (done.returncode, done.stdout, done.stderr) == (0, example_snapshots, "")


def test_org_after_render_and_its_date(tmp_path: Path) -> None:
    """`orgdiff render 2024 --org X` (it was refused with "Did you mean '--format'?")."""
    done = orgdiff("render", "2024", "--org", str(EXAMPLE), "--format", "dot", cwd=tmp_path)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "example-2024.dot\n")
    assert (tmp_path / "example-2024.dot").read_text(encoding="utf-8").startswith("digraph")


def test_inside_a_dataset_folder(tmp_path: Path, example_snapshots: str) -> None:
    """`cd orgs/acme && orgdiff snapshots`: a folder holding dataset.yaml is the dataset."""
    acme = tmp_path / "orgs" / "acme"
    shutil.copytree(EXAMPLE, acme)
    done = orgdiff("snapshots", cwd=acme)
    assert (done.returncode, done.stdout, done.stderr) == (0, example_snapshots, "")
    done = orgdiff("validate", cwd=acme)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(".: valid: 4 snapshots (2022-01-10 to 2025-02-14), ")


def test_the_one_dataset_under_orgs(tmp_path: Path, example_snapshots: str) -> None:
    """With one dataset under ./orgs (and a notes folder beside it), that one."""
    shutil.copytree(EXAMPLE, tmp_path / "orgs" / "acme")
    (tmp_path / "orgs" / "notes").mkdir()
    done = orgdiff("snapshots", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, example_snapshots, "")


@pytest.mark.parametrize("command", ["validate", "snapshots"])
def test_a_dataset_being_built_says_what_it_lacks(tmp_path: Path, command: str) -> None:
    """Step 1 of the tutorial: orgs/acme/ without dataset.yaml, then with an
    empty snapshots/. Each says what is missing; neither uses the bundled data."""
    acme = tmp_path / "orgs" / "acme"
    (acme / "snapshots").mkdir(parents=True)
    shown = os.path.join("orgs", "acme")
    refused(
        orgdiff(command, cwd=tmp_path),
        f"orgdiff: error: {shown}: no dataset.yaml yet, so no dataset under ./orgs; "
        "add one (see the data format), or pass --org PATH",
    )
    shutil.copy(EXAMPLE / "dataset.yaml", acme / "dataset.yaml")
    refused(
        orgdiff(command, cwd=tmp_path),
        f"orgdiff: error: {shown} has no snapshots yet: add "
        f"{os.path.join(shown, 'snapshots', 'YYYY-MM-DD.yaml')}",
    )
    shutil.copy(EXAMPLE / "snapshots" / "2022-01-10.yaml", acme / "snapshots")
    done = orgdiff(command, cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")


def test_an_empty_orgs_folder(tmp_path: Path) -> None:
    """An empty ./orgs is a dataset not begun, not a reason to use the bundled one."""
    (tmp_path / "orgs").mkdir()
    refused(
        orgdiff("snapshots", cwd=tmp_path),
        "orgdiff: error: ./orgs holds no dataset: add orgs/NAME/dataset.yaml, or pass --org PATH",
    )


def test_several_datasets_ask_for_org(tmp_path: Path) -> None:
    """Several datasets under ./orgs: name them and ask for --org."""
    shutil.copytree(BASE, tmp_path / "orgs" / "b")
    shutil.copytree(BASE, tmp_path / "orgs" / "a")
    a, b = os.path.join("orgs", "a"), os.path.join("orgs", "b")
    refused(
        orgdiff("log", cwd=tmp_path),
        f"orgdiff: error: several datasets under ./orgs ({a}, {b}); pick one with --org PATH",
    )
    done = orgdiff("log", "--org", "orgs/a", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")


def test_validate_path_is_explicit(tmp_path: Path) -> None:
    """`orgdiff validate PATH` checks PATH, whatever ./orgs holds."""
    (tmp_path / "orgs" / "acme").mkdir(parents=True)
    done = orgdiff("validate", str(EXAMPLE), cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(f"{EXAMPLE}: valid: 4 snapshots (2022-01-10 to 2025-02-14), ")


def test_the_bundled_dataset_is_said_once(tmp_path: Path) -> None:
    """With no ./orgs at all: the bundled Meta AI dataset, said once on stderr.
    This is the README's first command, run in an empty folder (as CI does)."""
    done = orgdiff("render", "2025-09", cwd=tmp_path)
    assert (done.returncode, done.stderr, done.stdout) == (0, NOTE, "meta-ai-2025-09.svg\n")
    assert "Meta Superintelligence Labs" in (tmp_path / "meta-ai-2025-09.svg").read_text(
        encoding="utf-8"
    )
    done = orgdiff("snapshots", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, NOTE)
    assert done.stdout.startswith("2013-12-09 ")
    done = orgdiff("validate", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, NOTE)


def test_no_note_when_the_dataset_is_named(tmp_path: Path) -> None:
    """`--org` or $ORGDIFF_ORG naming the dataset: no note, even with no ./orgs."""
    done = orgdiff("snapshots", cwd=tmp_path, env={"ORGDIFF_ORG": str(EXAMPLE)})
    assert (done.returncode, done.stderr) == (0, "")


def test_the_python_api_stays_quiet(tmp_path: Path) -> None:
    """`orgdiff.load()` with no path falls back to the bundled dataset without a
    word or a warning; `default_is_bundled()` tells."""
    code = (
        "import orgdiff; from orgdiff.load import default_is_bundled; "
        "print(orgdiff.load().name, default_is_bundled())"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "Meta AI True\n", "")
