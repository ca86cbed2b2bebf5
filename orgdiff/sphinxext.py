"""Sphinx directives that draw orgdiff charts from the data at build time.

Add ``"orgdiff.sphinxext"`` to ``extensions`` in ``conf.py``, and optionally
``orgdiff_dataset = "path/to/dataset"`` (relative to ``conf.py``). Then, in MyST
Markdown::

    ```{orgchart} 2025-09
    :focus: msl
    :depth: 2
    :caption: Meta Superintelligence Labs after the August 2025 split
    ```

    ```{orgdiff} 2024-02 2025-09
    :people: folded
    ```

    ```{orgtimeline}
    :people: folded
    ```

or in reStructuredText, ``.. orgchart:: 2025-09`` with the same options.

``orgchart`` draws the snapshot in effect at a date, ``orgdiff`` the diff chart
of two dates followed by its report (the events, each citing its sources), and
``orgtimeline`` one section per snapshot: its chart, what changed since the one
before, the curator's note and the sources, all built from the data, so a new
snapshot file appears without an edit to the page.

Options (all optional):

``:dataset: PATH``
    the dataset folder, relative to the document (``/PATH``: to the source
    folder); default: ``orgdiff_dataset``, else ``./orgs/NAME``, else the
    bundled Meta AI dataset.
``:focus: UNIT`` and ``:depth: N``
    draw one unit's subtree, N levels deep.
``:all:``
    draw everything: by default a big org is folded to about 150 boxes.
``:people: shown | folded | hidden``
    people inside their units (the default); units only, with the chart
    with people folded under a toggle; or units only. ``:units-only:`` is
    ``:people: hidden``.
``:caption: TEXT``, ``:name: LABEL``, ``:class: NAMES``
    the figure's caption (inline markup allowed), a target to refer to it,
    and extra classes.
``:no-report:`` (``orgdiff``)
    the chart without the list of events.
``:since: DATE`` and ``:until: DATE`` (``orgtimeline``)
    the snapshots in effect from and to those (partial) dates.
``:interactive:`` (``orgtimeline``)
    first, the interactive timeline (:mod:`orgdiff.formats.html`): one
    self-contained page, written next to the images and embedded in an
    iframe, with a time slider, pan and zoom, search and each box's facts.

``orgstats`` (no argument; ``:dataset:``, ``:caption:``, ``:class:``) draws the
dataset's numbers over time (headcount by top-level unit, depth and span of
control, reorganisations) with matplotlib, the ``orgdiff[plots]`` extra.

Charts are SVG made by orgdiff's own engine (Graphviz's ``dot`` when it is on
PATH, else the WebAssembly build on PyPI: no system package is needed) and
inlined, so their text is real text in the page. SVG is cached by its DOT
source in the doctree folder, so a rebuild only lays out charts that changed.
Every data file is noted as a dependency, and a snapshot file added to or
removed from a dataset marks the pages that use it as outdated. A bad date,
unit or dataset is reported as an error at the directive's line. Other
builders than HTML get the captions and reports; the charts are HTML only.
"""

from __future__ import annotations

import hashlib
import html
import os
import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from . import __version__
from .dates import resolve as resolve_date
from .diff import Diff, Event, diff
from .errors import OrgdiffError
from .load import DATASET_FILE, SNAPSHOTS_DIR, default_dataset, load
from .model import Confidence, Snapshot, Timeline

__all__ = ["setup"]

PEOPLE = ("shown", "folded", "hidden")
#: A wide chart is scaled down to fit the page, but not below this; beyond, it scrolls.
MIN_SCALE = 0.6
#: The width of a page's text in pixels in common themes (furo: 46em): wider charts scroll.
TEXT_WIDTH = 736

_CACHE: dict[tuple[str, tuple[tuple[str, float], ...]], Timeline] = {}


# --- the dataset and its files --------------------------------------------------------


