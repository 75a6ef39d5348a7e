"""The secret key that signs sessions: from ``$UNCOUNTED_SECRET_KEY`` or a private file.

When the variable is not set, ``uncounted serve`` reads (or creates, readable by its
owner only) a key file, so that sign-ins survive a restart: ``$UNCOUNTED_SECRET_KEY_FILE``
if set, else ``secret-key`` under ``$XDG_CONFIG_HOME/uncounted`` (``~/.config/uncounted``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ENV_VAR = "UNCOUNTED_SECRET_KEY"


def key_file() -> Path:
    explicit = os.environ.get("UNCOUNTED_SECRET_KEY_FILE")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "uncounted" / "secret-key"


def ensure_secret_key() -> None:
    """Put a secret key into the environment before Django's settings are read."""
    if os.environ.get(ENV_VAR):
        return
    path = key_file()
    key = path.read_text(encoding="ascii").strip() if path.is_file() else ""
    if len(key) < 50:
        key = secrets.token_urlsafe(48)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(key + "\n")
    os.environ[ENV_VAR] = key
