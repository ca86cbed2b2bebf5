"""Loading a dataset folder into a validated :class:`~orgdiff.model.Timeline`.

Reading is strict (see :mod:`orgdiff.yamlread`); structuring uses a strict
cattrs converter: unknown keys are errors with a did-you-mean hint, required
keys must be there, text must be text and lists must be lists. Every problem of
every file is collected, then all are raised together as one
:class:`~orgdiff.errors.OrgDataError`.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn, override

from . import dates
from .errors import DateError, OrgDataError, OrgdiffError, Problem
from .model import Confidence, Identity, Person, Relation, Snapshot, Source, Timeline, Unit
from .suggest import did_you_mean
from .yamlread import Document, PathKey, format_path, read_file, read_text

__all__ = [
    "DATASET_FILE",
    "SNAPSHOTS_DIR",
    "Dataset",
    "bundled_dataset",
    "default_dataset",
    "load",
    "parse_snapshot",
]

DATASET_FILE = "dataset.yaml"
SNAPSHOTS_DIR = "snapshots"
_SNAPSHOT_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})\.yaml")


@attrs.frozen
class Dataset:
    """What ``dataset.yaml`` holds: the dataset's name and its registries."""

    name: str
    description: str | None = None
    sources: dict[str, Source] = attrs.field(factory=dict)
    people: dict[str, Identity] = attrs.field(factory=dict)


class _SchemaError(ValueError):
    """A value of the wrong shape; the message is shown as it is."""


# YAML key <-> attribute name, where they differ.
_RENAMED = {"from_": "from"}
_ID_KEYED = {Unit, Person, Source, Identity}


def _yaml_keys(cls: type) -> list[str]:
    hidden = {"id", "key", "identities"}
    return [_RENAMED.get(a.name, a.name) for a in attrs.fields(cls) if a.name not in hidden]


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"`{value}`"


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)

    def text(value: Any, _: Any) -> str:
        if not isinstance(value, str):
            raise _SchemaError(f"expected text, got {_describe(value)}")
        if value == "":
            raise _SchemaError("empty value; leave the key out instead")
        return value

    def text_list(value: Any, _: Any) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise _SchemaError(f"expected a list such as `[a, b]`, got {_describe(value)}")
        for i, item in enumerate(value):
            if not isinstance(item, str) or item == "":
                raise _SchemaError(
                    f"item {i + 1} of the list is {_describe(item) if item else 'empty'}; expected text"
                )
        return tuple(value)

    def date(value: Any, _: Any) -> dt.date:
        if not isinstance(value, str):
            raise _SchemaError(f"expected a date YYYY-MM-DD, got {_describe(value)}")
        try:
            return dates.parse_date(value)
        except DateError as exc:
            raise _SchemaError(str(exc)) from None

    def confidence(value: Any, _: Any) -> Confidence:
        allowed = [c.value for c in Confidence]
        if not isinstance(value, str) or value not in allowed:
            hint = did_you_mean(value, allowed) if isinstance(value, str) else ""
            raise _SchemaError(
                f"confidence is one of {', '.join(allowed)}, not {_describe(value)}{hint}"
            )
        return Confidence(value)

    def relations(value: Any, _: Any) -> tuple[Relation, ...]:
        if not isinstance(value, list):
            raise _SchemaError(f"expected a list of relations, got {_describe(value)}")
        return tuple(conv.structure(value, list[Relation]))

    conv.register_structure_hook(str, text)
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], text_list)
    conv.register_structure_hook(dt.date, date)
    conv.register_structure_hook(Confidence, confidence)
    conv.register_structure_hook_func(lambda t: t == tuple[Relation, ...], relations)

    def class_hook(cls: type) -> Callable[[Any, Any], Any]:
        overrides: dict[str, Any] = {
            a.name: override(rename=_RENAMED[a.name])
            for a in attrs.fields(cls)
            if a.name in _RENAMED
        }
        if cls is Snapshot:
            overrides["identities"] = override(omit=True)
        # Built on first use: generating it looks up the hooks of the fields,
        # and the mapping-of-ids hooks below are not registered yet.
        inner: list[Callable[[Any, Any], Any]] = []

        def structure(value: Any, _: Any) -> Any:
            if not isinstance(value, dict):
                raise _SchemaError(
                    f"expected a mapping (`key: value` lines), got {_describe(value)}"
                )
            if not inner:
                inner.append(
                    make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True, **overrides)
                )
            return inner[0](value, cls)

        return structure

    for cls in (Source, Identity, Unit, Person, Relation, Snapshot, Dataset):
        conv.register_structure_hook(cls, class_hook(cls))

    def mapping(value_type: type) -> Callable[[Any, Any], Any]:
        inner: Callable[[Any, Any], Any] = conv.gen_structure_mapping(dict[str, value_type])  # type: ignore[valid-type]

        def structure(value: Any, _: Any) -> Any:
            if not isinstance(value, dict):
                raise _SchemaError(f"expected a mapping of ids, got {_describe(value)}")
            return inner(value, dict)

        return structure

    def is_mapping_of(value_type: type) -> Callable[[Any], bool]:
        return lambda t: _is_mapping_of(t, value_type)

    for value_type in (Unit, Person, Source, Identity):
        conv.register_structure_hook_func(is_mapping_of(value_type), mapping(value_type))
    return conv


