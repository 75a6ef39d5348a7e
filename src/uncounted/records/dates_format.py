"""Write a fuzzy date back as readable text, in English or Korean.

Every text written here is read back by ``parse_date`` to the same start, end
and precision; the round trip is a property test.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Literal

from uncounted.records import dates_calendar as cal
from uncounted.records.dates_model import FuzzyDate, Precision

Language = Literal["en", "ko"]

_ENGLISH_SEASONS = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}
_KOREAN_SEASONS = {3: "봄", 6: "여름", 9: "가을", 12: "겨울"}
_ENGLISH_PARTS = {"early": "early {}", "mid": "mid-{}", "late": "late {}"}
_KOREAN_YEAR_PARTS = {"early": "초", "mid": "중반", "late": "말"}
_KOREAN_MONTH_PARTS = {"early": "초순", "mid": "중순", "late": "하순"}
_KOREAN_DECADE_PARTS = {"early": "초반", "mid": "중반", "late": "후반"}
_KOREAN_HALVES = {"first": "상반기", "second": "하반기"}


def format_date(value: FuzzyDate, lang: Language = "en") -> str:
    """Readable text for a fuzzy date, in English (``"en"``) or Korean (``"ko"``).

    Parameters
    ----------
    value : FuzzyDate
        The date to write. Only its range and precision are used, not ``as_told``.
    lang : {"en", "ko"}
        Language of the text.

    Returns
    -------
    str
        ``"14 March 2005"``, ``"March 2005"``, ``"spring 2005"``, ``"late 2005"``,
        ``"early March 2005"``, ``"around 2008"``, ``"2007 or 2008"``,
        ``"2005 to 2008"``, ``"late 1990s"``, ``"unknown"``; in Korean
        ``"2005년 3월 14일"``, ``"2005년 봄"``, ``"2008년경"``, ``"2007~2010년"``,
        ``"1990년대 후반"``, ``"모름"``. A range that does not have the shape its
        precision implies is written as a span of days, months or years.
    """
    start, end = value.start, value.end
    if start is None or end is None:
        return "모름" if lang == "ko" else "unknown"
    shaped = _SHAPED[value.precision](start, end, lang)
    return shaped if shaped is not None else _span(start, end, lang)


def _day(told: datetime.date, lang: Language) -> str:
    if lang == "ko":
        return f"{told.year}년 {told.month}월 {told.day}일"
    return f"{told.day} {calendar.month_name[told.month]} {told.year}"


def _month(year: int, month: int, lang: Language) -> str:
    if lang == "ko":
        return f"{year}년 {month}월"
    return f"{calendar.month_name[month]} {year}"


def _year(year: int, lang: Language) -> str:
    return f"{year}년" if lang == "ko" else str(year)


def _is_month_start(told: datetime.date) -> bool:
    return told.day == 1


def _is_month_end(told: datetime.date) -> bool:
    return told == cal.month_end(told.year, told.month)


def _months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _as_day(start: datetime.date, end: datetime.date, lang: Language) -> str | None:
    return _day(start, lang) if start == end else None


def _as_month(start: datetime.date, end: datetime.date, lang: Language) -> str | None:
    if _is_month_start(start) and _is_month_end(end) and _months_between(start, end) == 0:
        return _month(start.year, start.month, lang)
    return None


def _as_year(start: datetime.date, end: datetime.date, lang: Language) -> str | None:
    if start == datetime.date(start.year, 1, 1) and end == datetime.date(start.year, 12, 31):
        return _year(start.year, lang)
    return None


def _as_season(start: datetime.date, end: datetime.date, lang: Language) -> str | None:
    if not (_is_month_start(start) and _is_month_end(end)):
        return None
    if start.month not in _KOREAN_SEASONS or _months_between(start, end) != 2:
        return None
    if lang == "ko":
        return f"{start.year}년 {_KOREAN_SEASONS[start.month]}"
    return f"{_ENGLISH_SEASONS[start.month]} {start.year}"


def _as_part(start: datetime.date, end: datetime.date, lang: Language) -> str | None:
    return _as_part_of_month(start, end, lang) or _as_part_of_year(start, end, lang)


def _as_part_of_month(start: datetime.date, end: datetime.date, lang: Language) -> str | None:
    if (start.year, start.month) != (end.year, end.month):
        return None
    for part, (first, last) in cal.MONTH_PARTS.items():
        last_day = cal.month_end(end.year, end.month).day if last == 31 else last
        if (start.day, end.day) == (first, last_day):
            month = _month(start.year, start.month, lang)
            if lang == "ko":
                return f"{month} {_KOREAN_MONTH_PARTS[part]}"
            return _ENGLISH_PARTS[part].format(month)
    return None


def _as_part_of_year(start: datetime.date, end: datetime.date, lang: Language) -> str | None:
    if start.year != end.year or not (_is_month_start(start) and _is_month_end(end)):
        return None
    months = (start.month, end.month)
    for part, bounds in cal.YEAR_PARTS.items():
        if months == bounds:
            if lang == "ko":
                return f"{start.year}년 {_KOREAN_YEAR_PARTS[part]}"
            return _ENGLISH_PARTS[part].format(start.year)
    for half, bounds in cal.YEAR_HALVES.items():
        if months == bounds:
            if lang == "ko":
                return f"{start.year}년 {_KOREAN_HALVES[half]}"
            return f"{half} half of {start.year}"
    return None


def _whole_years(start: datetime.date, end: datetime.date) -> bool:
    return start == datetime.date(start.year, 1, 1) and end == datetime.date(end.year, 12, 31)


def _as_around(start: datetime.date, end: datetime.date, lang: Language) -> str | None:
    suffix, prefix = ("경", "") if lang == "ko" else ("", "around ")
    if _whole_years(start, end) and end.year - start.year == 2 * cal.AROUND_YEARS:
        return f"{prefix}{_year(start.year + cal.AROUND_YEARS, lang)}{suffix}"
    if (
        _is_month_start(start)
        and _is_month_end(end)
        and _months_between(start, end) == 2 * cal.AROUND_MONTHS
    ):
        year, month = cal.add_months(start.year, start.month, cal.AROUND_MONTHS)
        return f"{prefix}{_month(year, month, lang)}{suffix}"
    if (end - start).days == 2 * cal.AROUND_DAYS:
        return f"{prefix}{_day(start + datetime.timedelta(days=cal.AROUND_DAYS), lang)}{suffix}"
    return None


def _as_years(start: datetime.date, end: datetime.date, lang: Language) -> str | None:
    if not _whole_years(start, end) or start.year == end.year:
        return None
    if end.year == start.year + 1:
        if lang == "ko":
            return f"{start.year}년 또는 {end.year}년"
        return f"{start.year} or {end.year}"
    return f"{start.year}~{end.year}년" if lang == "ko" else f"{start.year} to {end.year}"


def _as_decade(start: datetime.date, end: datetime.date, lang: Language) -> str | None:
    decade = start.year // 10 * 10
    if not _whole_years(start, end) or end.year // 10 * 10 != decade:
        return None
    name = f"{decade}년대" if lang == "ko" else f"{decade}s"
    bounds = (start.year - decade, end.year - decade)
    if bounds == (0, 9):
        return name
    for part, part_bounds in cal.DECADE_PARTS.items():
        if bounds == part_bounds:
            if lang == "ko":
                return f"{name} {_KOREAN_DECADE_PARTS[part]}"
            return _ENGLISH_PARTS[part].format(name)
    return None


def _never(start: datetime.date, end: datetime.date, lang: Language) -> str | None:
    return None


_SHAPED = {
    Precision.DAY: _as_day,
    Precision.MONTH: _as_month,
    Precision.SEASON: _as_season,
    Precision.PART_OF_YEAR: _as_part,
    Precision.YEAR: _as_year,
    Precision.AROUND: _as_around,
    Precision.YEARS: _as_years,
    Precision.DECADE: _as_decade,
    Precision.UNKNOWN: _never,
}


def _span(start: datetime.date, end: datetime.date, lang: Language) -> str:
    """A range of whole years, whole months or days, as ``parse_date`` reads spans."""
    span = cal.aligned(start, end)
    if span.precision is Precision.YEAR:
        return _year(start.year, lang)
    if span.precision is Precision.YEARS:
        return _as_years(start, end, lang) or _year(start.year, lang)
    if span.precision is Precision.MONTH:
        return _month_span(start, end, lang)
    return _day_span(start, end, lang)


def _month_span(start: datetime.date, end: datetime.date, lang: Language) -> str:
    # Shared parts are said once, as people write them: "March to May 2005", "2005년 3월~5월".
    last = _month(end.year, end.month, lang)
    if (start.year, start.month) == (end.year, end.month):
        return last
    if start.year != end.year:
        first = _month(start.year, start.month, lang)
    elif lang == "ko":
        return f"{_month(start.year, start.month, lang)}~{end.month}월"
    else:
        first = calendar.month_name[start.month]
    return f"{first}~{last}" if lang == "ko" else f"{first} to {last}"


def _day_span(start: datetime.date, end: datetime.date, lang: Language) -> str:
    if start == end:
        return _day(start, lang)
    if lang == "ko":
        if start.year != end.year:
            return f"{_day(start, lang)}~{_day(end, lang)}"
        if start.month != end.month:
            return f"{_day(start, lang)}~{end.month}월 {end.day}일"
        return f"{_day(start, lang)}~{end.day}일"
    if start.year != end.year:
        first = _day(start, lang)
    elif start.month != end.month:
        first = f"{start.day} {calendar.month_name[start.month]}"
    else:
        first = str(start.day)
    return f"{first} to {_day(end, lang)}"
