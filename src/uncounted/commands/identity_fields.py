"""CLI commands: the fields an administrator marks as identifying (``identity-fields``)."""

from __future__ import annotations

from typing import Annotated

import typer

from uncounted.commands.options import DbOption

fields_app = typer.Typer(
    help="Fields marked as identifying: encrypted like a real name, imported as identity_<key>.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the ``identity-fields`` command group to the app."""
    app.add_typer(
        fields_app, name="identity-fields", short_help="Define fields that identify a witness."
    )


@fields_app.command("add")
def add_command(
    key: Annotated[str, typer.Argument(help="Key: lower-case letters, digits, _ (hometown).")],
    label_en: Annotated[str, typer.Option("--label-en", help="Label in English.")],
    label_ko: Annotated[str, typer.Option("--label-ko", help="Label in Korean.")] = "",
    db: DbOption = None,
) -> None:
    """Mark a field as identifying; sources.csv may then carry the column identity_<key>."""
    from uncounted.store.connect import open_store

    open_store(db)
    from uncounted.store.audit import current_actor
    from uncounted.store.identifying import COLUMN_PREFIX, define_field

    field = define_field(key, label_en, label_ko, by=current_actor())
    typer.echo(f"identifying field {field.key!r} defined: column {COLUMN_PREFIX}{field.key}")


@fields_app.command("list")
def list_command(db: DbOption = None) -> None:
    """List the fields marked as identifying (key, labels; never any value)."""
    from uncounted.store.connect import open_store

    open_store(db)
    from uncounted.store.models import IdentifyingField

    rows = list(IdentifyingField.objects.order_by("key"))
    if not rows:
        typer.echo("no identifying fields defined (add one with: uncounted identity-fields add)")
    for f in rows:
        typer.echo(f"{f.key}\t{f.label_en}\t{f.label_ko}")
