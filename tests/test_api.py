"""The public face of the package."""

from __future__ import annotations

import importlib
import importlib.metadata
import subprocess
import sys

import orgdiff


def test_all_is_sorted_and_complete() -> None:
    """Every public name of the package is in `__all__`, and `__all__` is sorted."""
    orgdiff.export  # noqa: B018 - a lazy attribute (PEP 562): in vars() once used
    public = {
        name
        for name in dir(orgdiff)
        if not name.startswith("_") and not getattr(getattr(orgdiff, name), "__file__", None)
    } - {"annotations"}
    assert sorted(public) == sorted(set(orgdiff.__all__) - {"__version__"})
    assert sorted(orgdiff.__all__) == list(orgdiff.__all__)


def test_all_names_exist() -> None:
    """Nothing in `__all__` is missing from the package, and `dir()` lists it all."""
    for name in orgdiff.__all__:
        assert hasattr(orgdiff, name), name
    assert set(orgdiff.__all__) <= set(dir(orgdiff))


def test_an_unknown_name_is_an_attribute_error() -> None:
    assert not hasattr(orgdiff, "no_such_name")


FRESH = """
import sys
before = set(sys.modules)
{code}
print(",".join(sorted(set(sys.modules) - before)))
"""


def _imported(code: str) -> list[str]:
    """The modules that ``code`` imports in a new interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", FRESH.format(code=code)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [m for m in done.stdout.strip().split(",") if m]


def test_import_orgdiff_imports_nothing_else() -> None:
    """`import orgdiff` loads the package alone: each public name is imported
    on first use (PEP 562)."""
    new = _imported("import orgdiff")
    assert ["orgdiff"] == [m for m in new if m.startswith("orgdiff")]
    assert [] == [m for m in new if m.split(".")[0] in ("attr", "attrs", "yaml", "click")]


def test_a_name_imports_only_its_own_module() -> None:
    """`orgdiff.Timeline` imports the model and what it needs, not loading or
    drawing."""
    new = _imported("import orgdiff; orgdiff.Timeline")
    mine = sorted(m for m in new if m.startswith("orgdiff"))
    assert [
        "orgdiff",
        "orgdiff.dates",
        "orgdiff.errors",
        "orgdiff.model",
        "orgdiff.suggest",
    ] == mine


def test_importing_a_submodule_keeps_the_function_of_the_same_name() -> None:
    """After `import orgdiff.load` (which Python binds on the package),
    `orgdiff.load` is still the function, as it was when names were imported
    eagerly; the module is in `sys.modules`."""
    for name in ("load", "diff", "dump", "render", "validate"):
        module = importlib.import_module(f"orgdiff.{name}")
        function = getattr(orgdiff, name)
        assert callable(function) and not isinstance(function, type(orgdiff)), name
        assert getattr(module, name) is function
        assert sys.modules[f"orgdiff.{name}"] is module


def test_version_comes_from_the_package_metadata() -> None:
    """`orgdiff.__version__` is the installed distribution's version."""
    assert importlib.metadata.version("orgdiff") == orgdiff.__version__


def test_errors_share_one_base_and_a_builtin() -> None:
    """Every error derives from OrgdiffError, and from the builtin that fits."""
    assert issubclass(orgdiff.OrgDataError, orgdiff.OrgdiffError)
    assert issubclass(orgdiff.OrgDataError, ValueError)
    assert issubclass(orgdiff.DateError, ValueError)
    assert issubclass(orgdiff.UnknownIdError, KeyError)
