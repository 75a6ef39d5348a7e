"""Hostile input in every text field: stored as given or refused, always rendered escaped.

Each payload goes into each text field of the report entry form (victim mentions and the
interview fields included), the source identity form, the review note and the import
upload (file contents and file names). A field either refuses the value with a message
saying what it expects (and nothing is written) or stores it exactly as typed; wherever
it is shown afterwards (list, detail, API) the markup is escaped and the page works.
"""

from __future__ import annotations

import json
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from tests.web.test_reports import _form

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::UserWarning")]

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "javascript-url": "javascript:alert(document.cookie)",
    "sql": "'; DROP TABLE store_report; --",
    "rtl-override": "report\u202egpj.exe",
    "zero-width": "김\u200d철\u200b수",
    "homoglyph": "Нyеsаn 혜산",  # Cyrillic Н, е, а among Latin letters
    "nfd-hangul": unicodedata.normalize("NFD", "혜산시 김철수"),
}
REPORT_FIELDS = (
    "report_id",
    "source_id",
    "interview_id",
    "interview_date",
    "date_as_told",
    "place_as_told",
    "victims_as_told",
    "charges",
    "method",
    "narrative",
    "mentions-0-name_as_told",
    "mentions-0-age_as_told",
    "mentions-0-charges",
)
# What must never appear in any HTML page, whatever was typed: the payloads' own tags.
RAW_MARKUP = ("<script>alert(1)", "<img src=x")


