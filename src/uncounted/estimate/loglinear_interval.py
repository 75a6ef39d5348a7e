"""Intervals for the population size of a fitted log-linear model.

- **wald**: normal on the log of the dark figure, ``n + exp(theta_0 +- z se(theta_0))``,
  as SparseMSE's ``estimatepopulation.0`` (Chan, Silverman & Vincent 2021).
- **profile**: profile multinomial likelihood of ``N`` (Cormack 1992, *Biometrics* 48:567;
  the method of Rcapture's ``closedpCI.t``). For a given ``N`` the unobserved cell gets the
  count ``N - n`` and the Poisson model is refitted to the complete table; the multinomial
  log-likelihood is then ``-D(N)/2 + c(N)`` with ``D`` the deviance and
  ``c(N) = (N-n) log(N-n) - log (N-n)! + log N! - N log N``. The interval holds the ``N``
  whose log-likelihood is within ``chi2_1(level)/2`` of the maximum.
- **bootstrap**: nonparametric bootstrap (items resampled with replacement, i.e. counts
  ``~ Multinomial(n, observed proportions)``), the whole model selection rerun on every
  replicate, with bias-corrected and accelerated limits (Efron 1987; DiCiccio & Efron 1996)
  whose acceleration comes from a grouped jackknife (one item removed from each observed
  history), as SparseMSE's ``estimatepopulation``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln, xlogy
from scipy.stats import chi2, norm

from uncounted.errors import UncountedError
from uncounted.estimate.loglinear_design import LogLinearFit
from uncounted.estimate.loglinear_glm import GLMFailure, fit_poisson

__all__ = [
    "BootstrapResult",
    "ProfileResult",
    "bca_limits",
    "bootstrap",
    "profile_interval",
    "profile_loglik",
    "wald_log_interval",
]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]

# Rcapture searches the upper limit up to 3 N-hat; we go further before giving up.
_UPPER_SEARCH_FACTORS = (3.0, 10.0, 100.0, 1000.0)
_ROOT_RTOL = 1e-9


def wald_log_interval(fit: LogLinearFit, level: float) -> tuple[float, float]:
    """``n + exp(theta_0 -+ z se)`` (SparseMSE ``estimatepopulation.0``)."""
    z = float(norm.ppf(0.5 + level / 2.0))
    centre, se = fit.log_dark, fit.log_dark_se
    n = fit.n_observed
    return n + math.exp(centre - z * se), n + math.exp(centre + z * se)


def profile_loglik(fit: LogLinearFit) -> Callable[[float], float]:
    """Profile multinomial log-likelihood of ``N`` for the model of ``fit`` (up to a
    constant)."""
    data = fit.data
    x = np.vstack([np.eye(1, data.x.shape[1]), data.x])  # the unobserved cell: intercept only
    n = float(fit.n_observed)

    def loglik(total: float) -> float:
        unseen = max(total - n, 0.0)
        y = np.concatenate([[unseen], data.y])
        deviance = fit_poisson(x, y).deviance
        correction = (
            float(xlogy(unseen, unseen))
            - float(gammaln(unseen + 1.0))
            + float(gammaln(total + 1.0))
            - total * math.log(total)
        )
        return -deviance / 2.0 + correction

    return loglik


@dataclass(frozen=True)
class ProfileResult:
    """Profile-likelihood interval: limits, the maximising ``N`` and whether each limit
    was found (a limit not found is ``n`` below or ``inf`` above)."""

    lower: float
    upper: float
    n_max: float
    loglik_max: float
    lower_found: bool
    upper_found: bool


def profile_interval(fit: LogLinearFit, level: float) -> ProfileResult:
    """Profile multinomial likelihood interval for ``N`` (Cormack 1992)."""
    loglik = profile_loglik(fit)
    n = float(fit.n_observed)
    point = fit.point
    best = minimize_scalar(
        lambda total: -loglik(total),
        bounds=(n, 3.0 * point),
        method="bounded",
        options={"xatol": 1e-6 * point},
    )
    n_max = float(best.x)
    top = -float(best.fun)
    drop = float(chi2.ppf(level, 1)) / 2.0

    def gap(total: float) -> float:
        return loglik(total) - (top - drop)

    lower, lower_found = n, False
    if n_max > n and gap(n) < 0.0:
        lower = float(brentq(gap, n, n_max, rtol=_ROOT_RTOL))
        lower_found = True
    upper, upper_found = math.inf, False
    start = n_max
    for factor in _UPPER_SEARCH_FACTORS:
        end = factor * point
        if end <= start:
            continue
        try:
            below = gap(end) < 0.0
        except GLMFailure:
            break
        if below:
            upper = float(brentq(gap, start, end, rtol=_ROOT_RTOL))
            upper_found = True
            break
        start = end
    return ProfileResult(lower, upper, n_max, top, lower_found, upper_found)


@dataclass(frozen=True)
class BootstrapResult:
    """Bootstrap replicates and BCa limits.

    ``failed`` counts replicates whose estimate could not be computed (left out).
    """

    draws: FloatArray
    jackknife: FloatArray
    lower: float
    upper: float
    bias_z0: float
    acceleration: float
    failed: int


def bootstrap(
    counts: np.ndarray[Any, Any],
    estimate: Callable[[np.ndarray[Any, Any]], float],
    point: float,
    level: float,
    n_boot: int,
    rng: np.random.Generator,
) -> BootstrapResult:
    """Resample the observed histories, re-estimate, and return BCa limits.

    Parameters
    ----------
    counts : array
        Count of each observed history (all positive).
    estimate : callable
        Maps a vector of counts (same histories) to a population estimate; may raise any
        ``Exception`` subclass of ``uncounted.errors.UncountedError`` or ``GLMFailure``
        for a replicate that cannot be estimated.
    """
    counts = np.asarray(counts, dtype=np.int64)
    n = int(counts.sum())
    draws: list[float] = []
    failed = 0
    for sample in rng.multinomial(n, counts / n, size=n_boot):
        try:
            draws.append(estimate(sample))
        except (UncountedError, GLMFailure, np.linalg.LinAlgError):
            failed += 1
    jack = np.full(len(counts), np.nan)
    for j in range(len(counts)):
        reduced = counts.copy()
        reduced[j] -= 1
        try:
            jack[j] = estimate(reduced)
        except (UncountedError, GLMFailure, np.linalg.LinAlgError):
            jack[j] = np.nan
    boot = np.asarray(draws, dtype=np.float64)
    lower, upper, z0, accel = bca_limits(boot, point, jack, counts, level)
    return BootstrapResult(boot, jack, lower, upper, z0, accel, failed)


def bca_limits(
    boot: FloatArray,
    point: float,
    jack: FloatArray,
    weights: np.ndarray[Any, Any],
    level: float,
) -> tuple[float, float, float, float]:
    """BCa limits ``(lower, upper, z0, a)`` (DiCiccio & Efron 1996, eqs 2.3-2.8).

    ``z0 = Phi^-1(share of replicates below the estimate)``; the acceleration uses jackknife
    estimates ``jack`` weighted by the number of items each stands for:
    ``a = sum w r^3 / (6 (sum w r^2)^1.5)`` with ``r`` the weighted mean minus each
    estimate. Quantiles are Hyndman & Fan type 8, as in SparseMSE.
    """
    if boot.size == 0:
        return math.nan, math.nan, math.nan, math.nan
    ok = np.isfinite(jack)
    w = np.asarray(weights, dtype=np.float64)[ok]
    values = jack[ok]
    residual = float(np.sum(w * values) / np.sum(w)) - values
    spread = float(np.sum(w * residual**2))
    accel = float(np.sum(w * residual**3)) / (6.0 * spread**1.5) if spread > 0 else 0.0
    share = float(np.mean(boot < point))
    share = min(max(share, 0.5 / boot.size), 1.0 - 0.5 / boot.size)
    z0 = float(norm.ppf(share))
    tail = (1.0 - level) / 2.0
    limits = []
    for alpha in (tail, 1.0 - tail):
        za = z0 + float(norm.ppf(alpha))
        limits.append(float(norm.cdf(z0 + za / (1.0 - accel * za))))
    quantiles = np.quantile(boot, limits, method="median_unbiased")
    return float(quantiles[0]), float(quantiles[1]), z0, accel
