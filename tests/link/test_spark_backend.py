"""The Spark backend: one model for both engines, the same levels on both, quiet logs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from uncounted.link.backend import spark_available
from uncounted.link.comparisons import FUNCTIONS, event_comparisons, settings_for_dialect
from uncounted.link.model import TrainingSettings, model_settings, train_model
from uncounted.link.prepare import report_features

needs_spark = pytest.mark.skipif(
    not spark_available(), reason="pyspark is not installed (spark backend)"
)


def _trained_like(kind: str) -> dict[str, Any]:
    """Untrained DuckDB settings with made-up parameters on every level."""
    settings = model_settings(kind, "duckdb")  # type: ignore[arg-type]
    settings["sql_dialect"] = "duckdb"
    for rule in settings["blocking_rules_to_generate_predictions"]:
        rule["sql_dialect"] = "duckdb"
    for c, comparison in enumerate(settings["comparisons"]):
        for n, level in enumerate(comparison["comparison_levels"]):
            level["m_probability"] = 0.01 * (c + 1) + 0.001 * n
            level["u_probability"] = 0.02 * (c + 1) + 0.001 * n
    return settings


@pytest.mark.parametrize("kind", ["events", "victims"])
def test_settings_change_dialect_and_nothing_else(kind: str) -> None:
    duck = _trained_like(kind)
    spark = settings_for_dialect(duck, "spark")
    text = repr(spark)
    for name in FUNCTIONS["duckdb"].values():
        assert not re.search(rf"\b{name}\(", text), name
    assert "arrays_overlap(name_keys_l, name_keys_r)" in text
    assert "uncounted_jaro_winkler(name_first_key_l, name_first_key_r) >= 0.9" in text
    assert spark["sql_dialect"] == "spark"
    assert {r["sql_dialect"] for r in spark["blocking_rules_to_generate_predictions"]} == {"spark"}
    # Parameters, labels and every other level are untouched; the way back is exact.
    for old, new in zip(duck["comparisons"], spark["comparisons"], strict=True):
        for a, b in zip(old["comparison_levels"], new["comparison_levels"], strict=True):
            assert (a["m_probability"], a["u_probability"]) == (
                b["m_probability"],
                b["u_probability"],
            )
            assert a["label_for_charts"] == b["label_for_charts"]
    assert settings_for_dialect(spark, "duckdb") == duck
    assert duck["sql_dialect"] == "duckdb"  # a copy: the input is not changed


def test_training_runs_on_duckdb_whatever_the_scoring_backend(small_world_dir: Path) -> None:
    # Without pyspark too: training never needs Spark unless asked (engine=None).
    reports = pd.read_csv(small_world_dir / "reports.csv", dtype=str, keep_default_na=False)
    features = report_features(reports)
    model = train_model("events", features, backend="spark")
    assert model.settings["sql_dialect"] == "duckdb"
    assert TrainingSettings().engine == "duckdb"


def _spark_level(session: Any, comparison: dict[str, Any], row: dict[str, Any]) -> str:
    cases = " ".join(
        f"WHEN {lvl['sql_condition']} THEN '{lvl['label_for_charts']}'"
        for lvl in comparison["comparison_levels"]
        if lvl["sql_condition"] != "ELSE"
    )
    schema = ", ".join(
        f"{column} {'string' if column.startswith('name_first_key') else 'array<string>'}"
        for column in row
    )
    frame = session.createDataFrame([tuple(row.values())], schema=schema)
    frame.createOrReplaceTempView("uncounted_test_pairs")
    out = session.sql(
        f"SELECT CASE {cases} ELSE 'different names' END AS level FROM uncounted_test_pairs"
    )
    return str(out.collect()[0]["level"])


def _duck_level(comparison: dict[str, Any], row: dict[str, Any]) -> str:
    import duckdb

    cases = " ".join(
        f"WHEN {lvl['sql_condition']} THEN '{lvl['label_for_charts']}'"
        for lvl in comparison["comparison_levels"]
        if lvl["sql_condition"] != "ELSE"
    )
    con = duckdb.connect()
    con.register("pairs", pd.DataFrame([row]))
    result = con.execute(f"SELECT CASE {cases} ELSE 'different names' END FROM pairs").fetchone()
    assert result is not None
    return str(result[0])


@needs_spark
@pytest.mark.slow
def test_spark_puts_pairs_in_the_levels_duckdb_does() -> None:
    from uncounted.link.backend import spark_session

    session = spark_session()
    names = [
        ("장성택", "장성택"),
        ("장성택", "Chang Sŏng-t'aek"),
        ("Jang Song-thaek", "Chang Song Taek"),
        ("Kim Chol-ho", "Kim Chol-ha"),
        ("Kim Chol-ho", "Kim Chul-ho"),
        ("Ri Myong-su", "Ri Myong-chol"),
        ("Kim Chol-ho", "Pak Yong-su"),
        ("", "Pak Yong-su"),
    ]
    reports = pd.DataFrame([{"report_id": "R1", "source_id": "S1"}])
    duck_names = event_comparisons("duckdb")[-1]
    spark_names = event_comparisons("spark")[-1]
    seen = set()
    for left, right in names:
        features = []
        for name in (left, right):
            mentions = pd.DataFrame([{"mention_id": "M1", "report_id": "R1", "name_as_told": name}])
            features.append(report_features(reports, mentions).iloc[0])
        row: dict[str, Any] = {}
        for suffix, feature in zip(("_l", "_r"), features, strict=True):
            for column in ("name_hangul", "name_roman", "name_keys", "name_first_key"):
                value = feature[column]
                row[column + suffix] = list(value) if isinstance(value, list) else value
        row = {k: (None if isinstance(v, float) else v) for k, v in row.items()}
        expected = _duck_level(duck_names, row)
        assert _spark_level(session, spark_names, row) == expected, (left, right)
        seen.add(expected)
    assert {"same Hangul name", "similar names", "different names"} <= seen


@needs_spark
@pytest.mark.slow
def test_a_failing_spark_query_logs_nothing_of_its_values(
    capfd: pytest.CaptureFixture[str],
) -> None:
    from pyspark.errors import AnalysisException

    from uncounted.link.backend import spark_session

    session = spark_session()
    capfd.readouterr()
    with pytest.raises(AnalysisException, match="UNRESOLVED_COLUMN"):
        session.sql(
            "SELECT a FROM VALUES ('Secret Witnessname') AS t(a) WHERE no_such_column = a"
        ).collect()
    captured = capfd.readouterr()
    assert "Secret Witnessname" not in captured.err + captured.out


@needs_spark
@pytest.mark.slow
def test_spark_jaro_winkler_scores_as_duckdb() -> None:
    import duckdb

    from uncounted.link.backend import SPARK_JARO_WINKLER, spark_session

    pairs = [
        ("pak|yong-sukhan", "pak|honu-sukhun"),  # DuckDB 0.903; Splink's jar 0.895
        ("ri|myong-chollan", "ri|myog-holean"),  # DuckDB 0.902; Splink's jar 0.894
        ("kim|chol-ho", "kim|chol-ha"),
        ("kim|chol-ho", "pak|yong-su"),
        ("kim|chol-ho", "kim|chol-ho"),
        ("", "kim|chol-ho"),
        ("", ""),
        (None, "kim|chol-ho"),
    ]
    con = duckdb.connect()
    duck = [
        None
        if a is None
        else con.execute("SELECT jaro_winkler_similarity(?, ?)", [a, b]).fetchone()[0]  # type: ignore[index]
        for a, b in pairs
    ]
    session = spark_session()
    frame = session.createDataFrame(pairs, schema="a string, b string")
    frame.createOrReplaceTempView("uncounted_test_names")
    rows = session.sql(
        f"SELECT {SPARK_JARO_WINKLER}(a, b) AS ours, jaro_winkler(a, b) AS jar "
        "FROM uncounted_test_names"
    ).collect()
    ours = [row["ours"] for row in rows]
    assert ours[-1] is None and duck[-1] is None
    assert ours[:-1] == pytest.approx(duck[:-1], abs=1e-12)
    # The reason for our own function: Splink's puts these pairs under the 0.9 cut.
    assert all(rows[i]["jar"] < 0.9 <= ours[i] for i in (0, 1))
