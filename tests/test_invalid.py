"""Bad input, case by case: data files with the expected messages beside them.

``tests/data/invalid/base/`` is a small valid dataset with two snapshots,
2019-01-01 and 2020-01-01. Each case ``<name>.yaml`` replaces
``snapshots/2020-01-01.yaml`` in a copy of it (so ``from`` can name units of
2019-01-01); each ``<name>.dataset.yaml`` replaces ``dataset.yaml``.
``<name>.expected`` holds what ``orgdiff validate`` prints on standard error,
with paths relative to the dataset folder. ``uv run python tests/bless.py``
rewrites the ``.expected`` files from the tool's output, on purpose.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import orgdiff
from orgdiff.cli import cli
from orgdiff.errors import OrgDataError

HERE = Path(__file__).parent / "data" / "invalid"
BASE = HERE / "base"
#: The folder name the copy of the base gets; stripped from the paths printed.
ORG = "org"
SNAPSHOT = Path("snapshots") / "2020-01-01.yaml"
DATASET_SUFFIX = ".dataset.yaml"


def case_files() -> list[Path]:
    """Every case file, sorted by name."""
    return sorted(p for p in HERE.iterdir() if p.is_file() and p.name.endswith(".yaml"))


def case_name(case: Path) -> str:
    return case.name.removesuffix(DATASET_SUFFIX).removesuffix(".yaml")


def expected_file(case: Path) -> Path:
    return case.with_name(case_name(case) + ".expected")


def make_dataset(case: Path, workdir: Path) -> Path:
    """A copy of the base in ``workdir/org`` with ``case`` put in its place."""
    folder = workdir / ORG
    shutil.copytree(BASE, folder)
    target = Path("dataset.yaml") if case.name.endswith(DATASET_SUFFIX) else SNAPSHOT
    shutil.copyfile(case, folder / target)
    return folder


def relative(text: str) -> str:
    """Output with the ``org/`` prefix of each line taken off, ``/`` as separator."""
    prefix = ORG + os.sep
    lines = []
    for line in text.splitlines():
        if line.startswith(prefix):
            line = line.removeprefix(prefix).replace(os.sep, "/", 1)
        lines.append(line)
    return "".join(line + "\n" for line in lines)


def run_validate(workdir: Path) -> tuple[int, str, str, BaseException | None]:
    """``orgdiff validate org`` run in ``workdir``: (exit code, stdout, stderr, exception)."""
    with contextlib.chdir(workdir):
        result = CliRunner().invoke(cli, ["validate", ORG])
    return result.exit_code, result.stdout, relative(result.stderr), result.exception


def load_problems(workdir: Path) -> list[str]:
    """``orgdiff.load("org")`` in ``workdir``: each problem as text (or none)."""
    with contextlib.chdir(workdir):
        try:
            orgdiff.load(ORG)
        except OrgDataError as exc:
            return relative("\n".join(str(p) for p in exc.problems)).splitlines()
    return []


CASES = case_files()


def test_there_are_cases() -> None:
    """The table is not empty and every case has its expected output beside it."""
    assert len(CASES) >= 40
    missing = [c.name for c in CASES if not expected_file(c).is_file()]
    assert missing == []
    stale = sorted(
        p.name
        for p in HERE.glob("*.expected")
        if not (HERE / (p.stem + ".yaml")).is_file()
        and not (HERE / (p.stem + DATASET_SUFFIX)).is_file()
    )
    assert stale == []


def test_base_is_valid(tmp_path: Path) -> None:
    """The base dataset itself loads and validates, so each case breaks only what it says."""
    shutil.copytree(BASE, tmp_path / ORG)
    code, out, err, exc = run_validate(tmp_path)
    assert err == ""
    assert code == 0, exc
    assert out.startswith("org: valid: 2 snapshots (2019-01-01 to 2020-01-01)")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_validate_reports(case: Path, tmp_path: Path) -> None:
    """`orgdiff validate` exits 2 and prints exactly the expected problems, no traceback."""
    make_dataset(case, tmp_path)
    code, out, err, exc = run_validate(tmp_path)
    assert expected_file(case).read_text(encoding="utf-8") == err
    assert code == 2
    assert isinstance(exc, SystemExit), exc
    assert out == ""
    assert "Traceback" not in err


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_load_raises_the_same_problems(case: Path, tmp_path: Path) -> None:
    """`orgdiff.load` raises `OrgDataError` whose problems read as the command prints them."""
    make_dataset(case, tmp_path)
    expected = expected_file(case).read_text(encoding="utf-8").splitlines()
    assert expected[:-1] == load_problems(tmp_path)
    assert expected[-1].endswith(("1 problem found", "problems found"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_inputs_are_not_modified(case: Path, tmp_path: Path) -> None:
    """Validating never writes to the dataset: every file hashes the same afterwards."""
    folder = make_dataset(case, tmp_path)

    def digests() -> dict[str, str]:
        return {
            str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    before = digests()
    run_validate(tmp_path)
    load_problems(tmp_path)
    assert before == digests()


def test_stray_files_in_snapshots(tmp_path: Path) -> None:
    """Files in snapshots/ not named YYYY-MM-DD.yaml are each reported; the rest still loads."""
    folder = make_dataset(BASE / SNAPSHOT, tmp_path)
    (folder / "snapshots" / "notes.txt").write_text("to do\n", encoding="utf-8")
    (folder / "snapshots" / "2020-1-2.yaml").write_text("date: 2020-01-02\n", encoding="utf-8")
    (folder / "snapshots" / "2021-01-01.yml").write_text("date: 2021-01-01\n", encoding="utf-8")
    code, _, err, _ = run_validate(tmp_path)
    unexpected = "$: unexpected file; snapshot files are named YYYY-MM-DD.yaml"
    assert (
        f"snapshots/2020-1-2.yaml: {unexpected}\n"
        f"snapshots/2021-01-01.yml: {unexpected}\n"
        f"snapshots/notes.txt: {unexpected}\n"
        "3 problems found\n"
    ) == err
    assert code == 2


def test_stray_folder_in_snapshots(tmp_path: Path) -> None:
    """A folder in snapshots/ is reported like any other stray entry."""
    folder = make_dataset(BASE / SNAPSHOT, tmp_path)
    (folder / "snapshots" / "old").mkdir()
    code, _, err, _ = run_validate(tmp_path)
    assert err == (
        "snapshots/old: $: unexpected file; snapshot files are named YYYY-MM-DD.yaml\n"
        "1 problem found\n"
    )
    assert code == 2
