"""The cache of validated timelines (orgdiff/cache.py): used only while the
dataset's bytes are the same, ignored whenever it cannot be trusted, and never
the reason a command fails."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from strategies import evolving_timelines

import orgdiff
from orgdiff import cache
from orgdiff.model import Timeline

BASE = Path(__file__).parent / "data" / "invalid" / "base"
SNAPSHOT = "snapshots/2020-01-01.yaml"


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user cache folder ($XDG_CACHE_HOME) of this test alone, caching on."""
    home = tmp_path / "cache-home"
    home.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("ORGDIFF_NO_CACHE", raising=False)
    return home


class Counted:
    """The real load of a folder, counting how often the cache had to call it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.calls = 0

    def __call__(self) -> Timeline:
        self.calls += 1
        return orgdiff.load(self.folder)

    def load(self) -> Timeline:
        return cache.load(self.folder, self)


def cached_file(folder: Path) -> Path:
    path = cache.timeline_file(folder)
    assert path is not None
    return path


def _orgdiff(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orgdiff", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
        timeout=120,
    )


def test_the_second_load_comes_from_the_cache(org: Path, cache_home: Path) -> None:
    """The first load reads the files and writes the cache; the second reads only
    the cache, and gives an equal timeline whose unchanged entities are still
    the same objects in consecutive snapshots."""
    loads = Counted(org)
    first = loads.load()
    assert 1 == loads.calls
    path = cached_file(org)
    assert cache_home / "orgdiff" / "timelines" == path.parent
    assert (0o700, 0o600) == (
        stat.S_IMODE(path.parent.stat().st_mode),
        stat.S_IMODE(path.stat().st_mode),
    )
    second = loads.load()
    assert 1 == loads.calls
    assert first == second
    before, after = second.snapshots
    shared = [pid for pid, p in after.people.items() if before.people.get(pid) is p]
    expected = [pid for pid, p in first.snapshots[1].people.items() if before.people.get(pid) == p]
    assert expected == shared
    assert shared, "the dataset has unchanged people"


def test_an_edit_that_keeps_size_and_time_is_seen(org: Path, cache_home: Path) -> None:
    """Changing a byte and putting back the modification time (and the size) is
    still a change: the bytes are hashed."""
    loads = Counted(org)
    loads.load()
    target = org / SNAPSHOT
    info = target.stat()
    text = target.read_text()
    assert "title: Engineer\n" in text
    target.write_text(text.replace("title: Engineer\n", "title: Engineeb\n", 1))
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert (info.st_size, info.st_mtime_ns) == (target.stat().st_size, target.stat().st_mtime_ns)
    edited = loads.load()
    assert 2 == loads.calls
    assert edited == orgdiff.load(org)
    assert "Engineeb" in {p.title for p in edited.snapshots[1].people.values()}
    loads.load()
    assert 2 == loads.calls  # the cache now holds the edited dataset


@pytest.mark.parametrize(
    "change",
    [
        lambda org: (org / "snapshots" / "2021-01-01.yaml").write_text(
            (org / SNAPSHOT).read_text().replace("2020-01-01", "2021-01-01")
        ),
        lambda org: (org / SNAPSHOT).unlink(),
        lambda org: (org / "dataset.yaml").write_text(
            (org / "dataset.yaml").read_text() + "\n# a comment\n"
        ),
    ],
    ids=["a snapshot added", "a snapshot removed", "dataset.yaml edited"],
)
def test_a_changed_set_of_files_is_read_again(
    org: Path, cache_home: Path, change: Callable[[Path], object]
) -> None:
    loads = Counted(org)
    loads.load()
    change(org)
    assert orgdiff.load(org) == loads.load()
    assert 2 == loads.calls


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "byte flipped":
        middle = len(data) - 100
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "garbage":
        path.write_bytes(b"\x80\x05not a pickle at all" * 100)
    elif how == "digest forged":
        # A payload replaced and its digest recomputed still has to be a timeline.
        import hashlib
        import pickle

        head = data[: data.index(b"\x80\x05")]
        payload = pickle.dumps(["not", "a", "timeline"], protocol=5)
        path.write_bytes(head + payload + hashlib.sha256(payload).digest())
    elif how == "code in the pickle":
        import hashlib
        import pickle

        class Evil:
            def __reduce__(self) -> tuple[object, tuple[str]]:
                return (os.system, ("touch pwned",))

        head = data[: data.index(b"\x80\x05")]
        payload = pickle.dumps(Evil(), protocol=5)
        path.write_bytes(head + payload + hashlib.sha256(payload).digest())
    elif how == "trailing data":
        # The timeline whole, then more pickled data, the digest recomputed over both.
        import hashlib
        import pickle

        head = data[: data.index(b"\x80\x05")]
        payload = data[len(head) : -32] + pickle.dumps("more", protocol=5)
        path.write_bytes(head + payload + hashlib.sha256(payload).digest())
    else:  # pragma: no cover
        raise AssertionError(how)


@pytest.mark.parametrize(
    "how",
    [
        "truncated",
        "byte flipped",
        "empty",
        "garbage",
        "digest forged",
        "code in the pickle",
        "trailing data",
    ],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(
    org: Path, cache_home: Path, how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file cut short by a crash, altered, or holding anything but a timeline is
    never unpickled as one: the dataset is read again and the file rewritten."""
    monkeypatch.chdir(tmp_path)
    loads = Counted(org)
    loads.load()
    path = cached_file(org)
    _damage(path, how)
    assert orgdiff.load(org) == loads.load()
    assert 2 == loads.calls
    assert not (tmp_path / "pwned").exists()
    loads.load()
    assert 2 == loads.calls  # rewritten whole


