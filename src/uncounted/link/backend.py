"""SQL backends of linkage: DuckDB in-process (default) or PySpark in local mode.

The same settings run on both; only the SQL dialect of a few functions differs (see
:mod:`uncounted.link.comparisons`). PySpark is optional: asking for it without it
installed raises :class:`~uncounted.errors.ConfigurationError` with the install hint.
"""

from __future__ import annotations

import importlib.util
from typing import Any, Literal

import pandas as pd

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
    "the spark backend needs PySpark (and Java 17): pip install 'uncounted[spark]' "
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

    Two cores, Splink's similarity jar on the class path (``jaro_winkler`` and kin),
    quiet logs (errors only, never the rows), and a private folder for checkpoints and
    spills that is removed when the process ends.

    Raises
    ------
    ConfigurationError
        If PySpark is not installed.
    """
    if _SESSION:
        return _SESSION[0]
    if not spark_available():
        raise ConfigurationError(SPARK_HINT)
    import atexit
    import os
    import shutil
    import sys
    import tempfile
    from pathlib import Path

    from pyspark.sql import SparkSession  # type: ignore[import-not-found,unused-ignore]
    from splink.backends.spark import similarity_jar_location

    _quiet_python_loggers()
    # Python workers (the Jaro-Winkler UDF) run this interpreter, so this environment's
    # packages: PySpark's default is whatever "python3" the PATH finds.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    folder = Path(tempfile.mkdtemp(prefix="uncounted-spark-"))
    atexit.register(shutil.rmtree, folder, True)
    log_config = folder / "log4j2.properties"
    log_config.write_text(_LOG4J2, encoding="utf-8")
    java_options = f"-Dlog4j2.configurationFile={log_config.as_uri()}"
    session = (
        SparkSession.builder.master("local[2]")
        .appName("uncounted-link")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.extraJavaOptions", java_options)
        .config("spark.driver.memory", "2g")
        .config("spark.local.dir", str(folder / "local"))
        # Spark would otherwise make ./spark-warehouse wherever the user stands.
        .config("spark.sql.warehouse.dir", str(folder / "warehouse"))
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.log.structuredLogging.enabled", "false")
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(str(folder / "checkpoints"))
    _register_similarity_functions(session)
    atexit.register(session.stop)
    _SESSION.append(session)
    return session


_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = stderr
logger.repl.name = org.apache.spark.repl.Main
logger.repl.level = error
logger.submit.name = org.apache.spark.deploy.SparkSubmit
logger.submit.level = error
logger.gateway.name = org.apache.spark.api.python.PythonGatewayServer
logger.gateway.level = error
logger.context.name = org.apache.spark.SparkContext
logger.context.level = error
appender.console.type = Console
appender.console.name = stderr
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = spark %p %c{1}: %m%n%ex{short}
"""
"""Spark's JVM logging: errors only, one line each (a query's rows never reach a log)."""


SPARK_JARO_WINKLER = "uncounted_jaro_winkler"
"""The Spark SQL function that scores as DuckDB's ``jaro_winkler_similarity`` does."""


def _register_similarity_functions(session: Any) -> None:
    """String similarities as SQL functions of the session.

    Splink's jar brings ``jaro_winkler`` and kin, but its Jaro-Winkler (Apache Commons
    Text) is not DuckDB's: the prefix bonus shrinks with the length of the names, so
    two 14-letter keys at 0.908 on DuckDB score 0.899 on Spark and fall to the level
    below. :data:`SPARK_JARO_WINKLER` is DuckDB's definition (RapidFuzz's: prefix of at
    most 4 letters, scale 0.1, from a Jaro similarity of 0.7) as a vectorised UDF, so
    that one pair gets one level whichever engine scores it.
    """
    from pyspark.sql.pandas.functions import pandas_udf
    from splink.internals.spark.jar_location import get_scala_udfs

    for name, java_class, returns in get_scala_udfs():  # type: ignore[no-untyped-call]
        session.udf.registerJavaFunction(name, java_class, returns)
    # pandas_udf reads the hints of _jaro_winkler (pd.Series in, pd.Series out).
    session.udf.register(SPARK_JARO_WINKLER, pandas_udf(_jaro_winkler, "double"))  # type: ignore[call-overload]


def _jaro_winkler(left: pd.Series, right: pd.Series) -> pd.Series:
    """DuckDB's ``jaro_winkler_similarity`` of two columns, row by row (null if either is)."""
    from rapidfuzz.distance import JaroWinkler

    def one(a: str | None, b: str | None) -> float | None:
        if a is None or b is None or pd.isna(a) or pd.isna(b):  # nulls arrive as NaN
            return None
        # DuckDB scores an empty string 0 against anything, itself included.
        return float(JaroWinkler.similarity(a, b)) if a and b else 0.0

    values = [one(a, b) for a, b in zip(left.tolist(), right.tolist(), strict=True)]
    # Nullable floats: a NaN would reach Spark as NaN, which it sorts above every number.
    return pd.Series(values, dtype="Float64")


def _quiet_python_loggers() -> None:
    """PySpark logs each failed query with its SQL before raising: the exception suffices."""
    import logging

    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger", "py4j"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


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

        # The session has the similarity functions already (see spark_session).
        return SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=session, register_udfs_automatically=False
        )
    raise ConfigurationError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
