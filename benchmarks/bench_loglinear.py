"""Time the log-linear estimators on the datasets of ../shared/data/mse.

For every capture-history dataset (3 to 5 lists, then the larger ones for scale): seconds
for Rcapture's twelve closedp models (``ClosedP``), SparseMSE's stepwise selection with its
normal interval (``LogLinear(interval="wald")``), the same with the profile-likelihood
interval (the default), and the AIC choice over every model. Best of 3 runs. Then kosovo and
HIV against the published Rcapture 1.4-4 and SparseMSE 2.0.1 figures, and one BCa bootstrap
(1000 replicates, SparseMSE's default) on each.
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path

from uncounted.estimate.closedp import ClosedP
from uncounted.estimate.histories import CaptureHistories
from uncounted.estimate.loglinear import LogLinear

MSE = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "mse"


def best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            work()
        best = min(best, time.perf_counter() - start)
    return best


def timings() -> None:
    datasets = []
    for path in sorted(MSE.glob("*.csv")):
        try:
            data = CaptureHistories.from_csv(path)
        except Exception:  # frequency tables are not capture histories
            continue
        datasets.append((path.stem, data))
    datasets.sort(key=lambda item: (item[1].k > 5, item[1].k, item[0]))
    print(
        f"  {'dataset':<24}{'k':>3}{'n':>7}{'closedp':>9}{'stepwise':>10}"
        f"{'+profile':>10}{'aic':>9}{'N stepwise':>12}{'pairs':>6}"
    )
    for name, data in datasets:
        runs = 3 if data.k <= 6 else 1
        closedp = best_of(runs, partial(ClosedP().fit, data))
        wald = best_of(runs, partial(LogLinear(interval="wald").fit, data))
        profile = best_of(runs, partial(LogLinear().fit, data))
        aic = (
            best_of(runs, partial(LogLinear(criterion="aic", interval="wald").fit, data))
            if data.k <= 6
            else float("nan")
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = LogLinear(interval="wald").fit(data)
        print(
            f"  {name:<24}{data.k:>3}{data.n_observed:>7}{closedp:>9.3f}{wald:>10.3f}"
            f"{profile:>10.3f}{aic:>9.3f}{fit.estimate_.point:>12,.0f}{len(fit.model_):>6}"
        )
    print("  (seconds; aic searches every subset of pairs up to 5 lists, greedily beyond;")
    print("   not run past 6 lists)")


def against_reference() -> None:
    reference = json.loads((MSE / "reference_public.json").read_text())
    for name in ("kosovo", "HIV"):
        data = CaptureHistories.from_csv(MSE / f"{name}.csv")
        print(f"\n  {name}: Rcapture closedp.t (ours / Rcapture, largest relative difference)")
        fitted = ClosedP().fit(data)
        worst = 0.0
        for row, ref in zip(
            fitted.models_.itertuples(), reference[name]["rcapture_closedp"]["models"], strict=True
        ):
            pairs = [
                (row.estimate, ref["abundance"]),
                (row.stderr, ref["stderr"]),
                (row.deviance, ref["deviance"]),
                (row.aic, ref["AIC"]),
                (row.bic, ref["BIC"]),
            ]
            rel = max(abs(a / b - 1.0) for a, b in pairs)
            worst = max(worst, rel)
            print(
                f"    {row.model:<14}{row.estimate:>11.2f}{ref['abundance']:>11.2f}"
                f"{row.stderr:>9.2f}{row.df:>4.0f}/{ref['df']:<3}{row.aic:>10.3f}"
                f"  infoFit {row.info_fit}/{ref['infoFit']}  {rel:.1e}"
            )
        print(f"    worst relative difference over all figures: {worst:.1e}")

        ref = reference[name]["sparsemse_stepwise"]
        wald = LogLinear(interval="wald").fit(data).estimate_
        profile = LogLinear().fit(data).estimate_
        print(f"  {name}: SparseMSE stepwise (pthresh 0.02)")
        print(
            f"    point {wald.point:,.4f} (SparseMSE {ref['point']:,.4f}); "
            f"AIC {wald.diagnostics['aic']:.6f} ({ref['AIC']:.6f})"
        )
        print(
            f"    interactions {', '.join(wald.diagnostics['interactions']) or '(none)'} "
            f"(SparseMSE {', '.join(ref['two_list_effects']) or '(none)'})"
        )
        print(
            f"    normal-on-log interval {wald.lower:,.2f}-{wald.upper:,.2f} "
            f"(SparseMSE {ref['q025']:,.2f}-{ref['q975']:,.2f}); "
            f"profile {profile.lower:,.2f}-{profile.upper:,.2f}"
        )
        start = time.perf_counter()
        boot = LogLinear(interval="bootstrap", n_boot=1000, seed=1234).fit(data).estimate_
        print(
            f"    BCa bootstrap, 1000 replicates: {boot.lower:,.0f}-{boot.upper:,.0f} "
            f"({time.perf_counter() - start:.1f} s)"
        )


def main() -> int:
    if not MSE.is_dir():
        print(f"  shared data not found at {MSE}: nothing to time")
        return 0
    timings()
    against_reference()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
