"""DOT to SVG/PNG/PDF through Graphviz's dot and through the WebAssembly build."""

from __future__ import annotations

import html
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import orgdiff
from orgdiff.cli import cli
from orgdiff.engine import EngineUnavailable, RenderError, engine_name, render_dot, to_svg

WORKER = orgdiff.engine._WORKER
EXAMPLE = Path(__file__).parent / "data" / "example"
TL = orgdiff.load(EXAMPLE)
HAVE_DOT = shutil.which("dot") is not None


def _dot_required() -> pytest.MarkDecorator:
    # On CI Graphviz is installed by .ci/run: a missing dot there is a failure, not a skip.
    if os.environ.get("CI") == "true":
        return pytest.mark.dot
    return pytest.mark.skipif(not HAVE_DOT, reason="Graphviz's dot is not on PATH")


needs_dot = _dot_required()


@pytest.fixture
def no_dot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Graphviz off PATH: orgdiff must fall back to WebAssembly by itself."""
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("ORGDIFF_ENGINE", raising=False)
    assert shutil.which("dot") is None


@pytest.fixture(params=["dot", "wasm"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "dot":
        if not HAVE_DOT and os.environ.get("CI") != "true":
            pytest.skip("Graphviz's dot is not on PATH")
        monkeypatch.setenv("ORGDIFF_ENGINE", "dot")
    else:
        monkeypatch.setenv("PATH", "")
        monkeypatch.delenv("ORGDIFF_ENGINE", raising=False)
    return str(request.param)


def test_without_dot_the_wasm_engine_is_chosen(no_dot: None) -> None:
    """With no dot on PATH, SVG comes from the WebAssembly Graphviz."""
    assert "wasm" == engine_name()
    svg = to_svg(TL.at("2024-06"))
    assert svg.lstrip().startswith("<?xml")
    assert "Applied Research" in svg
    assert "Éli Moreau" in svg


@needs_dot
def test_with_dot_on_path_dot_is_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Native dot is used when it is on PATH."""
    monkeypatch.delenv("ORGDIFF_ENGINE", raising=False)
    assert "dot" == engine_name()


def test_both_engines_render_cjk(engine: str) -> None:
    """CJK names are text in the SVG from either engine."""
    snap = TL.at("2024-06")
    svg = to_svg(snap, title="楊立昆 李晨")
    assert "楊立昆 李晨" in svg
    assert "Chen Li" in svg


def test_png_and_pdf_without_dot_say_how_to_get_it(no_dot: None) -> None:
    """PNG/PDF need dot; without it the error names the fix."""
    for fmt in ("png", "pdf"):
        with pytest.raises(EngineUnavailable, match="apt-get install graphviz"):
            render_dot("digraph { a }", fmt)


