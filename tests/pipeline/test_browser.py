"""report.html in a real browser: no console errors, every chart visible, nothing fetched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow


def open_report(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    problems: list[str] = []
    requests: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    return page, problems, requests


@pytest.mark.parametrize("which", ["demo", "korean"])
def test_report_opens_cleanly_with_every_chart_visible(
    browser: Any,
    demo_dir: Path,
    korean_report: Path,
    which: str,
) -> None:
    path = (demo_dir / "report" if which == "demo" else korean_report) / "report.html"
    page, problems, requests = open_report(browser, path)
    try:
        charts = page.eval_on_selector_all(
            "img.chart",
            """els => els.map(e => {
                e.scrollIntoView();
                const r = e.getBoundingClientRect();
                return {alt: e.alt, complete: e.complete, natural: e.naturalWidth,
                        width: r.width, height: r.height,
                        hidden: getComputedStyle(e).visibility === 'hidden'
                                || getComputedStyle(e).display === 'none'};
            })""",
        )
        assert len(charts) == 11
        for c in charts:
            assert c["complete"] and c["natural"] > 0, c["alt"]
            assert c["width"] > 300 and c["height"] > 100, c["alt"]
            assert not c["hidden"], c["alt"]
        assert problems == []
        assert all(u.startswith(("file:", "data:")) for u in requests), requests
    finally:
        page.close()
