"""CLI commands: encrypted backups of the store (``backup``) and restoring them (``restore``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from uncounted.commands.options import DbOption


def register(app: typer.Typer) -> None:
    """Add ``backup`` and ``restore`` to the app."""
    app.command("backup", help="Write an encrypted, consistent snapshot of the store.")(
        backup_command
    )
    app.command("restore", help="Restore an encrypted snapshot into a store.")(restore_command)


def backup_command(
    out: Annotated[Path, typer.Option("--out", help="Backup file to write (mode 0600).")],
    db: DbOption = None,
) -> None:
    """Safe while the app runs: the snapshot is one consistent state of the store."""
    from uncounted.store.connect import open_store

    open_store(db)
    from uncounted.store.backup import backup

    counts = backup(out)
    typer.echo(f"backup written to {out}: {sum(counts.values()):,} rows in {len(counts)} tables")


def restore_command(
    backup_file: Annotated[Path, typer.Argument(help="Backup file written by `uncounted backup`.")],
    db: Annotated[
        str, typer.Option("--db", help="SQLite path or postgresql:// URL to restore into.")
    ],
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace the contents of a store that is not empty."),
    ] = False,
) -> None:
    """Restore, then compare every row with the backup; refuse to overwrite unless asked."""
    from uncounted.errors import StoreError
    from uncounted.store.backup import backup_origin, restore_file_copy
    from uncounted.store.connect import open_store

    target = Path(db).expanduser() if "://" not in db else None
    fresh_file = target is not None and (not target.exists() or target.stat().st_size == 0)
    # A SQLite backup into a new SQLite file is copied page by page; anything else is
    # loaded row by row into a store migrated by this version.
    fresh_file = fresh_file and backup_origin(backup_file) == "sqlite"
    if fresh_file and target is not None:
        restore_file_copy(backup_file, target)
    open_store(db)
    from uncounted.store.backup import compare_with_backup, restore_rows, store_is_empty

    if fresh_file:
        rows = compare_with_backup(backup_file)
        method = "file copy"
    else:
        if not store_is_empty() and not replace:
            raise StoreError(
                f"the store at {db!r} is not empty; restore into a new one, or pass --replace"
            )
        result = restore_rows(backup_file)
        rows, method = result.rows, result.method
    typer.echo(
        f"restored ({method}) and checked: {sum(rows.values()):,} rows in {len(rows)} tables"
    )
