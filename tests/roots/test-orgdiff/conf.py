"""Test root of tests/test_sphinxext.py: the directives on the example dataset.

The tests copy this folder and tests/data/example (as ``example/``) to a
temporary folder and build it there, as another project's docs would.
"""

extensions = ["myst_parser", "orgdiff.sphinxext"]
orgdiff_dataset = "example"  # relative to this file
exclude_patterns = ["_build", "example"]
