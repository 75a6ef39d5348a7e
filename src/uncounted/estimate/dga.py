"""Bayesian model averaging over decomposable graphical models: the ``dga`` estimator.

Madigan, D. & York, J. C. (1997). Bayesian methods for estimation of the size of a closed
population. *Biometrika* 84(1):19-31. As implemented in the R package dga 2.0.2
(Johndrow, Lum & Ball), whose published figures this implementation reproduces exactly.

Every decomposable log-linear model of the ``2**k`` table of capture histories gets a
hyper-Dirichlet prior; the number of items no list captured, ``n0``, gets a prior (``1/N``
by default); the posterior of ``(graph, n0)`` is computed exactly (no MCMC) and the
posterior of ``N = n + n0`` averages over graphs. See
:mod:`uncounted.estimate.dga_likelihood` for the formula and
:mod:`uncounted.estimate.dga_posterior` for how the sum over ``n0`` is done.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any, Literal, Self

import numpy as np
import pandas as pd

from uncounted.errors import ConfigurationError, EstimationError
from uncounted.estimate.dga_graphs import DecomposableGraph, decomposable_graphs
from uncounted.estimate.dga_likelihood import FloatArray, LogWeights
from uncounted.estimate.dga_posterior import (
    NmissingPosterior,
    posterior_auto,
    posterior_on_grid,
)
from uncounted.estimate.histories import CaptureHistories
from uncounted.estimate.result import Estimate
from uncounted.estimate.warnings import GridEdgeWarning, PriorDominatesWarning

__all__ = ["DGA"]

PriorN = Literal["1/N", "uniform"] | Callable[[FloatArray], FloatArray]
PriorGraphs = Callable[[DecomposableGraph], float] | Sequence[float]

# Posterior mass allowed beyond the evaluated range before the result is flagged.
TAIL_TOLERANCE = 1e-6
# Posterior probability of the saturated graph above which N is flagged as prior-driven:
# under that graph the data say nothing about the unobserved cell.
SATURATED_TOLERANCE = 0.05
_LARGEST_SUPPORTED = 6
_DISPLAY_POINTS = 2000


class DGA:
    """Population size by Bayesian model averaging over decomposable graphs.

    Parameters
    ----------
    delta : float, optional
        Hyper-Dirichlet parameter of each cell of the full ``2**k`` table; every marginal
        table then carries total prior mass ``delta * 2**k``. Default ``2**-k`` (total
        prior mass 1), dga's suggested default.
    prior_n : {"1/N", "uniform"} or callable
        Prior on ``N``: ``"1/N"`` (improper, dga's default), ``"uniform"`` (improper; the
        posterior is improper too unless the saturated graph is excluded or ``grid`` is
        finite), or a function returning ``log p(N)`` up to a constant for an array of
        real ``N`` (it is evaluated at non-integer ``N`` when ``grid="auto"``), e.g. the
        negative-binomial prior of Madigan & York's example.
    grid : "auto" or sequence of int
        ``"auto"`` sums over every ``n0 >= 0`` (exact sums for small ``n0``, an
        Euler-Maclaurin integral with error control beyond, closed-form power-law tail).
        A sequence of non-negative integers is dga's ``Nmissing``: the posterior is
        normalised over those values only, as ``bma.cr`` does.
    level : float
        Coverage of the reported interval (equal-tailed posterior quantiles).
    seed : int, optional
        Seed of the posterior draws of ``N`` (``estimate_.draws``); the rest is
        deterministic. If None a seed is drawn and recorded.
    max_lists : int
        Refuse tables with more lists: there are 822 decomposable graphs on 5 lists and
        18,154 on 6.
    prior_graphs : callable or sequence of float, optional
        Log prior weight of each graph (a function of :class:`DecomposableGraph`, or one
        value per graph in :func:`decomposable_graphs` order). Default uniform.
    n_draws : int
        Size of the posterior sample of ``N`` kept in ``estimate_.draws``, used to sum
        strata.

    Attributes
    ----------
    histories_ : CaptureHistories
    graphs_ : tuple of DecomposableGraph
    posterior_ : NmissingPosterior
        CDF, quantiles and probabilities of ``n0``.
    posterior_n_ : pandas.DataFrame
        ``N``, ``prob`` (``P(N = value)``) and ``cdf`` (``P(N <= value)``) over the
        posterior's range. With ``grid="auto"`` the rows are a selection of integers
        (every integer where the range is short), so ``prob`` need not sum to 1.
    model_probs_ : pandas.DataFrame
        ``graph`` (position in ``graphs_``), ``formula``, ``prob``, most probable first.
    estimate_ : Estimate
        Point = posterior median of ``N``; interval = posterior quantiles.
    """

    method = "dga"

    def __init__(
        self,
        delta: float | None = None,
        prior_n: PriorN = "1/N",
        grid: Literal["auto"] | Sequence[int] | np.ndarray[Any, Any] = "auto",
        level: float = 0.95,
        seed: int | None = None,
        max_lists: int = 5,
        *,
        prior_graphs: PriorGraphs | None = None,
        n_draws: int = 10_000,
    ) -> None:
        if delta is not None and not (np.isfinite(delta) and delta > 0):
            raise ConfigurationError(f"delta must be a positive number, got {delta!r}")
        if not (isinstance(prior_n, str) and prior_n in ("1/N", "uniform")) and not callable(
            prior_n
        ):
            raise ConfigurationError(
                f"prior_n must be '1/N', 'uniform' or a function of N, got {prior_n!r}"
            )
        if not 0.0 < level < 1.0:
            raise ConfigurationError(f"level must be between 0 and 1, got {level!r}")
        if not 2 <= max_lists <= _LARGEST_SUPPORTED:
            raise ConfigurationError(
                f"max_lists must be between 2 and {_LARGEST_SUPPORTED}, got {max_lists!r}"
            )
        if n_draws < 1:
            raise ConfigurationError(f"n_draws must be positive, got {n_draws!r}")
        self.delta = delta
        self.prior_n = prior_n
        self.grid = grid if isinstance(grid, str) else _checked_grid(grid)
        if isinstance(self.grid, str) and self.grid != "auto":
            raise ConfigurationError(f"grid must be 'auto' or a list of n0 values, got {grid!r}")
        self.level = level
        self.seed = seed
        self.max_lists = max_lists
        self.prior_graphs = prior_graphs
        self.n_draws = n_draws

    def fit(self, histories: CaptureHistories | pd.DataFrame) -> Self:
        """Compute the posterior of ``N`` and of the graphs.

        Raises
        ------
        EstimationError
            More lists than ``max_lists``, or an improper posterior.
        """
        started = time.perf_counter()
        data = (
            histories
            if isinstance(histories, CaptureHistories)
            else CaptureHistories.from_frame(histories)
        )
        if data.k < 2:
            raise EstimationError("dga needs capture histories over at least two lists")
        if data.k > self.max_lists:
            raise EstimationError(
                f"dga averages over every decomposable graph on the lists, which is practical "
                f"for at most {self.max_lists} lists; these data have {data.k} "
                f"({', '.join(data.lists)}). Use the latent-class estimator "
                "(uncounted.estimate.lcmcr), or merge lists that work alike into one."
            )
        delta = self.delta if self.delta is not None else 2.0**-data.k
        graphs = decomposable_graphs(data.k)
        weights = LogWeights.build(
            data.full_table(),
            delta,
            graphs,
            _log_prior_n(self.prior_n),
            _log_prior_graphs(self.prior_graphs, graphs),
        )
        posterior = self._posterior(weights)

        n = data.n_observed
        tail = (1.0 - self.level) / 2.0
        probs = [tail, 0.05, 0.5, 0.95, 1.0 - tail]
        lower, _, median, _, upper = (n + posterior.quantile(probs)).tolist()
        seed = self.seed if self.seed is not None else _fresh_seed()
        draws = n + posterior.sample(np.random.default_rng(seed), self.n_draws)

        self.histories_ = data
        self.graphs_ = graphs
        self.posterior_ = posterior
        self.model_probs_ = _model_frame(graphs, posterior.model_probs, data.lists)
        self.posterior_n_ = self._posterior_frame(posterior, n)
        saturated = float(posterior.model_probs[-1])
        messages = _caveats(posterior, saturated, n)
        for message, category in messages:
            warnings.warn(message, category, stacklevel=2)

        quantile_levels = sorted({tail, 0.025, 0.05, 0.5, 0.95, 0.975, 1.0 - tail})
        quantiles = n + posterior.quantile(quantile_levels)
        top = self.model_probs_.head(5)
        self.estimate_ = Estimate(
            method=self.method,
            n_observed=n,
            point=median,
            lower=lower,
            upper=upper,
            level=self.level,
            diagnostics={
                "quantiles": {
                    f"{q:g}": float(v) for q, v in zip(quantile_levels, quantiles, strict=True)
                },
                "mode": n + posterior.mode,
                "mean_within_grid": n + posterior.mean_within_grid,
                "grid_max_N": n + posterior.grid_max,
                "tail_mass": posterior.tail_mass,
                "n_graphs": len(graphs),
                "saturated_prob": saturated,
                "top_models": [
                    {"formula": f, "prob": float(p)}
                    for f, p in zip(top["formula"], top["prob"], strict=True)
                ],
            },
            warnings=[message for message, _ in messages],
            settings={
                "delta": delta,
                "prior_n": self.prior_n if isinstance(self.prior_n, str) else "custom",
                "grid": _grid_setting(self.grid),
                "level": self.level,
                "max_lists": self.max_lists,
                "prior_graphs": "uniform" if self.prior_graphs is None else "custom",
                "n_draws": self.n_draws,
                "lists": list(data.lists),
            },
            seed=seed,
            seconds=time.perf_counter() - started,
            draws=draws,
        )
        return self

    def summary(self) -> pd.DataFrame:
        """One-row tidy frame: estimate, interval, mode, top graph and its probability."""
        estimate = self._fitted()
        frame = estimate.summary()
        frame["mode"] = estimate.diagnostics["mode"]
        frame["top model"] = self.model_probs_["formula"].iloc[0]
        frame["top model prob"] = float(self.model_probs_["prob"].iloc[0])
        frame["tail mass"] = estimate.diagnostics["tail_mass"]
        return frame

    def plot(self, ax: Any = None) -> Any:
        """Posterior of ``N`` with the median and the interval marked; returns the axes."""
        estimate = self._fitted()
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        frame = self.posterior_n_
        upper_view = float(_n_at(self.posterior_, estimate.n_observed, 0.999))
        shown = frame[frame["N"] <= upper_view]
        ax.plot(shown["N"], shown["prob"], color="black", lw=1.2)
        inside = shown[(shown["N"] >= estimate.lower) & (shown["N"] <= estimate.upper)]
        ax.fill_between(inside["N"], inside["prob"], color="0.8", lw=0)
        ax.axvline(estimate.point, color="black", ls="--", lw=0.8)
        ax.set_xlabel("N (total, documented or not)")
        ax.set_ylabel("posterior probability")
        ax.set_title(
            f"dga: median {estimate.point:,.0f}, "
            f"{estimate.level:.0%} interval {estimate.lower:,.0f}–{estimate.upper:,.0f}"
        )
        return ax

    def _fitted(self) -> Estimate:
        if not hasattr(self, "estimate_"):
            raise RuntimeError("this DGA is not fitted yet: call fit(histories) first")
        return self.estimate_

    def _posterior(self, weights: LogWeights) -> NmissingPosterior:
        if not isinstance(self.grid, str):
            return posterior_on_grid(weights, self.grid)
        try:
            return posterior_auto(weights)
        except ValueError as exc:
            raise EstimationError(
                "the posterior of N is improper with this prior: some graphs (the saturated "
                "one first) leave the unobserved count unbounded. Use prior_n='1/N' or a "
                "prior that decays faster, or give a finite grid."
            ) from exc

    def _posterior_frame(self, posterior: NmissingPosterior, n: int) -> pd.DataFrame:
        if not isinstance(self.grid, str):
            n0 = np.unique(self.grid)
        else:
            lo, body, hi = posterior.quantile([1e-6, 0.999, 1.0 - 1e-6])
            hi = min(hi, posterior.grid_max)
            if hi - lo <= _DISPLAY_POINTS:
                n0 = np.arange(int(lo), int(hi) + 1)
            else:
                # Rows equally spaced in probability follow the mass wherever it is; a
                # geometric run shows the polynomial tail; the first integers show a mode
                # at the lower end.
                body = min(body, hi)
                levels = np.linspace(1e-6, 0.999, int(_DISPLAY_POINTS * 0.7))
                spread = posterior.quantile(levels)
                start = np.arange(lo, lo + _DISPLAY_POINTS // 10)
                sparse = np.geomspace(max(body, 1.0), max(hi, body, 1.0), _DISPLAY_POINTS // 5)
                n0 = np.unique(np.round(np.concatenate([start, spread, sparse])).astype(np.int64))
        n0 = n0.astype(np.int64)
        return pd.DataFrame({"N": n + n0, "prob": posterior.pmf(n0), "cdf": posterior.cdf(n0)})


def _n_at(posterior: NmissingPosterior, n: int, q: float) -> float:
    """``N`` at posterior quantile ``q``."""
    return float(n + posterior.quantile([q])[0])


def _checked_grid(grid: Sequence[int] | np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    values = np.asarray(grid)
    if values.ndim != 1 or values.size == 0:
        raise ConfigurationError("grid must be 'auto' or a non-empty list of n0 values")
    if not np.all(np.isfinite(values)) or np.any(values < 0) or np.any(values % 1 != 0):
        raise ConfigurationError("grid values (numbers unobserved, n0) must be integers >= 0")
    return np.unique(values.astype(np.int64))


def _grid_setting(grid: str | np.ndarray[Any, Any]) -> Any:
    if isinstance(grid, str):
        return grid
    consecutive = bool(np.all(np.diff(grid) == 1))
    if consecutive:
        return {"n0_from": int(grid[0]), "n0_to": int(grid[-1])}
    return [int(v) for v in grid]


def _log_prior_n(prior: PriorN) -> Callable[[FloatArray], FloatArray]:
    if prior == "1/N":
        return _minus_log
    if prior == "uniform":
        return _flat
    assert callable(prior)
    user = prior

    def checked(big_n: FloatArray) -> FloatArray:
        out = np.broadcast_to(np.asarray(user(big_n), dtype=np.float64), big_n.shape)
        if np.any(np.isnan(out)) or np.any(out == np.inf):
            raise ConfigurationError("prior_n returned NaN or +inf; it must return log p(N)")
        return np.asarray(out)

    return checked


def _minus_log(big_n: FloatArray) -> FloatArray:
    return np.asarray(-np.log(big_n))


def _flat(big_n: FloatArray) -> FloatArray:
    return np.zeros_like(big_n)


def _log_prior_graphs(
    prior: PriorGraphs | None, graphs: Sequence[DecomposableGraph]
) -> FloatArray | None:
    if prior is None:
        return None
    if callable(prior):
        values = np.array([float(prior(g)) for g in graphs])
    else:
        values = np.asarray(prior, dtype=np.float64)
        if values.shape != (len(graphs),):
            raise ConfigurationError(
                f"prior_graphs needs one log weight per graph ({len(graphs)}), got {values.shape}"
            )
    if np.any(np.isnan(values)) or np.any(values == np.inf) or not np.any(np.isfinite(values)):
        raise ConfigurationError("prior_graphs must be finite log weights (-inf excludes one)")
    return values


def _model_frame(
    graphs: Sequence[DecomposableGraph], probs: FloatArray, lists: Sequence[str]
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "graph": np.arange(len(graphs)),
            "formula": [g.formula(lists) for g in graphs],
            "prob": probs,
        }
    )
    return frame.sort_values("prob", ascending=False, kind="stable").reset_index(drop=True)


def _caveats(
    posterior: NmissingPosterior, saturated: float, n: int
) -> list[tuple[str, type[Warning]]]:
    out: list[tuple[str, type[Warning]]] = []
    if posterior.tail_mass > TAIL_TOLERANCE:
        out.append(
            (
                f"posterior mass {posterior.tail_mass:.2g} lies outside the grid of N "
                f"evaluated (largest {n + posterior.grid_max:,.0f}); the quantiles are "
                "those of a truncated posterior. Widen the grid (or use grid='auto').",
                GridEdgeWarning,
            )
        )
    if saturated > SATURATED_TOLERANCE:
        out.append(
            (
                f"the saturated model has posterior probability {saturated:.2f}; under it the "
                "data carry no information on the unobserved count, so the upper end of the "
                "interval is set by the priors on N and delta.",
                PriorDominatesWarning,
            )
        )
    return out


def _fresh_seed() -> int:
    return int(np.random.SeedSequence().generate_state(1)[0])
