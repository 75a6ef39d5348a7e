"""CLI commands: the key that encrypts identifying fields (``keys init``, ``keys rotate``)."""

from __future__ import annotations

import typer

from uncounted.commands.options import DbOption

keys_app = typer.Typer(
    help="Create or rotate the identity key.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the ``keys`` command group to the app."""
    app.add_typer(keys_app, name="keys")


@keys_app.command("init")
def init_command() -> None:
    """Create a new key at $UNCOUNTED_KEY_FILE.

    The file gets mode 0600; an existing key file is never replaced.
    """
    from uncounted.store.keys import init_key

    path = init_key()
    typer.echo(f"key written to {path} (mode 0600). Keep a copy apart from the database and")
    typer.echo("its backups: without it, identities and backups cannot be read.")


@keys_app.command("rotate")
def rotate_command(db: DbOption = None) -> None:
    """Re-encrypt everything under a new key.

    One transaction; the old key is kept beside the key file for older backups.
    """
    from uncounted.store.connect import open_store

    open_store(db)
    from uncounted.store.keys import rotate_key

    path, count = rotate_key()
    typer.echo(f"{count:,} value(s) re-encrypted under a new key in {path}.")
    typer.echo(f"The old key was kept as {path.name}.retired-<id> for older backups.")
