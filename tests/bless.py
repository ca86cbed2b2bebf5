"""Rewrite the expected output of the bad-input cases from what orgdiff prints now.

Run it on purpose, after a change to a message or a new case:

    uv run python tests/bless.py            # every case
    uv run python tests/bless.py two-roots  # only these cases (by name)

then read the diff (`git diff tests/data/invalid`) line by line: the location
must point at the offending token and the message must say what is wrong.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from test_invalid import case_files, case_name, expected_file, make_dataset, run_validate


def main(names: list[str]) -> int:
    cases = [c for c in case_files() if not names or case_name(c) in names]
    unknown = set(names) - {case_name(c) for c in cases}
    if unknown:
        print(f"no such case: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    changed = 0
    for case in cases:
        with tempfile.TemporaryDirectory() as tmp:
            make_dataset(case, Path(tmp))
            code, _, err, exc = run_validate(Path(tmp))
        if code != 2 or not isinstance(exc, SystemExit):
            print(f"{case.name}: exit {code}, not 2 ({exc!r})", file=sys.stderr)
            return 1
        target = expected_file(case)
        old = target.read_text(encoding="utf-8") if target.is_file() else None
        if old != err:
            target.write_text(err, encoding="utf-8", newline="\n")
            changed += 1
            print(f"{'updated' if old is not None else 'created'} {target.name}")
    print(f"{len(cases)} cases, {changed} changed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
