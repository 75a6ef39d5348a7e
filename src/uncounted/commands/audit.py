"""CLI command: check the hash-chained audit log (``audit verify``)."""

from __future__ import annotations

import typer

from uncounted.commands.options import DbOption

audit_app = typer.Typer(help="The tamper-evident audit log of every change.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``audit`` command group to the app."""
    app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def verify_command(db: DbOption = None) -> None:
    """Check the chain, and every row against it.

    Exits 0 when intact; otherwise 1, naming the first broken entry.
    """
    from uncounted.store.connect import open_store

    open_store(db)
    from uncounted.store.audit_verify import verify

    result = verify()
    if result.ok:
        typer.echo(f"audit log intact: {result.entries:,} entries, head {result.head}")
        if result.pending:
            typer.echo(f"({result.pending:,} changed row(s) noted, entered at the next save)")
        return
    typer.echo(f"audit log BROKEN at {result.first}", err=True)
    for breach in result.breaches[1:]:
        typer.echo(f"  also: {breach}", err=True)
    raise typer.Exit(1)
