"""The shortcuts that make a cold load fast say nothing the slow way would not.

Validation first checks many values at once in C loops (``_all_ids``,
``_all_clean``, ``_no_cycle``) and runs the one-by-one check, which words every
problem, only when a shortcut says no; the fast reader takes the previous
snapshot's object for an entry whose fields are all the same, and looks at
events for anchors and tags only in files that hold a byte that can start one.
Each property here names the invariant that makes a shortcut safe; each example
shows the shortcut is taken where it should be (a shortcut that never says yes
would be safe and useless).
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import orgdiff
from orgdiff.model import Identity, Person, Source, Unit
from orgdiff.yamlread import clean_utf8
from tests.strategies import ids, texts

# The modules, not the functions of the same names that `orgdiff` exports.
loading = importlib.import_module("orgdiff.load")
validate = importlib.import_module("orgdiff.validate")

# Texts of any characters, with the ones the checks look at often.
_AWKWARD = st.text(
    st.characters(codec="utf-8") | st.sampled_from(" \n\r\t\x85\u2028\u202e\ufdd0\ufffe\x00"),
    max_size=8,
)


def test_printable_text_holds_no_character_the_text_check_looks_at() -> None:
    """Protects: ``_bad_text``'s ``isprintable()`` shortcut. Every code point
    that ``str.isprintable`` accepts is one that ``_SUSPECT`` does not match."""
    suspect = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if chr(code).isprintable() and validate._SUSPECT.match(chr(code))
    ]
    assert [] == suspect


@given(st.lists(_AWKWARD | st.none() | texts(), max_size=6))
def test_all_clean_says_yes_only_when_no_text_has_a_problem(values: list[str | None]) -> None:
    """Protects: a text problem is never skipped: when ``_all_clean`` says yes,
    ``_bad_text`` finds nothing in any of the values."""
    if validate._all_clean(values):
        assert [] == [v for v in values if v is not None and validate._bad_text(v, "x")]


def test_all_clean_says_yes_to_ordinary_texts() -> None:
    assert validate._all_clean(["Head of Research", None, "Café ☕", "研究"])
    assert not validate._all_clean(["Head of Research", " padded"])
    assert not validate._all_clean(["two\nlines"])  # a note's line break: looked at one by one
    assert not validate._all_clean([""])


@given(st.lists(ids() | _AWKWARD | st.text("a-\n", max_size=4), max_size=6))
def test_all_ids_says_yes_exactly_when_every_id_is_well_formed(values: list[str]) -> None:
    """Protects: an id problem is never skipped. ``_all_ids`` joins the ids
    one a line and looks at the bytes: texts of letters, hyphens and line
    breaks (an id with a line break in it, hyphens next to the joins) say yes
    exactly when the one-by-one check finds nothing."""
    assert validate._all_ids(values) == all(validate._bad_id(v) is None for v in values)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], True),
        (["a", "b-c", "x0-9"], True),
        ([""], False),
        (["a", ""], False),
        (["", "a"], False),
        (["a", "", "b"], False),
        (["a\nb"], False),
        (["a-", "b"], False),
        (["a", "-b"], False),
        (["a--b"], False),
        (["A"], False),
        (["é"], False),
        (["a"] * 9000, True),  # three texts of a few thousand ids
        (["a"] * 5000 + ["-b"], False),  # a problem in the second text
        (["a"] * 4096 + [""], False),  # a text of one empty id
    ],
)
def test_all_ids_at_the_joins(values: list[str], expected: bool) -> None:
    assert expected == validate._all_ids(values)


@st.composite
def functional_graphs(draw: st.DrawFn) -> dict[str, str | None]:
    """Nodes each pointing to one target: another node, None, or an id outside."""
    nodes = draw(st.lists(st.sampled_from("abcdefghij"), unique=True, max_size=10))
    targets = st.sampled_from([*nodes, None, "outside"])
    return {node: draw(targets) for node in nodes}


def _no_cycle(edges: dict[str, str | None]) -> bool:
    return bool(validate._no_cycle(edges, list(edges.values())))


@given(functional_graphs())
def test_no_cycle_says_yes_only_when_there_is_no_cycle(edges: dict[str, str | None]) -> None:
    """Protects: a reporting cycle is never skipped."""
    if _no_cycle(edges):
        assert [] == list(validate._cycles(edges))


def test_no_cycle_says_yes_to_an_org_and_no_to_a_cycle_or_a_chain() -> None:
    org = {"ceo": None, "a": "ceo", "b": "ceo", "c": "ceo", "a1": "a", "a2": "a", "b1": "b"}
    assert _no_cycle(org)
    assert _no_cycle({**org, "x": "outside"})  # a manager not in the snapshot ends a walk
    assert not _no_cycle({**org, "ceo": "a1"})  # ceo -> a1 -> a -> ceo
    assert not _no_cycle({"a": "a"})
    chain = {f"p{i}": (f"p{i + 1}" if i < 9 else None) for i in range(10)}
    assert not _no_cycle(chain)  # one leaf a round: left to the careful walk
    assert [] == list(validate._cycles(chain))


# --- the fast reader takes the previous snapshot's object only when nothing changed -----

_HEAD = "date: 2024-01-0{day}\nevent: E\nunits:\n  org: {{name: Org, lead: ana}}\n  lab: {unit}\n"
_PEOPLE = "people:\n  ana:\n    unit: org\n  bo: {person}\n"

# A field of a unit or person, and values that differ from each other.
_UNIT_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("Lab", "Lab 2", "lab"),
    "parent": ("org", "org2"),
    "lead": ("bo", "[bo, ana]", "[bo]", "ana"),
    "from": ("[]", "[old]", "[old, older]"),
    "confidence": ("confirmed", "reported"),
    "sources": ("[]", "[a]", "[b]", "[a, b]"),
    "note": ("x", "y"),
}
_PERSON_FIELDS: dict[str, tuple[str, ...]] = {
    "unit": ("lab", "org"),
    "title": ("T", "T2", "t"),
    "reports_to": ("ana", "cy"),
    "confidence": ("confirmed", "reported", "rumoured"),
    "sources": ("[]", "[a]", "[a, b]", "[b, a]"),
    "note": ("x", "x y"),
}


def _flow(fields: dict[str, str]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}"


def _unit(fields: dict[str, str], *, dump_order: bool = False) -> str:
    return _flow(_ordered({"name": "Lab", "parent": "org", **fields}, Unit, dump_order))


def _person(fields: dict[str, str], *, dump_order: bool = False) -> str:
    return _flow(_ordered({"unit": "lab", **fields}, Person, dump_order))


def _ordered(fields: dict[str, str], model: type, dump_order: bool) -> dict[str, str]:
    """``fields`` as they are, or in the order `orgdiff.dump` writes them."""
    if not dump_order:
        return fields
    return {k: fields[k] for k in loading._SPECS[model].order if k in fields}


def _read(text: str, previous: Any = None) -> Any:
    raw = clean_utf8(text.encode())
    assert raw is not None
    return loading._Builder().snapshot(raw, previous)


def _careful(text: str) -> Any:
    doc = loading.read_bytes(text.encode(), "<file>")
    snap = loading.structure_snapshot(doc)
    assert [] == doc.problems
    return snap


@st.composite
def some_fields(draw: st.DrawFn, choices: dict[str, tuple[str, ...]]) -> dict[str, str]:
    names = draw(st.lists(st.sampled_from(sorted(choices)), unique=True, max_size=3))
    return {name: draw(st.sampled_from(choices[name])) for name in names}


@given(
    some_fields(_UNIT_FIELDS),
    some_fields(_UNIT_FIELDS),
    some_fields(_PERSON_FIELDS),
    some_fields(_PERSON_FIELDS),
    st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_an_entry_is_the_previous_object_exactly_when_all_its_fields_are_equal(
    unit_before: dict[str, str],
    unit_after: dict[str, str],
    person_before: dict[str, str],
    person_after: dict[str, str],
    dump_order: list[bool],
) -> None:
    """Protects: the diff's and the checks' reliance on identity. An entry read
    after a snapshot is that snapshot's object if and only if every field is
    equal (a field left out equals its default), and it is always what the
    careful reader builds from the same file; whether its keys come in the
    order `orgdiff.dump` writes or not (the entry loop made for that order,
    or the general way it hands others to)."""
    ub, ua, pb, pa = dump_order
    first_text = _HEAD.format(day=1, unit=_unit(unit_before, dump_order=ub)) + _PEOPLE.format(
        person=_person(person_before, dump_order=pb)
    )
    second_text = _HEAD.format(day=2, unit=_unit(unit_after, dump_order=ua)) + _PEOPLE.format(
        person=_person(person_after, dump_order=pa)
    )
    first = _read(first_text)
    second = _read(second_text, first)
    assert _careful(second_text) == second
    for kind in ("units", "people"):
        old, new = getattr(first, kind), getattr(second, kind)
        key = "lab" if kind == "units" else "bo"
        assert (old[key] is new[key]) == (old[key] == new[key])
    assert first.people["ana"] is second.people["ana"]  # unchanged, so shared
    assert first.units["org"] is second.units["org"]


def test_entries_that_move_come_or_go_are_matched_by_id_not_by_place() -> None:
    """Protects: the walk alongside the previous snapshot's entries takes an
    entry's previous object by its id only, whether it stays in place, moves a
    little or far (past the eight-entry catch-up), or others come and go around
    it; all twelve people have the same fields, so a match by place would give
    a person another's object."""
    head = "date: 2024-01-0{day}\nevent: E\nunits:\n  org: {{name: Org}}\npeople:\n"
    first_ids = [f"p{i:02}" for i in range(12)]
    # p11 moves to the top (far), p02 and p03 swap, p04 goes, p12 comes, p06 changes.
    second_ids = [
        "p11",
        "p00",
        "p01",
        "p03",
        "p02",
        "p05",
        "p06",
        "p07",
        "p12",
        "p08",
        "p09",
        "p10",
    ]

    def text(day: int, ids: list[str]) -> str:
        def person(pid: str) -> str:
            title = ", title: T" if day == 2 and pid == "p06" else ""
            return f"  {pid}: {{unit: org{title}}}\n"

        return head.format(day=day) + "".join(map(person, ids))

    first = _read(text(1, first_ids))
    second = _read(text(2, second_ids), first)
    assert _careful(text(2, second_ids)) == second
    assert second_ids == list(second.people)
    assert second_ids == [p.id for p in second.people.values()]
    kept = [pid for pid in second_ids if pid in first.people and second.people[pid].title is None]
    assert [pid for pid in second_ids if pid not in ("p06", "p12")] == kept
    assert [] == [pid for pid in kept if second.people[pid] is not first.people[pid]]
    assert second.people["p06"] is not first.people["p06"]


