"""The private cache folder's helpers (the folder itself is tested with the engine's
cache in tests/test_engine.py)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from orgdiff._cachedir import cache_dir, cache_disabled, write_private
from orgdiff.errors import SettingError


@pytest.mark.parametrize(
    ("value", "disabled"),
    [("", False), ("0", False), ("no", False), ("1", True), ("true", True), (" Yes ", True)],
)
def test_no_cache_values(value: str, disabled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORGDIFF_NO_CACHE", value)
    assert disabled == cache_disabled()


def test_no_cache_refuses_what_it_does_not_take(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORGDIFF_NO_CACHE", "sometimes")
    with pytest.raises(SettingError) as info:
        cache_disabled()
    assert ("ORGDIFF_NO_CACHE", "sometimes") == (info.value.name, info.value.value)
    assert (
        "ORGDIFF_NO_CACHE='sometimes' is not a value it takes; it takes 1 (or true, yes, on)"
        " to turn caching off; 0 or empty to keep it"
    ) == str(info.value)


def test_cache_dir_makes_every_missing_folder_user_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$XDG_CACHE_HOME and its parents are made if missing; orgdiff's own folders 0700."""
    home = tmp_path / "a" / "b" / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("ORGDIFF_NO_CACHE", raising=False)
    assert home / "orgdiff" / "timelines" == cache_dir("timelines")
    if os.name == "posix":
        modes = [
            stat.S_IMODE(p.stat().st_mode)
            for p in (home / "orgdiff", home / "orgdiff" / "timelines")
        ]
        assert [0o700, 0o700] == modes


@pytest.mark.parametrize("what", ["link", "file"])
def test_cache_dir_refuses_a_link_or_file_in_place_of_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: str
) -> None:
    """A symbolic link (even to a private folder) or a file where orgdiff's folder should be
    is no cache, and is left as it is."""
    home = tmp_path / "cache"
    home.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("ORGDIFF_NO_CACHE", raising=False)
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    if what == "link":
        (home / "orgdiff").symlink_to(private, target_is_directory=True)
    else:
        (home / "orgdiff").write_bytes(b"")
    assert cache_dir("timelines") is None
    assert [] == list(private.iterdir())


def test_write_private_replaces_the_file_whole_and_user_only(tmp_path: Path) -> None:
    """The new bytes replace the old through a rename: no temporary is left."""
    (tmp_path / "entry").write_bytes(b"old")
    assert write_private(tmp_path, "entry", b"new contents")
    assert b"new contents" == (tmp_path / "entry").read_bytes()
    assert ["entry"] == [p.name for p in tmp_path.iterdir()]
    if os.name == "posix":
        assert 0o600 == stat.S_IMODE((tmp_path / "entry").stat().st_mode)


def test_write_private_failing_is_not_an_error(tmp_path: Path) -> None:
    """A folder that is not there (or a full disk) only means nothing was cached."""
    assert not write_private(tmp_path / "missing", "entry", b"x")
    (tmp_path / "entry").mkdir()  # a folder where the file should go: the rename fails
    assert not write_private(tmp_path, "entry", b"x")
    assert ["entry"] == [p.name for p in tmp_path.iterdir()]


def test_write_private_makes_its_temporary_in_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not in the system's temporary folder (a rename from another file system fails)."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    (tmp_path / "cache").mkdir()
    assert write_private(tmp_path / "cache", "entry", b"data")
    assert b"data" == (tmp_path / "cache" / "entry").read_bytes()
