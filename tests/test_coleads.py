"""Co-leads: a unit led by several people, in order, from YAML to reports.

``lead: x`` is one lead and ``lead: [x, y]`` (flow or block list) co-leads.
Every bad shape is a located problem, found the same by both ways of reading
a file (the fast way gives up on it; the careful way places it). Each co-lead
obeys the lead invariant; the diff carries the ordered leads and tells who
joins, leaves or succeeds whom; reports, ``show``, ``history``, charts and
``dump`` name every lead.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import attrs
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st
from strategies import snapshots

import orgdiff
from orgdiff import ChangeKind, OrgDataError, Snapshot, Unit
from orgdiff.diff import apply, diff
from orgdiff.dump import dump
from orgdiff.report import diff_json, diff_markdown, diff_text, history_text
from orgdiff.show import snapshot_json, snapshot_text

load_module = importlib.import_module("orgdiff.load")  # `orgdiff.load` is the function
yamlread = importlib.import_module("orgdiff.yamlread")

BASE = Path(__file__).parent / "data" / "invalid" / "base"
SNAPSHOT = Path("snapshots") / "2020-01-01.yaml"
BASE_TEXT = (BASE / SNAPSHOT).read_text(encoding="utf-8")
# Engineering's lead, line 11 of the base snapshot; each case replaces it.
ENG_LEAD = "    lead: bo-chen\n"
FILE = "org/snapshots/2020-01-01.yaml"


def with_eng_lead(text: str) -> str:
    """The base snapshot with Engineering's `lead:` line(s) replaced by ``text``."""
    assert BASE_TEXT.count(ENG_LEAD) == 1
    return BASE_TEXT.replace(ENG_LEAD, text)


def read_both_ways(text: str) -> tuple[Snapshot | None, Snapshot | None, list[str]]:
    """(fast, careful, problems): what each way of reading builds from a snapshot
    file; ``fast`` is None where the fast way gave up."""
    raw = text.encode("utf-8")
    clean = yamlread.clean_utf8(raw)
    assert clean is not None
    try:
        fast = load_module._Builder().snapshot(clean, None)
    except load_module._Fallback:
        fast = None
    doc = yamlread.read_bytes(raw, FILE)
    careful = load_module.structure_snapshot(doc)
    return fast, careful, [str(p) for p in doc.problems]


def load_problems(folder: Path) -> list[str]:
    try:
        orgdiff.load(folder)
    except OrgDataError as exc:
        return [str(p) for p in exc.problems]
    return []


# --- reading: both shapes ------------------------------------------------------------------

SHAPES = [
    ("one lead, the short form", "    lead: bo-chen\n", ("bo-chen",)),
    ("a flow list", "    lead: [bo-chen, di-ito]\n", ("bo-chen", "di-ito")),
    ("the order kept", "    lead: [di-ito, bo-chen]\n", ("di-ito", "bo-chen")),
    ("a block list", "    lead:\n      - bo-chen\n      - di-ito\n", ("bo-chen", "di-ito")),
    (
        "three co-leads",
        "    lead: [bo-chen, di-ito, ana-ruiz]\n",
        ("bo-chen", "di-ito", "ana-ruiz"),
    ),
    ("a list of one is one lead", "    lead: [bo-chen]\n", ("bo-chen",)),
    ("no lead", "", ()),
]


@pytest.mark.parametrize(("text", "leads"), [s[1:] for s in SHAPES], ids=[s[0] for s in SHAPES])
def test_both_shapes_read_the_same_both_ways(text: str, leads: tuple[str, ...]) -> None:
    """Each valid shape is read the fast way, to exactly what the careful way builds."""
    fast, careful, problems = read_both_ways(with_eng_lead(text))
    assert [] == problems
    assert fast is not None
    assert careful == fast
    assert leads == fast.units["eng"].leads
    assert (leads[0] if leads else None) == fast.units["eng"].lead


def test_co_leads_load_from_a_dataset(org: Path) -> None:
    (org / SNAPSHOT).write_text(with_eng_lead("    lead: [bo-chen, di-ito]\n"), encoding="utf-8")
    snap = orgdiff.load(org).at("2020-01-01")
    assert ("bo-chen", "di-ito") == snap.units["eng"].leads
    assert "bo-chen" == snap.units["eng"].lead


