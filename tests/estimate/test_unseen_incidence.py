"""Incidence-frequency input: CSV and frame validation, reports -> frequencies, histories."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uncounted.errors import ConfigurationError, ValidationError
from uncounted.estimate.histories import CaptureHistories
from uncounted.estimate.incidence import IncidenceFrequencies


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "freq.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_constructor_accepts_mapping_or_sequence() -> None:
    a = IncidenceFrequencies(6, {1: 3, 2: 0, 4: 1})
    b = IncidenceFrequencies(6, [3, 0, 0, 1])
    assert a == b and hash(a) == hash(b)
    assert a.Q.tolist() == [0, 3, 0, 0, 1, 0, 0]
    assert a.counts == {1: 3, 4: 1}
    assert (a.n_observed, a.total_incidences) == (4, 7)
    assert a.incidences().tolist() == [1, 1, 1, 4]
    assert a.q(0) == 0 and a.q(99) == 0


@pytest.mark.parametrize(
    ("T", "counts", "match"),
    [
        (0, {1: 1}, "positive integer"),
        (3, {4: 1}, "between 1 and T"),
        (3, {1: -1}, "non-negative"),
        (3, {1: 1.5}, "non-negative integer"),
        (3, {1: 0}, "no item"),
    ],
)
def test_constructor_rejects_nonsense(T: int, counts: dict[int, float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        IncidenceFrequencies(T, counts)  # type: ignore[arg-type]


def test_csv_problems_are_all_reported_with_row_column_and_value(tmp_path: Path) -> None:
    path = _write(tmp_path, "k,count\n1,5\n2,x\n12,3\n2,4\n0,2\n")
    with pytest.raises(ValidationError) as info:
        IncidenceFrequencies.from_csv(path, 10)
    text = str(info.value)
    assert f"{path}, row 3, column 'count': found 'x'" in text
    assert f"{path}, row 4, column 'k': found '12'; expected at most T = 10" in text
    assert "--units" in text
    assert "row 5, column 'k': found '2'; expected each k once (also on row 3)" in text
    assert "row 6, column 'k': found '0'" in text
    assert len(info.value.problems) == 4


def test_csv_missing_column_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="column named 'count'"):
        IncidenceFrequencies.from_csv(_write(tmp_path, "k,n\n1,2\n"), 5)
    with pytest.raises(ConfigurationError, match="not found"):
        IncidenceFrequencies.from_csv(tmp_path / "nope.csv", 5)
    with pytest.raises(ValidationError, match="positive number of sampling units"):
        IncidenceFrequencies.from_csv(_write(tmp_path, "k,count\n1,2\n"), 0)


def test_csv_zero_counts_allowed_but_not_all_zero(tmp_path: Path) -> None:
    data = IncidenceFrequencies.from_csv(_write(tmp_path, "k,count\n1,2\n40,0\n"), 5)
    assert data.counts == {1: 2}
    with pytest.raises(ValidationError, match="at least one item"):
        IncidenceFrequencies.from_csv(_write(tmp_path, "k,count\n1,0\n"), 5)


def test_from_reports_counts_distinct_units_per_event() -> None:
    reports = pd.DataFrame(
        {
            "source_id": ["S1", "S1", "S2", "S3", "S3", "S2", "S4"],
            "event_id": ["E1", "E1", "E1", "E2", "E1", "E3", "E3"],
        }
    )
    data = IncidenceFrequencies.from_reports(reports)
    # E1: S1 (twice, counts once), S2, S3 -> 3; E2: S3 -> 1; E3: S2, S4 -> 2.
    assert data.T == 4
    assert data.counts == {1: 1, 2: 1, 3: 1}
    assert IncidenceFrequencies.from_reports(reports, T=9).T == 9
    with pytest.raises(ValidationError, match="at least the 4 distinct units"):
        IncidenceFrequencies.from_reports(reports, T=3)


def test_from_reports_reports_blank_cells() -> None:
    reports = pd.DataFrame({"witness": ["A", None, "B"], "event": ["E1", "E1", " "]})
    with pytest.raises(ValidationError) as info:
        IncidenceFrequencies.from_reports(reports, unit="witness", item="event")
    rows = {(p.row, p.column) for p in info.value.problems}
    assert rows == {(2, "witness"), (3, "event")}
    with pytest.raises(ValidationError, match="column with this name"):
        IncidenceFrequencies.from_reports(reports)


def test_from_histories_treats_lists_as_units() -> None:
    h = CaptureHistories.from_frame(
        pd.DataFrame(
            {"A": [1, 0, 1, 1], "B": [0, 1, 1, 1], "C": [0, 0, 0, 1], "count": [4, 3, 2, 1]}
        )
    )
    data = IncidenceFrequencies.from_histories(h)
    assert data.T == 3 and data.counts == {1: 7, 2: 2, 3: 1}


@settings(max_examples=80, deadline=None)
@given(
    st.dictionaries(st.integers(1, 30), st.integers(0, 1000), min_size=1).filter(
        lambda d: sum(d.values()) > 0
    )
)
def test_frame_round_trip(counts: dict[int, int]) -> None:
    data = IncidenceFrequencies(30, counts)
    again = IncidenceFrequencies.from_frame(data.to_frame(), 30)
    assert again == data
    assert IncidenceFrequencies.from_incidences(30, data.incidences()) == data
    assert data.total_incidences == int(np.dot(list(counts), list(counts.values())))
