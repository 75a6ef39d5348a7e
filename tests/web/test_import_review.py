"""Import through the browser (check, report, confirm) and the review queue."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def _upload(client: Any, files: dict[str, str], **extra: str) -> Any:
    handles = []
    for name, text in files.items():
        handle = io.BytesIO(text.encode("utf-8"))
        handle.name = name
        handles.append(handle)
    return client.post("/import/", {"files": handles, **extra})


def _csv(rows: list[dict[str, str]], columns: tuple[str, ...]) -> str:
    import csv

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _casebook_files(**changes: dict[str, str]) -> dict[str, str]:
    from tests.ingest.casebook import COLUMNS, TABLE_ROWS

    files = {}
    for name, rows in TABLE_ROWS.items():
        rows = [dict(r) for r in rows]
        for row in rows:
            row.update(changes.get(row.get("report_id", ""), {}) if name == "reports" else {})
        files[f"{name}.csv"] = _csv(rows, COLUMNS[name])
    return files


def test_a_file_with_problems_is_reported_in_full_and_nothing_is_written(
    clients: dict[str, Any], db: None, settings: Any
) -> None:
    from tests.ingest.casebook import snapshot

    before = snapshot()
    files = _casebook_files(
        R001={"date_as_told": "the day the river froze"}, R002={"how_known": "telepathy"}
    )
    response = _upload(clients["analyst"], files)
    report = response.context["report"]
    assert not report.clean
    found = {(p.file, p.row, p.column) for p in report.problems}
    assert ("reports.csv", 2, "date_as_told") in found and ("reports.csv", 3, "how_known") in found
    html = response.content.decode()
    assert "Confirm the import" not in html and "telepathy" in html
    # The identity in sources.csv is never echoed in the report.
    assert "김비밀" not in html
    assert snapshot() == before
    token = report.token
    assert clients["analyst"].post(f"/import/{token}/confirm/").status_code == 302
    assert snapshot() == before, "a confirm of an unclean upload must not write"
    assert not (Path(settings.UPLOAD_DIR) / token).exists()


def test_a_clean_upload_is_written_only_after_confirm(
    clients: dict[str, Any], settings: Any
) -> None:
    from uncounted.store.models import Report

    response = _upload(clients["analyst"], _casebook_files())
    report = response.context["report"]
    assert report.clean and report.rows["reports"] == 2
    assert Report.objects.count() == 0
    # Another user cannot confirm someone else's upload.
    assert clients["admin"].post(f"/import/{report.token}/confirm/").status_code == 404
    confirm = clients["analyst"].post(f"/import/{report.token}/confirm/", follow=True)
    assert Report.objects.count() == 2
    assert "reports: 2 new" in confirm.content.decode()
    assert not (Path(settings.UPLOAD_DIR) / report.token).exists()


def test_cancel_removes_the_upload(clients: dict[str, Any], settings: Any) -> None:
    report = _upload(clients["analyst"], _casebook_files()).context["report"]
    assert clients["analyst"].post(f"/import/{report.token}/cancel/").status_code == 302
    assert not (Path(settings.UPLOAD_DIR) / report.token).exists()


def test_upload_refuses_other_kinds_of_file(clients: dict[str, Any]) -> None:
    report = _upload(clients["analyst"], {"notes.txt": "hello"}).context["report"]
    assert any("a .csv, .xlsx or .json file" in p.expected for p in report.problems)


def test_review_queue_shows_a_pair_with_evidence_and_records_the_decision(
    clients: dict[str, Any], casebook: Any
) -> None:
    from uncounted.store.models import LinkDecision

    client = clients["reviewer"]
    page = client.get("/review/")
    pair = page.context["pair"]
    assert (pair.left_id, pair.right_id) == ("R001", "R002")
    evidence = {e.label: e.weight for e in page.context["evidence"]}
    assert evidence["place"] == "for" and evidence["charges"] == "for"
    assert evidence["victims"] == "for"
    # Side by side: both narratives are on the page.
    html = page.content.decode()
    assert "heard from a trader" in html and "시장에서" in html
    done = client.post(
        "/review/decide/",
        {
            "kind": "reports",
            "left_id": "R002",
            "right_id": "R001",
            "decision": "match",
            "note": "same market",
        },
    )
    assert done.status_code == 302 and done["Location"] == "/review/?kind=reports"
    decision = LinkDecision.objects.get()
    assert (decision.left_id, decision.right_id, decision.decision) == ("R001", "R002", "match")
    assert decision.decided_by == "reviewer" and decision.note == "same market"
    assert client.get("/review/").context["pair"] is None


def test_review_of_victim_mentions(clients: dict[str, Any], casebook: Any) -> None:
    page = clients["admin"].get("/review/?kind=mentions")
    pair = page.context["pair"]
    # 장성택 and Chang Sŏng-t'aek share a name key.
    assert pair is not None and {pair.left_id, pair.right_id} == {"M001", "M002"}
    assert {e.label: e.weight for e in page.context["evidence"]}["name"] == "for"


def test_skipping_a_pair_moves_on_without_deciding(clients: dict[str, Any], casebook: Any) -> None:
    page = clients["reviewer"].get("/review/?kind=reports&after_left=R001&after_right=R002")
    assert page.context["pair"] is None


def test_decision_on_unknown_records_is_refused(clients: dict[str, Any], casebook: Any) -> None:
    from uncounted.store.models import LinkDecision

    response = clients["reviewer"].post(
        "/review/decide/",
        {"kind": "reports", "left_id": "R001", "right_id": "NOPE", "decision": "match"},
    )
    assert response.status_code == 404 and not LinkDecision.objects.exists()


def test_event_page_shows_reports_collections_and_evidence(
    clients: dict[str, Any], event: Any
) -> None:
    html = clients["analyst"].get("/events/E001/").content.decode()
    assert "R001" in html and "R002" in html and "C01" in html and "C02" in html
    from uncounted.store.models import Source

    # Told by sources who have not consented to publication: a viewer sees it withheld.
    viewer = clients["viewer"].get("/events/E001/")
    assert viewer.context["withheld"] and viewer.context["by_collection"] == []
    assert 'class="facts"' not in viewer.content.decode()  # no date, place, victims
    Source.objects.update(publication_consent=True)
    viewer = clients["viewer"].get("/events/E001/")
    assert viewer.context["by_collection"] == [("C01", 1), ("C02", 1)]
    assert viewer.context["reports"] == [] and "R001" not in viewer.content.decode()


def test_starting_a_run_records_it(
    clients: dict[str, Any], casebook: Any, monkeypatch: Any
) -> None:
    from uncounted.store.models import Run
    from uncounted.web import run_jobs

    monkeypatch.setattr(run_jobs, "runner", lambda kind: lambda run: {"events": 3})
    response = clients["analyst"].post("/runs/start/", {"kind": "link"})
    run = Run.objects.get(kind="link")
    assert response["Location"] == f"/runs/{run.run_id}/"
    assert (run.status, run.results, run.created_by) == ("done", {"events": 3}, "analyst")
    monkeypatch.setattr(run_jobs, "runner", lambda kind: None)
    clients["analyst"].post("/runs/start/", {"kind": "estimate"})
    failed = Run.objects.get(kind="estimate")
    assert failed.status == "failed" and "not available" in failed.results["error"]


def test_dashboard_shows_the_latest_estimate_with_its_interval(
    clients: dict[str, Any], casebook: Any
) -> None:
    from uncounted.store.models import Run

    Run.objects.create(
        kind="estimate",
        version="0",
        results={
            "method": "lcmcr",
            "estimate": 1382.4,
            "lower": 1100.0,
            "upper": 1900.0,
            "level": 0.95,
            "n_observed": 900,
        },
    )
    html = clients["viewer"].get("/").content.decode()
    assert "1382" in html and "1100" in html and "1900" in html and "95%" in html
    assert 'data-figure="reports">2<' in html


def test_a_run_whose_server_process_died_is_marked_interrupted(
    clients: dict[str, Any], casebook: Any
) -> None:
    import socket
    import subprocess
    import sys

    from uncounted.store.models import Run
    from uncounted.web.run_jobs import INTERRUPTED, PROCESS

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    here = {"host": socket.gethostname()}
    dead = Run.objects.create(
        kind="link", version="0", status="running",
        results={PROCESS: {**here, "pid": int(gone.stdout)}},
    )  # fmt: skip
    alive = Run.objects.create(
        kind="link", version="0", status="running", results={PROCESS: {**here, "pid": os.getpid()}}
    )
    elsewhere = Run.objects.create(
        kind="link", version="0", status="running",
        results={PROCESS: {"host": "another-host", "pid": int(gone.stdout)}},
    )  # fmt: skip
    assert clients["viewer"].get("/runs/").status_code == 200
    dead.refresh_from_db()
    alive.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (dead.status, dead.results) == ("failed", {"error": INTERRUPTED})
    assert alive.status == "running" and elsewhere.status == "running"
