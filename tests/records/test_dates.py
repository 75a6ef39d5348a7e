"""Tests of fuzzy-date parsing and formatting (uncounted.records.dates)."""

from __future__ import annotations

import calendar
import datetime
from typing import Literal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from uncounted.records.dates import FuzzyDate, Precision, format_date, parse_date
from uncounted.records.dates_parse import INTERNAL_ERROR

D = datetime.date
P = Precision

# Every form the issue lists, with the range the module docstring promises.
EXPECTED: list[tuple[str, D, D, Precision]] = [
    ("2005-03-14", D(2005, 3, 14), D(2005, 3, 14), P.DAY),
    ("14 March 2005", D(2005, 3, 14), D(2005, 3, 14), P.DAY),
    ("March 14, 2005", D(2005, 3, 14), D(2005, 3, 14), P.DAY),
    ("14/3/2005", D(2005, 3, 14), D(2005, 3, 14), P.DAY),
    ("3/14/2005", D(2005, 3, 14), D(2005, 3, 14), P.DAY),
    ("14.3.2005", D(2005, 3, 14), D(2005, 3, 14), P.DAY),
    ("20050314", D(2005, 3, 14), D(2005, 3, 14), P.DAY),
    ("March 2005", D(2005, 3, 1), D(2005, 3, 31), P.MONTH),
    ("Mar 2005", D(2005, 3, 1), D(2005, 3, 31), P.MONTH),
    ("Sept. 2005", D(2005, 9, 1), D(2005, 9, 30), P.MONTH),
    ("2005-03", D(2005, 3, 1), D(2005, 3, 31), P.MONTH),
    ("2008-02", D(2008, 2, 1), D(2008, 2, 29), P.MONTH),
    ("3/2005", D(2005, 3, 1), D(2005, 3, 31), P.MONTH),
    ("spring 2005", D(2005, 3, 1), D(2005, 5, 31), P.SEASON),
    ("summer 2005", D(2005, 6, 1), D(2005, 8, 31), P.SEASON),
    ("autumn 2005", D(2005, 9, 1), D(2005, 11, 30), P.SEASON),
    ("fall 2005", D(2005, 9, 1), D(2005, 11, 30), P.SEASON),
    ("winter 2005", D(2005, 12, 1), D(2006, 2, 28), P.SEASON),
    ("winter 2007", D(2007, 12, 1), D(2008, 2, 29), P.SEASON),
    ("winter 2005-06", D(2005, 12, 1), D(2006, 2, 28), P.SEASON),
    ("the winter of 2005/2006", D(2005, 12, 1), D(2006, 2, 28), P.SEASON),
    ("2005 spring", D(2005, 3, 1), D(2005, 5, 31), P.SEASON),
    ("early 2005", D(2005, 1, 1), D(2005, 4, 30), P.PART_OF_YEAR),
    ("mid 2005", D(2005, 5, 1), D(2005, 8, 31), P.PART_OF_YEAR),
    ("mid-2005", D(2005, 5, 1), D(2005, 8, 31), P.PART_OF_YEAR),
    ("late 2005", D(2005, 9, 1), D(2005, 12, 31), P.PART_OF_YEAR),
    ("end of 2005", D(2005, 9, 1), D(2005, 12, 31), P.PART_OF_YEAR),
    ("first half of 2005", D(2005, 1, 1), D(2005, 6, 30), P.PART_OF_YEAR),
    ("early March 2005", D(2005, 3, 1), D(2005, 3, 10), P.PART_OF_YEAR),
    ("mid-March 2005", D(2005, 3, 11), D(2005, 3, 20), P.PART_OF_YEAR),
    ("late February 2008", D(2008, 2, 21), D(2008, 2, 29), P.PART_OF_YEAR),
    ("2005", D(2005, 1, 1), D(2005, 12, 31), P.YEAR),
    ("in 2005", D(2005, 1, 1), D(2005, 12, 31), P.YEAR),
    ("around 2008", D(2007, 1, 1), D(2009, 12, 31), P.AROUND),
    ("about 2008", D(2007, 1, 1), D(2009, 12, 31), P.AROUND),
    ("c. 2008", D(2007, 1, 1), D(2009, 12, 31), P.AROUND),
    ("c.2008", D(2007, 1, 1), D(2009, 12, 31), P.AROUND),
    ("ca. 2008", D(2007, 1, 1), D(2009, 12, 31), P.AROUND),
    ("circa 2008", D(2007, 1, 1), D(2009, 12, 31), P.AROUND),
    ("2008?", D(2007, 1, 1), D(2009, 12, 31), P.AROUND),
    ("~2008", D(2007, 1, 1), D(2009, 12, 31), P.AROUND),
    ("in or around 2008", D(2007, 1, 1), D(2009, 12, 31), P.AROUND),
    ("around March 2008", D(2008, 2, 1), D(2008, 4, 30), P.AROUND),
    ("around January 2008", D(2007, 12, 1), D(2008, 2, 29), P.AROUND),
    ("on or about 14 March 2008", D(2008, 3, 7), D(2008, 3, 21), P.AROUND),
    ("2007 or 2008", D(2007, 1, 1), D(2008, 12, 31), P.YEARS),
    ("2007-2008", D(2007, 1, 1), D(2008, 12, 31), P.YEARS),
    ("2007–2008", D(2007, 1, 1), D(2008, 12, 31), P.YEARS),
    ("2007 to 2008", D(2007, 1, 1), D(2008, 12, 31), P.YEARS),
    ("between 2005 and 2007", D(2005, 1, 1), D(2007, 12, 31), P.YEARS),
    ("1998-99", D(1998, 1, 1), D(1999, 12, 31), P.YEARS),
    ("2000–14", D(2000, 1, 1), D(2014, 12, 31), P.YEARS),
    ("around 2007 or 2008", D(2006, 1, 1), D(2009, 12, 31), P.YEARS),
    ("c. 2007 - c. 2009", D(2006, 1, 1), D(2010, 12, 31), P.YEARS),
    ("1990s", D(1990, 1, 1), D(1999, 12, 31), P.DECADE),
    ("the 1990's", D(1990, 1, 1), D(1999, 12, 31), P.DECADE),
    ("late 1990s", D(1997, 1, 1), D(1999, 12, 31), P.DECADE),
    ("mid-90s", D(1994, 1, 1), D(1996, 12, 31), P.DECADE),
    ("early 2000s", D(2000, 1, 1), D(2003, 12, 31), P.DECADE),
    ("'05", D(2005, 1, 1), D(2005, 12, 31), P.YEAR),
    ("March '05", D(2005, 3, 1), D(2005, 3, 31), P.MONTH),
    ("14 to 20 March 2005", D(2005, 3, 14), D(2005, 3, 20), P.DAY),
    ("March 14-20, 2005", D(2005, 3, 14), D(2005, 3, 20), P.DAY),
    ("March to May 2005", D(2005, 3, 1), D(2005, 5, 31), P.MONTH),
    ("spring to summer 2005", D(2005, 3, 1), D(2005, 8, 31), P.MONTH),
    ("2005 to March 2006", D(2005, 1, 1), D(2006, 3, 31), P.MONTH),
    ("late 1990s or early 2000s", D(1997, 1, 1), D(2003, 12, 31), P.YEARS),
    ("Dec 2005 - Jan 2006", D(2005, 12, 1), D(2006, 1, 31), P.MONTH),
    # Korean.
    ("2005년 3월 14일", D(2005, 3, 14), D(2005, 3, 14), P.DAY),
    ("2005년3월14일", D(2005, 3, 14), D(2005, 3, 14), P.DAY),
    ("2005.3.14", D(2005, 3, 14), D(2005, 3, 14), P.DAY),
    ("2005. 3. 14.", D(2005, 3, 14), D(2005, 3, 14), P.DAY),
    ("2005年 3月 14日", D(2005, 3, 14), D(2005, 3, 14), P.DAY),
    ("2005년 3월", D(2005, 3, 1), D(2005, 3, 31), P.MONTH),
    ("2005년 3월달", D(2005, 3, 1), D(2005, 3, 31), P.MONTH),
    ("2005년", D(2005, 1, 1), D(2005, 12, 31), P.YEAR),
    ("2005년도에", D(2005, 1, 1), D(2005, 12, 31), P.YEAR),
    ("2005년 봄", D(2005, 3, 1), D(2005, 5, 31), P.SEASON),
    ("2005년 봄에", D(2005, 3, 1), D(2005, 5, 31), P.SEASON),
    ("2005년 여름", D(2005, 6, 1), D(2005, 8, 31), P.SEASON),
    ("2005년 가을", D(2005, 9, 1), D(2005, 11, 30), P.SEASON),
    ("2005년 겨울", D(2005, 12, 1), D(2006, 2, 28), P.SEASON),
    ("2005~2006년 겨울", D(2005, 12, 1), D(2006, 2, 28), P.SEASON),
    ("2008년경", D(2007, 1, 1), D(2009, 12, 31), P.AROUND),
    ("2008년 무렵", D(2007, 1, 1), D(2009, 12, 31), P.AROUND),
    ("2008년쯤", D(2007, 1, 1), D(2009, 12, 31), P.AROUND),
    ("약 2008년", D(2007, 1, 1), D(2009, 12, 31), P.AROUND),
    ("2008년 3월경", D(2008, 2, 1), D(2008, 4, 30), P.AROUND),
    ("2008년 초", D(2008, 1, 1), D(2008, 4, 30), P.PART_OF_YEAR),
    ("2008년 중반", D(2008, 5, 1), D(2008, 8, 31), P.PART_OF_YEAR),
    ("2008년 말", D(2008, 9, 1), D(2008, 12, 31), P.PART_OF_YEAR),
    ("2008년 말경", D(2008, 9, 1), D(2008, 12, 31), P.PART_OF_YEAR),
    ("2008년 하반기", D(2008, 7, 1), D(2008, 12, 31), P.PART_OF_YEAR),
    ("2008년 3월 초순", D(2008, 3, 1), D(2008, 3, 10), P.PART_OF_YEAR),
    ("2008년 3월 상순", D(2008, 3, 1), D(2008, 3, 10), P.PART_OF_YEAR),
    ("2008년 3월 중순", D(2008, 3, 11), D(2008, 3, 20), P.PART_OF_YEAR),
    ("2008년 3월 말", D(2008, 3, 21), D(2008, 3, 31), P.PART_OF_YEAR),
    ("2007년 또는 2008년", D(2007, 1, 1), D(2008, 12, 31), P.YEARS),
    ("2007~2008년", D(2007, 1, 1), D(2008, 12, 31), P.YEARS),
    ("2007〜2008년", D(2007, 1, 1), D(2008, 12, 31), P.YEARS),
    ("2007년부터 2009년까지", D(2007, 1, 1), D(2009, 12, 31), P.YEARS),
    ("2007~2008년경", D(2006, 1, 1), D(2009, 12, 31), P.YEARS),
    ("2005년 3월~5월", D(2005, 3, 1), D(2005, 5, 31), P.MONTH),
    ("2005년 3~5월", D(2005, 3, 1), D(2005, 5, 31), P.MONTH),
    ("2005년 3월 14일~20일", D(2005, 3, 14), D(2005, 3, 20), P.DAY),
    ("1990년대", D(1990, 1, 1), D(1999, 12, 31), P.DECADE),
    ("1990년대 후반", D(1997, 1, 1), D(1999, 12, 31), P.DECADE),
    ("90년대 초반", D(1990, 1, 1), D(1993, 12, 31), P.DECADE),
]


