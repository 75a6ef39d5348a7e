"""Where the case store lives: ``--db`` PATH or URL, else ``$UNCOUNTED_DB``, else a local file.

SQLite is the embedded default (a path); PostgreSQL is reached by URL
(``postgresql://user@host:5432/name``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from uncounted.errors import ConfigurationError

DEFAULT_DB = "uncounted.sqlite3"
ENV_VAR = "UNCOUNTED_DB"


def resolve_db(db: str | None = None) -> str:
    """The database location to use, by precedence: argument, environment, default file."""
    return db or os.environ.get(ENV_VAR) or DEFAULT_DB


def database_settings(db: str) -> dict[str, Any]:
    """Django ``DATABASES['default']`` for a path or URL."""
    if "://" in db:
        import dj_database_url

        scheme = db.split("://", 1)[0]
        if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
            raise ConfigurationError(
                f"unsupported database URL scheme {scheme!r}; use a file path for SQLite "
                "or postgresql://user@host:port/name"
            )
        config: dict[str, Any] = dict(dj_database_url.parse(db, conn_max_age=0))
        if config["ENGINE"].endswith("sqlite3"):
            config["OPTIONS"] = _sqlite_options()
        return config
    path = Path(db).expanduser()
    if path.exists() and path.is_dir():
        raise ConfigurationError(f"--db {db!r} is a folder; give a file path such as {DEFAULT_DB}")
    if not path.parent.exists():
        raise ConfigurationError(
            f"--db {db!r}: folder {str(path.parent)!r} does not exist; create it first"
        )
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path.resolve()),
        "OPTIONS": _sqlite_options(),
        "TEST": {"NAME": None},
    }


def _sqlite_options() -> dict[str, Any]:
    # WAL lets readers (the web app, reports) run while one writer imports; IMMEDIATE
    # transactions take the write lock up front so two writers queue instead of failing.
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
