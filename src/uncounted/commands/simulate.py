"""CLI command: ``uncounted simulate`` writes a simulated world and its truth."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""

    @app.command("simulate", short_help="Simulate a world with known truth, and its testimony.")
    def simulate(
        seed: int = typer.Option(..., "--seed", help="Seed of every random draw."),
        out: Path = typer.Option(..., "--out", help="Directory to write the world into."),
        preset: str = typer.Option("nk-2000-2014", "--preset", help="Parameter set of the world."),
        scale: float = typer.Option(
            1.0,
            "--scale",
            help="Size: 1 is the default world (a few thousand reports); X gives X "
            "independent shards of it.",
        ),
    ) -> None:
        """Simulate executions and what documentation projects recorded of them.

        Writes collections, sources, reports and victim mentions as an importer reads
        them, and the truth (events, victims, which report is which event) under truth/.
        """
        import time

        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
        from rich.table import Table

        from uncounted.simulate import simulate_world, write_world

        console = Console(stderr=True)
        started = time.perf_counter()
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("simulating", total=None)

            def progress(stage: str, done: int, total: int) -> None:
                bar.update(task, description=stage, completed=done, total=total)

            world = simulate_world(seed, preset=preset, scale=scale, progress=progress)
            bar.update(task, description="writing files")
            write_world(world, out)
        elapsed = time.perf_counter() - started

        reports = world.reports.merge(world.report_event, on="report_id")
        table = Table(title=f"Simulated world (seed {seed}, {preset}, scale {scale:g})")
        table.add_column("collection")
        table.add_column("kind")
        table.add_column("sources", justify="right")
        table.add_column("reports", justify="right")
        table.add_column("events captured", justify="right")
        for row in world.collections.itertuples(index=False):
            mine = reports[reports["collection_id"] == row.collection_id]
            n_sources = int((world.sources["collection_id"] == row.collection_id).sum())
            table.add_row(
                f"{row.collection_id} {row.name}",
                str(row.kind),
                f"{n_sources:,}",
                f"{len(mine):,}",
                f"{mine['event_id'].nunique():,}",
            )
        totals = world.params["totals"]
        table.add_section()
        table.add_row(
            "all collections",
            "",
            f"{totals['sources']:,}",
            f"{totals['reports']:,}",
            f"{totals['events_reported']:,}",
        )
        console = Console()
        console.print(table)
        console.print(
            f"Truth: {totals['events']:,} events, {totals['victims']:,} victims; "
            f"{totals['mentions']:,} victim mentions. Written to {out} in {elapsed:.1f} s."
        )
