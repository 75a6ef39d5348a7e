"""The posterior of the number missing, ``n0``, and of the graphs, from ``log w(g, n0)``.

Two ways to sum ``w(g, n0)`` over ``n0``:

* :func:`posterior_on_grid` sums over a given set of ``n0`` values and normalises over
  them, exactly as dga's ``bma.cr(Y, Nmissing, ...)`` does.
* :func:`posterior_auto` covers ``n0 = 0, 1, 2, ...`` to infinity without listing every
  integer. The summand is smooth in ``n0``, so: exact sums for ``n0 < K``; for
  ``n0 >= K`` the midpoint form of the Euler-Maclaurin formula,
  ``sum_{n=K}^{m} f(n) = int_{K-1/2}^{m+1/2} f(x) dx + [f'(K-1/2) - f'(m+1/2)] / 24 + ...``,
  with the integral done by composite 16-point Gauss-Legendre on panels refined until
  the Legendre coefficients of the integrand show it is resolved to 1e-9 of the total;
  beyond the last panel (``n0 >> n**2``) each graph's summand is a power law
  ``x**s_g`` with ``s_g < -1`` and its tail is integrated in closed form. The posterior
  of ``N`` has such a polynomial tail (about ``n0**(-2 + 2**-k)`` under the saturated
  graph with the default prior), which is why a finite grid of integers cannot cover it.

Quantiles are those of the discrete posterior: the smallest ``n0`` whose cumulative
probability reaches ``q`` (as in the published dga figures).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.polynomial import legendre
from scipy.special import logsumexp

from uncounted.estimate.dga_likelihood import FloatArray, LogWeights

__all__ = ["NmissingPosterior", "posterior_auto", "posterior_on_grid"]

IntArray = np.ndarray[Any, np.dtype[np.int64]]

_ORDER = 16
_NODES, _WEIGHTS = legendre.leggauss(_ORDER)
# Legendre coefficients of the degree-15 interpolant from values at the Gauss nodes
# (discrete orthogonality of P_j at Gauss nodes holds for j + l <= 2 * 16 - 1).
_TO_COEFFS = (legendre.legvander(_NODES, _ORDER - 1) * _WEIGHTS[:, None]).T * (
    (2.0 * np.arange(_ORDER) + 1.0) / 2.0
)[:, None]
_EXACT_BELOW = 512  # K: n0 below this are summed exactly
_PANEL_RATIO = float(np.exp(0.25))
_REL_TOL = 1e-9  # per-panel interpolation error allowed, as a share of the total
_MAX_ROUNDS = 60
_MAX_PANELS = 4000


@dataclass
class NmissingPosterior:
    """Posterior of ``n0`` (items seen by no list) and of the graphs.

    ``model_probs`` sums to 1. ``tail_mass`` is the posterior probability outside the
    evaluated range: beyond ``grid_max`` for the automatic grid (where it is integrated in
    closed form and included), outside ``[min, max]`` of a user grid (where, as in dga,
    it is left out of the normalisation).
    """

    model_probs: FloatArray
    tail_mass: float
    grid_max: float
    mean_within_grid: float
    _cdf_fn: Any = field(repr=False)
    _quantile_fn: Any = field(repr=False)
    _pmf_fn: Any = field(repr=False)
    _mode: int = 0

    def cdf(self, m: IntArray) -> FloatArray:
        """``P(n0 <= m)`` for integers ``m``."""
        return np.asarray(self._cdf_fn(np.asarray(m, dtype=np.int64)), dtype=np.float64)

    def quantile(self, q: FloatArray | list[float]) -> FloatArray:
        """Smallest ``n0`` with ``P(n0 <= value) >= q``, elementwise (float: may be inf)."""
        return np.asarray(self._quantile_fn(np.asarray(q, dtype=np.float64)), dtype=np.float64)

    def pmf(self, m: IntArray) -> FloatArray:
        """``P(n0 = m)`` for integers ``m``."""
        return np.asarray(self._pmf_fn(np.asarray(m, dtype=np.int64)), dtype=np.float64)

    @property
    def mode(self) -> int:
        """Most probable ``n0``."""
        return self._mode

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draws of ``n0`` by inversion of the posterior CDF."""
        return self.quantile(rng.uniform(0.0, 1.0, size))


