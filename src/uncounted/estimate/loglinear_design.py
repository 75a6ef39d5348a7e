"""Design matrices and fits of log-linear models with two-list interactions.

The model for the expected count of the observable history ``x`` over ``k`` lists is

    log mu_x = theta_0 + sum_j theta_j x_j + sum_{(i,j) in model} theta_ij x_i x_j

(Fienberg 1972; Bishop, Fienberg & Holland 1975, ch. 6), fitted as a Poisson regression to
all ``2**k - 1`` observable cells, the empty ones included. The unobserved cell has
``x = 0``, so its expected count, the *dark figure*, is ``exp(theta_0)``, and
``N = n + exp(theta_0)``.

Empty overlaps (Chan, Silverman & Vincent 2021, section 2.3): if lists ``i`` and ``j`` share
no item and ``(i, j)`` is in the model, the maximum-likelihood ``theta_ij`` is ``-inf`` and
every cell containing both lists has fitted count 0. Such a term is not fitted; instead the
cells with ``x_i = x_j = 1`` are removed from the data, which gives the same fit for the
other parameters. The term still counts as a parameter in AIC and BIC.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from uncounted.estimate.loglinear_glm import PoissonFit, fit_poisson

__all__ = [
    "LogLinearFit",
    "ModelData",
    "Pair",
    "all_pairs",
    "build_model",
    "cell_bits",
    "fit_model",
    "pair_overlaps",
]

Pair = tuple[int, int]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]


def cell_bits(k: int) -> np.ndarray[Any, np.dtype[np.int64]]:
    """``(2**k, k)`` 0/1 matrix: row ``c`` holds the history of cell ``c`` (bit j = list j)."""
    cells = np.arange(2**k, dtype=np.int64)
    return np.asarray((cells[:, None] >> np.arange(k)[None, :]) & 1, dtype=np.int64)


def all_pairs(k: int) -> list[Pair]:
    """Every pair of lists, ``(0, 1), (0, 2), ..., (k - 2, k - 1)``: the order in which
    SparseMSE scans candidate interactions (it breaks ties by this order)."""
    return [(i, j) for i in range(k - 1) for j in range(i + 1, k)]


def pair_overlaps(table: np.ndarray[Any, Any], k: int) -> dict[Pair, int]:
    """Number of items on both lists of each pair, whatever the other lists."""
    bits = cell_bits(k)
    counts = np.asarray(table, dtype=np.int64)
    return {(i, j): int(counts[(bits[:, i] & bits[:, j]) == 1].sum()) for i, j in all_pairs(k)}


@dataclass(frozen=True)
class ModelData:
    """The cells and design of one model after empty-overlap cells are removed.

    Attributes
    ----------
    cells : ndarray
        Indices of the observable cells kept (never 0).
    x : ndarray
        Design: intercept, one column per list, one per fitted pair.
    y : ndarray
        Observed counts of ``cells``.
    terms : tuple of str
        Column names: ``"(Intercept)"``, list names, ``"A:B"`` for pairs.
    fitted_pairs, empty_pairs : tuple of Pair
        Pairs of the model fitted as columns, and those with no common item.
    """

    cells: IntArray
    x: FloatArray
    y: FloatArray
    terms: tuple[str, ...]
    fitted_pairs: tuple[Pair, ...]
    empty_pairs: tuple[Pair, ...]


def build_model(
    table: np.ndarray[Any, Any], k: int, pairs: Sequence[Pair], lists: Sequence[str]
) -> ModelData:
    """Design and data of the model with main effects and ``pairs`` (see module docstring)."""
    bits = cell_bits(k)
    counts = np.asarray(table, dtype=np.float64)
    keep = np.ones(2**k, dtype=bool)
    keep[0] = False
    fitted: list[Pair] = []
    empty: list[Pair] = []
    for i, j in pairs:
        both = (bits[:, i] & bits[:, j]) == 1
        if counts[both].sum() == 0:
            empty.append((i, j))
            keep &= ~both
        else:
            fitted.append((i, j))
    cells = np.flatnonzero(keep).astype(np.int64)
    sub = bits[cells].astype(np.float64)
    columns = [np.ones(len(cells)), *sub.T, *(sub[:, i] * sub[:, j] for i, j in fitted)]
    terms = ("(Intercept)", *lists, *(f"{lists[i]}:{lists[j]}" for i, j in fitted))
    return ModelData(
        cells=cells,
        x=np.column_stack(columns),
        y=counts[cells],
        terms=tuple(terms),
        fitted_pairs=tuple(fitted),
        empty_pairs=tuple(empty),
    )


@dataclass(frozen=True)
class LogLinearFit:
    """A fitted log-linear model (SparseMSE's ``modelfit``).

    Attributes
    ----------
    data : ModelData
    glm : PoissonFit
    n_observed : int
    aic : float
        Poisson AIC plus 2 per empty-overlap pair (each counts as a parameter).
    bic : float
        ``aic + (log n - 2) * (rank + empty pairs)``.
    prob_empty : dict
        For each empty-overlap pair, the probability that it would be empty if the term
        were absent, ``exp(-exp(theta_0 + theta_i + theta_j))`` (Chan et al. 2021).
    """

    data: ModelData
    glm: PoissonFit
    n_observed: int
    aic: float
    bic: float
    prob_empty: dict[Pair, float]

    @property
    def log_dark(self) -> float:
        """``theta_0``: log of the expected number of unobserved items."""
        return float(self.glm.coef[0])

    @property
    def log_dark_se(self) -> float:
        return math.sqrt(float(self.glm.cov[0, 0]))

    @property
    def point(self) -> float:
        """``n + exp(theta_0)``."""
        return self.n_observed + math.exp(self.log_dark)

    @property
    def n_parameters(self) -> int:
        return self.glm.rank + len(self.data.empty_pairs)


def fit_model(
    table: np.ndarray[Any, Any], k: int, pairs: Sequence[Pair], lists: Sequence[str]
) -> LogLinearFit:
    """Fit the model with main effects and ``pairs`` (no existence check: see
    :func:`uncounted.estimate.loglinear_existence.check_model`)."""
    data = build_model(table, k, pairs, lists)
    glm = fit_poisson(data.x, data.y)
    n = round(float(np.asarray(table)[1:].sum()))
    n_empty = len(data.empty_pairs)
    aic = glm.aic + 2.0 * n_empty
    bic = aic + (math.log(n) - 2.0) * (glm.rank + n_empty)
    prob_empty = {
        (i, j): math.exp(-math.exp(glm.coef[0] + glm.coef[1 + i] + glm.coef[1 + j]))
        for i, j in data.empty_pairs
    }
    return LogLinearFit(data, glm, n, aic, bic, prob_empty)
