"""The ``orgdiff`` command line.

Every command reads the dataset named by ``--org`` (or ``$ORGDIFF_ORG``), else
the one under ``./orgs``, else the bundled Meta AI dataset. Bad input or bad
data exits with status 2 and one line per problem on standard error, never a
traceback.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

# orgdiff.errors (and attrs with it) is imported by each function that needs
# it, so that `orgdiff --help` does not load it.

F = TypeVar("F", bound=Callable[..., Any])

DATASET_NAME = "dataset.yaml"
FORMAT_TEXT_JSON = click.Choice(["text", "json"], case_sensitive=False)


def _fail(message: str) -> None:
    click.echo(message, err=True)
    raise SystemExit(2)


def _reports_errors(func: F) -> F:
    """Turn orgdiff's own errors into exit status 2 and plain messages."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import OrgDataError, OrgdiffError, count_problems

        try:
            return func(*args, **kwargs)
        except OrgDataError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            _fail(count_problems(len(exc.problems)))
        except OrgdiffError as exc:
            _fail(f"orgdiff: error: {exc}")
        except BrokenPipeError:
            # `orgdiff log | head`: the reader left. Caught here, because click
            # would turn it into status 1; end quietly instead, as Unix tools do.
            _drop_stdout()
            raise SystemExit(0) from None

    return wrapper  # type: ignore[return-value]


def _drop_stdout() -> None:
    """Point standard output at the null device, so the final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - not a real file
        pass


class _Context:
    def __init__(self, org: str | None, cache: bool = True) -> None:
        self.org = org
        self.cache = cache
        self._folder: str | None = None

    def folder(self) -> str:
        """The dataset folder in use."""
        if self._folder is None:
            from .load import default_dataset

            self._folder = self.org if self.org is not None else str(default_dataset())
        return self._folder

    def org_slug(self, tl: Any) -> str:
        """A short name for file names: the dataset folder's name."""
        from pathlib import Path

        name = Path(self.folder()).resolve().name
        return name if name and name != DATASET_NAME else str(tl.name)

    def timeline(self) -> Any:
        from .load import load

        return _keep(load(self.folder(), cache=self.cache))


def _keep(timeline: Any) -> Any:
    """The command's timeline, which lives until the process ends: its millions
    of objects (made with the collector paused) are moved out of the collector's
    sight, instead of being traversed again and again as they age."""
    import gc

    gc.freeze()
    return timeline


pass_ctx = click.make_pass_decorator(_Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--org",
    metavar="PATH",
    envvar="ORGDIFF_ORG",
    show_envvar=True,
    help="Dataset folder (holding dataset.yaml and snapshots/). "
    "Default: the one dataset under ./orgs, else the bundled Meta AI dataset.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Read and check the dataset again, and compile charts' Graphviz again, "
    "instead of using the caches (also: ORGDIFF_NO_CACHE=1).",
)
@click.version_option(package_name="orgdiff", prog_name="orgdiff")
@click.pass_context
def cli(ctx: click.Context, org: str | None, no_cache: bool) -> None:
    """Track how an organisation's structure changes over time.

    Dates may be partial and mean the end of that period: 2025-09 is the org
    as it stood on 2025-09-30.
    """
    ctx.obj = _Context(org, cache=not no_cache)
    if no_cache:
        _no_cache_while(ctx)


def _no_cache_while(ctx: click.Context) -> None:
    """Turn every cache off (the WebAssembly engine's child process too) until
    ``ctx`` closes: the setting is ORGDIFF_NO_CACHE, which every cache reads."""
    before = os.environ.get("ORGDIFF_NO_CACHE")
    os.environ["ORGDIFF_NO_CACHE"] = "1"

    def restore() -> None:
        if before is None:
            os.environ.pop("ORGDIFF_NO_CACHE", None)
        else:
            os.environ["ORGDIFF_NO_CACHE"] = before

    ctx.call_on_close(restore)


@cli.command()
@click.argument("path", required=False, metavar="[PATH]")
@pass_ctx
@_reports_errors
def validate(ctx: _Context, path: str | None) -> None:
    """Check a dataset and report every problem.

    PATH is a dataset folder (default: --org or the default dataset). Prints one
    line per problem as FILE:LINE:COL: PATH: MESSAGE and exits with status 2 if
    there is any.
    """
    from .load import _display, default_dataset, load

    target = path if path is not None else ctx.org
    folder = target if target is not None else str(default_dataset())
    tl = _keep(load(folder, cache=ctx.cache))
    people = {pid for snap in tl.snapshots for pid in snap.people}
    units = {uid for snap in tl.snapshots for uid in snap.units}
    click.echo(
        f"{_display(__import__('pathlib').Path(folder))}: valid: {len(tl.snapshots)} snapshots "
        f"({tl.snapshots[0].date} to {tl.snapshots[-1].date}), {len(units)} units, "
        f"{len(people)} people, {len(tl.sources)} sources"
    )


