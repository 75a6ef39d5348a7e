"""Turn the rows the triggers noted into hash-chained audit entries.

Who: the actor set with :func:`acting_as` (the web app sets the signed-in user; the CLI
uses ``$UNCOUNTED_ACTOR`` or the login name). When: the moment the trigger fired. What:
the table and row id, and SHA-256 digests of the row's stored values before and after
(encrypted fields as ciphertext, so the log never holds an identity, not even hashed in
a guessable form). Each entry's hash covers its fields and the previous entry's hash.
"""

from __future__ import annotations

import contextvars
import functools
import getpass
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from django.db import connection, models, transaction

GENESIS = "0" * 64
_CHUNK = 900  # under SQLite's default limit of host parameters per statement
_SCAN_ABOVE = 20_000


def audited_models() -> list[type[models.Model]]:
    """The models whose every change is logged (the record, not the packaged gazetteer)."""
    from uncounted.store import models as m

    return [
        m.Collection,
        m.Source,
        m.SourceIdentity,
        m.IdentifyingField,
        m.Interview,
        m.Report,
        m.VictimMention,
        m.Event,
        m.Victim,
        m.LinkDecision,
        m.Run,
    ]


def model_for(label: str) -> type[models.Model] | None:
    return next((m for m in audited_models() if m._meta.label_lower == label), None)


@functools.cache
def _default_actor() -> str:
    env = os.environ.get("UNCOUNTED_ACTOR", "").strip()
    if env:
        return env[:150]
    try:
        return f"local:{getpass.getuser()}"[:150]
    except (KeyError, OSError):
        return "local"


_actor: contextvars.ContextVar[str | None] = contextvars.ContextVar("uncounted_actor", default=None)


def current_actor() -> str:
    return _actor.get() or _default_actor()


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Attribute every change made inside the block to ``actor`` (a user name, never a witness)."""
    token = _actor.set(actor[:150])
    try:
        yield
    finally:
        _actor.reset(token)


# -- digests -----------------------------------------------------------------------------


def _canonical(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is int:
        return str(value)
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def row_digest(values: Sequence[Any]) -> str:
    """SHA-256 of a row's stored values in field order (the same on SQLite and PostgreSQL)."""
    text = "\x1f".join(_canonical(v) for v in values)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _normaliser(field: Any) -> Any:
    """Turn a raw database value of ``field`` into the text SQLite would hold for it.

    Digests are taken from raw rows (the ORM's per-value conversion costs more than the
    hashing); normalising makes a row's digest the same on SQLite and PostgreSQL, so a
    log restored from one into the other still verifies.
    """
    if isinstance(field, models.BooleanField):
        return lambda v: v if v is None else ("1" if v else "0")
    if isinstance(field, models.DateTimeField):

        def stamp(v: Any) -> Any:
            if isinstance(v, datetime):
                if v.tzinfo is not None:
                    v = v.astimezone(UTC).replace(tzinfo=None)
                return str(v)
            return v

        return stamp
    if isinstance(field, models.DateField):
        return lambda v: v.isoformat() if isinstance(v, date) else v
    if isinstance(field, models.UUIDField):
        return lambda v: v.hex if isinstance(v, UUID) else v
    if isinstance(field, models.JSONField):

        def document(v: Any) -> Any:
            if v is None:
                return v
            data = json.loads(v) if isinstance(v, str | bytes) else v
            return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

        return document
    return None


def _raw_rows(model: type[models.Model], pks: list[str] | None) -> Iterator[tuple[Any, ...]]:
    quote = connection.ops.quote_name
    fields = list(model._meta.concrete_fields)
    cols = ", ".join(quote(f.column) for f in fields)
    sql = f"SELECT {cols} FROM {quote(model._meta.db_table)}"
    pk = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        if pks is None:
            cursor.execute(f"{sql} ORDER BY {pk}")
            while batch := cursor.fetchmany(5_000):
                yield from batch
            return
        for start in range(0, len(pks), _CHUNK):
            chunk = [int(k) for k in pks[start : start + _CHUNK]]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{sql} WHERE {pk} IN ({marks})", chunk)
            yield from cursor.fetchall()


def current_digests(
    model: type[models.Model], pks: Iterable[str] | None = None
) -> Iterator[tuple[str, str]]:
    """(row id, digest) of the stored rows of ``model`` (all of them, or those in ``pks``).

    Encrypted fields are digested as stored (ciphertext), so no key is needed.
    """
    fixes = [(i, fn) for i, f in enumerate(model._meta.concrete_fields) if (fn := _normaliser(f))]
    keys = None if pks is None else [k for k in pks if k.isdigit()]
    wanted: set[str] | None = None
    if keys is not None and len(keys) > _SCAN_ABOVE:
        # Many rows (a bulk import): one scan of the table beats thousands of lookups.
        wanted, keys = set(keys), None
    for row in _raw_rows(model, keys):
        if wanted is not None and str(row[0]) not in wanted:
            continue
        if fixes:
            values = list(row)
            for i, fn in fixes:
                values[i] = fn(values[i])
            yield str(row[0]), row_digest(values)
        else:
            yield str(row[0]), row_digest(row)


