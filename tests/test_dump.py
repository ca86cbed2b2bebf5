"""Canonical YAML output."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest
import strategies
from hypothesis import example, given
from hypothesis import strategies as st

import orgdiff
from orgdiff import Confidence, OrgdiffError, Person, Snapshot, Unit

EXAMPLE = Path(__file__).parent / "data" / "example"


def test_dump_is_tidy() -> None:
    """Defaults are left out, short entries take one line, every scalar stays plain."""
    snap = Snapshot(
        date=dt.date(2025, 9, 1),
        event="NO change, really: 010",
        units={"meta": Unit(id="meta", name="Meta", lead="mark-zuckerberg")},
        people={
            "mark-zuckerberg": Person(id="mark-zuckerberg", unit="meta", title="CEO"),
            "x": Person(id="x", unit="meta", confidence=Confidence.RUMOURED, sources=("s",)),
        },
    )
    expected = """\
date: 2025-09-01
event: 'NO change, really: 010'
units:
  meta: {name: Meta, lead: mark-zuckerberg}
people:
  mark-zuckerberg: {title: CEO, unit: meta}
  x: {unit: meta, confidence: rumoured, sources: [s]}
"""
    assert expected == orgdiff.dump(snap)
    assert snap == orgdiff.parse_snapshot(expected)


def test_dump_example_round_trips(tmp_path: Path) -> None:
    """Saving the example dataset and loading it back gives the same timeline."""
    tl = orgdiff.load(EXAMPLE)
    assert tl == orgdiff.load(orgdiff.save(tl, tmp_path / "copy"))
    for snap in tl:
        assert snap == orgdiff.parse_snapshot(orgdiff.dump(snap))


def test_save_refuses_to_overwrite(tmp_path: Path) -> None:
    """`save` does not replace a dataset unless asked to, and then removes stale snapshots."""
    tl = orgdiff.load(EXAMPLE)
    orgdiff.save(tl, tmp_path)
    with pytest.raises(OrgdiffError, match="already holds a dataset"):
        orgdiff.save(tl, tmp_path)
    shorter = orgdiff.Timeline(
        name=tl.name, snapshots=tl.snapshots[:2], sources=tl.sources, people=tl.people
    )
    orgdiff.save(shorter, tmp_path, overwrite=True)
    assert ["2022-01-10.yaml", "2023-03-01.yaml"] == sorted(
        p.name for p in (tmp_path / "snapshots").iterdir()
    )
    assert shorter == orgdiff.load(tmp_path)


def test_dump_rejects_other_types() -> None:
    """dump() takes a Snapshot or a Timeline."""
    with pytest.raises(TypeError, match="Snapshot or a Timeline"):
        orgdiff.dump({"date": "2020-01-01"})  # type: ignore[arg-type]


@given(
    st.dictionaries(
        st.sampled_from(["name", "parent", "lead", "from", "title", "unit", "note"]),
        st.one_of(
            st.text(alphabet="aZ09 ._/()'-,:#[]{}é\"!&*", min_size=1, max_size=12),
            st.lists(st.text(alphabet="az09 -:,'", min_size=1, max_size=8), min_size=1, max_size=3),
        ),
        min_size=1,
        max_size=5,
    )
)
@example({"name": "Ada Park", "lead": ["a-b", "c"], "note": "O'Neil (2024)."})
def test_flow_width_is_what_is_emitted(entry: dict[str, Any]) -> None:
    """Protects: the counted one-line width of an entry, when counted, is the emitted one."""
    from orgdiff.dump import _emit, _Flow, _flow_width

    width = _flow_width(entry)
    if entry == {"name": "Ada Park", "lead": ["a-b", "c"], "note": "O'Neil (2024)."}:
        assert len("{name: Ada Park, lead: [a-b, c], note: O'Neil (2024).}") == width
    if width is not None:
        assert len(_emit({"x": _Flow(entry)}).strip()) - 3 == width


_HOSTILE = st.one_of(
    st.sampled_from(
        [
            "yes",
            "no",
            "null",
            "~",
            "010",
            "1e3",
            "2025-09-01",
            "-x",
            "? x",
            "*x",
            "&x",
            "!x",
            "%x",
            "@x",
            "`x",
            "a: b",
            "a #b",
            "a  b",
            "trail ",
            " lead",
            "Éli",
            "楊立昆",
            "line\nbreak",
            "two\n\nbreaks\n",
            "O'Neil",
            '"q"',
            "[x]",
            "{x}",
            "a,b",
            "",
            "x" * 120,
        ]
    ),
    st.text(alphabet="aZ09 ._/()'-,:#[]{}é\"!&*?%@`|>~\n\t", min_size=1, max_size=12),
)


@st.composite
def _hostile_snapshots(draw: st.DrawFn) -> Snapshot:
    """A valid snapshot, then some of its names, titles and notes made hostile to YAML."""
    snap = draw(strategies.snapshots(max_units=5, max_people=6))
    units = {
        uid: attrs.evolve(u, name=draw(_HOSTILE), note=draw(st.none() | _HOSTILE))
        if draw(st.booleans())
        else u
        for uid, u in snap.units.items()
    }
    people = {
        pid: attrs.evolve(p, title=draw(_HOSTILE), note=draw(st.none() | _HOSTILE))
        if draw(st.booleans())
        else p
        for pid, p in snap.people.items()
    }
    return attrs.evolve(snap, units=units, people=people, note=draw(st.none() | _HOSTILE))


@given(_hostile_snapshots())
def test_fast_writer_is_pyyaml_byte_for_byte(snap: Snapshot) -> None:
    """Protects: writing plain entries directly gives PyYAML's very bytes, whatever the texts."""
    from orgdiff.dump import _emit, _snapshot

    assert _emit(_snapshot(snap)) == orgdiff.dump(snap)


