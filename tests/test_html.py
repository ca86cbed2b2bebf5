"""The interactive HTML page: ``orgdiff render --format html`` and ``orgdiff timeline``.

The escaping is checked in Python with exact results; the page itself is opened
from disk in Debian's Chromium through Playwright (as the docs browser test
does), with every request routed: anything but the page's own ``file://`` URL
fails the test. One browser serves the whole module.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_docs_browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, needs_chromium

import orgdiff
from orgdiff.formats.html import page, script_json

REPO = Path(__file__).resolve().parent.parent
META = REPO / "orgs" / "meta-ai"

# --- escaping, in Python ---------------------------------------------------------------


def test_script_json_escapes_what_could_end_the_script_element() -> None:
    assert script_json("</script><!--") == '"\\u003c/script\\u003e\\u003c!--"'
    assert script_json({"a&b": "x\u2028y\u2029"}) == '{"a\\u0026b":"x\\u2028y\\u2029"}'
    assert script_json(["é", "楊立昆"]) == '["é","楊立昆"]'


@given(st.recursive(st.text(), lambda kids: st.lists(kids) | st.dictionaries(st.text(), kids)))
def test_script_json_is_the_same_json_and_holds_no_unsafe_character(value: Any) -> None:
    """Invariant: the embedded text reads back as the same value, and holds none
    of ``<``, ``>``, ``&``, U+2028, U+2029, whatever the strings."""
    text = script_json(value)
    assert json.loads(text) == value
    assert re.search("[<>&\u2028\u2029]", text) is None


def test_facts_are_stored_as_runs_of_unchanged_snapshots() -> None:
    """An entity's facts are kept once per run of snapshots in which they did
    not change, so the page grows with changes, not snapshots times people."""
    from orgdiff.formats.html import _entities

    found = _entities(orgdiff.load(REPO / "tests" / "data" / "example"))
    assert found["ada-park"] == {
        "kind": "person",
        "name": "Ada Park",
        "aliases": ["박에이다"],
        "runs": [
            [
                0,
                3,
                {
                    "title": "Chief Executive",
                    "unit": "acme",
                    "reports_to": None,
                    "confidence": "confirmed",
                    "sources": [],
                    "note": None,
                },
            ]
        ],
    }
    assert [
        (first, last, facts["name"], facts["parent"])
        for first, last, facts in found["research"]["runs"]
    ] == [
        (0, 0, "Research Lab", "acme"),
        (1, 1, "Research Lab", "engineering"),
        (2, 3, "Applied Research", "autonomy"),
    ]


def test_each_view_holds_what_its_snapshot_changed() -> None:
    """The page marks a snapshot as render.py marks the diff chart: each unit's
    and person's state, former names and places, lineage (from the diff's
    removed and added units) and relations, the gone ones included."""
    from orgdiff.formats.html import _marks, _relations

    tl = orgdiff.load(META)
    after = tl.at("2025-08-19")
    d = orgdiff.diff(tl.snapshots[tl.snapshots.index(after) - 1], after)
    marks = _marks(d)
    assert marks["units"] == {
        "msl-infra": "added",
        "products-applied-research": "added",
        "agi-foundations": "removed",
        "ai-products": "removed",
        "tbd-lab": "changed",
        "msl": "changed",
    }
    assert marks["renamed"] == {"tbd-lab": "New lab for next-generation models"}
    assert marks["moved"]["nat-friedman"] == "msl"
    assert marks["lineage"] == [
        ["agi-foundations", "fair", "dissolved into", True],
        ["agi-foundations", "msl-infra", "dissolved into", True],
        ["agi-foundations", "products-applied-research", "dissolved into", True],
        ["ai-products", "products-applied-research", "merged into", True],
    ]
    assert marks["ended"] == []  # every reporting line of the day before goes on
    assert _relations(d, after) == [
        ["works-directly-with", "shengjia-zhao", "mark-zuckerberg", False, False],
        ["works-directly-with", "shengjia-zhao", "alexandr-wang", False, False],
        ["reviews-publications", "tbd-lab", "fair", True, False],
    ]
    # A relation of the earlier date that is gone is kept, marked removed.
    gone = d.after.relations[2]
    fewer = attrs.evolve(after, relations=d.after.relations[:2])
    assert _relations(orgdiff.diff(after, fewer), fewer)[-1] == [
        gone.kind,
        gone.from_,
        gone.to,
        True,
        True,
    ]


def _inline(doc: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}>(.*?)</{tag}>", doc, re.S)


def test_the_csp_allows_exactly_the_inline_script_and_style() -> None:
    doc = page(orgdiff.load(REPO / "tests" / "data" / "example"))
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', doc)
    assert csp is not None

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    (script,) = _inline(doc, "script")
    (style,) = _inline(doc, "style")
    assert csp.group(1) == (
        f"default-src 'none'; script-src {sha(script)}; style-src {sha(style)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    # No URL but the SVG namespace, which names and loads nothing.
    assert re.findall(r"https?://[^\"' ]+", script + style) == ["http://www.w3.org/2000/svg"]


# --- datasets ---------------------------------------------------------------------------

HOSTILE = {
    "html": "<img src=x onerror=window.pwned=1>",
    "script": "<script>window.pwned=2</script>",
    "end": "</script><script>window.pwned=3</script>",
    # Bidi control characters are refused by the loader; right-to-left text is not.
    "bidi": "\u05e9\u05dc\u05d5\u05dd <b>\u0645\u062d\u0645\u062f</b> Smith",
    "long": "Very " * 200 + "Long",
    "entity": "&amp; &lt;b&gt; \\N",
}


BAD_URL = 'https://example.com/x?q="><img/src=x/onerror=window.pwned=4>'


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _hostile_org(folder: Path) -> Path:
    (folder / "snapshots").mkdir(parents=True)
    people = "\n".join(f"  {key}: {{name: {_q(name)}}}" for key, name in HOSTILE.items())
    (folder / "dataset.yaml").write_text(
        f"name: {_q(HOSTILE['end'])}\n"
        "sources:\n"
        f"  bad: {{title: {_q(HOSTILE['script'])}, url: {_q(BAD_URL)}}}\n"
        f"  good: {{title: {_q(HOSTILE['html'])}, url: 'https://example.com/a?b=<c>'}}\n"
        f"people:\n{people}\n",
        encoding="utf-8",
    )
    members = "\n".join(
        f"  {key}: {{title: {_q(HOSTILE[key])}, unit: top, reports_to: html, sources: [bad, good]}}"
        for key in HOSTILE
        if key != "html"
    )
    (folder / "snapshots" / "2024-01-01.yaml").write_text(
        "date: 2024-01-01\n"
        f"event: {_q(HOSTILE['script'])}\n"
        "sources: [bad, good]\n"
        f"units:\n  top: {{name: {_q(HOSTILE['end'])}, lead: html}}\n"
        f"people:\n  html: {{title: {_q(HOSTILE['bidi'])}, unit: top, sources: [good]}}\n"
        f"{members}\n",
        encoding="utf-8",
    )
    return folder


def _orgdiff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orgdiff", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The pages, written by the command as a user runs it."""
    out = tmp_path_factory.mktemp("html")
    hostile = _hostile_org(out / "hostile")
    made = {
        "timeline": out / "meta-ai-timeline.html",
        "render": out / "meta-ai-2025-09.html",
        "hostile": out / "hostile.html",
    }
    runs = [
        _orgdiff("--org", str(META), "timeline", "-o", str(made["timeline"])),
        _orgdiff("--org", str(META), "render", "2025-09", "-o", str(made["render"])),
        _orgdiff("--org", str(hostile), "timeline", "--format", "html", "-o", str(made["hostile"])),
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr
    return made


def test_the_hostile_page_holds_no_markup_from_the_data(files: dict[str, Path]) -> None:
    doc = files["hostile"].read_text(encoding="utf-8")
    assert doc.count("<script") == 2  # the data block and the page's script
    assert doc.count("</script>") == 2
    assert "<img" not in doc


def test_render_html_is_one_snapshot_and_timeline_every_snapshot(files: dict[str, Path]) -> None:
    def views(path: Path) -> list[str]:
        doc = path.read_text(encoding="utf-8")
        found = re.search(r'<script type="application/json" id="orgdiff-data">(.*?)</script>', doc)
        assert found is not None
        return [v["date"] for v in json.loads(found.group(1))["views"]]

    dates = [s.date.isoformat() for s in orgdiff.load(META).snapshots]
    assert views(files["timeline"]) == dates
    assert views(files["render"]) == [orgdiff.load(META).at("2025-09").date.isoformat()]


# --- in the browser -------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Tab:
    """A tab on a page from disk: every request but file:// is refused and noted,
    as are console errors and uncaught exceptions."""

    def __init__(self, browser: Any, path: Path, fragment: str = "", touch: bool = False) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, has_touch=touch)
        self.problems: list[str] = []
        self.context.route("**/*", self._route)
        self.tab = self.context.new_page()
        self.tab.set_default_timeout(10_000)
        self.tab.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        self.tab.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.tab.goto(path.as_uri() + fragment, wait_until="load")
        self.tab.wait_for_selector("html[data-ready=true]")

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.problems.append(f"request: {url}")
            route.abort()

    def ids(self, selector: str) -> list[str]:
        found: list[str] = self.tab.eval_on_selector_all(selector, "nodes => nodes.map(n => n.id)")
        return found

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    tabs: list[Tab] = []

    def opener(path: Path, fragment: str = "", touch: bool = False) -> Tab:
        tabs.append(Tab(browser, path, fragment, touch))
        return tabs[-1]

    yield opener
    for tab in tabs:
        problems = tab.problems
        tab.close()
        assert problems == []


