"""Security headers, the Content-Security-Policy's promises, CSRF on every POST, and
Django's deployment checks on the production settings."""

from __future__ import annotations

import importlib
import re
import secrets
from pathlib import Path
from typing import Any

import pytest
from tests.web.test_permissions import MATRIX, _path

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::UserWarning")]

WEB = Path(__file__).resolve().parents[2] / "src" / "uncounted" / "web"
TEMPLATES = sorted((WEB / "templates").rglob("*.html"))


def _csp(response: Any) -> dict[str, str]:
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in response["Content-Security-Policy"].split(";"))
        if part
    }


def test_security_headers_on_pages(clients: dict[str, Any]) -> None:
    for who in ("anonymous", "viewer"):
        response = clients[who].get("/accounts/login/" if who == "anonymous" else "/")
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["Cross-Origin-Resource-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
        assert response["Cache-Control"] == "no-store"
        csp = _csp(response)
        assert csp["default-src"] == "'self'"
        assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
        assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
        assert csp["base-uri"] == "'none'" and csp["form-action"] == "'self'"
        assert "unsafe" not in response["Content-Security-Policy"]
    api = clients["viewer"].get("/api/events")
    assert "default-src 'self'" in api["Content-Security-Policy"]
    assert api["Cache-Control"] == "no-store"
    static = clients["anonymous"].get("/static/uncounted/app.css")
    assert static.get("Cache-Control") != "no-store"


def test_hsts_and_secure_cookies_only_over_https(monkeypatch: pytest.MonkeyPatch) -> None:
    import uncounted.web.settings as production

    try:
        plain = importlib.reload(production)
        assert not plain.SESSION_COOKIE_SECURE and not hasattr(plain, "SECURE_HSTS_SECONDS")
        monkeypatch.setenv("UNCOUNTED_HTTPS", "1")
        https = importlib.reload(production)
        assert https.SECURE_HSTS_SECONDS >= 365 * 24 * 3600
        assert https.SECURE_SSL_REDIRECT and https.SESSION_COOKIE_SECURE
        assert https.CSRF_COOKIE_SECURE and https.LANGUAGE_COOKIE_SECURE
    finally:
        monkeypatch.delenv("UNCOUNTED_HTTPS", raising=False)
        importlib.reload(production)


def test_hsts_header_is_sent_over_https(clients: dict[str, Any], settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = clients["viewer"].get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in clients["viewer"].get("/")


# -- no inline script or style: what the policy forbids is not in the templates ---------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.IGNORECASE)
HTMX_SCRIPTING = re.compile(r"\b(hx-on[:\w-]*|hx-vars|hx-vals\s*=\s*['\"]\s*js:)", re.IGNORECASE)


def test_templates_have_no_inline_script_style_or_handlers() -> None:
    assert len(TEMPLATES) > 15
    found = []
    for template in TEMPLATES:
        text = template.read_text(encoding="utf-8")
        for name, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("on* handler", EVENT_HANDLER),
            ("style attribute", STYLE_ATTR),
            ("<style> element", re.compile(r"<style", re.IGNORECASE)),
            ("javascript: URL", re.compile(r"javascript:", re.IGNORECASE)),
            ("htmx scripting", HTMX_SCRIPTING),
        ):
            if pattern.search(text):
                found.append(f"{template.name}: {name}")
    assert not found, found


def test_htmx_runs_without_eval() -> None:
    base = (WEB / "templates" / "uncounted" / "base.html").read_text(encoding="utf-8")
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', base)
    assert config is not None
    import json

    values = json.loads(config.group(1))
    assert values["allowEval"] is False and values["includeIndicatorStyles"] is False
    assert values["allowScriptTags"] is False
    app_js = (WEB / "static" / "uncounted" / "app.js").read_text(encoding="utf-8")
    assert "eval(" not in app_js and "new Function" not in app_js and "innerHTML" not in app_js


def test_rendered_pages_have_no_inline_script_or_style(
    clients: dict[str, Any], users: dict[str, Any], event: Any
) -> None:
    for name, (method, template, _, _, _) in MATRIX.items():
        if method != "GET" or name == "static":
            continue
        html = clients["admin"].get(_path(template, users)).content.decode()
        assert not INLINE_SCRIPT.search(html), name
        assert not STYLE_ATTR.search(html), name
        assert not EVENT_HANDLER.search(html), name


# -- CSRF --------------------------------------------------------------------------------


def test_every_post_form_carries_a_csrf_token() -> None:
    forms = 0
    for template in TEMPLATES:
        text = template.read_text(encoding="utf-8")
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, re.IGNORECASE | re.DOTALL):
            if re.search(r'method="post"', form, re.IGNORECASE):
                forms += 1
                assert "{% csrf_token %}" in form, (template.name, form[:80])
    assert forms >= 10


def test_every_address_refuses_a_post_without_a_csrf_token(
    users: dict[str, Any], event: Any
) -> None:
    from django.test import Client

    from uncounted.store.models import LinkDecision, Run, Source
    from uncounted.web.identity import read_identity

    runs_before = Run.objects.count()
    admin = Client(enforce_csrf_checks=True)
    admin.force_login(users["admin"])
    anonymous = Client(enforce_csrf_checks=True)
    body = {
        "username": "admin",
        "password": "x",
        "real_name": "김비밀",
        "kind": "link",
        "decision": "match",
        "left_id": "R001",
        "right_id": "R002",
        "action": "start",
        "language": "ko",
    }
    wrong = []
    for _, template, _, _, _ in MATRIX.values():
        path = _path(template, users)
        for who, client in (("admin", admin), ("anonymous", anonymous)):
            response = client.post(path, body)
            if response.status_code != 403:
                wrong.append(f"{who} POST {path}: {response.status_code}")
    assert not wrong, wrong
    assert Run.objects.count() == runs_before
    assert not LinkDecision.objects.exists()
    identity = read_identity(users["admin"], Source.objects.get(source_id="S001"))
    assert identity is not None and identity.real_name != "CSRF-probe-name"


# -- Django's deployment checks ------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.management import call_command

    import uncounted.store.settings as store_settings
    import uncounted.web.settings as production

    monkeypatch.setenv("UNCOUNTED_HTTPS", "1")
    monkeypatch.setenv("UNCOUNTED_SECRET_KEY", secrets.token_urlsafe(50))
    monkeypatch.setenv("UNCOUNTED_ALLOWED_HOSTS", "casebook.example.org")
    try:
        importlib.reload(store_settings)
        prod = importlib.reload(production)
        for key in dir(prod):
            if key.isupper() and key != "DATABASES":
                value = getattr(prod, key)
                if getattr(settings, key, object()) != value:
                    setattr(settings, key, value)
        assert settings.SECRET_KEY == prod.SECRET_KEY and len(settings.SECRET_KEY) >= 50
        assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
        call_command("check", deploy=True, fail_level="WARNING")
    finally:
        monkeypatch.undo()
        importlib.reload(store_settings)
        importlib.reload(production)


def test_check_deploy_warns_without_https(settings: Any) -> None:
    # The test above would pass vacuously if the checks never ran: without HTTPS they warn.
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.SECRET_KEY = secrets.token_urlsafe(50)
    with pytest.raises(SystemCheckError, match=r"security\.W00[48]|security\.W012"):
        call_command("check", deploy=True, fail_level="WARNING")
