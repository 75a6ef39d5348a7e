"""Run the web app under gunicorn (threaded workers), after preparing the store.

The master process opens the store (running migrations) and then forks the workers;
requests are logged by method and path only, never the query string (it can hold
search text). gunicorn runs on Unix-like systems only.
"""

from __future__ import annotations

import os
from typing import Any

ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def prepare(db: str | None) -> str:
    """Configure Django for the web app on ``db`` and migrate; return the store location."""
    from uncounted.web.secret import ensure_secret_key

    ensure_secret_key()
    os.environ["DJANGO_SETTINGS_MODULE"] = "uncounted.web.settings"
    from uncounted.store.connect import open_store

    target = open_store(db)
    from django.db import connection

    if connection.vendor == "sqlite":
        # Gather the planner's statistics where they are missing (after a large import),
        # so that the list queries pick the indexes made for them.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize=0x10002")
    return target


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    return {
        "bind": f"[{host}]:{port}"
        if ":" in host and not host.startswith("[")
        else f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 120,
        "graceful_timeout": 10,
        "accesslog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "loglevel": "info",
        "forwarded_allow_ips": os.environ.get("UNCOUNTED_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        "limit_request_line": 8190,
        # gunicorn >= 24 opens a control socket per user by default; several servers
        # (tests, benchmarks) would contend for it, and the app does not use it.
        "control_socket_disable": True,
    }


def serve(db: str | None, host: str, port: int, workers: int, threads: int) -> None:
    """Serve until interrupted."""
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError as exc:  # pragma: no cover - depends on the installation
        from uncounted.errors import ConfigurationError

        raise ConfigurationError(
            "the web server needs gunicorn: pip install gunicorn (it is in requirements.lock)"
        ) from exc
    if host not in LOOPBACK:
        extra = os.environ.get("UNCOUNTED_ALLOWED_HOSTS", "")
        os.environ["UNCOUNTED_ALLOWED_HOSTS"] = ",".join(h for h in (extra, host) if h)
    prepare(db)
    from django.db import connections

    from uncounted.web.wsgi import application

    # Workers are forked from this process: none may inherit its database connection.
    connections.close_all()
    options = gunicorn_options(host, port, workers, threads)

    class App(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    App().run()
