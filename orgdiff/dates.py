"""Full and partial dates, and the words ``latest`` and ``today``.

Snapshot dates are full dates (``2025-08-19``). A *query* date may be partial.
As a point in time (``at``, ``show``, ``render``, ``diff``) or as the upper
bound of a range (``--until``), it means the *end* of its period: ``2025`` is
2025-12-31, ``2025-09`` is 2025-09-30, ``2024-02`` is 2024-02-29. As the lower
bound of a range (``--since``) it means the *start* of its period: ``2025`` is
2025-01-01. ``today`` is today's date; ``latest`` is the date of the last
snapshot, where there is a timeline to ask.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .errors import DateError

__all__ = ["ACCEPTED", "parse_date", "period", "resolve", "span", "start"]

ACCEPTED = "YYYY, YYYY-MM, YYYY-MM-DD, latest or today"

_PARTIAL = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?")
_FULL = re.compile(r"\d{4}-\d{2}-\d{2}")


def period(value: str | dt.date, *, latest: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first and the last day of the period that ``value`` names.

    >>> period("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))

    ``latest`` is the date the word ``latest`` stands for (the last snapshot's);
    without it, ``latest`` is refused. Raises :class:`DateError` for anything
    else, saying what is accepted.
    """
    if isinstance(value, dt.datetime):
        return value.date(), value.date()
    if isinstance(value, dt.date):
        return value, value
    text = str(value).strip()
    word = text.lower()
    if word == "today":
        today = dt.date.today()
        return today, today
    if word == "latest":
        if latest is None:
            raise DateError("`latest` means the last snapshot, and there is none here", value=text)
        return latest, latest
    m = _PARTIAL.fullmatch(text)
    if m is None:
        raise DateError(f"`{value}` is not a date; use {ACCEPTED}", value=str(value))
    year = int(m["y"])
    if year < 1:
        raise DateError(f"`{value}`: there is no year 0; use {ACCEPTED}", value=text)
    if m["m"] is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = int(m["m"])
    if not 1 <= month <= 12:
        raise DateError(f"`{value}`: month {m['m']} does not exist; use {ACCEPTED}", value=text)
    last = calendar.monthrange(year, month)[1]
    if m["d"] is None:
        return dt.date(year, month, 1), dt.date(year, month, last)
    day = int(m["d"])
    if not 1 <= day <= last:
        raise DateError(
            f"`{value}`: {calendar.month_name[month]} {year} has days 1 to {last}", value=text
        )
    return dt.date(year, month, day), dt.date(year, month, day)


def resolve(value: str | dt.date, *, latest: dt.date | None = None) -> dt.date:
    """The last day of the period that ``value`` names: a point in time or an
    upper bound.

    >>> resolve("2025-09")
    datetime.date(2025, 9, 30)
    >>> resolve("2024")
    datetime.date(2024, 12, 31)

    Raises :class:`DateError` for anything else, saying what is accepted.
    """
    return period(value, latest=latest)[1]


def start(value: str | dt.date, *, latest: dt.date | None = None) -> dt.date:
    """The first day of the period that ``value`` names: a lower bound.

    >>> start("2025")
    datetime.date(2025, 1, 1)
    """
    return period(value, latest=latest)[0]


def span(
    since: str | dt.date | None,
    until: str | dt.date | None,
    *,
    latest: dt.date | None = None,
) -> tuple[dt.date | None, dt.date | None]:
    """The range ``[start of since, end of until]`` as two dates (``None``: open).

    This is the one definition of a range: a change is in it when the date of
    the snapshot that made it lies in it, bounds included. ``since`` after
    ``until`` raises :class:`DateError`.

    >>> span("2025-10", "2025-11")
    (datetime.date(2025, 10, 1), datetime.date(2025, 11, 30))
    """
    lo = None if since is None else start(since, latest=latest)
    hi = None if until is None else resolve(until, latest=latest)
    if lo is not None and hi is not None and lo > hi:
        raise DateError(
            f"since `{since}` ({lo.isoformat()}) is after until `{until}` ({hi.isoformat()})",
            value=str(since),
        )
    return lo, hi


def parse_date(value: str) -> dt.date:
    """A full ``YYYY-MM-DD`` date, as snapshot files and sources give them.

    Raises :class:`DateError` for a partial or malformed date.
    """
    if not _FULL.fullmatch(value):
        raise DateError(f"`{value}` is not a full date; use YYYY-MM-DD", value=value)
    return resolve(value)