def _rewrite_header(file: Path, key: dict[str, str]) -> None:
    data = file.read_bytes()
    start = len(cache.FORMAT)
    size = int.from_bytes(data[start : start + 4], "big")
    header = json.loads(data[start + 4 : start + 4 + size])
    header["key"].update(key)
    new = json.dumps(header).encode()
    file.write_bytes(data[:start] + len(new).to_bytes(4, "big") + new + data[start + 4 + size :])


@pytest.mark.parametrize(
    "key",
    [
        {"orgdiff": "0" * 64},
        {"python": "cpython-39 3.9.0"},
        {"path": "/somewhere/else"},
    ],
    ids=["another orgdiff", "another Python", "another folder"],
)
def test_a_cache_made_for_something_else_is_not_used(
    org: Path, cache_home: Path, key: dict[str, str]
) -> None:
    """A whole, valid cache file made by another version of orgdiff or of Python,
    or for another folder, found where this one's should be, is not used."""
    loads = Counted(org)
    loads.load()
    path = cached_file(org)
    _rewrite_header(path, key)
    loads.load()
    assert 2 == loads.calls
    loads.load()  # rewritten for this version
    assert 2 == loads.calls
    _rewrite_header(path, key)
    _rewrite_header(path, cache._key(org))  # the header as it was: trusted again
    loads.load()
    assert 2 == loads.calls


def test_another_version_of_python_or_orgdiff_keeps_a_file_of_its_own(
    org: Path, cache_home: Path
) -> None:
    """The file name is a hash of the key: the versions never overwrite each other."""
    key = cache._key(org)
    assert cached_file(org).name.endswith(".pickle")
    assert key["path"] == os.path.abspath(org)
    assert key["python"].startswith(sys.implementation.cache_tag)
    assert 64 == len(key["orgdiff"])


def test_each_folder_has_a_file_of_its_own(org: Path, cache_home: Path, tmp_path: Path) -> None:
    """Two datasets never share (and overwrite) one cache file."""
    other = tmp_path / "other"
    shutil.copytree(org, other)
    assert cached_file(org) != cached_file(other)
    assert cached_file(org).parent == cached_file(other).parent


