"""Loading a dataset folder into a validated :class:`~orgdiff.model.Timeline`.

Reading is strict (see :mod:`orgdiff.yamlread`); structuring uses a strict
cattrs converter: unknown keys are errors with a did-you-mean hint, required
keys must be there, text must be text and lists must be lists. Every problem of
every file is collected, then all are raised together as one
:class:`~orgdiff.errors.OrgDataError`.

A file is first read the fast way (:class:`_Builder`): models are built
straight from libyaml's events, with no plain ``dict`` in between, ids and
repeated text are shared (one ``str`` per distinct id in the whole dataset), and
a person or unit that did not change since the previous snapshot is the same
object in both. The fast way accepts only what the careful way accepts and
builds the same models; at the first thing it does not expect it gives up, and
the file is read again the careful way (the walker of :mod:`orgdiff.yamlread`,
then cattrs), which finds and locates every problem.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import operator
import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from . import dates, yamlread
from .errors import DateError, OrgDataError, OrgdiffError, Problem
from .model import (
    Confidence,
    Identity,
    Person,
    Relation,
    Snapshot,
    Source,
    Timeline,
    Unit,
    _slot_constructor,
)
from .suggest import did_you_mean
from .yamlread import Document, PathKey, format_path, read_bytes, read_raw, read_text

if TYPE_CHECKING:  # cattrs is imported when a file needs the careful way
    import cattrs

_T = TypeVar("_T")

__all__ = [
    "DATASET_FILE",
    "SNAPSHOTS_DIR",
    "Dataset",
    "bundled_dataset",
    "default_dataset",
    "default_is_bundled",
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


def _item_errors(errors: list[tuple[int, str]], value: list[Any]) -> Exception:
    """Problems of some items of a list, each to be placed at its ``[i]``."""
    from cattrs.errors import IterableValidationError, IterableValidationNote

    excs: list[Exception] = []
    for i, message in errors:
        exc = _SchemaError(message)
        exc.__notes__ = [IterableValidationNote(f"item {i}", i, str)]
        excs.append(exc)
    return IterableValidationError("invalid items", excs, type(value))


# YAML key <-> attribute name, where they differ.
_RENAMED = {"from_": "from", "leads": "lead"}
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


@functools.cache
def _converter() -> cattrs.Converter:
    import cattrs
    from cattrs.gen import make_dict_structure_fn, override

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

    def leads(value: Any, _: Any) -> tuple[str, ...]:
        """``lead: id`` (one lead) or ``lead: [a, b]`` (co-leads, in order)."""
        if isinstance(value, str):
            return (text(value, None),)
        if not isinstance(value, list):
            raise _SchemaError(
                f"expected a person id, or a list of ids such as `[a, b]` for co-leads, "
                f"got {_describe(value)}"
            )
        if not value:
            raise _SchemaError("an empty list; leave the key out when no lead is known")
        errors: list[tuple[int, str]] = []
        first: dict[str, int] = {}
        for i, item in enumerate(value):
            if not isinstance(item, str):
                errors.append((i, f"expected a person id, got {_describe(item)}"))
            elif item == "":
                errors.append((i, "empty item; expected a person id"))
            elif item in first:
                errors.append((i, f"`{item}` is listed twice as a lead (first at [{first[item]}])"))
            else:
                first[item] = i
        if errors:
            raise _item_errors(errors, value)
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
        if cls is Unit:
            overrides["leads"] = override(rename=_RENAMED["leads"], struct_hook=leads)
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
    from cattrs.errors import ClassValidationError, IterableValidationError

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
    from cattrs.errors import ForbiddenExtraKeysError

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
    from cattrs.errors import ClassValidationError, IterableValidationError

    data = doc.data
    _inject_ids(data, doc, ("units", "people"), "snapshot")
    try:
        snap = _converter().structure(data, Snapshot)
    except (ClassValidationError, IterableValidationError, _SchemaError) as exc:
        doc.problems.extend(_problems_of(exc, doc))
        return None
    return snap if not doc.problems else None


def structure_dataset(doc: Document) -> Dataset | None:
    if doc.data is None:
        return None
    from cattrs.errors import ClassValidationError, IterableValidationError

    _inject_ids(doc.data, doc, ("sources", "people"), "dataset")
    try:
        ds = _converter().structure(doc.data, Dataset)
    except (ClassValidationError, IterableValidationError, _SchemaError) as exc:
        doc.problems.extend(_problems_of(exc, doc))
        return None
    return ds if not doc.problems else None


# --- the fast way: models straight from the event stream ---------------------------------


class _Fallback(Exception):
    """The fast way met something it does not handle; read the file the careful way."""


# How the fast way reads a field: as an id or a short repeated text (shared),
# as other text, a list of ids, a confidence, a date, or leads (one id or a list of ids).
_ID, _TEXT, _IDS, _CONFIDENCE, _DATE, _LEADS = range(6)
_CONFIDENCES = {c.value: c for c in Confidence}


class _Spec:
    """How to build one of the model classes from the fields of its mapping.

    For the id-keyed classes (``keyed``) the first field is the id (``key``
    for a source), which is the entry's key, not one of its fields: ``names``
    (the YAML keys), ``defaults`` and ``shared`` are of the other fields, in
    the class's order, and ``make`` takes the id first. ``order`` is the YAML
    keys in the order :mod:`orgdiff.dump` writes them, and ``loop`` reads a
    mapping of ids to entries fastest when they come in that order (see
    :func:`_entry_loop`).
    """

    __slots__ = (
        "allowed",
        "confidence",
        "dates",
        "defaults",
        "leads",
        "lists",
        "loop",
        "make",
        "names",
        "order",
        "pad",
        "required",
        "sequences",
        "shapes",
        "shared",
    )

    def __init__(
        self,
        cls: type,
        kinds: Mapping[str, int],
        *,
        keyed: bool = True,
        order: tuple[str, ...] = (),
    ) -> None:
        fields = attrs.fields(cls)[1 if keyed else 0 :]
        if len(fields) < 2:  # pragma: no cover - itemgetter of one index gives no tuple
            raise ValueError(f"{cls.__name__} has too few fields for the fast way")
        names = tuple(_RENAMED.get(f.name, f.name) for f in fields)
        kind = {n: kinds[f.name] for n, f in zip(names, fields, strict=True)}
        self.names = names
        self.defaults = tuple(None if f.default is attrs.NOTHING else f.default for f in fields)
        self.pad = list(self.defaults)
        self.allowed = frozenset(names)
        self.required = frozenset(
            n for n, f in zip(names, fields, strict=True) if f.default is attrs.NOTHING
        )
        # The keys whose value must be a list, and those whose value may be one.
        self.lists = frozenset(n for n in names if kind[n] == _IDS)
        self.sequences = frozenset(n for n in names if kind[n] in (_IDS, _LEADS))
        # Positions (in ``names``) of the values to convert, and to share.
        self.leads = tuple(i for i, n in enumerate(names) if kind[n] == _LEADS)
        self.confidence = tuple(i for i, n in enumerate(names) if kind[n] == _CONFIDENCE)
        self.dates = tuple(i for i, n in enumerate(names) if kind[n] == _DATE)
        self.shared = tuple(i for i, n in enumerate(names) if kind[n] == _ID)
        self.make = _slot_constructor(cls)
        self.shapes: dict[tuple[str, ...], _Shape] = {}
        # The YAML keys in the order `orgdiff.dump` writes them, and the entry
        # loop made for that order (id-keyed classes only).
        self.order = order
        self.loop: Callable[..., tuple[int, Any]] | None = None
        if keyed and order:
            if sorted(order) != sorted(names):  # pragma: no cover - a spec written wrong
                raise ValueError(f"{cls.__name__}: the order must name every field once")
            self.loop = _entry_loop(cls, self, kind)

    def shape(self, keys: tuple[str, ...]) -> _Shape:
        """How to read a mapping with these keys in this order (checked once per order)."""
        found = self.shapes.get(keys)
        if found is None:
            present = set(keys)
            if (
                len(present) != len(keys)  # a key twice
                or not present <= self.allowed
                or not self.required <= present
            ):
                raise _Fallback
            found = self.shapes[keys] = _Shape(self, keys)
        return found


class _Shape:
    """One order of keys of a :class:`_Spec`'s mapping, known to be allowed.

    ``order`` takes the values read (in the file's order) followed by the
    spec's defaults and gives the fields in the class's order; ``lists`` are
    the positions (in the file's order) of the values that must be lists;
    ``leads``, ``confidence`` and ``dates`` are the positions (in the class's
    order) of the values given that need more than sharing, and ``convert``
    says whether there is any.
    """

    __slots__ = ("confidence", "convert", "dates", "leads", "lists", "order")

    def __init__(self, spec: _Spec, keys: tuple[str, ...]) -> None:
        at = {key: i for i, key in enumerate(keys)}
        self.order = operator.itemgetter(
            *[at.get(name, len(keys) + j) for j, name in enumerate(spec.names)]
        )
        self.lists = tuple(i for i, key in enumerate(keys) if key in spec.lists)
        self.leads = tuple(i for i in spec.leads if spec.names[i] in at)
        self.confidence = tuple(i for i in spec.confidence if spec.names[i] in at)
        self.dates = tuple(i for i in spec.dates if spec.names[i] in at)
        self.convert = bool(self.leads or self.confidence or self.dates)


def _entry_loop(cls: type, spec: _Spec, kind: Mapping[str, int]) -> Callable[..., tuple[int, Any]]:
    """The loop over a mapping of ids to ``cls`` entries, generated for the keys
    in ``spec.order`` (the order :mod:`orgdiff.dump` writes them in, any of them
    left out): each key is one string comparison, each value goes to a local
    variable, and no list, key tuple or shape is made for the entry. The first
    key out of that order (a key twice, an unknown key, another order) hands
    what was read so far to :func:`_rest`, which reads the entry's other keys
    the general way and checks them as :meth:`_Spec.shape` does. Either way it
    accepts only what the careful way accepts, and builds the same models (a
    property in ``tests/test_fastpaths.py`` compares the two ways).

    ``loop(builder, nxt, previous, out)`` reads entries into ``out`` until an
    event that is not a key; it returns how many keys it read and that event.
    An entry whose fields equal those of the entry of the same id in
    ``previous`` is that object.
    """
    order = spec.order
    fields = attrs.fields(cls)
    by_name = {_RENAMED.get(f.name, f.name): f for f in fields[1:]}
    var = {name: f"v{i}" for i, name in enumerate(order)}
    everything = ", ".join(var[n] for n in order)
    lines = [
        "def loop(builder, nxt, previous, out):",
        "    share = builder._shared.setdefault",
        "    ids = builder._ids",
        "    date = builder._date",
        "    get_before = previous.get if previous is not None else _no_get",
        "    olds = iter(previous.items() if previous is not None else ())",
        "    here = next(olds, None)",
        "    count = 0",
        "    while (ev := nxt()).__class__ is _Scalar:",
        "        key = ev.value",
        "        count += 1",
        "        if key == '<<' or not key.isascii() or nxt().__class__ is not _MapStart:",
        "            raise _Fallback",
        f"        {' = '.join(var[n] for n in order)} = None",
        "        ev = nxt()",
        "        k = ev.value if ev.__class__ is _Scalar else None",
    ]
    for name in order:
        v, what = var[name], kind[name]
        lines.append(f"        if k == {name!r}:")
        if what == _IDS:  # ids() gives up on anything but a list
            lines.append(f"            {v} = ids(nxt())")
        elif what == _LEADS:
            lines += [
                "            ev = nxt()",
                "            if ev.__class__ is not _Scalar:",
                f"                {v} = ids(ev)",
                f"            elif not ({v} := ev.value):",
                "                raise _Fallback",
            ]
        else:
            lines += [
                "            ev = nxt()",
                f"            if ev.__class__ is not _Scalar or not ({v} := ev.value):",
                "                raise _Fallback",
            ]
        lines += [
            "            ev = nxt()",
            "            k = ev.value if ev.__class__ is _Scalar else None",
        ]
    lines += [
        "        if ev.__class__ is not _MapEnd:  # another order: the general way",
        f"            {everything}, = _rest(spec, nxt, ids, ev, ({everything},))",
    ]
    scope: dict[str, Any] = {
        "_Scalar": ScalarEvent,
        "_MapStart": MappingStartEvent,
        "_MapEnd": MappingEndEvent,
        "_Fallback": _Fallback,
        "_rest": _rest,
        "_no_get": {}.get,
        "_confidences": _CONFIDENCES,
        "spec": spec,
        "make": spec.make,
    }
    # Required keys, defaults and conversions, in the class's order.
    for name in by_name:
        v, what, f = var[name], kind[name], by_name[name]
        if f.default is attrs.NOTHING:
            lines += [f"        if {v} is None:", "            raise _Fallback"]
        if what == _CONFIDENCE:
            scope[f"_default_{v}"] = f.default
            lines += [
                f"        if {v} is None:",
                f"            {v} = _default_{v}",
                f"        elif ({v} := _confidences.get({v})) is None:",
                "            raise _Fallback",
            ]
        elif what == _LEADS:
            lines += [
                f"        if {v} is None:",
                f"            {v} = ()",
                f"        elif {v}.__class__ is str:",
                f"            {v} = (share({v}, {v}),)",
                f"        elif not {v} or len(set({v})) != len({v}):",
                "            raise _Fallback",
            ]
        elif what == _DATE:
            lines += [f"        if {v} is not None:", f"            {v} = date({v})"]
        elif f.default is not None and f.default is not attrs.NOTHING:
            scope[f"_default_{v}"] = f.default
            lines += [f"        if {v} is None:", f"            {v} = _default_{v}"]
    same = " and ".join(f"before.{by_name[n].name} == {var[n]}" for n in by_name)
    lines += [
        # The previous snapshot's entries, walked alongside: files keep their
        # order from one snapshot to the next, so the entry with the same id
        # is usually the next one there, found without hashing (and close in
        # memory to the one before it); a dictionary look-up otherwise.
        "        if here is not None and here[0] == key:",
        "            before = here[1]",
        "            here = next(olds, None)",
        "        else:  # came, went, or moved in the file",
        "            before = get_before(key)",
        "            if before is not None:  # catch up with it, if it is a little way on",
        "                for _ in range(8):",
        "                    here = next(olds, None)",
        "                    if here is None or here[1] is before:",
        "                        here = next(olds, None)",
        "                        break",
        f"        if before is not None and {same}:",
        f"            out[before.{fields[0].name}] = before  # its id is the shared str",
        "            continue",
    ]
    for name in by_name:
        if kind[name] == _ID:
            v = var[name]
            if by_name[name].default is attrs.NOTHING:
                lines.append(f"        {v} = share({v}, {v})")
            else:
                lines.append(f"        if {v} is not None:")
                lines.append(f"            {v} = share({v}, {v})")
    lines += [
        "        key = share(key, key)",
        f"        out[key] = make(key, {', '.join(var[n] for n in by_name)})",
        "    return count, ev",
    ]
    exec("\n".join(lines), scope)  # generated from the class's own fields
    loop: Callable[..., tuple[int, Any]] = scope["loop"]
    return loop


def _rest(
    spec: _Spec, nxt: Callable[[], Any], ids: Callable[[Any], Any], ev: Any, got: tuple[Any, ...]
) -> tuple[Any, ...]:
    """An entry's values, in ``spec.order`` (``None`` where a key is not
    given), when its keys are not in that order: ``got`` holds what the entry
    loop read before ``ev``, the event after them; the rest is read by
    :func:`_read_pairs`, as ``_Builder._values`` reads a whole entry."""
    keys = [name for name, value in zip(spec.order, got, strict=True) if value is not None]
    read = [value for value in got if value is not None]
    _read_pairs(spec, nxt, ids, ev, keys, read)
    given = dict(zip(keys, read, strict=True))
    return tuple(given.get(name) for name in spec.order)


def _read_pairs(
    spec: _Spec,
    nxt: Callable[[], Any],
    ids: Callable[[Any], Any],
    ev: Any,
    keys: list[str],
    read: list[Any],
) -> _Shape:
    """Read an entry's keys and values, from ``ev`` to the end of its mapping,
    onto ``keys`` and ``read`` (text as read, a list of ids where ``spec``
    takes one), and give the shape of its keys. Anything else (another kind of
    value, empty text, a list where text goes, keys :meth:`_Spec.shape`
    refuses) is for the careful way."""
    while ev.__class__ is ScalarEvent:
        keys.append(ev.value)
        ev = nxt()
        if ev.__class__ is ScalarEvent:
            read.append(ev.value)
        elif ev.__class__ is SequenceStartEvent and keys[-1] in spec.sequences:
            read.append(ids(ev))
        else:
            raise _Fallback
        ev = nxt()
    if ev.__class__ is not MappingEndEvent or "" in read:
        raise _Fallback
    shape = spec.shape(tuple(keys))
    for i in shape.lists:
        if read[i].__class__ is not tuple:
            raise _Fallback
    return shape


_SPECS = {
    Unit: _Spec(
        Unit,
        {
            "name": _TEXT,
            "parent": _ID,
            "leads": _LEADS,
            "from_": _IDS,
            "confidence": _CONFIDENCE,
            "sources": _IDS,
            "note": _TEXT,
        },
        order=("name", "parent", "lead", "from", "confidence", "sources", "note"),
    ),
    Person: _Spec(
        Person,
        {
            "unit": _ID,
            "title": _ID,  # titles repeat: share them
            "reports_to": _ID,
            "confidence": _CONFIDENCE,
            "sources": _IDS,
            "note": _TEXT,
        },
        order=("title", "unit", "reports_to", "confidence", "sources", "note"),
    ),
    Identity: _Spec(Identity, {"name": _TEXT, "aliases": _IDS}, order=("name", "aliases")),
    Source: _Spec(
        Source,
        {"title": _TEXT, "publisher": _ID, "url": _TEXT, "date": _DATE, "note": _TEXT},
        order=("title", "publisher", "url", "date", "note"),
    ),
    Relation: _Spec(
        Relation,
        {
            "kind": _ID,
            "from_": _ID,
            "to": _ID,
            "confidence": _CONFIDENCE,
            "sources": _IDS,
            "note": _TEXT,
        },
        keyed=False,
    ),
}

# Bytes without which a YAML file can hold no anchor (``&``), tag (``!``) or
# alias (``*``): the one byte each begins with. UTF-8 never uses them inside
# another character's bytes.
_MARKS = (b"&", b"!", b"*")


class _Builder:
    """Builds models from libyaml's events for files in the expected shape.

    One builder serves a whole :func:`load`, so that each distinct id or
    repeated text is one ``str`` across every file. Every method raises
    :class:`_Fallback` at the first event it does not expect; ``_next`` gives
    up at any event with an anchor or a tag (so the methods need not look).
    """

    def __init__(self) -> None:
        self._shared: dict[str, str] = {}
        self._next: Callable[[], Any] = iter(()).__next__

    def snapshot(self, raw: bytes, previous: Snapshot | None) -> Snapshot:
        """The snapshot in ``raw`` (checked by :func:`~orgdiff.yamlread.clean_utf8`)."""
        values = self._document(raw, self._snapshot_fields, previous)
        if "date" not in values or "event" not in values or "units" not in values:
            raise _Fallback
        return Snapshot(**values)

    def dataset(self, raw: bytes) -> Dataset:
        """The ``dataset.yaml`` in ``raw`` (checked by :func:`~orgdiff.yamlread.clean_utf8`)."""
        values = self._document(raw, self._dataset_fields, None)
        if "name" not in values:
            raise _Fallback
        return Dataset(**values)

    def _document(
        self, raw: bytes, field: Callable[[str, Any, Any], Any], previous: Any
    ) -> dict[str, Any]:
        loader = yamlread.parser(raw)
        self._next = nxt = iter(loader.get_event, None).__next__
        if any(mark in raw for mark in _MARKS):
            self._next = nxt = functools.partial(_unmarked, nxt)
        try:
            if nxt().__class__ is not StreamStartEvent:
                raise _Fallback  # pragma: no cover - libyaml always starts so
            ev = nxt()
            if ev.__class__ is not DocumentStartEvent or ev.version is not None or ev.tags:
                raise _Fallback
            if nxt().__class__ is not MappingStartEvent:
                raise _Fallback
            values: dict[str, Any] = {}
            while (key := self._key(nxt())) is not None:
                if key in values:
                    raise _Fallback
                values[key] = field(key, nxt(), previous)
            if nxt().__class__ is not DocumentEndEvent or nxt().__class__ is not StreamEndEvent:
                raise _Fallback
            return values
        except (yaml.YAMLError, StopIteration):
            raise _Fallback from None
        finally:
            loader.dispose()
            self._next = iter(()).__next__

    @staticmethod
    def _key(ev: Any) -> str | None:
        """The text of a plain key, or ``None`` at the end of the mapping."""
        if ev.__class__ is not ScalarEvent:
            if ev.__class__ is MappingEndEvent:
                return None
            raise _Fallback
        key: str = ev.value
        if key == "<<" or not key.isascii():
            raise _Fallback
        return key

    def _snapshot_fields(self, key: str, ev: Any, previous: Snapshot | None) -> Any:
        if key == "units":
            return self._entities(ev, _SPECS[Unit], previous.units if previous else None)
        if key == "people":
            return self._entities(ev, _SPECS[Person], previous.people if previous else None)
        if key == "date":
            return self._date(self._text(ev))
        if key in ("event", "note"):
            return self._text(ev)
        if key == "sources":
            return self._ids(ev)
        if key == "relations":
            return self._relations(ev)
        raise _Fallback

    def _dataset_fields(self, key: str, ev: Any, _previous: None) -> Any:
        if key == "people":
            return self._entities(ev, _SPECS[Identity], None)
        if key == "sources":
            return self._entities(ev, _SPECS[Source], None)
        if key in ("name", "description"):
            return self._text(ev)
        raise _Fallback

    @staticmethod
    def _text(ev: Any) -> str:
        if ev.__class__ is not ScalarEvent:
            raise _Fallback
        value: str = ev.value
        if not value:
            raise _Fallback
        return value

    def _ids(self, ev: Any) -> tuple[str, ...]:
        if ev.__class__ is not SequenceStartEvent:
            raise _Fallback
        share = self._shared.setdefault
        nxt = self._next
        out: list[str] = []
        while (ev := nxt()).__class__ is ScalarEvent:
            value = ev.value
            if not value:
                raise _Fallback
            out.append(share(value, value))
        if ev.__class__ is not SequenceEndEvent:
            raise _Fallback
        return tuple(out)

    @staticmethod
    def _date(value: str) -> dt.date:
        try:
            return dates.parse_date(value)
        except (DateError, ValueError):
            raise _Fallback from None

    def _relations(self, ev: Any) -> tuple[Relation, ...]:
        if ev.__class__ is not SequenceStartEvent:
            raise _Fallback
        spec = _SPECS[Relation]
        share = self._shared.setdefault
        nxt = self._next
        out: list[Relation] = []
        while (ev := nxt()).__class__ is MappingStartEvent:
            values = list(self._values(spec))
            for i in spec.shared:
                if (value := values[i]) is not None:
                    values[i] = share(value, value)
            out.append(spec.make(*values))
        if ev.__class__ is not SequenceEndEvent:
            raise _Fallback
        return tuple(out)

    def _values(self, spec: _Spec) -> tuple[Any, ...]:
        """The fields (but the id) of the mapping just opened, in the class's
        order: converted, not yet shared (but lists of ids)."""
        read: list[Any] = []
        shape = _read_pairs(spec, self._next, self._ids, self._next(), [], read)
        values: tuple[Any, ...] = shape.order(read + spec.pad)
        return self._convert(shape, values) if shape.convert else values

    def _entities(self, ev: Any, spec: _Spec, previous: Mapping[str, Any] | None) -> dict[str, Any]:
        """A mapping of ids to entities; an entity whose fields are those of the
        one of the same id in ``previous`` is that object (see :func:`_entry_loop`)."""
        if ev.__class__ is not MappingStartEvent or spec.loop is None:
            raise _Fallback
        out: dict[str, Any] = {}
        count, ev = spec.loop(self, self._next, previous, out)
        if ev.__class__ is not MappingEndEvent or len(out) != count:  # an id twice
            raise _Fallback
        return out

    def _convert(self, shape: _Shape, values: tuple[Any, ...]) -> tuple[Any, ...]:
        """``values`` with the leads, confidence and date given read from their text."""
        out = list(values)
        for i in shape.leads:
            value = out[i]
            if value.__class__ is str:
                out[i] = (self._shared.setdefault(value, value),)
            elif not value or len(set(value)) != len(value):
                raise _Fallback
        for i in shape.confidence:
            value = _CONFIDENCES.get(out[i])
            if value is None:
                raise _Fallback
            out[i] = value
        for i in shape.dates:
            out[i] = self._date(out[i])
        return tuple(out)


def _unmarked(nxt: Callable[[], Any]) -> Any:
    """The next event from ``nxt``, if it has no anchor and no tag."""
    ev = nxt()
    if getattr(ev, "anchor", None) is not None or getattr(ev, "tag", None) is not None:
        raise _Fallback
    return ev


def _read(
    path: Path,
    display: str,
    fast: Callable[[bytes], _T],
    careful: Callable[[Document], _T | None],
) -> tuple[_T | None, Document]:
    """One file of the dataset: ``fast`` (a :class:`_Builder` method) on its
    bytes if it can, else ``careful`` (a ``structure_*`` function) on its
    document, which locates every problem."""
    raw, problem = read_raw(path, display)
    if raw is None:
        doc = Document(display, None)
        doc.problems.extend([problem] if problem is not None else [])
        return None, doc
    clean = yamlread.clean_utf8(raw)
    if clean is not None:
        try:
            return fast(clean), Document.unread(display, clean)
        except _Fallback:
            pass
    doc = read_bytes(raw, display)
    return careful(doc), doc


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


def load(path: str | os.PathLike[str] | None = None, *, cache: bool = False) -> Timeline:
    """Load and validate the dataset folder at ``path``.

    With no path: :func:`default_dataset` (the current folder if it holds
    ``dataset.yaml``, else the one dataset under ``./orgs``, else, with no
    ``./orgs``, the bundled Meta AI dataset, without a word: call
    :func:`default_is_bundled` to tell). Raises :class:`OrgDataError` carrying every
    problem found, or :class:`OrgdiffError` if there is no dataset at all.

    With ``cache=True`` (the command line's default), a valid dataset's
    timeline is kept in the user's cache folder and taken from there while its
    files are unchanged (see :mod:`orgdiff.cache`; ``ORGDIFF_NO_CACHE=1`` turns
    it off). Off by default here: a library call writes nothing it was not asked to.
    """
    from .validate import check_timeline

    folder = Path(path) if path is not None else default_dataset()
    if folder.is_file() and folder.name == DATASET_FILE:
        folder = folder.parent
    shown = _display(folder)
    if not folder.is_dir():
        raise OrgDataError([Problem(shown, 0, 0, "$", "no such dataset folder")])
    if cache:
        from . import cache as _cache

        return _cache.load(folder, lambda: load(folder))
    problems: list[Problem] = []
    builder = _Builder()
    with _gc_paused():
        ds_display = os.path.join(shown, DATASET_FILE)
        ds_path = folder / DATASET_FILE
        refused = _not_followed(ds_path, "dataset.yaml must be a regular file")
        if refused is None:
            dataset, ds_doc = _read(ds_path, ds_display, builder.dataset, structure_dataset)
        else:
            dataset, ds_doc = None, Document(ds_display, None)
            ds_doc.problems.append(Problem(ds_display, 0, 0, "$", refused))
        if ds_doc.problems and not ds_path.exists() and not ds_path.is_symlink():
            ds_doc.problems[0] = _case_hint(ds_doc.problems[0], folder, DATASET_FILE)
        problems.extend(ds_doc.problems)

        snap_dir = folder / SNAPSHOTS_DIR
        snap_display = os.path.join(shown, SNAPSHOTS_DIR)
        docs: list[tuple[Document, Snapshot | None]] = []
        entries: list[Path] = []
        refused = _not_followed(snap_dir, "snapshots must be a folder")
        if refused is not None:
            problems.append(Problem(snap_display, 0, 0, "$", refused))
        elif not snap_dir.is_dir():
            problems.append(
                _case_hint(
                    Problem(snap_display, 0, 0, "$", "no snapshots folder"), folder, SNAPSHOTS_DIR
                )
            )
        else:
            try:
                entries = sorted(snap_dir.iterdir(), key=lambda p: p.name)
            except OSError as exc:
                problems.append(
                    Problem(snap_display, 0, 0, "$", f"cannot list: {exc.strerror or exc}")
                )
        if refused is None and snap_dir.is_dir():
            for entry in entries:
                display = os.path.join(shown, SNAPSHOTS_DIR, entry.name)
                if not _SNAPSHOT_NAME.fullmatch(entry.name):
                    problems.append(Problem(display, 0, 0, "$", _unexpected(entry.name)))
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
                previous = next((sn for _, sn in reversed(docs) if sn is not None), None)
                snap, doc = _read(
                    entry,
                    display,
                    functools.partial(builder.snapshot, previous=previous),
                    structure_snapshot,
                )
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
                problems.append(Problem(snap_display, 0, 0, "$", "no snapshots"))

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


# Files that editors and file managers leave beside the ones being edited.
_LEFT_BY_EDITORS = re.compile(
    r"(\.#.*|#.*#|.*~|\..*\.sw[a-p]|.*\.(bak|orig|rej|tmp|swp)|\.~lock\..*#|4913)"
)


def _unexpected(name: str) -> str:
    """What to say of an entry of snapshots/ that is not named like a snapshot."""
    rule = "snapshot files are named YYYY-MM-DD.yaml"
    if _SNAPSHOT_NAME.fullmatch(name.lower()):
        return f"unexpected file, named like a snapshot but in other letter case; {rule}"
    if name in (".DS_Store", "Thumbs.db", "desktop.ini"):
        return f"unexpected file, left by a file manager; delete it; {rule}"
    if _LEFT_BY_EDITORS.fullmatch(name):
        return f"unexpected file, left by an editor (swap, backup or lock file); {rule}"
    return f"unexpected file; {rule}"


def _not_followed(path: Path, rule: str) -> str | None:
    """Why ``path`` is refused without being followed: a symbolic link (which
    may lead out of the dataset folder, or loop) is never read."""
    if path.is_symlink():
        return f"a symbolic link; {rule} in the dataset folder, not a link"
    return None


def _case_hint(problem: Problem, folder: Path, name: str) -> Problem:
    """``problem`` about a missing ``name``, with a hint if its name is there in other case."""
    try:
        near = sorted(
            p.name for p in folder.iterdir() if p.name.lower() == name.lower() and p.name != name
        )
    except OSError:
        return problem
    if not near:
        return problem
    return attrs.evolve(
        problem,
        message=f"{problem.message}; found `{near[0]}`: names are case-sensitive, rename it `{name}`",
    )


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
    """The dataset to use when none is named, looked for in ``cwd`` (default:
    the current folder):

    1. ``cwd`` itself, if it holds ``dataset.yaml``;
    2. else, if there is a ``./orgs``, the one dataset in it (a folder with
       ``dataset.yaml`` and at least one snapshot). A folder there that is still
       being built, several datasets or none are errors that say what is missing;
    3. else, only when there is no ``./orgs`` at all, the bundled Meta AI dataset
       (:func:`default_is_bundled` tells; the command line says so on standard
       error, the Python API stays quiet).
    """
    here = cwd or Path.cwd()
    if (here / DATASET_FILE).is_file():
        return here
    base = here / "orgs"
    if os.path.lexists(base):
        if not base.is_dir():
            raise OrgdiffError("./orgs is not a folder; pass --org PATH")
        folders = sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))
        found = [p for p in folders if (p / DATASET_FILE).is_file()]
        if len(found) > 1:
            names = ", ".join(_display(p) for p in found)
            raise OrgdiffError(f"several datasets under ./orgs ({names}); pick one with --org PATH")
        if len(found) == 1:
            only = found[0]
            snaps = only / SNAPSHOTS_DIR
            if not any(snaps.glob("*.yaml")):
                shown = _display(only)
                raise OrgdiffError(
                    f"{shown} has no snapshots yet: add {os.path.join(shown, SNAPSHOTS_DIR)}"
                    f"{os.sep}YYYY-MM-DD.yaml"
                )
            return only
        if folders:
            names = ", ".join(_display(p) for p in folders)
            raise OrgdiffError(
                f"{names}: no {DATASET_FILE} yet, so no dataset under ./orgs; "
                f"add one (see the data format), or pass --org PATH"
            )
        raise OrgdiffError(
            f"./orgs holds no dataset: add orgs/NAME/{DATASET_FILE}, or pass --org PATH"
        )
    bundled = bundled_dataset()
    if bundled is None:
        raise OrgdiffError(
            "no dataset found: pass --org PATH, or run in a folder with orgs/NAME/dataset.yaml"
        )
    return bundled


def default_is_bundled(cwd: Path | None = None) -> bool:
    """Whether :func:`default_dataset` falls back to the bundled dataset here."""
    here = cwd or Path.cwd()
    return not (here / DATASET_FILE).is_file() and not os.path.lexists(here / "orgs")
