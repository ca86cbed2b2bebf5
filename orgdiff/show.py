"""A snapshot as text (an indented tree) or as JSON-ready data."""

from __future__ import annotations

from typing import Any

from .events import join_names
from .model import Confidence, Snapshot, Timeline

__all__ = ["snapshot_json", "snapshot_text"]


def _mark(confidence: Confidence) -> str:
    return "" if confidence is Confidence.CONFIRMED else f" [{confidence.value}]"


def snapshot_text(snap: Snapshot, tl: Timeline | None = None) -> str:
    """The org at one date as an indented tree: units with their leads, and
    under each unit its people with title and manager."""
    name = snap.name_of
    lines: list[str] = []
    title = f"{tl.name}, " if tl is not None else ""
    lines.append(f"{title}{snap.date.isoformat()}: {snap.event}")
    if snap.sources:
        lines.append(f"sources: {', '.join(snap.sources)}")
    if snap.note:
        lines.append(f"note: {snap.note}")
    lines.append("")

    def unit_line(uid: str, depth: int) -> None:
        unit = snap.units[uid]
        leads = join_names(name(p) for p in unit.leads)
        lead = f" — lead{'s' if len(unit.leads) > 1 else ''}: {leads}" if unit.leads else ""
        origin = f" (from {', '.join(unit.from_)})" if unit.from_ else ""
        lines.append(f"{'  ' * depth}{unit.name} [{uid}]{lead}{origin}{_mark(unit.confidence)}")
        for pid in snap.members(uid):
            person = snap.people[pid]
            parts = [name(pid)]
            if person.title:
                parts.append(person.title)
            text = " — ".join(parts)
            if person.reports_to:
                text += f" (reports to {name(person.reports_to)})"
            lines.append(f"{'  ' * (depth + 1)}• {text}{_mark(person.confidence)}")
        for child in snap.children(uid):
            unit_line(child, depth + 1)

    roots = [uid for uid, u in snap.units.items() if u.parent is None]
    for root in roots:
        unit_line(root, 0)
    if snap.relations:
        lines.append("")
        lines.append("relations:")
        for rel in snap.relations:
            lines.append(f"  {name(rel.from_)} —{rel.kind}→ {name(rel.to)}{_mark(rel.confidence)}")
    return "\n".join(lines) + "\n"


def snapshot_json(snap: Snapshot, tl: Timeline | None = None) -> dict[str, Any]:
    """``{"date", "event", "units": {id: {...}}, "people": {id: {...}}, ...}``."""
    return {
        "dataset": tl.name if tl is not None else None,
        "date": snap.date.isoformat(),
        "event": snap.event,
        "sources": list(snap.sources),
        "note": snap.note,
        "units": {
            uid: {
                "name": u.name,
                "parent": u.parent,
                "lead": u.lead,  # the first of the leads
                "leads": list(u.leads),
                "from": list(u.from_),
                "confidence": u.confidence.value,
                "sources": list(u.sources),
                "note": u.note,
            }
            for uid, u in snap.units.items()
        },
        "people": {
            pid: {
                "name": snap.name_of(pid),
                "title": p.title,
                "unit": p.unit,
                "reports_to": p.reports_to,
                "confidence": p.confidence.value,
                "sources": list(p.sources),
                "note": p.note,
            }
            for pid, p in snap.people.items()
        },
        "relations": [
            {
                "kind": r.kind,
                "from": r.from_,
                "to": r.to,
                "confidence": r.confidence.value,
                "sources": list(r.sources),
                "note": r.note,
            }
            for r in snap.relations
        ],
    }
