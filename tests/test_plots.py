"""Plots over time (`orgdiff stats --format svg|png`): what the figure holds, and the file."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import orgdiff
from orgdiff.plots import stats_figure, stats_image, top_level_series
from orgdiff.stats import timeline_stats

EXAMPLE = Path(__file__).parent / "data" / "example"
META = Path(__file__).parent.parent / "orgs" / "meta-ai"


def test_one_series_per_top_level_unit() -> None:
    """The example's top-level units over time: Engineering and Research Lab
    (2022), Engineering (2023), Platform and Autonomy (2024), Robotics (2025),
    plus Ada at the top; each stack adds up to the headcount."""
    ts = timeline_stats(orgdiff.load(EXAMPLE))
    series = top_level_series(ts)
    assert series == {
        "engineering": ("Engineering", [2, 4, 0, 0]),
        "research": ("Research Lab", [1, 0, 0, 0]),
        "platform": ("Platform", [0, 0, 2, 0]),
        "autonomy": ("Robotics", [0, 0, 3, 4]),
        "": ("Acme Robotics (top)", [1, 1, 1, 1]),
    }
    totals = [sum(c[i] for _, c in series.values()) for i in range(4)]
    assert totals == [s.people for s in ts.snapshots]


def test_the_figure_has_three_labelled_axes() -> None:
    ts = timeline_stats(orgdiff.load(EXAMPLE))
    fig = stats_figure(ts)
    head, shape, events = fig.axes[:3]
    assert (head.get_ylabel(), shape.get_ylabel(), events.get_ylabel()) == (
        "people",
        "layers / direct reports",
        "changes",
    )
    assert events.get_xlabel() == "snapshot date"
    legend = [t.get_text() for t in head.get_legend().get_texts()]
    assert legend == [name for name, _ in top_level_series(ts).values()]
    assert len(head.collections) == len(legend)  # one stacked area per series
    lines = [t.get_text() for t in shape.get_legend().get_texts()]
    assert lines == [
        "depth, max",
        "depth, mean",
        "span of control, max",
        "span of control, mean",
    ]
    assert [list(line.get_ydata()) for line in shape.get_lines()][:2] == [
        [3, 4, 4, 4],
        [2.0, 2.6, 2.5, 2.6],
    ]
    kinds = [t.get_text() for t in events.get_legend().get_texts()]
    # only the kinds that happen in the example
    assert kinds == [
        "units added",
        "units removed",
        "units renamed",
        "units moved",
        "lead changes",
        "people listed",
        "people unlisted",
        "people moved",
        "manager changes",
    ]
    notes = sorted(t.get_text() for t in events.texts)
    assert notes == [
        "2023-03-01: Research Lab moved under Engineering",
        "2024-06-03: Engineering split into Platform and Autonomy; R…",
        "2025-02-14: Platform merged back into Autonomy, renamed Rob…",
    ]


def test_svg_file_from_the_command(tmp_path: Path) -> None:
    """A real process writes the SVG of Meta AI; it parses and holds the titles."""
    out = tmp_path / "meta.svg"
    done = subprocess.run(
        [sys.executable, "-m", "orgdiff", "--org", str(META), "stats", "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = out.read_text(encoding="utf-8")
    assert text.count("<!-- Meta AI: people by top-level unit (with sub-units) -->") == 1
    assert text.count("<!-- Reorganisations: changes per snapshot, by kind -->") == 1


def test_svg_is_the_same_for_the_same_data() -> None:
    ts = timeline_stats(orgdiff.load(EXAMPLE))
    assert stats_image(ts, "svg") == stats_image(ts, "svg")
    assert stats_image(ts, "png")[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_missing_matplotlib_is_one_line(tmp_path: Path) -> None:
    """Without matplotlib: exit 2 and the extra to install, no traceback."""
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "matplotlib.py").write_text("raise ImportError('no matplotlib here')\n")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from orgdiff.cli import main; "
        "main(sys.argv[2:])"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(blocker),
            "--org",
            str(EXAMPLE),
            "stats",
            "--format",
            "svg",
            "-o",
            str(tmp_path / "x.svg"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "orgdiff: error: plots need matplotlib: pip install 'orgdiff[plots]'\n"
    assert not (tmp_path / "x.svg").exists()


def test_the_orgstats_directive_inlines_the_plots(tmp_path: Path) -> None:
    """`{orgstats}` in a Sphinx page: one inline SVG titled for the dataset, its
    matplotlib ids prefixed so that they are unique in the page; built with -W."""
    import re
    import shutil

    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "src"
    src.mkdir()
    shutil.copytree(EXAMPLE, src / "example")
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "orgdiff.sphinxext"]\n'
        'orgdiff_dataset = "example"\nexclude_patterns = ["_build", "example"]\n'
    )
    (src / "index.md").write_text("# Numbers\n\n```{orgstats}\n:caption: The example.\n```\n")
    app = SphinxTestApp("html", srcdir=src, warningiserror=True)
    try:
        app.build()
        page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    finally:
        app.cleanup()
    svgs = re.findall(r"<svg\b.*?</svg>", page, flags=re.DOTALL)
    assert len(svgs) == 1
    assert (
        "<title>Acme Robotics over time: headcount, depth and span, reorganisations</title>"
        in svgs[0]
    )
    ids = re.findall(r' id="([^"]*)"', svgs[0])
    assert ids
    assert all(i.startswith("orgstats") for i in ids)
    refs = re.findall(r'(?:url\(#|xlink:href="#)([^)"]*)', svgs[0])
    assert set(refs) <= set(ids)
    assert '<figcaption>\n<p><span class="caption-text">The example.</span>' in page
