"""Bootstrap for incidence data: resample from an estimated population (Chao et al. 2014).

The observed items alone understate uncertainty (every resample would miss the same unseen
items), so the bootstrap first builds a population: each observed item reported by ``y`` of
``T`` units gets the detection probability

    p = (y / T) * (1 - w (1 - y / T)^T),

shrunk so that the chance of missing it matches the estimated coverage, and ``ceil(f0)``
unseen items (``f0`` from Chao2) share the remaining detection mass equally. A bootstrap sample
then draws every item's incidence count from ``Binomial(T, p)`` and drops the zeros. This is the
procedure of Chao et al. (2014, *Ecol. Monogr.* 84:45, appendix), as iNEXT implements it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from uncounted.errors import EstimationError
from uncounted.estimate.incidence import IncidenceFrequencies

__all__ = ["bootstrap_estimates", "bootstrap_population", "bootstrap_samples"]

_FloatArray = np.ndarray[Any, np.dtype[np.float64]]


def chao2_unseen(data: IncidenceFrequencies) -> float:
    """``f0`` of Chao2 in iNEXT's form (bias-corrected when ``Q2 = 0``)."""
    T, q1, q2 = data.T, data.q(1), data.q(2)
    a = (T - 1) / T
    if q2 == 0:
        return a * q1 * (q1 - 1) / 2
    return a * q1**2 / (2 * q2)


def bootstrap_population(data: IncidenceFrequencies) -> _FloatArray:
    """Detection probabilities of the estimated population: observed items, then unseen ones."""
    T = data.T
    y = data.incidences().astype(np.float64)
    q1 = data.q(1)
    f0 = chao2_unseen(data)
    n_unseen = math.ceil(f0 - 1e-9) if f0 > 0 else 0
    ratio = T * f0 / (T * f0 + q1) if q1 > 0 else 1.0
    missing_mass = q1 / T * ratio
    share = y / T
    spread = float(np.sum(share * (1 - share) ** T))
    weight = missing_mass / spread if n_unseen > 0 and spread > 0 else 0.0
    observed = share * (1 - weight * (1 - share) ** T)
    unseen = np.full(n_unseen, missing_mass / n_unseen if n_unseen else 0.0)
    return np.concatenate([observed, unseen])


def bootstrap_samples(
    data: IncidenceFrequencies, n_boot: int, rng: np.random.Generator
) -> Iterator[IncidenceFrequencies]:
    """``n_boot`` bootstrap samples (a sample where no item is seen is drawn again)."""
    p = bootstrap_population(data)
    made = 0
    tries = 0
    while made < n_boot:
        tries += 1
        if tries > 10 * n_boot + 100:
            raise RuntimeError("bootstrap samples keep coming out empty: too little data")
        y = rng.binomial(data.T, p)
        y = y[y > 0]
        if y.size == 0:
            continue
        made += 1
        yield IncidenceFrequencies.from_incidences(data.T, y)


def bootstrap_estimates(
    data: IncidenceFrequencies,
    statistic: Callable[[IncidenceFrequencies], float],
    n_boot: int,
    rng: np.random.Generator,
) -> _FloatArray:
    """``statistic`` on each of ``n_boot`` bootstrap samples (NaN where it fails)."""
    out = np.empty(n_boot)
    for i, sample in enumerate(bootstrap_samples(data, n_boot, rng)):
        try:
            out[i] = statistic(sample)
        except (ArithmeticError, ValueError, EstimationError):
            out[i] = np.nan
    return out
