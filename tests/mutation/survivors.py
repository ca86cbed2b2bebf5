"""Hand-made mutants: each survivor issue #18 named, checked to be killed now.

mutmut (``uv run --group mutation mutmut run``) makes thousands of mutants and
takes hours on a small machine; this script makes the few that the issue's
measurement found alive, each a one-line edit of ``orgdiff/``, and runs the fast
tests aimed at that module against it, in a copy of the repository. A mutant
the tests pass is a survivor: the script lists it and exits 1.

    uv run python tests/mutation/survivors.py            # every mutant
    uv run python tests/mutation/survivors.py apply      # those whose name has "apply"

See tests/MUTATION.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

TESTS = {
    "diff": ["tests/test_diff.py", "tests/test_diff_oracle.py"],
    "validate": ["tests/test_validate.py", "tests/test_validate_checks.py"],
    "load": ["tests/test_readers_agree.py", "tests/test_load.py", "tests/test_invalid.py"],
}

# (module, name, the line as it is, the line mutated): the line must occur once.
MUTANTS: list[tuple[str, str, str, str]] = [
    # diff.py
    (
        "diff",
        "manager becoming known not reported",
        "        if pb.reports_to != pa.reports_to:",
        "        if pb.reports_to != pa.reports_to and pb.reports_to is not None:",
    ),
    (
        "diff",
        "title becoming unknown not reported",
        "        if pb.title != pa.title:",
        "        if pb.title != pa.title and pa.title is not None:",
    ),
    (
        "diff",
        "no unit-moved when a unit becomes the root",
        "        if before.parent != after.parent:",
        "        if before.parent != after.parent and after.parent is not None:",
    ),
    (
        "diff",
        "relations keyed without their kind",
        "    return (r.kind, r.from_, r.to)",
        '    return ("", r.from_, r.to)',
    ),
    (
        "diff",
        "apply skips its unit check",
        "        if units.get(uid) != before:",
        "        if False:",
    ),
    (
        "diff",
        "apply skips its person check",
        "        if people.get(pid) != pb:",
        "        if False:",
    ),
    (
        "diff",
        "Change.inverse keeps sources_before",
        "            sources_before=self.sources_after,",
        "            sources_before=self.sources_before,",
    ),
    (
        "diff",
        "Diff.__bool__ ignores event and sources",
        "            or _meta(self.before) != _meta(self.after)",
        "            or False",
    ),
    (
        "diff",
        "HistoryEntry.removed for every entry not appeared",
        '        return self.kind == "removed"',
        '        return self.kind != "appeared"',
    ),
    # validate.py
    (
        "validate",
        "ids checked with match, not fullmatch",
        "    if ID_PATTERN.fullmatch(entity_id):",
        "    if ID_PATTERN.match(entity_id):",
    ),
    (
        "validate",
        "underscores allowed in ids",
        'ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")',
        'ID_PATTERN = re.compile(r"[a-z0-9_]+(?:-[a-z0-9_]+)*")',
    ),
    (
        "validate",
        "a parent may name a person",
        "        if unit.parent is not None and unit.parent not in snap.units:",
        "        if unit.parent is not None and unit.parent not in snap.units and unit.parent not in snap.people:",
    ),
    (
        "validate",
        "a person's unit may name a person",
        "        if person.unit not in snap.units:",
        "        if person.unit not in snap.units and person.unit not in snap.people:",
    ),
    (
        "validate",
        "U+FDEF accepted",
        "    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE",
        "    return 0xFDD0 <= code < 0xFDEF or (code & 0xFFFE) == 0xFFFE",
    ),
    (
        "validate",
        "surrogates accepted",
        '        if unicodedata.category(ch) in ("Cc", "Cs") or _noncharacter(ch):',
        '        if unicodedata.category(ch) in ("Cc",) or _noncharacter(ch):',
    ),
    (
        "validate",
        "U+2069 accepted",
        '        if ch in "\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069":',
        '        if ch in "\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068":',
    ),
    (
        "validate",
        "leading spaces accepted",
        '        return f"{what} has leading or trailing spaces" if value != value.strip() else None',
        '        return f"{what} has leading or trailing spaces" if value != value.rstrip() else None',
    ),
    (
        "validate",
        "sources of units unchecked",
        "        for i, key in enumerate(unit.sources):",
        "        for i, key in enumerate(unit.sources[:0]):",
    ),
    (
        "validate",
        "sources of relations unchecked",
        "        for i, key in enumerate(rel.sources):",
        "        for i, key in enumerate(rel.sources[:0]):",
    ),
    (
        "validate",
        "URLs with spaces accepted",
        '    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url',
        '    return parts.scheme in ("http", "https") and bool(parts.netloc)',
    ),
    (
        "validate",
        "URLs with no host accepted",
        '    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url',
        '    return parts.scheme in ("http", "https") and " " not in url',
    ),
    (
        "validate",
        "the dataset name unchecked",
        '    if (msg := _bad_text(tl.name, "the dataset name")) is not None:',
        "    if (msg := None) is not None:",
    ),
    (
        "validate",
        "the description unchecked",
        '        and (msg := _bad_text(tl.description, "the description", lines=True)) is not None',
        "        and (msg := None) is not None",
    ),
    (
        "validate",
        "source titles unchecked",
        '        if (msg := _bad_text(source.title, "a title")) is not None:',
        "        if (msg := None) is not None:",
    ),
    (
        "validate",
        "publishers unchecked",
        '            and (msg := _bad_text(source.publisher, "a publisher")) is not None',
        "            and (msg := None) is not None",
    ),
    (
        "validate",
        "source notes unchecked",
        "        if (msg := _bad_note(source.note)) is not None:",
        "        if (msg := None) is not None:",
    ),
    (
        "validate",
        "person names unchecked",
        '        if (msg := _bad_text(identity.name, "a name")) is not None:',
        "        if (msg := None) is not None:",
    ),
    (
        "validate",
        "aliases unchecked",
        '            if (msg := _bad_text(alias, "an alias")) is not None:',
        "            if (msg := None) is not None:",
    ),
    ("validate", "validate() unsorted", "    return sorted(out)", "    return list(out)"),
    # load.py
    (
        "load",
        "tags or anchors on top-level text accepted",
        "    def _text(ev: Any) -> str:\n"
        "        if ev.__class__ is not ScalarEvent or ev.anchor is not None or ev.tag is not None:",
        "    def _text(ev: Any) -> str:\n        if ev.__class__ is not ScalarEvent:",
    ),
    (
        "load",
        "tags or anchors on id lists accepted",
        "    def _ids(self, ev: Any) -> tuple[str, ...]:\n"
        "        if ev.__class__ is not SequenceStartEvent or ev.anchor is not None or ev.tag is not None:",
        "    def _ids(self, ev: Any) -> tuple[str, ...]:\n"
        "        if ev.__class__ is not SequenceStartEvent:",
    ),
    (
        "load",
        "tags or anchors on ids accepted",
        "            if not value or ev.anchor is not None or ev.tag is not None:",
        "            if not value:",
    ),
    (
        "load",
        "empty list items accepted",
        "            if not value or ev.anchor is not None or ev.tag is not None:",
        "            if ev.anchor is not None or ev.tag is not None:",
    ),
    (
        "load",
        "tags or anchors on relation entries accepted",
        "        while (ev := nxt()).__class__ is MappingStartEvent:\n"
        "            if ev.anchor is not None or ev.tag is not None:",
        "        while (ev := nxt()).__class__ is MappingStartEvent:\n            if False:",
    ),
    (
        "load",
        "empty text accepted",
        "        value: str = ev.value\n        if not value:\n            raise _Fallback\n        return value",
        "        value: str = ev.value\n        return value",
    ),
    (
        "load",
        "confidence in another letter case accepted",
        "                value = _CONFIDENCES.get(value)",
        "                value = _CONFIDENCES.get(value.lower())",
    ),
    (
        "load",
        "<< accepted as an id",
        '                or key == "<<"\n',
        "",
    ),
    (
        "load",
        "an identities: key accepted",
        '        if key == "relations":\n            return self._relations(ev)\n        raise _Fallback',
        '        if key == "relations":\n            return self._relations(ev)\n        return {}',
    ),
    (
        "load",
        "a snapshot with its own problems kept in the timeline",
        "                docs.append((doc, snap if not doc.problems else None))",
        "                docs.append((doc, snap))",
    ),
]


def _copy(dest: Path) -> None:
    for name in ("orgdiff", "tests", "orgs"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")


def run(module: str, name: str, old: str, new: str, where: Path) -> bool:
    """Is the mutant killed?"""
    path = where / "orgdiff" / f"{module}.py"
    original = path.read_text()
    if original.count(old) != 1:
        raise SystemExit(
            f"{module}.py: {name}: the line to mutate occurs {original.count(old)} times"
        )
    path.write_text(original.replace(old, new))
    try:
        env = {**os.environ, "HYPOTHESIS_PROFILE": "mutation", "PYTHONPATH": str(where)}
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--no-cov"]
            + TESTS[module],
            cwd=where,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        path.write_text(original)
    return result.returncode != 0


def main(argv: list[str]) -> int:
    wanted = [m for m in MUTANTS if not argv or any(a in m[1] for a in argv)]
    survivors: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        _copy(where)
        for module, name, old, new in wanted:
            start = time.monotonic()
            killed = run(module, name, old, new, where)
            verdict = "killed" if killed else "SURVIVED"
            print(f"{verdict:8} {module}.py: {name} ({time.monotonic() - start:.0f} s)", flush=True)
            if not killed:
                survivors.append(f"{module}.py: {name}")
    print(f"{len(wanted) - len(survivors)} of {len(wanted)} killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
