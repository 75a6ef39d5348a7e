"""Log-linear models for a closed population (multiple systems estimation).

The counts of the ``2**k - 1`` observable capture histories are modelled as Poisson with

    log mu_x = theta_0 + sum_j theta_j x_j + sum_{(i,j) in model} theta_ij x_i x_j,

main effects plus a chosen set of two-list interactions (Fienberg 1972, *Biometrika*
59:591; Bishop, Fienberg & Holland 1975, ch. 6). The history seen by no list has
``x = 0``, so the estimated number of unobserved items is ``exp(theta_0)`` and
``N = n + exp(theta_0)``. With two lists and no interaction this is the Lincoln-Petersen
estimate ``n1 n2 / m``.

Interactions are chosen by the stepwise scheme of Chan, Silverman & Vincent (2021, *JASA*
116:1297; R package SparseMSE, ``estimatepopulation.0(method = "stepwise")``), or by AIC or
BIC, among models whose maximum-likelihood estimate exists (the linear-programming check of
Fienberg & Rinaldo 2012, see :mod:`uncounted.estimate.loglinear_existence`). See
:mod:`uncounted.estimate.loglinear_interval` for the intervals.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, Self

import numpy as np
import pandas as pd
from scipy.stats import norm

from uncounted.errors import ConfigurationError, EstimationError
from uncounted.estimate.histories import CaptureHistories
from uncounted.estimate.loglinear_design import (
    LogLinearFit,
    Pair,
    fit_model,
    pair_overlaps,
)
from uncounted.estimate.loglinear_existence import MLE_MISSING, check_model
from uncounted.estimate.loglinear_glm import NOT_CONVERGED, RATES_ZERO
from uncounted.estimate.loglinear_interval import (
    BootstrapResult,
    ProfileResult,
    bootstrap,
    profile_interval,
    profile_loglik,
    wald_log_interval,
)
from uncounted.estimate.loglinear_selection import (
    Selection,
    select_by_criterion,
    select_stepwise,
)
from uncounted.estimate.result import Estimate
from uncounted.estimate.warnings import ModelFitWarning, SparseOverlapWarning

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["LogLinear"]

Criterion = Literal["aic", "bic", "stepwise"]
IntervalKind = Literal["profile", "wald", "bootstrap"]
# A bootstrap whose replicates fail this often gives a biased set of replicates: say so.
_BOOT_FAILURE_SHARE = 0.05


class LogLinear:
    """Log-linear model with two-list interactions, fitted by maximum likelihood.

    Parameters
    ----------
    interactions : "auto", list of (str, str) or None
        ``"auto"``: chosen by ``criterion``; a list of list-name pairs: that model;
        ``None``: main effects only (independent lists).
    criterion : {"stepwise", "aic", "bic"}
        How ``"auto"`` chooses: SparseMSE's stepwise Poisson p-values (default), or the
        smallest AIC / BIC among all models whose MLE exists (every subset of pairs up to
        5 lists, a greedy forward search beyond).
    pthresh : float
        Stepwise threshold: a pair enters while its p-value is below it (SparseMSE: 0.02).
    interval : {"profile", "wald", "bootstrap"}
        Profile multinomial likelihood (Cormack 1992), normal on the log dark figure (the
        interval SparseMSE's ``estimatepopulation.0`` prints), or BCa bootstrap rerunning the
        selection on every replicate (SparseMSE's ``estimatepopulation``).
    level : float
        Nominal coverage of the interval.
    n_boot : int
        Bootstrap replicates (``interval="bootstrap"`` only).
    seed : int, optional
        Seed of the bootstrap; drawn at random (and recorded) if None.

    Attributes
    ----------
    model_ : list of (str, str)
        Interactions in the fitted model, in the order they were added.
    coef_ : pandas.Series
        Coefficients by term (``"(Intercept)"``, list names, ``"A:B"``); a pair with no
        common item is ``-inf`` (its cells are removed from the fit).
    coefficients_ : pandas.DataFrame
        ``coef``, ``se(coef)``, ``z`` and ``p`` (Wald) by term.
    estimate_ : Estimate
        Diagnostics: ``interactions``, ``deviance``, ``df``, ``aic``, ``bic``, ``steps``,
        ``empty_overlaps``, ``wald_interval`` and more.
    selection_ : Selection
        The chosen model's fit and how it was chosen.
    """

    method = "loglinear"

    def __init__(
        self,
        interactions: Literal["auto"] | Sequence[tuple[str, str]] | None = "auto",
        criterion: Criterion = "stepwise",
        pthresh: float = 0.02,
        interval: IntervalKind = "profile",
        level: float = 0.95,
        n_boot: int = 1000,
        seed: int | None = None,
    ) -> None:
        if criterion not in ("aic", "bic", "stepwise"):
            raise ConfigurationError(
                f"criterion must be 'stepwise', 'aic' or 'bic', got {criterion!r}"
            )
        if interval not in ("profile", "wald", "bootstrap"):
            raise ConfigurationError(
                f"interval must be 'profile', 'wald' or 'bootstrap', got {interval!r}"
            )
        if not 0.0 < level < 1.0:
            raise ConfigurationError(f"level must be between 0 and 1, got {level!r}")
        if not 0.0 <= pthresh <= 1.0:
            raise ConfigurationError(f"pthresh must be between 0 and 1, got {pthresh!r}")
        if n_boot < 1:
            raise ConfigurationError(f"n_boot must be positive, got {n_boot!r}")
        if isinstance(interactions, str) and interactions != "auto":
            raise ConfigurationError(
                f"interactions must be 'auto', None or a list of list-name pairs, "
                f"got {interactions!r}"
            )
        self.interactions = (
            interactions
            if interactions is None or isinstance(interactions, str)
            else [(str(a), str(b)) for a, b in interactions]
        )
        self.criterion = criterion
        self.pthresh = pthresh
        self.interval = interval
        self.level = level
        self.n_boot = n_boot
        self.seed = seed

    # ------------------------------------------------------------------ fitting

    def fit(self, histories: CaptureHistories | pd.DataFrame) -> Self:
        """Choose and fit the model, then compute the interval.

        Raises
        ------
        EstimationError
            The main-effects model has no finite MLE (a list holds every item or none),
            or the requested ``interactions`` give a model whose MLE does not exist or is
            not identifiable.
        """
        started = time.perf_counter()
        data = (
            histories
            if isinstance(histories, CaptureHistories)
            else CaptureHistories.from_frame(histories)
        )
        table = data.full_table()
        caveats = _overlap_caveats(table, data.lists)
        fixed = self._fixed_pairs(data.lists)
        selection = self._select(table, data.k, data.lists, fixed)
        fit = selection.fit
        caveats += _fit_caveats(fit, data.lists)

        seed: int | None = None
        profile: ProfileResult | None = None
        boot: BootstrapResult | None = None
        wald = wald_log_interval(fit, self.level)
        if self.interval == "profile":
            profile = profile_interval(fit, self.level)
            lower, upper = profile.lower, profile.upper
            if not profile.upper_found:
                caveats.append(
                    (
                        "The profile likelihood never drops below its cut-off above the "
                        "estimate (searched up to 1000 times it): the data say little about "
                        "how many items were missed, and the upper limit is reported as "
                        "infinite.",
                        ModelFitWarning,
                    )
                )
        elif self.interval == "wald":
            lower, upper = wald
        else:
            seed = self.seed if self.seed is not None else _fresh_seed()
            boot = self._bootstrap(data, table, fixed, fit.point, seed)
            lower, upper = boot.lower, boot.upper
            if boot.failed > _BOOT_FAILURE_SHARE * self.n_boot:
                caveats.append(
                    (
                        f"{boot.failed} of {self.n_boot} bootstrap replicates could not be "
                        "estimated and were left out; the interval may be too narrow.",
                        ModelFitWarning,
                    )
                )

        for message, category in caveats:
            warnings.warn(message, category, stacklevel=2)

        self.histories_ = data
        self.selection_ = selection
        self.profile_ = profile
        self.bootstrap_ = boot
        self.model_ = [(data.lists[i], data.lists[j]) for i, j in selection.pairs]
        self.coef_ = _coef_series(fit, data.lists)
        self.coefficients_ = _coef_table(fit)
        self.estimate_ = Estimate(
            method=self.method,
            n_observed=data.n_observed,
            point=fit.point,
            lower=lower,
            upper=upper,
            level=self.level,
            diagnostics=_diagnostics(fit, selection, data.lists, wald, profile, boot),
            warnings=[message for message, _ in caveats],
            settings=self._settings(),
            seed=seed,
            seconds=time.perf_counter() - started,
            draws=None if boot is None else boot.draws,
        )
        return self

    def _fixed_pairs(self, lists: tuple[str, ...]) -> list[Pair] | None:
        if self.interactions == "auto":
            return None
        if self.interactions is None:
            return []
        index = {name: j for j, name in enumerate(lists)}
        pairs: list[Pair] = []
        for a, b in self.interactions:
            unknown = [name for name in (a, b) if name not in index]
            if unknown:
                raise ConfigurationError(
                    f"interaction ({a!r}, {b!r}) names no list of these data ({', '.join(lists)})"
                )
            if a == b:
                raise ConfigurationError(f"interaction ({a!r}, {b!r}) needs two different lists")
            i, j = sorted((index[a], index[b]))
            if (i, j) not in pairs:
                pairs.append((i, j))
        return pairs

    def _select(
        self,
        table: np.ndarray[Any, Any],
        k: int,
        lists: tuple[str, ...],
        fixed: list[Pair] | None,
    ) -> Selection:
        main_code = check_model(table, k, [])
        if main_code:
            raise EstimationError(_main_effects_failure(table, lists, main_code))
        if fixed is None:
            if self.criterion == "stepwise":
                return select_stepwise(table, k, lists, self.pthresh)
            return select_by_criterion(table, k, lists, self.criterion)
        code = check_model(table, k, fixed) if fixed else 0
        if code:
            names = ", ".join(f"{lists[i]}:{lists[j]}" for i, j in fixed)
            reasons = []
            if code & MLE_MISSING:
                reasons.append(
                    "its maximum-likelihood estimate does not exist for these data (some "
                    "parameter runs to infinity because overlaps are empty)"
                )
            if code & 2:
                reasons.append("its parameters are not identifiable from these data")
            raise EstimationError(
                f"The model with interactions {names} cannot be fitted: "
                f"{' and '.join(reasons)}. Remove some of these interactions, or let them "
                "be chosen with interactions='auto' (which only considers models that pass "
                "this check)."
            )
        return Selection(fit_model(table, k, fixed, lists), list(fixed), models_checked=1)

    def _bootstrap(
        self,
        data: CaptureHistories,
        table: np.ndarray[Any, Any],
        fixed: list[Pair] | None,
        point: float,
        seed: int,
    ) -> BootstrapResult:
        cells = data.cells
        size = len(table)

        def estimate(counts: np.ndarray[Any, Any]) -> float:
            resampled = np.zeros(size, dtype=np.int64)
            resampled[cells] = counts
            return self._select(resampled, data.k, data.lists, fixed).fit.point

        return bootstrap(
            data.counts, estimate, point, self.level, self.n_boot, np.random.default_rng(seed)
        )

    def _settings(self) -> dict[str, Any]:
        return {
            "interactions": (
                self.interactions
                if self.interactions is None or isinstance(self.interactions, str)
                else [list(pair) for pair in self.interactions]
            ),
            "criterion": self.criterion,
            "pthresh": self.pthresh,
            "interval": self.interval,
            "level": self.level,
            "n_boot": self.n_boot,
            "seed": self.seed,
        }

    # ------------------------------------------------------------------ reporting

    def summary(self) -> pd.DataFrame:
        """One-row tidy frame: estimate, interval, interactions, deviance, df, AIC, BIC."""
        estimate = self._fitted()
        frame = estimate.summary()
        diagnostics = estimate.diagnostics
        frame["interactions"] = ", ".join(diagnostics["interactions"]) or "(none)"
        for key in ("deviance", "df", "aic", "bic"):
            frame[key] = diagnostics[key]
        return frame

    def plot(self, ax: Axes | None = None) -> Axes:
        """The profile likelihood of ``N`` (or the bootstrap replicates) with the estimate
        and the interval marked; returns the axes."""
        estimate = self._fitted()
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        if self.bootstrap_ is not None:
            ax.hist(self.bootstrap_.draws, bins=40, color="0.75", edgecolor="white")
            ax.set_ylabel("bootstrap replicates")
        else:
            loglik = profile_loglik(self.selection_.fit)
            top = self.profile_.loglik_max if self.profile_ is not None else None
            finite_upper = estimate.upper if math.isfinite(estimate.upper) else 3 * estimate.point
            left = max(
                float(estimate.n_observed), estimate.lower - 0.3 * (estimate.point - estimate.lower)
            )
            right = finite_upper + 0.3 * (finite_upper - estimate.point)
            grid = np.linspace(left, right, 60)
            values = np.array([loglik(float(v)) for v in grid])
            values -= top if top is not None else values.max()
            ax.plot(grid, values, color="black", lw=1.2)
            ax.axhline(-(float(norm.ppf(0.5 + self.level / 2.0)) ** 2) / 2.0, color="0.5", lw=0.8)
            ax.set_ylabel("profile log-likelihood (0 at the maximum)")
        ax.axvline(estimate.point, color="black", ls="--", lw=0.8)
        for limit in (estimate.lower, estimate.upper):
            if math.isfinite(limit):
                ax.axvline(limit, color="0.4", ls=":", lw=0.8)
        ax.set_xlabel("N (total, documented or not)")
        pairs = estimate.diagnostics["interactions"]
        shown = ", ".join(pairs) if len(", ".join(pairs)) <= 40 else f"{len(pairs)} interactions"
        ax.set_title(f"log-linear model: {shown or 'independent lists'}")
        return ax

    def _fitted(self) -> Estimate:
        if not hasattr(self, "estimate_"):
            raise EstimationError("call fit() before summary() or plot()")
        return self.estimate_


def _fresh_seed() -> int:
    return int(np.random.SeedSequence().generate_state(1)[0])


def _pair_name(lists: Sequence[str], pair: Pair) -> str:
    return f"{lists[pair[0]]}:{lists[pair[1]]}"


def _overlap_caveats(
    table: np.ndarray[Any, Any], lists: tuple[str, ...]
) -> list[tuple[str, type[Warning]]]:
    empty = [pair for pair, count in pair_overlaps(table, len(lists)).items() if count == 0]
    if not empty:
        return []
    names = "; ".join(f"{lists[i]} and {lists[j]}" for i, j in empty)
    return [
        (
            f"No item is on both lists of these pairs: {names}. A model with such an "
            "interaction has no finite maximum-likelihood estimate: its cells are removed and "
            "the term counts as -inf (Chan, Silverman & Vincent 2021); models whose estimate "
            "does not exist are never chosen.",
            SparseOverlapWarning,
        )
    ]


def _fit_caveats(fit: LogLinearFit, lists: tuple[str, ...]) -> list[tuple[str, type[Warning]]]:
    caveats: list[tuple[str, type[Warning]]] = []
    for pair, prob in fit.prob_empty.items():
        caveats.append(
            (
                f"The chosen model includes the interaction {_pair_name(lists, pair)} of two "
                f"lists with no common item (fitted as -inf). Without that term such an empty "
                f"overlap would have probability {prob:.3g}.",
                SparseOverlapWarning,
            )
        )
    if NOT_CONVERGED in fit.glm.warnings:
        caveats.append(
            (
                "The Poisson fit did not converge in 25 iterations; the estimate is unreliable.",
                ModelFitWarning,
            )
        )
    if RATES_ZERO in fit.glm.warnings:
        caveats.append(
            (
                "Some fitted cell counts are numerically zero: a parameter is running to "
                "infinity and the estimate is unreliable.",
                ModelFitWarning,
            )
        )
    return caveats


def _main_effects_failure(table: np.ndarray[Any, Any], lists: tuple[str, ...], code: int) -> str:
    k = len(lists)
    counts = np.asarray(table, dtype=np.int64)
    n = int(counts[1:].sum())
    cells = np.arange(2**k)
    totals = [int(counts[(cells >> j) & 1 == 1].sum()) for j in range(k)]
    everyone = [lists[j] for j in range(k) if totals[j] == n]
    nobody = [lists[j] for j in range(k) if totals[j] == 0]
    parts = []
    if everyone:
        parts.append(f"{', '.join(everyone)} documented every observed item")
    if nobody:
        parts.append(f"{', '.join(nobody)} documented no item")
    why = "; ".join(parts) if parts else "the lists' overlaps leave no finite estimate"
    what = (
        "has no finite maximum-likelihood estimate"
        if code & MLE_MISSING
        else ("is not identifiable")
    )
    return (
        f"Even the independence model {what} for these data ({why}). Such a list tells "
        "nothing about the items no list documented: drop it or merge it with another list."
    )


def _coef_series(fit: LogLinearFit, lists: tuple[str, ...]) -> pd.Series:
    data = fit.data
    values = dict(zip(data.terms, (float(c) for c in fit.glm.coef), strict=True))
    for pair in data.empty_pairs:
        values[_pair_name(lists, pair)] = -math.inf
    return pd.Series(values, name="coef", dtype=float)


def _coef_table(fit: LogLinearFit) -> pd.DataFrame:
    coef = fit.glm.coef
    se = np.sqrt(np.diag(fit.glm.cov))
    z = coef / se
    frame = pd.DataFrame(
        {"coef": coef, "se(coef)": se, "z": z, "p": 2.0 * norm.sf(np.abs(z))},
        index=pd.Index(list(fit.data.terms), name="term"),
    )
    return frame


def _diagnostics(
    fit: LogLinearFit,
    selection: Selection,
    lists: tuple[str, ...],
    wald: tuple[float, float],
    profile: ProfileResult | None,
    boot: BootstrapResult | None,
) -> dict[str, Any]:
    steps = []
    for step in selection.steps:
        entry = dict(step)
        if "pair" in entry:
            entry["pair"] = _pair_name(lists, entry["pair"])
        if "pairs" in entry:
            entry["pairs"] = [_pair_name(lists, p) for p in entry["pairs"]]
        steps.append(entry)
    out: dict[str, Any] = {
        "interactions": [_pair_name(lists, pair) for pair in selection.pairs],
        "empty_overlaps": [_pair_name(lists, pair) for pair in fit.data.empty_pairs],
        "prob_empty": {_pair_name(lists, p): v for p, v in fit.prob_empty.items()},
        "deviance": fit.glm.deviance,
        "df": fit.glm.df_residual,
        "aic": fit.aic,
        "bic": fit.bic,
        "n_parameters": fit.n_parameters,
        "log_dark": fit.log_dark,
        "log_dark_se": fit.log_dark_se,
        "wald_interval": list(wald),
        "steps": steps,
        "models_checked": selection.models_checked,
        "models_rejected": len(selection.rejected),
        "converged": fit.glm.converged,
        "iterations": fit.glm.iterations,
    }
    if profile is not None:
        out["profile_n_max"] = profile.n_max
        out["profile_upper_found"] = profile.upper_found
    if boot is not None:
        out["bootstrap_failed"] = boot.failed
        out["bca_z0"] = boot.bias_z0
        out["bca_acceleration"] = boot.acceleration
    return out