def _shot(tab: Tab, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@needs_chromium
def test_search_highlights_lecun(files: dict[str, Path], open_page: Any) -> None:
    t = open_page(files["timeline"], "#date=2025-08-19")
    t.tab.fill("#search", "LeCun")
    assert t.ids("#stage g.hit") == ["person-yann-lecun"]
    t.tab.press("#search", "Enter")
    assert t.ids("#stage g.hit.current") == ["person-yann-lecun"]
    assert t.tab.text_content("#info h2") == "Yann LeCun"
    _shot(t, "html-search-lecun")
    # The zoom and the search are kept across dates.
    box = t.tab.get_attribute("#stage svg", "viewBox")
    t.tab.click("#prev")
    assert t.tab.get_attribute("#stage svg", "viewBox") == box
    assert t.tab.input_value("#search") == "LeCun"
    assert t.ids("#stage g.hit") == ["person-yann-lecun"]
    # At the last date he has left: the page says the data has him elsewhere.
    t.tab.fill("#slider", str(len(orgdiff.load(META).snapshots) - 1))
    assert t.ids("#stage g.hit") == []
    assert t.tab.text_content("#hits") == "none here; 1 at other dates"


@needs_chromium
def test_the_slider_at_2025_08_19_shows_agi_foundations_dissolved(
    files: dict[str, Path], open_page: Any
) -> None:
    t = open_page(files["timeline"])
    dates = [s.date.isoformat() for s in orgdiff.load(META).snapshots]
    t.tab.fill("#slider", str(dates.index("2025-08-19")))
    assert t.tab.text_content("#date") == "2025-08-19"
    classes = t.tab.get_attribute("#unit-agi-foundations", "class")
    assert classes is not None and "removed" in classes.split()
    lineage = t.ids("#stage g.edge.lineage")
    assert sorted(i for i in lineage if i.startswith("lineage-agi-foundations_0_")) == [
        "lineage-agi-foundations_0_fair",
        "lineage-agi-foundations_0_msl-infra",
        "lineage-agi-foundations_0_products-applied-research",
    ]
    assert t.tab.evaluate("location.hash") == "#date=2025-08-19"
    _shot(t, "html-2025-08-19")
    # The keyboard steps through the snapshots.
    t.tab.locator("#stage").focus()
    t.tab.keyboard.press("ArrowLeft")
    assert t.tab.text_content("#date") == dates[dates.index("2025-08-19") - 1]


def test_a_view_lists_the_reporting_lines_that_ended() -> None:
    """A reporting line of the earlier date that the later one lacks (the person
    reports to someone else, or left) is kept, as ``[person, former manager]``."""
    from orgdiff.formats.html import _marks

    tl = orgdiff.load(META)

    def ended(date: str) -> list[list[str]]:
        after = tl.at(date)
        return list(
            _marks(orgdiff.diff(tl.snapshots[tl.snapshots.index(after) - 1], after))["ended"]
        )

    assert ended("2025-06-30") == [["yann-lecun", "chris-cox"]]
    assert ended("2022-06-02") == [
        ["jerome-pesenti", "mike-schroepfer"],
        ["joelle-pineau", "jerome-pesenti"],
    ]
    # Someone who leaves ends their line too.
    snap = tl.at("2025-06-30")
    gone = attrs.evolve(snap, people={k: v for k, v in snap.people.items() if k != "yann-lecun"})
    assert _marks(orgdiff.diff(snap, gone))["ended"] == [["yann-lecun", "alexandr-wang"]]


@needs_chromium
def test_a_reporting_line_that_ended_is_a_red_dashed_arrow(
    files: dict[str, Path], open_page: Any
) -> None:
    """On 2025-06-30 LeCun stops reporting to Chris Cox: an arrow from him to Cox,
    red and dashed, as the static diff chart draws it; none the day before."""
    t = open_page(files["timeline"], "#date=2025-06-30")
    assert t.tab.text_content("#date") == "2025-06-30"
    assert t.ids("#stage g.edge.reports-to.removed") == ["ended-yann-lecun_0_chris-cox"]
    line = "#ended-yann-lecun_0_chris-cox .line"
    style = t.tab.eval_on_selector(
        line, "n => [getComputedStyle(n).stroke, getComputedStyle(n).strokeDasharray]"
    )
    removed = t.tab.evaluate(
        "getComputedStyle(document.querySelector('#stage svg')).getPropertyValue('--removed')"
    )
    assert (style[1], _rgb(removed.strip())) == ("6px, 3px", style[0])
    assert t.tab.text_content("#ended-yann-lecun_0_chris-cox .label") == "reported to"
    _shot(t, "html-2025-06-30-ended-line")
    t.tab.click("#prev")
    assert t.ids("#stage g.edge.reports-to.removed") == []


def _rgb(hex_colour: str) -> str:
    """``#cf222e`` as the browser's computed ``rgb(207, 34, 46)``."""
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)))