@needs_dot
@pytest.mark.parametrize(("fmt", "magic"), [("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_png_and_pdf_with_dot(fmt: str, magic: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """With dot, PNG and PDF are real files of their kind."""
    monkeypatch.setenv("ORGDIFF_ENGINE", "dot")
    assert render_dot(orgdiff.render(TL.at("2024")).source, fmt).startswith(magic)


def test_a_graphviz_error_is_a_clear_message(engine: str) -> None:
    """Broken DOT is a RenderError naming the engine, not a traceback from deep inside."""
    with pytest.raises(RenderError, match=rf"Graphviz \({engine}\) failed"):
        render_dot("digraph { a -> }", "svg")


def test_a_slow_layout_is_stopped(engine: str) -> None:
    """Layout runs in a child process with a time limit."""
    big = "digraph { " + " ".join(f"n{i} -> n{(i * 7919) % 3000};" for i in range(3000)) + " }"
    with pytest.raises(RenderError, match=r"took longer than 0\.01 s"):
        render_dot(big, "svg", timeout=0.01)


def test_unknown_format() -> None:
    """An unknown format lists the ones there are."""
    with pytest.raises(EngineUnavailable, match="use one of svg, json, png, pdf"):
        render_dot("digraph { a }", "gif")


def test_snapshot_and_diff_show_in_jupyter(no_dot: None) -> None:
    """Snapshots and diffs display as SVG in a notebook."""
    assert "<svg" in TL.at("2024")._repr_svg_()
    assert "<svg" in TL.diff("2023", "2024")._repr_svg_()


# --- the render command -------------------------------------------------------------


def run(args: list[str], cwd: Path) -> tuple[int, str, str]:
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(cli, ["--org", str(EXAMPLE), *args])
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def test_render_writes_the_default_file(tmp_path: Path, no_dot: None) -> None:
    """`orgdiff render DATE` writes ORG-DATE.svg here and prints its path."""
    code, out, err = run(["render", "2024-06"], tmp_path)
    assert (0, "") == (code, err)
    assert "example-2024-06.svg" == out.strip()
    svg = html.unescape((tmp_path / "example-2024-06.svg").read_text(encoding="utf-8"))
    assert "Acme Robotics, 2024-06-03" in svg
    assert [p.name for p in tmp_path.iterdir()] == ["example-2024-06.svg"]  # no temporary left


def test_render_to_stdout_and_dot(tmp_path: Path) -> None:
    """`-o -` writes to standard output; --format dot needs no engine."""
    code, out, _ = run(["render", "2024", "--format", "dot", "-o", "-"], tmp_path)
    assert 0 == code
    assert out.startswith("digraph orgchart {")


def test_render_refuses_to_write_into_the_dataset(tmp_path: Path) -> None:
    """An output inside the dataset folder (an input) is refused, exit 2."""
    code, _, err = run(
        ["render", "2024", "--format", "dot", "-o", str(EXAMPLE / "snapshots" / "2024-06-03.yaml")],
        tmp_path,
    )
    assert 2 == code
    assert "refusing to write" in err
    assert orgdiff.load(EXAMPLE) == TL


def test_failed_render_leaves_no_file(tmp_path: Path, no_dot: None) -> None:
    """PNG without dot: exit 2, a one-line message, and no file written."""
    code, _, err = run(["render", "2024", "--format", "png", "-o", "chart.png"], tmp_path)
    assert 2 == code
    assert "Traceback" not in err
    assert 1 == len(err.strip().splitlines())
    assert [] == list(tmp_path.iterdir())


def test_diff_chart_command(tmp_path: Path, no_dot: None) -> None:
    """`orgdiff diff A B --format svg` writes the diff chart."""
    code, out, err = run(["diff", "2023", "2024", "--format", "svg"], tmp_path)
    assert (0, "") == (code, err)
    svg = (tmp_path / out.strip()).read_text(encoding="utf-8")
    assert "formerly Research Lab" in svg
    assert "Dashed: reported or rumoured, not confirmed." in svg  # the legend


def test_a_spline_routing_failure_is_retried_with_straight_edges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Graphviz's router sometimes fails on clusters ("triangulation failed"):
    the layout is retried once with straight edges instead of failing."""
    fake = tmp_path / "dot"
    fake.write_text(
        "#!/bin/sh\n"
        'input="$(/bin/cat)"\n'
        'case "$input" in *"splines=line"*) echo "<svg>straight</svg>"; exit 0;; esac\n'
        'echo "libpath/shortest.c:324: triangulation failed" >&2\n'
        'echo "Error: in routesplines, Pshortestpath failed" >&2\n'
        "exit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("ORGDIFF_ENGINE", "dot")
    assert b"<svg>straight</svg>\n" == render_dot("digraph orgchart { a -> b }", "svg")


# --- the WebAssembly worker ------------------------------------------------------------

SMALL = 'digraph { a -> b; b [label="B"] }'


def test_one_webassembly_worker_serves_every_layout(no_dot: None) -> None:
    """The WebAssembly module is compiled once per process, not once per chart."""
    first = render_dot(SMALL, "svg")
    pid = WORKER.pid
    assert pid is not None
    for snap in TL.snapshots:
        assert to_svg(snap).lstrip().startswith("<?xml")
    assert render_dot(SMALL, "svg") == first
    assert pid == WORKER.pid


def test_after_a_layout_is_stopped_the_next_one_gets_a_new_worker(no_dot: None) -> None:
    """A worker past its time limit is killed; the next layout starts another."""
    render_dot(SMALL, "svg")
    before = WORKER.pid
    big = "digraph { " + " ".join(f"n{i} -> n{(i * 7919) % 3000};" for i in range(3000)) + " }"
    with pytest.raises(RenderError, match="took longer than"):
        render_dot(big, "svg", timeout=0.05)
    assert WORKER.pid is None
    assert before is not None
    with pytest.raises(ProcessLookupError):
        os.kill(before, 0)  # killed and reaped, not left running the layout
    assert b"<svg" in render_dot(SMALL, "svg")
    assert WORKER.pid not in (None, before)


def test_a_worker_that_died_between_layouts_is_replaced(no_dot: None) -> None:
    render_dot(SMALL, "svg")
    pid = WORKER.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    assert b"<svg" in render_dot(SMALL, "svg")
    assert WORKER.pid not in (None, pid)


def test_a_worker_keeps_working_after_a_graphviz_error(no_dot: None) -> None:
    render_dot(SMALL, "svg")
    pid = WORKER.pid
    with pytest.raises(RenderError, match=r"Graphviz \(wasm\) failed"):
        render_dot("digraph { a -> }", "svg")
    assert b"<svg" in render_dot(SMALL, "svg")
    assert pid == WORKER.pid


def _render_in_child(queue: multiprocessing.Queue[object]) -> None:
    try:
        svg = render_dot(SMALL, "svg")
        queue.put((WORKER.pid, svg))
    except BaseException as exc:  # handed back to the test
        queue.put(exc)


@pytest.mark.skipif(os.name != "posix", reason="fork is POSIX")
def test_a_forked_process_starts_its_own_worker(no_dot: None) -> None:
    """Sphinx's parallel builds fork: a child must not talk to its parent's worker."""
    render_dot(SMALL, "svg")
    parent = WORKER.pid
    ctx = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[object] = ctx.Queue()
    child = ctx.Process(target=_render_in_child, args=(queue,))
    child.start()
    got = queue.get(timeout=120)
    child.join(timeout=60)
    assert isinstance(got, tuple), got
    child_worker, svg = got
    assert b"<svg" in svg
    assert child_worker not in (None, parent)
    assert parent == WORKER.pid
    assert b"<svg" in render_dot(SMALL, "svg")


def test_the_one_shot_webassembly_process_still_works() -> None:
    """`python -m orgdiff._wasm FORMAT`: one layout, DOT in, SVG out."""
    done = subprocess.run(
        [sys.executable, "-m", "orgdiff._wasm", "svg"],
        input=SMALL.encode(),
        capture_output=True,
        check=False,
    )
    assert 0 == done.returncode, done.stderr
    assert b"<svg" in done.stdout
