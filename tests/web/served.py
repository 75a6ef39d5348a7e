"""Run the real app (``uncounted serve``, gunicorn) on a free loopback port, for the
browser tests and the serve test."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CLI = [sys.executable, "-m", "uncounted.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli_env(tmp: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"UNCOUNTED_DB", "DJANGO_SETTINGS_MODULE"}
    }
    env["UNCOUNTED_SECRET_KEY_FILE"] = str(tmp / "secret-key")
    env.setdefault("UNCOUNTED_UPLOAD_DIR", str(tmp / "uploads"))
    return env


def run_cli(tmp: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], input=stdin, capture_output=True, text=True, env=cli_env(tmp), timeout=120
    )


@contextmanager
def serving(
    tmp: Path, db: Path, *, workers: int = 1, threads: int = 4
) -> Iterator[tuple[str, Path]]:
    """Start ``uncounted serve`` on ``db``; yield its base URL and its log file."""
    port = free_port()
    log = tmp / f"serve-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                *CLI,
                "serve",
                "--db",
                str(db),
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=cli_env(tmp),
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}") from exc
                time.sleep(0.2)
        yield base, log
    finally:
        # The server runs in its own session: stop exactly that process group.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
