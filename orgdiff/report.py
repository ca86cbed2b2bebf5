"""A :class:`~orgdiff.diff.Diff` (and a log, a history) as text, Markdown or JSON.

Text is for a terminal, wrapped to its width: the events that group several
changes (a split; one person moved, retitled and given a new manager), then
every change once, in words, each citing its sources as footnote numbers
(``[1-3,5]``), and the numbered sources at the end, as the docs site lists
them. Markdown is for a newsletter or a pull request: the same, with GitHub
footnotes (``[^1]``) and a table of changes. JSON is for programs:
``{"from", "to", "changes": [...], "events": [...]}``, every change with its
``kind`` and ``id``, every event with the indices of its changes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .diff import Change, ChangeKind, Diff, Event, HistoryEntry, Value
from .events import join_names
from .model import Confidence, Snapshot, Source

__all__ = [
    "Citations",
    "cells",
    "change_json",
    "diff_json",
    "diff_markdown",
    "diff_text",
    "first_snapshot_json",
    "grouped_events",
    "history_text",
    "log_text",
]


def _mark(confidence: Confidence) -> str:
    return "" if confidence is Confidence.CONFIRMED else f" [{confidence.value}]"


def _name(d: Diff, entity_id: Value, *, later: bool = True) -> str:
    if entity_id is None or entity_id == ():
        return "—"
    if isinstance(entity_id, tuple):  # the leads of a unit
        return join_names(_name(d, x, later=later) for x in entity_id)
    first, second = (d.after, d.before) if later else (d.before, d.after)
    for snap in (first, second):
        if entity_id in snap.units:
            return snap.units[entity_id].name
        if entity_id in snap.people or entity_id in snap.identities:
            return snap.name_of(entity_id)
    return entity_id


def _describe(d: Diff, c: Change) -> str:
    """One change as words, naming things as the reader knows them."""
    k = c.kind
    if k is ChangeKind.UNIT_ADDED:
        origin = (
            f" (from {', '.join(_name(d, x, later=False) for x in c.from_)})" if c.from_ else ""
        )
        return f"{c.after}{origin}"
    if k is ChangeKind.UNIT_REMOVED:
        into = f" (into {', '.join(_name(d, x) for x in c.into)})" if c.into else ""
        return f"{c.before}{into}"
    if k is ChangeKind.UNIT_RENAMED or k is ChangeKind.PERSON_RETITLED:
        return f"{c.before or '—'} → {c.after or '—'}"
    if k is ChangeKind.UNIT_MOVED or k is ChangeKind.PERSON_MOVED:
        return f"{_name(d, c.before, later=False)} → {_name(d, c.after)}"
    if k is ChangeKind.UNIT_LEAD_CHANGED or k is ChangeKind.PERSON_MANAGER_CHANGED:
        return f"{_name(d, c.before, later=False)} → {_name(d, c.after)}"
    if k is ChangeKind.PERSON_ADDED:
        return f"{_name(d, c.id)} in {_name(d, c.after)}"
    if k is ChangeKind.PERSON_REMOVED:
        return f"{_name(d, c.id, later=False)} from {_name(d, c.before, later=False)}"
    source, rel_kind, target = c.id.split("/", 2)
    return f"{_name(d, source)} —{rel_kind}→ {_name(d, target)}"


def _heading(d: Diff, org: str | None) -> str:
    prefix = f"{org}: " if org else ""
    return f"{prefix}{d.date_before.isoformat()} → {d.date_after.isoformat()}"


DEFAULT_WIDTH = 100
"""Columns of a text report when the width is not known (not a terminal)."""

_GREEN, _RED, _YELLOW = "green", "red", "yellow"
_EVENT_COLOURS = {"creation": _GREEN, "join": _GREEN, "dissolution": _RED, "leave": _RED}


def _colour_of(kind: ChangeKind) -> str:
    """Added green, removed red, anything else changed (amber), as in ``git diff``."""
    if kind.value.endswith("-added"):
        return _GREEN
    if kind.value.endswith("-removed"):
        return _RED
    return _YELLOW


def _paint(lines: list[str], colour: str | None, enabled: bool) -> list[str]:
    """Each physical line styled on its own, so a pager or a wrap never bleeds colour."""
    if not enabled or colour is None:
        return lines
    import click

    return [click.style(line, fg=colour) for line in lines]


def cells(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide (CJK) characters two, combining marks none.

    No ASCII character is either, so each takes one column, and only the
    other characters are looked at one by one (most of a report is ASCII)."""
    if text.isascii():
        return len(text)
    import unicodedata

    columns = len(text)
    for ch in _NOT_ASCII.findall(text):
        if unicodedata.combining(ch):
            columns -= 1
        elif unicodedata.east_asian_width(ch) in "WF":
            columns += 1
    return columns