@pytest.mark.parametrize(("text", "start", "end", "precision"), EXPECTED)
def test_told_forms_give_the_documented_range(
    text: str, start: D, end: D, precision: Precision
) -> None:
    parsed = parse_date(text)
    assert (parsed.start, parsed.end, parsed.precision) == (start, end, precision)
    assert parsed.as_told == text
    assert parsed.warning is None


@pytest.mark.parametrize(
    "text",
    [
        "  14   MARCH 2005 ",
        "14 march 2005.",
        "In the 14th of March, 2005!",
        "(14 March 2005)",
        "１４ March ２００５",
        "Monday, 14 March 2005",
    ],
)
def test_spelling_variants_are_tolerated(text: str) -> None:
    parsed = parse_date(text)
    assert (parsed.start, parsed.end, parsed.precision) == (D(2005, 3, 14), D(2005, 3, 14), P.DAY)


@pytest.mark.parametrize(
    "text", ["unknown", "Unknown.", "모름", "don't know", "Don’t know", "", "   ", "?", "미상"]
)
def test_unknown_words_give_no_range_and_no_warning(text: str) -> None:
    parsed = parse_date(text)
    assert parsed == FuzzyDate(text, None, None, P.UNKNOWN)


@pytest.mark.parametrize(
    "text",
    [
        "when Kim was taken",
        "14 March",  # no year
        "31 February 2005",
        "2005-00",  # not 2005 to 2100
        "13/13/2005",
        "year 5000",
        "march",
        "x" * 500,
    ],
)
def test_unreadable_text_is_kept_with_a_warning(text: str) -> None:
    parsed = parse_date(text)
    assert parsed.as_told == text
    assert (parsed.start, parsed.end, parsed.precision) == (None, None, P.UNKNOWN)
    assert parsed.warning
    assert parsed.warning != INTERNAL_ERROR


