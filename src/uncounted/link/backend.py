"""SQL backends of linkage: DuckDB in-process (default) or PySpark in local mode.

The same settings run on both; only the SQL dialect of a few functions differs (see
:mod:`uncounted.link.comparisons`). PySpark is optional: asking for it without it
installed raises :class:`~uncounted.errors.ConfigurationError` with the install hint.
"""

from __future__ import annotations

import importlib.util
from typing import Any, Literal

from uncounted.errors import ConfigurationError

__all__ = [
    "BACKENDS",
    "DUCKDB_MEMORY_LIMIT",
    "Backend",
    "database_api",
    "spark_available",
    "spark_session",
]

Backend = Literal["duckdb", "spark"]
BACKENDS: tuple[str, ...] = ("duckdb", "spark")

SPARK_HINT = (
    "the spark backend needs PySpark (and Java 17): pip install 'pyspark>=3.5,<4.1' "
    "(or use --backend duckdb)"
)

_SESSION: list[Any] = []
DUCKDB_MEMORY_LIMIT = "256MB"
"""Memory DuckDB may hold before it spills to disk (per linkage step)."""


def _spill_directory() -> str:
    import tempfile
    from pathlib import Path

    return str(Path(tempfile.gettempdir()) / "uncounted-duckdb")


def spark_available() -> bool:
    """True when PySpark can be imported."""
    return importlib.util.find_spec("pyspark") is not None


def spark_session() -> Any:
    """A local Spark session (one per process), made on first use.

    Raises
    ------
    ConfigurationError
        If PySpark is not installed.
    """
    if _SESSION:
        return _SESSION[0]
    if not spark_available():
        raise ConfigurationError(SPARK_HINT)
    from pyspark.sql import SparkSession  # type: ignore[import-not-found,unused-ignore]

    session = (
        SparkSession.builder.master("local[2]")
        .appName("uncounted-link")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.driver.memory", "2g")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir("/tmp/uncounted-spark-checkpoints")
    _SESSION.append(session)
    return session


def database_api(backend: Backend) -> Any:
    """A fresh Splink database API for ``backend``.

    Raises
    ------
    ConfigurationError
        For an unknown backend, or ``spark`` without PySpark.
    """
    if backend == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        # A bounded pool: past it DuckDB spills joins and sorts to disk, so that a
        # million mentions fit a laptop (its default is 80 % of the machine's memory).
        connection = duckdb.connect(
            config={"memory_limit": DUCKDB_MEMORY_LIMIT, "temp_directory": _spill_directory()}
        )
        return DuckDBAPI(connection=connection)
    if backend == "spark":
        session = spark_session()
        from splink import SparkAPI

        return SparkAPI(spark_session=session)  # type: ignore[no-untyped-call]
    raise ConfigurationError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
