"""Validity study: every estimator against populations of known size.

For each scenario of :mod:`uncounted.simulate.populations` (independent lists, list
dependence, latent-class heterogeneity, sparse overlaps, 3 and 8 lists) this draws
``--replicates`` populations, one seed per replicate, fits every method that applies and
prints, per scenario and method: the median relative error ``(estimate - N) / N`` (signed,
and its absolute value), the coverage of the nominal 95 % interval, the mean interval width
relative to ``N``, the fits that failed and those that raised a statistical warning.
``assumed`` says whether the method's model is true in that scenario (decided from the
model, before looking at the results); ``check`` flags coverage under 90 % where it is.

Settings:

* LCMCR runs one chain with the settings of the R package's documented example (K = 10,
  burn-in 10,000, 1,000 draws thinned by 100: 110,500 sweeps with the warm-up; about 0.6 s
  a fit on 5 lists), twice: with LCMCR's uniform prior on the capture probabilities
  (``LCMCR``) and with the Jeffreys prior Beta(1/2, 1/2) (``LCMCR Jeffreys``). Shorter
  chains (2,000 burn-in, 500 draws thinned by 10) gave effective sample sizes of N under
  100 in most latent-class replicates.
* LogLinear with BIC (exhaustive search over 1,024 models on 5 lists, ~1.5 s a fit) runs on
  the first ``--bic-replicates`` replicates only (default 50); the table says so.

The whole study takes about 3,400 CPU-seconds (about 30 minutes on 2 idle cores; the two
LCMCR variants are 2,400 of them, 0.3-2.7 s a fit; much longer on a shared, loaded
machine). ``--methods`` runs a subset (e.g. ``--methods LCMCR,"LCMCR Jeffreys"``).

Run: ``python benchmarks/estimator_study.py [--replicates 200] [--out study.csv]``.
Not part of ``make bench`` (it takes minutes); the fast slice is
``tests/estimate/test_study_slice.py``.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

import numpy as np
import pandas as pd

from uncounted.errors import StatisticalWarning
from uncounted.estimate import (
    DGA,
    ICE,
    LCMCR,
    CaptureHistories,
    Chao2,
    ClosedP,
    Estimate,
    IChao2,
    IncidenceFrequencies,
    Jackknife1,
    Jackknife2,
    LogLinear,
)
from uncounted.simulate.populations import SCENARIOS, draw_population

LCMCR_K, LCMCR_BURNIN, LCMCR_SAMPLES, LCMCR_THIN = 10, 10_000, 1_000, 100
# The Jeffreys prior on each capture probability, against LCMCR's uniform Beta(1, 1).
JEFFREYS = 0.5
LCMCR_SETTINGS = {
    "K": LCMCR_K,
    "burnin": LCMCR_BURNIN,
    "samples": LCMCR_SAMPLES,
    "thin": LCMCR_THIN,
}
CLOSEDP_MODELS = ("Mt", "Mh Chao (LB)", "Mth Chao (LB)")
UNSEEN = {
    "Chao2": Chao2,
    "iChao2": IChao2,
    "Jackknife1": Jackknife1,
    "Jackknife2": Jackknife2,
    "ICE": ICE,
}
METHODS = [
    "LogLinear stepwise",
    "LogLinear BIC",
    *(f"ClosedP {m}" for m in CLOSEDP_MODELS),
    "DGA",
    "LCMCR",
    "LCMCR Jeffreys",
    *UNSEEN,
]

# Where each method's model is true, decided from the model alone. The incidence estimators
# and Chao's lower bounds are (nearly) unbiased only when individuals are alike; under
# heterogeneity they are lower bounds. ClosedP Mt is the independence model; LogLinear and
# DGA allow pairwise dependence, not latent heterogeneity (its highest-order interaction is
# not identifiable); LCMCR allows heterogeneity, not direct dependence between lists.
_ALIKE = {"independent", "sparse", "three_lists"}
ASSUMED: dict[str, set[str]] = {
    "LogLinear stepwise": _ALIKE | {"dependence"},
    "LogLinear BIC": _ALIKE | {"dependence"},
    "ClosedP Mt": _ALIKE,
    "ClosedP Mh Chao (LB)": _ALIKE,
    "ClosedP Mth Chao (LB)": _ALIKE,
    "DGA": _ALIKE | {"dependence"},
    "LCMCR": _ALIKE | {"heterogeneity", "eight_lists"},
    "LCMCR Jeffreys": _ALIKE | {"heterogeneity", "eight_lists"},
    **{name: _ALIKE for name in UNSEEN},
}


def _lcmcr(h: CaptureHistories, seed: int, prior: float) -> Callable[[], Estimate]:
    def fit() -> Estimate:
        model = LCMCR(
            K=LCMCR_K,
            burnin=LCMCR_BURNIN,
            samples=LCMCR_SAMPLES,
            thin=LCMCR_THIN,
            a_lambda=prior,
            b_lambda=prior,
            seed=seed,
        )
        return model.fit(h).estimate_

    return fit


def _fits(h: CaptureHistories, seed: int, with_bic: bool) -> dict[str, Callable[[], Estimate]]:
    fits: dict[str, Callable[[], Estimate]] = {
        "LogLinear stepwise": lambda: LogLinear(criterion="stepwise").fit(h).estimate_,
    }
    if with_bic:
        fits["LogLinear BIC"] = lambda: LogLinear(criterion="bic").fit(h).estimate_
    if h.k <= 5:
        fits["DGA"] = lambda: DGA().fit(h).estimate_
    fits["LCMCR"] = _lcmcr(h, seed, 1.0)
    fits["LCMCR Jeffreys"] = _lcmcr(h, seed, JEFFREYS)
    incidence = IncidenceFrequencies.from_histories(h)
    for name, cls in UNSEEN.items():
        fits[name] = _unseen_fit(cls, incidence)
    return fits


def _unseen_fit(cls: type[Any], incidence: IncidenceFrequencies) -> Callable[[], Estimate]:
    def fit() -> Estimate:
        est: Estimate = cls().fit(incidence).estimate_
        return est

    return fit


def _row(scenario: str, method: str, seed: int, true_n: int) -> dict[str, Any]:
    return {
        "scenario": scenario,
        "method": method,
        "seed": seed,
        "true_n": true_n,
        "point": math.nan,
        "lower": math.nan,
        "upper": math.nan,
        "failed": False,
        "warned": False,
        "seconds": 0.0,
    }


def _run(
    estimate: Callable[[], Estimate | list[Estimate]], row: dict[str, Any]
) -> list[tuple[Estimate, dict[str, Any]]] | None:
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = estimate()
        except Exception:  # a failed fit is a result of the study, not a crash of it
            row["failed"] = True
            row["seconds"] = time.perf_counter() - started
            return None
    row["warned"] = any(issubclass(w.category, StatisticalWarning) for w in caught)
    row["seconds"] = time.perf_counter() - started
    return [(e, row) for e in (result if isinstance(result, list) else [result])]


def seed_of(scenario: str, r: int) -> int:
    """Seed of replicate ``r`` of a scenario (the test slice uses the same seeds)."""
    return 100_000 * (list(SCENARIOS).index(scenario) + 1) + r


def replicate(
    scenario: str, seed: int, with_bic: bool, methods: frozenset[str] | None = None
) -> list[dict[str, Any]]:
    """Fit every applicable method (or those in ``methods``) to one population; one row
    per method."""
    pop = draw_population(scenario, seed)
    h = CaptureHistories.from_frame(pop.histories)
    rows: list[dict[str, Any]] = []
    if methods is None or methods & {f"ClosedP {m}" for m in CLOSEDP_MODELS}:
        rows = [
            r
            for r in _closedp_rows(h, scenario, seed, pop.true_n)
            if methods is None or r["method"] in methods
        ]
    for method, fit_one in _fits(h, seed, with_bic).items():
        if methods is not None and method not in methods:
            continue
        row = _row(scenario, method, seed, pop.true_n)
        done = _run(fit_one, row)
        if done:
            est = done[0][0]
            row.update(point=est.point, lower=est.lower, upper=est.upper)
        rows.append(row)
    return rows


def _closedp_rows(
    h: CaptureHistories, scenario: str, seed: int, true_n: int
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    closedp = _row(scenario, "ClosedP", seed, true_n)
    done = _run(lambda: ClosedP().fit(h).estimates_, closedp)
    by_model = {e.settings.get("model"): e for e, _ in done or []}
    for model in CLOSEDP_MODELS:
        row = {**closedp, "method": f"ClosedP {model}"}
        row["seconds"] = closedp["seconds"] / len(CLOSEDP_MODELS)
        fit = by_model.get(model)
        if fit is None:
            row["failed"] = True
        else:
            row.update(point=fit.point, lower=fit.lower, upper=fit.upper)
            # ClosedP warns about every model at once: count only this model's caveat.
            row["warned"] = bool(fit.warnings)
        rows.append(row)
    return rows


def summarise(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per scenario and method: errors, coverage, width, failures, warnings."""
    out = []
    for (scenario, method), g in raw.groupby(["scenario", "method"], sort=False):
        ok = g[~g["failed"]]
        rel = (ok["point"] - ok["true_n"]) / ok["true_n"]
        covered = (ok["lower"] <= ok["true_n"]) & (ok["true_n"] <= ok["upper"])
        width = (ok["upper"] - ok["lower"]) / ok["true_n"]
        assumed = scenario in ASSUMED[str(method)]
        coverage = float(covered.mean()) if len(ok) else math.nan
        out.append(
            {
                "scenario": scenario,
                "method": method,
                "replicates": len(g),
                "median_rel_error": float(rel.median()) if len(ok) else math.nan,
                "median_abs_rel_error": float(rel.abs().median()) if len(ok) else math.nan,
                "coverage_95": coverage,
                "mean_width_over_n": float(width[np.isfinite(width)].mean())
                if len(ok)
                else math.nan,
                "infinite_upper": int((~np.isfinite(ok["upper"])).sum()),
                "failures": int(g["failed"].sum()),
                "warnings": int(g["warned"].sum()),
                "assumed": assumed,
                "check": ("FAIL" if coverage < 0.9 else "ok") if assumed else "",
                "mean_seconds": float(g["seconds"].mean()),
            }
        )
    table = pd.DataFrame(out)
    order = {m: i for i, m in enumerate(METHODS)}
    table["_s"] = table["scenario"].map({s: i for i, s in enumerate(SCENARIOS)})
    table["_m"] = table["method"].map(order)
    return table.sort_values(["_s", "_m"]).drop(columns=["_s", "_m"]).reset_index(drop=True)


