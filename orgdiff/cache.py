"""The private, content-keyed cache of validated timelines.

After a dataset folder loads and validates, the :class:`~orgdiff.model.Timeline`
is kept in the user's cache folder (``$XDG_CACHE_HOME/orgdiff/timelines``, see
:mod:`orgdiff._cachedir`), so that the next command on the same, unchanged
files skips reading and checking them.

The cache is trusted only when everything it was made from is the same:

- its file name and header hold the dataset folder's absolute path, a hash of
  orgdiff's own source (it changes with every version of orgdiff and with every
  local edit of it) and the Python version;
- the header lists every file the dataset was read from (``dataset.yaml`` and
  every entry of ``snapshots/``) with its size and the SHA-256 of its bytes, so
  an edit that keeps a file's size and modification time is still seen; hashing
  costs a few percent of parsing (SHA-256 has hardware support on most CPUs);
- the payload ends with its own SHA-256, checked before it is unpickled, so a
  file cut short by a crash or altered is never read.

Anything else (a missing, stale, corrupt or foreign file) is ignored and the
dataset is read again, and the cache rewritten. Files are written whole (a
temporary file, then a rename), so two processes writing at once leave one
complete file. The files are user-only, in a folder that must be the user's
own and writable by nobody else (the payload is a pickle, which can run code
when read). A failure to write (a full disk, a read-only folder) costs only the
cache, never the command. Invalid datasets are never cached.

The payload is a stream of pickles: people and identities (the many) as flat
lists of their fields, a chunk at a time, rebuilt by functions that set their
slots directly (no ``__init__``: the models have no validators or
converters); units, sources and relations one object each. Identity is kept:
a person or unit that is the same object in two consecutive snapshots
(unchanged) is stored once and is again the same object after loading, which
:func:`orgdiff.diff` relies on for speed, and every id and text is one ``str``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import json
import operator
import os
import pickle
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any, ClassVar

import attrs

from ._cachedir import cache_dir, cache_root
from .model import (
    Identity,
    Person,
    Relation,
    Snapshot,
    Source,
    Timeline,
    Unit,
    _slot_constructor,
)

__all__ = ["FORMAT", "clear", "load", "timeline_file"]

#: The first bytes of a cache file; bump the number when the layout changes.
FORMAT = b"orgdiff-timeline-cache 1\n"
FOLDER = "timelines"
_DIGEST = 32  # bytes of SHA-256
_CHUNK = 1 << 20
# Never follow a link, and never wait on a FIFO (open would block until a writer came).
_NO_FOLLOW_OR_WAIT = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)

# The modules whose code decides what a loaded timeline holds.
_SOURCES = (
    "cache.py",
    "dates.py",
    "errors.py",
    "load.py",
    "model.py",
    "suggest.py",
    "validate.py",
    "yamlread.py",
)


# --- rebuilding model objects fast -----------------------------------------------------


_builder = _slot_constructor


# Module-level names, so that the pickle refers to them by name.
_unit = _builder(Unit)
_person = _builder(Person)
_identity = _builder(Identity)
_source = _builder(Source)
_relation = _builder(Relation)
for _name, _function in (
    ("_unit", _unit),
    ("_person", _person),
    ("_identity", _identity),
    ("_source", _source),
    ("_relation", _relation),
):
    if _function.__class__ is not type:
        _function.__name__ = _function.__qualname__ = _name
        _function.__module__ = __name__


def _reducer(cls: type, build: Callable[..., Any]) -> Callable[[Any], tuple[Any, ...]]:
    fields = operator.attrgetter(*(f.name for f in attrs.fields(cls)))  # a tuple of them all

    def reduce(obj: Any) -> tuple[Any, ...]:
        return build, fields(obj)

    return reduce


# Units, sources and relations are few: pickled one object each, which keeps
# identity (a unit unchanged since the snapshot before is stored once). People
# and identities are many: see _dump.
_REDUCERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {
    Unit: _reducer(Unit, _unit),
    Identity: _reducer(Identity, _identity),
    Source: _reducer(Source, _source),
    Relation: _reducer(Relation, _relation),
}
_CHUNK_ROWS = 1 << 14
_PERSON_FIELDS = operator.attrgetter(*(f.name for f in attrs.fields(Person)))
_IDENTITY_FIELDS = operator.attrgetter(*(f.name for f in attrs.fields(Identity)))
_SNAPSHOT_FIELDS = [
    f.name for f in attrs.fields(Snapshot) if f.name not in ("people", "identities")
]
_TIMELINE_FIELDS = [f.name for f in attrs.fields(Timeline) if f.name not in ("snapshots", "people")]


def _rows(items: list[Any], fields: Callable[[Any], tuple[Any, ...]]) -> list[Any]:
    """The fields of ``items``, one after the other in one flat list."""
    out: list[Any] = []
    for item in items:
        out.extend(fields(item))
    return out


def _dump(timeline: Timeline, pickler: pickle.Pickler) -> None:
    """``timeline`` as a stream of pickles, in chunks.

    A pickler remembers every object it wrote (to write it once), so people
    written one object each would keep a tuple of fields alive per person until
    the end: at a million people, a few hundred megabytes. People and identities
    are written instead as flat lists of their fields, a chunk at a time, and a
    person who is the same object as in the snapshot before is written as a
    flag. Ids and texts are written once whatever their number of uses.
    """
    dump = pickler.dump
    dump({name: getattr(timeline, name) for name in _TIMELINE_FIELDS})
    identities = list(timeline.people.values())
    dump(len(identities))
    for start in range(0, len(identities), _CHUNK_ROWS):
        dump(_rows(identities[start : start + _CHUNK_ROWS], _IDENTITY_FIELDS))
    dump(len(timeline.snapshots))
    before: Mapping[str, Person] = {}
    for snap in timeline.snapshots:
        dump({name: getattr(snap, name) for name in _SNAPSHOT_FIELDS})
        people = list(snap.people.items())
        dump(len(people))
        for start in range(0, len(people), _CHUNK_ROWS):
            chunk = people[start : start + _CHUNK_ROWS]
            same = bytes(before.get(pid) is person for pid, person in chunk)
            changed = [person for (_, person), kept in zip(chunk, same, strict=True) if not kept]
            dump(([pid for pid, _ in chunk], same, _rows(changed, _PERSON_FIELDS)))
        before = snap.people


def _undump(unpickler: pickle.Unpickler) -> Timeline:
    """The timeline :func:`_dump` wrote."""
    load = unpickler.load
    timeline_fields = load()
    identities: dict[str, Identity] = {}
    left = load()
    width = len(attrs.fields(Identity))
    while left > 0:
        rows = load()
        for identity in itertools.starmap(_identity, zip(*[iter(rows)] * width, strict=True)):
            identities[identity.id] = identity
        left -= len(rows) // width
    snapshots: list[Snapshot] = []
    before: Mapping[str, Person] = {}
    width = len(attrs.fields(Person))
    for _ in range(load()):
        snapshot_fields = load()
        people: dict[str, Person] = {}
        left = load()
        while left > 0:
            ids, same, rows = load()
            made = itertools.starmap(_person, zip(*[iter(rows)] * width, strict=True))
            for pid, kept in zip(ids, same, strict=True):
                people[pid] = before[pid] if kept else next(made)
            left -= len(ids)
        snap = Snapshot(people=people, identities=identities, **snapshot_fields)
        snapshots.append(snap)
        before = people
    return Timeline(snapshots=tuple(snapshots), people=identities, **timeline_fields)


class _Pickler(pickle.Pickler):
    dispatch_table = _REDUCERS


class _Unpickler(pickle.Unpickler):
    """Finds only the classes and builders a timeline is made of."""

    _ALLOWED: ClassVar[frozenset[tuple[str, str]]] = frozenset(
        {
            ("orgdiff.cache", "_unit"),
            ("orgdiff.cache", "_identity"),
            ("orgdiff.cache", "_source"),
            ("orgdiff.cache", "_relation"),
            ("orgdiff.model", "Unit"),
            ("orgdiff.model", "Identity"),
            ("orgdiff.model", "Source"),
            ("orgdiff.model", "Relation"),
            ("orgdiff.model", "Confidence"),
            ("datetime", "date"),
        }
    )

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self._ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a timeline")
        return super().find_class(module, name)


# --- keys and fingerprints -------------------------------------------------------------


def _code_version() -> str:
    """A hash of the source of orgdiff's loading code; it changes with every
    release and with every local edit."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in _SOURCES:
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # pragma: no cover - installed without sources: use the version
            from importlib.metadata import version

            return f"version {version('orgdiff')}"
    return digest.hexdigest()


def _key(folder: Path) -> dict[str, str]:
    return {
        "path": os.path.abspath(folder),
        "orgdiff": _code_version(),
        "python": f"{sys.implementation.cache_tag} {sys.version}",
    }


def timeline_file(folder: str | os.PathLike[str]) -> Path | None:
    """Where the cached timeline of the dataset ``folder`` is kept (it may not
    exist); ``None`` when caching is off or the cache folder is not private."""
    where = cache_dir(FOLDER)
    if where is None:
        return None
    key = json.dumps(_key(Path(folder)), sort_keys=True).encode("utf-8")
    return where / f"{hashlib.sha256(key).hexdigest()[:32]}.pickle"


def _dataset_files(folder: Path) -> list[tuple[str, Path]] | None:
    """Every file a load of ``folder`` reads, by its name in the dataset; ``None``
    when the folder is not laid out as a valid dataset's."""
    snapshots = folder / "snapshots"
    try:
        if not stat.S_ISDIR(os.lstat(snapshots).st_mode):
            return None
        names = sorted(os.listdir(snapshots))
    except OSError:
        return None
    return [("dataset.yaml", folder / "dataset.yaml")] + [
        (f"snapshots/{name}", snapshots / name) for name in names
    ]


def fingerprint(folder: Path) -> list[list[Any]] | None:
    """``[name, size, sha256]`` of every file of the dataset; ``None`` if one
    cannot be read or is not a regular file (such a dataset is not valid)."""
    files = _dataset_files(folder)
    if files is None:
        return None
    out: list[list[Any]] = []
    for name, path in files:
        try:
            fd = os.open(path, os.O_RDONLY | _NO_FOLLOW_OR_WAIT)
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return None  # a folder or a device among the snapshots
            with os.fdopen(os.dup(fd), "rb") as fh:
                out.append([name, info.st_size, hashlib.file_digest(fh, "sha256").hexdigest()])
        except OSError:
            return None
        finally:
            os.close(fd)
    return out


