"""Command modules of the CLI; each exposes ``register(app)``."""

from __future__ import annotations

from collections.abc import Callable

import typer

from uncounted.commands import demo, estimate, ingest, parse, simulate

Registrar = Callable[[typer.Typer], None]

REGISTRARS: list[Registrar] = [
    parse.register,
    simulate.register,
    ingest.register,
    estimate.register,
    demo.register,
]