@cli.command()
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
@pass_ctx
@_reports_errors
def snapshots(ctx: _Context, fmt: str) -> None:
    """List the snapshots: date, size and event."""
    tl = ctx.timeline()
    if fmt == "json":
        rows = [
            {
                "date": s.date.isoformat(),
                "event": s.event,
                "units": len(s.units),
                "people": len(s.people),
                "sources": list(s.sources),
            }
            for s in tl.snapshots
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for s in tl.snapshots:
        click.echo(f"{s.date}  {len(s.units):>3} units {len(s.people):>4} people  {s.event}")


@cli.command()
@click.argument("date")
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
@pass_ctx
@_reports_errors
def show(ctx: _Context, date: str, fmt: str) -> None:
    """Show the org as it stood at DATE (YYYY, YYYY-MM or YYYY-MM-DD).

    Text is an indented tree of units with their leads and people; JSON has
    "date", "units" and "people" keyed by id.
    """
    from .show import snapshot_json, snapshot_text

    tl = ctx.timeline()
    snap = tl.at(date)
    if fmt == "json":
        click.echo(json.dumps(snapshot_json(snap, tl), ensure_ascii=False, indent=2))
    else:
        click.echo(snapshot_text(snap, tl), nl=False)


FORMAT_REPORT = click.Choice(
    ["text", "markdown", "json", "svg", "png", "pdf", "dot"], case_sensitive=False
)
FORMAT_CHART = click.Choice(["svg", "png", "pdf", "dot", "json"], case_sensitive=False)
CHARTS = ("svg", "png", "pdf", "dot")


def _chart_options(func: F) -> F:
    func = click.option("--units-only", is_flag=True, help="Draw units only, no people.")(func)
    func = click.option(
        "--depth", type=click.IntRange(min=0), metavar="N", help="Draw N levels below the top unit."
    )(func)
    func = click.option(
        "--focus", metavar="UNIT", help="Draw only this unit and what is below it."
    )(func)
    return func


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "org"


def _chart_bytes(graph: Any, fmt: str) -> bytes:
    from .engine import render_dot

    if fmt == "dot":
        return str(graph.source).encode("utf-8")
    return render_dot(graph.source, fmt)


def _emit(data: bytes, output: str | None, default_name: str, org_folder: str | None) -> None:
    """Write ``data`` to ``output`` (``-``: standard output) or to ``default_name``
    in the current folder, atomically, and print the path written."""
    from pathlib import Path

    from .dump import write_atomic_bytes
    from .errors import OrgdiffError

    if output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(output if output is not None else default_name)
    if target.is_dir():
        target = target / default_name
    if org_folder is not None:
        folder = Path(org_folder).resolve()
        resolved = target.resolve()
        if resolved == folder or folder in resolved.parents:
            raise OrgdiffError(f"refusing to write {target} inside the dataset folder {org_folder}")
    write_atomic_bytes(target, data)
    click.echo(str(target))


@cli.command(name="diff")
@click.argument("before")
@click.argument("after")
@click.option(
    "--format",
    "fmt",
    type=FORMAT_REPORT,
    default="text",
    show_default=True,
    help="A report (text, markdown, json) or a chart (svg, png, pdf, dot).",
)
@click.option(
    "-o", "--output", metavar="FILE", help="Where to write a chart ('-': standard output)."
)
@_chart_options
@pass_ctx
@_reports_errors
def diff_command(
    ctx: _Context,
    before: str,
    after: str,
    fmt: str,
    output: str | None,
    focus: str | None,
    depth: int | None,
    units_only: bool,
) -> None:
    """What changed between the org at BEFORE and at AFTER.

    Changes are grouped into events ("GenAI split into AI Products and AGI
    Foundations"), each with its sources, then listed one by one. Lineage
    (splits, merges, dissolutions) is followed through every snapshot in between.
    With --format svg, png, pdf or dot, draws both dates in one chart instead
    (added green, removed red, changed amber) and writes it to a file.
    """
    from .engine import start
    from .report import diff_json, diff_markdown, diff_text

    start(fmt)  # the WebAssembly engine starts while the dataset loads
    tl = ctx.timeline()
    d = tl.diff(before, after)
    fmt = fmt.lower()
    if fmt in CHARTS:
        from .render import render

        title = f"{tl.name}, {d.date_before} → {d.date_after}: {d.after.event}"
        graph = render(d, focus=focus, depth=depth, units_only=units_only, title=title)
        name = f"{_slug(ctx.org_slug(tl))}-{before}-{after}.{fmt}"
        _emit(_chart_bytes(graph, fmt), output, name, ctx.folder())
    elif fmt == "json":
        click.echo(json.dumps(diff_json(d), ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        click.echo(diff_markdown(d, org=tl.name, sources=tl.sources), nl=False)
    else:
        click.echo(diff_text(d, org=tl.name), nl=False)


@cli.command()
@click.argument("date")
@click.option("--format", "fmt", type=FORMAT_CHART, default="svg", show_default=True)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Where to write the chart ('-': standard output). Default: ORG-DATE.FORMAT here.",
)
@_chart_options
@pass_ctx
@_reports_errors
def render(
    ctx: _Context,
    date: str,
    fmt: str,
    output: str | None,
    focus: str | None,
    depth: int | None,
    units_only: bool,
) -> None:
    """Draw the org as it stood at DATE and write the chart to a file.

    Units are boxes with their lead, people sit inside their units, reporting
    lines join them; reported and rumoured facts are dashed. SVG needs nothing
    but orgdiff; PNG and PDF need Graphviz's `dot` on PATH.
    """
    from .engine import start
    from .render import render as draw

    start(fmt)  # the WebAssembly engine starts while the dataset loads
    tl = ctx.timeline()
    snap = tl.at(date)
    graph = draw(
        snap,
        focus=focus,
        depth=depth,
        units_only=units_only,
        title=f"{tl.name}, {snap.date.isoformat()}: {snap.event}",
    )
    fmt = fmt.lower()
    name = f"{_slug(ctx.org_slug(tl))}-{date}.{fmt}"
    _emit(_chart_bytes(graph, fmt), output, name, ctx.folder())


@cli.command()
@click.option("--since", metavar="DATE", help="Start at the snapshot in effect at DATE.")
@click.option("--until", metavar="DATE", help="End at the snapshot in effect at DATE.")
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
@pass_ctx
@_reports_errors
def log(ctx: _Context, since: str | None, until: str | None, fmt: str) -> None:
    """Every change between consecutive snapshots, newest first, like git log."""
    from .report import diff_json, log_text

    tl = ctx.timeline()
    diffs = tl.log(since=since, until=until)
    first = tl.snapshots[0]
    shows_first = (since is None or tl.at(since) is first) and (
        until is None or tl.at(until).date >= first.date
    )
    if fmt == "json":
        click.echo(json.dumps([diff_json(d) for d in diffs], ensure_ascii=False, indent=2))
    else:
        click.echo(log_text(diffs, first if shows_first else None), nl=False)


@cli.command()
@click.argument("entity_id", metavar="ID")
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
@pass_ctx
@_reports_errors
def history(ctx: _Context, entity_id: str, fmt: str) -> None:
    """How one unit or person (by id) changed, snapshot by snapshot."""
    from .report import change_json, history_text

    tl = ctx.timeline()
    entries = tl.history(entity_id)
    if fmt == "json":
        rows = [
            {
                "date": h.date.isoformat(),
                "event": h.event,
                "kind": h.kind,
                "changes": [change_json(c) for c in h.changes],
                "sources": list(h.sources),
            }
            for h in entries
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        click.echo(history_text(entity_id, entries, tl.snapshots), nl=False)


@cli.group()
def cache() -> None:
    """The caches: checked timelines of datasets, compiled Graphviz.

    They live in the user's cache folder (on Linux $XDG_CACHE_HOME/orgdiff,
    by default ~/.cache/orgdiff) and are used only while what they were made
    from is unchanged.
    """


@cache.command(name="clear")
@_reports_errors
def cache_clear() -> None:
    """Remove every cache: timelines of datasets and compiled Graphviz."""
    from ._cachedir import cache_root
    from .cache import clear
    from .errors import OrgdiffError

    try:
        removed = clear()
    except OSError as exc:
        raise OrgdiffError(
            f"cannot clear the cache {cache_root()}: {exc.strerror or exc}"
        ) from None
    click.echo(
        f"{cache_root()}: removed {removed['timelines']} timeline file(s) and "
        f"{removed['wasm']} compiled Graphviz file(s)"
    )


def _utf8_streams() -> None:
    """Write UTF-8 whatever the terminal's locale says: names are often CJK."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if reconfigure is not None and encoding != "utf8":
            reconfigure(encoding="utf-8", errors="replace")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``orgdiff`` console script."""
    _utf8_streams()
    try:
        cli.main(args=argv, prog_name="orgdiff", standalone_mode=True)
    except BrokenPipeError:
        # `orgdiff log | head`: the reader left; end quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0) from None
    except OSError as exc:  # pragma: no cover - e.g. a full disk while printing
        if exc.errno == errno.EPIPE:
            raise SystemExit(0) from None
        raise


if __name__ == "__main__":  # pragma: no cover
    main()
