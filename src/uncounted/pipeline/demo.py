"""Orchestration: store -> (link -> estimate -> publish). Calls the layers, owns no maths."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


@dataclass
class DemoResult:
    """What the demo did, stage by stage, with the truth beside what was documented."""

    out: Path
    seed: int
    stages: dict[str, float] = field(default_factory=dict)
    documented: dict[str, Any] = field(default_factory=dict)
    truth: dict[str, Any] = field(default_factory=dict)

    def table(self) -> Table:
        from rich.table import Table

        table = Table(title=f"uncounted demo (seed {self.seed}) -> {self.out}")
        table.add_column("quantity")
        table.add_column("documented", justify="right")
        table.add_column("truth", justify="right")
        for key, label in (
            ("reports", "reports"),
            ("sources", "sources"),
            ("events", "events (2000-2014)"),
            ("people", "people executed"),
        ):
            table.add_row(label, _fmt(self.documented.get(key)), _fmt(self.truth.get(key)))
        table.add_section()
        for stage, seconds in self.stages.items():
            table.add_row(f"time: {stage}", f"{seconds:.1f} s", "")
        return table


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:,}" if isinstance(value, int) else str(value)


def run_demo(out: Path, *, seed: int = 1, console: Console | None = None) -> DemoResult:
    """Simulate, import into a fresh casebook and summarise against the truth."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from uncounted.simulate import simulate_world, write_world

    result = DemoResult(out=out, seed=seed)
    out.mkdir(parents=True, exist_ok=True)
    world_dir = out / "world"
    db = out / "casebook.sqlite3"
    for stale in (world_dir, db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    with Progress(
        TextColumn("{task.description:<12}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=console is None or not console.is_terminal,
    ) as bar:
        task = bar.add_task("simulate", total=None)
        start = time.perf_counter()
        world = simulate_world(seed=seed)
        write_world(world, world_dir)
        result.stages["simulate"] = time.perf_counter() - start

        bar.update(task, description="import")
        start = time.perf_counter()
        from uncounted.store.connect import open_store

        open_store(str(db))
        from uncounted.ingest.load import import_path

        import_path(world_dir)
        result.stages["import"] = time.perf_counter() - start
        bar.update(task, completed=1, total=1)

    from uncounted.store.models import Report, Source

    truth_events = world.truth_events
    result.documented = {
        "reports": Report.objects.count(),
        "sources": Source.objects.count(),
        # Without linkage the documented events are not yet known from the store: the
        # simulator's truth tells how many distinct events the reports describe.
        "events": int(world.report_event["event_id"].nunique()),
    }
    result.truth = {
        "events": len(truth_events),
        "people": int(truth_events["n_victims"].sum()),
    }
    return result