def _files(folder: Path) -> list[Path]:
    """The files a dataset is read from: dataset.yaml and the snapshots."""
    files = [folder / DATASET_FILE]
    snaps = folder / SNAPSHOTS_DIR
    if snaps.is_dir():
        files.extend(sorted(p for p in snaps.iterdir() if p.suffix == ".yaml"))
    return files


def _listing(folder: str) -> tuple[str, ...]:
    """The names of a dataset's files, to notice a snapshot added or removed."""
    return tuple(p.name for p in _files(Path(folder)) if p.exists())


def _timeline(folder: Path) -> Timeline:
    """Load a dataset once per build (and again whenever a file of it changes)."""
    stamp = tuple((str(p), p.stat().st_mtime) for p in _files(folder) if p.exists())
    key = (str(folder), stamp)
    if key not in _CACHE:
        _CACHE[key] = load(folder)
    return _CACHE[key]


def _datasets(env: BuildEnvironment) -> dict[str, dict[str, tuple[str, ...]]]:
    """docname -> {dataset folder: its file names when the document was read}."""
    if not hasattr(env, "orgdiff_datasets"):
        env.orgdiff_datasets = {}  # type: ignore[attr-defined]
    found: dict[str, dict[str, tuple[str, ...]]] = env.orgdiff_datasets  # type: ignore[attr-defined]
    return found


# --- charts ---------------------------------------------------------------------------

_TITLE = re.compile(r"<title>[^<]*</title>\n?")
_WIDTH = re.compile(r'<svg width="([0-9.]+)pt"')


def _svg_cached(source: str, cache_dir: Path) -> str:
    """SVG of DOT ``source``; laid out once, then read from the cache."""
    from .engine import engine_name, render_dot

    key = hashlib.sha256(f"{engine_name()}\0{source}".encode()).hexdigest()[:32]
    path = cache_dir / f"{key}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    svg = render_dot(source, "svg").decode("utf-8")
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(svg, encoding="utf-8")
        tmp.replace(path)
    except OSError:  # pragma: no cover - a read-only doctree folder: no cache, no harm
        pass
    return svg


def _clean(svg: str, alt: str) -> str:
    """Graphviz's SVG made fit to inline in HTML or to stand alone.

    The XML prologue goes, and the ``<title>`` elements naming internal node
    ids give way to one title saying what the chart shows.
    """
    start = svg.find("<svg")
    body = _TITLE.sub("", svg[start:] if start >= 0 else svg)
    end = body.find(">")
    if end < 0:  # pragma: no cover - not SVG; shown as it is
        return body
    return f"{body[: end + 1]}\n<title>{html.escape(alt)}</title>{body[end + 1 :]}"


def _min_width(svg: str) -> tuple[str, bool]:
    """The SVG with a minimum width, so that a chart scaled down to fit stays
    legible, and whether that is wider than a page's text (it then scrolls)."""
    m = _WIDTH.match(svg)
    if m is None:  # pragma: no cover - Graphviz always gives the size in points
        return svg, False
    floor = round(float(m.group(1)) * 4 / 3 * MIN_SCALE)
    return f'<svg style="min-width: {floor}px"{svg[4:]}', floor > TEXT_WIDTH


class _Chart:
    """One chart to draw: the object and the options of :func:`orgdiff.render`."""

    def __init__(self, obj: Snapshot | Diff, alt: str, **options: Any) -> None:
        self.obj = obj
        self.alt = alt
        self.options = options
        self.svg = ""

    def draw(self, prefix: str, cache_dir: Path) -> None:
        from .render import render

        graph = render(self.obj, title="", **self.options)
        # Graphviz prefixes the SVG's element ids with the graph's id: unique in the page.
        graph.attr("graph", id=prefix)
        svg = _clean(_svg_cached(graph.source, cache_dir), self.alt)
        # The chart's own ids (unit-ID, person-ID...) repeat from chart to chart: in a
        # page they are PREFIX-unit-ID, PREFIX-person-ID...
        self.svg = re.sub(
            r' id="(?!' + re.escape(prefix) + r')([^"]*)"', rf' id="{prefix}-\1"', svg
        )


def _draw_all(charts: Sequence[_Chart], env: BuildEnvironment) -> None:
    """Lay out charts side by side: each layout is a child process."""
    cache_dir = Path(env.doctreedir) / "orgdiff-svg"
    jobs = [(chart, f"orgdiff{env.new_serialno('orgdiff')}") for chart in charts]
    if len(jobs) <= 1:
        for chart, prefix in jobs:
            chart.draw(prefix, cache_dir)
        return
    with ThreadPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
        for done in [pool.submit(chart.draw, prefix, cache_dir) for chart, prefix in jobs]:
            done.result()  # re-raises the first error


# --- citations and reports ------------------------------------------------------------


class _Citations:
    """Sources numbered within one report: events cite them as ``[1, 3]``,
    and :meth:`listing` is the numbered list they refer to."""

    def __init__(self, tl: Timeline, prefix: str) -> None:
        self.tl = tl
        self.prefix = prefix
        self.numbers: dict[str, int] = {}

    def add(self, keys: Iterable[str]) -> None:
        for key in keys:
            self.numbers.setdefault(key, len(self.numbers) + 1)

    def _target(self, key: str) -> str:
        return f"{self.prefix}-source-{self.numbers[key]}"

    def cite(self, keys: Sequence[str]) -> list[nodes.Node]:
        """``[1,2]``, in order: each number a link to the source (or to its entry below)."""
        if not keys:
            return []
        self.add(keys)
        out = nodes.inline(classes=["orgdiff-cites"])
        out += nodes.Text("[")
        for i, key in enumerate(sorted(dict.fromkeys(keys), key=self.numbers.__getitem__)):
            if i:
                out += nodes.Text(",")
            src = self.tl.sources.get(key)
            title = src.title if src is not None else key
            number = str(self.numbers[key])
            if src is not None and src.url:
                ref = nodes.reference("", number, refuri=src.url, reftitle=title)
            else:
                ref = nodes.reference("", number, refid=self._target(key), reftitle=title)
            ref["classes"].append("orgdiff-cite")
            out += ref
        out += nodes.Text("]")
        return [nodes.Text(" "), out]

    def listing(self) -> nodes.Element:
        """The sources, numbered as cited: title (a link), publisher, date, note."""
        items = nodes.enumerated_list(classes=["orgdiff-sources"], enumtype="arabic")
        for key in self.numbers:
            src = self.tl.sources.get(key)
            para = nodes.paragraph()
            if src is None:  # pragma: no cover - load() refuses an unknown source key
                para += nodes.literal(text=key)
            else:
                if src.url:
                    para += nodes.reference("", src.title, refuri=src.url)
                else:
                    para += nodes.Text(src.title)
                extra = ", ".join(
                    x for x in (src.publisher, src.date.isoformat() if src.date else None) if x
                )
                if extra:
                    para += nodes.Text(f" ({extra})")
                if src.note:
                    para += nodes.inline(text=f" {src.note}", classes=["orgdiff-source-note"])
            items += nodes.list_item("", para, ids=[self._target(key)])
        return items


_CODE = re.compile(r"`([^`]+)`")


def _text(text: str) -> list[nodes.Node]:
    """Report text: `ids` in backticks as code, the rest as plain text."""
    out: list[nodes.Node] = []
    pos = 0
    for m in _CODE.finditer(text):
        if m.start() > pos:
            out.append(nodes.Text(text[pos : m.start()]))
        out.append(nodes.literal(text=m.group(1)))
        pos = m.end()
    if pos < len(text):
        out.append(nodes.Text(text[pos:]))
    return out


def _events(events: Sequence[Event], cites: _Citations) -> nodes.Element:
    """The events of a diff as a list, each with its confidence and sources."""
    items = nodes.bullet_list(classes=["orgdiff-events"])
    for e in events:
        para = nodes.paragraph()
        para.extend(_text(e.text))
        if e.confidence is not Confidence.CONFIRMED:
            para += nodes.Text(" ")
            para += nodes.emphasis(text=f"({e.confidence.value})")
        para.extend(cites.cite(e.sources))
        items += nodes.list_item("", para)
    if not events:
        items += nodes.list_item("", nodes.paragraph(text="No change in structure."))
    return items


