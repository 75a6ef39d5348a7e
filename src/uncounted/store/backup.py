"""Encrypted, consistent backups of the store, and restoring them.

The payload is always a SQLite database image. From SQLite it is taken with SQLite's
online backup API (a consistent copy while the app keeps running); from PostgreSQL every
table is read inside one ``REPEATABLE READ`` read-only transaction (one snapshot) and
written into an in-memory SQLite database. Restoring into a new SQLite file copies the
image back page by page; restoring anywhere else loads the rows through Django's field
types, in one transaction, and then compares every row with the backup.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from django.db import connection, models, transaction

from uncounted import __version__
from uncounted.errors import StoreError
from uncounted.store.backup_crypto import read_encrypted, write_encrypted
from uncounted.store.crypto import Sealed, require_keyring

_SKIP = {"sqlite_sequence", "django_migrations"}


@dataclass
class RestoreResult:
    """How the store was restored and how many rows each table holds."""

    method: str
    rows: dict[str, int]


def backup(out: str | Path) -> dict[str, int]:
    """Write an encrypted snapshot of the open store to ``out``; return rows per table."""
    ring = require_keyring()
    image = _snapshot()
    mem = _load_image(image)
    counts = {t: n for t, n in _counts(mem).items() if t not in _SKIP}
    mem.close()
    meta = {
        "kind": "sqlite-image",
        "from": connection.vendor,
        "version": __version__,
        "created": datetime.now(UTC).isoformat(),
    }
    write_encrypted(Path(out), image, meta, ring)
    return counts


def _snapshot() -> bytes:
    if connection.vendor == "sqlite":
        source = sqlite3.connect(str(connection.settings_dict["NAME"]))
        mem = sqlite3.connect(":memory:")
        try:
            source.backup(mem)  # one step: a consistent copy even while others write
            return mem.serialize()
        finally:
            source.close()
            mem.close()
    if connection.vendor == "postgresql":
        return _dump_postgresql()
    raise StoreError(f"backups are not supported on {connection.vendor}")


def _dump_postgresql() -> bytes:
    tables = [t for t in connection.introspection.table_names() if t in _known_tables()]
    mem = sqlite3.connect(":memory:")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')
            columns = [c[0] for c in cursor.description]
            quoted = ", ".join(f'"{c}"' for c in columns)
            mem.execute(f'CREATE TABLE "{table}" ({quoted})')
            marks = ", ".join("?" * len(columns))
            while rows := cursor.fetchmany(5_000):
                mem.executemany(
                    f'INSERT INTO "{table}" VALUES ({marks})',
                    [tuple(_plain(v) for v in row) for row in rows],
                )
    mem.commit()
    try:
        return mem.serialize()
    finally:
        mem.close()


def _plain(value: Any) -> Any:
    """A PostgreSQL value as SQLite would store it through Django."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return value.hex
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _known_tables() -> dict[str, type[models.Model]]:
    from django.apps import apps

    out: dict[str, type[models.Model]] = {"django_migrations": models.Model}
    for model in apps.get_models(include_auto_created=True):
        out[model._meta.db_table] = model
    return out


def _load_image(image: bytes) -> sqlite3.Connection:
    if image[18:20] == b"\x02\x02":
        # A copy of a WAL-mode file: mark it as a rollback-journal file, which is what an
        # in-memory database can open (the pages are the same).
        image = image[:18] + b"\x01\x01" + image[20:]
    mem = sqlite3.connect(":memory:")
    mem.deserialize(image)
    return mem


