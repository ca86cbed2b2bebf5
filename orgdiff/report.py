"""A :class:`~orgdiff.diff.Diff` as text, Markdown or JSON.

Text is for a terminal: the events, then every change. Markdown is for a
newsletter or a pull request: the events as a list with their sources as links,
then a table of changes. JSON is for programs:
``{"from", "to", "changes": [...], "events": [...]}``, every change with its
``kind`` and ``id``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .diff import Change, ChangeKind, Diff, HistoryEntry, Value
from .events import join_names
from .model import Confidence, Snapshot, Source

__all__ = ["diff_json", "diff_markdown", "diff_text", "history_text", "log_text"]


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


def diff_text(d: Diff, *, org: str | None = None) -> str:
    """Events first, then every change with its sources."""
    lines = [_heading(d, org)]
    lines.append(f"  then: {d.before.event}")
    lines.append(f"  now:  {d.after.event}")
    if not d.changes:
        lines.append("")
        lines.append("No changes.")
        return "\n".join(lines) + "\n"
    lines.append("")
    lines.append("Events")
    for e in d.events:
        cite = f"  [{', '.join(e.sources)}]" if e.sources else ""
        lines.append(f"  • {e.text}{_mark(e.confidence)}{cite}")
    lines.append("")
    lines.append("Changes")
    width = max(len(c.kind.value) for c in d.changes)
    for c in d.changes:
        cite = f"  [{', '.join(c.sources)}]" if c.sources else ""
        lines.append(
            f"  {c.kind.value:<{width}}  {c.id}: {_describe(d, c)}{_mark(c.confidence)}{cite}"
        )
    n = len(d.changes)
    lines.append("")
    lines.append(
        f"{n} change{'s' if n != 1 else ''}, {len(d.events)} event{'s' if len(d.events) != 1 else ''}"
    )
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    out = text
    for ch in "\\`*_[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return out


def _md_sources(keys: Sequence[str], sources: Mapping[str, Source] | None) -> str:
    parts = []
    for key in keys:
        src = sources.get(key) if sources is not None else None
        if src is not None and src.url:
            parts.append(
                f"[{_md_escape(src.title)}]({src.url.replace(')', '%29').replace(' ', '%20')})"
            )
        elif src is not None:
            parts.append(_md_escape(src.title))
        else:
            parts.append(f"`{key}`")
    return "; ".join(parts)


def diff_markdown(
    d: Diff, *, org: str | None = None, sources: Mapping[str, Source] | None = None
) -> str:
    """A Markdown section: events with their sources as links, then a table."""
    lines = [f"## {_md_escape(_heading(d, org))}", ""]
    lines.append(f"*{_md_escape(d.after.event)}*")
    lines.append("")
    if not d.changes:
        lines.append("No changes.")
        return "\n".join(lines) + "\n"
    lines.append("### What changed")
    lines.append("")
    for e in d.events:
        cite = f" ({_md_sources(e.sources, sources)})" if e.sources else ""
        lines.append(f"- {_md_escape(e.text)}{_md_escape(_mark(e.confidence))}{cite}")
    lines.append("")
    lines.append("### Details")
    lines.append("")
    lines.append("| Change | Id | What | Confidence | Sources |")
    lines.append("| --- | --- | --- | --- | --- |")
    for c in d.changes:
        lines.append(
            f"| {c.kind.value} | `{c.id}` | {_md_escape(_describe(d, c))} | {c.confidence.value} | "
            f"{_md_sources(c.sources, sources)} |"
        )
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


def diff_json(d: Diff) -> dict[str, Any]:
    """``{"from", "to", "changes": [...], "events": [...]}``."""
    return {
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
                "sources": list(e.sources),
                "confidence": e.confidence.value,
            }
            for e in d.events
        ],
    }


def log_text(diffs: Sequence[Diff], first: Snapshot | None = None) -> str:
    """Every change between consecutive snapshots, newest first, like ``git log``."""
    lines: list[str] = []
    for d in diffs:
        lines.append(f"snapshot {d.date_after.isoformat()}  {d.after.event}")
        if d.after.sources:
            lines.append(f"sources: {', '.join(d.after.sources)}")
        lines.append("")
        for e in d.events:
            lines.append(f"    {e.text}{_mark(e.confidence)}")
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
    return "\n".join(lines)


def history_text(
    entity_id: str, entries: Sequence[HistoryEntry], snapshots: Sequence[Snapshot]
) -> str:
    """One unit's or person's history, oldest first."""
    index = {s.date: i for i, s in enumerate(snapshots)}
    lines: list[str] = []
    for h in entries:
        i = index[h.date]
        snap, prev = snapshots[i], snapshots[i - 1] if i > 0 else snapshots[i]
        cite = f"  [{', '.join(h.sources)}]" if h.sources else ""
        lines.append(f"{h.date.isoformat()}  {h.event}{cite}")
        if h.state is None:
            removed = [
                c
                for c in h.changes
                if c.kind in (ChangeKind.UNIT_REMOVED, ChangeKind.PERSON_REMOVED)
            ]
            into = removed[0].into if removed else ()
            where = f" (into {', '.join(snap.name_of(x) for x in into)})" if into else ""
            lines.append(f"    gone{where}")
        elif h.appeared:
            lines.append(f"    first seen: {_state(snap, h.state)}")
        elif h.kind == "evidence":
            lines.append("    sources, confidence or note updated")
        else:
            for c in h.changes:
                lines.append(
                    f"    {c.kind.value}: {_value(prev, c.kind, c.before)} → {_value(snap, c.kind, c.after)}"
                )
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
