"""``simulate_world``: a world with known truth and what several projects recorded of it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from uncounted import __version__
from uncounted.simulate.geography import load_geography
from uncounted.simulate.names import source_names, victim_names
from uncounted.simulate.presets import get_preset
from uncounted.simulate.render import (
    render_collections,
    render_reports,
    render_sources,
    render_truth,
)
from uncounted.simulate.shards import (
    ShardDraw,
    concat_shards,
    draw_shard,
    shard_sizes,
    world_weights,
)
from uncounted.simulate.variants import place_table

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``; ``stage`` is a short description."""


@dataclass
class World:
    """A simulated world: the recorded tables and, apart, the truth behind them.

    Each DataFrame holds exactly the columns of its file in ``docs/data-format.md`` (the
    truth tables those of ``truth/``); text columns are strings with missing values for
    empty cells, integer columns nullable integers.

    Attributes
    ----------
    collections, sources, reports, victim_mentions
        What the documentation projects recorded. ``sources`` holds the only identifying
        columns (``real_name``, ``contact``).
    truth_events, truth_victims
        What happened (``truth/events.csv``, ``truth/victims.csv``).
    report_event, mention_victim
        Which event each report describes and which victim each mention names.
    params
        Everything ``truth/world.json`` holds: seed, preset and its parameters, scale,
        shards, package version and totals.
    """

    collections: pd.DataFrame
    sources: pd.DataFrame
    reports: pd.DataFrame
    victim_mentions: pd.DataFrame
    truth_events: pd.DataFrame
    truth_victims: pd.DataFrame
    report_event: pd.DataFrame
    mention_victim: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)


def _shard_ranges(draws: list[ShardDraw], sizes: list[float]) -> list[dict[str, Any]]:
    out = []
    first = {"events": 1, "reports": 1, "sources": 1}
    for k, (draw, size) in enumerate(zip(draws, sizes, strict=True)):
        counts = {
            "events": draw.truth.n_events,
            "reports": len(draw.reports.event),
            "sources": len(draw.sources.kind),
        }
        entry: dict[str, Any] = {"shard": k, "size": size}
        for key, n in counts.items():
            entry[key] = n
            entry[f"first_{key[:-1]}"] = first[key]
            first[key] += n
        out.append(entry)
    return out


def simulate_world(
    seed: int,
    preset: str = "nk-2000-2014",
    scale: float = 1.0,
    progress: ProgressCallback | None = None,
) -> World:
    """Simulate executions and what documentation projects recorded of them.

    Parameters
    ----------
    seed : int
        Seed of every random draw; the same seed, preset and scale give the same world
        (and the same bytes once written).
    preset : str
        Name of a parameter set (``uncounted.simulate.presets.PRESETS``).
    scale : float
        Size of the world: ``ceil(scale)`` independent shards, each a full replica of the
        scale-1 world except a fractional last one (``uncounted.simulate.shards``).
    progress : callable, optional
        ``progress(stage, done, total)``, called as shards are drawn and tables built.

    Returns
    -------
    World

    Raises
    ------
    ConfigurationError
        For an unknown preset or a scale below 0.05.
    """
    chosen = get_preset(preset)
    sizes = shard_sizes(scale)
    geo = load_geography()
    weights = world_weights(chosen, geo)
    victim_pool, source_pool = victim_names(), source_names()
    total = len(sizes) + 3
    draws = []
    for k, size in enumerate(sizes):
        if progress is not None:
            progress("drawing shards", k, total)
        draws.append(draw_shard(seed, k, size, chosen, geo, weights, victim_pool, source_pool))
    if progress is not None:
        progress("joining shards", len(sizes), total)
    shard_info = _shard_ranges(draws, sizes)
    draw = concat_shards(draws)
    del draws
    if progress is not None:
        progress("writing truth and sources", len(sizes) + 1, total)
    truth_events, truth_victims = render_truth(draw, geo, victim_pool)
    sources = render_sources(draw, chosen, geo, source_pool)
    if progress is not None:
        progress("writing reports", len(sizes) + 2, total)
    reports, mentions, report_event, mention_victim = render_reports(draw, chosen, geo, victim_pool)
    if progress is not None:
        progress("done", total, total)
    params: dict[str, Any] = {
        "seed": seed,
        "preset": chosen.name,
        "scale": scale,
        "version": __version__,
        "shards": shard_info,
        "totals": {
            "events": len(truth_events),
            "victims": len(truth_victims),
            "sources": len(sources),
            "reports": len(reports),
            "mentions": len(mentions),
            "events_reported": int(report_event["event_id"].nunique()),
        },
        "place_forms_dropped": place_table(geo).dropped,
        "parameters": dataclasses.asdict(chosen),
    }
    return World(
        collections=render_collections(chosen),
        sources=sources,
        reports=reports,
        victim_mentions=mentions,
        truth_events=truth_events,
        truth_victims=truth_victims,
        report_event=report_event,
        mention_victim=mention_victim,
        params=params,
    )
