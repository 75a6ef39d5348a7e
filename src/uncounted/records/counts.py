"""Numbers as told: how many victims ("3", "2-3", "several", "수 명"), how old ("30s", "about 40").

A count or age is read into an inclusive range ``(low, high)``; either end is None when
unknown. Text that is not a number is kept as told by the caller; :func:`parse_count`
reports it with ``ok=False`` so that an importer can say what to fix.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Words for vague quantities and the ranges we read them as. "Several" is read as 2-9,
# "many" as 3-30: wide on purpose, so that vagueness stays visible as uncertainty.
_VAGUE: dict[str, tuple[int, int | None]] = {
    "one": (1, 1),
    "two": (2, 2),
    "three": (3, 3),
    "four": (4, 4),
    "five": (5, 5),
    "a few": (2, 5),
    "few": (2, 5),
    "several": (2, 9),
    "some": (2, 9),
    "many": (3, 30),
    "dozens": (24, 99),
    "몇 명": (2, 9),
    "몇명": (2, 9),
    "수 명": (2, 9),
    "수명": (2, 9),
    "여러 명": (2, 9),
    "여러명": (2, 9),
    "수십 명": (20, 99),
    "수십명": (20, 99),
    "한 명": (1, 1),
    "두 명": (2, 2),
    "세 명": (3, 3),
    "네 명": (4, 4),
    "다섯 명": (5, 5),
}
_UNKNOWN = {"", "unknown", "?", "모름", "unk", "n/a", "na", "don't know", "dont know", "미상"}

_RANGE = re.compile(r"^(\d{1,6})\s*(?:-|–|~|to|or|에서)\s*(\d{1,6})\s*(?:명|people|persons)?$")
_SINGLE = re.compile(
    r"^(?:about|around|approx\.?|c\.|약|대략)?\s*(\d{1,6})\s*(?:명|people|persons|\+)?(?:\s*정도|\s*가량|쯤)?$"
)
_DECADE_AGE = re.compile(r"^(?:early |mid |late )?(\d)0s$|^(\d)0대(?: 초반| 중반| 후반)?$")
_NEGATIVE = re.compile(r"^-\s*\d")
COUNT_MAXIMUM = 1000
"""The largest number of victims :func:`parse_count` accepts for one event by default."""


@dataclass(frozen=True)
class CountReading:
    """A number as told, read into an inclusive range."""

    as_told: str
    low: int | None
    high: int | None
    ok: bool
    problem: str | None = None
    # The message code of ``problem`` (see uncounted.ingest.messages), for translation.
    problem_code: str = ""


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).strip().lower().split())


def parse_count(text: str, *, maximum: int = COUNT_MAXIMUM) -> CountReading:
    """Read a number of people as told.

    ``maximum`` bounds what is plausible for one event; larger numbers are refused with a
    problem message rather than silently stored.
    """
    t = _norm(text)
    if t in _UNKNOWN:
        return CountReading(text, None, None, True)
    if _NEGATIVE.match(t):
        return CountReading(text, None, None, False, "a count cannot be negative", "count_negative")
    if t in _VAGUE:
        low, high = _VAGUE[t]
        return CountReading(text, low, high, True)
    m = _RANGE.match(t)
    if m:
        low, high = int(m.group(1)), int(m.group(2))
        if low > high:
            low, high = high, low
        return _bounded(text, low, high, maximum)
    m = _SINGLE.match(t)
    if m:
        value = int(m.group(1))
        approximate = any(
            w in t for w in ("about", "around", "approx", "c.", "약", "대략", "정도", "가량", "쯤")
        )
        if t.endswith("+"):
            return _bounded(text, value, None, maximum)
        if approximate:
            spread = max(1, round(value * 0.2))
            return _bounded(text, max(value - spread, 1), value + spread, maximum)
        return _bounded(text, value, value, maximum)
    return CountReading(
        text,
        None,
        None,
        False,
        "a whole number, a range like 2-3, or a word like 'several'",
        "count_unreadable",
    )


def _bounded(text: str, low: int, high: int | None, maximum: int) -> CountReading:
    top = high if high is not None else low
    if top > maximum:
        return CountReading(
            text, None, None, False, f"at most {maximum} for one event", "count_too_large"
        )
    return CountReading(text, low, high, True)


def parse_age(text: str) -> CountReading:
    """Read an age as told: ``34``, ``about 40``, ``30s``, ``30대``, ``20-25``."""
    t = _norm(text)
    if t in _UNKNOWN:
        return CountReading(text, None, None, True)
    t = (
        t.removesuffix("세")
        .removesuffix("살")
        .removesuffix("years old")
        .removesuffix("yrs")
        .strip()
    )
    m = _DECADE_AGE.match(t)
    if m:
        decade = int(m.group(1) or m.group(2)) * 10
        low, high = decade, decade + 9
        if "early" in t or "초반" in t:
            high = decade + 3
        elif "mid" in t or "중반" in t:
            low, high = decade + 3, decade + 6
        elif "late" in t or "후반" in t:
            low = decade + 6
        return CountReading(text, low, high, True)
    reading = parse_count(t, maximum=120)
    if not reading.ok:
        return CountReading(
            text,
            None,
            None,
            False,
            "an age such as 34, 30s, 30대 or 'about 40' (0-120)",
            "age_unreadable",
        )
    return CountReading(text, reading.low, reading.high, True)
