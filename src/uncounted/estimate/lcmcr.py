"""Bayesian non-parametric latent-class capture-recapture (LCMCR).

Manrique-Vallier, D. (2016). "Bayesian population size estimation using Dirichlet process
mixtures." *Biometrics* 72(4):1246-1254. This is a re-implementation of the sampler of the
R package LCMCR 0.4.14 (same model, priors, initialisation and update order), written for
speed: one sweep costs O(patterns x classes x lists), whatever the number of individuals.

Model
-----
Each of the N individuals belongs to a latent class ``z ~ Categorical(pi)``; given its class
``k`` it appears on list ``j`` independently with probability ``lambda[j, k]``. The class
weights follow a stick-breaking prior truncated at ``K`` classes,
``V_k ~ Beta(1, alpha)``, ``pi_k = V_k prod_{l<k} (1 - V_l)``, with
``alpha ~ Gamma(a_alpha, b_alpha)``; ``lambda[j, k] ~ Beta(1, 1)``; ``p(N) ∝ 1/N``. The
Gibbs sampler augments the data with the ``n0 = N - n`` unobserved individuals, drawn from
a negative binomial each sweep.
"""

from __future__ import annotations

import math
import os
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

import numpy as np
import numpy.typing as npt
import pandas as pd

from uncounted.errors import ConfigurationError, EstimationError
from uncounted.estimate import lcmcr_kernel as kernel
from uncounted.estimate.diagnostics import effective_sample_size, rhat
from uncounted.estimate.histories import CaptureHistories
from uncounted.estimate.lcmcr_patterns import PatternTree, pattern_tree
from uncounted.estimate.lcmcr_random import new_state
from uncounted.estimate.result import Estimate
from uncounted.estimate.warnings import ChainsDisagreeWarning, PriorDominatesWarning

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["LCMCR"]

# Sweeps per call into the compiled sampler: small enough for a progress report every
# fraction of a second, large enough that the call overhead is negligible.
_CHUNK = 20_000
# LCMCR runs this many sweeps without the alpha update before relabelling the classes.
_WARMUP = 500
_RHAT_MAX = 1.05
_ESS_MIN = 100.0

Progress = Callable[[int, int], None]


@dataclass
class _ChainResult:
    n0: npt.NDArray[np.int64]
    alpha: npt.NDArray[np.float64]
    occupied: npt.NDArray[np.int64]
    n0_redraws: int
    seconds: float


