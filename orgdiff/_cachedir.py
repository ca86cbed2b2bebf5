"""orgdiff's private cache folder, shared by every cache orgdiff keeps.

Caches hold things orgdiff later loads as code or trusts as data (compiled
WebAssembly machine code, validated timelines), so the folder is private: made
with user-only permissions, and refused when it is a symbolic link, owned by
another user, or writable by the group or by others. A refused or missing
folder only means no cache: nothing ever fails for want of one.

The folder is the user's cache folder from platformdirs (on Linux
``$XDG_CACHE_HOME/orgdiff``, by default ``~/.cache/orgdiff``).
``ORGDIFF_NO_CACHE=1`` turns every cache off.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .errors import SettingError

__all__ = ["cache_dir", "cache_disabled", "cache_root", "write_private"]

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


def cache_disabled() -> bool:
    """Whether ``ORGDIFF_NO_CACHE`` turns caching off; a value it does not take is an error."""
    value = os.environ.get("ORGDIFF_NO_CACHE", "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingError(
        "ORGDIFF_NO_CACHE",
        os.environ["ORGDIFF_NO_CACHE"],
        "1 (or true, yes, on) to turn caching off; 0 or empty to keep it",
    )


def cache_root() -> Path:
    """The user's cache folder for orgdiff (it may not exist yet)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("orgdiff", appauthor=False))


def _private(path: Path) -> bool:
    """Whether ``path`` is a real folder of this user that nobody else can write."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False  # a symbolic link (or a file) where the folder should be
    if os.name != "posix":  # pragma: no cover - no owners and modes to check
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def cache_dir(*parts: str) -> Path | None:
    """The private folder ``<cache root>/<parts...>``, made if needed.

    ``None`` when caching is off (``ORGDIFF_NO_CACHE``), when the folder cannot
    be made, or when it (or a folder of orgdiff's on the way to it) is not
    private. Folders made here are ``0700``; existing ones are never chmod-ed:
    a folder someone else made or opened up is not used.
    """
    if cache_disabled():
        return None
    path = cache_root()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    for part in ("", *parts):
        if part:
            path = path / part
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            pass
        except OSError:
            return None
        if not _private(path):
            return None
    return path


def write_private(folder: Path, name: str, data: bytes) -> bool:
    """Write ``data`` to ``folder/name`` atomically (a temporary file in the same
    folder, then a rename), readable by this user only.

    Two processes writing the same name at once each rename a complete file of
    their own into place: a reader sees one or the other, never a mix. Returns
    whether it was written; a failure (a full disk, a read-only folder) is not
    an error.
    """
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, folder / name)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True
