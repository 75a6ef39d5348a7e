"""Fields an administrator marks as identifying: encrypted at rest like a real name,
locked without the key, rotated, imported and exported as ``identity_<key>`` columns (only
with identities, never in public), and in the audit log."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tests.ingest.casebook import SOURCE_ROWS, snapshot, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.store]

HOMETOWN = "청진시 수남구역 숨은동 3반"
RELATIVES = "어머니 리숨김, 동생 리감춤"
VALUES = (HOMETOWN, RELATIVES)


def _define() -> None:
    from uncounted.store.identifying import define_field

    define_field("hometown", "Hometown", "고향", by="test-admin")
    define_field("relatives", "Relatives' names", "가족 이름", by="test-admin")


def _with_identity_columns(casebook: Path, columns: dict[str, tuple[str, str]]) -> Path:
    """Rewrite the casebook's sources.csv with extra columns (values for S001, S002)."""
    rows = [dict(r) for r in SOURCE_ROWS]
    for column, (first, second) in columns.items():
        rows[0][column], rows[1][column] = first, second
    write_csv(casebook / "sources.csv", rows, list(rows[0]))
    return casebook


def _raw_extra() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT extra FROM store_sourceidentity ORDER BY id")
        return [r[0] for r in cursor.fetchall()]


def _imported(casebook: Path) -> None:
    from uncounted.ingest.load import import_path

    _define()
    _with_identity_columns(
        casebook, {"identity_hometown": (HOMETOWN, ""), "identity_relatives": (RELATIVES, "")}
    )
    import_path(casebook)


def test_extra_fields_are_one_token_at_rest_and_read_back(casebook: Path) -> None:
    from uncounted.store.identifying import read_extra
    from uncounted.store.models import SourceIdentity

    _imported(casebook)
    raw = [v for v in _raw_extra() if v]
    assert len(raw) == 1 and raw[0].startswith("uc1$")
    assert not any(value in raw[0] for value in VALUES)
    row = SourceIdentity.objects.get(source__source_id="S001")
    assert read_extra(row.extra) == {"hometown": HOMETOWN, "relatives": RELATIVES}
    # The token is bound to its field: moved into another identity column it fails.
    from uncounted.store.crypto import IdentityLockedError, require_keyring

    with pytest.raises(IdentityLockedError):
        require_keyring().open(raw[0], "store.sourceidentity.contact")


