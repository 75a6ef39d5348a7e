"""Coverage of the demo's intervals: do they contain the simulated truth?

Runs ``uncounted demo --seed S`` for seeds 1..10 (each in a fresh process and folder, as
a user would) and prints, for each seed, the true totals (events and people executed
2000-2014), the estimates with their 95 % intervals, and whether each interval contains
the truth. Goal (issue 5): at least 9 of 10 seeds for both.

Run: ``python benchmarks/demo_coverage.py [--seeds 1-10] [--linkage truth|splink]
[--threshold P]``. Not part of ``make bench``
(it takes a few minutes); ``bench_demo.py`` times one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 0.9


def seeds_of(text: str) -> list[int]:
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def demo_summary(
    seed: int, linkage: str = "truth", threshold: float | None = None
) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "demo"
        env = {k: v for k, v in os.environ.items() if k != "UNCOUNTED_DB"}
        command = [sys.executable, "-m", "uncounted.cli", "demo", "--out", str(out)]
        command += ["--seed", str(seed), "--linkage", linkage]
        if threshold is not None:
            command += ["--threshold", str(threshold)]
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"demo --seed {seed} failed:\n{done.stderr[-2000:]}")
        summary: dict[str, object] = json.loads(
            (out / "report" / "summary.json").read_text(encoding="utf-8")
        )
        return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", default="1-10")
    parser.add_argument(
        "--linkage",
        default="truth",
        choices=["truth", "splink"],
        help="the demo's events: the simulator's (default) or the linker's",
    )
    parser.add_argument(
        "--threshold", type=float, default=None, help="with --linkage splink: its threshold"
    )
    args = parser.parse_args()
    seeds = seeds_of(args.seeds)
    header = (
        f"{'seed':>4} {'true ev':>8} {'events (95 %)':>22} {'in':>3} "
        f"{'true ppl':>9} {'people (95 %)':>24} {'in':>3} {'sec':>5}"
    )
    print(header)
    hits = {"events": 0, "people": 0}
    ranged: list[bool] = []
    for seed in seeds:
        started = time.perf_counter()
        s = demo_summary(seed, args.linkage, args.threshold)
        truth = s["truth"]
        assert isinstance(truth, dict)
        cells = []
        for key, true_key, name in (
            ("estimate", "total", "events"),
            ("estimate_people", "total_people", "people"),
        ):
            e = s[key]
            assert isinstance(e, dict)
            inside = e["lower"] <= truth[true_key] <= e["upper"]
            hits[name] += inside
            cells.append(
                (
                    truth[true_key],
                    f"{e['estimate']:,.0f} ({e['lower']:,.0f}-{e['upper']:,.0f})",
                    "yes" if inside else "NO",
                )
            )
        (te, ee, ie), (tp, ep, ip) = cells
        estimate = s["estimate"]
        assert isinstance(estimate, dict)
        span = estimate.get("linkage_range")
        across = ""
        if span is not None:
            inside = span["lower"] <= truth["total"] <= span["upper"]
            ranged.append(inside)
            across = f"  linkage range {span['lower']:,.0f}-{span['upper']:,.0f} " + (
                "yes" if inside else "NO"
            )
        print(
            f"{seed:>4} {te:>8,} {ee:>22} {ie:>3} {tp:>9,} {ep:>24} {ip:>3} "
            f"{time.perf_counter() - started:>5.0f}{across}",
            flush=True,
        )
    n = len(seeds)
    print(
        f"intervals containing the truth: events {hits['events']}/{n}, people {hits['people']}/{n}"
    )
    if ranged:
        print(
            f"events ranges across the linker's uncertain decisions containing the truth: "
            f"{sum(ranged)}/{len(ranged)} (a sensitivity range, not a 95 % interval)"
        )
    ok = all(h >= GOAL * n for h in hits.values())
    print(f"goal (at least {GOAL:.0%} of seeds for both): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
