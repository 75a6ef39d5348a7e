"""CLI commands: ``serve`` runs the web app, ``createuser`` adds an account with a role."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from uncounted.commands.options import DbOption


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``createuser`` to the app."""
    app.command("serve", help="Run the casebook web app (gunicorn) on HOST:PORT.")(serve_command)
    app.command(
        "createuser",
        help="Add a web account with a role; the password is asked for.",
    )(createuser_command)


def serve_command(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", help="Worker processes (each with --threads threads).")
    ] = 2,
    threads: Annotated[int, typer.Option("--threads", help="Threads per worker.")] = 8,
) -> None:
    """Open the store (migrating it), then serve the web app until interrupted.

    Listen on 127.0.0.1 (the default) on a laptop; behind a reverse proxy with HTTPS on a
    shared server (see docs/deploy.md)."""
    from uncounted.errors import ConfigurationError
    from uncounted.web.server import serve

    if not 0 < port < 65536:
        raise ConfigurationError(f"--port {port}: expected 1-65535")
    if workers < 1 or threads < 1:
        raise ConfigurationError("--workers and --threads must be at least 1")
    serve(db, host, port, workers, threads)


def createuser_command(
    name: Annotated[str, typer.Argument(help="User name to sign in with.")],
    role: Annotated[str, typer.Option("--role", help="admin, analyst, reviewer or viewer.")],
    db: DbOption = None,
) -> None:
    """Create an account. The password is never an argument: it is asked for twice on a
    terminal, or read from the first line of standard input otherwise."""
    from uncounted.errors import ConfigurationError
    from uncounted.web.roles import parse_role
    from uncounted.web.server import prepare

    chosen = parse_role(role)
    password = _read_password()
    if not password:
        raise ConfigurationError("the password is empty")
    prepare(db)
    from uncounted.web.accounts import create_user

    user = create_user(name, chosen, password)
    typer.echo(f"created {user.username} ({chosen.value})")


def _read_password() -> str:
    from uncounted.errors import ConfigurationError

    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password (again): ")
        if first != second:
            raise ConfigurationError("the two passwords differ; nothing was created")
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")
