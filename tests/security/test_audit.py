"""Every change is in the hash-chained log; edits behind the app's back are named."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.store]


def _sql(statement: str, params: list[object] | None = None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _behind_the_back(statement: str, params: list[object] | None = None) -> None:
    """A write the app did not make: the triggers' note of it is removed as well."""
    _sql(statement, params)
    _sql("DELETE FROM store_auditpending")


def _entries() -> list[tuple[str, str, str, str]]:
    from uncounted.store.models import AuditEntry

    return list(AuditEntry.objects.values_list("action", "table", "row_key", "actor"))


def test_orm_changes_are_logged_with_who_and_digests() -> None:
    from uncounted.store.audit import GENESIS, acting_as
    from uncounted.store.audit_verify import verify
    from uncounted.store.models import AuditEntry, Collection

    with acting_as("analyst-1"):
        c = Collection.objects.create(collection_id="C1", name="one", kind="other")
        c.name = "renamed"
        c.save()
        c.delete()
    rows = list(AuditEntry.objects.order_by("seq"))
    assert [(e.action, e.table, e.actor) for e in rows] == [
        ("create", "store.collection", "analyst-1"),
        ("update", "store.collection", "analyst-1"),
        ("delete", "store.collection", "analyst-1"),
    ]
    assert rows[0].before == "" and rows[0].after == rows[1].before != rows[1].after
    assert rows[2].after == "" and rows[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.entry_hash for a, b in pairwise(rows))
    result = verify()
    assert result.ok and result.entries == 3 and result.head == rows[-1].entry_hash


def test_bulk_import_logs_one_entry_per_row(casebook: Path) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.store.audit import audited_models
    from uncounted.store.audit_verify import verify

    import_path(casebook)
    logged = {(t, r) for _, t, r, _ in _entries()}
    stored = {
        (m._meta.label_lower, str(pk))
        for m in audited_models()
        for pk in m._base_manager.values_list("pk", flat=True)
    }
    assert logged == stored
    assert verify().ok
    # An unchanged re-import writes nothing and logs nothing.
    before = len(logged)
    import_path(casebook)
    assert len(_entries()) == before


def test_queryset_update_is_caught_by_the_triggers(casebook: Path) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.store.audit import flush
    from uncounted.store.audit_verify import verify
    from uncounted.store.models import Report

    import_path(casebook)
    n = len(_entries())
    Report.objects.filter(report_id="R001").update(narrative="edited in bulk")
    assert verify().ok  # noted as pending: the app's own change, not a breach
    assert flush() == 1
    assert _entries()[n][:2] == ("update", "store.report") and verify().ok


def test_edited_entry_is_named(casebook: Path) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.store.audit_verify import verify

    import_path(casebook)
    _sql("UPDATE store_auditentry SET actor = 'someone else' WHERE seq = 3")
    result = verify()
    assert not result.ok and result.first is not None and result.first.seq == 3
    assert "audit entry 3" in str(result.first) and "edited" in str(result.first)


def test_removed_entry_is_named(casebook: Path) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.store.audit_verify import verify

    import_path(casebook)
    _sql("DELETE FROM store_auditentry WHERE seq = 4")
    result = verify()
    assert result.first is not None and result.first.seq == 4 and "missing" in str(result.first)


def test_row_edited_behind_the_apps_back_is_named(casebook: Path) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.store.audit_verify import verify
    from uncounted.store.models import AuditEntry, Report

    import_path(casebook)
    report = Report.objects.get(report_id="R002")
    last = AuditEntry.objects.filter(table="store.report", row_key=str(report.pk)).last()
    assert last is not None
    _behind_the_back("UPDATE store_report SET victims_min = 99 WHERE id = %s", [report.pk])
    result = verify()
    assert result.first is not None and result.first.seq == last.seq
    assert f"store.report row {report.pk} was changed outside the app" in str(result.first)


def test_rows_removed_or_added_behind_the_apps_back_are_found(casebook: Path) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.store.audit_verify import verify
    from uncounted.store.models import VictimMention

    import_path(casebook)
    mention = VictimMention.objects.get(mention_id="M002")
    _behind_the_back("DELETE FROM store_victimmention WHERE id = %s", [mention.pk])
    assert "removed outside the app" in str(verify().first)
    _behind_the_back(
        "INSERT INTO store_collection (collection_id, name, kind, description) "
        "VALUES ('CX', 'x', 'other', '')"
    )
    messages = [str(b) for b in verify().breaches]
    assert any("was never logged" in m for m in messages)
