"""The ``orgdiff`` command line.

Every command reads the dataset named by ``--org`` (before or after the
command; or ``$ORGDIFF_ORG``), else the current folder if it holds
``dataset.yaml``, else the one dataset under ``./orgs``, else (with no ``./orgs``
at all, and a note on standard error) the bundled Meta AI dataset. Outputs are
written by :mod:`orgdiff.output`. Bad input or bad data exits with status 2 and
one line per problem on standard error, never a traceback.
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


def _colour_option(func: F) -> F:
    return click.option(
        "--color/--no-color",
        "color",
        default=None,
        help="Colour the output (default: only on a terminal, and never when NO_COLOR is set).",
    )(func)


def _to_terminal(output: str | None) -> bool:
    """Whether a report goes to standard output (no ``-o``, or ``-o -``) and that is a terminal."""
    if output not in (None, "-"):
        return False
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty())


def _use_colour(flag: bool | None, output: str | None = None) -> bool:
    """The one place that decides on colour: the flag if given, else only a
    terminal on standard output (never a file named by ``-o``) and no
    ``NO_COLOR`` in the environment (https://no-color.org)."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    return _to_terminal(output)


def _width(output: str | None = None) -> int:
    """``$COLUMNS`` if set, else the terminal's width, else 100 (not a terminal,
    or a file named by ``-o``)."""
    import shutil

    from .report import DEFAULT_WIDTH

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if not _to_terminal(output):
        return DEFAULT_WIDTH
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns


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
            from .output import _drop_stdout

            _drop_stdout()
            raise SystemExit(0) from None

    return wrapper  # type: ignore[return-value]


BUNDLED_NOTE = "orgdiff: using the bundled Meta AI dataset; --org PATH for yours"


class _Context:
    def __init__(self, org: str | None, cache: bool = True) -> None:
        self.org = org
        self.cache = cache
        self._folder: str | None = None

    def folder(self) -> str:
        """The dataset folder in use; the bundled one is announced on stderr."""
        if self._folder is None:
            self._folder = self.org if self.org is not None else self.default_folder()
        return self._folder

    @staticmethod
    def default_folder() -> str:
        from .load import default_dataset, default_is_bundled

        found = default_dataset()
        if default_is_bundled():
            click.echo(BUNDLED_NOTE, err=True)
        return str(found)

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


def _set_org(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(_Context).org = value


def _org_option(func: F) -> F:
    """``--org`` after the command too: `orgdiff render 2025-09 --org X`."""
    return click.option(
        "--org",
        metavar="PATH",
        expose_value=False,
        is_eager=True,
        callback=_set_org,
        help="Dataset folder (as `orgdiff --org PATH COMMAND`).",
    )(func)


def _output_option(func: F) -> F:
    return click.option(
        "-o",
        "--output",
        metavar="FILE",
        help="Write to FILE instead of standard output ('-': standard output). "
        "A FIFO or a device is written in place; a file is replaced atomically.",
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--org",
    metavar="PATH",
    envvar="ORGDIFF_ORG",
    show_envvar=True,
    help="Dataset folder (holding dataset.yaml and snapshots/); also accepted after "
    "the command. Default: the current folder if it holds dataset.yaml, else the one "
    "dataset under ./orgs, else (with no ./orgs) the bundled Meta AI dataset.",
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

    Dates may be partial. A date (show, render, diff) and --until mean the end
    of that period: 2025-09 is the org as it stood on 2025-09-30. --since means
    its start: --since 2025 is from 2025-01-01. `latest` is the last snapshot,
    `today` today's date.
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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"], case_sensitive=False),
    help="text: FILE:LINE:COL: PATH: MESSAGE lines; json: the problems as objects; "
    "github: GitHub Actions annotations. Default: from the extension of -o, else text.",
)
@_output_option
@_org_option
@pass_ctx
@_reports_errors
def validate(ctx: _Context, path: str | None, fmt: str | None, output: str | None) -> None:
    """Check a dataset and report every problem.

    PATH is a dataset folder (default: --org or the default dataset). Prints one
    line per problem as FILE:LINE:COL: PATH: MESSAGE and exits with status 2 if
    there is any. --format json prints {"dataset", "valid", "problems"}, each
    problem with file, line, column, path and message; --format github prints
    one ::error annotation per problem, for a GitHub Actions log. Every format
    exits with status 2 on a problem.
    """
    from pathlib import Path

    from .load import _display, load

    folder = path if path is not None else ctx.folder()
    fmt = _pick_format(fmt, output, ("text", "json", "github"), "text")
    tl = None
    if fmt != "text":
        from .errors import OrgDataError, github_annotation, problem_json

        problems = []
        try:
            tl = _keep(load(folder, cache=ctx.cache))
        except OrgDataError as exc:
            problems = exc.problems
        if fmt == "json":
            data = {
                "dataset": _display(Path(folder)),
                "valid": not problems,
                "problems": [problem_json(p) for p in problems],
            }
            _deliver(_json(data), output, dataset=folder)
        elif problems:
            lines = "".join(f"{github_annotation(p)}\n" for p in problems)
            _deliver(lines, output, dataset=folder)
        if problems:
            raise SystemExit(2)
        if fmt == "json":
            return
    if tl is None:
        tl = _keep(load(folder, cache=ctx.cache))
    people = {pid for snap in tl.snapshots for pid in snap.people}
    units = {uid for snap in tl.snapshots for uid in snap.units}
    _deliver(
        f"{_display(Path(folder))}: valid: {len(tl.snapshots)} snapshots "
        f"({tl.snapshots[0].date} to {tl.snapshots[-1].date}), {len(units)} units, "
        f"{len(people)} people, {len(tl.sources)} sources\n",
        output,
        dataset=folder,
    )


# --- formats and outputs --------------------------------------------------------------------

# What an output file's extension says about its format, for commands that have it.
EXTENSIONS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
    ".dot": "dot",
    ".gv": "dot",
    ".html": "html",
    ".htm": "html",
}
GRAPHVIZ_JSON_EXTENSIONS = (".graphviz.json", ".gv.json")


def _implied_format(output: str | None) -> tuple[str, str | None]:
    """The extension of ``output`` and the format it names (``None``: none)."""
    if output is None or output == "-":
        return "", None
    name = os.path.basename(output).lower()
    for ext in GRAPHVIZ_JSON_EXTENSIONS:
        if name.endswith(ext) and len(name) > len(ext):
            return ext, "graphviz-json"
    ext = os.path.splitext(name)[1]
    return ext, EXTENSIONS.get(ext)


def _pick_format(
    given: str | None,
    output: str | None,
    choices: tuple[str, ...],
    default: str,
    *,
    strict: bool = False,
) -> str:
    """The format to write: ``--format`` if given, else the one ``-o``'s
    extension names, else ``default``. A clash between the two is an error;
    so, if ``strict``, is an extension that names no format of ``choices``."""
    from .errors import OrgdiffError

    ext, implied = _implied_format(output)
    if implied not in choices:
        implied = None
    if given is not None:
        given = given.lower()
        compatible = {given, "json"} if given == "graphviz-json" else {given}
        if implied is not None and implied not in compatible:
            raise OrgdiffError(
                f"--format {given} does not match {output}, whose extension {ext} means "
                f"{implied}; drop --format or name the file .{_extension(given)}"
            )
        return given
    if implied is not None:
        return implied
    if strict and ext:
        raise OrgdiffError(
            f"cannot tell the format of {output} from its extension {ext}; "
            f"pass --format ({', '.join(choices)})"
        )
    return default


def _extension(fmt: str) -> str:
    return {"text": "txt", "markdown": "md", "graphviz-json": "graphviz.json"}.get(fmt, fmt)


def _deliver(
    data: str | bytes,
    output: str | None,
    *,
    default_name: str | None = None,
    dataset: str | None = None,
) -> None:
    """Write ``data`` to ``output``, else to ``default_name`` here, else to
    standard output; name a regular file written on standard output.

    An output inside the dataset folder (an input) is refused.
    """
    from .errors import OrgdiffError
    from .output import write_output

    raw = data.encode("utf-8") if isinstance(data, str) else data
    target = output if output is not None else default_name or "-"
    if target != "-" and dataset is not None:
        folder = os.path.realpath(dataset)
        resolved = os.path.realpath(target)
        if resolved == folder or resolved.startswith(folder.rstrip(os.sep) + os.sep):
            raise OrgdiffError(f"refusing to write {target} inside the dataset folder {dataset}")
    if write_output(raw, target):
        write_output(f"{target}\n".encode(), "-")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _past_the_last(tl: Any, asked: str, shown: Any) -> str | None:
    """Whether all of the period ``asked`` lies after the last snapshot
    (``shown``, the one drawn instead): the words to say so, or ``None``."""
    from .dates import start

    if asked.strip().lower() in ("latest", "today"):
        return None
    if start(asked) <= tl.snapshots[-1].date:
        return None
    return f"{asked} is after the last snapshot; showing the last one, {shown.date.isoformat()}"


def _note(text: str) -> None:
    click.echo(f"orgdiff: note: {text}", err=True)


def _date_name(asked: str, snap: Any) -> str:
    """How a date goes into a file name: as asked, but `latest` and `today`
    become the date they stand for."""
    import datetime as dt

    word = asked.strip().lower()
    if word == "latest":
        return str(snap.date.isoformat())
    if word == "today":
        return dt.date.today().isoformat()
    return asked.strip()


# --- the commands ---------------------------------------------------------------------------


@cli.command()
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, help="text or json (default: text).")
@_output_option
@_org_option
@pass_ctx
@_reports_errors
def snapshots(ctx: _Context, fmt: str | None, output: str | None) -> None:
    """List the snapshots: date, size and event."""
    fmt = _pick_format(fmt, output, ("text", "json"), "text")
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
        _deliver(_json(rows), output, dataset=ctx.folder())
        return
    lines = [
        f"{s.date}  {len(s.units):>3} units {len(s.people):>4} people  {s.event}\n"
        for s in tl.snapshots
    ]
    _deliver("".join(lines), output, dataset=ctx.folder())


