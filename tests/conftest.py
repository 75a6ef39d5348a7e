"""Test set-up shared by every test: the store's database, and where shared data lives."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

# One Playwright session per worker: its fixtures must be defined once, not per folder.
pytest_plugins = ["tests.browser_support"]

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


def _postgres_reachable(url: str) -> bool:
    from urllib.parse import urlparse

    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), 2):
            return True
    except OSError:
        return False


def pytest_configure(config: pytest.Config) -> None:
    # Identities are encrypted at rest: give the test run its own throwaway key (issue 7),
    # unless the caller chose one. Tests of the keyless ("locked") mode unset it themselves.
    if os.environ.get("UNCOUNTED_KEY_FILE"):
        return
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="uncounted-test-key-")
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    key = Path(folder) / "key"
    os.environ["UNCOUNTED_KEY_FILE"] = str(key)
    from uncounted.store.crypto import new_keyring, write_key_file

    write_key_file(key, new_keyring())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    db = os.environ.get("UNCOUNTED_DB", "")
    if not db.startswith("postgres"):
        return
    if _postgres_reachable(db):
        return
    if os.environ.get("UNCOUNTED_REQUIRE_POSTGRES") == "1":
        raise pytest.UsageError(f"PostgreSQL is required here but not reachable at {db}")
    skip = pytest.mark.skip(reason=f"PostgreSQL not reachable at {db}: start it to run these")
    for item in items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA
