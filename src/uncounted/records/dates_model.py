"""The fuzzy-date value type: a date as told, with the range it stands for.

The parsing and formatting rules live in ``dates_parse`` and ``dates_format``;
the conventions they follow are documented once, in ``uncounted.records.dates``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Precision(StrEnum):
    """How finely a told date pins down when something happened.

    The values are the lowercase names; they are what CSV and JSON files hold.
    """

    DAY = "day"
    MONTH = "month"
    SEASON = "season"
    PART_OF_YEAR = "part_of_year"
    """Early, mid or late (or a half) of a year, or early, mid or late of a month."""
    YEAR = "year"
    AROUND = "around"
    """An approximate year (that year +-1), month (+-1 month) or day (+-7 days)."""
    YEARS = "years"
    """Several whole years: ``2007 or 2008``, ``2007-2010``."""
    DECADE = "decade"
    """A decade or its early, mid or late part: ``1990s``, ``late 1990s``."""
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class FuzzyDate:
    """A date as a witness told it, and the inclusive range of days it allows.

    Parameters
    ----------
    as_told : str
        The text exactly as given.
    start, end : datetime.date or None
        First and last day (inclusive) the text allows; both None when unknown.
    precision : Precision
        The form of the told date (see ``uncounted.records.dates`` for each
        form's range).
    warning : str or None
        What a reviewer should check: the text was not understood, or it was
        read in more than one way. Never contains the told text itself, so it
        can be logged.

    Raises
    ------
    ValueError
        If only one of ``start`` and ``end`` is given, or ``start`` is after ``end``.
    """

    as_told: str
    start: datetime.date | None
    end: datetime.date | None
    precision: Precision
    warning: str | None = None

    def __post_init__(self) -> None:
        if (self.start is None) != (self.end is None):
            raise ValueError("a fuzzy date needs both start and end, or neither")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")

    @property
    def is_known(self) -> bool:
        """True when the date has a range (``start`` and ``end`` are set)."""
        return self.start is not None and self.end is not None

    @property
    def width_days(self) -> int | None:
        """Number of days in the range, counting both ends; None when unknown."""
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).days + 1

    @property
    def midpoint(self) -> datetime.date | None:
        """The middle day of the range (the earlier one when the width is even)."""
        if self.start is None or self.end is None:
            return None
        return self.start + (self.end - self.start) // 2

    def overlaps(self, other: FuzzyDate) -> bool:
        """True when both ranges are known and share at least one day.

        An unknown date overlaps nothing: it has no range to compare.
        """
        if self.start is None or self.end is None or other.start is None or other.end is None:
            return False
        return self.start <= other.end and other.start <= self.end

    def gap_days(self, other: FuzzyDate) -> int | None:
        """Days from the end of the earlier range to the start of the later one.

        0 when the ranges overlap, 1 when one ends the day before the other
        starts, None when either date is unknown.
        """
        if self.start is None or self.end is None or other.start is None or other.end is None:
            return None
        if self.end < other.start:
            return (other.start - self.end).days
        if other.end < self.start:
            return (self.start - other.end).days
        return 0

    def to_dict(self) -> dict[str, str | None]:
        """The four columns stored in CSV and JSON: ``as_told``, ``start``, ``end``, ``precision``.

        Dates are ISO ``YYYY-MM-DD`` strings or None.
        """
        return {
            "as_told": self.as_told,
            "start": self.start.isoformat() if self.start is not None else None,
            "end": self.end.isoformat() if self.end is not None else None,
            "precision": self.precision.value,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, str | None]) -> FuzzyDate:
        """Rebuild a fuzzy date from ``to_dict`` output (the warning is not stored there).

        Empty strings are read as None; a missing or empty precision as unknown.

        Raises
        ------
        ValueError
            If a date is not ISO ``YYYY-MM-DD``, the precision is not a
            ``Precision`` value, or the range is inconsistent.
        """
        start_text = data.get("start") or None
        end_text = data.get("end") or None
        return cls(
            as_told=data.get("as_told") or "",
            start=datetime.date.fromisoformat(start_text) if start_text else None,
            end=datetime.date.fromisoformat(end_text) if end_text else None,
            precision=Precision(data.get("precision") or Precision.UNKNOWN.value),
        )
