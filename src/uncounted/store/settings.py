"""Django settings for the case store (and, later, the web app).

The database comes from ``$UNCOUNTED_DB`` (a SQLite path or a PostgreSQL URL); the CLI
sets it from ``--db`` before Django starts.
"""

from __future__ import annotations

import os

from uncounted.store.database import database_settings, resolve_db

SECRET_KEY = os.environ.get("UNCOUNTED_SECRET_KEY", "uncounted-local-only-not-for-deployment")
DEBUG = False
ALLOWED_HOSTS: list[str] = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "uncounted.store",
]
DATABASES = {"default": database_settings(resolve_db())}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    # SQL statements carry identity values: never log them.
    "loggers": {"django.db.backends": {"handlers": ["null"], "propagate": False}},
}