def posterior_on_grid(weights: LogWeights, grid: IntArray) -> NmissingPosterior:
    """dga's computation: normalise ``w(g, n0)`` jointly over graphs and the given grid."""
    values = np.unique(np.asarray(grid, dtype=np.int64))
    # In blocks, so that a grid of millions never holds a (graphs x grid) array.
    marg = np.empty(len(values))
    graph_log = np.full(weights.n_graphs, -np.inf)
    step = 4096
    for start in range(0, len(values), step):
        logw = weights(values[start : start + step].astype(np.float64))
        marg[start : start + step] = logsumexp(logw, axis=0)
        graph_log = np.logaddexp(graph_log, logsumexp(logw, axis=1))
    shift = float(np.max(marg))
    w = np.exp(marg - shift)
    per_n = w / w.sum()
    cumulative = np.cumsum(per_n)
    model_probs = np.exp(graph_log - logsumexp(graph_log))
    # The mass outside the grid, for the caveat only: dga's normalisation ignores it.
    try:
        full = posterior_auto(weights)
        below, inside = full.cdf(np.array([values[0] - 1, values[-1]]))
        tail_mass = float(below + 1.0 - inside)
    except ValueError:  # improper over all n0: the grid holds none of the mass
        tail_mass = 1.0

    def cdf(m: IntArray) -> FloatArray:
        idx = np.searchsorted(values, m, side="right") - 1
        return np.where(idx >= 0, cumulative[np.maximum(idx, 0)], 0.0)

    def quantile(q: FloatArray) -> FloatArray:
        idx = np.minimum(np.searchsorted(cumulative, q, side="left"), len(values) - 1)
        return values[idx].astype(np.float64)

    def pmf(m: IntArray) -> FloatArray:
        idx = np.clip(np.searchsorted(values, m), 0, len(values) - 1)
        return np.where(values[idx] == m, per_n[idx], 0.0)

    return NmissingPosterior(
        model_probs=model_probs,
        tail_mass=tail_mass,
        grid_max=float(values[-1]),
        mean_within_grid=float(np.sum(values * per_n)),
        _cdf_fn=cdf,
        _quantile_fn=quantile,
        _pmf_fn=pmf,
        _mode=int(values[np.argmax(per_n)]),
    )


def _tail_slopes(weights: LogWeights, x: float) -> tuple[FloatArray, FloatArray]:
    """``log w`` at ``x`` and its slope in ``log x`` there, per graph."""
    pair = weights(np.array([x / 1.01, x]))
    with np.errstate(invalid="ignore"):  # -inf - -inf for graphs given prior weight 0
        slope = (pair[:, 1] - pair[:, 0]) / np.log(1.01)
    return pair[:, 1], np.where(np.isfinite(pair[:, 1]), slope, -np.inf)


def _graph_tails(weights: LogWeights, x: float, shift: float) -> FloatArray:
    """Per graph, ``int_x^inf`` of ``exp(log w - shift)``, taking the summand as the power
    law it tends to; inf when it is not integrable."""
    at_x, slope = _tail_slopes(weights, x)
    level = np.exp(at_x - shift)
    with np.errstate(divide="ignore", invalid="ignore"):
        tails = np.where(slope < -1.0, level * x / (-slope - 1.0), np.inf)
    # A graph given prior weight 0 has log w = -inf and no tail; any other graph whose
    # summand is not integrable makes the posterior improper, however small it is here.
    return np.asarray(np.where(np.isneginf(at_x), 0.0, tails), dtype=np.float64)


