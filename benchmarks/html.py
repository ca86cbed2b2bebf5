"""The interactive page: its size, how long it takes to write, and to open.

    uv run python -m benchmarks.html [--sizes meta-ai,10k]

For each org, ``python -m orgdiff --org ORG timeline -o page.html`` runs in a
new process (wall clock), against the baseline of the same run:
``orgdiff --org ORG render DATE -o chart.svg``, one static chart. The page is
then opened from disk in Debian's Chromium (Playwright, as the tests do) and
timed to first contentful paint and to the moment its script is ready (the
chart laid out and drawn: the page's ``orgdiff-ready`` performance mark),
against the baseline of opening that static SVG file; then the first grey
summary box is opened as a click does, which lays the chart out again. Times are
medians; the ratios are what to compare across machines. Nothing here passes
or fails: these are measurements, for ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .generate import AFTER, cached

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "_data"
CHROMIUM = Path("/usr/bin/chromium")


def _run(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "orgdiff", *args], check=True, capture_output=True)
    return time.perf_counter() - start


#: Opens the first grey box of the chart as a click does (the layout runs in the
#: click's handler) and gives the milliseconds that took, or -1 when there is none.
_OPEN_ONE = """() => {
  const grey = document.querySelector('#stage g.node.summary');
  if (!grey) return -1;
  const start = performance.now();
  grey.dispatchEvent(new MouseEvent('click', {bubbles: true}));
  return performance.now() - start;
}"""


def _open(browser: Any, path: Path, ready: bool) -> tuple[float, float, float]:
    """(first contentful paint, ready, opening a grey box) in seconds, the first
    two from navigation start."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.goto(path.as_uri(), wait_until="load")
    if ready:
        tab.wait_for_selector("html[data-ready=true]")
    fcp = tab.evaluate(
        """() => new Promise(done => new PerformanceObserver((list, obs) => {
             const e = list.getEntriesByName('first-contentful-paint')[0];
             if (e) { obs.disconnect(); done(e.startTime); }
           }).observe({type: 'paint', buffered: true}))"""
    )
    done = tab.evaluate(
        "(() => { const e = performance.getEntriesByName('orgdiff-ready')[0];"
        " return e ? e.startTime : performance.now(); })()"
    )
    relayout = tab.evaluate(_OPEN_ONE) if ready else -1
    context.close()
    return fcp / 1000, done / 1000, relayout / 1000


def measure(name: str, org: Path, date: str, repeat: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    out = Path(tempfile.mkdtemp(prefix="orgdiff-html-"))
    page, chart = out / "page.html", out / "chart.svg"
    write = [_run("--org", str(org), "timeline", "-o", str(page)) for _ in range(repeat)]
    static = [_run("--org", str(org), "render", date, "-o", str(chart)) for _ in range(repeat)]
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        opened = [_open(browser, page, True) for _ in range(repeat)]
        baseline = [_open(browser, chart, False) for _ in range(repeat)]
        browser.close()
    row = {
        "org": name,
        "page_bytes": page.stat().st_size,
        "chart_bytes": chart.stat().st_size,
        "write_s": statistics.median(write),
        "render_s": statistics.median(static),
        "fcp_s": statistics.median(o[0] for o in opened),
        "ready_s": statistics.median(o[1] for o in opened),
        "svg_fcp_s": statistics.median(b[0] for b in baseline),
        "open_s": statistics.median(o[2] for o in opened),
    }
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="meta-ai,10k")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(
        "| org | page | one SVG chart | write page / render chart | first paint | ready "
        "| first paint / SVG's | open a grey box |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in args.sizes.split(","):
        if size == "meta-ai":
            org, date = REPO / "orgs" / "meta-ai", "2025-09"
        else:
            from .generate import parse_size

            org, date = cached(parse_size(size), DATA), AFTER
        r = measure(size, org, date, args.repeat)
        opened = "no grey box" if r["open_s"] < 0 else f"{r['open_s'] * 1000:.0f} ms"
        print(
            f"| {r['org']} | {r['page_bytes'] / 1e6:.2f} MB | {r['chart_bytes'] / 1e3:.0f} kB "
            f"| {r['write_s']:.1f} s / {r['render_s']:.1f} s = {r['write_s'] / r['render_s']:.1f} "
            f"| {r['fcp_s'] * 1000:.0f} ms | {r['ready_s'] * 1000:.0f} ms "
            f"| {r['fcp_s'] / r['svg_fcp_s']:.1f} "
            f"| {opened} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
