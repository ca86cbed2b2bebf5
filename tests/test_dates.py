"""Partial and full dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orgdiff.dates import parse_date, period, resolve, span, start
from orgdiff.errors import DateError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025", dt.date(2025, 12, 31)),
        ("2025-09", dt.date(2025, 9, 30)),
        ("2024-02", dt.date(2024, 2, 29)),
        ("2023-02", dt.date(2023, 2, 28)),
        ("2025-09-01", dt.date(2025, 9, 1)),
        ("2013-12-09", dt.date(2013, 12, 9)),
        (" 2025-01 ", dt.date(2025, 1, 31)),
    ],
)
def test_resolve_gives_the_end_of_the_period(text: str, expected: dt.date) -> None:
    """A partial date means the last day of the period it names."""
    assert expected == resolve(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-02-30", "February 2025 has days 1 to 28"),
        ("2025-13", "month 13 does not exist"),
        ("2025-00", "month 00 does not exist"),
        ("last year", "is not a date; use YYYY, YYYY-MM, YYYY-MM-DD, latest or today"),
        ("25-09", "is not a date"),
        ("2025/09", "is not a date"),
        ("20250901", "is not a date"),
        ("2025-9", "is not a date"),
        ("0000", "there is no year 0"),
        ("", "is not a date"),
    ],
)
def test_bad_dates_say_what_is_accepted(text: str, message: str) -> None:
    """Anything but YYYY, YYYY-MM, YYYY-MM-DD is refused with a reason."""
    with pytest.raises(DateError) as info:
        resolve(text)
    assert message in str(info.value)
    assert info.value.value.strip() == text.strip()


def test_resolve_passes_dates_through() -> None:
    """A date object is already resolved; a datetime gives its date."""
    assert dt.date(2020, 1, 2) == resolve(dt.date(2020, 1, 2))
    assert dt.date(2020, 1, 2) == resolve(dt.datetime(2020, 1, 2, 13, 0))


@pytest.mark.parametrize("text", ["2025", "2025-09", "2025-9-01", "2025-09-01T00:00"])
def test_parse_date_wants_full_dates(text: str) -> None:
    """Snapshot and source dates are full dates: partial ones are errors."""
    with pytest.raises(DateError, match="not a full date"):
        parse_date(text)


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_full_dates_round_trip(day: dt.date) -> None:
    """Invariant: an ISO date resolves to itself."""
    assert day == resolve(day.isoformat()) == parse_date(day.isoformat())


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_a_month_resolves_to_its_last_day(day: dt.date) -> None:
    """Invariant: YYYY-MM is the last day of that month, on or after any day in it."""
    end = resolve(f"{day.year:04d}-{day.month:02d}")
    assert end >= day
    assert (end + dt.timedelta(days=1)).month != end.month


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2025-10", dt.date(2025, 10, 1), dt.date(2025, 10, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2025-10-22", dt.date(2025, 10, 22), dt.date(2025, 10, 22)),
    ],
)
def test_a_period_has_a_start_and_an_end(text: str, first: dt.date, last: dt.date) -> None:
    """A lower bound takes the start of its period, a point or upper bound its end."""
    assert (first, last) == period(text)
    assert first == start(text)
    assert last == resolve(text)


def test_latest_and_today() -> None:
    """`today` is today's date; `latest` is the date given for it, and without one
    it is refused (there is no snapshot to ask)."""
    today = dt.date.today()
    assert (today, today) == period("today") == period(" Today ")
    day = dt.date(2026, 5, 18)
    assert (day, day) == period("latest", latest=day)
    assert day == start("LATEST", latest=day) == resolve("latest", latest=day)
    with pytest.raises(DateError) as info:
        resolve("latest")
    assert "`latest` means the last snapshot, and there is none here" == str(info.value)


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        (None, None, (None, None)),
        ("2025", None, (dt.date(2025, 1, 1), None)),
        (None, "2025", (None, dt.date(2025, 12, 31))),
        ("2025-10", "2025-11", (dt.date(2025, 10, 1), dt.date(2025, 11, 30))),
        ("2025-10-01", "2025-10-01", (dt.date(2025, 10, 1), dt.date(2025, 10, 1))),
        ("2025", "2025", (dt.date(2025, 1, 1), dt.date(2025, 12, 31))),
    ],
)
def test_span_is_start_of_since_to_end_of_until(
    since: str | None, until: str | None, expected: tuple[dt.date | None, dt.date | None]
) -> None:
    """The one definition of a range: [start of since, end of until]."""
    assert expected == span(since, until)


def test_since_after_until_is_an_error() -> None:
    """A range that ends before it starts is refused, naming both dates."""
    with pytest.raises(DateError) as info:
        span("2026", "2025")
    assert "since `2026` (2026-01-01) is after until `2025` (2025-12-31)" == str(info.value)


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_a_period_holds_its_own_days(day: dt.date) -> None:
    """Invariant: a year and a month each span a period that holds every day in it,
    so `--since X --until X` covers all of X."""
    for text in (f"{day.year:04d}", f"{day.year:04d}-{day.month:02d}", day.isoformat()):
        lo, hi = span(text, text)
        assert lo is not None and hi is not None
        assert lo <= day <= hi
