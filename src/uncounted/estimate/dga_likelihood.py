"""Log posterior weights of (graph, number missing) for Bayesian model averaging over
decomposable graphical models (Madigan & York 1997, Biometrika 84:19-31), computed as in the
R package dga 2.0.2 (Johndrow, Lum & Ball).

For a decomposable graph ``g`` with cliques ``C`` and separators ``S``, a hyper-Dirichlet
prior that gives every cell of the marginal table of a set ``A`` of lists the parameter
``alpha_A = delta * 2**(k - |A|)`` (so every marginal carries total prior mass
``T = delta * 2**k``), and ``n0`` items seen by no list (``N = n + n0``)::

    log w(g, n0) = sum_C c_C(n0) - sum_S c_S(n0)
                   + (|C| - |S|) * [lgamma(T) - lgamma(N + T)]
                   + lgamma(N + 1) - lgamma(n0 + 1) + log p(N) + log p(g) + const,

    c_A(n0) = lgamma(d_0 + n0 + alpha_A) + sum_{a != 0} lgamma(d_a + alpha_A)
              - 2**|A| * lgamma(alpha_A),

where ``d_a`` are the marginal counts of the observed table over the lists in ``A`` and
``d_0`` counts observed items absent from every list in ``A``.

The function is evaluated for real ``n0`` (the posterior of ``N`` is then integrated
numerically, see :mod:`uncounted.estimate.dga_posterior`), so the differences
``lgamma(x + b) - lgamma(x + c)`` are computed from Stirling's series when ``x`` is large:
the direct difference of two numbers near ``x log x`` loses every digit by ``x = 1e14``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import gammaln

from uncounted.estimate.dga_graphs import DecomposableGraph

__all__ = ["FloatArray", "LogWeights", "log_gamma_ratio"]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]

# Above this argument Stirling's series with two correction terms is exact to double
# precision (the next term, 1/(1260 z**5), is below 1e-28).
_STIRLING_FROM = 1e5
# Nodes evaluated per block, so a (graphs x nodes) block stays a few megabytes.
_BLOCK = 2048


def log_gamma_ratio(x: FloatArray, b: FloatArray | float, c: FloatArray | float) -> FloatArray:
    """``lgamma(x + b) - lgamma(x + c)`` without cancellation for large ``x`` (broadcasts)."""
    z1 = np.asarray(x + b, dtype=np.float64)
    z2 = np.asarray(x + c, dtype=np.float64)
    big = np.minimum(z1, z2) > _STIRLING_FROM
    if not big.any():
        return np.asarray(gammaln(z1) - gammaln(z2), dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        # b - c, not z1 - z2: at x = 1e16 the sums x + b are rounded to multiples of 2.
        diff = np.asarray(b, dtype=np.float64) - np.asarray(c, dtype=np.float64)
        stirling = (
            (z2 - 0.5) * np.log1p(diff / z2)
            + diff * np.log(z1)
            - diff
            + (1.0 / z1 - 1.0 / z2) / 12.0
            - (1.0 / z1**3 - 1.0 / z2**3) / 360.0
        )
        direct = gammaln(np.where(big, 2.0, z1)) - gammaln(np.where(big, 1.0, z2))
    return np.asarray(np.where(big, stirling, direct), dtype=np.float64)


@dataclass(frozen=True)
class LogWeights:
    """Unnormalised ``log w(g, n0)`` for every graph, as a vectorised function of ``n0``.

    Build with :meth:`build`; call with an array of ``n0`` values (real, >= 0) to get a
    ``(graphs, len(n0))`` array.
    """

    n: int
    total_prior: float
    incidence: FloatArray  # (graphs, subsets): +1 per clique, -1 per separator
    offsets: FloatArray  # (subsets,): d_0 + alpha_A of each subset A
    base: FloatArray  # (graphs,): every term that does not depend on n0
    log_prior_n: Callable[[FloatArray], FloatArray]

    @classmethod
    def build(
        cls,
        table: np.ndarray[Any, Any],
        delta: float,
        graphs: Sequence[DecomposableGraph],
        log_prior_n: Callable[[FloatArray], FloatArray],
        log_prior_graphs: FloatArray | None = None,
    ) -> LogWeights:
        """Precompute the clique and separator terms of every graph.

        Parameters
        ----------
        table : array of 2**k counts
            Observed table indexed by cell bits (list ``j`` is bit ``j``); cell 0 ignored.
        delta : float
            Hyper-Dirichlet parameter of the cells of the full table.
        graphs : sequence of DecomposableGraph
            Models to average over.
        log_prior_n : callable
            ``log p(N)`` up to a constant, vectorised over real ``N``.
        log_prior_graphs : array, optional
            Log prior weight of each graph (default: uniform).
        """
        counts = np.asarray(table, dtype=np.float64).copy()
        counts[0] = 0.0
        k = len(counts).bit_length() - 1
        n = int(counts.sum())
        total = delta * 2.0**k
        cells = np.arange(2**k)
        used = sorted({g.mask(s) for g in graphs for s in (*g.cliques, *g.separators)})
        column = {mask: i for i, mask in enumerate(used)}
        offsets = np.empty(len(used))
        constants = np.empty(len(used))
        for i, mask in enumerate(used):
            size = bin(mask).count("1")
            alpha = delta * 2.0 ** (k - size)
            marginal = np.bincount(cells & mask, weights=counts, minlength=2**k)
            seen = marginal[[a for a in range(1, 2**k) if a & ~mask == 0]]
            offsets[i] = marginal[0] + alpha
            constants[i] = float(np.sum(gammaln(seen + alpha)) - 2**size * gammaln(alpha))
        incidence = np.zeros((len(graphs), len(used)))
        for row, g in enumerate(graphs):
            for clique in g.cliques:
                incidence[row, column[g.mask(clique)]] += 1.0
            for separator in g.separators:
                incidence[row, column[g.mask(separator)]] -= 1.0
        n_factors = incidence.sum(axis=1)  # |C| - |S|
        base = incidence @ constants + n_factors * gammaln(total)
        if log_prior_graphs is not None:
            base = base + np.asarray(log_prior_graphs, dtype=np.float64)
        return cls(n, total, incidence, offsets, base, log_prior_n)

    @property
    def n_graphs(self) -> int:
        return int(self.incidence.shape[0])

    def __call__(self, n0: FloatArray | Sequence[float]) -> FloatArray:
        x = np.asarray(n0, dtype=np.float64).ravel()
        out = np.empty((self.n_graphs, len(x)))
        for start in range(0, len(x), _BLOCK):
            out[:, start : start + _BLOCK] = self._block(x[start : start + _BLOCK])
        return out

    def _block(self, x: FloatArray) -> FloatArray:
        # Each clique/separator term is paired with one lgamma(N + T) so that only
        # well-conditioned ratios are summed.
        ratios = log_gamma_ratio(x[None, :], self.offsets[:, None], self.n + self.total_prior)
        shared = log_gamma_ratio(x, float(self.n) + 1.0, 1.0) + self.log_prior_n(self.n + x)
        # einsum rather than @: BLAS threads cost more than they save at this size, and
        # much more on a busy machine.
        summed = np.einsum("gs,sx->gx", self.incidence, ratios)
        return np.asarray(summed + self.base[:, None] + shared[None, :])