def _cited(snap: Snapshot) -> list[str]:
    """Every source a snapshot cites: its own first, then its entities'."""
    out = dict.fromkeys(snap.sources)
    for unit in snap.units.values():
        out.update(dict.fromkeys(unit.sources))
    for person in snap.people.values():
        out.update(dict.fromkeys(person.sources))
    for rel in snap.relations:
        out.update(dict.fromkeys(rel.sources))
    return list(out)


def _note(text: str) -> list[nodes.Element]:
    return [
        nodes.paragraph(text=" ".join(part.split()), classes=["orgdiff-note"])
        for part in re.split(r"\n\s*\n", text)
        if part.strip()
    ]


# --- the chart node -------------------------------------------------------------------


class orgdiff_svg(nodes.General, nodes.Element):  # type: ignore[misc]
    """A chart as SVG text. HTML inlines it (its text stays text) and links to a
    copy in ``_images/`` to open at full size; other builders leave it out."""


def _visit_svg_html(self: Any, node: orgdiff_svg) -> None:
    svg: str = node["svg"]
    name = f"orgdiff-{hashlib.sha256(svg.encode()).hexdigest()[:20]}.svg"
    target = Path(self.builder.outdir) / self.builder.imagedir / name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{svg}\n', encoding="utf-8")
        tmp.replace(target)
    href = html.escape(posixpath.join(self.builder.imgpath, name))
    date = f' data-orgdiff-date="{html.escape(node["date"])}"' if node["date"] else ""
    inline, wide = _min_width(svg)
    if wide:
        hint = f'Scroll sideways to see all of it, or <a href="{href}">open it at full size</a>.'
    else:
        hint = f'<a href="{href}">Open the chart at full size</a>'

    chart = (
        f'<div class="orgdiff-svg"{date}>\n{inline}\n</div>\n<p class="orgdiff-full">{hint}</p>\n'
    )
    if node["folded"]:
        chart = (
            '<details class="orgdiff-people"><summary>Show the chart with people</summary>\n'
            f"{chart}</details>\n"
        )
    self.body.append(chart)
    raise nodes.SkipNode


class orgdiff_page(nodes.General, nodes.Element):  # type: ignore[misc]
    """An interactive page (:mod:`orgdiff.formats.html`). HTML writes it as a
    file of its own next to the images and embeds it in an iframe, with a link
    to open it in a tab; other builders leave it out."""


def _visit_page_html(self: Any, node: orgdiff_page) -> None:
    text: str = node["html"]
    name = f"orgdiff-{hashlib.sha256(text.encode()).hexdigest()[:20]}.html"
    target = Path(self.builder.outdir) / self.builder.imagedir / name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    href = html.escape(posixpath.join(self.builder.imgpath, name))
    title = html.escape(node["title"])
    self.body.append(
        f'<div class="orgdiff-interactive">\n<iframe src="{href}" title="{title}" '
        'loading="lazy" referrerpolicy="no-referrer"></iframe>\n'
        f'<p class="orgdiff-full"><a href="{href}">Open the interactive timeline on a page '
        "of its own</a> (arrow keys step through the snapshots)</p>\n</div>\n"
    )
    raise nodes.SkipNode


def _skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


# --- the directives -------------------------------------------------------------------


def _people(argument: str | None) -> str:
    mode: str = directives.choice(argument, PEOPLE)
    return mode