@cli.command()
@click.argument("date")
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, help="text or json (default: text).")
@_output_option
@_org_option
@pass_ctx
@_reports_errors
def show(ctx: _Context, date: str, fmt: str | None, output: str | None) -> None:
    """Show the org as it stood at DATE (YYYY, YYYY-MM, YYYY-MM-DD, latest or today).

    Text is an indented tree of units with their leads and people; JSON has
    "date", "units" and "people" keyed by id.
    """
    from .show import snapshot_json, snapshot_text

    fmt = _pick_format(fmt, output, ("text", "json"), "text")
    tl = ctx.timeline()
    snap = tl.at(date)
    past = _past_the_last(tl, date, snap)
    if past is not None:
        _note(past)
    if fmt == "json":
        _deliver(_json(snapshot_json(snap, tl)), output, dataset=ctx.folder())
    else:
        _deliver(snapshot_text(snap, tl), output, dataset=ctx.folder())


REPORTS = ("text", "markdown", "json")
CHARTS = ("svg", "png", "pdf", "dot")
FORMAT_REPORT = click.Choice([*REPORTS, *CHARTS, "graphviz-json"], case_sensitive=False)
RENDER_FORMATS = (*CHARTS, "json", "graphviz-json", "html")
FORMAT_CHART = click.Choice(RENDER_FORMATS, case_sensitive=False)


def _chart_options(func: F) -> F:
    func = click.option(
        "--all",
        "draw_all",
        is_flag=True,
        help="Draw everything; by default a big org is folded into summary boxes.",
    )(func)
    func = click.option("--units-only", is_flag=True, help="Draw units only, no people.")(func)
    func = click.option(
        "--depth",
        type=click.IntRange(min=0),
        metavar="N",
        help="Draw N levels of units below the top one, and people N+1 levels below its lead.",
    )(func)
    func = click.option(
        "--focus", metavar="UNIT", help="Draw only this unit and what is below it."
    )(func)
    return func


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "org"


def _start_engine(fmt: str) -> None:
    """Start the WebAssembly engine, if this chart needs it, while the dataset loads."""
    from .engine import start

    if fmt in CHARTS or fmt == "graphviz-json":
        start("json" if fmt == "graphviz-json" else fmt)
    elif fmt == "html":
        start("svg")


def _draw(obj: Any, **options: Any) -> Any:
    """orgdiff.render(obj, **options), its warning (a large --all chart) on standard error."""
    import warnings

    from .render import render

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        graph = render(obj, **options)
    for w in caught:
        click.echo(f"orgdiff: {w.message}", err=True)
    return graph


def _chart_bytes(graph: Any, fmt: str) -> bytes:
    """A chart in ``fmt``; ``graphviz-json`` is Graphviz's own layout JSON."""
    from .engine import render_dot

    if fmt == "dot":
        return str(graph.source).encode("utf-8")
    return render_dot(graph.source, "json" if fmt == "graphviz-json" else fmt)


@cli.command(name="diff")
@click.argument("before")
@click.argument("after")
@click.option(
    "--format",
    "fmt",
    type=FORMAT_REPORT,
    help="A report (text, markdown, json) or a chart (svg, png, pdf, dot, graphviz-json). "
    "Default: from the extension of -o, else text.",
)
@_output_option
@_chart_options
@_colour_option
@_org_option
@pass_ctx
@_reports_errors
def diff_command(
    ctx: _Context,
    before: str,
    after: str,
    fmt: str | None,
    output: str | None,
    focus: str | None,
    depth: int | None,
    units_only: bool,
    color: bool | None,
    draw_all: bool,
) -> None:
    """What changed between the org at BEFORE and at AFTER.

    The events that group several changes come first ("GenAI split into AI
    Products and AGI Foundations"), then every change once, in words; sources
    are cited by number and listed at the end. Lineage (splits, merges,
    dissolutions) is followed through every snapshot in between.
    With --format svg, png, pdf or dot, draws both dates in one chart instead
    (added green, removed red, changed amber) and writes it to a file
    (ORG-BEFORE-AFTER.FORMAT here unless -o says where). BEFORE later than AFTER
    is allowed: the changes then go back in time, and a note says so.
    --focus, --depth and --units-only narrow the reports as they narrow charts.
    """
    from .dates import resolve
    from .report import diff_json, diff_markdown, diff_text

    fmt = _pick_format(fmt, output, (*REPORTS, *CHARTS, "graphviz-json"), "text")
    _start_engine(fmt)
    tl = ctx.timeline()
    d = tl.diff(before, after)
    latest = tl.snapshots[-1].date
    for asked, snap in ((before, d.before), (after, d.after)):
        past = _past_the_last(tl, asked, snap)
        if past is not None:
            _note(past)
    if resolve(before, latest=latest) > resolve(after, latest=latest):
        _note(
            f"the dates are reversed ({before} is after {after}): these are the changes "
            f"going back from {d.date_before} to {d.date_after}"
        )
    if focus is not None:
        from .scope import check_focus

        check_focus(d, focus)  # a unit of either date, else one line with a did-you-mean
    if fmt in (*CHARTS, "graphviz-json"):
        title = f"{tl.name}, {d.date_before} → {d.date_after}: {d.after.event}"
        graph = _draw(d, focus=focus, depth=depth, units_only=units_only, title=title, all=draw_all)
        name = (
            f"{_slug(ctx.org_slug(tl))}-{_date_name(before, d.before)}-"
            f"{_date_name(after, d.after)}.{_extension(fmt)}"
        )
        _deliver(_chart_bytes(graph, fmt), output, default_name=name, dataset=ctx.folder())
        return
    from .scope import describe_scope, narrow

    d = narrow(d, focus=focus, depth=depth, units_only=units_only)
    scope = describe_scope(focus=focus, depth=depth, units_only=units_only)
    # The snapshots between the two dates, in the diff's direction.
    lo, hi = sorted((d.date_before, d.date_after))
    between = [s for s in tl.snapshots if lo < s.date < hi]
    if d.date_before > d.date_after:
        between.reverse()
    if fmt == "json":
        wanted = {"focus": focus, "depth": depth, "units_only": units_only}
        data = diff_json(d, scope=wanted if scope is not None else None, between=between)
        text = _json(data)
    elif fmt == "markdown":
        text = diff_markdown(d, org=tl.name, sources=tl.sources, scope=scope, between=between)
    else:
        text = diff_text(
            d,
            org=tl.name,
            sources=tl.sources,
            width=_width(output),
            colour=_use_colour(color, output),
            scope=scope,
            between=between,
        )
    _deliver(text, output, dataset=ctx.folder())


