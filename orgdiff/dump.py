"""Writing models back as tidy, canonical YAML.

``parse_snapshot(dump(snap)) == snap`` and ``load(save(tl, folder)) == tl``:
what is written reads back as the same model. Defaults are left out
(``confidence: confirmed``, empty lists), short entries are written on one
line, keys come in the order of the data format reference.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from yaml.representer import SafeRepresenter
from yaml.resolver import BaseResolver

from .errors import OrgdiffError
from .load import DATASET_FILE, SNAPSHOTS_DIR
from .model import Confidence, Identity, Person, Relation, Snapshot, Source, Timeline, Unit

__all__ = ["dump", "save"]

from yaml._yaml import CEmitter as _Emitter

#: An entry whose one-line form is longer than this is written as a block.
FLOW_WIDTH = 100


class _Flow(dict[str, Any]):
    """A mapping to be written on one line."""


class _PlainFlow(_Flow):
    """A one-line mapping whose values are all plain text (``_PLAIN_FLOW``)."""


class _PlainBlock(dict[str, Any]):
    """A block mapping whose values are all plain text (``_PLAIN_FLOW``)."""


class _Dumper(_Emitter, SafeRepresenter, BaseResolver):
    """Every scalar is text (as orgdiff reads it), so nothing needs quoting
    merely because YAML 1.1 would have read it as a number or a boolean."""

    def __init__(self, stream: Any, **kwargs: Any) -> None:
        _Emitter.__init__(
            self,
            stream,
            canonical=False,
            indent=2,
            width=10_000,
            allow_unicode=True,
            line_break="\n",
        )
        SafeRepresenter.__init__(
            self, default_style=None, default_flow_style=False, sort_keys=False
        )
        BaseResolver.__init__(self)


def _represent_flow(dumper: SafeRepresenter, data: _Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)


def _represent_list(dumper: SafeRepresenter, data: list[Any]) -> yaml.SequenceNode:
    flat = all(isinstance(x, str) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)


_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(_PlainFlow, _represent_flow)
_Dumper.add_representer(_PlainBlock, SafeRepresenter.represent_dict)
_Dumper.add_representer(list, _represent_list)


def _emit(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper)


def _entry(fields: dict[str, Any]) -> dict[str, Any]:
    """Drop defaults; write short entries on one line."""
    kept = {k: v for k, v in fields.items() if v is not None and v != () and v != []}
    if kept.get("confidence") == Confidence.CONFIRMED.value:
        del kept["confidence"]
    flow = _Flow(kept)
    for key, value in kept.items():
        if isinstance(value, tuple):
            kept[key] = list(value)
            flow[key] = list(value)
    width = _flow_width(kept)
    if width is not None:  # every value is plain text
        return _PlainFlow(flow) if width <= FLOW_WIDTH else _PlainBlock(kept)
    width = len(_emit({"x": flow}).strip()) - 3
    if width <= FLOW_WIDTH:
        return flow
    return kept


# Text that libyaml writes plain, as it is, inside a flow mapping or list: ASCII
# letters, digits and a few marks, single spaces between words (a space is
# followed by a letter, a digit or an opening bracket). Written as runs of
# characters rather than one alternation per character: twice as fast.
_PLAIN_FLOW = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/()'-]*(?: [A-Za-z0-9(][A-Za-z0-9._/()'-]*)*")


def _flow_width(kept: Mapping[str, Any]) -> int | None:
    """The length of ``kept`` written on one line, counted without emitting it
    (emitting each entry dominates the time to dump a big org), or ``None``
    when some value is not plain text that can be counted."""
    plain = _PLAIN_FLOW.fullmatch
    width = 2 + 2 * (len(kept) - 1)  # the braces; ", " between entries
    for key, value in kept.items():
        width += len(key) + 2
        if isinstance(value, str):
            if plain(value) is None:
                return None
            width += len(value)
        elif isinstance(value, list) and value:
            if not all(isinstance(x, str) and plain(x) is not None for x in value):
                return None
            width += 2 + sum(len(x) for x in value) + 2 * (len(value) - 1)
        else:
            return None
    return width


def _unit_fields(u: Unit) -> dict[str, Any]:
    return {
        "name": u.name,
        "parent": u.parent,
        "lead": u.leads[0] if len(u.leads) == 1 else u.leads,
        "from": u.from_,
        "confidence": u.confidence.value,
        "sources": u.sources,
        "note": u.note,
    }


def _unit(u: Unit) -> dict[str, Any]:
    return _entry(_unit_fields(u))


def _person_fields(p: Person) -> dict[str, Any]:
    return {
        "title": p.title,
        "unit": p.unit,
        "reports_to": p.reports_to,
        "confidence": p.confidence.value,
        "sources": p.sources,
        "note": p.note,
    }


def _person(p: Person) -> dict[str, Any]:
    return _entry(_person_fields(p))


def _relation(r: Relation) -> dict[str, Any]:
    return _entry(
        {
            "kind": r.kind,
            "from": r.from_,
            "to": r.to,
            "confidence": r.confidence.value,
            "sources": r.sources,
            "note": r.note,
        }
    )


def _source(s: Source) -> dict[str, Any]:
    return {
        k: v
        for k, v in {
            "title": s.title,
            "publisher": s.publisher,
            "url": s.url,
            "date": s.date.isoformat() if s.date else None,
            "note": s.note,
        }.items()
        if v is not None
    }


def _identity(i: Identity) -> dict[str, Any]:
    return _entry({"name": i.name, "aliases": i.aliases})


class _Written(str):
    """An entry of a section already written as its lines (see :func:`_written`)."""


class _Lines:
    """A whole section already written as its lines, each ``  KEY: ...`` as
    :func:`_fast` writes its entries (the HR import writes its people so):
    ``parts``, texts whose join is the section."""

    __slots__ = ("parts",)

    def __init__(self, parts: Sequence[str]) -> None:
        self.parts = parts


class _Plain(dict[str, bool]):
    """Whether a text is plain (``_PLAIN_FLOW``), remembered for one file: in a
    big org the same titles, unit ids and managers come back on every line."""

    def __missing__(self, text: str) -> bool:
        ok = self[text] = _PLAIN_FLOW.fullmatch(text) is not None
        return ok


def _written(key: str, fields: dict[str, Any], plain: _Plain) -> _Written | None:
    """The lines of ``key: _entry(fields)`` as :func:`_fast` writes them, without
    building the entry, when the key and every kept value are plain text (or
    lists of it); else ``None``, and the entry goes the long way."""
    if not plain[key]:
        return None
    parts: list[str] = []
    width = 0
    for k, v in fields.items():
        if v is None or v == ():
            continue
        if type(v) is str:
            if k == "confidence" and v == "confirmed":
                continue
            if not plain[v]:
                return None
            width += len(k) + 2 + len(v)
            parts.append(f"{k}: {v}")
        elif type(v) is tuple and all(type(x) is str and plain[x] for x in v):
            text = ", ".join(v)
            width += len(k) + 4 + len(text)
            parts.append(f"{k}: [{text}]")
        else:
            return None
    if not parts:
        return None
    if width + 2 * len(parts) <= FLOW_WIDTH:  # braces, and ", " between entries
        return _Written(f"  {key}: {{{', '.join(parts)}}}\n")
    return _Written(f"  {key}:\n" + "".join(f"    {part}\n" for part in parts))


def _person_written(pid: str, p: Person, plain: _Plain) -> _Written | None:
    """:func:`_written` of a person, quicker for the usual one: a title, a unit
    and a manager, confirmed, with no sources and no note."""
    title, unit, boss = p.title, p.unit, p.reports_to
    if (
        title is None
        or boss is None
        or p.confidence is not Confidence.CONFIRMED
        or p.sources
        or p.note is not None
    ):
        return _written(pid, _person_fields(p), plain)
    if not (plain[pid] and plain[title] and plain[unit] and plain[boss]):
        return None
    if 31 + len(title) + len(unit) + len(boss) <= FLOW_WIDTH:
        return _Written(f"  {pid}: {{title: {title}, unit: {unit}, reports_to: {boss}}}\n")
    return _Written(f"  {pid}:\n    title: {title}\n    unit: {unit}\n    reports_to: {boss}\n")


def _unit_written(uid: str, u: Unit, plain: _Plain) -> _Written | None:
    """:func:`_written` of a unit, quicker for the usual one: a name, a parent
    and one lead, confirmed, with no lineage, no sources and no note."""
    parent = u.parent
    if (
        parent is None
        or len(u.leads) != 1
        or u.from_
        or u.confidence is not Confidence.CONFIRMED
        or u.sources
        or u.note is not None
    ):
        return _written(uid, _unit_fields(u), plain)
    return _unit_line(uid, u.name, parent, u.leads[0], plain)


def _unit_line(uid: str, name: str, parent: str, lead: str, plain: _Plain) -> _Written | None:
    """:func:`_unit_written` of the usual unit, from its fields."""
    if not (plain[uid] and plain[name] and plain[parent] and plain[lead]):
        return None
    if 26 + len(name) + len(parent) + len(lead) <= FLOW_WIDTH:
        return _Written(f"  {uid}: {{name: {name}, parent: {parent}, lead: {lead}}}\n")
    return _Written(f"  {uid}:\n    name: {name}\n    parent: {parent}\n    lead: {lead}\n")


def _identity_written(pid: str, i: Identity, plain: _Plain) -> _Written | None:
    """:func:`_written` of a registered person, quicker when there are no aliases."""
    name = i.name
    if i.aliases:
        return _written(pid, {"name": name, "aliases": i.aliases}, plain)
    if not (plain[pid] and plain[name]):
        return None
    if 8 + len(name) <= FLOW_WIDTH:
        return _Written(f"  {pid}: {{name: {name}}}\n")
    return _Written(f"  {pid}:\n    name: {name}\n")


def _snapshot(
    snap: Snapshot,
    plain: _Plain | None = None,
    people: _Lines | None = None,
    units: _Lines | None = None,
) -> dict[str, Any]:
    """The document of a snapshot file; ``people`` and ``units`` are its
    sections already written (then ``snap.people`` or ``snap.units`` is not
    looked at)."""
    out: dict[str, Any] = {"date": snap.date.isoformat(), "event": snap.event}
    if snap.sources:
        out["sources"] = list(snap.sources)
    if snap.note is not None:
        out["note"] = snap.note
    if units is not None:
        out["units"] = units
    elif plain is None:
        out["units"] = {uid: _unit(u) for uid, u in snap.units.items()}
    else:
        out["units"] = {
            uid: _unit_written(uid, u, plain) or _unit(u) for uid, u in snap.units.items()
        }
    if people is not None:
        out["people"] = people
    elif snap.people and plain is None:
        out["people"] = {pid: _person(p) for pid, p in snap.people.items()}
    elif snap.people and plain is not None:
        out["people"] = {
            pid: _person_written(pid, p, plain) or _person(p) for pid, p in snap.people.items()
        }
    if snap.relations:
        out["relations"] = [_relation(r) for r in snap.relations]
    return out


def _dataset(
    tl: Timeline, plain: _Plain | None = None, people: _Lines | None = None
) -> dict[str, Any]:
    """The document of ``dataset.yaml``; ``people`` is its people section
    already written (then ``tl.people`` is not looked at)."""
    out: dict[str, Any] = {"name": tl.name}
    if tl.description is not None:
        out["description"] = tl.description
    out["sources"] = {key: _source(s) for key, s in tl.sources.items()}
    if people is not None:
        out["people"] = people
    elif plain is None:
        out["people"] = {pid: _identity(i) for pid, i in tl.people.items()}
    else:
        out["people"] = {
            pid: _identity_written(pid, i, plain) or _identity(i) for pid, i in tl.people.items()
        }
    return out


def _plain(value: Any) -> str | None:
    """``value`` as libyaml writes it inside a flow or block entry, when it is
    plain text (or a list of plain text) that needs no quoting; else ``None``."""
    plain = _PLAIN_FLOW.fullmatch
    if isinstance(value, str):
        return value if plain(value) is not None else None
    if (
        isinstance(value, list)
        and value
        and all(isinstance(x, str) and plain(x) is not None for x in value)
    ):
        return "[" + ", ".join(value) + "]"
    return None


def _fast_entry(key: str, entry: dict[str, Any] | str) -> str | None:
    """The lines of ``key: entry`` in a section of ``_emit``'s output (two
    spaces in), written directly, or ``None`` when some key or value is not
    plain text (then PyYAML writes it)."""
    if _PLAIN_FLOW.fullmatch(key) is None:
        return None
    if isinstance(entry, str):
        return f"  {key}: {entry}\n" if _PLAIN_FLOW.fullmatch(entry) is not None else None
    if not entry:
        return None
    if type(entry) is _PlainFlow:
        return (
            f"  {key}: {{"
            + ", ".join(
                f"{k}: {v}" if type(v) is str else f"{k}: [{', '.join(v)}]"
                for k, v in entry.items()
            )
            + "}\n"
        )
    if type(entry) is _PlainBlock:
        return f"  {key}:\n" + "".join(
            f"    {k}: {v}\n" if type(v) is str else f"    {k}: [{', '.join(v)}]\n"
            for k, v in entry.items()
        )
    parts = []
    for k, v in entry.items():
        text = _plain(v)
        if text is None:
            return None
        parts.append((k, text))
    if isinstance(entry, _Flow):
        return f"  {key}: {{" + ", ".join(f"{k}: {t}" for k, t in parts) + "}\n"
    return f"  {key}:\n" + "".join(f"    {k}: {t}\n" for k, t in parts)


_FAST_TYPES = (dict, _Flow, _PlainFlow, _PlainBlock, str)


def _fast(doc: dict[str, Any], sections: tuple[str, ...]) -> str:
    """``_emit(doc)``, byte for byte, with the mapping entries of ``sections``
    (units, people: the bulk of a big org) that are plain text written directly
    instead of through PyYAML's representer; anything else goes through PyYAML,
    in the same place of the document so that it is written as it would be."""
    out: list[str] = []
    rest: dict[str, Any] = {}

    def flush() -> None:
        if rest:
            out.append(_emit(dict(rest)))
            rest.clear()

    for name, value in doc.items():
        if type(value) is _Lines:
            flush()
            out.append(f"{name}:\n")
            out += value.parts
            continue
        if name not in sections or not isinstance(value, dict) or not value:
            rest[name] = value
            continue
        flush()
        out.append(f"{name}:\n")
        for key, entry in value.items():
            out.append(entry if type(entry) is _Written else _entry_text(name, key, entry))
    flush()
    return "".join(out)


def _entry_text(section: str, key: str, entry: Any) -> str:
    """The lines of ``key: entry`` in ``section``, as :func:`_fast` writes them."""
    if type(entry) is _Written:
        return entry
    line = _fast_entry(key, entry) if type(entry) in _FAST_TYPES else None
    if line is None:
        # Written in a section of its own, whose heading is then dropped.
        line = _emit({section: {key: entry}}).split("\n", 1)[1]
    return line


def dump(obj: Snapshot | Timeline) -> str:
    """YAML text of a snapshot file, or of a timeline's ``dataset.yaml``."""
    if isinstance(obj, Snapshot):
        return _fast(_snapshot(obj, _Plain()), ("units", "people"))
    if isinstance(obj, Timeline):
        return _fast(_dataset(obj, _Plain()), ("people",))
    raise TypeError(f"dump() takes a Snapshot or a Timeline, not {type(obj).__name__}")


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename, so that
    a failure never leaves a half-written file behind."""
    write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save(tl: Timeline, folder: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write a timeline as a dataset folder (``dataset.yaml`` and ``snapshots/``).

    Refuses to write into a folder that already holds a dataset unless
    ``overwrite`` is true; snapshot files there that the timeline lacks are
    then removed. Returns the folder.
    """
    root = Path(folder)
    if (root / DATASET_FILE).exists() and not overwrite:
        raise OrgdiffError(f"{root} already holds a dataset; pass overwrite=True to replace it")
    files: Mapping[str, str] = {
        f"{snap.date.isoformat()}.yaml": dump(snap) for snap in tl.snapshots
    }
    write_atomic(root / DATASET_FILE, dump(tl))
    snap_dir = root / SNAPSHOTS_DIR
    for name, text in files.items():
        write_atomic(snap_dir / name, text)
    for stale in snap_dir.glob("*.yaml"):
        if stale.name not in files:
            stale.unlink()
    return root
