"""Exports (`orgdiff export`, `orgdiff.export`): each format read back by a real parser."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import attrs
import networkx as nx
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings

import orgdiff
from orgdiff.formats.mermaid import label
from orgdiff.formats.table import neutralise
from orgdiff.model import Snapshot
from tests.strategies import snapshots, timelines

EXAMPLE = Path(__file__).parent / "data" / "example"
NASTY = 'A "quoted" [x] (y) {z} <b>#1</b> & `code` *em* _u_ |p|; \\n end'


def example() -> orgdiff.Timeline:
    return orgdiff.load(EXAMPLE)


def nasty_snapshot() -> Snapshot:
    """The 2024 example with every name and title full of what formats must escape."""
    snap = example().at("2024-06-03")
    units = {k: attrs.evolve(u, name=f"{NASTY} {k}") for k, u in snap.units.items()}
    people = {
        k: attrs.evolve(p, title=f"=cmd|' /C calc'!A0 {NASTY}") for k, p in snap.people.items()
    }
    return attrs.evolve(snap, units=units, people=people)


def test_export_is_a_lazy_attribute() -> None:
    """`orgdiff.export` is imported on first use and listed in __all__."""
    assert "export" in orgdiff.__all__
    from orgdiff.exports import export

    assert orgdiff.export is export


def test_flat_json_as_d3_org_chart_takes_it() -> None:
    snap = example().at("2024-06-03")
    nodes = json.loads(orgdiff.export(snap, "json"))
    assert nodes[:2] == [
        {
            "id": "ada-park",
            "parentId": None,
            "name": "Ada Park",
            "title": "Chief Executive",
            "unit": "acme",
            "unitName": "Acme Robotics",
            "confidence": "confirmed",
        },
        {
            "id": "ben-okafor",
            "parentId": "ada-park",
            "name": "Ben Okafor",
            "title": "VP Autonomy",
            "unit": "autonomy",
            "unitName": "Autonomy",
            "confidence": "confirmed",
        },
    ]
    assert [n["id"] for n in nodes] == list(snap.people)


def _graph_checks(g: nx.DiGraph, snap: Snapshot) -> None:
    people = {f"person:{p}" for p in snap.people}
    units = {f"unit:{u}" for u in snap.units}
    assert people | units == set(g.nodes)
    manages = {(a, b) for a, b, kind in g.edges(data="kind") if kind == "manages"}
    assert manages == {
        (f"person:{p.reports_to}", f"person:{p.id}")
        for p in snap.people.values()
        if p.reports_to is not None
    }


@settings(max_examples=30)
@given(snapshots(max_units=6, max_people=10))
def test_graphs_parse_back_with_networkx(snap: Snapshot) -> None:
    """Invariant: GraphML (read_graphml) and node-link (node_link_graph) give back every unit,
    person and reporting line, whatever the names hold."""
    g = nx.read_graphml(io.BytesIO(orgdiff.export(snap, "graphml").encode("utf-8")))
    _graph_checks(g, snap)
    for pid, p in snap.people.items():
        assert g.nodes[f"person:{pid}"]["unit"] == p.unit
        assert g.nodes[f"person:{pid}"].get("title") == p.title
    data = json.loads(orgdiff.export(snap, "node-link"))
    _graph_checks(nx.node_link_graph(data, edges="links"), snap)
    _graph_checks(snap.to_networkx(), snap)


def test_graphml_escapes_xml_and_keeps_the_text() -> None:
    snap = nasty_snapshot()
    text = orgdiff.export(snap, "graphml")
    assert isinstance(text, str)
    g = nx.read_graphml(io.BytesIO(text.encode("utf-8")))
    assert g.nodes["unit:acme"]["label"] == f"{NASTY} acme"
    assert g.nodes["unit:acme"]["kind"] == "unit"
    assert text.count('yfiles.foldertype="group"') == len(snap.units)


def test_graphml_groups_nest_units() -> None:
    """Applied Research's group sits inside Autonomy's, which sits inside Acme's."""
    import xml.etree.ElementTree as ET

    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.fromstring(orgdiff.export(example().at("2024-06-03"), "graphml"))
    path = "g:graph/g:node[@id='unit:acme']/g:graph/g:node[@id='unit:autonomy']/g:graph/g:node"
    found = [n.get("id") for n in root.findall(path, ns)]
    assert ["person:ben-okafor", "unit:research"] == found


MERMAID_LINE = re.compile(
    r"^(flowchart TD"
    r'|\s+subgraph u\d+\["[^"\[\]<>`#]*(#\w+;[^"\[\]<>`#]*)*"\]'
    r"|\s+end"
    r'|\s+p\d+\["[^"\[\]`#]*(#\w+;[^"\[\]`#]*)*"\]'
    r"|\s+p\d+ (-->|-\.->) p\d+)$"
)


