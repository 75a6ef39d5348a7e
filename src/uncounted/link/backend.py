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
    import shutil
    import tempfile
    from pathlib import Path

    from pyspark.sql import SparkSession  # type: ignore[import-not-found,unused-ignore]
    from splink.backends.spark import similarity_jar_location

    _quiet_python_loggers()
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


def _register_similarity_functions(session: Any) -> None:
    """Splink's string similarities (``jaro_winkler``, ...) as SQL functions of the session."""
    from splink.internals.spark.jar_location import get_scala_udfs

    for name, java_class, returns in get_scala_udfs():  # type: ignore[no-untyped-call]
        session.udf.registerJavaFunction(name, java_class, returns)


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
