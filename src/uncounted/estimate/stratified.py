"""Stratified estimation: fit one estimator per stratum (period, region, ...) and add them up.

Totals are combined from distributions, never from interval ends: a sum of upper limits is
far wider than the upper limit of a sum. Each stratum contributes a vector of possible totals:
its posterior draws when the estimator has them (``Estimate.draws``: LCMCR, DGA), otherwise
bootstrap replicates of its point estimate (MLE and closed-form methods). Strata are
independent, so the combined distribution is the sum of one randomly paired value from each
stratum; the interval is its quantiles. The point estimate is the sum of the strata's point
estimates, so that a table of strata adds up to its total.

Bootstraps refit the estimator on data simulated from the fitted stratum:

* capture histories: Multinomial(round(N), (y_x / N, ..., (N - n) / N)) over the observed
  histories plus the unobserved cell, the unobserved cell then dropped (a nonparametric
  bootstrap of the estimated population, so the number observed varies as it would;
  Buckland & Garthwaite 1991, *Biometrics* 47:255; Norris & Pollock 1996);
* incidence frequencies: the population bootstrap of Chao et al. (2014), see
  :mod:`uncounted.estimate.unseen_bootstrap`.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Self

import numpy as np
import pandas as pd

from uncounted.errors import EstimationError, Problem, ValidationError
from uncounted.estimate.incidence import IncidenceFrequencies
from uncounted.estimate.result import Estimate
from uncounted.estimate.warnings import ModelFitWarning, SparseStratumWarning

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["StratifiedEstimator"]

_FloatArray = np.ndarray[Any, np.dtype[np.float64]]
_SOURCE = "<data frame>"
# A stratum whose bootstrap fails this often is reported: its replicates are a biased subset.
_FAILURE_SHARE = 0.1


class StratifiedEstimator:
    """Fit ``base_factory()`` in every stratum and combine the strata into one total.

    Parameters
    ----------
    base_factory : callable
        Returns a fresh, unfitted estimator (``LCMCR``, ``LogLinear``, ``Chao2``, ...), e.g.
        ``lambda: LCMCR(seed=1)`` or the class itself. Estimators whose class has
        ``data_kind = "incidence"`` (Chao2 family) get :class:`IncidenceFrequencies` built from
        the 0/1 columns (each column one sampling unit); the others get
        :class:`~uncounted.estimate.histories.CaptureHistories`.
    strata : list of str
        Stratum columns (e.g. ``["year"]`` or ``["period", "province"]``).
    lists : list of str, optional
        The 0/1 columns (lists, or sampling units). Default: every column that is neither a
        stratum column nor ``count``.
    count : str or None
        Optional count column (rows are then aggregated histories); default: one row per item.
    n_boot : int
        Bootstrap replicates per stratum for estimators without posterior draws.
    level : float
        Level of the combined interval.
    seed : int, optional
        Seed for the bootstrap and for pairing draws across strata.
    min_observed, min_recaptured : int
        A stratum with fewer observed items, or fewer items on at least two lists, gets a
        :class:`~uncounted.estimate.warnings.SparseStratumWarning`.

    Attributes
    ----------
    estimates_ : dict of str to Estimate
        Per-stratum estimates, keyed by stratum label (values joined by ``" / "``).
    strata_ : pandas.DataFrame
        One row per stratum: stratum values, ``n_observed``, ``estimate``, ``lower``,
        ``upper``, ``sparse``, ``combined_by`` (``draws`` or ``bootstrap``).
    estimate_ : Estimate
        The combined total; ``draws`` holds the summed replicates.
    """

    def __init__(
        self,
        base_factory: Callable[[], Any],
        strata: Sequence[str],
        lists: Sequence[str] | None = None,
        count: str | None = None,
        n_boot: int = 200,
        level: float = 0.95,
        seed: int | None = None,
        min_observed: int = 20,
        min_recaptured: int = 5,
    ) -> None:
        if not strata:
            raise ValueError("strata must name at least one column")
        if not 0.0 < level < 1.0:
            raise ValueError(f"level must be between 0 and 1, got {level}")
        if n_boot < 2:
            raise ValueError(f"n_boot must be at least 2, got {n_boot}")
        self.base_factory = base_factory
        self.strata = [str(s) for s in strata]
        self.lists = None if lists is None else [str(c) for c in lists]
        self.count = count
        self.n_boot = n_boot
        self.level = level
        self.seed = seed
        self.min_observed = min_observed
        self.min_recaptured = min_recaptured

    estimates_: dict[str, Estimate]
    strata_: pd.DataFrame
    estimate_: Estimate

    def fit(self, df: pd.DataFrame) -> Self:
        """Fit every stratum of a per-item table and combine them.

        Raises
        ------
        ValidationError
            Missing columns or empty stratum values (with their rows).
        EstimationError
            When the estimator fails in a stratum (named), or no stratum has data.
        """
        started = time.perf_counter()
        lists = self._lists(df)
        self._check_strata(df)
        rng = np.random.default_rng(self.seed)
        rows: list[dict[str, Any]] = []
        vectors: list[_FloatArray] = []
        caveats: list[str] = []
        self.estimates_ = {}
        bootstrapped = 0
        grouped = df.groupby(self.strata, sort=True, dropna=False)
        for key, part in grouped:
            values = key if isinstance(key, tuple) else (key,)
            label = " / ".join(str(v) for v in values)
            estimator = self.base_factory()
            data = self._stratum_data(estimator, part, lists, label)
            sparse = self._sparse_reason(data)
            if sparse:
                text = f"stratum {label}: {sparse}; its estimate is unstable"
                warnings.warn(text, SparseStratumWarning, stacklevel=2)
                caveats.append(text)
            try:
                fitted = estimator.fit(data)
            except EstimationError as exc:
                raise EstimationError(
                    f"stratum {label}: {exc} Merge it with a neighbouring stratum, or "
                    "stratify more coarsely."
                ) from exc
            estimate = getattr(fitted, "estimate_", None)
            if not isinstance(estimate, Estimate):
                raise TypeError(
                    f"{type(estimator).__name__} has no estimate_ after fit(): "
                    "StratifiedEstimator needs an estimator that gives one Estimate"
                )
            self.estimates_[label] = estimate
            caveats += [f"stratum {label}: {w}" for w in estimate.warnings]
            draws = estimate.draws
            if draws is not None and np.isfinite(draws).sum() >= 2:
                vector = np.asarray(draws, dtype=np.float64)
                combined_by = "draws"
            else:
                vector, failures = self._bootstrap(data, estimate, rng)
                combined_by = "bootstrap"
                bootstrapped += 1
                if failures > _FAILURE_SHARE * self.n_boot:
                    text = (
                        f"stratum {label}: the estimator failed on {failures} of {self.n_boot} "
                        "bootstrap samples; the interval is too narrow"
                    )
                    warnings.warn(text, ModelFitWarning, stacklevel=2)
                    caveats.append(text)
            vectors.append(vector[np.isfinite(vector)])
            rows.append(
                {
                    **dict(zip(self.strata, values, strict=True)),
                    "n_observed": estimate.n_observed,
                    "estimate": estimate.point,
                    "lower": estimate.lower,
                    "upper": estimate.upper,
                    "sparse": bool(sparse),
                    "combined_by": combined_by,
                }
            )
        if not rows:
            raise EstimationError("no stratum has any item: nothing to estimate")
        self.strata_ = pd.DataFrame(rows)
        total = _sum_paired(vectors, rng)
        all_draws = bootstrapped == 0
        # The strata's own figures add up to the total, so a published table is consistent
        # (for posterior medians this differs from the median of the sum by a hair).
        point = float(self.strata_["estimate"].sum())
        alpha = 1 - self.level
        lower, upper = (float(x) for x in np.quantile(total, [alpha / 2, 1 - alpha / 2]))
        first = next(iter(self.estimates_.values()))
        rhats = [
            float(e.diagnostics["rhat"])
            for e in self.estimates_.values()
            if e.diagnostics.get("rhat") is not None
        ]
        how = (
            "summed posterior draws"
            if all_draws
            else "summed bootstrap replicates"
            if bootstrapped == len(rows)
            else "summed posterior draws and bootstrap replicates"
        )
        self.estimate_ = Estimate(
            method=f"stratified {first.method}",
            n_observed=int(self.strata_["n_observed"].sum()),
            point=point,
            lower=lower,
            upper=upper,
            level=self.level,
            diagnostics={
                "combination": how,
                "replicates": int(total.size),
                # The worst chain agreement of any stratum (samplers with several chains).
                "rhat": max(rhats) if rhats else None,
                "strata": {
                    label: {
                        "n_observed": e.n_observed,
                        "estimate": e.point,
                        "lower": e.lower,
                        "upper": e.upper,
                        **{
                            key: e.diagnostics[key]
                            for key in ("rhat", "ess")
                            if e.diagnostics.get(key) is not None
                        },
                    }
                    for label, e in self.estimates_.items()
                },
            },
            warnings=caveats,
            settings={
                "strata": self.strata,
                "lists": lists,
                "n_boot": self.n_boot,
                "level": self.level,
                "seed": self.seed,
                "min_observed": self.min_observed,
                "min_recaptured": self.min_recaptured,
                "base": first.settings,
            },
            seed=self.seed,
            seconds=time.perf_counter() - started,
            draws=total,
        )
        return self

    # ------------------------------------------------------------------ pieces

    def _lists(self, df: pd.DataFrame) -> list[str]:
        problems = [
            Problem(_SOURCE, None, c, None, "a stratum column with this name")
            for c in self.strata
            if c not in df.columns
        ]
        if self.lists is None:
            skip = {*self.strata, self.count}
            lists = [str(c) for c in df.columns if c not in skip]
        else:
            lists = self.lists
            problems += [
                Problem(_SOURCE, None, c, None, "a list column with this name")
                for c in lists
                if c not in df.columns
            ]
        if self.count is not None and self.count not in df.columns:
            problems.append(Problem(_SOURCE, None, self.count, None, "a count column"))
        if problems:
            raise ValidationError(problems)
        return lists

    def _check_strata(self, df: pd.DataFrame) -> None:
        problems: list[Problem] = []
        for column in self.strata:
            values = df[column]
            blank = values.isna() | (values.astype(str).str.strip() == "")
            for i in np.flatnonzero(blank.to_numpy())[:200]:
                problems.append(
                    Problem(_SOURCE, int(i) + 1, column, "<missing>", "a stratum value")
                )
        if problems:
            raise ValidationError(
                problems,
                hint="Items without a stratum cannot be placed: fill the value (or a catch-all "
                "such as 'unknown') or leave those rows out knowingly.",
            )

    def _stratum_data(
        self, estimator: Any, part: pd.DataFrame, lists: list[str], label: str
    ) -> Any:
        try:
            if getattr(estimator, "data_kind", "") == "incidence":
                return _incidence_from_rows(part, lists, self.count)
            from uncounted.estimate.histories import CaptureHistories

            return CaptureHistories.from_frame(
                part[[*lists, *self._count_cols()]], lists, self.count
            )
        except ValidationError as exc:
            raise ValidationError(exc.problems, hint=f"(in stratum {label})") from exc

    def _count_cols(self) -> list[str]:
        return [] if self.count is None else [self.count]

    def _sparse_reason(self, data: Any) -> str:
        if isinstance(data, IncidenceFrequencies):
            n, again = data.n_observed, data.n_observed - data.q(1)
        else:
            n = int(data.n_observed)
            again = int(np.asarray(data.counts)[np.asarray(data.patterns).sum(axis=1) >= 2].sum())
        if n < self.min_observed:
            return f"only {n} items observed (fewer than {self.min_observed})"
        if again < self.min_recaptured:
            return f"only {again} items seen more than once (fewer than {self.min_recaptured})"
        return ""

    def _bootstrap(
        self, data: Any, estimate: Estimate, rng: np.random.Generator
    ) -> tuple[_FloatArray, int]:
        """Bootstrap replicates of the point estimate and the number of failed refits."""

        def refit(sample: Any) -> float:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return float(self.base_factory().fit(sample).estimate_.point)

        if isinstance(data, IncidenceFrequencies):
            from uncounted.estimate.unseen_bootstrap import bootstrap_estimates

            out = bootstrap_estimates(data, refit, self.n_boot, rng)
        else:
            out = _histories_bootstrap(data, estimate, refit, self.n_boot, rng)
        return out, int(np.isnan(out).sum())

    # ------------------------------------------------------------------ output

    def summary(self) -> pd.DataFrame:
        """Per-stratum rows and a ``total`` row (interval columns named from ``level``)."""
        if not hasattr(self, "estimate_"):
            raise EstimationError("StratifiedEstimator is not fitted yet: call fit(df) first.")
        frame = self.strata_.copy()
        total: dict[str, Any] = {c: "total" for c in self.strata}
        total.update(
            n_observed=self.estimate_.n_observed,
            estimate=self.estimate_.point,
            lower=self.estimate_.lower,
            upper=self.estimate_.upper,
            sparse=bool(frame["sparse"].any()),
            combined_by=self.estimate_.diagnostics["combination"],
        )
        frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
        pct = f"{self.level * 100:g}%"
        return frame.rename(columns={"lower": f"lower {pct}", "upper": f"upper {pct}"})

    def plot(self, ax: Axes | None = None) -> Axes:
        """Per-stratum estimates with their intervals (observed counts as crosses)."""
        frame = self.summary()
        strata = frame.iloc[:-1]
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        pct = f"{self.level * 100:g}%"
        y = np.arange(len(strata))
        est = strata["estimate"].to_numpy(dtype=float)
        lo = strata[f"lower {pct}"].to_numpy(dtype=float)
        hi = strata[f"upper {pct}"].to_numpy(dtype=float)
        ax.errorbar(est, y, xerr=[est - lo, hi - est], fmt="o", color="C0", capsize=3)
        ax.plot(strata["n_observed"], y, "x", color="0.3", label="observed")
        labels = [" / ".join(str(row[c]) for c in self.strata) for _, row in strata.iterrows()]
        ax.set_yticks(y, labels)
        e = self.estimate_
        ax.set_title(f"total {e.point:,.0f} ({e.lower:,.0f} to {e.upper:,.0f}, {pct})")
        ax.set_xlabel("estimated total")
        ax.legend()
        return ax


def _incidence_from_rows(
    part: pd.DataFrame, units: list[str], count: str | None
) -> IncidenceFrequencies:
    """Items as rows, sampling units as 0/1 columns -> incidence frequencies."""
    problems: list[Problem] = []
    matrix = np.zeros((len(part), len(units)), dtype=np.int64)
    for j, name in enumerate(units):
        numbers = pd.to_numeric(part[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        bad = ~np.isin(numbers, [0.0, 1.0])
        for i in np.flatnonzero(bad)[:200]:
            problems.append(Problem(_SOURCE, None, name, str(part[name].iloc[i]), "0 or 1"))
        matrix[:, j] = np.where(bad, 0, numbers).astype(np.int64)
    if problems:
        raise ValidationError(problems)
    weights = (
        np.ones(len(part), dtype=np.int64)
        if count is None
        else pd.to_numeric(part[count]).to_numpy(dtype=np.int64)
    )
    k = matrix.sum(axis=1)
    q = np.bincount(k, weights=weights, minlength=len(units) + 1).astype(np.int64)
    return IncidenceFrequencies(len(units), q[1:])


def _histories_bootstrap(
    data: Any,
    estimate: Estimate,
    refit: Callable[[Any], float],
    n_boot: int,
    rng: np.random.Generator,
) -> _FloatArray:
    """Refit on multinomial samples of the estimated population (observed cells + unseen)."""
    from uncounted.estimate.histories import CaptureHistories

    total = estimate.point
    counts = np.asarray(data.counts, dtype=np.float64)
    if not math.isfinite(total) or total < counts.sum():
        raise EstimationError(
            f"cannot bootstrap an estimate of {total}: it must be finite and at least the "
            f"{int(counts.sum())} observed"
        )
    size = round(total)
    p = np.append(counts, max(total - counts.sum(), 0.0)) / max(total, 1e-300)
    p = p / p.sum()
    out = np.full(n_boot, np.nan)
    for b in range(n_boot):
        draw = rng.multinomial(size, p)[:-1]
        keep = draw > 0
        if not keep.any():
            continue
        sample = CaptureHistories(data.lists, data.patterns[keep], draw[keep].astype(np.int64))
        try:
            out[b] = refit(sample)
        except (EstimationError, ArithmeticError, ValueError):
            out[b] = np.nan
    return out


def _sum_paired(vectors: list[_FloatArray], rng: np.random.Generator) -> _FloatArray:
    """Sum one value of each stratum per replicate, pairing values at random."""
    if any(v.size == 0 for v in vectors):
        raise EstimationError("a stratum has no usable draws or bootstrap replicates")
    size = min(v.size for v in vectors)
    total = np.zeros(size)
    for v in vectors:
        total += rng.permutation(v)[:size]
    return total