def test_installed_without_sources_the_version_is_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When orgdiff's source files cannot be read, the installed version keys the cache."""
    from importlib.metadata import version

    assert 64 == len(cache._code_version())
    monkeypatch.setattr(cache, "_SOURCES", ("no-such-module.py",))
    assert f"version {version('orgdiff')}" == cache._code_version()


def test_the_fingerprint_is_each_file_s_name_size_and_sha256(org: Path, tmp_path: Path) -> None:
    import hashlib

    names = ["dataset.yaml", "snapshots/2019-01-01.yaml", "snapshots/2020-01-01.yaml"]
    assert [
        [name, (org / name).stat().st_size, hashlib.sha256((org / name).read_bytes()).hexdigest()]
        for name in names
    ] == cache.fingerprint(org)


@pytest.mark.skipif(os.name != "posix", reason="symbolic links and FIFOs are POSIX")
@pytest.mark.parametrize("kind", ["link", "folder", "fifo"])
def test_a_dataset_with_an_entry_that_is_not_a_file_has_no_fingerprint(
    org: Path, tmp_path: Path, kind: str
) -> None:
    """A snapshot that is a symbolic link is not followed, a FIFO is not waited on, a
    folder is not read: no fingerprint, so nothing is cached."""
    entry = org / "snapshots" / "2021-01-01.yaml"
    if kind == "link":
        entry.symlink_to(org / SNAPSHOT)
    elif kind == "folder":
        entry.mkdir()
    else:
        os.mkfifo(entry)
    assert cache.fingerprint(org) is None


def test_a_dataset_edited_while_it_is_read_is_not_cached(org: Path, cache_home: Path) -> None:
    """The cache describes the bytes it is keyed by: a file changed during the load
    (between the fingerprint and the end of the read) leaves no cache."""
    target = org / SNAPSHOT

    def edit_then_load() -> Timeline:
        target.write_text(target.read_text().replace("title: Engineer\n", "title: Lead\n", 1))
        return orgdiff.load(org)

    cache.load(org, edit_then_load)
    assert not cached_file(org).exists()
    loads = Counted(org)
    loads.load()
    loads.load()
    assert 1 == loads.calls


