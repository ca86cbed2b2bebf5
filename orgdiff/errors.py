"""Exceptions and the located problem report.

Every error orgdiff raises derives from :class:`OrgdiffError`. Errors about the
data carry their parts as attributes, not only in the message, so that a script
can sort, filter or re-format them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from attrs import frozen

__all__ = [
    "DateError",
    "OrgDataError",
    "OrgdiffError",
    "Problem",
    "SettingError",
    "UnknownIdError",
    "github_annotation",
    "problem_json",
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


def problem_json(problem: Problem) -> dict[str, Any]:
    """``{"file", "line", "column", "path", "message"}`` (line and column 0: no place)."""
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "path": problem.path,
        "message": problem.message,
    }


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping (actions/toolkit, command.ts: escapeData).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    # ... and escapeProperty, for the key=value pairs before the `::`.
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem) -> str:
    """A GitHub Actions error annotation: ``::error file=F,line=L,col=C::PATH: MESSAGE``."""
    props = [f"file={_escape_property(problem.file)}"]
    if problem.line:
        props.append(f"line={problem.line}")
        props.append(f"col={problem.column}")
    return f"::error {','.join(props)}::{_escape_data(f'{problem.path}: {problem.message}')}"


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
