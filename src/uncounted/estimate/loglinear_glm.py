"""Poisson log-linear regression by iteratively reweighted least squares.

The reference packages (Rcapture, SparseMSE) fit every model with R's ``glm(family =
poisson)``. To reproduce their figures to many digits, and to raise the same warnings on the
same data (Rcapture's ``infoFit`` codes are built from them), this module follows the same
numerical recipe (McCullagh & Nelder 1989, section 2.5):

- start from fitted means ``y + 0.1`` (so zero cells start positive);
- at each step solve the weighted least-squares problem with weights ``mu`` and working
  response ``eta + (y - mu) / mu``; a column whose weighted norm, once the earlier columns
  are projected out, falls below ``1e-11`` of its own norm is aliased (coefficient NaN),
  as R's rank-revealing QR does;
- stop when the deviance changes by less than ``1e-8 * (|deviance| + 0.1)``, or after 25
  steps (then ``converged`` is False);
- warn when a fitted mean is numerically zero (below ``10 * machine epsilon``), a sign that
  the maximum-likelihood estimate does not exist and some parameter ran to infinity.

The covariance matrix is the inverse Fisher information ``(X' W X)^-1`` at the weights of
the last step, over the non-aliased columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.linalg import cho_factor, cho_solve, solve_triangular
from scipy.special import gammaln, xlogy

__all__ = [
    "NOT_CONVERGED",
    "RANK_DEFICIENT",
    "RATES_ZERO",
    "GLMFailure",
    "PoissonFit",
    "fit_poisson",
    "gram_independent",
    "independent_columns",
    "poisson_deviance",
    "poisson_loglik",
]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]

NOT_CONVERGED = "algorithm did not converge"
RATES_ZERO = "fitted rates numerically 0 occurred"
RANK_DEFICIENT = "design matrix not of full rank"

_EPSILON = 1e-8
_MAX_ITERATIONS = 25
_QR_TOLERANCE = 1e-11
_QR_MAX_ROWS = 256
_GRAM_TOLERANCE = 1e-14
_DOUBLE_EPS = float(np.finfo(np.float64).eps)


class GLMFailure(ArithmeticError):
    """The iterations produced non-finite coefficients or deviance (R's glm stops there too)."""


@dataclass
class PoissonFit:
    """A fitted Poisson log-linear model.

    Attributes
    ----------
    coef : ndarray
        Coefficients, one per design column; NaN for aliased columns.
    cov : ndarray
        Inverse Fisher information, ``p x p``; NaN rows/columns for aliased columns.
    mu : ndarray
        Fitted means.
    deviance : float
        ``2 * sum(y log(y / mu) - (y - mu))``.
    loglik : float
        Poisson log-likelihood ``sum(y log mu - mu - log y!)``.
    rank : int
        Number of non-aliased columns.
    df_residual : int
        Number of cells minus ``rank``.
    converged : bool
    iterations : int
    warnings : list of str
        ``NOT_CONVERGED``, ``RATES_ZERO`` and ``RANK_DEFICIENT`` as they apply.
    """

    coef: FloatArray
    cov: FloatArray
    mu: FloatArray
    deviance: float
    loglik: float
    rank: int
    df_residual: int
    converged: bool
    iterations: int
    warnings: list[str] = field(default_factory=list)

    @property
    def aic(self) -> float:
        """``-2 log L + 2 rank`` (R's AIC for a Poisson glm)."""
        return -2.0 * self.loglik + 2.0 * self.rank

    @property
    def aliased(self) -> np.ndarray[Any, np.dtype[np.bool_]]:
        return np.asarray(np.isnan(self.coef))


def poisson_deviance(y: FloatArray, mu: FloatArray) -> float:
    """Poisson deviance; a zero cell contributes ``2 mu``."""
    return float(2.0 * np.sum(xlogy(y, y) - xlogy(y, mu) - (y - mu)))


def poisson_loglik(y: FloatArray, mu: FloatArray) -> float:
    """Poisson log-likelihood, with ``log y!`` computed for real ``y`` by the gamma function."""
    return float(np.sum(xlogy(y, mu) - mu - gammaln(y + 1.0)))


def fit_poisson(
    x: FloatArray,
    y: FloatArray,
    offset: FloatArray | None = None,
    *,
    max_iterations: int = _MAX_ITERATIONS,
    epsilon: float = _EPSILON,
) -> PoissonFit:
    """Fit ``log E[y] = offset + x @ beta`` by maximum likelihood (IRLS).

    Parameters
    ----------
    x : ndarray, shape (n, p)
        Design matrix, including the intercept column if one is wanted.
    y : ndarray, shape (n,)
        Non-negative counts (real values are accepted, as in a profile likelihood).
    offset : ndarray, shape (n,), optional
    max_iterations, epsilon
        Stopping rule (R's defaults: 25 and 1e-8).
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, p = x.shape
    off = np.zeros(n) if offset is None else np.asarray(offset, dtype=np.float64)
    if n == 0:
        raise ValueError("cannot fit a model to no cells")

    eta = np.log(y + 0.1)
    mu = np.maximum(np.exp(eta), _DOUBLE_EPS)
    dev_old = poisson_deviance(y, mu)
    beta = np.zeros(p)
    keep = np.ones(p, dtype=bool)
    weights = mu
    converged = False
    iterations = 0
    for iterations in range(1, max_iterations + 1):
        weights = np.maximum(np.exp(eta), _DOUBLE_EPS)
        sqrt_w = np.sqrt(weights)
        z = (eta - off) + (y - mu) / weights
        keep, coef_kept = _weighted_least_squares(x * sqrt_w[:, None], z * sqrt_w)
        if not np.all(np.isfinite(coef_kept)):
            raise GLMFailure(f"non-finite coefficients at iteration {iterations}")
        beta = np.zeros(p)
        beta[keep] = coef_kept
        eta = x @ beta + off
        mu = np.maximum(np.exp(eta), _DOUBLE_EPS)
        dev = poisson_deviance(y, mu)
        if not np.isfinite(dev):
            raise GLMFailure(f"non-finite deviance at iteration {iterations}")
        if abs(dev - dev_old) / (abs(dev) + 0.1) < epsilon:
            converged = True
            break
        dev_old = dev

    warnings: list[str] = []
    if not converged:
        warnings.append(NOT_CONVERGED)
    if np.any(mu < 10.0 * _DOUBLE_EPS):
        warnings.append(RATES_ZERO)
    if not keep.all():
        warnings.append(RANK_DEFICIENT)

    coef = np.where(keep, beta, np.nan)
    cov = np.full((p, p), np.nan)
    xw = x[:, keep] * np.sqrt(weights)[:, None]
    info = xw.T @ xw
    try:
        cov_kept = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        cov_kept = np.linalg.pinv(info)
    cov[np.ix_(keep, keep)] = cov_kept
    rank = int(keep.sum())
    return PoissonFit(
        coef=coef,
        cov=cov,
        mu=mu,
        deviance=poisson_deviance(y, mu),
        loglik=poisson_loglik(y, mu),
        rank=rank,
        df_residual=n - rank,
        converged=converged,
        iterations=iterations,
        warnings=warnings,
    )


def _weighted_least_squares(
    xw: FloatArray, zw: FloatArray
) -> tuple[np.ndarray[Any, np.dtype[np.bool_]], FloatArray]:
    """Columns kept and least-squares coefficients of ``zw ~ xw[:, kept]``.

    Small problems use a QR decomposition, as R does. Large ones (many lists) solve the
    ``p x p`` normal equations with one step of refinement from the residuals, which is as
    accurate here and avoids a large LAPACK call per iteration; there a column is aliased
    when its residual norm is below ``1e-7`` of its norm (about the precision the normal
    equations can resolve; designs of distinct 0/1 interactions are either exactly
    collinear or far from it).
    """
    n, p = xw.shape
    if n <= _QR_MAX_ROWS:
        if n >= p:
            q, r = np.linalg.qr(xw)
            diag = np.abs(np.diag(r))
            norms = np.linalg.norm(xw, axis=0)
            if np.all(diag >= _QR_TOLERANCE * np.where(norms == 0.0, 1.0, norms)):
                coef = solve_triangular(r, q.T @ zw, check_finite=False)
                return np.ones(p, dtype=bool), np.asarray(coef, dtype=np.float64)
        keep = independent_columns(xw)
        coef, *_ = np.linalg.lstsq(xw[:, keep], zw, rcond=None)
        return keep, np.asarray(coef, dtype=np.float64)
    gram = xw.T @ xw
    keep = gram_independent(gram, _GRAM_TOLERANCE)
    xk = xw[:, keep]
    factor = cho_factor(gram[np.ix_(keep, keep)], check_finite=False)
    coef = cho_solve(factor, xk.T @ zw, check_finite=False)
    coef = coef + cho_solve(factor, xk.T @ (zw - xk @ coef), check_finite=False)
    return keep, np.asarray(coef, dtype=np.float64)


def gram_independent(gram: FloatArray, tol_squared: float) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Left-to-right independent columns from a Gram matrix ``X' X``.

    Column ``j`` is kept when its squared residual norm after projection on the kept
    columns before it (the Cholesky pivot) is at least ``tol_squared`` times its squared
    norm.
    """
    p = gram.shape[0]
    keep = np.zeros(p, dtype=bool)
    lower = np.zeros((p, p))
    for j in range(p):
        kept = np.flatnonzero(keep)
        row = lower[j, kept]
        pivot = gram[j, j] - float(row @ row)
        if gram[j, j] > 0.0 and pivot > tol_squared * gram[j, j]:
            keep[j] = True
            root = np.sqrt(pivot)
            lower[j, j] = root
            later = np.arange(j + 1, p)
            lower[later, j] = (gram[later, j] - lower[np.ix_(later, kept)] @ row) / root
    return keep


def independent_columns(
    xw: FloatArray, tol: float = _QR_TOLERANCE
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Columns kept by a left-to-right rank-revealing QR.

    A column is aliased when its norm, once the kept columns before it are projected out,
    is below ``tol`` times its own norm: the rule of R's limited-pivoting QR (``dqrdc2``).
    The fast path reads the diagonal of an unpivoted QR, which is that residual norm as
    long as no earlier column was dependent; otherwise the columns are rechecked one by one.
    """
    n, p = xw.shape
    norms = np.linalg.norm(xw, axis=0)
    safe = np.where(norms == 0.0, 1.0, norms)
    if n >= p:
        diag = np.abs(np.diag(np.linalg.qr(xw, mode="r")))
        keep = diag >= tol * safe
        if keep.all():
            return np.asarray(keep)
    basis = np.zeros((n, 0))
    out = np.zeros(p, dtype=bool)
    for j in range(p):
        resid = xw[:, j].copy()
        for _ in range(2):  # twice is enough for Gram-Schmidt (Kahan)
            resid -= basis @ (basis.T @ resid)
        rnorm = float(np.linalg.norm(resid))
        if rnorm > 0.0 and rnorm >= tol * safe[j]:
            out[j] = True
            basis = np.column_stack([basis, resid / rnorm])
    return out