class _OrgDirective(SphinxDirective):
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "dataset": directives.unchanged_required,
        "focus": directives.unchanged_required,
        "depth": directives.nonnegative_int,
        "people": _people,
        "units-only": directives.flag,
        "all": directives.flag,
        "caption": directives.unchanged,
        "name": directives.unchanged,
        "class": directives.class_option,
    }

    # -- the data

    def dataset(self) -> Path:
        given = self.options.get("dataset")
        if given:
            return Path(self.env.relfn2path(given)[1])
        configured = self.config.orgdiff_dataset
        if configured:
            return Path(configured)  # made absolute at config-inited
        return default_dataset(Path(self.env.srcdir))

    def timeline(self) -> Timeline:
        folder = self.dataset().resolve()
        for f in _files(folder):
            self.env.note_dependency(f)
        _datasets(self.env).setdefault(self.env.docname, {})[str(folder)] = _listing(str(folder))
        return _timeline(folder)

    # -- the charts

    @property
    def people(self) -> str:
        if "units-only" in self.options:
            return "hidden"
        mode: str = self.options.get("people", "shown")
        return mode

    def charts(self, obj: Snapshot | Diff, alt: str) -> list[_Chart]:
        """The main chart, and the chart with people if it is to be folded."""
        options = {
            "focus": self.options.get("focus"),
            "depth": self.options.get("depth"),
            "all": "all" in self.options,
        }
        main = _Chart(obj, alt, units_only=self.people != "shown", **options)
        if self.people != "folded":
            return [main]
        return [main, _Chart(obj, f"{alt}, with people", units_only=False, **options)]

    def figure(
        self, charts: Sequence[_Chart], caption: str, date: str | None = None
    ) -> nodes.figure:
        """A figure: the chart, the folded chart with people if any, the caption."""
        main, *folded = charts
        figure = nodes.figure(classes=["orgdiff-chart", *self.options.get("class", [])])
        figure += orgdiff_svg(svg=main.svg, date=date or "", folded=False)
        for chart in folded:
            figure += orgdiff_svg(svg=chart.svg, date="", folded=True)
        inline, messages = self.parse_inline(caption)
        figure += nodes.caption(caption, "", *inline)
        figure.extend(messages)
        self.set_source_info(figure)
        return figure

    def fail(self, exc: Exception) -> list[nodes.Node]:
        """A located error instead of a traceback: ``page.md:12: ERROR: orgchart: ...``."""
        return [self.state_machine.reporter.error(f"{self.name}: {exc}", line=self.lineno)]


