"""Run the ``uncounted`` CLI in a child process, with its own key file and no default store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, key: Path | None, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"UNCOUNTED_DB", "UNCOUNTED_KEY_FILE"}}
    if key is not None:
        env["UNCOUNTED_KEY_FILE"] = str(key)
    return subprocess.run(
        [sys.executable, "-m", "uncounted.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )
