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

from .errors import OrgDataError, OrgdiffError, count_problems

F = TypeVar("F", bound=Callable[..., Any])

FORMAT_TEXT_JSON = click.Choice(["text", "json"], case_sensitive=False)


def _fail(message: str) -> None:
    click.echo(message, err=True)
    raise SystemExit(2)


def _reports_errors(func: F) -> F:
    """Turn orgdiff's own errors into exit status 2 and plain messages."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OrgDataError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            _fail(count_problems(len(exc.problems)))
        except OrgdiffError as exc:
            _fail(f"orgdiff: error: {exc}")

    return wrapper  # type: ignore[return-value]


class _Context:
    def __init__(self, org: str | None) -> None:
        self.org = org

    def timeline(self) -> Any:
        from .load import load

        return load(self.org)


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
@click.version_option(package_name="orgdiff", prog_name="orgdiff")
@click.pass_context
def cli(ctx: click.Context, org: str | None) -> None:
    """Track how an organisation's structure changes over time.

    Dates may be partial and mean the end of that period: 2025-09 is the org
    as it stood on 2025-09-30.
    """
    ctx.obj = _Context(org)


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
    tl = load(folder)
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
