"""The closed-population models of Rcapture's ``closedp.t`` and ``closedp.0``.

Every model is a Poisson log-linear model for the counts of the observable capture histories
(Baillargeon & Rivest 2007, *J. Stat. Softw.* 19(5); Rivest & Lévesque 2001), fitted with
an intercept whose exponential is the expected number of uncaught units. Design columns,
with ``k`` the number of captures of a history and ``x_j`` its capture indicators:

========================  =========================================================
M0                        ``k``
Mt                        ``x_1 ... x_t``
Mh / Mth Chao (LB)        M0 / Mt plus ``eta_j = max(k - j + 1, 0)``, ``j = 3..t``
                          (Chao's lower bound; negative ``eta`` are removed one at a
                          time, first in column order, and the model refitted)
Mh / Mth Poisson2         plus ``2**k - 1``
Mh / Mth Darroch          plus ``k**2 / 2``
Mh / Mth Gamma3.5         plus ``-log(3.5 + k) + log(3.5)``
Mb                        occasions before the first capture, captures after it
Mbh                       Mb plus ``1 - x_1``
========================  =========================================================

``N = n + exp(b0)`` with standard error ``sqrt(exp(b0) + exp(2 b0) Var(b0))``, except for Mb,
``N = exp(b0) (1 + exp(b2))**t / (1 + exp(b2) - exp(b1))``, and Mbh, each with its delta-
method standard error minus the multinomial correction ``N``. AIC is ``-2 log L + 2 rank`` of
the Poisson model and BIC ``AIC + (log n - 2) rank``. The fit code (``infoFit``) is 0 when
the fit raised nothing, 1 for non-convergence or an asymptotic bias of ``N`` above 10 % of
``N`` (bias by the formula of Rivest & Lévesque 2001), 2 for a rank-deficient design, 3 for
any other fitting warning, -1 when the model could not be fitted; several codes are joined
as digits in increasing order (13 = codes 1 and 3).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.special import gammaln

from uncounted.estimate.loglinear_glm import (
    NOT_CONVERGED,
    RANK_DEFICIENT,
    GLMFailure,
    PoissonFit,
    fit_poisson,
)

__all__ = [
    "MODELS_0",
    "MODELS_T",
    "ClosedPModel",
    "fit_closedp_0",
    "fit_closedp_t",
]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]

MODELS_T = (
    "M0",
    "Mt",
    "Mh Chao (LB)",
    "Mh Poisson2",
    "Mh Darroch",
    "Mh Gamma3.5",
    "Mth Chao (LB)",
    "Mth Poisson2",
    "Mth Darroch",
    "Mth Gamma3.5",
    "Mb",
    "Mbh",
)
MODELS_T_TWO_OCCASIONS = ("M0", "Mt", "Mb")
MODELS_0 = ("M0", "Mh Chao (LB)", "Mh Poisson2", "Mh Darroch", "Mh Gamma3.5")

_BIAS_WARNING = "the asymptotic bias is large"
# Mb and Mbh divide by 1 + exp(beta2) - exp(beta1); when the fit drives it to 0 the
# abundance is unbounded (R gives Inf and goes on with the other models).
# Relative size (to 1 + exp(b2)) below which the Mb/Mbh denominator is rounding, not a
# value: 2^-40, far above the few ulps (2^-52 each) a difference of two exponentials can
# carry, far below the denominators of fits that hold (0.04-0.46 on every dataset of
# shared/data/mse).
_ROUNDING = 2.0**-40
_UNBOUNDED_WARNING = "the abundance is unbounded (its denominator is 0): the model does not fit"
_POISSON_THETA = 2.0
_GAMMA_THETA = 3.5


@dataclass
class ClosedPModel:
    """One fitted model: the figures of one row of Rcapture's ``results`` table."""

    model: str
    abundance: float
    stderr: float
    deviance: float
    df: float
    aic: float
    bic: float
    info_fit: int
    bias: float
    warnings: list[str] = field(default_factory=list)
    coef: dict[str, float] = field(default_factory=dict)
    removed_eta: list[str] = field(default_factory=list)


Column = tuple[str, FloatArray]


def fit_closedp_t(table: np.ndarray[Any, Any], t: int) -> list[ClosedPModel]:
    """Fit the models of ``closedp.t`` to a full table of ``2**t`` counts.

    ``table[c]`` counts the histories with ``x_j = (c >> j) & 1``; ``table[0]`` is ignored.
    """
    if t < 2:
        raise ValueError("closedp needs at least 2 capture occasions")
    cells = np.arange(1, 2**t)
    bits = ((cells[:, None] >> np.arange(t)[None, :]) & 1).astype(np.float64)
    y = np.asarray(table, dtype=np.float64)[1:]
    n = float(y.sum())
    k = bits.sum(axis=1)
    first = np.argmax(bits > 0, axis=1).astype(np.float64)  # occasions before the first capture
    after = k - 1.0
    occasions = [(f"beta{j + 1}", bits[:, j]) for j in range(t)]
    names = MODELS_T if t >= 3 else MODELS_T_TWO_OCCASIONS
    results = []
    for name in names:
        if name == "Mb":
            columns = [("beta1", first), ("beta2", after)]
            results.append(_fit_one(name, y, columns, None, n, None, _behaviour_abundance(t)))
            continue
        if name == "Mbh":
            columns = [("eta", 1.0 - bits[:, 0]), ("beta1", first), ("beta2", after)]
            results.append(_fit_one(name, y, columns, None, n, None, _behaviour_h_abundance(t)))
            continue
        base = occasions if name.startswith(("Mt", "Mth")) else [("beta", k)]
        columns = base + _heterogeneity_columns(name, k, t)
        chao = len(base) + 1 if "Chao" in name else None
        results.append(_fit_one(name, y, columns, None, n, chao, None))
    return results


