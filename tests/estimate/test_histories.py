"""Tests of capture-history input handling (validation, aggregation, cell indexing)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uncounted.errors import ConfigurationError, ValidationError
from uncounted.estimate.histories import CaptureHistories

MSE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mse"
needs_data = pytest.mark.skipif(not MSE.is_dir(), reason=f"shared MSE data not found at {MSE}")


def test_cell_index_puts_list_j_on_bit_j() -> None:
    df = pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "C": [0, 0, 1], "count": [5, 7, 2]})
    h = CaptureHistories.from_frame(df)
    table = h.full_table()
    assert table.tolist() == [0, 5, 7, 0, 0, 0, 0, 2]
    assert h.n_observed == 14
    assert h.k == 3
    assert h.list_totals().to_dict() == {"A": 7, "B": 9, "C": 2}


def test_individual_rows_are_counted_and_equal_aggregated_input() -> None:
    individual = pd.DataFrame({"A": [1, 1, 0, 1], "B": [0, 0, 1, 1]})
    aggregated = pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "count": [2, 1, 1]})
    a = CaptureHistories.from_frame(individual)
    b = CaptureHistories.from_frame(aggregated)
    assert a.full_table().tolist() == b.full_table().tolist() == [0, 2, 1, 1]


def test_accepted_spellings_of_zero_and_one() -> None:
    df = pd.DataFrame(
        {
            "A": [True, False, True],
            "B": ["0", "1", " 1 "],
            "C": [0.0, 1.0, 1.0],
            "n": ["3", "4.0", "5"],
        }
    )
    h = CaptureHistories.from_frame(df, count="n")
    assert h.full_table().tolist() == [0, 3, 0, 0, 0, 0, 4, 5]


def test_duplicate_patterns_are_summed_and_zero_counts_dropped() -> None:
    df = pd.DataFrame({"A": [1, 1, 0, 0], "B": [0, 0, 1, 0], "count": [2, 3, 0, 0]})
    h = CaptureHistories.from_frame(df)
    assert h.to_frame().to_dict("list") == {"A": [1], "B": [0], "count": [5]}


def test_lists_argument_selects_and_orders_columns() -> None:
    df = pd.DataFrame({"region": ["x", "y"], "B": [1, 0], "A": [1, 1], "count": [4, 6]})
    h = CaptureHistories.from_frame(df, lists=["A", "B"])
    assert h.lists == ("A", "B")
    assert h.full_table().tolist() == [0, 6, 0, 4]


def test_every_problem_is_reported_at_once_with_row_and_column() -> None:
    df = pd.DataFrame(
        {
            "A": [1, 2, 0, 0, 1],
            "B": [0, 1, None, 0, 1],
            "count": [1, 1, 1, 3, -2],
        }
    )
    with pytest.raises(ValidationError) as info:
        CaptureHistories.from_frame(df)
    found = {(p.row, p.column) for p in info.value.problems}
    # Row 2: A=2; row 3: B missing; row 4: seen by no list; row 5: negative count.
    assert found == {(2, "A"), (3, "B"), (4, None), (5, "count")}


def test_all_zero_row_with_zero_count_is_allowed() -> None:
    df = pd.DataFrame({"A": [0, 1], "B": [0, 1], "count": [0, 9]})
    assert CaptureHistories.from_frame(df).n_observed == 9


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (pd.DataFrame({"A": [1], "count": [3]}), "at least two list columns"),
        (pd.DataFrame({"A": [1], "B": [0], "count": [0]}), "at least one observed item"),
        (pd.DataFrame({"A": [1], "B": [0], "count": [1.5]}), "non-negative whole number"),
        (pd.DataFrame({"A": [1], "B": [0], "count": [True]}), "non-negative whole number"),
    ],
)
def test_invalid_frames(frame: pd.DataFrame, expected: str) -> None:
    with pytest.raises(ValidationError, match=expected):
        CaptureHistories.from_frame(frame)


def test_missing_list_column_is_named() -> None:
    df = pd.DataFrame({"A": [1], "B": [0], "count": [1]})
    with pytest.raises(ValidationError) as info:
        CaptureHistories.from_frame(df, lists=["A", "Z"])
    assert [p.column for p in info.value.problems] == ["Z"]


def test_csv_errors_name_file_line_column_and_value(tmp_path: Path) -> None:
    path = tmp_path / "lists.csv"
    path.write_text("A,B,count\n1,0,4\n1,yes,2\n0,0,1\n")
    with pytest.raises(ValidationError) as info:
        CaptureHistories.from_csv(path)
    problems = info.value.problems
    assert all(p.file == str(path) for p in problems)
    # Line numbers are file lines: the header is line 1.
    assert [(p.row, p.column, p.value) for p in problems] == [
        (3, "B", "yes"),
        (4, None, "0 in every list"),
    ]
    assert "lists.csv, row 3, column 'B': found 'yes'" in str(info.value)


def test_missing_csv_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="not found"):
        CaptureHistories.from_csv(tmp_path / "absent.csv")


def test_from_table_round_trip() -> None:
    table = np.array([0, 3, 0, 2, 1, 0, 0, 7])
    h = CaptureHistories.from_table(table, ["A", "B", "C"])
    assert h.full_table().tolist() == table.tolist()
    with pytest.raises(ValueError, match="cell 0"):
        CaptureHistories.from_table([1, 1, 1, 1], ["A", "B"])


@needs_data
def test_reads_kosovo_as_published() -> None:
    h = CaptureHistories.from_csv(MSE / "kosovo.csv")
    assert h.lists == ("EXH", "ABA", "OSCE", "HRW")
    # Ball et al. (2002): 4,400 killings documented by at least one of the four lists.
    assert h.n_observed == 4400
    assert len(h.counts) == 15
    assert h.full_table()[0b1111] == 27


tables = st.integers(min_value=2, max_value=5).flatmap(
    lambda k: (
        st.lists(st.integers(0, 30), min_size=2**k - 1, max_size=2**k - 1)
        .filter(lambda cells: sum(cells) > 0)
        .map(lambda cells: (k, [0, *cells]))
    )
)


@settings(max_examples=50, deadline=None)
@given(tables)
def test_frame_round_trips_and_individual_rows_agree(case: tuple[int, list[int]]) -> None:
    k, table = case
    names = [f"L{j}" for j in range(k)]
    h = CaptureHistories.from_table(table, names)
    again = CaptureHistories.from_frame(h.to_frame())
    assert again.full_table().tolist() == table
    assert again.n_observed == sum(table)
    assert np.all(again.counts > 0) and np.all(again.patterns.sum(axis=1) > 0)
    # One row per item, shuffled, must aggregate to the same table.
    rows = np.repeat(h.patterns, h.counts, axis=0)
    rows = np.random.default_rng(0).permutation(rows)
    individual = CaptureHistories.from_frame(pd.DataFrame(rows, columns=names), count=None)
    assert individual.full_table().tolist() == table
