"""One self-contained, interactive HTML page of an org: a snapshot or the timeline.

The page holds pre-rendered SVG charts (made by :func:`orgdiff.render` and the
engine: on a timeline, each snapshot's chart is the diff chart against the
snapshot before, so what changed is coloured and lineage drawn), a JSON blob of
the data (every unit's and person's facts snapshot by snapshot, the sources
with their URLs, the events), and the script and style in
``orgdiff/_static/timeline.js`` and ``timeline.css``. Nothing is loaded from
anywhere: a Content-Security-Policy allows only the page's own inline script
and style (by their SHA-256 hashes) and ``data:`` images.

Safety: the JSON is embedded in ``<script type="application/json">`` with
``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\u003c`` etc. (see
:func:`script_json`), so no string can end the block; the script puts every
string from the data into the page with ``textContent``, never as markup, and
parses the SVG charts (whose text Graphviz escaped) as XML.

Summaries: a default chart keeps to a budget of boxes and folds the rest into
summary boxes. For up to ``extra`` summaries per page, a chart focused on the
summary's unit is pre-rendered too; clicking the summary opens it in place
(and "Up" closes it). A summary without such a chart says which command draws
it. Double-clicking a unit that is drawn closes it: what it holds is hidden
in place (the layout is Graphviz's and is not redone in the browser).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

from ..diff import Diff, diff
from ..model import Person, Snapshot, Timeline, Unit

__all__ = ["EXTRA", "page", "script_json"]

#: Focused charts pre-rendered for summaries, per page at most.
EXTRA = 24

_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]")


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside ``<script type="application/json">``:
    ``<``, ``>``, ``&``, U+2028 and U+2029 are written as JSON escapes, so no
    string can close the element or open a comment, and the text is still the
    same JSON."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _SCRIPT_UNSAFE.sub(lambda m: _SCRIPT_ESCAPES[m.group()], text)


def _asset(name: str) -> str:
    return (resources.files("orgdiff") / "_static" / name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


_PROLOG = re.compile(r"\A(?:\s*<\?xml[^>]*\?>|\s*<!DOCTYPE[^>]*>|\s*<!--.*?-->)*\s*", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _svg(graph: Any) -> str:
    """The chart's SVG element, without the XML prolog, doctype and comments."""
    from ..engine import render_dot

    text = render_dot(graph.source, "svg").decode("utf-8")
    return _COMMENT.sub("", _PROLOG.sub("", text))


_SUMMARY_ID = re.compile(r'<g id="([^"]+)" class="node summary')


def _summaries(svg: str) -> list[str]:
    """The svg ids of the summary boxes of a chart, in drawing order."""
    return [html.unescape(found) for found in _SUMMARY_ID.findall(svg)]


_HEX = re.compile(r"_([0-9a-f]+)_")


def _entity(svg_id: str) -> str:
    """The data's id inside an svg id (``unit-fair``, ``more-people-fair``): the
    inverse of :func:`orgdiff.render.svg_id`."""
    for prefix in ("more-units-", "more-people-", "unit-", "person-"):
        if svg_id.startswith(prefix):
            return _HEX.sub(lambda m: chr(int(m.group(1), 16)), svg_id[len(prefix) :])
    raise ValueError(f"not an svg id of orgdiff: {svg_id}")


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _unit_facts(u: Unit) -> dict[str, Any]:
    return {
        "name": u.name,
        "parent": u.parent,
        "leads": list(u.leads),
        "from": list(u.from_),
        "confidence": u.confidence.value,
        "sources": list(u.sources),
        "note": u.note,
    }


def _person_facts(p: Person) -> dict[str, Any]:
    return {
        "title": p.title,
        "unit": p.unit,
        "reports_to": p.reports_to,
        "confidence": p.confidence.value,
        "sources": list(p.sources),
        "note": p.note,
    }


def _entities(tl: Timeline) -> dict[str, Any]:
    """Every unit and person: name, aliases and their facts as runs of
    snapshots (``[first, last, facts]``, indices into the timeline's snapshots),
    so the data grows with what changes, not with snapshots times people."""
    out: dict[str, Any] = {}
    for i, snap in enumerate(tl.snapshots):
        facts: Iterable[tuple[str, str, dict[str, Any]]] = [
            *(("unit", uid, _unit_facts(u)) for uid, u in snap.units.items()),
            *(("person", pid, _person_facts(p)) for pid, p in snap.people.items()),
        ]
        for kind, eid, fact in facts:
            entry = out.get(eid)
            if entry is None:
                entry = out[eid] = {"kind": kind, "name": "", "aliases": [], "runs": []}
            runs = entry["runs"]
            if runs and runs[-1][1] == i - 1 and runs[-1][2] == fact:
                runs[-1][1] = i
            else:
                runs.append([i, i, fact])
            if kind == "unit":
                entry["name"] = fact["name"]
    for pid, ident in tl.people.items():
        if pid in out:
            out[pid]["name"] = ident.name
            out[pid]["aliases"] = list(ident.aliases)
    for eid, entry in out.items():
        if not entry["name"]:
            entry["name"] = eid
    return out


