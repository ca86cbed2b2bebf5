"""Diff reports: golden text and Markdown, JSON shape.

Regenerate the golden files on purpose with ``ORGDIFF_BLESS=1 uv run pytest tests/test_report.py``
and review the change in ``git diff`` before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import orgdiff
from orgdiff.report import diff_json, diff_markdown, diff_text, history_text, log_text

EXAMPLE = Path(__file__).parent / "data" / "example"
GOLDEN = Path(__file__).parent / "golden"
BLESS = os.environ.get("ORGDIFF_BLESS") == "1"

TL = orgdiff.load(EXAMPLE)

CASES = {
    "example-2022-2023.txt": lambda: diff_text(
        TL.diff("2022", "2023"), org=TL.name, sources=TL.sources
    ),
    "example-2023-2024.txt": lambda: diff_text(
        TL.diff("2023", "2024"), org=TL.name, sources=TL.sources
    ),
    "example-2024-2025.txt": lambda: diff_text(
        TL.diff("2024", "2025"), org=TL.name, sources=TL.sources
    ),
    "example-2022-2025.txt": lambda: diff_text(
        TL.diff("2022", "2025"), org=TL.name, sources=TL.sources
    ),
    "example-2025-2022.txt": lambda: diff_text(
        TL.diff("2025", "2022"), org=TL.name, sources=TL.sources
    ),
    "example-2023-2024.md": lambda: diff_markdown(
        TL.diff("2023", "2024"), org=TL.name, sources=TL.sources
    ),
    "example-2022-2025.md": lambda: diff_markdown(
        TL.diff("2022", "2025"), org=TL.name, sources=TL.sources
    ),
    "example-log.txt": lambda: log_text(TL.log(), TL.snapshots[0]),
    "example-history-dara-novak.txt": lambda: history_text(
        "dara-novak", TL.history("dara-novak"), TL.snapshots
    ),
    "example-history-platform.txt": lambda: history_text(
        "platform", TL.history("platform"), TL.snapshots
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str) -> None:
    """The report reads exactly as its reviewed golden file."""
    actual = CASES[name]()
    path = GOLDEN / name
    if BLESS:
        path.write_text(actual, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == actual


def test_json_shape() -> None:
    """JSON has from, to, changes (each with kind and id) and events."""
    data = json.loads(json.dumps(diff_json(TL.diff("2023", "2024"))))
    assert {"from", "to", "changes", "events"} <= set(data)
    assert "2023-03-01" == data["from"]
    assert "2024-06-03" == data["to"]
    assert all({"kind", "id", "sources", "confidence"} <= set(c) for c in data["changes"])
    removed = [c for c in data["changes"] if c["kind"] == "unit-removed"]
    assert [{"engineering": ["autonomy", "platform"]}] == [{c["id"]: c["into"]} for c in removed]
    assert "Engineering split into Autonomy and Platform" == data["events"][0]["text"]


def test_markdown_escapes_data() -> None:
    """Names cannot inject Markdown: brackets, stars and pipes are escaped."""
    import attrs

    a = TL.at("2024-06")
    units = dict(a.units)
    units["platform"] = attrs.evolve(units["platform"], name="*Pl|at[form](http://x)")
    b = attrs.evolve(a, units=units)
    text = diff_markdown(orgdiff.diff(a, b))
    assert r"\*Pl\|at\[form\](http://x)" in text
    assert "[form](http://x)" not in text.replace("\\[form\\]", "")


def test_empty_diff_says_so() -> None:
    """A diff with no change says 'No changes.' in text and Markdown."""
    snap = TL.at("2024")
    assert "No changes." in diff_text(orgdiff.diff(snap, snap))
    assert "No changes." in diff_markdown(orgdiff.diff(snap, snap))
