"""Chromium and Playwright for browser tests, shared by every test that needs a browser.

Debian's Chromium is used (``/usr/bin/chromium``); Playwright never downloads a browser.
When Chromium is missing, the set-up installs it with apt-get if it runs as root (as CI
does) and skips the test with the reason otherwise. Use the fixtures by importing them
into a test module or conftest::

    from tests.browser_support import browser, chromium_path  # noqa: F401

``browser`` is a session-wide headless Chromium (a Playwright ``Browser``); open pages
with ``browser.new_page()`` (or a context per test) and close them when done.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
_LOCK = Path("/tmp/uncounted-chromium-install.lock")


def find_chromium() -> str | None:
    for candidate in (CHROMIUM, shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def install_chromium() -> str:
    """Install Debian's chromium with apt-get; return its path or a reason it failed."""
    if os.geteuid() != 0:
        return "Chromium is not installed and the tests are not root: apt-get install chromium"
    if shutil.which("apt-get") is None:
        return "Chromium is not installed and apt-get is not available here"
    # Several test processes (pytest -n) may get here at once: one installs, the others wait.
    with _LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if find_chromium():
            return ""
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
        ):
            done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
            if done.returncode != 0:
                return f"installing Chromium failed: {' '.join(command)}: {done.stderr[-400:]}"
    return "" if find_chromium() else "apt-get finished but no chromium executable was found"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of Debian's Chromium, installed if missing (as root); skips when impossible."""
    found = find_chromium()
    if found:
        return found
    reason = install_chromium()
    found = find_chromium()
    if not found:
        pytest.skip(reason or "Chromium could not be installed")
    return found


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    """A headless Chromium driven by Playwright, for the whole test session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the Python package playwright is not installed (pip install playwright)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--lang=en-US"],
        )
        try:
            yield chromium
        finally:
            chromium.close()