# --- reading and writing ---------------------------------------------------------------


def _own_file(fh: IO[bytes]) -> os.stat_result | None:
    info = os.fstat(fh.fileno())
    if not stat.S_ISREG(info.st_mode):
        return None
    if os.name == "posix" and (
        info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    ):
        return None
    return info


def _read(path: Path, key: dict[str, str], folder: Path) -> tuple[Timeline | None, Any]:
    """The cached timeline at ``path`` if it is whole, this user's, made from
    ``key`` and from files with the same bytes; and the current fingerprint
    when it was computed (to spare computing it again on a miss)."""
    try:
        fd = os.open(path, os.O_RDONLY | _NO_FOLLOW_OR_WAIT)
    except OSError:
        return None, None
    with os.fdopen(fd, "rb") as fh:
        info = _own_file(fh)
        if info is None or fh.read(len(FORMAT)) != FORMAT:
            return None, None
        size = int.from_bytes(fh.read(4), "big")
        header = json.loads(fh.read(size))
        if not isinstance(header, dict) or header.get("key") != key:
            return None, None
        files = _dataset_files(folder)
        if files is None or [name for name, _ in files] != [f[0] for f in header["files"]]:
            return None, None  # a file added or removed: no need to hash
        current = fingerprint(folder)
        if current != header["files"]:
            return None, current
        start = fh.tell()
        end = info.st_size - _DIGEST
        if end < start:
            return None, current
        digest = hashlib.sha256()
        left = end - start
        while left > 0:
            chunk = fh.read(min(_CHUNK, left))
            if not chunk:
                return None, current
            digest.update(chunk)
            left -= len(chunk)
        if digest.digest() != fh.read(_DIGEST):
            return None, current  # cut short by a crash, or altered
        fh.seek(start)
        from .load import _gc_paused  # loaded already: the cache is read from load()

        with _gc_paused():
            timeline = _undump(_Unpickler(fh))
        if not isinstance(timeline, Timeline) or fh.tell() != end:
            return None, current
        return timeline, current


class _HashingWriter(io.RawIOBase):
    """A binary stream that hashes what goes through it into ``target``."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.digest.update(data)
        return self.target.write(data)


def _write(path: Path, key: dict[str, str], files: list[list[Any]], timeline: Timeline) -> None:
    """Write the cache file: pickled straight into a temporary file of this
    user's only (no copy of it in memory), then renamed into place."""
    from .load import _gc_paused

    header = json.dumps({"key": key, "files": files}).encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(FORMAT + len(header).to_bytes(4, "big") + header)
            hashing = _HashingWriter(fh)
            with _gc_paused():
                _dump(timeline, _Pickler(hashing, protocol=5))
            fh.write(hashing.digest.digest())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def load(folder: Path, build: Callable[[], Timeline]) -> Timeline:
    """The timeline of the dataset ``folder`` from the cache, else ``build()``'s
    (which raises for an invalid dataset), cached for the next time."""
    path = timeline_file(folder)
    if path is None:
        return build()
    key = _key(folder)
    try:
        timeline, before = _read(path, key, folder)
    except Exception:  # a damaged cache is a miss, whatever the damage
        timeline, before = None, None
    if timeline is not None:
        return timeline
    if before is None:
        try:
            before = fingerprint(folder)
        except Exception:  # whatever it is, the load itself will say it
            before = None
    timeline = build()
    try:
        # Only if no file changed while it was read: the cache must describe
        # exactly the bytes it is keyed by.
        if before is not None and fingerprint(folder) == before:
            _write(path, key, before, timeline)
    except Exception:  # a cache that cannot be written is only no cache
        pass
    return timeline


def clear() -> dict[str, int]:
    """Remove every cache orgdiff keeps (timelines, compiled WebAssembly):
    the number of files removed from each."""
    root = cache_root()
    removed: dict[str, int] = {}
    for name in (FOLDER, "wasm"):
        folder = root / name
        try:
            info = os.lstat(folder)
        except OSError:
            removed[name] = 0
            continue
        if not stat.S_ISDIR(info.st_mode):
            folder.unlink()  # a file or a link where the folder should be
            removed[name] = 1
            continue
        removed[name] = sum(1 for p in folder.rglob("*") if not p.is_dir())
        shutil.rmtree(folder)
    return removed