def fit_closedp_0(
    frequencies: np.ndarray[Any, Any], t: float, t0: int | None = None
) -> list[ClosedPModel]:
    """Fit the models of ``closedp.0`` to the numbers of units caught ``k`` times.

    Parameters
    ----------
    frequencies : array
        ``frequencies[k - 1]`` units were caught exactly ``k`` times, ``k = 1..len``.
    t : int or inf
        Number of capture occasions. With ``t = inf`` the binomial offset ``log C(t, k)``
        becomes the Poisson offset ``-log k!`` and ``t`` is the largest observed ``k``.
    t0 : int, optional
        Only the frequencies for ``k <= t0`` enter the fit (``t0 = t`` by default); units
        caught more often still count in ``n``.
    """
    f = np.asarray(frequencies, dtype=np.float64)
    n = float(f.sum())
    infinite = math.isinf(t)
    t_int = int(np.max(np.flatnonzero(f > 0)) + 1) if infinite else int(t)
    if len(f) > t_int and np.any(f[t_int:] > 0):
        raise ValueError(f"frequencies beyond k = {t_int} are not possible with t = {t}")
    full = np.zeros(t_int)
    full[: min(len(f), t_int)] = f[:t_int]
    t0 = t_int if t0 is None else int(t0)
    if not 2 <= t0 <= t_int:
        raise ValueError(f"t0 must be between 2 and {t_int}")
    k = np.arange(1.0, t0 + 1.0)
    y = full[:t0]
    if infinite:
        offset = -gammaln(k + 1.0)
    else:
        offset = gammaln(t_int + 1.0) - gammaln(k + 1.0) - gammaln(t_int - k + 1.0)
    names = MODELS_0 if t0 > 2 else ("M0",)
    results = []
    for name in names:
        columns = [("beta", k), *_heterogeneity_columns(name, k, t0)]
        chao = 2 if "Chao" in name else None
        results.append(_fit_one(name, y, columns, offset, n, chao, None))
    return results


def _heterogeneity_columns(name: str, k: FloatArray, t: int) -> list[Column]:
    if "Chao" in name:
        return [(f"eta{j}", np.maximum(k - j + 1.0, 0.0)) for j in range(3, t + 1)]
    if "Poisson" in name:
        return [("tau", _POISSON_THETA**k - 1.0)]
    if "Darroch" in name:
        return [("tau", k**2 / 2.0)]
    if "Gamma" in name:
        return [("tau", -np.log(_GAMMA_THETA + k) + math.log(_GAMMA_THETA))]
    return []


AbundanceRule = Callable[[FloatArray, FloatArray], tuple[float, float]]


def _fit_one(
    name: str,
    y: FloatArray,
    columns: list[Column],
    offset: FloatArray | None,
    n: float,
    chao_fixed: int | None,
    abundance_rule: AbundanceRule | None,
) -> ClosedPModel:
    """Fit one model and compute its row of results (see the module docstring)."""
    col_names = ["(Intercept)"] + [c for c, _ in columns]
    x = np.column_stack([np.ones(len(y))] + [v for _, v in columns])
    warnings: list[str] = []
    removed: list[str] = []
    try:
        fit = fit_poisson(x, y, offset)
    except GLMFailure as exc:
        return _failed(name, [str(exc)])
    warnings += fit.warnings
    if chao_fixed is not None:
        fit, x, col_names, more, removed = _drop_negative_eta(
            fit, x, y, offset, col_names, chao_fixed
        )
        warnings += more

    coef = fit.coef
    rank_deficient = bool(np.any(np.isnan(coef)))
    bias = math.nan if rank_deficient else _asymptotic_bias(fit, x)
    if abundance_rule is None:
        mu0 = math.exp(coef[0])
        abundance = n + mu0
        stderr = math.sqrt(mu0 + mu0**2 * fit.cov[0, 0])
    else:
        abundance, stderr = abundance_rule(coef, fit.cov)
        if math.isinf(abundance):
            warnings.append(_UNBOUNDED_WARNING)
    if not math.isnan(bias) and abs(bias) > 0.1 * abundance:
        warnings.append(_BIAS_WARNING)
    bic = fit.aic + (math.log(n) - 2.0) * fit.rank
    return ClosedPModel(
        model=name,
        abundance=abundance,
        stderr=stderr,
        deviance=fit.deviance,
        df=float(fit.df_residual),
        aic=fit.aic,
        bic=bic,
        info_fit=_info_code(warnings),
        bias=bias,
        warnings=list(dict.fromkeys(warnings)),
        coef=dict(zip(col_names, (float(c) for c in coef), strict=True)),
        removed_eta=removed,
    )


