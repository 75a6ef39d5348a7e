"""The main flows in a real browser (Debian's Chromium via Playwright) against the real
server: sign in, enter a report in Korean with a fuzzy date, find it in the list, decide
a link in the review queue, see the dashboard."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.ingest.casebook import COLUMNS, TABLE_ROWS, write_csv
from tests.web.served import run_cli, serving

pytestmark = pytest.mark.slow

PASSWORD = "a-long-browser-password-3"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, identity_key_file: Path | None) -> Iterator[str]:
    with pytest.MonkeyPatch.context() as patch:
        if identity_key_file is not None:
            patch.setenv("UNCOUNTED_KEY_FILE", str(identity_key_file))
        yield from _site(tmp_path_factory)


def _site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("site")
    db = tmp / "case.sqlite3"
    folder = tmp / "casebook"
    folder.mkdir()
    for name, rows in TABLE_ROWS.items():
        write_csv(folder / f"{name}.csv", rows, COLUMNS[name])
    imported = run_cli(tmp, "import", str(folder), "--db", str(db))
    assert imported.returncode == 0, imported.stderr
    for user, role in (("analyst1", "analyst"), ("reviewer1", "reviewer")):
        made = run_cli(
            tmp, "createuser", user, "--role", role, "--db", str(db), stdin=PASSWORD + "\n"
        )
        assert made.returncode == 0, made.stderr
    with serving(tmp, db, workers=1, threads=4) as (base, _):
        yield base


def _sign_in(page: Any, base: str, user: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")


def test_enter_a_korean_report_find_it_review_a_pair_and_see_the_dashboard(
    browser: Any,
    site: str,
) -> None:
    context = browser.new_context(locale="ko-KR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    # The Content-Security-Policy forbids inline script and style: the browser reports
    # anything it had to block on the console.
    blocked: list[str] = []
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    try:
        _sign_in(page, site, "analyst1")
        assert page.locator("h1").inner_text() == "대시보드"

        page.goto(site + "/reports/new/")
        report_id = page.input_value("#id_report_id")
        page.fill("#id_source_id", "S001")
        page.select_option("#id_collection_id", "C01")
        page.fill("#id_date_as_told", "2005년 봄")
        reading = page.locator("#date-reading [data-precision]")
        reading.wait_for()
        assert reading.get_attribute("data-precision") == "season"
        assert "2005-03-01" in page.inner_text("#date-reading")
        assert "2005-05-31" in page.inner_text("#date-reading")
        page.fill("#id_place_as_told", "혜산")
        page.locator("#place-reading [data-place-code]").wait_for()
        place = page.inner_text("#place-reading")
        assert "량강도" in place and "혜산시" in place
        page.fill("#id_victims_as_told", "2명")
        page.fill("#id_charges", "마약")
        page.select_option("#id_how_known", "saw")
        page.fill("#id_narrative", "장마당에서 두 명이 총살되었다.")
        page.fill("input[name=mentions-0-name_as_told]", "김철수")
        page.click("form.entry button.primary")
        page.wait_for_url(re.compile(rf".*/reports/{re.escape(report_id)}/$"))
        assert "2005년 봄" in page.inner_text("main")

        page.goto(site + "/reports/?year=2005&province=KP-10")
        assert page.locator(f"a:text-is('{report_id}')").count() == 1

        page.click("header form button:text('로그아웃')")
        _sign_in(page, site, "reviewer1")
        page.goto(site + "/review/")
        assert page.locator(".side-by-side .record").count() == 2
        assert page.locator(".evidence li").count() >= 3
        page.check("input[name=decision][value=match]")
        page.fill("textarea[name=note]", "같은 장마당 처형")
        page.click("form.decision button.primary")
        page.wait_for_url(re.compile(r".*/review/\?kind=reports$"))
        assert "판정을 저장했습니다" in page.inner_text(".messages")
        page.goto(site + "/review/decisions/")
        assert "같은 장마당 처형" in page.inner_text("main")

        page.goto(site + "/")
        assert page.locator("[data-figure=reports]").inner_text() == "3"
        assert page.locator(".tilemap .tile").count() == 13
        assert page.locator(".bars .bar").count() >= 1
        # Chart sizes and tile places come from the style sheet's classes.
        tile = page.locator(".tilemap .tile").first
        assert tile.evaluate("e => getComputedStyle(e).gridColumnStart") != "auto"
        fill = page.locator(".bars .bar .fill").first
        assert fill.evaluate("e => e.getBoundingClientRect().height") > 10
        assert not blocked, blocked
    finally:
        context.close()


def test_switching_language_in_the_browser(browser: Any, site: str) -> None:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _sign_in(page, site, "reviewer1")
        assert page.locator("h1").inner_text() == "Dashboard"
        page.click("form.lang button[value=ko]")
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "대시보드"
    finally:
        context.close()