@given(strategies.timelines(max_snapshots=2))
def test_fast_writer_is_pyyaml_for_datasets(tl: orgdiff.Timeline) -> None:
    """Protects: the dataset file written directly is PyYAML's very bytes."""
    from orgdiff.dump import _dataset, _emit, _snapshot

    assert _emit(_dataset(tl)) == orgdiff.dump(tl)
    for snap in tl:
        assert _emit(_snapshot(snap)) == orgdiff.dump(snap)


@pytest.mark.parametrize("folder", [EXAMPLE, Path(__file__).parents[1] / "orgs" / "meta-ai"])
def test_datasets_dump_as_pyyaml_does(folder: Path) -> None:
    """The example and Meta AI datasets: the fast writer gives PyYAML's bytes."""
    from orgdiff.dump import _dataset, _emit, _snapshot

    tl = orgdiff.load(folder)
    assert _emit(_dataset(tl)) == orgdiff.dump(tl)
    for snap in tl:
        assert _emit(_snapshot(snap)) == orgdiff.dump(snap)


@given(
    st.dictionaries(_HOSTILE, _HOSTILE, max_size=5),
    st.dictionaries(st.text(alphabet="aZ09 -", min_size=1, max_size=8), _HOSTILE, max_size=5),
)
def test_fast_writer_of_plain_mappings_is_pyyaml(
    people: dict[str, str], units: dict[str, str]
) -> None:
    """Protects: a mapping of text to text (the import's ``hr-ids.yaml``) written directly
    is PyYAML's very bytes, whatever the texts."""
    from orgdiff.dump import _emit, _fast

    body = {"people": people, "units": units}
    assert _emit(body) == _fast(body, ("people", "units"))


@given(st.text(alphabet="aZ09 ._/()'-,:#[]{}é\"!&*?%@`|>~\n\t", max_size=12))
@example("a (b)")
@example("a  b")
@example("a -b")
@example("a ")
def test_plain_text_pattern_is_the_per_character_one(text: str) -> None:
    """Protects: the plain-text pattern, written as runs for speed, accepts exactly the
    texts of its first form (one alternation per character, a space followed by a
    letter, a digit or an opening bracket)."""
    import re

    from orgdiff.dump import _PLAIN_FLOW

    first = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._/()'-]| (?=[A-Za-z0-9(]))*")
    assert (_PLAIN_FLOW.fullmatch(text) is None) == (first.fullmatch(text) is None)


@pytest.mark.parametrize("extra", [-2, -1, 0, 1, 2])
def test_entries_written_directly_at_the_width_limit(extra: int) -> None:
    """People and registered people written without PyYAML go from one line to a
    block exactly where PyYAML's entries do (``FLOW_WIDTH``), with and without a
    title, a manager, aliases, sources."""
    from orgdiff.dump import FLOW_WIDTH, _dataset, _emit, _snapshot

    title = "T" * (FLOW_WIDTH - len("{title: , unit: u, reports_to: b}") + extra)
    people = {
        "a": Person("a", "u", title=title, reports_to="b"),
        "b": Person("b", "u", title=title),
        "c": Person("c", "u", reports_to="b"),
        "d": Person("d", "u", title=title + "x", reports_to="b", sources=("s",)),
        "e": Person("e", "u", title=title, reports_to="b", confidence=Confidence.REPORTED),
        "f": Person("f", "u", title=f"{title[:-3]}: x", reports_to="b"),
    }
    snap = Snapshot(dt.date(2025, 1, 1), "e", {"u": Unit("u", "U")}, people)
    assert _emit(_snapshot(snap)) == orgdiff.dump(snap)
    name = "N" * (FLOW_WIDTH - len("{name: }") + extra)
    tl = orgdiff.Timeline(
        "x",
        (snap,),
        people={
            "a": orgdiff.Identity("a", name),
            "b": orgdiff.Identity("b", name[:-1], aliases=("Bee",)),
            "c": orgdiff.Identity("c", f"{name[:-2]}#x"),
        },
    )
    assert _emit(_dataset(tl)) == orgdiff.dump(tl)
    lines = orgdiff.dump(snap).splitlines()
    one_line = f"  a: {{title: {title}, unit: u, reports_to: b}}"
    assert (one_line in lines) == (extra <= 0)
