"""Calendar conventions of fuzzy dates, as data, and the range arithmetic on them.

Every number a reader might question (which months are spring, what "early"
means, how wide "around" is) is defined here once; ``uncounted.records.dates``
explains the choices.
"""

from __future__ import annotations

import calendar
import datetime
from typing import NamedTuple

from uncounted.records.dates_model import Precision

FIRST_YEAR = 1000
LAST_YEAR = 2999
# Two-digit years ('05, 90s, 05년) below this are 20xx, the others 19xx.
TWO_DIGIT_PIVOT = 30

# First month of each season (Korea: northern hemisphere, meteorological seasons).
SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}
SEASON_MONTHS = 3

# (first month, last month) of the parts of a year.
YEAR_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
YEAR_HALVES = {"first": (1, 6), "second": (7, 12)}
# (first day, last day) of the parts of a month; 31 stands for the month's last day.
MONTH_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
# (first, last) year within the decade.
DECADE_PARTS = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}

AROUND_YEARS = 1
AROUND_MONTHS = 1
AROUND_DAYS = 7


class DateNotUnderstood(Exception):
    """A form was recognised but names no real date (month 13, 30 February, year 5000)."""


class Span(NamedTuple):
    """A range of days with the precision of the form that produced it."""

    start: datetime.date
    end: datetime.date
    precision: Precision
    note: str | None = None


def check_year(year: int) -> int:
    """Return ``year`` if a testimony could mean it, else raise DateNotUnderstood."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateNotUnderstood(f"year {year} is outside {FIRST_YEAR}-{LAST_YEAR}")
    return year


def expand_two_digit_year(two_digits: int) -> int:
    """Read ``05`` as 2005 and ``90`` as 1990 (see TWO_DIGIT_PIVOT)."""
    return (2000 if two_digits < TWO_DIGIT_PIVOT else 1900) + two_digits


def check_month(month: int) -> int:
    """Return ``month`` if it is 1-12, else raise DateNotUnderstood."""
    if not 1 <= month <= 12:
        raise DateNotUnderstood(f"there is no month {month}")
    return month


def month_end(year: int, month: int) -> datetime.date:
    """Last day of a month."""
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def add_months(year: int, month: int, count: int) -> tuple[int, int]:
    """The (year, month) ``count`` months after (or before, if negative) the given one."""
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def day(year: int, month: int, day_of_month: int) -> datetime.date:
    """A checked calendar day."""
    check_year(year)
    check_month(month)
    try:
        return datetime.date(year, month, day_of_month)
    except ValueError:
        name = calendar.month_name[month]
        raise DateNotUnderstood(f"{name} {year} has no day {day_of_month}") from None


def day_span(year: int, month: int, day_of_month: int) -> Span:
    """One day."""
    told = day(year, month, day_of_month)
    return Span(told, told, Precision.DAY)


def months_span(year: int, first: int, last: int, precision: Precision) -> Span:
    """Months ``first``..``last`` of ``year`` (``last`` may exceed 12 to run into next year)."""
    check_year(year)
    end_year, end_month = add_months(year, first, last - first)
    return Span(datetime.date(year, first, 1), month_end(end_year, end_month), precision)


def month_span(year: int, month: int) -> Span:
    """One calendar month."""
    check_month(month)
    return months_span(year, month, month, Precision.MONTH)


def month_part_span(year: int, month: int, part: str) -> Span:
    """Early (1-10), mid (11-20) or late (21-end) of a month."""
    first, last = MONTH_PARTS[part]
    check_year(year)
    check_month(month)
    end = month_end(year, month) if last == 31 else datetime.date(year, month, last)
    return Span(datetime.date(year, month, first), end, Precision.PART_OF_YEAR)


def season_span(year: int, season: str) -> Span:
    """A season; winter ``year`` runs from December ``year`` to February ``year + 1``."""
    first = SEASON_START[season]
    return months_span(year, first, first + SEASON_MONTHS - 1, Precision.SEASON)


def year_part_span(year: int, part: str) -> Span:
    """Early, mid or late part of a year."""
    first, last = YEAR_PARTS[part]
    return months_span(year, first, last, Precision.PART_OF_YEAR)


def year_half_span(year: int, half: str) -> Span:
    """First or second half of a year."""
    first, last = YEAR_HALVES[half]
    return months_span(year, first, last, Precision.PART_OF_YEAR)


def years_span(first: int, last: int, precision: Precision) -> Span:
    """Whole years ``first``..``last``."""
    check_year(first)
    check_year(last)
    return Span(datetime.date(first, 1, 1), datetime.date(last, 12, 31), precision)


def year_span(year: int) -> Span:
    """One calendar year."""
    return years_span(year, year, Precision.YEAR)


def decade_span(decade: int, part: str | None) -> Span:
    """A decade (``decade`` is its first year) or its early, mid or late part."""
    first, last = (0, 9) if part is None else DECADE_PARTS[part]
    return years_span(decade + first, decade + last, Precision.DECADE)


def aligned(start: datetime.date, end: datetime.date, note: str | None = None) -> Span:
    """A span with the precision of the coarsest calendar unit its ends fall on.

    Whole years give YEAR (one) or YEARS (several); whole months MONTH; anything
    else DAY. Used for spans built from two told dates, so that the precision
    depends only on the range and formatting can reproduce it.
    """
    if start.day == 1 and end == month_end(end.year, end.month):
        if start.month == 1 and end.month == 12:
            precision = Precision.YEAR if start.year == end.year else Precision.YEARS
            return Span(start, end, precision, note)
        return Span(start, end, Precision.MONTH, note)
    return Span(start, end, Precision.DAY, note)


def _is_single_unit(span: Span) -> bool:
    start, end = span.start, span.end
    if span.precision is Precision.DAY:
        return start == end
    if span.precision is Precision.MONTH:
        return (start.year, start.month) == (end.year, end.month)
    return span.precision is Precision.YEAR


def widen(span: Span) -> Span:
    """What an approximate word ("around", "?", "경") does to a span.

    A single year, month or day becomes AROUND: +-1 year, +-1 month, +-7 days.
    A span of several days, months or years grows by the same amount at each end
    and keeps the precision of its alignment. Seasons, parts of years, decades
    and AROUND dates already carry their uncertainty and are returned unchanged.
    """
    start, end = span.start, span.end
    if span.precision in (Precision.YEAR, Precision.YEARS):
        start_year = check_year(start.year - AROUND_YEARS)
        end_year = check_year(end.year + AROUND_YEARS)
        wide = Span(
            datetime.date(start_year, 1, 1), datetime.date(end_year, 12, 31), span.precision
        )
    elif span.precision is Precision.MONTH:
        first = add_months(start.year, start.month, -AROUND_MONTHS)
        last = add_months(end.year, end.month, AROUND_MONTHS)
        check_year(first[0])
        check_year(last[0])
        wide = Span(datetime.date(*first, 1), month_end(*last), span.precision)
    elif span.precision is Precision.DAY:
        delta = datetime.timedelta(days=AROUND_DAYS)
        check_year((start - delta).year)
        check_year((end + delta).year)
        wide = Span(start - delta, end + delta, span.precision)
    else:
        return span
    if _is_single_unit(span):
        return Span(wide.start, wide.end, Precision.AROUND, span.note)
    return aligned(wide.start, wide.end, span.note)
