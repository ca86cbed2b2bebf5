"""The docs site, built with warnings as errors and opened in headless Chromium.

The site is built once into a temporary folder, served by ``http.server`` on
127.0.0.1, and driven with Playwright using Debian's ``chromium`` package (no
browser download). The browser tests are skipped, saying so, only when
``/usr/bin/chromium`` is absent. Screenshots are saved as CI artifacts to
``$ORGDIFF_SCREENSHOTS``, default ``docs/_build/screenshots/``.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

import orgdiff

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("ORGDIFF_SCREENSHOTS", DOCS / "_build" / "screenshots"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = [
    "index.html",
    "quickstart.html",
    "meta-ai-timeline.html",
    "gallery.html",
    "numbers.html",
    "tutorial.html",
    "data-format.html",
    "cli.html",
    "api.html",
    "changelog.html",
]

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is absent: install Debian's chromium package "
    "(apt-get install chromium) to open the docs in a browser",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docs, built as the README says: sphinx-build -W -b html."""
    out = tmp_path_factory.mktemp("docs") / "html"
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(DOCS), str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    if run.returncode != 0:
        pytest.fail(f"sphinx-build failed:\n{run.stdout}\n{run.stderr}", pytrace=False)
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The built site over HTTP on a free port of 127.0.0.1."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Page:
    """A browser tab that records what went wrong: console errors, uncaught
    exceptions, failed requests and HTTP errors."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.tab = self.context.new_page()
        self.problems: list[str] = []
        self.tab.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None
            ),
        )
        self.tab.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.tab.on(
            "requestfailed", lambda r: self.problems.append(f"request failed: {r.url} {r.failure}")
        )
        self.tab.on(
            "response",
            lambda r: (
                self.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None
            ),
        )

    def open(self, url: str) -> Any:
        self.tab.goto(url, wait_until="load")
        return self.tab

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    tab = Page(browser)
    try:
        yield tab
    finally:
        tab.close()


def _screenshot(tab: Any, name: str, **options: Any) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"), **options)


# --- the build ------------------------------------------------------------------------


def test_the_docs_build_with_warnings_as_errors(site: Path) -> None:
    """`sphinx-build -W -b html docs ...` succeeds and writes every page."""
    for name in PAGES:
        assert (site / name).is_file(), name


# --- in the browser -------------------------------------------------------------------


@needs_chromium
def test_the_timeline_shows_a_visible_chart_for_every_snapshot(server: str, page: Page) -> None:
    """One chart per snapshot of orgs/meta-ai, each visible with a non-zero size
    and text inside, in the section of its snapshot."""
    tab = page.open(urljoin(server, "meta-ai-timeline.html"))
    _screenshot(tab, "meta-ai-timeline")
    snapshots = orgdiff.load(REPO / "orgs" / "meta-ai").snapshots
    charts = tab.locator("figure.orgdiff-chart > .orgdiff-svg > svg")
    assert len(snapshots) == charts.count()
    for snap in snapshots:
        day = snap.date.isoformat()
        chart = tab.locator(f'#snapshot-{day} .orgdiff-svg[data-orgdiff-date="{day}"] > svg')
        assert 1 == chart.count(), day
        chart.scroll_into_view_if_needed()
        assert chart.is_visible(), day
        box = chart.bounding_box()
        assert box is not None, day
        assert box["width"] > 50, (day, box)
        assert box["height"] > 20, (day, box)
        first_text = chart.locator("text").first
        assert first_text.is_visible(), day
        text_box = first_text.bounding_box()
        assert text_box is not None, day
        assert text_box["height"] >= 6, (day, text_box)  # legible, not a speck
    tab.evaluate(
        "document.getElementById('snapshot-2025-08-19').scrollIntoView({behavior: 'instant'})"
    )
    _screenshot(tab, "meta-ai-timeline-2025-08-19")
    assert not page.problems


@needs_chromium
def test_the_timeline_embeds_the_interactive_page_first(server: str, page: Page) -> None:
    """The interactive timeline (an iframe) comes before the static sections,
    opens at the last snapshot and draws its chart, with no error."""
    tab = page.open(urljoin(server, "meta-ai-timeline.html"))
    frames = tab.locator("div.orgdiff-interactive > iframe")
    assert 1 == frames.count()
    frames.scroll_into_view_if_needed()
    frame = frames.element_handle().content_frame()
    assert frame is not None
    frame.wait_for_selector("html[data-ready=true]")
    last = orgdiff.load(REPO / "orgs" / "meta-ai").snapshots[-1].date.isoformat()
    assert last == frame.text_content("#date")
    assert frame.locator("#stage svg").is_visible()
    first_section = tab.locator("section.orgdiff-snapshot").first.bounding_box()
    frame_box = frames.bounding_box()
    assert first_section is not None and frame_box is not None
    assert frame_box["y"] < first_section["y"]
    _screenshot(tab, "meta-ai-timeline-interactive")
    assert not page.problems


@needs_chromium
def test_names_are_text_in_the_charts(server: str, page: Page) -> None:
    """Names in the charts are text a reader can select and search, not pixels."""
    tab = page.open(urljoin(server, "meta-ai-timeline.html"))
    texts = tab.locator("figure.orgdiff-chart svg text").all_text_contents()
    assert "FAIR" in texts
    assert any("Yann LeCun" in t for t in texts)
    assert any("Meta Superintelligence" in t for t in texts)  # the name wraps
    # The folded chart with people opens on a click and shows the people.
    first = tab.locator("#snapshot-2013-12-09")
    people = first.locator("details.orgdiff-people svg")
    assert not people.is_visible()
    first.locator("details.orgdiff-people > summary").click()
    assert people.is_visible()
    assert any("Yann LeCun" in t for t in people.locator("text").all_text_contents())
    _screenshot(tab, "meta-ai-timeline-people-opened")
    assert not page.problems


@needs_chromium
@pytest.mark.parametrize("name", ["index.html", "meta-ai-timeline.html", "gallery.html"])
def test_every_internal_link_resolves(server: str, page: Page, name: str) -> None:
    """Every link to the site from the page answers 200, and its #fragment,
    if any, names an element of the target page."""
    tab = page.open(urljoin(server, name))
    hrefs = tab.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    internal = sorted({h for h in hrefs if h.startswith(server)})
    assert len(internal) > 5
    bad: list[str] = []
    pages: dict[str, str] = {}
    for href in internal:
        url, fragment = urldefrag(href)
        if url not in pages:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    pages[url] = response.read().decode("utf-8", "replace")
                    if response.status != 200:
                        bad.append(f"{href}: HTTP {response.status}")
            except urllib.error.HTTPError as exc:
                bad.append(f"{href}: HTTP {exc.code}")
                pages[url] = ""
        html_page = urlsplit(url).path.endswith(".html")
        if fragment and html_page and f'id="{fragment}"' not in pages[url]:
            bad.append(f"{href}: no element with id {fragment!r}")
    assert [] == bad
    assert not page.problems


@needs_chromium
def test_links_between_pages_work_in_the_browser(server: str, page: Page) -> None:
    """Following the navigation from the home page reaches the timeline, and a
    link to a section lands on it."""
    tab = page.open(server)
    _screenshot(tab, "index")
    tab.locator("article").get_by_role("link", name="The Meta AI timeline").first.click()
    tab.wait_for_load_state("load")
    assert tab.url.endswith("meta-ai-timeline.html")
    assert "The Meta AI timeline" == tab.locator("h1").first.inner_text().strip()
    tab.goto(urljoin(server, "meta-ai-timeline.html#snapshot-2025-08-19"))
    heading = tab.locator("#snapshot-2025-08-19 > h2")
    assert heading.is_visible()
    assert heading.inner_text().startswith("2025-08-19")
    assert not page.problems


@needs_chromium
@pytest.mark.parametrize("name", PAGES)
def test_no_page_has_console_errors(server: str, page: Page, name: str) -> None:
    """No page logs an error, throws, or asks for something that is not there."""
    tab = page.open(urljoin(server, name))
    tab.wait_for_load_state("networkidle")
    if name in ("gallery.html", "tutorial.html", "data-format.html"):
        _screenshot(tab, name.removesuffix(".html"))
    assert [] == page.problems


# --- text inside its box, in the fonts the browser really has ------------------------

#: For every node (and cluster) of every chart: the bounding box (getBBox, in the
#: node's own user units, as the browser's fonts really lay the text out) of each
#: <text>, and the union of the boxes of the shapes beside it.
MEASURE = """
charts => charts.map((svg, chart) => {
  const shapes = 'polygon, ellipse, path, rect, polyline';
  const out = [];
  for (const g of svg.querySelectorAll('g.node, g.cluster')) {
    const boxes = [...g.querySelectorAll(shapes)]
      .filter(s => !s.closest('text'))
      .map(s => s.getBBox())
      .filter(b => b.width > 0 && b.height > 0);
    const texts = [...g.querySelectorAll('text')].filter(t => t.textContent.trim());
    if (!boxes.length || !texts.length) continue;
    const shape = {
      x0: Math.min(...boxes.map(b => b.x)), y0: Math.min(...boxes.map(b => b.y)),
      x1: Math.max(...boxes.map(b => b.x + b.width)),
      y1: Math.max(...boxes.map(b => b.y + b.height)),
    };
    const title = g.querySelector(':scope > title');
    for (const t of texts) {
      const b = t.getBBox();
      out.push({
        chart, kind: g.classList.contains('cluster') ? 'cluster' : 'node',
        id: g.id, name: title ? title.textContent : '', text: t.textContent,
        font: getComputedStyle(t).fontFamily,
        text_box: {x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height},
        shape,
      });
    }
  }
  return out;
})
"""
#: How far (in user units, 1 pt at 100% zoom) text may reach past its shape's box:
#: anti-aliasing, no more.
SLACK = 0.5
CHART_PAGES = [
    "index.html",
    "quickstart.html",
    "meta-ai-timeline.html",
    "gallery.html",
    "tutorial.html",
]


def _overflow(m: dict[str, Any]) -> dict[str, float]:
    """How far each side of the text's box lies outside the shape's box (> 0: outside)."""
    t, s = m["text_box"], m["shape"]
    sides = {
        "left": s["x0"] - t["x0"],
        "right": t["x1"] - s["x1"],
        "top": s["y0"] - t["y0"],
        "bottom": t["y1"] - s["y1"],
    }
    return {side: round(d, 1) for side, d in sides.items() if d > SLACK}


@needs_chromium
@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("name", CHART_PAGES)
def test_every_text_of_every_chart_lies_inside_its_box(
    server: str, browser: Any, name: str, theme: str
) -> None:
    """In Chromium, with the fonts it really has, each node's (and unit box's) text
    lies within the bounding box of its shape, in furo's light and dark themes.
    Every chart is saved as a screenshot; a failure lists every text that overflows."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme="dark" if theme == "dark" else "light"
    )
    context.add_init_script(f"localStorage.setItem('theme', '{theme}')")
    try:
        tab = context.new_page()
        tab.goto(urljoin(server, name), wait_until="load")
        assert theme == tab.evaluate("document.body.dataset.theme")
        # Folded charts are not laid out (getBBox of a hidden element is empty): open them.
        tab.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        tab.evaluate("document.fonts.ready.then(() => true)")
        charts = tab.locator(".orgdiff-svg > svg")
        count = charts.count()
        if name in ("meta-ai-timeline.html", "gallery.html"):
            assert count > 5, name
        measured = tab.eval_on_selector_all(".orgdiff-svg > svg", MEASURE)
        stem = name.removesuffix(".html")
        # Whole charts in the screenshots, not the part their scroll box shows.
        tab.add_style_tag(content=".orgdiff-svg { overflow: visible !important; }")
        for i in range(count):
            chart = charts.nth(i)
            chart.scroll_into_view_if_needed()
            _screenshot(chart, f"chart-{stem}-{i:02d}-{theme}")
    finally:
        context.close()
    texts = [m for chart in measured for m in chart]
    assert count == 0 or texts, name  # charts have text to check
    failures = [
        f"{name} chart {m['chart']} {m['kind']} {m['name'] or m['id']!r}: "
        f"text {m['text']!r} ({m['font']}) overflows {_overflow(m)}"
        for m in texts
        if _overflow(m)
    ]
    assert [] == failures, "\n".join(failures)


