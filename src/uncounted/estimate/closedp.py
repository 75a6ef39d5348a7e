"""Rcapture's closed-population models, fitted all at once (``closedp.t`` / ``closedp.0``).

Twelve Poisson log-linear models for capture histories (Baillargeon & Rivest 2007,
*J. Stat. Softw.* 19(5); Rivest & Lévesque 2001): M0, Mt, the heterogeneity models Mh and
Mth with Chao's lower bound, Poisson2, Darroch and Gamma3.5 forms, and the behavioural
models Mb and Mbh. With two lists only M0, Mt and Mb are fitted. From the numbers of units
caught ``k`` times (no histories) only M0 and the four Mh models can be fitted
(``closedp.0``). See :mod:`uncounted.estimate.closedp_models` for the design of each model,
the standard errors and the fit codes; names, figures and codes follow Rcapture 1.4.

The interval given with each model is Chao's (1987, *Biometrics* 43:783, eq. 12) log-normal
interval ``[n + f0 / C, n + f0 C]`` with ``f0 = N - n`` and
``C = exp(z sqrt(log(1 + se^2 / f0^2)))``, which never goes below ``n``; Rcapture's
``closedp`` gives no interval.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

import numpy as np
import pandas as pd
from scipy.stats import norm

from uncounted.errors import ConfigurationError, EstimationError
from uncounted.estimate.closedp_models import ClosedPModel, fit_closedp_0, fit_closedp_t
from uncounted.estimate.histories import CaptureHistories
from uncounted.estimate.loglinear_design import pair_overlaps
from uncounted.estimate.result import Estimate
from uncounted.estimate.warnings import ModelFitWarning, SparseOverlapWarning

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["ClosedP"]

_INFO_MEANING = {
    1: "did not converge or has a large asymptotic bias (over 10 % of N)",
    2: "has a design that is not of full rank",
    3: "raised a warning while fitting (e.g. fitted counts numerically zero)",
}


class ClosedP:
    """Fit every closed-population model of Rcapture's ``closedp`` and tabulate them.

    Parameters
    ----------
    level : float
        Coverage of the log-normal interval given with each model.

    Attributes
    ----------
    models_ : pandas.DataFrame
        One row per model: ``model`` (Rcapture's name), ``estimate``, ``stderr``,
        ``deviance``, ``df``, ``aic``, ``bic``, ``info_fit`` (Rcapture's ``infoFit``: 0 no
        problem, 1 non-convergence or large asymptotic bias, 2 design not of full rank, 3
        another fitting warning, -1 not fitted; several codes as digits, e.g. 13).
    estimates_ : list of Estimate
        One per model, method ``"closedp:<model>"``.
    fits_ : list of ClosedPModel
        Everything computed for each model (coefficients, bias, removed Chao ``eta``).
    """

    method = "closedp"

    def __init__(self, level: float = 0.95) -> None:
        if not 0.0 < level < 1.0:
            raise ConfigurationError(f"level must be between 0 and 1, got {level!r}")
        self.level = level

    def fit(self, histories: CaptureHistories | pd.DataFrame) -> Self:
        """Fit the models of ``closedp.t`` to capture histories (each list an occasion)."""
        started = time.perf_counter()
        data = (
            histories
            if isinstance(histories, CaptureHistories)
            else CaptureHistories.from_frame(histories)
        )
        table = data.full_table()
        caveats: list[tuple[str, type[Warning]]] = []
        empty = [pair for pair, count in pair_overlaps(table, data.k).items() if count == 0]
        if empty:
            names = "; ".join(f"{data.lists[i]} and {data.lists[j]}" for i, j in empty)
            caveats.append(
                (
                    f"No item is on both lists of these pairs: {names}. Models assuming "
                    "lists are independent or alike can be far off when overlaps are this "
                    "sparse.",
                    SparseOverlapWarning,
                )
            )
        fits = fit_closedp_t(table, data.k)
        settings = {"function": "closedp.t", "level": self.level}
        self._finish(fits, data.n_observed, settings, caveats, started)
        self.histories_ = data
        return self

    def fit_frequencies(
        self,
        frequencies: Mapping[int, int] | pd.Series | np.ndarray[Any, Any],
        t: float,
        t0: int | None = None,
    ) -> Self:
        """Fit the models of ``closedp.0`` to the numbers of items caught ``k`` times.

        Parameters
        ----------
        frequencies : mapping, Series or array
            ``{k: number of items caught exactly k times}`` (a Series indexed by ``k``), or
            an array whose entry ``k - 1`` is that number.
        t : int or float("inf")
            Number of capture occasions (``inf``: Poisson rather than binomial counts).
        t0 : int, optional
            Fit only the frequencies of ``k <= t0`` (Rcapture's ``t0``; default ``t``).
        """
        started = time.perf_counter()
        counts = _frequency_array(frequencies)
        if counts.sum() == 0:
            raise EstimationError("no item was caught: nothing to estimate from")
        try:
            fits = fit_closedp_0(counts, t, t0)
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from exc
        settings = {"function": "closedp.0", "level": self.level, "t": t, "t0": t0}
        self._finish(fits, int(counts.sum()), settings, [], started)
        return self

    def _finish(
        self,
        fits: list[ClosedPModel],
        n: int,
        settings: dict[str, Any],
        caveats: list[tuple[str, type[Warning]]],
        started: float,
    ) -> None:
        flagged: dict[int, list[str]] = {}
        for fit in fits:
            codes = [-1] if fit.info_fit < 0 else [int(d) for d in str(fit.info_fit) if d != "0"]
            for code in codes:
                flagged.setdefault(code, []).append(fit.model)
        for code, models in sorted(flagged.items()):
            meaning = _INFO_MEANING.get(code, "could not be fitted")
            caveats.append((f"Model(s) {', '.join(models)} {meaning}.", ModelFitWarning))
        for message, category in caveats:
            warnings.warn(message, category, stacklevel=3)

        elapsed = time.perf_counter() - started
        self.fits_ = fits
        self.models_ = pd.DataFrame(
            {
                "model": [f.model for f in fits],
                "estimate": [f.abundance for f in fits],
                "stderr": [f.stderr for f in fits],
                "deviance": [f.deviance for f in fits],
                "df": [f.df for f in fits],
                "aic": [f.aic for f in fits],
                "bic": [f.bic for f in fits],
                "info_fit": [f.info_fit for f in fits],
            }
        )
        general = [message for message, category in caveats if category is SparseOverlapWarning]
        self.estimates_ = [
            self._estimate(fit, n, settings, general, elapsed / len(fits)) for fit in fits
        ]

    def _estimate(
        self,
        fit: ClosedPModel,
        n: int,
        settings: dict[str, Any],
        general: list[str],
        seconds: float,
    ) -> Estimate:
        lower, upper = _lognormal_interval(fit.abundance, fit.stderr, n, self.level)
        notes = list(general)
        if fit.info_fit != 0:
            notes.append(f"Rcapture infoFit {fit.info_fit}: {'; '.join(fit.warnings)}")
        return Estimate(
            method=f"closedp:{fit.model}",
            n_observed=n,
            point=fit.abundance,
            lower=lower,
            upper=upper,
            level=self.level,
            diagnostics={
                "stderr": fit.stderr,
                "deviance": fit.deviance,
                "df": fit.df,
                "aic": fit.aic,
                "bic": fit.bic,
                "info_fit": fit.info_fit,
                "asymptotic_bias": fit.bias,
                "coefficients": fit.coef,
                "removed_eta": fit.removed_eta,
                "fit_warnings": fit.warnings,
                "interval": "log-normal (Chao 1987)",
            },
            warnings=notes,
            settings={**settings, "model": fit.model},
            seed=None,
            seconds=seconds,
        )

    def summary(self) -> pd.DataFrame:
        """The models table with each model's interval (columns named from ``level``)."""
        if not hasattr(self, "models_"):
            raise EstimationError("call fit() before summary()")
        pct = f"{self.level * 100:g}%"
        frame = self.models_.copy()
        frame.insert(3, f"lower {pct}", [e.lower for e in self.estimates_])
        frame.insert(4, f"upper {pct}", [e.upper for e in self.estimates_])
        return frame

    def plot(self, ax: Axes | None = None) -> Axes:
        """Each model's estimate with its interval; returns the axes."""
        if not hasattr(self, "estimates_"):
            raise EstimationError("call fit() before plot()")
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        rows = np.arange(len(self.estimates_))[::-1]
        points = np.array([e.point for e in self.estimates_])
        lows = np.array([e.lower for e in self.estimates_])
        highs = np.array([e.upper for e in self.estimates_])
        ax.errorbar(
            points, rows, xerr=[points - lows, highs - points], fmt="o", color="black", ms=3
        )
        ax.set_yticks(rows, [f.model for f in self.fits_])
        ax.axvline(self.estimates_[0].n_observed, color="0.6", lw=0.8, ls=":")
        ax.set_xlabel("N (total, documented or not)")
        return ax


def _lognormal_interval(point: float, se: float, n: int, level: float) -> tuple[float, float]:
    unseen = point - n
    if not (math.isfinite(unseen) and math.isfinite(se)) or unseen <= 0.0:
        return math.nan, math.nan
    z = float(norm.ppf(0.5 + level / 2.0))
    factor = math.exp(z * math.sqrt(math.log1p(se**2 / unseen**2)))
    return n + unseen / factor, n + unseen * factor


def _frequency_array(
    frequencies: Mapping[int, int] | pd.Series | np.ndarray[Any, Any],
) -> np.ndarray[Any, np.dtype[np.float64]]:
    if isinstance(frequencies, np.ndarray):
        values = np.asarray(frequencies, dtype=np.float64)
    else:
        if isinstance(frequencies, pd.Series):
            keys = np.asarray(frequencies.index, dtype=np.float64)
            counts = frequencies.to_numpy(dtype=np.float64)
        else:
            keys = np.array(list(frequencies.keys()), dtype=np.float64)
            counts = np.array(list(frequencies.values()), dtype=np.float64)
        if keys.size == 0 or np.any(keys < 1) or np.any(np.mod(keys, 1) != 0):
            raise ConfigurationError("capture counts k must be whole numbers, 1 or more")
        values = np.zeros(int(keys.max()))
        np.add.at(values, keys.astype(np.int64) - 1, counts)
    if np.any(values < 0) or np.any(np.mod(values, 1) != 0):
        raise ConfigurationError("frequencies must be non-negative whole numbers")
    return values