def _mermaid_structure(text: str) -> tuple[int, int, int]:
    """Every line one of the five shapes orgdiff writes; subgraphs balanced.
    Returns (subgraphs, people, arrows)."""
    depth = subgraphs = people = arrows = 0
    for line in text.splitlines():
        assert MERMAID_LINE.match(line), line
        if "subgraph" in line:
            depth += 1
            subgraphs += 1
        elif line.strip() == "end":
            depth -= 1
            assert depth >= 0
        elif "-->" in line or "-.->" in line:
            arrows += 1
        elif line.strip().startswith("p"):
            people += 1
    assert depth == 0
    return subgraphs, people, arrows


@settings(max_examples=30)
@given(snapshots(max_units=6, max_people=10))
def test_mermaid_structure(snap: Snapshot) -> None:
    """Invariant: one subgraph per unit, one node per person, one arrow per reporting line."""
    text = orgdiff.export(snap, "mermaid")
    assert isinstance(text, str)
    managed = sum(1 for p in snap.people.values() if p.reports_to is not None)
    assert (len(snap.units), len(snap.people), managed) == _mermaid_structure(text)


def test_mermaid_labels_are_escaped() -> None:
    assert label(NASTY) == (
        "A #quot;quoted#quot; #91;x#93; #40;y#41; #123;z#125; #lt;b#gt;#35;1#lt;/b#gt; "
        "#amp; #96;code#96; #42;em#42; #95;u#95; #124;p#124;#59; #92;n end"
    )
    text = orgdiff.export(nasty_snapshot(), "mermaid")
    assert isinstance(text, str)
    _mermaid_structure(text)


def test_mermaid_of_the_example() -> None:
    assert orgdiff.export(example().at("2022"), "mermaid") == (
        "flowchart TD\n"
        '    subgraph u0["Acme Robotics"]\n'
        '        p0["Ada Park<br/>Chief Executive"]\n'
        '        subgraph u1["Engineering"]\n'
        '            p1["Ben Okafor<br/>VP Engineering"]\n'
        '            p3["Dara Novak<br/>Engineer"]\n'
        "        end\n"
        '        subgraph u2["Research Lab"]\n'
        '            p2["Chen Li<br/>Director of Research"]\n'
        "        end\n"
        "    end\n"
        "    p0 --> p1\n"
        "    p0 --> p2\n"
        "    p1 --> p3\n"
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_csv_injection_is_neutralised(cell: str, expected: str) -> None:
    assert expected == neutralise(cell)


def test_table_csv_of_the_timeline() -> None:
    tl = example()
    text = orgdiff.export(tl, "table-csv")
    assert isinstance(text, str)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == sum(len(s.people) for s in tl.snapshots)
    assert rows[0] == {
        "date": "2022-01-10",
        "person": "ada-park",
        "name": "Ada Park",
        "unit": "acme",
        "unit_name": "Acme Robotics",
        "manager": "",
        "title": "Chief Executive",
        "confidence": "confirmed",
        "sources": "",
    }
    femi = next(r for r in rows if r["person"] == "femi-adeyemi")
    assert (femi["date"], femi["confidence"], femi["sources"]) == (
        "2024-06-03",
        "reported",
        "trade-press",
    )


def test_table_csv_neutralises_formulas() -> None:
    rows = list(csv.DictReader(io.StringIO(str(orgdiff.export(nasty_snapshot(), "table-csv")))))
    assert {r["title"][:5] for r in rows} == {"'=cmd"}


def test_parquet_reads_back_with_pyarrow() -> None:
    tl = example()
    data = orgdiff.export(tl, "parquet")
    assert isinstance(data, bytes)
    table = pq.read_table(io.BytesIO(data))
    assert table.column_names == [
        "date",
        "person",
        "name",
        "unit",
        "unit_name",
        "manager",
        "title",
        "confidence",
        "sources",
    ]
    assert table.num_rows == sum(len(s.people) for s in tl.snapshots)
    rows = table.to_pylist()
    assert rows[-1] == {
        "date": dt.date(2025, 2, 14),
        "person": "femi-adeyemi",
        "name": "Femi Adeyemi",
        "unit": "autonomy",
        "unit_name": "Robotics",
        "manager": "dara-novak",
        "title": "Platform Engineer",
        "confidence": "confirmed",
        "sources": [],
    }
    assert pq.ParquetFile(io.BytesIO(data)).num_row_groups == len(tl.snapshots)


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(orgdiff.OrgdiffError, match="unknown export format `xml`"):
        orgdiff.export(example(), "xml")


def orgdiff_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "orgdiff", "--org", str(EXAMPLE), *args],
        capture_output=True,
        check=False,
    )


