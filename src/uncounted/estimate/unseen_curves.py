"""Rarefaction and extrapolation of the number of items, by sample size and by sample coverage.

How many distinct events would ``t`` interviewees have reported? For ``t <= T`` the expected
number in a random subset of ``t`` of the ``T`` units (hypergeometric interpolation); for
``t > T`` Chao2-based extrapolation, trusted up to about ``2T``; and the sample coverage (the
detection-weighted share of events already seen) that goes with each ``t``. Comparing strata
or periods at equal coverage rather than equal effort is the point of Chao & Jost (2012,
*Ecology* 93:2533). Formulas for incidence data are those of Chao et al. (2014, *Ecol. Monogr.*
84:45), as iNEXT computes them; intervals come from the bootstrap of
:mod:`uncounted.estimate.unseen_bootstrap`: estimate +/- z * bootstrap standard deviation.

With ``Q_k`` items reported by ``k`` of ``T`` units, ``S_obs`` items, ``U = sum k Q_k``,
``f0`` the Chao2 unseen count and ``A = (T-1) Q1 / ((T-1) Q1 + 2 Q2)``:

* richness, ``t < T``: ``sum_k Q_k [1 - C(T-k, t) / C(T, t)]``
* richness, ``t = T + s``: ``S_obs + f0 (1 - (1 - Q1 / (T f0 + Q1))^s)``
* coverage, ``t < T``: ``1 - sum_k (k Q_k / U) C(T-k, t) / C(T-1, t)``
* coverage, ``t = T + s``: ``1 - (Q1 / U) A^(s+1)``
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from statistics import NormalDist
from typing import TYPE_CHECKING, Any, Literal, Self

import numpy as np
import pandas as pd

from uncounted.errors import EstimationError
from uncounted.estimate.incidence import IncidenceFrequencies
from uncounted.estimate.result import Estimate
from uncounted.estimate.unseen import Chao2, _singleton_ratio
from uncounted.estimate.unseen_bootstrap import bootstrap_samples, chao2_unseen

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "RarefactionExtrapolation",
    "coverage_at_size",
    "richness_at_coverage",
    "richness_at_size",
    "size_at_coverage",
]

_FloatArray = np.ndarray[Any, np.dtype[np.float64]]


def _log_choose(n: _FloatArray, k: _FloatArray) -> _FloatArray:
    from scipy.special import gammaln

    return np.asarray(gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1), dtype=np.float64)


def _as_sizes(t: float | Sequence[float] | _FloatArray) -> _FloatArray:
    sizes = np.atleast_1d(np.asarray(t, dtype=np.float64))
    if np.any(sizes < 0) or not np.all(np.isfinite(sizes)):
        raise ValueError("sample sizes must be finite and non-negative")
    return sizes


def _check_interpolation(sizes: _FloatArray, T: int) -> None:
    inside = sizes[sizes < T]
    if np.any(inside != np.round(inside)):
        raise ValueError(f"sample sizes below T = {T} must be whole numbers (interpolation)")


def richness_at_size(
    data: IncidenceFrequencies, t: float | Sequence[float] | _FloatArray
) -> _FloatArray:
    """Expected number of distinct items reported by ``t`` sampling units.

    Interpolated (``t <= T``, whole numbers) or extrapolated (``t > T``, any real).
    """
    sizes = _as_sizes(t)
    T = data.T
    _check_interpolation(sizes, T)
    ks = np.flatnonzero(data.Q).astype(np.float64)
    qk = data.Q[ks.astype(int)].astype(np.float64)
    out = np.empty_like(sizes)
    inner = sizes <= T
    if inner.any():
        tt = sizes[inner][:, None]
        possible = (T - ks)[None, :] >= tt
        log_ratio = _log_choose(np.maximum(T - ks[None, :], tt), tt) - _log_choose(
            np.full_like(tt, T), tt
        )
        missed = np.where(possible, np.exp(np.where(possible, log_ratio, 0.0)), 0.0)
        out[inner] = (1.0 - missed) @ qk
    outer = ~inner
    if outer.any():
        s_obs = data.n_observed
        f0 = chao2_unseen(data)
        q1 = data.q(1)
        if f0 <= 0 or q1 == 0:
            out[outer] = s_obs
        else:
            keep = T * f0 / (T * f0 + q1)
            out[outer] = s_obs + f0 * (1 - keep ** (sizes[outer] - T))
    return out


def coverage_at_size(
    data: IncidenceFrequencies, t: float | Sequence[float] | _FloatArray
) -> _FloatArray:
    """Estimated sample coverage of a sample of ``t`` sampling units (Chao et al. 2014)."""
    sizes = _as_sizes(t)
    T = data.T
    _check_interpolation(sizes, T)
    u = data.total_incidences
    q1 = data.q(1)
    ratio = _singleton_ratio(T, q1, data.q(2))
    ks = np.flatnonzero(data.Q).astype(np.float64)
    weights = ks * data.Q[ks.astype(int)] / u
    out = np.empty_like(sizes)
    inner = sizes < T
    if inner.any():
        tt = sizes[inner][:, None]
        possible = (T - ks)[None, :] >= tt
        log_ratio = _log_choose(np.maximum(T - ks[None, :], tt), tt) - _log_choose(
            np.full_like(tt, T - 1), tt
        )
        unseen = np.where(possible, np.exp(np.where(possible, log_ratio, 0.0)), 0.0)
        out[inner] = 1.0 - unseen @ weights
    outer = ~inner
    out[outer] = 1.0 - q1 / u * ratio ** (sizes[outer] - T + 1)
    return out


def size_at_coverage(
    data: IncidenceFrequencies, coverage: float | Sequence[float] | _FloatArray
) -> _FloatArray:
    """Number of sampling units at which the estimated coverage reaches each target.

    Below the reference coverage: the whole number ``t <= T`` whose coverage is nearest the
    target (as iNEXT rounds it). Above it: the real ``t > T`` solving the extrapolated
    coverage formula. NaN when the target cannot be reached (coverage 1, or no singletons).
    """
    targets = np.atleast_1d(np.asarray(coverage, dtype=np.float64))
    if np.any((targets < 0) | (targets > 1)):
        raise ValueError("coverage targets must lie between 0 and 1")
    T = data.T
    reference = float(coverage_at_size(data, [T])[0])
    grid = np.arange(0, T + 1, dtype=np.float64)
    grid_coverage = coverage_at_size(data, grid)
    q1, u = data.q(1), data.total_incidences
    ratio = _singleton_ratio(T, q1, data.q(2))
    out = np.full_like(targets, np.nan)
    for i, target in enumerate(targets):
        if target <= reference:
            out[i] = grid[int(np.argmin(np.abs(grid_coverage - target)))]
        elif target < 1 and q1 > 0 and 0 < ratio < 1:
            out[i] = T - 1 + np.log((1 - target) * u / q1) / np.log(ratio)
    return out


def richness_at_coverage(
    data: IncidenceFrequencies, coverage: float | Sequence[float] | _FloatArray
) -> _FloatArray:
    """Expected number of distinct items in a sample of the given coverage (NaN if unreachable)."""
    sizes = size_at_coverage(data, coverage)
    out = np.full_like(sizes, np.nan)
    ok = np.isfinite(sizes)
    if ok.any():
        out[ok] = richness_at_size(data, sizes[ok])
    return out


def default_sizes(T: int, endpoint: int, knots: int) -> _FloatArray:
    """iNEXT's grid: about ``knots/2`` sizes up to ``T`` and ``knots/2`` beyond, with ``T``."""
    if endpoint <= T:
        grid = np.floor(np.linspace(1, endpoint, knots))
    else:
        below = np.floor(np.linspace(1, T - 1, max(knots // 2 - 1, 1))) if T > 1 else np.ones(1)
        above = np.floor(np.linspace(T + 1, endpoint, max(knots // 2, 1)))
        grid = np.concatenate([below, [T], above])
    return np.unique(grid)


def _stage(t: _FloatArray, T: int) -> list[str]:
    return ["interpolated" if x < T else "observed" if x == T else "extrapolated" for x in t]


class RarefactionExtrapolation:
    """Sample-size- and coverage-based rarefaction and extrapolation curves with bootstrap
    intervals (Chao & Jost 2012; Chao et al. 2014, incidence data, as in iNEXT).

    Parameters
    ----------
    endpoint : int, optional
        Largest sample size; default ``2T`` (extrapolation beyond that is not reliable).
    knots : int
        Approximate number of sample sizes on the curve (default 40, as iNEXT).
    sizes : sequence of float, optional
        Explicit sample sizes instead of the default grid (``T`` is always added).
    coverages : sequence of float, optional
        Coverage targets of the coverage-based curve; default: the coverage at each size.
    n_boot : int
        Bootstrap replicates (iNEXT's default is 50); 0 for no intervals.
    level : float
        Interval level.
    seed : int, optional
        Seed of the bootstrap.

    Attributes
    ----------
    size_curve_ : pandas.DataFrame
        ``t, method, richness, richness_lower, richness_upper, coverage, coverage_lower,
        coverage_upper``; ``method`` is interpolated / observed / extrapolated.
    coverage_curve_ : pandas.DataFrame
        ``coverage, t, method, richness, richness_lower, richness_upper``.
    estimate_ : Estimate
        The asymptote of the curve: the Chao2 estimate.
    """

    data_kind = "incidence"

    size_curve_: pd.DataFrame
    coverage_curve_: pd.DataFrame
    estimate_: Estimate
    data_: IncidenceFrequencies

    def __init__(
        self,
        endpoint: int | None = None,
        knots: int = 40,
        sizes: Sequence[float] | None = None,
        coverages: Sequence[float] | None = None,
        n_boot: int = 50,
        level: float = 0.95,
        seed: int | None = None,
    ) -> None:
        if knots < 2:
            raise ValueError(f"knots must be at least 2, got {knots}")
        if n_boot < 0:
            raise ValueError(f"n_boot must be non-negative, got {n_boot}")
        if not 0.0 < level < 1.0:
            raise ValueError(f"level must be between 0 and 1, got {level}")
        self.endpoint = endpoint
        self.knots = knots
        self.sizes = None if sizes is None else [float(s) for s in sizes]
        self.coverages = None if coverages is None else [float(c) for c in coverages]
        self.n_boot = n_boot
        self.level = level
        self.seed = seed

    def fit(self, data: IncidenceFrequencies) -> Self:
        """Compute both curves and their bootstrap intervals."""
        started = time.perf_counter()
        if data.T < 2:
            raise EstimationError("rarefaction needs at least 2 sampling units")
        T = data.T
        if self.sizes is None:
            endpoint = 2 * T if self.endpoint is None else int(self.endpoint)
            t = default_sizes(T, endpoint, self.knots)
        else:
            t = np.unique(np.concatenate([np.asarray(self.sizes, dtype=np.float64), [T]]))
        richness = richness_at_size(data, t)
        coverage = coverage_at_size(data, t)
        targets = (
            np.asarray(self.coverages, dtype=np.float64)
            if self.coverages is not None
            else np.unique(coverage[coverage < 1])
        )
        cov_sizes = size_at_coverage(data, targets)
        cov_richness = richness_at_coverage(data, targets)

        z = NormalDist().inv_cdf(0.5 + self.level / 2)
        nan = np.full_like(t, np.nan)
        r_err, c_err, cr_err = nan, nan, np.full_like(targets, np.nan)
        if self.n_boot > 0:
            rng = np.random.default_rng(self.seed)
            boot_r = np.empty((self.n_boot, t.size))
            boot_c = np.empty((self.n_boot, t.size))
            boot_cr = np.empty((self.n_boot, targets.size))
            for b, sample in enumerate(bootstrap_samples(data, self.n_boot, rng)):
                boot_r[b] = richness_at_size(sample, t)
                boot_c[b] = coverage_at_size(sample, t)
                boot_cr[b] = richness_at_coverage(sample, targets)
            r_err, c_err, cr_err = (
                z * _sd(boot_r),
                z * _sd(boot_c),
                z * _sd(boot_cr),
            )
        self.size_curve_ = pd.DataFrame(
            {
                "t": t,
                "method": _stage(t, T),
                "richness": richness,
                "richness_lower": np.maximum(richness - r_err, 0.0),
                "richness_upper": richness + r_err,
                "coverage": coverage,
                "coverage_lower": np.clip(coverage - c_err, 0.0, 1.0),
                "coverage_upper": np.clip(coverage + c_err, 0.0, 1.0),
            }
        )
        self.coverage_curve_ = pd.DataFrame(
            {
                "coverage": targets,
                "t": cov_sizes,
                "method": _stage(cov_sizes, T),
                "richness": cov_richness,
                "richness_lower": np.maximum(cov_richness - cr_err, 0.0),
                "richness_upper": cov_richness + cr_err,
            }
        )
        self.data_ = data
        asymptote = Chao2(level=self.level).fit(data).estimate_
        asymptote.settings = {**asymptote.settings, **self._settings()}
        asymptote.seconds = time.perf_counter() - started
        asymptote.seed = self.seed
        self.estimate_ = asymptote
        return self

    def _settings(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "knots": self.knots,
            "sizes": self.sizes,
            "coverages": self.coverages,
            "n_boot": self.n_boot,
            "level": self.level,
            "seed": self.seed,
        }

    def summary(self) -> pd.DataFrame:
        """The sample-size-based curve."""
        if not hasattr(self, "size_curve_"):
            raise EstimationError("RarefactionExtrapolation is not fitted yet: call fit(data).")
        return self.size_curve_.copy()

    def plot(
        self,
        ax: Axes | None = None,
        kind: Literal["size", "coverage", "completeness"] = "size",
    ) -> Axes:
        """Plot richness by sample size (``"size"``), richness by coverage (``"coverage"``) or
        coverage by sample size (``"completeness"``): solid interpolated, dashed extrapolated,
        a dot at the reference sample, shaded bootstrap interval."""
        curve = self.summary()
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        if kind == "size":
            x, y, lo, hi = "t", "richness", "richness_lower", "richness_upper"
            frame, xlabel, ylabel = curve, "sampling units", "distinct items"
        elif kind == "coverage":
            frame = self.coverage_curve_
            x, y, lo, hi = "coverage", "richness", "richness_lower", "richness_upper"
            xlabel, ylabel = "sample coverage", "distinct items"
        elif kind == "completeness":
            x, y, lo, hi = "t", "coverage", "coverage_lower", "coverage_upper"
            frame, xlabel, ylabel = curve, "sampling units", "sample coverage"
        else:
            raise ValueError(f"kind must be size, coverage or completeness, got {kind!r}")
        ax.fill_between(frame[x], frame[lo], frame[hi], color="C0", alpha=0.2, linewidth=0)
        inner = frame[frame["method"] != "extrapolated"]
        outer = frame[frame["method"] != "interpolated"]
        ax.plot(inner[x], inner[y], color="C0", label="interpolated")
        ax.plot(outer[x], outer[y], color="C0", linestyle="--", label="extrapolated")
        observed = frame[frame["method"] == "observed"]
        ax.plot(observed[x], observed[y], "o", color="C0", label="reference sample")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.legend()
        return ax


def _sd(draws: _FloatArray) -> _FloatArray:
    """Column standard deviations (ddof 1, as R's ``sd``), ignoring NaN."""
    finite = np.isfinite(draws)
    counts = finite.sum(axis=0)
    filled = np.where(finite, draws, 0.0)
    mean = filled.sum(axis=0) / np.maximum(counts, 1)
    sq = np.where(finite, (draws - mean) ** 2, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.sqrt(sq / (counts - 1))
    return np.asarray(np.where(counts > 1, out, np.nan), dtype=np.float64)