# --- reading: every bad shape, located, the same both ways --------------------------------

BAD_SHAPES = [
    (
        "an empty list",
        "    lead: []\n",
        [f"{FILE}:11:11: $.units.eng.lead: an empty list; leave the key out when no lead is known"],
    ),
    (
        "a mapping",
        "    lead: {id: bo-chen}\n",
        [
            f"{FILE}:11:11: $.units.eng.lead: expected a person id, or a list of ids such as "
            "`[a, b]` for co-leads, got a mapping"
        ],
    ),
    (
        "a nested list",
        "    lead: [bo-chen, [di-ito]]\n",
        [f"{FILE}:11:21: $.units.eng.lead[1]: expected a person id, got a list"],
    ),
    (
        "a mapping in the list",
        "    lead: [bo-chen, {id: di-ito}]\n",
        [f"{FILE}:11:21: $.units.eng.lead[1]: expected a person id, got a mapping"],
    ),
    (
        "a nested block list",
        "    lead:\n      - bo-chen\n      - - di-ito\n",
        [f"{FILE}:13:9: $.units.eng.lead[1]: expected a person id, got a list"],
    ),
    (
        "a duplicate",
        "    lead: [bo-chen, di-ito, bo-chen]\n",
        [f"{FILE}:11:29: $.units.eng.lead[2]: `bo-chen` is listed twice as a lead (first at [0])"],
    ),
    (
        "an empty item",
        '    lead: [bo-chen, ""]\n',
        [f"{FILE}:11:21: $.units.eng.lead[1]: empty item; expected a person id"],
    ),
    (
        "every bad item at once",
        '    lead: [bo-chen, [x], bo-chen, ""]\n',
        [
            f"{FILE}:11:21: $.units.eng.lead[1]: expected a person id, got a list",
            f"{FILE}:11:26: $.units.eng.lead[2]: `bo-chen` is listed twice as a lead (first at [0])",
            f"{FILE}:11:35: $.units.eng.lead[3]: empty item; expected a person id",
        ],
    ),
    (
        "an empty value",
        "    lead:\n",
        [f"{FILE}:11:10: $.units.eng.lead: empty value; leave the key out instead"],
    ),
    (
        "the key misspelt",
        "    leads: [bo-chen, di-ito]\n",
        [f"{FILE}:11:5: $.units.eng.leads: unknown key `leads`; did you mean `lead`?"],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [s[1:] for s in BAD_SHAPES], ids=[s[0] for s in BAD_SHAPES]
)
def test_bad_shapes_are_located_errors_both_ways(text: str, expected: list[str]) -> None:
    """The fast way gives up on a bad shape; the careful way places every problem."""
    fast, careful, problems = read_both_ways(with_eng_lead(text))
    assert fast is None
    assert careful is None
    assert expected == problems


@pytest.mark.parametrize(
    ("text", "expected"), [s[1:] for s in BAD_SHAPES], ids=[s[0] for s in BAD_SHAPES]
)
def test_bad_shapes_fail_to_load(org: Path, text: str, expected: list[str]) -> None:
    """`orgdiff.load` raises the same located problems (the file read in full)."""
    (org / SNAPSHOT).write_text(with_eng_lead(text), encoding="utf-8")
    assert expected == load_problems(Path("org"))


def test_bad_shape_through_the_command_line(org: Path) -> None:
    """A user's view: `orgdiff validate` prints the located problem and exits 2."""
    (org / SNAPSHOT).write_text(with_eng_lead("    lead: [bo-chen, bo-chen]\n"), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "orgdiff", "validate", "org"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert 2 == run.returncode
    assert (
        f"{FILE}:11:21: $.units.eng.lead[1]: `bo-chen` is listed twice as a lead (first at [0])\n"
        "1 problem found\n"
    ) == run.stderr


# --- validation: every invariant of a lead, for each co-lead -------------------------------

SNAP = orgdiff.load(BASE).at("2020-01-01")


def eng_led_by(*leads: str) -> Snapshot:
    units = {**SNAP.units, "eng": attrs.evolve(SNAP.units["eng"], leads=leads)}
    return attrs.evolve(SNAP, units=units)


VALIDATION = [
    ("valid co-leads", ("bo-chen", "di-ito", "ana-ruiz"), []),
    (
        "a co-lead not in the snapshot",
        ("bo-chen", "di-itoh"),
        [
            (
                "$.units.eng.lead[1]",
                "unit `eng` is led by `di-itoh`, but `di-itoh` is not in the "
                "snapshot of 2020-01-01; did you mean `di-ito`?",
            ),
        ],
    ),
    (
        "a co-lead outside the branch",
        ("bo-chen", "cy-diaz"),
        [
            (
                "$.units.eng.lead[1]",
                "unit `eng` is led by `cy-diaz`, whose unit `research` is "
                "neither `eng` nor above it",
            ),
        ],
    ),
    (
        "the first co-lead wrong too",
        ("nobody", "cy-diaz"),
        [
            (
                "$.units.eng.lead[0]",
                "unit `eng` is led by `nobody`, but `nobody` is not in the snapshot of 2020-01-01",
            ),
            (
                "$.units.eng.lead[1]",
                "unit `eng` is led by `cy-diaz`, whose unit `research` is "
                "neither `eng` nor above it",
            ),
        ],
    ),
    (
        "a co-lead listed twice",
        ("bo-chen", "di-ito", "bo-chen"),
        [("$.units.eng.lead[2]", "`bo-chen` is listed twice as a lead (first at [0])")],
    ),
    (
        "one lead keeps its path",
        ("cy-diaz",),
        [
            (
                "$.units.eng.lead",
                "unit `eng` is led by `cy-diaz`, whose unit `research` is "
                "neither `eng` nor above it",
            ),
        ],
    ),
]


@pytest.mark.parametrize(
    ("leads", "expected"), [v[1:] for v in VALIDATION], ids=[v[0] for v in VALIDATION]
)
def test_each_co_lead_is_validated(leads: tuple[str, ...], expected: list[tuple[str, str]]) -> None:
    assert expected == [(p.path, p.message) for p in orgdiff.validate(eng_led_by(*leads))]


def test_a_co_lead_outside_the_branch_is_located_in_the_file(org: Path) -> None:
    (org / SNAPSHOT).write_text(
        with_eng_lead("    lead:\n      - bo-chen\n      - cy-diaz\n"), encoding="utf-8"
    )
    assert [
        f"{FILE}:13:9: $.units.eng.lead[1]: unit `eng` is led by `cy-diaz`, whose unit "
        "`research` is neither `eng` nor above it"
    ] == load_problems(Path("org"))


# --- the model --------------------------------------------------------------------------


def test_unit_takes_leads_in_any_convenient_form() -> None:
    """`leads` as a tuple, a list, one id or None; `lead=` as a one-lead shorthand."""
    assert ("a", "b") == Unit("u", "U", leads=["a", "b"]).leads
    assert ("a",) == Unit("u", "U", leads="a").leads
    assert () == Unit("u", "U", leads=None).leads
    assert ("a",) == Unit("u", "U", lead="a").leads
    assert () == Unit("u", "U", lead=None).leads
    assert Unit("u", "U", leads=("a",)) == Unit("u", "U", lead="a")
    co = Unit("u", "U", leads=("a", "b"))
    assert "a" == co.lead
    assert ("c",) == attrs.evolve(co, lead="c").leads
    assert () == attrs.evolve(co, lead=None).leads
    assert ("b", "a") == attrs.evolve(co, leads=("b", "a")).leads
    with pytest.raises(AttributeError):
        co.lead = "x"  # type: ignore[misc]


# --- diff, events, apply ---------------------------------------------------------------

EVENTS = [
    (("bo-chen",), ("bo-chen", "di-ito"), "Di Ito joins Bo Chen as co-lead of Engineering"),
    (("bo-chen", "di-ito"), ("bo-chen",), "Di Ito no longer co-leads Engineering (with Bo Chen)"),
    (
        ("bo-chen",),
        ("ana-ruiz", "bo-chen", "di-ito"),
        "Ana Ruiz and Di Ito join Bo Chen as co-leads of Engineering",
    ),
    (
        ("ana-ruiz", "bo-chen", "di-ito"),
        ("bo-chen",),
        "Ana Ruiz and Di Ito no longer co-lead Engineering (with Bo Chen)",
    ),
    (
        ("bo-chen", "di-ito"),
        ("bo-chen", "ana-ruiz"),
        "Engineering: Ana Ruiz succeeds Di Ito as co-lead (with Bo Chen)",
    ),
    (
        ("bo-chen", "di-ito"),
        ("di-ito", "bo-chen"),
        "Di Ito and Bo Chen now lead Engineering (was Bo Chen and Di Ito)",
    ),
    ((), ("bo-chen", "di-ito"), "Bo Chen and Di Ito now lead Engineering"),
    (
        ("bo-chen", "di-ito"),
        (),
        "Engineering no longer has a known lead (was Bo Chen and Di Ito)",
    ),
    (
        ("bo-chen", "di-ito"),
        ("ana-ruiz",),
        "Ana Ruiz now leads Engineering (was Bo Chen and Di Ito)",
    ),
    (
        ("bo-chen",),
        ("ana-ruiz", "di-ito"),
        "Ana Ruiz and Di Ito now lead Engineering (was Bo Chen)",
    ),
    # One lead on both sides: the wording of before co-leads.
    (("bo-chen",), ("di-ito",), "Di Ito now leads Engineering (was Bo Chen)"),
    ((), ("bo-chen",), "Bo Chen now leads Engineering"),
    (("bo-chen",), (), "Engineering no longer has a known lead (was Bo Chen)"),
]


@pytest.mark.parametrize(("before", "after", "text"), EVENTS)
def test_a_change_of_leads_is_one_change_and_one_event(
    before: tuple[str, ...], after: tuple[str, ...], text: str
) -> None:
    a, b = eng_led_by(*before), eng_led_by(*after)
    d = diff(a, b)
    assert [(ChangeKind.UNIT_LEAD_CHANGED, "eng", before, after)] == [
        (c.kind, c.id, c.before, c.after) for c in d.changes
    ]
    assert [("lead", text, ("eng",))] == [(e.kind, e.text, e.ids) for e in d.events]
    assert b == apply(a, d)
    assert a == apply(b, d.inverse())
    assert diff(b, a).events == d.inverse().events
    change = diff_json(d)["changes"][0]
    assert (list(before), list(after)) == (change["before"], change["after"])


# A unit renamed and given new leads at once is one "unit" event; a co-lead who
# joins, leaves or succeeds another is told in the words of a lone change of
# leads, after a semicolon.
UNIT_EVENTS = [
    (
        ("bo-chen",),
        ("bo-chen", "di-ito"),
        "Engineering renamed Platform; Di Ito joins Bo Chen as co-lead of Platform",
    ),
    (
        ("bo-chen", "di-ito"),
        ("bo-chen",),
        "Engineering renamed Platform; Di Ito no longer co-leads Platform (with Bo Chen)",
    ),
    (
        ("bo-chen", "di-ito"),
        ("bo-chen", "ana-ruiz"),
        "Engineering renamed Platform; Ana Ruiz succeeds Di Ito as co-lead (with Bo Chen)",
    ),
    (
        ("bo-chen",),
        ("ana-ruiz", "di-ito"),
        "Engineering renamed Platform and now led by Ana Ruiz and Di Ito (was Bo Chen)",
    ),
    (
        ("bo-chen", "di-ito"),
        (),
        "Engineering renamed Platform and no longer has a known lead (was Bo Chen and Di Ito)",
    ),
    (("bo-chen",), ("di-ito",), "Engineering renamed Platform and now led by Di Ito (was Bo Chen)"),
]


@pytest.mark.parametrize(("before", "after", "text"), UNIT_EVENTS)
def test_a_rename_with_new_leads_is_one_event_in_co_lead_words(
    before: tuple[str, ...], after: tuple[str, ...], text: str
) -> None:
    a = eng_led_by(*before)
    b = eng_led_by(*after)
    b = attrs.evolve(b, units={**b.units, "eng": attrs.evolve(b.units["eng"], name="Platform")})
    d = diff(a, b)
    assert [ChangeKind.UNIT_RENAMED, ChangeKind.UNIT_LEAD_CHANGED] == sorted(
        (c.kind for c in d.changes), key=list(ChangeKind).index
    )
    assert [("unit", text, ("eng",))] == [(e.kind, e.text, e.ids) for e in d.events]


def test_added_and_dropped_leads() -> None:
    d = diff(eng_led_by("bo-chen", "di-ito"), eng_led_by("ana-ruiz", "bo-chen"))
    (c,) = d.changes
    assert (("ana-ruiz",), ("di-ito",)) == (c.added_leads, c.dropped_leads)
    assert (("di-ito",), ("ana-ruiz",)) == (c.inverse().added_leads, c.inverse().dropped_leads)
    renamed = diff(
        SNAP,
        attrs.evolve(SNAP, units={**SNAP.units, "eng": attrs.evolve(SNAP.units["eng"], name="E")}),
    )
    assert ((), ()) == (renamed.changes[0].added_leads, renamed.changes[0].dropped_leads)


def test_a_new_co_led_unit_names_its_leads() -> None:
    units = {
        **SNAP.units,
        "lab": Unit("lab", "Lab", parent="org", leads=("ana-ruiz", "cy-diaz")),
    }
    people = {**SNAP.people, "cy-diaz": attrs.evolve(SNAP.people["cy-diaz"], unit="org")}
    b = attrs.evolve(SNAP, units=units, people=people)
    texts = [e.text for e in diff(SNAP, b).events]
    assert "Lab created under Base Org, led by Ana Ruiz and Cy Diaz" in texts


# --- reports, show, history -------------------------------------------------------------


def test_reports_name_every_lead() -> None:
    """A change of co-leads is told in words, naming every lead (one change: no event)."""
    d = diff(eng_led_by("bo-chen"), eng_led_by("bo-chen", "di-ito"))
    assert (
        "2020-01-01 → 2020-01-01\n"
        "  then: Research split out of Engineering\n"
        "  now:  Research split out of Engineering\n"
        "\n"
        "Changes\n"
        "  unit-lead-changed  eng: Di Ito joins Bo Chen as co-lead of Engineering [1]\n"
        "\n"
        "Sources\n"
        "  [1] memo\n"
        "\n"
        "1 change, 0 events\n"
    ) == diff_text(d)
    markdown = diff_markdown(d).splitlines()
    assert (
        "| unit-lead-changed | `eng` | Di Ito joins Bo Chen as co-lead of Engineering "
        "| confirmed | [^1] |"
    ) == markdown[-3]
    gone = diff(eng_led_by("bo-chen", "di-ito"), eng_led_by())
    assert (
        "  unit-lead-changed  eng: Engineering no longer has a known lead (was Bo Chen and Di Ito) [1]"
        == (diff_text(gone).splitlines()[-6])
    )
    change = json.loads(json.dumps(diff_json(gone)))["changes"][0]
    assert (["bo-chen", "di-ito"], []) == (change["before"], change["after"])


def test_show_names_every_lead() -> None:
    snap = eng_led_by("bo-chen", "di-ito")
    lines = snapshot_text(snap).splitlines()
    assert "  Engineering [eng] — leads: Bo Chen and Di Ito" in lines
    assert "Base Org [org] — lead: Ana Ruiz" in lines
    units = snapshot_json(snap)["units"]
    assert ("bo-chen", ["bo-chen", "di-ito"]) == (units["eng"]["lead"], units["eng"]["leads"])
    assert (None, []) == (
        snapshot_json(eng_led_by())["units"]["eng"]["lead"],
        snapshot_json(eng_led_by())["units"]["eng"]["leads"],
    )


def test_history_follows_co_leads(org: Path) -> None:
    """A third snapshot where Di Ito joins as co-lead: `history eng` says so."""
    later = with_eng_lead("    lead: [bo-chen, di-ito]\n")
    later = later.replace("date: 2020-01-01", "date: 2021-05-01").replace(
        "event: Research split out of Engineering", "event: Di Ito co-leads Engineering"
    )
    later = later.replace("    from: [eng]\n", "")
    (org / "snapshots" / "2021-05-01.yaml").write_text(later, encoding="utf-8")
    tl = orgdiff.load(org)
    entries = tl.history("eng")
    assert [dt.date(2021, 5, 1), "changed"] == [entries[-1].date, entries[-1].kind]
    last = entries[-1]
    assert [(ChangeKind.UNIT_LEAD_CHANGED, ("bo-chen",), ("bo-chen", "di-ito"))] == [
        (c.kind, c.before, c.after) for c in last.changes
    ]
    text = history_text("eng", entries, tl.snapshots, sources=tl.sources)
    assert "    unit-lead-changed: Bo Chen → Bo Chen and Di Ito" in text.splitlines()
    run = subprocess.run(
        [sys.executable, "-m", "orgdiff", "--org", "org", "history", "eng"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == run.returncode, run.stderr
    assert text == run.stdout


# --- dump ---------------------------------------------------------------------------------


def test_dump_writes_the_canonical_shapes() -> None:
    lines = dump(eng_led_by("bo-chen", "di-ito")).splitlines()
    assert "  eng: {name: Engineering, parent: org, lead: [bo-chen, di-ito]}" in lines
    assert (
        "  eng: {name: Engineering, parent: org, lead: bo-chen}"
        in dump(eng_led_by("bo-chen")).splitlines()
    )
    assert "  eng: {name: Engineering, parent: org}" in dump(eng_led_by()).splitlines()


@pytest.mark.parametrize(("text", "leads"), [s[1:] for s in SHAPES], ids=[s[0] for s in SHAPES])
def test_dump_round_trips_every_shape(text: str, leads: tuple[str, ...]) -> None:
    snap = orgdiff.parse_snapshot(with_eng_lead(text))
    assert leads == snap.units["eng"].leads
    assert snap == orgdiff.parse_snapshot(dump(snap))


# --- the generators cover co-leads ----------------------------------------------------------


def test_generated_snapshots_include_co_leads() -> None:
    """Protects the reach of every property built on `strategies.snapshots`: some
    generated units have two or three co-leads."""
    found = find(
        snapshots(),
        lambda s: any(len(u.leads) >= 2 for u in s.units.values()),
        settings=settings(max_examples=2000, database=None),
    )
    assert any(2 <= len(u.leads) <= 3 for u in found.units.values())


@settings(max_examples=60)
@given(snapshots(), st.data())
def test_lead_changes_are_exactly_the_units_whose_leads_differ(
    snap: Snapshot, data: st.DataObject
) -> None:
    """Protects `unit-lead-changed`: one change for each unit whose ordered leads
    differ (a reordering counts), carrying both tuples; none for the others."""
    people = sorted(snap.people)
    units = dict(snap.units)
    for uid in data.draw(st.lists(st.sampled_from(sorted(units)), unique=True), label="units"):
        leads = (
            data.draw(st.lists(st.sampled_from(people), unique=True, max_size=3)) if people else []
        )
        units[uid] = attrs.evolve(units[uid], leads=leads)
    later = attrs.evolve(snap, units=units)
    changes = diff(snap, later).of_kind(ChangeKind.UNIT_LEAD_CHANGED)
    expected = [
        (uid, snap.units[uid].leads, units[uid].leads)
        for uid in sorted(units)
        if snap.units[uid].leads != units[uid].leads
    ]
    assert expected == [(c.id, c.before, c.after) for c in changes]
    assert later == apply(snap, diff(snap, later))


def test_charts_name_every_lead() -> None:
    """A real chart of units (SVG from Graphviz) has a text line naming every co-lead,
    in order; a chart of people draws each co-lead's own box heading the unit."""
    snap = eng_led_by("bo-chen", "di-ito")
    svg = orgdiff.to_svg(snap, units_only=True)
    texts = [t.text for t in ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert 1 == texts.count("leads: Bo Chen and Di Ito")
    assert 1 == texts.count("lead: Ana Ruiz")

    root = ElementTree.fromstring(orgdiff.to_svg(snap))
    ns = "{http://www.w3.org/2000/svg}"
    ids = {g.get("id") for g in root.iter(f"{ns}g")}
    assert {"person-bo-chen", "person-di-ito"} <= ids