@cli.command()
@click.argument("date", required=False, default="latest")
@click.option(
    "--format",
    "fmt",
    type=FORMAT_CHART,
    help="svg, png, pdf, dot; json is the org's data (as `show --format json`), "
    "graphviz-json Graphviz's layout; html one interactive page. "
    "Default: from the extension of -o, else svg.",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Where to write the chart ('-': standard output). Default: ORG-DATE.FORMAT here. "
    "A FIFO or a device is written in place; a file is replaced atomically.",
)
@_chart_options
@_org_option
@pass_ctx
@_reports_errors
def render(
    ctx: _Context,
    date: str,
    fmt: str | None,
    output: str | None,
    focus: str | None,
    depth: int | None,
    units_only: bool,
    draw_all: bool,
) -> None:
    """Draw the org as it stood at DATE (default: latest) and write the chart to a file.

    Top-down: each unit a box headed by its lead, people below their managers,
    reports with no reports of their own in compact stacks; reported and rumoured
    facts are dashed. A big org is folded to about 150 boxes (grey summaries; see
    more with --focus, --depth or --all). SVG needs nothing but orgdiff; PNG and
    PDF need Graphviz's `dot` on PATH. A DATE after the last snapshot draws the
    last snapshot, says so on standard error, and keeps the asked DATE in the
    file name.
    """
    fmt = _pick_format(fmt, output, RENDER_FORMATS, "svg", strict=True)
    _start_engine(fmt)
    tl = ctx.timeline()
    snap = tl.at(date)
    past = _past_the_last(tl, date, snap)
    if past is not None:
        _note(f"{past} (the file name keeps {date.strip()})")
    name = f"{_slug(ctx.org_slug(tl))}-{_date_name(date, snap)}.{_extension(fmt)}"
    if fmt == "json":
        from .errors import OrgdiffError
        from .show import snapshot_json

        if focus is not None or depth is not None or units_only:
            raise OrgdiffError(
                "--focus, --depth and --units-only narrow a chart; render --format json is "
                "the whole org's data, as `show --format json`"
            )
        data: bytes = _json(snapshot_json(snap, tl)).encode("utf-8")
    elif fmt == "html":
        from .formats.html import page

        text = page(
            tl, [snap], changes=False, focus=focus, depth=depth, units_only=units_only, all=draw_all
        )
        data = text.encode("utf-8")
    else:
        graph = _draw(
            snap,
            focus=focus,
            depth=depth,
            units_only=units_only,
            title=f"{tl.name}, {snap.date.isoformat()}: {snap.event}",
            all=draw_all,
        )
        data = _chart_bytes(graph, fmt)
    _deliver(data, output, default_name=name, dataset=ctx.folder())


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html"], case_sensitive=False),
    help="html: one self-contained interactive page (the default).",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Where to write the page ('-': standard output). Default: ORG-timeline.html here.",
)
@click.option("--since", metavar="DATE", help="From the snapshot in effect at the start of DATE.")
@click.option("--until", metavar="DATE", help="To the end of DATE.")
@_chart_options
@_org_option
@pass_ctx
@_reports_errors
def timeline(
    ctx: _Context,
    fmt: str | None,
    output: str | None,
    since: str | None,
    until: str | None,
    focus: str | None,
    depth: int | None,
    units_only: bool,
    draw_all: bool,
) -> None:
    """Write the whole timeline as one interactive HTML page, for a browser.

    A slider steps through every snapshot (arrow keys too); each chart marks
    what changed since the snapshot before (added green, removed red, changed
    amber, lineage in blue) beside the event and its sources. Pan and zoom
    (wheel, drag, +/-, Fit), search by name, title or unit (Enter cycles
    through the matches), click a box for its facts, sources and history,
    click a unit's name to close it and a grey summary to open it (the chart is
    laid out again in the browser). The URL fragment (#date=2025-08-19&focus=fair)
    holds the view, so a link opens it. The page loads nothing from the network.
    """
    from .dates import resolve, start
    from .formats.html import page

    fmt = _pick_format(fmt, output, ("html",), "html", strict=True)
    _start_engine(fmt)
    tl = ctx.timeline()
    latest = tl.snapshots[-1].date
    snaps = list(tl.snapshots)
    if since is not None:
        first = start(since, latest=latest)
        in_effect = [s for s in snaps if s.date <= first]
        snaps = in_effect[-1:] + [s for s in snaps if s.date > first]
    if until is not None:
        end = resolve(until, latest=latest)
        snaps = [s for s in snaps if s.date <= end]
    if focus is not None:
        snaps = [s for s in snaps if focus in s.units]
        if not snaps:
            from .scope import check_focus

            check_focus(tl.diff(tl.snapshots[0].date, tl.snapshots[-1].date), focus)
    if not snaps:
        from .errors import OrgdiffError

        raise OrgdiffError(f"no snapshot of {tl.name} from {since or 'the first'} to {until}")
    text = page(
        tl,
        None if len(snaps) == len(tl.snapshots) else snaps,
        focus=focus,
        depth=depth,
        units_only=units_only,
        all=draw_all,
    )
    name = f"{_slug(ctx.org_slug(tl))}-timeline.html"
    _deliver(text, output, default_name=name, dataset=ctx.folder())


