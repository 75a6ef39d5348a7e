"""Open the case store: configure Django for a database, create or upgrade its tables."""

from __future__ import annotations

import os

from uncounted.errors import ConfigurationError, StoreError
from uncounted.store.database import ENV_VAR, resolve_db

_opened: str | None = None


def open_store(db: str | None = None, *, migrate: bool = True) -> str:
    """Make the store at ``db`` ready for use and return its resolved location.

    Django can serve one database per process: opening a second, different store in the
    same process is refused rather than silently writing to the first.
    """
    global _opened
    target = resolve_db(db)
    if _opened is not None:
        if _opened != target:
            raise ConfigurationError(
                f"this process already uses another store; run a separate command for {target!r}"
            )
        return target
    os.environ[ENV_VAR] = target
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uncounted.store.settings")
    import django
    from django.conf import settings

    if not settings.configured or not _django_ready():
        django.setup()
    if migrate:
        _migrate()
    _opened = target
    return target


def _django_ready() -> bool:
    from django.apps import apps

    return apps.ready


def _migrate() -> None:
    from django.core.management import call_command
    from django.db.utils import OperationalError

    try:
        call_command("migrate", verbosity=0, interactive=False)
    except OperationalError as exc:
        raise StoreError(
            f"cannot open the case store: {exc}. Check the --db path or URL and that the "
            "database server is running."
        ) from exc
