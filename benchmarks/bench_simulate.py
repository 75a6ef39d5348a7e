"""Benchmark of ``uncounted simulate``: the scale-1 world's shape, and a 1,000,000-report world.

Targets: a world of one million reports written in under 2 minutes with a peak memory
under 4 GB (measured as the peak resident set of a child process running the command).

Run: ``python benchmarks/bench_simulate.py [--reports N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_SECONDS = 120.0
TARGET_PEAK_GB = 4.0


def scale_one(seed: int) -> dict[str, Any]:
    """Shape of the default world: reports a year, events, events reported, reports per event."""
    from uncounted.simulate import simulate_world

    started = time.perf_counter()
    world = simulate_world(seed)
    seconds = time.perf_counter() - started
    told = world.reports.merge(world.report_event, on="report_id").merge(
        world.truth_events[["event_id", "year"]], on="event_id"
    )
    per_event = told.groupby("event_id").size()
    return {
        "seconds": seconds,
        "reports": len(world.reports),
        "sources": len(world.sources),
        "events": len(world.truth_events),
        "victims": len(world.truth_victims),
        "events_reported": int(per_event.size),
        "reports_per_reported_event_mean": float(per_event.mean()),
        "reports_per_reported_event_median": float(per_event.median()),
        "reports_per_reported_event_max": int(per_event.max()),
        "reports_by_collection": told.groupby("collection_id").size().to_dict(),
        "events_by_collection": told.groupby("collection_id")["event_id"].nunique().to_dict(),
        "reports_by_year": told.groupby("year").size().to_dict(),
        "events_by_year": world.truth_events.groupby("year").size().to_dict(),
        "events_reported_by_year": told.groupby("year")["event_id"].nunique().to_dict(),
    }


def big_world(seed: int, scale: float, out: Path) -> dict[str, Any]:
    """Run the command in a child process; its wall time and peak resident memory."""
    command = [
        sys.executable, "-m", "uncounted.cli", "simulate",
        "--seed", str(seed), "--out", str(out), "--scale", f"{scale:g}",
    ]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    # ru_maxrss is in KiB on Linux: the largest child waited for so far (only this one).
    peak_gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
    with (out / "reports.csv").open("rb") as handle:
        n_reports = sum(1 for _ in handle) - 1
    return {"seconds": seconds, "peak_gb": peak_gb, "reports": n_reports, "scale": scale}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reports", type=int, default=1_000_000)
    args = parser.parse_args(argv)

    small = scale_one(args.seed)
    print(f"scale 1 (seed {args.seed}): built in {small['seconds']:.2f} s")
    print(
        f"  {small['events']} events ({small['victims']} victims), "
        f"{small['events_reported']} with at least one report; {small['reports']} reports "
        f"from {small['sources']} sources"
    )
    print(
        f"  reports per reported event: mean {small['reports_per_reported_event_mean']:.2f}, "
        f"median {small['reports_per_reported_event_median']:.0f}, "
        f"max {small['reports_per_reported_event_max']}"
    )
    print(f"  reports by collection: {small['reports_by_collection']}")
    print(f"  events captured by collection: {small['events_by_collection']}")
    print("  year  events  reported  reports")
    for year, n_events in small["events_by_year"].items():
        print(
            f"  {year}  {n_events:6d}  {small['events_reported_by_year'].get(year, 0):8d}"
            f"  {small['reports_by_year'].get(year, 0):7d}"
        )

    # Shards vary by about 10 % (the scale-1 world is one of them): size the big world
    # from twenty, with a margin so that it reaches the target.
    from uncounted.simulate import simulate_world

    per_shard = len(simulate_world(args.seed, scale=20).reports) / 20
    scale = math.ceil(args.reports / per_shard * 1.05 * 10) / 10
    with tempfile.TemporaryDirectory() as tmp:
        big = big_world(args.seed, scale, Path(tmp) / "world")
    ok_time = big["seconds"] < TARGET_SECONDS
    ok_memory = big["peak_gb"] < TARGET_PEAK_GB
    print(
        f"scale {scale:g}: {big['reports']:,} reports written in {big['seconds']:.1f} s "
        f"(target < {TARGET_SECONDS:.0f} s: {'ok' if ok_time else 'MISSED'}), "
        f"peak memory {big['peak_gb']:.2f} GB "
        f"(target < {TARGET_PEAK_GB:.0f} GB: {'ok' if ok_memory else 'MISSED'})"
    )
    return {"scale_1": small, "big": big}


if __name__ == "__main__":
    main()