@cli.command()
@click.option(
    "--since", metavar="DATE", help="From the start of DATE: --since 2025 is from 2025-01-01."
)
@click.option("--until", metavar="DATE", help="To the end of DATE: --until 2025 is to 2025-12-31.")
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, help="text or json (default: text).")
@_output_option
@_colour_option
@_org_option
@pass_ctx
@_reports_errors
def log(
    ctx: _Context,
    since: str | None,
    until: str | None,
    fmt: str | None,
    output: str | None,
    color: bool | None,
) -> None:
    """Every change between consecutive snapshots, newest first, like git log.

    With --since and --until: the changes made by the snapshots dated in that
    range, bounds included.
    """
    from .report import diff_json, first_snapshot_json, log_text

    fmt = _pick_format(fmt, output, ("text", "json"), "text")
    tl = ctx.timeline()
    diffs = tl.log(since=since, until=until)
    first = tl.snapshots[0]
    shows_first = first in tl.between(since, until)
    if fmt == "json":
        rows = [diff_json(d) for d in diffs]
        if shows_first:
            rows.append(first_snapshot_json(first))
        _deliver(_json(rows), output, dataset=ctx.folder())
    else:
        colour = _use_colour(color, output)
        text = log_text(diffs, first if shows_first else None, colour=colour, width=_width(output))
        _deliver(text, output, dataset=ctx.folder())


@cli.command()
@click.argument("entity_id", metavar="ID")
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, help="text or json (default: text).")
@click.option(
    "-v", "--verbose", is_flag=True, help="Also list snapshots that only updated the evidence."
)
@_output_option
@_colour_option
@_org_option
@pass_ctx
@_reports_errors
def history(
    ctx: _Context,
    entity_id: str,
    fmt: str | None,
    verbose: bool,
    output: str | None,
    color: bool | None,
) -> None:
    """How one unit or person (by id) changed, snapshot by snapshot.

    Snapshots that only updated the sources, confidence or note about it are
    counted in one closing line; --verbose lists them (JSON always has them).
    """
    from .report import change_json, history_text

    fmt = _pick_format(fmt, output, ("text", "json"), "text")
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
        _deliver(_json(rows), output, dataset=ctx.folder())
    else:
        text = history_text(
            entity_id,
            entries,
            tl.snapshots,
            verbose=verbose,
            colour=_use_colour(color, output),
            sources=tl.sources,
            width=_width(output),
        )
        _deliver(text, output, dataset=ctx.folder())