def _counts(mem: sqlite3.Connection) -> dict[str, int]:
    names = [r[0] for r in mem.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    return {n: mem.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


def backup_origin(path: str | Path) -> str:
    """The database vendor a backup was taken from (read from its plain header)."""
    from uncounted.store.backup_crypto import read_header

    return str(read_header(Path(path)).get("from", ""))


def read_backup(path: str | Path) -> tuple[dict[str, Any], sqlite3.Connection]:
    """Decrypt the backup at ``path``: its header and its database (in memory)."""
    meta, image = read_encrypted(Path(path), require_keyring())
    mem = _load_image(image)
    if mem.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        raise StoreError("the backup decrypted but its database fails SQLite's integrity check")
    return meta, mem


def restore_file_copy(path: str | Path, target: Path) -> None:
    """Write the backup's SQLite image to ``target``, which must not exist yet."""
    _, mem = read_backup(path)
    try:
        if target.exists() and target.stat().st_size > 0:
            raise StoreError(f"{str(target)!r} already exists; restore into a new file")
        out = sqlite3.connect(str(target))
        try:
            mem.backup(out)
        finally:
            out.close()
    finally:
        mem.close()


def store_is_empty() -> bool:
    from uncounted.store.audit import audited_models
    from uncounted.store.models import AuditEntry

    return not AuditEntry.objects.exists() and not any(
        m._base_manager.exists() for m in audited_models()
    )


def restore_rows(path: str | Path) -> RestoreResult:
    """Replace the open store's contents with the backup's rows, in one transaction."""
    _, mem = read_backup(path)
    try:
        _check_migrations(mem)
        known = _known_tables()
        present = set(connection.introspection.table_names())
        tables = [t for t in _counts(mem) if t not in _SKIP and t in known and t in present]
        rows: dict[str, int] = {}
        with transaction.atomic():
            _defer_constraints()
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f'DELETE FROM "{table}"')
                for table in tables:
                    rows[table] = _load_table(mem, table, known[table], cursor)
                # The triggers noted the load itself; the backup's own log is the record.
                cursor.execute("DELETE FROM store_auditpending")
                if "store_auditpending" in tables:
                    _load_table(mem, "store_auditpending", known["store_auditpending"], cursor)
            _reset_sequences([known[t] for t in tables])
            mismatched = [
                t for t in tables if _table_digest(mem, t, known[t]) != _stored_digest(t, known[t])
            ]
            if mismatched:
                raise StoreError(
                    f"restored rows differ from the backup in: {', '.join(mismatched)}"
                )
        return RestoreResult("rows", rows)
    finally:
        mem.close()


def _check_migrations(mem: sqlite3.Connection) -> None:
    from django.db.migrations.recorder import MigrationRecorder

    theirs = set(mem.execute("SELECT app, name FROM django_migrations").fetchall())
    ours = set(MigrationRecorder(connection).applied_migrations())
    unknown = sorted(theirs - ours)
    if unknown:
        raise StoreError(
            f"the backup comes from a newer uncounted ({len(unknown)} migration(s) this "
            f"version lacks, first {unknown[0][0]}.{unknown[0][1]}); upgrade, then restore"
        )


def _defer_constraints() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA defer_foreign_keys = ON")
        elif connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _fields_by_column(model: type[models.Model]) -> dict[str, Any]:
    return {f.column: f for f in model._meta.concrete_fields}


def _python(field: Any, raw: Any) -> Any:
    """A value read raw from the backup's SQLite image, as the field's Python value."""
    from uncounted.store.fields import EncryptedTextField

    if raw is None:
        return None
    if isinstance(field, EncryptedTextField):
        return Sealed(raw)  # ciphertext: copied as is, never re-encrypted
    if isinstance(field, models.JSONField):
        return json.loads(raw) if isinstance(raw, str) else raw
    value = field.to_python(raw)
    if isinstance(value, datetime) and value.tzinfo is None:
        # Django keeps datetimes in UTC; SQLite stores them without the zone.
        value = value.replace(tzinfo=UTC)
    return value


def _load_table(mem: sqlite3.Connection, table: str, model: Any, cursor: Any) -> int:
    columns = [r[1] for r in mem.execute(f'PRAGMA table_info("{table}")')]
    fields = _fields_by_column(model)
    columns = [c for c in columns if c in fields]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})"
    count = 0
    query = mem.execute(
        f'SELECT {", ".join(chr(34) + c + chr(34) for c in columns)} FROM "{table}"'
    )
    while batch := query.fetchmany(5_000):
        params = [
            tuple(
                fields[c].get_db_prep_save(_python(fields[c], v), connection)
                for c, v in zip(columns, row, strict=True)
            )
            for row in batch
        ]
        cursor.executemany(sql, params)
        count += len(batch)
    return count


def _reset_sequences(model_list: list[Any]) -> None:
    from django.core.management.color import no_style

    real = [m for m in model_list if m is not models.Model]
    statements = connection.ops.sequence_reset_sql(no_style(), real)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _canonical_rows(rows: Any, fields: list[Any]) -> list[str]:
    from uncounted.store.audit import row_digest

    return sorted(
        row_digest([_python(f, v) for f, v in zip(fields, row, strict=True)]) for row in rows
    )


def _table_digest(mem: sqlite3.Connection, table: str, model: Any) -> list[str]:
    fields = list(model._meta.concrete_fields)
    cols = ", ".join(f'"{f.column}"' for f in fields)
    return _canonical_rows(mem.execute(f'SELECT {cols} FROM "{table}"').fetchall(), fields)


def _stored_digest(table: str, model: Any) -> list[str]:
    fields = list(model._meta.concrete_fields)
    cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {cols} FROM {connection.ops.quote_name(table)}")
        return _canonical_rows(cursor.fetchall(), fields)


def compare_with_backup(path: str | Path) -> dict[str, int]:
    """Compare every row of the open store with the backup; raise on any difference."""
    _, mem = read_backup(path)
    try:
        known = _known_tables()
        present = set(connection.introspection.table_names())
        counts = {t: n for t, n in _counts(mem).items() if t not in _SKIP and t in known}
        missing = [t for t in counts if t not in present]
        differing = [
            t
            for t in counts
            if t in present and _table_digest(mem, t, known[t]) != _stored_digest(t, known[t])
        ]
        if missing or differing:
            raise StoreError(
                "the restored store differs from the backup in: "
                + ", ".join(sorted(missing + differing))
            )
        return counts
    finally:
        mem.close()
