"""orgdiff: track how an organisation's structure changes over time.

>>> import orgdiff
>>> tl = orgdiff.load("tests/data/example")
>>> tl.at("2024-06").chain("eli-moreau")
('eli-moreau', 'chen-li', 'ben-okafor', 'ada-park')
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version

from .dates import resolve as resolve_date
from .dump import dump, save
from .errors import DateError, OrgDataError, OrgdiffError, Problem, UnknownIdError
from .load import default_dataset, load, parse_snapshot
from .model import Confidence, Identity, Person, Relation, Snapshot, Source, Timeline, Unit
from .validate import validate

try:
    __version__ = _version("orgdiff")
except _PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    __version__ = "0+unknown"

__all__ = [
    "Confidence",
    "DateError",
    "Identity",
    "OrgDataError",
    "OrgdiffError",
    "Person",
    "Problem",
    "Relation",
    "Snapshot",
    "Source",
    "Timeline",
    "Unit",
    "UnknownIdError",
    "__version__",
    "default_dataset",
    "dump",
    "load",
    "parse_snapshot",
    "resolve_date",
    "save",
    "validate",
]
