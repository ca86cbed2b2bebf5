"""Properties of charts of generated orgs with arbitrary Unicode names: the DOT is
valid, the SVG is well-formed, and every name, lead and title is drawn as
its own line of text, unchanged.

Graphviz's ``dot`` lays out a chart in ~20 ms, the WebAssembly build in ~0.9 s,
so examples are few (fewer still without ``dot``) and each one draws several
generated snapshots at once, side by side under one root (:func:`side_by_side`).
Without ``dot`` on PATH everything runs through the WebAssembly engine; nothing
is skipped.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import registries, snapshots

import orgdiff
from orgdiff import Diff, Identity, Person, Relation, Snapshot, Unit
from orgdiff.engine import engine_name, render_dot
from orgdiff.render import _clean, leads, render, wrap

DOT = shutil.which("dot")
#: Examples per property: SVG costs ~20 ms with dot, ~0.9 s with WebAssembly.
EXAMPLES = 25 if engine_name() == "dot" else 5

# --- helpers -----------------------------------------------------------------------


def normal(text: str) -> str:
    """``text`` as render.py cleans it, with runs of whitespace as one space.

    Graphviz keeps a run of spaces by writing every space after the first as
    ``&#160;``; collapsing whitespace on both sides makes them compare equal.
    """
    return " ".join(html.unescape(_clean(text)).split())


def svg_lines(svg: str) -> set[str]:
    """The text lines an SVG draws (one ``<text>`` element each), unescaped, normalised."""
    return {normal(html.unescape(t)) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)}


def assert_valid_dot(source: str) -> None:
    """Graphviz accepts ``source``: ``dot -Tcanon`` when dot is here, else the SVG
    made by the WebAssembly engine (which every caller makes anyway) vouches."""
    if DOT is None:
        return
    proc = subprocess.run(
        [DOT, "-Tcanon"], input=source.encode(), capture_output=True, timeout=60, check=False
    )
    stderr = proc.stderr.decode("utf-8", "replace")
    assert 0 == proc.returncode, stderr
    assert "error" not in stderr.lower(), stderr


def to_svg(graph_source: str) -> str:
    """SVG of ``graph_source`` from whichever engine orgdiff picks; it must be well-formed XML."""
    svg = render_dot(graph_source, "svg").decode("utf-8")
    ET.fromstring(svg)  # raises on a malformed SVG
    return svg


def assert_drawn(expected: Iterable[str], svg: str) -> None:
    """Each expected line is exactly one line of text in ``svg``."""
    drawn = svg_lines(svg)
    missing = sorted(line for line in expected if normal(line) not in drawn)
    assert [] == missing, sorted(drawn)


def person_name(snap: Snapshot, pid: str) -> str:
    return snap.name_of(pid)


def snapshot_lines(snap: Snapshot) -> Iterator[str]:
    """The text a full chart of ``snap`` must show: the title, unit names, people's
    names and titles; long ones wrapped (names of people never), each line whole.
    (A lead is a person: their name is drawn in their box.)"""
    yield from wrap(f"{snap.date.isoformat()}: {snap.event}", 80)
    for unit in snap.units.values():
        yield from wrap(unit.name)
    for person in snap.people.values():
        yield person_name(snap, person.id)
        if person.title is not None:
            yield from wrap(person.title)


@st.composite
def named_snapshots(draw: st.DrawFn, *, max_units: int = 5, max_people: int = 6) -> Snapshot:
    """A snapshot whose people have registry names: every name and title arbitrary Unicode."""
    registry = draw(registries(min_people=1, max_people=max_people))
    snap = draw(snapshots(max_units=max_units, max_people=max_people, registry=registry))
    return attrs.evolve(snap, identities=registry)


def side_by_side(snaps: Sequence[Snapshot]) -> Snapshot:
    """The snapshots as one, each tree under a common root, ids prefixed ``s<i>-``.

    Nothing of the input is renamed, so one chart shows every name of every snapshot.
    """

    def p(i: int, entity: str | None) -> str | None:
        return None if entity is None else f"s{i}-{entity}"

    units: dict[str, Unit] = {"all": Unit(id="all", name="All")}
    people: dict[str, Person] = {}
    relations: list[Relation] = []
    identities: dict[str, Identity] = {}
    for i, snap in enumerate(snaps):
        for unit in snap.units.values():
            uid = f"s{i}-{unit.id}"
            units[uid] = attrs.evolve(
                unit,
                id=uid,
                parent=p(i, unit.parent) or "all",
                leads=[f"s{i}-{q}" for q in unit.leads],
                from_=(),
            )
        for person in snap.people.values():
            pid = f"s{i}-{person.id}"
            people[pid] = attrs.evolve(
                person, id=pid, unit=f"s{i}-{person.unit}", reports_to=p(i, person.reports_to)
            )
            identities[pid] = Identity(pid, snap.name_of(person.id))
        relations += [
            attrs.evolve(r, from_=f"s{i}-{r.from_}", to=f"s{i}-{r.to}") for r in snap.relations
        ]
    return Snapshot(
        date=snaps[0].date,
        event=snaps[0].event,
        units=units,
        people=people,
        relations=tuple(relations),
        identities=identities,
    )


@contextmanager
def wasm_engine() -> Iterator[None]:
    """orgdiff renders through the WebAssembly engine, whatever is on PATH."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ORGDIFF_ENGINE", "wasm")
        assert "wasm" == engine_name()
        yield


# --- snapshots ------------------------------------------------------------------------


