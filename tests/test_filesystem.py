"""The dataset folder as the file system presents it: links, special files,
unreadable entries, names that collide on other systems, editors' leftovers.

Each is refused with one clear problem naming the entry, and nothing blocks:
orgdiff never follows a symbolic link inside the dataset folder, never opens a
FIFO or a device, and never reads a folder it cannot list.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

import orgdiff
from orgdiff.errors import OrgDataError

BASE = Path(__file__).parent / "data" / "invalid" / "base"
SNAPSHOT = Path("snapshots") / "2020-01-01.yaml"

posix_only = pytest.mark.skipif(os.name != "posix", reason="needs POSIX files")


def promptly(func: Callable[[], object], seconds: float = 30) -> object:
    """``func()``, failing the test if it has not returned within ``seconds``."""
    result: list[object] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(func())
        except BaseException as exc:  # handed back to the test below
            errors.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=seconds)
    assert not worker.is_alive(), "blocked"
    if errors:
        raise errors[0]
    return result[0]


def problems(path: str | Path = "org") -> list[str]:
    """What loading ``path`` reports, one string per problem; fails if it loads or blocks."""

    def attempt() -> list[str]:
        with pytest.raises(OrgDataError) as info:
            orgdiff.load(path)
        # Problem's rule: a problem with no line has no column.
        assert [] == [p for p in info.value.problems if p.line == 0 and p.column != 0]
        return [str(p) for p in info.value.problems]

    found = promptly(attempt)
    assert isinstance(found, list)
    return found


SNAP = os.path.join("org", "snapshots", "2020-01-01.yaml")
DATASET = os.path.join("org", "dataset.yaml")
SNAPSHOTS = os.path.join("org", "snapshots")


# --- symbolic links ----------------------------------------------------------------------


@posix_only
def test_dataset_file_linked_from_outside_is_refused(org: Path, tmp_path: Path) -> None:
    """dataset.yaml as a link to a file outside the folder is refused, not followed."""
    outside = tmp_path / "elsewhere.yaml"
    (org / "dataset.yaml").rename(outside)
    (org / "dataset.yaml").symlink_to(outside)
    assert [
        f"{DATASET}: $: a symbolic link; dataset.yaml must be a regular file in the dataset "
        "folder, not a link"
    ] == problems()


@posix_only
def test_dataset_file_linked_to_a_device_is_refused_without_reading(org: Path) -> None:
    """dataset.yaml linked to /dev/zero is refused before anything is read from it."""
    (org / "dataset.yaml").unlink()
    (org / "dataset.yaml").symlink_to("/dev/zero")
    assert [
        f"{DATASET}: $: a symbolic link; dataset.yaml must be a regular file in the dataset "
        "folder, not a link"
    ] == problems()


@posix_only
def test_snapshots_folder_linked_from_outside_is_refused(org: Path, tmp_path: Path) -> None:
    """snapshots/ as a link to a folder elsewhere is refused, not followed."""
    outside = tmp_path / "elsewhere"
    (org / "snapshots").rename(outside)
    (org / "snapshots").symlink_to(outside, target_is_directory=True)
    assert [
        f"{SNAPSHOTS}: $: a symbolic link; snapshots must be a folder in the dataset folder, "
        "not a link"
    ] == problems()


@posix_only
def test_snapshots_folder_linked_to_itself_is_refused_without_hanging(org: Path) -> None:
    """A symbolic-link loop in place of snapshots/ is refused at once."""
    shutil.rmtree(org / "snapshots")
    (org / "snapshots").symlink_to(org / "snapshots")
    assert [
        f"{SNAPSHOTS}: $: a symbolic link; snapshots must be a folder in the dataset folder, "
        "not a link"
    ] == problems()


@posix_only
def test_snapshot_linked_to_the_root_folder_is_refused(org: Path) -> None:
    """A snapshot file that links to / (a way out of the dataset) is refused."""
    (org / "snapshots" / "2021-01-01.yaml").symlink_to("/")
    link = os.path.join("org", "snapshots", "2021-01-01.yaml")
    assert [f"{link}: $: a symbolic link; snapshot files must be regular files"] == problems()


@posix_only
def test_snapshot_link_loop_is_refused(org: Path) -> None:
    """A snapshot file that is a link to itself is refused without following it."""
    loop = org / "snapshots" / "2021-01-01.yaml"
    loop.symlink_to(loop)
    link = os.path.join("org", "snapshots", "2021-01-01.yaml")
    assert [f"{link}: $: a symbolic link; snapshot files must be regular files"] == problems()


@posix_only
def test_dataset_folder_named_through_a_link_loads(org: Path, tmp_path: Path) -> None:
    """The folder the user names may itself be a link: that choice is theirs."""
    (tmp_path / "alias").symlink_to(org, target_is_directory=True)
    assert 2 == len(orgdiff.load("alias"))


# --- special files -------------------------------------------------------------------


@posix_only
def test_fifo_in_place_of_the_snapshots_folder(org: Path) -> None:
    """A FIFO named snapshots is not a folder: reported, never opened."""
    shutil.rmtree(org / "snapshots")
    os.mkfifo(org / "snapshots")
    assert [f"{SNAPSHOTS}: $: no snapshots folder"] == problems()


@posix_only
def test_device_named_like_a_snapshot_is_refused(org: Path) -> None:
    """A character device named like a snapshot is not a regular file, and is not read."""
    try:
        os.mknod(org / "snapshots" / "2021-01-01.yaml", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except (PermissionError, OSError):
        pytest.skip("cannot make device files here")
    device = os.path.join("org", "snapshots", "2021-01-01.yaml")
    assert [f"{device}: $: not a regular file"] == problems()


@posix_only
def test_dataset_path_that_is_a_fifo(org: Path) -> None:
    """Naming a FIFO as the dataset folder reports it as no dataset folder, at once."""
    os.mkfifo("pipe")
    assert ["pipe: $: no such dataset folder"] == problems("pipe")


@posix_only
def test_file_swapped_for_a_fifo_after_the_check_is_not_waited_on(
    org: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the type check and the open the file may become a FIFO: the open does not block."""
    yamlread = __import__("orgdiff.yamlread", fromlist=["read_raw"])
    snapshot = org / SNAPSHOT
    real_stat = Path.stat

    def stat_then_swap(self: Path, *args: object, **kwargs: object) -> os.stat_result:
        result = real_stat(self, *args, **kwargs)  # type: ignore[arg-type]
        if self == snapshot and stat.S_ISREG(result.st_mode):
            self.unlink()
            os.mkfifo(self)
        return result

    monkeypatch.setattr(Path, "stat", stat_then_swap)
    raw, problem = promptly(lambda: yamlread.read_raw(snapshot, "snap"))  # type: ignore[misc]
    assert raw is None
    assert "snap: $: not a regular file" == str(problem)


