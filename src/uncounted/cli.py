"""The ``uncounted`` command line.

Each command lives in ``uncounted.commands.<name>`` and registers itself on the app;
heavy libraries are imported inside the commands so that start-up stays fast.
"""

from __future__ import annotations

import sys

import typer

from uncounted import __version__
from uncounted.commands import REGISTRARS
from uncounted.errors import UncountedError

app = typer.Typer(
    name="uncounted",
    help="From witness testimony to a defensible, reproducible count of state killings.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"uncounted {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """From witness testimony to a defensible, reproducible count of state killings."""


for register in REGISTRARS:
    register(app)


def main() -> None:
    """Entry point: run the app, turning uncounted's errors into a clear message and exit 2."""
    try:
        app()
    except UncountedError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