def _is_mapping_of(t: Any, value_type: type) -> bool:
    args = getattr(t, "__args__", None)
    origin = getattr(t, "__origin__", None)
    if origin is None or args is None or len(args) != 2:
        return False
    from collections.abc import Mapping as AbcMapping

    return origin in (dict, AbcMapping) and args[0] is str and args[1] is value_type


_CONVERTER = _make_converter()


def _inject_ids(data: dict[str, Any], doc: Document, keys: tuple[str, ...], id_field: str) -> None:
    """Copy each entry's key into it as ``id`` (``key`` for sources)."""
    for section in keys:
        entries = data.get(section)
        if not isinstance(entries, dict):
            continue
        for entry_id, entry in entries.items():
            if not isinstance(entry, dict):
                continue
            field_name = "key" if section == "sources" and id_field == "dataset" else "id"
            if field_name in entry:
                doc.problems.append(
                    doc.problem(
                        (section, entry_id, field_name),
                        f"unknown key `{field_name}`; an entry's {field_name} is its key above",
                        at_key=True,
                    )
                )
                del entry[field_name]
            entry[field_name] = entry_id


def _walk(
    exc: BaseException, path: PathKey, cls: type | None
) -> Iterator[tuple[PathKey, BaseException, type | None]]:
    if isinstance(exc, ClassValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            here = (*path, _RENAMED.get(note.name, note.name))
            if isinstance(sub, KeyError) and not isinstance(sub, _SchemaError):
                yield path, _Missing(_RENAMED.get(note.name, note.name)), exc.cl
            else:
                yield from _walk(sub, here, exc.cl)
        for sub in without:
            yield from _walk(sub, path, exc.cl)
    elif isinstance(exc, IterableValidationError):
        items, rest = exc.group_exceptions()
        for sub, item_note in items:
            index: Any = item_note.index  # the note's own attribute, not str.index
            yield from _walk(sub, (*path, index), cls)
        for sub in rest:
            yield from _walk(sub, path, cls)
    else:
        yield path, exc, cls


def _value_at(data: Any, path: PathKey) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return _Missing
    return data


class _Missing(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _problems_of(exc: BaseException, doc: Document, root: PathKey = ()) -> Iterator[Problem]:
    # A value the reader refused (an alias) is read as None; the schema's
    # complaint about that None would only repeat the reader's problem.
    refused = {p.path for p in doc.problems}
    for path, leaf, _cls in _walk(exc, root, None):
        if (
            isinstance(leaf, _SchemaError)
            and format_path(path) in refused
            and _value_at(doc.data, path) is None
        ):
            continue
        if isinstance(leaf, _Missing):
            yield doc.problem(path, f"missing required key `{leaf.key}`")
        elif isinstance(leaf, ForbiddenExtraKeysError):
            known = _yaml_keys(leaf.cl)
            for key in sorted(leaf.extra_fields):
                hint = did_you_mean(key, known)
                if not hint:
                    hint = f"; allowed: {', '.join(known)}"
                yield doc.problem((*path, key), f"unknown key `{key}`{hint}", at_key=True)
        elif isinstance(leaf, _SchemaError):
            yield doc.problem(path, str(leaf))
        else:  # pragma: no cover - a converter bug, not bad data; still located
            yield doc.problem(path, f"{type(leaf).__name__}: {leaf}")


def structure_snapshot(doc: Document) -> Snapshot | None:
    """Structure a read document as a snapshot; problems go onto ``doc``."""
    if doc.data is None:
        return None
    data = doc.data
    _inject_ids(data, doc, ("units", "people"), "snapshot")
    try:
        snap = _CONVERTER.structure(data, Snapshot)
    except (ClassValidationError, IterableValidationError, _SchemaError) as exc:
        doc.problems.extend(_problems_of(exc, doc))
        return None
    return snap if not doc.problems else None


def structure_dataset(doc: Document) -> Dataset | None:
    if doc.data is None:
        return None
    _inject_ids(doc.data, doc, ("sources", "people"), "dataset")
    try:
        ds = _CONVERTER.structure(doc.data, Dataset)
    except (ClassValidationError, IterableValidationError, _SchemaError) as exc:
        doc.problems.extend(_problems_of(exc, doc))
        return None
    return ds if not doc.problems else None


def parse_snapshot(text: str, *, file: str = "<string>") -> Snapshot:
    """One snapshot from YAML text, checked on its own (no dataset around it).

    Raises :class:`OrgDataError` with every problem found.
    """
    from .validate import check_snapshot

    doc = read_text(text, file)
    snap = structure_snapshot(doc)
    if snap is None:
        raise OrgDataError(doc.problems)
    problems = [doc.problem(p.path, p.message, at_key=p.at_key) for p in check_snapshot(snap)]
    if problems:
        raise OrgDataError(problems)
    return snap


def _display(path: Path) -> str:
    """A path as the user would type it: relative to the current folder if inside."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Loading makes millions of small objects and no cycles: skip the collector."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load(path: str | os.PathLike[str] | None = None) -> Timeline:
    """Load and validate the dataset folder at ``path``.

    With no path: the dataset under ``./orgs`` if there is exactly one, else the
    bundled Meta AI dataset. Raises :class:`OrgDataError` carrying every
    problem found, or :class:`OrgdiffError` if there is no dataset at all.
    """
    from .validate import check_timeline

    folder = Path(path) if path is not None else default_dataset()
    if folder.is_file() and folder.name == DATASET_FILE:
        folder = folder.parent
    shown = _display(folder)
    if not folder.is_dir():
        raise OrgDataError([Problem(shown, 0, 0, "$", "no such dataset folder")])
    problems: list[Problem] = []
    with _gc_paused():
        ds_doc = read_file(folder / DATASET_FILE, display=os.path.join(shown, DATASET_FILE))
        dataset = structure_dataset(ds_doc)
        problems.extend(ds_doc.problems)

        snap_dir = folder / SNAPSHOTS_DIR
        docs: list[tuple[Document, Snapshot | None]] = []
        if not snap_dir.is_dir():
            problems.append(
                Problem(os.path.join(shown, SNAPSHOTS_DIR), 0, 0, "$", "no snapshots folder")
            )
        else:
            for entry in sorted(snap_dir.iterdir(), key=lambda p: p.name):
                display = os.path.join(shown, SNAPSHOTS_DIR, entry.name)
                if not _SNAPSHOT_NAME.fullmatch(entry.name):
                    problems.append(
                        Problem(
                            display,
                            0,
                            0,
                            "$",
                            "unexpected file; snapshot files are named YYYY-MM-DD.yaml",
                        )
                    )
                    continue
                if entry.is_symlink():
                    problems.append(
                        Problem(
                            display,
                            0,
                            0,
                            "$",
                            "a symbolic link; snapshot files must be regular files",
                        )
                    )
                    continue
                doc = read_file(entry, display=display)
                snap = structure_snapshot(doc)
                if snap is not None and snap.date.isoformat() != entry.name[:-5]:
                    doc.problems.append(
                        doc.problem(
                            ("date",),
                            f"the date `{snap.date}` does not match the file name `{entry.name}`",
                        )
                    )
                problems.extend(doc.problems)
                docs.append((doc, snap if not doc.problems else None))

            if not docs and not problems:
                problems.append(
                    Problem(os.path.join(shown, SNAPSHOTS_DIR), 0, 0, "$", "no snapshots")
                )

        if dataset is None:
            raise OrgDataError(problems)
        identities = dataset.people
        snapshots = tuple(
            attrs.evolve(snap, identities=identities) for _, snap in docs if snap is not None
        )
        timeline = Timeline(
            name=dataset.name,
            description=dataset.description,
            sources=dataset.sources,
            people=dataset.people,
            snapshots=tuple(sorted(snapshots, key=lambda s: s.date)),
        )
        where = {snap.date: doc for doc, snap in docs if snap is not None}
        unchecked = set()
        previous_broken = False
        for _doc, snap in docs:
            if snap is None:
                previous_broken = True
            elif previous_broken:
                unchecked.add(snap.date)
                previous_broken = False
        for found in check_timeline(timeline, unchecked_lineage=unchecked):
            problems.append(_locate(found, where, ds_doc))
    if problems:
        raise OrgDataError(problems)
    return timeline


def _locate(found: Any, where: dict[dt.date, Document], ds_doc: Document) -> Problem:
    doc = ds_doc if found.date is None else where.get(found.date)
    if doc is None:  # pragma: no cover - every snapshot that was checked has a document
        return Problem(f"<snapshot {found.date}>", 0, 0, found.path_text, found.message)
    return doc.problem(found.path, found.message, at_key=found.at_key)


def bundled_dataset() -> Path | None:
    """The Meta AI dataset shipped with orgdiff, if this installation has it."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / "meta-ai", here.parent / "orgs" / "meta-ai"):
        if (candidate / DATASET_FILE).is_file():
            return candidate
    return None


def default_dataset(cwd: Path | None = None) -> Path:
    """The dataset to use when none is named (see :func:`load`)."""
    base = (cwd or Path.cwd()) / "orgs"
    if base.is_dir():
        found = sorted(p for p in base.iterdir() if (p / DATASET_FILE).is_file())
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(_display(p) for p in found)
            raise OrgdiffError(f"several datasets under ./orgs ({names}); pick one with --org PATH")
    bundled = bundled_dataset()
    if bundled is None:
        raise OrgdiffError(
            "no dataset found: pass --org PATH, or run in a folder with orgs/NAME/dataset.yaml"
        )
    return bundled
