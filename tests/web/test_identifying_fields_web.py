"""The administrator's identifying fields in the web app: defined on an admin-only page,
edited on the source page with the rest of the identity, seen by administrators only,
locked without the key, and in the audit log."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.test_permissions import ALL, MATRIX, _path

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::UserWarning")]

HOMETOWN = "회령시 숨은마을 7반"
WORKPLACE = "<script>alert('공장')</script>"
LOCATION = "서울 마포구 비밀 카페 2층"
VALUES = (HOMETOWN, WORKPLACE, LOCATION)


def _add_fields(admin: Any) -> None:
    for key, en, ko in (("hometown", "Hometown", "고향"), ("workplace", "Workplace", "직장")):
        done = admin.post(
            "/admin/identifying-fields/", {"key": key, "label_en": en, "label_ko": ko}
        )
        assert done.status_code == 302, done.content.decode()[:500]


def _save_identity(admin: Any) -> Any:
    return admin.post(
        "/sources/S002/identity/",
        {
            "real_name": "",
            "contact": "",
            "interview_location": LOCATION,
            "identity_hometown": HOMETOWN,
            "identity_workplace": WORKPLACE,
        },
    )


def test_admin_defines_fields_with_korean_labels(clients: dict[str, Any], casebook: Any) -> None:
    from uncounted.store.models import IdentifyingField

    admin = clients["admin"]
    _add_fields(admin)
    assert list(IdentifyingField.objects.values_list("key", "created_by")) == [
        ("hometown", "web:admin"),
        ("workplace", "web:admin"),
    ]
    korean = admin.get("/admin/identifying-fields/", headers={"Accept-Language": "ko"})
    text = korean.content.decode()
    assert "신원 식별 항목" in text and "고향" in text and "identity_hometown" in text
    again = admin.post("/admin/identifying-fields/", {"key": "hometown", "label_en": "x"})
    assert again.status_code == 200 and "already defined" in again.content.decode()
    bad = admin.post("/admin/identifying-fields/", {"key": "<b>x</b>", "label_en": "x"})
    assert bad.status_code == 200 and "lower-case letter first" in bad.content.decode()
    assert IdentifyingField.objects.count() == 2


def test_admin_sees_and_edits_extra_fields_and_no_one_else_sees_them(
    clients: dict[str, Any], users: dict[str, Any], event: Any
) -> None:
    from django.db import connection

    from uncounted.store.audit_verify import verify
    from uncounted.store.identifying import read_extra
    from uncounted.store.models import SourceIdentity

    admin = clients["admin"]
    _add_fields(admin)
    assert _save_identity(admin).status_code == 302
    row = SourceIdentity.objects.get(source__source_id="S002")
    assert read_extra(row.extra) == {"hometown": HOMETOWN, "workplace": WORKPLACE}
    with connection.cursor() as cursor:
        cursor.execute("SELECT extra, interview_location FROM store_sourceidentity")
        raw = " ".join(v for r in cursor.fetchall() for v in r)
    assert not any(v in raw for v in VALUES)

    page = admin.get("/sources/S002/").content.decode()
    assert HOMETOWN in page and LOCATION in page and "Hometown" in page
    assert WORKPLACE not in page and "&lt;script&gt;" in page  # escaped, never run
    # Clearing one field keeps the others.
    admin.post(
        "/sources/S002/identity/",
        {"interview_location": LOCATION, "identity_hometown": HOMETOWN, "identity_workplace": ""},
    )
    row.refresh_from_db()
    assert read_extra(row.extra) == {"hometown": HOMETOWN}
    assert verify().ok

    # Nobody but an administrator sees them, on any page or API answer.
    gets = [
        _path(t, users)
        for (m, t, _, _, _) in MATRIX.values()
        if m == "GET" and not t.startswith("/static/")
    ]
    for who in ("anonymous", *ALL):
        for path in [*gets, "/sources/S002/"]:
            body = clients[who].get(path).content.decode()
            shown = [v for v in (HOMETOWN, LOCATION) if v in body]
            if who == "admin" and path == "/sources/S002/":
                assert shown == [HOMETOWN, LOCATION]
            else:
                assert shown == [], (who, path)
    for who in ("analyst", "reviewer", "viewer"):
        refused = clients[who].post("/sources/S002/identity/", {"identity_hometown": "x"})
        assert refused.status_code == 403
    row.refresh_from_db()
    assert read_extra(row.extra) == {"hometown": HOMETOWN}


def test_without_the_key_the_identity_is_locked_and_left_alone(
    clients: dict[str, Any], casebook: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection

    admin = clients["admin"]
    _add_fields(admin)
    _save_identity(admin)
    with connection.cursor() as cursor:
        cursor.execute("SELECT extra, interview_location FROM store_sourceidentity")
        before = cursor.fetchall()
    monkeypatch.delenv("UNCOUNTED_KEY_FILE")
    page = admin.get("/sources/S002/").content.decode()
    assert "identity is locked" in page and HOMETOWN not in page
    assert 'name="identity_hometown"' not in page
    saved = admin.post("/sources/S002/identity/", {"identity_hometown": "다른 곳"}, follow=True)
    assert "key is not available" in saved.content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT extra, interview_location FROM store_sourceidentity")
        assert cursor.fetchall() == before