class _Tags(HTMLParser):
    """Every element as the browser would see it: name and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _assert_safe_html(html: str, where: str) -> None:
    for raw in RAW_MARKUP:
        assert raw not in html, (where, raw)
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        # The templates have no inline script, no event handlers, no javascript: links.
        assert tag != "script" or dict(attrs).get("src"), (where, tag)
        for name, value in attrs:
            assert not name.startswith("on"), (where, tag, name)
            if name in ("href", "src", "action", "formaction"):
                assert not (value or "").strip().lower().startswith("javascript:"), (where, tag)
        assert not (tag == "img" and dict(attrs).get("src") == "x"), where


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _stored(report: Any, field: str) -> Any:
    if field.startswith("mentions-0-"):
        mention = report.mentions.order_by("mention_id").first()
        return getattr(mention, field.removeprefix("mentions-0-"), None)
    return getattr(report, field, None)


@pytest.mark.parametrize("field", REPORT_FIELDS)
def test_report_form_fields(field: str, clients: dict[str, Any], casebook: Any) -> None:
    from uncounted.store.models import Report

    analyst = clients["analyst"]
    for n, (kind, payload) in enumerate(PAYLOADS.items()):
        report_id = f"R{700 + n}"
        data = _form(report_id=report_id, accept_unresolved="on", interview_id=f"I{700 + n}")
        data[field] = payload
        response = analyst.post("/reports/new/", data)
        where = f"{field} {kind}"
        assert response.status_code in (200, 302), where
        html = response.content.decode()
        _assert_safe_html(html, where)
        if response.status_code == 200:
            # Refused: a message beside the field (or on top), and nothing written.
            form = response.context["form"]
            assert form.errors, where
            assert "expected" in str(form.errors) or "at most" in str(form.errors), where
            assert not Report.objects.filter(report_id__in=(report_id, payload)).exists(), where
            continue
        report = Report.objects.get(report_id=report_id)
        assert _stored(report, field) == payload, where
        for path in (f"/reports/{report_id}/", "/reports/?sort=-report_id", "/events/"):
            page = analyst.get(path)
            assert page.status_code == 200, (where, path)
            _assert_safe_html(page.content.decode(), f"{where} {path}")
        detail = analyst.get(f"/reports/{report_id}/").content.decode()
        # Shown, exactly as typed, in escaped form.
        from django.utils.html import escape

        assert escape(payload) in detail, where
        api = analyst.get(f"/api/reports/{report_id}")
        assert api.status_code == 200
        assert "<script" not in api.content.decode() and "<img" not in api.content.decode()
        assert payload in _strings(api.json()), where


def test_every_payload_fits_somewhere(clients: dict[str, Any], casebook: Any) -> None:
    # The free-text fields keep all of them exactly: the suite above is not vacuous.
    from uncounted.store.models import Report

    data = _form(report_id="R799", accept_unresolved="on")
    data["narrative"] = "\n".join(PAYLOADS.values())
    data["mentions-0-name_as_told"] = PAYLOADS["script"]
    assert clients["analyst"].post("/reports/new/", data).status_code == 302
    report = Report.objects.get(report_id="R799")
    assert report.narrative == "\n".join(PAYLOADS.values())
    assert report.mentions.get().name_as_told == PAYLOADS["script"]


def test_bidi_text_is_isolated_in_the_style_sheet() -> None:
    css = (
        Path(__file__).resolve().parents[2] / "src/uncounted/web/static/uncounted/app.css"
    ).read_text(encoding="utf-8")
    assert "unicode-bidi: isolate" in css


@pytest.mark.parametrize("kind", list(PAYLOADS))
def test_source_identity_form(
    kind: str, clients: dict[str, Any], users: Any, casebook: Any
) -> None:
    from uncounted.store.models import Source
    from uncounted.web.identity import read_identity

    payload = PAYLOADS[kind]
    admin = clients["admin"]
    response = admin.post(
        "/sources/S002/identity/", {"real_name": payload, "contact": payload + "-contact"}
    )
    assert response.status_code == 302
    identity = read_identity(users["admin"], Source.objects.get(source_id="S002"))
    assert identity is not None
    assert (identity.real_name, identity.contact) == (payload, payload + "-contact")
    page = admin.get("/sources/S002/")
    assert page.status_code == 200
    _assert_safe_html(page.content.decode(), kind)
    for path in ("/sources/", "/reports/", "/api/reports"):
        text = admin.get(path).content.decode()
        _assert_safe_html(text, path)
        assert payload not in text, (kind, path)


def test_oversize_identity_is_refused_with_a_message(
    clients: dict[str, Any], users: Any, casebook: Any
) -> None:
    from uncounted.store.models import Source
    from uncounted.web.identity import read_identity

    response = clients["admin"].post(
        "/sources/S002/identity/", {"real_name": "x" * 300, "contact": ""}, follow=True
    )
    assert "not saved" in response.content.decode()
    identity = read_identity(users["admin"], Source.objects.get(source_id="S002"))
    assert identity is not None and identity.real_name == ""


@pytest.mark.parametrize("kind", ["script", "attribute", "sql", "rtl-override"])
def test_review_note(kind: str, clients: dict[str, Any], event: Any) -> None:
    from uncounted.store.models import LinkDecision

    payload = PAYLOADS[kind]
    body = {"kind": "reports", "left_id": "R001", "right_id": "R002", "decision": "unsure"}
    response = clients["reviewer"].post("/review/decide/", {**body, "note": payload})
    assert response.status_code == 302
    assert LinkDecision.objects.get().note == payload
    for path in ("/review/decisions/", "/review/", "/events/E001/"):
        page = clients["reviewer"].get(path)
        assert page.status_code == 200
        _assert_safe_html(page.content.decode(), path)
    # An identifier that is not a report is refused, whatever it holds.
    bad = clients["reviewer"].post(
        "/review/decide/", {**body, "left_id": payload[:64], "note": "x"}
    )
    assert bad.status_code in (302, 404)
    assert LinkDecision.objects.count() == 1


# -- the import upload ---------------------------------------------------------------------

BOUNDARY = "hostile-boundary-2b7c1e"
HOSTILE_NAMES = (
    "../../etc/passwd.csv",
    "/etc/passwd.csv",
    "..\\..\\windows\\evil.csv",
    "nul\x00byte.csv",
    "<script>alert(1)</script>.csv",
    "report\u202evsc.exe",
    ".hidden.csv",
    "..",
    "a/../../../b.csv",
    "C:\\temp\\x.csv",
)


def _multipart(files: list[tuple[str, bytes]], **fields: str) -> bytes:
    """A multipart body written by hand, so that file names go out exactly as given."""
    out = b""
    for name, value in fields.items():
        out += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()
    for filename, content in files:
        out += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode("utf-8", "surrogateescape")
        out += content + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


def _upload(client: Any, files: list[tuple[str, bytes]], **fields: str) -> Any:
    return client.post(
        "/import/",
        data=_multipart(files, **fields),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _reports_csv(**values: str) -> bytes:
    import csv
    import io

    from tests.ingest.casebook import COLUMNS, REPORT_ROWS

    row = {**REPORT_ROWS[1], "report_id": "R900", **values}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS["reports"]), lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def test_hostile_file_names_stay_inside_the_upload_folder(
    clients: dict[str, Any], casebook: Any, settings: Any, tmp_path: Path
) -> None:
    from uncounted.store.models import Report

    uploads = Path(settings.UPLOAD_DIR)
    before = set(_files_under(tmp_path))
    content = _reports_csv()
    response = _upload(clients["analyst"], [(n, content) for n in HOSTILE_NAMES])
    assert response.status_code == 200
    _assert_safe_html(response.content.decode(), "upload report")
    written = [p for p in _files_under(tmp_path) if p not in before]
    assert written, "the usable names were stored"
    for path in written:
        assert uploads in path.parents, path
        assert path.parent.parent == uploads, path  # uploads/<token>/<name>
        assert not path.name.startswith("."), path
        assert "\x00" not in path.name and "\u202e" not in path.name, path
    assert not (tmp_path / "etc").exists() and not (tmp_path.parent / "etc").exists()
    assert not Report.objects.filter(report_id="R900").exists()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.csv", "passwd.csv"),
        ("/etc/passwd.csv", "passwd.csv"),
        ("..\\..\\evil.csv", "evil.csv"),
        ("nul\x00byte.csv", "nulbyte.csv"),
        ("report\u202evsc.exe", "reportvsc.exe"),
        (".hidden.csv", "hidden.csv"),
        ("..", None),
        ("<script>.csv", "_script_.csv"),
        (unicodedata.normalize("NFD", "보고.csv"), "보고.csv"),
        ("reports.csv", "reports.csv"),
    ],
)
def test_safe_name(raw: str, expected: str | None) -> None:
    from uncounted.web.uploads import safe_name

    assert safe_name(raw) == expected


def test_hostile_file_contents_render_escaped(
    clients: dict[str, Any], casebook: Any, settings: Any
) -> None:
    from uncounted.store.models import Report

    analyst = clients["analyst"]
    content = _reports_csv(
        narrative=PAYLOADS["script"],
        date_as_told=PAYLOADS["attribute"],
        place_as_told=PAYLOADS["javascript-url"],
    )
    response = _upload(analyst, [("reports.csv", content)], accept_unresolved="on")
    assert response.status_code == 200
    _assert_safe_html(response.content.decode(), "check")
    assert not Report.objects.filter(report_id="R900").exists()
    token = response.context["report"].token
    confirm = analyst.post(f"/import/{token}/confirm/")
    assert confirm.status_code == 302
    report = Report.objects.get(report_id="R900")
    assert report.narrative == PAYLOADS["script"]
    assert report.date_as_told == PAYLOADS["attribute"]
    for path in ("/reports/R900/", "/reports/", "/api/reports/R900"):
        page = analyst.get(path)
        assert page.status_code == 200, path
        _assert_safe_html(page.content.decode(), path)


def test_oversize_upload_is_refused_and_nothing_is_written(
    clients: dict[str, Any], casebook: Any, settings: Any
) -> None:
    settings.UNCOUNTED_MAX_UPLOAD_BYTES = 50_000
    uploads = Path(settings.UPLOAD_DIR)
    big = _reports_csv() + b"#" * 120_000
    response = _upload(clients["analyst"], [("reports.csv", big)])
    assert response.status_code == 413
    assert "larger than" in response.content.decode() and "nothing was saved" in (
        response.content.decode()
    )
    assert _files_under(uploads) == []
    assert not clients["analyst"].session.get("uncounted_uploads")
    # Several files that together pass the limit are refused too.
    parts = [(f"part{i}.csv", b"x" * 20_000) for i in range(4)]
    assert _upload(clients["analyst"], parts).status_code == 413
    assert _files_under(uploads) == []
    # Under the limit, the same upload path works.
    assert _upload(clients["analyst"], [("reports.csv", _reports_csv())]).status_code == 200
    assert len(_files_under(uploads)) == 1


def test_oversize_upload_message_is_in_korean(
    clients: dict[str, Any], casebook: Any, settings: Any
) -> None:
    settings.UNCOUNTED_MAX_UPLOAD_BYTES = 1_000
    response = clients["analyst"].post(
        "/import/",
        data=_multipart([("reports.csv", b"x" * 5_000)]),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        headers={"Accept-Language": "ko"},
    )
    assert response.status_code == 413
    assert "아무것도 저장되지 않았습니다" in response.content.decode()


def test_oversize_form_body_is_refused_with_a_message(
    clients: dict[str, Any], casebook: Any, settings: Any
) -> None:
    from uncounted.store.models import Report

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    data = _form(report_id="R901", narrative="가" * 20_000)
    response = clients["analyst"].post("/reports/new/", data)
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not Report.objects.filter(report_id="R901").exists()
    api = clients["analyst"].post(
        "/api/reports",
        data=json.dumps({"narrative": "x" * 20_000}),
        content_type="application/json",
    )
    assert api.status_code == 413
    assert api.json()["error"]["code"] == "too_large"
