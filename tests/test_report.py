"""Diff reports: golden text and Markdown, JSON shape.

Regenerate the golden files on purpose with ``ORGDIFF_BLESS=1 uv run pytest tests/test_report.py``
and review the change in ``git diff`` before committing it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_diff_properties import pairs

import orgdiff
from orgdiff import Change, Snapshot
from orgdiff.errors import UnknownIdError
from orgdiff.model import Confidence
from orgdiff.report import (
    Citations,
    cells,
    diff_json,
    diff_markdown,
    diff_text,
    history_text,
    log_text,
)
from orgdiff.scope import describe_scope, narrow

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
    "example-2022-2025.md": lambda: diff_markdown(  # the snapshots between listed, as the CLI does
        TL.diff("2022", "2025"), org=TL.name, sources=TL.sources, between=TL.snapshots[1:-1]
    ),
    "example-log.txt": lambda: log_text(TL.log(), TL.snapshots[0]),
    "example-history-dara-novak.txt": lambda: history_text(
        "dara-novak", TL.history("dara-novak"), TL.snapshots, sources=TL.sources
    ),
    "example-history-platform.txt": lambda: history_text(
        "platform", TL.history("platform"), TL.snapshots, sources=TL.sources
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


# --- citations, wrapping, colours ---------------------------------------------------------


@pytest.mark.parametrize(
    ("calls", "last"),
    [
        ([["a"]], "[1]"),
        ([["a", "b"]], "[1,2]"),
        ([["a", "b", "c"]], "[1-3]"),
        ([["a", "b", "c", "d"], ["x", "d", "b"]], "[2,4,5]"),
        ([["a", "b", "c", "d", "e"], ["e", "a", "b", "c"]], "[1-3,5]"),
        ([["a"], []], ""),
        ([["a", "a"]], "[1]"),
    ],
)
def test_citations_number_sources_in_order_of_first_citation(
    calls: list[list[str]], last: str
) -> None:
    """A source keeps the number of its first citation; runs of three or more read as ranges."""
    cites = Citations()
    out = [cites.cite(keys) for keys in calls]
    assert last == out[-1]


def test_text_report_fits_the_width_it_is_given() -> None:
    """At 60 columns no line is longer, unless one word alone is (none in the example)."""
    text = diff_text(TL.diff("2022", "2025"), org=TL.name, sources=TL.sources, width=60)
    assert 60 >= max(len(line) for line in text.splitlines())
    wide = diff_text(TL.diff("2022", "2025"), org=TL.name, sources=TL.sources, width=200)
    assert wide.split() == text.split()


def test_each_change_is_listed_once_and_events_only_group() -> None:
    """Every change has one line under Changes; Events lists only events of two or more changes."""
    d = TL.diff("2023", "2024")
    text = diff_text(d, org=TL.name, sources=TL.sources, width=1000)
    changes = text.split("\nChanges\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert [f"  {c.kind.value}" for c in d.changes] == [
        line[: len(c.kind.value) + 2] for line, c in zip(changes, d.changes, strict=True)
    ]
    events = text.split("\nEvents\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert [f"  • {e.text} [1]" for e in d.events if len(e.changes) > 1] == events
    assert 4 == len(events)


def test_colour_is_exact_and_per_line() -> None:
    """With colour: added green, removed red, changed yellow, each physical line closed."""
    d = TL.diff("2023", "2024")
    text = diff_text(d, org=TL.name, sources=TL.sources, width=1000, colour=True)
    assert (
        "\x1b[32m  unit-added              autonomy: Autonomy (from Engineering) [1]\x1b[0m"
        in text.splitlines()
    )
    assert (
        "\x1b[31m  unit-removed            engineering: Engineering (into Autonomy, Platform) [1]"
        "\x1b[0m" in text.splitlines()
    )
    assert (
        "\x1b[33m  unit-renamed            research: Research Lab renamed Applied Research [1]"
        "\x1b[0m" in text.splitlines()
    )
    plain = diff_text(d, org=TL.name, sources=TL.sources, width=1000)
    assert "\x1b" not in plain
    assert plain == re.sub(r"\x1b\[[0-9;]*m", "", text)


# --- narrowing a diff ------------------------------------------------------------------


def _in_subtree(snap: Snapshot, unit: str | None, focus: str) -> bool:
    """Oracle: ``unit`` is ``focus`` or below it in ``snap`` (through `ancestors`)."""
    return unit in snap.units and (unit == focus or focus in snap.ancestors(unit))


@given(pairs(), st.data())
def test_focus_keeps_exactly_the_changes_about_the_subtree(
    pair: tuple[Snapshot, Snapshot], data: st.DataObject
) -> None:
    """Protects `--focus` on reports: a change is kept iff its unit (a unit's own
    id, a person's unit, either end of a relation) lies in the focused subtree at
    either date; the kept ones keep their order, and the events tell only them."""
    a, b = pair
    d = orgdiff.diff(a, b)
    focus = data.draw(st.sampled_from(sorted({*a.units, *b.units})))

    def unit_in(uid: str | None) -> bool:
        return any(_in_subtree(s, uid, focus) for s in (a, b))

    def person_in(pid: str) -> bool:
        return any(pid in s.people and unit_in(s.people[pid].unit) for s in (a, b))

    def about(c: Change) -> bool:
        if c.kind.value.startswith("person-"):
            return person_in(c.id)
        if c.kind.value.startswith("relation-"):
            ends = [c.id.split("/")[0], c.id.split("/")[-1]]
            return any(person_in(e) if e in a.people or e in b.people else unit_in(e) for e in ends)
        return unit_in(c.id)

    narrowed = narrow(d, focus=focus)
    assert [c for c in d.changes if about(c)] == list(narrowed.changes)
    told = [c for e in narrowed.events for c in e.changes]
    assert sorted(told, key=Change.sort_key) == list(narrowed.changes)


@given(pairs(), st.integers(0, 3), st.booleans())
def test_depth_and_units_only_narrow_to_a_subset(
    pair: tuple[Snapshot, Snapshot], depth: int, units_only: bool
) -> None:
    """Protects `--depth`/`--units-only` on reports: the kept changes are a
    subsequence of the diff's; units only keeps no person change; a deeper
    limit keeps at least as much."""
    d = orgdiff.diff(*pair)
    narrowed = narrow(d, depth=depth, units_only=units_only)
    kept = list(narrowed.changes)
    assert kept == [c for c in d.changes if c in kept]
    if units_only:
        assert not [c for c in kept if c.kind.value.startswith("person-")]
    deeper = narrow(d, depth=depth + 1, units_only=units_only)
    assert set(kept) <= set(deeper.changes)
    assert d is narrow(d)


def test_an_unknown_focus_names_the_closest_unit() -> None:
    """A misspelt focus: UnknownIdError with a did-you-mean over both dates' units."""
    with pytest.raises(UnknownIdError) as info:
        narrow(TL.diff("2023", "2024"), focus="enginering")
    assert "no unit `enginering` on 2023-03-01 or 2024-06-03; did you mean `engineering`?" == str(
        info.value
    )


def test_history_folds_evidence_unless_verbose() -> None:
    """An evidence-only entry is counted at the end, or listed with verbose."""
    import attrs

    snaps = list(TL.snapshots)
    last = snaps[-1]
    people = dict(last.people)
    people["ada-park"] = attrs.evolve(people["ada-park"], confidence=Confidence.REPORTED)
    snaps[-1] = attrs.evolve(last, people=people)
    tl = attrs.evolve(TL, snapshots=tuple(snaps))
    entries = tl.history("ada-park")
    assert ["appeared", "evidence"] == ["appeared" if h.appeared else h.kind for h in entries]
    folded = history_text("ada-park", entries, tl.snapshots)
    assert folded.endswith(
        "\n(1 snapshot updated only sources, confidence or notes; --verbose shows them)\n"
        "\nSources\n  [1] founding-post\n"
    )
    verbose = history_text("ada-park", entries, tl.snapshots, verbose=True)
    assert verbose.endswith(
        "    sources, confidence or note updated\n\nSources\n  [1] founding-post\n  [2] split-memo\n"
    )


@given(pairs())
def test_every_change_is_told_by_exactly_one_event(pair: tuple[Snapshot, Snapshot]) -> None:
    """Protects the report's structure: each change belongs to one event (so a
    report that lists grouped events and then every change says nothing twice
    as an event), forwards and inverted."""
    d = orgdiff.diff(*pair)
    for x in (d, d.inverse()):
        told = sorted((c for e in x.events for c in e.changes), key=Change.sort_key)
        assert list(x.changes) == told
        assert all(len(e.changes) >= 1 for e in x.events)


@pytest.mark.parametrize(
    ("focus", "depth", "units_only", "words"),
    [
        (None, None, False, None),
        ("msl", None, False, "only `msl` and below"),
        ("msl", 0, False, "only `msl`"),
        ("msl", 2, True, "only `msl` and 2 levels below it, units only"),
        (None, 1, False, "only the top unit and 1 level below it"),
        (None, 0, False, "only the top unit"),
        (None, None, True, "units only"),
    ],
)
def test_a_narrowed_report_says_how(
    focus: str | None, depth: int | None, units_only: bool, words: str | None
) -> None:
    """The words a narrowed report's header uses for --focus, --depth, --units-only."""
    assert words == describe_scope(focus=focus, depth=depth, units_only=units_only)


@pytest.mark.parametrize(
    ("text", "columns"),
    [("Yann", 4), ("楊立昆", 6), ("e\u0301", 1), ("新智元 (Xinzhiyuan)", 19), ("", 0)],
)
def test_cells_counts_terminal_columns(text: str, columns: int) -> None:
    """Wide (CJK) characters take two columns, combining marks none: wrapping counts these."""
    assert columns == cells(text)


@given(st.text(st.characters(codec="utf-8") | st.sampled_from("a 楊\u0301é→"), max_size=12))
def test_cells_counts_each_character_by_the_same_rule(text: str) -> None:
    """Protects: ``cells``' shortcuts (an ASCII text counted by its length; only
    the other characters looked at one by one) give what the rule gives for
    each character: none for a combining mark, two for a wide one, else one."""
    import unicodedata

    assert cells(text) == sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def test_no_ascii_character_is_wide_or_combining() -> None:
    """Protects: ``cells``' shortcut for ASCII text (as many columns as characters)."""
    import unicodedata

    assert [] == [
        code
        for code in range(128)
        if unicodedata.combining(chr(code)) or unicodedata.east_asian_width(chr(code)) in "WF"
    ]
