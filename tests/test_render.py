"""Charts: DOT structure, styles and escaping; SVG through both engines."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import attrs
import pytest
from chartsvg import Chart, parse

import orgdiff
from orgdiff import Confidence, Identity, Person, Relation, Snapshot, Unit
from orgdiff.engine import render_dot
from orgdiff.render import COLOURS, render

EXAMPLE = Path(__file__).parent / "data" / "example"
TL = orgdiff.load(EXAMPLE)

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not on PATH")


def one_unit(name: str, person: str = "Ann", title: str | None = "Boss") -> Snapshot:
    return Snapshot(
        date=dt.date(2020, 1, 1),
        event="an event",
        units={"root": Unit(id="root", name=name, lead="ann")},
        people={"ann": Person(id="ann", unit="root", title=title)},
        identities={"ann": Identity(id="ann", name=person)},
    )


def chart(obj: Snapshot | orgdiff.Diff, **options: object) -> Chart:
    """The chart's SVG, parsed: boxes by SVG id, with their classes, text and style."""
    return parse(render_dot(render(obj, **options).source, "svg").decode("utf-8"))  # type: ignore[arg-type]


def test_snapshot_chart_structure() -> None:
    """Each unit is a box (class unit) headed by its lead; each person a box (class
    person) with name and title inside their unit's box; the title has the date."""
    c = chart(TL.at("2024-06"))
    units = {b.id: b for b in c.by_class("unit")}
    assert ["unit-acme", "unit-autonomy", "unit-platform", "unit-research"] == sorted(units)
    assert {"cluster"} == {b.kind for b in units.values()}
    assert ["Applied Research"] == units["unit-research"].lines
    people = {b.id: b.lines for b in c.by_class("person")}
    assert {
        "person-ada-park": ["Ada Park", "Chief Executive"],
        "person-ben-okafor": ["Ben Okafor", "VP Autonomy"],
        "person-chen-li": ["Chen Li", "Director of Applied", "Research"],
        "person-dara-novak": ["Dara Novak", "Head of Platform"],
        "person-eli-moreau": ["Éli Moreau", "Research Scientist"],
        "person-femi-adeyemi": ["Femi Adeyemi", "Platform Engineer", "[reported]"],
    } == people
    # Each person inside their unit's box, each lead the topmost box of the unit it leads.
    snap = TL.at("2024-06")
    for uid, unit in snap.units.items():
        box = units[f"unit-{uid}"].rect
        inside = [f"person-{p}" for p, person in snap.people.items() if person.unit == uid]
        assert all(box.contains(c.boxes[p].rect) for p in inside), uid
        lead = c.boxes[f"person-{unit.lead}"].rect
        assert box.contains(lead)
        assert [] == [p for p in inside if c.boxes[p].rect.top < lead.top]
    title = "2024-06-03: Engineering split into Platform and Autonomy; Research Lab renamed Applied Research"
    assert title == " ".join(t.content for t in c.texts[-2:])


def test_uncertain_facts_are_dashed() -> None:
    """A reported person is dashed and of class uncertain; a confirmed one is solid;
    a relation is dashed, labelled, of class relation, and does not constrain layout."""
    c = chart(TL.at("2024-06"))
    femi = c.boxes["person-femi-adeyemi"]
    dara = c.boxes["person-dara-novak"]
    assert (True, frozenset({"person", "uncertain"})) == (femi.dashed, femi.classes)
    assert (False, frozenset({"person"})) == (dara.dashed, dara.classes)
    relations = [(cls, dashed) for cls, _, dashed in c.edges if "relation" in cls]
    assert [(frozenset({"relation", "uncertain"}), True)] == relations
    assert "dotted-line [rumoured]" in [t.content for t in c.texts]
    rel = [line for line in render(TL.at("2024-06")).source.splitlines() if "dotted-line" in line]
    assert 1 == len(rel)
    assert "constraint=false" in rel[0]


def test_options_focus_depth_units_only() -> None:
    """focus draws a subtree, depth cuts levels (a folded unit is a summary), units_only
    drops people and draws units as boxes of their own."""
    snap = TL.at("2024-06")

    def opened(**options: object) -> list[str]:
        return sorted(b.id for b in chart(snap, **options).by_class("unit") if b.kind == "cluster")

    def summaries(**options: object) -> list[str]:
        return sorted(b.id for b in chart(snap, **options).by_class("summary"))

    assert ["unit-autonomy", "unit-research"] == opened(focus="autonomy")
    assert ["unit-acme"] == opened(depth=0)
    assert ["unit-autonomy", "unit-platform"] == summaries(depth=0)
    assert ["unit-acme", "unit-autonomy", "unit-platform"] == opened(depth=1)
    assert ["unit-research"] == summaries(depth=1)
    only = chart(snap, units_only=True)
    assert [] == only.by_class("person")
    assert ["node"] * 4 == [b.kind for b in only.by_class("unit")]
    assert ["Applied Research", "lead: Chen Li"] == only.boxes["unit-research"].lines
    with pytest.raises(orgdiff.UnknownIdError, match="did you mean `research`"):
        render(snap, focus="reserch")
    with pytest.raises(orgdiff.UnknownIdError, match="did you mean `research`"):
        render(TL.diff("2023", "2024"), focus="reserch")


