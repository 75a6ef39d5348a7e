"""Speed of the LCMCR sampler: sweeps per second, seconds and effective samples of N per
second at the documented settings (K = 10, burn-in 10,000, 1,000 draws thinned by 100:
110,500 sweeps with the warm-up), plus the start-up cost of compiling and of loading the
compiled code from numba's cache.

Run from the repository root:

    .venv/bin/python benchmarks/bench_lcmcr.py            # every dataset, one chain each,
                                                          # then the synthetic sets with
                                                          # their draws split between two
                                                          # chains run side by side
    .venv/bin/python benchmarks/bench_lcmcr.py --quick    # the two synthetic sets only
    .venv/bin/python benchmarks/bench_lcmcr.py --repeat 3 # best of 3 per dataset

Timings are wall-clock and thread CPU time of the sampling; on a shared machine the CPU
figure is the steadier one. R's LCMCR 0.4.14 runs the same settings at about 44,000 sweeps
per second on the 5-list synthetic set, 2,400 on the 10-list one and 63,000-161,000 on the
real datasets (measured on the project machine).

Where a sweep's time goes (thread CPU time per sweep at a mid-chain state, K = 10, on a
loaded machine; 27 November 2026): on the 10-list set (1,007 patterns, 939 of them with at
most 48 individuals, median 7) about 80 us: splitting the small patterns 40-45 (a fixed
cost per pattern, not per individual, dominates), class totals over the pattern tree 10,
binomial splits of the 68 large patterns 9, pattern probabilities 5.5, the rest 5-6. On
the 5-list set (31 patterns, all large) about 14 us: 126 conditional binomials 8.5 (78 of
them by BTRD at ~58 ns), capture probabilities 1.6, stick-breaking weights 0.9, the rest
about 3.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "mse"
R_SWEEPS_PER_SECOND = {"synthetic_5lists_20000": 44_000, "synthetic_10lists_20000": 2_400}
DRAWS = 1_000
SWEEPS = 500 + 10_000 + DRAWS * 100
# Split-chain rows: the synthetic sets again, their draws split between two chains on the
# machine's two cores.
SPLIT_CHAINS = 2

_STARTUP_SCRIPT = """
import time, json, sys
t0 = time.perf_counter()
from uncounted.estimate.lcmcr import LCMCR
from uncounted.estimate.histories import CaptureHistories
t1 = time.perf_counter()
h = CaptureHistories.from_table([0, 30, 20, 5, 25, 4, 3, 2], ["A", "B", "C"])
t2 = time.perf_counter()
LCMCR(seed=1, burnin=10, samples=10, thin=1).fit(h)
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first_fit": t3 - t2}))
"""


def _startup(cache_dir: str) -> dict[str, float]:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir, PYTHONWARNINGS="ignore")
    out = subprocess.run(
        [sys.executable, "-c", _STARTUP_SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def startup_costs() -> dict[str, float]:
    """Cold start (empty numba cache: compiles) and warm start (cache filled)."""
    with tempfile.TemporaryDirectory() as cache_dir:
        cold = _startup(cache_dir)
        warm = _startup(cache_dir)
    return {
        "import_s": warm["import"],
        "compile_s": cold["first_fit"],
        "cached_first_fit_s": warm["first_fit"],
    }


def bench_dataset(name: str, repeat: int, chains: int = 1) -> dict[str, float | str | int]:
    """Best of ``repeat`` fits at the documented settings; with ``chains`` > 1 the 1,000
    draws are split between that many chains run side by side (each with its own
    warm-up and burn-in), and CPU time is the process's (every thread's)."""
    from uncounted.estimate.histories import CaptureHistories
    from uncounted.estimate.lcmcr import LCMCR

    h = CaptureHistories.from_csv(DATA / f"{name}.csv")
    best: dict[str, float | str | int] | None = None
    clock = time.thread_time if chains == 1 else time.process_time
    for run in range(repeat):
        cpu0 = clock()
        wall0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = LCMCR(seed=1 + run, chains=chains, samples=DRAWS // chains)
            est = model.fit(h).estimate_
        wall = time.perf_counter() - wall0
        cpu = clock() - cpu0
        ess = est.diagnostics["ess"] or float("nan")
        row: dict[str, float | str | int] = {
            "dataset": name,
            "lists": h.k,
            "patterns": len(h.counts),
            "n": h.n_observed,
            "seconds": wall,
            "cpu_seconds": cpu,
            "sweeps_per_s": SWEEPS / wall,
            "sweeps_per_cpu_s": SWEEPS / cpu,
            "ess_N": ess,
            "ess_per_s": ess / wall,
            "median": est.point,
        }
        if best is None or float(row["cpu_seconds"]) < float(best["cpu_seconds"]):
            best = row
    assert best is not None
    return best


def _warm_up() -> None:
    """Compile (or load from cache) before timing anything."""
    from uncounted.estimate.histories import CaptureHistories
    from uncounted.estimate.lcmcr import LCMCR

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        h = CaptureHistories.from_table([0, 30, 20, 5, 25, 4, 3, 2], ["A", "B", "C"])
        LCMCR(seed=1, burnin=10, samples=10, thin=1).fit(h)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="synthetic datasets only")
    parser.add_argument("--repeat", type=int, default=1, help="runs per dataset (best kept)")
    parser.add_argument("--no-startup", action="store_true", help="skip start-up timing")
    args = parser.parse_args(argv)

    if not DATA.exists():
        sys.exit(f"shared MSE data not found at {DATA}")
    with open(DATA / "datasets.json", encoding="utf-8") as fh:
        catalogue = json.load(fh)
    names = ["synthetic_5lists_20000", "synthetic_10lists_20000"]
    if not args.quick:
        names += sorted(k for k, v in catalogue.items() if v.get("kind") == "closed")

    if not args.no_startup:
        costs = startup_costs()
        print(
            f"start-up: import {costs['import_s']:.2f} s; first fit compiling "
            f"{costs['compile_s']:.1f} s; first fit from cache {costs['cached_first_fit_s']:.2f} s"
        )
    _warm_up()

    header = (
        f"{'dataset':<24}{'lists':>6}{'pat':>6}{'n':>7}{'sec':>7}{'cpu s':>7}"
        f"{'sweeps/s':>10}{'/cpu s':>10}{'ESS N':>8}{'ESS/s':>8}{'vs R':>7}"
    )
    print(header)
    runs = [(name, 1) for name in names]
    runs += [(name, SPLIT_CHAINS) for name in R_SWEEPS_PER_SECOND]
    for name, chains in runs:
        row = bench_dataset(name, args.repeat, chains)
        r_speed = R_SWEEPS_PER_SECOND.get(name)
        # Against R's seconds for the same 1,000 draws (one chain, SWEEPS sweeps).
        ratio = f"{SWEEPS / r_speed / float(row['seconds']):.1f}x" if r_speed else ""
        label = name if chains == 1 else f"{name} x{chains}"
        print(
            f"{label:<24}{row['lists']:>6}{row['patterns']:>6}{row['n']:>7}"
            f"{float(row['seconds']):>7.2f}{float(row['cpu_seconds']):>7.2f}"
            f"{float(row['sweeps_per_s']):>10,.0f}{float(row['sweeps_per_cpu_s']):>10,.0f}"
            f"{float(row['ess_N']):>8.0f}{float(row['ess_per_s']):>8.0f}{ratio:>7}",
            flush=True,
        )
    print(
        f"(rows 'x{SPLIT_CHAINS}': the same 1,000 draws from {SPLIT_CHAINS} chains of "
        f"{DRAWS // SPLIT_CHAINS} run side by side, `--chains {SPLIT_CHAINS} --samples "
        f"{DRAWS // SPLIT_CHAINS}`; sweeps/s counts the one-chain {SWEEPS:,} sweeps over the "
        "wall time, and 'vs R' compares seconds)"
    )


if __name__ == "__main__":
    main()