class OrgChart(_OrgDirective):
    """``{orgchart} DATE``: the org as it stood at DATE (``YYYY``, ``YYYY-MM`` or a day)."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        try:
            tl = self.timeline()
            snap = tl.at(self.arguments[0])
            alt = f"{tl.name} on {snap.date.isoformat()}: {snap.event}"
            charts = self.charts(snap, alt)
            _draw_all(charts, self.env)
        except OrgdiffError as exc:
            return self.fail(exc)
        figure = self.figure(charts, self.options.get("caption") or alt)
        self.add_name(figure)
        return [figure]


class OrgDiff(_OrgDirective):
    """``{orgdiff} BEFORE AFTER``: the diff chart of two dates, then its events."""

    required_arguments = 2
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        **_OrgDirective.option_spec,
        "no-report": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        try:
            tl = self.timeline()
            d = tl.diff(self.arguments[0], self.arguments[1])
            alt = f"{tl.name}: what changed from {d.date_before} to {d.date_after}"
            charts = self.charts(d, alt)
            _draw_all(charts, self.env)
        except OrgdiffError as exc:
            return self.fail(exc)
        figure = self.figure(charts, self.options.get("caption") or alt)
        self.add_name(figure)
        out: list[nodes.Node] = [figure]
        if "no-report" not in self.options:
            cites = _Citations(tl, f"orgdiff-{self.env.new_serialno('orgdiff-report')}")
            out.append(_events(d.events, cites))
            if cites.numbers:
                out.append(nodes.rubric(text="Sources"))
                out.append(cites.listing())
        return out


class OrgTimeline(_OrgDirective):
    """``{orgtimeline}``: a section per snapshot, oldest first, built from the data.

    Each section is titled with the snapshot's date and event and holds its
    chart, what changed since the snapshot before (events citing numbered
    sources), the curator's note and the numbered sources. Sections are
    ``#snapshot-YYYY-MM-DD`` targets.
    """

    required_arguments = 0
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        **_OrgDirective.option_spec,
        "since": directives.unchanged_required,
        "until": directives.unchanged_required,
        "interactive": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        try:
            tl = self.timeline()
            snaps = self.selected(tl)
            interactive = self.interactive(tl, snaps) if "interactive" in self.options else []
            charts = {
                snap.date: self.charts(snap, f"{tl.name} on {snap.date.isoformat()}")
                for snap in snaps
            }
            _draw_all([c for group in charts.values() for c in group], self.env)
        except OrgdiffError as exc:
            return self.fail(exc)
        out: list[nodes.Node] = [*interactive]
        for snap in snaps:
            i = tl.snapshots.index(snap)
            previous = tl.snapshots[i - 1] if i > 0 else None
            out.append(self.section(tl, snap, previous, charts[snap.date]))
        return out

    def interactive(self, tl: Timeline, snaps: list[Snapshot]) -> list[nodes.Node]:
        """The interactive timeline of those snapshots (``:interactive:``)."""
        from .formats.html import page

        text = page(
            tl,
            None if len(snaps) == len(tl.snapshots) else snaps,
            focus=self.options.get("focus"),
            depth=self.options.get("depth"),
            units_only=self.people == "hidden",
            all="all" in self.options,
        )
        node = orgdiff_page(html=text, title=f"{tl.name}: the interactive timeline")
        self.set_source_info(node)
        return [node]

    def selected(self, tl: Timeline) -> list[Snapshot]:
        """The snapshots in effect from ``:since:`` to ``:until:``."""
        first = tl.snapshots[0].date
        if "since" in self.options:
            since = resolve_date(self.options["since"])
            first = max([s.date for s in tl.snapshots if s.date <= since], default=first)
        last = resolve_date(self.options.get("until", tl.snapshots[-1].date))
        return [s for s in tl.snapshots if first <= s.date <= last]

    def section(
        self, tl: Timeline, snap: Snapshot, previous: Snapshot | None, charts: list[_Chart]
    ) -> nodes.section:
        day = snap.date.isoformat()
        section = nodes.section(classes=["orgdiff-snapshot"])
        section["names"].append(f"snapshot {day}")
        self.state.document.note_implicit_target(section, section)
        section += nodes.title("", f"{day}: {snap.event}")

        drawn = "units and their leads" if self.people != "shown" else "units and people"
        section += self.figure(charts, f"{tl.name} on {day}: {drawn}.", date=day)

        cites = _Citations(tl, section["ids"][0])
        cites.add(_cited(snap))
        if previous is None:
            section += nodes.rubric(text="The first snapshot")
            section += nodes.paragraph(
                text=f"{len(snap.units)} units and {len(snap.people)} people."
            )
        else:
            section += nodes.rubric(text=f"What changed since {previous.date.isoformat()}")
            section += _events(diff(previous, snap).events, cites)
        if snap.note:
            section.extend(_note(snap.note))
        if cites.numbers:
            section += nodes.rubric(text="Sources")
            section += cites.listing()
        return section


# --- the Sphinx side ------------------------------------------------------------------

_CSS = """\
/* orgdiff.sphinxext: charts drawn from the data at build time */
.orgdiff-chart { margin: 1.5em 0; }
.orgdiff-svg { overflow-x: auto; }
.orgdiff-svg svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
/* a box's hover title is an <a> without a link: not underlined like one */
.orgdiff-svg svg a { text-decoration: none; }
/* charts keep their white page in a dark theme: a card, not a hole */
body[data-theme="dark"] .orgdiff-svg svg { border-radius: 6px; }
@media (prefers-color-scheme: dark) { body:not([data-theme="light"]) .orgdiff-svg svg { border-radius: 6px; } }
.orgdiff-full { text-align: right; font-size: 0.8em; margin: 0.25em 0 0; }
.orgdiff-people > summary { cursor: pointer; margin: 0.5em 0; font-size: 0.9em; }
section.orgdiff-snapshot > h2 { font-size: 1.6em; }
.orgdiff-cites { font-size: 0.75em; vertical-align: super; line-height: 0; }
.orgdiff-note { font-size: 0.9em; color: var(--color-foreground-secondary, #555); }
.orgdiff-source-note { font-size: 0.9em; color: var(--color-foreground-secondary, #555); }
ol.orgdiff-sources { font-size: 0.9em; }
.orgdiff-interactive iframe { width: 100%; height: 80vh; min-height: 420px; border: 1px solid #d5dae1; border-radius: 6px; }
"""


class OrgStats(_OrgDirective):
    """``{orgstats}``: the dataset's numbers over time as plots (needs matplotlib):
    headcount by top-level unit, depth and span of control, reorganisations."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "dataset": directives.unchanged_required,
        "caption": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        try:
            from .plots import stats_image
            from .stats import timeline_stats

            tl = self.timeline()
            svg = stats_image(timeline_stats(tl), "svg").decode("utf-8")
        except OrgdiffError as exc:
            return self.fail(exc)
        prefix = f"orgstats{self.env.new_serialno('orgdiff')}"
        # matplotlib's ids (clip paths, markers) are unique in the page with a prefix.
        svg = re.sub(r'( id="|url\(#|xlink:href="#)', rf"\1{prefix}-", svg)
        alt = f"{tl.name} over time: headcount, depth and span, reorganisations"
        figure = nodes.figure(classes=["orgdiff-chart", *self.options.get("class", [])])
        figure += orgdiff_svg(svg=_clean(svg, alt), date="", folded=False)
        caption = self.options.get("caption", alt)
        inline, messages = self.parse_inline(caption)
        figure += nodes.caption(caption, "", *inline)
        figure.extend(messages)
        self.set_source_info(figure)
        return [figure]


def _resolve_config(app: Sphinx, config: Config) -> None:
    """``orgdiff_dataset`` is relative to conf.py: make it absolute once."""
    value = config.orgdiff_dataset
    if value:
        base = Path(app.confdir) if app.confdir else Path(app.srcdir)
        config.orgdiff_dataset = str((base / value).resolve())


def _add_css(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.add_css_file("orgdiff.css")


def _write_css(app: Sphinx, exception: BaseException | None) -> None:
    if exception is None and app.builder.format == "html":
        static = Path(app.outdir) / "_static"
        static.mkdir(parents=True, exist_ok=True)
        (static / "orgdiff.css").write_text(_CSS, encoding="utf-8")


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _datasets(env).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    theirs = _datasets(other)
    mine = _datasets(env)
    for docname in docnames:
        if docname in theirs:
            mine[docname] = theirs[docname]


def _outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Pages that draw a dataset whose snapshot files were added or removed."""
    listings: dict[str, tuple[str, ...]] = {}

    def now(folder: str) -> tuple[str, ...]:
        if folder not in listings:
            listings[folder] = _listing(folder)
        return listings[folder]

    return sorted(
        docname
        for docname, used in _datasets(env).items()
        if docname not in removed and any(now(f) != names for f, names in used.items())
    )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("orgdiff_dataset", None, "env", types=[str])
    app.add_node(
        orgdiff_svg,
        html=(_visit_svg_html, None),
        latex=(_skip, None),
        text=(_skip, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )
    app.add_node(
        orgdiff_page,
        html=(_visit_page_html, None),
        latex=(_skip, None),
        text=(_skip, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )
    app.add_directive("orgchart", OrgChart)
    app.add_directive("orgdiff", OrgDiff)
    app.add_directive("orgtimeline", OrgTimeline)
    app.add_directive("orgstats", OrgStats)
    app.connect("config-inited", _resolve_config)
    app.connect("builder-inited", _add_css)
    app.connect("build-finished", _write_css)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