def markdown(table: pd.DataFrame) -> str:
    """The summary as a Markdown table (for docs/estimators.md)."""
    lines = [
        "| scenario | method | reps | median rel. error | median abs. rel. error "
        "| coverage 95 % | mean width / N | failures | warnings | model true | check |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|:-:|:-:|",
    ]
    for r in table.to_dict("records"):
        width = f"{r['mean_width_over_n']:.2f}" + (
            f" ({r['infinite_upper']} inf)" if r["infinite_upper"] else ""
        )
        lines.append(
            f"| {r['scenario']} | {r['method']} | {r['replicates']} "
            f"| {r['median_rel_error']:+.3f} | {r['median_abs_rel_error']:.3f} "
            f"| {r['coverage_95']:.3f} | {width} | {r['failures']} | {r['warnings']} "
            f"| {'yes' if r['assumed'] else 'no'} | {r['check']} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--bic-replicates", type=int, default=50)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--methods", default=None, help="comma-separated subset of methods")
    parser.add_argument("--out", default="estimator_study.csv", help="summary CSV path")
    parser.add_argument("--raw", default=None, help="CSV of every fit, appended as they finish")
    parser.add_argument("--summarise", default=None, help="only tabulate this raw CSV")
    args = parser.parse_args()
    if args.summarise:
        report(pd.read_csv(args.summarise), args.out)
        return 0
    scenarios = [s for s in args.scenarios.split(",") if s]
    methods = frozenset(m for m in args.methods.split(",") if m) if args.methods else None
    if methods is not None and not methods <= set(METHODS):
        parser.error(f"unknown methods {sorted(methods - set(METHODS))}; choose from {METHODS}")
    # Replicate-major order, so that a study cut short (--raw keeps every finished fit;
    # --summarise RAW tabulates it) is balanced across scenarios and methods.
    tasks = [
        (s, seed_of(s, r), r < args.bic_replicates, methods)
        for r in range(args.replicates)
        for s in SCENARIOS
        if s in scenarios
    ]
    print(
        f"{len(tasks)} populations ({len(scenarios)} scenarios x {args.replicates}), "
        f"{args.workers} workers; LCMCR {LCMCR_SETTINGS}; BIC on {args.bic_replicates} "
        "replicates per scenario",
        flush=True,
    )
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    if args.raw:
        pd.DataFrame(columns=list(_row("", "", 0, 0))).to_csv(args.raw, index=False)
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = [pool.submit(replicate, *task) for task in tasks]
        for done, future in enumerate(as_completed(futures), start=1):
            fitted = future.result()
            rows.extend(fitted)
            if args.raw:
                pd.DataFrame(fitted).to_csv(args.raw, mode="a", header=False, index=False)
            if done % max(1, len(tasks) // 20) == 0 or done == len(tasks):
                elapsed = time.perf_counter() - started
                eta = elapsed / done * (len(tasks) - done)
                print(f"  {done}/{len(tasks)}  {elapsed:6.0f} s  (about {eta:.0f} s left)")
                sys.stdout.flush()
    report(pd.DataFrame(rows), args.out)
    print(f"\n{time.perf_counter() - started:.0f} s wall on {os.cpu_count()} cores")
    return 0


def report(raw: pd.DataFrame, out: str) -> None:
    """Print the summary (plain and Markdown) and write it as CSV to ``out``."""
    table = summarise(raw)
    table.to_csv(out, index=False)
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        print(table.drop(columns=["mean_seconds"]).to_string(index=False, float_format="%.3f"))
    print()
    print(markdown(table))
    print(f"-> {out}")


if __name__ == "__main__":
    raise SystemExit(main())
