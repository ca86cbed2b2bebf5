"""orgdiff: track how an organisation's structure changes over time.

>>> import orgdiff
>>> tl = orgdiff.load("tests/data/example")
>>> tl.at("2024-06").chain("eli-moreau")
('eli-moreau', 'chen-li', 'ben-okafor', 'ada-park')
"""

from __future__ import annotations

from typing import TYPE_CHECKING as _TYPE_CHECKING

from .dates import resolve as resolve_date
from .diff import Change, ChangeKind, Diff, Event, HistoryEntry, apply, diff, lineage
from .dump import dump, save
from .engine import EngineUnavailable, RenderError, render_dot, to_svg
from .errors import DateError, OrgDataError, OrgdiffError, Problem, UnknownIdError
from .load import default_dataset, load, parse_snapshot
from .model import Confidence, Identity, Person, Relation, Snapshot, Source, Timeline, Unit
from .render import render
from .validate import validate

if _TYPE_CHECKING:
    from .exports import export

    __version__: str


def __getattr__(name: str) -> object:
    # Imported on first use: exports pull in the formats, which `import orgdiff`
    # should not pay for.
    if name == "export":
        from .exports import export

        globals()["export"] = export
        return export
    # The version is looked up on first use: importlib.metadata is slow to
    # import, and `orgdiff --help` should not wait for it.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("orgdiff")
    except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
        found = "0+unknown"
    globals()["__version__"] = found
    return found


__all__ = [
    "Change",
    "ChangeKind",
    "Confidence",
    "DateError",
    "Diff",
    "EngineUnavailable",
    "Event",
    "HistoryEntry",
    "Identity",
    "OrgDataError",
    "OrgdiffError",
    "Person",
    "Problem",
    "Relation",
    "RenderError",
    "Snapshot",
    "Source",
    "Timeline",
    "Unit",
    "UnknownIdError",
    "__version__",
    "apply",
    "default_dataset",
    "diff",
    "dump",
    "export",
    "lineage",
    "load",
    "parse_snapshot",
    "render",
    "render_dot",
    "resolve_date",
    "save",
    "to_svg",
    "validate",
]
