"""A world is one or more shards: independent replicas of the country over the period.

Scale ``X`` gives ``ceil(X)`` shards, each the size of the scale-1 world except the last,
which is ``X - floor(X)`` of it when ``X`` is not whole. Shard ``k`` draws from its own
random stream (``SeedSequence(seed, spawn_key=(k,))``), so shard 0 of every world with
the same seed and a scale of at least 1 is the scale-1 world; shards keep the density of
reports per county and year realistic however large the world, and serve as independent
replicates when measuring interval coverage. Ids run on across shards in shard order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from uncounted.errors import ConfigurationError
from uncounted.simulate.geography import Geography
from uncounted.simulate.names import NamePool
from uncounted.simulate.noise import MentionNoise, ReportNoise, draw_mentions, draw_report_noise
from uncounted.simulate.presets import Preset
from uncounted.simulate.programmes import (
    INFORMANT,
    INTERVIEWEE,
    PersonDraw,
    ReportDraw,
    SourceDraw,
    draw_programmes,
)
from uncounted.simulate.world import TruthDraw, draw_truth

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

MIN_SHARD_SIZE = 0.05


@dataclass
class SourceDetails:
    """What a source's record shows besides its interview: per source and per person."""

    show_sex: npt.NDArray[np.bool_]
    show_birth: npt.NDArray[np.bool_]
    place_pick: IntArray
    person_email: npt.NDArray[np.bool_]
    person_contact: IntArray


@dataclass
class ShardDraw:
    truth: TruthDraw
    persons: PersonDraw
    sources: SourceDraw
    reports: ReportDraw
    report_noise: ReportNoise
    mentions: MentionNoise
    details: SourceDetails
    shard: IntArray  # shard of each event


@dataclass(frozen=True)
class Weights:
    """Where events happen, and where each interview programme's interviewees come from."""

    events: FloatArray
    origins: tuple[FloatArray, ...]


def shard_sizes(scale: float) -> list[float]:
    """Size of each shard for ``scale`` (see the module docstring)."""
    if not math.isfinite(scale) or scale < MIN_SHARD_SIZE:
        raise ConfigurationError(
            f"scale must be a number of at least {MIN_SHARD_SIZE} (1 = the default world); "
            f"got {scale!r}"
        )
    whole = int(math.floor(scale))
    rest = scale - whole
    sizes = [1.0] * whole
    if rest >= MIN_SHARD_SIZE or not sizes:
        sizes.append(rest if sizes else scale)
    return sizes


def world_weights(preset: Preset, geo: Geography) -> Weights:
    within = geo.within_province_weight(preset.truth)
    events = geo.county_weights(
        preset.truth.province_population, within, preset.truth.province_rate
    )
    origins = []
    for params in preset.interviews:
        border = np.where(geo.is_border, params.border_county_weight, 1.0)
        origins.append(geo.county_weights(params.origin_mix, within * border))
    return Weights(events, tuple(origins))


def draw_shard(
    seed: int,
    shard: int,
    size: float,
    preset: Preset,
    geo: Geography,
    weights: Weights,
    victim_pool: NamePool,
    source_pool: NamePool,
) -> ShardDraw:
    """Everything of one shard, as integer codes."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(shard,)))
    truth = draw_truth(rng, geo, preset.truth, weights.events, victim_pool, size)
    programmes = draw_programmes(
        rng, preset, truth, geo, weights.events, list(weights.origins), source_pool, size
    )
    sources, reports = programmes.sources, programmes.reports
    report_collection = sources.collection[reports.source]
    noise = draw_report_noise(rng, preset, truth, geo, reports, report_collection)
    mentions = draw_mentions(rng, preset, truth, reports, report_collection)
    n_sources, n_persons = len(sources.kind), len(programmes.persons.county)
    informant = sources.kind == INFORMANT
    details = SourceDetails(
        show_sex=(sources.kind == INTERVIEWEE) | (informant & (rng.random(n_sources) < 0.7)),
        show_birth=(sources.kind == INTERVIEWEE) | (informant & (rng.random(n_sources) < 0.5)),
        place_pick=rng.integers(0, 1 << 30, n_sources),
        person_email=rng.random(n_persons) < 0.5,
        person_contact=rng.integers(0, 10**9, n_persons),
    )
    return ShardDraw(
        truth=truth,
        persons=programmes.persons,
        sources=sources,
        reports=reports,
        report_noise=noise,
        mentions=mentions,
        details=details,
        shard=np.full(truth.n_events, shard, dtype=np.int64),
    )


# Index fields and the table they point into (their offsets grow shard by shard).
_POINTERS: dict[str, dict[str, str]] = {
    "truth": {"victim_event": "events", "victim_start": "victims"},
    "sources": {"person": "persons"},
    "reports": {"source": "sources", "event": "events"},
    "mentions": {"report": "reports", "victim": "victims"},
}


def _sizes(draw: ShardDraw) -> dict[str, int]:
    return {
        "events": draw.truth.n_events,
        "victims": len(draw.truth.victim_event),
        "persons": len(draw.persons.county),
        "sources": len(draw.sources.kind),
        "reports": len(draw.reports.event),
    }


def concat_shards(draws: list[ShardDraw]) -> ShardDraw:
    """One draw holding every shard, with indices shifted to point across shards."""
    if len(draws) == 1:
        return draws[0]
    offsets = {key: 0 for key in _sizes(draws[0])}
    shifted: list[dict[str, dict[str, IntArray]]] = []
    for draw in draws:
        parts: dict[str, dict[str, IntArray]] = {}
        for part in (
            "truth",
            "persons",
            "sources",
            "reports",
            "report_noise",
            "mentions",
            "details",
        ):
            obj = getattr(draw, part)
            values = {}
            for f in fields(obj):
                array = getattr(obj, f.name)
                target = _POINTERS.get(part, {}).get(f.name)
                if target is not None:
                    array = np.where(array >= 0, array + offsets[target], array)
                values[f.name] = array
            parts[part] = values
        parts["shard"] = {"shard": draw.shard}
        shifted.append(parts)
        for key, n in _sizes(draw).items():
            offsets[key] += n

    def joined(part: str, cls: type) -> object:
        names = [f.name for f in fields(cls)]
        return cls(**{name: np.concatenate([s[part][name] for s in shifted]) for name in names})

    return ShardDraw(
        truth=joined("truth", TruthDraw),  # type: ignore[arg-type]
        persons=joined("persons", PersonDraw),  # type: ignore[arg-type]
        sources=joined("sources", SourceDraw),  # type: ignore[arg-type]
        reports=joined("reports", ReportDraw),  # type: ignore[arg-type]
        report_noise=joined("report_noise", ReportNoise),  # type: ignore[arg-type]
        mentions=joined("mentions", MentionNoise),  # type: ignore[arg-type]
        details=joined("details", SourceDetails),  # type: ignore[arg-type]
        shard=np.concatenate([s["shard"]["shard"] for s in shifted]),
    )
