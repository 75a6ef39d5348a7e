"""Korean and English: the browser's language decides, the user can switch, and the
compiled catalogue is the translation file as written."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path
from typing import Any

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "uncounted" / "web" / "locale"
PO = LOCALE / "ko" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "ko" / "LC_MESSAGES" / "django.mo"


def _po_entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr (msgstr[0] for plurals) from a .po file, without a library."""
    entries: dict[str, str] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            m = re.match(r'^(msgid|msgid_plural|msgstr|msgstr\[0\]|msgstr\[\d+\]) (".*")$', line)
            if m:
                key = m.group(1)
                fields[key] = ast.literal_eval(m.group(2))
            elif line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
        if fields.get("msgid"):
            entries[fields["msgid"]] = fields.get("msgstr", fields.get("msgstr[0]", ""))
    return entries


def test_every_message_has_a_korean_translation() -> None:
    entries = _po_entries(PO)
    assert len(entries) > 200
    assert not [k for k, v in entries.items() if not v]


def test_the_compiled_catalogue_matches_the_translation_file() -> None:
    with MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for msgid, msgstr in _po_entries(PO).items():
        if catalog.gettext(msgid) != msgstr:
            stale.append(msgid)
    assert not stale, f"recompile django.mo (msgfmt -o django.mo django.po): {stale[:5]}"


@pytest.mark.django_db
def test_language_follows_the_browser_and_can_be_switched(clients: dict[str, Any]) -> None:
    viewer = clients["viewer"]
    assert "Dashboard" in viewer.get("/", headers={"Accept-Language": "en"}).content.decode()
    korean = viewer.get("/", headers={"Accept-Language": "ko-KR,ko;q=0.9"}).content.decode()
    assert "대시보드" in korean and 'lang="ko"' in korean
    switched = viewer.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switched.status_code == 302
    again = viewer.get("/", headers={"Accept-Language": "ko"}).content.decode()
    assert "Dashboard" in again and 'lang="en"' in again


@pytest.mark.django_db
def test_vocabulary_labels_follow_the_language(clients: dict[str, Any], casebook: Any) -> None:
    page = clients["analyst"].get("/reports/R001/", headers={"Accept-Language": "ko"})
    html = page.content.decode()
    assert "마약 범죄" in html and "직접 목격" in html
    english = (
        clients["analyst"].get("/reports/R001/", headers={"Accept-Language": "en"}).content.decode()
    )
    assert "Drug offences" in english and "Saw it" in english


@pytest.mark.django_db
def test_sign_in_page_is_translated(client: Any) -> None:
    html = client.get("/accounts/login/", headers={"Accept-Language": "ko"}).content.decode()
    assert "로그인" in html and 'name="username"' in html and 'name="password"' in html
