"""Shared test configuration: Hypothesis profiles, a private cache folder, and
the ``org`` fixture.

``HYPOTHESIS_PROFILE`` picks one: ``default`` keeps a local run quick;
``ci`` tries more examples, in an order fixed by the test's name
(``derandomize``), so a failure on CI reproduces on every run; ``mutation``
is the mutation run's (tests/MUTATION.md).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

BASE = Path(__file__).parent / "data" / "invalid" / "base"

settings.register_profile("default", max_examples=100, deadline=None)
# CI: examples in a fixed order, twice the default budget; 200 keeps the whole
# suite (about 1,450 tests) near ten minutes on two cores.
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# tests/MUTATION.md: few examples in a fixed order, so a mutant's verdict does not
# depend on luck and each of the thousands of runs stays short.
settings.register_profile(
    "mutation",
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],  # a mutant needs a failure, not the smallest one
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def org(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the small valid dataset at ``./org``, the current folder being its parent."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(BASE, tmp_path / "org")
    return tmp_path / "org"


@pytest.fixture(autouse=True, scope="session")
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test (and every process it starts) uses a cache folder of this run,
    never the user's own: ``$XDG_CACHE_HOME`` points into pytest's temporary
    folder, with caching on. Tests of the caches themselves set their own."""
    home = tmp_path_factory.mktemp("xdg-cache-home")
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(home))
    patch.delenv("ORGDIFF_NO_CACHE", raising=False)
    yield home
    patch.undo()


# The coverage gate (tests/covgate.py): these hooks read its two minimums from
# pyproject.toml and apply it once pytest-cov has combined every process's data.
from covgate import (  # noqa: E402
    pytest_addoption,  # noqa: F401
    pytest_deselected,  # noqa: F401
    pytest_runtest_call,  # noqa: F401
    pytest_runtestloop,  # noqa: F401
    pytest_terminal_summary,  # noqa: F401
)
