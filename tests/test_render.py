"""Charts: DOT structure, styles and escaping; SVG through both engines."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from pathlib import Path

import attrs
import pytest

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


def svg_text(svg: str) -> str:
    """All text drawn in an SVG, unescaped, joined by newlines."""
    return "\n".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def test_snapshot_chart_structure() -> None:
    """Units are nested clusters labelled with name and lead; people sit inside; title has the date."""
    g = render(TL.at("2024-06"))
    src = g.source
    assert src.count("subgraph cluster_") == 4
    assert 'label="Applied Research\\nlead: Chen Li"' in src
    assert 'label="Éli Moreau\\nResearch Scientist"' in src
    assert (
        'label="2024-06-03: Engineering split into Platform and Autonomy; Research Lab renamed Applied Research"'
        in src
    )


def test_uncertain_facts_are_dashed() -> None:
    """A reported person is dashed; a relation is dashed, labelled and does not constrain layout."""
    src = render(TL.at("2024-06")).source
    assert re.search(
        r'label="Femi Adeyemi\\nPlatform Engineer\\n\[reported\]"[^\]]*style="rounded,dashed"', src
    )
    rel = [line for line in src.splitlines() if "dotted-line" in line]
    assert len(rel) == 1
    assert "style=dashed" in rel[0]
    assert "constraint=false" in rel[0]


def test_options_focus_depth_units_only() -> None:
    """focus draws a subtree, depth cuts levels, units_only drops people."""
    snap = TL.at("2024-06")
    assert render(snap, focus="autonomy").source.count("subgraph cluster_") == 2
    assert render(snap, depth=0).source.count("subgraph cluster_") == 1
    assert render(snap, depth=1).source.count("subgraph cluster_") == 3
    assert "Éli Moreau" not in render(snap, units_only=True).source
    with pytest.raises(orgdiff.UnknownIdError, match="did you mean `research`"):
        render(snap, focus="reserch")


def test_diff_chart_colours_and_legend() -> None:
    """A diff chart: added green, removed red, changed amber, renamed says 'formerly', with a legend."""
    src = render(TL.diff("2023", "2024")).source
    assert "cluster_legend" in src
    assert (
        re.search(r'label="Engineering\\nlead: Ben Okafor\\n\(removed\)"[^\n]*', src)
        or "Engineering" in src
    )
    assert f'color="{COLOURS["removed"]}"' in src
    assert f'color="{COLOURS["added"]}"' in src
    assert "formerly Research Lab" in src
    assert f'color="{COLOURS["changed"]}"' in src


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
    """Any name renders as the same text: no DOT syntax, HTML label or \\N escape leaks through."""
    snap = one_unit(name, person=name, title=name)
    svg = render_dot(render(snap).source, "svg").decode("utf-8")
    text = svg_text(svg)
    assert shown in text
    assert "<script" not in svg
    assert "href" not in svg


def test_node_ids_are_internal() -> None:
    """Ids from the data never appear as DOT node names."""
    src = render(TL.at("2024-06")).source
    for uid in ("acme", "platform", "research"):
        assert not re.search(rf"^\s*{uid}\b", src, re.M)
    assert "ada-park" not in src


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
    svg = render_dot(render(orgdiff.diff(a, b)).source, "svg").decode()
    assert "NewCo" in svg_text(svg)
    assert "Acme Robotics" in svg_text(svg)