def test_diff_chart_colours_and_legend() -> None:
    """A diff chart: each added, removed or changed unit and person has its class and
    colour; a renamed unit says what it was; the lineage of the split is drawn; the
    legend sits below the chart."""
    d = TL.diff("2023", "2024")
    c = chart(d)
    expected = {
        "unit-engineering": ("removed", COLOURS["removed"]),
        "unit-platform": ("added", COLOURS["added"]),
        "unit-autonomy": ("added", COLOURS["added"]),
        "unit-research": ("changed", COLOURS["changed"]),
        "person-femi-adeyemi": ("added", COLOURS["added"]),
        "person-ben-okafor": ("changed", COLOURS["changed"]),
        "person-ada-park": (None, COLOURS["person"]),
    }
    for box_id, (state, colour) in expected.items():
        box = c.boxes[box_id]
        states = box.classes & {"added", "removed", "changed"}
        assert ({state} if state else set(), colour) == (states, box.stroke), box_id
    assert [
        "Applied Research",
        "formerly Research Lab",
        "moved from Engineering",
    ] == c.boxes["unit-research"].lines
    lineage = sorted((cls, colour) for cls, colour, _ in c.edges if "lineage" in cls)
    assert [(frozenset({"lineage"}), COLOURS["lineage"])] * 2 == lineage
    assert ["split into", "split into"] == [t.content for t in c.texts if t.content == "split into"]
    legend = next(t for t in c.texts if t.content.startswith("Green: added;"))
    assert all(legend.rect.top > b.rect.bottom for b in c.drawn)
    assert "Dashed: reported or rumoured, not confirmed." in [t.content for t in c.texts]


def test_tooltips_give_the_facts() -> None:
    """A hover title on each person and unit: title, unit, manager, confidence, sources."""
    svg = render_dot(render(TL.at("2024-06")).source, "svg").decode("utf-8")
    link = "{http://www.w3.org/1999/xlink}title"
    tips = {
        g.get("id"): a.get(link)
        for g in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}g")
        for a in g.iter("{http://www.w3.org/2000/svg}a")
        if g.get("id", "").startswith(("person-", "unit-"))
    }
    assert (
        "Femi Adeyemi\nPlatform Engineer\nunit: Platform\nmanager: Dara Novak\n"
        "confidence: reported\nsources: trade-press"
    ) == tips["person-femi-adeyemi"]
    assert ("Applied Research\npart of: Autonomy\nlead: Chen Li\nconfidence: confirmed") == tips[
        "unit-research"
    ]


HOSTILE = [
    ('quote "inside"', 'quote "inside"'),
    ("back\\slash", "back\\slash"),
    ("\\N and \\G and \\L", "\\N and \\G and \\L"),
    ("<b>bold</b>", "<b>bold</b>"),
    ("<", "<"),
    ("a > b & c", "a > b & c"),
    ("楊立昆", "楊立昆"),
    ("Jérôme Pesenti", "Jérôme Pesenti"),
    ("line\nbreak", "line break"),
    ("{ } [ ] ; = -> --", "{ } [ ] ; = -> --"),
    ("subgraph cluster_x { a }", "subgraph cluster_x { a }"),
    ("http://example.com/<script>", "http://example.com/<script>"),
]


