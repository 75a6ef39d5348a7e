"""Fuzzy dates: dates as witnesses tell them, read into a range of days.

``parse_date(text)`` returns a ``FuzzyDate``: the text as told, the first and
last day it allows (inclusive), and its ``Precision``. ``format_date(value,
lang)`` writes it back in English or Korean; parsing that text gives the same
range and precision again.

Conventions
-----------
Every range is inclusive and in the proleptic Gregorian calendar. By form:

- day: "14 March 2005", "March 14, 2005", "2005-03-14", "2005.3.14",
  "20050314", "2005년 3월 14일" -- that day.
- month: "March 2005", "Mar 2005", "2005-03", "3/2005", "2005년 3월" -- the
  whole month.
- season: "spring 2005", "2005년 봄" -- spring March-May, summer June-August,
  autumn (fall) September-November, winter December 2005 to February 2006.
- part_of_year: "early / mid / late 2005", "2005년 초 / 중반 / 말" -- January-April /
  May-August / September-December; "first / second half of 2005", "2005년
  상반기 / 하반기" -- January-June / July-December; "early / mid / late March
  2005", "2005년 3월 초순 / 중순 / 하순" -- days 1-10 / 11-20 / 21 to the month's end.
- year: "2005", "2005년" -- the whole year.
- around: "around 2008", "about", "c.", "ca.", "circa", "2008?", "~2008",
  "2008년경 / 무렵 / 쯤" -- 2007-01-01 to 2009-12-31 (the year +-1);
  "around March 2008", "2008년 3월경" -- February to April 2008 (+-1 month);
  "around 14 March 2008" -- 7 to 21 March 2008 (+-7 days).
- years: "2007 or 2008", "2007-2008", "2007 to 2008", "2007~2008년",
  "2007년 또는 2008년" -- 2007-01-01 to 2008-12-31.
- decade: "1990s", "1990년대" -- 1990-1999; "early / mid / late 1990s",
  "1990년대 초반 / 중반 / 후반" -- 1990-1993 / 1994-1996 / 1997-1999.
- unknown: "unknown", "모름", "don't know", "미상", empty -- no range, no warning.

Seasons are those of Korea (northern hemisphere), taken as the meteorological
seasons of three whole months. Winter belongs to the year in which it begins,
so "winter 2005" and "2005년 겨울" are December 2005 to February 2006; "winter
2005-06" and "2005~2006년 겨울" are read the same way. (A witness who says
"2005년 겨울" of January 2005 is misread by two months; the interviewer should
record "2005년 1월" or "winter 2004" instead.) "2005 spring" is spring 2005.

Early, mid and late split a year into thirds of four months each, and a month
into the Korean 상순 (초순) / 중순 / 하순 thirds of ten days (the last part runs to the
month's end). A decade splits 4/3/3 years, as "the early nineties" usually
reaches 1993 and "the late nineties" starts in 1997. Korean 초 / 초반 / 초순 /
연초 mean early, 중반 / 중순 mid, 말 / 후반 / 하순 / 연말 late.

Approximate words (around, about, approximately, roughly, c., ca., circa, ~,
maybe, a trailing ?, "or so", "-ish"; 약, 대략, 아마, and the suffixes 경, 쯤,
무렵, 께, 즈음, 정도, 전후) widen a single year by one year each way, a month
by one month, a day by seven days. Seasons, parts of years or months, decades
and approximate dates already carry their uncertainty and are not widened.

Spans. Two dates joined by "or", "to", "until", "through", "and", "-", "~",
"/", 또는, 혹은, 아니면, 이나, 내지, 부터...까지, 에서, 과/와...사이 (with an
optional "between"/"from" before them) give the smallest range holding both.
A span's precision depends only on where its ends fall: whole years give year
(one) or years (several), whole months give month, anything else day. So
"spring to summer 2005" is month precision, March to August 2005, and a
precision wider than one unit (``width_days`` more than a day or a month) means
the witness gave alternatives or a span. A side may borrow what it lacks from
the other: "14 to 20 March 2005", "March-May 2005", "2005년 3월~5월",
"2005년 3~5월", "1998-99". An approximate word at the outer edge of one side
only ("around 2007 or 2008", "2007~2008년경") widens the whole span; on each
side it widens that side.

Numbers. ``YYYY-MM-DD``, ``YYYY.M.D``, ``YYYY/MM/DD`` and ``YYYYMMDD`` are year
first; ``YYYY-MM``, ``YYYY.M``, ``M/YYYY`` are months (so "2005-12" is December
2005, never 2005-2012). For ``a/b/YYYY`` (also with "." or "-") the reading
that is a real day is taken; when both are (03/04/2005), the result covers
both readings (4 March to 3 April 2005, day precision) and ``warning`` says
so. A two-digit year ('05, 90s, 05년) below 30 is 20xx, otherwise 19xx. A
shortened end year ("1998-99", "2000-14") is the first later year with those
digits, if that is at most 30 years on ("2005-00" is not read). Years outside
1000-2999 are not read as years.

Spelling. Text is NFKC-normalised (full-width digits and punctuation become
ASCII), the Hanja units 年 月 日 read as 년 월 일, and case, extra spaces, trailing punctuation, ordinal suffixes (14th),
commas and the filler words in, the, of, on, at, during, sometime, year, week
days, 에, 중, 때 and 달 are ignored; "beginning"/"start" read as early,
"middle" as mid, "end" as late ("end of 2005" is late 2005).

Unreadable text keeps its ``as_told`` with no range, precision unknown and a
``warning`` that never quotes the text (it may name people); so does text
longer than 120 characters. Open ranges ("before 2005", "2005년 이후") are not
read. ``parse_date`` never raises for a ``str``.
"""

from __future__ import annotations

from uncounted.records.dates_format import format_date
from uncounted.records.dates_model import FuzzyDate, Precision
from uncounted.records.dates_parse import parse_date

__all__ = ["FuzzyDate", "Precision", "format_date", "parse_date"]
