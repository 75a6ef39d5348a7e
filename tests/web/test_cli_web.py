"""``uncounted createuser`` and ``uncounted serve`` as an operator meets them."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from tests.web.served import run_cli, serving

PASSWORD = "a-long-cli-password-7\n"


@pytest.mark.slow
def test_createuser_reads_the_password_from_stdin(tmp_path: Path) -> None:
    db = tmp_path / "case.sqlite3"
    made = run_cli(
        tmp_path, "createuser", "kim", "--role", "analyst", "--db", str(db), stdin=PASSWORD
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "created kim (analyst)"
    assert PASSWORD.strip() not in made.stdout + made.stderr
    again = run_cli(
        tmp_path, "createuser", "kim", "--role", "analyst", "--db", str(db), stdin=PASSWORD
    )
    assert again.returncode == 2 and "already exists" in again.stderr


@pytest.mark.slow
def test_createuser_refuses_bad_roles_weak_passwords_and_password_arguments(tmp_path: Path) -> None:
    db = str(tmp_path / "case.sqlite3")
    role = run_cli(tmp_path, "createuser", "lee", "--role", "boss", "--db", db, stdin=PASSWORD)
    assert role.returncode == 2 and "admin, analyst, reviewer, viewer" in role.stderr
    weak = run_cli(tmp_path, "createuser", "lee", "--role", "viewer", "--db", db, stdin="1234\n")
    assert weak.returncode == 2 and "password refused" in weak.stderr and "1234" not in weak.stderr
    argument = run_cli(tmp_path, "createuser", "lee", "secret-pass", "--role", "viewer", "--db", db)
    assert argument.returncode != 0
    empty = run_cli(tmp_path, "createuser", "lee", "--role", "viewer", "--db", db, stdin="")
    assert empty.returncode == 2 and "empty" in empty.stderr


def test_help_lists_serve_and_createuser(tmp_path: Path) -> None:
    out = run_cli(tmp_path, "--help").stdout
    assert "serve" in out and "createuser" in out
    serve_help = run_cli(tmp_path, "serve", "--help").stdout
    assert all(flag in serve_help for flag in ("--db", "--host", "--port"))


@pytest.mark.slow
def test_serve_runs_the_app_under_gunicorn(tmp_path: Path) -> None:
    db = tmp_path / "case.sqlite3"
    assert (
        run_cli(
            tmp_path, "createuser", "ana", "--role", "viewer", "--db", str(db), stdin=PASSWORD
        ).returncode
        == 0
    )
    with serving(tmp_path, db) as (base, log):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "/api/reports?q=secret-search-text", timeout=10)
        assert refused.value.code == 401
        body = json.loads(refused.value.read())
        assert body["error"]["code"] == "not_authenticated"
        page = urllib.request.urlopen(base + "/accounts/login/", timeout=10).read().decode()
        assert 'name="username"' in page and 'name="password"' in page
        css = urllib.request.urlopen(base + "/static/uncounted/app.css", timeout=10)
        assert css.status == 200
    text = log.read_text()
    assert "gunicorn" in text.lower() and '"GET /api/reports" 401' in text
    assert "secret-search-text" not in text, "query strings must not be logged"
