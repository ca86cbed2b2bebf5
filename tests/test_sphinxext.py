"""The Sphinx directives of orgdiff.sphinxext, built with sphinx.testing.

The test root ``tests/roots/test-orgdiff`` uses each directive on the example
dataset; every test copies it (with the dataset) to a temporary folder and
builds it there.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

import orgdiff

pytest_plugins = ["sphinx.testing.fixtures"]

TESTS = Path(__file__).resolve().parent
ROOT = TESTS / "roots" / "test-orgdiff"
EXAMPLE = TESTS / "data" / "example"

MakeApp = Callable[..., SphinxTestApp]


def _source(where: Path) -> Path:
    """A copy of the test root, with the example dataset as ``example/``."""
    src = where / "src"
    shutil.copytree(ROOT, src)
    shutil.copytree(EXAMPLE, src / "example")
    return src


def _svgs(page: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", page, flags=re.DOTALL)


def _texts(svg: str) -> list[str]:
    """The text of an SVG's <text> elements, as a browser shows it."""
    return [html.unescape(t) for t in re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The test root, built once for the module with warnings as errors."""
    src = _source(tmp_path_factory.mktemp("built"))
    app = SphinxTestApp("html", srcdir=src, warningiserror=True)
    try:
        app.build()
        yield app
    finally:
        app.cleanup()


def _page(app: SphinxTestApp, name: str) -> str:
    return (Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8")


def test_the_test_root_builds_with_warnings_as_errors(built: SphinxTestApp) -> None:
    """The test root builds with no warning at all (the build raises on one)."""
    assert "" == built.warning.getvalue()
    assert 0 == built.statuscode


def test_orgchart_inlines_svg_with_names_as_text(built: SphinxTestApp) -> None:
    """orgchart puts the chart in the page as SVG whose names are text elements."""
    page = _page(built, "chart")
    svgs = _svgs(page)
    # The two charts, and the folded chart with people of the second.
    assert 3 == len(svgs)
    first = _texts(svgs[0])
    for name in ("Acme Robotics", "Ada Park", "Éli Moreau", "Chen Li", "Applied Research"):
        assert name in first
    # The caption is text of the page, with its inline markup.
    assert "Acme Robotics in <em>June 2024</em>" in page
    # :focus: autonomy, :depth: 1, and people folded: the main chart has units only.
    second = _texts(svgs[1])
    assert "Robotics" in second
    assert "Acme Robotics" not in second
    assert "Femi Adeyemi" not in second
    assert "Femi Adeyemi" in _texts(svgs[2])
    assert 1 == page.count("<details")


def test_charts_are_safe_to_inline(built: SphinxTestApp) -> None:
    """Inlined SVG has no XML prologue, ids unique in the page, and a title
    saying what it shows instead of Graphviz's internal node names."""
    page = _page(built, "timeline")
    assert "<?xml" not in page
    assert "<!DOCTYPE svg" not in page
    ids = re.findall(r'<g id="([^"]+)"', page)
    assert ids
    assert len(ids) == len(set(ids))
    titles = re.findall(r"<title>([^<]*)</title>", "".join(_svgs(page)))
    assert "Acme Robotics on 2022-01-10" in titles
    assert not [t for t in titles if re.fullmatch(r"(cluster_)?[upa]\d+|orgchart", t)]


def test_every_chart_links_to_a_full_size_copy(built: SphinxTestApp) -> None:
    """Each chart links to its SVG in _images/, a valid standalone file."""
    page = _page(built, "chart")
    links = re.findall(r'href="(_images/orgdiff-[0-9a-f]+\.svg)"', page)
    assert 3 == len(links)
    for link in links:
        svg = (Path(built.outdir) / link).read_text(encoding="utf-8")
        assert svg.startswith("<?xml")
        assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert (Path(built.outdir) / "_static" / "orgdiff.css").is_file()
    assert "_static/orgdiff.css" in page


def test_orgdiff_draws_the_diff_and_lists_its_events_with_sources(built: SphinxTestApp) -> None:
    """orgdiff (here in MyST) draws both dates and lists the events, each citing
    numbered sources that link to the source's address."""
    page = _page(built, "diff")
    svgs = _svgs(page)
    assert 1 == len(svgs)
    texts = _texts(svgs[0])
    assert "Dashed: reported or rumoured, not confirmed." in texts  # the legend
    assert "Platform" in texts
    assert "Engineering split into Autonomy and Platform" in page
    assert 'href="https://example.com/memos/split"' in page
    assert "Memo: engineering splits into Platform and Autonomy" in page
    # The events cite sources as [n] links with the title as a tooltip.
    assert re.search(r'class="[^"]*orgdiff-cite[^"]*"[^>]*>1</a>', page)


def test_orgtimeline_has_a_section_per_snapshot(built: SphinxTestApp) -> None:
    """orgtimeline writes one section per snapshot, oldest first: its chart,
    what changed since the one before, and its sources as links."""
    page = _page(built, "timeline")
    tl = orgdiff.load(EXAMPLE)
    dates = [s.date.isoformat() for s in tl.snapshots]
    assert dates == re.findall(r'<section class="orgdiff-snapshot" id="snapshot-([0-9-]+)"', page)
    assert dates == re.findall(r'data-orgdiff-date="([0-9-]+)"', page)
    assert len(dates) == len(_svgs(page))
    for snap in tl.snapshots:
        assert html.escape(snap.event, quote=False) in page
    assert "What changed since 2023-03-01" in page
    assert "Engineering split into Platform and Autonomy" in page
    assert 'href="https://example.com/blog/founding"' in page


def test_data_files_are_dependencies(built: SphinxTestApp) -> None:
    """Every page that draws a chart depends on every file of the dataset."""
    src = Path(built.srcdir)
    files = {src / "example" / "dataset.yaml"} | set((src / "example" / "snapshots").iterdir())
    assert 5 == len(files)
    for docname in ("chart", "diff", "timeline"):
        assert files <= {Path(p) for p in built.env.dependencies[docname]}
    assert "index" not in built.env.dependencies


def _only_page(src: Path, name: str, text: str) -> None:
    """Replace the test root's pages with one page."""
    for page in ("index.rst", "chart.rst", "diff.md", "timeline.rst"):
        (src / page).unlink()
    (src / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("options", "dates"),
    [
        (":since: 2023-06\n   :until: 2024", ["2023-03-01", "2024-06-03"]),
        (":since: 2000", ["2022-01-10", "2023-03-01", "2024-06-03", "2025-02-14"]),
        (":until: 2022-12", ["2022-01-10"]),
    ],
)
def test_orgtimeline_since_and_until_pick_the_snapshots_in_effect(
    make_app: MakeApp, tmp_path: Path, options: str, dates: list[str]
) -> None:
    """:since: starts at the snapshot in effect at that date; :until: ends at it."""
    src = _source(tmp_path)
    _only_page(src, "index.rst", f"Title\n=====\n\n.. orgtimeline::\n   {options}\n")
    app = make_app("html", srcdir=src, warningiserror=True)
    app.build()
    assert dates == re.findall(r'data-orgdiff-date="([0-9-]+)"', _page(app, "index"))


def test_without_a_configured_dataset_the_one_under_orgs_is_drawn(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """With no orgdiff_dataset and no :dataset:, the directives draw the one
    dataset under ./orgs of the source folder, as the command line does."""
    src = _source(tmp_path)
    (src / "orgs").mkdir()
    (src / "example").rename(src / "orgs" / "acme")
    _only_page(src, "index.rst", "Title\n=====\n\n.. orgchart:: 2024\n")
    app = make_app(
        "html",
        srcdir=src,
        warningiserror=True,
        confoverrides={"orgdiff_dataset": "", "exclude_patterns": ["_build", "orgs"]},
    )
    app.build()
    assert "Acme Robotics" in _texts(_svgs(_page(app, "index"))[0])


# --- errors ---------------------------------------------------------------------------

ERRORS = [
    # (file, text, where the error is, what it says)
    (
        "index.rst",
        "Title\n=====\n\n.. orgchart:: 2019\n",
        "4: ERROR",
        "orgchart: `2019` is before the first snapshot of `Acme Robotics`, 2022-01-10",
    ),
    (
        "index.rst",
        "Title\n=====\n\n.. orgchart:: yesterday\n",
        "4: ERROR",
        "orgchart: `yesterday` is not a date; use YYYY, YYYY-MM, YYYY-MM-DD, latest or today",
    ),
    (
        "index.rst",
        "Title\n=====\n\nText.\n\n.. orgdiff:: 2022 2025\n   :dataset: no-such-dataset\n",
        "6: ERROR",
        "no-such-dataset: $: no such dataset folder",
    ),
    (
        "index.rst",
        "Title\n=====\n\n.. orgchart:: 2024\n   :focus: platfrom\n",
        "4: ERROR",
        "orgchart: no unit `platfrom` in the snapshot of 2024-06-03; did you mean `platform`?",
    ),
    (
        "index.md",
        "# Title\n\nText.\n\n```{orgtimeline}\n:until: 2025-13\n```\n",
        "5: ERROR",
        "orgtimeline: `2025-13`: month 13 does not exist",
    ),
    (
        "index.md",
        "# Title\n\n```{orgdiff} 2022 2025\n:people: some\n```\n",
        "4: WARNING",  # MyST checks the options itself and points at the option
        '"some" unknown; choose from "shown", "folded", or "hidden"',
    ),
    (
        "index.rst",
        "Title\n=====\n\n.. orgdiff:: 2022 2025\n   :people: some\n",
        "4: ERROR",
        '"some" unknown; choose from "shown", "folded", or "hidden"',
    ),
]


@pytest.mark.parametrize(("file", "text", "where", "message"), ERRORS)
def test_bad_input_is_a_located_error(
    make_app: MakeApp, tmp_path: Path, file: str, text: str, where: str, message: str
) -> None:
    """A bad date, dataset, unit or option is a Sphinx error at the directive's
    line, not a traceback, and the build goes on."""
    src = _source(tmp_path)
    _only_page(src, file, text)
    app = make_app("html", srcdir=src)
    app.build()
    warnings = app.warning.getvalue()
    assert f"{file}:{where}: " in warnings
    assert message in warnings
    assert "Traceback" not in warnings
    assert (Path(app.outdir) / "index.html").is_file()


def test_an_invalid_dataset_reports_every_problem(make_app: MakeApp, tmp_path: Path) -> None:
    """A dataset that does not validate is one error at the directive, listing
    each problem with its file and line."""
    src = _source(tmp_path)
    snap = src / "example" / "snapshots" / "2023-03-01.yaml"
    snap.write_text(
        snap.read_text(encoding="utf-8").replace("reports_to: ben-okafor", "reports_to: ben"),
        encoding="utf-8",
    )
    app = make_app("html", srcdir=src)
    app.build()
    warnings = app.warning.getvalue()
    assert "chart.rst:4: ERROR: orgchart: " in warnings
    assert "2023-03-01.yaml:" in warnings
    assert "person `chen-li` reports to `ben`" in warnings
    assert "Traceback" not in warnings


# --- rebuilds -------------------------------------------------------------------------


def _build(make_app: MakeApp, src: Path, build: Path) -> tuple[SphinxTestApp, set[str]]:
    """Build (again) into ``build``; return the app and the documents it read."""
    app = make_app("html", srcdir=src, builddir=build, warningiserror=True)
    read: set[str] = set()
    app.connect("env-before-read-docs", lambda app, env, docnames: read.update(docnames))
    app.build()
    return app, read


def test_editing_or_adding_a_snapshot_rebuilds_the_pages_that_draw_it(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """Editing a snapshot file re-reads the pages that draw the dataset, and a
    new snapshot file adds its section to the timeline with no edit to the page."""
    src = _source(tmp_path)
    build = tmp_path / "build"
    _, read = _build(make_app, src, build)
    assert {"index", "chart", "diff", "timeline"} == read
    _, read = _build(make_app, src, build)
    assert set() == read

    last = src / "example" / "snapshots" / "2025-02-14.yaml"
    text = last.read_text(encoding="utf-8")
    last.write_text(text.replace("Ben Okafor left", "Ben Okafor retired"), encoding="utf-8")
    _later(last)
    app, read = _build(make_app, src, build)
    assert {"chart", "diff", "timeline"} == read
    assert "Ben Okafor retired" in _page(app, "timeline")

    new = src / "example" / "snapshots" / "2025-09-01.yaml"
    new.write_text(
        text.replace("date: 2025-02-14", "date: 2025-09-01")
        .replace("from: [autonomy, platform]", "")
        .replace("Ben Okafor left", "Quiet months"),
        encoding="utf-8",
    )
    app, read = _build(make_app, src, build)
    assert {"chart", "diff", "timeline"} == read
    assert 'id="snapshot-2025-09-01"' in _page(app, "timeline")
    assert "Quiet months" in _page(app, "timeline")


def _later(path: Path) -> None:
    """Make a file's time certainly later than the last build's."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
