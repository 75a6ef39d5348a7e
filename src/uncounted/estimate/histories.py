"""Capture histories: which lists (collections) documented each item, the input of every
multiple systems estimator.

A capture history is a 0/1 vector over ``k`` lists; the data are the counts of items with
each observed history. The all-zero history (seen by no list) is never observed: estimating
its count is the whole point of multiple systems estimation.

Cell indexing convention, shared by every estimator in this package: list ``j`` (0-based,
in column order) is bit ``j`` of the cell index, so the history ``x`` lives in cell
``sum_j x_j * 2**j`` of :meth:`CaptureHistories.full_table`, and cell 0 is the unobserved
cell. This is the column-major order of a ``2 x ... x 2`` array in R, as the dga and
Rcapture packages use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any, Self

import numpy as np
import pandas as pd

from uncounted.errors import ConfigurationError, Problem, ValidationError

__all__ = ["CaptureHistories"]

_FRAME_SOURCE = "<data frame>"
# Stop collecting after this many problems: a wrong file can have millions of bad cells and
# the first few hundred already say what is wrong.
_MAX_PROBLEMS = 1000
_TRUE_WORDS = {"1", "1.0", "true"}
_FALSE_WORDS = {"0", "0.0", "false"}


@dataclass(frozen=True)
class CaptureHistories:
    """Counts of items by the set of lists that documented them.

    Build with :meth:`from_frame` or :meth:`from_csv`, which validate the input; the
    constructor only checks shapes.

    Attributes
    ----------
    lists : tuple of str
        List (collection) names, in column order; list ``j`` is bit ``j`` of a cell index.
    patterns : numpy.ndarray
        ``(P, k)`` uint8 array of 0/1: the distinct observed histories, none all-zero,
        sorted by cell index.
    counts : numpy.ndarray
        ``(P,)`` int64 array, every entry > 0: number of items with each history.
    """

    lists: tuple[str, ...]
    patterns: np.ndarray[Any, np.dtype[np.uint8]]
    counts: np.ndarray[Any, np.dtype[np.int64]]

    def __post_init__(self) -> None:
        k = len(self.lists)
        if self.patterns.ndim != 2 or self.patterns.shape[1] != k:
            raise ValueError(f"patterns must have shape (P, {k}), got {self.patterns.shape}")
        if self.counts.shape != (self.patterns.shape[0],):
            raise ValueError("counts must have one entry per pattern")
        if len(set(self.lists)) != k:
            raise ValueError(f"list names must be distinct, got {self.lists}")

    @property
    def k(self) -> int:
        """Number of lists."""
        return len(self.lists)

    @property
    def n_observed(self) -> int:
        """Number of items documented by at least one list."""
        return int(self.counts.sum())

    @property
    def cells(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Cell index ``sum_j x_j 2**j`` of each pattern."""
        weights = np.left_shift(np.int64(1), np.arange(self.k, dtype=np.int64))
        return np.asarray(self.patterns.astype(np.int64) @ weights, dtype=np.int64)

    def full_table(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Counts of all ``2**k`` cells indexed by pattern bits; cell 0 (unobserved) is 0."""
        table = np.zeros(2**self.k, dtype=np.int64)
        np.add.at(table, self.cells, self.counts)
        return table

    def list_totals(self) -> pd.Series:
        """Number of items each list documented."""
        totals = self.patterns.astype(np.int64).T @ self.counts
        return pd.Series(totals, index=list(self.lists), name="count")

    def to_frame(self) -> pd.DataFrame:
        """One row per observed history: a 0/1 column per list, then ``count``."""
        frame = pd.DataFrame(self.patterns.astype(np.int64), columns=list(self.lists))
        frame["count"] = self.counts
        return frame

    @classmethod
    def from_table(cls, table: Sequence[int] | np.ndarray[Any, Any], lists: Sequence[str]) -> Self:
        """Build from a full table of ``2**k`` counts in cell-index order.

        Cell 0 (the unobserved cell) must be 0; zero cells are dropped.
        """
        names = tuple(str(name) for name in lists)
        counts = np.asarray(table)
        k = len(names)
        if counts.shape != (2**k,):
            raise ValueError(f"a table over {k} lists needs {2**k} cells, got {counts.shape}")
        if counts[0] != 0:
            raise ValueError("cell 0 (seen by no list) must be 0")
        if np.any(counts < 0) or not np.all(np.equal(np.mod(counts, 1), 0)):
            raise ValueError("cell counts must be non-negative integers")
        cells = np.flatnonzero(counts)
        bits = (cells[:, None] >> np.arange(k)[None, :]) & 1
        return cls(names, bits.astype(np.uint8), counts[cells].astype(np.int64))

    @classmethod
    def from_frame(
        cls,
        df: pd.DataFrame,
        lists: Sequence[str] | None = None,
        count: str | None = "count",
    ) -> Self:
        """Validate and aggregate a frame of capture histories.

        Parameters
        ----------
        df : pandas.DataFrame
            Either aggregated (one row per history, with a count column) or one row per
            item (no count column: identical rows are counted). List columns hold 0/1;
            ``True``/``False``, ``"0"``/``"1"`` and ``0.0``/``1.0`` are accepted.
        lists : sequence of str, optional
            List columns, in order. Default: every column except the count column.
        count : str or None
            Name of the count column. If None, or if ``df`` has no such column, each row is
            one item.

        Raises
        ------
        ValidationError
            Listing every problem (row numbers count data rows from 1): values other than
            0/1, missing values, rows seen by no list, counts that are not non-negative
            integers, fewer than two lists, no item at all.
        """
        return cls._validated(df, lists, count, source=_FRAME_SOURCE, first_row=1)

    @classmethod
    def from_csv(
        cls,
        path: str | PathLike[str],
        lists: Sequence[str] | None = None,
        count: str | None = "count",
    ) -> Self:
        """Read a CSV of capture histories (a 0/1 column per list, optionally ``count``).

        Problems are reported with the file name and the line number in the file (the
        header is line 1), the column and the value found.
        """
        file = Path(path)
        try:
            df = pd.read_csv(file, dtype=str, keep_default_na=False, skipinitialspace=True)
        except FileNotFoundError as exc:
            raise ConfigurationError(f"capture-history file not found: {file}") from exc
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise ValidationError(
                [Problem(str(file), None, None, None, f"a readable CSV file ({exc})")]
            ) from exc
        return cls._validated(df, lists, count, source=str(file), first_row=2)

    @classmethod
    def _validated(
        cls,
        df: pd.DataFrame,
        lists: Sequence[str] | None,
        count: str | None,
        *,
        source: str,
        first_row: int,
    ) -> Self:
        problems: list[Problem] = []
        columns = [str(c) for c in df.columns]
        frame = df.set_axis(columns, axis=1)
        has_count = count is not None and count in columns
        if len(set(columns)) != len(columns):
            dupes = sorted({c for c in columns if columns.count(c) > 1})
            problems.append(Problem(source, None, ", ".join(dupes), None, "distinct column names"))
            raise ValidationError(problems, outcome="nothing was estimated")
        if lists is None:
            names = [c for c in columns if not (has_count and c == count)]
        else:
            names = [str(name) for name in lists]
            for name in names:
                if name not in columns:
                    problems.append(Problem(source, None, name, None, "a column with this name"))
            if len(set(names)) != len(names):
                problems.append(Problem(source, None, None, str(names), "distinct list names"))
        if has_count and count in names:
            problems.append(Problem(source, None, count, None, "the count column not a list"))
        if len(names) < 2:
            problems.append(
                Problem(source, None, None, ", ".join(names), "at least two list columns")
            )
        if problems:
            raise ValidationError(problems, outcome="nothing was estimated")

        rows = first_row + np.arange(len(frame))
        bits = np.zeros((len(frame), len(names)), dtype=np.uint8)
        bad_cells = np.zeros((len(frame), len(names)), dtype=bool)
        for j, name in enumerate(names):
            values, bad = _parse_binary(frame[name])
            bits[:, j] = values
            bad_cells[:, j] = bad
            for i in np.flatnonzero(bad)[:_MAX_PROBLEMS]:
                problems.append(
                    Problem(source, int(rows[i]), name, _show(frame[name].iloc[i]), "0 or 1")
                )

        if has_count:
            assert count is not None
            counts, bad = _parse_count(frame[count])
            for i in np.flatnonzero(bad)[:_MAX_PROBLEMS]:
                problems.append(
                    Problem(
                        source,
                        int(rows[i]),
                        count,
                        _show(frame[count].iloc[i]),
                        "a non-negative whole number",
                    )
                )
        else:
            counts = np.ones(len(frame), dtype=np.int64)
            bad = np.zeros(len(frame), dtype=bool)

        unseen = (bits.sum(axis=1) == 0) & ~bad_cells.any(axis=1) & ~bad & (counts > 0)
        for i in np.flatnonzero(unseen)[:_MAX_PROBLEMS]:
            problems.append(
                Problem(
                    source,
                    int(rows[i]),
                    None,
                    "0 in every list",
                    "at least one list marked 1 (the unobserved count is what is estimated)",
                )
            )
        if problems:
            raise ValidationError(problems[:_MAX_PROBLEMS], outcome="nothing was estimated")

        keep = counts > 0
        if not keep.any():
            raise ValidationError(
                [Problem(source, None, None, None, "at least one observed item (count > 0)")]
            )
        weights = np.left_shift(np.int64(1), np.arange(len(names), dtype=np.int64))
        cells = bits[keep].astype(np.int64) @ weights
        distinct, inverse = np.unique(cells, return_inverse=True)
        summed = np.zeros(len(distinct), dtype=np.int64)
        np.add.at(summed, inverse, counts[keep])
        patterns = ((distinct[:, None] >> np.arange(len(names))[None, :]) & 1).astype(np.uint8)
        return cls(tuple(names), patterns, summed)


def _show(value: object) -> str:
    return "<missing>" if _is_missing(value) else str(value)


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _parse_binary(
    column: pd.Series,
) -> tuple[np.ndarray[Any, np.dtype[np.uint8]], np.ndarray[Any, np.dtype[np.bool_]]]:
    """0/1 values of a list column and a mask of cells that are not 0/1."""
    if pd.api.types.is_bool_dtype(column) and not column.isna().any():
        return column.to_numpy(dtype=np.uint8), np.zeros(len(column), dtype=bool)
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        numbers = column.to_numpy(dtype=np.float64, na_value=np.nan)
        ok = (numbers == 0.0) | (numbers == 1.0)
        return np.where(ok, numbers, 0).astype(np.uint8), ~ok
    values = np.zeros(len(column), dtype=np.uint8)
    bad = np.zeros(len(column), dtype=bool)
    for i, raw in enumerate(column.tolist()):
        # bool is an int, so True/False pass this test too.
        if isinstance(raw, int | np.integer | float | np.floating | np.bool_) and raw in (0, 1):
            values[i] = int(raw)
        elif isinstance(raw, str) and raw.strip().lower() in _TRUE_WORDS:
            values[i] = 1
        elif not (isinstance(raw, str) and raw.strip().lower() in _FALSE_WORDS):
            bad[i] = True
    return values, bad


def _parse_count(
    column: pd.Series,
) -> tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.bool_]]]:
    """Counts of a count column and a mask of cells that are not non-negative integers."""
    if pd.api.types.is_bool_dtype(column):
        return np.zeros(len(column), dtype=np.int64), np.ones(len(column), dtype=bool)
    numbers = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    ok = np.isfinite(numbers) & (numbers >= 0) & (np.mod(numbers, 1) == 0) & (numbers < 2.0**62)
    return np.where(ok, numbers, 0).astype(np.int64), ~ok
