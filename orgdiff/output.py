"""Where a command's output goes, and nowhere else.

:func:`write_output` is the one place the command line writes what it
produces (``-o FILE``, or standard output):

- ``-``, ``/dev/stdout``, ``/dev/fd/N``, an existing FIFO or character device:
  written as a stream, in place (a FIFO waits for its reader);
- a regular file, or a new file in an existing folder: replaced atomically
  through a temporary file in the same folder and a rename, keeping the
  replaced file's permission bits (a new file gets ``0o666`` less the umask);
- a symbolic link: followed, and its target replaced that way; the link stays;
- anything else (a folder, a socket, a block device) is refused, and so is a
  path whose folder does not exist: orgdiff never creates folders.

Every failure is an :class:`OutputError` with one line,
``cannot write FILE: reason``, and leaves no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
from pathlib import Path

from .errors import OrgdiffError

__all__ = ["STDOUT", "OutputError", "write_output"]

STDOUT = "-"

# Paths that name an open file descriptor: written to it as a stream, never
# replaced (`-o /dev/stdout > out.txt` must not swap out.txt for a new file).
_FD_PATH = re.compile(
    r"/dev/(?P<std>stdout|stderr)|/dev/fd/(?P<fd>\d+)"
    r"|/proc/(?P<pid>self|thread-self|\d+)/fd/(?P<pfd>\d+)"
)


class OutputError(OrgdiffError):
    """An output could not be written; the message is one line."""


def write_output(data: bytes, target: str) -> bool:
    """Write ``data`` to ``target`` (``-``: standard output), as the module says.

    Returns true when a regular file was written (so a caller may name it),
    false for a stream. Raises :class:`OutputError`; a reader that left
    (:class:`BrokenPipeError` on standard output) is passed through.
    """
    if target == STDOUT:
        _write_stdout(data)
        return False
    own, fd_path = _open_file_named(target)
    try:
        if own is not None:
            _write_fd(own, data)
            return False
        if fd_path:
            _write_stream(target, data)
            return False
        try:
            st = os.stat(target)  # follows symbolic links
        except FileNotFoundError:
            _replace(_new_file(target), data, None)
            return True
        except NotADirectoryError:
            raise OutputError(
                f"cannot write {target}: {_file_on_the_way(Path(target).parent)} is not a folder"
            ) from None
        if stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode):
            _write_stream(target, data)
            return False
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(f"cannot write {target}: {_kind(st.st_mode)}, not a file")
        _replace(Path(os.path.realpath(target)), data, stat.S_IMODE(st.st_mode))
        return True
    except OutputError:
        raise
    except BrokenPipeError:
        if own == 1:  # `orgdiff ... -o /dev/stdout | head`: the reader left, as for `-`
            raise
        raise OutputError(f"cannot write {target}: Broken pipe") from None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {_reason(exc)}") from None


def _write_stdout(data: bytes) -> None:
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        _drop_stdout()
        raise OutputError(f"cannot write standard output: {_reason(exc)}") from None


def _drop_stdout() -> None:
    """Point standard output at the null device, so that the flush at exit
    cannot fail a second time (with a traceback of its own)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - not a real file
        pass


def _open_file_named(target: str) -> tuple[int | None, bool]:
    """Whether ``target``, or a link on the way to it, names an open file
    (``/dev/stdout``, ``/proc/self/fd/1``): the descriptor, if it is one of this
    process's, and whether it names one at all."""
    path = os.path.abspath(target)
    for _ in range(40):
        m = _FD_PATH.fullmatch(path)
        if m is not None:
            if m["std"]:
                return (1 if m["std"] == "stdout" else 2), True
            if m["fd"]:
                return int(m["fd"]), True
            if m["pid"] in ("self", "thread-self", str(os.getpid())):
                return int(m["pfd"]), True
            return None, True
        try:
            link = os.readlink(path)
        except OSError:
            return None, False
        path = os.path.normpath(os.path.join(os.path.dirname(path), link))
    return None, False


def _write_fd(fd: int, data: bytes) -> None:
    """Write to one of this process's descriptors, where it stands."""
    sys.stdout.flush()
    sys.stderr.flush()
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_stream(target: str, data: bytes) -> None:
    """Write to a FIFO, a device or an open file in place: no temporary file,
    no truncation (appending keeps what a shell's ``>>`` or an earlier write
    put there)."""
    sys.stdout.flush()
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_NOCTTY)
    try:
        _write_fd(fd, data)
    finally:
        os.close(fd)


def _new_file(target: str) -> Path:
    """Where a new file named ``target`` goes (a dangling link's target), once
    its folder is known to exist; orgdiff does not create folders."""
    real = Path(os.path.realpath(target))
    folder = real.parent
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        raise OutputError(
            f"cannot write {target}: there is no folder {_shown_folder(target, folder)}"
        ) from None
    except NotADirectoryError:
        raise OutputError(
            f"cannot write {target}: {_file_on_the_way(folder)} is not a folder"
        ) from None
    if not stat.S_ISDIR(st.st_mode):
        raise OutputError(f"cannot write {target}: {_shown_folder(target, folder)} is not a folder")
    return real


def _shown_folder(target: str, real_folder: Path) -> str:
    """The folder of ``target`` as the user wrote it, where that is the real one."""
    given = os.path.dirname(target) or "."
    return given if os.path.realpath(given) == str(real_folder) else str(real_folder)


def _file_on_the_way(folder: Path) -> str:
    """The first path on the way to ``folder`` that is not a folder."""
    for part in reversed([folder, *folder.parents]):
        if part.exists() and not part.is_dir():
            return str(part)
    return str(folder)  # pragma: no cover - a stat said something was in the way


def _replace(real: Path, data: bytes, mode: int | None) -> None:
    """Replace (or create) the regular file ``real`` with ``data`` atomically."""
    if mode is None:
        umask = os.umask(0o022)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name[:64]}.", suffix=".tmp", dir=real.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "a special file"  # pragma: no cover - doors, event ports: not on Linux


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
