"""The web app's Django app: templates, static files, translations and template tags."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


class WebConfig(AppConfig):
    name = "uncounted.web"
    label = "web"
    verbose_name = "uncounted casebook"

    def ready(self) -> None:
        connection_created.connect(_tune_sqlite, dispatch_uid="uncounted-web-sqlite")


def _tune_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    # Lists read many rows of a file shared by every worker: mapping the file lets all of
    # them read from one copy in memory instead of each copying pages through a small
    # per-connection cache.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA mmap_size=1073741824")
            cursor.execute("PRAGMA cache_size=-32000")
