"""`-o FILE`: outputs go where they are told, and nowhere else (orgdiff/output.py).

Every test runs the real command in a child process (`python -m orgdiff`) on
real files, FIFOs, links and devices, and checks the exact bytes, messages and
exit status, and that nothing else was created or replaced.
"""

from __future__ import annotations

import os
import resource
import signal
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from orgdiff.cli import cli

TESTS = Path(__file__).parent
EXAMPLE = TESTS / "data" / "example"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX files, FIFOs and devices")


def orgdiff(
    *args: str,
    cwd: Path,
    stdout: int | object = subprocess.PIPE,
    preexec_fn: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """`orgdiff --org tests/data/example ARGS` in a child process, in ``cwd``."""
    env = {k: v for k, v in os.environ.items() if k != "ORGDIFF_ORG"}
    if preexec_fn is not None:
        # A child held to a file size limit cannot write coverage's data either
        # (CI measures child processes): leave it unmeasured.
        env = {k: v for k, v in env.items() if not k.startswith("COVERAGE_")}
    return subprocess.run(
        [sys.executable, "-m", "orgdiff", "--org", str(EXAMPLE), *args],
        cwd=cwd,
        env=env,
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        preexec_fn=preexec_fn,
        timeout=120,
        check=False,
    )


def printed(*args: str, cwd: Path) -> bytes:
    """What `orgdiff ARGS` prints on standard output, checked to succeed quietly."""
    done = orgdiff(*args, cwd=cwd)
    assert (done.returncode, done.stderr) == (0, b"")
    return done.stdout


def printed_here(*args: str) -> bytes:
    """What `orgdiff ARGS` prints, run in this process (quicker; for expected bytes)."""
    result = CliRunner().invoke(cli, ["--org", str(EXAMPLE), *args])
    assert (result.exit_code, result.stderr) == (0, "")
    return result.stdout_bytes


def refused(done: subprocess.CompletedProcess[bytes], message: str) -> None:
    """Exit status 2, ``message`` alone on stderr, nothing on stdout."""
    assert done.stderr.decode() == message + "\n"
    assert done.returncode == 2
    assert done.stdout == b""


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# Each command that prints, in each of its formats, with the extension that says it.
PRINTS = [
    (("snapshots",), "text", "txt"),
    (("snapshots",), "json", "json"),
    (("show", "2024"), "text", "txt"),
    (("show", "2024"), "json", "json"),
    (("diff", "2023", "2024"), "text", "txt"),
    (("diff", "2023", "2024"), "markdown", "md"),
    (("diff", "2023", "2024"), "json", "json"),
    (("diff", "2023", "2024"), "dot", "dot"),
    (("log",), "text", "txt"),
    (("log",), "json", "json"),
    (("history", "chen-li"), "text", "txt"),
    (("history", "chen-li"), "json", "json"),
    (("render", "2024"), "dot", "dot"),
    (("render", "2024"), "json", "json"),
]
IDS = [f"{' '.join(args)} {fmt}" for args, fmt, _ in PRINTS]


@pytest.mark.parametrize(("args", "fmt", "ext"), PRINTS, ids=IDS)
def test_every_command_writes_every_format_to_its_file(
    tmp_path: Path, args: tuple[str, ...], fmt: str, ext: str
) -> None:
    """`-o out.EXT` writes exactly what `--format F -o -` prints, to that file
    only, and names it on stdout: the extension picks the format F."""
    expected = printed_here(*args, "--format", fmt, "-o", "-")
    assert expected != b""
    done = orgdiff(*args, "-o", f"out.{ext}", cwd=tmp_path)
    assert (done.returncode, done.stderr, done.stdout) == (0, b"", f"out.{ext}\n".encode())
    assert (tmp_path / f"out.{ext}").read_bytes() == expected
    assert listing(tmp_path) == [f"out.{ext}"]


def test_format_and_a_matching_extension(tmp_path: Path) -> None:
    """`--format markdown -o report.md` writes the file (it once printed to the
    terminal instead); `--format dot -o chart.gv` too (.gv is DOT)."""
    expected = printed("diff", "2023", "2024", "--format", "markdown", cwd=tmp_path)
    done = orgdiff("diff", "2023", "2024", "--format", "markdown", "-o", "report.md", cwd=tmp_path)
    assert (done.returncode, done.stderr, done.stdout) == (0, b"", b"report.md\n")
    assert (tmp_path / "report.md").read_bytes() == expected
    done = orgdiff("render", "2024", "--format", "dot", "-o", "chart.gv", cwd=tmp_path)
    assert (done.returncode, done.stderr, done.stdout) == (0, b"", b"chart.gv\n")
    assert (tmp_path / "chart.gv").read_bytes().startswith(b"digraph orgchart {")


@pytest.mark.parametrize(
    "args", [("snapshots",), ("show", "2024"), ("diff", "2023", "2024"), ("log",)]
)
def test_dash_is_standard_output(tmp_path: Path, args: tuple[str, ...]) -> None:
    """`-o -` prints what the command prints without -o, and writes no file."""
    assert printed(*args, "-o", "-", cwd=tmp_path) == printed(*args, cwd=tmp_path)
    assert listing(tmp_path) == []


def test_render_json_is_the_org_and_graphviz_json_the_layout(tmp_path: Path) -> None:
    """`render --format json` is `show --format json`; graphviz-json is Graphviz's JSON."""
    org = printed("render", "2024", "--format", "json", "-o", "-", cwd=tmp_path)
    assert org == printed("show", "2024", "--format", "json", cwd=tmp_path)
    done = orgdiff("render", "2024", "-o", "layout.graphviz.json", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, b"")
    layout = (tmp_path / "layout.graphviz.json").read_text(encoding="utf-8")
    assert layout.startswith('{\n  "name": "orgchart",\n  "directed": true,')
    explicit = printed("render", "2024", "--format", "graphviz-json", "-o", "-", cwd=tmp_path)
    assert explicit.decode().startswith('{\n  "name": "orgchart",\n  "directed": true,')


def test_render_png_by_extension_writes_png(tmp_path: Path) -> None:
    """`render -o out.png` writes PNG bytes (it once wrote SVG into out.png)."""
    done = orgdiff("render", "2024", "-o", "out.png", cwd=tmp_path)
    if done.returncode == 2 and b"needs Graphviz" in done.stderr:
        pytest.skip("PNG needs Graphviz's dot")
    assert (done.returncode, done.stderr, done.stdout) == (0, b"", b"out.png\n")
    assert (tmp_path / "out.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("render", "2024", "--format", "svg", "-o", "out.png"),
            "orgdiff: error: --format svg does not match out.png, whose extension .png means "
            "png; drop --format or name the file .svg",
        ),
        (
            ("diff", "2023", "2024", "--format", "json", "-o", "report.md"),
            "orgdiff: error: --format json does not match report.md, whose extension .md means "
            "markdown; drop --format or name the file .json",
        ),
        (
            ("render", "2024", "-o", "out.jpg"),
            "orgdiff: error: cannot tell the format of out.jpg from its extension .jpg; "
            "pass --format (svg, png, pdf, dot, json, graphviz-json, html)",
        ),
    ],
)
def test_format_and_extension_must_agree(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    """A clash between --format and -o's extension is refused before any work."""
    refused(orgdiff(*args, cwd=tmp_path), message)
    assert listing(tmp_path) == []


def _read_fifo(path: Path, into: list[bytes]) -> threading.Thread:
    def read() -> None:
        with open(path, "rb") as fh:
            into.append(fh.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader


@pytest.mark.parametrize(("args", "ext"), [(("show", "2024"), "txt"), (("render", "2024"), "dot")])
def test_a_fifo_is_written_as_a_stream(tmp_path: Path, args: tuple[str, ...], ext: str) -> None:
    """`-o FIFO` writes into the FIFO (its reader gets the bytes); the FIFO stays a FIFO."""
    fmt = "text" if ext == "txt" else ext
    expected = printed(*args, "--format", fmt, "-o", "-", cwd=tmp_path)
    fifo = tmp_path / f"pipe.{ext}"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _read_fifo(fifo, got)
    done = orgdiff(*args, "-o", str(fifo), cwd=tmp_path)
    reader.join(timeout=60)
    assert (done.returncode, done.stderr, done.stdout) == (0, b"", b"")
    assert got == [expected]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert listing(tmp_path) == [fifo.name]


def test_character_devices_are_written_in_place(tmp_path: Path) -> None:
    """`-o /dev/null` and `-o /dev/stdout` write to the device; neither is replaced."""
    before = os.stat("/dev/null")
    done = orgdiff("show", "2024", "-o", "/dev/null", cwd=tmp_path)
    assert (done.returncode, done.stderr, done.stdout) == (0, b"", b"")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)

    expected = printed("show", "2024", cwd=tmp_path)
    assert printed("show", "2024", "-o", "/dev/stdout", cwd=tmp_path) == expected


def test_dev_stdout_into_a_file_keeps_the_shells_file(tmp_path: Path) -> None:
    """`orgdiff show 2024 -o /dev/stdout > out.txt`: the bytes land in the very
    file the shell opened (the same inode), not in a file put in its place."""
    expected = printed("show", "2024", cwd=tmp_path)
    out = tmp_path / "out.txt"
    with open(out, "wb") as fh:
        inode = os.fstat(fh.fileno()).st_ino
        done = orgdiff("show", "2024", "-o", "/dev/stdout", cwd=tmp_path, stdout=fh)
    assert (done.returncode, done.stderr) == (0, b"")
    assert out.read_bytes() == expected
    assert os.stat(out).st_ino == inode


def test_a_full_device_is_one_line(tmp_path: Path) -> None:
    """`-o /dev/full`: exit 2 and one line, and /dev/full is still the device."""
    refused(
        orgdiff("show", "2024", "-o", "/dev/full", cwd=tmp_path),
        "orgdiff: error: cannot write /dev/full: No space left on device",
    )
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


@pytest.mark.parametrize(
    "args", [("show", "2024", "-o", "-"), ("show", "2024"), ("render", "2024", "-o", "-")]
)
def test_standard_output_on_a_full_disk_is_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    """`orgdiff ... > /dev/full`: exit 2 and one line on stderr, no traceback."""
    with open("/dev/full", "wb") as full:
        done = orgdiff(
            *args, "--format", "text" if args[0] == "show" else "dot", cwd=tmp_path, stdout=full
        )
    assert (
        done.stderr.decode()
        == "orgdiff: error: cannot write standard output: No space left on device\n"
    )
    assert done.returncode == 2


def test_a_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    """`-o LINK` writes the link's target (created, then replaced atomically,
    keeping its permission bits); the link stays a link to it."""
    expected = printed("render", "2024", "--format", "dot", "-o", "-", cwd=tmp_path)
    (tmp_path / "real").mkdir()
    link = tmp_path / "chart.dot"
    link.symlink_to(Path("real") / "target.dot")
    done = orgdiff("render", "2024", "-o", "chart.dot", cwd=tmp_path)
    assert (done.returncode, done.stderr, done.stdout) == (0, b"", b"chart.dot\n")
    target = tmp_path / "real" / "target.dot"
    assert target.read_bytes() == expected
    assert os.readlink(link) == os.path.join("real", "target.dot")

    target.write_bytes(b"old")
    target.chmod(0o640)
    done = orgdiff("render", "2024", "-o", "chart.dot", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, b"")
    assert target.read_bytes() == expected
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert link.is_symlink()
    assert listing(tmp_path) == ["chart.dot", "real"]
    assert listing(tmp_path / "real") == ["target.dot"]


def test_a_regular_file_is_replaced_keeping_its_mode(tmp_path: Path) -> None:
    """An existing file is replaced whole (a new inode: readers never see half of
    it), keeping its permission bits; a new file gets 0o666 less the umask."""
    expected = printed("show", "2024", cwd=tmp_path)
    out = tmp_path / "tree.txt"
    out.write_bytes(b"an old, longer content " * 200)
    out.chmod(0o600)
    inode = out.stat().st_ino
    done = orgdiff("show", "2024", "-o", "tree.txt", cwd=tmp_path)
    assert (done.returncode, done.stderr, done.stdout) == (0, b"", b"tree.txt\n")
    assert out.read_bytes() == expected
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.stat().st_ino != inode

    umask = os.umask(0o022)
    os.umask(umask)
    done = orgdiff("show", "2024", "-o", "new.txt", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, b"")
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o666 & ~umask
    assert listing(tmp_path) == ["new.txt", "tree.txt"]


def test_what_is_not_a_file_is_refused(tmp_path: Path) -> None:
    """A folder or a socket at the target: one line, exit 2, left as it was."""
    (tmp_path / "charts").mkdir()
    refused(
        orgdiff("render", "2024", "--format", "dot", "-o", "charts", cwd=tmp_path),
        "orgdiff: error: cannot write charts: a folder, not a file",
    )
    assert listing(tmp_path / "charts") == []
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "sock.txt"))
        refused(
            orgdiff("show", "2024", "-o", "sock.txt", cwd=tmp_path),
            "orgdiff: error: cannot write sock.txt: a socket, not a file",
        )
        assert stat.S_ISSOCK(os.lstat(tmp_path / "sock.txt").st_mode)


def test_a_missing_folder_is_not_created(tmp_path: Path) -> None:
    """`-o no/such/dir/x.svg` is refused with one line; no folder is created."""
    refused(
        orgdiff("render", "2024", "-o", "no/such/x.svg", cwd=tmp_path),
        "orgdiff: error: cannot write no/such/x.svg: there is no folder no/such",
    )
    assert listing(tmp_path) == []


def test_a_file_in_place_of_a_folder(tmp_path: Path) -> None:
    """`-o file.svg/x.svg`, where file.svg is a file: one line, exit 2."""
    (tmp_path / "file.svg").write_bytes(b"<svg/>")
    refused(
        orgdiff("render", "2024", "-o", "file.svg/x.svg", cwd=tmp_path),
        "orgdiff: error: cannot write file.svg/x.svg: file.svg is not a folder",
    )
    assert (tmp_path / "file.svg").read_bytes() == b"<svg/>"


def test_a_symlink_loop_is_one_line(tmp_path: Path) -> None:
    """A link that leads to itself: one line with the system's reason."""
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    refused(
        orgdiff("show", "2024", "-o", "loop.txt", cwd=tmp_path),
        "orgdiff: error: cannot write loop.txt: Too many levels of symbolic links",
    )


@pytest.mark.parametrize(
    ("target", "reason"),
    [("/proc/x.svg", "No such file or directory"), ("/sys/x.svg", "Permission denied")],
)
def test_kernel_folders_are_one_line(tmp_path: Path, target: str, reason: str) -> None:
    """/proc and /sys take no new files, even from root: one line, exit 2
    (a PermissionError or a FileNotFoundError on the temporary file)."""
    if not os.path.isdir(os.path.dirname(target)):
        pytest.skip(f"no {os.path.dirname(target)} here")
    refused(
        orgdiff("render", "2024", "-o", target, cwd=tmp_path),
        f"orgdiff: error: cannot write {target}: {reason}",
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_folder_is_one_line(tmp_path: Path) -> None:  # pragma: no cover - as root
    """A folder without write permission: one line, exit 2, nothing written."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        refused(
            orgdiff("render", "2024", "-o", "locked/x.svg", cwd=tmp_path),
            "orgdiff: error: cannot write locked/x.svg: Permission denied",
        )
        assert listing(folder) == []
    finally:
        folder.chmod(0o755)


def _small_file_limit() -> None:
    """In the child: files may not grow past 200 bytes (EFBIG, not SIGXFSZ)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    """A write that fails half-way (the file size limit) leaves the old file
    whole and no temporary file beside it: one line, exit 2."""
    out = tmp_path / "chart.dot"
    out.write_bytes(b"old chart")
    refused(
        orgdiff("render", "2024", "-o", "chart.dot", cwd=tmp_path, preexec_fn=_small_file_limit),
        "orgdiff: error: cannot write chart.dot: File too large",
    )
    assert out.read_bytes() == b"old chart"
    assert listing(tmp_path) == ["chart.dot"]


@pytest.mark.parametrize("path", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_names_of_standard_output_are_standard_output(tmp_path: Path, path: str) -> None:
    """`-o /dev/stdout` (or /dev/fd/1, /proc/self/fd/1) behaves as `-o -`: the
    bytes on stdout; a full disk is one line; a reader that left ends quietly."""
    expected = printed("snapshots", cwd=tmp_path)
    assert printed("snapshots", "-o", path, cwd=tmp_path) == expected
    with open("/dev/full", "wb") as full:
        done = orgdiff("snapshots", "-o", path, cwd=tmp_path, stdout=full)
    assert (done.returncode, done.stderr.decode()) == (
        2,
        f"orgdiff: error: cannot write {path}: No space left on device\n",
    )
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = orgdiff("snapshots", "-o", path, cwd=tmp_path, stdout=write_end)
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (0, b"")
    assert listing(tmp_path) == []


def test_dev_stderr_is_standard_error(tmp_path: Path) -> None:
    """`-o /dev/stderr` writes the report on standard error, nothing on stdout."""
    expected = printed("snapshots", cwd=tmp_path)
    done = orgdiff("snapshots", "-o", "/dev/stderr", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", expected)