def test_locked_without_the_key_and_kept_on_save(
    casebook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from uncounted.store.identifying import read_extra
    from uncounted.store.models import SourceIdentity

    _imported(casebook)
    before = _raw_extra()
    monkeypatch.delenv("UNCOUNTED_KEY_FILE")
    row = SourceIdentity.objects.get(source__source_id="S001")
    assert read_extra(row.extra) is None and str(row.extra) == "[locked]"
    row.save()
    assert _raw_extra() == before


def test_unknown_identity_column_is_refused_without_echoing_values(casebook: Path) -> None:
    from uncounted.errors import ValidationError
    from uncounted.ingest.load import import_path

    _with_identity_columns(casebook, {"identity_hometown": (HOMETOWN, "")})
    with pytest.raises(ValidationError) as none_defined:
        import_path(casebook)
    _define()
    _with_identity_columns(
        casebook, {"identity_hometown": (HOMETOWN, ""), "identity_workplace": (RELATIVES, "")}
    )
    before = snapshot()
    with pytest.raises(ValidationError) as unknown:
        import_path(casebook)
    assert snapshot() == before
    first = str(none_defined.value)
    assert "identity_hometown" in first and "none is defined yet" in first
    text = str(unknown.value)
    assert "identity_workplace" in text and "identity_hometown, identity_relatives" in text
    assert "administrator defines it first" in text
    assert [p.column for p in unknown.value.problems] == ["identity_workplace"]
    for value in (*VALUES, SOURCE_ROWS[0]["real_name"]):
        assert value not in first and value not in text


def test_too_long_extra_value_is_named_not_shown(casebook: Path) -> None:
    from uncounted.errors import ValidationError
    from uncounted.ingest.load import import_path

    _define()
    _with_identity_columns(casebook, {"identity_hometown": ("숨" * 1_001, "")})
    with pytest.raises(ValidationError) as err:
        import_path(casebook)
    problem = err.value.problems[0]
    assert problem.column == "identity_hometown" and problem.value is None
    assert "숨숨" not in str(err.value)


def test_empty_cell_keeps_the_stored_value_and_a_new_one_merges(casebook: Path) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.store.identifying import read_extra
    from uncounted.store.models import SourceIdentity

    _imported(casebook)
    _with_identity_columns(casebook, {"identity_hometown": ("", "혜산시 다른동")})
    result = import_path(casebook)
    assert result.counts["sources"].updated == 1  # S002 got an identity: the source changed
    s1 = SourceIdentity.objects.get(source__source_id="S001")
    s2 = SourceIdentity.objects.get(source__source_id="S002")
    assert read_extra(s1.extra) == {"hometown": HOMETOWN, "relatives": RELATIVES}
    assert read_extra(s2.extra) == {"hometown": "혜산시 다른동"}
    assert not import_path(casebook).changed


def test_export_round_trip_with_identities_and_never_in_public(
    casebook: Path, tmp_path: Path
) -> None:
    from uncounted.ingest.export import export_store
    from uncounted.ingest.load import import_path
    from uncounted.store.audit_verify import verify
    from uncounted.store.models import Source

    _imported(casebook)
    export_store(tmp_path / "full", with_identities=True)
    with (tmp_path / "full" / "sources.csv").open(encoding="utf-8", newline="") as handle:
        got = list(csv.DictReader(handle))
    with (casebook / "sources.csv").open(encoding="utf-8", newline="") as handle:
        assert got == list(csv.DictReader(handle))
    before = snapshot()
    assert not import_path(tmp_path / "full").changed
    assert snapshot() == before
    Source.objects.update(publication_consent=True)
    for name, options in (("public", {"public": True}), ("plain", {})):
        export_store(tmp_path / name, **options)  # type: ignore[arg-type]
        for path in (tmp_path / name).iterdir():
            text = path.read_text(encoding="utf-8")
            assert "identity_" not in text and not any(v in text for v in VALUES), path
    export_store(tmp_path / "xlsx", fmt="xlsx", public=True)
    for path in (tmp_path / "xlsx").iterdir():
        assert not any(v.encode() in path.read_bytes() for v in VALUES)
    assert verify().ok


def test_rotation_reencrypts_extra_fields(casebook: Path, own_key: Path) -> None:
    from uncounted.store.audit_verify import verify
    from uncounted.store.crypto import load_keyring
    from uncounted.store.identifying import read_extra
    from uncounted.store.keys import rotate_key
    from uncounted.store.models import SourceIdentity

    _imported(casebook)
    before = [v for v in _raw_extra() if v]
    rotate_key()
    ring = load_keyring()
    assert ring is not None
    after = [v for v in _raw_extra() if v]
    assert len(after) == len(before) == 1 and after != before
    assert after[0].split("$")[1] == ring.current != before[0].split("$")[1]
    row = SourceIdentity.objects.get(source__source_id="S001")
    assert read_extra(row.extra) == {"hometown": HOMETOWN, "relatives": RELATIVES}
    assert verify().ok


def test_definitions_and_extra_values_are_in_the_audit_log(casebook: Path) -> None:
    from uncounted.store.audit import acting_as
    from uncounted.store.audit_verify import verify
    from uncounted.store.models import AuditEntry, SourceIdentity

    with acting_as("admin-7"):
        _imported(casebook)
    defined = AuditEntry.objects.filter(table="store.identifyingfield")
    assert list(defined.values_list("action", "actor")) == [("create", "admin-7")] * 2
    assert verify().ok
    # A new token written behind the app's back is found (digests of the ciphertext).
    from django.db import connection

    from uncounted.store.crypto import require_keyring

    row = SourceIdentity.objects.get(source__source_id="S001")
    forged = require_keyring().seal('{"hometown":"x"}', "store.sourceidentity.extra")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE store_sourceidentity SET extra = %s WHERE id = %s", [forged, row.pk])
        cursor.execute("DELETE FROM store_auditpending")
    result = verify()
    assert not result.ok and f"store.sourceidentity row {row.pk}" in str(result.first)
