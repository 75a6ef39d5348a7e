"""Benchmark of linkage: accuracy on the default simulated world, and speed on mentions.

Figures (targets in brackets):

- events, default world (seed 1, scale 1), no labels: pairwise and B-cubed F1 [>= 0.90],
  predicted events against true events [within 10 %], blocking recall and candidate
  pairs per report [< ~50];
- events with 200 simulated reviewer decisions (the first 200 questions of the event
  review queue, decided from the truth) [pairwise F1 >= 0.95];
- victims at the default threshold: pairwise precision [>= 0.98] and recall [>= 0.85],
  on all mentions and on named mentions only;
- ceilings: what the reports allow at best (:func:`ceilings`): events refined once
  from the true events, victims given the true events, and the share of same-victim
  pairs that the mentions could link at all;
- speed: victim mentions linked (given their reports' true events, so that the figure is
  the victim stage alone), seconds and peak resident memory of a child process that
  reads a world another process simulated
  [100,000 in < 10 s and < 1 GB; 1,000,000 in < 90 s and < 4 GB].

Run: ``python benchmarks/bench_link.py [--seed S] [--speed 100000 1000000] [--no-accuracy]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from typing import Any

import pandas as pd

MENTIONS_PER_SCALE = 2_500  # victim mentions of a scale-1 world, about
DECISIONS = 200


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    """A world table as an importer reads it: every cell text, empty when unknown."""
    return frame.astype(object).where(frame.notna(), "").astype(str)


def accuracy(seed: int) -> dict[str, Any]:
    from uncounted.link.evaluate import score_clustering
    from uncounted.link.linkage import LinkSettings, evaluate_blocking, link_records
    from uncounted.simulate import simulate_world

    world = simulate_world(seed)
    reports, mentions = _text(world.reports), _text(world.victim_mentions)
    true_event = world.report_event.set_index("report_id")["event_id"]
    true_victim = world.mention_victim.set_index("mention_id")["victim_id"]
    out: dict[str, Any] = {}

    started = time.perf_counter()
    result = link_records(reports, mentions, settings=LinkSettings(seed=seed))
    out["seconds_no_labels"] = time.perf_counter() - started
    out["stage_seconds"] = result.diagnostics["seconds"]
    events = score_clustering(
        result.report_event["event_id"].tolist(),
        true_event.reindex(result.report_event["report_id"]).tolist(),
    )
    out["events_no_labels"] = events.to_dict()
    out["events_predicted_over_true"] = events.n_predicted / events.n_true
    out["blocking"] = evaluate_blocking(result, true_event)

    victims = score_clustering(
        result.mention_victim["victim_id"].tolist(),
        true_victim.reindex(result.mention_victim["mention_id"]).tolist(),
    )
    out["victims"] = victims.to_dict()
    named = mentions["name_as_told"].str.strip() != ""
    named_ids = set(mentions.loc[named, "mention_id"])
    kept = result.mention_victim[result.mention_victim["mention_id"].isin(named_ids)]
    out["victims_named_only"] = score_clustering(
        kept["victim_id"].tolist(), true_victim.reindex(kept["mention_id"]).tolist()
    ).to_dict()

    out["ceilings"] = ceilings(world, reports, mentions, result)

    # The questions the linker puts first: does this report belong to that other event?
    queue = result.event_review.head(DECISIONS)
    same = (
        true_event.reindex(queue["id_l"]).to_numpy() == true_event.reindex(queue["id_r"]).to_numpy()
    )
    decisions = pd.DataFrame(
        {
            "kind": "reports",
            "left_id": queue["id_l"].to_numpy(),
            "right_id": queue["id_r"].to_numpy(),
            "decision": ["match" if s else "no_match" for s in same],
        }
    )
    started = time.perf_counter()
    labelled = link_records(
        reports, mentions, decisions=decisions, settings=LinkSettings(seed=seed)
    )
    out["seconds_with_decisions"] = time.perf_counter() - started
    out["decisions"] = {"match": int(same.sum()), "no_match": int((~same).sum())}
    out["events_with_decisions"] = score_clustering(
        labelled.report_event["event_id"].tolist(),
        true_event.reindex(labelled.report_event["report_id"]).tolist(),
    ).to_dict()
    return out


def ceilings(
    world: Any, reports: pd.DataFrame, mentions: pd.DataFrame, result: Any
) -> dict[str, Any]:
    """What the reports allow at best, to read the figures above against.

    - events: every report moved once to the event whose consensus fits it best (the
      refinement step), starting from the *true* events. Where this falls short of 1,
      reports fit another event's consensus better than their own: their told date,
      place, count and charges point elsewhere, and no clustering built on these
      comparisons can place them.
    - victims: the victim stage given the true events, and the share of true
      same-victim pairs that anything in the mentions could link (both named, or an
      event with one victim); an unnamed mention of an event with several victims
      cannot be told from the others.
    """
    import numpy as np

    from uncounted.link.evaluate import score_clustering
    from uncounted.link.linkage import link_mentions
    from uncounted.link.model import score_pairs
    from uncounted.link.prepare import report_features
    from uncounted.link.refine import refine_clusters

    features = report_features(reports, mentions)
    truth = world.report_event.set_index("report_id")["event_id"]
    true_events = truth.reindex(features["unique_id"]).to_numpy()
    start = pd.factorize(true_events)[0].astype(np.int64)
    model = result.event_model

    def scorer(frame: pd.DataFrame, request: pd.DataFrame) -> pd.DataFrame:
        return score_pairs(model, frame, pairs=request)

    moved = refine_clusters(features, start, result.event_pairs, scorer)
    events = score_clustering([str(x) for x in moved], list(true_events))

    victim_of = world.mention_victim.set_index("mention_id")["victim_id"]
    given, _, _ = link_mentions(mentions, reports, world.report_event)
    victims = score_clustering(
        given["victim_id"].tolist(), victim_of.reindex(given["mention_id"]).tolist()
    )
    told = world.victim_mentions.merge(world.mention_victim, on="mention_id").merge(
        world.report_event, on="report_id"
    )
    per_event = world.truth_victims.groupby("event_id").size()
    told = told.assign(
        named=told["name_as_told"].notna(),
        alone=per_event.reindex(told["event_id"]).to_numpy() == 1,
    )
    pairs = linkable = 0
    for _, group in told.groupby("victim_id"):
        k, named = len(group), int(group["named"].sum())
        pairs += k * (k - 1) // 2
        linkable += k * (k - 1) // 2 if group["alone"].iloc[0] else named * (named - 1) // 2
    return {
        "events_refined_from_truth": events.to_dict(),
        "victims_given_true_events": victims.to_dict(),
        "victim_pairs_linkable_share": linkable / max(pairs, 1),
    }


def simulate_to(directory: str, mentions_wanted: int, seed: int) -> None:
    """Simulate a world of about ``mentions_wanted`` mentions into Parquet files."""
    from pathlib import Path

    from uncounted.simulate import simulate_world

    scale = max(mentions_wanted / MENTIONS_PER_SCALE, 0.1)
    world = simulate_world(seed, scale=scale)
    out = Path(directory)
    _text(world.reports).to_parquet(out / "reports.parquet")
    _text(world.victim_mentions).to_parquet(out / "mentions.parquet")
    world.report_event.to_parquet(out / "report_event.parquet")


def speed_child(mentions_wanted: int, seed: int, world_dir: str | None = None) -> dict[str, Any]:
    """In a child process: read (or simulate) a world, then time the victim stage alone.

    With ``world_dir`` the world was simulated by another process, so the peak memory
    is the stage's (plus the frames read), not the simulator's.
    """
    from uncounted.link.linkage import link_mentions

    if world_dir is not None:
        from pathlib import Path

        folder = Path(world_dir)
        reports = pd.read_parquet(folder / "reports.parquet")
        mentions = pd.read_parquet(folder / "mentions.parquet")
        report_event = pd.read_parquet(folder / "report_event.parquet")
    else:
        from uncounted.simulate import simulate_world

        scale = max(mentions_wanted / MENTIONS_PER_SCALE, 0.1)
        world = simulate_world(seed, scale=scale)
        reports, mentions = _text(world.reports), _text(world.victim_mentions)
        report_event = world.report_event
        del world
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    mention_victim, _, pairs = link_mentions(mentions, reports, report_event)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "mentions": len(mentions),
        "reports": len(reports),
        "seconds": seconds,
        "cpu_seconds": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "pairs_scored": len(pairs),
        "victims": int(mention_victim["victim_id"].nunique()),
        "peak_rss_gb_whole_process": after.ru_maxrss / 1e6,
        # Before the stage: the frames read (or the simulation, without world_dir).
        "peak_rss_gb_before_stage": before.ru_maxrss / 1e6,
    }


def speed(mentions_wanted: int, seed: int) -> dict[str, Any]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        base = [sys.executable, __file__, "--seed", str(seed), "--world", folder]
        made = subprocess.run(
            [*base, "--simulate", str(mentions_wanted)], capture_output=True, text=True, check=False
        )
        if made.returncode != 0:
            return {"error": made.stderr.strip().splitlines()[-1:] or ["failed"]}
        done = subprocess.run(
            [*base, "--child", str(mentions_wanted)], capture_output=True, text=True, check=False
        )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--speed", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--no-accuracy", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--simulate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--world", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.simulate:
        simulate_to(args.world, args.simulate, args.seed)
        return 0
    if args.child:
        print(json.dumps(speed_child(args.child, args.seed, args.world)))
        return 0
    figures: dict[str, Any] = {}
    if not args.no_accuracy:
        figures["accuracy"] = accuracy(args.seed)
    figures["speed"] = {str(n): speed(n, args.seed) for n in args.speed}
    print(json.dumps(figures, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