def test_export_command_writes_graphml_by_extension(tmp_path: Path) -> None:
    out = tmp_path / "org.graphml"
    done = orgdiff_cli("export", "2023", "-o", str(out))
    assert (done.returncode, done.stderr) == (0, b"")
    g = nx.read_graphml(out)
    assert {"person:eli-moreau", "unit:research"} <= set(g.nodes)


def test_export_command_parquet_of_every_snapshot(tmp_path: Path) -> None:
    out = tmp_path / "org.parquet"
    done = orgdiff_cli("export", "--format", "parquet", "-o", str(out))
    assert (done.returncode, done.stderr) == (0, b"")
    assert pq.read_table(out).num_rows == 20


def test_export_command_needs_a_format() -> None:
    done = orgdiff_cli("export", "2023")
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr == (
        b"orgdiff: error: pass --format (mermaid, json, node-link, graphml, csv, table-csv, parquet)\n"
    )


def test_export_command_refuses_a_format_the_file_name_contradicts(tmp_path: Path) -> None:
    out = tmp_path / "org.csv"
    done = orgdiff_cli("export", "--format", "parquet", "-o", str(out))
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr.decode() == (
        f"orgdiff: error: --format parquet does not match {out}, whose extension .csv means "
        "table-csv; drop --format or rename the file\n"
    )
    assert not out.exists()


def test_export_command_mermaid_to_standard_output() -> None:
    done = orgdiff_cli("export", "2022", "--format", "mermaid")
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout.decode() == orgdiff.export(example().at("2022"), "mermaid")


@settings(max_examples=25)
@given(timelines(max_snapshots=3))
def test_table_csv_and_parquet_hold_every_person_of_every_snapshot(tl: orgdiff.Timeline) -> None:
    """Invariant: the csv module and pyarrow read back one row per person per snapshot,
    with the same values (CSV cells neutralised)."""
    expected = [
        (s.date.isoformat(), p.id, s.name_of(p.id), p.unit, p.reports_to or "", p.title or "")
        for s in tl.snapshots
        for p in s.people.values()
    ]
    rows = list(csv.DictReader(io.StringIO(str(orgdiff.export(tl, "table-csv")))))
    got = [
        tuple(r[k] for k in ("date", "person", "name", "unit", "manager", "title")) for r in rows
    ]
    assert [tuple(neutralise(c) for c in row) for row in expected] == got
    data = orgdiff.export(tl, "parquet")
    assert isinstance(data, bytes)
    table = pq.read_table(io.BytesIO(data)).to_pylist()
    assert expected == [
        (
            r["date"].isoformat(),
            r["person"],
            r["name"],
            r["unit"],
            r["manager"] or "",
            r["title"] or "",
        )
        for r in table
    ]


def test_a_missing_pyarrow_is_one_line(tmp_path: Path) -> None:
    """Without pyarrow: exit 2 and the extra to install, no traceback, no file."""
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "pyarrow.py").write_text("raise ImportError('no pyarrow here')\n")
    out = tmp_path / "x.parquet"
    code = "import sys; sys.path.insert(0, sys.argv[1]); from orgdiff.cli import main; main(sys.argv[2:])"
    done = subprocess.run(
        [sys.executable, "-c", code, str(blocker), "--org", str(EXAMPLE), "export", "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "orgdiff: error: Parquet needs pyarrow: pip install 'orgdiff[parquet]'\n"
    assert not out.exists()


def test_csv_export_imports_back_as_the_same_org(tmp_path: Path) -> None:
    """`orgdiff export --format csv` writes the shape `orgdiff import` reads: the
    imported org's people, titles, managers and units equal the exported one's."""
    hr = Path(__file__).parent / "data" / "hr"
    run = [sys.executable, "-m", "orgdiff"]

    def ok(*args: str) -> None:
        done = subprocess.run([*run, *args], capture_output=True, text=True, check=False)
        assert (0, "") == (done.returncode, done.stdout if args[2] == "import" else "")

    made, again = tmp_path / "made", tmp_path / "again"
    exported = tmp_path / "2024-03-31.csv"
    ok("--org", str(made), "import", str(hr))
    ok("--org", str(made), "export", "--format", "csv", "-o", str(exported))
    ok("--org", str(again), "import", str(exported))

    def people(snap: orgdiff.Snapshot) -> set[tuple[str, str | None, str | None, str]]:
        return {
            (
                snap.name_of(p.id),
                p.title,
                None if p.reports_to is None else snap.name_of(p.reports_to),
                snap.units[p.unit].name,
            )
            for p in snap.people.values()
        }

    before = orgdiff.load(made).snapshots[-1]
    after = orgdiff.load(again).snapshots[-1]
    assert len(before.people) > 10
    assert people(before) == people(after)