@settings(max_examples=EXAMPLES)
@given(st.lists(named_snapshots(), min_size=1, max_size=4))
def test_snapshot_charts_draw_every_name_as_text(snaps: list[Snapshot]) -> None:
    """Protects charts of any names: the DOT is valid, the SVG well-formed, and every
    unit name, lead, person name and title (CJK, quotes, backslashes, `<...>`,
    `\\N`, invisible characters...) is one line of text, unchanged."""
    snap = side_by_side(snaps)
    source = render(snap).source
    assert_valid_dot(source)
    assert_drawn(snapshot_lines(snap), to_svg(source))


@settings(max_examples=2)
@given(st.lists(named_snapshots(), min_size=4, max_size=6))
def test_the_webassembly_engine_draws_every_name_as_text(snaps: list[Snapshot]) -> None:
    """Protects the no-Graphviz install: the WebAssembly engine draws the same text
    for any names, even where dot is on PATH (a few batched examples: ~1 s each)."""
    snap = side_by_side(snaps)
    with wasm_engine():
        svg = to_svg(render(snap).source)
    assert_drawn(snapshot_lines(snap), svg)


# --- diffs ------------------------------------------------------------------------------


@st.composite
def diffs(draw: st.DrawFn) -> Diff:
    """A diff of two snapshots sharing a people registry: successive or unrelated."""
    registry = draw(registries(min_people=1, max_people=6))
    a = draw(snapshots(max_units=5, max_people=6, registry=registry))
    later = a.date + dt.timedelta(days=draw(st.integers(1, 400)))
    previous = a if draw(st.booleans()) else None
    b = draw(snapshots(max_units=5, max_people=6, registry=registry, previous=previous, date=later))
    a, b = (attrs.evolve(s, identities=registry) for s in (a, b))
    return orgdiff.diff(a, b)


def diff_lines(d: Diff) -> Iterator[str]:
    """The text a diff chart must show: both dates' units (a renamed one with its old
    name), people and titles, each at its later state where it has one."""
    a, b = d.before, d.after
    yield from wrap(f"{a.date.isoformat()} → {b.date.isoformat()}: {b.event}", 80)
    for uid, unit in {**a.units, **b.units}.items():
        yield from wrap(unit.name)
        if uid in a.units and uid in b.units and a.units[uid].name != unit.name:
            yield from wrap(f"formerly {a.units[uid].name}")
    for pid, person in {**a.people, **b.people}.items():
        yield person_name(b, pid)
        if person.title is not None:
            yield from wrap(person.title)


@settings(max_examples=EXAMPLES)
@given(diffs())
def test_diff_charts_render_with_every_name(d: Diff) -> None:
    """Protects diff charts of any two snapshots (shared ids or none, roots kept or
    replaced): the DOT is valid, the SVG well-formed, and the union of both dates'
    names, old names of renamed units, leads, people and titles is drawn as text."""
    source = render(d).source
    assert_valid_dot(source)
    assert_drawn(diff_lines(d), to_svg(source))


# --- once bugs ---------------------------------------------------------------------------


def test_entity_references_in_names_stay_text() -> None:
    """Protects the rule that every user string is text: a name that looks like an
    HTML character reference is drawn as written."""
    snap = Snapshot(date=dt.date(2020, 1, 1), event="e", units={"r": Unit(id="r", name="AT&amp;T")})
    assert "AT&amp;T" in svg_lines(to_svg(render(snap).source))


def test_svg_of_any_valid_name_is_well_formed_xml() -> None:
    """Protects charts that browsers and XML tools can open: a valid name never makes
    the SVG malformed."""
    snap = Snapshot(date=dt.date(2020, 1, 1), event="e", units={"r": Unit(id="r", name="a\uffff")})
    assert ["a unit name contains a control character or noncharacter (U+FFFF)"] == [
        p.message for p in orgdiff.validate(snap)
    ]
    ET.fromstring(render_dot(render(snap).source, "svg"))


# --- the shape of the DOT ------------------------------------------------------------


def nesting(source: str) -> tuple[list[int], list[int]]:
    """Depth of each unit's cluster and of each person node in DOT ``source``, by
    braces, counting units' clusters only (not a footer's or a stack's)."""
    clusters: list[int] = []
    people: list[int] = []
    opened: list[bool] = []  # for each open brace: is it a unit's cluster?
    for line in source.splitlines():
        text = line.strip()
        depth = sum(opened)
        if text.startswith("subgraph cluster_u"):
            clusters.append(depth)
            opened.append(True)
        elif text.startswith("subgraph ") or text == "{":
            opened.append(False)
        elif text == "}" and opened:
            opened.pop()
        elif re.match(r"p\d+ \[", text):
            people.append(depth)
    return clusters, people


def home(snap: Snapshot, pid: str) -> str:
    """The unit whose box holds a person: the highest unit they lead at or below their
    own unit (the unit's head), else their own unit."""
    unit = snap.people[pid].unit
    below = [unit, *snap.descendants(unit)]
    by_depth = sorted(below, key=lambda u: len(snap.ancestors(u)))
    return next((u for u in by_depth if pid in leads(snap.units[u])), unit)


@settings(max_examples=100)
@given(snapshots(max_units=12, max_people=20))
def test_clusters_nest_as_the_units_do(snap: Snapshot) -> None:
    """Protects the chart's nesting: each unit is a cluster inside its parent's,
    and each person a node inside their unit's cluster (or, for a lead, the
    cluster of the unit they head), however deep the tree."""
    source = render(snap, all=True).source
    clusters, people = nesting(source)
    unit_depth = {uid: len(snap.ancestors(uid)) for uid in snap.units}
    assert sorted(unit_depth.values()) == sorted(clusters)
    assert sorted(unit_depth[home(snap, p)] + 1 for p in snap.people) == sorted(people)