def test_warning_does_not_quote_the_text() -> None:
    # Warnings go to logs; the told text may name a person.
    for text in ["when Kim Chol-su was taken", "Kim Chol-su 2005", "2005년 김철수 체포"]:
        warning = parse_date(text).warning
        assert warning is not None
        assert "kim" not in warning.lower()
        assert "김철수" not in warning


def test_impossible_day_says_why() -> None:
    assert parse_date("31 February 2005").warning == (
        "February 2005 has no day 31; kept as told without a range"
    )


def test_ambiguous_numeric_date_covers_both_readings_with_a_warning() -> None:
    parsed = parse_date("03/04/2005")
    # Day first: 3 April; month first: 4 March. The range runs from the earlier to the later.
    assert (parsed.start, parsed.end, parsed.precision) == (D(2005, 3, 4), D(2005, 4, 3), P.DAY)
    assert parsed.warning is not None
    assert "3 April 2005" in parsed.warning
    assert "4 March 2005" in parsed.warning


@pytest.mark.parametrize("text", ["05/05/2005", "13/04/2005", "04/13/2005"])
def test_numeric_date_with_one_reading_has_no_warning(text: str) -> None:
    parsed = parse_date(text)
    assert parsed.precision is P.DAY
    assert parsed.start == parsed.end
    assert parsed.warning is None


