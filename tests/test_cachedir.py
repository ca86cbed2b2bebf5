"""The private cache folder's helpers (the folder itself is tested with the engine's
cache in tests/test_engine.py)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from orgdiff._cachedir import cache_disabled, write_private
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
