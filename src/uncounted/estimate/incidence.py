"""Incidence frequencies: how many items (events) were reported by exactly k sampling units.

The input of the unseen-item estimators (Chao2, iChao2, jackknife, ICE) and of the
rarefaction/extrapolation curves. Events play the part of "species" and interviewees (or any
other sampling units) the part of sampling units: ``Q_k`` is the number of events that exactly
``k`` of the ``T`` interviewees reported (Chao et al. 2014, *Ecol. Monogr.* 84:45, incidence
data). ``Q_0``, the number of events no interviewee reported, is what the estimators estimate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any, Self

import numpy as np
import pandas as pd

from uncounted.errors import ConfigurationError, Problem, ValidationError

__all__ = ["IncidenceFrequencies"]

_FRAME_SOURCE = "<data frame>"
_MAX_PROBLEMS = 1000


class IncidenceFrequencies:
    """Counts ``Q_k`` of items reported by exactly ``k`` of ``T`` sampling units.

    Parameters
    ----------
    T : int
        Number of sampling units (interviewees, surveys, sites), at least 1.
    counts : mapping or sequence of int
        Either a mapping ``{k: Q_k}`` (``k`` from 1 to ``T``; missing ``k`` mean 0), or a
        sequence ``(Q_1, Q_2, ..., Q_m)`` with ``m <= T`` (position ``i`` holds ``Q_{i+1}``).

    Raises
    ------
    ValueError
        On a ``k`` outside ``1..T`` with a positive count, a negative or fractional count, or
        no item at all. Use :meth:`from_csv` or :meth:`from_frame` for validated input with
        row-by-row problems.

    Examples
    --------
    >>> freqs = IncidenceFrequencies(11, {1: 6, 2: 4, 3: 5, 4: 2, 6: 2})
    >>> freqs.n_observed, freqs.q(1), freqs.total_incidences
    (19, 6, 49)
    """

    __slots__ = ("_Q", "_T")

    def __init__(self, T: int, counts: Mapping[int, int] | Sequence[int] | np.ndarray[Any, Any]):
        if isinstance(T, bool) or int(T) != T or T < 1:
            raise ValueError(
                f"T (the number of sampling units) must be a positive integer, got {T}"
            )
        units = int(T)
        table = np.zeros(units + 1, dtype=np.int64)
        if isinstance(counts, Mapping):
            pairs = [(int(k), v) for k, v in counts.items()]
        else:
            pairs = [(i + 1, v) for i, v in enumerate(np.asarray(counts).tolist())]
        for k, value in pairs:
            if isinstance(value, bool) or float(value) != int(value) or value < 0:
                raise ValueError(f"Q_{k} must be a non-negative integer, got {value}")
            if value == 0:
                continue
            if not 1 <= k <= units:
                raise ValueError(f"k must be between 1 and T = {units}, got k = {k}")
            table[k] += int(value)
        if table.sum() == 0:
            raise ValueError("no item was reported by any sampling unit")
        self._T = units
        self._Q = table

    @property
    def T(self) -> int:
        """Number of sampling units."""
        return self._T

    @property
    def Q(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Array of length ``T + 1``: ``Q[k]`` items reported by exactly ``k`` units; ``Q[0] = 0``."""
        return self._Q.copy()

    def q(self, k: int) -> int:
        """``Q_k``, 0 outside ``1..T``."""
        return int(self._Q[k]) if 0 <= k <= self._T else 0

    @property
    def counts(self) -> dict[int, int]:
        """The non-zero ``{k: Q_k}``."""
        return {int(k): int(v) for k, v in enumerate(self._Q) if v > 0}

    @property
    def n_observed(self) -> int:
        """``S_obs``: number of distinct items reported at least once."""
        return int(self._Q.sum())

    @property
    def total_incidences(self) -> int:
        """``U = sum_k k Q_k``: number of (unit, item) reports."""
        return int(np.arange(self._T + 1) @ self._Q)

    def incidences(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Incidence count ``y_i`` of every observed item, in increasing order."""
        return np.repeat(np.arange(self._T + 1, dtype=np.int64), self._Q)

    def to_frame(self) -> pd.DataFrame:
        """The non-zero frequencies as a ``k,count`` frame (the CSV layout)."""
        ks = np.flatnonzero(self._Q)
        return pd.DataFrame({"k": ks.astype(np.int64), "count": self._Q[ks]})

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IncidenceFrequencies):
            return NotImplemented
        return self._T == other._T and bool(np.array_equal(self._Q, other._Q))

    def __hash__(self) -> int:
        return hash((self._T, self._Q.tobytes()))

    def __repr__(self) -> str:
        return f"IncidenceFrequencies(T={self._T}, counts={self.counts})"

    # ------------------------------------------------------------------ builders

    @classmethod
    def from_incidences(cls, T: int, incidences: Sequence[int] | np.ndarray[Any, Any]) -> Self:
        """Build from the incidence count of every item (zeros are ignored)."""
        y = np.asarray(incidences, dtype=np.int64)
        y = y[y > 0]
        if y.size and y.max() > T:
            raise ValueError(f"an item has {int(y.max())} incidences but T = {T}")
        return cls(T, np.bincount(y, minlength=int(T) + 1)[1:])

    @classmethod
    def from_frame(
        cls,
        df: pd.DataFrame,
        T: int,
        k: str = "k",
        count: str = "count",
    ) -> Self:
        """Validate a ``k,count`` frame (see :meth:`from_csv`); rows are numbered from 1."""
        return cls._validated(df, T, k, count, source=_FRAME_SOURCE, first_row=1)

    @classmethod
    def from_csv(
        cls,
        path: str | PathLike[str],
        T: int,
        k: str = "k",
        count: str = "count",
    ) -> Self:
        """Read a CSV with columns ``k,count``: ``count`` items were reported by exactly ``k``
        of the ``T`` sampling units (the layout of ``shared/data/mse/*_freq.csv``).

        Rows with ``count`` 0 are allowed; repeated ``k`` are an error. Problems are reported
        all at once with the file name, the line number in the file (header = line 1), the
        column and the value found.
        """
        file = Path(path)
        try:
            df = pd.read_csv(file, dtype=str, keep_default_na=False, skipinitialspace=True)
        except FileNotFoundError as exc:
            raise ConfigurationError(f"incidence file not found: {file}") from exc
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise ValidationError(
                [Problem(str(file), None, None, None, f"a readable CSV file ({exc})")]
            ) from exc
        return cls._validated(df, T, k, count, source=str(file), first_row=2)

    @classmethod
    def from_reports(
        cls,
        df: pd.DataFrame,
        unit: str = "source_id",
        item: str = "event_id",
        T: int | None = None,
    ) -> Self:
        """Count, for each item, the distinct sampling units that reported it.

        Parameters
        ----------
        df : pandas.DataFrame
            One row per report (e.g. linked reports: who reported which event). A unit that
            reports the same item several times counts once.
        unit, item : str
            Columns naming the sampling unit (interviewee) and the item (event).
        T : int, optional
            Number of sampling units. Default: the number of distinct units in ``df``. Give it
            when some interviewees reported no event at all: they are sampling units too, and
            leaving them out overstates every event's detection rate.

        Raises
        ------
        ValidationError
            Missing columns, empty unit or item cells, ``T`` smaller than the number of units.
        """
        problems: list[Problem] = []
        for column in (unit, item):
            if column not in df.columns:
                problems.append(
                    Problem(_FRAME_SOURCE, None, column, None, "a column with this name")
                )
        if problems:
            raise ValidationError(problems, outcome="nothing was estimated")
        pairs = df[[unit, item]]
        for column in (unit, item):
            values = pairs[column]
            blank = values.isna() | (values.astype(str).str.strip() == "")
            for i in np.flatnonzero(blank.to_numpy())[:_MAX_PROBLEMS]:
                problems.append(
                    Problem(_FRAME_SOURCE, int(i) + 1, column, "<missing>", f"a {column} value")
                )
        if problems:
            raise ValidationError(problems, outcome="nothing was estimated")
        distinct = pairs.drop_duplicates()
        n_units = int(distinct[unit].nunique())
        units = n_units if T is None else int(T)
        if units < n_units:
            raise ValidationError(
                [
                    Problem(
                        _FRAME_SOURCE,
                        None,
                        unit,
                        str(units),
                        f"T at least the {n_units} distinct units that reported something",
                    )
                ]
            )
        if distinct.empty:
            raise ValidationError([Problem(_FRAME_SOURCE, None, None, None, "at least one report")])
        per_item = distinct.groupby(item, sort=False)[unit].size().to_numpy(dtype=np.int64)
        return cls.from_incidences(units, per_item)

    @classmethod
    def from_histories(cls, histories: Any) -> Self:
        """Treat each list of a :class:`~uncounted.estimate.histories.CaptureHistories` as one
        sampling unit: ``T`` = number of lists, ``k`` = number of lists an item is on."""
        k_per_pattern = np.asarray(histories.patterns, dtype=np.int64).sum(axis=1)
        q = np.bincount(
            k_per_pattern, weights=np.asarray(histories.counts), minlength=histories.k + 1
        )
        return cls(int(histories.k), q[1:].astype(np.int64))

    @classmethod
    def _validated(
        cls,
        df: pd.DataFrame,
        T: int,
        k: str,
        count: str,
        *,
        source: str,
        first_row: int,
    ) -> Self:
        problems: list[Problem] = []
        if isinstance(T, bool) or int(T) != T or T < 1:
            raise ValidationError(
                [
                    Problem(
                        source,
                        None,
                        None,
                        str(T),
                        "a positive number of sampling units T (give it with --units)",
                    )
                ]
            )
        columns = [str(c).strip() for c in df.columns]
        frame = df.set_axis(columns, axis=1)
        for name in (k, count):
            if name not in columns:
                problems.append(
                    Problem(
                        source,
                        None,
                        name,
                        None,
                        f"a column named {name!r} (incidence files have columns {k},{count})",
                    )
                )
        if problems:
            raise ValidationError(problems, outcome="nothing was estimated")
        ks = _whole_numbers(frame[k])
        counts = _whole_numbers(frame[count])
        table = np.zeros(int(T) + 1, dtype=np.int64)
        seen: dict[int, int] = {}
        for i in range(len(frame)):
            row = first_row + i
            k_value, c_value = ks[i], counts[i]
            raw_k, raw_c = str(frame[k].iloc[i]), str(frame[count].iloc[i])
            if c_value is None or c_value < 0:
                problems.append(Problem(source, row, count, raw_c, "a non-negative whole number"))
            if k_value is None or k_value < 0:
                problems.append(Problem(source, row, k, raw_k, "a whole number from 1 to T"))
                continue
            if k_value in seen:
                problems.append(
                    Problem(source, row, k, raw_k, f"each k once (also on row {seen[k_value]})")
                )
                continue
            seen[k_value] = row
            if c_value is None or c_value <= 0:
                continue
            if k_value == 0:
                problems.append(
                    Problem(
                        source,
                        row,
                        k,
                        raw_k,
                        "k of at least 1 (items no unit reported are what is estimated)",
                    )
                )
            elif k_value > T:
                problems.append(
                    Problem(
                        source,
                        row,
                        k,
                        raw_k,
                        f"at most T = {T}, the number of sampling units "
                        "(check --units: an item cannot be reported by more units than there are)",
                    )
                )
            else:
                table[k_value] = c_value
            if len(problems) >= _MAX_PROBLEMS:
                break
        if problems:
            raise ValidationError(problems, outcome="nothing was estimated")
        if table.sum() == 0:
            raise ValidationError(
                [Problem(source, None, count, None, "at least one item (a positive count)")]
            )
        return cls(int(T), table[1:])


def _whole_numbers(column: pd.Series) -> list[int | None]:
    """Each cell as an int, or None where it is not a whole number."""
    numbers = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    out: list[int | None] = []
    for x in numbers:
        ok = bool(np.isfinite(x)) and float(x).is_integer() and abs(x) < 2.0**62
        out.append(int(x) if ok else None)
    return out
