"""LCMCR here against the R package LCMCR, on the same data, machine and settings.

Two comparisons, both needing R with the LCMCR package installed (``Rscript`` on the
PATH; the library found through ``R_LIBS``/``R_LIBS_USER`` as R finds it). Without them the
script says how to install them and exits with status 0: it is not part of ``make bench``.

``--speed`` (default)
    Every capture-history dataset of ``../shared/data/mse`` with the R package's
    documented settings (K = 10, a_alpha = b_alpha = 0.25, burn-in 10,000, 1,000 draws
    thinned by 100): seconds, sweeps per second and effective samples of N per second, for
    R (one chain; its sampler is single-threaded), for one chain here, and for the same
    1,000 draws from two chains here run side by side. R and Python run one after the
    other, never at once.
``--coverage SCENARIOS --replicates R``
    The validity study's populations (``benchmarks/estimator_study.py``, same seeds): the
    share of 95 % intervals that contain the true N, for R and for this package. This is
    how one tells a property of the LCMCR model and its prior from a defect of this
    implementation.

Install on Debian: ``apt-get install r-base-core r-base-dev libgsl-dev r-cran-coda``, then
in R ``install.packages("LCMCR")`` (or ``R CMD INSTALL`` a source copy of it).

Run: ``python benchmarks/compare_r_lcmcr.py [--speed] [--coverage heterogeneity,eight_lists
--replicates 100]``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[0] / ".." / "shared" / "data" / "mse"
DRAWS, BURNIN, THIN, K = 1_000, 10_000, 100, 10
SWEEPS = 500 + BURNIN + DRAWS * THIN  # both packages warm up for 500 sweeps first

# One R process fits every file listed on its command line and prints one JSON line per
# file; the draws of N go to <file>.draws (one per line).
R_FIT = r"""
suppressPackageStartupMessages(library(LCMCR))
args <- commandArgs(trailingOnly = TRUE)
settings <- as.integer(args[1:5])  # seed, K, burn-in, draws, thinning
for (path in args[-(1:5)]) {
  table <- read.csv(path, check.names = FALSE)
  count <- table$count
  lists <- table[, setdiff(names(table), "count"), drop = FALSE]
  keep <- count > 0 & rowSums(lists) > 0
  captures <- as.data.frame(lapply(lists[keep, , drop = FALSE],
                                   function(x) factor(x, levels = c(0, 1))))
  captures$Freq <- count[keep]
  started <- proc.time()[["elapsed"]]
  model <- lcmCR(captures = captures, tabular = TRUE, in_list_label = "1",
                 not_in_list_label = "0", K = settings[2], a_alpha = 0.25, b_alpha = 0.25,
                 seed = settings[1], buffer_size = 10000, thinning = settings[5], verbose = FALSE)
  draws <- lcmCR_PostSampl(model, burnin = settings[3], samples = settings[4],
                           thinning = settings[5], output = FALSE)
  seconds <- proc.time()[["elapsed"]] - started
  writeLines(format(draws, scientific = FALSE), paste0(path, ".draws"))
  cat(sprintf('{"file": "%s", "seconds": %.4f}\n', path, seconds))
}
"""


def r_available() -> str | None:
    """Why R's LCMCR cannot be run here, or None when it can."""
    if shutil.which("Rscript") is None:
        return "Rscript is not on the PATH"
    probe = subprocess.run(
        ["Rscript", "-e", "suppressPackageStartupMessages(library(LCMCR))"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        return "the R package LCMCR is not installed (library(LCMCR) fails)"
    return None


def r_fits(paths: list[Path], seed: int) -> dict[Path, tuple[float, np.ndarray]]:
    """Seconds and draws of N of R's LCMCR on each capture-history CSV."""
    with tempfile.NamedTemporaryFile("w", suffix=".R", delete=False) as script:
        script.write(R_FIT)
    done = subprocess.run(
        ["Rscript", script.name, *map(str, (seed, K, BURNIN, DRAWS, THIN)), *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    Path(script.name).unlink()
    if done.returncode != 0:
        raise SystemExit(f"R's LCMCR failed:\n{done.stderr[-2000:]}")
    out: dict[Path, tuple[float, np.ndarray]] = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            path = Path(row["file"])
            draws = np.loadtxt(f"{path}.draws")
            out[path] = (float(row["seconds"]), draws)
    return out


def ours(path: Path, seed: int, chains: int) -> tuple[float, np.ndarray, float]:
    """Seconds, draws of N and effective sample size of this package's LCMCR."""
    from uncounted.estimate import LCMCR, CaptureHistories

    h = CaptureHistories.from_csv(path)
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = (
            LCMCR(K=K, burnin=BURNIN, samples=DRAWS // chains, thin=THIN, seed=seed, chains=chains)
            .fit(h)
            .estimate_
        )
    seconds = time.perf_counter() - started
    return seconds, np.asarray(est.draws, dtype=float), float(est.diagnostics["ess"] or np.nan)


def speed(seed: int) -> None:
    from uncounted.estimate.diagnostics import effective_sample_size

    with open(DATA / "datasets.json", encoding="utf-8") as fh:
        catalogue = json.load(fh)
    names = ["synthetic_5lists_20000", "synthetic_10lists_20000"]
    names += sorted(k for k, v in catalogue.items() if v.get("kind") == "closed")
    ours(DATA / "Artificial_3.csv", seed, 1)  # compile (or load the cache) before timing
    print(
        f"{'dataset':<24}{'R s':>7}{'R sw/s':>9}{'R ESS':>7}{'s':>7}{'sw/s':>9}{'ESS':>6}"
        f"{'x2 s':>7}{'x2 ESS':>7}{'speed':>7}{'ESS/s':>7}{'x2 ESS/s':>9}"
    )
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / f"{name}.csv"
            shutil.copy(DATA / f"{name}.csv", copy)
            r_seconds, r_draws = r_fits([copy], seed)[copy]
        r_ess = effective_sample_size(r_draws)
        seconds, _, ess = ours(DATA / f"{name}.csv", seed, 1)
        seconds2, _, ess2 = ours(DATA / f"{name}.csv", seed, 2)
        print(
            f"{name:<24}{r_seconds:>7.2f}{SWEEPS / r_seconds:>9,.0f}{r_ess:>7.0f}"
            f"{seconds:>7.2f}{SWEEPS / seconds:>9,.0f}{ess:>6.0f}{seconds2:>7.2f}{ess2:>7.0f}"
            f"{r_seconds / seconds:>6.1f}x{(ess / seconds) / (r_ess / r_seconds):>6.1f}x"
            f"{(ess2 / seconds2) / (r_ess / r_seconds):>8.1f}x",
            flush=True,
        )
    print(
        "(speed: R's seconds over ours, one chain each; ESS/s: effective samples of N per "
        "second, ours over R's; x2: the 1,000 draws from two chains side by side)"
    )


def coverage(scenarios: list[str], replicates: int) -> None:
    sys.path.insert(0, str(HERE))
    from estimator_study import seed_of
    from uncounted.simulate.populations import draw_population

    print(
        f"{'scenario':<16}{'reps':>5}{'R covers':>9}{'ours':>6}{'R err':>8}{'our err':>8}"
        f"{'R width':>8}{'our width':>10}"
    )
    for scenario in scenarios:
        with tempfile.TemporaryDirectory() as tmp:
            rows = []
            for r in range(replicates):
                seed = seed_of(scenario, r)
                pop = draw_population(scenario, seed)
                path = Path(tmp) / f"{scenario}_{r:04d}.csv"
                pop.histories.to_csv(path, index=False)
                rows.append((path, seed, pop.true_n))
            # R seeds each fit like the study does; one R process per replicate keeps
            # the seed per fit.
            table = []
            for path, seed, true_n in rows:
                _, r_draws = r_fits([path], seed)[path]
                _, our_draws, _ = ours(path, seed, 1)
                table.append((true_n, _summary(r_draws), _summary(our_draws)))
        true = np.array([t[0] for t in table], dtype=float)
        r_q = np.array([t[1] for t in table])
        o_q = np.array([t[2] for t in table])

        print(
            f"{scenario:<16}{len(true):>5}{_covers(r_q, true):>9}{_covers(o_q, true):>6}"
            f"{np.median((r_q[:, 1] - true) / true):>+8.3f}"
            f"{np.median((o_q[:, 1] - true) / true):>+8.3f}"
            f"{np.mean((r_q[:, 2] - r_q[:, 0]) / true):>8.3f}"
            f"{np.mean((o_q[:, 2] - o_q[:, 0]) / true):>10.3f}",
            flush=True,
        )


def _covers(q: np.ndarray, true: np.ndarray) -> int:
    return int(((q[:, 0] <= true) & (true <= q[:, 2])).sum())


def _summary(draws: np.ndarray) -> tuple[float, float, float]:
    low, mid, high = np.quantile(draws, [0.025, 0.5, 0.975])
    return float(low), float(mid), float(high)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", action="store_true", help="timing on every dataset")
    parser.add_argument("--coverage", default="", help="scenarios, comma-separated")
    parser.add_argument("--replicates", type=int, default=100)
    parser.add_argument("--seed", type=int, default=12345)
    args = parser.parse_args(argv)
    missing = r_available()
    if missing:
        print(f"skipped: {missing}; see the docstring for how to install it")
        return 0
    if not DATA.exists():
        print(f"shared MSE data not found at {DATA}", file=sys.stderr)
        return 1
    if args.speed or not args.coverage:
        speed(args.seed)
    if args.coverage:
        coverage([s for s in args.coverage.split(",") if s], args.replicates)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
