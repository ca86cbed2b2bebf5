"""Exceptions and the located problem report.

Every error orgdiff raises derives from :class:`OrgdiffError`. Errors about the
data carry their parts as attributes, not only in the message, so that a script
can sort, filter or re-format them.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

__all__ = [
    "DateError",
    "OrgDataError",
    "OrgdiffError",
    "Problem",
    "SettingError",
    "UnknownIdError",
]


class OrgdiffError(Exception):
    """Base class of every error raised by orgdiff."""


@frozen(order=True)
class Problem:
    """One thing wrong with a dataset, at a place in a file.

    ``line`` and ``column`` count from 1; they are 0 when the problem is not
    tied to a place in a file (a snapshot built in memory, a missing file).
    ``path`` is where in the document the problem is, as ``$.people.bob.unit``.
    """

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line == 0 else f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}"


def count_problems(n: int) -> str:
    """``"1 problem found"`` / ``"3 problems found"``."""
    return f"{n} problem{'s' if n != 1 else ''} found"


class OrgDataError(OrgdiffError, ValueError):
    """A dataset (or a snapshot) is not valid: every problem found, sorted.

    ``problems`` is the complete list; ``str()`` gives one line per problem
    and a closing count, the form the command line prints.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(set(problems))
        super().__init__(self._text())

    def _text(self) -> str:
        lines = [str(p) for p in self.problems]
        lines.append(count_problems(len(self.problems)))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._text()


class DateError(OrgdiffError, ValueError):
    """A query date that is malformed, or outside what the timeline covers."""

    def __init__(self, message: str, *, value: str) -> None:
        self.value = value
        super().__init__(message)


class UnknownIdError(OrgdiffError, KeyError):
    """An id that names no unit or person, with the closest ids as suggestions."""

    def __init__(self, message: str, *, id: str, suggestions: tuple[str, ...] = ()) -> None:
        self.id = id
        self.suggestions = suggestions
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


class SettingError(OrgdiffError, ValueError):
    """An environment variable set to a value orgdiff does not take.

    Settings are read when they are used, never at import, so a bad value fails
    the command that needs it with this message, not every ``import orgdiff``.
    """

    def __init__(self, name: str, value: str, accepted: str) -> None:
        self.name = name
        self.value = value
        self.accepted = accepted
        super().__init__(f"{name}={value!r} is not a value it takes; it takes {accepted}")