@needs_chromium
def test_a_link_with_a_fragment_opens_that_date_and_focus(
    files: dict[str, Path], open_page: Any
) -> None:
    t = open_page(files["timeline"], "#date=2025-08-19&focus=fair")
    assert t.tab.text_content("#date") == "2025-08-19"
    assert t.tab.input_value("#slider") == str(
        [s.date.isoformat() for s in orgdiff.load(META).snapshots].index("2025-08-19")
    )
    assert t.tab.text_content("#info h2") == "FAIR"
    assert t.ids("#stage .selected") == ["unit-fair"]
    # Enter on the chart closes the unit selected, and opens it again.
    t.tab.locator("#stage").focus()
    t.tab.keyboard.press("Enter")
    assert t.ids("#stage g.summary.closed") == ["unit-fair"]
    t.tab.keyboard.press("Enter")
    assert t.ids("#stage g.cluster.selected") == ["unit-fair"]
    # A date between snapshots opens the snapshot in effect then.
    t2 = open_page(files["timeline"], "#date=2025-09-30")
    assert t2.tab.text_content("#date") == "2025-08-19"


@needs_chromium
def test_clicking_a_person_shows_facts_sources_and_history(
    files: dict[str, Path], open_page: Any
) -> None:
    t = open_page(files["render"])
    t.tab.click("#person-yann-lecun text")
    assert t.tab.text_content("#info h2") == "Yann LeCun"
    links = t.tab.eval_on_selector_all(
        "#info a[href]", "as => as.map(a => [a.getAttribute('href'), a.rel])"
    )
    assert links and all(
        href.startswith(("https://", "http://")) and rel == "noopener noreferrer"
        for href, rel in links
    )
    history = t.tab.locator("#info ul.history li")
    assert history.count() >= 2
    # The view is kept: zoom in, and the box stays where the wheel left it.
    before = t.tab.get_attribute("#stage svg", "viewBox")
    t.tab.mouse.move(500, 400)
    t.tab.mouse.wheel(0, -400)
    assert t.tab.get_attribute("#stage svg", "viewBox") != before