def _events(d: Diff | None, snap: Snapshot) -> dict[str, Any]:
    return {
        "date": snap.date.isoformat(),
        "event": snap.event,
        "note": snap.note,
        "sources": list(snap.sources),
        "changes": []
        if d is None
        else [
            {"kind": e.kind, "text": e.text, "ids": list(e.ids), "sources": list(e.sources)}
            for e in d.events
        ],
    }


def page(
    tl: Timeline,
    snapshots: Sequence[Snapshot] | None = None,
    *,
    changes: bool = True,
    focus: str | None = None,
    depth: int | None = None,
    units_only: bool = False,
    all: bool = False,
    extra: int = EXTRA,
    title: str | None = None,
) -> str:
    """The HTML page of ``snapshots`` of ``tl`` (default: all of them, with a
    time slider). With ``changes``, each snapshot but the timeline's first is
    drawn as the diff chart against the snapshot before it. ``focus``,
    ``depth``, ``units_only`` and ``all`` are :func:`orgdiff.render`'s.
    ``extra`` bounds the focused charts pre-rendered for summary boxes."""
    from ..render import render

    shown = list(tl.snapshots if snapshots is None else snapshots)
    if not shown:
        raise ValueError("a page needs at least one snapshot")
    index = {s.date: i for i, s in enumerate(tl.snapshots)}
    options: dict[str, Any] = {"focus": focus, "depth": depth, "units_only": units_only}
    views: list[dict[str, Any]] = []
    charts: list[tuple[Snapshot | Diff, str]] = []
    for snap in shown:
        i = index[snap.date]
        d = diff(tl.snapshots[i - 1], snap) if i > 0 else None
        obj: Snapshot | Diff = d if (changes and d is not None) else snap
        chart_title = f"{tl.name}, {snap.date.isoformat()}: {snap.event}"
        svg = _svg(render(obj, title=chart_title, all=all, **options))
        charts.append((obj, svg))
        views.append({"snapshot": i, "chart": svg, **_events(d, snap)})
    # Focused charts for the summaries, breadth-first over the views, while `extra` lasts.
    more: dict[str, str] = {}
    queue = [(v, obj, _summaries(svg)) for v, (obj, svg) in zip(views, charts, strict=True)]
    for view, _obj, ids in queue:
        view["summaries"] = ids
    budget = extra
    rank = 0
    while budget > 0:
        took = False
        for view, obj, ids in queue:
            if rank < len(ids) and budget > 0:
                sid = ids[rank]
                uid = _entity(sid)
                key = f"{view['date']}/{sid}"
                if key not in more:
                    chart_title = f"{tl.name}, {view['date']}: {uid}"
                    graph = render(obj, title=chart_title, focus=uid, units_only=units_only)
                    more[key] = _svg(graph)
                    budget -= 1
                took = True
        if not took:
            break
        rank += 1
    sources = {
        key: {
            "title": s.title,
            "publisher": s.publisher,
            "url": s.url,
            "date": _iso(s.date),
            "note": s.note,
        }
        for key, s in tl.sources.items()
    }
    data = {
        "org": tl.name,
        "timeline": changes,
        "changes": changes,
        "dates": [s.date.isoformat() for s in tl.snapshots],
        "views": views,
        "more": more,
        "sources": sources,
        "entities": _entities(tl),
    }
    return document(data, title or f"{tl.name}: {'timeline' if changes else shown[0].date}")


def document(data: dict[str, Any], title: str) -> str:
    """The page around ``data``: the CSP, the style, the markup, the data, the script."""
    style = _asset("timeline.css")
    script = _asset("timeline.js")
    csp = (
        f"default-src 'none'; script-src {_hash(script)}; style-src {_hash(style)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp, quote=False)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>{style}</style>\n"
        "</head>\n<body>\n"
        f"{_BODY}\n"
        f'<script type="application/json" id="orgdiff-data">{script_json(data)}</script>\n'
        f"<script>{script}</script>\n"
        "</body>\n</html>\n"
    )


_BODY = """\
<header id="bar">
  <h1 id="org"></h1>
  <div id="when">
    <button type="button" id="prev" title="Previous snapshot (Left arrow)">&#8592;</button>
    <input type="range" id="slider" min="0" max="0" value="0" aria-label="Snapshot">
    <button type="button" id="next" title="Next snapshot (Right arrow)">&#8594;</button>
    <output id="date"></output>
  </div>
  <input type="search" id="search" placeholder="Search name, title, unit" aria-label="Search">
  <output id="hits"></output>
  <button type="button" id="zoom-in" title="Zoom in (+)">+</button>
  <button type="button" id="zoom-out" title="Zoom out (-)">&#8722;</button>
  <button type="button" id="fit" title="Fit to screen (0)">Fit</button>
  <button type="button" id="up" title="Back to the whole chart" hidden>Up</button>
</header>
<main>
  <div id="stage" tabindex="0" aria-label="Org chart"></div>
  <aside id="side">
    <section id="info" hidden></section>
    <section id="event"></section>
  </aside>
</main>
<noscript><p>This page needs JavaScript to show its charts.</p></noscript>"""
