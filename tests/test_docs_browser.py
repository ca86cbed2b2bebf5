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