@needs_chromium
def test_hostile_names_render_as_text(files: dict[str, Path], open_page: Any) -> None:
    t = open_page(files["hostile"])
    assert t.tab.evaluate("window.pwned") is None
    assert t.tab.evaluate("document.scripts.length") == 2
    assert t.tab.locator("img").count() == 0
    assert t.tab.text_content("#org") == HOSTILE["end"]
    assert t.tab.text_content("#event h2") == f"2024-01-01: {HOSTILE['script']}"
    for key, name in HOSTILE.items():
        t.tab.click(f"#person-{key}")
        assert t.tab.text_content("#info h2") == name
    # The URLs are links, each the URL itself and nothing more.
    hrefs = t.tab.eval_on_selector_all("#side a[href]", "as => as.map(a => a.href)")
    assert set(hrefs) == {
        "https://example.com/a?b=%3Cc%3E",
        "https://example.com/x?q=%22%3E%3Cimg/src=x/onerror=window.pwned=4%3E",
    }
    t.tab.fill("#search", "<script>")
    # Everyone is in the unit whose name holds "<script>", so every box matches.
    assert sorted(t.ids("#stage g.hit")) == sorted(["unit-top", *(f"person-{k}" for k in HOSTILE)])
    _shot(t, "html-hostile")
    assert t.tab.evaluate("window.pwned") is None


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated org of 600 people, more than a default chart holds."""
    from benchmarks.generate import generate

    out = tmp_path_factory.mktemp("big")
    org = generate(600, out / "org")
    run = _orgdiff("--org", str(org), "timeline", "-o", str(out / "big.html"))
    assert run.returncode == 0, run.stderr
    return out / "big.html"


# What a unit's or summary's box holds, and whether boxes overlap: every box (a
# unit, a person, a summary) either holds another (it is its ancestor in the SVG)
# or does not meet it.
_OVERLAPS = """() => {
  const gs = Array.from(document.querySelectorAll('#stage g.node, #stage g.cluster'));
  const boxes = gs.map(g => { const r = g.querySelector(':scope > rect.box');
    return [g, +r.getAttribute('x'), +r.getAttribute('y'),
            +r.getAttribute('width'), +r.getAttribute('height')]; });
  boxes.sort((a, b) => a[1] - b[1]);
  const out = [];
  for (let i = 0; i < boxes.length; i++) {
    const [a, ax, ay, aw, ah] = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j][1] < ax + aw; j++) {
      const [b, bx, by, bw, bh] = boxes[j];
      if (by < ay + ah && ay < by + bh && !a.contains(b) && !b.contains(a)) out.push([a.id, b.id]);
    }
  }
  return out.sort();
}"""
_SIZE = "() => { const b = document.querySelector('#stage g.boxes').getBBox(); return [b.width, b.height]; }"


def _members(org: Path, date: str, uid: str) -> set[str]:
    """The people of unit ``uid`` in the page's chart of ``date``: those of the
    later snapshot, and those of the one before who are no longer in the org."""
    tl = orgdiff.load(org)
    after = tl.at(date)
    i = tl.snapshots.index(after)
    before = tl.snapshots[i - 1].people if i > 0 else {}
    people = {p for p, person in after.people.items() if person.unit == uid}
    return people | {
        p for p, person in before.items() if p not in after.people and person.unit == uid
    }


@needs_chromium
def test_clicking_a_unit_closes_it_and_the_chart_is_laid_out_again(
    files: dict[str, Path], open_page: Any
) -> None:
    t = open_page(files["timeline"], "#date=2025-08-19")
    inside = sorted(f"person-{p}" for p in _members(META, "2025-08-19", "fair"))
    assert inside == ["person-rob-fergus", "person-yann-lecun", "person-yuandong-tian"]
    assert t.ids("#unit-fair > g.person") == inside
    assert t.tab.evaluate(_OVERLAPS) == []
    width, height = t.tab.evaluate(_SIZE)
    t.tab.click("#unit-fair > text.label")
    # FAIR is now one grey box that counts what it holds; the chart closed up.
    assert t.tab.get_attribute("#unit-fair", "class") == "node summary unit closed selected"
    assert t.tab.text_content("#unit-fair > text.label") == "FAIR— 3 people"
    assert t.ids("#stage g.person[id^=person-y], #stage g.person[id^=person-r]") == []
    closed_width, closed_height = t.tab.evaluate(_SIZE)
    assert closed_width <= width and closed_height < height
    assert t.tab.evaluate(_OVERLAPS) == []
    # The lineage to FAIR now ends at its grey box.
    assert "lineage-agi-foundations_0_fair" in t.ids("#stage g.edge.lineage")
    _shot(t, "html-fair-closed")
    # Search skips what a closed unit holds, says so, and Enter opens it.
    t.tab.fill("#search", "LeCun")
    assert t.ids("#stage g.hit") == []
    assert t.tab.text_content("#hits") == "1 folded: Enter opens"
    t.tab.press("#search", "Enter")
    assert t.ids("#stage g.hit.current") == ["person-yann-lecun"]
    assert t.ids("#unit-fair > g.person") == inside
    assert t.tab.evaluate(_SIZE) == [width, height]
    # Closed again by its name, and opened again by a click on the grey box.
    t.tab.click("#unit-fair > text.label")
    assert t.ids("#unit-fair > g.person") == []
    t.tab.click("#unit-fair")
    assert t.ids("#unit-fair > g.person") == inside
    assert t.tab.evaluate(_SIZE) == [width, height]
    # Closed units stay closed across dates.
    t.tab.click("#unit-fair > text.label")
    t.tab.click("#prev")
    assert t.tab.get_attribute("#unit-fair", "class") == "node summary unit closed selected"
    # A folded person's facts offer to show them: the units that hold them open.
    t.tab.click("#info dd a.date-link >> text=Rob Fergus")
    assert t.tab.text_content("#info h2") == "Rob Fergus"
    assert t.ids("#stage [id=person-rob-fergus]") == []
    t.tab.click("#info button >> text=Show it")
    assert t.ids("#stage .selected") == ["person-rob-fergus"]
    assert "unit-fair" in t.ids("#stage g.cluster")


@needs_chromium
def test_every_summary_opens_in_place(big: Path, open_page: Any) -> None:
    t = open_page(big)
    summaries = t.ids("#stage g.node.summary")
    last = [s for s in summaries if s.startswith("unit-")][-1]
    assert summaries.index(last) >= 24  # beyond the old page's 24 pre-rendered charts
    width, height = t.tab.evaluate(_SIZE)
    uid = last.removeprefix("unit-")
    t.tab.click(f'[id="{last}"]')
    # The unit is drawn open where its grey box was, with its people.
    assert t.tab.get_attribute(f'[id="{last}"]', "class").split()[:2] == ["cluster", "unit"]
    drawn = set(t.ids(f'[id="{last}"] > g.person'))
    members = {f"person-{p}" for p in _members(big.parent / "org", "2024-07-01", uid)}
    leads = {
        f"person-{p}" for p in orgdiff.load(big.parent / "org").at("2024-07-01").units[uid].leads
    }
    assert members - leads <= drawn <= members | leads
    assert t.tab.evaluate(_OVERLAPS) == []
    assert t.tab.evaluate(_SIZE) != [width, height]
    _shot(t, "html-summary-opened")
    # "… and N more people" opens to everyone in the unit.
    more = t.ids("#stage g.node.summary[id^=more-people-]")
    assert more
    holder = more[0].removeprefix("more-people-")
    t.tab.click(f'[id="{more[0]}"]')
    assert t.ids(f'[id="{more[0]}"]') == []
    everyone = {f"person-{p}" for p in _members(big.parent / "org", "2024-07-01", holder)}
    assert everyone - set(t.ids("#stage g.person")) == set()
    assert t.tab.evaluate(_OVERLAPS) == []


# --- the command line -------------------------------------------------------------------


def test_the_commands_name_their_files_and_take_html_from_the_extension(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "orgdiff", "--org", str(META), "timeline"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert (run.returncode, run.stdout, run.stderr) == (0, "meta-ai-timeline.html\n", "")
    run = _orgdiff("--org", str(META), "render", "2025-08-19", "-o", str(tmp_path / "x.html"))
    assert (run.returncode, run.stderr) == (0, "")
    doc = (tmp_path / "x.html").read_text(encoding="utf-8")
    assert doc.startswith("<!DOCTYPE html>\n")
    assert doc.count('"timeline":false') == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["timeline", "--focus", "fiar"], "orgdiff: error: no unit `fiar` on 2013-12-09 or "),
        (
            ["timeline", "-o", "t.svg"],
            "orgdiff: error: cannot tell the format of t.svg from its extension .svg; "
            "pass --format (html)\n",
        ),
        (["timeline", "--until", "2001"], "orgdiff: error: no snapshot of Meta AI from the first"),
    ],
)
def test_bad_timeline_input_is_one_line_and_status_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "orgdiff", "--org", str(META), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert run.returncode == 2
    assert run.stdout == ""
    assert len(run.stderr.splitlines()) == 1, run.stderr
    assert run.stderr.startswith(message), run.stderr
    assert list(tmp_path.iterdir()) == []


@needs_chromium
def test_opening_every_grey_box_draws_everyone_once_and_nothing_overlaps(
    big: Path, open_page: Any
) -> None:
    """Invariant: whatever the reader opens, no box overlaps another (but the
    units that hold it) and each person is drawn at most once; once every grey
    box is open, everyone of both dates is drawn."""
    t = open_page(big)
    org = big.parent / "org"
    tl = orgdiff.load(org)
    everyone = {f"person-{p}" for p in tl.snapshots[-1].people} | {
        f"person-{p}" for p in tl.snapshots[-2].people
    }
    # Each grey box in turn, clicked in the page (as a click on it would be), the
    # boxes checked after each.
    problems = t.tab.evaluate(
        """(overlaps) => {
      const check = eval(overlaps);
      const out = [];
      for (let n = 0; n < 500; n++) {
        const ids = Array.from(document.querySelectorAll('#stage g.person'), g => g.id);
        if (new Set(ids).size !== ids.length) out.push('twice: ' + n);
        check().forEach(pair => out.push(pair.join(' over ')));
        const grey = document.querySelector('#stage g.node.summary');
        if (!grey) return out;
        grey.dispatchEvent(new MouseEvent('click', {bubbles: true}));
      }
      return out.concat(['still grey boxes']);
    }""",
        _OVERLAPS,
    )
    assert problems == []
    assert t.ids("#stage g.node.summary") == []
    assert set(t.ids("#stage g.person")) == everyone
    assert len(t.ids("#stage g.person")) == len(everyone)


def _view_box(t: Tab) -> list[float]:
    box = t.tab.get_attribute("#stage svg", "viewBox")
    assert box is not None
    return [float(v) for v in box.split()]


def _scale(t: Tab) -> float:
    """Screen pixels per SVG unit (the viewBox is fitted to the stage, "meet")."""
    found: float = t.tab.evaluate("document.querySelector('#stage svg').getScreenCTM().a")
    return found


@pytest.fixture(scope="module")
def huge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated org of 10,000 people, written as a user would."""
    from benchmarks.generate import generate

    out = tmp_path_factory.mktemp("huge")
    org = generate(10_000, out / "org")
    run = _orgdiff("--org", str(org), "timeline", "-o", str(out / "huge.html"))
    assert run.returncode == 0, run.stderr
    return out / "huge.html"


