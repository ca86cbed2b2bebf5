"""DOT to SVG/PNG/PDF through Graphviz's dot and through the WebAssembly build."""

from __future__ import annotations

import contextlib
import hashlib
import html
import multiprocessing
import os
import pty
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import orgdiff
from orgdiff import _wasm as wasm
from orgdiff._cachedir import cache_dir
from orgdiff.cli import cli
from orgdiff.engine import EngineUnavailable, RenderError, engine_name, render_dot, to_svg
from orgdiff.errors import SettingError

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


BIG = "digraph { " + " ".join(f"n{i} -> n{(i * 7919) % 3000};" for i in range(3000)) + " }"
# For the spinner: stopped after seconds, so it must take much longer than that
# on any machine (BIG takes about 5 s, and once finished within the 2.5 s limit).
HUGE = "digraph { " + " ".join(f"n{i} -> n{(i * 7919) % 12000};" for i in range(12000)) + " }"


def test_a_slow_layout_is_stopped_and_the_message_names_the_way_out(engine: str) -> None:
    """Layout runs in a child process with a time limit; past it, the message says
    how to draw less, how to allow more time and (without dot) that dot is faster."""
    with pytest.raises(RenderError) as info:
        render_dot(BIG, "svg", timeout=0.01)
    expected = (
        "the layout took longer than 0.01 s and was stopped; draw less of the org: "
        "--focus UNIT, --depth N, or the default size budget instead of --all; "
        "or allow more time with ORGDIFF_RENDER_TIMEOUT=SECONDS"
    )
    if engine == "wasm":
        expected += (
            "; or install Graphviz so that `dot` is on PATH, which lays out big charts faster "
            "and in less memory (Debian/Ubuntu: `sudo apt-get install graphviz`; "
            "macOS: `brew install graphviz`)"
        )
    assert expected == str(info.value)


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
    with pytest.raises(RenderError, match="took longer than"):
        render_dot(BIG, "svg", timeout=0.05)
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


# --- settings: read when used, a bad value is one line and exit 2 -------------------


