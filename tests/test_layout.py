"""Layout invariants of real charts, read from the SVG Graphviz made.

On every chart of both datasets (each snapshot, with people and units only, and
the diff of each pair of consecutive snapshots) and on generated orgs of 100 to
10,000 people: each person is below their manager; no two boxes overlap unless
one holds the other; no line's label covers a box; every text lies inside its box, with a width estimated for
DejaVu Sans (wider than Noto, Liberation, Arial and Helvetica); everything,
the title too, lies inside the drawing; and a default chart stays within its
size budget.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from chartsvg import Box, Chart, overlapping, parse
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import snapshots

import orgdiff
from benchmarks.generate import AFTER, generate
from orgdiff import Diff, Identity, Person, Snapshot, Unit
from orgdiff.engine import engine_name, render_dot
from orgdiff.render import BUDGET, LARGE, LargeChartWarning, render, svg_id

ROOT = Path(__file__).parent.parent
DATASETS = {"meta-ai": ROOT / "orgs" / "meta-ai", "example": ROOT / "tests" / "data" / "example"}
#: Largest a default chart may be, each way (points).
MAX_SIDE = 4000.0
#: Examples of the folding property: each is one layout (~20 ms with dot, more without).
EXAMPLES = 60 if engine_name() == "dot" else 15


def svg_of(obj: Snapshot | Diff, **options: object) -> Chart:
    return parse(render_dot(render(obj, **options).source, "svg").decode("utf-8"))  # type: ignore[arg-type]


def people_of(obj: Snapshot | Diff) -> dict[str, str | None]:
    """Person id -> manager id, as the chart draws them (the later date first)."""
    if isinstance(obj, Snapshot):
        return {pid: p.reports_to for pid, p in obj.people.items()}
    return {**{pid: p.reports_to for pid, p in obj.before.people.items()}, **people_of(obj.after)}


def check_layout(obj: Snapshot | Diff, chart: Chart) -> None:
    """The invariants every chart keeps (see the module's docstring)."""
    drawn = chart.drawn
    assert drawn, "nothing drawn"
    # Each person below their manager, when both are drawn.
    for pid, boss in people_of(obj).items():
        me = chart.boxes.get(svg_id("person", pid))
        above = chart.boxes.get(svg_id("person", boss)) if boss else None
        if me is not None and above is not None:
            assert me.rect.cy > above.rect.cy, (pid, boss)
    # No two boxes overlap, unless a unit's box holds the other.
    assert [] == [(a.id, b.id) for a, b in overlapping(drawn)]
    # Every text inside its box; every box and text inside the drawing.
    for box in drawn:
        for text in box.texts:
            assert box.rect.contains(text.rect), (box.id, text.content, box.rect, text.rect)
        assert chart.page.contains(box.rect), box.id
    for text in chart.texts:
        assert chart.page.contains(text.rect), (text.content, chart.page, text.rect)
    # A line's label covers no box.
    own = {id(t) for box in chart.boxes.values() for t in box.texts}
    nodes = [box for box in drawn if box.kind == "node"]
    for text in chart.texts:
        if id(text) not in own:
            assert [] == [b.id for b in nodes if text.rect.overlaps(b.rect)], text.content


def charts_of(path: Path) -> Iterator[tuple[str, Snapshot | Diff, dict[str, object]]]:
    tl = orgdiff.load(path)
    snaps = tl.snapshots
    for snap in snaps:
        yield f"{snap.date}", snap, {}
        yield f"{snap.date} units only", snap, {"units_only": True}
    for a, b in itertools.pairwise(snaps):
        d = orgdiff.diff(a, b)
        yield f"{a.date}..{b.date}", d, {}
        yield f"{a.date}..{b.date} units only", d, {"units_only": True}


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_chart_of_the_datasets_keeps_the_layout_invariants(name: str) -> None:
    """Protects what a reader relies on in every chart of both datasets: managers
    above their reports, no overlapping boxes, text inside its box, nothing clipped."""
    for what, obj, options in charts_of(DATASETS[name]):
        chart = svg_of(obj, **options)
        try:
            check_layout(obj, chart)
        except AssertionError as exc:
            raise AssertionError(f"{name} {what}: {exc}") from None


def test_the_flagship_chart_is_an_org_chart() -> None:
    """`orgdiff render 2025-09`: Zuckerberg on top, everyone else below him, the
    chart at most about 1,600 pt wide."""
    snap = orgdiff.load(DATASETS["meta-ai"]).at("2025-09")
    chart = svg_of(snap)
    people = chart.by_class("person")
    top = chart.boxes[svg_id("person", "mark-zuckerberg")]
    assert sorted(snap.people) == sorted(b.id.removeprefix("person-") for b in people)
    assert [] == [b.id for b in people if b is not top and b.rect.top <= top.rect.bottom]
    assert chart.width <= 1650


def test_the_split_diff_draws_its_lineage() -> None:
    """The four-way split's diff chart links AGI Foundations to the three units
    its remit went to, and AI Products to the one it merged into."""
    tl = orgdiff.load(DATASETS["meta-ai"])
    d = tl.diff("2025-06", "2025-09")
    for options in ({}, {"units_only": True}):
        source = render(d, **options).source  # type: ignore[arg-type]
        lineage = sorted(m.group(1) for m in re.finditer(r'id="lineage-([^"]+)"', source))
        assert [
            "agi-foundations_0_fair",
            "agi-foundations_0_msl-infra",
            "agi-foundations_0_products-applied-research",
            "ai-products_0_products-applied-research",
        ] == lineage
        chart = svg_of(d, **options)
        check_layout(d, chart)
        labels = sorted(
            t.content for t in chart.texts if t.content in ("dissolved into", "merged into")
        )
        assert ["dissolved into"] * 3 + ["merged into"] == labels


# --- generated orgs ------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[int, orgdiff.Timeline]:
    out = {}
    for n in (100, 1000, 10_000):
        out[n] = orgdiff.load(generate(n, tmp_path_factory.mktemp(f"org-{n}")))
    return out


def boxes(chart: Chart) -> list[Box]:
    return [b for b in chart.drawn if b.classes & {"unit", "person", "summary"}]


@pytest.mark.parametrize(
    ("n", "options"),
    [
        (100, {}),
        (100, {"units_only": True}),
        (1000, {}),
        (1000, {"depth": 1}),
        (1000, {"units_only": True}),
        (10_000, {}),
    ],
    ids=lambda v: str(v),
)
def test_generated_orgs_give_screen_sized_charts(
    generated: dict[int, orgdiff.Timeline], n: int, options: dict[str, object]
) -> None:
    """Protects the size budget: whatever the org's size, a default chart holds at
    most BUDGET boxes in at most 4,000 pt each way, and keeps the layout invariants."""
    snap = generated[n].snapshots[-1]
    chart = svg_of(snap, **options)
    check_layout(snap, chart)
    assert len(boxes(chart)) <= BUDGET
    assert chart.width <= MAX_SIDE
    assert chart.height <= MAX_SIDE
    if n >= 1000 and not options.get("units_only"):
        footer = [t.content for t in chart.texts if t.content.startswith("See them with")]
        assert ["See them with --focus UNIT, --depth N or --all."] == footer


@pytest.mark.skipif(shutil.which("dot") is None, reason="a layout of 1,000 people needs dot")
def test_all_draws_everyone(generated: dict[int, orgdiff.Timeline]) -> None:
    """``all=True`` draws every person of a 1,000-person org, no summary."""
    snap = generated[1000].snapshots[-1]
    chart = svg_of(snap, all=True)
    assert sorted(svg_id("person", p) for p in snap.people) == sorted(
        b.id for b in chart.by_class("person")
    )
    assert [] == chart.by_class("summary")
    check_layout(snap, chart)


# --- folding --------------------------------------------------------------------------


def count_in(box: Box) -> int:
    """The number of people a summary box says it stands for."""
    line = next(line for line in box.lines if re.search(r"\d (more )?(person|people)", line))
    m = re.search(r"([\d,]+) (?:more )?(?:person|people)", line)
    assert m is not None, box.lines
    return int(m.group(1).replace(",", ""))


@settings(max_examples=EXAMPLES)
@given(snapshots(max_units=10, max_people=25), st.integers(4, 40))
def test_default_charts_fold_within_the_budget_and_count_everyone(
    snap: Snapshot, budget: int
) -> None:
    """Protects the budget's promise: a chart draws at most ``budget`` boxes, and
    every person is either drawn or counted in exactly one summary: a folded
    unit counts all people of its subtree, an open unit's "... and N more" box
    its members not drawn, and nothing is counted twice."""
    chart = svg_of(snap, budget=budget)
    drawn = boxes(chart)
    assert len(drawn) <= budget
    people = {b.id for b in chart.by_class("person")}
    summaries = chart.by_class("summary")
    open_units = {b.id for b in chart.by_class("unit") if b.kind == "cluster"}

    def subtree(uid: str) -> list[str]:
        out, todo = [], [uid]
        while todo:
            u = todo.pop()
            out.append(u)
            todo.extend(snap.children(u))
        return out

    counted: dict[str, int] = {}
    for box in summaries:
        n = count_in(box)
        counted[box.id] = n
        if box.id.startswith("unit-"):
            uid = next(u for u in snap.units if svg_id("unit", u) == box.id)
            inside = [p for p in snap.people.values() if p.unit in subtree(uid)]
            assert n == len(inside), box.lines
            assert [] == [p.id for p in inside if svg_id("person", p.id) in people]
            assert svg_id("unit", uid) not in open_units
        elif box.id.startswith("more-people-"):
            uid = next(u for u in snap.units if svg_id("more-people", u) == box.id)
            members = [p for p in snap.members(uid)]
            assert n == len([p for p in members if svg_id("person", p) not in people])
    assert len(snap.people) == len(people) + sum(counted.values())


# --- --all and wrapping ---------------------------------------------------------------


def test_all_on_a_big_org_warns(tmp_path: Path) -> None:
    """``all=True`` past LARGE boxes says, as a LargeChartWarning, that the chart will
    be large, and names the way out; the default chart of the same org does not."""
    snap = orgdiff.load(generate(2000, tmp_path / "org")).snapshots[-1]
    assert len(snap.people) + len(snap.units) > LARGE
    with pytest.warns(LargeChartWarning, match=r"drawing all [\d,]+ boxes.*--focus UNIT"):
        render(snap, all=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        render(snap)


def test_the_cli_all_flag_draws_everyone(tmp_path: Path) -> None:
    """`orgdiff render DATE --all`, as a user runs it: every person of a 300-person org
    is in the chart; without --all, the chart is folded and says so."""
    folder = generate(300, tmp_path / "org")
    snap = orgdiff.load(folder).at(AFTER)

    def dot(*extra: str) -> str:
        proc = subprocess.run(
            [
                *(sys.executable, "-m", "orgdiff", "--org", str(folder), "render", AFTER),
                *("--format", "dot", "-o", "-", *extra),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert (0, "") == (proc.returncode, proc.stderr)
        return proc.stdout

    everyone = sorted(f'id="{svg_id("person", p)}"' for p in snap.people)
    drawn = sorted(re.findall(r'id="person-[^"]+"', dot("--all")))
    assert everyone == drawn
    folded = dot()
    assert len(re.findall(r'id="person-[^"]+"', folded)) < len(everyone)
    assert "See them with --focus UNIT, --depth N or --all." in folded


def test_titles_wrap_and_names_stay_whole() -> None:
    """A long title wraps at about 26 characters a line, nothing lost; a long name is
    one line, never cut."""
    name = "Maximiliana Alexandrovna Konstantinopolskaya-Smythe"
    title = "Strategic initiatives for MSL (former co-lead of AGI Foundations)"
    snap = Snapshot(
        date=dt.date(2020, 1, 1),
        event="e",
        units={"u": Unit(id="u", name="U", lead="p")},
        people={"p": Person(id="p", unit="u", title=title)},
        identities={"p": Identity(id="p", name=name)},
    )
    chart = svg_of(snap)
    lines = chart.boxes["person-p"].lines
    assert [
        name,
        "Strategic initiatives for",
        "MSL (former co-lead of AGI",
        "Foundations)",
    ] == lines
    check_layout(snap, chart)


def test_diff_charts_of_big_orgs_keep_the_budget(generated: dict[int, orgdiff.Timeline]) -> None:
    """The budget, --depth and --focus work on diff charts too: a 10,000-person diff
    chart is folded to at most BUDGET boxes within 4,000 pt each way."""
    tl = generated[10_000]
    d = orgdiff.diff(tl.snapshots[0], tl.snapshots[-1])
    for options in ({}, {"depth": 1}, {"focus": tl.snapshots[-1].children("company")[0]}):
        chart = svg_of(d, **options)
        check_layout(d, chart)
        assert len(boxes(chart)) <= BUDGET, options
        assert (chart.width <= MAX_SIDE, chart.height <= MAX_SIDE) == (True, True), options


def test_depth_limits_people_too(generated: dict[int, orgdiff.Timeline]) -> None:
    """``depth=1``: units one level below the top, and people at most two reporting
    lines below the top person; everyone else is counted in a summary."""
    snap = generated[1000].snapshots[-1]
    chart = svg_of(snap, depth=1)
    drawn = [b.id.removeprefix("person-") for b in chart.by_class("person")]
    assert drawn
    assert [] == [p for p in drawn if len(snap.chain(p)) - 1 > 2]
    summed = sum(count_in(b) for b in chart.by_class("summary"))
    assert len(snap.people) == len(drawn) + summed


def test_co_leads_head_their_unit_side_by_side(monkeypatch: pytest.MonkeyPatch) -> None:
    """A unit with two leads (read through render.leads, the one place that knows
    how a unit names its leads) draws both at the top of its box, on one row."""
    module = sys.modules["orgdiff.render"]  # (orgdiff.render is the function)
    tl = orgdiff.load(DATASETS["example"])
    snap = tl.at("2024-06")
    original = module.leads

    def two_leads(unit: Unit) -> tuple[str, ...]:
        return ("ben-okafor", "chen-li") if unit.id == "autonomy" else original(unit)

    monkeypatch.setattr(module, "leads", two_leads)
    # Chen Li is of a unit below Autonomy: as a co-lead of Autonomy she heads it too.
    snap = Snapshot(
        date=snap.date,
        event=snap.event,
        units={
            **snap.units,
            "research": Unit(id="research", name="Applied Research", parent="acme"),
        },
        people={
            **snap.people,
            "chen-li": Person(id="chen-li", unit="autonomy", reports_to="ada-park"),
            "eli-moreau": Person(id="eli-moreau", unit="autonomy", reports_to="chen-li"),
        },
        identities=snap.identities,
    )
    chart = svg_of(snap)
    ben = chart.boxes["person-ben-okafor"].rect
    chen = chart.boxes["person-chen-li"].rect
    box = chart.boxes["unit-autonomy"].rect
    assert ben.cy == chen.cy
    assert box.contains(ben)
    assert box.contains(chen)
    assert ["Autonomy"] == chart.boxes["unit-autonomy"].lines  # no "lead:" line: they are drawn
    check_layout(snap, chart)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not on PATH")
@pytest.mark.parametrize("name", sorted(DATASETS))
def test_graphviz_warns_of_nothing_in_any_chart(name: str) -> None:
    """Protects charts Graphviz draws as asked: no line clipped to a box its end is
    inside of, no node in two boxes, nothing it had to guess (dot's warnings)."""
    dot = shutil.which("dot")
    assert dot is not None
    for what, obj, options in charts_of(DATASETS[name]):
        source = render(obj, **options).source  # type: ignore[arg-type]
        proc = subprocess.run(
            [dot, "-Tsvg"], input=source.encode(), capture_output=True, timeout=60, check=False
        )
        assert (0, "") == (proc.returncode, proc.stderr.decode()), what


def test_reports_hang_in_one_column_or_two_when_long() -> None:
    """A manager's reports with no reports of their own hang below them in one
    column; more than twelve in two: the chart grows with managers, not people."""

    def team(n: int) -> Snapshot:
        people = {"boss": Person(id="boss", unit="u", title="Head")}
        people |= {f"p{i}": Person(id=f"p{i}", unit="u", reports_to="boss") for i in range(n)}
        return Snapshot(
            date=dt.date(2020, 1, 1),
            event="e",
            units={"u": Unit(id="u", name="Team", lead="boss")},
            people=people,
            identities={pid: Identity(id=pid, name=f"Person {pid}") for pid in people},
        )

    for n, columns, rows in ((5, 1, 5), (20, 2, 10)):
        snap = team(n)
        chart = svg_of(snap)
        check_layout(snap, chart)
        reports = [chart.boxes[svg_id("person", f"p{i}")].rect for i in range(n)]
        assert (columns, rows) == (
            len({round(r.left + r.right) for r in reports}),
            len({round(r.cy) for r in reports}),
        )
