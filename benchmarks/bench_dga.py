"""Time the dga estimator on every 3- to 5-list dataset of ../shared/data/mse.

Goal (brief): under 2 s per 5-list dataset, with posterior mass beyond the evaluated
range under 1e-6 (R's dga takes seconds to minutes on a grid of every integer). Prints
per dataset: lists, observed, median and 95 % interval of N, mode, mass beyond the grid,
and fit seconds (best of 3; the first fit also enumerates the graphs, shown apart).
Then kosovo and HIV against the published dga 2.0.2 figures.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from pathlib import Path

from uncounted.estimate.dga import DGA
from uncounted.estimate.dga_graphs import decomposable_graphs
from uncounted.estimate.histories import CaptureHistories

MSE = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "mse"
SECONDS_GOAL = 2.0
TAIL_GOAL = 1e-6


def main() -> int:
    if not MSE.is_dir():
        print(f"  shared data not found at {MSE}: nothing to time")
        return 0
    start = time.perf_counter()
    for k in (3, 4, 5):
        decomposable_graphs(k)
    print(
        f"  enumerating decomposable graphs on 3, 4, 5 lists: {time.perf_counter() - start:.2f} s"
    )
    missed = []
    header = f"  {'dataset':<24}{'k':>2}{'n':>7}{'median':>9}{'95% interval':>20}"
    print(header + f"{'mode':>8}{'tail mass':>11}{'seconds':>9}")
    for path in sorted(MSE.glob("*.csv")):
        try:
            data = CaptureHistories.from_csv(path)
        except Exception:  # frequency tables and the like are not capture histories
            continue
        if not 3 <= data.k <= 5:
            continue
        best = float("inf")
        for _ in range(3):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fit = DGA(seed=1).fit(data)
            best = min(best, fit.estimate_.seconds)
        est = fit.estimate_
        tail = est.diagnostics["tail_mass"]
        interval = f"{est.lower:,.0f}–{est.upper:,.0f}"
        print(
            f"  {path.stem:<24}{data.k:>2}{data.n_observed:>7}{est.point:>9,.0f}{interval:>20}"
            f"{est.diagnostics['mode']:>8,}{tail:>11.1e}{best:>9.3f}"
        )
        if (data.k == 5 and best > SECONDS_GOAL) or tail > TAIL_GOAL:
            missed.append(path.stem)

    reference = json.loads((MSE / "reference_public.json").read_text())
    print("  against dga 2.0.2 (reference_public.json): ours / R")
    for name in ("kosovo", "HIV"):
        ref = reference[name]["dga"]
        est = DGA(seed=1).fit(CaptureHistories.from_csv(MSE / f"{name}.csv")).estimate_
        q = est.diagnostics["quantiles"]
        pairs = [
            ("q025", q["0.025"], ref["N_q025"]),
            ("q05", q["0.05"], ref["N_q05"]),
            ("median", q["0.5"], ref["N_median"]),
            ("q95", q["0.95"], ref["N_q95"]),
            ("q975", q["0.975"], ref["N_q975"]),
            ("mode", est.diagnostics["mode"], ref["N_mode"]),
        ]
        shown = ", ".join(f"{label} {ours:,.0f}/{theirs:,.0f}" for label, ours, theirs in pairs)
        print(f"  {name}: {shown}")
        if any(ours != theirs for _, ours, theirs in pairs):
            missed.append(f"{name} reference")
    if missed:
        print(f"  goal missed: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
