"""Strict YAML reading: libyaml's C parser, every scalar a string, places kept.

The reader walks libyaml's event stream itself instead of building PyYAML's
node tree: it is where the strictness lives (no duplicate keys, anchors,
aliases, tags, second documents, tabs or control characters; bounded depth
and size) and it builds plain ``dict``/``list``/``str`` values directly.

Where each value sits in the file is only worked out when a problem needs it:
:meth:`Document.locate` parses the text a second time, recording marks. A
valid file never pays for locations.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
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

from .errors import Problem

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "Document",
    "PathKey",
    "clean_utf8",
    "format_path",
    "parser",
    "read_bytes",
    "read_raw",
    "read_text",
]

try:  # libyaml is part of every PyYAML wheel; the pure parser is only a fallback.
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import BaseLoader as _Loader  # type: ignore[assignment]

#: Files larger than this are refused before they are read (512 MiB).
MAX_BYTES = 512 * 1024 * 1024
#: The format needs five levels; anything much deeper is an attack or a mistake.
MAX_DEPTH = 16
#: After this many problems in one file the rest of it is not reported.
MAX_PROBLEMS = 100

PathKey = tuple[str | int, ...]

# Characters that may not appear raw in a data file: C0 controls but newline
# and carriage return, DEL, C1 controls, tabs, stray byte-order marks, the
# Unicode bidirectional controls (which can make text display differently from
# what it is), the line/paragraph separators YAML treats as line breaks, and
# lone surrogates (only in text given as ``str``: no UTF-8 decodes to one).
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\t\ufeff\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff"
    "\ud800-\udfff]"
)
# The same characters as they can appear in a file that is all ASCII, one
# ``bytes`` each: looking for each with ``in`` (memchr) is several times faster
# than a regular expression's search over a large file.
_FORBIDDEN_ASCII = tuple(bytes([c]) for c in range(128) if _FORBIDDEN.match(chr(c)))
_SIMPLE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def format_path(path: PathKey) -> str:
    """``("people", "bob", "sources", 0)`` -> ``$.people.bob.sources[0]``."""
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _SIMPLE_KEY.fullmatch(part):
            out.append(f".{part}")
        else:
            out.append(f"[{part!r}]")
    return "".join(out)


def _describe_char(ch: str) -> str:
    if ch == "\t":
        return "a tab character; indent with spaces"
    if ch == "\ufeff":
        return "a byte-order mark (U+FEFF) inside the file"
    if ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        return f"a bidirectional control character (U+{ord(ch):04X})"
    if ch == "\u2028":
        return "a line separator (U+2028), which YAML reads as a line break"
    if ch == "\u2029":
        return "a paragraph separator (U+2029), which YAML reads as a line break"
    if "\ud800" <= ch <= "\udfff":
        return f"a lone surrogate (U+{ord(ch):04X}), which is not text"
    if ch in "\ufffe\uffff":
        return f"a noncharacter (U+{ord(ch):04X}), which YAML does not allow"
    return f"a control character (U+{ord(ch):04X})"


def _same_after_nfc(key: str, seen: dict[str, Any], normal: dict[str, str]) -> str | None:
    """The key of ``seen`` that ``key`` equals once both are in Unicode NFC, if any.

    ``normal`` maps the NFC form of each non-ASCII key seen so far to that key,
    and learns ``key``. ASCII text is its own NFC form, so an all-ASCII mapping
    costs one check per key.
    """
    if key.isascii():
        return normal.get(key) if normal else None
    nfc = unicodedata.normalize("NFC", key)
    if nfc != key and nfc in seen:
        return nfc
    first = normal.setdefault(nfc, key)
    return first if first != key else None


class _Stop(Exception):
    """Abandon the rest of a document (too deep, too many problems)."""


class Document:
    """One YAML file, read: its text, its plain data and the problems found.

    ``data`` is ``None`` when the file could not be read at all.
    """

    __slots__ = ("_locations", "_raw", "data", "file", "problems", "text")

    def __init__(self, file: str, text: str | None) -> None:
        self.file = file
        self.text = text
        self.data: Any = None
        self.problems: list[Problem] = []
        self._locations: dict[PathKey, tuple[int, int, int, int]] | None = None
        self._raw: bytes | None = None

    @classmethod
    def unread(cls, file: str, raw: bytes) -> Document:
        """A document whose UTF-8 bytes (checked by :func:`clean_utf8`) were
        turned into models without this module; decoded only if a problem
        needs a location."""
        doc = cls(file, None)
        doc._raw = raw
        return doc

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.problems

    def problem(self, path: PathKey, message: str, *, at_key: bool = False) -> Problem:
        """A :class:`Problem` at ``path``, located in the file."""
        line, column = self.locate(path, at_key=at_key)
        return Problem(self.file, line, column, format_path(path), message)

    def locate(self, path: PathKey, *, at_key: bool = False) -> tuple[int, int]:
        """(line, column) of the value at ``path``, or of its key with ``at_key``.

        Falls back to the nearest enclosing value that exists in the file.
        """
        if self.text is None and self._raw is not None:
            self.text, self._raw = self._raw.decode("utf-8"), None
        if self.text is None:
            return (0, 0)
        if self._locations is None:
            self._locations = _locations(self.text)
        probe = tuple(path)
        while probe:
            marks = self._locations.get(probe)
            if marks is not None:
                return (marks[0], marks[1]) if at_key else (marks[2], marks[3])
            probe = probe[:-1]
            at_key = False
        marks = self._locations.get((), (1, 1, 1, 1))
        return (marks[2], marks[3])


def read_raw(path: Path, name: str) -> tuple[bytes | None, Problem | None]:
    """The bytes of a regular file of at most :data:`MAX_BYTES`, or why not.

    Never blocks: a FIFO or a device is refused by its type, and the file is
    opened non-blocking in case it is swapped for one after the check.
    """
    try:
        st = path.stat()
    except OSError as exc:
        return None, Problem(name, 0, 0, "$", f"cannot read: {exc.strerror or exc}")
    if not stat.S_ISREG(st.st_mode):
        return None, Problem(name, 0, 0, "$", "not a regular file")
    if st.st_size > MAX_BYTES:
        return None, Problem(
            name, 0, 0, "$", f"file is {st.st_size} bytes, over the limit of {MAX_BYTES}"
        )
    try:
        # O_NONBLOCK: a file swapped for a FIFO between stat and open must not hang us.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None, Problem(name, 0, 0, "$", "not a regular file")
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, Problem(name, 0, 0, "$", f"cannot read: {exc.strerror or exc}")
    return raw, None


def clean_utf8(raw: bytes) -> bytes | None:
    """``raw`` without its byte-order mark, if it is UTF-8 with no character
    that :func:`read_text` refuses; else ``None`` (read it with
    :func:`read_bytes` to learn why). Makes no copy of an ASCII file."""
    if len(raw) > MAX_BYTES:
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.isascii():
        return None if any(byte in raw for byte in _FORBIDDEN_ASCII) else raw
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if _FORBIDDEN.search(text) else raw


def read_bytes(raw: bytes, file: str) -> Document:
    """Decode UTF-8 strictly (a leading BOM allowed) and parse."""
    if len(raw) > MAX_BYTES:
        doc = Document(file, None)
        doc.problems.append(
            Problem(file, 0, 0, "$", f"file is over the limit of {MAX_BYTES} bytes")
        )
        return doc
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        doc = Document(file, None)
        bad = raw[exc.start : exc.start + 1].hex()
        doc.problems.append(
            Problem(file, line, column, "$", f"not UTF-8: byte 0x{bad} cannot be decoded")
        )
        return doc
    return read_text(text, file)


def read_text(text: str, file: str) -> Document:
    """Parse YAML text strictly into plain dicts, lists and strings."""
    doc = Document(file, text)
    bad = _FORBIDDEN.search(text)
    if bad is not None:
        for m in _FORBIDDEN.finditer(text):
            start = m.start()
            line = text.count("\n", 0, start) + 1
            column = start - (text.rfind("\n", 0, start) + 1) + 1
            doc.problems.append(Problem(file, line, column, "$", _describe_char(m.group())))
            if len(doc.problems) >= MAX_PROBLEMS:
                break
        doc.text = None  # locations would be meaningless; do not parse further
        return doc
    walker = _Walker(doc, record=None)
    doc.data = walker.run(text)
    if doc.data is None and not doc.problems:
        doc.problems.append(Problem(file, 1, 1, "$", "file is empty; expected a mapping"))
    return doc


def parser(data: str | bytes) -> Any:
    """libyaml's parser (the pure one if PyYAML was built without it) over ``data``.

    Its ``get_event`` returns each event, then ``None``; ``dispose`` frees it.
    """
    return _Loader(data)


def _locations(text: str) -> dict[PathKey, tuple[int, int, int, int]]:
    record: dict[PathKey, tuple[int, int, int, int]] = {}
    _Walker(Document("", text), record=record).run(text)
    return record


class _Walker:
    """Builds plain values from libyaml events, enforcing the strict subset."""

    def __init__(self, doc: Document, record: dict[PathKey, tuple[int, int, int, int]] | None):
        self.doc = doc
        self.record = record
        self.events: Iterator[Any] = iter(())

    def fail(self, mark: Any, path: PathKey, message: str) -> None:
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        if self.record is None:
            self.doc.problems.append(
                Problem(self.doc.file, line, column, format_path(path), message)
            )
            if len(self.doc.problems) >= MAX_PROBLEMS:
                raise _Stop

    def run(self, text: str) -> Any:
        loader = _Loader(text)
        self.events = iter(loader.get_event, None)
        try:
            return self._stream()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            what = exc.problem or exc.context or "invalid YAML"
            begun = exc.context_mark
            if (
                exc.problem
                and exc.context
                and begun is not None
                and mark is not None
                and (begun.line, begun.column) != (mark.line, mark.column)
            ):
                # "did not find expected ']'" is found a line later; say where it began.
                what += f" ({exc.context} at line {begun.line + 1}, column {begun.column + 1})"
            self.fail(mark, (), f"invalid YAML: {what}")
        except yaml.reader.ReaderError as exc:  # pragma: no cover - _FORBIDDEN comes first
            before = text[: exc.position]
            line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
            self.doc.problems.append(
                Problem(self.doc.file, line, column, "$", f"invalid YAML: {exc.reason}")
            )
        except yaml.YAMLError as exc:
            self.fail(None, (), f"invalid YAML: {exc}")
        except _Stop:
            pass
        finally:
            loader.dispose()
        return None

    def _stream(self) -> Any:
        ev = next(self.events)
        assert isinstance(ev, StreamStartEvent)
        ev = next(self.events)
        if isinstance(ev, StreamEndEvent):
            return None
        assert isinstance(ev, DocumentStartEvent)
        if ev.explicit and ev.version is not None:
            self.fail(ev.start_mark, (), "%YAML directives are not allowed")
        if ev.tags:
            self.fail(ev.start_mark, (), "%TAG directives are not allowed")
        first = next(self.events)
        if not isinstance(first, MappingStartEvent):
            kind = "a list" if isinstance(first, SequenceStartEvent) else "text"
            if isinstance(first, ScalarEvent) and first.value == "" and first.implicit[0]:
                self.fail(first.start_mark, (), "file is empty; expected a mapping")
            else:
                self.fail(first.start_mark, (), f"the top level must be a mapping, not {kind}")
            raise _Stop
        if self.record is not None:  # the document is at its first key
            m: Any = first.start_mark
            self.record[()] = (m.line + 1, m.column + 1, m.line + 1, m.column + 1)
        value = self._node(first, (), 1)
        ev = next(self.events)
        assert isinstance(ev, DocumentEndEvent)
        ev = next(self.events)
        if not isinstance(ev, StreamEndEvent):
            self.fail(ev.start_mark, (), "a second YAML document; a file holds one document")
            return value
        return value

    def _check(self, ev: Any, path: PathKey) -> None:
        if ev.anchor is not None:
            self.fail(
                ev.start_mark,
                path,
                f"anchors (`&{ev.anchor}`) are not allowed; write the value out",
            )
        if ev.tag is not None:
            tag = ev.tag.replace("tag:yaml.org,2002:", "!!", 1)  # as written: `!!str`
            self.fail(ev.start_mark, path, f"tags (`{tag}`) are not allowed")

    def _node(self, ev: Any, path: PathKey, depth: int) -> Any:
        if isinstance(ev, AliasEvent):
            self.fail(
                ev.start_mark,
                path,
                f"aliases (`*{ev.anchor}`) are not allowed; write the value out",
            )
            return None
        if depth > MAX_DEPTH:
            self.fail(ev.start_mark, path, f"nested deeper than {MAX_DEPTH} levels")
            raise _Stop
        if ev.anchor is not None or ev.tag is not None:
            self._check(ev, path)
        if isinstance(ev, ScalarEvent):
            return ev.value
        if isinstance(ev, SequenceStartEvent):
            return self._sequence(path, depth)
        if isinstance(ev, MappingStartEvent):
            return self._mapping(path, depth)
        raise AssertionError(f"unexpected event {ev!r}")  # pragma: no cover

    def _sequence(self, path: PathKey, depth: int) -> list[Any]:
        out: list[Any] = []
        record = self.record
        for ev in self.events:
            if isinstance(ev, SequenceEndEvent):
                return out
            here = (*path, len(out))
            if record is not None:
                m = ev.start_mark
                record[here] = (m.line + 1, m.column + 1, m.line + 1, m.column + 1)
            out.append(self._node(ev, here, depth + 1))
        raise AssertionError("unterminated sequence")  # pragma: no cover

    def _mapping(self, path: PathKey, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        record = self.record
        events = self.events
        normal: dict[str, str] = {}  # NFC form -> the first non-ASCII key written so
        for ev in events:
            if isinstance(ev, MappingEndEvent):
                return out
            if not isinstance(ev, ScalarEvent) or ev.anchor is not None or ev.tag is not None:
                self.fail(ev.start_mark, path, "keys must be plain text")
                self._skip(ev)
                self._skip(next(events))
                continue
            key = ev.value
            here = (*path, key)
            value_ev = next(events)
            if key == "<<" and ev.implicit[0]:  # plain `<<`, not quoted
                self.fail(
                    ev.start_mark, here, "merge keys (`<<`) are not allowed; write the keys out"
                )
                self._skip(value_ev)
                continue
            if record is not None:
                k: Any = ev.start_mark
                v: Any = value_ev.start_mark
                record.setdefault(here, (k.line + 1, k.column + 1, v.line + 1, v.column + 1))
            if key in out:
                first = self.doc.locate(here, at_key=True)[0] if self.record is None else 0
                self.fail(
                    ev.start_mark,
                    here,
                    f"duplicate key `{key}`" + (f"; the first is on line {first}" if first else ""),
                )
                self._skip(value_ev)
                continue
            same = _same_after_nfc(key, out, normal)
            if same is not None:
                first = self.doc.locate((*path, same), at_key=True)[0] if self.record is None else 0
                self.fail(
                    ev.start_mark,
                    here,
                    f"duplicate key `{key}`: written {key!a}, it is the same text as "
                    f"`{same}`, written {same!a}, once Unicode-normalised (NFC)"
                    + (f"; the first is on line {first}" if first else ""),
                )
                self._skip(value_ev)
                continue
            out[key] = self._node(value_ev, here, depth + 1)
        raise AssertionError("unterminated mapping")  # pragma: no cover

    def _skip(self, ev: Any) -> None:
        """Consume the rest of the node that ``ev`` starts."""
        level = 1 if isinstance(ev, MappingStartEvent | SequenceStartEvent) else 0
        while level:
            ev = next(self.events)
            if isinstance(ev, MappingStartEvent | SequenceStartEvent):
                level += 1
                if level > MAX_DEPTH:
                    raise _Stop
            elif isinstance(ev, MappingEndEvent | SequenceEndEvent):
                level -= 1