class LCMCR:
    """Latent-class (Dirichlet process mixture) estimate of a population size.

    Parameters
    ----------
    K : int
        Truncation level: the largest number of latent classes (LCMCR's ``K``).
    a_alpha, b_alpha : float
        Shape and rate of the Gamma prior on the stick-breaking concentration ``alpha``.
    a_lambda, b_lambda : float
        Beta prior on every capture probability ``lambda[j, k]``. The default, Beta(1, 1),
        is LCMCR's (the R package has no other). Beta(1/2, 1/2), the Jeffreys prior,
        weakens the prior's pull towards small N when a latent class is rarely seen: the
        uniform prior gives each class about one factor ``1 / size`` per list, which
        favours smaller hidden classes (see ``docs/estimators.md``).
    burnin : int
        Sweeps discarded after the warm-up, per chain.
    samples : int
        Draws of N kept per chain.
    thin : int
        Sweeps between kept draws (so a chain runs ``burnin + samples * thin`` sweeps after
        a 500-sweep warm-up, as ``lcmCR_PostSampl`` does).
    chains : int
        Independent chains, each with its own random stream; with several, R-hat is
        reported and the draws are pooled.
    level : float
        Probability of the equal-tailed posterior interval.
    seed : int or None
        Seed of the random streams. None draws one from the operating system; it is
        reported in ``estimate_.seed`` so that any run can be repeated exactly.
    progress : callable or None
        Called as ``progress(sweeps_done, sweeps_total)`` (all chains together) while
        sampling.
    n_jobs : int or None
        Chains run at the same time, in threads (the compiled sampler releases the GIL).
        None: as many as there are chains and processor cores. Each chain has its own
        random stream, so the draws are the same whatever this is.

    Attributes
    ----------
    trace_ : pandas.DataFrame
        One row per kept draw: ``chain``, ``draw``, ``N``, ``alpha``, ``n_classes_occupied``.
    estimate_ : Estimate
        Posterior median of N, equal-tailed interval, pooled draws and diagnostics
        (``ess``, ``ess_tail``, ``rhat`` when ``chains > 1``, ``sweeps_per_second``,
        ``ess_per_second``, mean occupied classes and alpha, ``n0_redraws``).

    Notes
    -----
    Each sweep updates, in LCMCR's order: the split of every observed capture pattern
    over the classes (a multinomial per pattern); ``lambda``; the stick-breaking weights;
    ``n0 ~ NegBin(n, 1 - pi0)`` with ``pi0`` the probability of the all-zero history
    (redrawn while above ``20 n``); the split of the ``n0`` unobserved over classes; and
    ``alpha``. The start follows LCMCR: ``lambda`` at the observed list frequencies,
    ``alpha = 0.3 / K``, 500 sweeps without the ``alpha`` update, classes relabelled by
    decreasing weight. The random streams differ from R's, so draws match LCMCR in
    distribution, not number for number.

    Examples
    --------
    >>> from uncounted.estimate.histories import CaptureHistories
    >>> h = CaptureHistories.from_csv("kosovo.csv")  # doctest: +SKIP
    >>> LCMCR(seed=12345).fit(h).estimate_.point  # doctest: +SKIP
    """

    method = "lcmcr"

    def __init__(
        self,
        K: int = 10,
        a_alpha: float = 0.25,
        b_alpha: float = 0.25,
        a_lambda: float = 1.0,
        b_lambda: float = 1.0,
        burnin: int = 10_000,
        samples: int = 1_000,
        thin: int = 100,
        chains: int = 1,
        level: float = 0.95,
        seed: int | None = None,
        progress: Progress | None = None,
        n_jobs: int | None = None,
    ) -> None:
        self.K = K
        self.a_alpha = a_alpha
        self.b_alpha = b_alpha
        self.a_lambda = a_lambda
        self.b_lambda = b_lambda
        self.burnin = burnin
        self.samples = samples
        self.thin = thin
        self.chains = chains
        self.level = level
        self.seed = seed
        self.progress = progress
        self.n_jobs = n_jobs

    # ------------------------------------------------------------------ fitting

    def settings(self) -> dict[str, Any]:
        """The settings that, with the data and ``estimate_.seed``, reproduce a fit."""
        return {
            "K": self.K,
            "a_alpha": self.a_alpha,
            "b_alpha": self.b_alpha,
            "a_lambda": self.a_lambda,
            "b_lambda": self.b_lambda,
            "burnin": self.burnin,
            "samples": self.samples,
            "thin": self.thin,
            "chains": self.chains,
            "level": self.level,
            "warmup": _WARMUP,
        }

    def _check_settings(self) -> None:
        problems = []
        checked = ("K", "samples", "thin", "chains") + (() if self.n_jobs is None else ("n_jobs",))
        for name in checked:
            value = getattr(self, name)
            if not isinstance(value, int | np.integer) or value < 1:
                problems.append(f"{name} must be a whole number >= 1, got {value!r}")
        if not isinstance(self.burnin, int | np.integer) or self.burnin < 0:
            problems.append(f"burnin must be a whole number >= 0, got {self.burnin!r}")
        for name in ("a_alpha", "b_alpha", "a_lambda", "b_lambda"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
                problems.append(f"{name} must be a positive number, got {value!r}")
        if not (isinstance(self.level, float | int) and 0.0 < self.level < 1.0):
            problems.append(f"level must be between 0 and 1, got {self.level!r}")
        if self.seed is not None and (not isinstance(self.seed, int | np.integer) or self.seed < 0):
            problems.append(f"seed must be a non-negative integer or None, got {self.seed!r}")
        if problems:
            raise ConfigurationError("LCMCR settings: " + "; ".join(problems))

    def fit(self, histories: CaptureHistories | pd.DataFrame) -> Self:
        """Sample the posterior of the population size.

        Parameters
        ----------
        histories : CaptureHistories or pandas.DataFrame
            Observed capture histories; a frame is read with
            :meth:`CaptureHistories.from_frame` (0/1 list columns and a ``count`` column).

        Returns
        -------
        LCMCR
            ``self``, with ``trace_`` and ``estimate_`` set.
        """
        self._check_settings()
        data = histories
        if isinstance(data, pd.DataFrame):
            data = CaptureHistories.from_frame(data)
        if not isinstance(data, CaptureHistories):
            raise TypeError("fit() takes CaptureHistories or a pandas DataFrame")
        if data.n_observed < 1:
            raise EstimationError("LCMCR needs at least one observed item")

        entropy = int(self.seed) if self.seed is not None else _fresh_seed()
        streams = np.random.SeedSequence(entropy).spawn(self.chains)
        tree = pattern_tree(
            np.ascontiguousarray(data.patterns, dtype=np.uint8),
            np.ascontiguousarray(data.counts, dtype=np.int64),
        )
        per_chain = _WARMUP + self.burnin + self.samples * self.thin
        reporter = _Reporter(self.progress, per_chain * self.chains)

        started = time.perf_counter()
        jobs = self._jobs()
        if jobs > 1:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                results = list(
                    pool.map(lambda s: self._run_chain(data, tree, s, reporter), streams)
                )
        else:
            results = [self._run_chain(data, tree, stream, reporter) for stream in streams]
        seconds = time.perf_counter() - started

        self.trace_ = _trace_frame(results, data.n_observed)
        self.estimate_ = self._summarise(data, results, entropy, seconds)
        return self

    def _jobs(self) -> int:
        """Chains to run at once: ``n_jobs``, or one per chain up to the cores here."""
        if self.n_jobs is not None:
            return max(1, min(self.n_jobs, self.chains))
        return max(1, min(self.chains, os.cpu_count() or 1))

    def _run_chain(
        self,
        data: CaptureHistories,
        tree: PatternTree,
        stream: np.random.SeedSequence,
        reporter: _Reporter,
    ) -> _ChainResult:
        rng = new_state(stream)
        n_lists = data.k
        log_pi = np.empty(self.K)
        pi = np.empty(self.K)
        odds = np.empty((n_lists, self.K))
        miss = np.empty((n_lists, self.K))
        count0 = np.zeros(self.K, dtype=np.int64)
        alpha = kernel.initialise(
            rng,
            np.ascontiguousarray(data.patterns, dtype=np.uint8),
            np.ascontiguousarray(data.counts, dtype=np.int64),
            log_pi,
            pi,
            odds,
            miss,
            count0,
        )
        scalars = np.array([alpha, 0.0])
        n0 = np.zeros(self.samples, dtype=np.int64)
        alphas = np.zeros(self.samples)
        occupied = np.zeros(self.samples, dtype=np.int64)
        redraws = 0
        started = time.perf_counter()

        def sweeps(count: int, update_alpha: bool, record: bool) -> None:
            # Runs `count` sweeps in chunks; when recording, chunks are whole multiples
            # of `thin` so that kept draws land at the same sweeps as in one long call.
            nonlocal redraws
            done = 0
            slot = 0
            step = max(self.thin, (_CHUNK // self.thin) * self.thin) if record else _CHUNK
            while done < count:
                size = min(step, count - done)
                kept = size // self.thin if record else 0
                redraws += kernel.run_sweeps(
                    rng,
                    tree.parent,
                    tree.last,
                    tree.ones_ptr,
                    tree.ones_idx,
                    tree.counts,
                    tree.small,
                    tree.large,
                    log_pi,
                    pi,
                    odds,
                    miss,
                    count0,
                    scalars,
                    float(self.a_alpha),
                    float(self.b_alpha),
                    float(self.a_lambda),
                    float(self.b_lambda),
                    size,
                    self.thin if record else 0,
                    update_alpha,
                    n0[slot : slot + kept] if record else n0[:0],
                    alphas[slot : slot + kept] if record else alphas[:0],
                    occupied[slot : slot + kept] if record else occupied[:0],
                )
                slot += kept
                done += size
                reporter.add(size)

        sweeps(_WARMUP, update_alpha=False, record=False)
        kernel.relabel_by_weight(log_pi, pi, odds, miss, count0)
        sweeps(self.burnin, update_alpha=True, record=False)
        sweeps(self.samples * self.thin, update_alpha=True, record=True)
        return _ChainResult(n0, alphas, occupied, redraws, time.perf_counter() - started)

    def _summarise(
        self,
        data: CaptureHistories,
        results: list[_ChainResult],
        seed: int,
        seconds: float,
    ) -> Estimate:
        n_obs = data.n_observed
        by_chain = np.stack([r.n0 for r in results]).astype(np.float64) + n_obs
        pooled = by_chain.ravel()
        tail = (1.0 - self.level) / 2.0
        lower, point, upper = np.quantile(pooled, [tail, 0.5, 1.0 - tail])
        sweeps_total = (_WARMUP + self.burnin + self.samples * self.thin) * self.chains
        chain_seconds = sum(r.seconds for r in results)
        diagnostics: dict[str, Any] = {
            "ess": _safe(effective_sample_size, by_chain),
            "ess_tail": _safe(lambda x: effective_sample_size(x, method="tail"), by_chain),
            "rhat": _safe(rhat, by_chain) if self.chains > 1 else None,
            "sweeps_per_second": sweeps_total / chain_seconds if chain_seconds > 0 else None,
            "n_classes_occupied_mean": float(np.mean([r.occupied.mean() for r in results])),
            "alpha_mean": float(np.mean([r.alpha.mean() for r in results])),
            "n0_redraws": int(sum(r.n0_redraws for r in results)),
            "mean": float(pooled.mean()),
            "sd": float(pooled.std(ddof=1)) if pooled.size > 1 else 0.0,
        }
        ess = diagnostics["ess"]
        diagnostics["ess_per_second"] = (
            ess / chain_seconds if ess is not None and chain_seconds > 0 else None
        )
        messages = self._warnings(diagnostics)
        return Estimate(
            method=self.method,
            n_observed=n_obs,
            point=float(point),
            lower=float(lower),
            upper=float(upper),
            level=float(self.level),
            diagnostics=diagnostics,
            warnings=[message for _, message in messages],
            settings=self.settings(),
            seed=seed,
            seconds=seconds,
            draws=pooled,
        )

    def _warnings(self, diagnostics: dict[str, Any]) -> list[tuple[type[Warning], str]]:
        out: list[tuple[type[Warning], str]] = []
        r = diagnostics["rhat"]
        if r is not None and not r <= _RHAT_MAX:
            out.append(
                (
                    ChainsDisagreeWarning,
                    f"LCMCR chains disagree (R-hat {r:.3f} > {_RHAT_MAX}): the posterior of N "
                    "may be multimodal or the chains too short. Try: 1. more burn-in and "
                    "samples; 2. more chains; 3. a different K.",
                )
            )
        ess = diagnostics["ess"]
        if ess is not None and not ess >= _ESS_MIN:
            out.append(
                (
                    ChainsDisagreeWarning,
                    f"LCMCR effective sample size of N is {ess:.0f} (< {_ESS_MIN:.0f}): "
                    "interval ends are uncertain. Try: 1. more samples or thinning; "
                    "2. more chains.",
                )
            )
        if diagnostics["n0_redraws"] > 0:
            out.append(
                (
                    PriorDominatesWarning,
                    f"the unobserved count exceeded 20 times the observed count "
                    f"{diagnostics['n0_redraws']} time(s) and was redrawn (LCMCR's "
                    "truncation): the upper tail of N is set by that cap, not by the data.",
                )
            )
        for category, message in out:
            warnings.warn(message, category, stacklevel=4)
        return out

    # ------------------------------------------------------------------ reporting

    def _fitted(self) -> Estimate:
        if not hasattr(self, "estimate_"):
            raise EstimationError("call fit() first")
        return self.estimate_

    def summary(self) -> pd.DataFrame:
        """One-row frame: estimate, interval (columns named from ``level``), ESS, R-hat."""
        est = self._fitted()
        frame = est.summary()
        frame["ess"] = est.diagnostics["ess"]
        frame["rhat"] = est.diagnostics["rhat"]
        return frame

    def plot(self, ax: Sequence[Axes] | None = None) -> list[Axes]:
        """Trace of N by chain (left) and histogram of the pooled draws with the point
        estimate and interval (right). Imports matplotlib only when called.

        Parameters
        ----------
        ax : pair of matplotlib Axes, optional
            Where to draw; by default a new figure with two panels.
        """
        est = self._fitted()
        if ax is None:
            import matplotlib.pyplot as plt

            _, created = plt.subplots(1, 2, figsize=(10, 3.5))
            axes = list(created)
        else:
            axes = list(ax)
            if len(axes) != 2:
                raise ValueError("ax must be two Axes: trace, histogram")
        trace_ax, hist_ax = axes
        for chain, rows in self.trace_.groupby("chain"):
            trace_ax.plot(rows["draw"], rows["N"], lw=0.6, label=f"chain {chain}")
        trace_ax.set_xlabel("draw")
        trace_ax.set_ylabel("N")
        trace_ax.set_title("LCMCR trace")
        assert est.draws is not None
        hist_ax.hist(est.draws, bins=50, color="0.7")
        for value, style in ((est.point, "-"), (est.lower, "--"), (est.upper, "--")):
            hist_ax.axvline(value, color="k", ls=style, lw=1)
        hist_ax.set_xlabel("N")
        hist_ax.set_title(f"median {est.point:,.0f}, {est.level:.0%} interval")
        return axes


class _Reporter:
    """Adds up sweeps from every chain (possibly in threads) for the progress callback."""

    def __init__(self, callback: Progress | None, total: int) -> None:
        self._callback = callback
        self._total = total
        self._done = 0
        self._lock = threading.Lock()

    def add(self, sweeps: int) -> None:
        if self._callback is None:
            return
        with self._lock:
            self._done += sweeps
            self._callback(self._done, self._total)


def _fresh_seed() -> int:
    entropy = np.random.SeedSequence().entropy
    assert isinstance(entropy, int)
    return entropy


def _trace_frame(results: list[_ChainResult], n_obs: int) -> pd.DataFrame:
    frames = [
        pd.DataFrame(
            {
                "chain": np.full(r.n0.shape[0], chain, dtype=np.int64),
                "draw": np.arange(r.n0.shape[0], dtype=np.int64),
                "N": r.n0 + n_obs,
                "alpha": r.alpha,
                "n_classes_occupied": r.occupied,
            }
        )
        for chain, r in enumerate(results)
    ]
    return pd.concat(frames, ignore_index=True)


def _safe(
    fn: Callable[[npt.NDArray[np.float64]], float], x: npt.NDArray[np.float64]
) -> float | None:
    """A diagnostic, or None when it is undefined (too few draws)."""
    try:
        value = fn(x)
    except ValueError:
        return None
    return float(value) if math.isfinite(value) else None
