"""The headline: how many events and how many people, 2000-2014, with 95 % intervals.

Events are estimated by multiple systems estimation over the collections, stratified by
witness density (:mod:`uncounted.report.strata`), with a Bayesian estimator whose
posterior draws are summed across strata (:class:`uncounted.estimate.stratified.
StratifiedEstimator`). People are not estimated by a second capture-recapture: published
counts are of people, but linkage and capture work on events, so the people executed
are the documented events' victims plus the victims of the events nobody documented,
each such event's victims drawn from the victim counts of the documented events
(:mod:`uncounted.report.people`). Every figure is carried as a set of joint replicates
(one per posterior draw), so a yearly figure, a total and a people count come from the
same draws and their intervals are consistent.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from uncounted.errors import UncountedWarning
from uncounted.estimate.result import Estimate
from uncounted.estimate.stratified import StratifiedEstimator
from uncounted.report.people import PeopleDraws, draw_people
from uncounted.report.strata import STRATUM

FloatArray = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True)
class Replicates:
    """Joint posterior replicates by year: rows are replicates, columns the years."""

    years: tuple[int, ...]
    events: FloatArray
    people: FloatArray

    def over(self, quantity: str, first: int, last: int) -> FloatArray:
        """Replicates of ``quantity`` (``people`` or ``events``) summed over the years."""
        columns = [i for i, y in enumerate(self.years) if first <= y <= last]
        table = self.people if quantity == "people" else self.events
        return np.asarray(table[:, columns].sum(axis=1), dtype=np.float64)


@dataclass
class Headline:
    """The published totals and their yearly breakdown, with the replicates behind them."""

    events: Estimate
    people: Estimate
    by_year: pd.DataFrame
    strata: pd.DataFrame
    stratum_estimates: dict[str, Estimate]
    replicates: Replicates = field(repr=False)
    warnings: list[str] = field(default_factory=list)


def estimate_headline(
    events: pd.DataFrame,
    lists: Sequence[str],
    base_factory: Callable[[], Any],
    *,
    period: tuple[int, int],
    level: float,
    seed: int,
    people_min_group: int = 30,
) -> Headline:
    """Stratified events estimate, people estimate and yearly figures from one set of draws.

    Parameters
    ----------
    events : pandas.DataFrame
        Documented events (:func:`uncounted.report.events.build_events`) with a
        ``stratum`` column.
    lists : sequence of str
        The capture columns (collections).
    base_factory : callable
        A fresh estimator with posterior draws (``LCMCR`` or ``DGA``) for each stratum.
    period, level, seed
        Years covered, interval level, seed of every random step here.
    people_min_group : int
        Documented events with a known victim count needed before a period's own
        victim-count distribution is used for a stratum (else the stratum's, else all).
    """
    rng = np.random.default_rng(seed)
    caveats: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        stratified = StratifiedEstimator(
            base_factory,
            [STRATUM],
            lists=list(lists),
            level=level,
            seed=seed,
            min_observed=10,
            min_recaptured=3,
        ).fit(events[[*lists, STRATUM]])
    for item in caught:
        if issubclass(item.category, UncountedWarning):
            text = str(item.message)
            if text not in caveats:
                caveats.append(text)
    for text in stratified.estimate_.warnings:
        if text not in caveats:
            caveats.append(text)

    years = np.arange(period[0], period[1] + 1)
    n_draws = min(
        int(np.asarray(e.draws).size) for e in stratified.estimates_.values() if e.draws is not None
    )
    event_by_year = np.zeros((n_draws, len(years)))
    people_by_year = np.zeros((n_draws, len(years)))
    strata_rows = []
    for label, part in events.groupby(STRATUM, sort=True):
        estimate = stratified.estimates_[str(label)]
        if estimate.draws is None:
            raise TypeError(f"{estimate.method} gives no posterior draws: use lcmcr or dga")
        totals = rng.permutation(np.asarray(estimate.draws, dtype=float))[:n_draws]
        drawn: PeopleDraws = draw_people(
            part,
            np.maximum(np.rint(totals) - len(part), 0).astype(np.int64),
            years,
            rng,
            min_group=people_min_group,
            fallback=events["victims"],
        )
        event_by_year += drawn.events
        people_by_year += drawn.people
        strata_rows.append(
            {
                STRATUM: str(label),
                "documented": len(part),
                "estimate": estimate.point,
                "lower": estimate.lower,
                "upper": estimate.upper,
                "people_documented": int(part["victims"].fillna(0).sum()),
                **_interval("people", drawn.people.sum(axis=1), level),
            }
        )
    people_draws = people_by_year.sum(axis=1)
    by_year = _by_year(events, years, event_by_year, people_by_year, level)
    events_estimate = stratified.estimate_
    events_estimate.warnings = caveats
    people = _people_estimate(events, events_estimate, people_draws, level, seed)
    return Headline(
        events=events_estimate,
        people=people,
        by_year=by_year,
        strata=pd.DataFrame(strata_rows),
        stratum_estimates=dict(stratified.estimates_),
        replicates=Replicates(tuple(int(y) for y in years), event_by_year, people_by_year),
        warnings=caveats,
    )


def _interval(prefix: str, draws: FloatArray, level: float) -> dict[str, float]:
    alpha = 1.0 - level
    low, mid, high = np.quantile(draws, [alpha / 2, 0.5, 1 - alpha / 2])
    return {prefix: float(mid), f"{prefix}_lower": float(low), f"{prefix}_upper": float(high)}


def _by_year(
    events: pd.DataFrame,
    years: np.ndarray[Any, np.dtype[np.int64]],
    event_draws: FloatArray,
    people_draws: FloatArray,
    level: float,
) -> pd.DataFrame:
    known = events[events["year_known"].astype(bool)]
    documented = known["year"].astype(int).value_counts().reindex(years, fill_value=0)
    rows = []
    alpha = 1.0 - level
    for j, year in enumerate(years):
        low, mid, high = np.quantile(event_draws[:, j], [alpha / 2, 0.5, 1 - alpha / 2])
        rows.append(
            {
                "year": int(year),
                "documented": int(documented.loc[year]),
                "estimate": float(mid),
                "lower": float(low),
                "upper": float(high),
                **_interval("people", people_draws[:, j], level),
            }
        )
    return pd.DataFrame(rows)


def _people_estimate(
    events: pd.DataFrame, events_estimate: Estimate, draws: FloatArray, level: float, seed: int
) -> Estimate:
    alpha = 1.0 - level
    low, mid, high = np.quantile(draws, [alpha / 2, 0.5, 1 - alpha / 2])
    documented = int(events["victims"].fillna(0).sum())
    unknown = int((~events["victims_known"].astype(bool)).sum())
    return Estimate(
        method=f"{events_estimate.method} + victim counts",
        n_observed=documented,
        point=float(mid),
        lower=float(low),
        upper=float(high),
        level=level,
        diagnostics={
            "documented_events_without_count": unknown,
            "replicates": int(draws.size),
            "victims_per_undocumented_event": "drawn from documented events' counts "
            "(same stratum, same period where enough, Bayesian bootstrap)",
        },
        warnings=[],
        settings={"events_method": events_estimate.method},
        seed=seed,
        draws=draws,
    )