@cli.command("import")
@click.argument("source", metavar="CSV_OR_FOLDER")
@click.option("--date", metavar="DATE", help="The export's date (default: from its file name).")
@click.option(
    "--map",
    "maps",
    metavar="COLUMN=FIELD",
    multiple=True,
    help="Read COLUMN as FIELD (employee_id, name, first_name, last_name, email, title, "
    "manager_id, manager_email, manager_name, department, department_parent). Repeatable.",
)
@click.option(
    "--mapping",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="A file of COLUMN=FIELD lines (# comments), as --map.",
)
@click.option("--name", metavar="NAME", help="The dataset's name when it is created.")
@click.option(
    "--min-share",
    type=click.FloatRange(0, 1),
    default=None,
    help="A people flow is lineage from this share of a unit's people (default 0.25).",
)
@click.option(
    "--min-people",
    type=click.IntRange(min=1),
    default=None,
    help="... and this many people (default 1).",
)
@click.option(
    "--rename-share",
    type=click.FloatRange(0, 1),
    default=None,
    help="Same people under a new name from this share: a rename (default 0.8).",
)
@click.option(
    "--dry-run", is_flag=True, help="Print every file that would be written; write nothing."
)
@_org_option
@pass_ctx
@_reports_errors
def import_(
    ctx: _Context,
    source: str,
    date: str | None,
    maps: tuple[str, ...],
    mapping: str | None,
    name: str | None,
    min_share: float | None,
    min_people: int | None,
    rename_share: float | None,
    dry_run: bool,
) -> None:
    """Import HR exports (CSV, one row per person) into the dataset --org PATH.

    CSV_OR_FOLDER is one export (its date from --date or its file name, such as
    2024-01.csv or export-2024-01-31.csv) or a folder of dated exports, imported
    in date order. Only the mapped columns are read; nothing else of a row is
    written. Departments become units, heads their leads; renames, splits and
    merges between consecutive exports are inferred from where people went and
    written as `from` with a note. The dataset folder is created if missing.
    A problem anywhere writes nothing: each is reported as FILE:ROW: COLUMN:
    MESSAGE, with exit status 2.
    """
    from pathlib import Path

    from .dates import resolve
    from .errors import OrgdiffError, count_problems
    from .formats.csv import ExportError, ExportProblem, read_mapping
    from .hrimport import date_of, exports_in, plan_import, write_plan

    if ctx.org is None:
        raise OrgdiffError(
            "import needs --org PATH: the dataset folder to write (created if missing)"
        )
    try:
        columns: dict[str, str] = {}
        if mapping is not None:
            try:
                text = Path(mapping).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise OrgdiffError(f"{mapping}: cannot be read: {exc}") from None
            columns.update(read_mapping(text, file=mapping))
        for item in maps:
            column, sep, fld = item.rpartition("=")
            if not sep or not column.strip() or not fld.strip():
                raise OrgdiffError(f"--map {item!r}: expected COLUMN=FIELD")
            columns[column.strip()] = fld.strip()
        src = Path(source)
        if src.is_dir():
            if date is not None:
                raise OrgdiffError("--date is for one export; a folder's exports are dated by name")
            exports = exports_in(src)
        elif src.is_file():
            day = resolve(date) if date is not None else date_of(src)
            if day is None:
                raise ExportError(
                    [ExportProblem(source, 0, "-", "no date in the file name; pass --date DATE")]
                )
            exports = [(source, day)]
        else:
            raise OrgdiffError(f"{source}: no such file or folder")
        thresholds = {
            k: v
            for k, v in (
                ("min_share", min_share),
                ("min_people", min_people),
                ("rename_share", rename_share),
            )
            if v is not None
        }
        plan = plan_import(ctx.org, exports, columns=columns, name=name, thresholds=thresholds)
    except ExportError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        _fail(count_problems(len(exc.problems)))
        return
    for note in plan.notes:
        _note(note)
    if dry_run:
        for path, text in plan.files.items():
            click.echo(f"==> {path} <==")
            click.echo(text, nl=False)
        _note(f"dry run: {len(plan.files)} files not written")
        return
    write_plan(plan)
    _note(f"wrote {len(plan.files)} files to {plan.folder}")


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


STATS_FORMATS = ("text", "json", "csv", "svg", "png")


@cli.command()
@click.argument("date", required=False)
@click.option(
    "--over-time",
    is_flag=True,
    help="Every snapshot and every period between them (also: no DATE).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(STATS_FORMATS, case_sensitive=False),
    help="text, json or csv; svg or png: plots over time (needs orgdiff[plots]). "
    "Default: from the extension of -o, else text.",
)
@click.option(
    "--span-threshold",
    type=click.IntRange(min=0),
    default=8,
    show_default=True,
    metavar="N",
    help="List the managers with more than N direct reports.",
)
@_output_option
@_org_option
@pass_ctx
@_reports_errors
def stats(
    ctx: _Context,
    date: str | None,
    over_time: bool,
    fmt: str | None,
    span_threshold: int,
    output: str | None,
) -> None:
    """Numbers of the org at DATE, or over time: headcount, depth, span, churn.

    Per unit and for the whole org: headcount (direct and with sub-units),
    units, depth (people in the reporting chain from the top: a chain that stops
    at an unknown manager has no depth), span of control (direct reports per
    manager), people whose manager is not known (the root's leads left out) and
    facts by confidence. With --over-time or no DATE: the same per snapshot,
    the changes per period (units added, removed, renamed, moved; lead changes;
    people listed and unlisted) and each person's number of manager changes.
    --format svg or png draws these over time (ORG-stats.FORMAT here unless -o
    says where).
    """
    from .errors import OrgdiffError
    from .stats import snapshot_stats, stats_csv, stats_json, stats_text, timeline_stats

    if fmt is None and output is not None and output.lower().endswith(".csv"):
        fmt = "csv"
    fmt = _pick_format(fmt, output, STATS_FORMATS, "text")
    tl = ctx.timeline()
    names = {pid: ident.name for pid, ident in tl.people.items()}
    result: Any
    if fmt in ("svg", "png") or over_time or date is None:
        if date is not None and not over_time:
            raise OrgdiffError("the plots are over time: drop DATE, or use --format text/json/csv")
        # --over-time DATE: the snapshots up to DATE.
        upto = tl.between(until=tl.at(date).date) if date is not None else None
        result = timeline_stats(tl, snapshots=upto, span_threshold=span_threshold)
    else:
        snap = tl.at(date)
        past = _past_the_last(tl, date, snap)
        if past is not None:
            _note(past)
        result = snapshot_stats(snap, span_threshold=span_threshold)
    if fmt in ("svg", "png"):
        from .plots import stats_image

        name = f"{_slug(ctx.org_slug(tl))}-stats.{fmt}"
        _deliver(stats_image(result, fmt), output, default_name=name, dataset=ctx.folder())
    elif fmt == "json":
        _deliver(_json(stats_json(result)), output, dataset=ctx.folder())
    elif fmt == "csv":
        _deliver(stats_csv(result), output, dataset=ctx.folder())
    else:
        _deliver(stats_text(result, names), output, dataset=ctx.folder())