# Readable forms, English and Korean, as the issue lists them.
FORMATTED: list[tuple[str, str, str]] = [
    ("14 March 2005", "14 March 2005", "2005년 3월 14일"),
    ("2005-03", "March 2005", "2005년 3월"),
    ("spring 2005", "spring 2005", "2005년 봄"),
    ("2005년 겨울", "winter 2005", "2005년 겨울"),
    ("late 2005", "late 2005", "2005년 말"),
    ("2005년 초", "early 2005", "2005년 초"),
    ("mid 2005", "mid-2005", "2005년 중반"),
    ("late March 2005", "late March 2005", "2005년 3월 하순"),
    ("first half of 2005", "first half of 2005", "2005년 상반기"),
    ("2005", "2005", "2005년"),
    ("c. 2008", "around 2008", "2008년경"),
    ("around March 2008", "around March 2008", "2008년 3월경"),
    ("2007-2008", "2007 or 2008", "2007년 또는 2008년"),
    ("2005 to 2008", "2005 to 2008", "2005~2008년"),
    ("late 1990s", "late 1990s", "1990년대 후반"),
    ("1990년대", "1990s", "1990년대"),
    ("14 to 20 March 2005", "14 to 20 March 2005", "2005년 3월 14일~20일"),
    ("03/04/2005", "4 March to 3 April 2005", "2005년 3월 4일~4월 3일"),
    ("March to May 2005", "March to May 2005", "2005년 3월~5월"),
    ("2005 to March 2006", "January 2005 to March 2006", "2005년 1월~2006년 3월"),
    ("unknown", "unknown", "모름"),
    ("gibberish", "unknown", "모름"),
]


@pytest.mark.parametrize(("text", "english", "korean"), FORMATTED)
def test_format_date_writes_readable_text(text: str, english: str, korean: str) -> None:
    parsed = parse_date(text)
    assert format_date(parsed) == english
    assert format_date(parsed, "en") == english
    assert format_date(parsed, "ko") == korean


