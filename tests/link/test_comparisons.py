"""Comparison levels on hand-made pairs, evaluated by DuckDB as Splink would."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import pytest

from uncounted.link.comparisons import (
    count_comparison,
    date_comparison,
    event_comparisons,
    name_comparison,
    place_comparison,
)
from uncounted.link.prepare import report_features


def _level(comparison: dict[str, Any], left: dict[str, Any], right: dict[str, Any]) -> str:
    """The label of the first level whose condition holds, as Splink's CASE picks it."""
    row = {f"{k}_l": [v] for k, v in left.items()} | {f"{k}_r": [v] for k, v in right.items()}
    frame = pd.DataFrame(row)
    cases = " ".join(
        f"WHEN {lvl['sql_condition']} THEN '{lvl['label_for_charts']}'"
        for lvl in comparison["comparison_levels"]
        if lvl["sql_condition"] != "ELSE"
    )
    last = comparison["comparison_levels"][-1]
    otherwise = last["label_for_charts"] if last["sql_condition"] == "ELSE" else "none"
    con = duckdb.connect()
    con.register("pairs", frame)
    return str(con.execute(f"SELECT CASE {cases} ELSE '{otherwise}' END FROM pairs").fetchone()[0])


def _report(**told: str) -> dict[str, Any]:
    base = {"report_id": "R1", "source_id": "S1", "collection_id": "C1"}
    return dict(report_features(pd.DataFrame([base | told])).iloc[0])


def _mentioned(name: str) -> dict[str, Any]:
    reports = pd.DataFrame([{"report_id": "R1", "source_id": "S1"}])
    mentions = pd.DataFrame([{"mention_id": "M1", "report_id": "R1", "name_as_told": name}])
    return dict(report_features(reports, mentions).iloc[0])


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("14 March 2005", "2005-03-14", "same week, both precise"),
        ("14 March 2005", "21 March 2005", "precise, under a month apart"),
        ("March 2005", "2005년 3월", "overlap, both within a month"),
        ("2005년 봄", "April 2005", "overlap, both within a season"),
        ("2005", "14 March 2005", "overlap, both within a year"),
        ("around 2008", "2007", "overlap, a wide range"),
        ("2005", "2006", "within a year"),
        ("2001", "2005", "more than a year apart"),
        ("", "2005", "date unknown"),
    ],
)
def test_date_levels(left: str, right: str, expected: str) -> None:
    assert _level(date_comparison(), _report(date_as_told=left), _report(date_as_told=right)) == (
        expected
    )


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("Hyesan", "혜산시", "same county"),
        ("Hyesan", "Ryanggang", "same province, one county unknown"),
        ("양강도", "Ryanggang", "same province, both counties unknown"),
        ("Hyesan", "Samjiyon", "same province, other county"),
        ("Hyesan", "Hoeryong", "other province"),
        ("", "Hyesan", "place unknown"),
    ],
)
def test_place_levels(left: str, right: str, expected: str) -> None:
    assert (
        _level(place_comparison(), _report(place_as_told=left), _report(place_as_told=right))
        == expected
    )


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("3", "3명", "same exact number"),
        ("2-3", "3", "ranges compatible"),
        ("3", "4", "off by one"),
        ("1", "6", "different numbers"),
        ("", "6", "count unknown"),
    ],
)
def test_count_levels(left: str, right: str, expected: str) -> None:
    assert (
        _level(count_comparison(), _report(victims_as_told=left), _report(victims_as_told=right))
        == expected
    )


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("장성택", "장성택", "same Hangul name"),
        ("장성택", "Chang Sŏng-t'aek", "same romanized name"),
        ("Jang Song-thaek", "Chang Song Taek", "same name key"),
        ("Kim Chol-ho", "Kim Chol-ha", "similar names"),
        ("Kim Chol-ho", "Pak Yong-su", "different names"),
        ("", "Pak Yong-su", "no name"),
    ],
)
def test_one_hierarchical_name_comparison(left: str, right: str, expected: str) -> None:
    assert _level(name_comparison(), _mentioned(left), _mentioned(right)) == expected


def test_names_are_compared_once() -> None:
    # Only one comparison reads the name columns: a shared name is counted once.
    readers = [
        c["output_column_name"]
        for c in event_comparisons()
        if any("name_" in lvl["sql_condition"] for lvl in c["comparison_levels"])
    ]
    assert readers == ["names"]


def test_spark_dialect_uses_spark_functions() -> None:
    sql = " ".join(lvl["sql_condition"] for lvl in name_comparison("spark")["comparison_levels"])
    assert "arrays_overlap" in sql and "list_has_any" not in sql
    with pytest.raises(ValueError):
        name_comparison("oracle")