@pytest.mark.parametrize(
    ("fields", "model"),
    [*((f, Unit) for f in _UNIT_FIELDS), *((f, Person) for f in _PERSON_FIELDS)],
)
def test_a_change_of_any_one_field_makes_a_new_object(fields: str, model: type) -> None:
    """Each field alone, changed from its first value to its second: not shared."""
    choices = _UNIT_FIELDS if model is Unit else _PERSON_FIELDS
    one, two = choices[fields][:2]
    build = _unit if model is Unit else _person
    key, kind = ("lab", "units") if model is Unit else ("bo", "people")
    people = _PEOPLE.format(person=_person({})) if model is Unit else None

    def text(day: int, value: str) -> str:
        entry = build({fields: value})
        if model is Unit:
            assert people is not None
            return _HEAD.format(day=day, unit=entry) + people
        return _HEAD.format(day=day, unit=_unit({})) + _PEOPLE.format(person=entry)

    first = _read(text(1, one))
    same = _read(text(2, one), first)
    changed = _read(text(2, two), first)
    assert getattr(first, kind)[key] is getattr(same, kind)[key]
    assert getattr(first, kind)[key] is not getattr(changed, kind)[key]
    assert _careful(text(2, two)) == changed


def test_ids_and_repeated_titles_are_one_string_each() -> None:
    """Protects: the fast reader's sharing (one ``str`` per distinct id or title,
    its memory saving), and that it shares only those: the ids of units, people
    and relations, and titles, but not the other texts."""
    text = (
        "date: 2024-01-01\nevent: E\nunits:\n  the-org: {name: The Org}\n"
        "  the-lab: {name: The Org, parent: the-org}\npeople:\n"
        "  ana-a: {unit: the-lab, title: Staff Engineer, note: A note}\n"
        "  bo-b: {unit: the-lab, title: Staff Engineer, reports_to: ana-a, note: A note}\n"
        "relations:\n  - {kind: dotted-line, from: bo-b, to: the-org}\n"
        "  - {kind: dotted-line, from: ana-a, to: the-org}\n"
    )
    snap = _read(text)
    ana, bo = snap.people["ana-a"], snap.people["bo-b"]
    first, second = snap.relations
    assert ana.unit is bo.unit is snap.units["the-lab"].id
    assert ana.title is bo.title
    assert bo.reports_to is ana.id
    assert first.kind is second.kind
    assert first.to is second.to is snap.units["the-org"].id
    assert second.from_ is ana.id
    assert ana.note == bo.note
    assert ana.note is not bo.note
    assert snap.units["the-org"].name is not snap.units["the-lab"].name