_NOT_ASCII = re.compile("[^\x00-\x7f]")


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    """``text`` wrapped at spaces into ``width`` terminal columns (at least 40), the
    first line indented by ``first``, the others by ``rest``. A word, an id or a URL
    is never broken: one longer than the line stands alone on its line."""
    width = max(width, 40)
    lines: list[str] = []
    line, used = first, False
    for word in text.split():
        joined = f"{line} {word}" if used else line + word
        if used and cells(joined) > width:
            lines.append(line)
            joined = rest + word
        line, used = joined, True
    lines.append(line if used else first.rstrip())
    return lines


class Citations:
    """Sources numbered in order of first citation within one report, as the
    docs site does: a statement cites ``[1-3,5]`` and the list at the end says
    what each number is."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def number(self, keys: Sequence[str]) -> list[int]:
        for key in keys:
            self.numbers.setdefault(key, len(self.numbers) + 1)
        return sorted({self.numbers[k] for k in keys})

    def cite(self, keys: Sequence[str]) -> str:
        """``"[1-3,5]"`` (runs of three or more as ranges), or ``""`` for no source."""
        numbers = self.number(keys)
        if not numbers:
            return ""
        runs: list[list[int]] = []
        for n in numbers:
            if runs and n == runs[-1][-1] + 1:
                runs[-1].append(n)
            else:
                runs.append([n])
        parts = [f"{r[0]}-{r[-1]}" if len(r) >= 3 else ",".join(map(str, r)) for r in runs]
        return f"[{','.join(parts)}]"


def _source_text(key: str, sources: Mapping[str, Source] | None) -> tuple[str, str | None]:
    """A source as ``Title, Publisher, 2025-08-19`` and its URL (or the bare key)."""
    src = sources.get(key) if sources is not None else None
    if src is None:
        return key, None
    extra = [x for x in (src.publisher, src.date.isoformat() if src.date else None) if x]
    return ", ".join([src.title, *extra]), src.url or None


def _source_list(cites: Citations, sources: Mapping[str, Source] | None, width: int) -> list[str]:
    """The ``Sources`` section: each cited source once, by its number; URLs unbroken."""
    if not cites.numbers:
        return []
    lines = ["", "Sources"]
    number_width = len(str(len(cites.numbers))) + 2
    for key, n in cites.numbers.items():
        title, url = _source_text(key, sources)
        first = f"  {f'[{n}]':<{number_width}} "
        rest = " " * len(first)
        lines += _wrap(title, width, first, rest)
        if url:
            lines.append(rest + url)
    return lines


def grouped_events(d: Diff) -> list[Event]:
    """The events that group two or more changes (splits, merges, dissolutions).

    An event that tells a single change is not repeated as an event: the
    report gives its words to that change's line instead.
    """
    return [e for e in d.events if len(e.changes) >= 2 or len(e.ids) >= 2]


def _change_words(d: Diff) -> dict[int, str]:
    """Change (by identity) -> its words: those of the event that tells it alone;
    for a change that an event groups with others, the words it would have alone
    (a unit's addition or removal keeps its neutral "X (from Y)" / "X (into Y)")."""
    import attrs

    from .events import group

    out: dict[int, str] = {}
    for e in d.events:
        if len(e.changes) == 1 and len(e.ids) == 1:
            out[id(e.changes[0])] = e.text
    for c in d.changes:
        if id(c) in out or c.kind in (ChangeKind.UNIT_ADDED, ChangeKind.UNIT_REMOVED):
            continue
        alone = list(group(attrs.evolve(d, changes=(c,), events=())))
        if len(alone) == 1:
            out[id(c)] = alone[0].text
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def diff_text(
    d: Diff,
    *,
    org: str | None = None,
    sources: Mapping[str, Source] | None = None,
    width: int = DEFAULT_WIDTH,
    colour: bool = False,
    scope: str | None = None,
    between: Sequence[Snapshot] = (),
) -> str:
    """A report for a terminal, wrapped to ``width`` columns.

    The heading with both snapshots' events (and those of the snapshots
    ``between`` them, as the curator wrote them); the events that group several
    changes; every change once, each in words; the sources, numbered in order
    of first citation, that the ``[n]`` marks refer to. ``scope`` says how the
    diff was narrowed (``--focus``, ``--depth``, ``--units-only``).
    """
    lines = [_heading(d, org)]
    lines += _wrap(d.before.event, width, "  then: ", "        ")
    if between:
        lines.append("  in between:")
        for snap in between:
            first = f"    {snap.date.isoformat()}  "
            lines += _wrap(snap.event, width, first, " " * len(first))
    lines += _wrap(d.after.event, width, "  now:  ", "        ")
    if scope is not None:
        lines += _wrap(f"filtered: {scope}", width, "  ", "    ")
    if not d.changes:
        lines.append("")
        lines.append("No changes.")
        return "\n".join(lines) + "\n"
    cites = Citations()
    events = grouped_events(d)
    if events:
        lines.append("")
        lines.append("Events")
        for e in events:
            text = f"{e.text}{_mark(e.confidence)} {cites.cite(e.sources)}".rstrip()
            lines += _paint(_wrap(text, width, "  • ", "    "), _event_colour(e), colour)
    lines.append("")
    lines.append("Changes")
    words = _change_words(d)
    kind_width = max(len(c.kind.value) for c in d.changes)
    indent = " " * (kind_width + 4)
    for c in d.changes:
        what = words.get(id(c)) or _describe(d, c)
        text = f"{c.id}: {what}{_mark(c.confidence)} {cites.cite(c.sources)}".rstrip()
        first = f"  {c.kind.value:<{kind_width}}  "
        lines += _paint(_wrap(text, width, first, indent), _colour_of(c.kind), colour)
    lines += _source_list(cites, sources, width)
    lines.append("")
    lines.append(f"{_plural(len(d.changes), 'change')}, {_plural(len(events), 'event')}")
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    out = text
    for ch in "\\`*_[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return out


def _md_url(url: str) -> str:
    return url.replace(")", "%29").replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def _md_cite(keys: Sequence[str], cites: Citations) -> str:
    """GitHub-flavoured footnote marks: ``[^1][^2]``."""
    return "".join(f"[^{n}]" for n in cites.number(keys))


def diff_markdown(
    d: Diff,
    *,
    org: str | None = None,
    sources: Mapping[str, Source] | None = None,
    scope: str | None = None,
    between: Sequence[Snapshot] = (),
) -> str:
    """A Markdown section: the grouping events, a table of every change, and the
    sources once, as footnotes (``[^1]``) that every statement points to.
    ``between``: the snapshots in between, listed with their events."""
    lines = [f"## {_md_escape(_heading(d, org))}", ""]
    lines.append(f"*{_md_escape(d.after.event)}*")
    lines.append("")
    if between:
        lines.append("In between:")
        lines.append("")
        for snap in between:
            lines.append(f"- {snap.date.isoformat()}: {_md_escape(snap.event)}")
        lines.append("")
    if scope is not None:
        # Our own words around a known unit id (kebab-case): its backticks are code.
        lines.append(f"Filtered: {scope}.")
        lines.append("")
    if not d.changes:
        lines.append("No changes.")
        return "\n".join(lines) + "\n"
    cites = Citations()
    events = grouped_events(d)
    if events:
        lines.append("### Events")
        lines.append("")
        for e in events:
            lines.append(
                f"- {_md_escape(e.text)}{_md_escape(_mark(e.confidence))}{_md_cite(e.sources, cites)}"
            )
        lines.append("")
    lines.append("### Changes")
    lines.append("")
    lines.append("| Change | Id | What | Confidence | Sources |")
    lines.append("| --- | --- | --- | --- | --- |")
    words = _change_words(d)
    for c in d.changes:
        what = words.get(id(c)) or _describe(d, c)
        lines.append(
            f"| {c.kind.value} | `{c.id}` | {_md_escape(what)} | {c.confidence.value} | "
            f"{_md_cite(c.sources, cites)} |"
        )
    if cites.numbers:
        lines.append("")
        for key, n in cites.numbers.items():
            title, url = _source_text(key, sources)
            src = sources.get(key) if sources is not None else None
            if src is not None and url:
                rest = title[len(src.title) :]
                text = f"[{_md_escape(src.title)}]({_md_url(url)}){_md_escape(rest)}"
            elif src is not None:
                text = _md_escape(title)
            else:
                text = f"`{key}`"
            lines.append(f"[^{n}]: {text}")
    return "\n".join(lines) + "\n"


def change_json(c: Change) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": c.kind.value, "id": c.id}
    if c.kind is ChangeKind.UNIT_LEAD_CHANGED:  # the leads in order, a list even if empty
        out["before"] = list(c.before or ())
        out["after"] = list(c.after or ())
    else:
        if c.before is not None:
            out["before"] = c.before
        if c.after is not None:
            out["after"] = c.after
    if c.kind is ChangeKind.UNIT_ADDED:
        out["from"] = list(c.from_)
    if c.kind is ChangeKind.UNIT_REMOVED:
        out["into"] = list(c.into)
    out["sources"] = list(c.sources)
    out["sources_before"] = list(c.sources_before)
    out["sources_after"] = list(c.sources_after)
    out["confidence"] = c.confidence.value
    return out


def diff_json(
    d: Diff,
    *,
    scope: Mapping[str, Any] | None = None,
    between: Sequence[Snapshot] | None = None,
) -> dict[str, Any]:
    """``{"from", "to", "event_before", "event_after", "changes": [...], "events": [...]}``.

    Every event lists the changes it groups as indices into ``changes``. A
    narrowed diff (``--focus``, ``--depth``, ``--units-only``) carries
    ``"filter": {"focus", "depth", "units_only"}``; a whole diff has no ``filter``.
    Given the snapshots ``between`` the two dates, ``"between"`` lists them as
    ``{"date", "event", "sources"}``.
    """
    index = {id(c): i for i, c in enumerate(d.changes)}
    out: dict[str, Any] = {
        "from": d.date_before.isoformat(),
        "to": d.date_after.isoformat(),
        "event_before": d.before.event,
        "event_after": d.after.event,
        "changes": [change_json(c) for c in d.changes],
        "events": [
            {
                "kind": e.kind,
                "text": e.text,
                "ids": list(e.ids),
                "changes": [index[id(c)] for c in e.changes if id(c) in index],
                "sources": list(e.sources),
                "confidence": e.confidence.value,
            }
            for e in d.events
        ],
    }
    if between is not None:
        out["between"] = [
            {"date": s.date.isoformat(), "event": s.event, "sources": list(s.sources)}
            for s in between
        ]
    if scope is not None:
        out["filter"] = dict(scope)
    return out


def first_snapshot_json(first: Snapshot) -> dict[str, Any]:
    """The oldest snapshot as an entry of ``log --format json``: no diff before it.

    Shaped as a diff entry (``from`` is ``null``, no changes or events) with
    ``"first": true`` and the size of the org, so a program reads every entry alike.
    """
    return {
        "from": None,
        "to": first.date.isoformat(),
        "event_before": None,
        "event_after": first.event,
        "first": True,
        "units": len(first.units),
        "people": len(first.people),
        "sources": list(first.sources),
        "changes": [],
        "events": [],
    }


def log_text(
    diffs: Sequence[Diff],
    first: Snapshot | None = None,
    *,
    colour: bool = False,
    width: int | None = None,
) -> str:
    """Every change between consecutive snapshots, newest first, like ``git log``.

    Events are wrapped to ``width`` columns when it is given."""
    lines: list[str] = []
    for d in diffs:
        lines.append(f"snapshot {d.date_after.isoformat()}  {d.after.event}")
        if d.after.sources:
            lines.append(f"sources: {', '.join(d.after.sources)}")
        lines.append("")
        for e in d.events:
            text = f"{e.text}{_mark(e.confidence)}"
            wrapped = [f"    {text}"] if width is None else _wrap(text, width, "    ", "      ")
            lines += _paint(wrapped, _event_colour(e), colour)
        if not d.events:
            lines.append("    (no structural change)")
        lines.append("")
    if first is not None:
        lines.append(f"snapshot {first.date.isoformat()}  {first.event}")
        if first.sources:
            lines.append(f"sources: {', '.join(first.sources)}")
        lines.append("")
        lines.append(f"    first snapshot: {len(first.units)} units, {len(first.people)} people")
        lines.append("")
    if colour:
        lines = [_bold_header(line) for line in lines]
    return "\n".join(lines)


def _event_colour(e: Event) -> str:
    """A creation or a joining green, a dissolution or a leaving red; else from
    its changes: all added green, all removed red, anything else amber."""
    if e.kind in _EVENT_COLOURS:
        return _EVENT_COLOURS[e.kind]
    colours = {_colour_of(c.kind) for c in e.changes}
    return colours.pop() if len(colours) == 1 else _YELLOW


def _bold_header(line: str) -> str:
    if not line.startswith("snapshot "):
        return line
    import click

    return click.style(line, bold=True)


def history_text(
    entity_id: str,
    entries: Sequence[HistoryEntry],
    snapshots: Sequence[Snapshot],
    *,
    verbose: bool = False,
    colour: bool = False,
    sources: Mapping[str, Source] | None = None,
    width: int = DEFAULT_WIDTH,
) -> str:
    """One unit's or person's history, oldest first, wrapped to ``width`` columns.

    Each snapshot cites its sources by number, listed at the end. Snapshots
    where only the evidence changed (sources, confidence or note) are folded
    into one closing line unless ``verbose``.
    """
    index = {s.date: i for i, s in enumerate(snapshots)}
    lines: list[str] = []
    cites = Citations()
    folded = 0
    for h in entries:
        if h.kind == "evidence" and not verbose:
            folded += 1
            continue
        i = index[h.date]
        snap, prev = snapshots[i], snapshots[i - 1] if i > 0 else snapshots[i]
        lines += _wrap(
            f"{h.event} {cites.cite(h.sources)}".rstrip(), width, f"{h.date}  ", " " * 12
        )
        if h.state is None:
            removed = [
                c
                for c in h.changes
                if c.kind in (ChangeKind.UNIT_REMOVED, ChangeKind.PERSON_REMOVED)
            ]
            into = removed[0].into if removed else ()
            where = f" (into {', '.join(snap.name_of(x) for x in into)})" if into else ""
            lines += _paint(_wrap(f"gone{where}", width, "    ", "      "), _RED, colour)
        elif h.appeared:
            seen = _wrap(f"first seen: {_state(snap, h.state)}", width, "    ", "      ")
            lines += _paint(seen, _GREEN, colour)
        elif h.kind == "evidence":
            lines.append("    sources, confidence or note updated")
        else:
            for c in h.changes:
                text = f"{c.kind.value}: {_value(prev, c.kind, c.before)} → {_value(snap, c.kind, c.after)}"
                lines += _paint(_wrap(text, width, "    ", "      "), _colour_of(c.kind), colour)
    if folded:
        lines.append("")
        lines.append(
            f"({_plural(folded, 'snapshot')} updated only sources, confidence or notes; "
            "--verbose shows them)"
        )
    lines += _source_list(cites, sources, width)
    holders = [s for s in snapshots if entity_id in s.units or entity_id in s.people]
    name = holders[-1].name_of(entity_id) if holders else entity_id
    return f"{name} [{entity_id}]\n\n" + "\n".join(lines) + "\n"


def _value(snap: Snapshot, kind: ChangeKind, value: Value) -> str:
    if value is None or value == ():
        return "—"
    if isinstance(value, tuple):  # the leads of a unit
        return join_names(snap.name_of(x) for x in value)
    if kind in (ChangeKind.UNIT_RENAMED, ChangeKind.PERSON_RETITLED):
        return value
    return snap.name_of(value)


def _state(snap: Snapshot, state: Any) -> str:
    from .model import Unit

    if isinstance(state, Unit):
        parent = f", under {snap.name_of(state.parent)}" if state.parent else ""
        lead = f", led by {join_names(snap.name_of(x) for x in state.leads)}" if state.leads else ""
        return f"{state.name}{parent}{lead}"
    title = f"{state.title}, " if state.title else ""
    boss = f", reports to {snap.name_of(state.reports_to)}" if state.reports_to else ""
    return f"{title}in {snap.name_of(state.unit)}{boss}"