def test_a_payload_read_in_chunks_is_read_to_its_last_byte(
    org: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The payload is hashed a chunk at a time: a last chunk of one byte is read too."""
    loads = Counted(org)
    loads.load()
    data = cached_file(org).read_bytes()
    start = data.index(b"\x80\x05")
    monkeypatch.setattr(cache, "_CHUNK", len(data) - 32 - start - 1)
    loads.load()
    assert 1 == loads.calls


def test_the_temporary_file_is_made_beside_the_cache_file(
    org: Path, cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not in the system's temporary folder (a rename from another file system fails)."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    loads = Counted(org)
    loads.load()
    loads.load()
    assert 1 == loads.calls


def test_a_failed_write_leaves_no_temporary_file(org: Path, cache_home: Path) -> None:
    """A folder where the cache file should go: the rename fails, the load does not,
    and the temporary file is removed."""
    path = cached_file(org)
    path.mkdir()
    loads = Counted(org)
    assert orgdiff.load(org) == loads.load()
    assert [path.name] == [p.name for p in path.parent.iterdir()]


@pytest.mark.skipif(os.name != "posix" or os.getuid() != 0, reason="chown needs root")
def test_a_folder_owned_by_someone_else_is_not_used(org: Path, cache_home: Path) -> None:
    loads = Counted(org)
    loads.load()
    folder = cached_file(org).parent
    os.chown(folder, 12345, 12345)
    assert cache.timeline_file(org) is None
    loads.load()
    loads.load()
    assert 3 == loads.calls


@pytest.mark.skipif(os.name != "posix", reason="modes are POSIX")
@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777])
def test_a_folder_others_can_write_is_not_used(org: Path, cache_home: Path, mode: int) -> None:
    loads = Counted(org)
    loads.load()
    folder = cached_file(org).parent
    folder.chmod(mode)
    assert cache.timeline_file(org) is None
    loads.load()
    assert 2 == loads.calls
    folder.chmod(0o700)
    loads.load()
    assert 2 == loads.calls


@pytest.mark.skipif(os.name != "posix", reason="modes and owners are POSIX")
def test_a_file_others_can_write_is_not_used(org: Path, cache_home: Path) -> None:
    loads = Counted(org)
    loads.load()
    cached_file(org).chmod(0o666)
    loads.load()
    assert 2 == loads.calls


def test_a_symbolic_link_in_place_of_the_file_is_not_followed(
    org: Path, cache_home: Path, tmp_path: Path
) -> None:
    loads = Counted(org)
    loads.load()
    path = cached_file(org)
    moved = tmp_path / "elsewhere.pickle"
    path.rename(moved)
    path.symlink_to(moved)
    loads.load()
    assert 2 == loads.calls
    assert not path.is_symlink()  # replaced by a file of its own


def test_invalid_datasets_are_never_cached(org: Path, cache_home: Path) -> None:
    target = org / SNAPSHOT
    target.write_text(target.read_text().replace("unit: eng", "unit: nowhere", 1))
    with pytest.raises(orgdiff.OrgDataError):
        orgdiff.load(org, cache=True)
    assert not cached_file(org).exists()


def test_off_by_default_in_the_api_and_with_orgdiff_no_cache(
    org: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``orgdiff.load(path)`` writes nothing; ``cache=True`` does, unless
    ORGDIFF_NO_CACHE is set."""
    orgdiff.load(org)
    assert not (cache_home / "orgdiff").exists()
    monkeypatch.setenv("ORGDIFF_NO_CACHE", "1")
    orgdiff.load(org, cache=True)
    assert not (cache_home / "orgdiff").exists()
    monkeypatch.delenv("ORGDIFF_NO_CACHE")
    orgdiff.load(org, cache=True)
    assert cached_file(org).is_file()


def test_clear_removes_every_cache_file_and_counts_them(org: Path, cache_home: Path) -> None:
    """``cache.clear()`` empties both caches and says how many files each held
    (files in sub-folders too, folders not counted); a second call finds none."""
    Counted(org).load()
    root = cache_home / "orgdiff"
    wasm = root / "wasm"
    (wasm / "old").mkdir(mode=0o700, parents=True)
    (wasm / "graphviz-0.cwasm").write_bytes(b"module")
    (wasm / "old" / "graphviz-1.cwasm").write_bytes(b"module")
    assert {"timelines": 1, "wasm": 2} == cache.clear()
    assert [] == list(root.iterdir())
    assert {"timelines": 0, "wasm": 0} == cache.clear()


@pytest.mark.parametrize("what", ["file", "link"])
def test_clear_removes_a_file_or_link_where_a_cache_folder_should_be(
    cache_home: Path, tmp_path: Path, what: str
) -> None:
    """A file or a symbolic link in place of a cache folder is removed (as one file);
    the folder a link points to is left alone."""
    root = cache_home / "orgdiff"
    root.mkdir(mode=0o700)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "kept").write_bytes(b"not orgdiff's")
    if what == "file":
        (root / "timelines").write_bytes(b"a file")
    else:
        (root / "timelines").symlink_to(elsewhere, target_is_directory=True)
    (root / "wasm").mkdir(mode=0o700)
    (root / "wasm" / "graphviz-0.cwasm").write_bytes(b"module")
    assert {"timelines": 1, "wasm": 1} == cache.clear()
    assert [] == list(root.iterdir())
    assert ["kept"] == [p.name for p in elsewhere.iterdir()]


# --- the command line -----------------------------------------------------------------


