"""Full and partial dates.

Snapshot dates are full dates (``2025-08-19``). A *query* date may be partial
and then means the end of that period: ``2025`` is 2025-12-31, ``2025-09`` is
2025-09-30, ``2024-02`` is 2024-02-29.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .errors import DateError

__all__ = ["ACCEPTED", "parse_date", "resolve"]

ACCEPTED = "YYYY, YYYY-MM or YYYY-MM-DD"

_PARTIAL = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?")
_FULL = re.compile(r"\d{4}-\d{2}-\d{2}")


def resolve(value: str | dt.date) -> dt.date:
    """The last day of the period that ``value`` names.

    >>> resolve("2025-09")
    datetime.date(2025, 9, 30)
    >>> resolve("2024")
    datetime.date(2024, 12, 31)

    Raises :class:`DateError` for anything else, saying what is accepted.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    m = _PARTIAL.fullmatch(text)
    if m is None:
        raise DateError(f"`{value}` is not a date; use {ACCEPTED}", value=str(value))
    year = int(m["y"])
    if year < 1:
        raise DateError(f"`{value}`: there is no year 0; use {ACCEPTED}", value=text)
    if m["m"] is None:
        return dt.date(year, 12, 31)
    month = int(m["m"])
    if not 1 <= month <= 12:
        raise DateError(f"`{value}`: month {m['m']} does not exist; use {ACCEPTED}", value=text)
    last = calendar.monthrange(year, month)[1]
    if m["d"] is None:
        return dt.date(year, month, last)
    day = int(m["d"])
    if not 1 <= day <= last:
        raise DateError(
            f"`{value}`: {calendar.month_name[month]} {year} has days 1 to {last}", value=text
        )
    return dt.date(year, month, day)


def parse_date(value: str) -> dt.date:
    """A full ``YYYY-MM-DD`` date, as snapshot files and sources give them.

    Raises :class:`DateError` for a partial or malformed date.
    """
    if not _FULL.fullmatch(value):
        raise DateError(f"`{value}` is not a full date; use YYYY-MM-DD", value=value)
    return resolve(value)
