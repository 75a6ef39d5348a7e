"""The JSON API: one error shape everywhere, reads by role, writes with optimistic locking."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

NEW_REPORT = {
    "report_id": "R100",
    "source_id": "S001",
    "collection_id": "C01",
    "date_as_told": "2008년경",
    "place_as_told": "회령",
    "victims_as_told": "2",
    "charges": "밀수; drugs",
    "how_known": "saw",
    "narrative": "장마당에서 두 명이 총살되었다.",
    "mentions": [{"name_as_told": "김철수", "sex": "m", "age_as_told": "30대"}],
}


def _post(client: Any, path: str, body: Any, method: str = "post") -> Any:
    data = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return getattr(client, method)(path, data=data, content_type="application/json")


def assert_error_shape(response: Any, status: int) -> dict[str, Any]:
    """The one error shape: exactly these keys, of these types."""
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message", "problems"}
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["problems"], list)
    for p in error["problems"]:
        assert set(p) == {"field", "row", "value", "expected"}
    return error


def test_every_api_error_has_the_one_shape(
    clients: dict[str, Any], users: dict[str, Any], casebook: Any
) -> None:
    from django.test import Client

    anonymous, viewer, analyst = clients["anonymous"], clients["viewer"], clients["analyst"]
    assert_error_shape(anonymous.get("/api/reports"), 401)
    assert_error_shape(anonymous.get("/api/events"), 401)
    assert_error_shape(anonymous.get("/api/runs"), 401)
    assert_error_shape(anonymous.post("/api/reports"), 401)
    assert_error_shape(viewer.get("/api/reports"), 403)
    assert_error_shape(_post(clients["reviewer"], "/api/reports", NEW_REPORT), 403)
    assert_error_shape(analyst.get("/api/reports/NOPE"), 404)
    assert_error_shape(analyst.get("/api/events/NOPE"), 404)
    assert_error_shape(analyst.get("/api/runs/not-a-uuid"), 404)
    assert_error_shape(analyst.get("/api/nothing-here"), 404)
    assert_error_shape(analyst.delete("/api/reports/R001"), 405)
    assert_error_shape(_post(analyst, "/api/events", {}), 405)
    assert_error_shape(_post(analyst, "/api/reports", "{not json"), 400)
    assert_error_shape(_post(analyst, "/api/reports", [1, 2]), 400)
    # A write without the CSRF token is refused in the same shape.
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["analyst"])
    assert_error_shape(_post(strict, "/api/reports", NEW_REPORT), 403)


def test_validation_problems_name_the_field_and_what_to_do(
    clients: dict[str, Any], casebook: Any
) -> None:
    bad = {**NEW_REPORT, "date_as_told": "the day the river froze", "how_known": "telepathy"}
    error = assert_error_shape(_post(clients["analyst"], "/api/reports", bad), 400)
    fields = {p["field"]: p for p in error["problems"]}
    assert {"date_as_told", "how_known"} <= set(fields)
    assert "2005" in fields["date_as_told"]["expected"]
    assert "saw" in fields["how_known"]["expected"]
    from uncounted.store.models import Report

    assert not Report.objects.filter(report_id="R100").exists()


def test_analyst_creates_a_report_read_as_the_importer_reads_it(
    clients: dict[str, Any], casebook: Any
) -> None:
    response = _post(clients["analyst"], "/api/reports", NEW_REPORT)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["date"] == {
        "start": "2007-01-01",
        "end": "2009-12-31",
        "precision": "around",
        "as_told": "2008년경",
    }
    assert body["place"]["code"] == "KP-09-hoeryeong" and body["place"]["iso_3166_2"] == "KP-09"
    assert body["charges"] == ["smuggling", "drugs"] and body["version"] == 1
    assert body["mentions"][0]["name_as_told"] == "김철수"
    assert body["mentions"][0]["age"]["min"] == 30
    # The same row through the API and the list filters.
    listed = clients["reviewer"].get("/api/reports?year=2008&province=KP-09&charge=drugs").json()
    assert [r["report_id"] for r in listed["results"]] == ["R100"]


def test_second_save_of_the_same_version_is_a_conflict(
    clients: dict[str, Any], casebook: Any
) -> None:
    first = clients["admin"].get("/api/reports/R001").json()
    version = first["version"]
    one = _post(
        clients["analyst"],
        "/api/reports/R001",
        {"victims_as_told": "4", "version": version},
        "patch",
    )
    assert one.status_code == 200 and one.json()["version"] == version + 1
    two = _post(
        clients["admin"], "/api/reports/R001", {"victims_as_told": "5", "version": version}, "patch"
    )
    error = assert_error_shape(two, 409)
    assert error["code"] == "conflict" and str(version + 1) in error["message"]
    from uncounted.store.models import Report

    stored = Report.objects.get(report_id="R001")
    assert stored.victims_as_told == "4" and stored.version == version + 1
    # A PATCH keeps the fields it does not name, and the mentions.
    assert stored.date_as_told == "2005년 3월" and stored.mentions.count() == 1


def test_a_write_without_a_version_is_refused(clients: dict[str, Any], casebook: Any) -> None:
    error = assert_error_shape(
        _post(clients["analyst"], "/api/reports/R001", {"victims_as_told": "4"}, "patch"), 400
    )
    assert error["problems"][0]["field"] == "version"


def test_if_match_header_carries_the_version(clients: dict[str, Any], casebook: Any) -> None:
    response = clients["analyst"].patch(
        "/api/reports/R001",
        data=json.dumps({"method": "교수형"}),
        content_type="application/json",
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 200 and response.json()["method"] == "hanging"


def test_lists_paginate_and_sort(clients: dict[str, Any], casebook: Any) -> None:
    page = clients["analyst"].get("/api/reports?per_page=25&sort=-report_id").json()
    assert page["count"] == 2 and page["pages"] == 1 and page["per_page"] == 25
    assert [r["report_id"] for r in page["results"]] == ["R002", "R001"]
    events = clients["viewer"].get("/api/events").json()
    assert events["count"] == 0 and events["results"] == []


def test_viewer_reads_events_as_aggregates(clients: dict[str, Any], event: Any) -> None:
    from uncounted.store.models import Source

    # Its sources have not consented to publication: counted, but nothing of it is shown.
    body = clients["viewer"].get("/api/events/E001").json()
    assert body["withheld"] is True and body["reports"] == 2
    assert body["date"]["start"] is None and body["place"]["code"] is None
    assert "collections" not in body and body["charges"] == []
    listed = clients["viewer"].get("/api/events").json()
    assert listed["count"] == 0 and listed["withheld"] == 1
    assert clients["reviewer"].get("/api/events").json()["count"] == 1
    Source.objects.update(publication_consent=True)
    body = clients["viewer"].get("/api/events/E001").json()
    assert body["withheld"] is False and body["date"]["start"] == "2005-03-01"
    assert body["reports"] == 2 and body["collections"] == {"C01": 1, "C02": 1}
    assert "report_ids" not in body
    assert clients["reviewer"].get("/api/events/E001").json()["report_ids"] == ["R001", "R002"]


def test_runs_are_listed_with_their_results(clients: dict[str, Any], casebook: Any) -> None:
    runs = clients["viewer"].get("/api/runs").json()
    assert runs["count"] == 1 and runs["results"][0]["kind"] == "import"
    detail = clients["viewer"].get(f"/api/runs/{runs['results'][0]['run_id']}").json()
    assert detail["results"]["reports"]["created"] == 2