def test_hand_made_date_whose_range_does_not_fit_its_precision_is_written_as_a_span() -> None:
    odd = FuzzyDate("", D(2005, 3, 1), D(2005, 5, 31), P.YEAR)
    assert format_date(odd) == "March to May 2005"


# --- FuzzyDate helpers -------------------------------------------------------------------


def _fuzzy(start: D, end: D) -> FuzzyDate:
    return FuzzyDate("", start, end, P.DAY)


UNKNOWN = FuzzyDate("?", None, None, P.UNKNOWN)


def test_width_and_midpoint() -> None:
    spring = parse_date("spring 2005")
    assert spring.width_days == 31 + 30 + 31
    assert spring.midpoint == D(2005, 4, 15)  # day 46 of 92, counting from 1 March
    assert parse_date("14 March 2005").width_days == 1
    assert parse_date("14 March 2005").midpoint == D(2005, 3, 14)
    assert parse_date("2008").width_days == 366
    assert UNKNOWN.width_days is None
    assert UNKNOWN.midpoint is None
    assert spring.is_known
    assert not UNKNOWN.is_known


def test_overlaps_and_gap_days() -> None:
    march = parse_date("March 2005")
    april = parse_date("April 2005")
    spring = parse_date("spring 2005")
    assert march.overlaps(spring)
    assert spring.overlaps(march)
    assert not march.overlaps(april)
    assert march.gap_days(spring) == 0
    assert march.gap_days(april) == 1  # 31 March to 1 April
    assert april.gap_days(march) == 1
    assert (
        _fuzzy(D(2005, 1, 1), D(2005, 1, 1)).gap_days(_fuzzy(D(2005, 1, 11), D(2005, 2, 1))) == 10
    )
    assert not UNKNOWN.overlaps(march)
    assert not march.overlaps(UNKNOWN)
    assert march.gap_days(UNKNOWN) is None
    assert UNKNOWN.gap_days(march) is None


def test_to_dict_and_back() -> None:
    parsed = parse_date("2005년 봄")
    assert parsed.to_dict() == {
        "as_told": "2005년 봄",
        "start": "2005-03-01",
        "end": "2005-05-31",
        "precision": "season",
    }
    assert FuzzyDate.from_dict(parsed.to_dict()) == parsed
    unknown = parse_date("모름")
    assert unknown.to_dict() == {
        "as_told": "모름",
        "start": None,
        "end": None,
        "precision": "unknown",
    }
    assert FuzzyDate.from_dict(unknown.to_dict()) == unknown
    assert FuzzyDate.from_dict({"as_told": "x", "start": "", "end": "", "precision": ""}) == (
        FuzzyDate("x", None, None, P.UNKNOWN)
    )


def test_precision_values_are_lowercase_names() -> None:
    assert [p.value for p in Precision] == [p.name.lower() for p in Precision]
    assert Precision("part_of_year") is P.PART_OF_YEAR


@pytest.mark.parametrize(
    ("start", "end"), [(D(2005, 1, 2), D(2005, 1, 1)), (D(2005, 1, 1), None), (None, D(2005, 1, 1))]
)
def test_inconsistent_range_is_refused(start: D | None, end: D | None) -> None:
    with pytest.raises(ValueError):
        FuzzyDate("", start, end, P.DAY)


# --- properties --------------------------------------------------------------------------

Lang = Literal["en", "ko"]
LANGS: tuple[Lang, ...] = ("en", "ko")


def _assert_round_trip(parsed: FuzzyDate) -> None:
    for lang in LANGS:
        written = format_date(parsed, lang)
        again = parse_date(written)
        assert (again.start, again.end, again.precision) == (
            parsed.start,
            parsed.end,
            parsed.precision,
        ), f"{parsed.as_told!r} -> {written!r} ({lang}) -> {again}"
        assert again.warning is None, written


def _assert_consistent(parsed: FuzzyDate) -> None:
    assert parsed.warning != INTERNAL_ERROR
    if parsed.is_known:
        assert parsed.start is not None and parsed.end is not None
        assert parsed.start <= parsed.end
        assert parsed.precision is not P.UNKNOWN
    else:
        assert parsed.precision is P.UNKNOWN


