"""orgdiff: track how an organisation's structure changes over time.

>>> import orgdiff
>>> tl = orgdiff.load("tests/data/example")
>>> tl.at("2024-06").chain("eli-moreau")
('eli-moreau', 'chen-li', 'ben-okafor', 'ada-park')
"""

from __future__ import annotations

import sys as _sys
import types as _types
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

if _TYPE_CHECKING:
    from .dates import resolve as resolve_date
    from .diff import Change, ChangeKind, Diff, Event, HistoryEntry, apply, diff, lineage
    from .dump import dump, save
    from .engine import EngineUnavailable, RenderError, render_dot, to_svg
    from .errors import DateError, OrgDataError, OrgdiffError, Problem, UnknownIdError
    from .exports import export
    from .load import default_dataset, load, parse_snapshot
    from .model import Confidence, Identity, Person, Relation, Snapshot, Source, Timeline, Unit
    from .render import render
    from .validate import validate

    __version__: str

# Each public name and the module that defines it. A name is imported on first
# use (PEP 562), so `import orgdiff` and `orgdiff --help` load only what they use.
_WHERE = {
    "Change": "diff",
    "ChangeKind": "diff",
    "Confidence": "model",
    "DateError": "errors",
    "Diff": "diff",
    "EngineUnavailable": "engine",
    "Event": "diff",
    "HistoryEntry": "diff",
    "Identity": "model",
    "OrgDataError": "errors",
    "OrgdiffError": "errors",
    "Person": "model",
    "Problem": "errors",
    "Relation": "model",
    "RenderError": "engine",
    "Snapshot": "model",
    "Source": "model",
    "Timeline": "model",
    "Unit": "model",
    "UnknownIdError": "errors",
    "apply": "diff",
    "default_dataset": "load",
    "diff": "diff",
    "dump": "dump",
    "export": "exports",
    "lineage": "diff",
    "load": "load",
    "parse_snapshot": "load",
    "render": "render",
    "render_dot": "engine",
    "resolve_date": "dates",
    "save": "dump",
    "to_svg": "engine",
    "validate": "validate",
}
_RENAMED = {"resolve_date": "resolve"}


def __getattr__(name: str) -> _Any:
    if name == "__version__":
        # importlib.metadata is slow to import: looked up on first use only.
        from importlib.metadata import PackageNotFoundError, version

        try:
            found: _Any = version("orgdiff")
        except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
            found = "0+unknown"
    elif name in _WHERE:
        from importlib import import_module

        module = import_module(f".{_WHERE[name]}", __name__)
        found = getattr(module, _RENAMED.get(name, name))
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # Kept, so the next use is a plain attribute. A submodule of the same name
    # (orgdiff.diff, .load, .render, .validate, .dump) is shadowed by the
    # function, as it was when every name was imported eagerly.
    globals()[name] = found
    return found


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(_types.ModuleType):
    """orgdiff itself. Importing a submodule named like the function it defines
    (``orgdiff.load``, ``.diff``, ``.dump``, ``.render``, ``.validate``) would make
    ``orgdiff.load`` the module; the function is kept there instead, as when
    every name was imported eagerly."""

    def __setattr__(self, name: str, value: _Any) -> None:
        if (
            isinstance(value, _types.ModuleType)
            and _WHERE.get(name) == name
            and value.__name__ == f"{__name__}.{name}"
        ):
            value = getattr(value, name)
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package


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