def test_a_file_with_an_ampersand_in_a_text_is_still_read_the_fast_way() -> None:
    """A ``&``, ``!`` or ``*`` inside a text only makes the reader look at every
    event for anchors and tags; the file is not given up on."""
    text = _HEAD.format(day=1, unit=_unit({"name": "R&D!*"})) + _PEOPLE.format(person=_person({}))
    built = _read(text)
    assert "R&D!*" == built.units["lab"].name
    assert _careful(text) == built


def test_an_anchor_in_a_marked_file_is_still_refused() -> None:
    text = "date: 2024-01-01\nevent: E\nunits:\n  org: &o {name: Org}\n"
    with pytest.raises(loading._Fallback):
        _read(text)


def test_a_load_builds_what_it_built_before(tmp_path: Any) -> None:
    """The whole load, on a dataset with a shared and a changed person: the
    unchanged person is one object across snapshots, the changed one is not."""
    (tmp_path / "snapshots").mkdir()
    (tmp_path / "dataset.yaml").write_text(
        "name: D\npeople:\n  ana: {name: Ana}\n  bo: {name: Bo}\n"
    )
    for day, title in ((1, "T"), (2, "T2")):
        (tmp_path / "snapshots" / f"2024-01-0{day}.yaml").write_text(
            f"date: 2024-01-0{day}\nevent: E\nunits:\n  org: {{name: Org, lead: ana}}\n"
            f"people:\n  ana: {{unit: org}}\n  bo: {{unit: org, title: {title}, reports_to: ana}}\n"
        )
    first, second = orgdiff.load(tmp_path).snapshots
    assert first.people["ana"] is second.people["ana"]
    assert first.people["bo"] is not second.people["bo"]
    assert ("T", "T2") == (first.people["bo"].title, second.people["bo"].title)


