"""One self-contained, interactive HTML page of an org: a snapshot or the timeline.

The page holds no chart: it holds the data as JSON (every unit's and person's
facts as runs of snapshots in which they did not change, the sources with their
URLs, the events, and for each snapshot what it changed since the one before:
each unit's and person's state, former names and places, lineage and
relations, see :func:`_marks`) and the script and style in
``orgdiff/_static/timeline.js`` and ``timeline.css``. The script lays the chart
out in the browser, in plain DOM/SVG code: nested unit boxes, each headed by
the unit's name and its leads, its people hanging in one or two columns (each
report below their manager), its child units in rows beneath; render.py's
budget of :data:`orgdiff.render.BUDGET` boxes folds the rest into grey summary
boxes. A click on a unit's name closes it to a summary, a click on a summary
opens it (with a budget of its own), and the chart is laid out again, the
clicked box kept where it was on the screen. On a timeline, each snapshot is
drawn as the union of it and the snapshot before, marked as render.py marks a
diff chart (same palette, same SVG ids ``unit-ID`` and ``person-ID`` and
classes), removed units as ghost boxes, lineage as arrows. So the file grows
linearly with the data, not with snapshots times charts.

Nothing is loaded from anywhere: a Content-Security-Policy allows only the
page's own inline script and style (by their SHA-256 hashes) and ``data:``
images.

Safety: the JSON is embedded in ``<script type="application/json">`` with
``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\u003c`` etc. (see
:func:`script_json`), so no string can end the block; the script puts every
string from the data into the page with ``textContent`` or ``setAttribute``,
never as markup.
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
from ..model import Confidence, Person, Snapshot, Timeline, Unit
from ..render import BUDGET

__all__ = ["page", "script_json"]

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


def _marks(d: Diff) -> dict[str, Any]:
    """What a diff did, for the page to mark: each unit's and person's state
    (``added``, ``removed``, ``changed``), former names, former parents or
    units, the lineage lines and the reporting lines that ended (as
    :func:`orgdiff.render` draws them)."""
    from ..render import _ended_reporting_lines, _lineage_lines, _Status

    status = _Status(d)
    lineage = [
        [tail, head, text, confidence is not Confidence.CONFIRMED]
        for tail, head, text, confidence in _lineage_lines(d)
    ]
    return {
        "units": status.units,
        "people": status.people,
        "renamed": status.renamed,
        "moved": status.moved_from,
        "lineage": lineage,
        "ended": [list(line) for line in _ended_reporting_lines(d)],
    }


def _relations(d: Diff | None, snap: Snapshot) -> list[list[Any]]:
    """The lines that are not reporting lines: ``[kind, from, to, uncertain,
    removed]``, those of the diff's earlier date that are gone included."""
    gone = [r for r in d.before.relations if r not in snap.relations] if d is not None else []
    return [
        [r.kind, r.from_, r.to, r.confidence is not Confidence.CONFIRMED, r in gone]
        for r in [*snap.relations, *gone]
    ]


def page(
    tl: Timeline,
    snapshots: Sequence[Snapshot] | None = None,
    *,
    changes: bool = True,
    focus: str | None = None,
    depth: int | None = None,
    units_only: bool = False,
    all: bool = False,
    title: str | None = None,
) -> str:
    """The HTML page of ``snapshots`` of ``tl`` (default: all of them, with a
    time slider). With ``changes``, each snapshot but the timeline's first is
    marked against the snapshot before it (the diff chart). ``focus``,
    ``depth``, ``units_only`` and ``all`` are :func:`orgdiff.render`'s."""
    shown = list(tl.snapshots if snapshots is None else snapshots)
    if not shown:
        raise ValueError("a page needs at least one snapshot")
    if focus is not None and not any(focus in s.units for s in shown):
        shown[-1].children(focus)  # raises UnknownIdError with a did-you-mean
    index = {s.date: i for i, s in enumerate(tl.snapshots)}
    views: list[dict[str, Any]] = []
    for snap in shown:
        i = index[snap.date]
        d = diff(tl.snapshots[i - 1], snap) if i > 0 else None
        marked = d if changes else None
        views.append(
            {
                "snapshot": i,
                "title": f"{tl.name}, {snap.date.isoformat()}: {snap.event}",
                **_events(d, snap),
                "diff": marked is not None,
                "marks": _marks(marked) if marked is not None else None,
                "relations": _relations(marked, snap),
            }
        )
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
        "dates": [s.date.isoformat() for s in tl.snapshots],
        "views": views,
        "options": {
            "focus": focus,
            "depth": depth,
            "units_only": units_only,
            "budget": None if all else BUDGET,
        },
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
</header>
<main>
  <div id="stage" tabindex="0" aria-label="Org chart"></div>
  <aside id="side">
    <section id="info" hidden></section>
    <section id="event"></section>
  </aside>
</main>
<noscript><p>This page needs JavaScript to show its charts.</p></noscript>"""
