"""Options shared by several commands."""

from __future__ import annotations

from typing import Annotated

import typer

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLite path or postgresql:// URL (default: $UNCOUNTED_DB, else ./uncounted.sqlite3).",
    ),
]