# --- what cannot be read ---------------------------------------------------------------


def test_unreadable_snapshot(org: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A snapshot that cannot be opened is reported with the system's reason."""
    real_open = os.open

    def refuse(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith("2020-01-01.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    assert [f"{SNAP}: $: cannot read: Permission denied"] == problems()


def test_unlistable_snapshots_folder(org: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A snapshots folder that cannot be listed is reported, not a traceback."""
    real_iterdir = Path.iterdir

    def refuse(self: Path) -> object:
        if self.name == "snapshots":
            raise PermissionError(13, "Permission denied")
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", refuse)
    assert [f"{SNAPSHOTS}: $: cannot list: Permission denied"] == problems()


@posix_only
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_unreadable_snapshots_folder_by_mode(org: Path) -> None:
    """A snapshots folder without read permission is reported as unlistable."""
    (org / "snapshots").chmod(0)
    try:
        assert [f"{SNAPSHOTS}: $: cannot list: Permission denied"] == problems()
    finally:
        (org / "snapshots").chmod(0o755)


# --- names ---------------------------------------------------------------------------------


def test_snapshot_name_in_other_case_is_refused(org: Path) -> None:
    """`2021-01-01.YAML` would overwrite or shadow a snapshot on macOS and Windows: refused."""
    (org / "snapshots" / "2021-01-01.YAML").write_bytes((org / SNAPSHOT).read_bytes())
    upper = os.path.join("org", "snapshots", "2021-01-01.YAML")
    assert [
        f"{upper}: $: unexpected file, named like a snapshot but in other letter case; "
        "snapshot files are named YYYY-MM-DD.yaml"
    ] == problems()


def test_dataset_file_in_other_case_is_named(org: Path) -> None:
    """With only `Dataset.yaml` there, the problem says what to rename."""
    (org / "dataset.yaml").rename(org / "Dataset.yaml")
    found = problems()
    assert 1 == len(found)
    assert found[0].startswith(f"{DATASET}: $: cannot read: ")
    assert found[0].endswith(
        "; found `Dataset.yaml`: names are case-sensitive, rename it `dataset.yaml`"
    )


def test_snapshots_folder_in_other_case_is_named(org: Path) -> None:
    """With only `Snapshots/` there, the problem says what to rename."""
    (org / "snapshots").rename(org / "Snapshots")
    assert [
        f"{SNAPSHOTS}: $: no snapshots folder; found `Snapshots`: names are case-sensitive, "
        "rename it `snapshots`"
    ] == problems()


EDITOR = "unexpected file, left by an editor (swap, backup or lock file); "
FILE_MANAGER = "unexpected file, left by a file manager; delete it; "
RULE = "snapshot files are named YYYY-MM-DD.yaml"


@pytest.mark.parametrize(
    ("name", "what"),
    [
        (".2020-01-01.yaml.swp", EDITOR),  # vim
        (".2020-01-01.yaml.swo", EDITOR),
        ("2020-01-01.yaml~", EDITOR),  # emacs, gedit
        ("#2020-01-01.yaml#", EDITOR),  # emacs auto-save
        (".#2020-01-01.yaml", EDITOR),  # emacs lock
        ("2020-01-01.yaml.orig", EDITOR),  # merge tools
        ("2020-01-01.yaml.bak", EDITOR),
        ("4913", EDITOR),  # vim's test of the folder
        (".~lock.2020-01-01.yaml#", EDITOR),  # LibreOffice
        (".DS_Store", FILE_MANAGER),
        ("Thumbs.db", FILE_MANAGER),
        ("desktop.ini", FILE_MANAGER),
        ("README.md", "unexpected file; "),
    ],
)
def test_stray_files_are_refused_with_what_they_are(org: Path, name: str, what: str) -> None:
    """Leftovers of editors and file managers are refused, each said to be what it is."""
    (org / "snapshots" / name).write_bytes(b"junk")
    stray = os.path.join("org", "snapshots", name)
    assert [f"{stray}: $: {what}{RULE}"] == problems()


# --- the command line ---------------------------------------------------------------------


@posix_only
def test_validate_refuses_a_link_loop_without_a_traceback(org: Path) -> None:
    """`orgdiff validate` on a dataset whose snapshots/ loops exits 2 with one line."""
    shutil.rmtree(org / "snapshots")
    (org / "snapshots").symlink_to(org / "snapshots")
    done = subprocess.run(
        [sys.executable, "-m", "orgdiff.cli", "validate", "org"],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert 2 == done.returncode
    assert b"Traceback" not in done.stderr
    assert done.stderr.decode().splitlines() == [
        f"{SNAPSHOTS}: $: a symbolic link; snapshots must be a folder in the dataset folder, "
        "not a link",
        "1 problem found",
    ]
