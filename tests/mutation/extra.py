"""Run more test files against mutants mutmut left alive, the way mutmut does.

mutmut's run uses only the fast tests of ``[tool.mutmut]``; some survivors are
killed by tests left out of it (``test_filesystem.py``, ``test_invalid.py``).
This imports ``mutants/orgdiff`` once, then forks once per mutant, makes it the
active one and runs pytest with the given arguments; it appends
``NAME EXIT-CODE SECONDS`` to OUT (exit code 1: killed, 0: survived).

    cd mutants && PYTHONPATH=. HYPOTHESIS_PROFILE=mutation \\
      ../.venv/bin/python ../tests/mutation/extra.py OUT NAMES -- ../tests/test_filesystem.py

NAMES is a file of mutant names, one a line (from ``mutmut results``).
Run it from ``mutants/`` with the mutmut dependency group installed.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Collection
from pathlib import Path


def main() -> None:
    out, names_file = sys.argv[1], sys.argv[2]
    args = sys.argv[sys.argv.index("--") + 1 :]
    os.environ.setdefault("HYPOTHESIS_PROFILE", "mutation")
    from mutmut.mutation.trampoline import set_mutant_under_test

    import orgdiff  # noqa: F401  (imported once, before the forks)

    run_each(out, names_file, args, set_mutant_under_test, opts=[])


def run_each(
    out: str,
    names_file: str,
    args: list[str],
    activate: Callable[[str], object],
    *,
    opts: list[str],
    done: Collection[str] = (),
) -> None:
    """Fork once per mutant named in NAMES (but those in ``done``), make it the
    active one with ``activate`` and run pytest on ``args`` with ``opts``,
    quietly; append ``NAME EXIT-CODE SECONDS`` to OUT."""
    import pytest

    here = str(Path.cwd())
    names = [n.strip() for n in Path(names_file).read_text().splitlines() if n.strip()]
    with open(out, "a", encoding="utf-8") as f:
        for name in names:
            if name in done:
                continue
            start = time.time()
            pid = os.fork()
            if pid == 0:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                activate(name)
                common = ["-p", "no:cacheprovider", "-q", "-x", *opts, "-o", f"pythonpath={here}"]
                os._exit(int(pytest.main([*common, *args])))
            _, status = os.waitpid(pid, 0)
            code = os.waitstatus_to_exitcode(status)
            f.write(f"{name} {code} {time.time() - start:.1f}\n")
            f.flush()


if __name__ == "__main__":
    main()