def test_clean_utf8_refuses_exactly_the_forbidden_ascii_bytes() -> None:
    """Protects: the byte-by-byte look for forbidden characters in an ASCII
    file refuses what the reader's character class refuses, every byte."""
    from orgdiff import yamlread

    refused = [c for c in range(128) if clean_utf8(b"a: b" + bytes([c])) is None]
    assert [c for c in range(128) if yamlread._FORBIDDEN.match(chr(c))] == refused
    assert [0, 9, 31, 127] == [c for c in refused if c in (0, 9, 10, 13, 31, 32, 126, 127)]


# --- the entry loop generated for the order orgdiff.dump writes --------------------------

# Values of every shape a key may be given: an id, text, lists, an empty value,
# a confidence, a date, and ones the format refuses for some keys.
_ANY_VALUE = st.sampled_from(
    ["a", "T x", "[a, b]", "[]", "[a, a]", "''", "reported", "bogus", "2024-01-01", "{x: y}"]
)
# Values each key takes (the unknown key, none).
_GOOD: dict[str, list[str]] = {
    **{k: ["a", "T x"] for k in ("name", "parent", "title", "unit", "reports_to", "note")},
    **{k: ["a", "T x"] for k in ("publisher", "url", "bogus")},
    **{k: ["[a]", "[]", "[a, b]"] for k in ("from", "sources", "aliases")},
    "lead": ["a", "[a, b]"],
    "confidence": ["reported", "confirmed"],
    "date": ["2024-01-01"],
}
# (section, spec's class, how to write a whole file around one entry `e` of it)
_SECTIONS = {
    "units": (Unit, "date: 2024-01-01\nevent: E\nunits:\n  e:\n{entry}"),
    "people": (
        Person,
        "date: 2024-01-01\nevent: E\nunits:\n  org: {{name: O}}\npeople:\n  e:\n{entry}",
    ),
    "identities": (Identity, "name: D\npeople:\n  e:\n{entry}"),
    "sources": (Source, "name: D\nsources:\n  e:\n{entry}"),
}