EXPORT_EXTENSIONS = {
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".json": "json",
    ".graphml": "graphml",
    ".csv": "table-csv",
    ".parquet": "parquet",
}


@cli.command()
@click.argument("date", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(
        ["mermaid", "json", "node-link", "graphml", "csv", "table-csv", "parquet"],
        case_sensitive=False,
    ),
    help="mermaid, json (flat node list), node-link (networkx), graphml (yEd, Gephi), "
    "csv (one row per person, as `orgdiff import` reads), table-csv or parquet (the long table). Default: from the extension of -o.",
)
@_output_option
@_org_option
@pass_ctx
@_reports_errors
def export(ctx: _Context, date: str | None, fmt: str | None, output: str | None) -> None:
    """Write the org at DATE in a format other tools read.

    mermaid: a flowchart for Markdown on GitHub and GitLab; json: one object
    per person (id, parentId, name, title, unit, confidence), as d3-org-chart
    takes it; node-link: units and people as networkx's node-link JSON;
    graphml: for yEd and Gephi, units as groups; csv: one row per person, the
    shape `orgdiff import` reads. table-csv and parquet: one row
    per person per snapshot (date, person, unit, manager, title, confidence,
    sources): every snapshot without DATE, that one with it. DATE defaults to
    the latest snapshot for the other formats.
    """
    from .errors import OrgdiffError
    from .exports import export as write

    ext = os.path.splitext(str(output).lower())[1] if output not in (None, "-") else ""
    implied = EXPORT_EXTENSIONS.get(ext)
    if fmt is not None and implied is not None and fmt.lower() != implied:
        compatible = (fmt.lower(), implied) in (("node-link", "json"), ("csv", "table-csv"))
        if not compatible:
            raise OrgdiffError(
                f"--format {fmt.lower()} does not match {output}, whose extension {ext} means "
                f"{implied}; drop --format or rename the file"
            )
    fmt = fmt if fmt is not None else implied
    if fmt is None:
        raise OrgdiffError(
            "pass --format (mermaid, json, node-link, graphml, csv, table-csv, parquet)"
        )
    fmt = fmt.lower()
    tl = ctx.timeline()
    if fmt in ("table-csv", "parquet") and date is None:
        data = write(tl, fmt)
    else:
        snap = tl.at(date if date is not None else "latest")
        if date is not None:
            past = _past_the_last(tl, date, snap)
            if past is not None:
                _note(past)
        data = write(snap, fmt)
    _deliver(data, output, dataset=ctx.folder())


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
    except OSError as exc:  # pragma: no cover - every output goes through orgdiff.output
        if exc.errno == errno.EPIPE:
            raise SystemExit(0) from None
        from .output import _drop_stdout

        _drop_stdout()
        click.echo(f"orgdiff: error: {exc.strerror or exc}", err=True)
        raise SystemExit(2) from None


if __name__ == "__main__":  # pragma: no cover
    main()
