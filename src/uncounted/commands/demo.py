"""CLI command: ``uncounted demo`` runs the main job end to end on a simulated world."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add ``demo`` to the app."""
    app.command("demo", help="Run the whole job on a simulated world, truth beside it.")(
        demo_command
    )


def demo_command(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the world, its casebook and the report.")
    ] = Path("uncounted-demo"),
    seed: Annotated[
        int, typer.Option("--seed", help="Seed: the same world as `simulate --seed`.")
    ] = 1,
    linkage: Annotated[
        str,
        typer.Option(
            "--linkage",
            help="truth (the simulator's events) or splink (the linker, as on real testimony).",
        ),
    ] = "truth",
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            help="With --linkage splink: match probability at which reports join one event "
            "[default: the report's, 0.8].",
        ),
    ] = None,
) -> None:
    """Simulate the world that `uncounted simulate --seed N` writes, import it into a fresh
    SQLite casebook under OUT, link, estimate and publish OUT/report/report.html, showing
    the simulated truth beside every estimate."""
    from rich.console import Console

    from uncounted.pipeline import run_demo

    console = Console(stderr=True)
    result = run_demo(out, seed=seed, console=console, linkage=linkage, threshold=threshold)
    Console().print(result.table())