@st.composite
def entries(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    """A section and one entry's keys and values: keys of the format (most often in
    the order dump writes them), a key twice, an unknown key, in any order."""
    section = draw(st.sampled_from(sorted(_SECTIONS)))
    order = loading._SPECS[_SECTIONS[section][0]].order
    if draw(st.booleans()):  # dump's order, some keys left out
        keys = [k for k in order if draw(st.booleans())]
    else:
        keys = draw(st.lists(st.sampled_from([*order, "bogus"]), max_size=5))
    # Mostly a value the key takes, so that the rest of the entry is often valid.
    return section, [(k, draw(st.sampled_from(_GOOD[k]) | _ANY_VALUE)) for k in keys]


def _both_ways(section: str, fields: list[tuple[str, str]]) -> tuple[Any, Any]:
    """What the fast way (None where it gives up) and the careful way (None
    where it refuses) build from a file with this one entry."""
    template = _SECTIONS[section][1]
    body = "".join(f"    {k}: {v}\n" for k, v in fields)
    if not fields:
        template = template.replace("  e:\n{entry}", "  e: {{}}\n")
    raw = template.format(entry=body).encode()
    dataset = section in ("identities", "sources")
    clean = clean_utf8(raw)
    assert clean is not None
    try:
        builder = loading._Builder()
        fast = builder.dataset(clean) if dataset else builder.snapshot(clean, None)
    except loading._Fallback:
        fast = None
    doc = loading.read_bytes(raw, "<file>")
    careful = (loading.structure_dataset if dataset else loading.structure_snapshot)(doc)
    return fast, careful


@given(entries())
def test_the_entry_loop_builds_what_the_careful_way_builds(
    entry: tuple[str, list[tuple[str, str]]],
) -> None:
    """Protects: the entry loop made for dump's key order (``_entry_loop``) and
    the general way it hands other orders to (``_rest``). Whatever the keys'
    order, a key twice or an unknown key, the fast way builds exactly what the
    careful way builds, or gives up; it never accepts an entry the careful way
    refuses."""
    section, fields = entry
    fast, careful = _both_ways(section, fields)
    if fast is not None:
        assert careful == fast
    if careful is None:
        assert fast is None


@pytest.mark.parametrize("section", sorted(_SECTIONS))
def test_the_entry_loop_reads_entries_in_dump_order_and_in_others(section: str) -> None:
    """Both paths are taken: every key of the format given once, in dump's
    order (the generated loop alone) and reversed (handed to ``_rest``)."""
    cls = _SECTIONS[section][0]
    order = loading._SPECS[cls].order
    good = {"date": "2024-01-01", "confidence": "reported", "lead": "[a, b]"}
    ids_lists = {"from", "sources", "aliases"}
    fields = [(k, good.get(k, "[a]" if k in ids_lists else "T x")) for k in order]
    for keys in (fields, fields[::-1]):
        fast, careful = _both_ways(section, keys)
        assert fast is not None
        assert careful == fast


@pytest.mark.parametrize(
    ("section", "fields"),
    [
        pytest.param("people", [("unit", "''")], id="an empty value"),
        pytest.param("people", [("unit", "a"), ("title", "''")], id="an empty value, late"),
        pytest.param("people", [("title", "[a]"), ("unit", "a")], id="a list for text"),
        pytest.param("people", [("unit", "a"), ("sources", "a")], id="text for a list"),
        pytest.param("people", [("title", "T")], id="a required key left out"),
        pytest.param("people", [("unit", "a"), ("unit", "b")], id="a key twice"),
        pytest.param("people", [("unit", "a"), ("confidence", "sure")], id="no confidence"),
        pytest.param("units", [("name", "U"), ("lead", "[a, a]")], id="a lead twice"),
        pytest.param("units", [("name", "U"), ("lead", "[]")], id="no leads"),
        pytest.param("units", [("name", "U"), ("lead", "''")], id="an empty lead"),
        pytest.param("units", [("name", "U"), ("from", "[a, '']")], id="an empty id"),
        pytest.param("sources", [("title", "S"), ("date", "2024-02-30")], id="no such date"),
        pytest.param("identities", [("name", "A"), ("bogus", "x")], id="an unknown key"),
        pytest.param(
            "identities", [("aliases", "[A]"), ("name", "A"), ("name", "B")], id="twice, late"
        ),
    ],
)
def test_the_entry_loop_gives_up_on_what_the_careful_way_refuses(
    section: str, fields: list[tuple[str, str]]
) -> None:
    """One minimal entry per guard of the generated loop and of ``_rest``: the
    careful way refuses it, and the fast way gives up."""
    assert (None, None) == _both_ways(section, fields)


def test_the_entry_loop_knows_the_order_dump_writes() -> None:
    """The generated loop's order is the order `orgdiff.dump` writes every key in."""
    import yaml

    unit = Unit(
        id="u",
        name="U",
        parent="org",
        leads=("a", "b"),
        from_=("old",),
        confidence=orgdiff.Confidence.REPORTED,
        sources=("s",),
        note="n",
    )
    person = Person(
        id="a",
        unit="u",
        title="T",
        reports_to="b",
        confidence=orgdiff.Confidence.REPORTED,
        sources=("s",),
        note="n",
    )
    snap = orgdiff.Snapshot(
        date=dt.date(2024, 1, 1),
        event="E",
        units={"org": Unit(id="org", name="O"), "u": unit},
        people={"a": person, "b": Person(id="b", unit="org")},
    )
    identity = Identity(id="a", name="A", aliases=("Al",))
    source = Source(
        key="s", title="S", publisher="P", url="https://x.org", date=dt.date(2024, 1, 1), note="n"
    )
    tl = orgdiff.Timeline(
        name="D", sources={"s": source}, people={"a": identity}, snapshots=(snap,)
    )
    written = yaml.safe_load(orgdiff.dump(snap))
    dataset = yaml.safe_load(orgdiff.dump(tl))
    assert loading._SPECS[Unit].order == tuple(written["units"]["u"])
    assert loading._SPECS[Person].order == tuple(written["people"]["a"])
    assert loading._SPECS[Identity].order == tuple(dataset["people"]["a"])
    assert loading._SPECS[Source].order == tuple(dataset["sources"]["s"])