@pytest.mark.parametrize(("name", "shown"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_names_are_text(name: str, shown: str) -> None:
    """Any name renders as the same text: no DOT syntax, HTML label or \\N escape leaks through.
    The unit's name, the person's name and their title are each drawn as it is (a long
    one wrapped over lines), and nothing else is drawn but the chart's date line."""
    snap = one_unit(name, person=name, title=name)
    svg = render_dot(render(snap).source, "svg").decode("utf-8")
    c = parse(svg)
    unit, person = c.boxes["unit-root"].lines, c.boxes["person-ann"].lines
    assert (shown, shown, shown) == ("".join(unit), person[0], "".join(person[1:]))
    assert [*unit, *person, "2020-01-01: an event"] == [t.content for t in c.texts]
    assert "<script" not in svg
    assert "href" not in svg


def test_node_ids_are_internal() -> None:
    """Ids from the data never appear as DOT node names."""
    src = render(TL.at("2024-06")).source
    for uid in ("acme", "platform", "research", "ada-park"):
        assert not re.search(rf"^\s*{uid}\b", src, re.M)
        assert not re.search(rf"-> {uid}\b", src)
    # They appear only as the SVG ids of their boxes.
    assert ['id="person-ada-park"'] == re.findall(r'id="[a-z-]*ada-park"', src)


def test_svg_ids_of_any_id_are_plain() -> None:
    """An id from the data becomes an SVG id of letters, digits, ``-`` and ``.`` only,
    different ids giving different SVG ids."""
    from orgdiff.render import svg_id

    ids = ["fair", "a b", 'q"x', "a_b", "a_5f_b", "楊", "x\\N", "<b>"]
    made = [svg_id("unit", i) for i in ids]
    assert len(set(made)) == len(made)
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", m) for m in made)
    assert "unit-fair" == made[0]


def test_render_rejects_other_types() -> None:
    """render() takes a Snapshot or a Diff."""
    with pytest.raises(TypeError):
        render("2024")  # type: ignore[arg-type]


def test_a_removed_root_still_gives_one_tree() -> None:
    """A diff whose root changed draws the old root under the new one."""
    a = TL.at("2024-06")
    b = attrs.evolve(
        a,
        units={
            "newco": Unit(id="newco", name="NewCo", lead="ada-park"),
            **{
                k: (attrs.evolve(u, parent="newco") if u.parent is None else u)
                for k, u in a.units.items()
                if k != "acme"
            },
        },
        people={
            k: (attrs.evolve(p, unit="newco") if p.unit == "acme" else p)
            for k, p in a.people.items()
        },
        relations=(
            Relation(
                kind="dotted-line", from_="platform", to="research", confidence=Confidence.RUMOURED
            ),
        ),
    )
    c = chart(orgdiff.diff(a, b))
    units = {box.id: box for box in c.by_class("unit")}
    outer = {
        uid: sorted(o for o, box in units.items() if o != uid and box.rect.contains(u.rect))
        for uid, u in units.items()
    }
    assert {
        "unit-newco": [],  # the one root
        "unit-acme": ["unit-newco"],
        "unit-platform": ["unit-acme", "unit-newco"],
        "unit-autonomy": ["unit-acme", "unit-newco"],
        "unit-research": ["unit-acme", "unit-autonomy", "unit-newco"],
    } == outer
    assert (["NewCo", "(added)"], ["Acme Robotics", "lead: Ada Park", "(removed)"]) == (
        units["unit-newco"].lines,
        units["unit-acme"].lines,
    )
    assert ({"unit", "added"}, {"unit", "removed"}) == (
        units["unit-newco"].classes,
        units["unit-acme"].classes,
    )


def test_a_budget_below_four_boxes_is_refused() -> None:
    """The smallest folded chart is a unit, its lead, one summary of people and one of
    units: a smaller budget is an error, not a chart that breaks it."""
    with pytest.raises(ValueError, match="at least 4 boxes, not 3"):
        render(TL.at("2024-06"), budget=3)


def test_diff_chart_styles_per_entity_as_graphviz_reads_them() -> None:
    """Graphviz's own reading of the diff chart (its JSON output): each unit and
    person with its state's class, colour, weight (bold, a 2-point border) and dash,
    every reporting and lineage line likewise, and no node besides them but one
    invisible spacer and the legend."""
    import json

    d = TL.diff("2023", "2024")
    graph = json.loads(render_dot(render(d).source, "json"))
    added, removed, changed = COLOURS["added"], COLOURS["removed"], COLOURS["changed"]
    grey = COLOURS["person"]
    entities = {
        o["id"]: (o.get("class"), o.get("color"), o.get("style"), o.get("penwidth"))
        for o in graph["objects"]
        if o.get("id", "").startswith(("unit-", "person-"))
    }
    assert {
        "unit-acme": ("unit", COLOURS["unit"], "rounded,filled", "1"),
        "unit-platform": ("unit added", added, "rounded,filled", "2"),
        "unit-autonomy": ("unit added", added, "rounded,filled", "2"),
        "unit-research": ("unit changed", changed, "rounded,filled", "2"),
        "unit-engineering": ("unit removed", removed, "rounded,filled", "2"),
        "person-ada-park": ("person", grey, "rounded", None),
        "person-eli-moreau": ("person", grey, "rounded", None),
        "person-dara-novak": ("person changed", changed, "rounded,bold", None),
        "person-ben-okafor": ("person changed", changed, "rounded,bold", None),
        "person-chen-li": ("person changed", changed, "rounded,bold", None),
        "person-femi-adeyemi": ("person added uncertain", added, "rounded,dashed,bold", None),
    } == entities
    others = sorted(
        (o.get("name"), o.get("style")) for o in graph["objects"] if o.get("id") not in entities
    )
    assert 2 == len(others)
    assert ("cluster_footer", None) == others[1]
    assert "invis" == others[0][1]
    lines = sorted((e.get("class") or "", e.get("color"), e.get("style")) for e in graph["edges"])
    assert [
        ("", grey, "invis"),
        ("lineage", COLOURS["lineage"], "bold"),
        ("lineage", COLOURS["lineage"], "bold"),
        ("relation uncertain", COLOURS["relation"], "dashed"),
        ("reports-to", grey, "solid"),
        ("reports-to", grey, "solid"),
        ("reports-to", grey, "solid"),
        ("reports-to added", added, "bold"),
        ("reports-to removed", removed, "dashed"),
        ("reports-to uncertain added", added, "dashed"),
    ] == lines


def dot_nodes(source: str, prefix: str) -> dict[str, dict[str, str]]:
    """The attributes of each DOT node statement whose internal id starts with ``prefix``
    (``s`` for summaries), by the node's SVG id; quoted values unquoted."""
    out: dict[str, dict[str, str]] = {}
    for line in source.splitlines():
        m = re.fullmatch(rf"\s*{prefix}\d+ \[(.*)\]", line)
        if m is None:
            continue
        found = re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|[^\s"]+)', m.group(1))
        fields = {k: v[1:-1] if v.startswith('"') else v for k, v in found}
        out[fields["id"]] = fields
    return out


def footer(source: str) -> str:
    """The footer's label (its lines joined by ``\\n``)."""
    m = re.search(r'id=footer label="((?:[^"\\]|\\.)*)"', source)
    assert m is not None
    return m.group(1)


def test_summary_boxes_say_what_they_fold_and_what_the_diff_did() -> None:
    """A folded unit is one grey box: its name and what it holds ("3 people in 2 units"),
    of class summary and unit, grey in a chart of a date; in a diff chart it takes the
    colour, class and bold line of what the diff did to the unit. The footer counts
    the grey boxes and what they stand for."""
    tip = "{}\\npart of: Acme Robotics\\nlead: {}\\nconfidence: confirmed"
    grey = {"color": COLOURS["unit"], "fillcolor": COLOURS["summary-fill"]}
    src = render(TL.at("2024-06"), budget=4).source
    assert {
        "unit-platform": {
            "label": "Platform\\n— 2 people",
            "class": "summary unit",
            **grey,
            "fontcolor": COLOURS["unit"],
            "id": "unit-platform",
            "style": "rounded,filled",
            "tooltip": tip.format("Platform", "Dara Novak"),
            "width": "1.014",
        },
        "unit-autonomy": {
            "label": "Autonomy\\n— 3 people in 2 units",
            "class": "summary unit",
            **grey,
            "fontcolor": COLOURS["unit"],
            "id": "unit-autonomy",
            "style": "rounded,filled",
            "tooltip": tip.format("Autonomy", "Ben Okafor"),
            "width": "1.758",
        },
    } == dot_nodes(src, "s")
    assert (
        "To fit, 2 grey boxes stand for 3 units and 5 people.\\n"
        "See them with --focus UNIT, --depth N or --all."
    ) == footer(src)

    src = render(TL.diff("2023", "2024"), depth=0).source
    nodes = dot_nodes(src, "s")
    assert {
        uid: (n["label"], n["class"], n["color"], n["fontcolor"], n["style"], n["tooltip"])
        for uid, n in nodes.items()
    } == {
        "unit-platform": (
            "Platform\\n— 2 people",
            "summary unit added",
            COLOURS["added"],
            COLOURS["added"],
            "rounded,filled,bold",
            tip.format("Platform", "Dara Novak") + "\\nin this diff: added",
        ),
        "unit-autonomy": (
            "Autonomy\\n— 3 people in 2 units",
            "summary unit added",
            COLOURS["added"],
            COLOURS["added"],
            "rounded,filled,bold",
            tip.format("Autonomy", "Ben Okafor") + "\\nin this diff: added",
        ),
        "unit-engineering": (
            "Engineering\\n— 0 people",
            "summary unit removed",
            COLOURS["removed"],
            COLOURS["removed"],
            "rounded,filled,bold",
            tip.format("Engineering", "Ben Okafor") + "\\nin this diff: removed",
        ),
    }
    assert footer(src).endswith(
        "\\nTo fit, 3 grey boxes stand for 4 units and 5 people."
        "\\nSee them with --focus UNIT, --depth N or --all."
    )


def _hq_with_three_teams() -> Snapshot:
    """HQ, led by `boss`, with six direct reports and three one-person teams."""
    units = {"hq": Unit(id="hq", name="HQ", lead="boss")}
    people = {"boss": Person(id="boss", unit="hq")}
    people.update({f"r{i}": Person(id=f"r{i}", unit="hq", reports_to="boss") for i in range(6)})
    for k in range(3):
        units[f"t{k}"] = Unit(id=f"t{k}", name=f"Team {k}", parent="hq", lead=f"l{k}")
        people[f"l{k}"] = Person(id=f"l{k}", unit=f"t{k}", reports_to="boss")
    return Snapshot(
        date=dt.date(2020, 1, 1),
        event="e",
        units=units,
        people=people,
        identities={p: Identity(id=p, name=p.upper()) for p in people},
    )


def test_a_top_unit_too_big_folds_its_people_and_units_into_counted_boxes() -> None:
    """A top unit with more people and units than the budget shows its lead and folds
    the rest: "3 more units under HQ" and "… and 6 more people in HQ" (ids
    ``more-units-hq``, ``more-people-hq``, class summary only); with room, a folded
    team of one is "— 1 person"."""
    snap = _hq_with_three_teams()
    grey = {
        "class": "summary",
        "color": COLOURS["unit"],
        "fillcolor": COLOURS["summary-fill"],
        "fontcolor": COLOURS["unit"],
        "style": "rounded,filled",
    }
    more_people = {
        "label": "… and 6 more people\\nin HQ",
        **grey,
        "id": "more-people-hq",
        "width": "1.783",
    }
    src = render(snap, budget=4).source
    assert {
        "more-units-hq": {
            "label": "3 more units under\\nHQ\\n— 3 people in 3 units",
            **grey,
            "id": "more-units-hq",
            "width": "1.758",
        },
        "more-people-hq": more_people,
    } == dot_nodes(src, "[sm]")
    assert footer(src).startswith("To fit, 2 grey boxes stand for 3 units and 9 people.")
    src = render(snap, budget=8).source
    team = {**grey, "class": "summary unit", "width": "1.019"}
    tip = "Team {}\\npart of: HQ\\nlead: L{}\\nconfidence: confirmed"
    assert {
        "unit-t1": {
            "label": "Team 1\\n— 1 person",
            **team,
            "id": "unit-t1",
            "tooltip": tip.format(1, 1),
        },
        "unit-t2": {
            "label": "Team 2\\n— 1 person",
            **team,
            "id": "unit-t2",
            "tooltip": tip.format(2, 2),
        },
        "more-people-hq": more_people,
    } == dot_nodes(src, "[sm]")
    assert footer(src).startswith("To fit, 3 grey boxes stand for 2 units and 8 people.")


def reporting_lines(source: str) -> list[tuple[str, str, str]]:
    """Each reporting line of a chart's DOT (not a stack's spine): the SVG ids of the
    manager and the report, and the line's attributes as written."""
    ids = {
        m.group(1): m.group(2) for m in re.finditer(r'^\s*(\w+) \[.*?\bid="([^"]+)"', source, re.M)
    }
    return sorted(
        (ids[m.group(1)], ids[m.group(2)], m.group(3))
        for m in re.finditer(r"^\s*(\w+) -> (\w+) \[(.*)\]$", source, re.M)
        if "reports-to" in m.group(3) and "spine" not in m.group(3)
    )


def test_reporting_lines_are_coloured_by_what_the_diff_did() -> None:
    """In a diff chart a new reporting line is green and bold (dashed if uncertain), a
    reporting line that ended is red, dashed and ranks nothing; the others stay grey
    and solid, as every line does in a chart of one date but an uncertain one."""
    grey = f'class="reports-to" color="{COLOURS["person"]}" style=solid'
    added = f'color="{COLOURS["added"]}"'
    assert [
        ("person-ada-park", "person-ben-okafor", grey),
        ("person-ada-park", "person-dara-novak", f'class="reports-to added" {added} style=bold'),
        ("person-ben-okafor", "person-chen-li", grey),
        (
            "person-ben-okafor",
            "person-dara-novak",
            f'class="reports-to removed" color="{COLOURS["removed"]}" constraint=false style=dashed',
        ),
        ("person-chen-li", "person-eli-moreau", grey),
        (
            "person-dara-novak",
            "person-femi-adeyemi",
            f'class="reports-to uncertain added" {added} style=dashed',
        ),
    ] == reporting_lines(render(TL.diff("2023", "2024")).source)
    uncertain = f'class="reports-to uncertain" color="{COLOURS["person"]}" style=dashed'
    assert [
        ("person-ada-park", "person-ben-okafor", grey),
        ("person-ada-park", "person-dara-novak", grey),
        ("person-ben-okafor", "person-chen-li", grey),
        ("person-chen-li", "person-eli-moreau", grey),
        ("person-dara-novak", "person-femi-adeyemi", uncertain),
    ] == reporting_lines(render(TL.at("2024-06")).source)


def dot_statements(source: str) -> list[tuple[Any, ...]]:
    """Every statement of a chart's DOT in order, parsed: ``("node", name, attrs)``,
    ``("edge", tail, head, attrs)``, ``("attrs", attrs)`` (a subgraph's own
    attributes), ``("default", "graph" | "node" | "edge", attrs)``, ``("subgraph", name)``, ``("{",)`` and ``("}",)``. A node is named
    by its SVG id when it has one, else by its internal id; a line that is none of
    these fails the parse."""

    def fields(text: str) -> dict[str, str]:
        found = re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|[^\s"]+)( |$)', text)
        assert text == "".join(f"{k}={v}{sep}" for k, v, sep in found), text
        return {k: v[1:-1] if v.startswith('"') else v for k, v, _ in found}

    lines = [line.strip() for line in source.splitlines()[1:-1] if line.strip()]
    names: dict[str, str] = {}
    for line in lines:
        m = re.fullmatch(r"(\w+) \[(.*)\]", line)
        if m is not None and "id" in fields(m.group(2)):
            names[m.group(1)] = fields(m.group(2))["id"]
    out: list[tuple[Any, ...]] = []
    for line in lines:
        if line in ("{", "}"):
            out.append((line,))
        elif m := re.fullmatch(r"subgraph (\w+) \{", line):
            out.append(("subgraph", m.group(1)))
        elif m := re.fullmatch(r"(\w+) -> (\w+) \[(.*)\]", line):
            tail, head = (names.get(n, n) for n in m.group(1, 2))
            out.append(("edge", tail, head, fields(m.group(3))))
        elif m := re.fullmatch(r"(graph|node|edge) \[(.*)\]", line):
            out.append(("default", m.group(1), fields(m.group(2))))
        elif m := re.fullmatch(r"(\w+) \[(.*)\]", line):
            out.append(("node", names.get(m.group(1), m.group(1)), fields(m.group(2))))
        else:
            out.append(("attrs", fields(line)))
    return out


def team(reports: int, unknown: int = 0) -> Snapshot:
    """One unit: a boss, ``reports`` people reporting to the boss (``r0``, ``r1``, …)
    and ``unknown`` people whose manager is not known (``x0``, …)."""
    people = {"boss": Person(id="boss", unit="hq")}
    people.update(
        {f"r{i}": Person(id=f"r{i}", unit="hq", reports_to="boss") for i in range(reports)}
    )
    people.update({f"x{i}": Person(id=f"x{i}", unit="hq") for i in range(unknown)})
    return Snapshot(
        date=dt.date(2020, 1, 1),
        event="e",
        units={"hq": Unit(id="hq", name="HQ", lead="boss")},
        people=people,
        identities={p: Identity(id=p, name=p.upper()) for p in people},
    )


def stack_of(source: str) -> list[tuple[Any, ...]]:
    """The statements of the chart's one stack, from its cluster's opening to its end."""
    statements = dot_statements(source)
    start = next(i for i, s in enumerate(statements) if str(s[-1]).startswith("cluster_s"))
    depth = 0
    for end in range(start, len(statements)):
        depth += {"subgraph": 1, "{": 1, "}": -1}.get(str(statements[end][0]), 0)
        if depth == 0:
            return statements[start : end + 1]
    raise AssertionError("the stack's cluster is not closed")


def stack_rows(
    junctions: list[str], top: str, pairs: list[list[tuple[str, str]]], drawn: int
) -> list[tuple[Any, ...]]:
    """The statements a stack's rows should be: row ``r`` is junction ``junctions[r]``,
    the spine to it from the row above (from ``top`` first), and its ticks ``pairs[r]``
    on its rank; rows from ``drawn`` on, and ticks to an ``x`` person, are invisible."""
    tick = {"class": "reports-to", "color": COLOURS["person"], "style": "solid"}
    hidden = {"style": "invis"}
    out: list[tuple[Any, ...]] = []
    for r, (j, pair) in enumerate(zip(junctions, pairs, strict=True)):
        line = hidden if r >= drawn else {}
        point = {"label": "", "class": "junction", "height": "0.02", "width": "0.02"}
        out += [
            ("node", j, {**point, "shape": "point", **line}),
            (
                "edge",
                junctions[r - 1] if r else top,
                j,
                {"class": "reports-to spine", **line, "weight": "20"},
            ),
            ("{",),
            ("attrs", {"rank": "same"}),
            *[
                (
                    "edge",
                    t,
                    h,
                    {**(hidden if "-x" in t + h else tick), "minlen": "0", "weight": "100"},
                )
                for t, h in pair
            ],
            ("}",),
        ]
    return out


def test_a_stack_hangs_its_reports_from_a_spine_of_junctions() -> None:
    """Reports of one manager hang in a stack: an invisible cluster (no border, label,
    tooltip or fill, class stack) holding one junction point a row, joined by a spine
    from the manager (weight 20), and a tick to each report on the junction's rank
    (weight 100, no length) styled as the report's line. A report whose manager is
    not known goes last, its tick, junction and spine invisible. Past 12 reports the
    stack has two columns, the first one the longer, the junctions between them."""
    src = render(team(2, unknown=1)).source
    stack = stack_of(src)
    cluster = str(stack[0][1])
    assert [
        ("subgraph", cluster),
        (
            "attrs",
            {
                "bgcolor": "transparent",
                "class": "stack",
                "id": f"stack-{cluster.removeprefix('cluster_')}",
                "label": "",
                "peripheries": "0",
                "style": "solid",
                "tooltip": "",
            },
        ),
        *stack_rows(
            ["j6", "j7", "j8"],
            "person-boss",
            [[("j6", "person-r0")], [("j7", "person-r1")], [("j8", "person-x0")]],
            drawn=2,
        ),
        ("}",),
    ] == stack
    assert ("subgraph", "cluster_s5") == stack[0]

    stack = stack_of(render(team(13)).source)
    assert ("subgraph", "cluster_s15") == stack[0]
    pairs = [[(f"person-r{r}", f"j{16 + r}"), (f"j{16 + r}", f"person-r{r + 7}")] for r in range(6)]
    pairs.append([("person-r6", "j22")])
    assert (
        stack_rows([f"j{16 + r}" for r in range(7)], "person-boss", pairs, drawn=7) == stack[2:-1]
    )

    # Twelve reports still hang in one column.
    stack = stack_of(render(team(12)).source)
    pairs = [[(f"j{15 + r}", f"person-r{r}")] for r in range(12)]
    assert (
        stack_rows([f"j{15 + r}" for r in range(12)], "person-boss", pairs, drawn=12) == stack[2:-1]
    )


def test_units_only_diff_chart_draws_each_unit_as_a_box_of_its_state() -> None:
    """In a chart of units of a diff each unit is a box of its own (class unit, its
    state and "uncertain" if not confirmed), grey and thin if the diff left it alone,
    else bold in its state's colour; dashed if not confirmed, filled otherwise; its
    lead named under its name; lineage lines labelled, ranking their ends."""
    a, b = TL.at("2023"), TL.at("2024-06")
    acme = attrs.evolve(b.units["acme"], confidence=Confidence.REPORTED)
    platform = attrs.evolve(b.units["platform"], confidence=Confidence.REPORTED)
    a = attrs.evolve(a, units={**a.units, "acme": acme})
    b = attrs.evolve(b, units={**b.units, "acme": acme, "platform": platform})
    src = render(orgdiff.diff(a, b), units_only=True).source
    added, removed, changed = COLOURS["added"], COLOURS["removed"], COLOURS["changed"]
    tip = "{}\\npart of: {}\\nlead: {}\\nconfidence: {}\\nin this diff: {}"

    def box(
        label: str, cls: str, colour: str, style: str, tooltip: str, width: str
    ) -> dict[str, str]:
        return {
            "label": label,
            "class": cls,
            "color": colour,
            "fillcolor": COLOURS["unit-fill"],
            "fontcolor": colour,
            "fontsize": "11.0",
            "style": style,
            "tooltip": tooltip,
            "width": width,
        }

    nodes = {s[1]: s[2] for s in dot_statements(src) if s[0] == "node"}
    assert {
        "unit-acme": box(
            "Acme Robotics\\nlead: Ada Park\\n[reported]",
            "unit uncertain",
            COLOURS["unit"],
            "rounded,dashed",
            "Acme Robotics\\nlead: Ada Park\\nconfidence: reported",
            "1.421",
        ),
        "unit-platform": box(
            "Platform\\nlead: Dara Novak\\n(added)\\n[reported]",
            "unit added uncertain",
            added,
            "rounded,dashed,bold",
            tip.format("Platform", "Acme Robotics", "Dara Novak", "reported", "added"),
            "1.624",
        ),
        "unit-autonomy": box(
            "Autonomy\\nlead: Ben Okafor\\n(added)",
            "unit added",
            added,
            "rounded,filled,bold",
            tip.format("Autonomy", "Acme Robotics", "Ben Okafor", "confirmed", "added"),
            "1.581",
        ),
        "unit-engineering": box(
            "Engineering\\nlead: Ben Okafor\\n(removed)",
            "unit removed",
            removed,
            "rounded,filled,bold",
            tip.format("Engineering", "Acme Robotics", "Ben Okafor", "confirmed", "removed"),
            "1.581",
        ),
        "unit-research": box(
            "Applied Research\\nformerly Research Lab\\nmoved from Engineering\\nlead: Chen Li",
            "unit changed",
            changed,
            "rounded,filled,bold",
            tip.format("Applied Research", "Autonomy", "Chen Li", "confirmed", "changed"),
            "2.243",
        ),
    } == {uid: {k: v for k, v in n.items() if k != "id"} for uid, n in nodes.items()}
    assert all(uid == n["id"] for uid, n in nodes.items())
    lineage = {"arrowhead": "vee", "class": "lineage", "color": COLOURS["lineage"]}
    lineage |= {"constraint": "true", "fontcolor": COLOURS["lineage"], "style": "bold"}
    part_of = {"class": "part-of"}
    assert [
        ("unit-acme", "unit-platform", part_of),
        ("unit-acme", "unit-autonomy", part_of),
        ("unit-acme", "unit-engineering", part_of),
        ("unit-autonomy", "unit-research", part_of),
        (
            "unit-engineering",
            "unit-autonomy",
            {"label": "split into", **lineage, "id": "lineage-engineering_0_autonomy"},
        ),
        (
            "unit-engineering",
            "unit-platform",
            {"label": "split into", **lineage, "id": "lineage-engineering_0_platform"},
        ),
    ] == [s[1:] for s in dot_statements(src) if s[0] == "edge"]


def lines_of(source: str, cls: str) -> list[tuple[Any, ...]]:
    """``(tail, head, attrs)`` of each line of the chart whose class starts with ``cls``,
    in order; ``ltail``/``lhead`` name the SVG id of the unit box they clip to."""
    statements = dot_statements(source)
    boxes = {
        s[1]: n[1]["id"]
        for s, n in itertools.pairwise(statements)
        if s[0] == "subgraph" and n[0] == "attrs"
    }
    out: list[tuple[Any, ...]] = []
    for s in statements:
        if s[0] == "edge" and s[3].get("class", "").startswith(cls):
            attrs_ = {k: boxes.get(v, v) if k in ("ltail", "lhead") else v for k, v in s[3].items()}
            out.append((s[1], s[2], attrs_))
    return out


def anchor_of(source: str) -> str:
    """The internal id of the chart's one anchor (the invisible box heading a unit none
    of whose leads is drawn in it)."""
    (anchor,) = [s[1] for s in dot_statements(source) if s[0] == "node" and str(s[1])[0] == "a"]
    return str(anchor)


def test_relation_lines_clip_to_the_boxes_they_join_and_skip_what_is_not_drawn() -> None:
    """A relation between units runs between their boxes (``ltail``/``lhead``: from and
    to the box's edge, from its lead or its invisible anchor), except where one end
    is inside the other's box; a folded unit is its grey box; a line from a unit to
    itself, or to a unit or person not drawn, is left out. In a chart of units it
    joins the units' boxes."""
    units = {
        "hq": Unit(id="hq", name="HQ", lead="boss"),
        "ops": Unit(id="ops", name="Ops", parent="hq", lead="olga"),
        "lab": Unit(id="lab", name="Lab", parent="hq"),
        "deep": Unit(id="deep", name="Deep", parent="lab", lead="dan"),
    }
    people = {
        "boss": Person(id="boss", unit="hq"),
        "olga": Person(id="olga", unit="ops", reports_to="boss"),
        "otto": Person(id="otto", unit="ops", reports_to="olga"),
        "dan": Person(id="dan", unit="deep", reports_to="boss"),
    }
    ends = [("ops", "deep"), ("otto", "ops"), ("ops", "otto"), ("deep", "hq")]
    ends += [("lab", "otto"), ("otto", "dan"), ("ops", "ops")]
    snap = Snapshot(
        date=dt.date(2020, 1, 1),
        event="e",
        units=units,
        people=people,
        relations=tuple(
            Relation(kind=kind, from_=a, to=b) for kind, (a, b) in zip("abcdefg", ends, strict=True)
        ),
        identities={p: Identity(id=p, name=p.upper()) for p in people},
    )
    col = COLOURS["relation"]
    line = {"arrowhead": "vee", "class": "relation", "color": col, "constraint": "false"}
    line |= {"fontcolor": col, "style": "dashed"}
    anchor = anchor_of(render(snap).source)
    assert [
        (
            "person-olga",
            "person-dan",
            {"label": "a", **line, "lhead": "unit-deep", "ltail": "unit-ops"},
        ),
        ("person-otto", "person-olga", {"label": "b", **line}),
        ("person-olga", "person-otto", {"label": "c", **line}),
        ("person-dan", "person-boss", {"label": "d", **line, "ltail": "unit-deep"}),
        (anchor, "person-otto", {"label": "e", **line, "ltail": "unit-lab"}),
        ("person-otto", "person-dan", {"label": "f", **line}),
    ] == lines_of(render(snap).source, "relation")
    src = render(snap, depth=1).source
    anchor = anchor_of(src)
    assert [
        ("person-olga", "unit-deep", {"label": "a", **line, "ltail": "unit-ops"}),
        ("person-otto", "person-olga", {"label": "b", **line}),
        ("person-olga", "person-otto", {"label": "c", **line}),
        ("unit-deep", "person-boss", {"label": "d", **line}),
        (anchor, "person-otto", {"label": "e", **line, "ltail": "unit-lab"}),
    ] == lines_of(src, "relation")
    assert [
        ("unit-ops", "unit-deep", {"label": "a", **line}),
        ("unit-deep", "unit-hq", {"label": "d", **line}),
    ] == lines_of(render(snap, units_only=True).source, "relation")
    assert [] == lines_of(render(snap, focus="lab").source, "relation")


def test_lineage_lines_run_between_unit_boxes_and_are_dashed_when_uncertain() -> None:
    """A lineage line is blue and bold, dashed too if the change is not confirmed (of
    class lineage, and uncertain); among people's boxes it clips to both units' boxes,
    its label placed after the layout (``xlabel``) and ranking nothing; in a chart of
    units it is a ``label`` and ranks the old unit above the new one."""
    a, b = TL.at("2023"), TL.at("2024-06")
    eng = attrs.evolve(a.units["engineering"], confidence=Confidence.REPORTED)
    d = orgdiff.diff(attrs.evolve(a, units={**a.units, "engineering": eng}), b)
    blue = COLOURS["lineage"]
    line = {"arrowhead": "vee", "color": blue, "fontcolor": blue}
    dashed = {**line, "class": "lineage uncertain", "style": "dashed,bold"}
    src = render(d).source
    anchor = anchor_of(src)
    clip = {"constraint": "false", "ltail": "unit-engineering", "xlabel": "split into"}
    assert [
        (
            anchor,
            "person-ben-okafor",
            {**dashed, **clip, "id": "lineage-engineering_0_autonomy", "lhead": "unit-autonomy"},
        ),
        (
            anchor,
            "person-dara-novak",
            {**dashed, **clip, "id": "lineage-engineering_0_platform", "lhead": "unit-platform"},
        ),
    ] == lines_of(src, "lineage")
    ranked = {"constraint": "true", "label": "split into"}
    assert [
        (
            "unit-engineering",
            "unit-autonomy",
            {**dashed, **ranked, "id": "lineage-engineering_0_autonomy"},
        ),
        (
            "unit-engineering",
            "unit-platform",
            {**dashed, **ranked, "id": "lineage-engineering_0_platform"},
        ),
    ] == lines_of(render(d, units_only=True).source, "lineage")
    d = TL.diff("2024", "2025")
    src = render(d).source
    anchor = anchor_of(src)
    solid = {**line, "class": "lineage", "style": "bold", "id": "lineage-platform_0_autonomy"}
    assert [
        (
            anchor,
            "person-dara-novak",
            {
                **solid,
                "constraint": "false",
                "lhead": "unit-autonomy",
                "ltail": "unit-platform",
                "xlabel": "merged into",
            },
        ),
    ] == lines_of(src, "lineage")
    assert [
        ("unit-platform", "unit-autonomy", {**solid, "constraint": "true", "label": "merged into"}),
    ] == lines_of(render(d, units_only=True).source, "lineage")


def boxes_of(source: str) -> dict[str, str]:
    """The SVG id of the innermost unit box holding each node and unit box that has an
    SVG id ("" for none)."""
    out: dict[str, str] = {}
    stack: list[str] = []
    statements = dot_statements(source)
    for s, n in itertools.pairwise([*statements, ("}",)]):
        if s[0] in ("subgraph", "{"):
            box = n[1].get("id", "") if s[0] == "subgraph" and n[0] == "attrs" else ""
            if box.startswith("unit-"):
                out[box] = next((b for b in reversed(stack) if b.startswith("unit-")), "")
            stack.append(box)
        elif s[0] == "}":
            stack.pop()
        elif s[0] == "node" and "id" in s[2]:
            out[s[1]] = next((b for b in reversed(stack) if b.startswith("unit-")), "")
    return out


def test_a_lead_from_a_unit_above_heads_the_unit_they_lead() -> None:
    """A lead whose own unit is above the unit they lead (its parent, or further up)
    heads that unit's box; a chart draws a unit whose parent is not known to it (an
    unchecked snapshot) as a top unit, and a line to or from it as to any box."""
    units = {
        "hq": Unit(id="hq", name="HQ", lead="ceo", parent="gone"),
        "lab": Unit(id="lab", name="Lab", parent="hq", lead="cto"),
        "deep": Unit(id="deep", name="Deep", parent="lab", lead="cso"),
    }
    people = {
        "ceo": Person(id="ceo", unit="hq"),
        "cto": Person(id="cto", unit="hq", reports_to="ceo"),
        "cso": Person(id="cso", unit="hq", reports_to="ceo"),
        "dev": Person(id="dev", unit="deep", reports_to="cso"),
    }
    snap = Snapshot(
        date=dt.date(2020, 1, 1),
        event="e",
        units=units,
        people=people,
        relations=(Relation(kind="funds", from_="hq", to="deep"),),
        identities={p: Identity(id=p, name=p.upper()) for p in people},
    )
    col = COLOURS["relation"]
    assert [
        (
            "person-ceo",
            "person-cso",
            {"label": "funds", "arrowhead": "vee", "class": "relation", "color": col}
            | {"constraint": "false", "fontcolor": col, "lhead": "unit-deep", "style": "dashed"},
        )
    ] == lines_of(render(snap).source, "relation")
    assert {
        "unit-hq": "",
        "unit-lab": "unit-hq",
        "unit-deep": "unit-lab",
        "person-ceo": "unit-hq",
        "person-cto": "unit-lab",
        "person-cso": "unit-deep",
        "person-dev": "unit-deep",
    } == boxes_of(render(snap).source)


def test_the_boxes_of_what_an_open_unit_folds_stay_grey_whatever_the_diff_did() -> None:
    """The "more people" and "more units" boxes of a unit the diff changed are grey,
    of class summary only: the colour is the unit's, on its own box."""
    a = _hq_with_three_teams()
    b = attrs.evolve(
        a, date=dt.date(2021, 1, 1), units={**a.units, "hq": Unit(id="hq", name="HQ2", lead="boss")}
    )
    src = render(orgdiff.diff(a, b), budget=4).source
    nodes = dot_nodes(src, "[sm]")
    assert {
        "more-units-hq": ("summary", COLOURS["unit"], COLOURS["unit"], "rounded,filled"),
        "more-people-hq": ("summary", COLOURS["unit"], COLOURS["unit"], "rounded,filled"),
    } == {k: (n["class"], n["color"], n["fontcolor"], n["style"]) for k, n in nodes.items()}
    (hq,) = [s[1] for s in dot_statements(src) if s[0] == "attrs" and s[1].get("id") == "unit-hq"]
    assert ("unit changed", COLOURS["changed"]) == (hq["class"], hq["color"])


def test_a_stack_of_reports_with_no_known_manager_is_all_invisible() -> None:
    """People whose manager is not known hang below their unit's lead in a stack
    whose junctions, spine and ticks are all invisible: no line says they report."""
    stack = stack_of(render(team(0, unknown=3)).source)
    pairs = [[(f"j{6 + r}", f"person-x{r}")] for r in range(3)]
    assert stack_rows([f"j{6 + r}" for r in range(3)], "person-boss", pairs, drawn=0) == stack[2:-1]


def test_lineage_lines_name_what_became_of_a_unit() -> None:
    """A unit replaced by one new unit made from it alone "became" it; a new unit made
    from a unit that goes on was "split off" from it; units only added, with no
    lineage, hang in a stack below their parent like any leaves."""
    base = one_unit("HQ")
    units = {
        **base.units,
        "old": Unit(id="old", name="Old", parent="root"),
        "keep": Unit(id="keep", name="Keep", parent="root"),
    }
    a = attrs.evolve(base, units=units)
    later = {
        **base.units,
        "new": Unit(id="new", name="New", parent="root", from_=("old",)),
        "keep": Unit(id="keep", name="Keep", parent="root"),
        "spin": Unit(id="spin", name="Spin", parent="keep", from_=("keep",)),
        "x1": Unit(id="x1", name="X1", parent="spin"),
        "x2": Unit(id="x2", name="X2", parent="spin"),
    }
    b = attrs.evolve(base, date=dt.date(2021, 1, 1), units=later)
    src = render(orgdiff.diff(a, b), units_only=True).source
    blue = COLOURS["lineage"]
    line = {"arrowhead": "vee", "class": "lineage", "color": blue, "constraint": "true"}
    line |= {"fontcolor": blue, "style": "bold"}
    assert [
        ("unit-keep", "unit-spin", {"label": "split off", **line, "id": "lineage-keep_0_spin"}),
        ("unit-old", "unit-new", {"label": "became", **line, "id": "lineage-old_0_new"}),
    ] == lines_of(src, "lineage")
    stack = stack_of(src)
    assert ["unit-x1", "unit-x2"] == [
        s[2] for s in stack if s[0] == "edge" and s[3].get("class") == "part-of"
    ]