@needs_chromium
def test_a_10k_person_org_opens_pans_zooms_and_finds_a_person(huge: Path, open_page: Any) -> None:
    t = open_page(huge)  # no console error, no request: the fixture checks
    assert t.tab.text_content("#date") == "2024-07-01"
    assert t.tab.evaluate(_OVERLAPS) == []
    _shot(t, "html-10k")
    x, y, w, h = _view_box(t)
    scale = _scale(t)
    # A drag pans by what the mouse moved, a wheel zooms around the pointer.
    t.tab.mouse.move(600, 500)
    t.tab.mouse.down()
    t.tab.mouse.move(650, 520, steps=4)
    t.tab.mouse.up()
    x2, y2, w2, h2 = _view_box(t)
    assert (x2, y2, w2, h2) == pytest.approx((x - 50 / scale, y - 20 / scale, w, h))
    t.tab.mouse.wheel(0, -300)
    assert _view_box(t)[2] < w2
    # The deepest person of the org is folded away; search finds them and Enter opens
    # the units that hold them.
    snap = orgdiff.load(huge.parent / "org").at("2024-07-01")
    deep = max(snap.people, key=lambda p: len(snap.chain(p)))
    assert t.ids(f'[id="person-{deep}"]') == []
    t.tab.fill("#search", deep)
    assert t.tab.text_content("#hits") == "1 folded: Enter opens"
    t.tab.press("#search", "Enter")
    assert t.ids("#stage g.hit.current") == [f"person-{deep}"]
    assert t.tab.text_content("#info h2") == snap.name_of(deep)
    assert t.tab.evaluate(_OVERLAPS) == []


