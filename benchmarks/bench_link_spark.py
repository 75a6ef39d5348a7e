"""The spark backend against DuckDB on a 10,000-report world: the same clusters, and time.

Links one seeded simulated world (``scale`` 3.45: about 10,100 reports and 8,000 victim
mentions) with each backend, then prints the agreement of the two clusterings (pairwise
and B-cubed F1 of one against the other, for events and for victims: 1.0 is the same
clusters), how many scored pairs differ in match probability, and the seconds each
backend took (Spark's include starting its session). Skips, saying so, without PySpark.

    .venv/bin/python benchmarks/bench_link_spark.py [--scale 3.45] [--seed 11]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from uncounted.commands.link_run import read_folder
from uncounted.link.backend import spark_available
from uncounted.link.evaluate import score_clustering
from uncounted.link.linkage import LinkResult, LinkSettings, link_records
from uncounted.simulate import simulate_world, write_world


def _agreement(duck: LinkResult, spark: LinkResult) -> dict[str, float]:
    out = {}
    for kind, frame, key in (
        ("events", "report_event", "report_id"),
        ("victims", "mention_victim", "mention_id"),
    ):
        a = getattr(duck, frame).sort_values(key)
        b = getattr(spark, frame).sort_values(key)
        assert a[key].tolist() == b[key].tolist()
        score = score_clustering(a.iloc[:, 1].tolist(), b.iloc[:, 1].tolist())
        out[f"{kind}_pairwise_f1"] = score.pairwise_f1
        out[f"{kind}_bcubed_f1"] = score.bcubed_f1
    return out


def _pairs_differing(duck: pd.DataFrame, spark: pd.DataFrame) -> tuple[int, int]:
    keys = ["id_l", "id_r"]
    a = duck.astype({"id_l": str, "id_r": str})
    b = spark.astype({"id_l": str, "id_r": str})
    both = a.merge(b, on=keys, how="outer", indicator=True)
    unmatched = int((both["_merge"] != "both").sum())
    matched = both[both["_merge"] == "both"]
    gap = np.abs(matched["match_probability_x"] - matched["match_probability_y"])
    return unmatched, int((gap > 1e-9).sum())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=3.45)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if not spark_available():
        print("pyspark is not installed: pip install 'uncounted[spark]' (skipped)")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        write_world(simulate_world(args.seed, scale=args.scale), Path(folder))
        reports, mentions, decisions = read_folder(Path(folder))
    print(f"world: seed {args.seed}, scale {args.scale}: {len(reports):,} reports, "
          f"{len(mentions):,} mentions")  # fmt: skip
    results, seconds = {}, {}
    for backend in ("duckdb", "spark"):
        started = time.perf_counter()
        settings = LinkSettings(backend=backend)  # type: ignore[arg-type]
        results[backend] = link_records(reports, mentions, decisions=decisions, settings=settings)
        seconds[backend] = time.perf_counter() - started
        r = results[backend]
        print(f"{backend:7} {seconds[backend]:8.1f} s  {r.diagnostics['events']:,} events, "
              f"{r.diagnostics['victims']:,} victims", flush=True)  # fmt: skip
    agreement = _agreement(results["duckdb"], results["spark"])
    for name, value in agreement.items():
        print(f"agreement {name:22} {value:.4f}")
    for kind in ("event", "victim"):
        unmatched, differing = _pairs_differing(
            getattr(results["duckdb"], f"{kind}_pairs"), getattr(results["spark"], f"{kind}_pairs")
        )
        total = len(getattr(results["duckdb"], f"{kind}_pairs"))
        print(f"{kind} pairs: {total:,} scored; {unmatched} scored by one backend only; "
              f"{differing} with another match probability")  # fmt: skip
    same = all(value == 1.0 for value in agreement.values())
    print("same clusters" if same else "CLUSTERS DIFFER")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
