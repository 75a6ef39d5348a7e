"""The single date forms (no spans, no approximate words), English, Korean and numeric.

``read_single`` takes a text already passed through ``dates_normalize.normalize``
and ``strip_approx``. It returns None for a text that is none of the forms, and
raises ``DateNotUnderstood`` for a form whose numbers name no real date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable

from uncounted.records import dates_calendar as cal
from uncounted.records.dates_calendar import DateNotUnderstood, Span

MONTH_NUMBERS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
KOREAN_SEASONS = {"봄": "spring", "여름": "summer", "가을": "autumn", "겨울": "winter"}
KOREAN_YEAR_PARTS = {
    "초": "early",
    "초반": "early",
    "초순": "early",
    "연초": "early",
    "중반": "mid",
    "중순": "mid",
    "말": "late",
    "후반": "late",
    "하순": "late",
    "연말": "late",
}
KOREAN_MONTH_PARTS = {
    "초": "early",
    "초순": "early",
    "상순": "early",
    "초반": "early",
    "중순": "mid",
    "중반": "mid",
    "말": "late",
    "하순": "late",
    "후반": "late",
}
KOREAN_DECADE_PARTS = {"초": "early", "초반": "early", "중반": "mid", "말": "late", "후반": "late"}
KOREAN_HALVES = {"상반기": "first", "하반기": "second"}
ENGLISH_HALVES = {"first": "first", "1": "first", "second": "second", "2": "second"}

_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:(?P<y4>\d{4})|'(?P<y2>\d{2}))"
_KO_YEAR = r"(?:(?P<y4>\d{4})|(?P<y2>\d{2}))년"
_PART = r"(?P<part>early|mid|late)"
_SEASON = r"(?P<season>spring|summer|autumn|winter)"


def _alternatives(words: dict[str, str]) -> str:
    # Longest first so that 초반 is not read as 초 followed by junk.
    return "|".join(sorted(words, key=len, reverse=True))


def _year(match: re.Match[str]) -> int:
    if match["y4"] is not None:
        return cal.check_year(int(match["y4"]))
    return cal.expand_two_digit_year(int(match["y2"]))


def _month(match: re.Match[str]) -> int:
    if match.groupdict().get("mon") is not None:
        return MONTH_NUMBERS[match["mon"][:3]]
    return cal.check_month(int(match["m"]))


def _day(match: re.Match[str]) -> Span:
    return cal.day_span(_year(match), _month(match), int(match["d"]))


def _month_of_year(match: re.Match[str]) -> Span:
    return cal.month_span(_year(match), _month(match))


def _month_part(match: re.Match[str]) -> Span:
    part = match["part"] if match.groupdict().get("part") else KOREAN_MONTH_PARTS[match["kpart"]]
    return cal.month_part_span(_year(match), _month(match), part)


def _season(match: re.Match[str]) -> Span:
    season = match["season"] if match.groupdict().get("season") else None
    return cal.season_span(_year(match), season or KOREAN_SEASONS[match["kseason"]])


def _winter_across(match: re.Match[str]) -> Span:
    # "winter 2005-06" / "2005~2006년 겨울": the second year must be the next one.
    year = cal.check_year(int(match["y4"]))
    following = match["next"]
    next_year = int(following) if len(following) == 4 else year // 100 * 100 + int(following)
    if next_year != year + 1:
        raise DateNotUnderstood("a winter spans two consecutive years")
    return cal.season_span(year, "winter")


def _year_part(match: re.Match[str]) -> Span:
    part = match["part"] if match.groupdict().get("part") else KOREAN_YEAR_PARTS[match["kpart"]]
    return cal.year_part_span(_year(match), part)


def _year_half(match: re.Match[str]) -> Span:
    if match.groupdict().get("half"):
        return cal.year_half_span(_year(match), ENGLISH_HALVES[match["half"]])
    return cal.year_half_span(_year(match), KOREAN_HALVES[match["khalf"]])


def _whole_year(match: re.Match[str]) -> Span:
    return cal.year_span(_year(match))


def _decade(match: re.Match[str]) -> Span:
    if match["dec4"] is not None:
        decade = cal.check_year(int(match["dec4"]))
    else:
        decade = cal.expand_two_digit_year(int(match["dec2"]))
    part = match.groupdict().get("part")
    if match.groupdict().get("kpart"):
        part = KOREAN_DECADE_PARTS[match["kpart"]]
    return cal.decade_span(decade, part)


def _ymd(match: re.Match[str]) -> Span:
    return cal.day_span(cal.check_year(int(match["y4"])), int(match["m"]), int(match["d"]))


def _ym(match: re.Match[str]) -> Span:
    return cal.month_span(cal.check_year(int(match["y4"])), cal.check_month(int(match["m"])))


def _day_month_or_month_day(match: re.Match[str]) -> Span:
    """``a/b/yyyy``: day first or month first, whichever is a real date; both if both are."""
    year = cal.check_year(int(match["y4"]))
    first, second = int(match["a"]), int(match["b"])
    readings: list[Span] = []
    for day_number, month in ((first, second), (second, first)):
        try:
            readings.append(cal.day_span(year, month, day_number))
        except DateNotUnderstood:
            continue
    if not readings:
        raise DateNotUnderstood(f"neither {first}/{second} nor {second}/{first} is a day in {year}")
    start = min(span.start for span in readings)
    end = max(span.end for span in readings)
    if start == end:
        return readings[0]
    day_first, month_first = readings
    note = (
        f"ambiguous numeric date: day first it is {_english_day(day_first)}, month first "
        f"{_english_day(month_first)}; the range covers both"
    )
    return cal.aligned(start, end, note)


def _english_day(span: Span) -> str:
    told = span.start
    return f"{told.day} {calendar.month_name[told.month]} {told.year}"


_FORMS: list[tuple[str, Callable[[re.Match[str]], Span]]] = [
    # Numeric.
    (r"(?P<y4>\d{4})(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})", _ymd),
    (r"(?P<y4>\d{4})(?P<m>\d{2})(?P<d>\d{2})", _ymd),
    (r"(?P<a>\d{1,2})(?P<sep>[-./])(?P<b>\d{1,2})(?P=sep)(?P<y4>\d{4})", _day_month_or_month_day),
    (r"(?P<y4>\d{4})[-./](?P<m>\d{1,2})", _ym),
    (r"(?P<m>\d{1,2})[-./](?P<y4>\d{4})", _ym),
    # English.
    (rf"(?P<d>\d{{1,2}}) {_MONTH} {_YEAR}", _day),
    (rf"{_MONTH} (?P<d>\d{{1,2}}) {_YEAR}", _day),
    (rf"{_MONTH} {_YEAR}", _month_of_year),
    (rf"{_PART} {_MONTH} {_YEAR}", _month_part),
    (r"winter (?P<y4>\d{4}) ?[-/] ?(?P<next>\d{2}|\d{4})", _winter_across),
    (rf"{_SEASON} {_YEAR}", _season),
    (rf"{_YEAR} {_SEASON}", _season),
    (rf"{_PART} {_YEAR}", _year_part),
    (rf"(?P<half>first|second|1|2) half {_YEAR}", _year_half),
    (_YEAR, _whole_year),
    (rf"(?:{_PART} )?(?:(?P<dec4>\d{{3}}0)|'?(?P<dec2>\d0))s", _decade),
    # Korean.
    (rf"{_KO_YEAR} (?P<m>\d{{1,2}})월 (?P<d>\d{{1,2}})일", _day),
    (rf"{_KO_YEAR} (?P<m>\d{{1,2}})월", _month_of_year),
    (
        rf"{_KO_YEAR} (?P<m>\d{{1,2}})월 (?P<kpart>{_alternatives(KOREAN_MONTH_PARTS)})",
        _month_part,
    ),
    (r"(?P<y4>\d{4}) ?[-~/] ?(?P<next>\d{2}|\d{4})년 겨울", _winter_across),
    (rf"{_KO_YEAR} (?P<kseason>{_alternatives(KOREAN_SEASONS)})", _season),
    (rf"{_KO_YEAR} (?P<kpart>{_alternatives(KOREAN_YEAR_PARTS)})", _year_part),
    (rf"{_KO_YEAR} (?P<khalf>{_alternatives(KOREAN_HALVES)})", _year_half),
    (_KO_YEAR, _whole_year),
    (
        rf"(?:(?P<dec4>\d{{3}}0)|(?P<dec2>\d0))년대"
        rf"(?: (?P<kpart>{_alternatives(KOREAN_DECADE_PARTS)}))?",
        _decade,
    ),
]
_COMPILED = [(re.compile(pattern), handler) for pattern, handler in _FORMS]


def read_single(text: str) -> Span | None:
    """The span of one date form, None if ``text`` is no form (see module docstring)."""
    for pattern, handler in _COMPILED:
        match = pattern.fullmatch(text)
        if match is not None:
            return handler(match)
    return None