def test_the_command_line_uses_it_and_no_cache_turns_it_off(org: Path, cache_home: Path) -> None:
    """`orgdiff validate` writes the cache, the next run reads it (the file is not
    rewritten); `--no-cache` neither reads nor writes it."""
    cold = _orgdiff("validate", str(org), cwd=org.parent)
    assert (0, "") == (cold.returncode, cold.stderr)
    path = cached_file(org)
    written = path.stat()
    warm = _orgdiff("validate", str(org), cwd=org.parent)
    assert (0, "", cold.stdout) == (warm.returncode, warm.stderr, warm.stdout)
    assert (written.st_ino, written.st_mtime_ns) == (path.stat().st_ino, path.stat().st_mtime_ns)
    diff = _orgdiff("--org", str(org), "diff", "2019", "2020", cwd=org.parent)
    assert (0, "") == (diff.returncode, diff.stderr)
    assert (
        diff.stdout
        == _orgdiff("--no-cache", "--org", str(org), "diff", "2019", "2020", cwd=org.parent).stdout
    )
    path.unlink()
    off = _orgdiff("--no-cache", "validate", str(org), cwd=org.parent)
    assert (0, "", cold.stdout) == (off.returncode, off.stderr, off.stdout)
    env_off = _orgdiff("validate", str(org), cwd=org.parent, ORGDIFF_NO_CACHE="1")
    assert (0, "", cold.stdout) == (env_off.returncode, env_off.stderr, env_off.stdout)
    assert not path.exists()


def test_cache_clear_removes_both_caches(org: Path, cache_home: Path) -> None:
    assert 0 == _orgdiff("validate", str(org), cwd=org.parent).returncode
    wasm = cache_home / "orgdiff" / "wasm"
    wasm.mkdir(mode=0o700)
    (wasm / "graphviz-0.cwasm").write_bytes(b"module")
    done = _orgdiff("cache", "clear", cwd=org.parent)
    root = cache_home / "orgdiff"
    assert (0, "", f"{root}: removed 1 timeline file(s) and 1 compiled Graphviz file(s)\n") == (
        done.returncode,
        done.stderr,
        done.stdout,
    )
    assert [] == list(root.iterdir())
    again = _orgdiff("cache", "clear", cwd=org.parent)
    assert f"{root}: removed 0 timeline file(s) and 0 compiled Graphviz file(s)\n" == again.stdout


