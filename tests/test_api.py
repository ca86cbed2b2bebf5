"""The public face of the package."""

from __future__ import annotations

import importlib.metadata

import orgdiff


def test_all_is_sorted_and_complete() -> None:
    """Every public name of the package is in `__all__`, and `__all__` is sorted."""
    orgdiff.export  # noqa: B018 - a lazy attribute (PEP 562): in vars() once used
    public = {
        name
        for name, value in vars(orgdiff).items()
        if not name.startswith("_") and not getattr(value, "__file__", None)
    } - {"annotations"}
    assert sorted(public) == sorted(set(orgdiff.__all__) - {"__version__"})
    assert sorted(orgdiff.__all__) == list(orgdiff.__all__)


def test_all_names_exist() -> None:
    """Nothing in `__all__` is missing from the package."""
    for name in orgdiff.__all__:
        assert hasattr(orgdiff, name), name


def test_version_comes_from_the_package_metadata() -> None:
    """`orgdiff.__version__` is the installed distribution's version."""
    assert importlib.metadata.version("orgdiff") == orgdiff.__version__


def test_errors_share_one_base_and_a_builtin() -> None:
    """Every error derives from OrgdiffError, and from the builtin that fits."""
    assert issubclass(orgdiff.OrgDataError, orgdiff.OrgdiffError)
    assert issubclass(orgdiff.OrgDataError, ValueError)
    assert issubclass(orgdiff.DateError, ValueError)
    assert issubclass(orgdiff.UnknownIdError, KeyError)
