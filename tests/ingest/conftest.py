"""Fixtures for import and export tests."""

from __future__ import annotations

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
