"""CLI commands: import and export the case store's testimony."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from uncounted.commands.options import DbOption


def register(app: typer.Typer) -> None:
    """Add ``import`` and ``export`` to the app."""
    app.command("import", help="Import testimony (validated first; all or nothing).")(
        import_command
    )
    app.command("export", help="Export the store's testimony in the import layout.")(export_command)


def import_command(
    paths: Annotated[list[Path], typer.Argument(help="Folder(s) or file(s) to import.")],
    db: DbOption = None,
    accept_unresolved: Annotated[
        bool,
        typer.Option(
            "--accept-unresolved",
            help="Keep dates and places the parsers cannot read as told (flagged) instead of refusing them.",
        ),
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Validate every row first; write nothing unless all of it is clean."""
    import json

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    from uncounted.store.connect import open_store

    open_store(db)
    from uncounted.ingest.load import import_path

    err = Console(stderr=True)
    results = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(f"writing {label}", total=total)
            bar.update(tasks[label], completed=done)

        for path in paths:
            results.append(
                (path, import_path(path, accept_unresolved=accept_unresolved, progress=progress))
            )
    if json_out:
        payload = [
            {
                "path": str(path),
                "input_hash": r.input_hash,
                "tables": {k: vars(v) for k, v in r.counts.items()},
                "warnings": [str(w) for w in r.warnings],
            }
            for path, r in results
        ]
        typer.echo(json.dumps(payload if len(payload) > 1 else payload[0], ensure_ascii=False))
        return
    out = Console()
    for path, r in results:
        for name, c in r.counts.items():
            out.print(
                f"{path.name}: {name}: {c.created:,} new, {c.updated:,} updated, {c.unchanged:,} unchanged"
            )
        for w in r.warnings[:50]:
            err.print(f"warning: {w}", markup=False, highlight=False, soft_wrap=True)
        if len(r.warnings) > 50:
            err.print(f"... and {len(r.warnings) - 50} more warnings")


def export_command(
    out_dir: Annotated[
        Path, typer.Argument(help="Folder to write collections, sources, reports, victim_mentions.")
    ],
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or xlsx.")] = "csv",
    spreadsheet_safe: Annotated[
        bool,
        typer.Option(
            "--spreadsheet-safe",
            help="Prefix formula-like values (= + - @) with ' so spreadsheets never evaluate them.",
        ),
    ] = False,
    with_identities: Annotated[
        bool,
        typer.Option(
            "--with-identities",
            help="Include sources' real names and contacts (handle the files as secret).",
        ),
    ] = False,
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="Only what may be published: consenting sources, no confidential reports, "
            "no victim mentions without consent.",
        ),
    ] = False,
) -> None:
    """Write the same layout back: import -> export -> import is lossless."""
    from uncounted.errors import ConfigurationError
    from uncounted.store.connect import open_store

    if fmt not in {"csv", "xlsx"}:
        raise ConfigurationError(f"--format {fmt!r}: use csv or xlsx")
    open_store(db)
    from uncounted.ingest.export import export_store

    written = export_store(
        out_dir,
        fmt="xlsx" if fmt == "xlsx" else "csv",
        spreadsheet_safe=spreadsheet_safe,
        with_identities=with_identities,
        public=public,
    )
    for name, n in written.items():
        typer.echo(f"{name}: {n:,} rows")