def _touch(cdp: Any, kind: str, points: list[tuple[float, float]]) -> None:
    cdp.send(
        "Input.dispatchTouchEvent",
        {
            "type": kind,
            "touchPoints": [{"x": x, "y": y, "id": n} for n, (x, y) in enumerate(points)],
        },
    )


@needs_chromium
def test_a_pinch_zooms_and_one_finger_pans(files: dict[str, Path], open_page: Any) -> None:
    t = open_page(files["render"], touch=True)
    cdp = t.context.new_cdp_session(t.tab)
    x, y, w, h = _view_box(t)
    scale = _scale(t)
    # One finger: the chart follows it.
    _touch(cdp, "touchStart", [(500, 400)])
    _touch(cdp, "touchMove", [(540, 420)])
    _touch(cdp, "touchMove", [(580, 460)])
    _touch(cdp, "touchEnd", [])
    assert _view_box(t) == pytest.approx([x - 80 / scale, y - 60 / scale, w, h])
    # Two fingers spread from 100 to 300 pixels apart: three times closer.
    x, y, w, h = _view_box(t)
    _touch(cdp, "touchStart", [(550, 400), (650, 400)])
    _touch(cdp, "touchMove", [(500, 400), (700, 400)])
    _touch(cdp, "touchMove", [(450, 400), (750, 400)])
    _touch(cdp, "touchEnd", [])
    assert _view_box(t)[2:] == pytest.approx([w / 3, h / 3])
    # And pinching in zooms out again.
    _touch(cdp, "touchStart", [(450, 400), (750, 400)])
    _touch(cdp, "touchMove", [(550, 400), (650, 400)])
    _touch(cdp, "touchEnd", [])
    assert _view_box(t)[2:] == pytest.approx([w, h])