def test_two_processes_writing_at_once_leave_one_whole_file(org: Path, cache_home: Path) -> None:
    """Four processes start together on an empty cache: all succeed, and what is
    left is one whole file (no temporary) that the next load trusts."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "orgdiff", "validate", str(org)],
            cwd=org.parent,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [0] * 4 == [p.returncode for p in procs], outs
    assert {""} == {err for _, err in outs}
    path = cached_file(org)
    assert [path.name] == [p.name for p in path.parent.iterdir()]
    loads = Counted(org)
    loads.load()
    assert 0 == loads.calls


def test_a_cache_path_that_is_a_file_is_no_cache(org: Path, cache_home: Path) -> None:
    """Where the cache folder should be there is a file: nothing is cached, the
    command succeeds."""
    (cache_home / "orgdiff").write_text("not a folder")
    assert cache.timeline_file(org) is None
    done = _orgdiff("validate", str(org), cwd=org.parent)
    assert (0, "") == (done.returncode, done.stderr)
    assert "not a folder" == (cache_home / "orgdiff").read_text()


@contextlib.contextmanager
def _immutable(folder: Path) -> Iterator[None]:
    """``chattr +i``: not even root may add a file to ``folder``."""
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("no chattr")
    made = subprocess.run([chattr, "+i", str(folder)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"chattr +i is not allowed here: {made.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def test_a_read_only_cache_folder_costs_only_the_cache(org: Path, cache_home: Path) -> None:
    """A cache folder where no file can be made (immutable, so even root cannot):
    the command succeeds, as often as it runs."""
    assert 0 == _orgdiff("validate", str(org), cwd=org.parent).returncode
    path = cached_file(org)
    path.unlink()
    with _immutable(path.parent):
        for _ in range(2):
            done = _orgdiff("validate", str(org), cwd=org.parent)
            assert (0, "") == (done.returncode, done.stderr)
        assert [] == list(path.parent.iterdir())


@contextlib.contextmanager
def _tiny_filesystem(where: Path) -> Iterator[Path]:
    """A real file system of 64 KiB (tmpfs) mounted at ``where``."""
    where.mkdir()
    mount = shutil.which("mount")
    if mount is None or os.name != "posix":
        pytest.skip("no mount")
    made = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


def test_a_full_disk_costs_only_the_cache(
    org: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache folder is on a file system with no space left (a real one, full):
    the command succeeds, and leaves no partial file behind."""
    with _tiny_filesystem(tmp_path / "full") as home:
        monkeypatch.setenv("XDG_CACHE_HOME", str(home))
        folder = home / "orgdiff" / "timelines"
        folder.mkdir(mode=0o700, parents=True)
        (home / "orgdiff").chmod(0o700)
        with contextlib.suppress(OSError), (home / "filler").open("wb") as fh:
            while True:
                fh.write(b"\0" * 4096)
                fh.flush()
        with pytest.raises(OSError), (folder / "probe").open("wb") as fh:
            fh.write(b"\0" * 4096)
            fh.flush()
        (folder / "probe").unlink()
        for _ in range(2):
            done = _orgdiff("validate", str(org), cwd=org.parent)
            assert (0, "") == (done.returncode, done.stderr)
        assert [] == list(folder.iterdir())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_snapshot_that_is_not_a_file_is_reported_not_hashed(
    org: Path, cache_home: Path, kind: str
) -> None:
    """The cache hashes the files before the load reads them: an entry of
    snapshots/ that is a folder or a FIFO (which would block a reader) is left to
    the load to report, and nothing is cached."""
    entry = org / "snapshots" / "2021-01-01.yaml"
    if kind == "folder":
        entry.mkdir()
    else:
        os.mkfifo(entry)
    done = _orgdiff("validate", str(org), cwd=org.parent)
    assert 2 == done.returncode
    assert done.stderr.startswith(f"{os.path.relpath(entry, org.parent)}: $: ")
    assert not cached_file(org).exists()


@settings(max_examples=50)
@given(evolving_timelines())
def test_a_timeline_comes_back_equal_with_what_was_shared_still_shared(tl: Timeline) -> None:
    """Invariant: the cache's payload gives back an equal timeline, and a person
    or unit that was the same object in consecutive snapshots still is."""
    buffer = io.BytesIO()
    cache._dump(tl, cache._Pickler(buffer, protocol=5))
    buffer.seek(0)
    back = cache._undump(cache._Unpickler(buffer))
    assert tl == back
    assert list(tl.people) == list(back.people)
    for (a, b), (c, d) in zip(
        itertools.pairwise(tl.snapshots), itertools.pairwise(back.snapshots), strict=True
    ):
        assert list(b.people) == list(d.people) and list(b.units) == list(d.units)
        shared = [pid for pid, p in b.people.items() if a.people.get(pid) is p]
        assert shared == [pid for pid, p in d.people.items() if c.people.get(pid) is p]
        units = [uid for uid, u in b.units.items() if a.units.get(uid) is u]
        assert units == [uid for uid, u in d.units.items() if c.units.get(uid) is u]
        assert d.identities is back.people


def test_a_timeline_of_one_person_comes_back_equal() -> None:
    """The payload's counts are read to the last row: one identity, one person."""
    import datetime as dt

    from orgdiff.model import Identity, Person, Snapshot, Unit

    people = {"ada-park": Identity("ada-park", "Ada Park")}
    snap = Snapshot(
        dt.date(2024, 1, 31),
        "",
        {"exec": Unit("exec", "Executive")},
        {"ada-park": Person("ada-park", "exec", title="CEO")},
        identities=people,
    )
    tl = Timeline("One", (snap,), people=people)
    buffer = io.BytesIO()
    cache._dump(tl, cache._Pickler(buffer, protocol=5))
    buffer.seek(0)
    assert tl == cache._undump(cache._Unpickler(buffer))
