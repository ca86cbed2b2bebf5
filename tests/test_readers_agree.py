"""The fast reader and the careful reader agree: one minimal file per guard of the fast way.

The fast way (``_Builder``, models straight from libyaml's events) must give up
wherever the careful way (the strict walker, then cattrs) refuses a file, and
build the same models wherever it does not give up. Each row below is the
smallest file that trips one guard of the fast way; the careful way's exact
problems are stated beside it. A guard dropped from the fast way makes it accept
its row's file, and the test says so.
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import pytest

import orgdiff
from orgdiff import yamlread
from orgdiff.errors import OrgDataError, Problem

# (`orgdiff.load` the name is the function; the module is imported on first use)
loading = importlib.import_module("orgdiff.load")

S = "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n"
D = "name: D\n"

# (name, is dataset.yaml, the file, the careful way's problems as (line, column, path, message))
REFUSED: list[tuple[str, bool, str, list[tuple[int, int, str, str]]]] = [
    (
        "yaml directive",
        False,
        "%YAML 1.1\n---\ndate: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n",
        [(1, 1, "$", "%YAML directives are not allowed")],
    ),
    (
        "tag directive",
        False,
        "%TAG !e! tag:example.com,2000:\n---\ndate: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n",
        [(1, 1, "$", "%TAG directives are not allowed")],
    ),
    (
        "tag on the document",
        False,
        "--- !!map\ndate: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n",
        [(1, 5, "$", "tags (`!!map`) are not allowed")],
    ),
    (
        "anchor on the document",
        False,
        "--- &top\ndate: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n",
        [(1, 5, "$", "anchors (`&top`) are not allowed; write the value out")],
    ),
    (
        "a list, not a mapping",
        False,
        "- date: 2020-01-01\n  event: E\n  units:\n    org:\n      name: Org\n  ",
        [(1, 1, "$", "the top level must be a mapping, not a list")],
    ),
    (
        "two documents",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n---\ndate: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n",
        [(6, 1, "$", "a second YAML document; a file holds one document")],
    ),
    (
        "a top key twice",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\nevent: F\n",
        [(6, 1, "$.event", "duplicate key `event`; the first is on line 2")],
    ),
    (
        "a key that is a list",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n? [a]\n: x\n",
        [(6, 3, "$", "keys must be plain text")],
    ),
    (
        "an anchor on a key",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n&k note: x\n",
        [(6, 1, "$", "keys must be plain text")],
    ),
    (
        "a tag on a key",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n!!str note: x\n",
        [(6, 1, "$", "keys must be plain text")],
    ),
    (
        "a merge key at the top",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n<<: {note: x}\n",
        [(6, 1, "$['<<']", "merge keys (`<<`) are not allowed; write the keys out")],
    ),
    (
        "a key not in ASCII",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\nnöte: x\n",
        [(6, 1, "$['nöte']", "unknown key `nöte`; did you mean `note`?")],
    ),
    (
        "no date",
        False,
        "event: E\nunits:\n  org:\n    name: Org\n",
        [(1, 1, "$", "missing required key `date`")],
    ),
    (
        "no event",
        False,
        "date: 2020-01-01\nunits:\n  org:\n    name: Org\n",
        [(1, 1, "$", "missing required key `event`")],
    ),
    (
        "no units",
        False,
        "date: 2020-01-01\nevent: E\n",
        [(1, 1, "$", "missing required key `units`")],
    ),
    (
        "an unknown top key",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\nidentities: x\n",
        [
            (
                6,
                1,
                "$.identities",
                "unknown key `identities`; allowed: date, event, units, people, relations, sources, note",
            )
        ],
    ),
    (
        "text that is a list",
        False,
        "date: 2020-01-01\nevent: [E]\nunits:\n  org:\n    name: Org\n",
        [(2, 8, "$.event", "expected text, got a list")],
    ),
    (
        "an anchor on text",
        False,
        "date: 2020-01-01\nevent: &e E\nunits:\n  org:\n    name: Org\n",
        [(2, 8, "$.event", "anchors (`&e`) are not allowed; write the value out")],
    ),
    (
        "an anchor on a list where text goes",
        False,
        "date: 2020-01-01\nevent: &e [E]\nunits:\n  org:\n    name: Org\n",
        [
            (2, 8, "$.event", "anchors (`&e`) are not allowed; write the value out"),
            (2, 8, "$.event", "expected text, got a list"),
        ],
    ),
    (
        "an anchor in a file whose text holds all three marks",
        False,
        'date: 2020-01-01\nevent: "R&D!*"\nunits:\n  org: &o {name: Org}\n',
        [(4, 8, "$.units.org", "anchors (`&o`) are not allowed; write the value out")],
    ),
    (
        "a tag on text",
        False,
        "date: 2020-01-01\nevent: !!str E\nunits:\n  org:\n    name: Org\n",
        [(2, 8, "$.event", "tags (`!!str`) are not allowed")],
    ),
    (
        "empty text",
        False,
        "date: 2020-01-01\nevent: ''\nunits:\n  org:\n    name: Org\n",
        [(2, 8, "$.event", "empty value; leave the key out instead")],
    ),
    (
        "a date that is no date",
        False,
        "date: 2020-02-30\nevent: E\nunits:\n  org:\n    name: Org\n",
        [(1, 7, "$.date", "`2020-02-30`: February 2020 has days 1 to 29")],
    ),
    (
        "ids that are not a list",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\nsources: memo\n",
        [(6, 10, "$.sources", "expected a list such as `[a, b]`, got `memo`")],
    ),
    (
        "an anchor on an id list",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\nsources: &s [memo]\n",
        [(6, 10, "$.sources", "anchors (`&s`) are not allowed; write the value out")],
    ),
    (
        "a tag on an id list",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\nsources: !!seq [memo]\n",
        [(6, 10, "$.sources", "tags (`!!seq`) are not allowed")],
    ),
    (
        "an anchor on an id",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\nsources: [&m memo]\n",
        [(6, 11, "$.sources[0]", "anchors (`&m`) are not allowed; write the value out")],
    ),
    (
        "a tag on an id",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\nsources: [!!str memo]\n",
        [(6, 11, "$.sources[0]", "tags (`!!str`) are not allowed")],
    ),
    (
        "an empty id",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\nsources: ['']\n",
        [(6, 10, "$.sources", "item 1 of the list is empty; expected text")],
    ),
    (
        "an empty list item",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\nsources:\n  -\n",
        [(7, 3, "$.sources", "item 1 of the list is empty; expected text")],
    ),
    (
        "a list in an id list",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\nsources: [[memo]]\n",
        [(6, 10, "$.sources", "item 1 of the list is a list; expected text")],
    ),
    (
        "relations that are not a list",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\nrelations: {kind: x}\n",
        [(6, 12, "$.relations", "expected a list of relations, got a mapping")],
    ),
    (
        "an anchor on the relations",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\nrelations: &r []\n",
        [(6, 12, "$.relations", "anchors (`&r`) are not allowed; write the value out")],
    ),
    (
        "an anchor on a relation",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\nrelations:\n  - &r {kind: co-lead, from: org, to: org}\n",
        [(7, 5, "$.relations[0]", "anchors (`&r`) are not allowed; write the value out")],
    ),
    (
        "a tag on a relation",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\nrelations:\n  - !!map {kind: co-lead, from: org, to: org}\n",
        [(7, 5, "$.relations[0]", "tags (`!!map`) are not allowed")],
    ),
    (
        "a relation that is text",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\nrelations:\n  - co-lead\n",
        [(7, 5, "$.relations[0]", "expected a mapping (`key: value` lines), got `co-lead`")],
    ),
    (
        "units that are a list",
        False,
        "date: 2020-01-01\nevent: E\nunits: [org]\n",
        [(3, 8, "$.units", "expected a mapping of ids, got a list")],
    ),
    (
        "an anchor on the units",
        False,
        "date: 2020-01-01\nevent: E\nunits: &u\n  org:\n    name: Org\n",
        [(3, 8, "$.units", "anchors (`&u`) are not allowed; write the value out")],
    ),
    (
        "a unit id that is a list",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n  ? [x]\n  : {name: X}\n",
        [(6, 5, "$.units", "keys must be plain text")],
    ),
    (
        "an anchor on a unit id",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n  &x x: {name: X, parent: org}\n",
        [(6, 3, "$.units", "keys must be plain text")],
    ),
    (
        "a tag on a unit id",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n  !!str x: {name: X, parent: org}\n",
        [(6, 3, "$.units", "keys must be plain text")],
    ),
    (
        "a unit id twice",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n  org:\n    name: Org\n",
        [(6, 3, "$.units.org", "duplicate key `org`; the first is on line 4")],
    ),
    (
        "a merge key as a unit id",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n  <<: {name: X}\n",
        [(6, 3, "$.units['<<']", "merge keys (`<<`) are not allowed; write the keys out")],
    ),
    (
        "a unit that is text",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n  x: X\n",
        [(6, 6, "$.units.x", "expected a mapping (`key: value` lines), got `X`")],
    ),
    (
        "an anchor on a unit",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n  x: &x {name: X, parent: org}\n",
        [(6, 6, "$.units.x", "anchors (`&x`) are not allowed; write the value out")],
    ),
    (
        "an unknown field",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n    colour: red\n",
        [
            (
                6,
                5,
                "$.units.org.colour",
                "unknown key `colour`; allowed: name, parent, lead, from, confidence, sources, note",
            )
        ],
    ),
    (
        "an anchor on a field name",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n    &n note: x\n",
        [(6, 5, "$.units.org", "keys must be plain text")],
    ),
    (
        "a field twice",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n    name: Org\n",
        [(6, 5, "$.units.org.name", "duplicate key `name`; the first is on line 5")],
    ),
    (
        "a field that is a list",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n    parent: [x]\n",
        [(6, 13, "$.units.org.parent", "expected text, got a list")],
    ),
    (
        "an anchor on a field value",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n    note: &n x\n",
        [(6, 11, "$.units.org.note", "anchors (`&n`) are not allowed; write the value out")],
    ),
    (
        "a tag on a field value",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n    note: !!str x\n",
        [(6, 11, "$.units.org.note", "tags (`!!str`) are not allowed")],
    ),
    (
        "an empty field value",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n    note: ''\n",
        [(6, 11, "$.units.org.note", "empty value; leave the key out instead")],
    ),
    (
        "confidence in capitals",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n    confidence: Reported\n",
        [
            (
                6,
                17,
                "$.units.org.confidence",
                "confidence is one of confirmed, reported, rumoured, not `Reported`; did you mean `reported`?",
            )
        ],
    ),
    (
        "a unit with no name",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  org:\n    name: Org\n  x:\n    parent: org\n",
        [(7, 5, "$.units.x", "missing required key `name`")],
    ),
    (
        "a relation note that is a list",
        False,
        S + "relations:\n  - {kind: k, from: org, to: org, note: [x]}\n",
        [(7, 41, "$.relations[0].note", "expected text, got a list")],
    ),
    (
        "an empty relation note",
        False,
        S + "relations:\n  - {kind: k, from: org, to: org, note: ''}\n",
        [(7, 41, "$.relations[0].note", "empty value; leave the key out instead")],
    ),
    (
        "a relation with no from",
        False,
        S + "relations:\n  - {kind: k, to: org}\n",
        [(7, 5, "$.relations[0]", "missing required key `from`")],
    ),
    (
        "a relation's from that is a list",
        False,
        S + "relations:\n  - {kind: k, from: [org], to: org}\n",
        [(7, 21, "$.relations[0].from", "expected text, got a list")],
    ),
    (
        "a relation's sources that are text",
        False,
        S + "relations:\n  - {kind: k, from: org, to: org, sources: memo}\n",
        [(7, 44, "$.relations[0].sources", "expected a list such as `[a, b]`, got `memo`")],
    ),
    (
        "an alias, then units that are a list",
        False,
        "note: &e E\ndate: 2020-01-01\nevent: *e\nunits: [org]\n",
        [
            (1, 7, "$.note", "anchors (`&e`) are not allowed; write the value out"),
            (3, 8, "$.event", "aliases (`*e`) are not allowed; write the value out"),
            (4, 8, "$.units", "expected a mapping of ids, got a list"),
        ],
    ),
    (
        "a unit that is text, then a unit",
        False,
        "date: 2020-01-01\nevent: E\nunits:\n  x: X\n  org:\n    name: Org\n",
        [(4, 6, "$.units.x", "expected a mapping (`key: value` lines), got `X`")],
    ),
    (
        "a unit's note that is a list, its keys in another order than the file writer's",
        False,
        S + "  lab: {parent: org, name: Lab, note: [x]}\n",
        [(6, 39, "$.units.lab.note", "expected text, got a list")],
    ),
    (
        "a lead listed twice",
        False,
        S + "  lab: {name: Lab, parent: org, lead: [ana, ana]}\n",
        [(6, 45, "$.units.lab.lead[1]", "`ana` is listed twice as a lead (first at [0])")],
    ),
    (
        "an empty list of leads",
        False,
        S + "  lab: {name: Lab, parent: org, lead: []}\n",
        [(6, 39, "$.units.lab.lead", "an empty list; leave the key out when no lead is known")],
    ),
    ("dataset: no name", True, "description: D\n", [(1, 1, "$", "missing required key `name`")]),
    (
        "dataset: a source with a key",
        True,
        "name: D\nsources:\n  memo: {key: memo, title: M}\n",
        [(3, 10, "$.sources.memo.key", "unknown key `key`; an entry's key is its key above")],
    ),
    (
        "dataset: a person with an id",
        True,
        "name: D\npeople:\n  ana: {id: ana, name: Ana}\n",
        [(3, 9, "$.people.ana.id", "unknown key `id`; an entry's id is its key above")],
    ),
    (
        "dataset: a source with an unknown key",
        True,
        "name: D\nsources:\n  memo: {title: M, kex: x}\n",
        [
            (
                3,
                20,
                "$.sources.memo.kex",
                "unknown key `kex`; allowed: title, publisher, url, date, note",
            )
        ],
    ),
    (
        "dataset: an unknown key",
        True,
        "name: D\nidentities: {}\n",
        [
            (
                2,
                1,
                "$.identities",
                "unknown key `identities`; allowed: name, description, sources, people",
            )
        ],
    ),
    (
        "dataset: a source date that is no date",
        True,
        "name: D\nsources:\n  memo:\n    title: M\n    date: 2020-13-01\n",
        [
            (
                5,
                11,
                "$.sources.memo.date",
                "`2020-13-01`: month 13 does not exist; use YYYY, YYYY-MM, YYYY-MM-DD, latest or today",
            )
        ],
    ),
    (
        "dataset: a person with no name",
        True,
        "name: D\npeople:\n  ana:\n    aliases: [A]\n",
        [(4, 5, "$.people.ana", "missing required key `name`")],
    ),
]


def fast(raw: bytes, *, dataset: bool) -> object:
    """What the fast way builds from ``raw``, or None where it gives up."""
    clean = yamlread.clean_utf8(raw)
    assert clean is not None
    builder = loading._Builder()
    try:
        return builder.dataset(clean) if dataset else builder.snapshot(clean, None)
    except loading._Fallback:
        return None


def careful(raw: bytes, *, dataset: bool) -> tuple[object, list[tuple[int, int, str, str]]]:
    """What the careful way builds from ``raw``, and its problems."""
    doc = yamlread.read_bytes(raw, "<file>")
    built = (loading.structure_dataset if dataset else loading.structure_snapshot)(doc)
    return built, [(p.line, p.column, p.path, p.message) for p in doc.problems]


@pytest.mark.parametrize(
    ("dataset", "text", "problems"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_the_fast_way_gives_up_where_the_careful_way_refuses(
    dataset: bool, text: str, problems: list[tuple[int, int, str, str]]
) -> None:
    """Protects: the fast way never accepts a file the careful way refuses."""
    raw = text.encode()
    assert (None, problems) == careful(raw, dataset=dataset)
    assert None is fast(raw, dataset=dataset)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        pytest.param(S, "name", "Org", id="the minimal file"),
        pytest.param(S + "    note: ~\n", "note", "~", id="a tilde is text"),
        pytest.param(S + "    note: 'x: y'\n", "note", "x: y", id="quoted text"),
        pytest.param(S + "    confidence: reported\n", "confidence", "reported", id="confidence"),
        pytest.param(S + "    from: []\n", "from_", (), id="an empty id list"),
    ],
)
def test_both_ways_build_the_same_minimal_snapshot(text: str, field: str, value: object) -> None:
    """Protects: where the fast way does not give up, it builds what the careful way builds."""
    raw = text.encode()
    built = fast(raw, dataset=False)
    assert built is not None
    assert (built, []) == careful(raw, dataset=False)
    assert isinstance(built, orgdiff.Snapshot)
    assert value == getattr(built.units["org"], field)


def test_an_id_not_in_ascii_is_left_to_the_careful_way() -> None:
    """The fast way gives up on a non-ASCII id; the careful way reads it (validation refuses it)."""
    raw = (S + "  ünit: {name: X, parent: org}\n").encode()
    assert None is fast(raw, dataset=False)
    built, problems = careful(raw, dataset=False)
    assert [] == problems
    assert isinstance(built, orgdiff.Snapshot)
    assert ["org", "ünit"] == list(built.units)


def test_both_ways_build_the_same_relations() -> None:
    """Protects: relations are read the fast way (lists of sources, a confidence,
    keys in any order) and built as the careful way builds them."""
    raw = (
        S + "relations:\n"
        "  - {kind: co-lead, from: org, to: org}\n"
        "  - {to: org, note: N, sources: [memo, memo2], confidence: rumoured, from: org, kind: k}\n"
        "  - {kind: k, from: org, to: org, sources: []}\n"
    ).encode()
    built = fast(raw, dataset=False)
    assert isinstance(built, orgdiff.Snapshot)
    assert (built, []) == careful(raw, dataset=False)
    assert (
        orgdiff.Relation(kind="co-lead", from_="org", to="org"),
        orgdiff.Relation(
            kind="k",
            from_="org",
            to="org",
            confidence=orgdiff.Confidence.RUMOURED,
            sources=("memo", "memo2"),
            note="N",
        ),
        orgdiff.Relation(kind="k", from_="org", to="org"),
    ) == built.relations
    assert built.relations[1].confidence is orgdiff.Confidence.RUMOURED


def test_both_ways_build_the_same_dataset_and_top_level_fields() -> None:
    """Protects: a whole ``dataset.yaml`` (name, description, people, sources with
    every field) and a snapshot's own ``note`` and ``sources`` are read the fast
    way, and built as the careful way builds them."""
    raw = (
        b"name: D\ndescription: About D\n"
        b"people:\n  ana: {name: Ana}\n  bo: {name: Bo, aliases: [B, Bob]}\n"
        b"sources:\n  memo: {title: M, publisher: P, url: https://example.com/m,"
        b" date: 2020-01-02, note: N}\n"
    )
    built = fast(raw, dataset=True)
    assert isinstance(built, loading.Dataset)
    assert (built, []) == careful(raw, dataset=True)
    assert ("D", "About D", ["ana", "bo"], ("B", "Bob")) == (
        built.name,
        built.description,
        list(built.people),
        built.people["bo"].aliases,
    )
    assert (
        orgdiff.Source(
            key="memo",
            title="M",
            publisher="P",
            url="https://example.com/m",
            date=dt.date(2020, 1, 2),
            note="N",
        )
        == built.sources["memo"]
    )
    snap_raw = (S + "note: A note\nsources: [memo]\n").encode()
    snap = fast(snap_raw, dataset=False)
    assert isinstance(snap, orgdiff.Snapshot)
    assert (snap, []) == careful(snap_raw, dataset=False)
    assert ("A note", ("memo",)) == (snap.note, snap.sources)


def test_a_dataset_the_fast_way_gives_up_on_is_read_the_careful_way() -> None:
    """A valid ``dataset.yaml`` the fast way leaves (a person id not in ASCII) is
    built by the careful way, with no problems."""
    raw = "name: D\npeople:\n  \u00e4na: {name: Ana}\n".encode()
    assert None is fast(raw, dataset=True)
    built, problems = careful(raw, dataset=True)
    assert [] == problems
    assert isinstance(built, loading.Dataset)
    assert ("D", ["\u00e4na"]) == (built.name, list(built.people))


def test_a_snapshot_with_its_own_problems_is_left_out_of_the_timeline(tmp_path: Path) -> None:
    """A snapshot refused on its own is not checked against the others: the next one's
    `from` is not reported against it."""
    (tmp_path / "snapshots").mkdir()
    (tmp_path / "dataset.yaml").write_text(D)
    (tmp_path / "snapshots" / "2020-01-01.yaml").write_text(S.replace("2020-01-01", "2019-12-31"))
    (tmp_path / "snapshots" / "2021-01-01.yaml").write_text(
        S.replace("2020-01-01", "2021-01-01") + "    from: [gone]\n"
    )
    with pytest.raises(OrgDataError) as error:
        orgdiff.load(tmp_path)
    shown = str(tmp_path / "snapshots" / "2020-01-01.yaml")
    assert [
        Problem(
            shown,
            1,
            7,
            "$.date",
            "the date `2019-12-31` does not match the file name `2020-01-01.yaml`",
        )
    ] == error.value.problems
