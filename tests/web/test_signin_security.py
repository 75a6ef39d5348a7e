"""Signing in: argon2 hashes, the lockout after failed sign-ins, the TOTP second factor."""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

import pytest
from tests.web.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::UserWarning")]

LOGIN = "/accounts/login/"
WRONG = "not-the-password-123"


def _signed_in(client: Any) -> bool:
    return "_auth_user_id" in client.session


def _login(client: Any, username: str, password: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


# -- password hashing ------------------------------------------------------------------


def test_argon2_is_the_production_hasher() -> None:
    # The web tests swap in a fast hasher; the production settings module must not.
    import uncounted.web.settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    # Older hashes keep verifying (and are upgraded at the next sign-in).
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in production.PASSWORD_HASHERS


def test_new_passwords_are_stored_as_argon2id_and_old_ones_upgrade(settings: Any, db: None) -> None:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.test import Client

    from uncounted.web.settings import PASSWORD_HASHERS

    settings.PASSWORD_HASHERS = PASSWORD_HASHERS
    user = User.objects.create_user("hashme", password=PASSWORD)
    assert user.password.startswith("argon2$argon2id$")
    # An account from before: a PBKDF2 hash still signs in and is re-hashed with Argon2.
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    client = Client()
    _login(client, "hashme", PASSWORD)
    assert _signed_in(client)
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")


# -- lockout ----------------------------------------------------------------------------


def test_five_failures_lock_out_the_sixth_correct_sign_in(
    users: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    from django.test import Client

    caplog.set_level(logging.DEBUG)
    client = Client(HTTP_USER_AGENT="Agent-Fingerprint/9.9")
    for _ in range(5):
        response = _login(client, "analyst", WRONG)
        assert not _signed_in(client)
    response = _login(client, "analyst", PASSWORD)
    assert response.status_code == 429
    assert not _signed_in(client)
    assert b"data-locked" in response.content and b"15 minutes" in response.content
    # Other accounts from the same address are not affected.
    assert _login(Client(), "viewer", PASSWORD).status_code == 302
    # The log names the user and nothing else about the client; never a password.
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "analyst" in text
    for secret in (WRONG, PASSWORD, "127.0.0.1", "Agent-Fingerprint"):
        assert secret not in text, secret


def test_the_lockout_ends_after_the_cool_off(users: dict[str, Any]) -> None:
    from axes.models import AccessAttempt
    from django.test import Client

    client = Client()
    for _ in range(5):
        _login(client, "reviewer", WRONG)
    assert _login(client, "reviewer", PASSWORD).status_code == 429
    # 16 minutes pass.
    past = dt.timedelta(minutes=16)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - past)
    assert _login(client, "reviewer", PASSWORD).status_code == 302
    assert _signed_in(client)
    assert not AccessAttempt.objects.filter(username="reviewer").exists()


def test_stored_attempts_hold_no_password(users: dict[str, Any]) -> None:
    from axes.models import AccessAttempt
    from django.test import Client

    _login(Client(), "admin", WRONG)
    attempt = AccessAttempt.objects.get(username="admin")
    assert WRONG not in attempt.post_data
    assert "password=****" in attempt.post_data


def test_the_lockout_message_is_in_korean(users: dict[str, Any]) -> None:
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    for _ in range(5):
        _login(client, "viewer", WRONG)
    response = _login(client, "viewer", PASSWORD)
    assert response.status_code == 429
    assert "로그인" in response.content.decode() and "15분" in response.content.decode()


# -- TOTP second factor ------------------------------------------------------------------


def _code(device: Any, offset_steps: int = 0) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def _enrol(client: Any) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page = client.post("/accounts/security/", {"action": "start"}, follow=True)
    html = page.content.decode()
    assert "otpauth://totp/" in html and "<svg" in html
    device = TOTPDevice.objects.get(confirmed=False)
    secret = html.split("data-secret>")[1].split("<")[0].replace(" ", "")
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    response = client.post("/accounts/security/", {"action": "confirm", "otp_token": "000000"})
    assert "wrong" in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(
        "/accounts/security/", {"action": "confirm", "otp_token": _code(device)}, follow=True
    )
    assert b'data-two-factor="on"' in response.content
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_enrol_then_sign_in_asks_for_the_code(users: dict[str, Any]) -> None:
    from django.test import Client

    enrolling = Client()
    _login(enrolling, "analyst", PASSWORD)
    device = _enrol(enrolling)
    # The enrolling session stays usable (it was verified by the confirming code).
    assert enrolling.get("/reports/").status_code == 200

    client = Client()
    response = client.post(LOGIN + "?next=/reports/", {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert not _signed_in(client)
    # Nothing is reachable with the password alone.
    assert client.get("/reports/").status_code == 302
    wrong = client.post("/accounts/login/code/", {"otp_token": "123456"})
    assert wrong.status_code == 200 and not _signed_in(client)
    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post("/accounts/login/code/", {"otp_token": _code(device, 1)})
    assert ok.status_code == 302 and ok["Location"] == "/reports/"
    assert _signed_in(client)
    assert client.get("/reports/").status_code == 200


def test_a_code_cannot_be_used_twice(users: dict[str, Any]) -> None:
    from django.test import Client

    c = Client()
    _login(c, "reviewer", PASSWORD)
    device = _enrol(c)
    code = _code(device, 1)
    first, second = Client(), Client()
    _login(first, "reviewer", PASSWORD)
    _login(second, "reviewer", PASSWORD)
    assert first.post("/accounts/login/code/", {"otp_token": code}).status_code == 302
    assert second.post("/accounts/login/code/", {"otp_token": code}).status_code == 200
    assert not _signed_in(second)


def test_too_many_wrong_codes_drop_the_pending_sign_in(users: dict[str, Any]) -> None:
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    c = Client()
    _login(c, "viewer", PASSWORD)
    _enrol(c)
    client = Client()
    _login(client, "viewer", PASSWORD)
    for _ in range(5):
        response = client.post("/accounts/login/code/", {"otp_token": "000001"})
    assert response.status_code == 429
    assert client.get("/accounts/login/code/").status_code == 302
    device = TOTPDevice.objects.get(user=users["viewer"])
    # django-otp throttles too: each failure doubles the wait before the next try counts.
    assert device.throttling_failure_count >= 1 and device.throttling_failure_timestamp


def test_sessions_signed_in_without_a_code_end_when_the_user_enrols(
    users: dict[str, Any],
) -> None:
    from django.test import Client

    old = Client()
    old.force_login(users["admin"])
    assert old.get("/").status_code == 200
    enrolling = Client()
    _login(enrolling, "admin", PASSWORD)
    _enrol(enrolling)
    assert old.get("/").status_code == 302
    assert not _signed_in(old)
    assert old.get("/api/events").status_code == 401


def test_removing_the_second_factor_needs_a_code(users: dict[str, Any]) -> None:
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    c = Client()
    _login(c, "analyst", PASSWORD)
    device = _enrol(c)
    c.post("/accounts/security/", {"action": "remove", "otp_token": "000000"})
    assert TOTPDevice.objects.filter(user=users["analyst"], confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()
    c.post("/accounts/security/", {"action": "remove", "otp_token": _code(device, 1)})
    assert not TOTPDevice.objects.filter(user=users["analyst"]).exists()


def test_required_second_factor_confines_users_to_enrolment(
    users: dict[str, Any], settings: Any
) -> None:
    from django.test import Client

    settings.UNCOUNTED_REQUIRE_2FA = True
    client = Client()
    _login(client, "analyst", PASSWORD)
    response = client.get("/reports/")
    assert response.status_code == 302 and response["Location"] == "/accounts/security/"
    assert client.get("/api/reports").status_code == 403
    page = client.get("/accounts/security/").content.decode()
    assert "requires two-step sign-in" in page
    _enrol(client)
    assert client.get("/reports/").status_code == 200
    # Once required, it cannot be turned off.
    device_code = "000000"
    client.post("/accounts/security/", {"action": "remove", "otp_token": device_code})
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert TOTPDevice.objects.filter(user=users["analyst"], confirmed=True).exists()


def test_required_setting_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import uncounted.web.settings as production

    monkeypatch.setenv("UNCOUNTED_REQUIRE_2FA", "1")
    assert importlib.reload(production).UNCOUNTED_REQUIRE_2FA is True
    monkeypatch.delenv("UNCOUNTED_REQUIRE_2FA")
    assert importlib.reload(production).UNCOUNTED_REQUIRE_2FA is False


def test_the_address_counted_behind_the_proxy(settings: Any) -> None:
    from django.test import RequestFactory

    from uncounted.web.signin import client_ip

    rf = RequestFactory()
    spoofed = "203.0.113.9, 198.51.100.7"
    direct = rf.post(LOGIN, REMOTE_ADDR="192.0.2.5", HTTP_X_FORWARDED_FOR=spoofed)
    proxied = rf.post(LOGIN, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=spoofed)
    # Without the HTTPS proxy set-up, the header is never believed.
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_ip(proxied) == "127.0.0.1"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # From the proxy: the address the proxy appended (the last), not one the client sent.
    assert client_ip(proxied) == "198.51.100.7"
    # From anywhere else: the header is the client's own claim and is ignored.
    assert client_ip(direct) == "192.0.2.5"


def test_lockout_behind_the_proxy_is_per_client_address(
    users: dict[str, Any], settings: Any
) -> None:
    from django.test import Client

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    attacker = Client(HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(5):
        _login(attacker, "admin", WRONG)
    assert _login(attacker, "admin", PASSWORD).status_code == 429
    # The real user, behind the same proxy but from another address, still signs in.
    owner = Client(HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert _login(owner, "admin", PASSWORD).status_code == 302


def test_an_admin_can_unlock_an_account_and_remove_a_lost_authenticator(
    users: dict[str, Any], clients: dict[str, Any]
) -> None:
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    owner = Client()
    _login(owner, "analyst", PASSWORD)
    _enrol(owner)
    for _ in range(5):
        _login(Client(), "analyst", WRONG)
    path = f"/admin/users/{users['analyst'].pk}/"
    page = clients["admin"].get(path).content.decode()
    assert 'value="reset_second_factor"' in page and 'value="unlock"' in page
    # Only admins reach these actions.
    assert clients["viewer"].post(path, {"action": "unlock"}).status_code == 403
    clients["admin"].post(path, {"action": "unlock"})
    clients["admin"].post(path, {"action": "reset_second_factor"})
    assert not TOTPDevice.objects.filter(user=users["analyst"]).exists()
    again = Client()
    assert _login(again, "analyst", PASSWORD).status_code == 302
    assert _signed_in(again)


NEW_TEMPLATES = ("login.html", "login_code.html", "account_security.html", "user_edit.html")


def test_the_new_pages_are_translated(clients: dict[str, Any]) -> None:
    import re
    from pathlib import Path

    web = Path(__file__).resolve().parents[2] / "src" / "uncounted" / "web"
    po = (web / "locale" / "ko" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    missing = []
    for name in NEW_TEMPLATES:
        text = (web / "templates" / "uncounted" / name).read_text(encoding="utf-8")
        for msgid in re.findall(r'{% translate "([^"]+)" %}', text):
            if f'msgid "{msgid}"' not in po:
                missing.append(msgid)
    assert not missing
    page = clients["viewer"].get("/accounts/security/", headers={"Accept-Language": "ko"})
    assert "2단계 로그인" in page.content.decode()
