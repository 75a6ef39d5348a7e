"""Identifying fields are encrypted at rest, locked without the key, and rotated whole."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.ingest.casebook import SOURCE_ROWS

pytestmark = [pytest.mark.django_db, pytest.mark.store]

SECRET_NAME = SOURCE_ROWS[0]["real_name"]
SECRET_CONTACT = SOURCE_ROWS[0]["contact"]


def _raw_identities() -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT real_name, contact FROM store_sourceidentity")
        return list(cursor.fetchall())


def test_import_stores_ciphertext_and_reads_plaintext(casebook: Path) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.store.models import SourceIdentity

    import_path(casebook)
    raw = _raw_identities()
    assert raw and all(v.startswith("uc1$") for row in raw for v in row if v)
    assert not any(SECRET_NAME in v or SECRET_CONTACT in v for row in raw for v in row)
    row = SourceIdentity.objects.get(source__source_id="S001")
    assert (row.real_name, row.contact) == (SECRET_NAME, SECRET_CONTACT)


def test_same_value_encrypts_differently_each_time() -> None:
    from uncounted.store.crypto import require_keyring

    ring = require_keyring()
    a, b = ring.seal("x", "p"), ring.seal("x", "p")
    assert a != b and ring.open(a, "p") == ring.open(b, "p") == "x"


def test_moved_or_altered_token_fails_its_check() -> None:
    from uncounted.store.crypto import IdentityLockedError, require_keyring

    ring = require_keyring()
    token = ring.seal(SECRET_NAME, "store.sourceidentity.real_name")
    with pytest.raises(IdentityLockedError) as moved:
        ring.open(token, "store.sourceidentity.contact")
    # Flip a character inside the ciphertext (not in the base64 padding bits at the end).
    middle = len(token) - 12
    body = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    with pytest.raises(IdentityLockedError):
        ring.open(body, "store.sourceidentity.real_name")
    assert SECRET_NAME not in str(moved.value)


def test_without_key_identity_is_locked_and_kept(
    casebook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.store.crypto import LOCKED_DISPLAY, IdentityLockedError, LockedText
    from uncounted.store.models import Source, SourceIdentity

    import_path(casebook)
    before = _raw_identities()
    monkeypatch.delenv("UNCOUNTED_KEY_FILE")
    row = SourceIdentity.objects.get(source__source_id="S001")
    assert isinstance(row.real_name, LockedText) and row.real_name == LOCKED_DISPLAY
    # Saving other data without the key writes the ciphertext back untouched.
    row.save()
    assert _raw_identities() == before
    # New identifying values cannot be written without the key.
    source = Source.objects.get(source_id="S002")
    from django.db import transaction

    with pytest.raises(IdentityLockedError), transaction.atomic():
        SourceIdentity.objects.create(source=source, real_name="new person")
    # Pseudonymous data stays usable.
    assert str(Source.objects.get(source_id="S001")) == "W-2009-0001"


def test_import_with_identities_needs_the_key(
    casebook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.store.crypto import IdentityLockedError
    from uncounted.store.models import Report, Source

    monkeypatch.delenv("UNCOUNTED_KEY_FILE")
    with pytest.raises(IdentityLockedError) as err:
        import_path(casebook)
    assert not Source.objects.exists() and not Report.objects.exists()
    assert SECRET_NAME not in str(err.value)


def test_export_with_identities_refuses_without_key(
    casebook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from uncounted.ingest.export import export_store
    from uncounted.ingest.load import import_path
    from uncounted.store.crypto import IdentityLockedError

    import_path(casebook)
    monkeypatch.delenv("UNCOUNTED_KEY_FILE")
    with pytest.raises(IdentityLockedError):
        export_store(tmp_path / "out", with_identities=True)


def test_rotation_reencrypts_everything_under_a_new_key(casebook: Path, own_key: Path) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.store.audit_verify import verify
    from uncounted.store.crypto import load_keyring
    from uncounted.store.keys import rotate_key
    from uncounted.store.models import SourceIdentity

    import_path(casebook)
    old = load_keyring()
    assert old is not None
    before = _raw_identities()
    _, count = rotate_key()
    new = load_keyring()
    assert new is not None and new.current != old.current and list(new.keys) == [new.current]
    after = _raw_identities()
    assert count == sum(1 for row in before for v in row if v)
    assert all(v.split("$")[1] == new.current for row in after for v in row if v)
    row = SourceIdentity.objects.get(source__source_id="S001")
    assert (row.real_name, row.contact) == (SECRET_NAME, SECRET_CONTACT)
    retired = own_key.with_name(f"key.retired-{old.current}")
    assert retired.exists() and retired.stat().st_mode & 0o777 == 0o600
    assert oct(own_key.stat().st_mode & 0o777) == oct(0o600)
    assert verify().ok


def test_key_file_open_to_others_is_refused(own_key: Path) -> None:
    from uncounted.errors import ConfigurationError
    from uncounted.store.crypto import load_keyring

    own_key.chmod(0o644)
    os.utime(own_key)  # a new mtime: the cached keyring must not hide the change
    with pytest.raises(ConfigurationError, match="chmod 600"):
        load_keyring()


def test_locked_placeholder_is_never_stored_as_a_value(casebook: Path) -> None:
    from django.db import transaction

    from uncounted.ingest.load import import_path
    from uncounted.store.crypto import LOCKED_DISPLAY, IdentityLockedError
    from uncounted.store.models import SourceIdentity

    import_path(casebook)
    row = SourceIdentity.objects.get(source__source_id="S001")
    row.real_name = str(LOCKED_DISPLAY)  # what a form rendered without the key posts back
    with pytest.raises(IdentityLockedError), transaction.atomic():
        row.save()
    assert SourceIdentity.objects.get(pk=row.pk).real_name == SECRET_NAME