def entry_hash(
    prev: str,
    seq: int,
    at: str,
    actor: str,
    action: str,
    table: str,
    row: str,
    before: str,
    after: str,
) -> str:
    text = "\x1f".join([prev, str(seq), at, actor, action, table, row, before, after])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- writing entries ---------------------------------------------------------------------


def flush() -> int:
    """Enter every pending change in the log, in one transaction; return entries written."""
    from uncounted.store.models import AuditPending

    if not AuditPending.objects.exists():
        return 0
    with transaction.atomic():
        return _flush_locked()


def _flush_locked() -> int:
    from uncounted.store.models import AuditPending

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # One appender at a time: the chain must not fork.
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('uncounted-audit'))")
    with connection.cursor() as cursor:
        cursor.execute('SELECT id, "table", row_key, at FROM store_auditpending ORDER BY id')
        pending = cursor.fetchall()
    if not pending:
        return 0
    last_pk = pending[-1][0]
    changed: dict[tuple[str, str], str] = {}
    for _, table, row, at in pending:
        changed.setdefault((table, row), at)
    by_table: dict[str, list[str]] = {}
    for table, row in changed:
        by_table.setdefault(table, []).append(row)
    after: dict[tuple[str, str], str] = {}
    before: dict[tuple[str, str], str] = {}
    for table, rows in by_table.items():
        model = model_for(table)
        if model is not None:
            after.update(((table, k), d) for k, d in current_digests(model, rows))
        before.update(((table, k), d) for k, d in _state_digests(table, rows))
    known = set(before)
    actor = current_actor()
    entries = []
    seq, prev = _head()
    for (table, row), at in changed.items():
        old, new = before.get((table, row), ""), after.get((table, row), "")
        if old == new:
            continue
        action = "create" if not old else "delete" if not new else "update"
        seq += 1
        digest = entry_hash(prev, seq, at, actor, action, table, row, old, new)
        entries.append((seq, at, actor, action, table, row, old, new, prev, digest))
        prev = digest
    _insert_entries(entries, known)
    AuditPending.objects.filter(pk__lte=last_pk).delete()
    return len(entries)


def _head() -> tuple[int, str]:
    from uncounted.store.models import AuditEntry

    last = AuditEntry.objects.order_by("-seq").values_list("seq", "entry_hash").first()
    return (int(last[0]), str(last[1])) if last else (0, GENESIS)


def _state_digests(table: str, rows: list[str]) -> Iterator[tuple[str, str]]:
    """(row id, digest) of the rows of ``table`` the log already knows (deleted ones too)."""
    sql = 'SELECT row_key, digest FROM store_auditstate WHERE "table" = %s'
    with connection.cursor() as cursor:
        if len(rows) > _SCAN_ABOVE:
            wanted = set(rows)
            cursor.execute(sql, [table])
            while batch := cursor.fetchmany(20_000):
                yield from ((k, d) for k, d in batch if k in wanted)
            return
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{sql} AND row_key IN ({marks})", [table, *chunk])
            yield from cursor.fetchall()


def _insert_entries(entries: list[tuple[Any, ...]], known: set[tuple[str, str]]) -> None:
    """Append ``entries`` and move each row's latest state (``known``: rows with a state)."""
    entry_sql = (
        'INSERT INTO store_auditentry (seq, at, actor, action, "table", row_key, before, '
        "after, prev_hash, entry_hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    update_sql = (
        'UPDATE store_auditstate SET digest = %s, seq = %s WHERE "table" = %s AND row_key = %s'
    )
    insert_sql = (
        'INSERT INTO store_auditstate ("table", row_key, digest, seq) VALUES (%s, %s, %s, %s)'
    )
    with connection.cursor() as cursor:
        for start in range(0, len(entries), 5_000):
            chunk = entries[start : start + 5_000]
            cursor.executemany(entry_sql, chunk)
            moved = [(e[7], e[0], e[4], e[5]) for e in chunk if (e[4], e[5]) in known]
            new = [(e[4], e[5], e[7], e[0]) for e in chunk if (e[4], e[5]) not in known]
            if moved:
                cursor.executemany(update_sql, moved)
            if new:
                cursor.executemany(insert_sql, new)
