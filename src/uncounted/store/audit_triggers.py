"""Database triggers that note every changed row of the record for the audit log.

They run in the writer's own transaction, so no write path (ORM, bulk insert, raw SQL
through the app) can change the record without leaving a pending audit row. On SQLite
the trigger calls ``uncounted_actor()``, a function only the app's connections define:
a write from any other program fails instead of slipping in unrecorded. On PostgreSQL
the trigger requires the session setting ``uncounted.actor`` that the app sets.
"""

from __future__ import annotations

from typing import Any

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION uncounted_audit_note() RETURNS trigger AS $$
DECLARE
    who text := current_setting('uncounted.actor', true);
    row_id text;
BEGIN
    IF who IS NULL OR who = '' THEN
        RAISE EXCEPTION 'uncounted: writes to % outside the app are refused', TG_TABLE_NAME;
    END IF;
    IF TG_OP = 'DELETE' THEN row_id := OLD.id::text; ELSE row_id := NEW.id::text; END IF;
    INSERT INTO store_auditpending ("table", row_key, at, actor)
    VALUES (TG_ARGV[0], row_id,
            to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            who);
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""

_SQLITE_AT = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"


def trigger_sql(vendor: str, label: str, table: str) -> list[str]:
    """Statements that install the audit triggers on ``table`` (``label``: app.model)."""
    name = "uncounted_audit_" + table
    if vendor == "postgresql":
        return [
            f'DROP TRIGGER IF EXISTS {name} ON "{table}"',
            f'CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION uncounted_audit_note('{label}')",
        ]
    out = []
    for op, ref in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        trig = f"{name}_{op.lower()}"
        out.append(f"DROP TRIGGER IF EXISTS {trig}")
        out.append(
            f'CREATE TRIGGER {trig} AFTER {op} ON "{table}" FOR EACH ROW BEGIN '
            f'INSERT INTO store_auditpending ("table", row_key, at, actor) '
            f"VALUES ('{label}', CAST({ref}.id AS TEXT), {_SQLITE_AT}, uncounted_actor()); END"
        )
    return out


def install(connection: Any) -> None:
    """(Re)create the audit triggers on every audited table of ``connection``."""
    from uncounted.store.audit import audited_models

    present = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_FUNCTION)
        # A migration installs what exists so far; a later one adds the tables it creates.
        for model in [m for m in audited_models() if m._meta.db_table in present]:
            for sql in trigger_sql(
                connection.vendor, model._meta.label_lower, model._meta.db_table
            ):
                cursor.execute(sql)


def prepare_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    """On each new app connection: let the triggers know the writer is the app."""
    from uncounted.store.audit import current_actor

    if connection.vendor == "sqlite":
        connection.connection.create_function("uncounted_actor", 0, current_actor)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('uncounted.actor', 'uncounted-app', false)")