@given(st.text())
@example("\ud800")
@example("2005-03-14" * 20)
@example("- - - - - - - - - - - - - - - - - - - - - - - - - - - -")
@example("around 9999")
@example("1000?")
@example("winter 2999")
def test_parse_date_never_raises(text: str) -> None:
    parsed = parse_date(text)
    assert parsed.as_told == text
    _assert_consistent(parsed)


years = st.integers(1001, 2980)
months = st.integers(1, 12)
month_names = st.sampled_from(list(calendar.month_name)[1:])
parts = st.sampled_from(["early", "mid", "late"])


@st.composite
def told_dates(draw: st.DrawFn) -> str:
    """A date as a witness might tell it, in any form the parser documents."""
    year = draw(years)
    month = draw(months)
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    name = calendar.month_name[month]
    other_year = draw(st.integers(year + 1, min(year + 12, 2998)))
    decade = year // 10 * 10
    forms = [
        f"{day} {name} {year}",
        f"{name} {day}, {year}",
        f"{year}-{month:02d}-{day:02d}",
        f"{day}/{month}/{year}",
        f"{year}.{month}.{day}",
        f"{year}년 {month}월 {day}일",
        f"{name[:3]} {year}",
        f"{year}-{month:02d}",
        f"{year}년 {month}월",
        f"{draw(st.sampled_from(['spring', 'summer', 'autumn', 'fall', 'winter']))} {year}",
        f"{year}년 {draw(st.sampled_from(['봄', '여름', '가을', '겨울']))}",
        f"{draw(parts)} {year}",
        f"{draw(parts)} {name} {year}",
        f"{year}년 {draw(st.sampled_from(['초', '중반', '말', '상반기', '하반기']))}",
        f"{year}년 {month}월 {draw(st.sampled_from(['초순', '중순', '하순', '초', '말']))}",
        f"{year}",
        f"{year}년",
        f"{draw(st.sampled_from(['around', 'about', 'c.', 'circa', '~']))} {year}",
        f"{year}?",
        f"{year}년{draw(st.sampled_from(['경', ' 무렵', '쯤']))}",
        f"around {name} {year}",
        f"around {day} {name} {year}",
        f"{year}년 {month}월 {day}일경",
        f"{year} or {other_year}",
        f"{year}-{other_year}",
        f"{year}~{other_year}년",
        f"{year}년 또는 {other_year}년",
        f"around {year} or {other_year}",
        f"{decade}s",
        f"{draw(parts)} {decade}s",
        f"{decade}년대 {draw(st.sampled_from(['초반', '중반', '후반']))}",
        f"{draw(st.integers(1, 28))} to {draw(st.integers(1, 28))} {name} {year}",
        f"{name} to {calendar.month_name[draw(months)]} {year}",
        f"{year}년 {month}월~{draw(months)}월",
        f"{draw(months)}/{draw(st.integers(1, 12))}/{year}",
        f"{draw(parts)} {year} or {draw(parts)} {other_year}",
        f"{name} {year} to {other_year}",
    ]
    return draw(st.sampled_from(forms))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(told_dates())
def test_documented_forms_parse_and_survive_format_round_trip(text: str) -> None:
    parsed = parse_date(text)
    assert parsed.is_known, text
    _assert_consistent(parsed)
    _assert_round_trip(parsed)


# Words and numbers that dates are made of, to reach odd combinations of them.
VOCABULARY = [
    *("2005", "2006", "1999", "1990s", "'05", "90s", "14", "3", "12", "31", "29", "2"),
    *("March", "feb", "Sept.", "spring", "winter", "early", "mid-", "late", "first", "half"),
    *("around", "c.", "?", "or", "to", "-", "~", "/", ".", "and", "between", "the", "of"),
    *("2005년", "3월", "14일", "봄", "겨울", "초", "말", "중순", "1990년대", "후반", "경"),
    *("또는", "부터", "까지", "에", "무렵", "상반기"),
]


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=6), st.booleans())
def test_any_readable_combination_survives_format_round_trip(
    words: list[str], spaced: bool
) -> None:
    parsed = parse_date((" " if spaced else "").join(words))
    _assert_consistent(parsed)
    if parsed.is_known:
        _assert_round_trip(parsed)
