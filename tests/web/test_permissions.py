"""Every role against every URL, and the fields each role may see.

The matrix names what each role (and an anonymous visitor) gets from every address in
``uncounted.web.urls``; a test fails when a URL is added without a row here.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::UserWarning")]

ALL = ("admin", "analyst", "reviewer", "viewer")
TESTIMONY = ("admin", "analyst", "reviewer")
EDITORS = ("admin", "analyst")
REVIEWERS = ("admin", "reviewer")
ADMINS = ("admin",)

# name -> (method, path, roles allowed, status when allowed, kind)
# kind "page": anonymous is sent to sign in; "api": anonymous gets 401;
# "public": anyone may use it.
MATRIX: dict[str, tuple[str, str, tuple[str, ...], int, str]] = {
    "dashboard": ("GET", "/", ALL, 200, "page"),
    "login": ("GET", "/accounts/login/", (), 200, "public"),
    "logout": ("POST", "/accounts/logout/", (), 302, "public"),
    # Without a password step pending, the code step sends everyone back to sign in.
    "login-code": ("GET", "/accounts/login/code/", (), 302, "public"),
    "account-security": ("GET", "/accounts/security/", ALL, 200, "page"),
    "set_language": ("POST", "/i18n/setlang/", (), 302, "public"),
    "collection-list": ("GET", "/collections/", TESTIMONY, 200, "page"),
    "collection-detail": ("GET", "/collections/C01/", TESTIMONY, 200, "page"),
    "source-list": ("GET", "/sources/", TESTIMONY, 200, "page"),
    "source-detail": ("GET", "/sources/S001/", TESTIMONY, 200, "page"),
    "source-identity": ("POST", "/sources/S001/identity/", ADMINS, 302, "page"),
    "interview-list": ("GET", "/interviews/", TESTIMONY, 200, "page"),
    "interview-detail": ("GET", "/interviews/I001/", TESTIMONY, 200, "page"),
    "report-list": ("GET", "/reports/", TESTIMONY, 200, "page"),
    "report-new": ("GET", "/reports/new/", EDITORS, 200, "page"),
    "mention-row": ("GET", "/reports/mention-row/?index=3", EDITORS, 200, "page"),
    "report-detail": ("GET", "/reports/R001/", TESTIMONY, 200, "page"),
    "report-edit": ("GET", "/reports/R001/edit/", EDITORS, 200, "page"),
    "parse-date": ("GET", "/parse/date/?date_as_told=2005", EDITORS, 200, "page"),
    "parse-place": ("GET", "/parse/place/?place_as_told=Hyesan", EDITORS, 200, "page"),
    "complete-places": ("GET", "/autocomplete/places/?q=hye", EDITORS, 200, "page"),
    "complete-sources": ("GET", "/autocomplete/sources/?q=S", EDITORS, 200, "page"),
    "complete-terms": ("GET", "/autocomplete/charges/?q=dr", EDITORS, 200, "page"),
    "import": ("GET", "/import/", EDITORS, 200, "page"),
    # No upload has this token: allowed roles get 404, the others 403 before that.
    "import-confirm": ("POST", "/import/AAAAAAAAAAAAAAAAAAAAAAAA/confirm/", EDITORS, 404, "page"),
    "import-cancel": ("POST", "/import/AAAAAAAAAAAAAAAAAAAAAAAA/cancel/", EDITORS, 404, "page"),
    "review": ("GET", "/review/", REVIEWERS, 200, "page"),
    "review-decide": ("POST", "/review/decide/", REVIEWERS, 302, "page"),
    "decision-list": ("GET", "/review/decisions/", REVIEWERS, 200, "page"),
    "event-list": ("GET", "/events/", ALL, 200, "page"),
    "event-detail": ("GET", "/events/E001/", ALL, 200, "page"),
    "run-list": ("GET", "/runs/", ALL, 200, "page"),
    "run-start": ("POST", "/runs/start/", EDITORS, 302, "page"),
    "run-detail": ("GET", "/runs/{run_id}/", ALL, 200, "page"),
    "user-list": ("GET", "/admin/users/", ADMINS, 200, "page"),
    "user-edit": ("GET", "/admin/users/{viewer_id}/", ADMINS, 200, "page"),
    "vocabularies": ("GET", "/vocabularies/", ALL, 200, "page"),
    "identifying-fields": ("GET", "/admin/identifying-fields/", ADMINS, 200, "page"),
    "api-index": ("GET", "/api/", ALL, 200, "api"),
    "api-reports": ("GET", "/api/reports", TESTIMONY, 200, "api"),
    "api-report": ("GET", "/api/reports/R001", TESTIMONY, 200, "api"),
    "api-events": ("GET", "/api/events", ALL, 200, "api"),
    "api-event": ("GET", "/api/events/E001", ALL, 200, "api"),
    "api-runs": ("GET", "/api/runs", ALL, 200, "api"),
    "api-run": ("GET", "/api/runs/{run_id}", ALL, 200, "api"),
    "static": ("GET", "/static/uncounted/app.css", (), 200, "public"),
}


def _url_names() -> set[str]:
    from uncounted.web.urls import urlpatterns

    return {p.name for p in urlpatterns if p.name}


def test_every_url_is_in_the_matrix() -> None:
    assert _url_names() == set(MATRIX)


def _path(template: str, users: dict[str, Any]) -> str:
    from uncounted.store.models import Run

    run = Run.objects.order_by("created_at").first()
    return template.format(run_id=run.run_id if run else "", viewer_id=users["viewer"].pk)


def _body(name: str) -> dict[str, str]:
    return {
        "review-decide": {
            "kind": "reports",
            "left_id": "R001",
            "right_id": "R002",
            "decision": "match",
            "note": "",
        },
        "run-start": {"kind": "link"},
        "source-identity": {"real_name": "김비밀", "contact": "secret-phone-010-0000"},
        "set_language": {"language": "ko", "next": "/"},
    }.get(name, {})


def _order(name: str) -> tuple[int, str]:
    # Reads first, then writes; signing out last, as it ends the session.
    method = MATRIX[name][0]
    return (2 if name == "logout" else 1 if method == "POST" else 0, name)


@pytest.mark.parametrize("who", ("anonymous", *ALL))
def test_matrix(who: str, clients: dict[str, Any], users: dict[str, Any], event: Any) -> None:
    client = clients[who]
    wrong = []
    for name in sorted(MATRIX, key=_order):
        method, template, allowed, ok_status, kind = MATRIX[name]
        path = _path(template, users)
        response = client.get(path) if method == "GET" else client.post(path, _body(name))
        status = response.status_code
        if kind == "public":
            expected = 302 if (name == "login" and who != "anonymous") else ok_status
        elif who == "anonymous":
            expected = 401 if kind == "api" else 302
            if kind == "page" and status == 302:
                assert response["Location"].startswith("/accounts/login/?next="), name
        else:
            expected = ok_status if who in allowed else 403
        if status != expected:
            wrong.append(f"{method} {path}: {status}, expected {expected}")
        if kind == "api" and status >= 400:
            error = response.json()["error"]
            want = {401: "not_authenticated", 403: "forbidden"}.get(status)
            if want and error["code"] != want:
                wrong.append(f"{path}: error code {error['code']}")
    assert not wrong, "\n".join(wrong)


def test_post_only_urls_refuse_get_to_allowed_roles(clients: dict[str, Any], event: Any) -> None:
    for name in ("review-decide", "run-start", "source-identity"):
        _, path, allowed, _, _ = MATRIX[name]
        assert clients[allowed[0]].get(path).status_code == 405


def test_a_user_without_a_role_gets_nothing(db: None, casebook: Any) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    user = User.objects.create_user("nobody", password="x")
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 403
    assert client.get("/api/events").status_code == 403


SECRETS = ("김비밀", "secret-phone-010-0000")
VICTIM_NAMES = ("장성택", "Chang Sŏng")
FREE_TEXT = ("시장에서 세 명이", "heard from a trader", "혜산시", "2005년 3월")


def _all_get_paths(users: dict[str, Any]) -> list[str]:
    return [
        _path(t, users)
        for (m, t, _, _, kind) in MATRIX.values()
        if m == "GET" and not t.startswith("/static/")
    ]


def test_identity_is_shown_only_to_admins_on_the_source_page(
    clients: dict[str, Any], users: dict[str, Any], event: Any
) -> None:
    from uncounted.store.models import Source
    from uncounted.web.identity import write_identity

    write_identity(users["admin"], Source.objects.get(source_id="S001"), *SECRETS)
    for who in ("anonymous", *ALL):
        for path in _all_get_paths(users):
            text = clients[who].get(path).content.decode()
            allowed = who == "admin" and path == "/sources/S001/"
            for secret in SECRETS:
                assert (secret in text) == (allowed and True), (who, path, secret)


def test_viewer_sees_no_free_text_and_no_names(
    clients: dict[str, Any], users: dict[str, Any], event: Any
) -> None:
    for path in _all_get_paths(users):
        text = clients["viewer"].get(path).content.decode()
        for value in (*VICTIM_NAMES, *FREE_TEXT, "W-2009-0001"):
            assert value not in text, (path, value)


def test_victim_names_are_shown_to_testimony_roles(clients: dict[str, Any], event: Any) -> None:
    for who in TESTIMONY:
        assert "장성택" in clients[who].get("/reports/R001/").content.decode()
        assert "장성택" in clients[who].get("/api/reports/R001").content.decode()


def test_identity_never_in_api_answers(
    clients: dict[str, Any], users: dict[str, Any], event: Any
) -> None:
    from uncounted.store.models import Source
    from uncounted.web.identity import write_identity

    write_identity(users["admin"], Source.objects.get(source_id="S001"), *SECRETS)
    for path in ("/api/reports", "/api/reports/R001", "/api/events/E001", "/api/runs"):
        text = clients["admin"].get(path).content.decode()
        assert not any(s in text for s in SECRETS)


def test_only_admins_may_write_identity(users: dict[str, Any], casebook: Any) -> None:
    from django.core.exceptions import PermissionDenied

    from uncounted.store.models import Source
    from uncounted.web.identity import read_identity, write_identity

    source = Source.objects.get(source_id="S002")
    for role in ("analyst", "reviewer", "viewer"):
        with pytest.raises(PermissionDenied):
            write_identity(users[role], source, "x", "y")
        assert read_identity(users[role], source) is None
    write_identity(users["admin"], source, "이름", "연락처")
    identity = read_identity(users["admin"], source)
    assert identity is not None and (identity.real_name, identity.contact) == ("이름", "연락처")
