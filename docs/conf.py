"""Sphinx configuration for the orgdiff docs. Charts are drawn from the data at build time.

Build, with warnings as errors (the docs group is part of the default dev group)::

    uv run sphinx-build -W -b html docs docs/_build/html
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sphinx.application import Sphinx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import orgdiff  # noqa: E402

# The tutorial shows real command output ({command-output}): run the `orgdiff`
# and `python` of the environment that runs Sphinx, whatever PATH says.
os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
# ... and wrap their reports to the width of a code block on the page, whatever the terminal.
os.environ["COLUMNS"] = "80"

project = "orgdiff"
author = "the orgdiff developers"
copyright = "2026, the orgdiff developers"
release = orgdiff.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx_click",
    "sphinxcontrib.programoutput",
    "orgdiff.sphinxext",
]

# The dataset the orgchart/orgdiff/orgtimeline directives draw when a page
# names none with :dataset:. Relative to this file.
orgdiff_dataset = "../orgs/meta-ai"

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
# Curly quotes, but `--format` stays two hyphens (docstrings of the CLI say `--units-only`).
smartquotes_action = "qe"

html_theme = "furo"
html_title = "orgdiff"
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}


def _rerun_commands(app: Sphinx, env: object, docnames: list[str]) -> None:
    """Run the tutorial's commands on every build: their output follows the code and data."""
    cache = getattr(env, "programoutput_cache", None)
    if cache is not None:
        cache.clear()


def _tutorial(
    app: Sphinx, env: object, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    return ["tutorial"]


def setup(app: Sphinx) -> None:
    app.connect("env-get-outdated", _tutorial)
    app.connect("env-before-read-docs", _rerun_commands)