def _orgdiff(
    args: list[str], cwd: Path, **env: str
) -> subprocess.CompletedProcess[str]:  # a real process, as a user runs it
    return subprocess.run(
        [sys.executable, "-m", "orgdiff", "--org", str(EXAMPLE), *args],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


SETTINGS = [
    (
        "ORGDIFF_RENDER_TIMEOUT",
        "abc",
        "orgdiff: error: ORGDIFF_RENDER_TIMEOUT='abc' is not a value it takes; "
        "it takes a number of seconds greater than 0, such as 300 (default 120)",
    ),
    (
        "ORGDIFF_RENDER_TIMEOUT",
        "-5",
        "orgdiff: error: ORGDIFF_RENDER_TIMEOUT='-5' is not a value it takes; "
        "it takes a number of seconds greater than 0, such as 300 (default 120)",
    ),
    (
        "ORGDIFF_ENGINE",
        "graphviz",
        "orgdiff: error: ORGDIFF_ENGINE='graphviz' is not a value it takes; it takes `dot` "
        "(Graphviz on PATH) or `wasm` (the bundled WebAssembly Graphviz); "
        "unset, orgdiff uses dot when it is on PATH",
    ),
    (
        "ORGDIFF_WASM_STACK",
        "lots",
        "orgdiff: error: ORGDIFF_WASM_STACK='lots' is not a value it takes; "
        "it takes a size from 32K to 4G, such as 512M (the default) or 2G",
    ),
    (
        "ORGDIFF_NO_CACHE",
        "maybe",
        "orgdiff: error: ORGDIFF_NO_CACHE='maybe' is not a value it takes; "
        "it takes 1 (or true, yes, on) to turn caching off; 0 or empty to keep it",
    ),
]


@pytest.mark.parametrize(("name", "value", "message"), SETTINGS)
def test_a_bad_setting_fails_the_render_with_one_line(
    name: str, value: str, message: str, tmp_path: Path
) -> None:
    """A setting orgdiff cannot read stops the command that uses it: exit 2, one line
    naming the variable and what it takes, no traceback and no file."""
    env = {"ORGDIFF_ENGINE": "wasm", name: value}
    done = _orgdiff(["render", "2024-06", "-o", "chart.svg"], tmp_path, **env)
    assert (2, "", message + "\n") == (done.returncode, done.stdout, done.stderr)
    assert [] == list(tmp_path.iterdir())


def test_a_bad_setting_does_not_break_import_or_other_commands(tmp_path: Path) -> None:
    """Settings are read when used: `import orgdiff` and a command that draws nothing
    work whatever the render settings hold."""
    env = {name: value for name, value, _ in SETTINGS}
    done = subprocess.run(
        [sys.executable, "-c", "import orgdiff.engine; print(orgdiff.engine.DEFAULT_TIMEOUT)"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (0, "120.0\n", "") == (done.returncode, done.stdout, done.stderr)
    env.pop("ORGDIFF_NO_CACHE")  # (the dataset cache of a later version may read this one)
    done = _orgdiff(["snapshots"], tmp_path, **env)
    assert (0, "") == (done.returncode, done.stderr)
    assert "2024-06-03" in done.stdout


@pytest.mark.parametrize(
    ("value", "seconds"), [("", 120.0), ("2.5", 2.5), (" 300 ", 300.0), ("1e3", 1000.0)]
)
def test_render_timeout_values(value: str, seconds: float, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORGDIFF_RENDER_TIMEOUT", value)
    assert seconds == orgdiff.engine.render_timeout()


@pytest.mark.parametrize("value", ["0", "nan", "inf", "-inf", "1,5", "10s"])
def test_render_timeout_refuses(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORGDIFF_RENDER_TIMEOUT", value)
    with pytest.raises(SettingError) as info:
        orgdiff.engine.render_timeout()
    assert ("ORGDIFF_RENDER_TIMEOUT", value) == (info.value.name, info.value.value)


@pytest.mark.parametrize(
    ("value", "kib"),
    [("", 512 << 10), ("64K", 64), ("512m", 512 << 10), ("2G", 2 << 20), ("4GiB", 4 << 20)],
)
def test_wasm_stack_values(value: str, kib: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORGDIFF_WASM_STACK", value)
    assert kib == orgdiff.engine.wasm_stack()


@pytest.mark.parametrize("value", ["16K", "5G", "512", "-1M", "1.5G"])
def test_wasm_stack_refuses(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORGDIFF_WASM_STACK", value)
    with pytest.raises(SettingError):
        orgdiff.engine.wasm_stack()


# --- a layout too big for the WebAssembly stack ---------------------------------------

CHAIN = "digraph { " + " ".join(f"n{i} -> n{i + 1};" for i in range(1000)) + " }"


def test_a_trapped_layout_names_the_way_out(tmp_path: Path) -> None:
    """When the WebAssembly Graphviz runs out of stack (here a stack made tiny on
    purpose), the command fails with one line: the cause, and how to draw less or
    get dot. The worker is not left broken: the process ends normally."""
    dot_file = tmp_path / "chain.dot"
    dot_file.write_text(CHAIN)
    code = (
        "import sys; from orgdiff.cli import main; from orgdiff.engine import render_dot\n"
        "try:\n"
        f"    render_dot(open({str(dot_file)!r}).read())\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__, exc)\n"
        "print(len(render_dot('digraph { a -> b }')) > 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "ORGDIFF_ENGINE": "wasm", "ORGDIFF_WASM_STACK": "32K"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert (0, "") == (done.returncode, done.stderr)
    assert (
        "RenderError the WebAssembly Graphviz could not lay out a chart this big "
        "(wasm trap: call stack exhausted); draw less of the org: --focus UNIT, --depth N, "
        "or the default size budget instead of --all; or install Graphviz so that `dot` is "
        "on PATH, which lays out big charts faster and in less memory (Debian/Ubuntu: "
        "`sudo apt-get install graphviz`; macOS: `brew install graphviz`)\nTrue\n"
    ) == done.stdout


def test_the_default_stack_holds_what_a_tiny_one_cannot(no_dot: None) -> None:
    """The same chain lays out with the default stack."""
    assert render_dot(CHAIN, "svg").lstrip().startswith(b"<?xml")


# --- the compiled module's cache --------------------------------------------------------


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user cache folder ($XDG_CACHE_HOME), caching on."""
    home = tmp_path / "cache-home"
    home.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("ORGDIFF_NO_CACHE", raising=False)
    return home


def _layout_once(cache: Path, source: str = SMALL) -> subprocess.CompletedProcess[bytes]:
    """One layout by the WebAssembly child, as the engine runs it, with ``cache``."""
    return subprocess.run(
        [sys.executable, "-P", wasm.__file__, "--cache", str(cache), "svg"],
        input=source.encode(),
        capture_output=True,
        check=False,
        timeout=300,
    )


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the compiled module, made once by a real child process."""
    folder = tmp_path_factory.mktemp("compiled")
    done = _layout_once(folder)
    assert 0 == done.returncode, done.stderr
    (path,) = folder.iterdir()
    return path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="modes and owners are POSIX")
def test_the_second_chart_in_a_new_process_loads_the_compiled_module(
    cache_home: Path, tmp_path: Path
) -> None:
    """The first render compiles Graphviz and keeps the machine code in a private
    folder of the user's cache ($XDG_CACHE_HOME/orgdiff/wasm); the next process
    loads that file instead of compiling again (the file is not rewritten)."""
    env = {"ORGDIFF_ENGINE": "wasm"}
    first = _orgdiff(["render", "2024-06", "-o", "one.svg"], tmp_path, **env)
    assert (0, "") == (first.returncode, first.stderr)
    folder = cache_home / "orgdiff" / "wasm"
    (cached,) = folder.iterdir()
    assert cached.name.startswith("graphviz-") and cached.name.endswith(".cwasm")
    assert (0o700, 0o700, 0o600) == (_mode(folder.parent), _mode(folder), _mode(cached))
    assert cached.read_bytes().startswith(wasm.MAGIC)
    before = cached.stat()
    second = _orgdiff(["render", "2024-06", "-o", "two.svg"], tmp_path, **env)
    assert (0, "") == (second.returncode, second.stderr)
    after = cached.stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)
    assert [cached] == list(folder.iterdir())
    assert (tmp_path / "one.svg").read_bytes() == (tmp_path / "two.svg").read_bytes()


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _one_byte_flipped(data: bytes) -> bytes:
    i = len(data) - 1000
    return data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1 :]


def _whole_but_not_a_module(data: bytes) -> bytes:
    # A header and hash that match, over bytes wasmtime cannot load: what another
    # build's file would look like if the name did not tell them apart.
    payload = b"\x7fELF" + b"\0" * 4096
    return wasm.MAGIC + hashlib.sha256(payload).digest() + payload


@pytest.mark.parametrize("damage", [_truncated, _one_byte_flipped, _whole_but_not_a_module])
def test_a_damaged_cache_file_is_ignored_and_replaced(
    damage: Callable[[bytes], bytes], compiled: Path, tmp_path: Path
) -> None:
    """A cached module that was cut short, altered, or is not loadable here is never
    handed to wasmtime as is: the module is compiled again and the file replaced."""
    folder = tmp_path / "wasm"
    folder.mkdir(mode=0o700)
    good = compiled.read_bytes()
    (folder / compiled.name).write_bytes(damage(good))
    graphviz = wasm.Graphviz(folder, 1024)
    assert "compiled, cached" == graphviz.origin
    assert graphviz.render(SMALL.encode(), "svg").lstrip().startswith(b"<?xml")
    assert wasm._read_cached(folder / compiled.name) is not None
    assert "cache" == wasm.Graphviz(folder, 1024).origin


@pytest.mark.skipif(os.name != "posix", reason="modes and owners are POSIX")
def test_a_cache_file_others_could_have_written_is_not_loaded(
    compiled: Path, tmp_path: Path
) -> None:
    """Deserialised machine code is code: a file that is group- or world-writable,
    a symbolic link, or (as root) someone else's, is not read."""
    good = tmp_path / "good.cwasm"
    shutil.copyfile(compiled, good)
    good.chmod(0o600)
    assert wasm._read_cached(good) is not None
    for mode in (0o620, 0o602):
        path = tmp_path / f"mode-{mode:o}.cwasm"
        shutil.copyfile(compiled, path)
        path.chmod(mode)
        assert wasm._read_cached(path) is None, oct(mode)
    link = tmp_path / "link.cwasm"
    link.symlink_to(good)
    assert wasm._read_cached(link) is None
    if os.geteuid() == 0:
        foreign = tmp_path / "foreign.cwasm"
        shutil.copyfile(compiled, foreign)
        foreign.chmod(0o600)
        os.chown(foreign, 65534, 65534)
        assert wasm._read_cached(foreign) is None


def test_two_processes_compiling_at_once_leave_one_whole_file(tmp_path: Path) -> None:
    """Two processes with an empty cache compile and write at the same time: both
    lay out, and the folder ends with one whole, loadable file and no temporary."""
    folder = tmp_path / "wasm"
    folder.mkdir(mode=0o700)
    cmd = [sys.executable, "-P", wasm.__file__, "--cache", str(folder), "svg"]
    procs = [subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE) for _ in range(2)]
    outs = [p.communicate(SMALL.encode(), timeout=300)[0] for p in procs]
    assert [0, 0] == [p.returncode for p in procs]
    assert outs[0] == outs[1]
    assert outs[0].lstrip().startswith(b"<?xml")
    (path,) = folder.iterdir()
    assert wasm._read_cached(path) is not None
    assert "cache" == wasm.Graphviz(folder, 1024).origin


def test_the_cache_folder_is_private(cache_home: Path) -> None:
    """Made user-only under $XDG_CACHE_HOME, and given to the WebAssembly child."""
    folder = cache_dir("wasm")
    assert cache_home / "orgdiff" / "wasm" == folder
    if os.name == "posix":
        assert (0o700, 0o700) == (_mode(folder.parent), _mode(folder))
    cmd = orgdiff.engine._wasm_command()
    assert ["--cache", str(folder)] == cmd[cmd.index("--cache") :]


@pytest.mark.skipif(os.name != "posix", reason="modes and owners are POSIX")
@pytest.mark.parametrize("state", ["group-writable", "world-writable", "symlink", "foreign"])
def test_a_cache_folder_that_is_not_private_is_not_used(state: str, cache_home: Path) -> None:
    """A folder others can write (or a link to one, or, as root, another user's own)
    means no cache, not a cache others could have filled."""
    folder = cache_home / "orgdiff"
    if state == "symlink":
        target = cache_home / "elsewhere"
        target.mkdir(mode=0o700)
        folder.symlink_to(target)
    else:
        folder.mkdir(mode=0o700)
        if state == "group-writable":
            folder.chmod(0o770)
        elif state == "world-writable":
            folder.chmod(0o707)
        elif os.geteuid() != 0:
            pytest.skip("giving a folder to another user needs root")
        else:
            os.chown(folder, 65534, 65534)
    assert cache_dir("wasm") is None
    assert "--cache" not in orgdiff.engine._wasm_command()
    assert not (folder / "wasm").exists()


@pytest.mark.parametrize("value", ["1", "true", "YES"])
def test_no_cache_turns_the_cache_off(
    value: str, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORGDIFF_NO_CACHE", value)
    assert cache_dir("wasm") is None
    assert "--cache" not in orgdiff.engine._wasm_command()
    assert [] == list(cache_home.iterdir())


# --- the spinner ------------------------------------------------------------------------

SPIN = (
    "import sys\n"
    "from orgdiff.engine import RenderError, render_dot\n"
    "try:\n"
    "    render_dot(open(sys.argv[1]).read(), timeout=float(sys.argv[2]))\n"
    "except RenderError:\n"
    "    print('stopped')\n"
    "else:\n"
    "    print('done')\n"
)


def _spin(tmp_path: Path, source: str, limit: float, stderr: int) -> tuple[str, int]:
    dot_file = tmp_path / "graph.dot"
    dot_file.write_text(source)
    proc = subprocess.Popen(
        [sys.executable, "-c", SPIN, str(dot_file), str(limit)],
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )
    out, _ = proc.communicate(timeout=300)
    return out, proc.returncode


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals are POSIX")
def test_a_long_layout_shows_a_spinner_on_a_terminal_and_erases_it(
    engine: str, tmp_path: Path
) -> None:
    """Past a second, a spinner line with the seconds spent goes to standard error
    when it is a terminal; the line is erased when the layout ends."""
    main, child = pty.openpty()
    try:
        out, code = _spin(tmp_path, HUGE, 2.5, child)
        os.close(child)
        written = b""
        with contextlib.suppress(OSError):  # EIO once the child's end is closed
            while chunk := os.read(main, 1 << 16):
                written += chunk
    finally:
        os.close(main)
    assert (0, "stopped\n") == (code, out)
    text = written.decode()
    frames = text.split("\r")
    assert "" == frames[0]  # nothing before the first second
    assert "\x1b[K" == frames[-1]  # the line is erased at the end
    spins = frames[1:-1]
    assert len(spins) >= 3
    assert all(re.fullmatch(r"[|/\-\\] laying out the chart\.\.\. [0-9]+ s", s) for s in spins), (
        spins
    )
    assert "laying out the chart... 1 s" == spins[0][2:]


def test_no_spinner_when_standard_error_is_not_a_terminal(engine: str, tmp_path: Path) -> None:
    """Piped, standard error gets nothing at all."""
    dot_file = tmp_path / "graph.dot"
    dot_file.write_text(HUGE)
    proc = subprocess.run(
        [sys.executable, "-c", SPIN, str(dot_file), "1.5"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert (0, "stopped\n", "") == (proc.returncode, proc.stdout, proc.stderr)


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals are POSIX")
def test_no_spinner_for_a_quick_layout(engine: str, tmp_path: Path) -> None:
    main, child = pty.openpty()
    try:
        out, code = _spin(tmp_path, SMALL, 60, child)
        os.close(child)
        written = b""
        with contextlib.suppress(OSError):
            while chunk := os.read(main, 1 << 16):
                written += chunk
    finally:
        os.close(main)
    assert (0, "done\n", b"") == (code, out, written)


def test_start_begins_the_webassembly_worker_before_the_first_layout(no_dot: None) -> None:
    """`start(fmt)` starts the worker for a chart format the WebAssembly engine makes,
    so that its start overlaps loading the dataset; the first layout then uses it."""
    WORKER.close()
    for fmt in ("text", "png", "dot"):
        orgdiff.engine.start(fmt)
        assert WORKER.pid is None, fmt
    orgdiff.engine.start("svg")
    pid = WORKER.pid
    assert pid is not None
    assert render_dot(SMALL, "svg").lstrip().startswith(b"<?xml")
    assert pid == WORKER.pid


@needs_dot
def test_start_does_nothing_when_dot_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    WORKER.close()
    monkeypatch.setenv("ORGDIFF_ENGINE", "dot")
    orgdiff.engine.start("svg")
    assert WORKER.pid is None


def test_writing_a_module_removes_stale_ones_of_other_builds(
    compiled: Path, tmp_path: Path
) -> None:
    """Modules of other builds unused for 30 days and temporaries a killed process
    left over an hour ago go when a module is written; recent ones and other
    files stay."""
    folder = tmp_path / "wasm"
    folder.mkdir(mode=0o700)
    old, recent = time.time() - 31 * 86400, time.time() - 86400
    names = {
        "graphviz-0000old.cwasm": old,
        "graphviz-0000recent.cwasm": recent,
        ".graphviz-x.cwasm.abc.tmp": time.time() - 7200,
        ".graphviz-y.cwasm.def.tmp": time.time() - 60,
        "notes.txt": old,
    }
    for name, when in names.items():
        (folder / name).write_bytes(b"x")
        os.utime(folder / name, (when, when))
    assert "compiled, cached" == wasm.Graphviz(folder, 1024).origin
    assert sorted(
        [compiled.name, "graphviz-0000recent.cwasm", ".graphviz-y.cwasm.def.tmp", "notes.txt"]
    ) == sorted(p.name for p in folder.iterdir())


def test_a_cache_folder_that_cannot_be_written_only_costs_the_cache(tmp_path: Path) -> None:
    """A cache folder that is gone (or full, or read-only) never fails a layout."""
    graphviz = wasm.Graphviz(tmp_path / "gone", 1024)
    assert "compiled" == graphviz.origin
    assert graphviz.render(SMALL.encode(), "svg").lstrip().startswith(b"<?xml")
