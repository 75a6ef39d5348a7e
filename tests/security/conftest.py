"""Fixtures for the security tests: a small casebook, and a private key file per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.ingest.casebook import COLUMNS, TABLE_ROWS, write_csv


@pytest.fixture
def casebook(tmp_path: Path) -> Path:
    folder = tmp_path / "casebook"
    folder.mkdir()
    for name, rows in TABLE_ROWS.items():
        write_csv(folder / f"{name}.csv", rows, COLUMNS[name])
    return folder


@pytest.fixture
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh key file for this test only (rotation must not touch the session's key)."""
    import os
    import shutil

    path = tmp_path / "keys" / "key"
    path.parent.mkdir()
    shutil.copy(os.environ["UNCOUNTED_KEY_FILE"], path)
    path.chmod(0o600)
    monkeypatch.setenv("UNCOUNTED_KEY_FILE", str(path))
    return path


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A throwaway PostgreSQL database on the server of $UNCOUNTED_DB."""
    url = os.environ.get("UNCOUNTED_DB", "")
    if not url.startswith("postgres"):
        pytest.skip("needs PostgreSQL: run with UNCOUNTED_DB=postgresql://... (as make test does)")
    import psycopg

    base, _, _ = url.rpartition("/")
    name = f"uncounted_sec_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