def posterior_auto(weights: LogWeights) -> NmissingPosterior:
    """Posterior over all ``n0 >= 0`` (see the module docstring for the method)."""
    k_exact = _EXACT_BELOW
    n = max(weights.n, 1)
    # Far enough that every graph's summand is in its power-law regime (corrections are
    # O(n**2 / x)); Stirling keeps log w accurate there.
    x_end = max(1e11, 1e4 * float(n) ** 2)

    exact = weights(np.arange(k_exact + 1, dtype=np.float64))  # includes n0 = K
    exact_marg = logsumexp(exact, axis=0)

    n_panels = int(np.ceil(np.log(x_end / (k_exact - 0.5)) / np.log(_PANEL_RATIO)))
    edges = np.geomspace(k_exact - 0.5, x_end, n_panels + 1)
    lo, hi = edges[:-1], edges[1:]
    marg, graph_log_mass, magnitude = _panels(weights, lo, hi)
    # log w is a sum of terms as large as n log n, so the integrand carries relative
    # round-off of about eps * |log w|; asking for less would split panels forever.
    magnitude = max(magnitude, float(np.max(np.abs(exact[np.isfinite(exact)]), initial=0.0)))
    tolerance = max(_REL_TOL, 256 * np.finfo(np.float64).eps * magnitude)
    for _ in range(_MAX_ROUNDS):
        shift = max(float(np.max(marg)), float(np.max(exact_marg)))
        f_nodes = np.exp(marg - shift)
        half = (hi - lo) / 2.0
        total = np.exp(exact_marg[:k_exact] - shift).sum() + float(
            np.sum(half * (f_nodes @ _WEIGHTS))
        )
        coeffs = f_nodes @ _TO_COEFFS.T  # (panels, order)
        error = 2.0 * half * (np.abs(coeffs[:, -1]) + np.abs(coeffs[:, -2]))
        split = (error > tolerance * total) & (hi - lo > 2.0)
        if not split.any() or len(lo) + split.sum() > _MAX_PANELS:
            break
        mid = (lo[split] + hi[split]) / 2.0
        new_lo = np.concatenate([lo[split], mid])
        new_hi = np.concatenate([mid, hi[split]])
        new_marg, new_mass, _ = _panels(weights, new_lo, new_hi)
        keep = ~split
        lo = np.concatenate([lo[keep], new_lo])
        hi = np.concatenate([hi[keep], new_hi])
        marg = np.concatenate([marg[keep], new_marg])
        graph_log_mass = np.concatenate([graph_log_mass[:, keep], new_mass], axis=1)
        order = np.argsort(lo)
        lo, hi, marg, graph_log_mass = lo[order], hi[order], marg[order], graph_log_mass[:, order]

    shift = max(float(np.max(marg)), float(np.max(exact_marg)))
    builder = _AutoBuilder(weights, k_exact, x_end, lo, hi, exact, marg, graph_log_mass, shift)
    return builder.build()


def _panels(
    weights: LogWeights, lo: FloatArray, hi: FloatArray
) -> tuple[FloatArray, FloatArray, float]:
    """Per panel: log of the integrand summed over graphs at the Gauss nodes
    ``(panels, nodes)``, each graph's log integral over the panel ``(graphs, panels)``,
    and the largest ``|log w|`` met."""
    marg = np.empty((len(lo), _ORDER))
    graph_log_mass = np.empty((weights.n_graphs, len(lo)))
    magnitude = 0.0
    step = 128  # panels per block: 2,048 nodes
    for start in range(0, len(lo), step):
        a, b = lo[start : start + step], hi[start : start + step]
        nodes = (a + b)[:, None] / 2.0 + (b - a)[:, None] / 2.0 * _NODES[None, :]
        logw = weights(nodes.ravel()).reshape(weights.n_graphs, len(a), _ORDER)
        marg[start : start + step] = logsumexp(logw, axis=0)
        log_w = np.log(_WEIGHTS)[None, None, :] + np.log((b - a) / 2.0)[None, :, None]
        graph_log_mass[:, start : start + step] = logsumexp(logw + log_w, axis=2)
        finite = logw[np.isfinite(logw)]
        if finite.size:
            magnitude = max(magnitude, float(np.max(np.abs(finite))))
    return marg, graph_log_mass, magnitude


@dataclass
class _AutoBuilder:
    """Assembles the CDF, quantile and mass functions of :func:`posterior_auto`."""

    weights: LogWeights
    k_exact: int
    x_end: float
    lo: FloatArray
    hi: FloatArray
    exact: FloatArray  # (graphs, K + 1) log w at n0 = 0..K
    marg: FloatArray  # (panels, nodes) log of the summand, summed over graphs
    graph_log_mass: FloatArray  # (graphs, panels) log integral of each graph's summand
    shift: float

    def build(self) -> NmissingPosterior:
        k = self.k_exact
        g_exact = np.exp(self.exact - self.shift)
        half = (self.hi - self.lo) / 2.0
        # Euler-Maclaurin boundary term f'(K - 1/2) / 24, per graph.
        g_start = (g_exact[:, k] - g_exact[:, k - 1]) / 24.0
        g_panels = np.exp(self.graph_log_mass - self.shift)  # (graphs, panels)
        g_tail = _graph_tails(self.weights, self.x_end, self.shift)
        per_graph = g_exact[:, :k].sum(axis=1) + g_start + g_panels.sum(axis=1) + g_tail
        if not np.all(np.isfinite(per_graph)):
            raise ValueError("improper posterior: the sum over n0 diverges")
        total = float(per_graph.sum())

        f_exact = g_exact.sum(axis=0)
        self._cum_exact = np.cumsum(f_exact[:k]) / total
        self._start = (f_exact[k] - f_exact[k - 1]) / 24.0
        f_nodes = np.exp(self.marg - self.shift)
        self._coeffs = (f_nodes @ _TO_COEFFS.T).T  # (order, panels)
        self._integral = legendre.legint(self._coeffs, lbnd=-1.0, axis=0)
        self._derivative = legendre.legder(self._coeffs, axis=0)
        panel_mass = g_panels.sum(axis=0)
        self._cum_edges = np.concatenate([[0.0], np.cumsum(panel_mass)])
        self._tail_graphs = g_tail
        self._slopes_at_end = np.maximum(_tail_slopes(self.weights, self.x_end)[1], -1e6)
        self._total = total
        self._edges = np.concatenate([self.lo, [self.hi[-1]]])

        grid_mass = self._cum_edges[-1]
        xs = np.concatenate([np.arange(k, dtype=np.float64), self._panel_nodes().ravel()])
        fx = np.concatenate([f_exact[:k], f_nodes.ravel()])
        mean_weights = np.concatenate([f_exact[:k], (f_nodes * half[:, None] * _WEIGHTS).ravel()])
        inside = float(f_exact[:k].sum() + self._start + grid_mass)
        return NmissingPosterior(
            model_probs=per_graph / total,
            tail_mass=float(g_tail.sum() / total),
            grid_max=self.x_end,
            mean_within_grid=float(np.sum(xs * mean_weights) / inside),
            _cdf_fn=self.cdf,
            _quantile_fn=self.quantile,
            _pmf_fn=self.pmf,
            _mode=self._find_mode(xs, fx),
        )

    def _panel_nodes(self) -> FloatArray:
        mid, half = (self.lo + self.hi) / 2.0, (self.hi - self.lo) / 2.0
        return np.asarray(mid[:, None] + half[:, None] * _NODES[None, :])

    def _continuous(self, x: FloatArray) -> FloatArray:
        """Scaled ``S_exact + f'(K-1/2)/24 + int_{K-1/2}^x f - f'(x)/24`` for x in range."""
        p = np.clip(np.searchsorted(self._edges, x, side="right") - 1, 0, len(self.lo) - 1)
        half = (self.hi[p] - self.lo[p]) / 2.0
        xi = (x - (self.lo[p] + self.hi[p]) / 2.0) / half
        return self._in_panel(p, xi)

    def _in_panel(self, p: IntArray, xi: FloatArray) -> FloatArray:
        half = (self.hi[p] - self.lo[p]) / 2.0
        integral = half * legendre.legval(xi, self._integral[:, p], tensor=False)
        slope = legendre.legval(xi, self._derivative[:, p], tensor=False) / half
        before = self._cum_exact[-1] * self._total + self._start + self._cum_edges[p]
        return np.asarray((before + integral - slope / 24.0) / self._total)

    def _tail_cdf(self, x: FloatArray) -> FloatArray:
        ratio = np.maximum(x, self.x_end) / self.x_end
        powers = ratio[None, :] ** (self._slopes_at_end[:, None] + 1.0)
        spent = np.sum(self._tail_graphs[:, None] * (1.0 - powers), axis=0)
        start = self._cum_exact[-1] * self._total + self._start + self._cum_edges[-1]
        return np.asarray((start + spent) / self._total)

    def cdf(self, m: IntArray) -> FloatArray:
        m = np.asarray(m, dtype=np.int64)
        out = np.zeros(m.shape, dtype=np.float64)
        small = (m >= 0) & (m < self.k_exact)
        out[small] = self._cum_exact[m[small]]
        x = m.astype(np.float64) + 0.5
        mid = (m >= self.k_exact) & (x <= self.x_end)
        out[mid] = self._continuous(x[mid])
        far = x > self.x_end
        out[far] = self._tail_cdf(x[far])
        return np.minimum(out, 1.0)

    def quantile(self, q: FloatArray) -> FloatArray:
        q = np.atleast_1d(np.asarray(q, dtype=np.float64))
        out = np.empty(q.shape, dtype=np.float64)
        small = q <= self._cum_exact[-1]
        out[small] = np.searchsorted(self._cum_exact, q[small], side="left")
        rest = np.flatnonzero(~small)
        if rest.size:
            out[rest] = self._continuous_quantile(q[rest])
        return out

    def _continuous_quantile(self, q: FloatArray) -> FloatArray:
        target = q * self._total - self._cum_exact[-1] * self._total - self._start
        p = np.searchsorted(self._cum_edges, target, side="right") - 1
        out = np.full(q.shape, np.inf)
        inside = p < len(self.lo)
        if inside.any():
            pi = p[inside]
            a = np.full(pi.shape, -1.0)
            b = np.ones(pi.shape)
            for _ in range(55):  # bisection on the panel coordinate to ~1e-16
                c = (a + b) / 2.0
                below = self._in_panel(pi, c) < q[inside]
                a = np.where(below, c, a)
                b = np.where(below, b, c)
            x = (self.lo[pi] + self.hi[pi]) / 2.0 + b * (self.hi[pi] - self.lo[pi]) / 2.0
            out[inside] = np.ceil(x - 0.5)
        far = ~inside
        if far.any():
            out[far] = self._tail_quantile(q[far])
        # The Euler-Maclaurin CDF is not exactly a step function's: settle each answer
        # on the integers by the definition (smallest m with F(m) >= q).
        finite = np.isfinite(out) & (out <= self.x_end)
        for _ in range(3):
            m = out[finite].astype(np.int64)
            up = self.cdf(m) < q[finite]
            down = (m > self.k_exact) & (self.cdf(m - 1) >= q[finite])
            out[finite] = m + up - down
        return np.asarray(np.maximum(out, float(self.k_exact)), dtype=np.float64)

    def _tail_quantile(self, q: FloatArray) -> FloatArray:
        a = np.full(q.shape, np.log(self.x_end))
        b = a + 700.0
        if np.any(self._tail_cdf(np.exp(b)) < q):
            b = np.where(self._tail_cdf(np.exp(b)) < q, np.inf, b)
        ok = np.isfinite(b)
        for _ in range(80):
            c = (a + b) / 2.0
            below = np.where(ok, self._tail_cdf(np.exp(np.where(ok, c, a))) < q, False)
            a = np.where(below, c, a)
            b = np.where(below | ~ok, b, c)
        return np.where(ok, np.ceil(np.exp(b) - 0.5), np.inf)

    def pmf(self, m: IntArray) -> FloatArray:
        logw = self.weights(np.asarray(m, dtype=np.float64))
        return np.asarray(np.exp(logsumexp(logw, axis=0) - self.shift) / self._total)

    def _find_mode(self, xs: FloatArray, fx: FloatArray) -> int:
        best = int(np.argmax(fx))
        if xs[best] < self.k_exact - 1:
            return int(xs[best])
        order = np.argsort(xs)
        pos = int(np.searchsorted(xs[order], xs[best]))
        left = xs[order][max(pos - 1, 0)]
        right = xs[order][min(pos + 1, len(xs) - 1)]
        lo_i, hi_i = int(np.floor(left)), int(np.ceil(right))
        if hi_i - lo_i > 20000:
            candidates = np.unique(np.linspace(lo_i, hi_i, 20001).round().astype(np.int64))
        else:
            candidates = np.arange(lo_i, hi_i + 1, dtype=np.int64)
        values = logsumexp(self.weights(candidates.astype(np.float64)), axis=0)
        return int(candidates[int(np.argmax(values))])
