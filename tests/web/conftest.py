"""Fixtures for the web app's tests: a signed-in client per role and a small casebook.

The web tests need Django configured with ``uncounted.web.settings`` (sessions, messages,
templates, URLs). When the run was started with another settings module they are
skipped, saying so.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

WEB_SETTINGS = "uncounted.web.settings"
PASSWORD = "a-long-test-password-9"
ROLES = ("admin", "analyst", "reviewer", "viewer")


# The browser and command-line tests run ``uncounted`` in a subprocess on a SQLite file of
# their own whatever UNCOUNTED_DB says: the PostgreSQL pass would only repeat them.
_SQLITE_ONLY = {"test_browser.py", "test_cli_web.py"}


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects: the mark must be there by then
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        path = Path(str(item.fspath)).resolve()
        # Every web test uses the store: run them again on PostgreSQL (``make test``).
        if here in path.parents and path.name not in _SQLITE_ONLY:
            item.add_marker(pytest.mark.store)
    if os.environ.get("DJANGO_SETTINGS_MODULE") == WEB_SETTINGS:
        return
    skip = pytest.mark.skip(
        reason=f"web tests need DJANGO_SETTINGS_MODULE={WEB_SETTINGS} "
        "(set it in pyproject's [tool.pytest.ini_options] or the environment)"
    )
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def identity_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """A key file for encrypted identity fields, where the store encrypts them."""
    try:
        from uncounted.store.crypto import new_keyring, write_key_file
    except ImportError:
        return None
    path = tmp_path_factory.mktemp("keys") / "identity.key"
    write_key_file(path, new_keyring())
    return path


@pytest.fixture(autouse=True)
def _identity_key(
    identity_key_file: Path | None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    # Per test, so that tests of other areas never inherit a key they did not ask for.
    if identity_key_file is not None and not os.environ.get("UNCOUNTED_KEY_FILE"):
        monkeypatch.setenv("UNCOUNTED_KEY_FILE", str(identity_key_file))
    yield


@pytest.fixture(autouse=True)
def _web_settings(settings: Any, tmp_path: Path) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.UNCOUNTED_RUNS_IN_THREAD = False
    settings.UPLOAD_DIR = str(tmp_path / "uploads")
    # Password hashing at full strength costs ~0.3 s per sign-in; tests sign in a lot.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(db: None) -> dict[str, Any]:
    from uncounted.web.accounts import create_user
    from uncounted.web.roles import Role

    return {role: create_user(role, Role(role), PASSWORD) for role in ROLES}


@pytest.fixture
def clients(users: dict[str, Any]) -> dict[str, Any]:
    """A Django test client signed in as each role, plus ``anonymous``."""
    from django.test import Client

    out: dict[str, Any] = {"anonymous": Client()}
    for role, user in users.items():
        c = Client()
        c.force_login(user)
        out[role] = c
    return out


@pytest.fixture
def casebook(db: None, tmp_path: Path) -> Path:
    """The hand-written casebook of the ingest tests, imported into the store."""
    from tests.ingest.casebook import COLUMNS, TABLE_ROWS, write_csv

    from uncounted.ingest.load import import_path

    folder = tmp_path / "casebook"
    folder.mkdir()
    for name, rows in TABLE_ROWS.items():
        write_csv(folder / f"{name}.csv", rows, COLUMNS[name])
    import_path(folder)
    return folder


@pytest.fixture
def event(casebook: Path) -> Any:
    """One event that both casebook reports were linked to."""
    import datetime as dt

    from uncounted.store.models import Event, Report

    e = Event.objects.create(
        event_id="E001",
        date_start=dt.date(2005, 3, 1),
        date_end=dt.date(2005, 3, 31),
        place_id="KP-10-hyesan",
        victims_estimate=3,
        charges="drugs",
    )
    Report.objects.update(event=e)
    return e
