"""Run pytest once per mutant, in a process forked before ``orgdiff.load`` is imported.

mutmut runs each mutant in a process that has run the tests once already, so
code run when ``orgdiff.load`` is imported (the ``_Spec`` tables) or once per
process (the ``_Shape`` of each order of keys, the cattrs converter and its
hooks' predicates such as ``_is_mapping_of``) ran before the mutant was chosen:
those mutants always "survive" the run. This imports what ``orgdiff.load``
needs but not ``orgdiff.load`` itself, then forks once per mutant, makes it the
active one (``MUTANT_UNDER_TEST``) and runs pytest with the given arguments; it
appends ``NAME EXIT-CODE SECONDS`` to OUT (0: survived; 1, a test failed, or 2,
the tests could not be collected (the import broke): killed)
and skips the names OUT holds already, so a stopped run resumes.

    cd mutants && PYTHONPATH=. HYPOTHESIS_PROFILE=mutation \\
      ../.venv/bin/python ../tests/mutation/fresh.py OUT NAMES -- ../tests/test_readers_agree.py

NAMES is a file of mutant names, one a line (from ``mutmut results``). Test
paths under ``../tests`` run the worktree's tests (new ones included) against
``mutants/orgdiff``. It works for any mutant, not only those of import-time code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from extra import run_each  # this folder is on sys.path when run as a script


def main() -> None:
    out, names_file = sys.argv[1], sys.argv[2]
    args = sys.argv[sys.argv.index("--") + 1 :]
    os.environ.setdefault("HYPOTHESIS_PROFILE", "mutation")
    # Not hypothesis: pytest must import its plugin itself to rewrite its asserts.
    import attrs  # noqa: F401
    import cattrs  # noqa: F401
    import click  # noqa: F401
    import pytest  # noqa: F401  (imported once, before the forks)
    import yaml  # noqa: F401

    import orgdiff.dates
    import orgdiff.model
    import orgdiff.yamlread  # noqa: F401

    assert "orgdiff.load" not in sys.modules
    done = set()
    if os.path.exists(out):
        done = {line.split()[0] for line in Path(out).read_text().splitlines() if line.strip()}
    run_each(
        out,
        names_file,
        args,
        lambda name: os.environ.__setitem__("MUTANT_UNDER_TEST", name),
        opts=["--no-cov"],
        done=done,
    )


if __name__ == "__main__":
    main()
