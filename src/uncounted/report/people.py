"""People executed, from events: documented victims plus the victims of undocumented events.

For one stratum and each posterior replicate ``r`` with ``n0_r`` undocumented events:

1. The undocumented events, and the documented ones whose year is unknown, are spread
   over the years with shares drawn from Dirichlet(documented events per year + 1/2): the
   stratum's own timing, with its uncertainty.
2. Every event without a victim count -- undocumented, or documented with no number told
   -- gets a count drawn from the documented counts of the same stratum and period
   (five-year blocks), or of the stratum when a period has fewer than ``min_group``
   counts, or of all events when the stratum has too few. The distribution is itself
   redrawn each replicate (Bayesian bootstrap: Dirichlet weights over the observed
   counts; Rubin 1981, *Ann. Statist.* 9:130), so its uncertainty enters the interval.
3. People in year ``y``: the counts told for documented events of ``y`` plus the drawn
   counts of the events placed in ``y``.

Caveat, stated in the report: larger executions draw more witnesses, so documented events
are on average larger than undocumented ones, and drawing from documented counts leans
the people estimate up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

IntArray = np.ndarray[Any, np.dtype[np.int64]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]
PERIOD_YEARS = 5


@dataclass
class PeopleDraws:
    """Replicates (rows) by year (columns) of events and of people."""

    events: FloatArray
    people: FloatArray


@dataclass
class _CountDistribution:
    values: FloatArray
    counts: FloatArray

    @classmethod
    def of(cls, victims: pd.Series) -> _CountDistribution:
        known = victims.dropna().astype(int)
        tally = known.value_counts().sort_index()
        return cls(
            np.asarray(tally.index.to_numpy(dtype=float), dtype=np.float64),
            np.asarray(tally.to_numpy(dtype=float), dtype=np.float64),
        )

    @property
    def size(self) -> float:
        return float(self.counts.sum())


def draw_people(
    part: pd.DataFrame,
    undocumented: IntArray,
    years: IntArray,
    rng: np.random.Generator,
    *,
    min_group: int = 30,
    fallback: pd.Series | None = None,
) -> PeopleDraws:
    """Events and people by year, one row per replicate, for the events of one stratum.

    Parameters
    ----------
    part : pandas.DataFrame
        The stratum's documented events: ``year``, ``year_known``, ``victims``.
    undocumented : numpy.ndarray
        Undocumented events in each replicate (``round(N_r) - n``, at least 0).
    years : numpy.ndarray
        The years of the period, in order.
    fallback : pandas.Series, optional
        Victim counts to draw from when the stratum has fewer than ``min_group`` known
        counts (default: the stratum's own, however few).
    """
    n_rep, n_years = len(undocumented), len(years)
    known_year = part["year_known"].astype(bool).to_numpy()
    year_index = np.full(len(part), -1, dtype=np.int64)
    year_values = part["year"].to_numpy(dtype=float, na_value=np.nan)
    in_years = known_year & np.isfinite(year_values)
    year_index[in_years] = np.searchsorted(years, year_values[in_years].astype(np.int64))
    victims = part["victims"].astype("Float64")
    has_count = victims.notna().to_numpy()
    counts = victims.fillna(0).to_numpy(dtype=float)

    dated = year_index >= 0
    documented = np.bincount(year_index[dated], minlength=n_years).astype(float)
    told_people = np.bincount(year_index[dated], weights=counts[dated], minlength=n_years)
    missing_count_by_year = np.bincount(year_index[dated & ~has_count], minlength=n_years).astype(
        np.int64
    )
    undated_counts = counts[~dated]
    undated_has = has_count[~dated]
    n_undated = len(undated_counts)

    groups = _distributions(part, years, min_group, fallback)
    period_of_year = (years - years[0]) // PERIOD_YEARS
    keys = [int(k) if int(k) in groups else -1 for k in period_of_year]

    events_out: FloatArray = np.tile(documented, (n_rep, 1)).astype(np.float64)
    people_out: FloatArray = np.tile(told_people, (n_rep, 1)).astype(np.float64)
    for r in range(n_rep):
        shares = rng.dirichlet(documented + 0.5)
        placed = rng.multinomial(int(undocumented[r]), shares)
        needs = placed + missing_count_by_year
        if n_undated:
            # Documented events of unknown year: placed like the others, keeping any
            # count told for them.
            order = rng.permutation(n_undated)
            where = np.repeat(np.arange(n_years), rng.multinomial(n_undated, shares))
            placed = placed + np.bincount(where, minlength=n_years)
            told = undated_has[order]
            people_out[r] += np.bincount(
                where, weights=undated_counts[order] * told, minlength=n_years
            )
            needs = needs + np.bincount(where[~told], minlength=n_years)
        events_out[r] += placed
        weights = {key: rng.dirichlet(dist.counts) for key, dist in groups.items()}
        for j in np.flatnonzero(needs):
            dist = groups[keys[j]]
            people_out[r, j] += float(
                rng.multinomial(int(needs[j]), weights[keys[j]]) @ dist.values
            )
    return PeopleDraws(events_out, people_out)


def _distributions(
    part: pd.DataFrame, years: IntArray, min_group: int, fallback: pd.Series | None
) -> dict[int, _CountDistribution]:
    """Victim-count distributions: key -1 for the stratum (or the fallback), k for period k."""
    own = _CountDistribution.of(part["victims"])
    base = own
    if own.size < min_group and fallback is not None and fallback.notna().sum() > own.size:
        base = _CountDistribution.of(fallback)
    if base.size == 0:
        # Nothing told anywhere: one victim per event, the least an execution has.
        base = _CountDistribution(np.array([1.0]), np.array([1.0]))
    out = {-1: base}
    year = part["year"].to_numpy(dtype=float, na_value=np.nan)
    dated = part["year_known"].astype(bool).to_numpy() & np.isfinite(year)
    period = np.where(dated, (np.nan_to_num(year) - years[0]) // PERIOD_YEARS, -1)
    for k in range(int((years[-1] - years[0]) // PERIOD_YEARS) + 1):
        dist = _CountDistribution.of(part["victims"][period == k])
        if dist.size >= min_group:
            out[k] = dist
    return out
