"""Command modules of the CLI; each exposes ``register(app)``."""

from __future__ import annotations

from collections.abc import Callable

import typer

from uncounted.commands import (
    audit,
    backup,
    demo,
    estimate,
    identity_fields,
    ingest,
    keys,
    link,
    parse,
    report,
    review,
    simulate,
    web,
)

Registrar = Callable[[typer.Typer], None]

REGISTRARS: list[Registrar] = [
    parse.register,
    simulate.register,
    ingest.register,
    estimate.register,
    link.register,
    review.register,
    demo.register,
    report.register,
    web.register,
    keys.register,
    identity_fields.register,
    audit.register,
    backup.register,
]
