"""No identity data in URLs or logs.

An administrator signs in, stores and views a source's identity; every log record that
any logger produces meanwhile (all loggers at DEBUG, whatever their configured level or
propagation) is searched for the identity values, as is every address the app sends or
links to. No URL pattern takes an identity value as a parameter.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from tests.web.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::UserWarning")]

REAL_NAME = "박은밀숨김"
CONTACT = "+82-10-7731-4409"
SECRETS = (REAL_NAME, CONTACT)
ID_PARAMETERS = {
    "collection_id",
    "source_id",
    "interview_id",
    "report_id",
    "event_id",
    "run_id",
    "user_id",
    "token",
    "vocabulary",
    "path",
}


class _Grab(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def every_log_record() -> Iterator[list[logging.LogRecord]]:
    grab = _Grab()
    loggers = [logging.getLogger()] + [
        lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    saved = [(lg, lg.level, lg.disabled) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
        lg.addHandler(grab)
    try:
        yield grab.records
    finally:
        for lg, level, disabled in saved:
            lg.removeHandler(grab)
            lg.setLevel(level)
            lg.disabled = disabled


def _record_text(record: logging.LogRecord) -> str:
    parts = [record.getMessage(), repr(record.args), repr(record.__dict__)]
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(parts)


def _secret_forms() -> list[str]:
    return [form for s in SECRETS for form in (s, quote(s), quote_plus(s))]


def test_identity_never_reaches_logs_or_urls(
    users: dict[str, Any], casebook: Any, every_log_record: list[logging.LogRecord]
) -> None:
    from django.test import Client

    admin = Client()
    signed_in = admin.post("/accounts/login/", {"username": "admin", "password": PASSWORD})
    assert signed_in.status_code == 302
    # A failed sign-in too, so that the lockout machinery logs something.
    Client().post("/accounts/login/", {"username": "admin", "password": "wrong-password-1"})
    responses = [
        admin.post("/sources/S002/identity/", {"real_name": REAL_NAME, "contact": CONTACT}),
        # Refused (too long): the error path must not echo the value either.
        admin.post("/sources/S002/identity/", {"real_name": REAL_NAME * 60, "contact": CONTACT}),
    ]
    page = admin.get("/sources/S002/")
    assert REAL_NAME in page.content.decode() and CONTACT in page.content.decode()
    responses.append(page)
    for path in ("/sources/", "/reports/", "/interviews/", "/api/reports", "/", "/events/"):
        responses.append(admin.get(path))
    # A wrong method on the identity address is refused (and logged, if at all, by path).
    responses.append(admin.get("/sources/S002/identity/"))

    assert every_log_record, "the capture saw nothing; it would prove nothing"
    logged = "\n".join(_record_text(r) for r in every_log_record)
    for form in _secret_forms():
        assert form not in logged
    for response in responses:
        location = response.get("Location", "")
        links = re.findall(r'(?:href|action|src|hx-get)="([^"]*)"', response.content.decode())
        for url in (location, *links):
            for form in _secret_forms():
                assert form not in url, url


def test_sql_statements_are_never_logged() -> None:
    from django.conf import settings

    config = settings.LOGGING["loggers"]["django.db.backends"]
    assert config["handlers"] == ["null"] and config["propagate"] is False
    assert settings.DEBUG is False  # Django records SQL text only under DEBUG


def test_no_url_pattern_takes_an_identity_value() -> None:
    from django.urls import URLPattern

    from uncounted.web.urls import urlpatterns

    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        names = set(pattern.pattern.regex.groupindex)
        assert names <= ID_PARAMETERS, (pattern.name, names - ID_PARAMETERS)


def test_identity_form_is_posted_never_sent_in_the_address(
    users: dict[str, Any], casebook: Any
) -> None:
    from django.test import Client

    admin = Client()
    admin.force_login(users["admin"])
    html = admin.get("/sources/S002/").content.decode()
    form = re.search(r'<form[^>]*action="/sources/S002/identity/"[^>]*>', html)
    assert form is not None and 'method="post"' in form.group(0)
    assert 'autocomplete="off"' in form.group(0)