def _drop_negative_eta(
    fit: PoissonFit,
    x: FloatArray,
    y: FloatArray,
    offset: FloatArray | None,
    col_names: list[str],
    fixed: int,
) -> tuple[PoissonFit, FloatArray, list[str], list[str], list[str]]:
    """Remove negative Chao ``eta`` one at a time (first in column order) and refit.

    The lower-bound model needs ``eta >= 0`` (Rivest & Baillargeon 2007); ``fixed`` is the
    number of leading columns (intercept included) that are not ``eta``. Aliased ``eta``
    (NaN) are left alone. If a refit fails, the last good fit is kept.
    """
    warnings: list[str] = []
    removed: list[str] = []
    while True:
        eta = fit.coef[fixed:]
        negative = np.flatnonzero(~np.isnan(eta) & (eta < 0))
        if negative.size == 0:
            break
        drop = fixed + int(negative[0])
        keep = [j for j in range(x.shape[1]) if j != drop]
        try:
            refit = fit_poisson(x[:, keep], y, offset)
        except GLMFailure as exc:
            warnings.append(f"negative {col_names[drop]} kept: {exc}")
            break
        removed.append(col_names[drop])
        fit, x, col_names = refit, x[:, keep], [col_names[j] for j in keep]
        warnings += refit.warnings
    return fit, x, col_names, warnings, removed


def _asymptotic_bias(fit: PoissonFit, x: FloatArray) -> float:
    """First-order bias of ``exp(b0)`` (Rivest & Lévesque 2001), as Rcapture computes it."""
    v = fit.cov
    xi = -0.5 * np.einsum("ij,jk,ik->i", x, v, x)
    psi = -2.0 * x.T @ (fit.mu * xi)
    psi[0] -= 1.0
    return float(0.5 * math.exp(fit.coef[0]) * (-(v @ psi))[0])


def _behaviour_abundance(t: int) -> AbundanceRule:
    """Model Mb: ``N`` and its delta-method standard error (Rivest & Lévesque 2001)."""

    def rule(coef: FloatArray, cov: FloatArray) -> tuple[float, float]:
        b0, b1, b2 = (float(c) for c in coef[:3])
        denom = 1.0 + math.exp(b2) - math.exp(b1)
        if _vanishes(denom, b2):
            return math.inf, math.nan
        abundance = math.exp(b0) * (1.0 + math.exp(b2)) ** t / denom
        grad = abundance * np.array(
            [
                1.0,
                math.exp(b1) / denom,
                t * math.exp(b2) / (1.0 + math.exp(b2)) - math.exp(b2) / denom,
            ]
        )
        return abundance, _sqrt_or_nan(float(grad @ cov @ grad) - abundance)

    return rule


def _behaviour_h_abundance(t: int) -> AbundanceRule:
    """Model Mbh: ``N`` and its delta-method standard error (Rivest & Lévesque 2001)."""

    def rule(coef: FloatArray, cov: FloatArray) -> tuple[float, float]:
        b0, eta, b1, b2 = (float(c) for c in coef[:4])
        denom = 1.0 + math.exp(b2) - math.exp(b1)
        if _vanishes(denom, b2):
            return math.inf, math.nan
        ratio = math.exp(eta + b1) / denom
        scale = math.exp(b0) * (1.0 + math.exp(b2)) ** (t - 1)
        abundance = scale * (1.0 + ratio)
        grad = scale * np.array(
            [
                1.0 + ratio,
                ratio,
                ratio + math.exp(eta + 2.0 * b1) / denom**2,
                (t - 1) * math.exp(b2) / (1.0 + math.exp(b2)) - math.exp(eta + b1 + b2) / denom**2,
            ]
        )
        return abundance, _sqrt_or_nan(float(grad @ cov @ grad) - abundance)

    return rule


def _vanishes(denom: float, b2: float) -> bool:
    """Whether ``1 + exp(b2) - exp(b1)`` is 0 up to rounding: a difference of two terms
    near ``1 + exp(b2)`` is only known to a few units in their last place, so a fit that
    drives it to 0 lands on 0 on one machine and on +-1e-16 on another (an abundance of
    +-1e17, as meaningless as a division by 0)."""
    return abs(denom) <= _ROUNDING * (1.0 + math.exp(b2))


def _sqrt_or_nan(value: float) -> float:
    return math.sqrt(value) if value >= 0.0 else math.nan


def _info_code(warnings: list[str]) -> int:
    codes = set()
    for text in warnings:
        if NOT_CONVERGED in text or "converge" in text or text == _BIAS_WARNING:
            codes.add(1)
        elif RANK_DEFICIENT in text:
            codes.add(2)
        else:
            codes.add(3)
    return int("".join(str(c) for c in sorted(codes))) if codes else 0


def _failed(name: str, errors: list[str]) -> ClosedPModel:
    nan = math.nan
    return ClosedPModel(name, nan, nan, nan, nan, nan, nan, -1, nan, errors)