FIT_CHECK_PAGE = """<!doctype html><html><body><div class="orgdiff-svg">
<svg xmlns="http://www.w3.org/2000/svg" width="400pt" height="120pt" viewBox="0 0 400 120">
<g id="graph0" class="graph" transform="translate(4 116)">
<g id="node1" class="node"><title>fits</title>
<polygon points="0,-10 120,-10 120,-40 0,-40 0,-10"/>
<text text-anchor="middle" x="60" y="-21" font-family="sans-serif" font-size="12">Short</text></g>
<g id="node2" class="node"><title>too-wide</title>
<polygon points="140,-10 220,-10 220,-40 140,-40 140,-10"/>
<text text-anchor="start" x="145" y="-21" font-family="sans-serif" font-size="12">A long title that runs out</text></g>
<g id="node3" class="node"><title>too-tall</title>
<ellipse cx="300" cy="-25" rx="60" ry="5"/>
<text text-anchor="middle" x="300" y="-21" font-family="sans-serif" font-size="12">Tall</text></g>
<g id="clust1" class="cluster"><title>cluster_unit</title>
<polygon points="0,-60 110,-60 110,-100 0,-100 0,-60"/>
<text text-anchor="middle" x="55" y="-85" font-family="sans-serif" font-size="12">Unit</text></g>
</g></svg></div></body></html>"""


@needs_chromium
def test_the_text_check_sees_text_that_runs_out_of_its_box(page: Page) -> None:
    """The measure above on a chart made to fail: a title wider than its box runs out
    to the right, text taller than a flat ellipse at the top and bottom; text that
    fits, in a node or a unit's box, does not."""
    page.tab.set_content(FIT_CHECK_PAGE)
    (measured,) = page.tab.eval_on_selector_all(".orgdiff-svg > svg", MEASURE)
    sides = {m["name"]: sorted(_overflow(m)) for m in measured}
    assert {
        "fits": [],
        "too-wide": ["right"],
        "too-tall": ["bottom", "top"],
        "cluster_unit": [],
    } == sides
